"""Tests for rgproof.lgw: the LGW transformation, its verification, claims and derivation."""
import dataclasses
from fractions import Fraction

import mpmath
import numpy
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rgproof import claims
from rgproof.topics import lgw_shift
from rgproof.core.errors import InputError
from rgproof.core.latex import Step, tex
from rgproof.core.precision import agreed_digits, workdps
from rgproof.present.derivations.lgw import derivation
from rgproof.topics.lgw import (
    LGW,
    counterexample,
    eigenblocks,
    gaussian_polar,
    hamiltonian,
    remix,
    transform,
    verify,
    zero_eigenvalue_example,
)

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- strategies ----------------------------------------------------------------------------------

@st.composite
def spd_problems(draw, sizes=(1, 2, 3)):
    """(A, theta, b) with A = M^T M + I (small integer M), theta_R > 0, b in quarters."""
    n = draw(st.sampled_from(sizes))
    entries = st.integers(-2, 2)
    M = sympy.Matrix(n, n, draw(st.lists(entries, min_size=n * n, max_size=n * n)))
    A = (M.T * M + sympy.eye(n)).tolist()
    R = draw(st.integers(1, 3))
    # quarters are exact in binary, so the float path sees the same problem
    fractions = st.integers(-12, 12).map(lambda k: Fraction(k, 4))
    theta = draw(st.lists(fractions, min_size=R - 1, max_size=R - 1))
    theta.append(draw(st.integers(1, 12).map(lambda k: Fraction(k, 4))))
    b = draw(st.lists(fractions, min_size=n, max_size=n))
    return A, theta, b


# --- the counterexample and other exact values ---------------------------------------------------

def test_counterexample_exact_values():
    r = transform([[1]], [1, 1], b=[2])
    assert r.exact
    assert (r.shift, r.c, r.theta_new, r.constant) == ((-1,), 1, (-1, 1), 0)
    assert (r.mu, r.Q, r.scales, r.jacobian, r.null_directions) == ((1,), ((1,),), (1,), 1, ())
    assert verify(r).holds


def test_counterexample_objects():
    example = counterexample()
    x = example["x"]
    assert sympy.expand(example["H"] - (x ** 2 + 2 * x) - (x ** 2 + 2 * x) ** 2) == 0
    assert sympy.factor(example["difference"]) == -2 * (x + 1) ** 2
    assert example["any_shift_solutions"] == []


def test_remix_numbers_and_symbols():
    assert remix([1, 1], 1) == (0, -1, 1)
    assert remix([5], 3) == (-15, 5)
    theta, (c, u) = sympy.symbols("t1:4"), sympy.symbols("c u")
    coefficients = remix(theta, c)
    lhs = sum(t * (u - c) ** r for r, t in enumerate(theta, start=1))
    rhs = sum(t * u ** k for k, t in enumerate(coefficients))
    assert sympy.expand(lhs - rhs) == 0
    assert coefficients[2] == theta[1] - 3 * c * theta[2]


def test_remix_rejects_empty_theta():
    with pytest.raises(InputError, match="theta"):
        remix([], 1)


def test_repeated_eigenvalue_is_exact():
    r = transform([[2, 1, 1], [1, 2, 1], [1, 1, 2]], [1])
    assert r.mu == (1, 1, 4)
    Q = sympy.Matrix(r.Q)
    assert (Q * Q.T).applyfunc(sympy.simplify) == sympy.eye(3)
    assert (Q.T * sympy.diag(*r.mu) * Q).applyfunc(sympy.simplify) == sympy.Matrix(r.A)
    assert r.jacobian == sympy.Rational(1, 2)
    assert verify(r).holds


def test_irreducible_cubic_spectrum():
    A = [[5, 2, 1], [2, 3, 0], [1, 0, 4]]
    r = transform(A, [1, 1], b=[1, 0, 0])
    assert all(isinstance(m, sympy.CRootOf) for m in r.mu)
    assert [b.minpoly.degree() for b in eigenblocks(sympy.Matrix(A))] == [3]
    assert verify(r).checks == {"identity": True, "diagonal": True, "orthogonal": True,
                                "embedding": True}
    with workdps(40):
        Q = mpmath.matrix([[mpmath.mpf(sympy.N(v, 45)) for v in row] for row in r.Q])
        mu = mpmath.diag([mpmath.mpf(sympy.N(m, 45)) for m in r.mu])
        assert mpmath.mnorm(Q.T * mu * Q - mpmath.matrix(A), 1) < mpmath.mpf(10) ** -35
    assert r.jacobian == 1 / sympy.sqrt(sympy.Matrix(A).det())


def test_two_by_two_map_round_trip():
    r = transform([[2, 1], [1, 2]], [1, 1], b=[1, 1])
    z = sympy.symbols("z1:3")
    x = r.x_of_z(z)
    assert [sympy.simplify(a - b) for a, b in zip(r.z_of_x(x), z)] == [0, 0]
    H = hamiltonian(r.A, r.theta, r.b, x)
    assert sympy.simplify(sympy.expand(H - r.lgw_hamiltonian(z))) == 0


def test_semidefinite_is_reported_exact_and_float():
    exact = transform([[1, 1], [1, 1]], [1, 2], b=[1, 1])
    assert exact.null_directions == (0,) and not exact.integrable
    assert (exact.mu, exact.shift, exact.c) == ((0, 2), (-sympy.Rational(1, 4),) * 2,
                                                sympy.Rational(1, 4))
    assert exact.scales == (1, sympy.sqrt(2)) and exact.jacobian == 1 / sympy.sqrt(2)
    assert verify(exact).holds
    numeric = transform([[1.0, 1.0], [1.0, 1.0]], [1, 2], b=[1, 1], dps=30)
    assert numeric.null_directions == (0,) and numeric.mu[0] == 0
    with workdps(30):
        assert agreed_digits(numeric.c, mpmath.mpf("0.25"), 30) == 30
        assert agreed_digits(numeric.jacobian, 1 / mpmath.sqrt(2), 30) >= 29
    assert verify(numeric).holds


def test_zero_matrix_is_all_null():
    r = transform([[0, 0], [0, 0]], [1])
    assert r.null_directions == (0, 1) and r.jacobian == 1 and verify(r).holds


def test_input_types_agree():
    lists = transform([[2, 1], [1, 3]], [1, 2], b=[1, 0])
    for A in (sympy.Matrix([[2, 1], [1, 3]]), numpy.array([[2, 1], [1, 3]]),
              [[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]]):
        assert transform(A, (1, 2), b=numpy.array([1, 0])) == lists
    numeric = transform(mpmath.matrix([[2, 1], [1, 3]]), [1, 2], b=[1, 0], dps=20)
    assert not numeric.exact and numeric.dps == 20


def test_hamiltonian_values():
    x = sympy.Symbol("x")
    expected = x ** 4 + 4 * x ** 3 + 5 * x ** 2 + 2 * x
    assert sympy.expand(hamiltonian([[1]], [1, 1], [2], [x])) == expected
    u = sympy.Rational(19, 4)  # x^T A x + b^T x = 2 + 1 + 3/4 + 1 at x = (1, 1/2)
    assert hamiltonian([[2, 1], [1, 3]], [1, 1], [1, 0], [1, Fraction(1, 2)]) == u + u ** 2
    value = hamiltonian([[1]], [1, 1], [2], [0.5])
    assert isinstance(value, mpmath.mpf) and value == mpmath.mpf("1.25") + mpmath.mpf("1.25") ** 2
    with pytest.raises(InputError, match="x: must have length N = 2"):
        hamiltonian([[1, 0], [0, 1]], [1], None, [1])


# --- bad input -----------------------------------------------------------------------------------

BAD_INPUTS = [
    ("A", dict(A=[[1, 2]], theta=[1]), "square"),
    ("A", dict(A=[], theta=[1]), "square"),
    ("A", dict(A=5, theta=[1]), "square"),
    ("A", dict(A=numpy.ones(3), theta=[1]), "square"),
    ("A", dict(A=[[1, 2], [3, 4]], theta=[1]), "symmetric"),
    ("A", dict(A=[[1.0, 2.0], [2.5, 4.0]], theta=[1]), "symmetric"),
    ("A", dict(A=[[1, 2], [2, 1]], theta=[1]), "negative eigenvalue -1"),
    ("A", dict(A=[[1.0, 0.0], [0.0, -2.0]], theta=[1]), "negative eigenvalue -2.0"),
    ("A", dict(A=[[5, 2, 1], [2, -3, 0], [1, 0, 4]], theta=[1]), "negative eigenvalue -3.479"),
    ("b", dict(A=[[1, 0], [0, 1]], theta=[1], b=[1]), "length N = 2"),
    ("b", dict(A=[[1, 0], [0, 0]], theta=[1], b=[0, 1]), "range of A"),
    ("b", dict(A=[[1.0, 1.0], [1.0, 1.0]], theta=[1], b=[1.0, -1.0]), "range of A"),
    ("theta", dict(A=[[1]], theta=[]), "non-empty"),
    ("theta", dict(A=[[1]], theta=5), "sequence"),
    ("theta", dict(A=[[1]], theta=[1, 0]), "theta_R must be > 0 for integrability"),
    ("theta", dict(A=[[1]], theta=[1, -0.5]), "theta_R must be > 0 for integrability"),
    ("A[0][1]", dict(A=[[1, float("nan")], [float("nan"), 1]], theta=[1]), "finite"),
    ("A[0][0]", dict(A=[[float("inf")]], theta=[1]), "finite"),
    ("theta[0]", dict(A=[[1]], theta=[float("inf")]), "finite"),
    ("b[1]", dict(A=[[1, 0], [0, 1]], theta=[1], b=[0, float("nan")]), "finite"),
    ("A[0][0]", dict(A=[[1j]], theta=[1]), "complex"),
    ("dps", dict(A=[[1]], theta=[1], dps=2), "integer >= 5"),
]


@pytest.mark.parametrize("parameter, kwargs, rule", BAD_INPUTS,
                         ids=[f"{p}-{r}" for p, _, r in BAD_INPUTS])
def test_bad_input_names_the_parameter(parameter, kwargs, rule):
    with pytest.raises(InputError) as caught:
        transform(**kwargs)
    assert caught.value.parameter == parameter
    assert str(caught.value).startswith(parameter + ":")
    assert rule in str(caught.value)


def test_verify_rejects_other_objects():
    with pytest.raises(InputError, match="result"):
        verify({"mu": (1,)})


# --- verification can fail -----------------------------------------------------------------------

def test_verify_detects_tampered_exact_result():
    r = transform([[2, 1], [1, 3]], [1, 2], b=[1, 1])
    wrong_theta = verify(dataclasses.replace(r, theta_new=(r.theta_new[0] + 1, r.theta_new[1])))
    assert not wrong_theta.holds and wrong_theta.checks["identity"] is False
    swapped = dataclasses.replace(r, Q=r.Q[::-1])
    assert verify(swapped).checks["embedding"] is False


def test_verify_detects_tampered_float_result():
    r = transform([[2.0, 1.0], [1.0, 3.0]], [1.0, 2.0], b=[1.0, 1.0], dps=30)
    assert verify(r).holds
    swapped = verify(dataclasses.replace(r, Q=r.Q[::-1]))
    assert not swapped.holds and swapped.checks["diagonal"] == 0
    with workdps(30):
        nudged = dataclasses.replace(r, c=r.c * (1 + mpmath.mpf(10) ** -12))
    nudged_check = verify(nudged)
    assert not nudged_check.holds and 11 <= nudged_check.checks["precision"] <= 13


# --- property tests ------------------------------------------------------------------------------

@FAST
@given(spd_problems())
def test_exact_transform_verifies(problem):
    A, theta, b = problem
    r = transform(A, theta, b)
    assert r.exact and r.integrable
    assert verify(r).holds
    assert r.jacobian ** 2 * sympy.Matrix(A).det() == 1
    solution = sympy.Matrix(A).solve(sympy.Matrix(b))
    assert r.c == (sympy.Matrix(b).T * solution)[0] / 4
    assert r.theta_new[-1] == theta[-1]


@FAST
@given(spd_problems(sizes=(2,)), st.lists(st.fractions(-2, 2, max_denominator=3), min_size=2,
                                           max_size=2))
def test_lgw_form_at_a_point(problem, point):
    """H(x) == sum theta'_k |z(x)|^(2k) + theta'_0 at a rational point (N = 2, radicals)."""
    A, theta, b = problem
    r = transform(A, theta, b)
    difference = hamiltonian(A, theta, b, point) - r.lgw_hamiltonian(r.z_of_x(point))
    assert abs(sympy.N(difference, 40)) < sympy.Float(10) ** -30


@FAST
@given(spd_problems(sizes=(1, 2, 3, 4)))
def test_float_path_matches_exact_path(problem):
    A, theta, b = problem
    exact = transform(A, theta, b)
    numeric = transform(numpy.array(A, dtype=float), [float(t) for t in theta],
                        [float(v) for v in b], dps=30)
    check = verify(numeric)
    assert check.holds and check.digits >= 25
    with workdps(30):
        pairs = [(exact.c, numeric.c), (exact.constant, numeric.constant),
                 *zip(exact.theta_new, numeric.theta_new), *zip(exact.mu, numeric.mu)]
        scale = max(abs(sympy.N(e, 35)) for e, _ in pairs) + 1
        for e, f in pairs:
            assert abs(mpmath.mpf(sympy.N(e, 35)) - f) < scale * mpmath.mpf(10) ** -25


# --- claims --------------------------------------------------------------------------------------

EXPECTED = {"lgw.shift.even": "fails", "lgw.shift.keeps_theta": "fails",
            "lgw.diagonalize": "holds", "lgw.dilate": "holds",
            "lgw.zero_eigenvalue.positive_definite": "holds",
            "lgw.zero_eigenvalue.semidefinite": "fails"}


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_claim_verdicts(claim_id):
    result = claims.run(claims.get(claim_id), claims.Context(dps=30))
    assert not result.crashed, result.outcome.evidence
    assert result.outcome.verdict == EXPECTED[claim_id], result.outcome.evidence


def test_shift_claim_evidence():
    outcome = claims.run(claims.get("lgw.shift.keeps_theta"), claims.Context(dps=30)).outcome
    assert "theta'_1 = -1 < 0" in outcome.evidence  # the re-mixed linear coefficient turns negative
    example = outcome.details["counterexample"]
    assert example["theta_new"] == ["-1", "1"] and example["constant"] == "0"
    assert example["H_minus_kept"] == "-2*(x + 1)**2" and example["shifts_f_that_work"] == 0
    assert outcome.details["random_cases_failing"] == outcome.details["random_cases_R_ge_2"] == 4
    assert outcome.details["R_equal_1_difference_is_minus_theta1_c"] == 3


def test_numeric_claims_report_digits():
    for claim_id in ("lgw.diagonalize", "lgw.dilate"):
        outcome = claims.run(claims.get(claim_id), claims.Context(dps=40)).outcome
        assert outcome.verdict == "holds" and outcome.digits >= 40


def test_zero_eigenvalue_evidence():
    example = zero_eigenvalue_example()
    z, L = example["z"], example["L"]
    assert example["transformed"] == z[1] ** 2 and example["lgw"] == z[0] ** 2 + z[1] ** 2
    assert example["Z_box"] == 2 * sympy.sqrt(sympy.pi) * L
    outcome = claims.run(claims.get("lgw.zero_eigenvalue.semidefinite"),
                         claims.Context(dps=30)).outcome
    box = {int(k): float(v) for k, v in outcome.details["Z_box"].items()}
    assert box[100] / box[10] == pytest.approx(10, rel=1e-10)
    assert float(outcome.details["Z_lgw"]) == pytest.approx(numpy.pi, rel=1e-10)


def test_positive_definite_row_fails_on_a_singular_matrix(monkeypatch):
    # the same check on the slides' semidefinite case: the rule fires and changes the model
    from rgproof.claims import lgw as lgw_claims

    monkeypatch.setattr(lgw_claims, "DEFINITE_EXAMPLE", (((1, 0), (0, 0)), (1,)))
    outcome = claims.run(claims.get("lgw.zero_eigenvalue.positive_definite"),
                         claims.Context(dps=30)).outcome
    assert outcome.verdict == "fails" and len(outcome.details["null_directions"]) == 1
    assert [c.id for c in claims.select(["lgw.zero_eigenvalue"])] == [
        "lgw.zero_eigenvalue.positive_definite", "lgw.zero_eigenvalue.semidefinite"]


def test_gaussian_polar():
    with workdps(30):
        assert agreed_digits(gaussian_polar([[2, 1], [1, 3]]), mpmath.pi / mpmath.sqrt(5), 30) >= 29


# --- derivation ----------------------------------------------------------------------------------

def test_derivation_steps():
    steps = derivation()
    assert [s.claim for s in steps] == ["lgw.shift.even", "lgw.shift.keeps_theta",
                                         "lgw.diagonalize", "lgw.dilate",
                                         "lgw.zero_eigenvalue.semidefinite"]
    assert all(isinstance(s, Step) and s.equations for s in steps)
    ids = {c.id for c in claims.all_claims()}
    assert {s.claim for s in steps} <= ids
    rendered = [[tex(e) for e in s.equations] for s in steps]
    assert rendered == [[tex(e) for e in s.equations] for s in derivation()]
    assert r"\theta'_{1} = 3 c^{2} \theta_{3} - 2 c \theta_{2} + \theta_{1}" in rendered[0]
    assert r"\mathcal{Z}_L = 2 \sqrt{\pi} L" in rendered[4]


def test_lgw_is_frozen():
    r = transform([[1]], [1])
    assert isinstance(r, LGW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.c = 2


def test_even_shift_exists_exactly_when_the_hamiltonian_allows_it():
    assert lgw_shift.even_shifts([[1]], [1, 1], [2])[0] == [{sympy.Symbol("f1"): 1}]
    # A = 0 (non-negative definite, as the slides allow), R = 4: integrable, never even
    solutions, H = lgw_shift.even_shifts([[0]], [1, 1, 1, 1], [1])
    assert solutions == [] and mpmath.isfinite(lgw_shift.log_partition_1d([[0]], [1, 1, 1, 1], [1]))
    # b outside range(A) in two dimensions: the linear x2 term cannot be shifted away
    assert lgw_shift.even_shifts([[1, 0], [0, 0]], [1, 1], [0, 1])[0] == []


def test_even_shift_claim_flips_without_the_semidefinite_case(monkeypatch):
    from rgproof.claims import lgw as lgw_claims
    monkeypatch.setattr(lgw_claims, "EVEN_SHIFT_CASES", lgw_claims.EVEN_SHIFT_CASES[:2])
    assert claims.run(claims.get("lgw.shift.even"), claims.Context(dps=30)).outcome.verdict == "holds"


def test_the_old_id_selects_both_parts():
    assert [c.id for c in claims.select(["lgw.shift"])] == ["lgw.shift.even", "lgw.shift.keeps_theta"]
