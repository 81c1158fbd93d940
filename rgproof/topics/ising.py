r"""The periodic 1-D Ising chain and its decimation (Gong & Xia, arXiv:2212.00005).

Data: :math:`P(x) \propto \exp(J \sum_i x_i x_{i+1})` on :math:`\{\pm 1\}^N`, periodic, no field.
Everything symbolic here is *derived* by sympy from the Boltzmann factor; the claims compare the
derived objects with what the sources print.

Summing out one spin ``s`` between neighbours ``a`` and ``b`` gives ``A exp(J~ a b)``:

>>> d = decimation()
>>> d.coupling
log(cosh(2*J))/2
>>> d.log_constant
log(cosh(2*J))/2 + log(2)

The exact partition function (transfer matrix) and the finite-N decimation identity:

>>> print(log_partition(4, 0.5, dps=20))
3.2976420048099110178
>>> import mpmath
>>> from rgproof.core.precision import workdps
>>> with workdps(30):
...     lhs = log_partition(8, mpmath.mpf(1) / 3, dps=30).value
...     rhs = (2 * mpmath.log(4 * mpmath.cosh(mpmath.mpf(2) / 3))
...            + log_partition(4, decimate(mpmath.mpf(1) / 3), dps=30).value)
...     mpmath.almosteq(lhs, rhs, 1e-28)
True
"""
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import mpmath
import numpy as np
import sympy

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_mpf
from ..core.precision import ball, certify
from ..core.spins import configurations

J = sympy.Symbol("J", real=True)
J_tilde = sympy.Symbol(r"\tilde{J}", real=True)
N_sym = sympy.Symbol("N", positive=True, integer=True)

#: Largest chain enumerated configuration by configuration (2^16 states).
MAX_ENUMERATED_N = 16


# --------------------------------------------------------------------------- symbolic layer

@dataclass(frozen=True)
class Decimation:
    """The result of summing out one spin: ``sum_s exp(J s (a+b)) = exp(log_constant + coupling a b)``.

    ``fit`` are the two equations (configurations (1, 1) and (1, -1)) that were solved for the
    unknowns; ``equations`` are all four configuration equations, each verified afterwards.
    """

    coupling: sympy.Expr
    log_constant: sympy.Expr
    fit: tuple
    equations: tuple


#: The unknowns of the decimation ansatz ``A exp(J~ a b)``.
LOG_A = sympy.Symbol(r"\ln A")


def _summed_out(a, b):
    """Boltzmann weight of the bonds (a, s) and (s, b) with the middle spin s summed out."""
    return sum(sympy.exp(J * s * (a + b)) for s in (1, -1))


@lru_cache(maxsize=None)
def decimation():
    """Derive the decimation recursion and constant by summing out the middle spin.

    The ansatz ``exp(ln A + J~ a b)`` is fitted to the configurations (1, 1) and (1, -1); all
    four configurations are then checked, so a wrong ansatz could not slip through.
    """
    fit = tuple(sympy.Eq(LOG_A + J_tilde * a * b, sympy.log(_summed_out(a, b)))
                for a, b in [(1, 1), (1, -1)])
    sol = sympy.solve(fit, [LOG_A, J_tilde], dict=True)[0]
    derived = {k: sympy.simplify(v.rewrite(sympy.cosh)) for k, v in sol.items()}
    equations = tuple(
        sympy.Eq(sympy.exp(derived[LOG_A] + derived[J_tilde] * a * b), _summed_out(a, b),
                 evaluate=False)
        for a, b in product((1, -1), repeat=2))
    for eq in equations:
        if sympy.simplify((eq.lhs - eq.rhs).rewrite(sympy.exp)) != 0:
            raise ArithmeticError(f"decimation ansatz does not fit configuration {eq}")
    return Decimation(derived[J_tilde], derived[LOG_A], fit, equations)


def closed_form_partition(n, coupling):
    """Transfer-matrix partition function ``(2 cosh K)^n + (2 sinh K)^n`` as a sympy expression."""
    return (2 * sympy.cosh(coupling)) ** n + (2 * sympy.sinh(coupling)) ** n


@dataclass(frozen=True)
class IdentityProof:
    """Symbolic proof of ``Z_N(J) = (4 cosh 2J)^(N/4) Z_{N/2}(J~)`` for every even N.

    ``ratios`` are the simplified per-eigenvalue ratios
    ``(4 cosh 2J)^(1/2) * 2cosh(J~) / (2 cosh J)^2`` and the same for sinh; both must be 1.
    Since ``4 cosh 2J > 0`` and ``cosh J~, sinh J~ >= 0``, raising to the power N/2 gives the
    identity term by term.
    """

    ratios: tuple

    @property
    def proved(self):
        return all(r == 1 for r in self.ratios)


@lru_cache(maxsize=None)
def partition_identity_proof():
    """Prove the finite-N decimation identity eigenvalue by eigenvalue (see :class:`IdentityProof`)."""
    d = decimation()
    prefactor = sympy.sqrt(4 * sympy.cosh(2 * J))
    ratios = tuple(
        sympy.simplify((prefactor * 2 * f(d.coupling) / (2 * f(J)) ** 2).rewrite(sympy.exp))
        for f in (sympy.cosh, sympy.sinh))
    return IdentityProof(ratios)


@dataclass(frozen=True)
class FixedPointAnalysis:
    """Fixed points of ``J -> (1/2) ln cosh 2J`` on the real line and at infinity."""

    derivative: sympy.Expr          # d J~ / d J
    series: sympy.Expr              # expansion at J = 0
    gap_positive: sympy.Expr        # 1 - d J~/dJ, shown positive for real J
    shift_at_infinity: sympy.Expr   # lim_{J -> oo} (J~ - J)

    @property
    def zero_is_fixed(self):
        return self.series.removeO().subs(J, 0) == 0

    @property
    def zero_is_stable(self):
        return self.derivative.subs(J, 0) == 0

    @property
    def no_other_finite_fixed_point(self):
        # J - J~ is strictly increasing (its derivative is positive) and vanishes at 0, so 0 is
        # its only real root; for J < 0, J~ >= 0 > J already.
        return bool(self.gap_positive.is_positive)

    @property
    def infinity_is_unstable(self):
        # J~ - J tends to a negative constant: a large coupling decreases, flowing away from oo.
        return bool(self.shift_at_infinity.is_negative)


@lru_cache(maxsize=None)
def fixed_point_analysis():
    """Stability of the decimation map's fixed points, computed by sympy."""
    coupling = decimation().coupling
    derivative = sympy.simplify(sympy.diff(coupling, J))
    gap = sympy.simplify((1 - derivative).rewrite(sympy.exp))
    return FixedPointAnalysis(
        derivative=derivative,
        series=sympy.series(coupling, J, 0, 8),
        gap_positive=gap,
        shift_at_infinity=sympy.limit(coupling - J, J, sympy.oo),
    )


# --------------------------------------------------------------------------- numeric layer

# The kernels take the context first (as mpmath's own functions do): one formula runs in
# ``mpmath.fp`` for a float screen, in ``mpmath.mp`` at the precisions certify() sets, and in
# python-flint balls (core.precision.ArbContext) for a proof. Their inputs are numbers of ctx.

def decimation_step(ctx, K):
    """``(1/2) ln cosh 2K`` as ``log1p(2 sinh^2 K) / 2``: small couplings keep their relative
    accuracy.

    >>> print(decimation_step(mpmath.fp, 1e-20))
    1e-40
    """
    return ctx.log1p(2 * ctx.sinh(K) ** 2) / 2


def log_z(ctx, N, K):
    """``ln Z_N = N ln(2 cosh K) + ln(1 + tanh(K)^N)``: neither large N nor large K overflows.

    For odd N and K < 0, ``1 + tanh(K)^N = 1 - tanh|K|^N`` cancels: as ``tanh|K|`` nears 1 it
    rounds to 1 and the logarithm to -inf (ln Z_1(-60) = ln 2 - 60 came out -inf at 50 digits).
    There ``1 - tanh|K|^N = -expm1(N ln tanh|K|)`` with
    ``ln tanh|K| = log1p(-2 e / (1 + e))``, ``e = exp(-2|K|)``, which loses nothing.

    >>> round(log_z(mpmath.fp, 4, 0.5), 12)
    3.29764200481
    >>> import math
    >>> round(log_z(mpmath.fp, 1, -60.0), 12) == round(math.log(2) - 60, 12)
    True
    """
    if N % 2 and K < 0:
        e = ctx.exp(2 * K)  # exp(-2|K|)
        log_tanh = ctx.log1p(-2 * e / (1 + e))
        return N * ctx.log(2 * ctx.cosh(K)) + ctx.log(-ctx.expm1(N * log_tanh))
    return N * ctx.log(2 * ctx.cosh(K)) + ctx.log1p(ctx.tanh(K) ** N)


def log_z_enumerated(ctx, histogram, K):
    """``ln sum_S count(S) e^(K S)`` from a :func:`bond_sum_histogram`."""
    return ctx.log(ctx.fsum(c * ctx.exp(K * s) for s, c in histogram.items()))


def log_z_by_decimation(ctx, N, K):
    """``ln Z_N`` for ``N = 2^n``: the per-step constants ``(N_k/4) ln(4 cosh 2K_k)`` plus
    ``ln Z_1`` of the last spin."""
    size, total = N, 0
    while size > 1:
        total += ctx.mpf(size) / 4 * ctx.log(4 * ctx.cosh(2 * K))
        K, size = decimation_step(ctx, K), size // 2
    return total + log_z(ctx, 1, K)


def decimate(coupling):
    """One decimation step ``J -> (1/2) ln cosh 2J`` at the current mpmath precision.

    >>> mpmath.nstr(decimate(mpmath.mpf("1e-20")), 10)
    '1.0e-40'
    """
    return decimation_step(mpmath.mp, to_mpf(check_real("J", coupling)))


def flow(coupling, steps, dps=30):
    """The iterated decimation flow ``J, J~, J~~, ...`` (``steps + 1`` certified values)."""
    check_real("J", coupling)
    steps = check_positive_int("steps", steps, minimum=0)

    def trajectory():
        values = [to_mpf(coupling)]
        for _ in range(steps):
            values.append(decimation_step(mpmath.mp, values[-1]))
        return values

    return certify(trajectory, dps)


def _check_chain(N, coupling):
    return check_positive_int("N", N), check_real("J", coupling)


def log_partition(N, coupling, dps=50):
    """``ln Z_N(J)`` of the periodic chain by the transfer matrix, exact for every N >= 1.

    ``Z_N = (2 cosh J)^N + (2 sinh J)^N``, evaluated as ``N ln(2 cosh J) + log1p(tanh(J)^N)``
    so that neither large N nor large J overflows. Returns a :class:`~rgproof.core.precision.Certified`.
    """
    N, coupling = _check_chain(N, coupling)
    return certify(lambda: log_z(mpmath.mp, N, to_mpf(coupling)), dps)


def bond_sum_histogram(N):
    """Counts of ``S = sum_i x_i x_{i+1}`` over all 2^N periodic configurations, by enumeration.

    Returns ``{S: count}``. The enumeration is independent of the transfer matrix.

    >>> bond_sum_histogram(3)
    {-1: 6, 3: 2}
    """
    N = check_positive_int("N", N)
    if N > MAX_ENUMERATED_N:
        raise InputError("N", f"enumeration is limited to N <= {MAX_ENUMERATED_N}", N)
    spins = configurations(N, np.int64)
    bond_sums = (spins * np.roll(spins, -1, axis=1)).sum(axis=1)
    values, counts = np.unique(bond_sums, return_counts=True)
    return {int(v): int(c) for v, c in zip(values, counts)}


def log_partition_enumerated(N, coupling, dps=50):
    """``ln Z_N(J)`` by summing over every configuration (N <= 16), as an independent check."""
    N, coupling = _check_chain(N, coupling)
    histogram = bond_sum_histogram(N)
    return certify(lambda: log_z_enumerated(mpmath.mp, histogram, to_mpf(coupling)), dps)


def decimation_constant(N, coupling):
    """Exact ``J_0 = ln Z_N(J) - ln Z_{N/2}(J~)`` for even N, at the current precision."""
    N, coupling = _check_chain(N, coupling)
    if N % 2:
        raise InputError("N", "decimation removes every second spin, so N must be even", N)
    K = to_mpf(coupling)
    return log_z(mpmath.mp, N, K) - log_z(mpmath.mp, N // 2, decimation_step(mpmath.mp, K))


def log_partition_ball(N, coupling, dps=50):
    """``ln Z_N(J)`` by the transfer matrix in python-flint ball arithmetic (a rigorous enclosure).

    The same formula as :func:`log_partition`; the digits come from the ball's radius. Needs the
    optional extra ``flint``.
    """
    N, coupling = _check_chain(N, coupling)
    return ball(lambda ctx: log_z(ctx, N, ctx.mpf(coupling)), dps)


def log_partition_by_decimation(N, coupling, dps=50):
    """``ln Z_N`` for ``N = 2^n`` as the sum of per-step constants plus ``ln Z_1`` of the last spin.

    Each step removes N_k/2 spins and contributes ``(N_k/4) ln(4 cosh 2J_k)``.
    """
    N, coupling = _check_chain(N, coupling)
    if N & (N - 1):
        raise InputError("N", "iterated decimation needs N to be a power of 2", N)

    return certify(lambda: log_z_by_decimation(mpmath.mp, N, to_mpf(coupling)), dps)


__all__ = ['J', 'Decimation', 'decimation', 'closed_form_partition', 'IdentityProof', 'partition_identity_proof', 'FixedPointAnalysis', 'fixed_point_analysis', 'decimation_step', 'log_z', 'log_z_enumerated', 'log_z_by_decimation', 'decimate', 'flow', 'log_partition', 'log_partition_ball', 'bond_sum_histogram', 'log_partition_enumerated', 'decimation_constant', 'log_partition_by_decimation', 'MAX_ENUMERATED_N']
