"""``rgproof derive``: the house printer, the book's structure, the committed files against a
regeneration (under other thread counts and hash seeds too), and the PDF."""
import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from rgproof import claims
from rgproof.core.latex import KL, Expectation, Given, JacobianDeterminant, SpinSum, Step, tex
from rgproof.present import derive
from rgproof.present.derivations import BOOK, DERIVATIONS

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "derivations"

J = sympy.Symbol("J", real=True)
x, s = sympy.symbols("x s", real=True)


@pytest.mark.parametrize("expr, golden", [
    (sympy.log(sympy.cosh(2 * J)) / 2, r"\frac{\ln{\left(\cosh{\left(2 J \right)} \right)}}{2}"),
    (sympy.log(4 * sympy.cosh(2 * J)) / 2,
     r"\frac{\ln{\left(4 \cosh{\left(2 J \right)} \right)}}{2}"),
    (J**2 - sympy.Rational(2, 3) * J**4, r"- \frac{2 J^{4}}{3} + J^{2}"),
    (sympy.Symbol("N") / 4 * sympy.log(4 * sympy.cosh(2 * J)),
     r"\frac{N \ln{\left(4 \cosh{\left(2 J \right)} \right)}}{4}"),
    (sympy.tanh(J) ** 2, r"\tanh^{2}{\left(J \right)}"),
    (SpinSum(sympy.exp(s * x), s), r"\sum_{s = \pm 1} e^{s x}"),
    (SpinSum(x + s, s), r"\sum_{s = \pm 1} \left(s + x\right)"),
    (Expectation(x**2, sympy.Symbol("p")), r"\mathbb{E}_{p}\left[x^{2}\right]"),
    (JacobianDeterminant(x, sympy.Symbol("z")), r"\det \frac{\partial x}{\partial z}"),
    (sympy.Function(r"\pi")(Given(s, x)), r"\pi{\left(s \mid x \right)}"),
    (KL(sympy.Symbol("q"), sympy.Symbol("p")), r"\mathrm{KL}\left(q \,\middle\|\, p\right)"),
])
def test_house_style_golden_strings(expr, golden):
    assert tex(expr) == golden


def test_a_spin_sum_sums_over_both_values():
    assert SpinSum(sympy.exp(s * x), s).doit() == sympy.exp(x) + sympy.exp(-x)


def test_a_step_lists_each_claim_once_with_claim_first():
    step = Step("t", "x", claim="a.b", claims=("c.d", "a.b"))
    assert step.claim_ids == ("a.b", "c.d")
    assert Step("t", "x").claim_ids == ()


# --------------------------------------------------------------------------- the book's structure

def test_every_derivation_is_in_the_book():
    assert sorted(BOOK) == sorted(DERIVATIONS)


@pytest.fixture(scope="module")
def book():
    """The steps of every topic (no claim is run until a result is asked for)."""
    return derive.Book()


#: Steps the book must have (issue 18), by title; a topic may have more.
REQUIRED_STEPS = {
    "ising": ["Summing out one spin", "The constant per removed spin", "The transfer matrix",
              "The finite-lattice identity", "Iterating the decimation",
              "Fixed points and their stability"],
    "lgw": ["Shift and re-mixing of the coefficients", "Orthogonal diagonalisation",
            "Dilation and Jacobian", "A zero eigenvalue"],
    "laplace": ["Radial reduction", "The Gamma series", "Moments and connected correlations",
                "Zeros on the imaginary axis", "The logarithm is not entire"],
    "postwidder": ["Post-Widder inversion", "Why moments give exact derivatives",
                   "The terms are averages", "Salzer and Richardson: their error term",
                   "Wynn's rho: its error term", "The paper's transform is two-sided"],
    "theorem31": ["One equation for two parameters", "From cumulants to the log-transform",
                  "Exponentiating", "Inverting the transform",
                  "Equal Boltzmann factors fix the parameters"],
    "expfam": ["The teacher's parameters", "The limit against the RG fixed point",
               "The inversion step and the push-forward"],
    "neuralrg": ["Decoupling the spins", "Tracing out the spins", "The normalisation",
                 "The RealNVP log-determinant"],
    "ising2d": ["Kaufman's formula"],
}


@pytest.mark.parametrize("topic", BOOK)
def test_every_topic_has_its_steps(book, topic):
    titles = [step.title for step in book.steps[topic]]
    assert titles, f"{topic} has no derivation steps"
    missing = [t for t in REQUIRED_STEPS.get(topic, []) if t not in titles]
    assert not missing, f"{topic} lacks the steps {missing}"


@pytest.mark.parametrize("topic", BOOK)
def test_every_claim_is_attached_to_a_step(book, topic):
    loose = derive.unattached(book, [topic])
    assert not loose, f"claims of {topic} attached to no derivation step: {loose}"


@pytest.mark.parametrize("topic", BOOK)
def test_every_claim_has_a_latex_statement(topic):
    bare = [c.id for c in derive.book_claims([topic]) if not c.latex]
    assert not bare, f"claims of {topic} without latex=: {bare}"
    # a LaTeX string typed without r"" turns \f, \b, \t into control characters
    broken = [c.id for c in derive.book_claims([topic]) if re.search(r"[\x00-\x1f]", c.latex)]
    assert not broken, f"claims of {topic} whose latex holds a control character: {broken}"


def test_every_attached_claim_exists(book):
    registered = {c.id for c in claims.all_claims()}
    assert not set(book.attachments) - registered


def test_theorem31_is_derived_step_by_step(book):
    assert sum(bool(step.claim_ids) for step in book.steps["theorem31"]) >= 5


def test_parts_follow_the_sources():
    grouped = derive.parts(BOOK)
    papers = [paper for paper, _ in grouped]
    assert len(papers) == len(set(papers))
    assert sorted(t for _, members in grouped for t in members) == sorted(BOOK)
    summary = [members for paper, members in grouped if "summary_notes" in members]
    assert summary == [["summary_notes"]], "the summary notes are a part of their own"


@pytest.mark.parametrize("method, digits, shown", [
    ("symbolic", None, r"\textbf{holds} (symbolic proof)"),
    ("numeric", None, r"\textbf{holds} (float64 computation)"),
    ("high-precision", 74, r"\textbf{holds} (high precision, at least 40 digits certified, "
                           "two-precision)"),
    ("high-precision", 12, r"\textbf{holds} (high precision, 12 digits certified, "
                           "two-precision)"),
])
def test_a_verdict_shows_no_number_that_varies_between_machines(method, digits, shown):
    claim = claims.Claim("demo.row", "s", claims.Source("d", "p", ""), method, lambda c: None)
    outcome = claims.Outcome("holds", "evidence 0.123456789", digits,
                             certification="none" if digits is None else "two-precision")
    assert derive.verdict_text(claims.Result(claim, outcome, 0.1), 50) == shown


# --------------------------------------------------------------------------- the committed files

def _committed_text():
    return {path.name: path.read_text() for path in sorted(COMMITTED.glob("*.tex"))}


def test_committed_files_hold_no_ascii_math():
    offenders = [f"{name}:{n}: {line.strip()}" for name, text in _committed_text().items()
                 for n, line in enumerate(text.splitlines(), 1)
                 if "**" in line or "textasciitilde" in line]
    assert not offenders, "ASCII math in derivations/:\n" + "\n".join(offenders)


def test_committed_links_reach_their_targets():
    text = "".join(_committed_text().values())
    labels = re.findall(r"\\label\{([^}]*)\}", text)
    assert len(labels) == len(set(labels)), "a label (claim or step) is set twice"
    targets = set(re.findall(r"\\(?:hyperref\[|ref\*?\{)([^]}]*)", text))
    assert targets <= set(labels), f"links without a target: {sorted(targets - set(labels))}"


def test_every_claim_is_typeset_once_and_has_a_verdict():
    text = "".join(_committed_text().values())
    for claim in derive.book_claims(BOOK):
        assert text.count(f"\\label{{claim:{claim.id}}}") == 1, claim.id
    for paragraph in text.split(r"\paragraph{Claim")[1:]:
        assert re.search(r"[Vv]erdict:? \\textbf\{(holds|fails|inconclusive)\}", paragraph), \
            paragraph[:200]


def _regenerate(folder, env=None):
    """Regenerate the book into ``folder``: here, or in a child Python with ``env`` added."""
    if env is None:
        return derive.derive(folder)
    subprocess.run([sys.executable, "-c", "import sys; from rgproof.present import derive; "
                    "derive.derive(sys.argv[1])", str(folder)],
                   env={**os.environ, **env}, check=True, cwd=ROOT)
    return sorted(Path(folder).glob("*.tex"))


@pytest.mark.slow
@pytest.mark.parametrize("env", [None, {"OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"},
                                 {"OMP_NUM_THREADS": "2", "PYTHONHASHSEED": "1"}],
                         ids=["here", "1-thread-hashseed-0", "2-threads-hashseed-1"])
def test_committed_derivations_match_regeneration(tmp_path, env):
    written = _regenerate(tmp_path, env)
    assert sorted(p.name for p in written) == sorted([f"{t}.tex" for t in BOOK] + ["main.tex"])
    for path in written:
        committed = COMMITTED / path.name
        assert committed.exists(), f"{committed} is missing: run `rgproof derive`"
        new, old = path.read_text(), committed.read_text()
        if new != old:
            diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                f"derivations/{path.name}", "regenerated"))
            pytest.fail(f"derivations/{path.name} drifted from the code (run `rgproof derive` "
                        f"and commit):\n{diff}")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("latexmk") is None and shutil.which("pdflatex") is None,
                    reason="no LaTeX compiler installed (latexmk/pdflatex)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_pdf_builds_with_every_title_and_no_overfull_lines(tmp_path):
    for path in COMMITTED.glob("*.tex"):
        shutil.copy(path, tmp_path / path.name)
    pdf = derive.build_pdf(tmp_path)
    log = (tmp_path / "main.log").read_text(errors="replace")
    assert "Overfull \\hbox" not in log, "an equation or line overflows the page"
    assert "Undefined control sequence" not in log
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout

    def letters(t):  # line breaks, hyphenation and dashes differ between LaTeX and the title
        return re.sub(r"[^a-z0-9]", "", t.lower())

    missing = [t for t in BOOK if letters(derive.TOPICS[t].title) not in letters(text)]
    assert not missing, f"the PDF lacks the titles of {missing}"


def test_missing_latex_is_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(derive.LatexMissing, match="latexmk"):
        derive.build_pdf(tmp_path)


def test_bars_in_text_are_escaped():
    # a bare | in running text sets an em dash in LaTeX's default OT1 encoding
    assert derive.escape_text("|z| <= L") == r"\textbar{}z\textbar{} \textless{}= L"


def test_the_page_count_is_read_from_the_log(tmp_path):
    from rgproof.cli.derive import pdf_pages

    log = tmp_path / "main.log"
    log.write_text("stuff\nOutput written on /tmp/x/main.pdf (44 pages, 123456 bytes).\n")
    assert pdf_pages(log) == 44
    assert pdf_pages(tmp_path / "missing.log") is None
