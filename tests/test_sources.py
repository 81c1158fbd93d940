"""Every claim's source is structured: a document, a place in it and a quote copied verbatim from
the document's text in ``shared/seeds/`` (or from ``shared/MATH.md``)."""
import re
from pathlib import Path

import pytest

from rgproof import claims
from rgproof.core import ledger

#: The seed texts and MATH.md: ``shared/`` beside the repository root (as in the CI clone).
SHARED = Path(__file__).resolve().parents[2] / "shared"

#: The text each document is quoted from, by a phrase its ``document`` contains.
SEED_OF = {
    "Xia 2024 slides": "seeds/xia-2024-slides-ising-and-expfamily.txt",
    "Gong & Xia 2026": "seeds/gong-xia-2026-expfamily-paper.txt",
    "Tavora, 'Deep Learning Explainability": "seeds/tavora-mehta-schwab-rbm-rg-article.txt",
    "Wang, 'Neural Network Renormalization Group' slides": "seeds/wang-neural-network-rg-slides.txt",
    "rg-dnn-skill-summary": "seeds/rg-dnn-skill-summary.txt",
}

#: The arXiv papers the seed texts give an id for, by a phrase a document citing them contains.
ARXIV = {
    "Xia 2024 slides": "arXiv:2212.00005",  # the slides present the Ising paper, arXiv:2212.00005
    "Gong & Xia 2026": "arXiv:2606.00157",
    "Mehta & Schwab": "arXiv:1410.3831",
}

#: Claims whose quote is empty, each saying why in its place: none today (Kaufman's paper is
#: not in the seeds, but MATH.md quotes the statement).
EMPTY_QUOTES = {}
MAX_EMPTY_QUOTES = 5


def _collapse(text):
    return " ".join(text.split())


def _sources():
    return [(c.id, c.source) for c in claims.all_claims()]


@pytest.fixture(scope="module")
def texts():
    """``{path under shared/: text with its whitespace collapsed}`` of the seeds and MATH.md."""
    if not (SHARED / "seeds").is_dir() or not (SHARED / "MATH.md").is_file():
        pytest.skip(f"the seed texts are not at {SHARED} (shared/seeds/ and shared/MATH.md beside "
                    "the repository root): the quotes cannot be checked against them")
    paths = sorted((SHARED / "seeds").glob("*.txt")) + [SHARED / "MATH.md"]
    return {p.relative_to(SHARED).as_posix(): _collapse(p.read_text(encoding="utf-8"))
            for p in paths}


def test_every_claim_cites_a_source_with_document_and_place():
    assert len(_sources()) == len(claims.all_claims()) > 0
    for claim_id, source in _sources():
        assert isinstance(source, ledger.Source), claim_id
        assert source.document.strip() and source.place.strip(), claim_id
        assert isinstance(source.quote, str), claim_id
        assert str(source) == f"{source.document}, {source.place}"


def test_the_json_row_keeps_the_source_string_and_adds_the_quote():
    c = claims.get("ising.fixed_points")
    row = ledger.Result(c, ledger.holds("demo"), 0.0).as_dict()
    assert row["source"] == str(c.source) == f"{c.source.document}, {c.source.place}"
    assert row["source_quote"] == c.source.quote
    assert list(row)[:3] == ["id", "source", "source_quote"]


def test_every_quote_is_verbatim_in_the_seeds_or_math_md(texts):
    missing = {claim_id: source.quote for claim_id, source in _sources()
               if source.quote and not any(_collapse(source.quote) in t for t in texts.values())}
    assert not missing, f"quotes found in no seed text nor MATH.md: {missing}"


def test_every_quote_comes_from_the_document_it_cites(texts):
    wrong = {}
    for claim_id, source in _sources():
        if not source.quote:
            continue
        allowed = [path for phrase, path in SEED_OF.items() if phrase in source.document]
        if "MATH.md" in str(source):
            allowed.append("MATH.md")
        assert allowed, f"{claim_id}: {source.document!r} has no seed text and cites no MATH.md"
        if not any(_collapse(source.quote) in texts[path] for path in allowed):
            wrong[claim_id] = allowed
    assert not wrong, f"quotes not in the text their source cites: {wrong}"


def test_quotes_are_short_passages():
    for claim_id, source in _sources():
        if source.quote:
            assert source.quote == source.quote.strip(), claim_id
            assert 5 <= len(source.quote.split()) <= 30, (claim_id, source.quote)


def test_documents_that_are_arxiv_papers_carry_their_arxiv_id():
    cited = set()
    for claim_id, source in _sources():
        for phrase, arxiv in ARXIV.items():
            if phrase in source.document:
                assert arxiv in source.document, (claim_id, source.document)
                cited.add(phrase)
    assert cited == set(ARXIV), f"no claim cites {set(ARXIV) - cited}"


def test_every_arxiv_id_and_version_is_stated_in_the_seeds(texts):
    """No id or version is invented: each one a source gives is in a seed text."""
    seeds = " ".join(t for path, t in texts.items() if path.startswith("seeds/"))
    for claim_id, source in _sources():
        for arxiv in re.findall(r"arXiv:\s*\d{4}\.\d{4,5}(?:v\d+)?", str(source)):
            assert arxiv in seeds, (claim_id, arxiv)


def test_empty_quotes_are_few_and_each_says_why():
    empty = {claim_id: source.place for claim_id, source in _sources() if not source.quote}
    assert empty == EMPTY_QUOTES, f"claims with an empty quote: {sorted(empty)}"
    assert len(empty) <= MAX_EMPTY_QUOTES
    for claim_id, place in empty.items():
        assert "not in the seed texts" in place, claim_id


def test_a_source_needs_a_document_and_a_place():
    with pytest.raises(ValueError, match="document must be a non-empty string"):
        ledger.Source(" ", "eq. (2)", "")
    with pytest.raises(ValueError, match="place must be a non-empty string"):
        ledger.Source("Xia 2024 slides (arXiv:2212.00005)", "", "")
    with pytest.raises(ValueError, match="quote must be a string"):
        ledger.Source("Xia 2024 slides (arXiv:2212.00005)", "eq. (2)", None)
    assert claims.Source is ledger.Source
    assert "Source" in ledger.__all__ and "Source" in claims.__all__


def test_the_ledger_refuses_a_plain_string_source(monkeypatch):
    monkeypatch.setattr(ledger, "_REGISTRY", dict(ledger._REGISTRY))
    topic = ledger.Topic("source_demo", title="Source demonstration", paper="nobody")
    with pytest.raises(ValueError, match=r"source must be a Source\(document, place, quote\)"):
        ledger.claim("source_demo.plain", statement="s", source="Xia 2024 slides, eq. (2)",
                     method="symbolic")
    with pytest.raises(ValueError, match="source must be a Source"):
        topic.claim("source_demo.plain", statement="s", source="here", method="symbolic")
    assert "source_demo.plain" not in {c.id for c in ledger.all_claims()}
    # the same registration with a Source is accepted
    here = ledger.Source("tests/test_sources.py", "a demonstration claim", "")
    topic.claim("source_demo.plain", statement="s", source=here, method="symbolic")(
        lambda ctx: ledger.holds("demo"))
    assert ledger.get("source_demo.plain").source is here
