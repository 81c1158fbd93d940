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
from contextlib import contextmanager
from dataclasses import dataclass, field

import mpmath

from .errors import InputError, check_positive_int

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
    return max(10, dps // 2)


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


def agreed_digits(a, b, cap):
    """Significant decimal digits on which ``a`` and ``b`` agree, between 0 and ``cap``.

    Relative to the larger magnitude; two exact zeros agree to ``cap`` digits.

    >>> agreed_digits(mpmath.mpf("1.2345"), mpmath.mpf("1.2346"), 50)
    4
    """
    a, b = mpmath.mpmathify(a), mpmath.mpmathify(b)
    scale = max(abs(a), abs(b))
    diff = abs(a - b)
    if diff == 0:
        return cap
    if scale == 0:
        return 0
    d = int(mpmath.floor(-mpmath.log10(diff / scale)))
    return max(0, min(cap, d))


@dataclass(frozen=True)
class Certified:
    """A number with the count of significant digits that two working precisions agree on."""

    value: object
    digits: int
    dps: int = field(repr=False)

    def __float__(self):
        return float(self.value)

    def __str__(self):
        return mpmath.nstr(self.value, max(self.digits, 1))


def evaluate(compute, dps):
    """``compute()`` at ``dps`` working digits (a number, or a list/tuple of numbers)."""
    with workdps(dps):
        return compute()


def certify(compute, dps, guard=None):
    """Evaluate ``compute()`` at ``dps`` and at ``dps + guard`` digits; keep the agreed digits.

    The returned value is the higher-precision one rounded to ``dps`` digits. When ``compute``
    returns a list or tuple, the result is a list of :class:`Certified`, one per element.

    >>> [c.digits for c in certify(lambda: [mpmath.mpf(1) / 3, mpmath.e], dps=20)]
    [20, 20]
    """
    dps = check_dps(dps)
    guard = guard_digits(dps) if guard is None else guard
    low = evaluate(compute, dps)
    high = evaluate(compute, dps + guard)
    many = isinstance(high, (list, tuple))
    pairs = zip(low, high) if many else [(low, high)]
    with workdps(dps):
        out = [Certified(+mpmath.mpmathify(h), agreed_digits(l, h, dps), dps) for l, h in pairs]
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

    def differs(self, margin=3):
        """True when the sides are known to differ: they disagree well inside the certified digits."""
        return self.agree + margin <= self.certified


def compare(lhs, rhs, dps, guard=None):
    """Compare two zero-argument callables at ``dps`` digits (each evaluated twice)."""
    return Comparison(certify(lhs, dps, guard), certify(rhs, dps, guard))


__all__ = ["MIN_DPS", "MAX_DPS", "check_dps", "workdps", "agreed_digits", "Certified",
           "certify", "evaluate", "compare", "Comparison", "guard_digits"]
