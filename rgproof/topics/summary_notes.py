"""The mathematics the summary notes' statements need beyond the other topics: the data's
Boltzmann weights on the input hypercube, the most favourable ordering of a layer's units as a
chain, and the 1-D chain's correlation length, free energy and the teacher-student loss read
for a critical point.

The summary notes (``shared/seeds/rg-dnn-skill-summary.txt``) are not the authors' text; their
claims are checked in :mod:`rgproof.claims.summary_notes`.
"""
import itertools
from dataclasses import dataclass

import numpy as np
import sympy

from ..core.errors import InputError
from ..core.spins import configurations
from ..core.validate import check_positive_int, check_real

#: A periodic chain of this many units has (h - 1)! / 2 orderings; beyond it the enumeration of
#: :func:`best_cycle_correlation` is no longer a small computation.
MAX_CYCLE_UNITS = 9


def chain_weights(N, coupling):
    """The Boltzmann weights ``exp(J sum_i x_i x_{i+1}) / Z_N(J)`` of the periodic N-spin chain,
    one per configuration in the order of :func:`rgproof.core.spins.configurations` (the order of
    the networks' hypercube inputs).

    >>> w = chain_weights(3, 0.0)
    >>> w.tolist() == [0.125] * 8
    True
    >>> round(float(chain_weights(2, 1.0)[0] / chain_weights(2, 1.0)[1]), 12)  # e^{2J} / e^{-2J}
    54.598150033144
    """
    N, coupling = check_positive_int("N", N), float(check_real("J", coupling))
    x = configurations(N, np.float64)
    energy = coupling * (x * np.roll(x, -1, axis=1)).sum(axis=1)
    w = np.exp(energy - energy.max())
    return w / w.sum()


def cycles(h):
    """Every ordering of ``h`` units as a periodic chain, unit 0 first (each cycle appears in
    both directions): ((h - 1)!, h) indices.

    >>> cycles(3).tolist()
    [[0, 1, 2], [0, 2, 1]]
    """
    h = check_positive_int("h", h, minimum=2)
    if h > MAX_CYCLE_UNITS:
        raise InputError("h", f"the orderings of a chain are enumerated up to {MAX_CYCLE_UNITS} "
                              "units", h)
    return np.array([(0, *rest) for rest in itertools.permutations(range(1, h))])


def best_cycle_correlation(correlations):
    """For each matrix ``C`` of ``correlations`` (K x h x h, ``C_ij = <s_i s_j>``), the largest
    mean nearest-neighbour correlation ``(1/h) sum_j C_{o_j o_{j+1}}`` over every ordering ``o`` of
    the h units as a periodic chain: the reading of a layer as a chain most favourable to a
    large coupling.

    >>> C = np.array([[[1, .9, 0], [.9, 1, .5], [0, .5, 1]]])
    >>> best_cycle_correlation(C).round(6).tolist()  # every 3-cycle uses every bond
    [0.466667]
    """
    C = np.asarray(correlations, dtype=np.float64)
    if C.ndim != 3 or C.shape[1] != C.shape[2] or not np.all(np.isfinite(C)):
        raise InputError("correlations", "must be finite (K x h x h) matrices", C.shape)
    orders = cycles(C.shape[1])
    bonds = C[:, orders, np.roll(orders, -1, axis=1)]  # (K, orders, h)
    return bonds.mean(axis=2).max(axis=1)


# --------------------------------------------------------------------------- critical points

J = sympy.Symbol("J", positive=True)
DISTANCE = sympy.Symbol("r", positive=True)
XI = sympy.Symbol(r"\xi", positive=True)


def chain_correlation(coupling=J, distance=DISTANCE):
    """``<x_0 x_r> = tanh(J)^r``: the infinite chain's spin correlation at distance r (the
    transfer matrix's eigenvalue ratio, MATH.md; the periodic chain's tends to it)."""
    return sympy.tanh(coupling) ** distance


def correlation_length(correlation=None):
    """``xi(J)`` from ``correlation(r) = exp(-r / xi)``: solved by sympy for the chain's
    correlation (default :func:`chain_correlation`), ``-1 / ln tanh J``.

    >>> correlation_length()
    -1/log(tanh(J))
    """
    correlation = chain_correlation() if correlation is None else correlation
    solved = sympy.solve(sympy.Eq(sympy.log(correlation), -DISTANCE / XI), XI)
    if len(solved) != 1:
        raise ArithmeticError(f"no unique correlation length from {correlation}: {solved}")
    return sympy.simplify(solved[0])


def free_energy_density(coupling=J):
    """``-beta f = lim (1/N) ln Z_N = ln(2 cosh J)``: the larger transfer-matrix eigenvalue."""
    return sympy.log(2 * sympy.cosh(coupling))


@dataclass(frozen=True)
class CriticalAnalysis:
    """Where the chain could have a critical point at a finite coupling ``J > 0``.

    ``divergences``: the finite J where ``1 / xi(J) = 0``; ``singular``: the finite real J where
    the free energy density's argument ``cosh J`` vanishes (its only possible singularities);
    ``xi_at_infinity``: ``lim_{J -> oo} xi`` (the zero-temperature point)."""

    xi: object
    divergences: object
    singular: object
    xi_at_infinity: object

    @property
    def critical_couplings(self):
        """The finite J > 0 where a critical point could sit (empty: none)."""
        return sympy.Union(self.divergences, self.singular)


def critical_analysis(xi=None):
    """:class:`CriticalAnalysis` of the chain whose correlation length is ``xi`` (default
    :func:`correlation_length`).

    >>> analysis = critical_analysis()
    >>> analysis.critical_couplings, analysis.xi_at_infinity
    (EmptySet, oo)
    """
    xi = correlation_length() if xi is None else xi
    positive = sympy.Interval.open(0, sympy.oo)
    real = sympy.Symbol("J_real", real=True)
    singular = sympy.solveset(sympy.cosh(real), real, sympy.S.Reals)
    return CriticalAnalysis(xi, sympy.solveset(sympy.Eq(1 / xi, 0), J, positive),
                            sympy.Intersection(singular, positive), sympy.limit(xi, J, sympy.oo))


def teacher_student_loss(N=2, M=2):
    """The slides' loss of the network without hidden layers written out, for N inputs and M
    outputs: ``sum_{x in {+1,-1}^N} sum_j (f(x . w_j + b_j) - f(x . w*_j + b*_j))^2 + lambda
    (||w - w*||^2 + ||b - b*||^2)``, with f an undefined function.

    >>> J in teacher_student_loss(1, 1).free_symbols
    False
    """
    N, M = check_positive_int("N", N), check_positive_int("M", M)
    f = sympy.Function("f")
    lam = sympy.Symbol("lambda", positive=True)
    w = sympy.Matrix(N, M, lambda i, j: sympy.Symbol(f"w_{i + 1}{j + 1}", real=True))
    w_star = sympy.Matrix(N, M, lambda i, j: sympy.Symbol(f"w^*_{i + 1}{j + 1}", real=True))
    b = [sympy.Symbol(f"b_{j + 1}", real=True) for j in range(M)]
    b_star = [sympy.Symbol(f"b^*_{j + 1}", real=True) for j in range(M)]
    data = sum((f(sum(x[i] * w[i, j] for i in range(N)) + b[j])
                - f(sum(x[i] * w_star[i, j] for i in range(N)) + b_star[j])) ** 2
               for x in configurations(N, int).tolist() for j in range(M))
    penalty = sum((p - q) ** 2 for p, q in zip([*w, *b], [*w_star, *b_star]))
    return data + lam * penalty


__all__ = ['MAX_CYCLE_UNITS', 'chain_weights', 'cycles', 'best_cycle_correlation', 'J',
           'chain_correlation', 'correlation_length', 'free_energy_density', 'CriticalAnalysis',
           'critical_analysis', 'teacher_student_loss']
