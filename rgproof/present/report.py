"""``rgproof report --out DIR``: a self-contained HTML report a referee can read.

``DIR/index.html`` holds the run record, the verdict counts, the claims table grouped by the
paper each claim comes from (each statement with its formula), the figures of
:mod:`rgproof.present.figures` (PNG, inlined as base64) and the list of derivations.
``DIR/derivations/<topic>.html`` is the derivation of one topic, a page of the report: each
step's prose and equations and the computed verdicts of the claims it supports, linked both
ways. Every formula is presentation MathML (:mod:`rgproof.core.mathml`), which browsers render
natively: the pages fetch nothing and run no script. ``DIR/derivations/`` also gets the LaTeX
that :mod:`rgproof.present.derive` generates for the book's topics and, when LaTeX is
installed, ``main.pdf``.

The verdicts are the ledger's (:func:`rgproof.claims.run`), or those of a file written by
``rgproof verify --json``; nothing here decides one. Given the file of an earlier run
(``--compare``), the page marks each claim whose verdict has flipped since.

Claims are grouped by the paper of their topic (:class:`rgproof.core.ledger.Topic`).
"""
import base64
import fnmatch
import html
import io
import time
from dataclasses import dataclass
from pathlib import Path

from .. import claims
from ..core import __version__, mathml
from ..core.errors import InputError
from ..core.files import write_atomically
from ..core.latex import tex
from ..core.record import ROW_FIELDS, ROW_KEYS, load_verify_json
from . import derive, figures, plotting, sweep
from .derivations import BOOK, DERIVATIONS

PLOT_EXTRA = "pip install 'rgproof[plot]'"


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




def read_previous(path):
    """``(run record or None, {claim id: verdict})`` of the ``rgproof verify --json`` file of an
    earlier run (``--compare``); its ids need not be claims of today's ledger."""
    run, rows = load_verify_json(path, "--compare")
    return run, {r["id"]: r["verdict"] for r in rows}


# --------------------------------------------------------------------------- derivations

@dataclass(frozen=True)
class Derivation:
    """The derivation of one topic module: its steps, each an anchor of the topic's page.

    In a notebook it displays itself: every formula as MathML (``_repr_html_``), or as LaTeX.
    """

    topic: str
    title: str
    steps: list

    @property
    def page(self):
        """The page's path, relative to the report's folder."""
        return f"derivations/{self.topic}.html"

    def anchor(self, index):
        return f"step-{index}"

    def href(self, index):
        """The link from the report's index to step ``index``."""
        return f"{self.page}#{self.anchor(index)}"

    def _repr_html_(self):
        return (f'<div class="rgproof-derivation"><h2>{_e(self.title)}</h2>'
                + "".join(mathml.step_html(s.title, s.text, _equations(s), ", ".join(
                    f"<code>{_e(c)}</code>" for c in s.claim_ids)) for s in self.steps)
                + "</div>")

    def _repr_latex_(self):
        return (f"\\subsection*{{{mathml.escape_text(self.title)}}}\n" + "\n".join(
            mathml.step_latex(s.title, s.text, _equations(s), s.claim_ids) for s in self.steps))


def _equations(step):
    """The LaTeX of a step's equations (sympy objects through the house printer)."""
    return [tex(eq) for eq in step.equations]


def derivation(topic):
    """The :class:`Derivation` of ``topic`` (a topic's name, such as ``"ising"``)."""
    if topic not in DERIVATIONS:
        raise InputError("topic", f"must be a topic with a derivation ({', '.join(DERIVATIONS)})",
                         topic)
    title = next(t.title for t in claims.TOPICS if t.name == topic)
    return Derivation(topic, title, DERIVATIONS[topic]())


def derivations(rows):
    """The derivations of the topics that hold the claims of ``rows``, in the ledger's order."""
    registered = {c.id: c for c in claims.all_claims()}
    wanted = {registered[r["id"]].topic.name for r in rows if r["id"] in registered}
    return [derivation(topic.name) for topic in claims.TOPICS
            if topic.name in wanted and topic.name in DERIVATIONS]


def step_links(sections):
    """``{claim id: link}`` to the first step that supports each claim."""
    links = {}
    for section in sections:
        for i, step in enumerate(section.steps):
            for claim_id in step.claim_ids:
                links.setdefault(claim_id, section.href(i))
    return links


def formulas(rows, sections):
    """``[(where, LaTeX)]``: every formula the report sets, a claim's or a step's."""
    found = [(r["id"], latex) for r in rows if (latex := _latex(r))]
    found += [(r["id"], m) for r in rows for m in mathml.prose_math(r["statement"])]
    for section in sections:
        for step in section.steps:
            where = f"{section.topic}: {step.title}"
            found += [(where, m) for m in mathml.prose_math(step.title + " " + step.text)]
            found += [(where, eq) for eq in _equations(step)]
    return found


def unconverted(rows, sections):
    """``[(where, LaTeX, why)]`` of the formulas that cannot be set as MathML."""
    return [(where, latex, why) for where, latex in formulas(rows, sections)
            if (why := mathml.problem(latex))]


def _latex(row):
    """A row's formula: the one its run recorded, or the ledger's for files without one."""
    latex = row["latex"] if "latex" in row else claims.get(row["id"]).latex
    return latex if isinstance(latex, str) and latex.strip() else None


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
main.derivation { max-width: 60em; }
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
td.statement math[display="block"] { font-size: 1.15em; margin: .2em 0 .5em; overflow-x: auto; overflow-y: hidden; }
tr.claim:target, section.step:target { background: #fff8c5; }
tr.flipped { box-shadow: inset 4px 0 #bf3989; } .was { color: #bf3989; font-size: .85em; }
table.summary, table.run { width: auto; }
table.summary td, table.summary th, table.run td, table.run th { padding: .3em 1em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #d8dee4; }
figcaption { color: #424a53; max-width: 60em; }
section.step { padding: .2em .8em; border-left: 3px solid #d0d7de; margin: 1.2em 0; }
.equation { margin: .6em 0; overflow-x: auto; overflow-y: hidden; padding: .1em 0; }
math { font-size: 1.1em; font-family: "Latin Modern Math", "STIX Two Math", "DejaVu Math TeX Gyre",
       math; }
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


def _statement(row):
    """The statement cell: the claim's formula set as mathematics, then the statement's words."""
    latex = _latex(row)
    shown = mathml.formula(latex, display=True) if latex else ""
    return f'{shown}{mathml.prose_html(row["statement"])}'


def _claim_row(row, step_link, figure_ids, previous):
    digits = "-" if row["digits"] is None else row["digits"]
    links = []
    if step_link:
        links.append(f'<a href="{_e(step_link)}">derivation</a>')
    links += [f'<a href="#figure-{f}">figure</a>' for f in figure_ids]
    was = previous.get(row["id"], row["verdict"])
    flipped = (f' <span class="was">(was {_badge(was)})</span>' if was != row["verdict"] else "")
    marks = f' flipped" data-was="{_e(was)}' if flipped else ""
    return (f'<tr class="claim{marks}" id="claim-{_e(row["id"])}" '
            f'data-verdict="{_e(row["verdict"])}">'
            f'<td class="id"><code>{_e(row["id"]).replace(".", ".<wbr>")}</code><br>'
            f'<span class="method">'
            f'{_e(row["method"])}</span><br><span class="links">{" &middot; ".join(links)}'
            f'</span></td><td>{_badge(row["verdict"], row.get("crashed"))}{flipped}</td>'
            f'<td class="num">{_e(digits)}</td><td class="num">{row["seconds"]:.2f}</td>'
            f'<td class="evidence">{_e(row["evidence"])}</td>'
            f'<td class="statement">{_statement(row)}</td>'
            f'<td class="source">{_e(row["source"])}</td></tr>')


def _claims_tables(groups, links, drawn, previous):
    head = ('<colgroup><col style="width:20%"><col style="width:8.5%"><col style="width:5%">'
            '<col style="width:6%"><col style="width:27%"><col style="width:23.5%">'
            '<col style="width:10%"></colgroup>'
            "<tr><th>claim</th><th>verdict</th><th>digits</th><th>seconds</th><th>evidence</th>"
            "<th>statement (as the source makes it)</th><th>source</th></tr>")
    parts = []
    for i, (paper, group) in enumerate(groups):
        counts = ", ".join(f"{n} {v}" for v, n in _counts(group).items() if n)
        rows = "\n".join(_claim_row(r, links.get(r["id"]),
                                    [f.id for f in drawn if figures.illustrates(f, r["id"])],
                                    previous)
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


def _studies():
    """The committed referee's studies (:func:`rgproof.present.sweep.study_figures`): trained
    networks beside their untrained controls, drawn from the committed results."""
    parts = []
    for study in sweep.study_figures():
        if study.png is None:
            parts.append(f'<p class="note">{_e(study.title)}: not drawn ({_e(study.reason)}).</p>')
            continue
        data = base64.b64encode(study.png).decode("ascii")
        parts.append(f'<figure class="study"><h3>{_e(study.title)}</h3>'
                     f'<img alt="{_e(study.title)}" src="data:image/png;base64,{data}">'
                     f'<figcaption>{_e(study.caption)}</figcaption></figure>')
    return "\n".join(parts)


def _derivation_list(sections, results, latex_note, latex_files, pdf):
    """The index's list of the derivation pages, with the LaTeX files and the PDF."""
    if not sections:
        return '<p class="note">None of the claims here has a derivation.</p>'
    items = []
    for section in sections:
        supported = list(dict.fromkeys(c for s in section.steps for c in s.claim_ids))
        counts = ", ".join(f"{n} {v}" for v, n in _counts(
            [results[c] for c in supported if c in results]).items() if n)
        items.append(f'<li><a href="{_e(section.page)}">{_e(section.title)}</a> '
                     f'<span class="meta">({_plural(len(section.steps), "step")}; '
                     f'claims {counts or "not in this report"})</span></li>')
    files = ", ".join(f'<a href="derivations/{_e(p.name)}">{_e(p.name)}</a>' for p in latex_files)
    return (f'<ul class="derivations">{"".join(items)}</ul>\n<p class="meta">Each page is '
            f'rendered from the sympy objects the checks use. LaTeX files: {files or "none"}. '
            + (f'<a href="derivations/{_e(pdf.name)}">PDF</a>' if pdf else "")
            + f' <span class="note">{_e(latex_note)}</span></p>')


def _supports(step, results):
    """The claims a step supports, each linked to its row with its verdict."""
    said = []
    for claim_id in step.claim_ids:
        row = results.get(claim_id)
        badge = f" {_badge(row['verdict'])}" if row else " (not in this report)"
        said.append(f'<a href="../index.html#claim-{_e(claim_id)}"><code>{_e(claim_id)}</code>'
                    f"</a>{badge}")
    return ", ".join(said)


def render_derivation(section, results):
    """The page of one topic's derivation (``results``: ``{claim id: row}``)."""
    steps = "\n".join(
        f'<section class="step" id="{section.anchor(i)}">'
        + mathml.step_html(step.title, step.text, _equations(step), _supports(step, results))
        + "</section>" for i, step in enumerate(section.steps))
    return _page(f"{section.title}: derivation", f"""<main class="derivation">
<nav><a href="../index.html">Report</a><a href="../index.html#derivations">All derivations</a></nav>
<h1>{_e(section.title)}</h1>
<p class="meta">Derivation of <code>rgproof.{_e(section.topic)}</code>: each step is built from the
sympy objects the checks use, and shows the verdicts the claims it supports were given in this
report.</p>
{steps}
</main>""")


def _run_record(run):
    """The run that computed the verdicts (``run``: :func:`rgproof.core.record.run_record`)."""
    if not run:
        return ('<p class="note" id="no-run-record">No run record: the verdicts come from a file '
                'written before rgproof verify --json kept one.</p>')
    commit = run.get("commit")
    dirty = " (with uncommitted changes)" if run.get("commit_dirty") else ""
    seeds = (run.get("seeds") or {}).get("stochastic")
    machine = run.get("machine") or {}
    fields = [
        ("rgproof", f"{run.get('version')}, " + (f"commit <code>{_e(commit)}</code>{_e(dirty)}"
                                                  if commit else "no git commit recorded")),
        ("libraries", ", ".join(f"{name} {_e(run[key])}" for name, key in (
            ("Python", "python"), ("sympy", "sympy"), ("mpmath", "mpmath"),
            ("numpy", "numpy"), ("scipy", "scipy"), ("python-flint", "python_flint"))
            if run.get(key)) + (f"; mpmath backend {_e(run['mpmath_backend'])}"
                                if run.get("mpmath_backend") else "")
            + (f"; BLAS {_e(run['numpy_blas'])}" if run.get("numpy_blas") else "")),
        ("precision", f"--dps {_e(run.get('dps'))}"),
        ("claims", _e(", ".join(run["claims"])) if run.get("claims") else "all"),
        ("seeds", (f"{_e(', '.join(map(str, seeds)))} ({_e(run.get('tier', 'default'))} tier) "
                   if seeds else "none recorded ")
         + f'<span class="note">{_e(run.get("seeds_reason", ""))}</span>'),
        ("date", _e(run.get("date"))),
        ("machine", _e(", ".join(f"{k} {v}" for k, v in machine.items()))),
    ]
    rows = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in fields)
    return f'<table class="run" id="run-record">{rows}</table>'


def _comparison(rows, compare):
    """The line on the flips since an earlier run (``compare``: its label and verdicts)."""
    if compare is None:
        return ""
    label, previous = compare
    now = {r["id"]: r["verdict"] for r in rows}
    flipped = [i for i, v in now.items() if i in previous and previous[i] != v]
    new = [i for i in now if i not in previous]
    gone = [i for i in previous if i not in now]
    flips = ", ".join(f'<a href="#claim-{_e(i)}"><code>{_e(i)}</code></a> '
                      f"({_e(previous[i])} &rarr; {_e(now[i])})" for i in flipped)
    return (f'<p class="meta" id="comparison">Compared with {_e(label)}: '
            f'<span class="flips" data-flipped="{len(flipped)}">{_plural(len(flipped), "verdict")}'
            f'</span> flipped{": " + flips if flipped else ""}'
            + (f"; new since: {_e(', '.join(new))}" if new else "")
            + (f"; absent now: {_e(', '.join(gone))}" if gone else "") + ".</p>")


def _unconverted_note(problems):
    if not problems:
        return ""
    items = "".join(f"<li><code>{_e(where)}</code>: <code>{_e(latex)}</code> ({_e(why)})</li>"
                    for where, latex, why in problems)
    return (f'<div class="note" id="unconverted">{_plural(len(problems), "formula")} could not be '
            f"set as MathML and show their LaTeX source:<ul>{items}</ul></div>")


def _page(title, body):
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{CSS}</style></head>
<body>
{body}
</body></html>
"""


def render(rows, *, origin, missing=(), sections=(), latex_files=(), pdf=None, latex_note="",
           run=None, compare=None):
    """The index page for the result ``rows`` (dicts as :meth:`rgproof.claims.Result.as_dict`);
    ``run``, the run record of the verify that computed them, when there is one; ``compare``,
    ``(label, {claim id: verdict})`` of an earlier run whose flipped verdicts are marked."""
    results = {r["id"]: r for r in rows}
    groups = group_rows(rows)
    figure_html, drawn = _figures(figures.for_claims(results), results)
    links = step_links(sections)
    missing_html = (f'<p class="note">Not in this report (absent from the JSON file): '
                    f'{_e(", ".join(missing))}</p>' if missing else "")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    previous = compare[1] if compare else {}
    return _page("rgproof report", f"""<h1>rgproof report</h1>
<p class="meta">rgproof {_e(__version__)}; verdicts {_e(origin)}; written {stamp}.
Each verdict is computed by the claim's check; a statement is quoted as its source makes it.</p>
<nav><a href="#summary">Summary</a><a href="#claims">Claims</a><a href="#figures">Figures</a>
<a href="#derivations">Derivations</a><a href="#run">Run record</a></nav>
<h2 id="summary">Summary</h2>
{_summary(rows, groups)}
{_comparison(rows, compare)}
{missing_html}
{_unconverted_note(unconverted(rows, sections))}
<div id="claims">
{_claims_tables(groups, links, drawn, previous)}
</div>
<h2 id="figures">Figures</h2>
{figure_html}
<h3 id="studies">Referee's studies</h3>
{_studies()}
<h2 id="derivations">Derivations</h2>
{_derivation_list(sections, results, latex_note, latex_files, pdf)}
<h2 id="run">Run record</h2>
{_run_record(run)}""")


def write(out_dir, rows, *, origin, missing=(), run=None, compare=None):
    """Write ``out_dir/index.html``, a page per derivation and the derivations' LaTeX, each file
    atomically; return the index's path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sections = derivations(rows)
    latex_files, pdf, note = write_latex(out, sections)
    results = {r["id"]: r for r in rows}
    for section in sections:
        page = out / section.page
        page.parent.mkdir(exist_ok=True)
        write_atomically(page, render_derivation(section, results))
    index = out / "index.html"
    write_atomically(index, render(rows, origin=origin, missing=missing, sections=sections,
                                   latex_files=latex_files, pdf=pdf, latex_note=note, run=run,
                                   compare=compare))
    return index


__all__ = ['ROW_KEYS', 'ROW_FIELDS', 'group_rows', 'read_verify_json', 'read_verify_file',
           'read_previous', 'missing_claims', 'Derivation', 'derivation', 'derivations',
           'step_links', 'formulas', 'unconverted', 'write_latex', 'CSS', 'render',
           'render_derivation', 'write']
