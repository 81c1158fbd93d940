"""Derivation of the exponential-family experiment: the output system's Hamiltonian, the
Gaussian rewrite of its quadratic term, and the equations for its parameters theta~ (the
teacher's, the RG fixed point's and the slides' ansatz), built from the sympy objects the
checks use."""
import sympy

from ...core.latex import JacobianDeterminant, Step, tex
from ...topics.forward_rg import ACTIVATIONS, THETA, X, gaussian_rewrite


def _radial_symbols():
    r = sympy.Symbol("r", positive=True, integer=True)
    theta_r = sympy.Symbol(r"\theta_r", positive=True)
    return r, theta_r


def teacher_parameters():
    """``theta~_r`` of an RG teacher ``y = s R z`` (R a rotation): ``H(z)`` at ``z = R^T y / s``
    keeps ``|z|`` up to the factor ``1/s``, so the coefficient of ``|y|^(2r)`` is sympy's."""
    r, theta_r = _radial_symbols()
    s, y = sympy.symbols("s y", positive=True)  # y stands for |y|
    term = theta_r * (y / s) ** (2 * r)
    return sympy.simplify(sympy.powsimp(sympy.expand_power_base(term / y ** (2 * r),
                                                                force=True), force=True))


def fixed_point_scale():
    """The positive scales ``s`` at which the teacher's ``theta~_r`` equals ``theta* = theta``."""
    r, theta_r = _radial_symbols()
    s = sympy.Symbol("s", positive=True)
    return sympy.solve(sympy.Eq(teacher_parameters().subs(r, 1), theta_r), s)


def ansatz_parameters():
    """The slides' ansatz ``theta~_r^t = theta_r Z(t)^r t^(-2r)`` with ``Z(t) = kappa t^2``,
    simplified: it is ``theta_r kappa^r`` at every t, whatever the network does."""
    r, theta_r = _radial_symbols()
    t, kappa = sympy.symbols(r"t \kappa", positive=True)
    return sympy.powsimp(sympy.expand_power_base(theta_r * (kappa * t**2) ** r * t ** (-2 * r),
                                                 force=True), force=True)


def derivation():
    normaliser, variance = gaussian_rewrite("theta x^2")
    F = ACTIVATIONS["tanh"](X + sympy.Rational(1, 2))
    r, theta_r = _radial_symbols()
    teacher = sympy.Function(r"\tilde\theta_r")(sympy.Symbol("W^*"))
    tilde_t = sympy.Symbol(r"\tilde\theta_r^t")
    y = sympy.Symbol("y")
    p_x, F_inverse = sympy.Function("p_x"), sympy.Function("F^{-1}")
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
        Step("The teacher's parameters",
             r"Annealing $d\Theta = -\nabla L\, dt + \sqrt{\eta_t}\, dB$ on the teacher-student "
             r"loss drives the outputs' parameters $\tilde\theta_t$ (fitted to the radial family "
             r"$e^{-\sum_r \tilde\theta_r |y|^{2r}}$) towards the teacher's. For an RG teacher "
             r"$y = s R z$ with $R$ a rotation, $|z| = |y|/s$, so sympy reads off:",
             [sympy.Eq(teacher, teacher_parameters(), evaluate=False)],
             claim="expfam.anneal.convergence"),
        Step("The limit against the RG fixed point",
             r"Theorem 3.1 equates the limit with the fixed point $\theta^*$ of "
             r"$\theta_r \mapsto \theta_r Z(\lambda)^r \lambda^{-2r}$ under $\mathcal{Z}_\lambda "
             r"= \mathcal{Z}$, which forces $\theta^* = \theta$ (scaling chapter). The teacher's "
             r"parameters equal it only at the scale below; the slides' ansatz, with "
             r"$Z(t) = \kappa t^2$ from $\mathcal{Z}_t = \mathcal{Z}$, gives $\theta^*$ at every "
             r"$t$ for every network, trained or not, so it cannot test the limit; the check "
             r"fits the outputs instead:",
             [sympy.Eq(sympy.Symbol("s"), fixed_point_scale()[0], evaluate=False),
              sympy.Eq(tilde_t, ansatz_parameters(), evaluate=False)],
             claim="expfam.anneal.limit"),
        Step("The inversion step and the push-forward",
             r"The proof concludes that the outputs follow $e^{-H(F^{-1}(y))}/Z'$. The change of "
             r"variables keeps the Jacobian of $F^{-1}$, which is a constant only when $F$ "
             r"preserves volume up to a factor (a tanh teacher's does not):",
             [sympy.Eq(sympy.Function("p_y")(y),
                       p_x(F_inverse(y)) * sympy.Abs(JacobianDeterminant(F_inverse(y), y)),
                       evaluate=False)],
             claim="expfam.pushforward"),
    ]


__all__ = ["teacher_parameters", "fixed_point_scale", "ansatz_parameters", "derivation"]
