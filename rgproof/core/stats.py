"""Bootstrap intervals, shared by every layer: the level of an interval and its percentiles.

How the replicates are drawn stays with each user (the Ising experiment resamples chains by a
multinomial draw, the radial fit points or whole clusters by integer draws: different random
streams, so they are not folded); what they share is here.

>>> low, high = percentile_interval([1.0, 2.0, 3.0, 4.0, 5.0], check_level(0.5))
>>> float(low), float(high)
(2.0, 4.0)
"""
import numbers

import numpy as np

from .errors import InputError


def check_level(level):
    """``level`` of a two-sided interval: a real number strictly between 0 and 1 (not a bool).

    >>> check_level(0.95)
    0.95
    >>> check_level(1)
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: level: must lie strictly between 0 and 1 (got 1)
    """
    if isinstance(level, bool) or not (isinstance(level, numbers.Real) and 0 < level < 1):
        raise InputError("level", "must lie strictly between 0 and 1", level)
    return level


def percentile_interval(values, level, axis=None):
    """``(low, high)``: the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of ``values``
    (numpy's default linear interpolation), along ``axis`` (None: of all of them)."""
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2], axis=axis)
    return low, high


__all__ = ['check_level', 'percentile_interval']
