import pytest
import sympy

from rgproof import claims
from rgproof.claims import two_point_rg as two_point_claims
from rgproof.core.errors import InputError
from rgproof.core.latex import tex
from rgproof.present.derivations import two_point_rg as two_point_derivation
from rgproof.topics import two_point_rg
from rgproof.topics.two_point_rg import LAMBDA, T


@pytest.fixture
def two_point_topic(monkeypatch):
    # Look the claims up in this topic only, so another topic's import problem cannot mask them.
    monkeypatch.setattr(claims, "TOPICS", ("two_point_rg",))


def _run(claim_id):
    result = claims.run(claims.get(claim_id), claims.Context(dps=30))
    assert not result.crashed, result.outcome.evidence
    return result


# ---------------------------------------------------------------- the chain

@pytest.mark.parametrize("N", [2, 3, 8, 16])
def test_transfer_matrix_correlation_is_the_closed_form(N):
    for r in range(N):
        difference = two_point_rg.ring_correlation(N, r) - two_point_rg.closed_ring_correlation(N, r)
        assert sympy.cancel(difference) == 0


def test_ring_correlation_at_t_half_golden():
    # (1/2 + 1/8) / (1 + 1/16) = 10/17
    assert two_point_rg.ring_correlation(4, 1).subs(T, sympy.Rational(1, 2)) == sympy.Rational(10, 17)


def test_decimation_squares_t_and_leaves_no_remainder():
    assert two_point_rg.decimated_tanh() == T**2
    assert two_point_rg.decimated_t(3) == T**8
    assert two_point_rg.ring_decimation_identity() == 0
    assert all(row[3] == 0 for row in two_point_rg.ring_decimation_remainders(8))
    assert two_point_rg.chain_decimation_remainder() == 0


def test_ring_decimation_rejects_rings_it_cannot_halve():
    with pytest.raises(InputError, match="N = 2"):
        two_point_rg.ring_decimation_remainders(12)
    with pytest.raises(InputError, match="0 <= r < N"):
        two_point_rg.ring_correlation(4, 4)


@pytest.mark.parametrize("r", [0, 1, 2])
@pytest.mark.parametrize("lam", [1, 2, 4, 8])
def test_block_average_closed_form_against_brute_force(r, lam):
    closed = two_point_rg.block_average_correlation(r).subs(LAMBDA, lam)
    assert sympy.cancel(closed - two_point_rg.block_average_sum(r, lam)) == 0


def test_block_average_of_two_adjacent_spins_golden():
    # <s_0 s_1> for s = (x_0 + x_1)/2: (t + 2 t^2 + t^3) / 4
    assert sympy.expand(two_point_rg.block_average_sum(1, 2)) == sympy.expand(T * (1 + T)**2 / 4)


@pytest.mark.parametrize("expr", [
    LAMBDA**3 * T**LAMBDA, (1 + LAMBDA) / LAMBDA, T**(2 * LAMBDA + 1) / T**LAMBDA * LAMBDA**5,
    -LAMBDA * T**(-LAMBDA), (LAMBDA**2 - LAMBDA) / (3 * LAMBDA + 1),
])
def test_fast_limit_agrees_with_sympy_limit(expr):
    lam = sympy.Symbol("lambda", positive=True)
    u = two_point_rg.BELOW_ONE
    reference = sympy.limit(expr.subs({LAMBDA: lam, T: 1 / (1 + u)}), lam, sympy.oo)
    assert two_point_rg.limit_at_infinity(expr).subs(T, 1 / (1 + u)) == reference


def test_block_average_rates():
    assert two_point_rg.decay(two_point_rg.block_average_remainder(0)) == (-1, -sympy.oo)
    limit, rate = two_point_rg.decay(two_point_rg.block_average_remainder(1))
    assert limit == 0 and sympy.simplify(rate - T / (1 - T)**2) == 0
    assert two_point_rg.finite_below_one(rate)


# ---------------------------------------------------------------- claims

def test_decimation_claim_holds_identically(two_point_topic):
    result = _run("two_point_rg.decimation")
    assert result.outcome.verdict == "holds"
    assert "vanishes identically" in result.outcome.evidence
    assert result.outcome.details["ring_nonzero"] == []


def test_decimation_claim_fails_with_a_wave_factor(two_point_topic, monkeypatch):
    # Z(lambda) = lambda: at coincident sites R = 1 - 1/lambda -> 1
    monkeypatch.setattr(two_point_claims, "WAVE_FACTOR", LAMBDA)
    outcome = _run("two_point_rg.decimation").outcome
    assert outcome.verdict == "fails" and outcome.details["counterexample"] == 0
    assert outcome.details["limits"]["0"] == ["1", "oo"]


def test_block_average_claim_fails_at_coincident_sites(two_point_topic):
    result = _run("two_point_rg.block_average")
    assert result.outcome.verdict == "fails"
    assert result.outcome.details["counterexample"] == 0
    assert result.outcome.details["limits"]["0"] == ["-1", "-oo"]
    assert result.outcome.details["relative_limit_r1"] == "oo"


def test_block_average_claim_holds_with_the_block_wave_factor(two_point_topic, monkeypatch):
    # Z(lambda) = lambda (1 - t)/(1 + t), the block sum's variance growth: every R = O(4^-n)
    monkeypatch.setattr(two_point_claims, "WAVE_FACTOR", LAMBDA * (1 - T) / (1 + T))
    outcome = _run("two_point_rg.block_average").outcome
    assert outcome.verdict == "holds", outcome.evidence


def test_derivation_names_registered_claims_and_is_deterministic(two_point_topic):
    steps = two_point_derivation.derivation()
    named = {c for step in steps for c in step.claim_ids}
    assert named == {c.id for c in claims.select(["two_point_rg.*"])}
    render = lambda: [[tex(e) for e in s.equations] for s in two_point_derivation.derivation()]  # noqa: E731
    assert render() == render()
    for step in steps:
        assert "**" not in step.text and "~" not in step.text
