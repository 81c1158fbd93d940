"""Post-Widder inversion against known transform pairs and mpmath's invertlaplace."""
import json

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import postwidder as pw
from rgproof.claims import Context, get, run
from rgproof.core.errors import InputError
from rgproof.core.latex import tex
from rgproof.core.precision import agreed_digits
from rgproof.present.derivations import postwidder as postwidder_derivation
from rgproof.topics.postwidder import BoltzmannFactor, invert

mp = mpmath


def _exact(f, t, dps=80):
    """The known inverse at ``t`` to ``dps`` digits."""
    with mp.workdps(dps):
        return f(mp.mpf(t))


def _erfc_transform(p):
    """Closed form of the transform of exp(-u - u^2/2)."""
    a = p + 1
    return mp.sqrt(mp.pi / 2) * mp.exp(a * a / 2) * mp.erfc(a / mp.sqrt(2))


# name: (F, f, t); the inverses are the textbook ones (Abramowitz & Stegun 29.3).
PAIRS = {
    "1/(s+1)": (lambda s: 1 / (s + 1), lambda t: mp.exp(-t), 1),
    "exp(-sqrt s)": (lambda s: mp.exp(-mp.sqrt(s)),
                     lambda t: mp.exp(-1 / (4 * t)) / (2 * mp.sqrt(mp.pi) * t ** 1.5), 1),
    "1/s^2": (lambda s: 1 / s ** 2, lambda t: t, 2),
    "1/(s^2+1)": (lambda s: 1 / (s ** 2 + 1), lambda t: mp.sin(t), 1),
    "s/(s^2+1)": (lambda s: s / (s ** 2 + 1), lambda t: mp.cos(t), 1),
    "1/sqrt(s)": (lambda s: 1 / mp.sqrt(s), lambda t: 1 / mp.sqrt(mp.pi * t), 2),
    "log(s)/s": (lambda s: mp.log(s) / s, lambda t: -mp.euler - mp.log(t), 3),
    "1/(s(s+1))": (lambda s: 1 / (s * (s + 1)), lambda t: 1 - mp.exp(-t), 1),
    "1/(s+1)^2": (lambda s: 1 / (s + 1) ** 2, lambda t: t * mp.exp(-t), 1),
    "atan(1/s)": (lambda s: mp.atan(1 / s), lambda t: mp.sin(t) / t, 1),
    "boltzmann exp(-u-u^2/2)": (_erfc_transform, lambda t: mp.exp(-t - t ** 2 / 2), 1),
}

MPMATH_METHODS = ("talbot", "stehfest", "dehoog", "cohen")
DIGITS = 18


def _mpmath_inverse(F, t, method, dps):
    with mp.workdps(dps):
        return mp.invertlaplace(F, t, method=method)


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_known_pairs_and_mpmath(name):
    F, f, t = PAIRS[name]
    result = invert(F, t, dps=DIGITS)
    exact = _exact(f, t)
    # The certified digits are reached and never overstated.
    assert result.digits == DIGITS
    assert agreed_digits(result.value, exact, 40) >= result.digits
    for method in MPMATH_METHODS:
        theirs = _mpmath_inverse(F, t, method, DIGITS)
        their_digits = agreed_digits(theirs, exact, DIGITS)
        # Where mpmath is right we agree with it to as many digits as it has right.
        assert agreed_digits(result.value, theirs, DIGITS) >= their_digits - 1
        if method != "talbot" or not name.startswith("boltzmann"):
            assert their_digits >= 8, (method, their_digits)


def test_talbot_fails_on_boltzmann_transform():
    # F(p) grows like exp(p^2/2) to the left, where Talbot's contour runs: it returns garbage.
    theirs = _mpmath_inverse(_erfc_transform, 1, "talbot", 30)
    assert agreed_digits(theirs, _exact(lambda t: mp.exp(-t - t ** 2 / 2), 1), 30) == 0


def test_radial_boltzmann_with_quadrature_transform_matches_cohen():
    phi = BoltzmannFactor((1, -sympy.Rational(1, 2), sympy.Rational(1, 3)))
    ours = phi.invert(sympy.Rational(3, 2), dps=30)
    theirs = _mpmath_inverse(phi.transform, 1.5, "cohen", 15)
    exact = _exact(phi, 1.5)
    assert ours.digits == 30 and agreed_digits(ours.value, exact, 40) >= 30
    assert agreed_digits(ours.value, theirs, 15) >= 12


@pytest.mark.parametrize("accelerate", ["wynn", "richardson", "salzer"])
@pytest.mark.parametrize("dps", [20, 60])
def test_accelerators_on_boltzmann_factor(accelerate, dps):
    phi = BoltzmannFactor((1, sympy.Rational(1, 2)))
    result = phi.invert(1, dps=dps, accelerate=accelerate)
    assert result.digits == dps
    assert agreed_digits(result.value, _exact(phi, 1, 150), 150) >= dps


@pytest.mark.parametrize("accelerate", ["wynn", "richardson", "salzer"])
def test_accelerators_with_cauchy_derivatives(accelerate):
    result = invert(lambda s: 1 / (s ** 2 + 1), 2, dps=25, accelerate=accelerate)
    assert result.digits == 25
    assert agreed_digits(result.value, _exact(mp.sin, 2), 40) >= 25


def test_raw_sequence_is_slow_and_reported_honestly():
    result = invert(lambda s: 1 / (s + 1), 1, dps=20, accelerate=None, kmax=64)
    # f_k - f = a_1/k + ...: about two digits at k = 64, and no more are claimed.
    assert 1 <= result.digits <= 3
    assert agreed_digits(result.value, _exact(mp.exp, -1), 20) >= result.digits


def test_digits_are_not_overstated_when_kmax_is_too_small():
    F, f, t = PAIRS["exp(-sqrt s)"]
    result = invert(F, t, dps=30, kmax=12)
    assert result.digits < 30
    assert agreed_digits(result.value, _exact(f, t), 40) >= result.digits


def test_accelerators_on_exact_sequences():
    ks = list(range(1, 9))
    polynomial = [3 + mp.mpf(2) / k - mp.mpf(5) / k ** 3 for k in ks]
    assert mp.almosteq(pw.salzer(ks, polynomial), 3, 1e-12)
    assert mp.almosteq(pw.richardson(ks, polynomial), 3, 1e-12)
    assert mp.almosteq(pw.richardson(ks[::2], polynomial[::2]), 3, 1e-12)
    rational = [(7 + 3 * mp.mpf(k)) / (2 + mp.mpf(k)) for k in ks]
    assert mp.almosteq(pw.wynn_rho(ks, rational), 3, 1e-12)
    with pytest.raises(InputError, match="ks"):
        pw.salzer([2, 3], [1, 1])


@settings(max_examples=8, deadline=None)
@given(t=st.floats(0.2, 5), a=st.floats(0.1, 3))
def test_exponentials_at_random_points(t, a):
    result = invert(lambda s: 1 / (s + a), t, dps=15)
    exact = _exact(lambda x: mp.exp(-mp.mpf(a) * x), t)
    assert result.digits >= 12
    assert agreed_digits(result.value, exact, 30) >= result.digits


# --------------------------------------------------------------------------- derivative sources

def test_cauchy_coefficients_match_exact_derivatives():
    with mp.workdps(40):
        p = mp.mpf(7) / 3
        for k in (0, 1, 5, 30):
            expected = (-1) ** k / (p + 1) ** (k + 1)
            assert agreed_digits(pw.cauchy_coefficient(lambda s: 1 / (s + 1), (p,), k), expected, 40) >= 38


def test_diff_fallback_for_real_only_transform():
    def real_only(p):
        return 1 / (mp.mpf(p) + 1)  # mpf() rejects complex numbers: no Cauchy integrals

    assert not pw._accepts_complex(real_only, (mp.mpf(1),))
    result = invert(real_only, 2, dps=20)
    assert result.digits == 20 and agreed_digits(result.value, _exact(mp.exp, -2), 30) >= 20


def test_exact_derivatives_from_moment_quadrature():
    phi = BoltzmannFactor((1, sympy.Rational(1, 2)))
    result = invert(phi.transform, 1, dps=12, derivatives=phi.derivative)
    assert result.digits == 12 and agreed_digits(result.value, _exact(phi, 1), 30) >= 12


# --------------------------------------------------------------------------- two dimensions

def test_two_dimensional_separable_cauchy_and_exact():
    def F(p, q):
        return 1 / ((p + 1) * (q + 2))

    def mixed(k, p, q):
        return mp.factorial(k) ** 2 / ((p + 1) * (q + 2)) ** (k + 1)  # (-1)^(2k) = 1

    exact = _exact(lambda x: mp.exp(-x - 2 * x / 3), 1)  # t = (1, 1/3)
    for derivatives in (None, mixed):
        result = invert(F, (1, sympy.Rational(1, 3)), dps=15, derivatives=derivatives)
        assert result.digits == 15 and agreed_digits(result.value, exact, 30) >= 15


@pytest.mark.parametrize("F, f", [
    (lambda p, q: 1 / (p * q + 1), lambda a, b: mp.besselj(0, 2 * mp.sqrt(a * b))),
    (lambda p, q: 1 / (p * q + p + q), lambda a, b: mp.exp(-a - b) * mp.besseli(0, 2 * mp.sqrt(a * b))),
])
def test_two_dimensional_non_separable(F, f):
    t1, t2 = mp.mpf(1), mp.mpf(2)
    result = invert(F, (t1, t2), dps=12)
    with mp.workdps(40):
        exact = f(t1, t2)
    assert result.digits == 12 and agreed_digits(result.value, exact, 30) >= 12


# --------------------------------------------------------------------------- Boltzmann helpers

def test_boltzmann_transform_and_derivatives():
    phi = BoltzmannFactor((1, sympy.Rational(1, 2)))
    with mp.workdps(30):
        p = mp.mpf(3) / 2
        assert agreed_digits(phi.transform(p), _erfc_transform(p), 30) >= 28
        for k in (1, 4):
            assert agreed_digits(phi.derivative(k, p), mp.diff(_erfc_transform, p, k), 30) >= 27
        # The batched terms equal the terms from the per-k moment quadrature.
        batched = phi.postwidder_terms([1, 5, 20], (mp.mpf(1),))
        single = pw.exact_terms(phi.derivative)([1, 5, 20], (mp.mpf(1),))
        assert all(agreed_digits(a, b, 30) >= 27 for a, b in zip(batched, single))


@pytest.mark.parametrize("theta, match", [
    ((1, -1), "theta_R must be > 0"),
    ((1, 0), "theta_R must be > 0"),
    ((), "non-empty"),
    (1, "non-empty"),
    ((1, 2j), "complex"),
    ((1, float("nan")), "finite"),
])
def test_boltzmann_rejects_bad_theta(theta, match):
    with pytest.raises(InputError, match=match):
        BoltzmannFactor(theta)


# --------------------------------------------------------------------------- bad input

def _raises(p):
    raise RuntimeError("boom")


@pytest.mark.parametrize("kwargs, parameter", [
    ({"F": lambda p: 1 / (p + 1), "t": 0}, "t"),
    ({"F": lambda p: 1 / (p + 1), "t": -1}, "t"),
    ({"F": lambda p: 1 / (p + 1), "t": float("nan")}, "t"),
    ({"F": lambda p: 1 / (p + 1), "t": (1, 0)}, "t"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "dps": 10, "digits": 20}, "dps"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "dps": 3}, "dps"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "digits": 0}, "digits"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "method": "fft"}, "method"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "accelerate": "aitken"}, "accelerate"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "kmax": 2}, "kmax"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "method": "exact"}, "derivatives"),
    ({"F": lambda p: 1 / (p + 1), "t": 1, "derivatives": 3}, "derivatives"),
    ({"F": "1/(s+1)", "t": 1}, "F"),
    ({"F": _raises, "t": 1}, "F"),
    ({"F": _raises, "t": 1, "method": "cauchy"}, "F"),
    ({"F": lambda p: mp.nan, "t": 1}, "F"),
    ({"F": lambda p: mp.inf, "t": 1, "method": "cauchy"}, "F"),
    ({"F": lambda p: 1 / (p - 2), "t": 1, "method": "exact",
      "derivatives": lambda k, p: 1 / (p - 2)}, "derivatives"),
])
def test_bad_input_names_parameter_and_restores_precision(kwargs, parameter):
    with pytest.raises(InputError) as info:
        invert(dps=kwargs.pop("dps", 15), **kwargs)
    assert info.value.parameter == parameter
    # the conftest fixture checks that mp.prec was restored


def test_failing_transform_error_names_the_point():
    with pytest.raises(InputError, match=r"F: must return a finite number at [0-9.]+; it raised "
                                         r"RuntimeError: boom"):
        invert(_raises, 1, dps=15, method="diff")
    with pytest.raises(InputError, match=r"derivatives: must return a finite number at \(2, 2.0\)"):
        invert(lambda p: p, 1, dps=15, derivatives=lambda k, p: mp.inf if k == 2 else 1)


@pytest.mark.parametrize("F", [
    lambda p: 1 / (float(p) + 1),    # real arguments only: the diff path
    lambda p: 1 / (complex(p) + 1),  # complex arguments: the Cauchy path
])
def test_python_float_transform_is_refused(F):
    # A float has 16 digits at every working precision: two runs would agree on its errors.
    with pytest.raises(InputError, match="F: must compute with mpmath"):
        invert(F, 1, dps=30)


def test_cancellation_at_large_t_is_bought_back_in_precision():
    # f(20) = exp(-20) is 1e-9 while the first terms are about 1e-3.
    result = invert(lambda s: 1 / (s + 1), 20, dps=20)
    assert result.digits == 20
    assert agreed_digits(result.value, _exact(mp.exp, -20), 40) >= 20


# --------------------------------------------------------------------------- the claim

def test_two_sided_transform_and_its_derivatives():
    assert sympy.simplify(pw.two_sided_gaussian_transform()
                          - sympy.sqrt(sympy.pi) * sympy.exp(pw.s_sym ** 2 / 4)) == 0
    with mp.workdps(30):
        for k in (0, 1, 6):
            expected = mp.diff(lambda p: mp.sqrt(mp.pi) * mp.exp(p ** 2 / 4), mp.mpf(3) / 2, k)
            assert agreed_digits(pw.gaussian_two_sided_derivative(k, mp.mpf(3) / 2), expected, 30) >= 27


def test_claim_one_sided_fails_with_divergent_two_sided_terms():
    result = run(get("postwidder.one_sided"), Context(dps=30))
    outcome = result.outcome
    assert not result.crashed and outcome.verdict == "fails", outcome.evidence
    assert outcome.details["one_sided_digits"] >= 30
    terms = outcome.details["two_sided_terms"]["1"]
    assert mp.mpf(terms[1]) < 0 < mp.mpf(terms[2]) and abs(mp.mpf(terms[40])) > 1e200
    assert all(v["digits_matching_exp(-t^2)"] == 0
               for v in outcome.details["two_sided_inversion"].values())
    json.dumps(outcome.details)


def test_derivation_is_deterministic():
    first, second = postwidder_derivation.derivation(), postwidder_derivation.derivation()
    assert [s.title for s in first] == [s.title for s in second]
    assert [[tex(e) for e in s.equations] for s in first] == [[tex(e) for e in s.equations] for s in second]
    assert {s.claim for s in first} == {None, "postwidder.one_sided"}
    two_sided = first[-1].equations
    assert "e^{\\frac{s^{2}}{4}}" in tex(two_sided[0])


def test_rational_points_give_the_same_terms_and_are_exact():
    seen = []

    def derivative(k, p):  # F = 1/(s+1): F^(k)(p) = (-1)^k k! / (p+1)^(k+1)
        seen.append(p)
        p = mpmath.mpf(p.numerator) / p.denominator if hasattr(p, "denominator") else p
        return (-1) ** k * mpmath.factorial(k) / (p + 1) ** (k + 1)

    with mpmath.workdps(40):
        times = (mpmath.mpf(3),)
        rational = pw.exact_terms(derivative, rational=True)([1, 7, 30], times)
        plain = pw.exact_terms(derivative)([1, 7, 30], times)
    assert all(agreed_digits(a, b, 40) >= 38 for a, b in zip(rational, plain))
    from fractions import Fraction
    assert seen[:3] == [Fraction(30, 3), Fraction(7, 3), Fraction(1, 3)]  # largest k first


@pytest.mark.parametrize("escalation", [1, 0.5, "fast", float("nan")])
def test_escalation_must_raise_the_term_count(escalation):
    with pytest.raises(InputError) as error:
        pw.invert_terms(pw.exact_terms(lambda k, p: 1 / (p + 1) ** (k + 1)), 1, dps=20,
                        escalation=escalation)
    assert error.value.parameter == "escalation"


def test_small_escalation_is_not_mistaken_for_a_stall():
    # phi(u) = exp(-u - u^2/2) at u = 5: with 10-20% steps the agreement of consecutive Wynn runs
    # stays flat for a step before it improves (a one-step rule stopped at 11 digits); the
    # inversion must go on to the requested digits, not stop as if F were inexact
    phi = BoltzmannFactor((1, sympy.Rational(1, 2)))
    for escalation in (1.1, 1.2):
        result = pw.invert_terms(phi.postwidder_terms, 5, dps=25, escalation=escalation)
        assert result.digits == 25
        with mpmath.workdps(40):
            assert agreed_digits(result.value, phi(5), 25) >= 24


def test_a_noise_floor_stops_the_escalation():
    # derivatives good to ~12 digits: more terms cannot help, and no more digits are claimed
    def noisy(k, p):
        exact = (-1) ** k * mpmath.factorial(k) / (p + 1) ** (k + 1)
        return exact * (1 + mpmath.mpf(10) ** -12 * mpmath.sin(17 * k))

    result = pw.invert_terms(pw.exact_terms(noisy), 1, dps=30)
    assert result.digits < 14
    with mpmath.workdps(40):
        assert agreed_digits(result.value, mpmath.exp(-1), 30) >= result.digits


def test_boltzmann_exponent_is_the_shared_horner_sum(monkeypatch):
    from rgproof.core import series as series_core
    from rgproof.topics import postwidder as postwidder_topic

    calls = []

    def counted(coefficients, u):
        calls.append(tuple(coefficients))
        return series_core.power_sum(coefficients, u)

    monkeypatch.setattr(postwidder_topic, "power_sum", counted)
    phi = BoltzmannFactor((sympy.Rational(1, 3), -0.25, sympy.Rational(2, 3)))
    with mpmath.workdps(60):
        u = mpmath.mpf("1.7")
        naive = mpmath.fsum(mpmath.mpf(c) * u ** r
                            for r, c in enumerate((mpmath.mpf(1) / 3, -0.25, mpmath.mpf(2) / 3), 1))
        assert abs(phi.exponent(u) - naive) <= mpmath.mpf(10) ** -57
        assert phi(u) == mpmath.exp(-phi.exponent(u))
    assert len(calls) == 3 and all(len(c) == 3 for c in calls)


# --------------------------------------------------------------------------- node arithmetic

@pytest.mark.parametrize("theta, t", [((1, sympy.Rational(1, 2)), 1), ((2, 0, 1), 0.7),
                                      ((-1, 1), 2)])
def test_node_arithmetic_with_and_without_flint_certifies_the_same(monkeypatch, theta, t):
    """python-flint only computes the quadrature nodes faster: the same digits, all correct."""
    phi = BoltzmannFactor(theta)
    exact = _exact(phi, t, 120)
    with_flint = phi.invert(t, dps=40, accelerate="salzer")
    monkeypatch.setattr(pw, "optional_flint", lambda: None)
    without = phi.invert(t, dps=40, accelerate="salzer")
    assert with_flint.digits == without.digits == 40
    assert agreed_digits(with_flint.value, without.value, 40) >= 39
    assert min(agreed_digits(r.value, exact, 80) for r in (with_flint, without)) >= 40


def test_node_arithmetic_restores_flint_precision_on_error(monkeypatch):
    def failing(coefficients, x):
        raise ZeroDivisionError("inside the node loop")

    monkeypatch.setattr(pw, "power_sum", failing)
    with pytest.raises(ZeroDivisionError):
        BoltzmannFactor((1, 1)).postwidder_terms(range(1, 5), (mpmath.mpf(1),))
    # the autouse fixture checks flint.ctx.prec and mp.prec are as before


def test_weighted_power_sums_match_mpf_arithmetic():
    from rgproof.core.precision import binary_parts
    from rgproof.core.series import weighted_power_sums

    with mpmath.workdps(50):
        bases = [mpmath.mpf(1)] + [mpmath.mpf(j) / 31 for j in range(1, 31)] + [mpmath.mpf(10) ** -60]
        weights = [mpmath.sqrt(j + 2) * mpmath.mpf(10) ** (j % 7 - 3) for j in range(len(bases))]
        fast = weighted_power_sums([binary_parts(w) for w in weights],
                                   [binary_parts(b) for b in bases], 40)
        with mpmath.workdps(100):
            slow = [mpmath.fsum(w * b ** k for w, b in zip(weights, bases)) for k in range(1, 41)]
        assert all(agreed_digits(a, b, 50) >= 49 for a, b in zip(fast, slow))
