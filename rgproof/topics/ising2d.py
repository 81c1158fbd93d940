r"""The 2-D Ising model on a periodic lattice: Kaufman's exact partition function.

Spins :math:`s \in \{\pm 1\}` on an ``L x cols`` torus (``cols = L`` unless given), nearest-
neighbour coupling ``K`` (k_B T = 1, no field): :math:`Z = \sum_s \exp(K \sum_{<ij>} s_i s_j)`
with ``2 L cols`` bonds. Kaufman (Phys. Rev. 76, 1232 (1949)) gives, with ``m = L`` rows and
``n = cols`` columns,

    Z = (1/2) (2 sinh 2K)^{mn/2} (Z_1 + Z_2 + Z_3 + Z_4),
    Z_1 = prod_{r<n} 2 cosh(m g_{2r+1}/2),   Z_2 = prod_{r<n} 2 sinh(m g_{2r+1}/2),
    Z_3 = prod_{r<n} 2 cosh(m g_{2r}/2),     Z_4 = prod_{r<n} 2 sinh(m g_{2r}/2),
    cosh g_l = cosh 2K coth 2K - cos(pi l / n)   (l >= 1),   g_0 = 2K + ln tanh K.

``g_0`` keeps its sign (negative above the critical temperature), which is what makes ``Z_4``
change sign at ``K_c = (1/2) ln(1 + sqrt 2)``.

>>> print(log_partition(4, 0.5, dps=20))
17.105367118731583308
>>> print(log_partition_enumerated(4, 0.5, dps=20))
17.105367118731583308
>>> log_partition(1, 0.5)
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: L: must be an integer >= 2 (got 1)
"""
from functools import lru_cache
from itertools import combinations, product

import mpmath
import numpy as np
import sympy

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_mpf
from .ising import log_z_enumerated
from ..core.precision import certify
from ..core.spins import configurations

#: Largest lattice summed configuration by configuration (2^16 states: the 4 x 4 torus).
MAX_ENUMERATED_SITES = 16


def _check_lattice(L, cols):
    L = check_positive_int("L", L, minimum=2)
    cols = L if cols is None else check_positive_int("cols", cols, minimum=2)
    return L, cols


def torus_bond_sums(spins, L, cols=None):
    """``sum_<ij> s_i s_j`` over the ``2 L cols`` bonds of the torus, for each row of ``spins``.

    Sites are numbered row by row (site ``r * cols + c``). On a 2-wide torus both bonds between
    two neighbours are counted, as the periodic lattice (and Kaufman's formula) has them.

    >>> torus_bond_sums(configurations(4)[:2], 2).tolist()
    [8, 0]
    """
    L, cols = _check_lattice(L, cols)
    spins = np.asarray(spins)
    if spins.ndim != 2 or spins.shape[1] != L * cols:
        raise InputError("spins", f"must be a 2-D array with {L * cols} columns (one per site)",
                         spins.shape)
    grid = spins.reshape(-1, L, cols).astype(np.int64)
    return ((grid * np.roll(grid, -1, axis=1)).sum(axis=(1, 2))
            + (grid * np.roll(grid, -1, axis=2)).sum(axis=(1, 2)))


@lru_cache(maxsize=16)  # a few lattices at a time; each is up to 2^20 states to enumerate
def _histogram(L, cols):
    values, counts = np.unique(torus_bond_sums(configurations(L * cols), L, cols),
                               return_counts=True)
    return tuple((int(v), int(c)) for v, c in zip(values, counts))


def bond_sum_histogram(L, cols=None):
    """``{bond sum: number of configurations}`` on the ``L x cols`` torus, by enumeration.

    >>> bond_sum_histogram(2)
    {-8: 2, 0: 12, 8: 2}
    """
    L, cols = _check_lattice(L, cols)
    if L * cols > MAX_ENUMERATED_SITES:
        raise InputError("L", f"enumeration is limited to L * cols <= {MAX_ENUMERATED_SITES} "
                              "sites", L * cols)
    return dict(_histogram(L, cols))


def log_partition_enumerated(L, K, dps=50, cols=None):
    """``ln Z`` by summing ``exp(K E)`` over every configuration (at most 16 sites)."""
    histogram = bond_sum_histogram(L, cols)
    coupling = check_real("K", K)

    return certify(lambda: log_z_enumerated(mpmath.mp, histogram, to_mpf(coupling)), dps)


def kaufman_log_z(ctx, rows, cols, k):
    """Kaufman's ``ln Z`` for ``k > 0`` (see the module docstring), written against a context.

    >>> abs(kaufman_log_z(mpmath.fp, 4, 4, 0.4) - float(log_partition(4, 0.4).value)) < 1e-12
    True
    """
    offset = ctx.cosh(2 * k) / ctx.tanh(2 * k)
    # mpmath.fp has no acosh; x >= 1 here, where log(x + sqrt((x - 1)(x + 1))) is accurate
    acosh = getattr(ctx, "acosh", None) or (lambda x: ctx.log(x + ctx.sqrt((x - 1) * (x + 1))))

    def gamma(l):
        if l == 0:
            return 2 * k + ctx.log(ctx.tanh(k))
        return acosh(offset - ctx.cos(ctx.pi * l / cols))

    odd = [rows * gamma(2 * r + 1) / 2 for r in range(cols)]
    even = [rows * gamma(2 * r) / 2 for r in range(cols)]
    terms = [ctx.fprod(2 * f(g) for g in gs) for gs in (odd, even) for f in (ctx.cosh, ctx.sinh)]
    return (ctx.mpf(rows * cols) / 2 * ctx.log(2 * ctx.sinh(2 * k))
            + ctx.log(ctx.fsum(terms) / 2))


def log_partition(L, K, dps=50, cols=None):
    """Exact ``ln Z`` of the ``L x cols`` torus by Kaufman's formula, as a Certified number.

    ``K > 0`` is the ferromagnet. ``K = 0`` gives ``N ln 2``. ``K < 0`` is allowed when both
    sides are even (the lattice is bipartite, so flipping one sublattice maps ``K`` to ``-K``);
    on an odd side the antiferromagnet is frustrated and the formula does not apply.

    >>> log_partition(2, -0.25, dps=15).value == log_partition(2, 0.25, dps=15).value
    True
    """
    L, cols = _check_lattice(L, cols)
    coupling = check_real("K", K)
    if coupling < 0 and (L % 2 or cols % 2):
        raise InputError("K", "K < 0 needs both sides even (an odd antiferromagnetic torus is "
                              "frustrated)", K)

    def value():
        k = abs(to_mpf(coupling))
        if k == 0:
            return L * cols * mpmath.log(2)
        return kaufman_log_z(mpmath.mp, L, cols, k)

    return certify(value, dps)


def decimation_couplings(neighbours):
    """The couplings that summing out one spin generates among its ``neighbours`` (2: a chain,
    4: a spin of the square lattice's checkerboard), each bonded to it with coupling K:
    ``ln sum_s e^(K s (n_1 + ... + n_k)) = c_0 + sum_S c_S prod_(i in S) n_i`` over the even
    subsets S of the neighbours (odd ones vanish by the spin-flip symmetry), with
    ``c_S = 2^-k sum_n ln(2 cosh(K sum n)) prod_(i in S) n_i`` exactly. Returns
    ``{S: c_S}`` for the non-empty S whose coefficient is not identically zero.

    >>> decimation_couplings(2)
    {(0, 1): log(cosh(2*K))/2}
    """
    k = check_positive_int("neighbours", neighbours, minimum=2)
    K = sympy.Symbol("K", positive=True)
    couplings = {}
    for size in range(2, k + 1, 2):
        for subset in combinations(range(k), size):
            c = sum(sympy.log(2 * sympy.cosh(K * sum(n))) * sympy.prod([n[i] for i in subset])
                    for n in product((1, -1), repeat=k)) / 2**k
            c = sympy.simplify(sympy.expand_log(c, force=True))
            if c != 0:
                couplings[subset] = c
    return couplings


__all__ = ['MAX_ENUMERATED_SITES', 'torus_bond_sums', 'bond_sum_histogram', 'log_partition_enumerated', 'kaufman_log_z', 'log_partition',
           'decimation_couplings']
