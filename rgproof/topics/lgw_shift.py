"""Step (1) of the LGW transformation on the Hamiltonians the slides allow (A non-negative
definite): which shifts make the Hamiltonian even, and whether exp(-H) is integrable at all."""
import mpmath
import sympy

from ..core.errors import InputError
from ..core.precision import workdps
from .lgw import hamiltonian, parse


def even_shifts(A, theta, b):
    """The shifts ``f`` for which ``H(x~ - f)`` has only even-degree terms in ``x~``.

    Every monomial of odd total degree in ``H(x~ - f) = sum_r theta_r (q(x~ - f))^r`` must vanish:
    polynomial equations in ``f``, solved by sympy. Returns ``(solutions, H)``; an empty list
    means no shift makes the Hamiltonian even.

    >>> even_shifts([[1]], [1, 1], [2])[0]
    [{f1: 1}]
    >>> even_shifts([[0]], [1, 1, 1, 1], [1])[0]   # A = 0 is non-negative definite
    []
    """
    problem = parse(A, theta, b)
    x = sympy.symbols(f"x1:{problem.N + 1}")
    f = sympy.symbols(f"f1:{problem.N + 1}")
    shifted = sympy.expand(hamiltonian(A, theta, b, [xi - fi for xi, fi in zip(x, f)]))
    odd = [c for monomial, c in sympy.Poly(shifted, *x).terms() if sum(monomial) % 2]
    solutions = sympy.solve(odd, f, dict=True) if odd else [{}]
    return solutions, sympy.expand(hamiltonian(A, theta, b, list(x)))


def log_partition_1d(A, theta, b, dps=30):
    """``ln Z = ln int exp(-H(x)) dx`` for N = 1 by quadrature (``+inf`` when it diverges), to
    tell an integrable Hamiltonian from one that is not.

    >>> float(log_partition_1d([[0]], [1, 1, 1, 1], [1], dps=15))  # doctest: +ELLIPSIS
    0.658...
    """
    problem = parse(A, theta, b)
    if problem.N != 1:
        raise InputError("A", "log_partition_1d needs N = 1", problem.N)
    with workdps(dps):
        x = sympy.Symbol("x")
        H = sympy.lambdify(x, hamiltonian(A, theta, b, [x]), "mpmath")
        value = mpmath.quad(lambda t: mpmath.exp(-H(t)), [-mpmath.inf, 0, mpmath.inf])
        return +mpmath.log(value) if mpmath.isfinite(value) else mpmath.inf


__all__ = ["even_shifts", "log_partition_1d"]
