r"""Mathematics for browsers and notebooks: LaTeX as presentation MathML, prose with ``$...$``.

Chromium and Firefox render presentation MathML natively, so the HTML report and the
notebook displays need no network and no JavaScript. LaTeX strings (a claim's ``latex``, the
``$...$`` of a derivation's prose, the house printer's output for sympy objects,
:func:`rgproof.core.latex.tex`) are converted by ``latex2mathml``. sympy's own MathML printer is
not used: the ledger's symbols are named in LaTeX (``\tilde{J}``, ``J_0^{\mathrm{printed}}``),
which it would print as raw source, and going through the house printer sets a formula exactly
as the LaTeX book does (``\ln``, ``\frac``).

A formula that ``latex2mathml`` cannot convert, or converts leaving a ``\command`` as text, is
shown as its source inside ``<merror>`` (never dropped, never passed off as typeset);
:func:`problem` says why, and the report lists such formulas.

The ``_repr_html_``/``_repr_latex_`` of :class:`~rgproof.core.ledger.Claim`,
:class:`~rgproof.core.ledger.Outcome` and :class:`~rgproof.core.ledger.Result` delegate here,
so a notebook shows a claim as mathematics. Imports nothing of rgproof (the ledger imports it).

>>> print(formula("x^2"))
<math display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>
>>> problem(r"\frac{1}{"), problem(r"\nosuchcommand x")
('latex2mathml cannot parse it (NoAvailableTokensError)', 'the command \\nosuchcommand is left as text')
>>> prose_html("costs $< 2$ & more")
'costs <math ...><mrow><mo>&lt;</mo><mn>2</mn></mrow></math> &amp; more'
"""
import functools
import html
import re
from xml.etree import ElementTree

#: A ``$...$`` span of prose (an escaped ``\$`` neither opens nor closes one).
INLINE_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)
#: A LaTeX command; in the text of a converted formula it means the command was not understood.
COMMAND = re.compile(r"\\[A-Za-z]+")
#: The MathML namespace of a ``<math>`` element.
NAMESPACE = "http://www.w3.org/1998/Math/MathML"
#: Elements taller than a line of text: a ``\left(...\right)`` around one must stretch.
TALL = {f"{{{NAMESPACE}}}{tag}" for tag in ("mfrac", "munderover", "munder", "msqrt", "mroot",
                                             "mtable")}
ElementTree.register_namespace("", NAMESPACE)

#: Characters of plain text that LaTeX reads as commands, and what sets each as itself.
TEXT_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
                "|": r"\textbar{}"}  # a bare | sets an em dash in the default OT1 encoding


@functools.lru_cache(maxsize=4096)
def _convert(latex, display):
    """``(MathML, None)``, or ``(an <merror> showing the source, why)`` when it cannot be set."""
    from latex2mathml.converter import convert

    mode = "block" if display else "inline"
    try:
        markup = convert(latex, display=mode)
    except Exception as exc:  # latex2mathml raises many kinds; each means "not converted"
        return _merror(latex, mode), f"latex2mathml cannot parse it ({type(exc).__name__})"
    left = COMMAND.search(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    if left:
        return _merror(latex, mode), f"the command {left.group()} is left as text"
    return _fit_fences(markup), None


def _fit_fences(markup):
    r"""``markup`` with the fences of each ``\left(...\right)`` around nothing taller than a
    line made not stretchy: the house printer writes every bracket that way, and Chromium sets
    a stretchy bracket with wide side bearings even when it does not stretch it, which reads as
    ``ln ( cosh ( 2J ) )``."""
    root = ElementTree.fromstring(markup)
    for row in root.iter(f"{{{NAMESPACE}}}mrow"):
        fences = [child for child in row if child.get("fence") == "true"]
        if len(fences) == 2 and not any(e.tag in TALL for e in row.iter()):
            for fence in fences:
                fence.set("stretchy", "false")
    # HTML puts <math> in the MathML namespace itself: the page names no URL
    return ElementTree.tostring(root, encoding="unicode").replace(f' xmlns="{NAMESPACE}"', "", 1)


def _merror(latex, mode):
    return (f'<math display="{mode}"><merror><mtext>{html.escape(latex)}</mtext></merror>'
            "</math>")


def formula(latex, display=False):
    """The ``<math>`` element of the LaTeX string ``latex`` (``display``: set as a block)."""
    return _convert(latex, display)[0]


def problem(latex):
    """Why ``latex`` cannot be set as MathML, or None when it can."""
    return _convert(latex, False)[1]


def prose_math(text):
    """The LaTeX of each ``$...$`` span of ``text``."""
    return INLINE_MATH.findall(text)


def prose_html(text):
    """HTML of prose: the text escaped, each ``$...$`` span as inline MathML, and TeX's
    quotes (````...''``) as typographic ones.

    >>> prose_html(r"``Decimator'' costs \\$2")
    '“Decimator” costs $2'
    """
    parts = INLINE_MATH.split(text)
    return "".join(formula(part) if i % 2 else html.escape(_tex_quotes(part.replace(r"\$", "$")),
                                                           quote=False)
                   for i, part in enumerate(parts))


def _tex_quotes(text):
    return text.replace("``", "“").replace("''", "”")


def escape_text(text):
    r"""Plain text set by LaTeX as itself.

    >>> escape_text("J~ = x_1^2 & 50%")
    'J\\textasciitilde{} = x\\_1\\textasciicircum{}2 \\& 50\\%'
    """
    return "".join(TEXT_ESCAPES.get(ch, ch) for ch in text)


def prose_latex(text):
    """LaTeX of prose: the text escaped, each ``$...$`` span kept as mathematics."""
    parts = INLINE_MATH.split(text)
    return "".join(f"${part}$" if i % 2 else escape_text(part.replace(r"\$", "$"))
                   for i, part in enumerate(parts))


# --------------------------------------------------------------------------- notebook displays

#: The colours of a verdict's badge (background, text), as in the HTML report.
BADGE_COLOURS = {"holds": ("#dafbe1", "#116329"), "fails": ("#ffebe9", "#a40e26"),
                 "inconclusive": ("#fff8c5", "#7d4e00")}


def badge(verdict):
    """A verdict as a coloured badge (inline styles: a notebook has no report stylesheet)."""
    background, colour = BADGE_COLOURS.get(verdict, ("#eee", "#000"))
    return (f'<span class="verdict {html.escape(verdict)}" style="background:{background};'
            f'color:{colour};padding:.1em .55em;border-radius:1em;font-weight:600">'
            f"{html.escape(verdict)}</span>")


def claim_html(claim):
    """A claim for a notebook: its id, its formula (when it has one), statement and source."""
    shown = formula(claim.latex, display=True) if claim.latex else ""
    return (f'<div class="rgproof-claim"><p><code>{html.escape(claim.id)}</code> '
            f'<small>({html.escape(claim.method)})</small></p>{shown}'
            f"<p>{prose_html(claim.statement)}</p><p><small>{html.escape(str(claim.source))}"
            "</small></p></div>")


def claim_latex(claim):
    """A claim as LaTeX: its id, then its formula in a display (or its statement without one)."""
    said = f"\\[{claim.latex}\\]" if claim.latex else prose_latex(claim.statement)
    return f"\\texttt{{{escape_text(claim.id)}}} ({escape_text(claim.method)}): {said}"


def _digits(outcome):
    return "" if outcome.digits is None else f", {outcome.digits} {outcome.certification} digits"


def outcome_html(outcome):
    """An outcome for a notebook: its verdict as a badge, the digits, the evidence."""
    return (f'<div class="rgproof-outcome">{badge(outcome.verdict)}'
            f"{html.escape(_digits(outcome))}: {prose_html(outcome.evidence)}</div>")


def outcome_latex(outcome):
    return (f"\\textbf{{{outcome.verdict}}}{escape_text(_digits(outcome))}: "
            f"{escape_text(outcome.evidence)}")


def result_html(result):
    """A result: the claim, then its outcome and the seconds the check took."""
    crashed = " (the check crashed)" if result.crashed else ""
    return (f'<div class="rgproof-result" data-claim="{html.escape(result.claim.id)}" '
            f'data-verdict="{html.escape(result.outcome.verdict)}">{claim_html(result.claim)}'
            f"{outcome_html(result.outcome)}<p><small>{result.seconds:.2f} s{crashed}</small>"
            "</p></div>")


def result_latex(result):
    return f"{claim_latex(result.claim)}\n\n{outcome_latex(result.outcome)}"


def step_html(title, text, equations, supports=""):
    """A derivation step: its title and prose with inline mathematics, each of the LaTeX
    strings ``equations`` in a display, and ``supports`` (HTML naming the claims it supports)."""
    displays = "".join(f'<div class="equation">{formula(eq, display=True)}</div>'
                       for eq in equations)
    return (f"<h3>{prose_html(title)}</h3><p>{prose_html(text)}</p>{displays}"
            + (f'<p class="supports">Supports {supports}</p>' if supports else ""))


def step_latex(title, text, equations, claims=()):
    displays = "".join(f"\\[{eq}\\]\n" for eq in equations)
    supports = ", ".join(f"\\texttt{{{escape_text(c)}}}" for c in claims)
    return (f"\\paragraph{{{prose_latex(title)}}} {prose_latex(text)}\n{displays}"
            + (f"Supports {supports}.\n" if claims else ""))


__all__ = ["INLINE_MATH", "formula", "problem", "prose_math", "prose_html", "escape_text",
           "prose_latex", "badge", "claim_html", "claim_latex", "outcome_html", "outcome_latex",
           "result_html", "result_latex", "step_html", "step_latex"]
