"""One quantity checked against another over many sample points.

A claim that two formulas agree is confirmed at a set of points: each point's two sides are
compared at two working precisions (:func:`~rgproof.core.precision.compare`) and the point that
agrees worst speaks for the whole set (:func:`worst_comparison`), with the count of points that
fell short of the digits asked for, as scipy's ``mp_assert_allclose`` lists its failures.
:func:`coupling_grid` gives exact sample couplings over many magnitudes and both signs, in the
spirit of scipy's ``_mptestutils.Arg``.

>>> import mpmath
>>> worst = worst_comparison([(1,), (2,), (3,)], lambda x: mpmath.sqrt(x) ** 2,
...                          lambda x: mpmath.mpf(x), dps=30)
>>> worst.agree, worst.compared, worst.short
(30, 3, 0)
"""
import math
from dataclasses import dataclass

import mpmath  # noqa: F401 - the doctests use it
import sympy

from .errors import InputError
from .precision import Comparison, compare


def call_at(function, point):
    """``function(*point)`` for a tuple, ``function(**point)`` for a dict, else ``function(point)``.

    >>> call_at(max, (1, 3)), call_at(dict, {"a": 1}), call_at(abs, -2)
    (3, {'a': 1}, 2)
    """
    if isinstance(point, tuple):
        return function(*point)
    if isinstance(point, dict):
        return function(**point)
    return function(point)


def worst_point(points, score):
    """``(point, score at point)`` of the first point with the lowest score (None for no points).

    ``score`` is called with each point as :func:`call_at` calls it; of equal scores the earliest
    point wins.

    >>> worst_point([(3, 1), (2, 2), (1, 3)], lambda a, b: min(a, b))
    ((3, 1), 1)
    """
    return min(((point, call_at(score, point)) for point in points), key=lambda pair: pair[1],
               default=None)


@dataclass(frozen=True)
class Worst:
    """The least-agreeing point of a :func:`worst_comparison`.

    ``point`` is that point (``entry`` the index of the entry when the sides return lists, else
    None), ``comparison`` its :class:`~rgproof.core.precision.Comparison`; ``compared`` counts
    the values compared and ``short`` those that agreed to fewer than the ``dps`` digits asked
    for.
    """

    point: object
    comparison: Comparison
    compared: int
    short: int
    entry: int | None = None

    @property
    def agree(self):
        """Digits on which the worst point's two sides agree."""
        return self.comparison.agree


def _comparisons(point, lhs, rhs, dps, guard):
    """``[(entry, Comparison)]`` at one point: one pair, or one per entry of list-valued sides."""
    pair = compare(lambda: call_at(lhs, point), lambda: call_at(rhs, point), dps, guard)
    if not isinstance(pair.lhs, list):
        return [(None, pair)]
    if not isinstance(pair.rhs, list) or len(pair.lhs) != len(pair.rhs):
        raise InputError("rhs", "must return as many values as lhs", point)
    return [(entry, Comparison(a, b)) for entry, (a, b) in enumerate(zip(pair.lhs, pair.rhs, strict=True))]


def worst_comparison(points, lhs, rhs, dps, guard=None):
    """Compare ``lhs`` and ``rhs`` at every point; the first point that agrees least.

    ``points`` is an iterable of argument tuples (or dicts of keyword arguments, or single
    arguments); ``lhs`` and ``rhs`` are called with each point as :func:`call_at` calls them,
    inside :func:`~rgproof.core.precision.compare` at ``dps`` (and ``dps + guard``) digits, and
    return an mpmath number, or a list of them compared entry by entry. Returns a :class:`Worst`;
    a point (or entry) falls short when its sides agree to fewer than ``dps`` digits.

    >>> worst = worst_comparison([{"x": 4}, {"x": 1}, {"x": 16}], lambda x: mpmath.sqrt(x),
    ...                          lambda x: mpmath.mpf(x) / 2, dps=20)
    >>> worst.point, worst.agree, worst.compared, worst.short
    ({'x': 1}, 0, 3, 2)
    """
    compared = [(point, entry, comparison) for point in points
                for entry, comparison in _comparisons(point, lhs, rhs, dps, guard)]
    if not compared:
        raise InputError("points", "must hold at least one point", points)
    point, entry, comparison = min(compared, key=lambda c: c[2].agree)  # the first of equals
    short = sum(c.agree < dps for _, _, c in compared)
    return Worst(point, comparison, len(compared), short, entry)


#: The exact couplings :func:`coupling_grid` adds to the logarithmic grid by default.
EXACT_COUPLINGS = (sympy.Rational(1, 3), sympy.Rational(1, 2), sympy.Rational(13, 10),
                   sympy.Rational(7, 2))


def _exact(value, name):
    """A positive ``value`` (int, float, str or sympy number) as an exact sympy Rational."""
    exact = sympy.Rational(str(value)) if isinstance(value, float) else sympy.Rational(value)
    if not exact > 0:
        raise InputError(name, "must be positive", value)
    return exact


def coupling_grid(low=1e-30, high=1e3, per_decade=2, signs=(1, -1), exact=EXACT_COUPLINGS):
    """Exact sample couplings from ``low`` to ``high`` in magnitude, with each sign in ``signs``.

    ``per_decade`` values in each decade, ``10^(k + i/per_decade)`` rounded to two significant
    digits (so every value is an exact sympy Rational), plus the ``exact`` rationals; sorted,
    without repeats. ``low`` and ``high`` are taken as exact decimals (``1e-30`` is
    ``10^-30`` exactly).

    >>> grid = coupling_grid(per_decade=1)
    >>> len(grid), grid[0], grid[-1], min(abs(c) for c in grid) == sympy.Rational(1, 10**30)
    (76, -1000, 1000, True)
    >>> coupling_grid(1, 10, per_decade=2, signs=(1,), exact=(sympy.Rational(1, 2),))
    [1/2, 1, 16/5, 10]
    """
    low, high = _exact(low, "low"), _exact(high, "high")
    if per_decade < 1 or int(per_decade) != per_decade:
        raise InputError("per_decade", "must be a positive whole number", per_decade)
    mantissas = [sympy.Rational(round(10 ** (1 + i / per_decade)), 10) for i in range(per_decade)]
    first = math.floor(math.log10(low)) - 1
    last = math.ceil(math.log10(high)) + 1
    magnitudes = {m * sympy.Rational(10) ** k for k in range(first, last + 1) for m in mantissas}
    magnitudes = {m for m in magnitudes if low <= m <= high} | {_exact(e, "exact") for e in exact}
    return sorted({sign * m for m in magnitudes for sign in signs})


__all__ = ['EXACT_COUPLINGS', 'Worst', 'call_at', 'coupling_grid', 'worst_comparison',
           'worst_point']
