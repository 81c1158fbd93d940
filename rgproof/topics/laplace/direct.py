"""Z[s] of a general polynomial Hamiltonian by direct quadrature (the independent check)."""
import math
from functools import lru_cache
from itertools import product

import mpmath
import numpy as np
import sympy

from ...core.errors import InputError
from ...core.validate import to_float, to_mpf
from .rules import _certified, check_source
from ...core.validate import check_theta

#: Largest dimension accepted by the direct (tensor-product) quadrature.
MAX_DIRECT_DIMENSION = 3


# --------------------------------------------------------------------------- direct quadrature

def radial_hamiltonian(theta, variables):
    """``sum_r theta_r (x_1^2 + ... + x_N^2)^r`` as a sympy expression (exact when theta is)."""
    theta = check_theta(theta)
    u = sum(v ** 2 for v in _check_variables(variables))
    return sum(sympy.sympify(t) * u ** r for r, t in enumerate(theta, start=1))


def _check_variables(variables):
    variables = tuple(variables) if hasattr(variables, "__iter__") else (variables,)
    if not (1 <= len(variables) <= MAX_DIRECT_DIMENSION) or \
            not all(isinstance(v, sympy.Symbol) for v in variables) or \
            len(set(variables)) != len(variables):
        raise InputError("variables", f"must be 1 to {MAX_DIRECT_DIMENSION} distinct sympy "
                                      "Symbols", variables)
    return variables


def _rational(c):
    """A real sympy number as an exact Rational (irrationals rounded at 40 digits)."""
    return c if c.is_Rational else sympy.Rational(str(sympy.N(c, 40)))


def _top_part_is_positive(top, variables):
    """Whether the top-degree homogeneous part is positive definite (exact for N <= 2 and for
    radial parts ``c |x|^d``)."""
    degree = sympy.Poly(top, *variables).total_degree()
    radial = sympy.Poly(sum(v ** 2 for v in variables) ** (degree // 2), *variables)
    ratio = sympy.cancel(top / radial.as_expr())
    if degree % 2 == 0 and ratio.is_number:
        return ratio > 0
    if len(variables) == 1:
        return degree % 2 == 0 and top.subs(variables[0], 1) > 0
    if len(variables) == 2:
        x, y = variables
        t = sympy.Dummy("t", real=True)
        along = sympy.Poly(top.subs({x: 1, y: t}), t)
        return (degree % 2 == 0 and top.subs({x: 0, y: 1}) > 0 and along.eval(0) > 0
                and along.count_roots() == 0)
    return None


def _check_hamiltonian(H, variables):
    """A polynomial H whose top-degree part is positive definite, so that exp(-H) is integrable."""
    H = sympy.sympify(H)
    if not H.free_symbols <= set(variables):
        raise InputError("H", f"may depend only on {variables}",
                         sorted(map(str, H.free_symbols - set(variables))))
    try:
        poly = sympy.Poly(H, *variables)
    except sympy.PolynomialError as exc:
        raise InputError("H", "must be a polynomial in the variables", H) from exc
    terms = {}
    for monomial, c in poly.terms():
        if not (c.is_number and c.is_real and c.is_finite):
            raise InputError("H", "must have finite real coefficients", c)
        terms[monomial] = _rational(c)
    degree = poly.total_degree()
    top = sum(c * sympy.prod(v ** e for v, e in zip(variables, m))
              for m, c in terms.items() if sum(m) == degree)
    verdict = _top_part_is_positive(top, variables) if degree > 0 else False
    if verdict is None:
        raise InputError("H", "for N = 3 the top-degree part must be c |x|^d with c > 0 "
                              "(positivity is decided exactly only for N <= 2)", top)
    if not verdict:
        raise InputError("H", "must have a positive definite top-degree part (so that exp(-H) "
                              "is integrable)", top)
    return H


def _gauss_legendre_nodes(n):
    """``n``-point Gauss-Legendre nodes and weights on [-1, 1] at the current precision."""
    return _gauss_legendre_cached(n, mpmath.mp.prec)


@lru_cache(maxsize=64)
def _gauss_legendre_cached(n, prec):
    with mpmath.workprec(prec + 20):
        nodes = []
        for j in range(1, n // 2 + 1):
            x = mpmath.mpf(math.cos(math.pi * (j - 0.25) / (n + 0.5)))
            while True:
                p, p_prev = mpmath.legendre(n, x), mpmath.legendre(n - 1, x)
                dp = n * (x * p - p_prev) / (x * x - 1)
                dx = p / dp
                x -= dx
                if abs(dx) < mpmath.ldexp(1, -prec - 10):
                    break
            w = 2 / ((1 - x * x) * dp * dp)
            nodes += [(x, w), (-x, w)]
        if n % 2:
            dp = n * mpmath.legendre(n - 1, 0)
            nodes.append((mpmath.mpf(0), 2 / dp ** 2))
    return tuple(nodes)


def _direct_plan(exponent, N, imaginary, digits):
    """Box half-width, log of the peak and pieces per axis for ``exp(exponent(x))`` (floats).

    ``exponent`` is a numpy function of the N coordinates; ``imaginary`` the ``Im s_i``.
    """
    drop = digits * math.log(10) + 10
    if N == 1:
        directions = np.array([[1.0], [-1.0]])
    else:
        angles = np.linspace(0, 2 * np.pi, 256, endpoint=False)
        if N == 2:
            directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        else:
            z = np.linspace(-1 + 1 / 64, 1 - 1 / 64, 64)
            ring = np.sqrt(1 - z ** 2)
            directions = np.array([[c * ri, s * ri, zi] for zi, ri in zip(z, ring)
                                   for c, s in zip(np.cos(angles[::8]), np.sin(angles[::8]))])
    radii = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 1500)])
    values = np.array([exponent(*(np.outer(radii, d).T)) for d in directions])
    peak = float(values.max())
    alive = values >= peak - drop
    half_width = 1.05 * float(radii[np.nonzero(alive.any(axis=0))[0].max()]) + 1e-3
    best = np.unravel_index(values.argmax(), values.shape)
    centre = radii[best[1]] * directions[best[0]]
    pieces = []
    for i in range(N):
        h = 1e-3 * half_width
        shifted = [centre + h * np.eye(N)[i] * k for k in (-1, 0, 1)]
        lower, centre_value, upper = (exponent(*point) for point in shifted)
        curvature = (lower - 2 * centre_value + upper) / h ** 2
        width = 2 / math.sqrt(-curvature) if curvature < 0 else half_width / 4
        if imaginary[i]:
            width = min(width, math.pi / abs(imaginary[i]))
        pieces.append(max(2, math.ceil(2 * half_width / width)))
    return half_width, peak, pieces


def direct_generating_function(H, variables, s, dps=15):
    """``Z[s] = int exp(s.x - H(x)) dx`` by tensor-product Gauss-Legendre quadrature (Certified).

    An independent cross-check of :func:`generating_function` that does not use radial symmetry:
    ``H`` is any sympy polynomial in 1..3 ``variables`` with a positive definite top-degree part
    (decided exactly for N <= 2; for N = 3 the top part must be ``c |x|^d``). The box, the pieces
    and the nodes per piece (about 0.6 per digit) follow the working precision, so the two
    precisions also expose truncation and quadrature error. The cost grows like ``dps^N``, so
    the second precision is only ``dps + max(3, dps // 3)`` digits.

    >>> x, y = sympy.symbols("x y", real=True)
    >>> print(direct_generating_function(2 * x**2 + y**2, (x, y), [0, 1], dps=10))
    2.852387308
    """
    variables = _check_variables(variables)
    H = _check_hamiltonian(H, variables)
    N = len(variables)
    source = check_source(s, N)
    minus_h = sympy.lambdify(variables, -H, "mpmath")
    exponent_np = sympy.lambdify(variables, -H, "numpy")
    s_real = [to_float(re) for re, _ in source]
    s_imag = [to_float(im) for _, im in source]

    def planning_exponent(*x):
        return sum(si * xi for si, xi in zip(s_real, x)) + exponent_np(*x)

    def value():
        half_width, peak, pieces = _direct_plan(planning_exponent, N, s_imag, mpmath.mp.dps)
        base = _gauss_legendre_nodes(math.ceil(0.8 * mpmath.mp.dps) + 4)
        # e^{s.x} factorises over the axes: fold e^{s_i x_i} into the weights of axis i.
        axes = []
        for (re, im), count in zip(source, pieces):
            s_i = to_mpf(re) + 1j * to_mpf(im) if im else to_mpf(re)
            h = mpmath.mpf(2 * half_width) / count
            nodes = [-mpmath.mpf(half_width) + h * (j + (x + 1) / 2) for j in range(count)
                     for x, _ in base]
            weights = [w * h / 2 for _ in range(count) for _, w in base]
            axes.append([(x, w * mpmath.exp(s_i * x)) for x, w in zip(nodes, weights)])
        log_scale = mpmath.mpf(peak)
        total = mpmath.fsum(
            mpmath.fprod(w for _, w in point)
            * mpmath.exp(minus_h(*(x for x, _ in point)) - log_scale) for point in product(*axes))
        return mpmath.exp(log_scale) * total

    # The node count already over-resolves, so no working margin: the cost grows like dps^N.
    return _certified(value, dps, guard=max(3, dps // 3), margin=0)


__all__ = ['radial_hamiltonian', 'direct_generating_function']
