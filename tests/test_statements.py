"""The table of source statements (rgproof.claims.statements) against the ledger."""
import json
from pathlib import Path

from rgproof import claims
from rgproof.claims.statements import STATEMENTS

PINNED = Path(__file__).resolve().with_name("verdicts.json")


def test_every_statement_is_numbered_once_and_every_id_is_a_claim():
    assert [s.number for s in STATEMENTS] == list(range(1, 23))
    ids = {c.id for c in claims.all_claims()}
    for s in STATEMENTS:
        assert set(s.ids) <= ids, (s.number, set(s.ids) - ids)
        assert s.ids or s.note.startswith("open"), s.number


def test_every_statement_has_a_row_and_few_are_undecided():
    # issue 20: every statement is decided by a row or points to one with the reason, and at
    # most 5 of the 22 are inconclusive (read from the pinned verdicts, which
    # tests/test_pinned_verdicts.py keeps equal to the computed ones)
    assert all(s.ids for s in STATEMENTS)
    assert not [s.number for s in STATEMENTS if s.note.startswith("open")]
    pinned = json.loads(PINNED.read_text())
    undecided = [s.number for s in STATEMENTS
                 if any(pinned[i] == "inconclusive" for i in s.ids)]
    assert len(undecided) <= 5, undecided


def test_the_ledger_has_the_rows_issue_20_asks_for():
    assert len(claims.all_claims()) >= 55
