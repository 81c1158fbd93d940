"""Derivation: the chain of Theorem 3.1's proof, one step per link, each with the claim that
computes whether the link holds as the paper states it."""
import sympy

from ...core.latex import Expectation, Step
from ...topics.theorem31 import moment_symbol, stein_route

# --------------------------------------------------------------------------- derivation


def boltzmann_identity(R=3):
    """``sum_r (theta~_r - theta_r) u^r = c`` for all ``u >= 0``: sympy's coefficients of the
    polynomial, every one of which must vanish (the constant goes into ``c``)."""
    u, c = sympy.Symbol("u", nonnegative=True), sympy.Symbol("c")
    theta = sympy.symbols(f"theta_1:{R + 1}", real=True)
    theta_tilde = sympy.symbols(f"\\tilde\\theta_1:{R + 1}", real=True)
    difference = sum((tt - t) * u ** r for r, (t, tt) in enumerate(zip(theta, theta_tilde), 1))
    # the constant coefficient only fixes c; the others must vanish
    coefficients = sympy.Poly(difference - c, u).all_coeffs()[:-1]
    return sympy.Eq(difference, c), [sympy.Eq(coefficient, 0) for coefficient in coefficients]


def derivation():
    """The chain of the proof of Theorem 3.1, as :class:`~rgproof.core.latex.Step` objects."""
    t1, t2 = sympy.symbols(r"\theta_1 \theta_2", real=True)
    N = sympy.Symbol("N", positive=True)
    Z, D = sympy.Function(r"\mathcal{Z}"), sympy.Function("D")
    closed = (sympy.pi ** (N / 2) * (2 * t2) ** (-N / 4) * sympy.exp(t1 ** 2 / (8 * t2))
              * D(-N / 2, t1 / sympy.sqrt(2 * t2)))
    s, C = sympy.Symbol("s"), sympy.Symbol("C")
    n = sympy.Symbol("n", nonnegative=True, integer=True)
    kappa = sympy.IndexedBase(r"\kappa")
    Z_tilde = sympy.Function(r"\tilde{\mathcal{Z}}")
    cumulant_series = sympy.Sum(kappa[n] * s ** n / sympy.factorial(n), (n, 0, sympy.oo))
    identity, coefficients = boltzmann_identity()
    route = stein_route(2)
    m2, m4, m6 = (moment_symbol(k) for k in (2, 4, 6))
    X, Y = sympy.symbols("X Y", real=True)
    return [
        Step("One equation for two parameters",
             r"For $R = 2$ the partition function is a parabolic cylinder function $D_{-N/2}$; "
             r"it decreases strictly in $\theta_2$, so each $\theta_1$ fixes one $\theta_2$ on "
             r"the level set of the reference $(1, 1)$, and the level set is a curve: the "
             r"condition of equal partition functions cannot fix the limits, nor show they exist.",
             [sympy.Eq(Z(t1, t2), closed, evaluate=False),
              sympy.Eq(Z(t1, t2), Z(1, 1), evaluate=False)],
             claim="theorem31.one_equation"),
        Step("From cumulants to the log-transform",
             r"Equal connected correlations give equal cumulant series. The paper calls "
             r"$\ln \mathcal{Z}$ entire, but a zero $b_1$ of $\mathcal{Z}$ on the imaginary axis "
             r"(the counterexample $\theta = (1, 1)$ of the Laplace chapter) limits the series "
             r"to $|s| < b_1$; there the log-transforms agree up to a constant:",
             [sympy.Eq(sympy.log(Z(s)), cumulant_series, evaluate=False),
              sympy.Eq(sympy.log(Z_tilde(s)), sympy.log(Z(s)) + sympy.log(C), evaluate=False)],
             claim="laplace.entire"),
        Step("Exponentiating",
             r"The paper takes the logarithm on all of $\mathbb{C}^N$ because $\mathcal{Z}$ is "
             r"non-vanishing, which is false. The step survives without it: $\tilde{\mathcal{Z}} "
             r"= C \mathcal{Z}$ on $|s| < b_1$, and both sides are entire, so by the identity "
             r"theorem they agree everywhere:",
             [sympy.Eq(Z_tilde(s), C * Z(s), evaluate=False)],
             claim="laplace.zero_free"),
        Step("Inverting the transform",
             r"The paper recovers $e^{-H}$ from $\mathcal{Z}$ with the Post-Widder formula, which "
             r"needs a one-sided transform; $\mathcal{Z}[s]$ is two-sided (the Post-Widder "
             r"chapter shows the terms diverge). Applied instead to the one-sided transform of "
             r"the density of $u = |x|^2 \ge 0$, it works:",
             [sympy.Eq(sympy.exp(-sympy.Function(r"\tilde H")(sympy.Symbol("u"))),
                       C * sympy.exp(-sympy.Function("H")(sympy.Symbol("u"))), evaluate=False)],
             claim="postwidder.one_sided"),
        Step("Equal Boltzmann factors fix the parameters",
             r"Taking logarithms, the difference of the two Hamiltonians is a constant for every "
             r"$u \ge 0$ ($R = 3$ shown); a polynomial that is constant on a half-line has every "
             r"other coefficient zero (sympy's coefficients):",
             [identity, *coefficients],
             claim="theorem31.identifiability"),
        Step("A direct route: Stein's identity",
             r"The chain is exact but exponentially ill-conditioned. Integrating "
             r"$(f e^{-H})'$ over $\mathbb{R}$ gives $\mathbb{E}[f'] = \mathbb{E}[f H']$: with "
             r"$f = x, x^3$ and $H = \theta_1 x^2 + \theta_2 x^4$, two linear equations in "
             r"$\theta$ whose determinant is a mean of squares over independent copies $X, Y$, so the moments (hence the "
             "cumulants) fix $\\theta$:",
             [*route.equations,
              sympy.Eq(sympy.Symbol(r"\det"), route.determinant, evaluate=False),
              sympy.Eq(m2 * m6 - m4 ** 2,
                       Expectation((X * Y**3 - Y * X**3) ** 2, sympy.Symbol("X, Y")) / 2,
                       evaluate=False)],
             claim="theorem31.identifiability.stein"),
    ]


__all__ = ['boltzmann_identity', 'derivation']
