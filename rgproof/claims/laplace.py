"""Claims on the Laplace transform Z[s] in the proof of Theorem 3.1: zeros and entireness."""
from functools import lru_cache

import mpmath

from ..core.ledger import Source, Topic, fails, inconclusive
from ..core.precision import digits_from_error
from ..topics.laplace.rules import RADIUS_ORDER
from ..topics.laplace.zeros import cumulant_radius, imaginary_zeros
from .papers import GONG_XIA_2026, GONG_XIA_EXPFAM

TOPIC = Topic("laplace",
              title=('Laplace transforms of Boltzmann factors: generating functions, correlations and '
                     'zeros.'),
              paper=GONG_XIA_EXPFAM)


# --------------------------------------------------------------------------- claims

#: The quartic example of MATH.md section 3 item 10 and the Gaussian it is contrasted with.
QUARTIC, GAUSSIAN = (1, 1), (1,)


@lru_cache(maxsize=8)
def _zero_evidence(dps):
    """Scans used by the claims: two zeros for theta = (1, 1), none for theta = (1,) (N = 1)."""
    return imaginary_zeros(QUARTIC, 1, count=2, dps=dps), imaginary_zeros(GAUSSIAN, 1, count=1,
                                                                          dps=dps)


def _bracket_text(scan):
    (a, c), (za, zc) = scan.brackets[0], scan.bracket_values[0]
    return (f"Z[i b] changes sign between b = {a:.4g} (Z = {mpmath.nstr(mpmath.mpf(za), 4)}) "
            f"and b = {c:.4g} (Z = {mpmath.nstr(mpmath.mpf(zc), 4)}), both signs certified")


@TOPIC.claim("laplace.zero_free",
              statement="Z[s], the Laplace transform of the Boltzmann factor exp(-sum_r theta_r "
                        "(sum_i x_i^2)^r), is nonvanishing, so its logarithm can be defined by the "
                        "principal branch and is holomorphic.",
              source=Source(GONG_XIA_2026, "proof of Theorem 3.1, after eq. (81)",
                            "Since is nonvanishing, according to [19] Lemma 6.1.10, its "
                            "logarithm can be defined by the principal branch and is "
                            "holomorphic."),
              method="high-precision",
              latex=r"\mathcal{Z}[s] = \int e^{s\cdot x - \sum_r \theta_r |x|^{2r}} dx \neq 0 "
                    r"\quad \forall s \in \mathbb{C}^N")
def _check_zero_free(ctx):
    quartic, gaussian = _zero_evidence(ctx.dps)
    gaussian_text = (f"R = 1, theta = {GAUSSIAN}: {gaussian.summary()} (closed form "
                     "sqrt(pi) exp(-b^2/4) > 0)")
    details = {"quartic_zeros": [str(z) for z in quartic],
               "quartic_brackets": [list(b) for b in quartic.brackets],
               "gaussian_scanned_to": gaussian.scanned_to, "gaussian_zeros": len(gaussian)}
    if not quartic.zeros:
        return inconclusive(f"no zero found for theta = {QUARTIC} ({quartic.summary()}); "
                            f"{gaussian_text}", **details)
    digits = min(z.digits for z in quartic)
    return fails(f"R = 2, theta = {QUARTIC}, N = 1: {quartic.summary()}; {_bracket_text(quartic)}"
                 f"; {gaussian_text}", digits=digits, **details)


@TOPIC.claim("laplace.entire",
              statement="log Z[s] is also an entire function: the series of the connected correlation "
                        "functions converges on the whole space, so equal log-Laplace transforms give "
                        "equal Laplace transforms (up to a constant) everywhere.",
              source=Source(GONG_XIA_2026, "proof of Theorem 3.1, eqs. (82) and (87)",
                            "is also an entire function and the series has the same domain of "
                            "convergence with . Taking the exponential of both sides of the "
                            "equation yields ."),
              method="high-precision",
              latex=r"\ln \mathcal{Z}[s] = \sum_{\kappa} \frac{G_c^{(\kappa)}}{\kappa!} s^\kappa "
                    r"\text{ converges for all } s \in \mathbb{C}^N")
def _check_entire(ctx):
    quartic, _ = _zero_evidence(ctx.dps)
    if not quartic.zeros:
        return inconclusive(f"no zero of Z found for theta = {QUARTIC} ({quartic.summary()})")
    first = quartic.zeros[0]
    radius = cumulant_radius(QUARTIC, 1, RADIUS_ORDER, dps=ctx.dps)
    agree = digits_from_error(radius.value - first.value, first.value, cap=ctx.dps)
    return fails(f"computed for theta = {QUARTIC}, N = 1 on the imaginary axis s = i b only: "
                 f"{_bracket_text(quartic)}; the zero b_1 = {mpmath.nstr(first.value, 15)} is "
                 f"located to {first.digits} digits at --dps {ctx.dps} (two working precisions "
                 "agree). A zero of Z is a logarithmic branch point of log Z, so log Z[s] is "
                 "not entire and its series at 0 converges at most for |s| < b_1; the ratio "
                 f"estimate of the cumulant series' radius from orders {RADIUS_ORDER - 2} and "
                 f"{RADIUS_ORDER} is {mpmath.nstr(radius.value, 8)}, agreeing with b_1 to {agree} "
                 "digits (an estimate, not certified). Nothing was computed off the imaginary "
                 "axis or for other theta", digits=first.digits,
                 first_zero=str(first), radius_estimate=str(radius), radius_digits_vs_zero=agree,
                 consequence="equal cumulants still give Z ~ Z~ on |s| < b_1, hence everywhere "
                             "since Z is entire (identity theorem): the chain survives, the "
                             "stated reason does not")
