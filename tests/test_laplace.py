import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import claims, laplace, theorem31
from rgproof.claims import laplace as laplace_claims
from rgproof.claims import theorem31 as theorem31_claims
from rgproof.core import ledger as ledger_core
from rgproof.core import series as series_core
from rgproof.core.errors import InputError
from rgproof.core.validate import to_mpf
from rgproof.core.latex import tex
from rgproof.core.precision import agreed_digits, workdps
from rgproof.core.series import log_series
from rgproof.present.derivations import laplace as laplace_derivation
from rgproof.present.derivations import theorem31 as theorem31_derivation
from rgproof.topics.laplace import (
    check_real_exact,
    cumulant_radius,
    cumulants,
    direct_generating_function,
    gaussian_generating_function,
    generating_function,
    imaginary_zeros,
    moments,
    moments_by_contour,
    quartic_partition_function,
    radial_hamiltonian,
)
from rgproof.topics.laplace import correlations as correlations_topic
from rgproof.topics.laplace import radial as radial_topic
from rgproof.topics.laplace import transform as transform_topic
from rgproof.topics.theorem31 import same_partition_family

x, y, z = sympy.symbols("x y z", real=True)


def agree(a, b, digits):
    """a and b (Certified) are certified to and agree on at least ``digits`` digits."""
    assert a.digits >= digits and b.digits >= digits, (a.digits, b.digits)
    with workdps(digits + 10):
        got = agreed_digits(a.value, b.value, digits)
    assert got >= digits, f"agree to {got} digits: {a} vs {b}"


# --------------------------------------------------------------------------- Gaussian closed form

@pytest.mark.parametrize("N, s", [(1, 0), (1, 2), (1, 3j), (2, [1, -0.5]), (3, [1 + 1j, 0, 2]),
                                  (7, [0.5] * 7), (64, 0), (64, [0.25j] * 64)])
def test_gaussian_closed_form(N, s):
    theta = sympy.Rational(3, 2)
    agree(generating_function([theta], N, s, dps=40), gaussian_generating_function(theta, N, s, 40), 40)


@settings(max_examples=10, deadline=None)
@given(theta=st.fractions(min_value="1/10", max_value=10, max_denominator=50),
       re=st.floats(-3, 3), im=st.floats(-3, 3), N=st.integers(1, 9))
def test_gaussian_closed_form_random(theta, re, im, N):
    s = complex(re, im)
    agree(generating_function([theta], N, s, dps=20), gaussian_generating_function(theta, N, s, 20), 20)


def test_n64_fifty_digits():
    value = generating_function([1, sympy.Rational(1, 10)], 64, [0.5] * 64, dps=50)
    assert value.digits == 50
    with workdps(60):  # a different invariant s.s gives a different number
        other = generating_function([1, sympy.Rational(1, 10)], 64, [0.5] * 63 + [0.6], dps=50)
        assert agreed_digits(value.value, other.value, 50) < 3


def test_depends_on_s_dot_s_not_modulus():
    # s = (3, 4i) has s.s = -7 (|s|^2 = 25): same Z as s = (i sqrt 7, 0)
    a = generating_function([1, 1], 2, [3, 4j], dps=30)
    b = generating_function([1, 1], 2, [sympy.I * sympy.sqrt(7), 0], dps=30)
    agree(a, b, 30)
    assert abs(mpmath.im(a.value)) < mpmath.mpf(10) ** -29


@pytest.mark.parametrize("theta_1, theta_2, N", [(1, 1, 1), (-1, 1, 1), (0, 2, 3),
                                                 (sympy.Rational(-5, 2), sympy.Rational(1, 3), 2),
                                                 (2, sympy.Rational(1, 2), 5)])
def test_quartic_closed_form(theta_1, theta_2, N):
    agree(generating_function([theta_1, theta_2], N, 0, dps=40),
          quartic_partition_function(theta_1, theta_2, N, dps=40), 40)


def test_high_precision_theta_keeps_its_digits():
    with workdps(50):
        third = mpmath.mpf(1) / 3
    with workdps(50):
        assert mpmath.almosteq(mpmath.mpf(check_real_exact("t", third)), third, 1e-49)
    agree(generating_function([third], 1, 0, dps=40),
          gaussian_generating_function(sympy.Rational(1, 3), 1, 0, 40), 40)


def test_negative_mpf_theta_keeps_its_sign():
    # mpmath's man_exp is unsigned: theta_1 = -1 once came back as +1
    assert check_real_exact("t", mpmath.mpf(-1.5)) == sympy.Rational(-3, 2)
    assert laplace.check_theta([mpmath.mpf(-1), 1]) == (-1, 1)


# --------------------------------------------------------------------------- radial trapezoid rule

@pytest.mark.parametrize("power", [0, 1, 2, 7, 63])
def test_trapezoid_rule_against_gamma_integrals(power):
    # int_0^oo r^p e^{-theta r^2} dr = Gamma((p+1)/2) / (2 theta^((p+1)/2)): even powers take the
    # plain rule on the whole line, odd ones the double-exponential substitution
    theta = sympy.Rational(3, 2)
    assert laplace.trapezoid_rule((1.5,), power, 40).even == (power % 2 == 0)
    with workdps(40):
        half = mpmath.mpf(power + 1) / 2
        exact = mpmath.gamma(half) / (2 * mpmath.mpf(theta) ** half)
        assert agreed_digits(laplace.radial_integral((theta,), power), exact, 40) >= 39


@pytest.mark.parametrize("N, s", [(2, [1000, 0]), (5, [30000, 0, 0, 0, 0]), (1001, [0.1] * 1001),
                                  (2, [20j, 0]), (3, [20j, 0, 0])])
def test_sharp_peaks_and_cancellation(N, s):
    # a peak far narrower than where it lies (large real s or N); Z[i b] = sqrt(pi)^N e^{-b^2/4}
    # cancels 43 digits at b = 20, which the working precision must absorb
    agree(generating_function([1], N, s, dps=15), gaussian_generating_function(1, N, s, 15), 15)


def test_angular_bound_against_hyp0f1():
    x = np.array([0, 1e-3, 1, 30, 100, 1e3, 1e5, 1e12])  # ive underflows at both ends for large N
    for N in (1, 2, 3, 64, 1000):
        bound = radial_topic._log_angular_bound(N, x)
        with workdps(30):
            half = mpmath.mpf(N) / 2
            exact = [float(mpmath.log(mpmath.hyp0f1(half, mpmath.mpf(v) ** 2 / 4))) for v in x]
        for b, e in zip(bound, exact):  # an upper bound, and a close one
            assert -1e-12 <= (b - e) / max(1, abs(e)) <= 1e-2, (N, b, e)


# --------------------------------------------------------------------------- direct quadrature

@pytest.mark.parametrize("N, s, dps", [(1, 0.7, 30), (1, 2j, 20), (2, [0.3, -0.2], 20),
                                       (2, [0.3 + 1j, -0.2], 12), (3, [0.3, -0.2, 0.1], 5)])
def test_radial_reduction_matches_direct_quadrature(N, s, dps):
    variables = (x, y, z)[:N]
    theta = [1, sympy.Rational(1, 2)]
    agree(direct_generating_function(radial_hamiltonian(theta, variables), variables, s, dps=dps),
          generating_function(theta, N, s, dps=dps), dps)


def test_direct_anisotropic_gaussian():
    value = direct_generating_function(2 * x ** 2 + y ** 2 / 2, (x, y), [1, -1], dps=12)
    with workdps(30):  # pi / sqrt(2 * 1/2) * exp(1/8 + 1/2)
        exact = mpmath.pi * mpmath.exp(mpmath.mpf(5) / 8)
        assert agreed_digits(value.value, exact, 12) >= 12


def test_direct_non_radial_lgw_form():
    # H = q + q^2 with q = x^T A x: the LGW steps give Z_A[s] = det(A)^(-1/2) Z[s . s = s^T A^-1 s]
    A = sympy.Matrix([[2, 1], [1, 2]])
    v = sympy.Matrix([x, y])
    q = (v.T * A * v)[0]
    s = sympy.Matrix([sympy.Rational(3, 10), sympy.Rational(-1, 5)])
    w = (s.T * A.inv() * s)[0]
    direct = direct_generating_function(q + q ** 2, (x, y), list(s), dps=20)
    radial = generating_function([1, 1], 2, [sympy.sqrt(w), 0], dps=25)
    with workdps(25):
        assert agreed_digits(direct.value, radial.value / mpmath.sqrt(A.det()), 20) >= 20


def test_direct_accepts_positive_definite_non_radial_quartic():
    assert direct_generating_function(x ** 4 + y ** 4 - x ** 2 * y ** 2, (x, y), 0, dps=8).digits == 8


# --------------------------------------------------------------------------- moments and cumulants

def test_gaussian_moments_and_cumulants():
    theta = sympy.Rational(1, 4)  # variance 2 per coordinate
    for N in (1, 5):
        m = moments([theta], N, 10, dps=30)
        for n in range(11):
            exact = 0 if n % 2 else math.prod(range(n - 1, 0, -2)) * 2 ** (n // 2)
            assert m[n].digits == 30 and mpmath.almosteq(m[n].value, exact, 1e-28), (N, n, m[n])
        c = cumulants([theta], N, 8, dps=30)
        with workdps(40):  # kappa_0 = log Z[0] = (N/2) log(pi / theta)
            assert agreed_digits(c[0].value, N * mpmath.log(4 * mpmath.pi) / 2, 30) >= 29
        assert mpmath.almosteq(c[2].value, 2, 1e-28)
        assert all(abs(c[n].value) < mpmath.mpf(10) ** -28 for n in (1, 3, 4, 5, 6, 7, 8))


def _moments_from_cumulants(kappa, order):
    m = [mpmath.mpf(1)]
    for n in range(1, order + 1):
        m.append(mpmath.fsum(mpmath.binomial(n - 1, k - 1) * kappa[k] * m[n - k]
                             for k in range(1, n + 1)))
    return m


def test_moment_cumulant_formula_quartic():
    theta = [sympy.Rational(-1, 2), 1]  # a double well
    m = moments(theta, 2, 10, dps=30)
    kappa = [c.value for c in cumulants(theta, 2, 10, dps=30)]
    with workdps(40):
        back = _moments_from_cumulants(kappa, 10)
        for n in range(0, 11, 2):
            assert agreed_digits(back[n], m[n].value, 30) >= 28, n
    assert kappa[4] < 0  # platykurtic: not Gaussian


def test_moments_against_independent_quadrature():
    m = moments([1, 1], 1, 8, dps=30)
    with workdps(40):
        weight = lambda t: mpmath.exp(-t ** 2 - t ** 4)
        norm = mpmath.quad(weight, [-mpmath.inf, 0, mpmath.inf])
        for n in (2, 4, 8):
            direct = mpmath.quad(lambda t: t ** n * weight(t), [-mpmath.inf, 0, mpmath.inf]) / norm
            assert agreed_digits(direct, m[n].value, 30) >= 30


@pytest.mark.parametrize("N", [1, 3])
def test_moments_by_contour_of_complex_transform(N):
    series = moments([1, 1], N, 8, dps=20)
    contour = moments_by_contour([1, 1], N, 8, dps=20)
    for n in range(0, 9, 2):
        agree(series[n], contour[n], 20)


def test_log_series_inverts_exp():
    # exp(t + t^2) = 1 + t + 3/2 t^2 + 7/6 t^3 + 25/24 t^4
    got = log_series([1, 1, mpmath.mpf(3) / 2, mpmath.mpf(7) / 6, mpmath.mpf(25) / 24])
    assert got[0] == 0 and abs(got[1] - 1) < 1e-14 and abs(got[2] - 1) < 1e-14
    assert abs(got[3]) < 1e-14 and abs(got[4]) < 1e-14  # 7/6 and 25/24 are rounded in binary


# --------------------------------------------------------------------------- zeros

def _fourier_1d(theta, b):
    """Z[i b] for N = 1 as a cosine transform, at the current precision (independent of rgproof)."""
    f = lambda t: mpmath.cos(b * t) * mpmath.exp(-theta[0] * t ** 2 - theta[1] * t ** 4)
    return 2 * mpmath.quad(f, mpmath.linspace(0, 6, 60))


def test_first_zeros_quartic():
    scan = imaginary_zeros([1, 1], 1, count=3, dps=30)
    assert len(scan) == 3 and all(b.digits == 30 for b in scan)
    with workdps(45):
        assert mpmath.almosteq(scan[0].value, mpmath.mpf("4.600876906878792627932690216239"), 1e-28)
        step = mpmath.mpf(10) ** -28  # the cosine transform changes sign within 1e-28 of each zero
        for b in scan:
            assert _fourier_1d((1, 1), b.value - step) * _fourier_1d((1, 1), b.value + step) < 0
    for (a, c), (za, zc) in zip(scan.brackets, scan.bracket_values):
        assert a < c and mpmath.mpf(za) * mpmath.mpf(zc) < 0
    assert "4.60087690687879" in scan.summary()


def test_zeros_in_three_dimensions():
    scan = imaginary_zeros([1, 1], 3, count=1, dps=20)
    b = scan[0].value
    with workdps(30):  # Z[i b e] for N = 3: 4 pi int r^2 e^{-H} sin(b r) / (b r) dr
        f = lambda r: r ** 2 * mpmath.exp(-r ** 2 - r ** 4) * mpmath.sinc(b * r)
        assert abs(4 * mpmath.pi * mpmath.quad(f, mpmath.linspace(0, 6, 40))) < mpmath.mpf(10) ** -18
    assert 5 < b < 6


def test_gaussian_has_no_zeros():
    _, scan = laplace_claims._zero_evidence(20)  # the claims' scan (cached): theta = (1,), N = 1
    assert len(scan) == 0 and list(scan) == []
    assert scan.scanned_to == pytest.approx(10 / math.sqrt(1 / 2))  # default bmax = 10 / sigma
    assert scan.summary().startswith("no sign change")
    short = imaginary_zeros([2], 3, count=2, dps=10, bmax=4)
    assert len(short) == 0 and short.scanned_to == 4


def test_cumulant_radius_is_first_zero():
    radius = cumulant_radius([1, 1], 1, 24, dps=25)
    assert abs(radius.value - mpmath.mpf("4.6008769068787926")) < 1e-4


# --------------------------------------------------------------------------- claims and family

@pytest.mark.parametrize("claim_id, digits", [("laplace.zero_free", 20), ("laplace.entire", 20),
                                              ("theorem31.one_equation", 20)])
def test_claim_verdicts(claim_id, digits):
    result = claims.run(ledger_core._REGISTRY[claim_id], claims.Context(dps=digits))
    assert not result.crashed, result.outcome.evidence
    assert result.outcome.verdict == "fails"
    assert result.outcome.digits >= digits
    if claim_id.startswith("laplace"):
        assert "4.60087690687879" in result.outcome.evidence
    if claim_id == "laplace.zero_free":
        assert "no sign change" in result.outcome.evidence  # the Gaussian contrast


def test_family_member_closed_form():
    family = same_partition_family((1, 1), 1, [0, 1], dps=30)
    with workdps(40):
        z0 = quartic_partition_function(1, 1, 1, dps=40).value
        assert agreed_digits(family[0].theta_2.value, (mpmath.gamma(0.25) / (2 * z0)) ** 4, 30) >= 29
    assert family[1].theta_2.value == 1


def test_family_in_two_dimensions():
    family = same_partition_family((1, 1), 2, [sympy.Rational(1, 2), sympy.Rational(3, 2)], dps=30)
    target = generating_function((1, 1), 2, 0, dps=25)
    for member in family:
        agree(generating_function(member.theta, 2, 0, dps=25), target, 25)
    assert family[0].theta_2.value > 1 > family[1].theta_2.value


def test_derivations_render():
    for module in (laplace_derivation, theorem31_derivation):
        for step in module.derivation():
            assert step.claim is None or step.claim in ledger_core._REGISTRY
            assert all(tex(e) for e in step.equations)


# --------------------------------------------------------------------------- bad input

BAD = [
    (lambda: generating_function([1, 0], 1, 0), "theta_2"),
    (lambda: generating_function([1, -2], 1, 0), "theta_2"),
    (lambda: generating_function([1 + 2j], 1, 0), "theta_1"),
    (lambda: generating_function([float("nan")], 1, 0), "theta_1"),
    (lambda: generating_function([], 1, 0), "theta"),
    (lambda: generating_function([1], 0, 0), "N"),
    (lambda: generating_function([1], 2.0, 0), "N"),
    (lambda: generating_function([1], 1, float("nan")), "s_1"),
    (lambda: generating_function([1], 2, [1, 2, 3]), "s"),
    (lambda: generating_function([1], 1, 0, dps=3), "dps"),
    (lambda: generating_function([1], 1, 1e6j, dps=15), "s"),
    (lambda: generating_function([1], 2, [1e4j, 0], dps=15), "s"),
    (lambda: moments([1], 1, -1), "order"),
    (lambda: cumulants([1, 1j], 1, 4), "theta_2"),
    (lambda: imaginary_zeros([1, 1], 1, count=0), "count"),
    (lambda: imaginary_zeros([1, 1], 1, bmax=-1), "bmax"),
    (lambda: imaginary_zeros([1, 1], 1, dps=4), "dps"),
    (lambda: imaginary_zeros([1, 0], 1), "theta_2"),
    (lambda: moments_by_contour([1], 1, 4, radius=0), "radius"),
    (lambda: direct_generating_function(x ** 2 - y ** 2, (x, y), 0), "H"),
    (lambda: direct_generating_function(x ** 4 + y ** 4 - 3 * x ** 2 * y ** 2, (x, y), 0), "H"),
    (lambda: direct_generating_function(sympy.cos(x), (x,), 0), "H"),
    (lambda: direct_generating_function(x ** 4 + y ** 4 + z ** 4, (x, y, z), 0), "H"),
    (lambda: direct_generating_function(x ** 2, (x, y, z, sympy.Symbol("u")), [0] * 4), "variables"),
    (lambda: same_partition_family((1, 1), 1, [2]), "theta_1"),
    (lambda: same_partition_family((1,), 1, [0]), "reference"),
]


@pytest.mark.parametrize("call, parameter", BAD)
def test_bad_input(call, parameter):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.parameter == parameter


def test_precision_restored_when_a_computation_raises(monkeypatch):
    def broken(*args):
        assert mpmath.mp.dps > 15
        raise ZeroDivisionError

    monkeypatch.setattr(transform_topic, "radial_integral", broken)
    with pytest.raises(ZeroDivisionError):
        generating_function([1], 1, 0, dps=40)
    # the conftest fixture checks that mp.prec was restored


# --------------------------------------------------------------------------- the Theorem 3.1 chain

def test_exp_series_inverts_log_series_and_recurrence_moments_match_quadrature():
    with workdps(30):
        a = [mpmath.mpf(1)] + [mpmath.mpf(1) / (k + 2) for k in range(9)]
        back = series_core.exp_series(log_series(a))
        assert all(agreed_digits(x, y, 30) >= 27 for x, y in zip(a, back))
        theta = laplace.check_theta([1, -1, sympy.Rational(1, 3)])
        recurrence = laplace.squared_radius_moments(theta, 2, 6)
        quadrature = correlations_topic._marginal_moments(theta, 2, 12)
        for k in range(7):  # E[x_1^(2k)] = (1/2)_k / (N/2)_k E[|x|^(2k)]
            expected = quadrature[2 * k] * mpmath.rf(1, k) / mpmath.rf(mpmath.mpf(1) / 2, k)
            assert agreed_digits(recurrence[k], expected, 30) >= 25


def test_chain_cumulants_are_the_quadrature_cumulants():
    with workdps(25):
        fast = theorem31.lgw_cumulants(laplace.check_theta([1, 1]), 1, 8)
    slow = cumulants([1, 1], 1, 8, dps=25)
    assert all(agreed_digits(a, b.value, 25) >= 20 for a, b in zip(fast, slow) if b.digits >= 20)


@pytest.mark.slow
def test_identifiability_chain_recovers_theta_to_20_digits_with_flint():
    pytest.importorskip("flint")
    outcome = claims.run(claims.get("theorem31.identifiability"), claims.Context(dps=30)).outcome
    assert outcome.verdict == "holds" and outcome.digits >= 20, outcome.evidence
    with workdps(30):
        for got, expected in zip(outcome.details["recovered"], theorem31_claims.CHAIN_THETA):
            assert agreed_digits(mpmath.mpf(got), to_mpf(expected), 30) >= 20
    # recovering theta took thousands of digits: the cumulant -> moment step is that ill-conditioned
    assert outcome.details["lost"] > 1000 and outcome.details["moment_dps"] > outcome.details["lost"]


def test_identifiability_chain_without_flint_reports_its_budget(monkeypatch):
    from rgproof.core import precision
    monkeypatch.setattr(precision, "optional_flint", lambda: None)
    monkeypatch.setattr(theorem31, "optional_flint", lambda: None)
    monkeypatch.setattr(theorem31_claims, "optional_flint", lambda: None)
    outcome = claims.run(claims.get("theorem31.identifiability"), claims.Context(dps=30)).outcome
    assert outcome.verdict == "inconclusive" and outcome.digits == 0, outcome.evidence
    assert outcome.details["budget"] == theorem31.MPMATH_MOMENT_DPS < outcome.details["needed_dps"]
    assert "python-flint" in outcome.evidence
    # exponentiating the cumulant series to order ~100 already loses about half the digits
    assert max(lost / dps for _, dps, lost in outcome.details["history"]) > 0.4


def test_moment_transform_derivative_rejects_bad_order_and_point():
    source = theorem31.MomentTransform(_chain_cumulants, 1)
    for k, p, parameter in ((-1, Fraction(1), "k"), (2, mpmath.nan, "p"), (2, "x", "p")):
        with pytest.raises(InputError) as error:
            source.derivative(k, p)
        assert error.value.parameter == parameter


@pytest.mark.parametrize("k, p", [(0, Fraction(1, 2)), (10, Fraction(2)), (25, Fraction(21, 5)),
                                  (12, "3.25"), (3, Fraction(0)), (7, Fraction(-9, 2)),
                                  (40, "-1.75")])
def test_moment_transform_derivative_matches_the_closed_form(k, p):
    # N = 1: E[u^k e^{-pu}] = int r^{2k} e^{-(1+p) r^2 - r^4/2} dr / int e^{-r^2 - r^4/2} dr
    source = theorem31.MomentTransform(_chain_cumulants, 1)
    for dps in (30, 80):  # the second call finds the first in the cache only if it is precise enough
        with workdps(dps):
            point = p if isinstance(p, Fraction) else mpmath.mpf(p)
            got = source.derivative(k, point)
            with workdps(dps + 20):
                p_mp = mpmath.mpf(p.numerator) / p.denominator if isinstance(p, Fraction) else point
                exact = ((-1) ** k * transform_topic.quartic_radial_integral(1 + p_mp, 0.5, 2 * k)
                         / transform_topic.quartic_radial_integral(1, 0.5, 0))
            assert agreed_digits(got, exact, dps) >= dps - 2


def test_tilt_centres_the_tilted_density_at_t():
    source = theorem31.MomentTransform(_chain_cumulants, 1)
    shift = source.tilt(8)
    assert shift.denominator <= theorem31.TILT_DENOMINATOR
    with workdps(20):
        s = mpmath.mpf(shift.numerator) / shift.denominator
        mean = -source.derivative(1, -s) / source.derivative(0, -s)
    # rounded to 1/8: the tilted mean moves by the variance (about 1) per unit of s
    assert abs(mean - 8) < 0.2


def test_recover_theta_inverts_exactly_at_any_shift():
    # the shift sets only the cost: untilted, tilted from the cumulants, or far off the tilt
    for shifts in ((0, 0, 0), None, (sympy.Rational(17, 2), 10, 11)):
        recovered = theorem31.recover_theta(_chain_cumulants, 1, 2, (4, 5, 6), digits=8,
                                            shifts=shifts)
        with workdps(20):
            for got, expected in zip(recovered.theta, (1, mpmath.mpf(1) / 2)):
                assert got.digits >= 8 and agreed_digits(got.value, expected, 20) >= got.digits


def test_recover_theta_rejects_a_shift_per_point_missing():
    with pytest.raises(InputError) as error:
        theorem31.recover_theta(_chain_cumulants, 1, 2, (8, 9, 10), digits=8, shifts=(9, 10))
    assert error.value.parameter == "shifts"


def _chain_cumulants(order):
    return theorem31.lgw_cumulants(laplace.check_theta([1, sympy.Rational(1, 2)]), 1, order)


@pytest.mark.parametrize("N, R, times, digits, parameter", [
    (0, 2, (1, 2, 3), 5, "N"), (1, 0, (1,), 5, "R"), (1, 2, (1, 2), 5, "times"),
    (1, 2, (1, 2, 3), 2, "digits"), (1, 2, (1, 2, 3), "many", "digits")])
def test_recover_theta_rejects_bad_input(N, R, times, digits, parameter):
    with pytest.raises(InputError) as error:
        theorem31.recover_theta(_chain_cumulants, N, R, times, digits=digits)
    assert error.value.parameter == parameter


@pytest.mark.parametrize("bad", [mpmath.nan, mpmath.inf])
def test_recover_theta_rejects_non_finite_cumulants(bad):
    with pytest.raises(InputError, match="finite"):
        theorem31.recover_theta(lambda order: [bad] * (order + 1), 1, 2, (1, 2, 3), digits=5)


def test_closed_form_seeds_match_the_radial_quadrature():
    theta = laplace.check_theta([-1, sympy.Rational(1, 3)])
    with workdps(30):
        for power in (0, 1, 2, 5):
            closed = transform_topic.quartic_radial_integral(*theta, power)
            assert agreed_digits(closed, laplace.radial_integral(theta, power), 30) >= 27


@pytest.mark.parametrize("theta_1, theta_2, power", [
    (1, sympy.Rational(1, 2), 0), (1, sympy.Rational(1, 2), 7), (-3, 1, 2), (0, 2, 5),
    (8, sympy.Rational(1, 10), 1), (200, 1, 0)])   # the last: |x| > SERIES_MAX_X, closed form
def test_quartic_radial_integral_series_matches_parabolic_cylinder_form(theta_1, theta_2, power):
    with workdps(300):
        t1, t2, nu = mpmath.mpf(theta_1), mpmath.mpf(theta_2), (mpmath.mpf(power) + 1) / 2
        closed = (mpmath.gamma(nu) / 2 * (2 * t2) ** (-nu / 2) * mpmath.exp(t1 ** 2 / (8 * t2))
                  * mpmath.pcfd(-nu, t1 / mpmath.sqrt(2 * t2)))
        assert agreed_digits(transform_topic.quartic_radial_integral(theta_1, theta_2, power), closed,
                             300) >= 295


def test_quarter_gamma_is_gamma_at_quarter_integers():
    with workdps(80):
        for quarters in range(1, 14):
            assert agreed_digits(laplace.quarter_gamma(quarters),
                                 mpmath.gamma(mpmath.mpf(quarters) / 4), 80) >= 78
    with pytest.raises(InputError, match="quarters"):
        laplace.quarter_gamma(0)


def test_quartic_radial_integral_keeps_its_digits_when_the_series_cancels():
    # theta_1 / sqrt(theta_2) = 7.35 and power 50: the series cancels 23 digits, which the
    # working precision (and x = -theta_1 / sqrt(theta_2) itself) must carry
    with workdps(50):
        got = transform_topic.quartic_radial_integral(mpmath.mpf(26) / 5, 0.5, 50)
    with workdps(80):
        exact = mpmath.quad(lambda r: r ** 50 * mpmath.exp(-mpmath.mpf(26) / 5 * r ** 2 - r ** 4 / 2),
                            [0, 1, 2, 3, mpmath.inf])
    assert agreed_digits(got, exact, 50) >= 49


# --------------------------------------------------------------------------- the radial Horner sum

@pytest.mark.parametrize("theta, x", [
    (("1/3", "-0.25", "2/3"), "1.7"),
    (("0.5",), "3.25"),
    (("1e-3", "0", "-7", "0.125"), "0.01"),
    (("2", "1/7"), ("0.4", "0.3")),   # a complex argument, as on the contours
])
def test_power_sum_against_the_naive_sum_at_60_digits(theta, x):
    with workdps(60):
        coefficients = [mpmath.mpf(Fraction(t).numerator) / Fraction(t).denominator
                        for t in theta]
        u = mpmath.mpc(*x) if isinstance(x, tuple) else mpmath.mpf(x)
        naive = mpmath.fsum(c * u ** r for r, c in enumerate(coefficients, start=1))
        horner = series_core.power_sum(coefficients, u)
        assert abs(horner - naive) <= mpmath.mpf(10) ** -55 * max(1, abs(naive))


def test_power_sum_on_arrays_is_the_loop_it_replaced_bit_for_bit():
    theta = (1.0, -0.3, 0.5)
    u = np.linspace(0, 9, 101) ** 1.5
    old = np.zeros_like(u)
    for t in reversed(theta):
        old = (old + t) * u
    new = series_core.power_sum(theta, u)
    assert new.dtype == old.dtype and new.tobytes() == old.tobytes()
    assert series_core.power_sum((2, 3), 5) == 2 * 5 + 3 * 25  # exact on integers


def test_radial_nodes_evaluate_h_by_the_shared_horner_sum(monkeypatch):
    calls = []

    def counted(theta, u):
        calls.append(len(theta))
        return series_core.power_sum(theta, u)

    with workdps(20):
        theta = (mpmath.mpf(1), mpmath.mpf(1) / 2)
        expected = [radial_topic.radial_integral(theta, power) for power in (0, 1)]
        monkeypatch.setattr(radial_topic, "power_sum", counted)
        assert [radial_topic.radial_integral(theta, power) for power in (0, 1)] == expected
    assert calls and set(calls) == {2}


def test_identifiability_fails_when_the_cumulants_belong_to_another_theta(monkeypatch):
    # the false case: the chain is fed the cumulants of theta' = (1, 2/5); it recovers theta',
    # so the comparison with the claimed theta = (1, 1/2) must fail
    pytest.importorskip("flint")
    other = laplace.check_theta([1, sympy.Rational(2, 5)])
    monkeypatch.setattr(theorem31_claims, "lgw_cumulants",
                        lambda theta, N, order: theorem31.lgw_cumulants(other, N, order))
    outcome = claims.run(claims.get("theorem31.identifiability"), claims.Context(dps=30)).outcome
    assert outcome.verdict == "fails" and outcome.digits >= 1, outcome.evidence
