"""The ledger in rgproof.core: one registration per id, crashes keep where they happened."""
import json

import pytest

from rgproof import claims
from rgproof.core import ledger, stats

DEMO = ledger.Topic("demo", title="Demonstration", paper="nobody")
HERE = ledger.Source("tests/test_ledger.py", "a demonstration claim", "")


@pytest.fixture
def scratch(monkeypatch):
    """A registry that the test may add to (the real one is restored afterwards)."""
    monkeypatch.setattr(ledger, "_REGISTRY", dict(ledger._REGISTRY))


def test_an_id_is_registered_once_even_by_a_same_named_function(scratch):
    existing = claims.get("ising.fixed_points")

    def same_name(ctx):
        return ledger.holds("x")

    same_name.__qualname__ = existing.check.__qualname__  # what the old guard compared
    with pytest.raises(ValueError, match="'ising.fixed_points' is defined twice"):
        DEMO.claim("ising.fixed_points", statement="s", source=HERE, method="symbolic")(same_name)
    assert claims.get("ising.fixed_points") is existing


def test_a_crash_keeps_its_traceback_in_the_json(scratch):
    @DEMO.claim("demo.crashes", statement="s", source=HERE, method="symbolic")
    def _crashes(ctx):
        return {}["missing"]

    result = claims.run(claims.get("demo.crashes"), claims.Context(dps=20))
    assert result.crashed and result.outcome.verdict == "inconclusive"
    where = result.outcome.details["traceback"]
    assert where[-1].startswith(__file__) and where[-1].endswith("in _crashes")
    row = json.loads(json.dumps(result.as_dict()))
    assert row["details"]["exception"] == "KeyError" and row["details"]["traceback"] == where


def test_every_claim_belongs_to_a_topic_of_the_ledger():
    names = [t.name for t in claims.TOPICS]
    assert len(names) == len(set(names))
    for c in claims.all_claims():
        assert c.topic in claims.TOPICS, c.id
    # the ledger order: topics in TOPICS order, each topic's claims together
    order = [names.index(c.topic.name) for c in claims.all_claims()]
    assert order == sorted(order)


# --------------------------------------------------------------------------- stochastic rows

def _test(verdict, p=None):
    """An equivalence test with the given verdict (band 0.1 around 0.5, 16 samples)."""
    interval = {"holds": (0.48, 0.52), "fails": (0.9, 1.0), "inconclusive": (0.3, 0.7)}[verdict]
    return stats.equivalence(
        interval, 0.5, 0.1, level=0.95, n=16, reason="demo band", p_value=p,
        p_kind="bootstrap")


def _stochastic(check, claim_id="demo.stochastic"):
    DEMO.claim(claim_id, statement="s", source=HERE, method="stochastic")(check)
    return claims.run(claims.get(claim_id), claims.Context(dps=20))


def test_a_stochastic_row_runs_every_seed_and_reports_its_statistics(scratch):
    seen = []

    def check(ctx):
        seen.append(ctx.seed)
        return ledger.holds("inside", tests=[_test("holds", p=0.001 * (ctx.seed + 1))])

    result = _stochastic(check)
    assert seen == list(ledger.SEEDS) and result.outcome.verdict == "holds"
    row = json.loads(json.dumps(result.as_dict()))["statistics"]
    assert row["level"] == 0.95 and row["stability"] == 1
    assert [s["seed"] for s in row["seeds"]] == list(ledger.SEEDS)
    assert row["p_value"] == pytest.approx(0.001 * len(ledger.SEEDS))  # the worst seed
    test = row["tests"][0]
    assert test["band"] == 0.1 and test["n"] == 16 and test["band_reason"] == "demo band"
    assert test["flip_band"] == pytest.approx(0.02)
    assert "on every seed" in result.outcome.evidence


def test_seeds_that_disagree_give_inconclusive(scratch):
    def check(ctx):
        verdict = "holds" if ctx.seed == 0 else "inconclusive"
        return ledger.outcome(verdict, verdict, tests=[_test(verdict, p=0.001)
                                                       if verdict == "holds" else _test(verdict)])

    result = _stochastic(check)
    assert result.outcome.verdict == "inconclusive"
    assert "the seeds disagree (seed 0: holds; seed 1: inconclusive" in result.outcome.evidence
    assert result.outcome.statistics["stability"] == pytest.approx(2 / 3)
    assert result.outcome.statistics["p_value"] is None


def test_a_decisive_stochastic_verdict_needs_its_tests(scratch):
    result = _stochastic(lambda ctx: ledger.holds("no test"))
    assert result.crashed and "needs decisive equivalence tests" in result.outcome.evidence
    result = _stochastic(lambda ctx: ledger.fails("inside", tests=[_test("holds")]),
                         "demo.stochastic_fails")
    assert result.crashed and "needs an equivalence test that fails" in result.outcome.evidence

    @DEMO.claim("demo.numeric_with_tests", statement="s", source=HERE, method="numeric")
    def _numeric(ctx):
        return ledger.holds("x", tests=[_test("holds")])

    result = claims.run(claims.get("demo.numeric_with_tests"), claims.Context(dps=20))
    assert result.crashed and "has no statistical tests" in result.outcome.evidence


def test_p_value_rules():
    holds = ledger.holds("h", tests=[_test("holds", 0.01), _test("fails", 0.002)])
    assert ledger.p_value(holds) == 0.01  # every test must be right: the largest
    fails = ledger.fails("f", tests=[_test("fails", 0.01), _test("holds", 0.3),
                                     _test("inconclusive")])
    assert ledger.p_value(fails) == pytest.approx(0.03)  # one failing test, Bonferroni over 3
    assert ledger.p_value(ledger.inconclusive("i", tests=[_test("inconclusive")])) is None


def test_the_summary_line_applies_holm(scratch):
    results = [_stochastic(lambda ctx: ledger.holds("h", tests=[_test("holds", p)]), f"demo.p{i}")
               for i, p in enumerate((0.001, 0.03, 0.04))]
    line = ledger.stochastic_summary(results)
    assert "stochastic rows: 3, decisive 3 (intervals at 95%)" in line
    # 0.001 <= 0.05/3 stands; 0.03 > 0.05/2 stops the walk: it and 0.04 could be chance
    assert ("Holm at family-wise alpha 0.05: 1 of 3 stand (demo.p1, demo.p2 could be chance)"
            in line)
    assert ledger.stochastic_summary([]) is None


def test_the_normal_p_value_is_capped_by_the_nominal_one():
    wide = stats.equivalence((0.41, 0.59), 0.5, 0.1, level=0.95, n=4, reason="r")
    assert wide.verdict == "holds" and wide.p_kind == "normal"
    assert 0 < wide.p_value <= 0.025
    far = stats.equivalence((0.9, 1.0), 0.5, 0.1, level=0.95, n=4, reason="r")
    assert far.verdict == "fails" and far.p_value < 1e-6
