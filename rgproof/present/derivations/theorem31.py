"""Derivation: the equations of Theorem 3.1's proof."""
import sympy

from ...core.latex import Step

# --------------------------------------------------------------------------- derivation

def derivation():
    """The level set of the R = 2 partition function, as :class:`~rgproof.core.latex.Step` objects."""
    t1, t2 = sympy.symbols(r"\theta_1 \theta_2", real=True)
    N = sympy.Symbol("N", positive=True)
    Z, D = sympy.Function(r"\mathcal{Z}"), sympy.Function("D")
    closed = (sympy.pi ** (N / 2) * (2 * t2) ** (-N / 4) * sympy.exp(t1 ** 2 / (8 * t2))
              * D(-N / 2, t1 / sympy.sqrt(2 * t2)))
    return [
        Step("One equation for two parameters",
             r"For $R = 2$ the partition function is a parabolic cylinder function $D_{-N/2}$; "
             r"it decreases strictly in $\theta_2$, so each $\theta_1$ fixes one $\theta_2$ on "
             r"the level set of the reference $(1, 1)$, and the level set is a curve:",
             [sympy.Eq(Z(t1, t2), closed, evaluate=False),
              sympy.Eq(Z(t1, t2), Z(1, 1), evaluate=False)],
             claim="theorem31.one_equation"),
    ]


__all__ = ['derivation']
