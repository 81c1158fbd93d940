"""Every input rule in one place: each bad value gets an :class:`~rgproof.core.errors.InputError`
naming the parameter the user typed and the rule it broke.

Numbers enter at the boundary without losing a bit, whatever the caller's global ``mp.dps``:
exact inputs stay exact (sympy), floats and mpf keep every bit; :func:`to_mpf` then rounds at
the working precision of the computation that asked for it.

>>> check_positive_int("N", 0)
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: N: must be an integer >= 1 (got 0)
>>> check_real("J", float("nan"))
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: J: must be a finite real number (got nan)
>>> check_field("seed", 1.5, "integer")
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: seed: must be an integer (got 1.5)
"""
import math
import numbers

import mpmath
import sympy
from mpmath.libmp import from_float

from .errors import InputError


def check_positive_int(name, value, minimum=1):
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    integral = isinstance(value, (numbers.Integral, sympy.Integer)) and not isinstance(value, bool)
    if not integral or int(value) < minimum:
        raise InputError(name, f"must be an integer >= {minimum}", value)
    return int(value)


def check_real(name, value):
    """Return ``value`` as an exact sympy number or an mpf; reject NaN, infinities, complex.

    Exact inputs (int, Fraction, sympy Rational or a real sympy constant) stay exact so that
    symbolic code can use them; float and mpf inputs come back as mpf holding every bit of the
    input, whatever the global ``mp.dps`` (a float is a binary fraction: its 53 bits are kept).

    >>> with mpmath.workdps(5):
    ...     x = check_real("J", 0.1)
    >>> x == mpmath.mpf(0.1) and x.man_exp == mpmath.mpf(0.1).man_exp
    True
    """
    if isinstance(value, bool):
        raise InputError(name, "must be a real number", value)
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, numbers.Rational):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, sympy.Basic):
        if not (value.is_number and value.is_real and value.is_finite):
            raise InputError(name, "must be a finite real number", value)
        return value
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise InputError(name, "must be a finite real number", value)
        return value  # immutable: returned as it is, never rounded to the global precision
    if isinstance(value, numbers.Real):
        x = float(value)  # numpy floats included; every binary float fits in a double
        if not math.isfinite(x):
            raise InputError(name, "must be a finite real number", value)
        return mpmath.mp.make_mpf(from_float(x))  # exact: from_float keeps all 53 bits
    if isinstance(value, (numbers.Complex, mpmath.mpc)):
        raise InputError(name, "must be real, not complex", value)
    raise InputError(name, "must be a real number", value)


def check_real_exact(name, value):
    """:func:`check_real`, with an mpf turned into the exact Rational it is (for symbolic code).

    >>> check_real_exact("theta_1", mpmath.mpf(-1.5))
    -3/2
    """
    if isinstance(value, mpmath.mpf) and mpmath.isfinite(value):
        sign, man, exp, _ = value._mpf_
        return (-1) ** sign * sympy.Integer(man) * sympy.Integer(2) ** exp
    return check_real(name, value)


def to_mpf(value, ctx=mpmath.mp):
    """``value`` (accepted by :func:`check_real`) as a number of ``ctx`` at ``ctx``'s working
    precision: call it inside the precision the computation asked for (``workdps``), never to
    carry a value across precisions.

    >>> with mpmath.workdps(30):
    ...     print(to_mpf(sympy.Rational(1, 3)))
    0.333333333333333333333333333333
    """
    if isinstance(value, sympy.Basic):
        return ctx.mpf(sympy.N(value, ctx.dps + 5))
    return ctx.mpf(value)


def to_float(value):
    """The double nearest ``value`` (accepted by :func:`check_real`), whatever the global ``mp.dps``.

    >>> with mpmath.workdps(5):
    ...     to_float(sympy.Rational(1, 3)) == 1 / 3
    True
    """
    if isinstance(value, sympy.Basic):
        return float(sympy.N(value, 30))
    return float(value)  # an mpf rounds its full mantissa to the nearest double


#: How each kind of theta comes back from :func:`check_theta`.
THETA_KINDS = {"exact": check_real_exact, "real": check_real,
               "float": lambda name, value: to_float(check_real(name, value))}


def check_theta(theta, kind="exact"):
    """``(theta_1, ..., theta_R)`` of ``H = sum_r theta_r |x|^(2r)``: finite reals with
    ``theta_R > 0`` (so that ``exp(-H)`` is integrable), each checked as ``theta_r``.

    ``kind`` says what comes back: ``"exact"`` (:func:`check_real_exact`: an mpf becomes the
    exact Rational it is), ``"real"`` (:func:`check_real`: exact stays exact, floats and mpf keep
    every bit as mpf) or ``"float"``. An error quotes the value as the user gave it.

    >>> check_theta([1, mpmath.mpf(0.5)])
    (1, 1/2)
    >>> check_theta([1, mpmath.mpf(0.5)], kind="real")
    (1, mpf('0.5'))
    >>> check_theta([1, 0.5], kind="float")
    (1.0, 0.5)
    >>> check_theta([1, -2])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: theta_2: the highest coefficient theta_R must be > 0 so that exp(-H) is integrable (got -2)
    """
    if kind not in THETA_KINDS:
        raise InputError("kind", f"must be one of {sorted(THETA_KINDS)}", kind)
    if isinstance(theta, (str, bytes)) or not hasattr(theta, "__iter__"):
        raise InputError("theta", "must be a sequence (theta_1, ..., theta_R) of real numbers",
                         theta)
    given = list(theta)
    convert = THETA_KINDS[kind]
    values = tuple(convert(f"theta_{r}", t) for r, t in enumerate(given, start=1))
    if not values:
        raise InputError("theta", "must contain at least theta_1", theta)
    if not values[-1] > 0:
        raise InputError(f"theta_{len(values)}", "the highest coefficient theta_R must be > 0 so "
                                                 "that exp(-H) is integrable", given[-1])
    return values


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


#: The typed fields of rgproof's data files (a sweep SPEC's options, a verify JSON's rows):
#: kind -> (test, what a value of that kind must be).
FIELD_KINDS = {
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    "number": (lambda v: isinstance(v, float), "a number"),
    "string": (lambda v: isinstance(v, str), "a string"),
    "list": (lambda v: isinstance(v, tuple), "a list"),
    "null": (lambda v: v is None, "null"),
    "seconds": (lambda v: _is_number(v) and math.isfinite(v) and v >= 0, "a finite number >= 0"),
}


def check_field(name, value, *kinds):
    """``value`` if it is of one of ``kinds`` (keys of :data:`FIELD_KINDS`), else an
    :class:`InputError` naming the field and every kind it may have."""
    for kind in kinds:
        if kind not in FIELD_KINDS:
            raise InputError("kind", f"must be one of {sorted(FIELD_KINDS)}", kind)
    if not any(FIELD_KINDS[kind][0](value) for kind in kinds):
        raise InputError(name, "must be " + " or ".join(FIELD_KINDS[k][1] for k in kinds), value)
    return value


__all__ = ["check_positive_int", "check_real", "check_real_exact", "to_mpf", "to_float",
           "THETA_KINDS", "check_theta", "FIELD_KINDS", "check_field"]
