"""rgproof.invert: fast methods only where two agree, Post-Widder otherwise, never over-certified."""
import mpmath
import pytest

import rgproof
from rgproof.core.errors import InputError
from rgproof.core.precision import agreed_digits, workdps
from rgproof.topics import inversion

ONE = mpmath.mpf(1)


def square_wave(t):
    return ONE if int(mpmath.floor(t)) % 2 == 0 else -ONE


#: (name, F, exact f, t, dps): large t, growing and oscillating f, jumps; where mpmath's fast
#: methods fail silently, and some of them agree with themselves while wrong.
HARD_CASES = [
    ("sinh(3t)/3", lambda p: 1 / (p * p - 9), lambda t: mpmath.sinh(3 * t) / 3, 10, 30),
    ("sinh(3t)/3", lambda p: 1 / (p * p - 9), lambda t: mpmath.sinh(3 * t) / 3, 20, 30),
    ("exp(5t)", lambda p: 1 / (p - 5), lambda t: mpmath.exp(5 * t), 10, 30),
    ("sin(20t)", lambda p: 20 / (p * p + 400), lambda t: mpmath.sin(20 * t), 5, 30),
    ("sin(50t)", lambda p: 50 / (p * p + 2500), lambda t: mpmath.sin(50 * t), 10, 15),
    ("cos(8t)", lambda p: p / (p * p + 64), lambda t: mpmath.cos(8 * t), 10, 30),
    ("exp(-t) sin(30t)", lambda p: 30 / ((p + 1) ** 2 + 900),
     lambda t: mpmath.exp(-t) * mpmath.sin(30 * t), 4, 30),
    ("square wave", lambda p: mpmath.tanh(p / 2) / p, square_wave, 5.5, 15),
    ("J0(t)", lambda p: 1 / mpmath.sqrt(p * p + 1), lambda t: mpmath.besselj(0, t), 30, 30),
    ("t exp(-t)", lambda p: 1 / (p + 1) ** 2, lambda t: t * mpmath.exp(-t), 40, 30),
]


def correct_digits(value, exact, dps):
    with workdps(3 * dps):
        return agreed_digits(value, exact, dps)


@pytest.mark.parametrize("name, F, f, t, dps", HARD_CASES, ids=[
    f"{case[0]} at t={case[3]}" for case in HARD_CASES])
def test_the_door_never_reports_more_digits_than_are_correct(name, F, f, t, dps):
    result = rgproof.invert(F, t, dps=dps)
    with workdps(3 * dps):
        exact = f(mpmath.mpf(t))
    assert result.digits <= correct_digits(result.value, exact, dps), (name, result)
    assert result.kind in ("agreement", "two-precision")


def test_a_fast_method_agreeing_with_itself_while_wrong_is_not_certified():
    # Talbot on the square wave at t = 5.5 repeats the same wrong value at two precisions
    F, t, dps = (lambda p: mpmath.tanh(p / 2) / p), mpmath.mpf(5.5), 30
    talbot = inversion.fast_value(F, t, "talbot", dps)
    assert talbot.digits >= 5 and correct_digits(talbot.value, square_wave(t), dps) == 0
    result = inversion.invert(F, t, dps=dps)
    assert result.digits <= correct_digits(result.value, square_wave(t), dps)
    assert result.kind == "two-precision"  # no second method agreed: Post-Widder answered


def test_agreeing_fast_methods_are_labelled_agreement_and_correct():
    result = rgproof.invert(lambda p: 1 / (p * p - 9), 1, dps=30)
    assert result.kind == "agreement" and result.digits == 30
    assert "agree" in result.reason
    with workdps(60):
        assert correct_digits(result.value, mpmath.sinh(3) / 3, 30) >= 30


def test_without_agreement_the_door_falls_back_to_post_widder(monkeypatch):
    # one fast method only: no pair can agree, so Post-Widder certifies by its two runs
    result = inversion.invert(lambda p: 1 / (p + 1), 1, dps=20, methods=("cohen",))
    assert result.kind == "two-precision" and result.digits == 20
    assert "Post-Widder" in result.reason
    with workdps(40):
        assert correct_digits(result.value, mpmath.exp(-1), 20) >= 20


def test_a_method_that_raises_is_skipped(monkeypatch):
    def failing_talbot(F, t, dps):
        raise ZeroDivisionError("contour")

    monkeypatch.setitem(inversion.METHODS, "talbot", failing_talbot)
    result = inversion.invert(lambda p: 1 / (p + 2), 1, dps=20)
    assert result.kind == "agreement" and "talbot" not in result.reason


#: mpmath's invertlaplace docstring cases where both Talbot and Cohen converge
DOCSTRING_CASES = [(lambda p: 1 / (p + 1) ** 2, 1), (lambda p: mpmath.log(p) / p, 0.1),
                   (lambda p: 1 / (p * p - 9), 1)]


@pytest.mark.parametrize("method", ["talbot", "cohen", "dehoog"])
@pytest.mark.parametrize("case", range(len(DOCSTRING_CASES)))
@pytest.mark.parametrize("dps", [15, 40])
def test_our_fast_methods_are_mpmaths_to_the_working_precision(method, case, dps):
    """The cached nodes change the cost, not the method: on the same F, t and dps the value is
    mpmath's own to the dps digits asked for (beyond them both carry the method's cancellation
    error, which differs in the rounding), twice (the second with the nodes cached)."""
    F, t = DOCSTRING_CASES[case]
    degree = {"talbot": 2 * dps}.get(method)  # ours: M = 2 dps terms at M digits
    with workdps(dps):
        theirs = mpmath.invertlaplace(F, t, method=method,
                                      **({} if degree is None else {"degree": degree}))
    for _ in range(2):
        ours = inversion.METHODS[method](F, t, dps)
        assert agreed_digits(ours, theirs, dps + 3) >= dps
    assert mpmath.mp.dps == 15


@pytest.mark.parametrize("arguments, parameter", [
    ((42, 1), "F"), ((lambda p: 1 / p, 0), "t"), ((lambda p: 1 / p, 1, 2), "dps"),
    ((lambda p: 1 / p, 1, 20, None, ("euler",)), "methods"),
    ((lambda p: 1 / p, 1, 20, None, "cohen"), "methods")])
def test_the_door_rejects_bad_input(arguments, parameter):
    with pytest.raises(InputError) as error:
        inversion.invert(*arguments)
    assert error.value.parameter == parameter
