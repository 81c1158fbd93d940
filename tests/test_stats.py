"""core.stats: the one equivalence test behind every stochastic verdict, Holm's correction,
verdict stability over seeds, and the bootstrap/TOST feeding them, on synthetic samples of
known truth (fixed seeds)."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from rgproof.core.errors import InputError
from rgproof.core.stats import (VERDICTS, Equivalence, Stability, equivalence,
                                equivalence_from_samples, expected_false_verdicts, holm,
                                stability, tost_p_value)

PREDICTED, BAND = 0.0, 0.1
COMMON = dict(level=0.95, reason="finite-size drift, declared before the run")


def from_normal(mean, n, seed, band=BAND, sd=1.0):
    """The verdict on ``n`` normal samples of known ``mean``, against PREDICTED +- band."""
    rng = np.random.default_rng(seed)
    return equivalence_from_samples(rng.normal(mean, sd, size=n), PREDICTED, band, rng=rng,
                                    **COMMON)


def verdict_at(e, band):
    """The verdict of the same interval against another band."""
    return equivalence(e.interval, e.predicted, band, level=e.level, n=e.n, reason=e.reason).verdict


def test_truth_inside_the_band_with_a_large_sample_holds():
    e = from_normal(PREDICTED + 0.01, 20000, seed=1)
    assert isinstance(e, Equivalence) and e.verdict == "holds"
    assert e.interval[0] >= PREDICTED - BAND and e.interval[1] <= PREDICTED + BAND
    assert e.flip_band == e.hold_band <= BAND and e.fail_band is None
    assert (e.n, e.level, e.band, e.predicted) == (20000, 0.95, BAND, PREDICTED)


def test_truth_far_outside_the_band_fails():
    e = from_normal(PREDICTED + 1.0, 200, seed=2)
    assert e.verdict == "fails"
    assert e.interval[0] > PREDICTED + BAND
    assert e.flip_band == e.fail_band == pytest.approx(e.interval[0] - PREDICTED)


def test_truth_at_the_band_edge_is_inconclusive():
    e = from_normal(PREDICTED + BAND, 5000, seed=3)
    assert e.verdict == "inconclusive"
    assert e.interval[0] < PREDICTED + BAND < e.interval[1]  # it straddles the edge
    assert e.flip_band == e.hold_band > BAND and e.fail_band < BAND


def test_a_tiny_sample_is_inconclusive_even_with_the_truth_at_the_prediction():
    e = from_normal(PREDICTED, 3, seed=4)
    assert e.verdict == "inconclusive"
    assert e.interval[1] - e.interval[0] > 2 * BAND
    assert e.fail_band is None  # the interval contains the prediction: no band refutes it


@pytest.mark.parametrize("mean, n, seed, verdict", [
    (PREDICTED + 0.01, 20000, 1, "holds"), (PREDICTED - 1.0, 200, 2, "fails"),
    (PREDICTED + BAND, 5000, 3, "inconclusive"), (PREDICTED + 0.4, 20, 5, "inconclusive")])
def test_the_flip_band_is_where_the_verdict_changes(mean, n, seed, verdict):
    e = from_normal(mean, n, seed)
    assert e.verdict == verdict
    up, down = 1 + 1e-9, 1 - 1e-9
    # "holds" for every band >= hold_band, and for no smaller one
    assert verdict_at(e, e.hold_band) == verdict_at(e, e.hold_band * up) == "holds"
    assert verdict_at(e, e.hold_band * down) != "holds"
    if e.fail_band is not None:  # "fails" for every band < fail_band, and not at it
        assert verdict_at(e, e.fail_band * down) == "fails"
        assert verdict_at(e, e.fail_band) != "fails"
        assert verdict_at(e, e.fail_band * up) != "fails"
    else:
        assert verdict_at(e, 1e-12) == "inconclusive"
    expected_flip = {"holds": e.hold_band, "fails": e.fail_band, "inconclusive": e.hold_band}
    assert e.flip_band == expected_flip[verdict]


def test_flip_bands_on_exact_intervals():
    holds = equivalence((0.25, 0.5), 0.375, 0.25, level=0.9, n=8, reason="r")
    assert (holds.verdict, holds.hold_band, holds.fail_band, holds.flip_band) == \
        ("holds", 0.125, None, 0.125)
    fails = equivalence((1.0, 1.5), 0.5, 0.25, level=0.9, n=8, reason="r")
    assert (fails.verdict, fails.hold_band, fails.fail_band, fails.flip_band) == \
        ("fails", 1.0, 0.5, 0.5)
    straddles = equivalence((0.5, 1.0), 0.25, 0.5, level=0.9, n=8, reason="r")
    assert (straddles.verdict, straddles.hold_band, straddles.fail_band) == \
        ("inconclusive", 0.75, 0.25)
    # the ends are inside the band: an interval touching predicted +- band still holds
    assert equivalence((-0.5, 0.5), 0.0, 0.5, level=0.9, n=8, reason="r").verdict == "holds"
    # touching from outside is not yet "fails"
    assert equivalence((0.5, 0.75), 0.0, 0.5, level=0.9, n=8, reason="r").verdict == \
        "inconclusive"


def test_text_states_the_interval_the_band_its_reason_and_the_flip():
    common = dict(level=0.95, n=32, unit="chains", reason="finite-size drift")
    assert equivalence((0.47, 0.53), 0.5, 0.05, **common).text() == (
        "95% interval [0.47, 0.53] from n = 32 chains lies inside 0.5 +- 0.05 "
        "(band: finite-size drift); holds for any band >= 0.03")
    assert equivalence((0.75, 0.875), 0.5, 0.125, **common).text() == (
        "95% interval [0.75, 0.875] from n = 32 chains lies wholly outside 0.5 +- 0.125 "
        "(band: finite-size drift); fails for any band < 0.25")
    assert equivalence((0.25, 0.875), 0.5, 0.125, **common).text() == (
        "95% interval [0.25, 0.875] from n = 32 chains is neither inside nor wholly outside "
        "0.5 +- 0.125 (band: finite-size drift): inconclusive; holds for any band >= 0.375, "
        "no band refutes it (the interval contains the prediction)")
    assert equivalence((0.5625, 0.875), 0.5, 0.125, **common).text() == (
        "95% interval [0.5625, 0.875] from n = 32 chains is neither inside nor wholly outside "
        "0.5 +- 0.125 (band: finite-size drift): inconclusive; holds for any band >= 0.375, "
        "fails for any band < 0.0625")
    assert equivalence(None, 0.5, 0.125, **common).text() == (
        "no 95% interval could be computed from n = 32 chains: inconclusive against "
        "0.5 +- 0.125 (band: finite-size drift)")


def test_an_interval_that_could_not_be_computed_is_inconclusive():
    e = equivalence(None, 1.0, 0.5, level=0.95, n=4, reason="r")
    assert (e.verdict, e.interval, e.hold_band, e.fail_band, e.flip_band) == \
        ("inconclusive", None, None, None, None)


def test_the_result_is_frozen():
    e = equivalence((0.0, 1.0), 0.5, 1.0, level=0.95, n=4, reason="r")
    with pytest.raises(AttributeError):
        e.verdict = "fails"


GOOD = dict(interval=(0.0, 1.0), predicted=0.5, band=1.0, level=0.95, n=4, reason="r")


@pytest.mark.parametrize("change, parameter", [
    (dict(interval=(0.0, float("nan"))), "interval"),
    (dict(interval=(float("-inf"), 1.0)), "interval"),
    (dict(interval=(1.0, 0.0)), "interval"),
    (dict(interval=(0.0, 0.5, 1.0)), "interval"),
    (dict(interval=("0", 1.0)), "interval"),
    (dict(interval=5.0), "interval"),
    (dict(predicted=float("nan")), "predicted"),
    (dict(predicted=None), "predicted"),
    (dict(band=0.0), "band"),
    (dict(band=-0.1), "band"),
    (dict(band=float("inf")), "band"),
    (dict(level=0.0), "level"),
    (dict(level=95), "level"),
    (dict(n=0), "n"),
    (dict(n=2.5), "n"),
    (dict(n=True), "n"),
    (dict(reason=""), "reason"),
    (dict(reason="   "), "reason"),
    (dict(reason=None), "reason"),
])
def test_bad_inputs_name_the_parameter(change, parameter):
    arguments = {**GOOD, **change}
    interval, predicted, band = (arguments.pop(k) for k in ("interval", "predicted", "band"))
    with pytest.raises(InputError, match=f"^{parameter}: ") as caught:
        equivalence(interval, predicted, band, **arguments)
    assert caught.value.parameter == parameter


@pytest.mark.parametrize("change, parameter", [
    (dict(samples=[1.0, float("nan"), 2.0]), "samples"),
    (dict(samples=[1.0]), "samples"),
    (dict(samples=[[1.0, 2.0], [3.0, 4.0]]), "samples"),
    (dict(samples=["a", "b"]), "samples"),
    (dict(rng=0), "rng"),
    (dict(replicates=1), "replicates"),
    (dict(statistic="mean"), "statistic"),
    (dict(statistic=lambda x, axis: np.full(x.shape[0], np.nan)), "statistic"),
    (dict(band=0), "band"),
    (dict(level=1.5), "level"),
    (dict(reason=""), "reason"),
])
def test_bad_inputs_to_the_bootstrap_name_the_parameter(change, parameter):
    arguments = dict(samples=[1.0, 2.0, 3.0], predicted=2.0, band=0.5, level=0.95, reason="r",
                     rng=np.random.default_rng(0))
    arguments.update(change)
    samples, predicted, band = (arguments.pop(k) for k in ("samples", "predicted", "band"))
    with pytest.raises(InputError, match=f"^{parameter}: "):
        equivalence_from_samples(samples, predicted, band, **arguments)


def test_the_bootstrap_is_reproducible_and_takes_any_numpy_reduction():
    x = np.random.default_rng(7).normal(0.0, 1.0, size=300)
    first = equivalence_from_samples(x, 0.0, 0.5, rng=np.random.default_rng(8), **COMMON)
    again = equivalence_from_samples(x, 0.0, 0.5, rng=np.random.default_rng(8), **COMMON)
    assert first == again and first.n == 300
    median = equivalence_from_samples(x, 0.0, 0.5, rng=np.random.default_rng(8),
                                      statistic=np.median, unit="chains", **COMMON)
    assert median.verdict == "holds" and median.unit == "chains"
    assert median.interval[0] <= np.median(x) <= median.interval[1]


# -- a smaller sample can only lose a decisive verdict ---------------------------------------

def test_shrinking_the_sample_moves_holds_to_inconclusive_never_back():
    """Prefixes of one normal sample whose mean (0.02) lies inside the band (0.1)."""
    x = np.random.default_rng(2024).normal(PREDICTED + 0.02, 1.0, size=20000)
    verdicts = []
    for n in [20000, 5000, 2000, 500, 100, 20, 5]:
        e = equivalence_from_samples(x[:n], PREDICTED, BAND, rng=np.random.default_rng(n),
                                     **COMMON)
        if e.interval[1] - e.interval[0] > 2 * BAND:
            assert e.verdict != "holds"  # too wide to fit inside the band, whatever it is
        verdicts.append(e.verdict)
    assert verdicts[0] == "holds" and verdicts[-1] == "inconclusive"
    first_lost = verdicts.index("inconclusive")
    assert set(verdicts[:first_lost]) == {"holds"}
    assert set(verdicts[first_lost:]) == {"inconclusive"}


finite = st.floats(-1e6, 1e6, allow_nan=False)
spread = st.floats(0, 1e6, allow_nan=False)


@given(low=finite, width=spread, predicted=finite, band=st.floats(1e-6, 1e6),
       wider_low=spread, wider_high=spread)
def test_a_wider_interval_never_creates_a_decisive_verdict(low, width, predicted, band,
                                                         wider_low, wider_high):
    narrow = equivalence((low, low + width), predicted, band, level=0.95, n=10, reason="r")
    wide = equivalence((low - wider_low, low + width + wider_high), predicted, band,
                       level=0.95, n=5, reason="r")
    if wide.verdict != "inconclusive":
        assert narrow.verdict == wide.verdict


# -- calibration -----------------------------------------------------------------------------

def test_the_95_percent_interval_covers_the_truth_in_93_to_97_percent_of_seeds():
    """Truth exactly at the prediction, a small band, n = 50 normal samples.

    The percentile bootstrap of the mean is a little narrow at n = 50 (it uses the sample's
    own spread, without the t correction): its coverage is about
    P(|t_49| < 1.96 sqrt(49/50)) = 94.2%. Over 400 seeds the binomial spread (1.2%) would put
    that outside 93-97% about one time in six (seeds 0-399 give 92.0%), so the test uses 4000
    seeds (spread 0.4%).
    """
    seeds, missed, failed = 4000, 0, 0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        e = equivalence_from_samples(rng.normal(PREDICTED, 1.0, size=50), PREDICTED, 0.01,
                                     rng=rng, replicates=1000, **COMMON)
        missed += not e.interval[0] <= PREDICTED <= e.interval[1]
        failed += e.verdict == "fails"
    assert 0.93 <= 1 - missed / seeds <= 0.97
    # a true statement "fails" only when its interval misses the truth: at most 1 - level
    assert failed <= missed <= expected_false_verdicts(seeds, 0.95) * 1.2


# -- the TOST p-value ------------------------------------------------------------------------

@pytest.mark.parametrize("mean", [0.0, 0.05, 0.09, 0.1, 0.2])
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_tost_p_value_agrees_with_the_t_interval_of_the_mean(mean, seed):
    """p <= (1 - level) / 2 exactly when the level-t interval of the mean lies in the band."""
    x = np.random.default_rng(seed).normal(mean, 0.2, size=40)
    level = 0.95
    half = scipy_stats.t.ppf((1 + level) / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    t_interval = (x.mean() - half, x.mean() + half)
    holds = equivalence(t_interval, PREDICTED, BAND, level=level, n=x.size, reason="r")
    p = tost_p_value(x, PREDICTED, BAND)
    assert 0 <= p <= 1
    assert (p <= (1 - level) / 2) == (holds.verdict == "holds")


def test_tost_p_value_on_identical_samples_and_bad_inputs():
    assert tost_p_value([0.5, 0.5, 0.5], 0.5, 0.1) == 0.0
    assert tost_p_value([0.6, 0.6, 0.6], 0.5, 0.1) == 1.0
    with pytest.raises(InputError, match="^band: "):
        tost_p_value([0.1, 0.2], 0.0, 0.0)
    with pytest.raises(InputError, match="^samples: "):
        tost_p_value([0.1], 0.0, 0.1)


# -- Holm, stability, the count of chance errors ---------------------------------------------

def test_holm_on_the_textbook_example():
    # sorted: 0.005 <= 0.05/4 rejected; 0.01 <= 0.05/3 rejected; 0.03 > 0.05/2: stop
    assert holm([0.01, 0.04, 0.03, 0.005], 0.05) == [True, False, False, True]


@pytest.mark.parametrize("p_values, level, rejected", [
    # thresholds 0.0125, 0.01667, 0.025, 0.05: every one passes
    ([0.04, 0.001, 0.014, 0.012], 0.05, [True, True, True, True]),
    # the smallest already fails its threshold 0.05/3: nothing is rejected
    ([0.02, 0.021, 0.03], 0.05, [False, False, False]),
    # 0.004 <= 0.01/2, then 0.009 <= 0.01/1
    ([0.009, 0.004], 0.01, [True, True]),
    # ties: 0.001 <= 0.05/3; then 0.03 > 0.05/2, so both 0.03 are kept
    ([0.03, 0.03, 0.001], 0.05, [False, False, True]),
    # ties: 0.001 <= 0.05/3; 0.02 <= 0.05/2; 0.02 <= 0.05/1: all rejected
    ([0.02, 0.02, 0.001], 0.05, [True, True, True]),
    ([], 0.05, []),
    ([0.0], 0.05, [True]),
    ([1.0], 0.05, [False]),
])
def test_holm_against_hand_computed_cases(p_values, level, rejected):
    assert holm(p_values, level) == rejected


def test_holm_lies_between_bonferroni_and_no_correction():
    rng = np.random.default_rng(5)
    for _ in range(200):
        p = rng.uniform(0, 0.1, size=rng.integers(1, 12)) ** 2
        m = p.size
        rejected = holm(list(p), 0.05)
        for value, r in zip(p, rejected):
            if value <= 0.05 / m:
                assert r  # Bonferroni rejects it, so Holm does
            if r:
                assert value <= 0.05


@pytest.mark.parametrize("p_values, level, parameter", [
    ([0.01, 1.5], 0.05, "p_values"), ([float("nan")], 0.05, "p_values"),
    ([-0.1], 0.05, "p_values"), (["x"], 0.05, "p_values"), (None, 0.05, "p_values"),
    ([True], 0.05, "p_values"), ([0.01], 0.95, "level"), ([0.01], 0.0, "level"),
])
def test_holm_refuses_bad_inputs(p_values, level, parameter):
    with pytest.raises(InputError, match=f"^{parameter}: "):
        holm(p_values, level)


def test_stability_reports_the_majority_and_the_fraction_that_agrees():
    assert stability(["holds", "holds", "inconclusive"]) == Stability(2 / 3, "holds")
    assert stability(["fails"] * 5) == (1.0, "fails")
    e = equivalence((0.0, 1.0), 0.5, 1.0, level=0.95, n=4, reason="r")
    assert stability([e, e, "inconclusive"]).verdict == "holds"
    # a tie is no agreement: inconclusive, with the share that said so
    assert stability(["holds", "fails"]) == (0.0, "inconclusive")
    assert stability(["holds", "inconclusive"]) == (0.5, "inconclusive")
    assert stability(["holds", "holds", "fails", "fails", "inconclusive"]) == \
        (0.2, "inconclusive")
    assert set(VERDICTS) == {"holds", "fails", "inconclusive"}


@pytest.mark.parametrize("verdicts", [[], ["maybe"], [None], 3])
def test_stability_refuses_what_is_not_a_verdict(verdicts):
    with pytest.raises(InputError, match="^verdicts: "):
        stability(verdicts)


def test_expected_false_verdicts():
    assert expected_false_verdicts(40, 0.95) == pytest.approx(2.0)
    assert expected_false_verdicts(0, 0.9) == 0
    with pytest.raises(InputError, match="^count: "):
        expected_false_verdicts(-1, 0.95)
    with pytest.raises(InputError, match="^level: "):
        expected_false_verdicts(10, 95)


@given(low=finite, width=spread, predicted=finite, band=st.floats(1e-6, 1e6))
def test_every_decisive_verdict_has_a_p_value_within_its_nominal_bound(low, width, predicted,
                                                                       band):
    e = equivalence((low, low + width), predicted, band, level=0.95, n=10, reason="r")
    if e.verdict == "inconclusive":
        assert e.p_value is None
    else:
        assert 0 <= e.p_value <= ((1 - 0.95) / 2 if e.verdict == "holds" else 1 - 0.95)
        assert e.p_kind == "normal"
