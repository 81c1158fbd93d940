"""Derivation: scaling laws of the continuous-field RG."""
import sympy

from ...claims.scaling import RG_READING_THETA
from ...core.latex import Step, tex
from ...topics.scaling import (
    EXAMPLE_WAVE_FACTORS,
    KAPPA,
    LAMBDA,
    POINTS,
    Z_OF_LAMBDA,
    connected_scaling,
    forced_scale_ratios,
    invariant_scale_ratios,
    moment_scaling,
    partition_scaling_factor,
    rge_remainder,
    radial_hamiltonian,
    rge_remainder_expression,
    scale_ratio_limit,
    theta_map,
    theta_symbols,
)

# ---------------------------------------------------------------- derivation

def _fixed_point_lines():
    """theta_r* = theta_r lim (Z/lambda^2)^r = value, one LaTeX line per example Z."""
    star = sympy.Symbol("theta_r^*")
    theta_r = sympy.Symbol("theta_r", positive=True)
    r = sympy.Symbol("r", positive=True, integer=True)
    return [f"{tex(star)} = {tex(theta_r * sympy.Limit((Z / LAMBDA**2)**r, LAMBDA, sympy.oo))}"
            f" = {tex(theta_r * scale_ratio_limit(Z)**r)}" for Z in EXAMPLE_WAVE_FACTORS]


def derivation():
    """The scaling laws, step by step, from the same sympy objects the checks use."""
    R = 3
    theta_lambda = [sympy.Symbol(f"theta_{r}^lambda") for r in range(1, R + 1)]
    map_equations = [sympy.Eq(s, d) for s, d in zip(theta_lambda, theta_map(R))]
    partition = sympy.Function(r"\mathcal{Z}")
    theta = sympy.Symbol("theta")
    G, G_lambda = sympy.Function("G"), sympy.Function("G_lambda")
    K, remainder = sympy.Symbol("K"), sympy.Symbol(r"\mathcal{R}^{(n)}_{\lambda}")
    counterexample = rge_remainder([(2,), (2,)])
    x, radius = sympy.Symbol("x_i"), sympy.Symbol("|x|", positive=True)
    dilated = radial_hamiltonian(theta_symbols(2), (sympy.sqrt(Z_OF_LAMBDA) * radius / LAMBDA)**2)
    variance, four_point = [(1,), (1,)], [(1,), (1,), (1,), (1,)]
    theta_star = sympy.symbols("theta_1^* theta_2^*")
    return [
        Step("Scaling transformation",
             r"The RG of the input data dilates every coordinate; in the radial Hamiltonian "
             r"$\sum_r \theta_r |x|^{2r}$ (here $R = 2$) it multiplies $|x|^{2r}$ by "
             r"$(Z(\lambda)/\lambda^2)^r$:",
             [rf"{tex(x)} \mapsto {tex(sympy.sqrt(Z_OF_LAMBDA) * x / LAMBDA)}",
              sympy.Eq(sympy.Symbol(r"\mathcal{H}_{\lambda}"), dilated)],
             "scaling.theta"),
        Step("Parameter map",
             r"Substitute $x_i \mapsto Z(\lambda)^{1/2} x_i/\lambda$ in "
             r"$\sum_r \theta_r |x|^{2r}$ and read off the coefficient of $x_1^{2r}$.",
             map_equations, "scaling.theta"),
        Step("Fixed points",
             r"$\theta_r^* = \theta_r \lim_{\lambda\to\infty} (Z(\lambda)/\lambda^2)^r$ "
             r"for four choices of $Z(\lambda)$.",
             _fixed_point_lines(), "scaling.theta"),
        Step("Partition function",
             r"In $\mathcal{Z} = \frac{\pi^{N/2}}{\Gamma(N/2)}\int_0^\infty u^{N/2-1}"
             r"e^{-\sum_r \theta_r u^r}du$ put $u = w/\kappa$; $\mathcal{Z}_\lambda = \mathcal{Z}$ "
             r"then leaves only $\kappa = 1$, i.e. $\theta^* = \theta$.",
             [sympy.Eq(partition(theta * KAPPA**sympy.Symbol("r")),
                       partition_scaling_factor() * partition(theta)),
              sympy.Eq(KAPPA, forced_scale_ratios().args[0])],
             "scaling.partition_invariance"),
        Step("Non-trivial in the RG sense",
             r"Read as in RG usage, a non-trivial fixed point is finite, non-zero and "
             r"non-Gaussian (some $\theta^*_r \neq 0$ with $r \geq 2$). With $\kappa = 1$ every "
             r"$\theta$ is its own fixed point, so this holds exactly when the data are "
             r"non-Gaussian, e.g. for a quartic term:",
             [sympy.Eq(sympy.Tuple(*theta_star), sympy.Tuple(*RG_READING_THETA))],
             "scaling.nontrivial_rg_reading"),
        Step("Moments",
             r"The same substitution in numerator and denominator of $E[x^K]$; the angular "
             r"factor does not depend on $\theta$.",
             [sympy.Eq(G_lambda(K), moment_scaling() * G(K))], "scaling.rge_remainder"),
        Step("Remainder",
             r"With $G = G(K) > 0$: zero when $|K| = n$ or $G(K) = 0$, otherwise it does not "
             r"decay; e.g. $\langle x^2 x^2\rangle$ for $N = 1$, $\theta = 1$, "
             r"$Z = \lambda^2$.",
             [sympy.Eq(remainder, rge_remainder_expression()),
              sympy.Eq(remainder, counterexample.expression),
              sympy.Eq(sympy.Limit(counterexample.expression, LAMBDA, sympy.oo),
                       counterexample.limit)],
             "scaling.rge_remainder"),
        Step("Connected correlation functions",
             r"A connected function is a sum over set partitions of products of moments whose "
             r"orders add up to $|K|$, so it scales like a moment, for every $R$. For the "
             r"$n$-point functions proper ($|\kappa_l| = 1$, $|K| = n$) the remainder vanishes "
             r"for every $Z(\lambda)$, yet invariance $\mathcal{G}^c_\lambda = \mathcal{G}^c$ "
             r"of the variance, which is positive, leaves only $\kappa = 1$, i.e. "
             r"$\theta^* = \theta$:",
             [rf"\frac{{\langle x_1 x_1 \rangle_{{c,\lambda}}}}{{\langle x_1 x_1 \rangle_c}} = "
              rf"{tex(connected_scaling(variance))}",
              rf"\frac{{\langle x_1 x_1 x_1 x_1 \rangle_{{c,\lambda}}}}"
              rf"{{\langle x_1 x_1 x_1 x_1 \rangle_c}} = {tex(connected_scaling(four_point))}",
              rf"\mathcal{{R}}^{{(n)}}_{{\lambda}}\big|_{{|K| = n}} = "
              rf"{tex(rge_remainder_expression(order=POINTS, points=POINTS))}",
              sympy.Eq(KAPPA, invariant_scale_ratios(connected_scaling(variance)).args[0])],
             "scaling.correlation_invariance"),
    ]


__all__ = ['derivation']
