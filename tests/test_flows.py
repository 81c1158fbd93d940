"""Li & Wang's flow identities (rgproof.topics.flows, rgproof.claims.flows) and the printed
decimated sum of eq. (2): each row's verdict, and a false case through the mathematics."""
import mpmath
import pytest
import sympy

from rgproof import claims
from rgproof.claims import flows as flow_claims
from rgproof.claims import ising as ising_claims
from rgproof.core.errors import InputError
from rgproof.core.precision import workdps
from rgproof.present.derivations import DERIVATIONS
from rgproof.testing import claim_outcome
from rgproof.topics import flows

EXPECTED = {"flows.change_of_variables": "holds", "flows.nll_is_kl": "holds",
            "flows.independent_sampler": "holds", "flows.mutual_information_invariant": "holds",
            "ising.decimation.sum_as_printed": "fails"}


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_verdicts(claim_id):
    outcome = claim_outcome(claim_id)
    assert outcome.verdict == EXPECTED[claim_id], outcome.evidence


def test_change_of_variables_fails_without_the_jacobian(monkeypatch):
    assert claim_outcome("flows.change_of_variables").digits >= 30
    monkeypatch.setattr(flow_claims, "WITH_JACOBIAN", False)
    outcome = claim_outcome("flows.change_of_variables")
    assert outcome.verdict == "fails" and outcome.digits >= 1


def test_nll_is_kl_fails_for_the_reverse_divergence(monkeypatch):
    monkeypatch.setattr(flow_claims, "KL_DIRECTION", "reverse")
    outcome = claim_outcome("flows.nll_is_kl")
    assert outcome.verdict == "fails" and "gradient" in outcome.evidence


def test_independent_sampler_fails_without_the_proposal_ratio(monkeypatch):
    monkeypatch.setattr(flow_claims, "SAMPLER_ACCEPTANCE", "metropolis")
    outcome = claim_outcome("flows.independent_sampler")
    assert outcome.verdict == "fails" and outcome.details["violations"]


def test_independent_sampler_with_the_exact_proposal_accepts_everything():
    weights = (1, 3)
    P = flows.independent_sampler(weights, [sympy.Rational(1, 4), sympy.Rational(3, 4)])
    assert P == [[sympy.Rational(1, 4), sympy.Rational(3, 4)],
                 [sympy.Rational(1, 4), sympy.Rational(3, 4)]]
    assert flows.detailed_balance_violations(weights, P) == []


def test_mutual_information_changes_under_a_mixing_bijection(monkeypatch):
    monkeypatch.setattr(flow_claims, "LATENT_BIJECTION", "mixing")
    outcome = claim_outcome("flows.mutual_information_invariant")
    assert outcome.verdict == "fails"
    # the shear a_1 + b_1 of the Gaussian latent adds exactly (1/2) ln 2
    assert outcome.details["details"]["mixing"]["gaussian_change"] == "log(2)/2"


def test_gaussian_mutual_information_is_invariant_under_any_block_matrix():
    rho = sympy.Symbol("rho", positive=True)
    alpha, beta = sympy.symbols("alpha beta", nonzero=True)
    covariance = sympy.Matrix([[1, rho], [rho, 1]])
    scaled = sympy.diag(alpha, beta) * covariance * sympy.diag(alpha, beta)
    assert sympy.simplify(flows.gaussian_mutual_information(scaled, 1)
                          - flows.gaussian_mutual_information(covariance, 1)) == 0


def test_spin_mutual_information_of_two_coupled_spins():
    J = sympy.Rational(1, 3)
    mi = flows.spin_mutual_information(flows.chain_weights(2, J / 2), 1)
    # p(s1 s2 = +1) = (1 + tanh J) / 2 and the marginals are uniform: I = ln 2 - H_2(p)
    p = (1 + sympy.tanh(J)) / 2
    expected = sympy.log(2) + p * sympy.log(p) + (1 - p) * sympy.log(1 - p)
    assert abs((mi - expected).evalf(40)) < 1e-35


def test_printed_sum_holds_when_it_runs_to_half_the_lattice(monkeypatch):
    monkeypatch.setattr(ising_claims, "SUM_UPPER_LIMIT", "N/2")
    outcome = claim_outcome("ising.decimation.sum_as_printed")
    assert outcome.verdict == "holds" and outcome.digits >= 30


def test_substitution_matches_a_closed_form():
    # int e^{-x^2} dx = sqrt(pi), through either bijection
    for bijection in flows.BIJECTIONS.values():
        value = flows.log_partition_by_substitution(lambda ctx, x: -x**2, bijection, 30)
        with workdps(30):
            assert abs(value - mpmath.log(mpmath.sqrt(mpmath.pi))) < mpmath.mpf(10) ** -28


@pytest.mark.parametrize("call, parameter", [
    (lambda: flows.independent_sampler([1, 2], [1]), "proposal"),
    (lambda: flows.independent_sampler([1, -2], [0.5, 0.5]), "weights"),
    (lambda: flows.independent_sampler([1, 2], [0.25, 0.5]), "proposal"),
    (lambda: flows.independent_sampler([1, 2], [0.5, 0.5], "gibbs"), "acceptance"),
    (lambda: flows.nll_minus_kl([0, 0], [0], []), "log_q"),
    (lambda: flows.nll_minus_kl([0], [0], [], "sideways"), "direction"),
    (lambda: flows.gaussian_mutual_information(sympy.eye(2), 2), "size_a"),
    (lambda: flows.spin_mutual_information(flows.chain_weights(2, 1), 2), "size_a"),
    (lambda: flows.push_forward(flows.chain_weights(2, 1), lambda s: (1, 1)), "bijection"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter


def test_every_flow_claim_has_a_derivation_step():
    steps = DERIVATIONS["flows"]()
    assert {s.claim for s in steps} == {c.id for c in claims.all_claims()
                                        if c.topic is not None and c.topic.name == "flows"}
    assert "ising.decimation.sum_as_printed" in {s.claim for s in DERIVATIONS["ising"]()}
