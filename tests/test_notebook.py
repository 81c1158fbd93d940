"""The example notebook runs top to bottom, and every verdict it shows is the pinned one.

``examples/tour.ipynb`` is executed in a fresh kernel (nbclient, ipykernel). Each result it
displays carries its claim id and verdict in its HTML (``data-claim``, ``data-verdict``); those
are compared with ``tests/verdicts.json``, which pins the ledger's verdicts at ``--dps 50``, the
precision the notebook runs at. Without nbclient the test skips, except under CI (``CI`` set),
where a skipped notebook would pass unnoticed.
"""
import importlib
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "tour.ipynb"
PINNED = Path(__file__).resolve().parent / "verdicts.json"
#: The claims the notebook runs, one for each kind of check it tours.
SHOWN = {"ising.decimation.recursion", "ising.decimation.constant_as_printed",
         "ising.anneal.limit.theorem2"}


def _require(module):
    """``module``, or a skip without it (a failure under CI, where the test extra installs it)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is missing under CI (the test extra installs it)")
        pytest.skip(f"{module} (the test extra) runs the notebook")


class Verdicts(HTMLParser):
    """``{claim id: verdict}`` of the results an HTML output displays."""

    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-claim" in attrs:
            self.found[attrs["data-claim"]] = attrs["data-verdict"]


def shown_verdicts(notebook):
    """The verdicts of every result displayed by the executed ``notebook``."""
    parser = Verdicts()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parser.feed(output.get("data", {}).get("text/html", ""))
    return parser.found


@pytest.fixture(scope="module")
def executed():
    nbformat = _require("nbformat")
    nbclient = _require("nbclient")
    _require("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    return notebook


def test_notebook_is_committed_without_outputs():
    """What the notebook shows is computed when it runs, never stored beside it."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in cells if c["cell_type"] == "code")


@pytest.mark.slow
def test_notebook_shows_the_pinned_verdicts(executed):
    shown = shown_verdicts(executed)
    assert set(shown) == SHOWN
    pinned = json.loads(PINNED.read_text())
    assert shown == {claim_id: pinned[claim_id] for claim_id in shown}


@pytest.mark.slow
def test_notebook_sets_its_mathematics_as_mathml(executed):
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    latex = [o["data"]["text/latex"] for o in outputs if "text/latex" in o.get("data", {})]
    # the claim, three results, the outcome and the derivation: each as MathML and as LaTeX
    assert len(html) == 6 and all("<math" in h or "rgproof-outcome" in h for h in html)
    assert "<merror" not in "".join(html)
    assert len(latex) == 7  # and sympy's own for the decimated coupling
    derivation = html[-1]
    assert 'class="rgproof-derivation"' in derivation and derivation.count("<math") > 10


def test_verdict_reader_can_fail():
    """A result displayed with another verdict is read as such (the comparison can flip)."""
    parser = Verdicts()
    parser.feed('<div class="rgproof-result" data-claim="ising.decimation.recursion" '
                'data-verdict="fails"></div>')
    pinned = json.loads(PINNED.read_text())
    assert parser.found["ising.decimation.recursion"] != pinned["ising.decimation.recursion"]
