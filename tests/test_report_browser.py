"""The report's mathematics as a browser sets it: every formula of the ledger, in headless Chromium.

The report is written for every claim of the ledger and every derivation step (counted from the
ledger, so claims and steps added later are covered). A test-only page loads each page of the
report in a frame, and its script writes into the frame's element each ``<math>`` element's
rendered box, the number of ``<merror>`` elements and the page's rendered text;
``chromium --headless --dump-dom`` hands them back (one browser start for every page). Then: the
rendered text holds no ``$`` and no ``\\command`` (nothing left as LaTeX source), no ``<merror>``
(nothing that could not be converted), at least one ``<math>`` per claim and per step, and each
``<math>`` has a non-zero width and height.

The checks are not run here (each row says so: "inconclusive", not run): what is tested is how
the pages set the statements and derivations, whatever the verdicts. Without Chromium the tests
skip, unless ``RGPROOF_REQUIRE_BROWSER=1`` (``.ci/run`` sets it), where a missing browser fails.
"""
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from rgproof import claims
from rgproof.core.ledger import inconclusive
from rgproof.present import plotting, report
from rgproof.present.derivations import DERIVATIONS

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser")
                if shutil.which(name)), None)
#: Set by .ci/run: a missing browser fails the browser tests instead of skipping them.
REQUIRED = os.environ.get("RGPROOF_REQUIRE_BROWSER") == "1"
MISSING = ("chromium is not installed (Debian: apt-get install chromium chromium-driver); the "
           "report's browser tests need it")
#: For a test that starts the browser itself; without one it skips, or under REQUIRED fails.
needs_browser = pytest.mark.skipif(BROWSER is None and not REQUIRED, reason=MISSING)

#: The test-only page's script: for each frame, the boxes of its <math> elements, its <merror>
#: elements and the text a reader sees. It runs on the load event, after every frame has loaded.
MEASURE = """<script>
window.addEventListener("load", () => {
  for (const frame of document.querySelectorAll("iframe")) {
    const page = frame.contentDocument;
    const boxes = [...page.querySelectorAll("math")].map(math => {
      const box = math.getBoundingClientRect();
      return [box.width, box.height];
    });
    frame.setAttribute("data-boxes", JSON.stringify(boxes));
    frame.setAttribute("data-merror", page.querySelectorAll("merror").length);
    frame.setAttribute("data-text", page.body.innerText);
  }
});
</script>"""

#: What LaTeX source looks like in rendered text: a dollar or a backslash command.
LATEX_LEFT = re.compile(r"\$|\\[A-Za-z]+")


def require_browser():
    """The browser; without one, a skip, or a failure under ``RGPROOF_REQUIRE_BROWSER=1``."""
    if BROWSER is None and REQUIRED:
        pytest.fail(f"{MISSING}; RGPROOF_REQUIRE_BROWSER=1 makes that a failure")
    if BROWSER is None:
        pytest.skip(MISSING)
    return BROWSER


@pytest.fixture(scope="module")
def browser():
    return require_browser()


@dataclass
class Rendered:
    """What the browser made of one page."""

    boxes: list
    errors: int
    text: str


class Frames(HTMLParser):
    """``{page: Rendered}`` from the frames of the dumped test-only page."""

    def __init__(self, dom):
        super().__init__()
        self.pages = {}
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "iframe":
            self.pages[attrs["src"]] = Rendered(json.loads(attrs["data-boxes"]),
                                                int(attrs["data-merror"]), attrs["data-text"])


def render_in_browser(browser, folder, pages):
    """``{page: Rendered}`` of the ``pages`` (paths relative to ``folder``) as Chromium sets
    them, each in a frame of a test-only page written into ``folder``."""
    frames = "".join(f'<iframe src="{page}" width="1400" height="1000"></iframe>'
                     for page in pages)
    harness = folder / "measure-in-browser.html"
    harness.write_text(f"<!DOCTYPE html><html><body>{frames}{MEASURE}</body></html>",
                       encoding="utf-8")
    # the frames are file: pages; this flag lets the script of the test page read them
    proc = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                           "--allow-file-access-from-files", "--dump-dom", harness.as_uri()],
                          capture_output=True, text=True, timeout=300)
    harness.unlink()
    assert proc.returncode == 0, proc.stderr[-2000:]
    rendered = Frames(proc.stdout).pages
    assert set(rendered) == set(pages), "the test page did not measure every frame"
    return rendered


def problems(rendered):
    """What is wrong with a rendered page: LaTeX left as text, <merror>, empty <math> boxes."""
    found = [f"LaTeX left in the text: {m!r}" for m in LATEX_LEFT.findall(rendered.text)]
    found += [f"{rendered.errors} <merror> element(s)"] if rendered.errors else []
    found += [f"<math> {i} has no area: {w} x {h}" for i, (w, h) in enumerate(rendered.boxes)
              if not (w > 0 and h > 0)]
    return found


@pytest.fixture(scope="module")
def whole_ledger(tmp_path_factory):
    """The report of every claim (not run) with every derivation: (folder, sections)."""
    rows = [claims.Result(c, inconclusive("not run: this test checks how the report sets "
                                                 "the mathematics"), 0.0).as_dict()
            for c in claims.all_claims()]
    folder = tmp_path_factory.mktemp("ledger-report")
    sections = report.derivations(rows)  # sympy derives every step: seconds, so only once
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report, "derivations", lambda _: sections)
        # neither the figures nor the LaTeX book (which runs the claims) is what is tested here
        patch.setattr(plotting, "available", lambda: False)
        patch.setattr(report, "write_latex", lambda out, sections: ([], None, "not built"))
        report.write(folder, rows, origin="every claim of the ledger, not run")
    return folder, rows, sections


@pytest.mark.slow
def test_every_derivation_of_the_ledger_is_a_page(whole_ledger):
    folder, _, sections = whole_ledger
    topics = {c.topic.name for c in claims.all_claims()} & set(DERIVATIONS)
    assert {s.topic for s in sections} == topics
    assert sorted(p.name for p in (folder / "derivations").glob("*.html")) == \
        sorted(f"{topic}.html" for topic in topics)


@pytest.mark.slow
def test_every_formula_of_the_ledger_converts(whole_ledger):
    """Without a browser too: each claim's formula and each step's LaTeX converts to MathML
    (a formula latex2mathml cannot set is named here with its source and the reason)."""
    _, rows, sections = whole_ledger
    assert report.unconverted(rows, sections) == []
    assert len(report.formulas(rows, sections)) > len(rows)


@pytest.mark.slow
def test_every_claim_and_step_is_set_as_mathematics(browser, whole_ledger):
    folder, _, sections = whole_ledger
    rendered = render_in_browser(browser, folder, ["index.html"] + [s.page for s in sections])
    wrong = {page: found for page, r in rendered.items() if (found := problems(r))}
    assert wrong == {}
    steps = sum(len(s.steps) for s in sections)
    assert sum(len(r.boxes) for r in rendered.values()) >= len(claims.all_claims()) + steps
    # each claim with a formula shows it; each derivation page sets a formula per step at least
    assert len(rendered["index.html"].boxes) >= sum(bool(c.latex) for c in claims.all_claims())
    for section in sections:
        assert len(rendered[section.page].boxes) >= len(section.steps), section.topic


def test_the_measurement_sees_what_is_wrong(browser, tmp_path):
    """Raw LaTeX, an <merror> and a formula with no box are each caught (the checks can fail)."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html><body><p>Left as source: $x$ and \\frac{1}{2}.</p>'
        '<math><merror><mtext>x</mtext></merror></math>'
        '<math style="display:none"><mi>y</mi></math></body></html>')
    found = problems(render_in_browser(browser, tmp_path, ["bad.html"])["bad.html"])
    assert "LaTeX left in the text: '$'" in found and "LaTeX left in the text: '\\\\frac'" in found
    assert "1 <merror> element(s)" in found
    assert "<math> 1 has no area: 0 x 0" in found
