"""Derivation: Theorem 4's hypotheses, fixed points and a unique minimum of the loss."""
import sympy

from ...core.latex import Step, tex
from ...topics.scaling import LAMBDA, Z_OF_LAMBDA, forced_scale_ratios
from ...topics.theorem4 import ACTIVATIONS, reflection

# ---------------------------------------------------------------- derivation


def derivation():
    """The two hypotheses, from the objects the checks use."""
    theta_r, star = sympy.Symbol("theta_r", positive=True), sympy.Symbol("theta_r^*")
    r, kappa_star = sympy.Symbol("r", positive=True, integer=True), sympy.Symbol(r"\kappa_*")
    z = sympy.Symbol("z", real=True)
    sigmoid = ACTIVATIONS["sigmoid"]
    sign, offset = reflection(sigmoid)
    (forced,) = forced_scale_ratios()
    return [
        Step("Fixed points of the radial data",
             r"The scaling map gives $\theta_r^\lambda = \theta_r (Z(\lambda)/\lambda^2)^r$, so "
             r"$\theta_r^* = \theta_r \kappa_*^r$ with $\kappa_* = \lim Z(\lambda)/\lambda^2 "
             r"\geq 0$: non-negative wherever it is finite. The condition "
             r"$\mathcal{Z}_\lambda = \mathcal{Z}$ leaves only $\kappa_* = 1$:",
             [sympy.Eq(kappa_star, sympy.Limit(Z_OF_LAMBDA / LAMBDA**2, LAMBDA, sympy.oo)),
              sympy.Eq(star, theta_r * kappa_star**r),
              sympy.Eq(kappa_star, forced), sympy.Eq(star, theta_r * forced**r)],
             claim="theorem4.fixed_points_exist"),
        Step("Symmetries of a hidden layer",
             r"Permuting the units of a hidden layer (their incoming weights and biases, and the "
             r"next layer's weights from them) leaves the network's function unchanged. So does "
             r"reflecting one unit, $w_{\mathrm{in}}, b \mapsto -w_{\mathrm{in}}, -b$, when "
             r"$f(-z) = c \pm f(z)$: the next layer's weights $v$ from the unit become $\pm v$ "
             r"and its bias absorbs $c$. For the sigmoid:",
             [rf"{tex(sigmoid(-z))} = {tex(offset + sign * sigmoid(z))}"],
             claim="theorem4.unique_minimum"),
        Step("The penalty singles out the teacher",
             r"Every image $W'$ of $W^*$ fits the data exactly, so only the penalty separates "
             r"it; since the data term is a sum of squares, $W^*$ is the unique minimiser for "
             r"every $\lambda > 0$, and not for $\lambda = 0$:",
             [r"L(W) = \tfrac12 \|F(W) - F(W^*)\|_2^2 + \lambda \|W - W^*\|_2^2 \geq "
              r"\lambda \|W - W^*\|_2^2",
              r"L(W') = \lambda \|W' - W^*\|_2^2 > 0 = L(W^*)"],
             claim="theorem4.unique_minimum"),
    ]


__all__ = ["derivation"]
