"""``rgproof report --out DIR``: one self-contained HTML page a referee can read.

``DIR/index.html`` holds the verdict counts, the claims table grouped by the paper each claim
comes from, the figures of :mod:`rgproof.present.figures` (PNG, inlined as base64) and an HTML rendering
of the derivations behind the claims, each claim linking to its step. ``DIR/derivations/`` gets
the LaTeX that :mod:`rgproof.present.derive` generates for those topics and, when LaTeX is installed,
``main.pdf``. The page needs no network: no scripts, fonts or images are fetched.

The verdicts are the ledger's (:func:`rgproof.claims.run`), or those of a file written by
``rgproof verify --json``; nothing here decides one.

Claims are grouped by the paper of their topic (:class:`rgproof.core.ledger.Topic`).
"""
import base64
import fnmatch
import html
import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .. import claims
from ..core import __version__
from ..core.errors import InputError
from ..core.files import write_atomically
from ..core.latex import tex
from ..core.record import ROW_FIELDS, ROW_KEYS, load_verify_json
from . import derive, figures, plotting
from .derivations import BOOK, DERIVATIONS

PLOT_EXTRA = "pip install 'rgproof[plot]'"

#: TeX that matplotlib's mathtext lacks and that only sizes delimiters or places limits.
MATHTEXT_DROPS = re.compile(r"\\[Bb]igg?[lr]?(?![a-zA-Z])|\\limits")

#: Point size and resolution of the rendered formulas.
MATH_SIZE, MATH_DPI = 13, 120


# --------------------------------------------------------------------------- rows and groups

def group_rows(rows):
    """``[(paper, rows)]`` in order of first appearance; rows keep their order. A row's paper is
    its claim's topic's (:class:`rgproof.core.ledger.Topic`), so every id must be registered.

    >>> rows = [{"id": "ising2d.kaufman"}, {"id": "ising.fixed_points"}]
    >>> [(paper[:9], [r["id"] for r in group]) for paper, group in group_rows(rows)]
    [('2-D Ising', ['ising2d.kaufman']), ('Gong & Xi', ['ising.fixed_points'])]
    """
    groups = {}
    for row in rows:
        groups.setdefault(claims.get(row["id"]).topic.paper, []).append(row)
    return list(groups.items())


def _matches(claim_id, patterns):
    return not patterns or any(fnmatch.fnmatchcase(claim_id, p) for p in patterns)


def read_verify_json(path, patterns=None):
    """The rows of a ``rgproof verify --json`` file whose ids match ``patterns`` (all when None)."""
    return read_verify_file(path, patterns)[1]


def read_verify_file(path, patterns=None):
    """``(run record or None, rows)`` of a ``rgproof verify --json`` file: the object
    ``{"run": ..., "rows": ...}`` or the bare array of rows of earlier versions
    (:func:`rgproof.core.record.load_verify_json`); only rows whose ids match ``patterns``."""
    run, rows = load_verify_json(path, "--from-json")
    registered = {c.id for c in claims.all_claims()}
    unknown = [r["id"] for r in rows if r["id"] not in registered]
    if unknown:
        raise InputError("--from-json", "every id must be a claim of the ledger (rgproof claims "
                                        "lists them); a row of another claim has no check here",
                         unknown)
    for pattern in patterns or ():
        if not any(fnmatch.fnmatchcase(r["id"], pattern) for r in rows):
            raise InputError("--claims", "each pattern must match at least one claim of "
                                         "the JSON file", pattern)
    return run, [r for r in rows if _matches(r["id"], patterns)]


def missing_claims(rows, patterns=None):
    """Ids of ledger claims matching ``patterns`` that have no row (a stale JSON file)."""
    have = {r["id"] for r in rows}
    return [c.id for c in claims.all_claims() if _matches(c.id, patterns) and c.id not in have]


# --------------------------------------------------------------------------- derivations

@dataclass(frozen=True)
class Derivation:
    """The derivation of one topic module: its steps and the anchor of each step."""

    topic: str
    title: str
    steps: list

    def anchor(self, index):
        return f"derivation-{self.topic}-{index}"


def derivations(rows):
    """The derivations of the topics that hold the claims of ``rows``, in the ledger's order."""
    registered = {c.id: c for c in claims.all_claims()}
    wanted = {registered[r["id"]].topic.name for r in rows if r["id"] in registered}
    return [Derivation(topic.name, topic.title, DERIVATIONS[topic.name]())
            for topic in claims.TOPICS if topic.name in wanted and topic.name in DERIVATIONS]


def step_links(sections):
    """``{claim id: anchor}`` of the first step that supports each claim."""
    links = {}
    for section in sections:
        for i, step in enumerate(section.steps):
            if step.claim:
                links.setdefault(step.claim, section.anchor(i))
    return links


def write_latex(out_dir, sections):
    """The LaTeX of the book's topics (:data:`rgproof.present.derivations.BOOK`) into
    ``out_dir/derivations``.

    Returns (written paths, the PDF or None, a note on the PDF).
    """
    topics = [s.topic for s in sections if s.topic in BOOK]
    if not topics:
        return [], None, "none of the claims here has a LaTeX derivation"
    folder = Path(out_dir) / "derivations"
    written = derive.derive(folder, topics)
    try:
        pdf = derive.build_pdf(folder)
    except derive.LatexMissing as exc:
        return written, None, f"PDF not built: {exc}"
    except RuntimeError as exc:  # a failed compile is reported on the page, not hidden
        return written, None, f"PDF not built: {str(exc).splitlines()[0]}"
    return written, pdf, "built with LaTeX from the files above"


# --------------------------------------------------------------------------- HTML

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       margin: 0 auto; padding: 1.5em 2em 4em; max-width: 1500px; background: #fff; }
h1 { margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #d0d7de; }
.meta, .note { color: #57606a; } .note { font-style: italic; }
nav a { margin-right: 1.2em; }
.verdict { display: inline-block; padding: .1em .55em; border-radius: 1em; font-weight: 600;
           font-size: .85em; white-space: nowrap; }
.holds { background: #dafbe1; color: #116329; } .fails { background: #ffebe9; color: #a40e26; }
.inconclusive { background: #fff8c5; color: #7d4e00; }
.crashed { background: #a40e26; color: #fff; }
table { border-collapse: collapse; width: 100%; }
table.claims { table-layout: fixed; } td { overflow-wrap: anywhere; } td.id { overflow-wrap: normal; }
th, td { text-align: left; vertical-align: top; padding: .45em .6em; border-bottom: 1px solid #d8dee4; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id code { font-weight: 600; } .method, .links { color: #57606a; font-size: .85em; }
td.statement, td.source { font-size: .88em; color: #424a53; }
tr.claim:target { background: #fff8c5; }
table.summary { width: auto; } table.summary td, table.summary th { padding: .3em 1em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #d8dee4; }
figcaption { color: #424a53; max-width: 60em; }
pre.tex { background: #f6f8fa; padding: .6em .8em; overflow-x: auto; font-size: .85em;
          white-space: pre-wrap; }
section.step:target { background: #fff8c5; }
.equation { margin: .6em 0; overflow-x: auto; } .equation img { display: block; }
details summary { color: #57606a; font-size: .8em; cursor: pointer; }
"""


def _e(text):
    return html.escape(str(text), quote=True)


def _badge(verdict, crashed=False):
    extra = ' <span class="verdict crashed">crashed</span>' if crashed else ""
    return f'<span class="verdict {verdict}">{verdict}</span>{extra}'


def _plural(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _counts(rows):
    return {v: sum(r["verdict"] == v for r in rows) for v in claims.VERDICTS}


def _summary(rows, groups):
    total = _counts(rows)
    counts = ", ".join(f'<span class="count" data-verdict="{v}">{n}</span> {_badge(v)}'
                       for v, n in total.items())
    crashed = sum(bool(r.get("crashed")) for r in rows)
    lines = [f'<p class="totals">{_plural(len(rows), "claim")}: {counts}'
             + (f'; <span class="count" data-verdict="crashed">{crashed}</span> crashed'
                if crashed else "") + "</p>",
             '<table class="summary"><tr><th>paper</th>'
             + "".join(f"<th>{v}</th>" for v in claims.VERDICTS) + "</tr>"]
    for i, (paper, group) in enumerate(groups):
        cells = "".join(f'<td class="num">{n}</td>' for n in _counts(group).values())
        lines.append(f'<tr><td><a href="#group-{i}">{_e(paper)}</a></td>{cells}</tr>')
    lines.append("</table>")
    return "\n".join(lines)


def _claim_row(row, step_anchor, figure_ids):
    digits = "-" if row["digits"] is None else row["digits"]
    links = []
    if step_anchor:
        links.append(f'<a href="#{step_anchor}">derivation</a>')
    links += [f'<a href="#figure-{f}">figure</a>' for f in figure_ids]
    return (f'<tr class="claim" id="claim-{_e(row["id"])}" data-verdict="{_e(row["verdict"])}">'
            f'<td class="id"><code>{_e(row["id"]).replace(".", ".<wbr>")}</code><br>'
            f'<span class="method">'
            f'{_e(row["method"])}</span><br><span class="links">{" &middot; ".join(links)}'
            f'</span></td><td>{_badge(row["verdict"], row.get("crashed"))}</td>'
            f'<td class="num">{_e(digits)}</td><td class="num">{row["seconds"]:.2f}</td>'
            f'<td class="evidence">{_e(row["evidence"])}</td>'
            f'<td class="statement">{_e(row["statement"])}</td>'
            f'<td class="source">{_e(row["source"])}</td></tr>')


def _claims_tables(groups, links, drawn):
    head = ('<colgroup><col style="width:22%"><col style="width:7.5%"><col style="width:5%">'
            '<col style="width:6%"><col style="width:30%"><col style="width:18.5%">'
            '<col style="width:11%"></colgroup>'
            "<tr><th>claim</th><th>verdict</th><th>digits</th><th>seconds</th><th>evidence</th>"
            "<th>statement (as the source makes it)</th><th>source</th></tr>")
    parts = []
    for i, (paper, group) in enumerate(groups):
        counts = ", ".join(f"{n} {v}" for v, n in _counts(group).items() if n)
        rows = "\n".join(_claim_row(r, links.get(r["id"]),
                                    [f.id for f in drawn if figures.illustrates(f, r["id"])])
                         for r in group)
        parts.append(f'<h2 id="group-{i}">{_e(paper)}</h2>\n<p class="meta">'
                     f'{_plural(len(group), "claim")}: {counts}</p>\n<table class="claims">{head}\n{rows}\n</table>')
    return "\n".join(parts)


def _png(fig, results):
    buffer = io.BytesIO()
    fig.draw(results, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figures(wanted, results):
    """The figures section, and the figures actually drawn (for the claims' links)."""
    if not wanted:
        return "<p class=\"note\">No figure illustrates the claims of this report.</p>", []
    if not plotting.available():
        titles = ", ".join(_e(f.title) for f in wanted)
        return (f'<p class="note" id="plots-missing">Plots need matplotlib, the <code>plot</code> '
                f'extra (<code>{_e(PLOT_EXTRA)}</code>); not drawn: {titles}.</p>'), []
    parts, drawn = [], []
    for fig in wanted:
        try:
            data = _png(fig, results)
        except Exception as exc:  # one broken figure must not hide the verdicts
            parts.append(f'<p class="note">Figure "{_e(fig.title)}" could not be drawn: '
                         f'{_e(type(exc).__name__)}: {_e(exc)}</p>')
            continue
        drawn.append(fig)
        shown = ", ".join(f'<a href="#claim-{_e(r)}"><code>{_e(r)}</code></a>' for r in results
                          if figures.illustrates(fig, r))
        parts.append(f'<figure id="figure-{_e(fig.id)}"><h3>{_e(fig.title)}</h3>'
                     f'<img alt="{_e(fig.title)}" src="data:image/png;base64,{data}">'
                     f'<figcaption>{_e(fig.describe(results))} Claims: {shown}.</figcaption></figure>')
    return "\n".join(parts), drawn


def math_png(latex):
    """The formula drawn by matplotlib's mathtext, as base64 PNG; None without matplotlib or
    when the formula is beyond mathtext's TeX subset (the page then shows only the source).

    >>> image = math_png(r"\\tilde{J} = \\frac{1}{2} \\ln \\cosh 2J")
    >>> image is None or base64.b64decode(image).startswith(b"\\x89PNG")
    True
    """
    if not plotting.available():
        return None
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    try:
        mathtext.math_to_image(f"${MATHTEXT_DROPS.sub('', latex)}$", buffer,
                               prop=FontProperties(size=MATH_SIZE), dpi=MATH_DPI, format="png")
    except ValueError:  # mathtext's parser refuses it: the LaTeX source is shown instead
        return None
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _equation(latex):
    source = f'<pre class="tex">{_e(latex)}</pre>'
    image = math_png(latex)
    if image is None:
        return source
    return (f'<div class="equation"><img alt="{_e(latex)}" src="data:image/png;base64,{image}">'
            f'<details><summary>LaTeX</summary>{source}</details></div>')


def _derivations(sections, results, latex_note, latex_files, pdf):
    if not sections:
        return '<p class="note">None of the claims here has a derivation.</p>'
    files = ", ".join(f'<a href="derivations/{_e(p.name)}">{_e(p.name)}</a>' for p in latex_files)
    parts = [f'<p class="meta">Rendered from the same sympy objects the checks use (formulas '
             f'drawn by matplotlib\'s mathtext where it can, each with its LaTeX source). LaTeX '
             f'files: {files or "none"}. '
             + (f'<a href="derivations/{_e(pdf.name)}">PDF</a>' if pdf else "")
             + f' <span class="note">{_e(latex_note)}</span></p>']
    for section in sections:
        parts.append(f'<h3 id="derivation-{_e(section.topic)}">{_e(section.title)} '
                     f'<span class="method">(rgproof.{_e(section.topic)})</span></h3>')
        for i, step in enumerate(section.steps):
            equations = "".join(_equation(tex(eq)) for eq in step.equations)
            verdict = ""
            if step.claim:
                row = results.get(step.claim)
                badge = f" {_badge(row['verdict'])}" if row else " (not in this report)"
                verdict = (f'<p>Supports <a href="#claim-{_e(step.claim)}"><code>'
                           f'{_e(step.claim)}</code></a>{badge}</p>')
            parts.append(f'<section class="step" id="{section.anchor(i)}"><h4>{_e(step.title)}'
                         f'</h4><p>{_e(step.text)}</p>{equations}{verdict}</section>')
    return "\n".join(parts)


def _run_line(run):
    """The header line naming the run that computed the verdicts (``run``: its record, from
    :func:`rgproof.core.record.run_record`); empty without one."""
    if not run:
        return ""
    commit = run.get("commit")
    dirty = " (with uncommitted changes)" if run.get("commit_dirty") else ""
    where = f"commit <code>{_e(commit)}</code>{dirty}" if commit else "no git commit recorded"
    return (f'<p class="meta" id="run-record">Run record: rgproof {_e(run.get("version"))}, '
            f'{where}, --dps {_e(run.get("dps"))}, {_e(run.get("date"))}.</p>\n')


def render(rows, *, origin, missing=(), sections=(), latex_files=(), pdf=None, latex_note="",
           run=None):
    """The HTML page for the result ``rows`` (dicts as :meth:`rgproof.claims.Result.as_dict`);
    ``run``, the run record of the verify that computed them, when there is one."""
    results = {r["id"]: r for r in rows}
    groups = group_rows(rows)
    figure_html, drawn = _figures(figures.for_claims(results), results)
    links = step_links(sections)
    missing_html = (f'<p class="note">Not in this report (absent from the JSON file): '
                    f'{_e(", ".join(missing))}</p>' if missing else "")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rgproof report</title><style>{CSS}</style></head>
<body>
<h1>rgproof report</h1>
<p class="meta">rgproof {_e(__version__)}; verdicts {_e(origin)}; written {stamp}.
Each verdict is computed by the claim's check; a statement is quoted as its source makes it.</p>
{_run_line(run)}<nav><a href="#summary">Summary</a><a href="#claims">Claims</a><a href="#figures">Figures</a>
<a href="#derivations">Derivations</a></nav>
<h2 id="summary">Summary</h2>
{_summary(rows, groups)}
{missing_html}
<div id="claims">
{_claims_tables(groups, links, drawn)}
</div>
<h2 id="figures">Figures</h2>
{figure_html}
<h2 id="derivations">Derivations</h2>
{_derivations(sections, results, latex_note, latex_files, pdf)}
</body></html>
"""


def write(out_dir, rows, *, origin, missing=(), run=None):
    """Write ``out_dir/index.html`` (and the derivations' LaTeX), each file atomically; return
    the page's path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sections = derivations(rows)
    latex_files, pdf, note = write_latex(out, sections)
    page = out / "index.html"
    write_atomically(page, render(rows, origin=origin, missing=missing, sections=sections,
                                  latex_files=latex_files, pdf=pdf, latex_note=note, run=run))
    return page


__all__ = ['ROW_KEYS', 'ROW_FIELDS', 'group_rows', 'read_verify_json', 'read_verify_file',
           'missing_claims', 'Derivation', 'derivations', 'step_links', 'write_latex', 'CSS', 'render', 'write']
