"""Working precision and certified digits.

``mp.dps`` is global state: everything here sets it through :func:`workdps`, which restores it
even when the body raises. A high-precision number is computed at two working precisions and
carries the number of significant digits on which the two agree (:class:`Certified`).

>>> import mpmath
>>> x = certify(lambda: mpmath.pi, dps=30)
>>> x.digits
30
>>> print(x)
3.14159265358979323846264338328
>>> mpmath.mp.dps
15
"""
import math
from contextlib import contextmanager
from dataclasses import dataclass, field

import mpmath

from .errors import InputError
from .validate import check_positive_int

#: Smallest and largest working precision accepted from users (decimal digits).
MIN_DPS, MAX_DPS = 5, 100_000


def check_dps(dps, name="dps"):
    """Validate a requested number of decimal digits."""
    dps = check_positive_int(name, dps, minimum=MIN_DPS)
    if dps > MAX_DPS:
        raise InputError(name, f"must be at most {MAX_DPS}", dps)
    return dps


def guard_digits(dps):
    """Extra digits used for the second evaluation: enough to expose cancellation."""
    return max(10, check_positive_int("dps", dps) // 2)


def _number(name, value, rule="must be a number"):
    """``value`` as an mpmath number, or an :class:`InputError` naming ``name``."""
    try:
        return mpmath.mpmathify(value)
    except (TypeError, ValueError):
        raise InputError(name, rule, value) from None


def _check_callable(name, value):
    if not callable(value):
        raise InputError(name, "must be a function of no arguments (a zero-argument callable)",
                         value)
    return value


@contextmanager
def workdps(dps):
    """Set ``mpmath.mp.dps`` for the body of a ``with`` block and always restore it."""
    dps = check_dps(dps)
    saved = mpmath.mp.prec
    try:
        mpmath.mp.dps = dps
        yield
    finally:
        mpmath.mp.prec = saved


def digits_from_error(error, scale=1, cap=None):
    """Decimal digits that an ``error`` leaves of a quantity of size ``scale``, in ``[0, cap]``.

    ``floor(-log10(|error| / |scale|))`` clamped to ``[0, cap]``: a zero error gives ``cap`` (it
    must then be given), an error as large as the scale (or a zero scale, or an error or a scale
    that is not finite) gives 0. Evaluated at mpmath's working precision (taking the absolute values
    rounds an mpf of more digits to it: pass ``error / scale`` and ``scale = 1`` to divide first).

    >>> digits_from_error(mpmath.mpf("3e-7"), 1, 16), digits_from_error(0, 1, 16)
    (6, 16)
    >>> digits_from_error(5, 5, 16), digits_from_error(mpmath.mpf("1e-40"), 1, 30)
    (0, 30)
    >>> digits_from_error(1, 0, 16), digits_from_error(mpmath.inf, 1, 16)
    (0, 0)
    >>> digits_from_error(-2, -300)   # signs do not matter; no cap, no clamp from above
    2
    """
    error, scale = abs(_number("error", error)), abs(_number("scale", scale))
    if cap is not None:
        cap = check_positive_int("cap", cap, minimum=0)
    if error == 0:
        if cap is None:
            raise InputError("cap", "is needed when the error is zero", error)
        return cap
    if scale == 0 or not mpmath.isfinite(error) or not mpmath.isfinite(scale):
        return 0
    digits = max(0, int(mpmath.floor(-mpmath.log10(error / scale))))
    return digits if cap is None else min(cap, digits)


def cancellation_digits(largest, total=None):
    """Decimal digits a sum loses when terms as large as ``largest`` cancel down to ``total``.

    ``ceil(log10(largest / |total|))``, and at least 0 (a sum no smaller than its largest term
    loses none): what a working precision is raised by so that ``total`` keeps its digits. A
    zero ``total`` or a zero ``largest`` gives 0. With no ``total``, ``largest`` is the ratio
    itself (a factor by which an error grows). ``largest`` is a magnitude (``>= 0``) and is not
    rounded before the division; the logarithm is taken at mpmath's working precision and
    rounded up from its float value. Each caller adds its own margin.

    >>> cancellation_digits(mpmath.mpf(1000), mpmath.mpf("-0.5")), cancellation_digits(1000, 1)
    (4, 3)
    >>> cancellation_digits(3, 10), cancellation_digits(5, 0), cancellation_digits(0, 2)
    (0, 0, 0)
    >>> cancellation_digits(mpmath.mpf(250))   # an error grown 250-fold: 3 digits lost
    3
    """
    largest = _number("largest", largest)
    if not (isinstance(largest, mpmath.mpf) and mpmath.isfinite(largest) and largest >= 0):
        raise InputError("largest", "must be a finite magnitude (>= 0)", largest)
    ratio = largest
    if total is not None:
        total = abs(_number("total", total))
        if not mpmath.isfinite(total):
            raise InputError("total", "must be finite", total)
        if total == 0:
            return 0
        ratio = largest / total
    if largest == 0:
        return 0
    return max(0, math.ceil(float(mpmath.log10(ratio))))


def agreed_digits(a, b, cap):
    """Significant decimal digits on which ``a`` and ``b`` agree, between 0 and ``cap``.

    Relative to the larger magnitude (:func:`digits_from_error` of the difference); two exact
    zeros agree to ``cap`` digits, and a side that is not finite agrees to none.

    >>> agreed_digits(mpmath.mpf("1.2345"), mpmath.mpf("1.2346"), 50)
    4
    >>> agreed_digits(mpmath.inf, mpmath.inf, 50), agreed_digits(mpmath.nan, 1, 50)
    (0, 0)
    """
    a, b = _number("a", a), _number("b", b)
    return digits_from_error(a - b, max(abs(a), abs(b)), cap)


@dataclass(frozen=True)
class Certified:
    """A number with its certified significant digits and how they were certified: ``kind`` is
    ``"two-precision"`` (two working precisions agree on them, :func:`certify`) or ``"proved"``
    (a ball-arithmetic enclosure's radius, :func:`ball`). ``reason``: why no digits are
    certified, when that is not a disagreement of the two precisions (a value that is not
    finite); empty otherwise."""

    value: object
    digits: int
    dps: int = field(repr=False)
    kind: str = field(default="two-precision", repr=False)
    reason: str = field(default="", repr=False)

    def __float__(self):
        return float(self.value)

    def __str__(self):
        return mpmath.nstr(self.value, max(self.digits, 1))


def evaluate(compute, dps):
    """``compute()`` at ``dps`` working digits (a number, or a list/tuple of numbers)."""
    _check_callable("compute", compute)
    with workdps(dps):
        return compute()


def certify(compute, dps, guard=None):
    """Evaluate ``compute()`` at ``dps`` and at ``dps + guard`` digits; keep the agreed digits.

    The returned value is the higher-precision one rounded to ``dps`` digits. When ``compute``
    returns a list or tuple, the result is a list of :class:`Certified`, one per element.
    ``guard`` (default :func:`guard_digits`) must be at least 1: at the same precision twice,
    every digit would agree.

    >>> [c.digits for c in certify(lambda: [mpmath.mpf(1) / 3, mpmath.e], dps=20)]
    [20, 20]

    A value that is not finite at either precision (an overflow, a NaN) certifies no digits: it
    comes back with ``digits = 0`` and a ``reason`` that says what was computed, not as an error,
    so that one such entry of a list leaves the others certified.

    >>> overflowed = certify(lambda: mpmath.mpf(1e308 * 10), dps=30)   # a float overflow
    >>> overflowed.digits, overflowed.reason
    (0, 'not finite: +inf at 30 working digits, +inf at 45')
    """
    dps = check_dps(dps)
    guard = guard_digits(dps) if guard is None else check_positive_int("guard", guard)
    low = evaluate(compute, dps)
    high = evaluate(compute, dps + guard)
    many = isinstance(high, (list, tuple))
    if many != isinstance(low, (list, tuple)) or many and len(low) != len(high):
        raise InputError("compute", "must return as many values at every precision",
                         f"{low!r} at {dps} digits, {high!r} at {dps + guard}")
    pairs = zip(low, high) if many else [(low, high)]
    out = []
    with workdps(dps):
        for l, h in pairs:
            l, h = (_number("compute", v, "must return numbers (or a list or tuple of them)")
                    for v in (l, h))
            finite = mpmath.isfinite(l) and mpmath.isfinite(h)
            reason = "" if finite else (f"not finite: {mpmath.nstr(l, 5)} at {dps} working "
                                        f"digits, {mpmath.nstr(h, 5)} at {dps + guard}")
            out.append(Certified(+h, agreed_digits(l, h, dps), dps, reason=reason))
    return out if many else out[0]


@dataclass(frozen=True)
class Comparison:
    """Two quantities compared at two precisions.

    ``certified`` is how many digits each side is known to (the smaller of the two sides);
    ``agree`` is how many digits the two sides share. ``lhs`` and ``rhs`` are the values.
    """

    lhs: Certified
    rhs: Certified

    @property
    def certified(self):
        return min(self.lhs.digits, self.rhs.digits)

    @property
    def agree(self):
        return agreed_digits(self.lhs.value, self.rhs.value, self.certified)

    @property
    def kind(self):
        """How the digits are certified: the weaker of the two sides' kinds."""
        kinds = {self.lhs.kind, self.rhs.kind}
        return "proved" if kinds == {"proved"} else "two-precision"

    @property
    def margin_digits(self):
        """Certified digits of the difference ``lhs - rhs``: the sides are known to
        :attr:`certified` digits and share :attr:`agree`, so their difference is known to
        ``certified - agree`` (two sides differing only in the 45th of 50 digits leave 5)."""
        return max(self.certified - self.agree, 0)

    def differs(self, margin=3):
        """True when the sides are known to differ: they disagree well inside the certified digits."""
        return self.agree + margin <= self.certified


def compare(lhs, rhs, dps, guard=None):
    """Compare two zero-argument callables at ``dps`` digits (each evaluated twice)."""
    _check_callable("lhs", lhs)
    _check_callable("rhs", rhs)
    return Comparison(certify(lhs, dps, guard), certify(rhs, dps, guard))


def binary_parts(value):
    """``(m, e)`` with a finite mpf ``value = m 2^e`` exactly, ``m`` signed (mpmath's ``man_exp``
    drops the sign, so ``-x`` would come back as ``x``).

    >>> binary_parts(mpmath.mpf(-1.5))
    (-3, -1)
    """
    if not (isinstance(value, mpmath.mpf) and mpmath.isfinite(value)):
        raise InputError("value", "must be a finite mpf", value)
    sign, man, exp, _ = value._mpf_
    return (-int(man) if sign else int(man)), int(exp)


class ArbContext:
    """mpmath-style functions over python-flint's ``arb`` balls, for code written against a context.

    A computation written as ``f(ctx, ...)`` with ``ctx.log``, ``ctx.cosh``, ... runs at a plain
    precision with ``ctx = mpmath`` and as certified ball arithmetic with an ``ArbContext``.
    """

    FUNCTIONS = ("exp", "expm1", "log", "log1p", "sqrt", "cosh", "sinh", "tanh")

    def __init__(self, flint):
        self._flint = flint

    def mpf(self, value):
        """A ball holding ``value``: exact for ints, floats, mpf and sympy Rationals; a decimal
        string is enclosed at the working precision."""
        arb = self._flint.arb
        if isinstance(value, arb):
            return value
        if hasattr(value, "p") and hasattr(value, "q"):  # sympy Rational
            return arb(int(value.p)) / int(value.q)
        if isinstance(value, (float, mpmath.mpf)) and not mpmath.isfinite(value):
            # mpmath stores inf and nan with a zero mantissa: they must not become an exact 0
            raise InputError("ball input", "must be finite", value)
        if isinstance(value, mpmath.mpf):  # binary, so exactly m 2^e
            return arb(binary_parts(value))  # exact at any ctx.prec
        if not isinstance(value, (int, float, str)):
            raise InputError("ball input", "must be an int, float, mpf, sympy Rational or a "
                                           "decimal string", type(value).__name__)
        return arb(value)

    def __getattr__(self, name):
        if name not in self.FUNCTIONS:
            raise AttributeError(name)
        return lambda x: getattr(self.mpf(x), name)()


def flint_module():
    """python-flint, or an InputError saying how to install it."""
    try:
        import flint
    except ImportError:
        raise InputError("ball arithmetic", "needs the optional package python-flint "
                                            "(pip install 'rgproof[flint]')", "flint") from None
    return flint


def optional_flint():
    """python-flint when it is installed, else None (for code that only runs faster with it)."""
    try:
        import flint
    except ImportError:
        return None
    return flint


def arb_to_mpf(value):
    """The midpoint of an ``arb`` ball as an mpf, exactly (rounded only by a later ``+x``)."""
    flint = optional_flint()
    if flint is None or not isinstance(value, flint.arb):
        raise InputError("value", "must be a python-flint arb ball", value)
    man, exp = value.mid().man_exp()
    return mpmath.mpf((int(man), int(exp)))


def series_function(name, coefficients):
    """``exp`` or ``log`` of a real power series, by python-flint at the current mpmath precision.

    Returns the coefficients' midpoints as mpf (one more guard word of bits than ``mp.prec``), or
    None when python-flint is absent, ``name`` is another function or a coefficient is not real
    (a coefficient that is not a number is an :class:`InputError`): callers then use their own
    recurrence. Arb's series exp and log use fast multiplication, so a thousand terms at thousands
    of digits take a fraction of a second where the O(n^2) recurrences in mpmath take minutes.
    ``flint.ctx`` is restored even on error.

    >>> out = series_function("exp", [0, 1, 0, 0])
    >>> out is None or [mpmath.nstr(c, 5) for c in out] == ['1.0', '1.0', '0.5', '0.16667']
    True
    """
    if isinstance(coefficients, (str, bytes)) or not hasattr(coefficients, "__iter__"):
        raise InputError("coefficients", "must be a sequence of numbers", coefficients)
    values = [_number("coefficients", c) for c in coefficients]
    flint = optional_flint()
    if flint is None or name not in ("exp", "log"):
        return None
    if not values or not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in values):
        return None
    saved = flint.ctx.prec, flint.ctx.cap
    try:
        flint.ctx.prec, flint.ctx.cap = mpmath.mp.prec + 64, len(values)
        to_arb = ArbContext(flint).mpf
        series = flint.arb_series([to_arb(v) for v in values])
        result = getattr(series, name)().coeffs()
    finally:
        flint.ctx.prec, flint.ctx.cap = saved
    result = [arb_to_mpf(c) for c in result] + [mpmath.mpf(0)] * (len(values) - len(result))
    return [+c for c in result]


def ball(compute, dps):
    """``compute(ctx)`` in python-flint ball arithmetic at ``dps`` digits: a rigorous enclosure.

    Returns a :class:`Certified` whose ``digits`` are guaranteed by the ball's radius (not by the
    agreement of two runs). ``flint.ctx`` is global like ``mp.dps`` and is restored even on error.
    """
    _check_callable("compute", compute)
    dps = check_dps(dps)
    flint = flint_module()
    saved = flint.ctx.prec
    try:
        flint.ctx.dps = dps + 5
        enclosure = compute(ArbContext(flint))
        if not isinstance(enclosure, flint.arb) or not enclosure.is_finite():
            raise InputError("compute", "must return a finite arb ball", enclosure)
        mid = enclosure.mid().str(dps + 5, radius=False)
        rad = enclosure.rad().str(5, radius=False)
    finally:
        flint.ctx.prec = saved
    with workdps(dps + 5):
        mid, rad = mpmath.mpf(mid), mpmath.mpf(rad)
        # every number in the ball shares these significant digits with the midpoint
        digits = digits_from_error(rad, mid, dps)
    with workdps(dps):
        return Certified(+mid, digits, dps, kind="proved")


__all__ = ['MIN_DPS', 'MAX_DPS', 'check_dps', 'workdps', 'digits_from_error', 'cancellation_digits', 'agreed_digits', 'Certified', 'certify', 'evaluate', 'compare', 'Comparison', 'guard_digits', 'ArbContext', 'ball', 'flint_module', 'optional_flint', 'arb_to_mpf', 'series_function', 'binary_parts']
