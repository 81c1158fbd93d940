"""Assertions for keeping regression tests on identities in your own pytest suite.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> assert_symbolic_equal(sympy.cosh(x) ** 2 - sympy.sinh(x) ** 2, 1)
>>> assert_agree(sympy.exp(sympy.log(x)), x, digits=40, points=[{x: sympy.Rational(7, 3)}])
>>> assert_agree(lambda: mpmath.pi, lambda: mpmath.mpf(355) / 113, digits=10)
Traceback (most recent call last):
    ...
AssertionError: agree to 7 of 10 requested digits: lhs = 3.14159265358979, rhs = 3.14159292035398
"""
import mpmath
import sympy

from .core.errors import InputError
from .core.validate import check_positive_int
from .core.precision import compare


def assert_symbolic_equal(lhs, rhs, simplify=sympy.simplify):
    """Assert that ``simplify(lhs - rhs)`` is exactly zero; the message shows what is left."""
    residual = simplify(sympy.sympify(lhs) - sympy.sympify(rhs))
    if residual != 0:
        raise AssertionError(f"not symbolically equal; simplified difference: {residual}")


def _as_callable(side, point):
    """A zero-argument callable evaluating ``side`` (callable or sympy expression) at ``point``."""
    if isinstance(side, sympy.Basic):
        expr = side.subs(point) if point else side
        if expr.free_symbols:
            raise InputError("points", "must give a value to every free symbol "
                                       f"({sorted(map(str, expr.free_symbols))} left)")
        return lambda: mpmath.mpmathify(sympy.N(expr, mpmath.mp.dps))
    if callable(side):
        if point is None:
            return side
        return lambda: side(**{str(k): v for k, v in point.items()})
    raise InputError("lhs/rhs", "must be a sympy expression or a callable", side)


def assert_agree(lhs, rhs, digits, points=None, dps=None):
    """Assert that ``lhs`` and ``rhs`` agree to ``digits`` significant digits at each point.

    ``lhs``/``rhs`` are sympy expressions or callables (zero-argument when ``points`` is None,
    otherwise called with the point's entries as keyword arguments). Each side is evaluated at
    two working precisions (``dps`` and more; default ``digits + 10``), so the digits counted
    are certified. The failure message gives the digits reached and both values.
    """
    digits = check_positive_int("digits", digits)
    dps = digits + 10 if dps is None else check_positive_int("dps", dps)
    for point in points or [None]:
        comparison = compare(_as_callable(lhs, point), _as_callable(rhs, point), dps)
        if comparison.agree < digits:
            where = "" if point is None else f" at {point}"
            raise AssertionError(
                f"agree to {comparison.agree} of {digits} requested digits{where}: "
                f"lhs = {mpmath.nstr(comparison.lhs.value, 15)}, "
                f"rhs = {mpmath.nstr(comparison.rhs.value, 15)}"
                + ("" if comparison.certified >= digits else
                   f" (only {comparison.certified} digits certified at dps {dps})"))


def claim_outcome(claim_id, dps=30, **context):
    """The :class:`~rgproof.core.ledger.Outcome` of the ledger's claim ``claim_id`` at ``dps``
    (further :class:`~rgproof.core.ledger.Context` fields by keyword); a check that crashed is an
    ``AssertionError`` with its evidence, not a row to compare.

    >>> claim_outcome("ising.decimation.recursion").verdict
    'holds'
    """
    from . import claims
    result = claims.run(claims.get(claim_id), claims.Context(dps=dps, **context))
    assert not result.crashed, result.outcome.evidence
    return result.outcome


__all__ = ["assert_symbolic_equal", "assert_agree", "claim_outcome"]
