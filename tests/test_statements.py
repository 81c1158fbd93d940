"""The table of source statements (rgproof.claims.statements) against the ledger."""
from rgproof import claims
from rgproof.claims.statements import STATEMENTS


def test_every_statement_is_numbered_once_and_every_id_is_a_claim():
    assert [s.number for s in STATEMENTS] == list(range(1, 23))
    ids = {c.id for c in claims.all_claims()}
    for s in STATEMENTS:
        assert set(s.ids) <= ids, (s.number, set(s.ids) - ids)
        assert s.ids or s.note.startswith("open"), s.number


def test_open_statements_are_counted():
    # issue 20 is done when none is open; this records where the ledger stands
    covered = [s for s in STATEMENTS if s.ids]
    assert len(covered) == 11
