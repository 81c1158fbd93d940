"""The summary notes' statements (rgproof.claims.summary_notes, rgproof.topics.summary_notes): each
row's verdict, a false case through the mathematics that flips it, the pieces they rest on, and
the report's grouping of the rows apart from Gong & Xia's."""
import math
from pathlib import Path

import numpy as np
import pytest
import sympy

from rgproof import claims
from rgproof.claims import papers
from rgproof.claims import summary_notes as notes
from rgproof.core.errors import InputError
from rgproof.core.spins import configurations
from rgproof.experiments import ensemble as engine
from rgproof.experiments import network
from rgproof.present.derivations import DERIVATIONS
from rgproof.present.report import group_rows
from rgproof.testing import claim_outcome
from rgproof.topics import summary_notes as topic
from rgproof.topics.ising import log_partition

EXPECTED = {"summary_notes.layer_per_iteration": "fails",
            "summary_notes.final_layer_fixed_point": "inconclusive",
            "summary_notes.critical_scaling": "inconclusive",
            "summary_notes.workflow": "fails"}
SUMMARY_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "rg-dnn-skill-summary.txt"


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_verdicts(claim_id):
    outcome = claim_outcome(claim_id)
    assert outcome.verdict == EXPECTED[claim_id], outcome.evidence


# --------------------------------------------------------------------------- false cases

def test_layers_hold_against_a_recursion_that_goes_straight_to_zero(monkeypatch):
    """With J^(k) = 0 for k >= 1 in place of decimation, every hidden layer (J_nn near 0) is
    inside its band: the row holds, so its "fails" comes from the recursion."""
    monkeypatch.setattr(notes, "decimation_couplings",
                        lambda coupling, steps: [float(coupling)] + [0.0] * steps)
    outcome = claim_outcome("summary_notes.layer_per_iteration")
    assert outcome.verdict == "holds", outcome.evidence


def test_layers_are_inconclusive_when_the_definition_misses_the_data(monkeypatch):
    """Uniform input weights in place of the data's: the inputs read as J = 0, not the data's J."""
    monkeypatch.setattr(notes, "chain_weights", lambda N, coupling: np.full(2 ** N, 2.0 ** -N))
    outcome = claim_outcome("summary_notes.layer_per_iteration")
    assert outcome.verdict == "inconclusive"
    assert "does not give the data's J" in outcome.evidence


def test_final_layer_fails_against_a_fixed_point_away_from_zero(monkeypatch):
    monkeypatch.setattr(notes, "fixed_point", lambda: 0.5)
    outcome = claim_outcome("summary_notes.final_layer_fixed_point")
    assert outcome.verdict == "fails", outcome.evidence


def test_critical_scaling_fails_for_data_with_a_finite_critical_coupling(monkeypatch):
    """A correlation exp(-r |J - 1|) diverges in range at J = 1: the loss has no J, so the
    training cannot scale near it."""
    monkeypatch.setattr(notes, "DATA_CORRELATION",
                        sympy.exp(-topic.DISTANCE * sympy.Abs(topic.J - 1)))
    outcome = claim_outcome("summary_notes.critical_scaling")
    assert outcome.verdict == "fails", outcome.evidence
    assert outcome.details["critical_couplings"] == "{1}"


def test_critical_scaling_is_open_when_the_training_would_see_J(monkeypatch):
    monkeypatch.setattr(notes, "DATA_CORRELATION",
                        sympy.exp(-topic.DISTANCE * sympy.Abs(topic.J - 1)))
    monkeypatch.setattr(notes, "teacher_student_loss", lambda N, M: topic.J * sympy.Symbol("L"))
    outcome = claim_outcome("summary_notes.critical_scaling")
    assert outcome.verdict == "inconclusive" and "not run" in outcome.evidence


def test_workflow_holds_for_the_rotation_teacher_alone(monkeypatch):
    monkeypatch.setattr(notes, "WORKFLOW_SCALES", (notes.ROTATION_SCALE,))
    outcome = claim_outcome("summary_notes.workflow")
    assert outcome.verdict == "holds", outcome.evidence


# --------------------------------------------------------------------------- the pieces

def test_the_decimation_band_separates_consecutive_steps():
    couplings = notes.decimation_couplings(notes.CLAIM_CONFIG.J, len(notes.DEEP_HIDDEN) + 1)
    assert couplings[1] == pytest.approx(math.atanh(math.tanh(1.0) ** 2), rel=1e-14)
    assert notes.DECIMATION_BAND < min(a - b for a, b in zip(couplings, couplings[1:])) / 2


def test_the_inputs_read_as_the_data_coupling_and_layers_cut_the_network():
    result = notes.claim_run(notes.deep_config(claims.Context()))
    cfg = result.config
    readings = notes.read_layers(cfg, result.params)
    assert [r.layer for r in readings] == list(range(len(cfg.hidden) + 2))
    assert readings[0].coupling() == pytest.approx(cfg.J, abs=1e-12)
    full = engine.Ensemble(network.Architecture(cfg.N, cfg.M, cfg.hidden), cfg.activation, None,
                           result.params, 0.0)
    with full:
        expected = full.outputs()
    assert np.allclose(notes.layer_outputs(cfg, result.params, len(cfg.hidden) + 1), expected,
                       rtol=1e-13, atol=0)


def test_chain_weights_are_the_boltzmann_weights():
    N, coupling = 5, 0.7
    x = configurations(N, np.float64)
    energy = coupling * (x * np.roll(x, -1, axis=1)).sum(axis=1)
    Z = math.exp(float(log_partition(N, coupling, 30).value))
    assert np.allclose(topic.chain_weights(N, coupling), np.exp(energy) / Z, rtol=1e-13)


def test_best_cycle_correlation_is_the_best_ordering():
    rng = np.random.default_rng(0)
    C = rng.uniform(-1, 1, (3, 5, 5))
    C = (C + C.transpose(0, 2, 1)) / 2
    orders = topic.cycles(5)
    assert len(orders) == math.factorial(4)
    brute = [max(np.mean([c[o[j], o[(j + 1) % 5]] for j in range(5)]) for o in orders)
             for c in C]
    assert np.allclose(topic.best_cycle_correlation(C), brute, rtol=1e-14)
    with pytest.raises(InputError, match="enumerated up to"):
        topic.cycles(topic.MAX_CYCLE_UNITS + 1)


def test_the_chain_has_no_finite_critical_coupling():
    analysis = topic.critical_analysis()
    assert analysis.critical_couplings == sympy.S.EmptySet
    assert analysis.xi_at_infinity == sympy.oo
    assert sympy.simplify(topic.correlation_length() + 1 / sympy.log(sympy.tanh(topic.J))) == 0
    assert topic.J not in topic.teacher_student_loss(2, 2).free_symbols


def test_the_fixed_point_of_step_two_is_the_fit():
    theta_star, kappa = notes.rg_fixed_point([0.5], 2)
    assert kappa == 1 and theta_star == [0.5]


# --------------------------------------------------------------------------- sources and report

def test_every_row_cites_the_summary_notes_verbatim():
    text = " ".join(SUMMARY_SEED.read_text(encoding="utf-8").split()) if SUMMARY_SEED.is_file() \
        else None
    for claim_id in EXPECTED:
        claim = claims.get(claim_id)
        assert claim.source.document == papers.SUMMARY_DOCUMENT
        assert claim.topic.paper == papers.SUMMARY_NOTES
        assert 5 <= len(claim.source.quote.split()) <= 30
        if text is not None:
            assert " ".join(claim.source.quote.split()) in text, claim_id


def test_the_report_groups_the_rows_under_the_summary_notes_only():
    rows = [{"id": c.id} for c in claims.all_claims()]
    groups = dict(group_rows(rows))
    notes_ids = {r["id"] for r in groups[papers.SUMMARY_NOTES]}
    assert set(EXPECTED) <= notes_ids
    for paper in (papers.GONG_XIA_ISING, papers.GONG_XIA_EXPFAM):
        assert not set(EXPECTED) & {r["id"] for r in groups.get(paper, [])}
    authors = [paper for paper in groups if "Gong & Xia" in paper and paper != papers.SUMMARY_NOTES]
    assert authors and all(not set(EXPECTED) & {r["id"] for r in groups[p]} for p in authors)


def test_every_row_has_a_derivation_step():
    attached = {i for step in DERIVATIONS["summary_notes"]() for i in step.claim_ids}
    assert set(EXPECTED) <= attached
