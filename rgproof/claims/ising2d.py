"""Claims on the 2-D Ising model: Kaufman's exact partition function."""
import mpmath
import sympy

from ..core.validate import to_mpf
from ..core.ledger import Source, Topic, by_comparison
from ..core.oracle import worst_comparison
from ..topics.ising2d import kaufman_log_z, log_partition_enumerated
from .papers import KAUFMAN, KAUFMAN_1949

TOPIC = Topic("ising2d",
              title=("The 2-D Ising model on a periodic lattice: Kaufman's exact partition "
                     'function.'),
              paper=KAUFMAN)


#: Onsager's critical coupling of the square lattice, exact.
CRITICAL_COUPLING = sympy.log(1 + sympy.sqrt(2)) / 2


# --------------------------------------------------------------------------- claims

#: Couplings of the check: high temperature, exactly critical, low temperature.
SAMPLE_COUPLINGS = (sympy.Rational(1, 10), CRITICAL_COUPLING, sympy.Rational(7, 10),
                    sympy.Integer(2))
#: Tori of the check (rows, cols): every square side up to 4 and two rectangles.
SAMPLE_LATTICES = ((2, 2), (3, 3), (4, 4), (2, 3), (3, 4))


@TOPIC.claim("ising2d.kaufman",
              statement="Z = (1/2)(2 sinh 2K)^(mn/2) [prod_r 2cosh(m g_(2r+1)/2) + prod_r "
                        "2sinh(m g_(2r+1)/2) + prod_r 2cosh(m g_(2r)/2) + prod_r 2sinh(m g_(2r)/2)], "
                        "cosh g_l = cosh 2K coth 2K - cos(pi l/n), g_0 = 2K + ln tanh K: the exact "
                        "partition function of the m x n periodic Ising lattice, equal to the sum over "
                        "all 2^(mn) configurations.",
              source=Source(KAUFMAN_1949, "the exact partition function of the periodic m x n "
                            "lattice (not in the seed texts; quoted from MATH.md section 4)",
                            "2-D Ising on an L x L torus: exact ln Z (Kaufman) against brute "
                            "force for small L."),
              method="high-precision",
              latex=r"Z = \tfrac12 (2\sinh 2K)^{mn/2} \sum_{i=1}^{4} Z_i")
def _check_kaufman(ctx):
    worst = worst_comparison(((rows, cols, coupling) for rows, cols in SAMPLE_LATTICES
                              for coupling in SAMPLE_COUPLINGS),
                             lambda rows, cols, coupling: kaufman_log_z(mpmath.mp, rows, cols,
                                                                        to_mpf(coupling)),
                             lambda rows, cols, coupling: log_partition_enumerated(
                                 rows, coupling, ctx.dps, cols).value, ctx.dps)
    rows, cols, coupling = worst.point
    return by_comparison(worst.comparison, ctx.dps,
                         f"Kaufman vs enumeration of all 2^(mn) states on the 2x2, 3x3, 4x4, "
                         f"2x3, 3x4 tori at K = 1/10, K_c, 7/10, 2; worst at {rows}x{cols}, "
                         f"K = {coupling}")


__all__ = ['CRITICAL_COUPLING']
