import math

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import claims, scaling
from rgproof.core.errors import InputError
from rgproof.core.latex import tex
from rgproof.core.precision import agreed_digits, compare, workdps
from rgproof.present.derivations import scaling as scaling_derivation
from rgproof.topics.scaling import KAPPA, LAMBDA, N_SYMBOL, ORDER, POINTS, Z_OF_LAMBDA

theta = sympy.Symbol("theta", positive=True)
half = sympy.Rational(1, 2)


@pytest.fixture
def scaling_claims(monkeypatch):
    # Look the claims up in this topic only, so another topic's import problem cannot mask them.
    monkeypatch.setattr(claims, "TOPICS", ("scaling",))


# ---------------------------------------------------------------- parameter map, fixed points

@pytest.mark.parametrize("N", [1, 2, 3])
def test_theta_map_is_the_printed_map_in_any_dimension(N):
    derived = scaling.theta_map(3, N=N)
    t1, t2, t3 = scaling.theta_symbols(3)
    Z = Z_OF_LAMBDA
    assert derived == (t1 * Z / LAMBDA**2, t2 * Z**2 / LAMBDA**4, t3 * Z**3 / LAMBDA**6)
    assert derived == scaling.printed_theta_map(3)


@pytest.mark.parametrize("Z, expected", [
    (LAMBDA**2, (1, 1)),
    (LAMBDA**(2 - half), (0, 0)),
    (LAMBDA**(2 - sympy.Rational(1, 100)), (0, 0)),
    (LAMBDA**2 * sympy.log(LAMBDA), (sympy.oo, sympy.oo)),
    (LAMBDA**2 * (1 + 1 / LAMBDA), (1, 1)),
    (2 * LAMBDA**2 + sympy.sqrt(LAMBDA), (2, 4)),
    (sympy.Integer(1), (0, 0)),
])
def test_fixed_points_for_wave_factors(Z, expected):
    t1, t2 = scaling.theta_symbols(2)
    assert scaling.fixed_points(Z, R=2) == (expected[0] * t1, expected[1] * t2)


def test_fixed_points_accepts_a_callable_and_its_own_symbol():
    plain = sympy.Symbol("lambda")
    assert scaling.fixed_points(lambda l: l**2, R=1) == scaling.theta_symbols(1)
    assert scaling.fixed_points(plain**2 * sympy.log(plain), R=1, lam=plain) == (sympy.oo,)


@pytest.mark.parametrize("Z, rule", [
    (1 - LAMBDA, "positive for lambda > 1"),
    (LAMBDA**2 - 4, "positive for lambda > 1"),
    (-LAMBDA**2, "positive for lambda > 1"),
    (sympy.I * LAMBDA, "positive for lambda > 1"),
    (sympy.nan, "positive for lambda > 1"),
    (LAMBDA**sympy.Symbol("eta", positive=True), "depends on eta"),
    (sympy.Symbol("lambda")**2, "pass it as lam="),
    ("lambda**2", "sympy expression"),
    (sympy.Eq(LAMBDA, 2), "sympy expression"),
    (lambda l: math.log(l), "callable must accept"),
    (LAMBDA**2 * (2 + sympy.sin(LAMBDA)), "no limit"),
])
def test_bad_wave_factors_are_rejected(Z, rule):
    with pytest.raises(InputError, match=rule) as info:
        scaling.fixed_points(Z)
    assert info.value.parameter == "Z"


# ---------------------------------------------------------------- partition function

def test_scaling_factors_derived_by_substitution():
    assert scaling.partition_scaling_factor() == KAPPA**(-N_SYMBOL / 2)
    assert scaling.moment_scaling_factor() == KAPPA**(-ORDER / 2)
    assert scaling.moment_scaling() == (LAMBDA / sympy.sqrt(Z_OF_LAMBDA))**ORDER
    assert scaling.forced_scale_ratios() == sympy.FiniteSet(1)


@pytest.mark.parametrize("t, N", [(1, 1), (sympy.Rational(3, 7), 2), (5, 3)])
def test_gaussian_log_partition_golden_at_40_digits(t, N):
    value = scaling.log_partition((t,), N, dps=45)
    with workdps(60):
        exact = mpmath.mpf(N) / 2 * mpmath.log(mpmath.pi / sympy.N(t, 60))
        assert value.digits >= 40
        assert agreed_digits(value.value, exact, 60) >= 40


@settings(max_examples=8, deadline=None)
@given(t1=st.fractions(-3, 3, max_denominator=20), t2=st.fractions("1/10", 5, max_denominator=20),
       kappa=st.fractions("1/8", 5, max_denominator=10), N=st.integers(1, 5))
def test_partition_scaling_at_40_digits(t1, t2, kappa, N):
    theta_values = (t1, t2)
    scaled = (t1 * kappa, t2 * kappa**2)
    factor = scaling.partition_scaling_factor(N).subs(KAPPA, sympy.Rational(kappa))
    lhs = scaling.log_partition(scaled, N, dps=45)
    rhs = scaling.log_partition(theta_values, N, dps=45)
    with workdps(60):
        predicted = mpmath.log(mpmath.mpf(sympy.N(factor, 70))) + rhs.value
        assert min(lhs.digits, rhs.digits) >= 40
        assert agreed_digits(lhs.value, predicted, 60) >= 40


# ---------------------------------------------------------------- moments

@pytest.mark.parametrize("K, expected", [
    ((2,), 1 / (2 * theta)),
    ((4,), 3 / (4 * theta**2)),
    ((6,), 15 / (8 * theta**3)),
    ((3,), 0),
    ((2, 2), 1 / (4 * theta**2)),
    ((4, 0), 3 / (4 * theta**2)),
    ((1, 1), 0),
    ((2, 0, 0), 1 / (2 * theta)),
    ((0, 0, 0), 1),
])
def test_exact_gaussian_moments_golden(K, expected):
    assert sympy.simplify(scaling.exact_moment(K, (theta,)) - expected) == 0


@pytest.mark.parametrize("K, expected", [
    ((2, 2), sympy.Rational(1, 8)), ((4, 0), sympy.Rational(3, 8)),
    ((2, 0, 0), sympy.Rational(1, 3)), ((2, 1), 0),
])
def test_angular_factor_golden(K, expected):
    assert scaling.angular_factor(K) == expected


@given(N=st.integers(1, 6), k=st.integers(0, 4))
def test_angular_factors_of_a_power_of_the_radius_sum_to_one(N, k):
    # |x|^(2k) = (sum_i x_i^2)^k: its multinomial expansion has angular average 1
    ys = sympy.symbols(f"y:{N}")
    expansion = sympy.Poly(sum(ys)**k, *ys)
    total = sum(c * scaling.angular_factor(tuple(2 * e for e in monom))
                for monom, c in expansion.terms())
    assert total == 1


@pytest.mark.parametrize("K, t", [((4,), sympy.Rational(2, 3)), ((2, 4), 3), ((0, 2, 2), 1)])
def test_numeric_moment_matches_exact_gaussian_at_40_digits(K, t):
    value = scaling.moment(K, (t,), dps=45)
    exact = scaling.exact_moment(K, (t,))
    with workdps(60):
        assert value.digits >= 40
        assert agreed_digits(value.value, sympy.N(exact, 60), 60) >= 40


def _oracle_moment_1d(k, t1, t2):
    """Cartesian integral over the real line: independent of the radial reduction."""
    weight = lambda x: mpmath.exp(-t1 * x**2 - t2 * x**4)
    numerator = mpmath.quad(lambda x: x**k * weight(x), [-mpmath.inf, 0, mpmath.inf])
    return numerator / mpmath.quad(weight, [-mpmath.inf, 0, mpmath.inf])


def _oracle_moment_2d(k1, k2, t1, t2):
    """Polar coordinates with the angular integral done numerically."""
    angular = mpmath.quad(lambda p: mpmath.cos(p)**k1 * mpmath.sin(p)**k2, [0, mpmath.pi / 2,
                                                                          mpmath.pi, 2 * mpmath.pi])
    radial = lambda j: mpmath.quad(lambda r: r**j * mpmath.exp(-t1 * r**2 - t2 * r**4),
                                   [0, 1, mpmath.inf])
    return angular * radial(k1 + k2 + 1) / (2 * mpmath.pi * radial(1))


@pytest.mark.parametrize("K, theta_values", [
    ((2,), (1, half)), ((4,), (-2, 1)), ((6,), (sympy.Rational(3, 10), 2)),
    ((2, 2), (1, half)), ((4, 2), (-1, sympy.Rational(1, 3))), ((0, 4), (2, 5)),
])
def test_quartic_moments_against_mpmath_oracle_at_32_digits(K, theta_values):
    value = scaling.moment(K, theta_values, dps=35)

    def oracle():  # the coefficients are rounded at the working precision of each evaluation
        t1, t2 = (mpmath.mpf(sympy.N(t, mpmath.mp.dps + 5)) for t in theta_values)
        return _oracle_moment_1d(K[0], t1, t2) if len(K) == 1 else _oracle_moment_2d(*K, t1, t2)

    comparison = compare(lambda: value.value, oracle, dps=35)
    assert value.digits >= 32
    assert comparison.agree >= 32


def test_odd_moment_is_exactly_zero():
    value = scaling.moment((3, 2), (1, half), dps=30)
    assert value.value == 0 and value.digits == 30


# ---------------------------------------------------------------- RGE remainder

def test_general_remainder_is_G_lambda_K_times_difference_of_Z_powers():
    G = scaling.MOMENT
    expected = G * LAMBDA**ORDER * (Z_OF_LAMBDA**(-ORDER / 2) - Z_OF_LAMBDA**(-POINTS / 2))
    assert sympy.simplify(scaling.rge_remainder_expression() - expected) == 0


@pytest.mark.parametrize("kappas, theta_values, Z, expression, limit", [
    ([(1,), (1,)], (1,), LAMBDA**2, 0, 0),
    ([(2,), (2,)], (1,), LAMBDA**2, sympy.Rational(3, 4) - 3 * LAMBDA**2 / 4, -sympy.oo),
    ([(2,), (2,)], (2,), LAMBDA**2, sympy.Rational(3, 16) - 3 * LAMBDA**2 / 16, -sympy.oo),
    ([(2,), (0,), (0,)], (1,), LAMBDA**2, half - 1 / (2 * LAMBDA), half),
    ([(1,), (2,)], (1,), LAMBDA**2, 0, 0),
    ([(1, 1), (1, 1)], (1,), LAMBDA**2, sympy.Rational(1, 4) - LAMBDA**2 / 4, -sympy.oo),
    ([(1, 0), (0, 1)], (1,), LAMBDA**2, 0, 0),
    ([(2,), (2,)], (1,), sympy.Integer(1), 0, 0),
    ([(2,), (2,)], (1,), LAMBDA**2 * (1 + 1 / LAMBDA), None, -sympy.oo),
    ([(2, 0), (0, 0)], (1, half), LAMBDA**2, 0, 0),
])
def test_remainder_cases(kappas, theta_values, Z, expression, limit):
    remainder = scaling.rge_remainder(kappas, theta_values, Z)
    if expression is not None:
        assert sympy.simplify(remainder.expression - expression) == 0
    assert remainder.limit == limit


def test_remainder_for_quartic_model_uses_certified_moment():
    remainder = scaling.rge_remainder([(1, 1), (1, 1)], (1, half), dps=30)
    oracle = _oracle_moment_2d(2, 2, mpmath.mpf(1), mpmath.mpf(half))
    assert agreed_digits(mpmath.mpf(str(remainder.moment)), oracle, 30) >= 13
    assert remainder.limit == -sympy.oo


# ---------------------------------------------------------------- bad inputs

@pytest.mark.parametrize("call, parameter", [
    (lambda: scaling.log_partition((1, 0), 2), "theta_2"),
    (lambda: scaling.log_partition((1, -1), 2), "theta_2"),
    (lambda: scaling.log_partition((float("nan"), 1), 2), "theta_1"),
    (lambda: scaling.log_partition((1, float("inf")), 2), "theta_2"),
    (lambda: scaling.log_partition((), 2), "theta"),
    (lambda: scaling.log_partition(1, 2), "theta"),
    (lambda: scaling.log_partition((1,), 0), "N"),
    (lambda: scaling.log_partition((1,), 2.0), "N"),
    (lambda: scaling.log_partition((1,), 2, dps=2), "dps"),
    (lambda: scaling.moment((2, -1), (1,)), "K[1]"),
    (lambda: scaling.moment((1.5,), (1,)), "K[0]"),
    (lambda: scaling.moment((), (1,)), "K"),
    (lambda: scaling.moment("22", (1,)), "K"),
    (lambda: scaling.moment((2,), (1, 1j)), "theta_2"),
    (lambda: scaling.exact_moment((2,), (1, 1)), "theta"),
    (lambda: scaling.exact_moment((2,), (-1,)), "theta_1"),
    (lambda: scaling.rge_remainder([(1,), (1, 0)]), "kappas"),
    (lambda: scaling.rge_remainder([]), "kappas"),
    (lambda: scaling.rge_remainder([(1,), (-2,)]), "kappas[1][0]"),
    (lambda: scaling.theta_map(0), "R"),
    (lambda: scaling.fixed_points(LAMBDA**2, R=0), "R"),
])
def test_bad_inputs_name_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter


# ---------------------------------------------------------------- claims and derivation

@pytest.mark.parametrize("claim_id, verdict", [
    ("scaling.theta", "holds"),
    ("scaling.partition_invariance", "fails"),
    ("scaling.nontrivial_rg_reading", "holds"),
    ("scaling.rge_remainder", "fails"),
    ("scaling.correlation_invariance", "fails"),
])
def test_claim_verdicts(scaling_claims, claim_id, verdict):
    result = claims.run(claims.get(claim_id), claims.Context(dps=30))
    assert not result.crashed, result.outcome.evidence
    assert result.outcome.verdict == verdict, result.outcome.evidence


def test_partition_invariance_evidence(scaling_claims):
    outcome = claims.run(claims.get("scaling.partition_invariance"), claims.Context(dps=40)).outcome
    assert outcome.digits == 40
    assert outcome.details["solutions"] == "{1}"
    assert outcome.details["scaling"] == "kappa**(-N/2)"


def test_rg_reading_fails_for_gaussian_data(scaling_claims, monkeypatch):
    # with theta = (1,) the only fixed point kappa = 1 gives is theta* = (1,): Gaussian
    from rgproof.claims import scaling as scaling_claim_module

    monkeypatch.setattr(scaling_claim_module, "RG_READING_THETA", (sympy.Integer(1),))
    outcome = claims.run(claims.get("scaling.nontrivial_rg_reading"),
                         claims.Context(dps=30)).outcome
    assert outcome.verdict == "fails" and "Gaussian" in outcome.evidence
    reading = claims.run(claims.get("scaling.partition_invariance"), claims.Context(dps=30))
    assert "reading 'non-trivial' as theta* != theta" in reading.outcome.evidence


def test_rge_remainder_counterexample(scaling_claims):
    outcome = claims.run(claims.get("scaling.rge_remainder"), claims.Context(dps=30)).outcome
    assert outcome.details["counterexample"] == (
        "<x^(2,) x^(2,)> (N=1, n=2), Z=lambda**2: G(K)=3/4, R=3/4 - 3*lambda**2/4 -> -oo")
    assert outcome.details["wave_factors"] == ["lambda**2", "lambda**2*(1 + 1/lambda)"]


def test_theta_claim_lists_fixed_points(scaling_claims):
    details = claims.run(claims.get("scaling.theta"), claims.Context(dps=30)).outcome.details
    assert details["fixed_points"] == {"lambda**2": ["theta_1"], "lambda**(3/2)": ["0"],
                                       "lambda**2*log(lambda)": ["oo"],
                                       "lambda**2*(1 + 1/lambda)": ["theta_1"]}


def test_derivation_steps_name_registered_claims_and_are_deterministic(scaling_claims):
    steps = scaling_derivation.derivation()
    assert [s.title for s in steps] == ["Scaling transformation", "Parameter map", "Fixed points",
                                        "Partition function", "Non-trivial in the RG sense",
                                        "Moments", "Remainder",
                                        "Connected correlation functions"]
    assert {c for s in steps for c in s.claim_ids} == {c.id for c in claims.select(["scaling.*"])}
    for step in steps:
        claims.get(step.claim)
    render = lambda: [[tex(e) for e in s.equations] for s in scaling_derivation.derivation()]
    assert render() == render()
    assert tex(steps[3].equations[1]) == r"\kappa = 1"


# ---------------------------------------------------------------- connected correlation functions

@pytest.mark.parametrize("kappas, theta_value, expected", [
    ([(1,), (1,)], 1, half),                           # the variance 1/(2 theta)
    ([(2,), (2,)], 1, half),                           # Var x^2 = 3/4 - 1/4
    ([(1,), (1,), (1,), (1,)], 1, 0),                  # Gaussian: no connected 4-point function
    ([(1, 0), (0, 1)], 2, 0),                          # radial: E x_1 x_2 = 0
])
def test_joint_cumulants_of_the_gaussian_golden(kappas, theta_value, expected):
    value = scaling.joint_cumulant(kappas, lambda K: scaling.exact_moment(K, (theta_value,)))
    assert sympy.simplify(value - expected) == 0


def test_quartic_connected_four_point_is_nonzero_at_30_digits():
    theta_values = (1, half)
    moments = {}

    def moment_of(K):
        if K not in moments:
            moments[K] = sympy.Float(mpmath.nstr(scaling.moment(K, theta_values, dps=30).value, 30), 30)
        return moments[K]

    assert abs(scaling.joint_cumulant([(1,), (1,), (1,), (1,)], moment_of)) > 1e-3


@pytest.mark.parametrize("kappas, power", [
    ([(1,), (1,)], -1), ([(2,), (2,)], -2), ([(1,), (1,), (1,), (1,)], -2), ([(1, 1), (1, 0)], -sympy.Rational(3, 2)),
])
def test_connected_functions_scale_like_moments(kappas, power):
    assert scaling.connected_scaling(kappas) == KAPPA**power


def test_quartic_connected_variance_scales_numerically():
    # theta -> theta kappa^r with kappa = 2: the variance halves (independent of the symbolic proof)
    theta_values, kappa = (1, half), 2
    scaled = (theta_values[0] * kappa, theta_values[1] * kappa**2)
    ratio = scaling.moment((2,), scaled, dps=30).value / scaling.moment((2,), theta_values, dps=30).value
    assert abs(ratio - mpmath.mpf(1) / kappa) < mpmath.mpf(10)**-25


def test_invariance_forces_kappa_one():
    assert scaling.invariant_scale_ratios(KAPPA**-2) == sympy.FiniteSet(1)
    assert scaling.invariant_scale_ratios(sympy.Integer(1)) == sympy.Interval.open(0, sympy.oo)
    assert scaling.rge_factor([(1,), (1,)], KAPPA * LAMBDA**2) == 1 / KAPPA


def test_correlation_invariance_evidence(scaling_claims):
    outcome = claims.run(claims.get("scaling.correlation_invariance"), claims.Context(dps=30)).outcome
    assert outcome.details["allowed"]["[(1,), (1,)]"] == "{1}"
    assert outcome.details["remainder_n_point"] == "0"


def test_correlation_invariance_up_to_the_rge_factor_holds(scaling_claims, monkeypatch):
    # read as "zero remainder" (G_lambda = Z^(-n/2) lambda^|K| G), every kappa is allowed
    from rgproof.claims import scaling as scaling_claim_module

    monkeypatch.setattr(scaling_claim_module, "UP_TO_RGE_FACTOR", True)
    outcome = claims.run(claims.get("scaling.correlation_invariance"), claims.Context(dps=30)).outcome
    assert outcome.verdict == "holds", outcome.evidence
