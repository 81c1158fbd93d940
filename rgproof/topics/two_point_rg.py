r"""The two-point RG equation of the zero-field 1-D Ising chain (Cui & Gong; Xia's slides).

The slides' Proposition: under coarse graining with :math:`\lambda = 2` and :math:`Z(\lambda) = 1`,
:math:`G^{(2)}_\lambda(x_1, x_2) - G(\lambda x_1, \lambda x_2) = R_\lambda(x_1, x_2)`, and for
:math:`\lambda = 2^n` the remainder tends to 0 exponentially. Everything here is exact (sympy) in
:math:`t = \tanh J`:

* the periodic ring's two-point function from the transfer matrix,
  :math:`G_N(r) = (t^r + t^{N-r})/(1 + t^N)`, and the infinite chain's :math:`t^r`;
* decimation :math:`\tilde x_i = x_{2i}` (the slides' coarse graining) maps :math:`t \to t^2`;
* the block average :math:`s_i = \lambda^{-1}\sum_{a<\lambda} x_{\lambda i + a}` on the infinite
  chain, whose two-point function is a double geometric sum.

>>> ring_correlation(4, 1)
t*(t**2 + 1)/(t**4 + 1)
>>> decimated_tanh()
t**2
>>> sympy.factor(block_average_correlation(1).subs(LAMBDA, 2))
t*(t + 1)**2/4
"""
from functools import lru_cache

import sympy

from ..core.errors import InputError
from ..core.validate import check_positive_int
from .ising import J, decimation

#: t = tanh J of the chain (0 < t < 1 for a finite coupling J > 0).
T = sympy.Symbol("t", positive=True)
#: t = 1/(1 + u) with u > 0 is every 0 < t < 1 (a finite coupling): signs sympy can decide.
BELOW_ONE = sympy.Symbol("u", positive=True)
#: The dilation lambda = 2^n (a positive integer: the block length).
LAMBDA = sympy.Symbol("lambda", positive=True, integer=True)
#: The separation r = |x_1 - x_2| of the two coarse sites, in coarse lattice units.
SEPARATION = sympy.Symbol("r", nonnegative=True, integer=True)

# ---------------------------------------------------------------- the chain's two-point function

def transfer_matrix(t=T):
    r"""The transfer matrix :math:`e^{J x x'}` divided by :math:`\cosh J`, in ``t = tanh J``."""
    return sympy.Matrix([[1 + t, 1 - t], [1 - t, 1 + t]])


@lru_cache(maxsize=None)
def _eigen_transfer():
    """(P, eigenvalues) with T = P diag(eigenvalues) P^(-1), by sympy's diagonalisation."""
    P, D = transfer_matrix().diagonalize()
    return P, tuple(D[i, i] for i in range(D.rows))


def _transfer_power(k, t):
    P, eigenvalues = _eigen_transfer()
    return (P * sympy.diag(*(e**k for e in eigenvalues)) * P.inv()).subs(T, t)


@lru_cache(maxsize=None)
def ring_correlation(N, r, t=T):
    r""":math:`\langle x_0 x_r\rangle` on the periodic ring of ``N`` sites, from the transfer
    matrix: :math:`\mathrm{Tr}(\sigma T^r \sigma T^{N-r}) / \mathrm{Tr}\, T^N`.

    >>> ring_correlation(2, 0)
    1
    """
    N = check_positive_int("N", N)
    r = check_positive_int("r", r, minimum=0)
    if r >= N:
        raise InputError("r", f"must be a site of the ring, 0 <= r < N = {N}", r)
    spin = sympy.diag(1, -1)
    numerator = (spin * _transfer_power(r, t) * spin * _transfer_power(N - r, t)).trace()
    return sympy.factor(sympy.cancel(numerator / _transfer_power(N, t).trace()))


def closed_ring_correlation(N, r, t=T):
    """(t^r + t^(N-r)) / (1 + t^N): the ring's two-point function in closed form."""
    return (t**r + t**(N - r)) / (1 + t**N)


def chain_correlation(r, t=T):
    r""":math:`t^r`, the infinite chain's two-point function (the ring's as
    :math:`N \to \infty` for :math:`t < 1`)."""
    return t**r


# ---------------------------------------------------------------- decimation

@lru_cache(maxsize=None)
def decimated_tanh():
    r""":math:`\tanh \tilde J` for the derived decimation coupling
    :math:`\tilde J = \tfrac12 \ln\cosh 2J`, in ``t``; a proof, not a guess: the candidate
    :math:`t^2` is confirmed by simplifying the difference to 0."""
    renormalised = sympy.tanh(decimation().coupling)
    candidate = sympy.tanh(J)**2
    if sympy.simplify((renormalised - candidate).rewrite(sympy.exp)) != 0:
        raise ArithmeticError(f"tanh of the decimation coupling is not tanh(J)^2: {renormalised}")
    return T**2


def decimated_t(steps, t=T):
    """t after ``steps`` decimations: the derived map t -> t^2 iterated."""
    for _ in range(check_positive_int("steps", steps, minimum=0)):
        t = decimated_tanh().subs(T, t)
    return t


def ring_decimation_remainders(N, wave_factor=1):
    """R = G'(r) - G(lambda r) / Z(lambda) after each decimation of the ring of ``N = 2^k`` sites.

    G' is the two-point function of the decimated ring (N / lambda sites, t^lambda from the
    derived map) at coarse separation r; rows ``(steps, lambda, r, R)`` for every r and every
    step that leaves at least two sites. ``wave_factor`` is Z(lambda) (an expression in
    :data:`LAMBDA`).
    """
    N = check_positive_int("N", N, minimum=4)
    if N & (N - 1):
        raise InputError("N", "the slides decimate rings of N = 2^k sites", N)
    rows, steps = [], 1
    while N >> steps >= 2:
        lam, sites = 1 << steps, N >> steps
        Z = sympy.sympify(wave_factor).subs(LAMBDA, lam)
        t_coarse = decimated_t(steps)
        for r in range(sites):
            coarse = ring_correlation(sites, r, t_coarse)
            rows.append((steps, lam, r, sympy.cancel(coarse - ring_correlation(N, lam * r) / Z)))
        steps += 1
    return rows


def ring_decimation_identity(N=sympy.Symbol("N", positive=True, integer=True)):
    """G_(N/2)(r; t^2) - G_N(2r; t) in closed form, simplified (0: one step is exact for all N)."""
    r = SEPARATION
    difference = closed_ring_correlation(N / 2, r, T**2) - closed_ring_correlation(N, 2 * r)
    return sympy.simplify(sympy.powsimp(sympy.powdenest(difference)))


def chain_decimation_remainder(wave_factor=1, r=SEPARATION):
    """R_lambda(r) = (t^lambda)^r - t^(lambda r) / Z(lambda) on the infinite chain, lambda = 2^n.

    t_n = t^(2^n) is the derived map iterated: (t^(2^n))^2 = t^(2^(n+1)).
    """
    return sympy.powsimp((T**LAMBDA)**r - chain_correlation(LAMBDA * r) / wave_factor)


# ---------------------------------------------------------------- block average

def _generic_branch(expr):
    """The t != 1 branch of sympy's geometric sums (t < 1: a finite coupling)."""
    return expr.replace(lambda e: isinstance(e, sympy.Piecewise), lambda e: e.args[-1].expr)


def block_average_sum(r, lam):
    r""":math:`\lambda^{-2}\sum_{a,b<\lambda} t^{|\lambda r + b - a|}` by brute force, for a
    concrete block length ``lam``: the block averages' two-point function."""
    lam = check_positive_int("lambda", lam)
    r = check_positive_int("r", r, minimum=0)
    return sympy.cancel(sum(T**abs(lam * r + b - a) for a in range(lam) for b in range(lam))
                        / lam**2)


@lru_cache(maxsize=None)
def geometric_sum():
    """sum_(k < lambda) t^k by sympy's summation (its t != 1 branch)."""
    k = sympy.Symbol("k", nonnegative=True, integer=True)
    return sympy.simplify(_generic_branch(sympy.summation(T**k, (k, 0, LAMBDA - 1))))


@lru_cache(maxsize=None)
def block_average_correlation(r):
    r""":math:`\langle s_0 s_r\rangle` for block averages of length :data:`LAMBDA` (symbolic).

    For r >= 1 every exponent :math:`\lambda r + b - a` is positive and the double sum is
    :math:`t^{\lambda r} S(t) S(1/t)` with :math:`S` the :func:`geometric_sum`; for r = 0 the
    pairs :math:`b \ge a` give :math:`\sum_a S_{\lambda - a}(t) = (\lambda - t S(t))/(1 - t)`,
    doubled, less the diagonal :math:`\lambda`. Checked against :func:`block_average_sum` for
    lambda = 1..5, so a slip in this bookkeeping cannot pass.
    """
    r = check_positive_int("r", r, minimum=0)
    S = geometric_sum()
    if r:
        total = T**(LAMBDA * r) * S * S.subs(T, 1 / T)
    else:
        total = 2 * (LAMBDA - T * S) / (1 - T) - LAMBDA
    closed = sympy.factor(total / LAMBDA**2)
    for lam in range(1, 6):
        if sympy.cancel(closed.subs(LAMBDA, lam) - block_average_sum(r, lam)) != 0:
            raise ArithmeticError(f"the block correlation {closed} disagrees with the "
                                  f"brute-force sum at lambda = {lam}")
    return closed


def block_average_remainder(r, wave_factor=1):
    """R_lambda(r) = <s_0 s_r> - G(lambda r) / Z(lambda) for block averages (infinite chain)."""
    return block_average_correlation(r) - chain_correlation(LAMBDA * r) / wave_factor


#: E = t^lambda: the remainders are rational in lambda, t and E, and E -> 0 (for t < 1) faster
#: than any power of lambda grows.
DECAYING = sympy.Symbol("E", positive=True)


def _split_power(power):
    exponent = sympy.Poly(sympy.expand(power.exp), LAMBDA)
    if exponent.degree() != 1 or not exponent.all_coeffs()[0].is_integer:
        raise InputError("remainder", "t must appear as t^(k lambda + s), k an integer", power)
    k, s = exponent.all_coeffs()
    return DECAYING**k * T**s


def limit_at_infinity(expr):
    """lim_(lambda -> oo) of an expression rational in lambda, t and t^lambda, for 0 < t < 1.

    With E = t^lambda: the lowest power E^p with a non-zero coefficient c(lambda, t) decides.
    p > 0 gives 0; p = 0 the limit of the rational function c (by its degrees and leading
    coefficients); p < 0 an exponential growth with the sign of c's leading coefficient. Exact,
    and much faster than sympy.limit here.

    >>> limit_at_infinity(LAMBDA**2 * T**LAMBDA), limit_at_infinity((1 + LAMBDA) / LAMBDA)
    (0, 1)
    """
    split = sympy.sympify(expr).replace(
        lambda e: isinstance(e, sympy.Pow) and e.base == T and e.exp.has(LAMBDA), _split_power)
    numerator, denominator = sympy.fraction(sympy.together(split))
    shift = sympy.Poly(denominator, DECAYING)
    if len(shift.terms()) != 1:
        raise InputError("remainder", "t^lambda may not appear in a sum in the denominator", expr)
    (power,), scale = shift.terms()[0]
    terms = sympy.Poly(numerator, DECAYING).terms()
    if not terms:
        return sympy.Integer(0)
    (lowest,), coefficient = min(terms)
    p, ratio = lowest - power, sympy.cancel(coefficient / scale)
    if p > 0:
        return sympy.Integer(0)
    top, bottom = (sympy.Poly(part, LAMBDA) for part in sympy.fraction(ratio))
    leading = sympy.factor(top.LC() / bottom.LC())
    if p == 0 and top.degree() <= bottom.degree():
        return leading if top.degree() == bottom.degree() else sympy.Integer(0)
    sign = sympy.sign(sympy.factor(leading.subs(T, 1 / (1 + BELOW_ONE))))
    if sign not in (1, -1):
        raise InputError("remainder", "the sign of the growing term is undecided", expr)
    return sign * sympy.oo


def finite_below_one(value):
    """Whether a limit in t is finite for every 0 < t < 1 (t = 1/(1 + u), u > 0).

    >>> finite_below_one(T / (T - 1)**2), finite_below_one(sympy.oo)
    (True, False)
    """
    return sympy.factor(sympy.sympify(value).subs(T, 1 / (1 + BELOW_ONE))).is_finite is True


def decay(remainder):
    """(lim R, lim lambda^2 R) as lambda -> oo: R -> 0 at the rate 4^(-n) (lambda = 2^n) exactly
    when the second limit is finite and non-zero."""
    return limit_at_infinity(remainder), limit_at_infinity(LAMBDA**2 * remainder)


__all__ = ['T', 'BELOW_ONE', 'LAMBDA', 'SEPARATION', 'transfer_matrix', 'ring_correlation',
           'closed_ring_correlation', 'chain_correlation', 'decimated_tanh', 'decimated_t',
           'ring_decimation_remainders', 'ring_decimation_identity', 'chain_decimation_remainder',
           'block_average_sum', 'geometric_sum', 'block_average_correlation',
           'block_average_remainder', 'DECAYING', 'limit_at_infinity', 'finite_below_one', 'decay']
