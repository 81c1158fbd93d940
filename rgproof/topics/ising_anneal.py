"""The partition-function equation of annealed Ising networks: g limits, J_t roots, bootstrap."""
import math
from dataclasses import dataclass

import mpmath
import numpy as np
from scipy.optimize import brentq

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_mpf
from ..core.precision import workdps
from ..core.stats import check_level, percentile_interval
from .ising import decimation_step, log_partition, log_z

#: Roots are searched for in |J_t| <= COUPLING_RANGE (outputs are O(1), so couplings are too).
COUPLING_RANGE = 1e3

#: The bootstrap replicates solve a Taylor expansion about the full-sample root while
#: |delta| * max|S| <= TAYLOR_RADIUS; TAYLOR_TERMS terms then leave an error below 1e-20.
TAYLOR_RADIUS, TAYLOR_TERMS = 2.0, 30

EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------- the g side

def n_g_limit(ctx, N, K):
    """``N g(inf) = ln Z_N(K) - N ln 2``: the constant of equation (3) once ``J_t = 0``, where
    the sum over the 2^N inputs of ``e^0`` is 2^N whatever the outputs are."""
    return log_z(ctx, N, K) - N * ctx.log(2)


def theorem_g_limit(N, coupling, dps=30):
    """``g(inf) = (1/N) ln Z_N(J) - ln 2``: the limit of g for which ``J_t -> 0``."""
    N = check_positive_int("N", N)
    check_real("J", coupling)
    with workdps(dps):  # at the precision asked for, not the caller's
        return float(n_g_limit(mpmath.mp, N, to_mpf(coupling)) / N)


def decimation_constants(ctx, N, M, K):
    """``(C, K_M)``: the non-singular constants ``sum_k (N_k/4) ln(4 cosh 2K_k)`` that decimating
    the periodic chain from N spins down to M (N/M a power of 2) accumulates, and the coupling
    left on the M spins; ``ln Z_N(K) = C + ln Z_M(K_M)`` (no steps when M = N: C = 0).

    >>> C, K = decimation_constants(mpmath.fp, 8, 2, 0.5)
    >>> round(C + log_z(mpmath.fp, 2, K), 12) == round(log_z(mpmath.fp, 8, 0.5), 12)
    True
    """
    if N % M or (N // M) & (N // M - 1):
        raise InputError("M", "decimation halves the chain, so N/M must be a power of 2", M)
    size, total = N, 0
    while size > M:
        total += ctx.mpf(size) / 4 * ctx.log(4 * ctx.cosh(2 * K))
        K, size = decimation_step(ctx, K), size // 2
    return total, K


def target_g_limit(N, coupling, teacher_bond_sums, target_coupling, dps=30):
    """``g(inf) = (1/N) [ln Z_N(J) - ln sum_x exp(J' S*(x))]``: the g for which ``J_t -> J'``.

    ``teacher_bond_sums`` are ``S*(x)`` of the teacher's outputs over all inputs.

    >>> g = target_g_limit(2, 0.5, np.array([1.0, 1.0, 1.0, 1.0]), 0.0)
    >>> bool(abs(g - theorem_g_limit(2, 0.5)) < 1e-15)
    True
    """
    N = check_positive_int("N", N)
    s = np.asarray(teacher_bond_sums, dtype=np.float64)
    a = float(target_coupling) * s
    log_sum = a.max() + math.log(np.exp(a - a.max()).sum())
    return float(float(log_partition(N, coupling, dps).value) / N - log_sum / N)


@dataclass(frozen=True)
class GSchedule:
    """``g(t) = g(inf) (1 - exp(-t/tau))``: smooth, deterministic, ``g(0) = 0``.

    >>> g = GSchedule(0.5, 2.0)
    >>> g(0.0), round(g(1e3), 12)
    (0.0, 0.5)
    """

    limit: float
    tau: float

    def __post_init__(self):
        if not (isinstance(self.tau, (int, float)) and math.isfinite(self.tau) and self.tau > 0):
            raise InputError("tau", "must be a finite real number > 0", self.tau)

    def __call__(self, t):
        return -self.limit * math.expm1(-t / self.tau)

    def describe(self):
        return f"g(inf) (1 - exp(-t/tau)), g(inf) = {self.limit!r}, tau = {self.tau!r}"


def bond_sums(xp, y):
    """``S(x) = sum_j y_j y_{j+1}`` with ``y_{M+1} = y_1``, for outputs (chains, inputs, M).

    >>> bond_sums(np, np.array([[[1.0, 2.0, 3.0]]])).tolist()
    [[11.0]]
    """
    return xp.sum(y * xp.roll(y, -1, axis=-1), axis=-1)


# --------------------------------------------------------------------------- a g-free statistic

#: |J| beyond which the nearest-neighbour coupling is reported as this bound (tanh 18 = 1 - 5e-16:
#: correlations closer to their extremes than float64 resolves are clipped to it).
MAX_NN_COUPLING = 18.0


def output_spins(y, activation):
    """The outputs as spins in [-1, 1]: ``s = 2 y - 1`` for ``"sigmoid"`` (outputs in (0, 1)),
    the outputs as they are otherwise (``"tanh"`` outputs already lie in (-1, 1)).

    >>> output_spins(np.array([0.0, 0.5, 1.0]), "sigmoid").tolist()
    [-1.0, 0.0, 1.0]
    """
    return 2 * y - 1 if activation == "sigmoid" else y


def bond_correlations(xp, s):
    """``(1/M) sum_j s_j s_{j+1}`` (periodic, ``s_{M+1} = s_1``) for spins (chains, inputs, M).

    >>> bond_correlations(np, np.array([[[1.0, -1.0, 1.0, -1.0]]])).tolist()
    [[-1.0]]
    """
    return xp.mean(s * xp.roll(s, -1, axis=-1), axis=-1)


def periodic_nn_correlation(coupling, M):
    """``<s_i s_{i+1}>`` of the periodic Ising chain of ``M`` spins at coupling J (no field):
    ``(t + t^{M-1}) / (1 + t^M)`` with ``t = tanh J`` (transfer matrix; ``tanh J`` for M -> inf).

    >>> bool(abs(periodic_nn_correlation(0.5, 2) - math.tanh(1.0)) < 1e-15)  # 2 bonds: tanh 2J
    True
    """
    return _nn_correlation(coupling, check_positive_int("M", M, minimum=2))


def _nn_correlation(coupling, M):
    """:func:`periodic_nn_correlation` for a checked M (Brent's method calls it ~30 times per
    root: the check is made once by the caller, the arithmetic is the same)."""
    t = np.tanh(np.asarray(coupling, dtype=np.float64))
    return (t + t ** (M - 1)) / (1 + t ** M)


def nn_coupling(correlation, M):
    """The coupling J of the periodic ``M``-spin Ising chain whose nearest-neighbour correlation
    is ``correlation`` (the inverse of :func:`periodic_nn_correlation`, increasing in J since its
    derivative is a variance), by Brent's method; correlations outside the range reached in
    ``|J| <= MAX_NN_COUPLING`` are clipped to it (|c| < 1; for odd M, c > -(M-2)/M). Arrays are
    solved elementwise.

    >>> round(float(nn_coupling(math.tanh(0.3), 10**6)), 6)
    0.3
    """
    M = check_positive_int("M", M, minimum=2)
    c = np.asarray(correlation, dtype=np.float64)
    if not np.all(np.isfinite(c)):
        raise InputError("correlation", "must be finite", c)
    R = MAX_NN_COUPLING
    low, high = (float(_nn_correlation(-R, M)), float(_nn_correlation(R, M)))

    def one(value):
        if value <= low:
            return -R
        if value >= high:
            return R
        return brentq(lambda K: float(_nn_correlation(K, M)) - value, -R, R,
                      xtol=1e-15, rtol=4 * EPS)

    out = np.array([one(v) for v in c.ravel()], dtype=np.float64).reshape(c.shape)
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------- the J_t equation

def log_mean_partition(bond_sums_, coupling, weights=None):
    """``phi(K) = ln( sum_k w_k sum_x exp(K S_kx) / sum_k w_k )`` (weights default to 1)."""
    S = np.asarray(bond_sums_, dtype=np.float64)
    w = np.ones(S.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    return _Partition(S, w).phi(coupling)


class _Partition:
    """``phi`` and ``phi'`` of one sample and its weights, for many couplings.

    The root search evaluates them at dozens of couplings for the same ``S`` and ``w``: the
    chains kept (``w > 0``), their log-weights and ``ln sum w`` do not depend on the coupling,
    so they are computed once here instead of at every evaluation. The arithmetic per coupling
    is the one :func:`log_mean_partition` always did, in the same order, so every value keeps
    its bits; ``phi`` remembers the values it has computed (the bracket search, the test of the
    bracket and Brent's method ask for some points more than once)."""

    def __init__(self, S, w):
        keep = w > 0
        self.S = S[keep]
        self.log_w = np.log(w[keep])[:, None]
        self.log_total = math.log(w.sum())
        self.seen = {}

    def phi(self, coupling):
        value = self.seen.get(coupling)
        if value is None:
            a = coupling * self.S + self.log_w
            top = a.max()
            value = self.seen[coupling] = float(top + math.log(np.exp(a - top).sum())
                                                - self.log_total)
        return value

    def slope(self, coupling):
        """``phi'(K)``: the mean of S under the weights ``w_k exp(K S_kx)``."""
        a = coupling * self.S + self.log_w
        p = np.exp(a - a.max())
        return float((p * self.S).sum() / p.sum())


@dataclass(frozen=True)
class Roots:
    """All roots of ``phi(K) = target`` in ``|K| <= COUPLING_RANGE``, sorted, with the branch
    slopes ``phi'(root)`` and the numerical resolution of each root (float64 rounding of both
    sides, divided by the slope)."""

    roots: tuple
    slopes: tuple
    resolutions: tuple


def coupling_roots(bond_sums_, target, weights=None):
    """Every solution ``K`` of ``phi(K) = target`` in ``|K| <= COUPLING_RANGE``.

    ``phi`` is convex: it is split at its minimiser into a decreasing and an increasing branch,
    each with at most one root, bracketed by doubling and refined with Brent's method.

    >>> S = np.array([[2.0, -1.0]])  # one chain, two inputs: phi(K) = ln(e^{2K} + e^{-K})
    >>> [round(r, 12) for r in coupling_roots(S, math.log(2.0)).roots]  # e^K = 1 or (sqrt5-1)/2
    [-0.48121182506, 0.0]
    """
    S = np.asarray(bond_sums_, dtype=np.float64)
    if S.ndim != 2 or S.size == 0 or not np.all(np.isfinite(S)):
        raise InputError("bond_sums", "must be a finite (chains x inputs) array", S.shape)
    w = np.ones(S.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    partition = _Partition(S, w)
    phi = lambda K: partition.phi(K) - target  # noqa: E731
    slope = partition.slope
    R = COUPLING_RANGE
    if slope(-R) >= 0:
        bottom = -R
    elif slope(R) <= 0:
        bottom = R
    else:
        bottom = brentq(slope, *_bracket(slope, 0.0, R), xtol=1e-14, rtol=4 * EPS)
    found = []
    for direction in (-1, 1):
        end = direction * R
        if (end - bottom) * direction <= 0 or phi(bottom) > 0 or phi(end) < 0:
            continue
        lo, hi = _branch_bracket(phi, bottom, end, direction)
        found.append(brentq(phi, lo, hi, xtol=1e-17, rtol=4 * EPS, maxiter=500)
                     if phi(lo) * phi(hi) < 0 else (lo if phi(lo) == 0 else hi))
    found = sorted(set(found))
    slopes = tuple(slope(K) for K in found)
    scale = abs(target) + math.log2(S.size) + 1
    resolutions = tuple(16 * EPS * (scale + abs(K) * np.abs(S).max()) / abs(s) if s else math.inf
                        for K, s in zip(found, slopes))
    return Roots(tuple(found), slopes, resolutions)


def _bracket(f, start, limit):
    """[a, b] around ``start`` with f(a) < 0 < f(b) for increasing f, by doubling."""
    step = 0.25
    while step <= 2 * limit:
        a, b = max(start - step, -limit), min(start + step, limit)
        if f(a) < 0 < f(b):
            return a, b
        step *= 2
    raise ArithmeticError("phi' has no sign change although its ends differ in sign")


def _branch_bracket(phi, bottom, end, direction):
    """A bracket [lo, hi] of the root on the branch from ``bottom`` (phi <= 0) to ``end``
    (phi >= 0), along which phi increases: doubling steps from the branch point nearest 0."""
    low, high = sorted((bottom, end))
    anchor = min(max(0.0, low), high)
    move = direction if phi(anchor) <= 0 else -direction
    previous, step = anchor, 1 / 64
    while True:
        point = min(max(anchor + move * step, low), high)
        if (phi(point) >= 0) == (move == direction) or point in (low, high):
            return tuple(sorted((previous, point)))
        previous, step = point, 2 * step


def track(roots, previous):
    """The root closest to ``previous`` (the root followed continuously in t), or None."""
    return min(roots, key=lambda K: abs(K - previous)) if roots else None


@dataclass(frozen=True)
class Interval:
    """A bootstrap percentile interval, widened by the root's numerical resolution."""

    low: float
    high: float
    failures: int  # replicates whose equation had no root on the tracked branch

    def contains(self, value):
        return self.low <= value <= self.high


def bootstrap_interval(bond_sums_, target, root, rng, replicates=500, level=0.95, roots=None):
    """Percentile bootstrap over chains for the root on the branch of ``root``.

    ``root`` must be one of ``roots`` (the full-sample :func:`coupling_roots`, computed when not
    given). Chains are resampled with replacement; each replicate's root is found by Newton's
    method on a Taylor expansion of each chain's ``sum_x exp(K S)`` about ``root`` (exact to
    rounding inside ``TAYLOR_RADIUS``), falling back to :func:`coupling_roots` outside it.
    """
    S = np.asarray(bond_sums_, dtype=np.float64)
    K = S.shape[0]
    if K < 2:
        raise InputError("chains", "a bootstrap over chains needs at least 2 chains", K)
    replicates = check_positive_int("bootstrap", replicates, minimum=20)
    check_level(level)
    full = roots if roots is not None else coupling_roots(S, target)
    if root not in full.roots:
        raise InputError("root", "must be one of the roots of the full sample", root)
    branch = np.sign(full.slopes[full.roots.index(root)])
    resolution = full.resolutions[full.roots.index(root)]
    weights = rng.multinomial(K, np.full(K, 1 / K), size=replicates).astype(np.float64)
    deltas, ok = _taylor_newton(S, target, root, weights, branch, resolution)
    for b in np.flatnonzero(~ok):
        exact = coupling_roots(S, target, weights[b])
        same_branch = [r for r, s in zip(exact.roots, exact.slopes) if np.sign(s) == branch]
        deltas[b] = (track(same_branch, root) - root) if same_branch else np.nan
    values = root + deltas[np.isfinite(deltas)]
    failures = replicates - values.size
    if values.size == 0:
        return Interval(math.nan, math.nan, failures)
    low, high = percentile_interval(values, level)
    return Interval(float(low - resolution), float(high + resolution), failures)


def _taylor_newton(S, target, root, weights, branch, resolution):
    """Newton steps for every replicate at once; returns (deltas, converged-and-valid mask)."""
    a = root * S
    shift = a.max()
    term = np.exp(a - shift)
    moments = np.empty((S.shape[0], TAYLOR_TERMS + 2))
    for n in range(TAYLOR_TERMS + 2):
        moments[:, n] = term.sum(axis=1)
        term = term * S
    coefficients = weights @ moments  # (B, terms): sum_k w_bk sum_x S^n exp(root S - shift)
    factorials = np.array([math.factorial(n) for n in range(TAYLOR_TERMS + 1)], dtype=np.float64)
    value_c = coefficients[:, :-1] / factorials
    slope_c = coefficients[:, 1:] / factorials
    goal = target - shift + np.log(weights.sum(axis=1))
    delta = np.zeros(weights.shape[0])
    radius = TAYLOR_RADIUS / max(np.abs(S).max(), 1e-300)
    converged = np.zeros(weights.shape[0], dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(60):
            value = np.polynomial.polynomial.polyval(delta, value_c.T, tensor=False)
            slope = np.polynomial.polynomial.polyval(delta, slope_c.T, tensor=False)
            step = (np.log(value) - goal) / (slope / value)
            delta = np.clip(delta - step, -2 * radius, 2 * radius)
            converged = np.abs(step) <= np.maximum(resolution / 16, 4 * EPS * np.abs(root + delta))
            if converged.all():
                break
        slope = np.polynomial.polynomial.polyval(delta, slope_c.T, tensor=False)
    ok = converged & (np.abs(delta) <= radius) & (np.sign(slope) == branch) & np.isfinite(delta)
    return delta, ok


__all__ = ['n_g_limit', 'theorem_g_limit', 'decimation_constants', 'target_g_limit', 'GSchedule', 'bond_sums', 'MAX_NN_COUPLING', 'output_spins', 'bond_correlations', 'periodic_nn_correlation', 'nn_coupling', 'log_mean_partition', 'Roots', 'coupling_roots', 'track', 'Interval', 'bootstrap_interval']
