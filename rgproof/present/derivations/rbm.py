"""Derivation of the Mehta-Schwab mapping between variational RG and restricted Boltzmann
machines, and of the stacked machines on the 1-D Ising chain, each step attached to the claim
that computes it."""
import sympy

from ...core.latex import Step, tex
from ...topics.ising2d import decimation_couplings
from ...topics.rbm import vrg_objective


def _decimation_of_one_spin():
    """``(J, J~, c)`` with ``ln 2cosh(J(a + b)) = c + J~ a b``, fixed by the values
    ``ln 2cosh 2J`` at ``a b = 1`` and ``ln 2`` at ``a b = -1``."""
    J = sympy.Symbol("J", positive=True)
    aligned, opposite = sympy.log(2 * sympy.cosh(2 * J)), sympy.log(2)

    def combined(value):
        return sympy.logcombine(sympy.expand_log(value, force=True), force=True)

    return J, combined((aligned - opposite) / 2), combined((aligned + opposite) / 2)


def derivation():
    b = sympy.Symbol("b", real=True)
    objective = vrg_objective(sympy.Rational(1, 2), b)
    couplings = decimation_couplings(4)
    J, recursion, constant = _decimation_of_one_spin()
    return [
        Step("The machine and its two Hamiltonians",
             "A restricted Boltzmann machine on visible spins $v_i = \\pm 1$ and hidden spins "
             "$h_j = \\pm 1$ has the energy and the law below; summing one layer out in closed "
             "form defines the Hamiltonian of the other, "
             r"$p_\lambda(v) \propto e^{-H^{RBM}_\lambda(v)}$ and "
             r"$p_\lambda(h) = \frac{1}{Z} \sum_v e^{-E(v,h)} \propto e^{-H^{RBM}_\lambda(h)}$:",
             [r"E_\lambda(v,h) = -c^{T} v - b^{T} h - v^{T} W h",
              r"p_\lambda(v,h) = \frac{1}{Z} e^{-E_\lambda(v,h)}",
              r"H^{RBM}_\lambda(h) = -\ln \sum_v e^{-E_\lambda(v,h)} = -b^{T} h - \sum_i "
              r"\ln\left(2\cosh\left(c_i + (W h)_i\right)\right)"],
             claim="mehta_schwab.hamiltonians_equal"),
        Step("The variational operator",
             "Variational RG defines the coarse Hamiltonian through an operator "
             r"$T_\lambda(v,h)$; Mehta and Schwab choose $T_\lambda = -E_\lambda + H$, so the "
             "data Hamiltonian cancels inside the trace and the RG Hamiltonian is the "
             "machine's, for every $h$ and every $H$:",
             [r"e^{-H^{RG}_\lambda(h)} = \mathrm{tr}_v\, e^{T_\lambda(v,h) - H(v)} = "
              r"\mathrm{tr}_v\, e^{-E_\lambda(v,h)} = e^{-H^{RBM}_\lambda(h)}"],
             claim="mehta_schwab.hamiltonians_equal"),
        Step("The trace condition and the free energies",
             "Tracing the definition of $H^{RG}_\\lambda$ over $h$ and exchanging the traces "
             r"gives $F_h$ in terms of $r(v) = \mathrm{tr}_h\, e^{T_\lambda(v,h)}$. The trace "
             r"condition $r = 1$ for every $v$ therefore gives $F_h = F_v$; the converse only "
             r"fixes the mean $\mathbb{E}_P[r] = 1$ under $P(v) = e^{-H(v)}/Z$, not $r$ itself:",
             [r"\mathrm{tr}_h\, e^{-H^{RG}_\lambda(h)} = \mathrm{tr}_v\, e^{-H(v)}\, "
              r"\mathrm{tr}_h\, e^{T_\lambda(v,h)}",
              r"F_v = -\ln \mathrm{tr}_v\, e^{-H(v)}",
              r"F_h = F_v - \ln \mathbb{E}_{P}\left[r\right]"],
             claim="mehta_schwab.free_energy_iff_trace"),
        Step("Exact transformations and the KL divergence",
             r"With $T_\lambda = -E_\lambda + H$ one has $p_\lambda(v) = r(v) P(v) / "
             r"\mathbb{E}_P[r]$, so the divergence that training minimises is a Jensen gap of "
             "$r$. It vanishes exactly when $r$ is constant in $v$, which is the trace "
             r"condition only once the additive constant of $H$ makes $\mathbb{E}_P[r] = 1$:",
             [r"\mathrm{KL}\left(P \,\|\, p_\lambda\right) = \ln \mathbb{E}_P[r] - "
              r"\mathbb{E}_P[\ln r] \geq 0"],
             claim="mehta_schwab.exact_iff_kl_zero"),
        Step("The variational objective as printed",
             "The printed objective is a signed difference of log partition functions; a hidden "
             "bias alone already sends it to $-\\infty$, so it has no minimiser:",
             [rf"\lim_{{b \to \infty}} \left[{tex(objective)}\right] = "
              rf"{tex(sympy.limit(objective, b, sympy.oo))}"],
             claim="mehta_schwab.vrg_objective"),
        Step("Block spins in two dimensions",
             "Summing out a spin of the square lattice's checkerboard, whose four neighbours "
             "$n_0, \\dots, n_3$ sit around it, gives next-nearest-neighbour and four-spin "
             "couplings beside the nearest-neighbour ones:",
             [rf"\ln 2\cosh\big(K (n_0 + n_1 + n_2 + n_3)\big) = c_0 + "
              rf"{tex(couplings[(0, 1)])} \sum_{{i<j}} n_i n_j + "
              rf"\left({tex(couplings[(0, 1, 2, 3)])}\right) n_0 n_1 n_2 n_3"],
             claim="mehta_schwab.same_structure"),
        Step("Decimation of the chain by one machine",
             "On the periodic chain $H(v) = -J \\sum_i v_i v_{i+1}$, summing out every second "
             "spin $s$ between kept neighbours $a, b$ leaves a nearest-neighbour chain; the two "
             "values $a b = \\pm 1$ fix the new coupling. A machine with one hidden unit per "
             "kept site reaches it as that unit's weight to its site grows without bound, "
             "where the Kullback-Leibler divergence tends to zero:",
             [rf"\ln\left(2\cosh\left(J (a + b)\right)\right) = {tex(constant)} + "
              rf"{tex(recursion)}\, a b",
              rf"\tilde J = {tex(sympy.log(sympy.cosh(2 * J)) / 2)}",
              r"\tanh \tilde J = \tanh^{2} J"],
             claim="mehta_schwab.trained_rbm_coupling"),
        Step("Stacked machines",
             "Each new machine is trained on the hidden law of the one below, "
             r"$p^{(k)}_\lambda(h) \propto e^{-H^{RBM}_\lambda(h)}$, and halves the spins: "
             "$8 \\to 4 \\to 2$ on the chain. If stacking performs decimation, the $k$-th "
             "hidden law is the periodic chain at the $k$-th decimated coupling, with no field, "
             "no longer-range pair and no multi-spin coupling; on two spins the ring carries "
             "its bond twice. The check expands each learned law over all products of spins "
             "and compares, starting from $J^{(0)} = J$:",
             [r"-H^{(k)}(h) = K_0 + J^{(k)} \sum_{i} h_i h_{i+1}",
              r"\tanh J^{(k)} = \tanh^{2} J^{(k-1)}",
              r"p^{(2)}(h_1, h_2) \propto e^{2 J^{(2)} h_1 h_2}"],
             claim="mehta_schwab.stacked_rbms_decimate"),
    ]


__all__ = ["derivation"]
