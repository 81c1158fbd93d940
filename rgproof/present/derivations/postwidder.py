"""Derivation: Post-Widder inversion, one-sided and two-sided."""
import sympy

from ...core.latex import Expectation, Step
from ...topics.postwidder import (
    CONTROL_THETA,
    F_fn,
    k_sym,
    n_sym,
    p_sym,
    s_sym,
    t_sym,
    two_sided_gaussian_transform,
    u_sym,
    x_sym,
)

#: The Post-Widder term as a sympy expression (for the derivation).
POSTWIDDER_TERM = ((-1) ** k_sym / sympy.factorial(k_sym) * (k_sym / t_sym) ** (k_sym + 1)
                   * sympy.Subs(sympy.Derivative(F_fn(p_sym), (p_sym, k_sym)), p_sym, k_sym / t_sym))


def moment_derivatives(order=3):
    """``d^order/dp^order`` of a one-sided transform, by sympy under the integral sign: the
    ``order``-th moment of ``e^(-pu) f(u)`` with the sign ``(-1)^order``."""
    f = sympy.Function("f")
    transform = sympy.Integral(sympy.exp(-p_sym * u_sym) * f(u_sym), (u_sym, 0, sympy.oo))
    return transform, sympy.diff(transform, p_sym, order)


def gamma_kernel():
    """The Post-Widder kernel in ``u`` and, from sympy's integrals, its mass, mean and variance
    in units of t: ``U_k ~ Gamma(k + 1, rate k)``."""
    k, t, u = k_sym, t_sym, u_sym
    kernel = (k / t) ** (k + 1) * u ** k * sympy.exp(-k * u / t) / sympy.factorial(k)
    moments = [sympy.simplify(sympy.gammasimp(sympy.integrate(u ** j * kernel, (u, 0, sympy.oo),
                                                               conds="none")))
               for j in range(3)]
    return (kernel, moments[0], sympy.simplify(moments[1] / t),
            sympy.simplify((moments[2] - moments[1] ** 2) / t**2))


def first_correction():
    """``a_1`` of ``f_k(t) = f(t) + a_1/k + O(1/k^2)``: Taylor's formula for ``E f(t U_k)``
    with the kernel's mean and variance."""
    f = sympy.Function("f")
    _, _, mean, variance = gamma_kernel()
    second_moment = variance + (mean - 1) ** 2  # E[(U - 1)^2]
    expansion = (f(t_sym) + t_sym * (mean - 1) * sympy.Derivative(f(t_sym), t_sym)
                 + t_sym ** 2 * second_moment / 2 * sympy.Derivative(f(t_sym), (t_sym, 2)))
    return sympy.limit(k_sym * (expansion - f(t_sym)), k_sym, sympy.oo)


def extrapolation_error():
    """The remainder of polynomial extrapolation in ``h = 1/k`` through ``k = 1..n`` at h = 0:
    ``prod_k (0 - 1/k) g^(n)(xi) / n!``, the product by sympy."""
    j = sympy.Symbol("j", positive=True, integer=True)
    g_n = sympy.Symbol(r"g^{(n)}(\xi)")
    weight = sympy.simplify(sympy.product(-1 / j, (j, 1, n_sym)))
    return sympy.simplify(weight / sympy.factorial(n_sym)) * g_n


def wynn_rho_on_rational():
    """Wynn's rho_2 on ``s_k = (a + b k)/(c + d k)``, simplified by sympy: the limit ``b/d``
    exactly, from any three consecutive terms."""
    a, b, c, d, k = sympy.symbols("a b c d k", positive=True)
    terms = [(a + b * (k + i)) / (c + d * (k + i)) for i in range(3)]
    rho_1 = [1 / (terms[i + 1] - terms[i]) for i in range(2)]  # x_(n+1) - x_n = 1
    return sympy.Symbol(r"\rho_2^{(k)}"), sympy.simplify(terms[1] + 2 / (rho_1[1] - rho_1[0]))


def derivation():
    """The Post-Widder steps as :class:`~rgproof.core.latex.Step` objects."""
    k, n, t, p, u = k_sym, n_sym, t_sym, p_sym, u_sym
    transform, third = moment_derivatives()
    kernel, mass, mean, variance = gamma_kernel()
    U = sympy.Symbol("U_k", positive=True)
    control = sympy.exp(-sum(c * u ** r for r, c in enumerate(CONTROL_THETA, 1)))
    control_transform = sympy.simplify(
        sympy.integrate(sympy.exp(-p * u) * control, (u, 0, sympy.oo)).rewrite(sympy.erfc))
    two_sided = two_sided_gaussian_transform()
    first_terms = [sympy.simplify(((-1) ** j / sympy.factorial(j) * (j / t) ** (j + 1)
                                   * sympy.diff(two_sided.subs(s_sym, p), p, j)).subs(p, j / t))
                   for j in (1, 2)]
    return [
        Step("Post-Widder inversion",
             r"For a one-sided transform $F(p) = \int_0^\infty e^{-pu} f(u)\,du$, "
             r"$f(t) = \lim_{k\to\infty} f_k(t)$ with",
             [sympy.Eq(sympy.Function("f_k")(t), POSTWIDDER_TERM, evaluate=False)],
             claims=("postwidder.one_sided",)),
        Step("Why moments give exact derivatives",
             r"Differentiating under the integral sign brings down $-u$ each time, so every "
             r"derivative of a one-sided transform is a moment of $e^{-pu} f(u)$, which the "
             r"radial Boltzmann factor gives exactly (no numerical differentiation). sympy, "
             "for the third derivative:",
             [sympy.Eq(sympy.Derivative(transform, (p, 3)), third, evaluate=False)],
             claims=("postwidder.one_sided",)),
        Step("The terms are averages",
             r"Put the moment into $f_k$: the kernel $\kappa_k(u)$ is the density of $t U_k$ with "
             r"$U_k \sim \Gamma(k+1, \text{rate } k)$, of mass, mean and variance (sympy) "
             r"below, so $f_k(t) = \mathbb{E} f(t U_k) \to f(t)$ with a series in $1/k$ whose "
             "first coefficient is Taylor's:",
             [sympy.Eq(sympy.Function("f_k")(t), sympy.Integral(kernel * sympy.Function("f")(u),
                                                                (u, 0, sympy.oo)), evaluate=False),
              sympy.Eq(sympy.Function("f_k")(t), Expectation(sympy.Function("f")(t * U), U),
                       evaluate=False),
              sympy.Eq(sympy.Symbol(r"\int \kappa_k"), mass, evaluate=False),
              sympy.Eq(sympy.Symbol(r"\mathbb{E} U_k"), mean, evaluate=False),
              sympy.Eq(sympy.Symbol(r"\operatorname{Var} U_k"), variance, evaluate=False),
              sympy.Eq(sympy.Symbol("a_1"), first_correction(), evaluate=False)],
             claims=("postwidder.one_sided",)),
        Step("Salzer and Richardson: their error term",
             r"Both extrapolate the terms, as a polynomial in $h = 1/k$, to $h = 0$; through "
             r"$k = 1, \dots, n$ they coincide, with Salzer's weights $w_k$. The interpolation "
             r"remainder at $h = 0$, with $g(h) = f_{1/h}(t)$ and $\xi \in (0, 1]$, is "
             r"$\prod_k (0 - 1/k)\, g^{(n)}(\xi)/n!$ (product by sympy): it falls like "
             r"$(n!)^{-2}$ while the weights grow like $(2e)^n/n$, which the working precision "
             "pays for.",
             [sympy.Eq(sympy.Symbol("w_k"), (-1) ** (n - k) * k ** n
                       / (sympy.factorial(k) * sympy.factorial(n - k)), evaluate=False),
              sympy.Eq(sympy.Symbol("E_n"), extrapolation_error(), evaluate=False)]),
        Step("Wynn's rho: its error term",
             r"$\rho$ interpolates the terms by a rational function of $k$ and evaluates it at "
             r"$k = \infty$: $\rho_{2j}$ is exact when $f_k$ is a ratio of polynomials of degree "
             r"$j$ in $k$, and its error is that fit's misfit at infinity. sympy, for $j = 1$ on "
             r"three consecutive terms of $s_k = (a + bk)/(c + dk)$:",
             [sympy.Eq(*wynn_rho_on_rational(), evaluate=False)],
             claims=("postwidder.one_sided",)),
        Step("One-sided control",
             r"For the radial Boltzmann factor $e^{-u-u^2/2}$ the transform is one-sided and its "
             r"derivatives are exact moments; the inversion recovers $\phi(1) = e^{-3/2}$.",
             [sympy.Eq(sympy.Integral(sympy.exp(-p * u) * control, (u, 0, sympy.oo)),
                       control_transform, evaluate=False)],
             claims=("postwidder.one_sided",)),
        Step("The paper's transform is two-sided",
             r"The generating function integrates over all of $\mathbb{R}^N$; for $N = 1$, "
             r"$H = x^2$ it is entire with positive derivatives for $p > 0$, so the Post-Widder "
             r"terms alternate in sign and grow like $e^{k^2/(4t^2)}$ instead of tending to "
             r"$e^{-t^2}$:",
             [sympy.Eq(sympy.Integral(sympy.exp(s_sym * x_sym - x_sym ** 2),
                                      (x_sym, -sympy.oo, sympy.oo)), two_sided, evaluate=False)]
             + [sympy.Eq(sympy.Function(f"f_{j}")(t), term, evaluate=False)
                for j, term in zip((1, 2), first_terms)],
             claim="postwidder.one_sided"),
    ]


__all__ = ['moment_derivatives', 'gamma_kernel', 'first_correction', 'extrapolation_error',
           'wynn_rho_on_rational', 'derivation']
