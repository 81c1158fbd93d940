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
    """The annealed networks, the J_t equation, the g that sends J_t to 0 and why g alone does,
    g against the decimation constant J_0, and Theorems 2-3 across network structures."""
    exact, simple = g_limit_expression()
    return [
        Step("The annealed networks",
             r"A network $F(\mathbf{W})$ maps the $N$ input spins to $M$ outputs "
             r"$y_j = f(\cdot)$, with or without hidden layers. It is trained towards a teacher "
             r"$\mathbf{W}^*$ by the loss below, summed over all $2^N$ inputs (the data's "
             r"Boltzmann weights do not enter it), with simulated annealing: the SDE "
             r"$d\mathbf{W} = -\nabla L\, dt + \sqrt{\eta_t}\, dB$, $\eta_t$ chosen by "
             r"Lemma 1, so that $L(\mathbf{W}^{(t)}) \to 0$ in probability.",
             [r"L(\mathbf{W}) = \frac{1}{2}\sum_{x}\big\|F(x; \mathbf{W}) - "
              r"F(x; \mathbf{W}^*)\big\|^2 + \lambda \|\mathbf{W} - \mathbf{W}^*\|^2"],
             claim="ising.anneal.training_sees_data"),
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
             r"$g(t) \to g_\infty$ below; the experiment uses $g(t) = g_\infty (1 - e^{-t/\tau})$. "
             r"Nothing of the network enters $g_\infty$: with or without hidden layers "
             r"(equations (3) and (4) are the same), this $g$ gives $\lim J_t = 0$.",
             [sympy.Eq(g_inf, exact), sympy.Eq(g_inf, simple)],
             claim="ising.anneal.limit.theorem2", claims=("ising.anneal.limit.theorem3",)),
        Step("Any other limit: $g$ alone sets it",
             r"As $W_t \to W^*$, the choice below sends $J_t$ to any $J'$; it depends on the "
             r"teacher's $S^*$ unless $J' = 0$. The limit of $J_t$ is therefore chosen with $g$, "
             r"not extracted from the data; a statistic without $g$ is the coupling $J_{nn}$ of "
             r"the periodic $M$-spin chain whose nearest-neighbour correlation is that of the "
             r"outputs read as spins.",
             [r"g_\infty = \frac{1}{N}\Big[\ln Z_N(J) - \ln \sum_x e^{J' S^*(x)}\Big]"],
             claim="ising.anneal.g_dependence", claims=("ising.anneal.limit_from_training",)),
        Step("$g(t)$ against the decimation constant $J_0$",
             r"The slides pair $g(t)$ with $J_0$: both are the constant that keeps $Z(J)$ "
             r"unchanged. As values, at $J_t = 0$ the sum over the $2^N$ inputs gives $2^N$, "
             r"while decimating from $N$ spins to $M$ accumulates the constants $C_{N \to M}$ "
             r"with the coupling $J_M$ left on $M$ spins. Their difference is the entropy of the "
             r"$N - M$ removed spins, which (3) keeps, plus the free energy of the $M$-spin chain, "
             r"which vanishes only at $J_M = 0$, after infinitely many steps: as functions of "
             r"$J$ the two differ, and they can meet only at isolated couplings where the two "
             r"terms cancel.",
             [r"N g_\infty = \ln Z_N(J) - N \ln 2,\qquad C_{N \to M} = \sum_k \frac{N_k}{4}"
              r"\ln\left(4\cosh 2J_k\right) = \ln Z_N(J) - \ln Z_M(J_M)",
              r"N g_\infty - C_{N \to M} = -(N - M)\ln 2 + \big[\ln Z_M(J_M) - M \ln 2\big]"],
             claim="ising.anneal.g_correspondence"),
        Step("Theorems 2-3 across network structures",
             r"By Lemma 1, $\mathbf{W}^{(t)} \to \mathbf{W}^*$, so the $g$-free coupling of the "
             r"outputs tends to the teacher's, $J_{nn}(\mathbf{W}^*)$. Its value is set by the "
             r"structure and by the draw of $\mathbf{W}^*$: outputs that share a narrow hidden "
             r"layer share features and correlate, so whether it lies at $J^* = 0$ depends on the "
             r"widths, depths and activation.",
             [r"\lim_{t\to\infty} J_{nn}(\mathbf{W}^{(t)}) = J_{nn}(\mathbf{W}^*)"],
             claim="ising.anneal.structure_independence"),
    ]


__all__ = ['g_limit_expression', 'derivation']
