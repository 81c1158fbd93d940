"""Derivation steps of the Mehta-Schwab mapping that rgproof computes symbolically."""
import sympy

from ...core.latex import Step, tex
from ...topics.rbm import vrg_objective


def derivation():
    b = sympy.Symbol("b", real=True)
    objective = vrg_objective(sympy.Rational(1, 2), b)
    return [
        Step("The variational objective as printed",
             "The printed objective is a signed difference of log partition functions; a hidden "
             "bias alone already sends it to $-\\infty$, so it has no minimiser:",
             [rf"\lim_{{b \to \infty}} \left[{tex(objective)}\right] = "
              rf"{tex(sympy.limit(objective, b, sympy.oo))}"],
             claim="mehta_schwab.vrg_objective"),
    ]


__all__ = ["derivation"]
