"""Every claim's verdict at ``--dps 50`` is the one pinned in ``tests/verdicts.json``.

A verdict that flips (a claim that starts to hold, fails, or becomes inconclusive), a claim
added or removed: each fails here until ``python tests/pin_verdicts.py`` pins it again and the
new ``tests/verdicts.json`` is committed with the change that flipped it.
"""
import json

import pytest
from pin_verdicts import PINNED, run_all, verdicts

HOW_TO_PIN = ("if the flip is intended, run python tests/pin_verdicts.py and commit "
              "tests/verdicts.json with the change")


def flips(pinned, results):
    """One line per id whose verdict differs from ``pinned`` or that only one side has."""
    current = verdicts(results)
    evidence = {r.claim.id: r.outcome.evidence for r in results}
    lines = [f"{i}: pinned {pinned[i]}, now {current[i]} ({evidence[i]})"
             for i in current if i in pinned and pinned[i] != current[i]]
    lines += [f"{i}: now {current[i]}, but not pinned (a new claim?)"
              for i in current if i not in pinned]
    lines += [f"{i}: pinned {pinned[i]}, but no such claim any more"
              for i in pinned if i not in current]
    return lines


@pytest.fixture(scope="module")
def results():
    """Every claim of the ledger, run once at --dps 50."""
    return run_all()


@pytest.mark.slow
def test_every_verdict_is_the_pinned_one(results):
    pinned = json.loads(PINNED.read_text())
    changed = flips(pinned, results)
    assert not changed, ("verdicts differ from tests/verdicts.json:\n  " + "\n  ".join(changed)
                         + f"\n{HOW_TO_PIN}")


def test_flips_are_listed_one_per_line():
    class Row:
        def __init__(self, id, verdict):
            self.claim = type("Claim", (), {"id": id})()
            self.outcome = type("Outcome", (), {"verdict": verdict, "evidence": "why"})()

    pinned = {"a": "holds", "b": "fails", "gone": "holds"}
    lines = flips(pinned, [Row("a", "fails"), Row("b", "fails"), Row("new", "holds")])
    assert lines == ["a: pinned holds, now fails (why)",
                     "new: now holds, but not pinned (a new claim?)",
                     "gone: pinned holds, but no such claim any more"]
