"""Claims on the 1-D Ising chain and its decimation (Xia's slides, arXiv:2212.00005)."""
from dataclasses import replace

import mpmath
import sympy

from ..core.errors import InputError
from ..core.validate import to_mpf
from ..core.ledger import Source, Topic, by_comparison, fails, holds, inconclusive
from ..core.oracle import worst_comparison, worst_point
from ..core.precision import agreed_digits, compare, flint_module
from ..topics.ising import (
    MAX_ENUMERATED_N,
    J,
    N_sym,
    bond_sum_histogram,
    decimate,
    decimation,
    decimation_constant,
    fixed_point_analysis,
    flow,
    log_partition,
    log_partition_ball,
    log_partition_by_decimation,
    log_partition_enumerated,
    log_z,
    log_z_enumerated,
    partition_identity_proof,
)
from .papers import GONG_XIA_ISING, XIA_SLIDES

TOPIC = Topic("ising",
              title='Decimation of the periodic 1-D Ising chain',
              paper=GONG_XIA_ISING)


#: The slides' titles: eq. (1) and "assume N = 2^n" are on the first, eq. (2) on the second.
RG_SLIDE = "'RG of one dimensional Ising model'"
CANONICAL = "'RG of one dimensional Ising model: canonical results'"


# --------------------------------------------------------------------------- claims

#: Couplings and chain lengths used by the numeric confirmations (exact rationals: no float noise).
SAMPLE_COUPLINGS = (sympy.Rational(-13, 10), sympy.Rational(1, 100), sympy.Rational(1, 2),
                    sympy.Integer(2), sympy.Integer(10))
SAMPLE_LENGTHS = (2, 4, 6, 16, 64, 256, 1024)
#: (N, J) of the checks against enumeration: every N it allows, the first four couplings.
ENUMERATED_POINTS = tuple((N, coupling) for N in range(1, MAX_ENUMERATED_N + 1)
                          for coupling in SAMPLE_COUPLINGS[:4])


@TOPIC.claim("ising.decimation.recursion",
              statement="Decimating every second spin gives the coupling J~ = (1/2) log(cosh(2J)).",
              source=Source(XIA_SLIDES, f"{CANONICAL}, eq. (2)",
                            r"J_0 = \frac{N}{2} (\log(4\cosh(2J)), \tilde{J} = \frac{1}{2} "
                            r"\log(\cosh(2J)))"),
              method="symbolic",
              latex=r"\tilde{J} = \frac{1}{2}\ln\cosh 2J")
def _check_recursion(ctx):
    return _derived_matches(decimation().coupling, sympy.log(sympy.cosh(2 * J)) / 2, "J~",
                            "summing out the middle spin gives J~ = ln(cosh 2J)/2; all four "
                            "(a, b) configurations fit")


def _derived_matches(derived, stated, name, evidence):
    """holds (with ``evidence``) when derived - stated simplifies to 0, else fails with the rest."""
    residual = sympy.simplify(sympy.expand_log(derived - stated, force=True))
    if residual == 0:
        return holds(evidence)
    return fails(f"derived {name} - stated = {residual}", residual=str(residual))


@TOPIC.claim("ising.decimation.constant",
              statement="Each removed spin contributes the constant (1/2) log(4 cosh(2J)) "
                        "(the non-singular part of the Hamiltonian).",
              source=Source(XIA_SLIDES, f"{CANONICAL}, eq. (2), J_0 per removed spin",
                            "Where $J_0$ is a nonzero constant **must** be introduced, "
                            "represents the non singular part of the Hamiltonian."),
              method="symbolic",
              latex=r"\ln A = \frac{1}{2}\ln\left(4\cosh 2J\right)")
def _check_constant(ctx):
    return _derived_matches(decimation().log_constant, sympy.log(4 * sympy.cosh(2 * J)) / 2,
                            "ln A", "derived ln A = ln(4 cosh 2J)/2 per removed spin, so N/2 "
                                    "removed spins give J_0 = (N/4) ln(4 cosh 2J)")


@TOPIC.claim("ising.decimation.constant_as_printed",
              statement="J_0 = (N/2) (log(4 cosh(2J)) [as printed, with its unbalanced parenthesis], "
                        "so that Z(J) = sum over the decimated spins of exp(J_0 + J~ sum x~_i x~_{i+1}).",
              source=Source(XIA_SLIDES, f"{CANONICAL}, eq. (2)",
                            r"J_0 = \frac{N}{2} (\log(4\cosh(2J)), \tilde{J} = \frac{1}{2} "
                            r"\log(\cosh(2J)))"),
              method="high-precision",
              latex=r"J_0 = \frac{N}{2}\ln\left(4\cosh 2J\right)")
def _check_constant_as_printed(ctx):
    N, coupling = 4, sympy.Rational(1, 2)
    comparison = compare(lambda: mpmath.mpf(N) / 2 * mpmath.log(4 * mpmath.cosh(2 * to_mpf(coupling))),
                         lambda: decimation_constant(N, coupling), ctx.dps)
    outcome = by_comparison(comparison, ctx.dps, f"printed J_0 vs ln Z_N(J) - ln Z_(N/2)(J~) at "
                                                 f"N = {N}, J = {coupling}")
    ratio = sympy.simplify(N_sym / 2 * sympy.log(4 * sympy.cosh(2 * J))
                           / (N_sym / 2 * decimation().log_constant))
    return replace(outcome, evidence=f"{outcome.evidence}; printed / exact = {ratio} for every N and J",
                   details={**outcome.details, "N": N, "J": str(coupling), "ratio": str(ratio)})


@TOPIC.claim("ising.partition.identity",
              statement="Z_N(J) = (4 cosh 2J)^(N/4) Z_{N/2}(J~) for every even N (finite-lattice "
                        "decimation is exact).",
              source=Source(XIA_SLIDES, f"{CANONICAL}, eq. (2) with J_0 = (N/4) ln(4 cosh 2J)",
                            r"Z(J) = \sum_{\{x_i\}=\pm 1} e^{J \sum_{i=1}^{N} x_i x_{i+1}} = "
                            r"\sum_{\{\tilde{x}_j\}=\pm 1} e^{J_0 + \tilde{J} \sum_{j=1}^{N} "
                            r"\tilde{x}_i \tilde{x}_{i+1}}."),
              method="symbolic",
              latex=r"Z_N(J) = \left(4\cosh 2J\right)^{N/4} Z_{N/2}(\tilde{J})")
def _check_partition_identity(ctx):
    proof = partition_identity_proof()
    if not proof.proved:
        return fails(f"eigenvalue ratios simplify to {proof.ratios}, not 1",
                     ratios=[str(r) for r in proof.ratios])
    matrix = worst_comparison(
        ((N, coupling) for N in SAMPLE_LENGTHS for coupling in SAMPLE_COUPLINGS),
        lambda N, coupling: log_z(mpmath.mp, N, to_mpf(coupling)),
        lambda N, coupling: _decimated(N, coupling, lambda K: log_z(mpmath.mp, N // 2, K)), ctx.dps)
    # Independent of the transfer matrix: both sides by enumerating every configuration.
    lengths = range(2, MAX_ENUMERATED_N + 1, 2)
    histogram = {n: bond_sum_histogram(n) for n in {*lengths, *(n // 2 for n in lengths)}}
    enumerated = worst_comparison(
        ((N, coupling) for N in lengths for coupling in SAMPLE_COUPLINGS),
        lambda N, coupling: log_z_enumerated(mpmath.mp, histogram[N], to_mpf(coupling)),
        lambda N, coupling: _decimated(N, coupling,
                                       lambda K: log_z_enumerated(mpmath.mp, histogram[N // 2], K)),
        ctx.dps)
    (N, coupling), (N_small, coupling_small) = matrix.point, enumerated.point
    numeric = (f"transfer matrix: {matrix.agree} digits at worst (N = {N}, J = {coupling}) over "
               f"N = 2..1024; enumeration of all 2^N states on both sides: {enumerated.agree} "
               f"digits at worst (N = {N_small}, J = {coupling_small}) over even N <= 16")
    if matrix.comparison.differs() or enumerated.comparison.differs():
        return inconclusive(f"symbolic proof holds but numerics differ: {numeric}")
    return holds("each transfer-matrix eigenvalue maps exactly: sqrt(4cosh2J) 2cosh J~ = "
                 f"(2cosh J)^2 and sqrt(4cosh2J) 2sinh J~ = (2sinh J)^2; {numeric}",
                 numeric_digits=matrix.agree, enumerated_digits=enumerated.agree)


def _decimated(N, coupling, half_log_z):
    """``(N/4) ln(4 cosh 2J) + ln Z_(N/2)(J~)``, the decimated side of the partition identity;
    ``half_log_z(K)`` is ``ln Z`` of the half chain at coupling ``K``."""
    return (mpmath.mpf(N) / 4 * mpmath.log(4 * mpmath.cosh(2 * to_mpf(coupling)))
            + half_log_z(decimate(to_mpf(coupling))))


#: How many bonds of the decimated chain eq. (2)'s sum counts: the printed upper limit N runs
#: over the N/2 decimated spins twice (periodically), "N/2" is the corrected reading.
SUM_UPPER_LIMIT = "N"


@TOPIC.claim("ising.decimation.sum_as_printed",
              statement="Z(J) = sum over {x~_j = +-1} of exp(J_0 + J~ sum_{j=1}^{N} x~_j x~_{j+1}) "
                        "[as printed: the sum over the N/2 decimated spins runs to N]",
              source=Source(XIA_SLIDES, f"{CANONICAL}, eq. (2)",
                            r"\sum_{\{\tilde{x}_j\}=\pm 1} e^{J_0 + \tilde{J} \sum_{j=1}^{N} "
                            r"\tilde{x}_i \tilde{x}_{i+1}}."),
              method="high-precision",
              latex=r"Z(J) = \sum_{\{\tilde x_j\}} e^{J_0 + \tilde J \sum_{j=1}^{N} "
                    r"\tilde x_j \tilde x_{j+1}}")
def _check_sum_as_printed(ctx):
    # Over N/2 spins, periodically, a sum to N counts each decimated bond twice: the printed
    # right side is e^(J_0) Z_(N/2)(2 J~). J_0 is the derived one, so only the sum is tested.
    N, coupling = 4, sympy.Rational(1, 2)
    bonds = 2 if SUM_UPPER_LIMIT == "N" else 1
    comparison = compare(lambda: log_z(mpmath.mp, N, to_mpf(coupling)),
                         lambda: _decimated(N, coupling,
                                            lambda K: log_z(mpmath.mp, N // 2, bonds * K)),
                         ctx.dps)
    return by_comparison(comparison, ctx.dps,
                         f"ln Z_N(J) vs J_0 + ln of the printed sum at N = {N}, J = {coupling} "
                         f"(upper limit {SUM_UPPER_LIMIT} over N/2 periodic spins: each bond "
                         f"counted {bonds} time(s), so the sum is ln Z_(N/2)({bonds} J~); "
                         "J_0 = (N/4) ln(4 cosh 2J), the derived constant)",
                         upper_limit=SUM_UPPER_LIMIT, N=N, J=str(coupling))


@TOPIC.claim("ising.partition.transfer_matrix",
              statement="Z_N(J) = sum over {x_i = +-1} of exp(J sum_i x_i x_{i+1}) equals "
                        "(2 cosh J)^N + (2 sinh J)^N.",
              source=Source(XIA_SLIDES, f"{RG_SLIDE}, eq. (1); transfer matrix",
                            r"Z(J) = \sum_{\{x_i\}=\pm 1} e^{J \sum_{i=1}^N x_i x_{i+1}}."),
              method="high-precision",
              latex=r"Z_N(J) = \left(2\cosh J\right)^N + \left(2\sinh J\right)^N")
def _check_transfer_matrix(ctx):
    worst = worst_comparison(ENUMERATED_POINTS,
                             lambda N, coupling: log_z(mpmath.mp, N, to_mpf(coupling)),
                             lambda N, coupling: log_partition_enumerated(N, coupling,
                                                                          ctx.dps).value, ctx.dps)
    N, coupling = worst.point
    outcome = by_comparison(worst.comparison, ctx.dps,
                            f"transfer matrix vs enumeration of all 2^N states, N = 1..16; worst "
                            f"at N = {N}, J = {coupling}")
    return _confirm_by_balls(outcome, ctx.dps)


def _confirm_by_balls(outcome, dps):
    """Re-derive the transfer-matrix values in ball arithmetic, when python-flint is installed.

    The two-precision digits are an estimate; a ball's radius is a proof. A value the balls do
    not confirm to the digits claimed makes a 'holds' inconclusive.
    """
    try:
        flint_module()
    except InputError:
        return replace(outcome, evidence=f"{outcome.evidence}; ball arithmetic not run "
                                         f"(python-flint not installed)")

    def proved_digits(N, coupling):
        enclosed = log_partition_ball(N, coupling, dps)
        agree = agreed_digits(enclosed.value, log_partition(N, coupling, dps).value, dps)
        return min(enclosed.digits, agree)

    (N, coupling), proved = worst_point(ENUMERATED_POINTS, proved_digits)
    evidence = (f"{outcome.evidence}; python-flint balls enclose every transfer-matrix value and "
                f"confirm {proved} digits (worst N = {N}, J = {coupling})")
    details = {**outcome.details, "ball_digits": proved}
    if outcome.verdict == "holds" and proved < (outcome.digits or 0):
        return inconclusive(f"{evidence}, fewer than the {outcome.digits} claimed", proved,
                            **details)
    return replace(outcome, evidence=evidence, details=details)


@TOPIC.claim("ising.partition.iterated",
              statement="For N = 2^n, iterating the decimation writes ln Z_N(J) as the sum of the "
                        "per-step constants (N_k/4) ln(4 cosh 2J_k) plus ln Z_1 of the last spin.",
              source=Source(XIA_SLIDES, f"{RG_SLIDE}, 'assume N = 2^n'; "
                            f"iterating eq. (2) of {CANONICAL}",
                            "The renormalization transformation is (assume $N = 2^n$ ):"),
              method="high-precision",
              latex=r"\ln Z_{2^n}(J) = \sum_{k=0}^{n-1} \frac{N_k}{4} \ln\left(4\cosh 2J_k\right) "
                    r"+ \ln Z_1(J_n)")
def _check_iterated(ctx):
    worst = worst_comparison(((n, coupling) for n in range(1, 11) for coupling in SAMPLE_COUPLINGS),
                             lambda n, coupling: log_z(mpmath.mp, 2 ** n, to_mpf(coupling)),
                             lambda n, coupling: log_partition_by_decimation(2 ** n, coupling,
                                                                             ctx.dps).value,
                             ctx.dps)
    n, coupling = worst.point
    return by_comparison(worst.comparison, ctx.dps, f"closed chain N = 2..1024; worst at N = "
                                                    f"2^{n}, J = {coupling}")


@TOPIC.claim("ising.fixed_points",
              statement="J* = (1/2) log(cosh(2J*)) has two fixed points, J* = 0 and J* = infinity, "
                        "where J* = 0 is the stable fixed point.",
              source=Source(XIA_SLIDES, f"{CANONICAL}, eq. (2) and the following remark",
                            r"From above equation J has two fixed point $J^*=0$ and $J^*=\infty,$ "
                            "where $J^*=0$ is the stable fixed point."),
              method="symbolic",
              latex=r"J^* = \frac{1}{2}\ln\cosh 2J^*")
def _check_fixed_points(ctx):
    a = fixed_point_analysis()
    facts = {
        "J* = 0 is a fixed point": a.zero_is_fixed,
        f"J* = 0 is stable (dJ~/dJ = {a.derivative} = 0 there; J~ = {a.series.removeO()} + ...)":
            a.zero_is_stable,
        f"no other real fixed point (1 - dJ~/dJ = {a.gap_positive} > 0)":
            a.no_other_finite_fixed_point,
        f"J* = oo is unstable (J~ - J -> {a.shift_at_infinity})": a.infinity_is_unstable,
    }
    trajectory = flow(2, 6, ctx.dps)
    path = ", ".join(mpmath.nstr(c.value, 4) for c in trajectory)
    failed = [text for text, ok in facts.items() if not ok]
    if failed:
        return fails("; ".join(f"NOT: {t}" for t in failed) + f"; flow from 2: {path}")
    return holds("; ".join(facts) + f"; flow from J = 2: {path}")
