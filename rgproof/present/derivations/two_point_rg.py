"""Derivation: the two-point RG equation of the zero-field 1-D Ising chain (Cui & Gong)."""
import sympy

from ...core.latex import Step, tex
from ...topics.two_point_rg import (
    LAMBDA,
    SEPARATION,
    T,
    block_average_correlation,
    block_average_remainder,
    chain_correlation,
    closed_ring_correlation,
    decay,
    decimated_tanh,
    ring_decimation_identity,
    transfer_matrix,
)
from ...topics.ising import J, decimation

# ---------------------------------------------------------------- derivation


def derivation():
    """Decimation and block averages of the chain, from the objects the checks use."""
    N, r = sympy.Symbol("N", positive=True, integer=True), SEPARATION
    G, G_coarse = sympy.Function(r"\mathcal{G}_N"), sympy.Function(r"\mathcal{G}'")
    remainder = sympy.Function(r"\mathcal{R}_{\lambda}")
    t_tilde = sympy.Symbol(r"\tanh \tilde{J}")
    R0, R1 = block_average_remainder(0), block_average_remainder(1)
    (limit0, _), (limit1, rate1) = decay(R0), decay(R1)
    return [
        Step("Two-point function of the chain",
             r"With $t = \tanh J$ the transfer matrix is $\cosh J$ times the matrix below; "
             r"$\langle x_0 x_r \rangle = \operatorname{tr}(\sigma T^r \sigma T^{N-r}) / "
             r"\operatorname{tr} T^N$ on the ring of $N$ sites, and $t^r$ on the infinite "
             r"chain ($0 < t < 1$).",
             [sympy.Eq(sympy.Symbol("T") / sympy.cosh(J), transfer_matrix(), evaluate=False),
              sympy.Eq(G(r), closed_ring_correlation(N, r)),
              sympy.Eq(sympy.Limit(G(r), N, sympy.oo), chain_correlation(r))],
             claim="two_point_rg.decimation"),
        Step("Decimation",
             r"The slides' coarse graining keeps $\tilde{x}_i = x_{2i}$. The derived coupling "
             r"$\tilde{J} = \tfrac12 \ln\cosh 2J$ has $\tanh \tilde{J} = t^2$, so the decimated "
             r"ring of $N/2$ sites at separation $r$ reproduces the original at $2r$: with "
             r"$Z(\lambda) = 1$ the remainder is $0$ for every $N$, $r$ and step, and $\lambda = "
             r"2^n$ only replaces $t$ by $t^{\lambda}$.",
             [sympy.Eq(sympy.Symbol(r"\tilde{J}"), decimation().coupling),
              sympy.Eq(t_tilde, decimated_tanh()),
              sympy.Eq(G_coarse(r) - G(2 * r), ring_decimation_identity()),
              rf"\mathcal{{R}}_{{\lambda}}(r) = (t^{{\lambda}})^r - {tex(chain_correlation(LAMBDA * r))}"
              r" = 0"],
             claim="two_point_rg.decimation"),
        Step("Block averages",
             r"A block spin $s_i = \lambda^{-1}\sum_{a=0}^{\lambda-1} x_{\lambda i + a}$ of the "
             r"infinite chain has a double geometric sum as its two-point function; for "
             r"$r \geq 1$ every exponent $\lambda r + b - a$ is positive:",
             [rf"\langle s_0 s_0 \rangle = {tex(block_average_correlation(0))}",
              rf"\langle s_0 s_r \rangle = {tex(T**(LAMBDA * (r - 1)) * block_average_correlation(1))}"
              r", \quad r \geq 1"],
             claim="two_point_rg.block_average"),
        Step("Remainder of block averages",
             r"With $Z(\lambda) = 1$, $\mathcal{R}_\lambda(r) = \langle s_0 s_r \rangle - "
             r"t^{\lambda r}$. At coincident sites it tends to $-1$; at adjacent blocks it "
             r"decays like $4^{-n}$, while $t^{\lambda}$ itself decays doubly exponentially, so "
             r"relative to $\mathcal{G}(\lambda x_1, \lambda x_2)$ it grows.",
             [sympy.Eq(sympy.Limit(remainder(0), LAMBDA, sympy.oo), limit0),
              sympy.Eq(sympy.Limit(remainder(1), LAMBDA, sympy.oo), limit1),
              sympy.Eq(sympy.Limit(LAMBDA**2 * remainder(1), LAMBDA, sympy.oo), rate1),
              rf"\mathcal{{R}}_{{\lambda}}(1) = {tex(R1)}"],
             claim="two_point_rg.block_average"),
    ]


__all__ = ["derivation"]
