"""Claims on Post-Widder inversion as the proof of Theorem 3.1 uses it."""
import mpmath
import sympy

from ..core.validate import to_mpf
from ..core.ledger import Source, Topic, fails, holds, inconclusive
from ..core.precision import agreed_digits, certify
from ..topics.postwidder import (
    CONTROL_THETA,
    BoltzmannFactor,
    exact_terms,
    gaussian_two_sided_derivative,
    invert,
)
from .papers import GONG_XIA_2026, GONG_XIA_EXPFAM

TOPIC = Topic("postwidder",
              title='Post-Widder inversion of one-sided Laplace transforms, at any precision.',
              paper=GONG_XIA_EXPFAM)

#: Times at which the two-sided Gaussian transform is inverted, the number of terms computed
#: (the inversion's kmax too) and the terms shown in the evidence.
SAMPLE_TIMES = (sympy.Rational(1, 2), 1, 2)
TWO_SIDED_TERMS = 40
SHOWN_TERMS = (1, 2, 5, 10, 20, 40)


def _two_sided_gaussian(p):
    return mpmath.sqrt(mpmath.pi) * mpmath.exp(p ** 2 / 4)


def _diverges(terms):
    """True when the certified terms alternate in sign and their size grows past 1e10."""
    values = [c.value for c in terms]
    alternate = all(a * b < 0 for a, b in zip(values, values[1:]))
    growing = all(abs(b) > abs(a) for a, b in zip(values[-4:], values[-3:]))
    return alternate and growing and abs(values[-1]) > 10 ** 10 and min(c.digits for c in terms) > 0


@TOPIC.claim("postwidder.one_sided",
              statement="A way to inverse of Laplace transform was introduced by Post and Widder, which "
                        "can be seen in Theorem.6a of [20] ... Then from (87) in addition to [Z] and "
                        "[Z~] are the Laplace transforms of [the Boltzmann factors] ..., fix [x], we have "
                        "(89) [the Post-Widder formula recovers the Boltzmann factor from the paper's "
                        "generating function, a two-sided Laplace transform over R^N]",
              source=Source(GONG_XIA_2026, "proof of Theorem 3.1, eqs. (88)-(89)",
                            "A way to inverse of Laplace transform was introduced by Post and "
                            "Widder, which can be seen in Theorem.6a of [20]."),
              method="high-precision",
              latex=r"e^{-H(x)} = \lim_{k\to\infty} \frac{(-1)^k}{k!}\left(\frac{k}{x}\right)^{k+1}"
                    r" Z^{(k)}\!\left(\frac{k}{x}\right),\quad Z[s] = \int_{\mathbb{R}^N} e^{s\cdot x - H(x)}\,dx")
def _check_one_sided(ctx):
    control = BoltzmannFactor(CONTROL_THETA)
    recovered = control.invert(1, dps=ctx.dps)
    exact = certify(lambda: control(1), ctx.dps)
    control_digits = min(recovered.digits, agreed_digits(recovered.value, exact.value, ctx.dps))
    terms = exact_terms(gaussian_two_sided_derivative)
    rows, inversions = {}, {}
    for t in SAMPLE_TIMES:
        certified = certify(lambda: terms(range(1, TWO_SIDED_TERMS + 1), (to_mpf(t),)), ctx.dps)
        inverted = invert(_two_sided_gaussian, t, dps=ctx.dps, method="exact",
                          derivatives=gaussian_two_sided_derivative, kmax=TWO_SIDED_TERMS)
        target = certify(lambda: mpmath.exp(-to_mpf(t) ** 2), ctx.dps)
        rows[str(t)] = certified
        inversions[str(t)] = (inverted, agreed_digits(inverted.value, target.value, ctx.dps), target)
    details = {
        "one_sided_digits": control_digits,
        "two_sided_terms": {t: {k: mpmath.nstr(row[k - 1].value, 8) for k in SHOWN_TERMS}
                            for t, row in rows.items()},
        "two_sided_inversion": {t: {"value": mpmath.nstr(inv.value, 8), "certified_digits": inv.digits,
                                    "digits_matching_exp(-t^2)": match,
                                    "exp(-t^2)": mpmath.nstr(target.value, 8)}
                                for t, (inv, match, target) in inversions.items()}}
    one = rows["1"]
    shown = ", ".join(f"f_{k} = {mpmath.nstr(one[k - 1].value, 5)}" for k in SHOWN_TERMS)
    control_text = (f"on the one-sided transform of exp(-u - u^2/2) Post-Widder recovers phi(1) to "
                    f"{control_digits} digits")
    if all(match >= ctx.dps and inv.digits >= ctx.dps for inv, match, _ in inversions.values()):
        return holds(f"Post-Widder on sqrt(pi) exp(p^2/4) recovers exp(-t^2) to {ctx.dps} digits "
                     f"at t = {', '.join(map(str, SAMPLE_TIMES))}; {control_text}",
                     digits=ctx.dps, **details)
    accelerated = inversions["1"][0]
    if control_digits >= ctx.dps and all(_diverges(row) for row in rows.values()):
        return fails(f"{control_text}; on the paper's two-sided transform Z[s] = sqrt(pi) exp(s^2/4) "
                     f"of exp(-x^2) the terms alternate in sign and grow without bound at t = "
                     f"{', '.join(map(str, SAMPLE_TIMES))} (t = 1: {shown}; Wynn-accelerated "
                     f"{mpmath.nstr(accelerated.value, 5)} with {accelerated.digits} certified digits; "
                     "exp(-1) = 0.36788): the formula needs a one-sided transform",
                     digits=control_digits, **details)
    return inconclusive(f"{control_text} (of {ctx.dps} requested); the two-sided terms do not "
                        "show certified divergence", digits=control_digits, **details)
