"""The ledger in rgproof.core: one registration per id, crashes keep where they happened."""
import json

import pytest

from rgproof import claims
from rgproof.core import ledger

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
