"""The verdict contract, enforced in the ledger for every row (README, 'The verdict contract')."""
import mpmath
import pytest

from rgproof import claims
from rgproof.core import ledger
from rgproof.core.precision import Certified, Comparison

DEMO = ledger.Topic("contract_demo", title="Contract demonstration", paper="nobody")
HERE = ledger.Source("tests/test_contract.py", "a demonstration claim", "")


@pytest.fixture(scope="module", params=[30, 50], ids=["dps30", "dps50"])
def rows(request):
    dps = request.param
    return dps, [claims.run(c, claims.Context(dps=dps)) for c in claims.all_claims()]


@pytest.mark.slow
def test_every_row_follows_the_digits_rule_at_two_precisions(rows):
    dps, results = rows
    for r in results:
        c, o = r.claim, r.outcome
        assert not r.crashed, (c.id, o.evidence)
        assert c.method in ledger.METHODS and o.certification in ledger.CERTIFICATIONS, c.id
        if c.method != "high-precision":
            assert o.digits is None and o.certification == "none", c.id
            continue
        if o.verdict == "holds":
            needed = c.target[0] if c.target else dps - ledger.HOLDS_SLACK
            assert o.digits >= needed, (c.id, o.digits, dps)
        if o.digits is not None:
            assert o.certification != "none", c.id


def _comparison(lhs, rhs, digits=50):
    return Comparison(Certified(lhs, digits, digits), Certified(rhs, digits, digits))


def test_a_fails_counts_the_digits_of_its_margin():
    with mpmath.workdps(60):
        one = mpmath.mpf(1)
        close = _comparison(one, one + mpmath.mpf(10) ** -45)  # differ in the 45th digit
        far = _comparison(one, 2 * one)
    outcome = ledger.by_comparison(close, 50, "demo")
    assert outcome.verdict == "fails" and outcome.digits == 5
    assert ledger.by_comparison(far, 50, "demo").digits == 50


def test_the_ledger_turns_a_short_holds_into_inconclusive():
    demo = ledger.Claim("contract_demo.short", "s", HERE, "high-precision", lambda ctx: None)
    short = ledger.holds("agree", digits=35)
    flipped = ledger.enforce_contract(demo, short, 50)
    assert flipped.verdict == "inconclusive" and "fewer than --dps 50 needs 40" in flipped.evidence
    assert ledger.enforce_contract(demo, ledger.holds("agree", digits=40), 50).verdict == "holds"
    # a fixed target, declared with its reason, replaces --dps - 10
    targeted = ledger.Claim("contract_demo.target", "s", HERE, "high-precision",
                            lambda ctx: None, target=(30, "the source quotes 30 digits"))
    assert ledger.enforce_contract(targeted, short, 50).verdict == "holds"


def test_digits_outside_high_precision_rows_are_a_bug_of_the_check(monkeypatch):
    monkeypatch.setattr(ledger, "_REGISTRY", dict(ledger._REGISTRY))

    @DEMO.claim("contract_demo.numeric_digits", statement="s", source=HERE, method="numeric")
    def _numeric(ctx):
        return ledger.holds("float64 agrees", digits=12)

    result = claims.run(claims.get("contract_demo.numeric_digits"), claims.Context(dps=30))
    assert result.crashed and "carries no certified digits" in result.outcome.evidence


def test_an_outcome_names_how_its_digits_are_certified():
    with pytest.raises(ValueError, match="certification"):
        ledger.Outcome("holds", "e", 10, {}, "none")
    with pytest.raises(ValueError, match="certification"):
        ledger.Outcome("holds", "e", None, {}, "proved")
    with pytest.raises(ValueError, match="certification must be one of"):
        ledger.Outcome("holds", "e", 10, {}, "certified")
    assert ledger.holds("e", digits=10).certification == "two-precision"
    assert ledger.holds("e").certification == "none"


def test_a_ball_proves_and_a_comparison_of_balls_is_proved():
    pytest.importorskip("flint")
    from rgproof import ising
    enclosed = ising.log_partition_ball(8, 0.3, dps=30)
    assert enclosed.kind == "proved"
    assert Comparison(enclosed, enclosed).kind == "proved"
    assert Comparison(enclosed, ising.log_partition(8, 0.3, dps=30)).kind == "two-precision"
