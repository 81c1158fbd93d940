"""Derivation: decimation of the periodic 1-D Ising chain."""
import sympy

from ...core.latex import Step, tex
from ...topics.ising import (
    LOG_A,
    J,
    J_tilde,
    N_sym,
    closed_form_partition,
    decimation,
    fixed_point_analysis,
    partition_identity_proof,
)

# --------------------------------------------------------------------------- derivation

def transfer_matrix():
    """The chain's transfer matrix ``T_ab = e^(J a b)`` (a, b = 1, -1) and its eigenvalues."""
    T = sympy.Matrix([[sympy.exp(J * a * b) for b in (1, -1)] for a in (1, -1)])
    return T, sorted((sympy.simplify(value.rewrite(sympy.cosh)) for value in T.eigenvals()),
                     key=sympy.default_sort_key)


def iterated_decimation():
    """``ln Z_N(J)`` for ``N = 2^n`` as the sum of the per-step constants plus ``ln Z_1``."""
    k, n = sympy.symbols("k n", nonnegative=True, integer=True)
    coupling = sympy.IndexedBase("J")
    step_constant = N_sym / 2**k / 4 * sympy.log(4 * sympy.cosh(2 * coupling[k]))
    one_spin = sympy.simplify(closed_form_partition(1, coupling[n]).rewrite(sympy.exp))
    return (sympy.Sum(step_constant, (k, 0, n - 1)) + sympy.log(one_spin),
            sympy.Eq(coupling[k + 1], decimation().coupling.subs(J, coupling[k])))

def derivation():
    """The Ising decimation derivation as :class:`~rgproof.core.latex.Step` objects."""
    d = decimation()
    a_sym, b_sym, s_sym = sympy.symbols("a b s")
    proof = partition_identity_proof()
    fp = fixed_point_analysis()
    T, eigenvalues = transfer_matrix()
    iterated, recursion = iterated_decimation()
    J0 = sympy.Symbol("J_0")
    two_cosh_ratio = sympy.sqrt(4 * sympy.cosh(2 * J)) * 2 * sympy.cosh(J_tilde) / (2 * sympy.cosh(J)) ** 2
    two_sinh_ratio = sympy.sqrt(4 * sympy.cosh(2 * J)) * 2 * sympy.sinh(J_tilde) / (2 * sympy.sinh(J)) ** 2
    return [
        Step("Summing out one spin",
             "For a removed spin $s$ between kept neighbours $a, b$ the weight is fitted by "
             r"$A e^{\tilde{J} a b}$; the configurations $(a,b)=(1,1)$ and $(1,-1)$ fix the two "
             "unknowns and all four configurations are then checked:",
             # the sum runs over s = +-1 only, which sympy's Sum (a range) cannot express
             [rf"\sum_{{s = \pm 1}} {tex(sympy.exp(J * s_sym * (a_sym + b_sym)))} = "
              rf"{tex(sympy.exp(LOG_A + J_tilde * a_sym * b_sym))}"]
             + list(d.fit)
             + [sympy.Eq(J_tilde, d.coupling)],
             claim="ising.decimation.recursion"),
        Step("The constant per removed spin",
             r"The same fit gives the constant; $N/2$ spins are removed, so $J_0 = \frac{N}{4}\ln(4\cosh 2J)$.",
             [sympy.Eq(LOG_A, d.log_constant),
              sympy.Eq(J0, N_sym / 2 * d.log_constant)],
             claim="ising.decimation.constant"),
        Step("The constant as printed on the slide",
             r"The slide prints $J_0 = \frac{N}{2}\ln(4\cosh 2J)$, twice the exact value; "
             r"the exact $J_0 = \ln Z_N(J) - \ln Z_{N/2}(\tilde{J})$ is evaluated at high precision.",
             [sympy.Eq(sympy.Symbol(r"J_0^{\mathrm{printed}}") / J0,
                       sympy.simplify(N_sym / 2 * sympy.log(4 * sympy.cosh(2 * J))
                                      / (N_sym / 2 * d.log_constant)))],
             claim="ising.decimation.constant_as_printed"),
        Step("The decimated sum as printed on the slide",
             r"Equation (2) sums $\tilde{x}_j \tilde{x}_{j+1}$ for $j = 1, \dots, N$ over the "
             r"$N/2$ decimated spins; read periodically, every bond is counted twice, so the "
             r"printed right side is $e^{J_0} Z_{N/2}(2\tilde{J})$, not $e^{J_0} Z_{N/2}(\tilde{J})$:",
             [r"\sum_{j=1}^{N} \tilde{x}_j \tilde{x}_{j+1} = 2 \sum_{j=1}^{N/2} \tilde{x}_j "
              r"\tilde{x}_{j+1}"],
             claim="ising.decimation.sum_as_printed"),
        Step("The transfer matrix",
             r"The periodic chain's weight is a product of $T_{x_i x_{i+1}} = e^{J x_i x_{i+1}}$ "
             r"around the ring, so $Z_N(J) = \operatorname{tr} T^N$, the sum of the $N$-th powers "
             "of the eigenvalues:",
             [sympy.Eq(sympy.Symbol("T"), T, evaluate=False),
              *(sympy.Eq(sympy.Symbol(f"\\lambda_{i}"), value)
                for i, value in enumerate(eigenvalues, 1)),
              sympy.Eq(sympy.Function("Z_N")(J), closed_form_partition(N_sym, J))],
             claim="ising.partition.transfer_matrix"),
        Step("The finite-lattice identity",
             r"With $Z_N(J) = (2\cosh J)^N + (2\sinh J)^N$, both transfer-matrix eigenvalues map "
             r"exactly under $\tilde{J}$; since $4\cosh 2J > 0$ and $\cosh\tilde{J}, \sinh\tilde{J} \ge 0$, "
             r"raising to the power $N/2$ gives the identity for every even $N$:",
             [sympy.Eq(two_cosh_ratio, proof.ratios[0], evaluate=False),
              sympy.Eq(two_sinh_ratio, proof.ratios[1], evaluate=False),
              sympy.Eq(closed_form_partition(N_sym, J),
                       (4 * sympy.cosh(2 * J)) ** (N_sym / 4)
                       * closed_form_partition(N_sym / 2, J_tilde), evaluate=False)],
             claim="ising.partition.identity"),
        Step("Iterating the decimation",
             r"For $N = 2^n$, decimating $n$ times leaves one spin (bonded to itself, "
             r"$Z_1(J) = 2e^{J}$); each step contributes its constant:",
             [sympy.Eq(sympy.log(sympy.Function("Z_N")(J)), iterated, evaluate=False),
              recursion],
             claim="ising.partition.iterated"),
        Step("Fixed points and their stability",
             "The map's derivative vanishes at $0$ (super-attracting); $J - \\tilde{J}$ has a "
             "positive derivative, so $0$ is the only real fixed point; at infinity the map "
             "lowers $J$ by $\\frac{1}{2}\\ln 2$, so $J^* = \\infty$ repels:",
             [sympy.Eq(sympy.Derivative(J_tilde, J), fp.derivative),
              sympy.Eq(J_tilde, fp.series),
              sympy.Eq(1 - sympy.Derivative(J_tilde, J), fp.gap_positive),
              sympy.Eq(sympy.Limit(J_tilde - J, J, sympy.oo), fp.shift_at_infinity)],
             claim="ising.fixed_points"),
    ]


__all__ = ['transfer_matrix', 'iterated_decimation', 'derivation']
