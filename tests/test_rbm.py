import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

from rgproof import claims, ising, rbm
from rgproof.claims import rbm as rbm_claims
from rgproof.core import ledger as ledger_core
from rgproof.core import spins as spins_core
from rgproof.core.errors import InputError
from rgproof.core.precision import workdps


def enumerated_visible_hamiltonian(machine):
    """-ln sum_h e^{-E(v,h)} straight from the energy table (no closed form)."""
    v, h = spins_core.configurations(machine.n_visible), spins_core.configurations(machine.n_hidden)
    return -logsumexp(-rbm.energy(machine, v, h), axis=1)


@pytest.mark.parametrize("data, n_visible", [
    (lambda: rbm.chain_hamiltonian(12, 0.4), 12),
    (lambda: rbm.torus_hamiltonian(3, 4, 0.3), 12),
])
def test_rg_and_rbm_hidden_hamiltonians_agree_at_full_size(data, n_visible):
    machine = rbm.random_rbm(n_visible, 6, seed=11)
    H_rg = rbm.rg_hamiltonian(machine, data())
    H_rbm = rbm.hidden_hamiltonian(machine)
    assert H_rg.shape == (64,)
    np.testing.assert_allclose(H_rg, H_rbm, rtol=0, atol=1e-10)
    # H_RG does not depend on the data Hamiltonian at all (T - H = -E)
    np.testing.assert_allclose(rbm.rg_hamiltonian(machine, 5 * data()), H_rbm, atol=1e-10)


def test_closed_forms_match_the_energy_table():
    machine = rbm.random_rbm(10, 5, seed=3)
    np.testing.assert_allclose(rbm.visible_hamiltonian(machine),
                               enumerated_visible_hamiltonian(machine), atol=1e-11)
    # ln Z from either layer
    assert np.isclose(rbm.log_partition(machine), logsumexp(-rbm.hidden_hamiltonian(machine)),
                      atol=1e-11)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10 ** 6), n_visible=st.integers(2, 8), n_hidden=st.integers(1, 5),
       J=st.floats(-1.5, 1.5))
def test_kl_is_the_jensen_gap_of_the_trace(seed, n_visible, n_hidden, J):
    machine = rbm.random_rbm(n_visible, n_hidden, seed=seed)
    H = rbm.chain_hamiltonian(n_visible, J) + 3.0  # any constant: KL is blind to it
    kl = rbm.kl_divergence(H, machine)
    assert kl >= -1e-12
    assert np.isclose(kl, rbm.jensen_gap(H, machine), atol=1e-9)


@pytest.mark.parametrize("J", [mpmath.mpf("0.5"), mpmath.mpf("-0.8")])
def test_exact_chain_rbm_reproduces_the_chain_up_to_a_constant(J):
    with workdps(40):
        machine = rbm.exact_chain_rbm(5, J)
        H = rbm.chain_hamiltonian(5, J)
        assert abs(rbm.kl_divergence(H, machine)) < mpmath.mpf(10) ** -35
        expected = (2 * mpmath.exp(abs(J))) ** 5
        assert all(mpmath.almosteq(r, expected, 1e-35) for r in rbm.trace(machine, H))
        # with H carrying the constant, the trace condition holds exactly
        normalised = rbm.visible_hamiltonian(machine)
        assert all(abs(r - 1) < mpmath.mpf(10) ** -35 for r in rbm.trace(machine, normalised))


def test_disjoint_blocks_induce_no_hidden_couplings():
    mask = np.zeros((8, 4), dtype=bool)
    for j in range(4):
        mask[[2 * j, 2 * j + 1], j] = True
    rng = np.random.default_rng(0)
    machine = rbm.make_rbm(rng.standard_normal((8, 4)) * mask, rng.standard_normal(8),
                           rng.standard_normal(4))
    assert np.abs(rbm.hidden_couplings(machine)).max() < 1e-12


def test_hidden_couplings_are_gauge_invariant():
    machine = rbm.random_rbm(6, 3, seed=5)
    flip = np.array([1.0, -1.0, 1.0])
    flipped = rbm.make_rbm(machine.weights * flip, machine.visible_bias, machine.hidden_bias * flip)
    np.testing.assert_allclose(rbm.hidden_couplings(machine), rbm.hidden_couplings(flipped),
                               atol=1e-12)


def test_block_mask_is_two_to_one():
    mask = rbm.block_mask(8)
    assert mask.sum(axis=0).tolist() == [3, 3, 3, 3]
    assert mask[:, 0].nonzero()[0].tolist() == [0, 1, 7]


def test_block_training_approaches_decimation():
    run = rbm.train_chain_rbm(connectivity="block", record_every=8)
    kls = [c.kl for c in run.history]
    assert kls[-1] < rbm.KL_TARGET < kls[0]
    assert kls[-1] == min(kls)
    assert np.isclose(run.decimated_coupling, np.log(np.cosh(1.0)) / 2)
    # independent reference: J~ from the decimation map of rgproof.ising at 30 digits
    with workdps(30):
        reference = float(ising.decimate(mpmath.mpf(1) / 2))
    assert abs(run.history[-1].coupling - reference) < 1e-5 * reference
    assert run.history[-1].trace_residual < 1e-4 < run.history[1].trace_residual
    # the data and the initial machine are spin-flip symmetric: the biases' gradients vanish up to
    # rounding, and once a hidden unit copies its site (weight w -> oo) a hidden bias and that
    # site's visible bias only enter as a difference, a flat direction the rounding drifts along
    assert np.abs(run.rbm.visible_bias).max() < 1e-3 and np.abs(run.rbm.hidden_bias).max() < 1e-3


def test_training_stopped_early_is_not_converged():
    run = rbm.train_chain_rbm(max_iterations=10, record_every=100)
    assert [c.step for c in run.history] == [0, 10]
    assert run.history[-1].kl > 1e-4


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fully_connected_training_finds_a_decimation(seed):
    run = rbm.train_chain_rbm(connectivity="full", seed=seed, record_every=1000)
    assert rbm.decimation_structure(run.rbm)
    assert abs(run.history[-1].coupling - run.decimated_coupling) < 1e-5


@pytest.mark.parametrize("call, parameter", [
    (lambda: rbm.make_rbm([[np.nan, 1.0]]), "weights"),
    (lambda: rbm.make_rbm(np.zeros((3, 7))), "weights"),
    (lambda: rbm.make_rbm(np.zeros((3, 2)), visible_bias=[0, 0]), "visible_bias"),
    (lambda: rbm.make_rbm(np.zeros((3, 2)), hidden_bias=["a", 0]), "hidden_bias"),
    (lambda: rbm.trace(rbm.random_rbm(3, 2, 0), np.zeros(7)), "data_hamiltonian"),
    (lambda: rbm.kl_divergence(np.full(8, np.inf), rbm.random_rbm(3, 2, 0)), "data_hamiltonian"),
    (lambda: rbm.train_chain_rbm(N=7), "N"),
    (lambda: rbm.train_chain_rbm(N=14), "N"),
    (lambda: rbm.train_chain_rbm(connectivity="sparse"), "connectivity"),
    (lambda: rbm.train_chain_rbm(kl_target=0), "kl_target"),
    (lambda: rbm.train_chain_rbm(max_iterations=0), "max_iterations"),
    (lambda: rbm.exact_chain_rbm(8, 0.5), "N"),
    (lambda: rbm.chain_hamiltonian(4, float("nan")), "J"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.parameter == parameter


def run_claim(claim_id, dps=30):
    return claims.run(ledger_core._REGISTRY[claim_id], claims.Context(dps=dps))


def test_hamiltonians_equal_holds():
    result = run_claim("mehta_schwab.hamiltonians_equal")
    assert not result.crashed
    assert result.outcome.verdict == "holds" and result.outcome.digits == 30


def test_exact_iff_fails_with_the_constant_counterexample():
    outcome = run_claim("mehta_schwab.exact_iff_kl_zero").outcome
    assert outcome.verdict == "fails"
    with workdps(30):
        assert mpmath.almosteq(mpmath.mpf(outcome.details["trace_with_source_H"]),
                               16 * mpmath.e ** 2, 1e-18)
    assert abs(float(outcome.details["log_log_slope"]) - 0.5) < 0.01
    assert "=> holds" in outcome.evidence


def test_free_energy_equivalence_fails_in_one_direction():
    outcome = run_claim("mehta_schwab.free_energy_iff_trace").outcome
    assert outcome.verdict == "fails"
    assert 0.1 < float(outcome.details["counterexample_trace_residual"]) < 0.5
    assert abs(float(outcome.details["counterexample_gap"])) < 1e-25


def test_trained_coupling_holds_with_curves():
    outcome = run_claim("mehta_schwab.trained_rbm_coupling").outcome
    assert outcome.verdict == "holds" and outcome.digits is None  # numeric: float64 training
    assert outcome.details["deviation_digits"] >= 5
    assert max(outcome.details["relative_deviation"].values()) <= rbm_claims.COUPLING_TOLERANCE
    curve = outcome.details["curves"]["block"]
    assert curve[0][0] == 0 and curve[-1][1] < rbm.KL_TARGET
    assert curve[0][4] is None  # no decimation structure before training
    assert abs(curve[-1][4] - outcome.details["decimated_coupling"]) < 1e-5


def test_trained_coupling_is_inconclusive_when_training_is_cut_short(monkeypatch):
    short = rbm.train_chain_rbm
    monkeypatch.setattr(rbm_claims, "train_chain_rbm", lambda **kw: short(max_iterations=25, **kw))
    outcome = run_claim("mehta_schwab.trained_rbm_coupling").outcome
    assert outcome.verdict == "inconclusive"
    assert "did not reach the KL target" in outcome.evidence


def test_vrg_objective_is_unbounded_below_as_printed_and_bounded_with_an_absolute_value(
        monkeypatch):
    from rgproof.present.derivations import DERIVATIONS

    run = lambda: claims.run(claims.get("mehta_schwab.vrg_objective"),  # noqa: E731
                             claims.Context(dps=30)).outcome
    printed = run()
    assert printed.verdict == "fails" and printed.details["limit_b_to_infinity"] == "-oo"
    monkeypatch.setattr(rbm_claims, "VRG_ABSOLUTE", True)
    assert run().verdict == "holds"
    assert "mehta_schwab.vrg_objective" in {s.claim for s in DERIVATIONS["rbm"]()}


def test_same_structure_fails_in_two_dimensions_and_holds_on_a_chain(monkeypatch):
    from rgproof.present.derivations import DERIVATIONS
    from rgproof.topics.ising2d import decimation_couplings

    run = lambda: claims.run(claims.get("mehta_schwab.same_structure"),  # noqa: E731
                             claims.Context(dps=30)).outcome
    square = run()
    assert square.verdict == "fails"
    assert set(square.details["new_couplings"]) == {"0 2", "1 3", "0 1 2 3"}
    # the known checkerboard result: every pair ln cosh(4K)/8, four-spin minus ln cosh(2K)/2
    K = sympy.Symbol("K", positive=True)
    couplings = decimation_couplings(4)
    assert sympy.simplify(couplings[(0, 2)] - sympy.log(sympy.cosh(4 * K)) / 8) == 0
    assert sympy.simplify(couplings[(0, 1, 2, 3)] - sympy.log(sympy.cosh(4 * K)) / 8
                          + sympy.log(sympy.cosh(2 * K)) / 2) == 0
    monkeypatch.setattr(rbm_claims, "BLOCK_NEIGHBOURS", 2)
    assert run().verdict == "holds"
    assert "mehta_schwab.same_structure" in {s.claim for s in DERIVATIONS["rbm"]()}


def test_stacked_rbms_decimate_holds_and_the_hidden_laws_are_chains():
    outcome = run_claim("mehta_schwab.stacked_rbms_decimate").outcome
    assert outcome.verdict == "holds", outcome.evidence
    first, second = outcome.details["layers"]
    assert (first["spins"], second["spins"]) == (4, 2)
    assert first["kl"] < rbm.KL_TARGET and second["kl"] < rbm.KL_TARGET
    # layer 1's hidden law: a nearest-neighbour 4-ring, its longer pair and 4-spin coupling ~ 0
    assert set(first["deviations"]) == {"nearest", "field", "longer pair", "multi-spin"}
    assert max(first["deviations"].values()) <= rbm_claims.STACK_TOLERANCE
    # the 2-spin ring has its bond twice: K_01 = 2 J^(2)
    J2 = second["recursion_coupling"]
    assert abs(second["learned_couplings"]["0 1"] - 2 * J2) < rbm_claims.STACK_TOLERANCE * J2


def test_stacked_rbms_fail_against_a_wrong_recursion(monkeypatch):
    # tanh^2 J without the artanh: 1.6e-2 below the decimated coupling at J = 1/2
    monkeypatch.setattr(rbm_claims, "RECURSION", lambda J: float(np.tanh(J) ** 2))
    outcome = run_claim("mehta_schwab.stacked_rbms_decimate").outcome
    assert outcome.verdict == "fails"
    assert outcome.details["layers"][0]["deviations"]["nearest"] > 1e-2


def test_stacked_rbms_are_inconclusive_when_a_layer_is_not_trained(monkeypatch):
    # 5 L-BFGS iterations leave KL far above the stack's target (STACK_KL_TARGET, derived from
    # its tolerance): neither holds nor fails may be read off an untrained stack
    monkeypatch.setattr(rbm_claims, "STACK", {**rbm_claims.STACK, "max_iterations": 5})
    outcome = run_claim("mehta_schwab.stacked_rbms_decimate").outcome
    assert outcome.verdict == "inconclusive"
    assert "did not reach the KL target" in outcome.evidence
    assert all(layer["kl"] > rbm_claims.STACK_KL_TARGET for layer in outcome.details["layers"])


@pytest.mark.parametrize("seed", [1, 2])
def test_stacked_rbms_verdict_does_not_hinge_on_the_seed(monkeypatch, seed):
    monkeypatch.setattr(rbm_claims, "STACK", {**rbm_claims.STACK, "seed": seed})
    assert run_claim("mehta_schwab.stacked_rbms_decimate").outcome.verdict == "holds"


def test_exact_decimation_of_the_ring_is_a_nearest_neighbour_ring():
    # the reference of the stacked check, independently of the recursion: sum the odd sites of
    # the 8-ring out by enumeration and expand the even sites' law
    J = 0.5
    P = np.exp(-rbm.chain_hamiltonian(8, J)).reshape((2,) * 8, order="F")
    even = np.log(P.sum(axis=(1, 3, 5, 7)).ravel(order="F"))
    K = rbm.interactions(even)
    J1 = np.arctanh(np.tanh(J) ** 2)
    for S, value in K.items():
        expected = J1 if len(S) == 2 and (S[1] - S[0]) % 4 in (1, 3) else 0.0
        assert abs(value - expected) < 1e-13, S


def test_aggregate_posterior_gap_is_bounded_by_the_visible_kl():
    # data processing: KL(sum_v P p(h|v) || p(h)) <= KL(P || p(v))
    for seed in range(3):
        machine = rbm.random_rbm(6, 3, seed=seed)
        H = rbm.chain_hamiltonian(6, 0.7)
        assert -1e-12 <= rbm.aggregate_posterior_gap(H, machine) <= rbm.kl_divergence(H, machine)


def test_in_site_order_keeps_both_laws():
    machine = rbm.random_rbm(6, 3, seed=4)
    ordered = rbm.in_site_order(machine)
    np.testing.assert_allclose(rbm.visible_hamiltonian(ordered), rbm.visible_hamiltonian(machine),
                               atol=1e-12)
    assert sorted(rbm.dominant_sites(ordered)) == rbm.dominant_sites(ordered).tolist()
    assert (ordered.weights[rbm.dominant_sites(ordered), range(3)] > 0).all()


@pytest.mark.parametrize("call, parameter", [
    (lambda: rbm.stack_chain_rbms(N=6), "N"),
    (lambda: rbm.stack_chain_rbms(layers=0), "layers"),
    (lambda: rbm.stack_chain_rbms(kl_target=-1), "kl_target"),
    (lambda: rbm.interactions([0.0, 1.0, 2.0]), "minus_H"),
])
def test_stack_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.parameter == parameter


def test_every_rbm_claim_has_a_derivation_step():
    from rgproof.present.derivations import DERIVATIONS

    attached = {s.claim for s in DERIVATIONS["rbm"]()}
    assert attached == {c.id for c in claims.all_claims()
                        if c.topic is not None and c.topic.name == "rbm"}
