"""Derivation: the summary notes' reading of Gong & Xia (not the authors), each statement put
to the computation that decides it."""
import sympy

from ...core.latex import Step, tex
from ...topics.summary_notes import (J, correlation_length, free_energy_density,
                                     teacher_student_loss)


def derivation():
    k, h, t = sympy.symbols("k h t", positive=True)
    J_k = sympy.Symbol("J^{(k)}", positive=True)
    theta_r, kappa, s, r = sympy.symbols(r"\theta_r \kappa s r", positive=True)
    xi = sympy.Symbol(r"\xi", positive=True)
    return [
        Step("A hidden layer as a decimation step",
             "Decimation of the 1-D chain keeps every second spin and maps $J$ to "
             r"$\tfrac12 \ln\cosh 2J$, that is $\tanh J \mapsto \tanh^2 J$; after $k$ steps the "
             r"coupling is $J^{(k)}$ below. A layer of width $h$ is read as a periodic chain: "
             r"its units as spins $s_j = 2y_j - 1$, each input $x$ weighted by the data's "
             r"$p_J(x) = e^{J\sum_i x_i x_{i+1}}/Z_N(J)$, and $J_{nn}$ the coupling whose "
             r"periodic $h$-spin chain has the layer's mean nearest-neighbour correlation $c$ "
             r"(with $t = \tanh J_{nn}$). On the inputs this returns $J$ itself; the statement "
             r"asks $J_{nn} = J^{(k)}$ on hidden layer $k$, without $g$.",
             [sympy.Eq(sympy.tanh(J_k), sympy.tanh(J) ** (2 ** k)),
              sympy.Eq(sympy.Symbol("c"), (t + t ** (h - 1)) / (1 + t ** h)),
              r"c = \sum_{x} p_J(x)\, \frac{1}{h} \sum_{j=1}^{h} s_j(x)\, s_{j+1}(x), "
              r"\qquad s_{h+1} = s_1"],
             claim="summary_notes.layer_per_iteration"),
        Step("The final layer and the fixed point",
             r"The stable fixed point of the recursion is $J^* = 0$. The final layer's "
             r"$J_{nn}$, which no schedule of $g$ sets (unlike $J_t$), is compared with it for "
             r"the trained weights $\mathbf{W}^{(T)}$ and, as the control, the untrained "
             r"$\mathbf{W}^{(0)}$: a fixed point that random outputs already show is not "
             r"captured by the training.",
             [r"J_{nn}\big(\mathbf{W}^{(T)}\big) \overset{?}{=} J^* = 0 \overset{?}{\neq} "
              r"J_{nn}\big(\mathbf{W}^{(0)}\big)"],
             claim="summary_notes.final_layer_fixed_point"),
        Step("No critical point in the 1-D data",
             r"The chain's correlation $\langle x_0 x_r\rangle = \tanh^r J = e^{-r/\xi}$ gives "
             r"the correlation length below, finite for every finite $J > 0$; the free energy "
             r"density is analytic on the real line, since $\cosh J$ has no real zero. So the "
             r"data has no phase transition at a finite coupling (the slides: finite system, no "
             r"phase transition). Nor could the networks' training scale with $J$: the loss, "
             r"written out for $N = M = 1$ below, does not contain $J$.",
             [sympy.Eq(xi, correlation_length()),
              sympy.Eq(sympy.Symbol(r"-\beta f"), free_energy_density()),
              sympy.Eq(sympy.Symbol("L"), teacher_student_loss(1, 1))],
             claim="summary_notes.critical_scaling"),
        Step("The workflow on Gaussian data",
             r"Step 1 fits $e^{-\sum_r \hat\theta_r |x|^{2r}}$ to the data; step 2 maps "
             r"$\theta_r \mapsto \theta_r Z(\lambda)^r \lambda^{-2r}$ with "
             r"$\kappa = \lim Z(\lambda)/\lambda^2$ forced by $Z_\lambda = Z$, so "
             r"$\kappa^{-N/2} = 1$ and the fixed point is $\hat\theta$ itself; step 3 trains "
             r"towards a teacher $y = sRz$, whose outputs have $\tilde\theta_r = \theta_r "
             r"s^{-2r}$; step 4 compares. Away from the rotation $s = 1$ the features are the "
             r"teacher's, not the fixed point.",
             [sympy.Eq(sympy.Symbol(r"\theta^*_r"), sympy.Symbol(r"\hat\theta_r") * kappa ** r),
              sympy.Eq(kappa ** (-sympy.Symbol("N") / 2), 1),
              rf"\tilde\theta_r = {tex(theta_r * s ** (-2 * r))}"],
             claim="summary_notes.workflow"),
    ]


__all__ = ["derivation"]
