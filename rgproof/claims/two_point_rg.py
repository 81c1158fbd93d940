"""Claims: the Cui-Gong two-point RG equation of the zero-field 1-D Ising chain (Xia's slides)."""
import sympy

from ..core.ledger import Source, Topic, fails, holds, inconclusive
from ..topics.two_point_rg import (
    LAMBDA,
    block_average_correlation,
    block_average_remainder,
    chain_correlation,
    chain_decimation_remainder,
    decay,
    decimated_tanh,
    finite_below_one,
    ring_decimation_identity,
    ring_decimation_remainders,
)
from .papers import GONG_XIA_ISING, XIA_SLIDES

TOPIC = Topic("two_point_rg",
              title="The Cui-Gong two-point RG equation of the 1-D Ising chain: decimation and "
                    "block averages",
              paper=GONG_XIA_ISING)

#: The Proposition's wave-function factor, "here choose Z(lambda) = 1".
WAVE_FACTOR = sympy.Integer(1)
#: The periodic ring decimated step by step (N = 2^4: three steps leave 2 sites).
RING_SITES = 16
#: Coarse separations r = |x_1 - x_2| whose remainders are followed to lambda = 2^n -> oo.
SEPARATIONS = (0, 1, 2)

_PROPOSITION = Source(XIA_SLIDES, "'Compatibility with the real space RG', Proposition "
                                  "(Cui, Gong, 2022)",
                      r"let $\lambda = 2^n$ , $n \rightarrow \infty$ then the remainder "
                      r"$\mathscr{R}_{\lambda}(x_1, x_2)$ tends to 0 exponentially")
_LATEX = (r"\mathcal{G}^{(2)}_\lambda(x_1, x_2) - \mathcal{G}(\lambda x_1, \lambda x_2) = "
          r"\mathcal{R}_\lambda(x_1, x_2) \to 0 \text{ exponentially as } \lambda = 2^n,\ "
          r"n \to \infty")


def _decay_outcome(remainders, setting, note="", **details):
    """The verdict from R_r(lambda), r in SEPARATIONS: a pair whose remainder does not tend to 0
    refutes; lim lambda^2 R finite for every pair means |R| = O(4^(-n)), exponential in n."""
    rates = {r: decay(R) for r, R in remainders.items()}
    details["remainders"] = {str(r): str(R) for r, R in remainders.items()}
    details["limits"] = {str(r): [str(v) for v in rate] for r, rate in rates.items()}
    table = "; ".join(f"r = {r}: R = {remainders[r]}, lim R = {limit}, lim lambda^2 R = {scaled}"
                      for r, (limit, scaled) in rates.items()) + note
    stuck = [r for r, (limit, _) in rates.items() if limit != 0]
    if stuck:
        return fails(f"{setting}, 0 < t = tanh J < 1: R does not tend to 0 at r = "
                     f"{stuck[0]} ({table})", counterexample=stuck[0], **details)
    if all(finite_below_one(scaled) for _, scaled in rates.values()):
        return holds(f"{setting}, 0 < t = tanh J < 1: R -> 0 at least like 4^(-n) = "
                     f"lambda^(-2) at every r ({table})", **details)
    return inconclusive(f"{setting}: R -> 0 but lambda^2 R is unbounded for some r, so the "
                        f"rate was not established ({table})", **details)


@TOPIC.claim("two_point_rg.decimation",
              statement="For the Ising model without external field, using coarse graining as the "
                        "RG transformation (the slides' x~_i = x_(2i)), for one step lambda = 2, the "
                        "RGE w.r.t. the 2-point correlation function is (Z(lambda) = 1) "
                        "G_lambda^(2)(x1, x2) - G(lambda x1, lambda x2) = R_lambda(x1, x2); let "
                        "lambda = 2^n, n -> oo, then the remainder tends to 0 exponentially",
              source=_PROPOSITION, method="symbolic", latex=_LATEX)
def _check_decimation(ctx):
    t_coarse = decimated_tanh()
    ring = ring_decimation_remainders(RING_SITES, WAVE_FACTOR)
    ring_left = [(steps, r, str(R)) for steps, _, r, R in ring if R != 0]
    general = chain_decimation_remainder(WAVE_FACTOR)
    details = dict(decimated_tanh=str(t_coarse), ring_rows=len(ring), ring_nonzero=ring_left,
                   ring_identity=str(ring_decimation_identity()), chain_remainder=str(general))
    setting = (f"decimation maps t = tanh J to tanh J~ = {t_coarse} (J~ = (1/2) ln cosh 2J, "
               f"derived), so lambda = 2^n gives t^lambda; Z(lambda) = {WAVE_FACTOR}")
    if general == 0 and not ring_left:
        return holds(f"{setting}. Infinite chain: R = (t^lambda)^r - t^(lambda r) = 0 for every "
                     f"r and n. Ring of N = 2^k sites: G_(N/2)(r; t^2) - G_N(2r; t) simplifies "
                     f"to {details['ring_identity']} for every N, and all {len(ring)} remainders "
                     f"of the N = {RING_SITES} ring (transfer matrix, every step and r) are 0. "
                     "R vanishes identically, already at n = 1 (decimation keeps the exact "
                     "marginal of the kept spins), so it tends to 0 trivially; on a finite ring "
                     "n stops at log2 N - 1", **details)
    chain = {r: chain_decimation_remainder(WAVE_FACTOR, r) for r in SEPARATIONS}
    return _decay_outcome(chain, f"{setting}; infinite chain", **details)


@TOPIC.claim("two_point_rg.block_average",
              statement="The same RGE with a block-spin coarse graining instead of decimation: the "
                        "block average s_i = (1/lambda) sum of lambda consecutive spins, "
                        "Z(lambda) = 1, lambda = 2^n, n -> oo: the remainder R_lambda(x1, x2) "
                        "tends to 0 exponentially at every pair of coarse sites",
              source=_PROPOSITION, method="symbolic",
              latex=r"s_i = \frac{1}{\lambda}\sum_{a=0}^{\lambda-1} x_{\lambda i + a}:\ " + _LATEX)
def _check_block_average(ctx):
    remainders = {r: block_average_remainder(r, WAVE_FACTOR) for r in SEPARATIONS}
    relative, _ = decay(remainders[1] / chain_correlation(LAMBDA))
    correlations = {str(r): str(block_average_correlation(r)) for r in SEPARATIONS}
    return _decay_outcome(
        remainders, f"block averages of lambda spins on the infinite chain, <s_0 s_r> summed "
                    f"exactly ({correlations['1']} at r = 1), Z(lambda) = {WAVE_FACTOR}",
        note=f"; relative to G(lambda r) = t^(lambda r) the remainder at r = 1 grows: "
             f"R/G -> {relative}",
        correlations=correlations, relative_limit_r1=str(relative))


__all__ = ["WAVE_FACTOR", "RING_SITES", "SEPARATIONS"]
