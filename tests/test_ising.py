import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import claims, ising
from rgproof.claims import ising as ising_claims
from rgproof.core.errors import InputError
from rgproof.core.precision import agreed_digits, workdps
from rgproof.present.derivations import ising as ising_derivation
from rgproof.testing import assert_agree, assert_symbolic_equal

J = ising.J


def test_derived_recursion_and_constant():
    d = ising.decimation()
    assert_symbolic_equal(d.coupling, sympy.log(sympy.cosh(2 * J)) / 2)
    assert_symbolic_equal(sympy.expand_log(d.log_constant - sympy.log(4 * sympy.cosh(2 * J)) / 2,
                                           force=True), 0)
    assert len(d.equations) == 4


def test_partition_identity_proof():
    proof = ising.partition_identity_proof()
    assert proof.ratios == (1, 1)
    assert proof.proved


def test_fixed_point_analysis():
    a = ising.fixed_point_analysis()
    assert a.derivative == sympy.tanh(2 * J)
    assert a.series.removeO() == J**2 - sympy.Rational(2, 3) * J**4 + sympy.Rational(32, 45) * J**6
    assert a.shift_at_infinity == -sympy.log(2) / 2
    assert a.zero_is_fixed and a.zero_is_stable
    assert a.no_other_finite_fixed_point and a.infinity_is_unstable


def test_log_partition_golden():
    # (2 cosh 1/2)^4 + (2 sinh 1/2)^4, oracle in mpmath at 60 digits
    with workdps(60):
        half = mpmath.mpf(1) / 2
        oracle = mpmath.log((2 * mpmath.cosh(half)) ** 4 + (2 * mpmath.sinh(half)) ** 4)
    z = ising.log_partition(4, sympy.Rational(1, 2), dps=50)
    assert z.digits == 50
    assert mpmath.almosteq(z.value, oracle, 1e-49)


def test_log_partition_large_arguments_do_not_overflow():
    z = ising.log_partition(10**6, 1000, dps=30)
    # ln Z = N ln(2 cosh J) + log1p(tanh^N J) ~ 10^6 * 1000 + ln 2 (both eigenvalues ~ e^J)
    assert z.digits == 30
    with workdps(40):
        assert mpmath.almosteq(z.value, 10**9 + mpmath.log(2), 1e-25)


@settings(max_examples=30, deadline=None)
@given(N=st.integers(1, 12), J=st.fractions(-3, 3, max_denominator=50))
def test_transfer_matrix_matches_enumeration(N, J):
    a = ising.log_partition(N, J, dps=40)
    b = ising.log_partition_enumerated(N, J, dps=40)
    assert mpmath.almosteq(a.value, b.value, mpmath.mpf(10) ** -35 * max(1, abs(a.value)))


def test_histogram_counts_every_state():
    for N in (1, 2, 5, 16):
        h = ising.bond_sum_histogram(N)
        assert sum(h.values()) == 2**N
    assert ising.bond_sum_histogram(4) == {-4: 2, 0: 12, 4: 2}


@pytest.mark.parametrize("N", [2, 4, 6, 10, 64, 512, 1024])
@pytest.mark.parametrize("coupling", ["-1.3", "0.01", "0.5", "2", "10"])
def test_decimation_identity_at_50_digits(N, coupling):
    K = sympy.Rational(coupling)
    assert_agree(lambda: ising.log_partition(N, K, dps=70).value,
                 lambda: ising.decimation_constant(N, K)
                 + ising.log_partition(N // 2, ising.decimate(K), dps=70).value,
                 digits=50)


def test_iterated_decimation_closes():
    for n in range(1, 11):
        a = ising.log_partition(2**n, sympy.Rational(7, 10), dps=50)
        b = ising.log_partition_by_decimation(2**n, sympy.Rational(7, 10), dps=50)
        assert mpmath.almosteq(a.value, b.value, 1e-45 * abs(a.value))


def test_decimate_keeps_small_couplings_accurate():
    with workdps(30):
        small = ising.decimate(mpmath.mpf("1e-30"))
        assert mpmath.almosteq(small, mpmath.mpf("1e-60"), 1e-25 * small)


def test_flow_goes_to_zero():
    path = ising.flow(3, 16, dps=30)
    values = [c.value for c in path]
    assert all(b < a for a, b in zip(values, values[1:]))
    assert values[-1] < mpmath.mpf(10) ** -30


def test_printed_constant_is_twice_the_exact_one():
    with workdps(40):
        exact = ising.decimation_constant(8, sympy.Rational(3, 4))
        printed = 8 / mpmath.mpf(2) * mpmath.log(4 * mpmath.cosh(mpmath.mpf(3) / 2))
        assert mpmath.almosteq(printed / exact, 2, 1e-35)


@pytest.mark.parametrize("call, parameter", [
    (lambda: ising.log_partition(0, 1), "N"),
    (lambda: ising.log_partition(2.0, 1), "N"),
    (lambda: ising.log_partition(4, float("nan")), "J"),
    (lambda: ising.log_partition(4, float("inf")), "J"),
    (lambda: ising.log_partition(4, 1j), "J"),
    (lambda: ising.log_partition(4, "x"), "J"),
    (lambda: ising.log_partition(4, 1, dps=2), "dps"),
    (lambda: ising.decimation_constant(5, 1), "N"),
    (lambda: ising.log_partition_enumerated(17, 1), "N"),
    (lambda: ising.log_partition_by_decimation(12, 1), "N"),
    (lambda: ising.flow(1, -1), "steps"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter


def test_odd_n_message_states_the_rule():
    with pytest.raises(InputError, match="N must be even"):
        ising.decimation_constant(7, 1)


EXPECTED = {
    "ising.decimation.recursion": "holds",
    "ising.decimation.constant": "holds",
    "ising.decimation.constant_as_printed": "fails",
    "ising.partition.identity": "holds",
    "ising.partition.transfer_matrix": "holds",
    "ising.partition.iterated": "holds",
    "ising.fixed_points": "holds",
}


@pytest.mark.parametrize("claim_id, verdict", sorted(EXPECTED.items()))
def test_claim_verdicts(claim_id, verdict):
    result = claims.run(claims.get(claim_id), claims.Context(dps=50))
    assert not result.crashed, result.outcome.evidence
    assert result.outcome.verdict == verdict, result.outcome.evidence
    if result.claim.method == "high-precision":
        assert result.outcome.digits >= 50


def test_printed_constant_evidence_carries_the_counterexample():
    outcome = claims.run(claims.get("ising.decimation.constant_as_printed"),
                         claims.Context(dps=30)).outcome
    assert outcome.details["ratio"] == "2"
    assert mpmath.almosteq(mpmath.mpf(outcome.details["lhs"]) / mpmath.mpf(outcome.details["rhs"]),
                           2, 1e-25)


def test_symbolic_match_fails_on_a_wrong_statement():
    outcome = ising_claims._derived_matches(ising.decimation().coupling, sympy.log(sympy.cosh(ising.J)),
                                     "J~", "unused")
    assert outcome.verdict == "fails"
    assert sympy.simplify(sympy.sympify(outcome.details["residual"])
                          + sympy.log(sympy.cosh(2 * ising.J)) / 2) != 0


def test_identity_claim_checks_enumeration_on_both_sides():
    outcome = claims.run(claims.get("ising.partition.identity"), claims.Context(dps=50)).outcome
    assert outcome.verdict == "holds"
    assert outcome.details["numeric_digits"] >= 50 and outcome.details["enumerated_digits"] >= 50
    assert "over even N <= 16" in outcome.evidence


def test_summed_spin_runs_over_plus_minus_one_only():
    first = ising_derivation.derivation()[0].equations[0]
    assert isinstance(first, str) and first.startswith(r"\sum_{s = \pm 1}")


def test_ball_enclosure_matches_the_two_precision_value_at_1024_spins():
    pytest.importorskip("flint")
    enclosed = ising.log_partition_ball(1024, sympy.Rational(1, 3), dps=60)
    assert enclosed.digits == 60
    assert ising.log_partition(1024, sympy.Rational(1, 3), dps=60).value == enclosed.value


def test_transfer_matrix_claim_says_when_balls_were_not_run(monkeypatch):
    def missing():
        raise InputError("ball arithmetic", "needs python-flint", "flint")

    monkeypatch.setattr(ising_claims, "flint_module", missing)
    outcome = claims.run(claims.get("ising.partition.transfer_matrix"), claims.Context(30)).outcome
    assert outcome.verdict == "holds" and "python-flint not installed" in outcome.evidence


@pytest.mark.parametrize("N, J, dps", [(1, -60, 50), (3, -20, 15), (101, -100, 50), (1, -40, 50)])
def test_odd_chains_with_negative_coupling_keep_their_digits(N, J, dps):
    # 1 - tanh|J|^N used to round to 0: ln Z_1(-60) raised (log1p(-1)) and N = 1, J = -40
    # certified 18 of 50 digits
    got = ising.log_partition(N, J, dps=dps)
    with workdps(dps + 200):  # the direct sum cancels 0.87 |J| digits: give it room
        K = mpmath.mpf(J)
        exact = mpmath.log((2 * mpmath.cosh(K)) ** N + (2 * mpmath.sinh(K)) ** N)
    assert got.digits >= dps - 10
    assert agreed_digits(got.value, exact, dps) >= dps - 10


def test_ln_z_of_one_spin_at_minus_60_is_ln_2_minus_60():
    got = ising.log_partition(1, -60, dps=50)
    with workdps(60):
        assert agreed_digits(got.value, mpmath.log(2) - 60, 50) >= 40 and got.digits >= 40


def test_the_ball_encloses_odd_chains_with_strong_negative_coupling():
    pytest.importorskip("flint")
    enclosed = ising.log_partition_ball(101, -100, dps=40)
    assert enclosed.digits >= 40
    assert agreed_digits(enclosed.value, ising.log_partition(101, -100, dps=40).value, 40) >= 38
