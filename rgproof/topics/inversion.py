r"""Inverting a black-box Laplace transform: fast when two fast methods agree, else Post-Widder.

``rgproof.invert(F, t, dps)`` returns f(t) for :math:`F(p) = \int_0^\infty e^{-pt} f(t)\,dt` as
a :class:`~rgproof.core.precision.Certified`. mpmath's Talbot, Cohen and de Hoog methods reach
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

import mpmath

from ..core.errors import InputError
from ..core.precision import Certified, agreed_digits, check_dps, workdps
from .postwidder import _check_digits, _check_times, invert as postwidder_invert

#: mpmath's fast methods, cheapest first; the second precision of each adds this many digits
#: to the first (mpmath then raises the method's degree, so truncation errors change too).
FAST_METHODS, PRECISION_STEP = ("cohen", "talbot", "dehoog"), 5


@dataclass(frozen=True)
class FastValue:
    """One fast method at two working precisions: the second value and their agreed digits."""

    method: str
    value: object
    digits: int


def fast_value(F, t, method, dps):
    """``mpmath.invertlaplace(F, t, method)`` at ``dps + PRECISION_STEP`` and
    ``dps + 2 PRECISION_STEP`` digits, or None when F or the method fails there (a method that
    raises is not evidence for anything)."""
    values = []
    for extra in (PRECISION_STEP, 2 * PRECISION_STEP):
        with workdps(dps + extra):
            try:
                value = mpmath.invertlaplace(F, t, method=method)
            except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
                return None
            if not (isinstance(value, mpmath.mpf) and mpmath.isfinite(value)):
                return None  # complex or infinite: f is real and finite
            values.append(value)
    with workdps(dps + 2 * PRECISION_STEP):
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
    ``mpmath.invertlaplace``) run cheapest first, each at two precisions, until some pair agrees
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


__all__ = ["FAST_METHODS", "PRECISION_STEP", "FastValue", "fast_value", "best_agreement",
           "invert"]
