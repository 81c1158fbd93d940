import mpmath
import pytest

from rgproof.core import series as series_core
from rgproof.core.errors import InputError
from rgproof.core.precision import (
    ArbContext,
    agreed_digits,
    arb_to_mpf,
    ball,
    certify,
    compare,
    series_function,
    workdps,
)


def test_workdps_restores_after_exception():
    before = mpmath.mp.prec
    with pytest.raises(ZeroDivisionError):
        with workdps(80):
            assert mpmath.mp.dps == 80
            raise ZeroDivisionError
    assert mpmath.mp.prec == before


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
