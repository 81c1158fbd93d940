import shutil
from pathlib import Path

import pytest
import sympy

from rgproof.core.latex import tex
from rgproof.present import derive
from rgproof.present.derivations import BOOK

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "derivations"

J = sympy.Symbol("J", real=True)


@pytest.mark.parametrize("expr, golden", [
    (sympy.log(sympy.cosh(2 * J)) / 2, r"\frac{\ln{\left(\cosh{\left(2 J \right)} \right)}}{2}"),
    (sympy.log(4 * sympy.cosh(2 * J)) / 2,
     r"\frac{\ln{\left(4 \cosh{\left(2 J \right)} \right)}}{2}"),
    (J**2 - sympy.Rational(2, 3) * J**4, r"- \frac{2 J^{4}}{3} + J^{2}"),
    (sympy.Symbol("N") / 4 * sympy.log(4 * sympy.cosh(2 * J)),
     r"\frac{N \ln{\left(4 \cosh{\left(2 J \right)} \right)}}{4}"),
    (sympy.tanh(J) ** 2, r"\tanh^{2}{\left(J \right)}"),
])
def test_house_style_golden_strings(expr, golden):
    assert tex(expr) == golden


@pytest.mark.slow
def test_committed_derivations_match_regeneration(tmp_path):
    written = derive.derive(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted([f"{t}.tex" for t in BOOK] + ["main.tex"])
    for path in written:
        committed = COMMITTED / path.name
        assert committed.exists(), f"{committed} is missing: run `rgproof derive`"
        assert path.read_text() == committed.read_text(), (
            f"derivations/{path.name} drifted from the code: run `rgproof derive` and commit")


def test_every_step_shows_a_computed_verdict():
    text = derive.render_topic("ising")
    assert text.count("Verdict: ") == text.count(r"\paragraph{Claim")
    assert r"\texttt{ising.decimation.constant\_as\_printed}" in text
    assert "Verdict: fails" in text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("latexmk") is None and shutil.which("pdflatex") is None,
                    reason="no LaTeX compiler installed (latexmk/pdflatex)")
def test_pdf_builds_without_overfull_lines(tmp_path):
    derive.derive(tmp_path)
    pdf = derive.build_pdf(tmp_path)
    assert pdf.exists() and pdf.stat().st_size > 10_000
    log = (tmp_path / "main.log").read_text(errors="replace")
    assert "Overfull \\hbox" not in log, "an equation or line overflows the page"
    assert "Undefined control sequence" not in log


def test_missing_latex_is_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(derive.LatexMissing, match="latexmk"):
        derive.build_pdf(tmp_path)


def test_bars_in_text_are_escaped():
    # a bare | in running text sets an em dash in LaTeX's default OT1 encoding
    assert derive.escape_text("|z| <= L") == r"\textbar{}z\textbar{} \textless{}= L"
