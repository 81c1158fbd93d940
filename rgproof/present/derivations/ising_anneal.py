"""Derivation: the partition-function equation of annealed Ising networks."""
import sympy

from ...core.latex import Step
from ...topics.ising import J, N_sym, closed_form_partition

# --------------------------------------------------------------------------- derivation

J_t, g_inf, J_target = sympy.symbols(r"J_t g_\infty J'", real=True)


def g_limit_expression():
    """``(1/N) ln Z_N(J) - ln 2`` and its simplified form ``ln cosh J + ln(1 + tanh^N J)/N``."""
    exact = sympy.log(closed_form_partition(N_sym, J)) / N_sym - sympy.log(2)
    simple = sympy.log(sympy.cosh(J)) + sympy.log(1 + sympy.tanh(J) ** N_sym) / N_sym
    return exact, simple


def derivation():
    """The J_t equation, the g that sends J_t to 0, and the g for any other target."""
    exact, simple = g_limit_expression()
    return [
        Step("The output coupling $J_t$",
             r"With $S(x) = \sum_j y_j y_{j+1}$ ($y_{M+1} = y_1$) and "
             r"$\varphi(K) = \ln \mathbb{E}\sum_x e^{K S(x)}$, equation (3) reads "
             r"$\varphi(J_t) = \ln Z_N(J) - N g(t)$. $\varphi$ is convex, so there are at most two "
             r"roots; $\varphi' = \mathbb{E}_K[S] > 0$ when $S > 0$ (sigmoid), so then exactly "
             "one.",
             [r"\ln Z_N(J) = N g(t) + \ln \mathbb{E}_{W_t}\Big[\sum_{x} e^{J_t S(x)}\Big]"],
             claim="ising.anneal.uniqueness"),
        Step("The $g$ of the theorem",
             r"$\varphi(0) = N \ln 2$ for every ensemble, so $J_t \to 0$ exactly when "
             r"$g(t) \to g_\infty$ below; the experiment uses $g(t) = g_\infty (1 - e^{-t/\tau})$.",
             [sympy.Eq(g_inf, exact), sympy.Eq(g_inf, simple)],
             claim="ising.anneal.limit.theorem2"),
        Step("Any other limit",
             r"As $W_t \to W^*$, the choice below sends $J_t$ to any $J'$; it depends on the "
             r"teacher's $S^*$ unless $J' = 0$.",
             [r"g_\infty = \frac{1}{N}\Big[\ln Z_N(J) - \ln \sum_x e^{J' S^*(x)}\Big]"],
             claim="ising.anneal.g_dependence"),
    ]


__all__ = ['g_limit_expression', 'derivation']
