"""Input validation: every bad argument gets an error naming the parameter and the rule.

>>> check_positive_int("N", 0)
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: N: must be an integer >= 1 (got 0)
>>> check_real("J", float("nan"))
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: J: must be a finite real number (got nan)
"""
import numbers

import mpmath
import sympy


class InputError(ValueError):
    """A user-supplied value broke a documented rule.

    ``parameter`` names the argument, ``rule`` states what it must satisfy.
    """

    def __init__(self, parameter, rule, value=None):
        self.parameter = parameter
        self.rule = rule
        self.value = value
        got = "" if value is None else f" (got {value!r})"
        super().__init__(f"{parameter}: {rule}{got}")


def check_positive_int(name, value, minimum=1):
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    integral = isinstance(value, (numbers.Integral, sympy.Integer)) and not isinstance(value, bool)
    if not integral or int(value) < minimum:
        raise InputError(name, f"must be an integer >= {minimum}", value)
    return int(value)


def check_real(name, value):
    """Return ``value`` as an exact sympy number or an mpf; reject NaN, infinities, complex.

    Exact inputs (int, Fraction, sympy Rational or a real sympy constant) stay exact so that
    symbolic code can use them; float and mpf inputs come back as mpf.
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
    if isinstance(value, (numbers.Real, mpmath.mpf)):
        x = mpmath.mpf(value)
        if not mpmath.isfinite(x):
            raise InputError(name, "must be a finite real number", value)
        return x
    if isinstance(value, (numbers.Complex, mpmath.mpc)):
        raise InputError(name, "must be real, not complex", value)
    raise InputError(name, "must be a real number", value)


def to_mpf(value):
    """An mpf at the current working precision from a value accepted by :func:`check_real`."""
    if isinstance(value, sympy.Basic):
        return mpmath.mpf(sympy.N(value, mpmath.mp.dps + 5))
    return mpmath.mpf(value)


__all__ = ['InputError', 'check_positive_int', 'check_real', 'to_mpf']
