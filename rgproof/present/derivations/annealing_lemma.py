"""Derivation: the annealing lemma (Lemma 1), its critical cooling constant in the slides' noise
convention, and the landscape on which rgproof checks it."""
import sympy

from ...core.latex import Step, tex

x, t = sympy.symbols("x t", real=True)
eta, c, depth, tilt = sympy.symbols(r"\eta c d^* a", positive=True)
L = sympy.Function("L")
p = sympy.Function("p")

CLAIM = "annealing_lemma.lemma1"


def equilibrium_density():
    """The density with zero probability flux ``L' p + (eta/2) p'`` at fixed ``eta``, by sympy's
    ODE solver: ``C exp(-2 L / eta)``."""
    flux = L(x).diff(x) * p(x) + eta / 2 * p(x).diff(x)
    return sympy.dsolve(sympy.Eq(flux, 0), p(x))


def escape_exponent():
    """The Arrhenius rate ``exp(-2 d* / eta_t)`` at ``eta_t = c / log(t + 2)``, as a power of
    ``t + 2``: ``-2 d* / c``."""
    rate = sympy.exp(-2 * depth / (c / sympy.log(t + 2)))
    return sympy.simplify(sympy.expand_log(sympy.log(rate), force=True) / sympy.log(t + 2))


def derivation():
    density = equilibrium_density()
    exponent = escape_exponent()
    return [
        Step("The law of the annealing SDE",
             r"Simulated annealing is the SDE $d\mathbf{W} = -\nabla L\, dt + \sqrt{\eta_t}\, dB$. "
             r"Its generator is $\frac{\eta_t}{2}\Delta - \nabla L \cdot \nabla$, so in one "
             "dimension the density of its law obeys the Fokker-Planck equation:",
             [r"\partial_t p = \partial_x\Big(L'(x)\, p + \frac{\eta_t}{2}\, \partial_x p\Big)"]),
        Step("Its equilibrium: the temperature is half the noise",
             r"At fixed $\eta$ the flux vanishes for the density below (sympy's solution of the "
             r"zero-flux equation): the Gibbs law at temperature $\eta/2$, which concentrates on "
             r"the global minimum $\mathbf{W}^*$ as $\eta \to 0$.",
             [tex(density)]),
        Step("The critical cooling constant",
             r"Leaving a trap of depth $d^*$ (the rise of $L$ from a non-global minimum to the "
             r"lowest barrier out of it) takes the Arrhenius time $e^{2 d^*/\eta}$. With the "
             r"logarithmic cooling $\eta_t = c / \ln(t + 2)$ the rate is a power of $t + 2$; "
             r"the trapped mass leaves for good exactly when the rate's integral diverges "
             r"(Hajek; Holley, Kusuoka and Stroock), i.e. when $c$ is at least $2 d^*$, twice "
             r"the depth because the temperature is $\eta/2$:",
             [sympy.Eq(sympy.exp(-2 * depth / sympy.Symbol(r"\eta_t")), (t + 2) ** exponent),
              r"\int^{\infty} (t + 2)^{-2 d^*/c}\, dt = \infty \iff c \ge c^* = 2 d^*"],
             claim=CLAIM),
        Step("A landscape of known depth",
             r"A tilted double well has $L \ge 0$, one global minimum with $L = 0$, and one trap "
             r"of height $h$ behind a barrier of depth $d^*$, both read off the roots of $L'$. "
             r"The law is evolved by the Fokker-Planck equation (a Scharfetter-Gummel grid, "
             r"whose stationary state is exactly the Gibbs law on the grid, and backward Euler "
             r"steps growing with $t$) for $c$ below and above $c^*$; $\delta = h/2$. Each "
             r"schedule is judged by the tracking fraction $\varphi$ over the last decade of "
             r"time: $\varphi \to 1$ when the law follows the Gibbs law down to "
             r"$\mathbf{W}^*$, $\varphi \to 0$ when a fixed mass stays in the trap; "
             r"$\varphi \ge 3/4$ counts as driven to $0$, $\varphi \le 1/4$ as trapped. The "
             r"depths of the networks' losses are not computed here.",
             [sympy.Eq(L(x), (x ** 2 - 1) ** 2 + tilt * x - sympy.Symbol("L_{\\min}")),
              r"\varphi = \frac{\ln P_{T/10}(L \ge \delta) - \ln P_{T}(L \ge \delta)}"
              r"{\ln G_{T/10}(L \ge \delta) - \ln G_{T}(L \ge \delta)},\qquad "
              r"G_t \propto e^{-2L/\eta_t}"],
             claim=CLAIM),
    ]


__all__ = ["equilibrium_density", "escape_exponent", "derivation"]
