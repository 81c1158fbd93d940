"""Input rules and certified evaluation shared by the Laplace-transform modules."""
import numbers

import mpmath
import sympy

from ...core.errors import InputError
from ...core.validate import check_positive_int, check_real_exact
from ...core.precision import Certified, certify, check_dps, guard_digits, workdps

#: Digits the working precision carries beyond those requested.
WORKING_MARGIN = 3
#: Most digits added to the working precision to make up for cancellation.
MAX_EXTRA_DIGITS = 400


# --------------------------------------------------------------------------- input rules

def check_dimension(N):
    """The dimension N of the data space: an integer >= 1."""
    return check_positive_int("N", N)


def _check_complex(name, value):
    """A finite real or complex number, returned as ``(re, im)`` validated by ``check_real``."""
    if isinstance(value, sympy.Basic) and value.is_number:
        re, im = value.as_real_imag()
    elif isinstance(value, (mpmath.mpc, numbers.Complex)) and not isinstance(value, numbers.Real):
        re, im = value.real, value.imag
    else:
        return check_real_exact(name, value), 0
    return check_real_exact(name, re), check_real_exact(name, im)


def check_source(s, N):
    """The source vector ``s``: N real or complex numbers, or one number meaning ``(s, 0, ..., 0)``."""
    if isinstance(s, (str, bytes)):
        raise InputError("s", "must be a number or a sequence of N numbers", s)
    if hasattr(s, "__iter__"):
        components = list(s)
        if len(components) != N:
            raise InputError("s", f"must have N = {N} components", len(components))
    else:
        components = [s] + [0] * (N - 1)
    return tuple(_check_complex(f"s_{i}", c) for i, c in enumerate(components, start=1))


# --------------------------------------------------------------------------- precision

def _certified(compute, dps, extra=0, guard=None, margin=WORKING_MARGIN):
    """Certify ``compute()`` to ``dps`` digits, raising the working precision under cancellation.

    ``compute`` reads ``mpmath.mp.dps``. It is evaluated at ``dps + extra`` and ``dps + extra +
    guard`` digits (``extra`` at least ``margin``); when fewer than ``dps`` digits agree, ``extra``
    grows by the digits lost and the pair is recomputed (up to :data:`MAX_EXTRA_DIGITS`, and only
    while that gains digits). The values are rounded to ``dps`` digits and the reported digits
    never exceed ``dps``; a list comes back as a list. ``guard`` defaults to
    :func:`~rgproof.core.precision.guard_digits` of ``dps``.
    """
    dps = check_dps(dps)
    guard = guard_digits(dps) if guard is None else guard
    # Quadrature and rounding leave the last digit or two of a working precision uncertain.
    extra, reached_before = min(max(margin, int(extra)), MAX_EXTRA_DIGITS), -1
    while True:
        result = certify(compute, dps + extra, guard=guard)
        items = result if isinstance(result, list) else [result]
        reached = min(c.digits for c in items)
        # Stop when certified, out of budget, or when more precision bought nothing: a quantity
        # that vanishes exactly is rounding noise at every precision (0 digits; its size bounds it).
        if reached >= dps or extra >= MAX_EXTRA_DIGITS or reached <= reached_before:
            break
        lost = dps + extra - reached
        extra, reached_before = min(MAX_EXTRA_DIGITS, max(extra + 10, lost + 5)), reached
    with workdps(dps):
        out = [Certified(+c.value, min(c.digits, dps), dps) for c in items]
    return out if isinstance(result, list) else out[0]


#: Highest cumulant order used to estimate the radius of convergence of the log series.
RADIUS_ORDER = 24


__all__ = ['check_dimension', 'check_source', 'WORKING_MARGIN', 'MAX_EXTRA_DIGITS']
