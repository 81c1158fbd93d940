"""Derivation: Post-Widder inversion, one-sided and two-sided."""
import sympy

from ...core.latex import Step
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


def derivation():
    """The Post-Widder steps as :class:`~rgproof.core.latex.Step` objects."""
    k, n, t, p, u = k_sym, n_sym, t_sym, p_sym, u_sym
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
             [sympy.Eq(sympy.Function("f_k")(t), POSTWIDDER_TERM, evaluate=False)]),
        Step("Acceleration",
             r"$f_k(t) = \mathrm{E}\,f(tU_k)$, $U_k \sim \Gamma(k+1, k)$, so "
             r"$f_k = f + a_1/k + a_2/k^2 + \dots$; polynomial extrapolation in $1/k$ through "
             r"$k = 1..n$ (Salzer) uses the weights below; Wynn's $\rho$ algorithm is the "
             r"alternative. Each value is computed twice, with more terms and digits.",
             [sympy.Eq(sympy.Symbol("w_k"), (-1) ** (n - k) * k ** n
                       / (sympy.factorial(k) * sympy.factorial(n - k)), evaluate=False)]),
        Step("One-sided control",
             r"For the radial Boltzmann factor $e^{-u-u^2/2}$ the transform is one-sided and its "
             r"derivatives are exact moments; the inversion recovers $\phi(1) = e^{-3/2}$.",
             [sympy.Eq(sympy.Integral(sympy.exp(-p * u) * control, (u, 0, sympy.oo)),
                       control_transform, evaluate=False)]),
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


__all__ = ['derivation']
