r"""The house LaTeX style and the pieces a derivation is made of.

One printer for every formula rgproof writes: ``\ln`` for logarithms, ``\frac`` fractions,
``\cosh``-style function names, and a fixed term order so regenerated files never drift.
Notation sympy has no object for is a small printable object here (:class:`SpinSum`,
:class:`Expectation`, :class:`JacobianDeterminant`, :class:`Given`, :class:`KL`), so derivations build it from sympy
expressions instead of typing LaTeX.

>>> import sympy
>>> J = sympy.Symbol("J", real=True)
>>> tex(sympy.log(sympy.cosh(2*J))/2)
'\\frac{\\ln{\\left(\\cosh{\\left(2 J \\right)} \\right)}}{2}'
>>> tex(sympy.Eq(sympy.Symbol("x"), sympy.Rational(1, 2)))
'x = \\frac{1}{2}'
>>> s = sympy.Symbol("s")
>>> tex(SpinSum(sympy.exp(J*s), s))
'\\sum_{s = \\pm 1} e^{J s}'
>>> tex(SpinSum(sympy.exp(J*s), s).doit())
'e^{J} + e^{- J}'
"""
from dataclasses import dataclass, field
from typing import Optional, Sequence

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

#: Printer settings shared by every generated formula (see module docstring).
HOUSE_SETTINGS = {
    "ln_notation": True,
    "fold_short_frac": False,
    "mul_symbol": None,
    "order": "lex",
    "inv_trig_style": "abbreviated",
}


class SpinSum(sympy.Function):
    r"""``SpinSum(expr, s)``: :math:`\sum_{s=\pm1} expr`, the sum over an Ising spin (sympy's
    ``Sum`` runs over a range of integers, not over the two values ``-1, 1``)."""

    nargs = 2

    def doit(self, **hints):
        expr, spin = (arg.doit(**hints) if hints.get("deep", True) else arg for arg in self.args)
        return expr.subs(spin, 1) + expr.subs(spin, -1)

    def _latex(self, printer):
        expr, spin = self.args
        return rf"\sum_{{{printer._print(spin)} = \pm 1}} {printer.parenthesize(expr, PRECEDENCE['Mul'])}"


class Expectation(sympy.Function):
    r"""``Expectation(expr, law)``: :math:`\mathbb{E}_{law}[expr]`; ``law`` is a symbol naming
    the distribution (a density, a random variable's law)."""

    nargs = 2

    def _latex(self, printer):
        expr, law = self.args
        return rf"\mathbb{{E}}_{{{printer._print(law)}}}\left[{printer._print(expr)}\right]"


class JacobianDeterminant(sympy.Function):
    r"""``JacobianDeterminant(x, z)``: :math:`\det \frac{\partial x}{\partial z}` of a map
    ``z -> x`` between vectors named by the symbols ``x`` and ``z``; ``doit`` is not defined
    (the derivations compute the determinant with ``sympy.Matrix.jacobian`` beside it)."""

    nargs = 2

    def _latex(self, printer):
        x, z = (printer._print(arg) for arg in self.args)
        return rf"\det \frac{{\partial {x}}}{{\partial {z}}}"


class Given(sympy.Function):
    r"""``Given(a, b)``: :math:`a \mid b`, the argument of a conditional density."""

    nargs = 2

    def _latex(self, printer):
        return " \\mid ".join(printer._print(arg) for arg in self.args)


class KL(sympy.Function):
    r"""``KL(p, q)``: the Kullback-Leibler divergence :math:`\mathrm{KL}(p \,\|\, q)`."""

    nargs = 2

    def _latex(self, printer):
        p, q = (printer._print(arg) for arg in self.args)
        return rf"\mathrm{{KL}}\left({p} \,\middle\|\, {q}\right)"


class HousePrinter(LatexPrinter):
    """sympy's LaTeX printer with the house settings."""

    def __init__(self, settings=None):
        super().__init__({**HOUSE_SETTINGS, **(settings or {})})


def tex(expr):
    """LaTeX for a sympy object (or a plain string, returned unchanged) in the house style."""
    if isinstance(expr, str):
        return expr
    return HousePrinter().doprint(sympy.sympify(expr))


@dataclass(frozen=True)
class Step:
    """One step of a derivation: prose, displayed equations, and the claims it supports.

    ``equations`` are sympy objects (usually ``Eq``) or ready LaTeX strings; each is set in its
    own display. ``claim`` is the id of the claim this step shows (the book sets the claim's
    statement and computed verdict here); ``claims`` are further claims the step supports, whose
    verdicts it carries with a link to where they are set out (:attr:`claim_ids`: all of them).
    """

    title: str
    text: str
    equations: Sequence = field(default_factory=tuple)
    claim: Optional[str] = None
    claims: Sequence = field(default_factory=tuple)

    @property
    def claim_ids(self):
        """Every claim id the step supports, ``claim`` first, each once."""
        ids = ((self.claim,) if self.claim else ()) + tuple(self.claims)
        return tuple(dict.fromkeys(ids))


__all__ = ['HOUSE_SETTINGS', 'HousePrinter', 'tex', 'Step', 'SpinSum', 'Expectation',
           'JacobianDeterminant', 'Given', 'KL']
