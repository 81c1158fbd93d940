import pytest
import sympy

from rgproof import claims
from rgproof.claims import theorem4 as theorem4_claims
from rgproof.core.latex import tex
from rgproof.experiments.network import Architecture
from rgproof.present.derivations import theorem4 as theorem4_derivation
from rgproof.topics import theorem4
from rgproof.topics.scaling import LAMBDA, theta_symbols


@pytest.fixture
def run_claim(monkeypatch):
    """Run a theorem4 claim at 30 digits, the claims looked up in this topic only (another
    topic's import problem cannot mask them); a crash fails the test."""
    monkeypatch.setattr(claims, "TOPICS", ("theorem4",))

    def run(claim_id):
        result = claims.run(claims.get(claim_id), claims.Context(dps=30))
        assert not result.crashed, result.outcome.evidence
        return result

    return run


# ---------------------------------------------------------------- fixed points

def test_fixed_points_and_the_partition_condition():
    t1, t2 = theta_symbols(2)
    table = theorem4.fixed_point_table((LAMBDA**2, LAMBDA**2 * sympy.log(LAMBDA)))
    assert table[LAMBDA**2] == (t1, t2)
    assert theorem4.fixed_points_exist_nonnegative(table[LAMBDA**2]) == (True, True)
    assert theorem4.fixed_points_exist_nonnegative(table[LAMBDA**2 * sympy.log(LAMBDA)])[0] is False
    assert theorem4.satisfy_partition_condition(
        (LAMBDA**2, LAMBDA**sympy.Rational(3, 2), 2 * LAMBDA**2)) == (LAMBDA**2,)


# ---------------------------------------------------------------- networks

@pytest.mark.parametrize("name, expected", [
    ("tanh", (-1, 0)), ("sigmoid", (-1, 1)), ("identity", (-1, 0)), ("bump", (1, 0)),
])
def test_reflections_of_the_activations(name, expected):
    assert theorem4.reflection(theorem4.ACTIVATIONS[name]) == expected


def test_no_reflection_for_a_shifted_softplus():
    softplus = lambda z: sympy.log(1 + sympy.exp(z)) + z**2  # noqa: E731
    assert theorem4.reflection(softplus) is None


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "identity", "bump"])
@pytest.mark.parametrize("hidden", [(2,), (3, 2)])
def test_symmetric_images_fit_the_teacher_exactly(name, hidden):
    f = theorem4.ACTIVATIONS[name]
    star = theorem4.teacher(Architecture(2, 1, hidden).layer_shapes)
    images = theorem4.hidden_symmetries(star, f)
    assert len(images) == sum(width - 1 + width for width in hidden)
    for _, image in images:
        assert theorem4.data_term(image, star, f) == 0
        assert theorem4.squared_distance(image, star) > 0


def test_swapped_teacher_outputs_agree_numerically():
    # an independent float evaluation of the same swap, outside the exact comparison
    f = theorem4.ACTIVATIONS["sigmoid"]
    star = theorem4.teacher(((2, 2), (2, 1)))
    _, image = theorem4.hidden_symmetries(star, f)[1]  # a reflection: the bias absorbs 1
    for x in theorem4.hypercube(2):
        a, b = theorem4.forward(image, f, x)[0], theorem4.forward(star, f, x)[0]
        assert abs(float(a) - float(b)) < 1e-14


def test_a_perturbed_network_does_not_fit():
    f = theorem4.ACTIVATIONS["tanh"]
    star = theorem4.teacher(((2, 2), (2, 1)))
    other = theorem4.teacher(((2, 2), (2, 1)))
    other[1][1][0, 0] += 1  # output bias
    assert float(theorem4.data_term(other, star, f)) > 0
    assert theorem4.loss(star, star, f, sympy.Symbol("lambda", positive=True)) == 0


def test_without_hidden_layers_nothing_to_permute():
    star = theorem4.teacher(Architecture(3, 2).layer_shapes)
    assert theorem4.hidden_symmetries(star, theorem4.ACTIVATIONS["tanh"]) == []
    assert theorem4.affine_rank(3) == 4
    assert theorem4.strictly_increasing(theorem4.ACTIVATIONS["sigmoid"])
    assert not theorem4.strictly_increasing(theorem4.ACTIVATIONS["bump"])


# ---------------------------------------------------------------- claims

def test_fixed_points_claim_holds_under_the_condition(run_claim):
    result = run_claim("theorem4.fixed_points_exist")
    assert result.outcome.verdict == "holds"
    assert result.outcome.details["admitted"] == ["lambda**2", "lambda**2*(1 + 1/lambda)"]


def test_fixed_points_claim_fails_without_the_condition(run_claim, monkeypatch):
    monkeypatch.setattr(theorem4_claims, "WITH_PARTITION_CONDITION", False)
    outcome = run_claim("theorem4.fixed_points_exist").outcome
    assert outcome.verdict == "fails"
    assert outcome.details["counterexample"] == "lambda**2*log(lambda)"


def test_unique_minimum_holds_with_the_penalty(run_claim):
    result = run_claim("theorem4.unique_minimum")
    assert result.outcome.verdict == "holds"
    assert all(data == "0" for _, _, data, _, _ in result.outcome.details["images"])


def test_unique_minimum_fails_without_the_penalty(run_claim, monkeypatch):
    # the unregularised loss: the swapped teacher is a second zero of L
    monkeypatch.setattr(theorem4_claims, "PENALTY", sympy.Integer(0))
    outcome = run_claim("theorem4.unique_minimum").outcome
    assert outcome.verdict == "fails" and "swap units 0, 1" in outcome.evidence


def test_unique_minimum_without_hidden_layers_needs_no_penalty(run_claim, monkeypatch):
    monkeypatch.setattr(theorem4_claims, "PENALTY", sympy.Integer(0))
    monkeypatch.setattr(theorem4_claims, "NETWORKS", ((Architecture(2, 1), "sigmoid"),))
    outcome = run_claim("theorem4.unique_minimum").outcome
    assert outcome.verdict == "holds" and "rank N + 1" in outcome.evidence


def test_derivation_names_registered_claims_and_is_deterministic(run_claim):
    steps = theorem4_derivation.derivation()
    named = {c for step in steps for c in step.claim_ids}
    assert named == {c.id for c in claims.select(["theorem4.*"])}
    render = lambda: [[tex(e) for e in s.equations] for s in theorem4_derivation.derivation()]  # noqa: E731
    assert render() == render()
