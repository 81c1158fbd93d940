"""Bootstrap intervals, shared by every layer: the level of an interval and its percentiles.

How the replicates are drawn stays with each user (the Ising experiment resamples chains by a
multinomial draw, the radial fit points or whole clusters by integer draws: different random
streams, so they are not folded); what they share is here.

>>> low, high = percentile_interval([1.0, 2.0, 3.0, 4.0, 5.0], check_level(0.5))
>>> float(low), float(high)
(2.0, 4.0)

Every stochastic verdict goes through one helper, :func:`equivalence`: an equivalence test of a
confidence interval against a band declared before the run, giving "holds", "fails" or
"inconclusive". :func:`equivalence_from_samples` builds the interval by the bootstrap,
:func:`tost_p_value` gives the matching p-value for the mean, :func:`holm` corrects a family of
them, :func:`stability` reads one verdict over a few seeds and :func:`expected_false_verdicts`
bounds how many could be wrong by chance.
"""
import dataclasses
import math
import numbers
from collections import Counter
from typing import NamedTuple

import numpy as np

from .errors import InputError
from .validate import check_positive_int


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


#: The three verdicts of a stochastic check; a tie in :func:`stability` resolves to the last.
VERDICTS = ("holds", "fails", "inconclusive")


def _number(x):
    return f"{x:.6g}"


def _finite_real(name, value, rule="must be a finite real number"):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(name, rule, value)
    return float(value)


def _text(name, value):
    if not isinstance(value, str) or not value.strip():
        raise InputError(name, "must be a non-empty string", value)
    return value


def _statement(predicted, band, reason, unit):
    """The checked form of what a stochastic verdict tests: ``predicted +- band`` and why."""
    predicted = _finite_real("predicted", predicted)
    band = _finite_real("band", band, "must be a finite real number > 0")
    if band <= 0:
        raise InputError("band", "must be a finite real number > 0", band)
    return predicted, band, _text("reason", reason), _text("unit", unit)


def _interval(interval):
    """``(low, high)`` as floats; None stays None (an interval that could not be computed)."""
    if interval is None:
        return None
    try:
        low, high = interval
    except (TypeError, ValueError):
        raise InputError("interval", "must be a pair (low, high), or None when it could not be "
                                     "computed", interval) from None
    for end in (low, high):
        _finite_real("interval", end, "its ends must be finite real numbers")
    if low > high:
        raise InputError("interval", "low must not exceed high", (low, high))
    return float(low), float(high)


def _samples(samples):
    """``samples`` as a 1-D float array of at least 2 finite values."""
    try:
        x = np.asarray(samples, dtype=float)
    except (TypeError, ValueError):
        raise InputError("samples", "must be a 1-D sequence of real numbers", samples) from None
    if x.ndim != 1 or x.size < 2:
        raise InputError("samples", "must be a 1-D sequence of at least 2 values",
                         f"shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise InputError("samples", "must all be finite")
    return x


@dataclasses.dataclass(frozen=True)
class Equivalence:
    """A stochastic verdict (made by :func:`equivalence`) and everything needed to read it again.

    ``verdict`` is "holds", "fails" or "inconclusive"; ``interval`` the ``(low, high)`` tested,
    as floats (None when it could not be computed); ``predicted``, ``band`` and ``reason`` the
    statement and its declared tolerance; ``level`` and ``n`` the interval's confidence level
    and the count of independent samples behind it, ``unit`` what they are ("chains", ...).

    Where the verdict flips when only the band changes (the interval fixed):

    * ``hold_band``: "holds" for every band >= ``hold_band`` = ``max(|low - predicted|,
      |high - predicted|)``, and for no smaller band;
    * ``fail_band``: "fails" for every band < ``fail_band`` = the distance from ``predicted`` to
      the nearer interval end, and for no larger band; None when the interval contains
      ``predicted`` (then no band refutes the statement);
    * "inconclusive" for the bands in between.

    ``flip_band`` is the one number a row reports: for "holds" ``hold_band`` (the smallest band
    that still holds); for "fails" ``fail_band`` (every smaller band still fails; that band
    itself no longer does); for "inconclusive" ``hold_band`` (the band it would take to hold),
    with ``fail_band`` for the other side. All three are None when there is no interval.

    ``p_value`` bounds the chance that a decisive verdict is wrong by chance (None for
    "inconclusive"), for :func:`holm`; ``p_kind`` says where it comes from: "bootstrap" (read
    off the replicates, :func:`equivalence_from_samples`) or "nominal" (the interval's level:
    ``(1 - level) / 2`` for "holds", ``1 - level`` for "fails", see :func:`equivalence`).
    """
    verdict: str
    interval: tuple | None
    predicted: float
    band: float
    reason: str
    level: float
    n: int
    hold_band: float | None
    fail_band: float | None
    flip_band: float | None
    unit: str = "samples"
    p_value: float | None = None
    p_kind: str | None = None

    def as_dict(self):
        """The test as JSON-ready fields (the ``statistics`` of a row)."""
        return {"verdict": self.verdict,
                "interval": None if self.interval is None else list(self.interval),
                "predicted": self.predicted, "band": self.band, "band_reason": self.reason,
                "level": self.level, "n": self.n, "unit": self.unit,
                "flip_band": self.flip_band, "hold_band": self.hold_band,
                "fail_band": self.fail_band, "p_value": self.p_value, "p_kind": self.p_kind}

    def text(self):
        """One line of evidence: the interval, the band with its reason, and where it flips."""
        what = f"{_number(self.level * 100)}% interval"
        source = f"from n = {self.n} {self.unit}"
        target = f"{_number(self.predicted)} +- {_number(self.band)} (band: {self.reason})"
        if self.interval is None:
            return f"no {what} could be computed {source}: inconclusive against {target}"
        low, high = self.interval
        head = f"{what} [{_number(low)}, {_number(high)}] {source}"
        holds_from = f"holds for any band >= {_number(self.hold_band)}"
        if self.verdict == "holds":
            return f"{head} lies inside {target}; {holds_from}"
        fails_below = ("no band refutes it (the interval contains the prediction)"
                       if self.fail_band is None
                       else f"fails for any band < {_number(self.fail_band)}")
        if self.verdict == "fails":
            return f"{head} lies wholly outside {target}; {fails_below}"
        return (f"{head} is neither inside nor wholly outside {target}: inconclusive; "
                f"{holds_from}, {fails_below}")


def equivalence(interval, predicted, band, *, level, n, reason, unit="samples", p_value=None,
                p_kind="bootstrap"):
    """The one test behind every stochastic verdict: a two-sided confidence ``interval = (low,
    high)`` at ``level`` (from ``n`` independent samples) against ``predicted +- band``.

    * "holds": the whole interval lies inside ``[predicted - band, predicted + band]`` (ends
      included): equivalence is shown;
    * "fails": the interval lies wholly beyond the band, ``low > predicted + band`` or
      ``high < predicted - band``: the prediction is refuted by more than the band;
    * "inconclusive": anything else (the interval straddles an edge of the band, or is wider
      than it): this sample cannot decide at this band.

    ``band > 0`` is declared before any run, with its ``reason``. Either decisive verdict is
    wrong only if the interval misses the truth: "holds" when the truth lies outside the band
    (then the interval misses it on that side, probability at most ``(1 - level) / 2`` for an
    exact interval: "holds" is the two one-sided tests (TOST) at that size; a 95% interval
    gives 2.5%, stricter than the textbook TOST at 5%, which uses a 90% interval), "fails"
    when the truth lies inside the band (the interval misses it on either side, probability at
    most ``1 - level``, approached as the band shrinks).

    Shrinking samples: the verdict depends on the interval only through where its ends lie
    relative to the band, and monotonically: if a wider interval (one containing this one) is
    decisive, this one gives the same verdict. A smaller sample gives a wider interval (its
    width grows like ``1/sqrt(n)``), so losing samples can only move "holds" (or "fails") to
    "inconclusive", never create a "holds"; an interval wider than ``2 * band`` never holds.

    ``interval=None`` (it could not be computed) is "inconclusive" and says so in
    :meth:`Equivalence.text`; ends that are NaN or infinite are a bug upstream:
    :class:`~rgproof.core.errors.InputError`, like every other bad input.

    ``p_value``: the decisive verdict's p-value when the caller can compute one (a number in
    [0, 1], of kind ``p_kind``); otherwise a normal reading of the interval, capped by
    the nominal bound above (kind "normal").

    >>> e = equivalence((0.47, 0.53), 0.5, 0.05, level=0.95, n=32, unit="chains",
    ...                 reason="finite-size drift")
    >>> e.verdict, round(e.flip_band, 12)
    ('holds', 0.03)
    >>> print(e.text())
    95% interval [0.47, 0.53] from n = 32 chains lies inside 0.5 +- 0.05
    (band: finite-size drift); holds for any band >= 0.03
    >>> equivalence((0.7, 0.9), 0.5, 0.05, level=0.95, n=32, reason="r").verdict
    'fails'
    >>> wide = equivalence((0.3, 0.65), 0.5, 0.05, level=0.95, n=4, reason="r")
    >>> wide.verdict, round(wide.hold_band, 12), wide.fail_band
    ('inconclusive', 0.2, None)
    >>> equivalence((0.3, float("nan")), 0.5, 0.05, level=0.95, n=4, reason="r")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: interval: its ends must be finite real numbers (got nan)
    """
    interval = _interval(interval)
    predicted, band, reason, unit = _statement(predicted, band, reason, unit)
    level = float(check_level(level))
    n = check_positive_int("n", n)
    if interval is None:
        return Equivalence("inconclusive", None, predicted, band, reason, level, n,
                           None, None, None, unit)
    low, high = interval
    hold_band = max(high - predicted, predicted - low)
    fail_band = (low - predicted if low > predicted
                 else predicted - high if high < predicted else None)
    if hold_band <= band:
        verdict, flip_band = "holds", hold_band
    elif fail_band is not None and band < fail_band:
        verdict, flip_band = "fails", fail_band
    else:
        verdict, flip_band = "inconclusive", hold_band
    if verdict == "inconclusive":
        p_value, p_kind = None, None
    elif p_value is None:
        nominal = (1 - level) / 2 if verdict == "holds" else 1 - level
        p_value = min(nominal, _normal_p_value(verdict, interval, predicted, band, level))
        p_kind = "normal"
    else:
        p_value = _finite_real("p_value", p_value, "must be a number in [0, 1]")
        if not 0 <= p_value <= 1:
            raise InputError("p_value", "must be a number in [0, 1]", p_value)
        p_kind = _text("p_kind", p_kind)
    return Equivalence(verdict, interval, predicted, band, reason, level, n,
                       hold_band, fail_band, flip_band, unit, p_value, p_kind)


def _normal_p_value(verdict, interval, predicted, band, level):
    """The p-value of the decisive ``verdict`` that the two-sided ``level`` interval
    ``(low, high)`` gives against ``predicted +- band``, reading the interval as
    ``centre +- z sd`` of a normal estimate (``z`` the normal quantile of ``level``): for
    "holds" the larger one-sided tail beyond the band's edges, for "fails" twice the tail
    beyond the edge the interval lies past. A point interval (no spread) gives 0.

    >>> round(equivalence((0.46, 0.54), 0.5, 0.05, level=0.95, n=9, reason="r").p_value, 4)
    0.0071
    >>> equivalence((0.7, 0.9), 0.5, 0.1, level=0.95, n=9, reason="r").p_value < 1e-4
    True
    """
    from scipy.stats import norm

    low, high = interval
    z = norm.ppf((1 + level) / 2)
    centre, sd = low / 2 + high / 2, (high - low) / (2 * z)
    lower, upper = predicted - band, predicted + band
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if verdict == "holds":
            tails = (np.float64(lower - centre) / sd, np.float64(centre - upper) / sd)
            p = max(norm.cdf(t) for t in tails) if sd > 0 else 0.0
        else:
            gap = low - upper if low > upper else lower - high
            p = 2 * norm.sf(np.float64(gap) / sd + z) if sd > 0 else 0.0
    return float(min(1.0, p)) if np.isfinite(p) else 0.0


def equivalence_from_samples(samples, predicted, band, *, level, reason, statistic=np.mean,
                             replicates=2000, rng, unit="samples"):
    """:func:`equivalence` on a bootstrap percentile interval of ``statistic`` of ``samples``.

    ``samples``: a 1-D sequence of independent values (one per chain, seed or cluster), at
    least 2, all finite; ``n`` is their count. Each of ``replicates`` bootstrap replicates
    resamples them with replacement (``rng``, a :class:`numpy.random.Generator`), and
    ``statistic(x, axis=1)`` reduces each row of replicates (numpy reductions do: ``np.mean``,
    ``np.median``); the interval is :func:`percentile_interval` of those values at ``level``.

    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(0.5, 0.1, size=400)
    >>> equivalence_from_samples(x, 0.5, 0.05, level=0.95, reason="r", rng=rng).verdict
    'holds'
    """
    x = _samples(samples)
    predicted, band, reason, unit = _statement(predicted, band, reason, unit)
    level = check_level(level)
    replicates = check_positive_int("replicates", replicates, minimum=2)
    if not isinstance(rng, np.random.Generator):
        raise InputError("rng", "must be a numpy.random.Generator", rng)
    if not callable(statistic):
        raise InputError("statistic", "must be callable as statistic(x, axis=1)", statistic)
    n = x.size
    values = np.empty(replicates)
    rows = max(1, 2**22 // n)  # replicates drawn at a time: at most ~32 MiB of resampled values
    for start in range(0, replicates, rows):
        stop = min(start + rows, replicates)
        values[start:stop] = statistic(x[rng.integers(0, n, size=(stop - start, n))], axis=1)
    if not np.all(np.isfinite(values)):
        raise InputError("statistic", "gave non-finite values on the bootstrap replicates")
    return equivalence(percentile_interval(values, level), predicted, band, level=level, n=n,
                       reason=reason, unit=unit,
                       p_value=bootstrap_p_value(values, predicted, band, level))


def bootstrap_p_value(values, predicted, band, level):
    """The p-value of the verdict that the percentile interval of the bootstrap ``values``
    gives against ``predicted +- band`` at ``level`` (None when it is "inconclusive").

    With F the fraction of replicates below a point, the ``1 - 2a`` percentile interval lies
    inside the band exactly when ``a >= max(F(predicted - band), 1 - F(predicted + band))``:
    that smallest ``a`` is the p-value of "holds" (the two one-sided tests). It lies wholly
    above the band when ``a < F(predicted + band)`` (below: ``a < 1 - F(predicted - band)``)
    for a two-sided interval at ``1 - 2a``: twice that fraction is the p-value of "fails".

    >>> bootstrap_p_value(np.linspace(0.4, 0.6, 101), 0.5, 0.3, 0.95)
    0.0
    >>> bootstrap_p_value(np.linspace(0.9, 1.1, 101), 0.5, 0.1, 0.95)
    0.0
    """
    values = np.asarray(values, dtype=float)
    low, high = percentile_interval(values, level)
    below = float(np.mean(values < predicted - band))
    above = float(np.mean(values > predicted + band))
    if predicted - band <= low and high <= predicted + band:
        return max(below, above)
    if low > predicted + band:
        return min(1.0, 2 * (1 - above))
    if high < predicted - band:
        return min(1.0, 2 * (1 - below))
    return None


def tost_p_value(samples, predicted, band):
    """The p-value of the two one-sided t-tests (TOST) that the mean of ``samples`` lies inside
    ``predicted +- band``, to feed :func:`holm`.

    The null hypothesis is non-equivalence: mean <= predicted - band (tested against
    ``alternative='greater'``) or mean >= predicted + band (``alternative='less'``), each by
    :func:`scipy.stats.ttest_1samp`; the TOST p-value is the larger of the two. Small means
    equivalence: ``p <= alpha`` exactly when the ``1 - 2 alpha`` t interval of the mean lies
    inside the band, so an :func:`equivalence` "holds" at ``level`` matches
    ``p <= (1 - level) / 2``. It is a p-value for the mean only, and exact only for normal
    samples (approximate, by the central limit theorem, otherwise); for another statistic
    there is only the interval. Identical samples (no spread) give 0.0 when their value lies
    strictly inside the band and 1.0 otherwise.

    >>> p = tost_p_value([0.49, 0.51, 0.50, 0.52, 0.48], 0.5, 0.05)
    >>> bool(p < 0.025)
    True
    >>> bool(tost_p_value([0.59, 0.61, 0.60, 0.62, 0.58], 0.5, 0.05) > 0.9)
    True
    """
    from scipy.stats import ttest_1samp

    x = _samples(samples)
    predicted, band, _, _ = _statement(predicted, band, "tost", "samples")
    lower, upper = predicted - band, predicted + band
    if np.ptp(x) == 0:
        return 0.0 if lower < x[0] < upper else 1.0
    above = ttest_1samp(x, lower, alternative="greater").pvalue
    below = ttest_1samp(x, upper, alternative="less").pvalue
    return float(max(above, below))


def combined_verdict(tests):
    """The verdict of a statement that needs every one of ``tests`` (equivalence tests of its
    parts): "holds" when all hold, "fails" when one fails, "inconclusive" otherwise or when
    there are none (the rule :func:`rgproof.core.ledger.p_value` bounds the error of).

    >>> combined_verdict(["holds", "inconclusive"]), combined_verdict(["inconclusive", "fails"])
    ('inconclusive', 'fails')
    """
    said = [getattr(t, "verdict", t) for t in tests or ()]
    if "fails" in said:
        return "fails"
    return "holds" if said and all(v == "holds" for v in said) else "inconclusive"


class Stability(NamedTuple):
    """A verdict over a few seeds: the majority ``verdict`` and the ``fraction`` that gave it."""
    fraction: float
    verdict: str


def stability(verdicts):
    """The majority verdict over a few seeds and the fraction of seeds that gave it.

    ``verdicts``: one per seed, as :class:`Equivalence` objects or verdict strings. When the
    most common verdicts tie, the seeds do not agree on one, and the majority is
    "inconclusive", with the fraction that said "inconclusive" (perhaps 0).

    >>> stability(["holds", "holds", "inconclusive"])
    Stability(fraction=0.666..., verdict='holds')
    >>> stability(["holds", "fails"])
    Stability(fraction=0.0, verdict='inconclusive')
    """
    try:
        said = [getattr(v, "verdict", v) for v in verdicts]
    except TypeError:
        raise InputError("verdicts", "must be a sequence of verdicts", verdicts) from None
    if not said or any(not isinstance(v, str) or v not in VERDICTS for v in said):
        raise InputError("verdicts", f"must be a non-empty sequence of {', '.join(VERDICTS)}",
                         said)
    counts = Counter(said).most_common()
    top = [v for v, c in counts if c == counts[0][1]]
    verdict = top[0] if len(top) == 1 else "inconclusive"
    return Stability(said.count(verdict) / len(said), verdict)


def holm(p_values, level):
    """Holm's step-down method (Holm 1979): which hypotheses are rejected, each in the order
    given, with the chance of any false rejection at most ``level``, whatever the dependence
    between the tests (uniformly more powerful than Bonferroni).

    Sort the ``m`` p-values, ``p(1) <= ... <= p(m)``; walking up from the smallest, reject
    ``H(k)`` while ``p(k) <= level / (m - k + 1)``; at the first that exceeds its threshold,
    stop: it and every larger p-value are kept, even one under a later threshold.

    ``level`` here is the family-wise error rate alpha (e.g. 0.05), not a confidence level:
    a value of 0.5 or more is refused so that 0.95 cannot be passed by mistake.

    The textbook case: sorted, 0.005 <= 0.05/4 (rejected), 0.01 <= 0.05/3 (rejected),
    0.03 > 0.05/2: stop, so 0.03 and 0.04 are kept (though 0.04 <= 0.05/1).

    >>> holm([0.01, 0.04, 0.03, 0.005], 0.05)
    [True, False, False, True]
    >>> holm([], 0.05)
    []
    """
    level = check_level(level)
    if level >= 0.5:
        raise InputError("level", "is the family-wise error rate alpha (e.g. 0.05): must be "
                                  "below 0.5", level)
    try:
        p = [float(v) for v in p_values]
    except (TypeError, ValueError):
        raise InputError("p_values", "must be a sequence of numbers in [0, 1]", p_values) from None
    if any(not 0 <= v <= 1 for v in p) or any(isinstance(v, bool) for v in p_values):
        raise InputError("p_values", "must be a sequence of numbers in [0, 1]", p_values)
    m = len(p)
    rejected = [False] * m
    for k, i in enumerate(sorted(range(m), key=lambda i: p[i])):
        if p[i] > level / (m - k):
            break
        rejected[i] = True
    return rejected


def expected_false_verdicts(count, level):
    """At most how many of ``count`` stochastic verdicts are expected to be wrong by chance,
    each read on its own (no correction for their number).

    ``level`` is the confidence level of each verdict's interval, as in :func:`equivalence`.
    A decisive verdict is wrong only when its interval misses the truth (see
    :func:`equivalence`): probability at most ``1 - level`` for an exact interval
    (approximately, for a bootstrap one; at most ``(1 - level) / 2`` for a "holds");
    "inconclusive" asserts nothing. By linearity of expectation, whatever the dependence
    between them, the expected number of wrong verdicts is at most ``count * (1 - level)``.
    For the chance that *any* "holds" is wrong to be at most alpha, pass their p-values
    (:func:`tost_p_value`) to :func:`holm` at alpha.

    >>> round(expected_false_verdicts(40, 0.95), 12)
    2.0
    """
    count = check_positive_int("count", count, minimum=0)
    return count * (1 - check_level(level))


__all__ = ['check_level', 'percentile_interval', 'VERDICTS', 'Equivalence', 'equivalence',
           'equivalence_from_samples', 'bootstrap_p_value', 'tost_p_value', 'combined_verdict', 'Stability', 'stability', 'holm',
           'expected_false_verdicts']
