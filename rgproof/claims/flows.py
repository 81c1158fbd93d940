"""Claims of Li & Wang's flow-based sampling slides: change of variables, density estimation,
the Metropolised independent sampler."""
import mpmath
import sympy

from ..core.ledger import Source, Topic, by_comparison, fails, holds
from ..core.oracle import worst_comparison
from ..topics.flows import (
    BIJECTIONS,
    detailed_balance_violations,
    independent_sampler,
    log_partition,
    log_partition_by_substitution,
    nll_minus_kl,
    stationary_defect,
)
from .papers import LI_WANG, WANG_SLIDES

TOPIC = Topic("flows",
              title=("Li & Wang's flow-based sampling (slides): change of variables, density "
                     "estimation and the independent sampler."),
              paper=LI_WANG)


def _log_pi(ctx, x):
    """ln pi(x) of the change-of-variables check: a double well, not a Gaussian."""
    return -x**4 / 4 + x**2 / 2


#: Whether the substituted integral keeps the Jacobian |dg/dz| (the slide's formula does).
WITH_JACOBIAN = True


@TOPIC.claim("flows.change_of_variables",
              statement="Z = int dx pi(x) = int dz pi(g(z)) |det(dx/dz)| (change of variables "
                        "through the flow x = g(z))",
              source=Source(WANG_SLIDES, "'Change-of-variables in a learnable way'",
                            r"Z = \int dx \pi(x) = \int dz \pi(g(z)) \left| \det \left( "
                            r"\frac{\partial x}{\partial z} \right) \right|"),
              method="high-precision",
              latex=r"Z = \int dx\, \pi(x) = \int dz\, \pi(g(z)) \left|\det \frac{\partial x}"
                    r"{\partial z}\right|")
def _check_change_of_variables(ctx):
    worst = worst_comparison(
        ((name, bijection) for name, bijection in BIJECTIONS.items()),
        lambda name, bijection: log_partition(_log_pi, mpmath.mp.dps),
        lambda name, bijection: log_partition_by_substitution(_log_pi, bijection, mpmath.mp.dps,
                                                              jacobian=WITH_JACOBIAN),
        ctx.dps)
    return by_comparison(worst.comparison, ctx.dps,
                         "ln int pi(x) dx vs ln int pi(g(z)) |g'(z)| dz for pi = exp(-x^4/4 + "
                         "x^2/2) and the bijections g = sinh, z + z^3/3 of the real line, by "
                         f"tanh-sinh quadrature; worst: g = {worst.point[0]}")


#: The direction of the KL that the density-estimation check compares with the NLL: the
#: slides' KL(pi/Z || q_theta).
KL_DIRECTION = "data_first"


@TOPIC.claim("flows.nll_is_kl",
              statement="Minimising NLL_theta = -sum_{x in dataset} ln q_theta(x) is equivalent to "
                        "reducing KL(pi(x)/Z || q_theta(x))",
              source=Source(WANG_SLIDES, "'Probability Density Estimation'",
                            "Equivalent to reduce the Kullback–Leibler divergence"),
              method="symbolic",
              latex=r"-\mathbb{E}_{\pi/Z}[\ln q_\theta] = \mathrm{KL}(\pi/Z \,\|\, q_\theta) + "
                    r"H(\pi/Z)")
def _check_nll_is_kl(ctx):
    # two Ising spins with coupling J as the data's law; q_theta an exponential family with a
    # field and a coupling (theta_1, theta_2), normalised exactly
    J = sympy.Symbol("J", real=True)
    t1, t2 = sympy.symbols("theta_1 theta_2", real=True)
    states = [(a, b) for a in (1, -1) for b in (1, -1)]
    energy = [t1 * (a + b) + t2 * a * b for a, b in states]
    log_norm = sympy.log(sum(sympy.exp(e) for e in energy))
    log_q = [e - log_norm for e in energy]
    log_weights = [J * a * b for a, b in states]
    difference, entropy = nll_minus_kl(log_weights, log_q, (t1, t2), KL_DIRECTION)
    gradient = [sympy.diff(difference, t) for t in (t1, t2)]
    # a non-zero value at one exact point refutes "zero gradient" at once (simplifying the
    # reverse divergence's gradient takes seconds); otherwise simplify to prove it
    point = {J: sympy.Rational(1, 3), t1: sympy.Rational(1, 5), t2: sympy.Rational(2, 7)}
    at_point = [g.subs(point).evalf(30) for g in gradient]
    if all(abs(v) < 1e-25 for v in at_point):
        gradient = [sympy.simplify(g) for g in gradient]
    details = dict(difference=str(difference), kl_direction=KL_DIRECTION,
                   gradient_at_point={"point": {str(k): str(v) for k, v in point.items()},
                                      "values": [str(v) for v in at_point]})
    if all(g == 0 for g in gradient):
        offset = sympy.simplify(difference - entropy)
        return holds("two Ising spins with coupling J as pi, q_theta(s) ~ exp(theta_1 (s_1 + "
                     "s_2) + theta_2 s_1 s_2): -E_(pi/Z)[ln q_theta] - KL(pi/Z || q_theta) has "
                     f"zero gradient in theta and equals the entropy H(pi/Z) (difference "
                     f"{offset}), so both objectives have the same minimisers; the dataset's "
                     "NLL is n times this expectation in the large-n limit", **details)
    return fails(f"-E[ln q] - KL (direction {KL_DIRECTION!r}) has the "
                 f"theta-gradient ({sympy.N(at_point[0], 6)}, {sympy.N(at_point[1], 6)}) at J = "
                 "1/3, theta = (1/5, 2/7), not zero: the objectives differ by more than a "
                 "constant", **details)


#: The data's unnormalised weights pi and an imperfect proposal q (not pi / Z) of the sampler
#: check, and the acceptance rule (the slides': "slides").
SAMPLER_WEIGHTS = (1, 3, 2, 7)
SAMPLER_PROPOSAL = (sympy.Rational(1, 2), sympy.Rational(1, 4), sympy.Rational(1, 8),
                    sympy.Rational(1, 8))
SAMPLER_ACCEPTANCE = "slides"


@TOPIC.claim("flows.independent_sampler",
              statement="The Metropolized independent sampler with acceptance A(x -> x') = min[1, "
                        "q(x)/q(x') pi(x')/pi(x)] satisfies detailed balance and gives unbiased "
                        "physics even for imperfect proposals",
              source=Source(WANG_SLIDES, "'Metropolized Independent Sampler'",
                            "Unbiased physics even for imperfect proposals"),
              method="symbolic",
              latex=r"A(x \to x') = \min\left[1, \frac{q(x)}{q(x')} \frac{\pi(x')}{\pi(x)}\right]")
def _check_independent_sampler(ctx):
    P = independent_sampler(SAMPLER_WEIGHTS, SAMPLER_PROPOSAL, SAMPLER_ACCEPTANCE)
    violations = detailed_balance_violations(SAMPLER_WEIGHTS, P)
    defect = stationary_defect(SAMPLER_WEIGHTS, P)
    setting = (f"pi = {SAMPLER_WEIGHTS} on 4 states, proposal q = "
               f"{tuple(str(v) for v in SAMPLER_PROPOSAL)} (not pi / Z), acceptance "
               f"{SAMPLER_ACCEPTANCE!r}, exact rationals")
    details = dict(transition=[[str(v) for v in row] for row in P],
                   violations=[list(v) for v in violations],
                   stationary_defect=[str(d) for d in defect])
    if not violations and all(d == 0 for d in defect):
        return holds(f"{setting}: pi(x) P(x -> x') = pi(x') P(x' -> x) for all 6 pairs and "
                     "(pi/Z) P = pi/Z exactly: the chain samples pi / Z whatever q > 0 is",
                     **details)
    return fails(f"{setting}: detailed balance fails for the pairs {violations}; (pi/Z) P - pi/Z "
                 f"= {[str(d) for d in defect]}", **details)


__all__ = ["TOPIC"]
