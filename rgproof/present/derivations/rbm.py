"""Derivation steps of the Mehta-Schwab mapping that rgproof computes symbolically."""
import sympy

from ...core.latex import Step, tex
from ...topics.ising2d import decimation_couplings
from ...topics.rbm import vrg_objective


def derivation():
    b = sympy.Symbol("b", real=True)
    objective = vrg_objective(sympy.Rational(1, 2), b)
    couplings = decimation_couplings(4)
    return [
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
    ]


__all__ = ["derivation"]
