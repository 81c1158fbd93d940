r"""Inverting a black-box Laplace transform: fast when two fast methods agree, else Post-Widder.

``rgproof.invert(F, t, dps)`` returns f(t) for :math:`F(p) = \int_0^\infty e^{-pt} f(t)\,dt` as
a :class:`~rgproof.core.precision.Certified`. The fixed Talbot, Cohen and de Hoog methods reach
30-50 digits in milliseconds but certify nothing, and fail silently where their contour or
series misses part of F (a pole right of Talbot's contour, f oscillating many times before t):
each may then repeat the same wrong digits at two precisions. So a fast value is returned only
when **two** methods each agree with themselves at two working precisions **and** with each
other; its digits are the fewest of those three agreements, labelled ``"agreement"`` (an
agreement of independent methods, never a proof). Anywhere else the answer is Post-Widder's
(:func:`rgproof.topics.postwidder.invert`, certified by two runs with more terms and digits).

>>> r = invert(lambda p: 1 / (p + 1) ** 2, 1, dps=30)
>>> print(r, r.digits, r.kind)
0.367879441171442321595523770161 30 agreement
>>> r = invert(lambda p: 50 / (p ** 2 + 2500), 10, dps=15)   # sin(50 t) at t = 10
>>> r.kind, r.digits < 15                                     # no two fast methods agree
('two-precision', True)
"""
from dataclasses import dataclass, replace
from functools import lru_cache

import mpmath

from ..core.errors import InputError
from ..core.precision import Certified, agreed_digits, check_dps, workdps
from .postwidder import _check_digits, _check_times, invert as postwidder_invert

#: A fast method runs first at its GUARD_DIGITS more than the digits asked for, then at
#: PRECISION_STEP more again (the methods then raise their degree, so truncation errors change
#: too). Cohen's and Talbot's rules of thumb overshoot (34 and 40 correct digits of
#: exp(-sqrt p)'s inverse at dps 30); de Hoog's falls a digit short (J0(10): 29 at dps 30), so
#: at dps itself it could not agree on dps digits and the door would fall back to Post-Widder.
#: A guard decides only whether an agreement is reached, never what it certifies.
GUARD_DIGITS, PRECISION_STEP = {"cohen": 0, "talbot": 0, "dehoog": 3}, 5


# --------------------------------------------------------------------------- the fast methods
# The three methods' formulas and rules of thumb are those of mpmath's ``invertlaplace``
# (mpmath/calculus/inverselaplace.py: the working digits, the degree, Talbot's r = 2M/5,
# Cohen's abscissa, de Hoog's gamma; Talbot's degree is chosen as in :func:`talbot`), and
# agree with it to the digits asked for (tests/test_invert.py). Written here because in Talbot's and Cohen's everything but F's
# values and one exponential is independent of t: the nodes and weights are computed once per
# degree and precision, so a call costs F's evaluations (fixed Talbot at dps 30: 2.7 ms against
# mpmath's 14.4 ms once the nodes are cached; Cohen 2.6 against 4.1); de Hoog's
# quotient-difference table is cheaper on lists than on mpmath's matrices (52 ms against 120).

@lru_cache(maxsize=32)
def _talbot_nodes(degree, prec):
    """Fixed Talbot (Abate & Valko 2004) with M = ``degree`` terms at ``prec`` bits: the pairs
    (delta_k, w_k) with p_k = delta_k / t and f(t) ~ (r / M t) sum_k Re(w_k F(p_k)), r = 2M/5:
    delta_0 = r, w_0 = e^r / 2 and, for theta = k pi / M, delta_k = r theta (cot theta + i),
    w_k = e^(delta_k) (1 + i (theta (1 + cot^2 theta) - cot theta))."""
    with mpmath.workprec(prec):
        r = mpmath.mpf(2 * degree) / 5
        nodes = [(mpmath.mpc(r), mpmath.exp(r) / 2)]
        for k in range(1, degree):
            theta = k * mpmath.pi / degree
            cot = mpmath.cot(theta)
            delta = r * theta * mpmath.mpc(cot, 1)
            nodes.append((delta, mpmath.exp(delta)
                          * mpmath.mpc(1, theta * (1 + cot * cot) - cot)))
        deltas, weights = zip(*nodes)
        # Re(w F) = Re w Re F - Im w Im F: the weights' parts, in the order F's parts will have
        parts = [part for w in weights for part in (w.real, -w.imag)]
        return deltas, parts, r / degree


def talbot(F, t, dps):
    """f(t) by the fixed Talbot method with M = 2 dps terms at M working digits: Abate and
    Valko find about 0.6 M correct digits, and 0.5 M leaves a margin (at 0.6 M two of mpmath's
    docstring cases missed 30 digits by one). mpmath's ``invertlaplace(..., degree=M)``; its
    default, 2.37 dps terms, spends 18% more F values."""
    degree = max(12, 2 * dps)
    with workdps(degree):
        deltas, parts, scale = _talbot_nodes(degree, mpmath.mp.prec)
        t = mpmath.mpf(t)
        values = [mpmath.mpc(F(delta / t)) for delta in deltas]
        return scale * mpmath.fdot(parts, [x for v in values for x in (v.real, v.imag)]) / t


@lru_cache(maxsize=32)
def _cohen_weights(n, prec):
    """The weights c_(n,k) / d_n of Cohen, Rodriguez Villegas and Zagier's acceleration of an
    alternating series of n terms (their Algorithm 1), at ``prec`` bits."""
    with mpmath.workprec(prec):
        d = (3 + mpmath.sqrt(8)) ** n
        d = (d + 1 / d) / 2
        b, c, weights = -mpmath.mpf(1), -d, []
        for k in range(n):
            c = b - c
            weights.append(c / d)
            b = 2 * (k + n) * (k - n) * b / ((2 * k + 1) * (k + mpmath.mpf(1)))
        return tuple(weights)


def cohen(F, t, dps):
    """f(t) by the trapezoidal rule on the Bromwich line Re p = alpha / 2t, its nearly
    alternating series summed by Cohen-Villegas-Zagier, at mpmath's working digits (1.74 dps),
    degree and abscissa alpha = 2/3 (digits ln 10 + ln 2t)."""
    goal = int(1.74 * dps)
    with workdps(goal):
        t = mpmath.mpf(t)
        alpha = mpmath.mpf(2) / 3 * (goal * mpmath.ln10 + mpmath.log(2 * t))
        weights = _cohen_weights(max(22, int(1.31 * goal)), mpmath.mp.prec)
        abscissa, spacing = alpha / (2 * t), mpmath.pi / t
        series = mpmath.fdot(weights, [F(mpmath.mpc(abscissa, k * spacing)).real
                                       for k in range(1, len(weights) + 1)])
        return mpmath.exp(alpha / 2) / t * (F(abscissa).real / 2 - series)


def dehoog(F, t, dps):
    """f(t) by de Hoog, Knight and Stokes (1982): the trapezoidal rule on Re p = gamma over
    (0, 2t), its Fourier series summed as a continued fraction whose coefficients the
    quotient-difference algorithm gives, with a remainder estimate. mpmath's working digits
    (1.36 dps), degree M, gamma and remainder h (sqrt(1 + d_2M z / h) - 1) (the paper divides
    by h^2; mpmath's form, kept here, reached 33 correct digits of J0(10) at dps 30 where the
    paper's reached 29), on plain lists instead of mpmath's matrices (2.3x faster)."""
    goal = int(1.36 * dps)
    M = max(10, goal)
    with workdps(goal):
        t = mpmath.mpf(t)
        period = 2 * t
        alpha = mpmath.mpf(10) ** -goal
        gamma = alpha - mpmath.log(10 * alpha) / (2 * period)
        values = [F(mpmath.mpc(gamma, mpmath.pi * k / period)) for k in range(2 * M + 1)]
        # quotient-difference table, a column at a time: q_(i, r-1), e_(i, r) -> q_(i, r)
        q = [values[1] / (values[0] / 2)] + [values[i + 1] / values[i] for i in range(1, 2 * M)]
        e = [0] * (2 * M + 1)
        d = [values[0] / 2]
        for r in range(1, M + 1):
            e = [q[i + 1] - q[i] + e[i + 1] for i in range(2 * (M - r) + 1)]
            d += [-q[0], -e[0]]
            if r < M:
                q = [q[i + 1] * e[i + 1] / e[i] for i in range(2 * (M - r))]
        z = mpmath.expjpi(t / period)
        below, numerator = 0, d[0]  # A_(i-1), A_i of the continued fraction; B likewise
        below_b, denominator = 1, 1
        for i in range(1, 2 * M):
            below, numerator = numerator, numerator + d[i] * below * z
            below_b, denominator = denominator, denominator + d[i] * below_b * z
        h = (1 + (d[2 * M - 1] - d[2 * M]) * z) / 2
        remainder = h * mpmath.powm1(1 + d[2 * M] * z / h, mpmath.mpf(1) / 2)
        ratio = (numerator + remainder * below) / (denominator + remainder * below_b)
        return mpmath.exp(gamma * t) / period * ratio.real


#: name -> method(F, t, dps), cheapest first
METHODS = {"cohen": cohen, "talbot": talbot, "dehoog": dehoog}
FAST_METHODS = tuple(METHODS)


@dataclass(frozen=True)
class FastValue:
    """One fast method at two working precisions: the second value and their agreed digits."""

    method: str
    value: object
    digits: int


def fast_value(F, t, method, dps):
    """The fast ``method`` (a name of :data:`METHODS`) at ``dps + guard`` and
    ``dps + guard + PRECISION_STEP`` digits (``guard`` its :data:`GUARD_DIGITS`), or None when
    F or the method fails there (a method that raises is not evidence for anything). The more
    precise value is kept; the digits are those on which the two agree."""
    values = []
    guard = GUARD_DIGITS[method]
    for extra in (guard, guard + PRECISION_STEP):
        with workdps(dps + extra):
            try:
                value = METHODS[method](F, t, dps + extra)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                return None
            if not (isinstance(value, mpmath.mpf) and mpmath.isfinite(value)):
                return None  # complex or infinite: f is real and finite
            values.append(value)
    with workdps(dps + guard + PRECISION_STEP):
        return FastValue(method, values[1], agreed_digits(values[0], values[1], dps))


def best_agreement(values, dps):
    """``(digits, value, methods)`` of the pair of :class:`FastValue` whose weakest agreement
    (each with itself, and the two with each other) is strongest; None with fewer than two."""
    best = None
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            digits = min(a.digits, b.digits, agreed_digits(a.value, b.value, dps))
            if best is None or digits > best[0]:
                best = (digits, a.value, (a.method, b.method))
    return best


def invert(F, t, dps=30, digits=None, methods=FAST_METHODS, **postwidder_options):
    """f(t) from the Laplace transform F at ``dps`` working digits; a :class:`Certified`.

    ``digits`` (default ``dps``) are the digits asked for. The fast ``methods`` (names of
    :data:`METHODS`) run cheapest first, each at two precisions, until some pair agrees
    on ``digits`` digits (see the module docstring); the value then carries ``kind =
    "agreement"`` and the agreed digits, and ``reason`` names the two methods. Otherwise the
    result is :func:`rgproof.topics.postwidder.invert` (``postwidder_options`` go to it), kind
    ``"two-precision"``. F must compute with mpmath at the current precision (a Python float
    carries 16 digits at every precision, so two precisions would agree on its errors).

    >>> r = invert(lambda p: 1 / (p * p - 9), 1, dps=20)    # sinh(3t)/3: a pole at p = 3
    >>> print(r, r.kind)
    3.3392916424699672997 agreement
    """
    if not callable(F):
        raise InputError("F", "must be callable", F)
    dps, digits = _check_digits(dps, digits)
    (time,) = _check_times(t)
    unknown = [m for m in methods if m not in FAST_METHODS]
    if unknown or isinstance(methods, str):
        raise InputError("methods", f"must be a sequence of {FAST_METHODS}", methods)
    checked = []
    for method in methods:
        value = fast_value(F, time, method, dps)
        if value is None:
            continue
        checked.append(value)
        best = best_agreement(checked, dps)
        if best is not None and best[0] >= digits:
            agreed, value, pair = best
            with workdps(dps):
                return Certified(+value, agreed, dps, kind="agreement",
                                 reason=f"{pair[0]} and {pair[1]} agree, each at two precisions")
    result = postwidder_invert(F, t, dps=check_dps(dps), digits=digits, **postwidder_options)
    return replace(result, reason=result.reason or "no two fast methods agreed: Post-Widder")


__all__ = ["FAST_METHODS", "GUARD_DIGITS", "PRECISION_STEP", "METHODS", "talbot", "cohen",
           "dehoog", "FastValue", "fast_value", "best_agreement", "invert"]
