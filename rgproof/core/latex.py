r"""The house LaTeX style and the pieces a derivation is made of.

One printer for every formula rgproof writes: ``\ln`` for logarithms, ``\frac`` fractions,
``\cosh``-style function names, and a fixed term order so regenerated files never drift.

>>> import sympy
>>> J = sympy.Symbol("J", real=True)
>>> tex(sympy.log(sympy.cosh(2*J))/2)
'\\frac{\\ln{\\left(\\cosh{\\left(2 J \\right)} \\right)}}{2}'
>>> tex(sympy.Eq(sympy.Symbol("x"), sympy.Rational(1, 2)))
'x = \\frac{1}{2}'
"""
from dataclasses import dataclass, field
from typing import Optional, Sequence

import sympy
from sympy.printing.latex import LatexPrinter

#: Printer settings shared by every generated formula (see module docstring).
HOUSE_SETTINGS = {
    "ln_notation": True,
    "fold_short_frac": False,
    "mul_symbol": None,
    "order": "lex",
    "inv_trig_style": "abbreviated",
}


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
    """One step of a derivation: prose, displayed equations, and the claim it supports.

    ``equations`` are sympy objects (usually ``Eq``) or ready LaTeX strings; each is set in its
    own display. ``claim`` is the id of the claim whose computed verdict this step shows.
    """

    title: str
    text: str
    equations: Sequence = field(default_factory=tuple)
    claim: Optional[str] = None


__all__ = ['HOUSE_SETTINGS', 'HousePrinter', 'tex', 'Step']
