"""Derivation steps of the exponential-family experiment: the output system's Hamiltonian and
the Gaussian rewrite of its quadratic term, built from the sympy objects the checks use."""
import sympy

from ...core.latex import Step, tex
from ...topics.forward_rg import ACTIVATIONS, THETA, X, gaussian_rewrite


def derivation():
    normaliser, variance = gaussian_rewrite("theta x^2")
    F = ACTIVATIONS["tanh"](X + sympy.Rational(1, 2))
    return [
        Step("The output system's Hamiltonian",
             r"For a bounded activation that does not vanish at infinity, $F^2$ tends to a "
             r"positive constant, so the integral over the inputs diverges for every weight:",
             [rf"\lim_{{x \to \pm\infty}} {tex(F**2)} = "
              rf"{tex(sympy.limit(F**2, X, sympy.oo))}, \quad "
              rf"\int_{{\mathbb{{R}}}} {tex(F**2)}\, dx = \infty"],
             claim="expfam.field_hamiltonian"),
        Step("The Gaussian rewrite",
             r"The quadratic factor $e^{-\theta x^2}$ normalises to a Gaussian whose variance is "
             r"$1/(2\theta)$, not $1/\theta$:",
             [sympy.Eq(sympy.Integral(sympy.exp(-THETA * X**2), (X, -sympy.oo, sympy.oo)),
                       normaliser),
              rf"\mathrm{{Var}} = {tex(variance)}"],
             claim="expfam.ansatz_gaussian"),
    ]


__all__ = ["derivation"]
