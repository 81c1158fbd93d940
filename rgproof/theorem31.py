r"""Theorem 3.1 of Gong & Xia (arXiv:2606.00157): what its chain of equations can fix.

The proof of Theorem 3.1 first obtains the limits of the output system's parameters from the
condition of equal partition functions, one equation :math:`\mathcal{Z}(\tilde\theta) =
\mathcal{Z}(\theta)` for the R parameters. For ``R >= 2`` that equation leaves a whole curve of
solutions. For ``R = 2``, ``Z(theta_1, theta_2)`` is strictly decreasing in ``theta_2``, so every
``theta_1`` for which a solution exists has exactly one ``theta_2`` on the level set:

>>> family = same_partition_family((1, 1), 1, [0, 1], dps=20)
>>> [str(m.theta_2) for m in family]
['3.0797677190513726898', '1.0']
"""
from dataclasses import dataclass

import mpmath
import sympy

from .claims import claim, fails, inconclusive
from .errors import InputError, to_mpf
from .laplace import (check_dimension, check_real_exact, check_theta, generating_function,
                      quartic_log_partition)
from .latex import Step
from .precision import Comparison, certify

PAPER = "Gong & Xia 2026 (arXiv:2606.00157), proof of Theorem 3.1"


def solve_theta_2(theta_1, target_log_z, N):
    """The unique ``theta_2 > 0`` with ``ln Z(theta_1, theta_2) = target_log_z`` (current precision).

    Solved by the secant method in ``ln theta_2``, where ``ln Z`` is smooth and decreasing.
    A solution exists iff ``theta_1 <= 0`` or ``(pi / theta_1)^(N/2) > Z``, the ``theta_2 -> 0`` limit.
    """
    t1 = to_mpf(theta_1)
    if t1 > 0 and (mpmath.mpf(N) / 2) * mpmath.log(mpmath.pi / t1) <= target_log_z:
        raise InputError("theta_1", "admits no theta_2 > 0: Z(theta_1, theta_2) < "
                                    "(pi/theta_1)^(N/2) <= the target Z", theta_1)
    log_t2 = mpmath.findroot(
        lambda u: quartic_log_partition(theta_1, mpmath.exp(u), N) - target_log_z,
        (mpmath.mpf(0), mpmath.mpf("0.1")), solver="secant")
    return mpmath.exp(log_t2)


@dataclass(frozen=True)
class Member:
    """One point ``(theta_1, theta_2)`` of the level set ``Z(theta_1, theta_2) = Z(reference)``."""

    theta_1: object
    theta_2: object  # Certified

    @property
    def theta(self):
        return (self.theta_1, self.theta_2.value)


def same_partition_family(reference, N, theta_1_values, dps=50):
    """For each ``theta_1``, the ``theta_2`` with ``Z(theta_1, theta_2) = Z(reference)`` (R = 2).

    ``reference`` is ``(theta_1, theta_2)``; returns a tuple of :class:`Member`, each ``theta_2``
    certified to ``dps`` digits.
    """
    reference = check_theta(reference)
    if len(reference) != 2:
        raise InputError("reference", "must be (theta_1, theta_2): the family is built for R = 2",
                         reference)
    N = check_dimension(N)
    theta_1_values = [check_real_exact("theta_1_values", t) for t in theta_1_values]

    def member(theta_1):
        return solve_theta_2(theta_1, quartic_log_partition(*reference, N), N)

    return tuple(Member(t, certify(lambda: member(t), dps)) for t in theta_1_values)


# --------------------------------------------------------------------------- claim

#: The reference parameters, dimension and theta_1 grid of the constructed family.
REFERENCE, FAMILY_N = (1, 1), 1
THETA_1_GRID = (-1, sympy.Rational(-1, 2), 0, sympy.Rational(1, 2), 1, sympy.Rational(3, 2))


@claim("theorem31.one_equation",
       statement="Under the condition of equal partition functions (49), one equation "
                 "Z_t = Z for the R parameters theta~_r^t at each t, the limits theta~*_r = "
                 "lim theta~_r^t exist ('Therefore we have proved the existence of limits') and "
                 "the limit t -> oo of that equation, (84)-(85), determines them. [The equations "
                 "were lost in the text conversion; MATH.md section 3 item 9.]",
       source=f"{PAPER}, eqs. (49)-(76) and (84)-(85)", method="high-precision",
       latex=r"\mathcal{Z}(\tilde\theta^*) = \mathcal{Z}(\theta^*) \Rightarrow "
             r"\tilde\theta^*_r = \theta^*_r,\ r = 1, \dots, R")
def _check_one_equation(ctx):
    family = same_partition_family(REFERENCE, FAMILY_N, THETA_1_GRID, dps=ctx.dps + 10)
    target = generating_function(REFERENCE, FAMILY_N, 0, dps=ctx.dps)
    comparisons = [Comparison(generating_function(m.theta, FAMILY_N, 0, dps=ctx.dps), target)
                   for m in family]
    on_level_set = [m for m, c in zip(family, comparisons) if c.agree >= ctx.dps]
    listed = ", ".join(f"({m.theta_1}, {mpmath.nstr(m.theta_2.value, 12)})" for m in on_level_set)
    digits = min(c.agree for c in comparisons)
    details = {"reference": [str(t) for t in REFERENCE], "N": FAMILY_N,
               "family": [[str(m.theta_1), str(m.theta_2)] for m in family],
               "agree_digits": [c.agree for c in comparisons]}
    if len(on_level_set) < 2:
        return inconclusive(f"only {len(on_level_set)} member(s) reached {ctx.dps} digits "
                            f"(worst {digits})", digits=digits, **details)
    return fails(f"R = 2, N = {FAMILY_N}: Z(theta_1, theta_2) = Z{REFERENCE} = "
                 f"{mpmath.nstr(target.value, 15)} to {digits} digits (radial quadrature; theta_2 "
                 f"solved with the parabolic-cylinder closed form) at (theta_1, theta_2) = {listed}: "
                 "one equation leaves a curve, so e.g. theta~_1(t) = 1 + sin(t)/2 with theta~_2(t) "
                 "on the curve satisfies it for every t and has no limit", digits=digits, **details)


# --------------------------------------------------------------------------- derivation

def derivation():
    """The level set of the R = 2 partition function, as :class:`~rgproof.latex.Step` objects."""
    t1, t2 = sympy.symbols(r"\theta_1 \theta_2", real=True)
    N = sympy.Symbol("N", positive=True)
    Z, D = sympy.Function(r"\mathcal{Z}"), sympy.Function("D")
    closed = (sympy.pi ** (N / 2) * (2 * t2) ** (-N / 4) * sympy.exp(t1 ** 2 / (8 * t2))
              * D(-N / 2, t1 / sympy.sqrt(2 * t2)))
    return [
        Step("One equation for two parameters",
             r"For $R = 2$ the partition function is a parabolic cylinder function $D_{-N/2}$; "
             r"it decreases strictly in $\theta_2$, so each $\theta_1$ fixes one $\theta_2$ on "
             r"the level set of the reference $(1, 1)$, and the level set is a curve:",
             [sympy.Eq(Z(t1, t2), closed, evaluate=False),
              sympy.Eq(Z(t1, t2), Z(1, 1), evaluate=False)],
             claim="theorem31.one_equation"),
    ]


__all__ = ["solve_theta_2", "Member", "same_partition_family", "derivation"]
