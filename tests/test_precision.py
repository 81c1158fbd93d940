import math

import mpmath
import pytest

from rgproof.core import precision
from rgproof.core import series as series_core
from rgproof.core.errors import InputError
from rgproof.core.precision import (
    ArbContext,
    Certified,
    agreed_digits,
    arb_to_mpf,
    ball,
    cancellation_digits,
    certify,
    compare,
    digits_from_error,
    series_function,
    workdps,
)


def test_workdps_restores_after_exception():
    with pytest.raises(ZeroDivisionError):
        with workdps(80):
            assert mpmath.mp.dps == 80
            raise ZeroDivisionError
    # the conftest fixture checks that mp.prec was restored


@pytest.mark.parametrize("dps", [0, 4, -3, 2.5, "50", 10**6])
def test_workdps_rejects_bad_dps(dps):
    with pytest.raises(InputError, match="dps"):
        with workdps(dps):
            pass


def test_agreed_digits():
    assert agreed_digits(mpmath.mpf(1), mpmath.mpf(1), 30) == 30
    assert agreed_digits(mpmath.mpf("1.000001"), mpmath.mpf(1), 30) == 6
    assert agreed_digits(0, mpmath.mpf("1e-5"), 30) == 0
    assert agreed_digits(mpmath.mpf(2), mpmath.mpf(-2), 30) == 0


def test_certify_detects_cancellation():
    # (1 + 1e-40) - 1 at 30 digits is 0; at higher precision it is 1e-40: no digits agree.
    c = certify(lambda: (1 + mpmath.mpf(10) ** -40) - 1, dps=30)
    assert c.digits == 0
    assert certify(lambda: mpmath.sqrt(2), dps=60).digits == 60


def test_certify_sequence():
    out = certify(lambda: [mpmath.pi, mpmath.e], dps=25)
    assert [c.digits for c in out] == [25, 25]
    with workdps(40):
        assert mpmath.almosteq(out[1].value, mpmath.e, 1e-24)


def test_compare_finds_a_difference():
    c = compare(lambda: mpmath.mpf(1) / 3, lambda: mpmath.mpf("0.333333"), 40)
    assert c.certified == 40
    assert c.agree == 6
    assert c.differs()


# --------------------------------------------------------------------------- ball arithmetic

def test_ball_digits_come_from_the_radius_and_flint_precision_is_restored():
    flint = pytest.importorskip("flint")
    saved = flint.ctx.prec
    x = ball(lambda ctx: ctx.log(ctx.mpf(2)), dps=40)
    with workdps(45):
        assert x.digits == 40 and abs(x.value / mpmath.log(2) - 1) < mpmath.mpf(10) ** -39
    # a ball that is wide on purpose (an input known to 10 digits) certifies only ~10 digits
    wide = ball(lambda ctx: ctx.exp(ctx.mpf(2) + flint.arb(0, "1e-10")), dps=40)
    assert 8 <= wide.digits <= 10
    with pytest.raises(ZeroDivisionError):
        ball(lambda ctx: 1 / 0, dps=60)
    assert flint.ctx.prec == saved


def test_arb_context_converts_binary_and_rational_inputs_exactly():
    flint = pytest.importorskip("flint")
    import sympy
    ctx = ArbContext(flint)
    assert ctx.mpf(0.1).rad() == 0 and ctx.mpf(mpmath.mpf(1) / 3).rad() == 0
    # the sign survives (mpmath's man_exp drops it), and arb_to_mpf is the exact way back
    for value in (mpmath.mpf(-1.5), -0.1, mpmath.mpf(-1) / 3, mpmath.mpf("-1e-400")):
        ball_value = ctx.mpf(value)
        assert ball_value.rad() == 0 and arb_to_mpf(ball_value) == mpmath.mpf(value)
    third = ctx.mpf(sympy.Rational(1, 3))
    assert (third * 3).contains(1)
    with pytest.raises(AttributeError):
        ctx.gamma


def test_ball_rejects_a_non_ball_result():
    pytest.importorskip("flint")
    with pytest.raises(InputError, match="compute: must return a finite arb ball"):
        ball(lambda ctx: 1.5, dps=20)


def test_ball_without_flint_is_a_clear_error(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_flint(name, *args, **kwargs):
        if name == "flint":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_flint)
    with pytest.raises(InputError, match="python-flint"):
        ball(lambda ctx: ctx.log(2), dps=20)


@pytest.mark.parametrize("value", [mpmath.inf, -mpmath.inf, mpmath.nan, float("nan"),
                                   float("inf"), mpmath.mpc(1, 1), [1.0]])
def test_ball_refuses_non_finite_or_unknown_inputs(value):
    pytest.importorskip("flint")
    with pytest.raises(InputError, match="ball input"):
        ball(lambda ctx: ctx.exp(ctx.mpf(value)), dps=20)


def test_series_function_matches_the_recurrences_and_restores_flint():
    flint = pytest.importorskip("flint")
    saved = flint.ctx.prec, flint.ctx.cap
    with workdps(60):
        b = [mpmath.mpf(0)] + [(-1) ** k / mpmath.mpf(k + 1) ** 3 for k in range(1, 40)]
        fast = series_function("exp", b)
        with pytest.MonkeyPatch.context() as patch:  # the mpmath recurrence, as without flint
            patch.setattr(series_core, "series_function", lambda name, coefficients: None)
            slow = series_core.exp_series(b)
            slow_log = series_core.log_series(slow)
        assert all(agreed_digits(x, y, 60) >= 57 for x, y in zip(fast, slow))
        assert all(agreed_digits(x, y, 60) >= 55 for x, y in zip(series_core.log_series(fast)[1:],
                                                                 slow_log[1:]))
    assert (flint.ctx.prec, flint.ctx.cap) == saved
    assert series_function("exp", [0, mpmath.mpc(1, 1)]) is None
    assert series_function("sin", [0, 1]) is None


# ------------------------------------------------- digits from an error, digits lost to cancellation

@pytest.mark.parametrize("error, scale, cap, digits", [
    (mpmath.mpf("3e-7"), 1, 16, 6),
    (mpmath.mpf("-3e-7"), -1, 16, 6),       # signs do not matter
    (mpmath.mpf("2e-40"), 1, 30, 30),       # clamped to the cap
    (mpmath.mpf("2e-40"), 1, None, 39),     # no cap: no clamp from above
    (0, 1, 16, 16), (0, 0, 16, 16),         # a zero error keeps every digit
    (5, 5, 16, 0), (7, 5, 16, 0),           # an error as large as the scale leaves none
    (1, 0, 16, 0),                          # so does a zero scale
    (mpmath.inf, 1, 16, 0), (-mpmath.inf, mpmath.inf, 16, 0), (mpmath.nan, 1, None, 0),
])
def test_digits_from_error(error, scale, cap, digits):
    assert digits_from_error(error, scale, cap) == digits


def test_digits_from_error_needs_a_cap_for_a_zero_error():
    with pytest.raises(InputError) as info:
        digits_from_error(0, 1)
    assert info.value.parameter == "cap"


def _agreed_digits_before(a, b, cap):
    """The copy that agreed_digits was (the reference for bit-identical digits)."""
    a, b = mpmath.mpmathify(a), mpmath.mpmathify(b)
    scale, diff = max(abs(a), abs(b)), abs(a - b)
    if diff == 0:
        return cap
    if scale == 0:
        return 0
    return max(0, min(cap, int(mpmath.floor(-mpmath.log10(diff / scale)))))


def test_agreed_digits_are_digits_from_the_difference(monkeypatch):
    with workdps(40):
        pairs = [(mpmath.mpf(1) / 3 * mpmath.mpf(10) ** e, mpmath.mpf(1) / 3 * mpmath.mpf(10) ** e
                  * (1 + s * mpmath.mpf(10) ** -k)) for e in (-30, 0, 25) for k in range(0, 45, 3)
                 for s in (1, -1, 7)] + [(0, 0), (0, 1), (2, -2), (mpmath.mpf("1e-5"), 0)]
        for a, b in pairs:
            for cap in (5, 30, 60):
                assert agreed_digits(a, b, cap) == _agreed_digits_before(a, b, cap)
    calls = []
    monkeypatch.setattr(precision, "digits_from_error",
                        lambda *a: calls.append(a) or digits_from_error(*a))
    assert agreed_digits(mpmath.mpf("1.2345"), mpmath.mpf("1.2346"), 50) == 4 and len(calls) == 1
    assert certify(lambda: mpmath.mpf(1) / 3, dps=20).digits == 20 and len(calls) == 2
    # a side that is not finite agrees to no digit (the former copy raised from int(nan))
    assert agreed_digits(mpmath.inf, mpmath.inf, 30) == agreed_digits(mpmath.nan, 1, 30) == 0


def test_ball_digits_come_from_the_shared_digits_from_error(monkeypatch):
    pytest.importorskip("flint")
    calls = []
    monkeypatch.setattr(precision, "digits_from_error",
                        lambda *a: calls.append(a) or digits_from_error(*a))
    result = ball(lambda ctx: ctx.log(2), dps=20)
    assert result.digits == 20 and len(calls) == 1 and calls[0][2] == 20
    rad, mid, _ = calls[0]
    with workdps(25):  # the former copy: floor(-log10(rad / |mid|)) clamped to [0, dps]
        assert max(0, min(20, int(mpmath.floor(-mpmath.log10(rad / abs(mid)))))) == result.digits


@pytest.mark.parametrize("largest, total, digits", [
    (1000, mpmath.mpf("-0.5"), 4),          # log10 2000 = 3.3: rounded up
    (mpmath.mpf(999), 1, 3), (mpmath.mpf(1001), 1, 4), (100, 1, 2),
    (3, 10, 0),                             # a sum larger than its largest term loses none
    (5, 0, 0), (0, 2, 0), (0, 0, 0),        # a zero total, a zero largest term: none
    (mpmath.mpf(250), None, 3), (mpmath.mpf("0.5"), None, 0), (0, None, 0),  # the ratio itself
])
def test_cancellation_digits(largest, total, digits):
    assert cancellation_digits(largest, total) == digits


def test_cancellation_digits_refuses_a_negative_largest_term():
    with pytest.raises(InputError) as info:
        cancellation_digits(-1, 2)
    assert info.value.parameter == "largest"


def test_cancellation_digits_match_the_former_copies():
    with workdps(60):
        cases = [(mpmath.mpf(1) / 3 * mpmath.mpf(10) ** e, mpmath.mpf(1) / 7 * s)
                 for e in range(-5, 50, 4) for s in (1, -1, mpmath.mpf(10) ** -9)]
    with workdps(20):
        for largest, total in cases:
            transform_copy = 0 if total == 0 else math.ceil(mpmath.log10(largest / abs(total)))
            zeros_copy = max(0, math.ceil(float(mpmath.log10(largest / abs(mpmath.mpf(total))))))
            assert cancellation_digits(largest, total) == max(0, transform_copy) == zeros_copy
            assert cancellation_digits(largest) == max(0, math.ceil(mpmath.log10(largest)))


def _recording(monkeypatch, module, name):
    """Replace ``module.name`` by a pass-through to the shared function that records each call."""
    shared = getattr(precision, name)
    calls = []
    monkeypatch.setattr(module, name, lambda *a: calls.append(a) or shared(*a))
    return calls


def test_former_copies_import_the_shared_functions():
    from rgproof.claims import laplace as laplace_claims
    from rgproof.claims import rbm as rbm_claims
    from rgproof.core import oracle

    for module in (laplace_claims, rbm_claims):
        assert module.digits_from_error is precision.digits_from_error
    assert not hasattr(oracle, "digits_from_error")


def test_no_other_module_counts_digits_from_a_logarithm():
    import pathlib
    import re

    import rgproof

    root = pathlib.Path(rgproof.__file__).parent
    copy = re.compile(r"(floor|ceil)\(\s*(-\s*)?(float\()?mpmath\.log10")
    found = [f"{path.relative_to(root)}:{number}" for path in sorted(root.rglob("*.py"))
             if path != root / "core" / "precision.py"
             for number, line in enumerate(path.read_text().splitlines(), 1) if copy.search(line)]
    assert found == []


def test_lgw_float_checks_count_digits_through_digits_from_error(monkeypatch):
    from rgproof.topics import lgw

    calls = _recording(monkeypatch, lgw, "digits_from_error")
    numeric = lgw.transform([[1.0, 1.0], [1.0, 1.0]], [1, 2], b=[1, 1], dps=30)
    checks = lgw.verify(numeric).checks
    assert len(calls) == 4 and all(cap == 30 for *_, cap in calls)
    assert sorted(checks.values()) == sorted(digits_from_error(*call) for call in calls)
    assert lgw._digits([0, 0], 0, 7) == 7 and lgw._digits([1], 0, 7) == 0
    assert lgw._digits([mpmath.mpf(2) ** -70], 1, 30) == 21  # 2^-70 = 8.5e-22


def test_laplace_series_and_zero_scan_raise_precision_through_cancellation_digits(monkeypatch):
    from rgproof.topics.laplace import transform as transform_topic
    from rgproof.topics.laplace import zeros as zeros_topic

    calls = _recording(monkeypatch, transform_topic, "cancellation_digits")
    with workdps(20):
        transform_topic.quartic_radial_integral(3, 1, 0)  # theta_1 > 0: the series alternates
    assert calls and all(largest >= abs(total) for largest, total in calls)
    calls = _recording(monkeypatch, zeros_topic, "cancellation_digits")
    scan = zeros_topic.imaginary_zeros([1, 1], 3, count=1, dps=20)
    assert len(scan) == 1 and len(calls) >= 2  # each scanned sample, and the refined zero


def test_post_widder_runs_raise_precision_through_cancellation_digits(monkeypatch):
    from rgproof.topics import postwidder

    calls = _recording(monkeypatch, postwidder, "cancellation_digits")
    result = postwidder.invert(lambda s: 1 / (s + 1), 1, dps=20)
    assert result.digits == 20 and calls
    assert all(largest >= 0 for largest, _ in calls)


def test_recover_theta_counts_digits_through_the_shared_functions(monkeypatch):
    from rgproof.topics import theorem31

    theta, log_norm, N, times = (mpmath.mpf(1) / 2, mpmath.mpf(1) / 4), mpmath.mpf(1) / 3, 1, (1, 2, 3)

    class Source:
        """The moment chain skipped: the inversion below is handed the exact density instead."""
        exhausted, moment_dps, moments, history = None, 30, [0] * 9, [(8, 30, 0)]

        def __init__(self, cumulants, N, max_dps):
            self.cumulants = cumulants

        def derivative(self, k, p):
            raise AssertionError("not called: invert_terms is replaced")

    def invert_terms(terms, t, dps, **options):  # u^(N/2-1) e^(-H(u)) / norm at u = t, 25 digits
        with workdps(40):
            u = mpmath.mpf(t)
            density = u ** (mpmath.mpf(N) / 2 - 1) * mpmath.exp(-theta[0] * u - theta[1] * u ** 2
                                                                 - log_norm)
        with workdps(25):
            return Certified(+density, 25, 25)

    monkeypatch.setattr(theorem31, "MomentTransform", Source)
    monkeypatch.setattr(theorem31, "invert_terms", invert_terms)
    spreads = _recording(monkeypatch, theorem31, "cancellation_digits")
    errors = _recording(monkeypatch, theorem31, "digits_from_error")
    recovered = theorem31.recover_theta(lambda order: [mpmath.mpf(0)] * (order + 1), N, 2, times,
                                        digits=20, shifts=(0, 0, 0))  # untilted: no tilt()
    assert len(spreads) == 1 and len(spreads[0]) == 1  # the Vandermonde spread: no total
    assert len(errors) == 3 and all(scale == 1 and cap == 20 for _, scale, cap in errors)
    for (ratio, _, _), got in zip(errors, (*recovered.theta, recovered.constant)):
        # the former copy: floor(-log10(err / |value|)) clamped to [0, 20]
        assert got.digits == max(0, min(20, int(mpmath.floor(-mpmath.log10(ratio)))))
    with workdps(30):
        for got, exact in zip((*recovered.theta, recovered.constant), (*theta, log_norm)):
            assert got.digits >= 18 and agreed_digits(got.value, exact, 30) >= got.digits


# --------------------------------------------------------------------------- non-finite values

@pytest.mark.parametrize("value, shown", [(mpmath.inf, "+inf"), (-mpmath.inf, "-inf"),
                                          (mpmath.nan, "nan")])
def test_certify_gives_no_digits_and_the_reason_for_a_value_that_is_not_finite(value, shown):
    got = certify(lambda: value, 30)
    assert got.digits == 0
    assert got.reason == f"not finite: {shown} at 30 working digits, {shown} at 45"
    assert certify(lambda: mpmath.pi, 30).reason == ""


def test_certify_of_an_overflow_at_one_precision_names_both_values():
    # finite at 30 digits, not at 45: no digits, and the reason quotes both
    got = certify(lambda: mpmath.mpf(1) if mpmath.mp.dps == 30 else mpmath.inf, 30)
    assert got.digits == 0 and got.reason == "not finite: 1.0 at 30 working digits, +inf at 45"


def test_one_overflowing_entry_leaves_the_others_of_a_list_certified():
    got = certify(lambda: [mpmath.mpf(1) / 3, mpmath.mpf(1e308 * 10)], 25)
    assert [c.digits for c in got] == [25, 0]
    assert got[0].reason == "" and got[1].reason.startswith("not finite: +inf")


def test_agreed_and_error_digits_of_values_that_are_not_finite_are_zero():
    for value in (mpmath.inf, -mpmath.inf, mpmath.nan):
        assert agreed_digits(value, value, 30) == agreed_digits(value, 1, 30) == 0
        assert agreed_digits(1, value, 30) == 0
        assert digits_from_error(1, value, 30) == digits_from_error(value, 1, 30) == 0


def test_a_comparison_with_a_side_that_is_not_finite_claims_nothing():
    comparison = compare(lambda: mpmath.inf, lambda: mpmath.mpf(1), 20)
    assert comparison.certified == 0 and not comparison.differs()


def test_certify_needs_a_positive_guard():
    # at the same precision twice every digit would agree: a guard of 0 certified anything
    with pytest.raises(InputError) as info:
        certify(lambda: mpmath.mpf(1) / 3, 20, guard=0)
    assert info.value.parameter == "guard"
