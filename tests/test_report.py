"""``rgproof report``: the page's structure, its verdicts against the ledger, and a headless browser."""
import base64
import io
import json
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser

import pytest

from rgproof import claims, cli
from rgproof.claims import ising_anneal as ising_anneal_claims
from rgproof.claims import papers
from rgproof.claims import rbm as rbm_claims
from rgproof.present import figures, plotting, report

#: Cheap claims (about 2 s): symbolic and high-precision checks of the Ising paper.
PATTERNS = "ising.decimation.*,ising.partition.*,ising.fixed_points"

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser")
                if shutil.which(name)), None)
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="chromium is not installed (Debian: apt-get install chromium "
                            "chromium-driver); the headless-browser checks need it")


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


def test_self_contained_no_external_urls(built):
    folder, _, text = built
    page = Page(text)
    assert page.tags["script"] == 0 and page.tags["link"] == 0 and page.tags["iframe"] == 0
    for tag, key, value in page.attributes:
        if key in ("href", "src"):
            assert not value.startswith(("http:", "https:", "//", "file:")), (tag, value)
            if not value.startswith(("#", "data:")):  # a file written next to the page
                assert (folder / value).is_file(), value
    assert "http://" not in text and "https://" not in text and "url(" not in text


def test_internal_links_resolve(built):
    _, _, text = built
    page = Page(text)
    targets = [h[1:] for h in page.links() if h.startswith("#")]
    assert targets and set(targets) <= page.ids


def test_derivation_formulas_are_drawn_with_their_source(built):
    _, _, text = built
    formulas = [alt for alt, src in Page(text).images if alt.startswith("\\tilde{J} =")]
    if plotting.available():
        assert formulas  # the decimation recursion, drawn by mathtext
    assert "<summary>LaTeX</summary>" in text or not plotting.available()
    assert "\\frac{\\ln{\\left(\\cosh{\\left(2 J \\right)} \\right)}}{2}" in text


def test_claims_link_to_their_derivation_step(built):
    folder, _, text = built
    page = Page(text)
    sections = report.derivations([{"id": "ising.fixed_points"}])
    expected = report.step_links(sections)["ising.fixed_points"]
    assert sections[0].steps[int(expected.rsplit("-", 1)[1])].claim == "ising.fixed_points"
    assert f"#{expected}" in page.links() and expected in page.ids
    # and to the LaTeX that rgproof.present.derive wrote next to the page
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


def test_without_matplotlib_the_table_still_renders(monkeypatch):
    monkeypatch.setattr(plotting, "available", lambda: False)
    row = claims.run(claims.get("ising.decimation.recursion"), claims.Context(dps=30)).as_dict()
    page = report.render([row], origin="test")
    assert Page(page).rows == {"ising.decimation.recursion": "holds"}
    assert "plots-missing" in Page(page).ids and "rgproof[plot]" in page and "<img" not in page
    assert report.math_png("x = 1") is None  # formulas fall back to their LaTeX source


def test_report_runs_the_ledger_itself(tmp_path, capsys):
    assert cli.main(["report", "--out", str(tmp_path), "--claims", "ising2d.kaufman",
                     "--dps", "20"]) == 0
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert Page(text).rows == {"ising2d.kaufman": "holds"}
    assert "Kaufman" in text and "None of the claims here has a derivation" in text
    assert "at --dps 20" in text
    assert f"wrote {tmp_path / 'index.html'}" in capsys.readouterr().out


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
    proc = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
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
