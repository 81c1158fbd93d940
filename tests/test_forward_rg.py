"""The slides' forward propagation as an RG transformation (rgproof.topics.forward_rg): the
field Hamiltonian of the outputs and the Gaussian rewrite, with their false cases."""
import pytest
import sympy

from rgproof.claims import expfam as expfam_claims
from rgproof.core.errors import InputError
from rgproof.present.derivations import DERIVATIONS
from rgproof.testing import claim_outcome
from rgproof.topics import forward_rg


def test_field_hamiltonian_diverges_and_a_vanishing_activation_makes_it_finite(monkeypatch):
    outcome = claim_outcome("expfam.field_hamiltonian")
    assert outcome.verdict == "fails" and outcome.details["value"] == "oo"
    monkeypatch.setattr(expfam_claims, "FIELD_ACTIVATION", "bump")
    finite = claim_outcome("expfam.field_hamiltonian")
    assert finite.verdict == "holds"
    assert sympy.sympify(finite.details["value"]).is_finite


def test_gaussian_rewrite_has_twice_the_variance_unless_the_term_is_halved(monkeypatch):
    outcome = claim_outcome("expfam.ansatz_gaussian")
    assert outcome.verdict == "fails" and outcome.details["variance"] == "1/(2*theta)"
    monkeypatch.setattr(expfam_claims, "GAUSSIAN_CONVENTION", "theta x^2 / 2")
    assert claim_outcome("expfam.ansatz_gaussian").verdict == "holds"


@pytest.mark.parametrize("call, parameter", [
    (lambda: forward_rg.field_hamiltonian_integral("relu", (1,)), "activation"),
    (lambda: forward_rg.field_hamiltonian_integral("tanh", ()), "theta"),
    (lambda: forward_rg.field_hamiltonian_integral("tanh", (-1,)), "theta"),
    (lambda: forward_rg.gaussian_rewrite("x^2"), "convention"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter


def test_both_rows_have_a_derivation_step():
    attached = {c for s in DERIVATIONS["expfam"]() for c in s.claim_ids}
    assert {"expfam.field_hamiltonian", "expfam.ansatz_gaussian"} <= attached
