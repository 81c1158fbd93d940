"""``rgproof report``: the page's structure, its verdicts against the ledger, and a headless browser."""
import base64
import io
import json
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser

import pytest
from test_report_browser import needs_browser, require_browser

from rgproof import claims, cli
from rgproof.claims import ising_anneal as ising_anneal_claims
from rgproof.claims import papers
from rgproof.claims import rbm as rbm_claims
from rgproof.core.errors import InputError
from rgproof.present import figures, plotting, report, sweep
from rgproof.present.derivations import DERIVATIONS

#: Cheap claims (about 2 s): symbolic and high-precision checks of the Ising paper.
PATTERNS = "ising.decimation.*,ising.partition.*,ising.fixed_points"



class Page(HTMLParser):
    """What the tests read off the page: elements by id, attributes, rows, counts, images."""

    def __init__(self, text):
        super().__init__()
        self.ids, self.attributes, self.rows, self.counts, self.images = set(), [], {}, {}, []
        self.tags, self._count, self._text = Counter(), None, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        self.attributes += [(tag, k, v) for k, v in attrs.items() if v is not None]
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "tr" and "claim" in attrs.get("class", ""):
            self.rows[attrs["id"].removeprefix("claim-")] = attrs["data-verdict"]
        if tag == "span" and attrs.get("class") == "count":
            self._count = attrs["data-verdict"]
        if tag == "img":
            self.images.append((attrs["alt"], attrs["src"]))

    def handle_data(self, data):
        self._text.append(data)
        if self._count is not None:
            self.counts[self._count] = int(data)
            self._count = None

    @property
    def text(self):
        """The page's text as a reader sees it (``<wbr>`` and other empty tags add nothing)."""
        return "".join(self._text)

    def links(self, tag="a"):
        return [v for t, k, v in self.attributes if t == tag and k == "href"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One report from a ``rgproof verify --json`` file: (folder, the JSON rows, the page)."""
    folder = tmp_path_factory.mktemp("report")
    verified = folder / "verify.json"
    assert cli.main(["verify", "--claims", PATTERNS, "--dps", "30", "--json", str(verified)]) == 0
    assert cli.main(["report", "--out", str(folder / "out"), "--from-json", str(verified)]) == 0
    page = (folder / "out" / "index.html").read_text(encoding="utf-8")
    return folder / "out", json.loads(verified.read_text())["rows"], page


def test_every_claim_appears_with_its_computed_verdict(built):
    _, rows, text = built
    page = Page(text)
    assert {r["id"]: r["verdict"] for r in rows} == page.rows
    assert len(rows) == len(claims.select(PATTERNS.split(",")))
    # the slide's printed constant is wrong: the ledger says fails, so must the page
    assert page.rows["ising.decimation.constant_as_printed"] == "fails"
    assert page.rows["ising.decimation.recursion"] == "holds"


def test_verdict_counts_match_the_rows(built):
    _, rows, text = built
    counts = Page(text).counts
    expected = Counter(r["verdict"] for r in rows)
    assert counts == {v: expected.get(v, 0) for v in claims.VERDICTS}
    assert sum(counts.values()) == len(rows)


def pages(folder):
    """``{path relative to folder: Page}`` of the index and every derivation page."""
    paths = [folder / "index.html"] + sorted((folder / "derivations").glob("*.html"))
    return {p.relative_to(folder).as_posix(): Page(p.read_text(encoding="utf-8")) for p in paths}


def test_self_contained_no_external_urls(built):
    folder, _, _ = built
    for path, page in pages(folder).items():
        assert page.tags["script"] == 0 and page.tags["link"] == 0 and page.tags["iframe"] == 0
        for tag, key, value in page.attributes:
            if key in ("href", "src"):
                assert not value.startswith(("http:", "https:", "//", "file:")), (tag, value)
        text = (folder / path).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "url(" not in text


def test_links_resolve_across_the_pages(built):
    """Every link of every page reaches a file written with the report, and the element it
    names: claims to their steps, steps back to their claims, the index to the LaTeX."""
    folder, _, _ = built
    written = pages(folder)
    checked = 0
    for path, page in written.items():
        for link in page.links() + page.links("img"):
            if link.startswith("data:"):
                continue
            target, _, anchor = link.partition("#")
            target_path = ((folder / path).parent / target).resolve() if target else folder / path
            assert target_path.is_file(), (path, link)
            if anchor:
                name = target_path.relative_to(folder.resolve()).as_posix() if target else path
                assert anchor in written[name].ids, (path, link)
                checked += 1
    assert checked > 10


def test_statements_and_derivations_are_mathml(built):
    folder, _, text = built
    recursion = text.split('id="claim-ising.decimation.recursion"')[1].split("</tr>")[0]
    assert '<math display="block">' in recursion
    step_page = (folder / "derivations" / "ising.html").read_text(encoding="utf-8")
    page = Page(step_page)
    assert page.tags["math"] > len(report.derivation("ising").steps) and page.tags["merror"] == 0
    assert "$" not in page.text and "\\frac" not in page.text and "<img" not in step_page


def test_claims_link_to_their_derivation_step(built):
    folder, _, text = built
    page = Page(text)
    sections = report.derivations([{"id": "ising.fixed_points"}])
    expected = report.step_links(sections)["ising.fixed_points"]
    path, _, anchor = expected.partition("#")
    assert path == "derivations/ising.html" and expected in page.links()
    step = sections[0].steps[int(anchor.removeprefix("step-"))]
    assert "ising.fixed_points" in step.claim_ids
    # the step names the claim with the verdict of this report, linked back to its row
    derivation = Page((folder / path).read_text(encoding="utf-8"))
    assert anchor in derivation.ids and "../index.html#claim-ising.fixed_points" in derivation.links()
    # and the index links the LaTeX that rgproof.present.derive wrote next to the pages
    assert "derivations/ising.tex" in page.links()
    assert "\\section{Decimation" in (folder / "derivations" / "ising.tex").read_text()
    if shutil.which("latexmk") or shutil.which("pdflatex"):
        assert "derivations/main.pdf" in page.links()
        assert (folder / "derivations" / "main.pdf").read_bytes().startswith(b"%PDF")


def test_claims_grouped_by_the_paper_of_their_topic():
    groups = dict(report.group_rows([{"id": c.id, "source": c.source} for c in claims.all_claims()]))
    by_claim = {r["id"]: paper for paper, rows in groups.items() for r in rows}
    ising, expfam = papers.GONG_XIA_ISING, papers.GONG_XIA_EXPFAM
    assert by_claim["ising.anneal.limit.theorem3"] == by_claim["ising.fixed_points"] == ising
    # lgw.shift.even cites only the slides: its topic decides the paper
    assert by_claim["lgw.shift.even"] == by_claim["scaling.theta"] == expfam
    assert by_claim["postwidder.one_sided"] == expfam
    assert "Mehta & Schwab" in by_claim["mehta_schwab.exact_iff_kl_zero"]
    assert "Li & Wang" in by_claim["neuralrg.dual_partition"]
    assert "Kaufman" in by_claim["ising2d.kaufman"]


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.skipif(not plotting.available(), reason="needs matplotlib (the plot extra)")
def test_figures_are_embedded_pngs(built):
    _, _, text = built
    page = Page(text)
    assert "figure-decimation-cobweb" in page.ids
    assert "#figure-decimation-cobweb" in page.links()
    titles = {f.title for f in figures.FIGURES}
    plots = [src for alt, src in page.images if alt in titles]
    assert len(plots) == len(figures.for_claims(PATTERNS.split(",")))
    for src in plots:
        head, data = src.split(",", 1)
        assert head == "data:image/png;base64"
        png = base64.b64decode(data)
        width, height = _png_size(png)
        assert width > 300 and height > 200
        image = pytest.importorskip("matplotlib.image").imread(io.BytesIO(png))
        assert image.std() > 0.05  # lines and text, not a blank canvas


def test_the_referee_studies_are_shown_beside_their_controls(built):
    # issue 20: the committed sweep's figure is part of the report
    pytest.importorskip("matplotlib")
    _, _, text = built
    page = Page(text)
    assert "studies" in page.ids
    studies = [alt for alt, _ in page.images if alt.startswith("Referee's study")]
    assert len(studies) == len(sweep.study_figures()) >= 2
    assert all("trained and untrained" in alt for alt in studies)


def test_without_matplotlib_the_table_still_renders(monkeypatch):
    monkeypatch.setattr(plotting, "available", lambda: False)
    row = claims.run(claims.get("ising.decimation.recursion"), claims.Context(dps=30)).as_dict()
    page = report.render([row], origin="test")
    assert Page(page).rows == {"ising.decimation.recursion": "holds"}
    assert "plots-missing" in Page(page).ids and "rgproof[plot]" in page and "<img" not in page
    assert "<math" in page  # the mathematics needs no plotting library


def test_report_runs_the_ledger_itself(tmp_path, capsys):
    assert cli.main(["report", "--out", str(tmp_path), "--claims", "ising2d.kaufman",
                     "--dps", "20"]) == 0
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert Page(text).rows == {"ising2d.kaufman": "holds"}
    assert "Kaufman" in text and "at --dps 20" in text
    assert f"wrote {tmp_path / 'index.html'}" in capsys.readouterr().out
    # the run record of a report that ran the ledger itself names the seeds of stochastic rows
    record = text.split('id="run-record"')[1].split("</table>")[0]
    assert "--dps 20" in record and ", ".join(map(str, claims.seeds(claims.Context()))) in record
    # a derivation page for the claim's topic exactly when the topic has a derivation
    assert (tmp_path / "derivations" / "ising2d.html").is_file() == ("ising2d" in DERIVATIONS)


def test_run_record_names_the_version_libraries_and_seeds(built):
    folder, _, text = built
    run = json.loads((folder.parent / "verify.json").read_text())["run"]
    record = text.split('id="run-record"')[1].split("</table>")[0]
    for key in ("version", "python", "sympy", "mpmath", "numpy", "scipy"):
        assert str(run[key]) in record, key
    assert f"--dps {run['dps']}" in record
    assert ", ".join(map(str, run["seeds"]["stochastic"])) in record and "seeds" in record


def test_compare_marks_the_flipped_verdicts(tmp_path, built, capsys):
    folder, rows, _ = built
    verified = folder.parent / "verify.json"
    data = json.loads(verified.read_text())
    flipped = "ising.decimation.recursion"
    data["rows"] = [dict(r, verdict="fails") if r["id"] == flipped else r
                    for r in data["rows"]] + [dict(rows[0], id="retired.claim")]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    assert cli.main(["report", "--out", str(tmp_path / "o"), "--from-json", str(verified),
                     "--compare", str(old)]) == 0
    text = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    marked = [(t, v) for t, k, v in Page(text).attributes if k == "data-was"]
    assert marked == [("tr", "fails")]
    assert f'class="claim flipped" data-was="fails" id="claim-{flipped}"' in text
    comparison = text.split('id="comparison"')[1].split("</p>")[0]
    assert 'data-flipped="1"' in comparison and "absent now: retired.claim" in comparison
    # compared with itself, nothing is marked
    assert cli.main(["report", "--out", str(tmp_path / "same"), "--from-json", str(verified),
                     "--compare", str(verified)]) == 0
    same = (tmp_path / "same" / "index.html").read_text(encoding="utf-8")
    assert 'data-flipped="0"' in same and "data-was" not in same
    assert cli.main(["report", "--out", str(tmp_path / "x"), "--from-json", str(verified),
                     "--compare", str(tmp_path / "absent.json")]) == 2
    assert "--compare: must be a readable JSON file" in capsys.readouterr().err


def test_a_formula_that_cannot_be_set_is_listed_with_its_source():
    row = dict(claims.run(claims.get("ising.decimation.recursion"),
                          claims.Context(dps=30)).as_dict(), latex=r"\tilde{J} = \frac{1}{")
    page = report.render([row], origin="test")
    assert "unconverted" in Page(page).ids and "<merror>" in page
    assert r"\tilde{J} = \frac{1}{" in page and "latex2mathml cannot parse it" in page


def test_results_display_themselves_in_jupyter():
    claim = claims.get("ising.decimation.constant_as_printed")
    result = claims.run(claim, claims.Context(dps=30))
    assert "<math" in claim._repr_html_() and claim.latex in claim._repr_latex_()
    assert 'data-verdict="fails"' in result._repr_html_() and "<math" in result._repr_html_()
    assert result._repr_latex_().startswith(claim._repr_latex_())
    outcome = result.outcome
    assert ">fails</span>" in outcome._repr_html_() and "30 two-precision digits" in \
        outcome._repr_html_().replace(f"{outcome.digits} ", "30 ")
    assert outcome._repr_latex_().startswith("\\textbf{fails}")
    derivation = report.derivation("ising")
    shown = derivation._repr_html_()
    assert shown.count("<math") > len(derivation.steps) and "<merror" not in shown
    assert "$" not in Page(shown).text
    assert derivation._repr_latex_().count("\\paragraph{") == len(derivation.steps)
    with pytest.raises(InputError, match="topic: must be a topic with a derivation"):
        report.derivation("nosuch")


def test_stale_json_lists_the_missing_claims(tmp_path, built):
    _, rows, _ = built
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(rows[:1]))
    assert cli.main(["report", "--out", str(tmp_path / "o"), "--from-json", str(partial),
                     "--claims", "ising.decimation.*"]) == 0
    text = (tmp_path / "o" / "index.html").read_text()
    assert "absent from the JSON file" in text and "ising.decimation.constant_as_printed" in text


@pytest.mark.parametrize("args, message", [
    (["--from-json", "{json}", "--dps", "30"], "--dps: cannot be combined with --from-json"),
    (["--from-json", "{json}", "--claims", "lgw.*"], "--claims: each pattern must match"),
    (["--from-json", "{bad}"], "--from-json: must be what rgproof verify --json writes"),
    (["--from-json", "{tmp}/absent.json"], "--from-json: must be a readable JSON file"),
    (["--claims", "nosuch.*"], "--claims: each pattern must match at least one claim id"),
])
def test_bad_input_is_one_clear_line(tmp_path, built, capsys, args, message):
    folder, rows, _ = built
    (tmp_path / "bad.json").write_text(json.dumps([{"id": "x"}]))
    paths = {"json": str(folder.parent / "verify.json"), "bad": str(tmp_path / "bad.json"),
             "tmp": str(tmp_path)}
    args = [a.format(**paths) for a in args]
    assert cli.main(["report", "--out", str(tmp_path / "o"), *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("edit, message", [
    (lambda rows: rows + [dict(rows[0], verdict="fails")],
     "--from-json: each claim may have one row only (got ['ising.decimation.recursion'])"),
    (lambda rows: rows + [dict(rows[0], id="made.up.claim")],
     "--from-json: every id must be a claim of the ledger"),
    (lambda rows: [dict(rows[0], seconds="fast")],
     "--from-json row 0 field 'seconds': must be a finite number >= 0 (got 'fast')"),
    (lambda rows: [dict(rows[0], seconds=None)], "field 'seconds': must be a finite number"),
    (lambda rows: [dict(rows[0], source=None)], "--from-json row 0 field 'source': must be a string"),
    (lambda rows: [rows[0], dict(rows[1], id=5)], "--from-json row 1 field 'id': must be a string"),
    (lambda rows: [dict(rows[0], digits="30")], "field 'digits': must be an integer or null"),
    (lambda rows: [dict(rows[0], verdict="proved")], "field 'verdict': must be one of"),
])
def test_rows_the_ledger_did_not_write_are_refused(tmp_path, built, capsys, edit, message):
    _, rows, _ = built
    doctored = tmp_path / "doctored.json"
    doctored.write_text(json.dumps(edit(rows)))
    assert cli.main(["report", "--out", str(tmp_path / "o"), "--from-json", str(doctored)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "o" / "index.html").exists()


def test_captions_state_what_the_figures_compute(monkeypatch):
    """Each caption follows the numbers it describes (a changed analysis, level or size)."""
    from dataclasses import replace

    import sympy

    from rgproof import ising

    by_id = {f.id: f for f in figures.FIGURES}
    cobweb = by_id["decimation-cobweb"].describe({})
    assert "J* = 0 is a stable fixed point" in cobweb and "J* = infinity is unstable" in cobweb
    # a map whose slope at 0 is 2 and which runs off to infinity: the caption must say so
    analysis = ising.fixed_point_analysis()
    flipped = replace(analysis, derivative=analysis.derivative + 2,
                      shift_at_infinity=sympy.Integer(1))
    monkeypatch.setattr(ising, "fixed_point_analysis", lambda: flipped)
    cobweb = by_id["decimation-cobweb"].describe({})
    assert "J* = 0 is an unstable fixed point (dJ~/dJ = 2 there)" in cobweb
    assert "J* = infinity is not shown unstable" in cobweb
    monkeypatch.setattr(ising_anneal_claims, "CLAIM_CONFIG",
                        replace(ising_anneal_claims.CLAIM_CONFIG, level=0.9))
    assert "90% bootstrap" in by_id["annealed-coupling"].describe({})
    monkeypatch.setattr(rbm_claims, "TRAINING", {**rbm_claims.TRAINING, "N": 6})
    details = {"details": {"J": 0.75}}
    caption = by_id["rbm-training"].describe({figures.RBM_CLAIM: details})
    assert "N = 6 visible, 3 hidden units, data coupling J = 0.75" in caption


# --------------------------------------------------------------------------- headless Chromium

def _chromium(*args, page):
    """Run headless Chromium on ``page``; returns (stdout, console lines of stderr)."""
    proc = subprocess.run([require_browser(), "--headless", "--no-sandbox", "--disable-gpu",
                           "--enable-logging=stderr", "--v=0", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


@needs_browser
def test_console_capture_sees_an_error(tmp_path):
    """The capture below can fail: a page with a script error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>undefinedFunction()</script>")
    _, console = _chromium("--dump-dom", page=bad)
    assert any("undefinedFunction" in line for line in console)


@needs_browser
def test_page_loads_without_errors_and_shows_every_claim(built):
    folder, rows, _ = built
    dom, console = _chromium("--dump-dom", page=folder / "index.html")
    assert console == []
    loaded = Page(dom)
    assert set(loaded.rows) == {r["id"] for r in rows}
    for r in rows:
        assert r["id"] in loaded.text


@needs_browser
def test_screenshot_is_not_blank(built):
    folder, _, _ = built
    shot = folder.parent / "shot.png"
    _, console = _chromium(f"--screenshot={shot}", "--window-size=1280,1600",
                           "--hide-scrollbars", page=folder / "index.html")
    assert console == []
    data = shot.read_bytes()
    assert _png_size(data) == (1280, 1600)
    numpy = pytest.importorskip("numpy")
    image = pytest.importorskip("matplotlib.image").imread(io.BytesIO(data))
    gray = image[..., :3].mean(axis=-1)
    assert gray.std() > 0.05  # text and tables, not a white page
    # coloured verdict badges: some pixels are clearly green (holds) and some red (fails)
    r, g, b = (image[..., i] for i in range(3))
    assert numpy.any((g - r > 0.15) & (g - b > 0.05)) and numpy.any((r - g > 0.15) & (r - b > 0.1))
