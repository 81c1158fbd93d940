"""Maximum-likelihood fit of the radial family ``exp(-sum_r theta_r |y|^(2r)) / Z(theta)`` in R^M.

The family is exponential in ``theta`` with sufficient statistics ``T_r = |y|^(2r)``, so the
negative log-likelihood per point ``theta . mean(T) + ln Z(theta)`` is convex: damped Newton
steps (gradient ``mean(T) - E_theta[T]``, Hessian ``Cov_theta(T)``) find the fit, with
``theta_R > 0`` enforced by the line search. The steps are taken in shifted Legendre
polynomials of ``|y|^2`` (:class:`LegendreBasis`: in the powers themselves the Hessian is as
ill-conditioned as a Hilbert matrix), and the fits with 1, 2, ..., R coefficients are found in
turn, each from the one before (:func:`ml_fits`). ``Z`` and the moments of ``T`` are radial
quadratures (:class:`rgproof.topics.expfam.RadialLaw`, checked against the high-precision layer
in the tests; the Newton steps place theirs with :func:`rgproof.topics.expfam.radial_support`).
The bootstrap resamples the points, or whole clusters of them (the chains of an ensemble: the
points of one chain share its weights, so they are not independent draws), and refits every
replicate at once; its covariance gives a joint (Mahalanobis) test of a value.

With more coefficients than the sample's law has, the ML maximum may lie on the boundary
``theta_R -> 0`` (no maximum with ``theta_R > 0``): :func:`fit_radial` then fits with fewer
coefficients and records that boundary fit, which is not a goodness-of-fit rejection.

A fit alone would turn any sample into numbers; :func:`goodness_of_fit` says whether the sample
is in the family at all: a chi-square test of ``|y|`` against the fitted radial law (against
its null law for a fit to the ungrouped points, :func:`grouping_weights`), and the
Rayleigh and Bingham tests that the directions ``y / |y|`` are uniform on the sphere (which
every member of the family requires, and a non-spherical Gaussian breaks).

>>> from rgproof.topics.expfam import RadialLaw
>>> rng = np.random.default_rng(0)
>>> y = RadialLaw((0.5, 0.25), 2).sample(4000, rng)
>>> fit = fit_radial(y, 2, rng, bootstrap=50)
>>> bool(fit.ci_low[0] < 0.5 < fit.ci_high[0]), fit.in_family
(True, True)
>>> fit_radial(y * [1.0, 3.0], 2, rng, bootstrap=50).in_family   # stretched: not radial
False
"""
import math
from dataclasses import dataclass

import numpy as np
from numpy.polynomial import Legendre, Polynomial, legendre
from scipy import linalg, special, stats

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real
from ..core.stats import check_level, percentile_interval
from .expfam import (RadialLaw, cell_quadrature, check_array, check_rng, log_sphere_area,
                     radial_support, shown_value)

#: The fit needs at least this many points per fitted coefficient (and the chi-square test
#: then has bins with at least 50 expected points, well above the usual 5).
POINTS_PER_PARAMETER = 50
#: Most bins of the chi-square test of |y|.
MAX_BINS = 20
#: A sample whose combined goodness-of-fit p-value is below this is not in the family.
GOF_ALPHA = 1e-3
#: Newton iterations at most, and the Newton decrement (squared) at which the fit has converged.
MAX_NEWTON, DECREMENT = 100, 1e-24
#: The nats by which the new coefficient of a start (:func:`_extend`) moves the law at the end
#: of its support.
PAD = 1e-8
#: Quadrature cells in each bin of the chi-square test for its null law (:func:`grouping_weights`).
GROUPING_CELLS = 16
#: Quadrature cells for the bootstrap refits: the replicates only need ~1e-10 relative accuracy
#: (far inside any interval), which 32 cells of 20 nodes give with a wide margin.
BOOTSTRAP_CELLS = 32


def check_sample(y, name="y"):
    """Rows ``y`` as a finite float (n x M) array, n, M >= 1.

    >>> check_sample([[1.0, "a"]])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: y: must be a finite (n x M) array of real numbers (got [[1.0, 'a']])
    """
    rule = "must be a finite (n x M) array of real numbers"
    y = check_array(name, y, rule)
    if y.ndim != 2 or 0 in y.shape or not np.all(np.isfinite(y)):
        raise InputError(name, rule, shown_value(y))
    return y


def check_scale(scale):
    """``scale`` (the largest ``|y|^2`` of a sample) as a float > 0."""
    value = float(check_real("scale", scale))
    if not value > 0:
        raise InputError("scale", "must be > 0 (the largest |y|^2 of the sample)", scale)
    return value


def sufficient_statistics(y, R):
    """``T_r = |y|^(2r)``, r = 1..R, for rows ``y``: (n x R).

    >>> sufficient_statistics([[1e160, 0.0]], 2)
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: y: |y|^(2R) overflows double precision for R = 2 (largest |y| = 1e+160): rescale the sample
    """
    y = check_sample(y)
    R = check_positive_int("R", R)
    with np.errstate(over="ignore"):
        u = (y ** 2).sum(axis=-1)
        T = u[:, None] ** np.arange(1, R + 1)
    if not np.all(np.isfinite(T)):
        raise InputError("y", f"|y|^(2R) overflows double precision for R = {R} (largest |y| = "
                              f"{float(np.abs(y).max()):.6g}): rescale the sample")
    return T


def check_fit_size(n, R, name="y", what="points"):
    """At least ``POINTS_PER_PARAMETER * R`` points for an R-coefficient fit."""
    n = check_positive_int(name, n, minimum=0)
    need = POINTS_PER_PARAMETER * check_positive_int("R", R)
    if n < need:
        raise InputError(name, f"the fit of R = {R} coefficients needs at least "
                               f"{POINTS_PER_PARAMETER} points per coefficient, {need} in all",
                         f"{what} = {n}")


class LegendreBasis:
    """The coordinates of the Newton steps: the shifted Legendre polynomials
    ``P_k(u) = L_k(2 u / scale - 1)``, k = 1..R, with ``H(u) = sum_r theta_r u^r = eta . P(u) - c``.

    In the powers ``T_r = u^r`` the Hessian ``Cov_theta(T)`` is a Hankel moment matrix, as
    ill-conditioned as Hilbert's: about 1e16 at R = 12, so a Newton step solved in ``theta``
    is rounding noise. The ``P_k`` are orthogonal on ``[0, scale]``; with ``scale`` the largest
    ``u`` of the sample, ``Cov(P)`` stays near-diagonal (condition ~1e2-1e4 at R = 12).

    >>> basis = LegendreBasis(2, 2.0)        # P_1 = u - 1, P_2 = (3 (u - 1)^2 - 1) / 2
    >>> basis.powers.tolist()                 # rows: u^0, u^1, u^2
    [[-1.0, 1.0], [1.0, -3.0], [0.0, 1.5]]
    >>> basis.theta_of(basis.eta_of([0.5, 0.25])).tolist()
    [0.5, 0.25]
    """

    def __init__(self, R, scale):
        self.R, self.scale = check_positive_int("R", R), check_scale(scale)
        # column k - 1: the coefficients of P_k in u^0..u^R
        self.powers = np.zeros((R + 1, R))
        for k in range(1, R + 1):
            coefficients = Legendre.basis(k, domain=[0, self.scale]).convert(kind=Polynomial).coef
            self.powers[:coefficients.size, k - 1] = coefficients

    def values(self, u):
        """``P_k(u)`` for an array ``u``: shape ``u.shape + (R,)``."""
        return legendre.legvander(2 * np.asarray(u) / self.scale - 1, self.R)[..., 1:]

    def mean_of_powers(self, m):
        """``mean P_k`` from the means ``m`` of ``u^1..u^R`` (rows of ``m`` broadcast)."""
        return self.powers[0] + np.asarray(m) @ self.powers[1:]

    def theta_of(self, eta):
        """The power coefficients ``theta`` of ``eta . P(u)`` (its constant dropped)."""
        return np.asarray(eta) @ self.powers[1:].T

    def eta_of(self, theta):
        """The inverse of :meth:`theta_of` (the power-to-Legendre matrix is triangular)."""
        return linalg.solve_triangular(self.powers[1:], np.asarray(theta, dtype=np.float64))


def _weighted_moments(log_w, S):
    """Mean (B, R) and covariance (B, R, R) of the statistics ``S`` (J x R) at quadrature nodes
    under each row of ``log_w`` (B x J), the logs of density times quadrature weight; the
    covariance from the centred values (``E[S S^T] - mean mean^T`` would cancel catastrophically
    for the powers ``u^r`` of a wide range)."""
    p = np.exp(log_w - log_w.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    mean = p @ S
    centred = S[None] - mean[:, None]  # (B, J, R)
    return mean, (centred * p[..., None]).transpose(0, 2, 1) @ centred


#: The last few laws built by :func:`_law`, by (coefficient bytes, M).
_LAWS = {}


def _law(theta, M):
    """``RadialLaw(tuple(theta), M)``, built once for the few most recent (theta, M).

    A fit builds the law of its ML theta in :func:`_extend` (for ``ln Z``) and again in
    :func:`fit_radial` and :func:`boundary_fit` (quadrature, goodness of fit): the same
    coefficients give the same planned support, cells and masses, so building it again is
    waste. A RadialLaw is frozen and nothing here writes to its arrays, so sharing one is
    safe; the key is the coefficients' bytes, so only bit-identical theta share a law."""
    theta = tuple(theta)
    key = (np.asarray(theta, dtype=np.float64).tobytes(), M)
    law = _LAWS.get(key)
    if law is None:
        law = RadialLaw(theta, M)
        while len(_LAWS) >= 8:
            _LAWS.pop(next(iter(_LAWS)), None)
        _LAWS[key] = law
    return law


def _log_measure(M, nodes, weights):
    """``(M - 1) log rho + log weight`` at the quadrature nodes (the radial measure in R^M)."""
    with np.errstate(divide="ignore"):
        return ((M - 1) * np.log(nodes) if M > 1 else 0) + np.log(weights)


def _moments(theta, M, law=None):
    """``E_theta[T]`` (1 x R) and ``Cov_theta(T)`` (1 x R x R) of the powers by the radial
    quadrature."""
    law = law or _law(theta, M)
    nodes, weights = law.quadrature()
    T = (nodes * nodes)[:, None] ** np.arange(1, len(theta) + 1)
    return _weighted_moments(_log_measure(M, nodes, weights)[None] - np.asarray(theta)[None] @ T.T,
                             T)


def _objective(eta, target, basis, M):
    """``eta . target + ln Z`` (``= theta . m + ln Z(theta)``: the constant of ``eta . P``
    cancels), or inf where the family is not integrable; with the ``P_k`` and the log-weights
    (:func:`_weighted_moments`) at the quadrature nodes of its :func:`radial_support`."""
    if not eta[-1] > 0:  # the leading coefficient of P_R is positive: theta_R > 0
        return math.inf, None, None
    support = radial_support(basis.theta_of(eta), M)
    if support is None:
        return math.inf, None, None
    nodes, weights = cell_quadrature(*support)
    P = basis.values(nodes * nodes)
    log_w = _log_measure(M, nodes, weights) - P @ eta
    log_z = log_sphere_area(M) + float(special.logsumexp(log_w))
    return float(eta @ target) + log_z, log_w, P


def _newton(eta, target, basis, M, fixed_top=False):
    """Damped Newton steps on f (:func:`_objective`) from ``eta`` (with ``eta_R`` held fixed
    when ``fixed_top``) until the Newton decrement is at most ``DECREMENT``: ``(eta, gradient)``
    there, or None when the line search fails."""
    free = slice(0, -1) if fixed_top else slice(None)
    value, log_w, P = _objective(eta, target, basis, M)
    for _ in range(MAX_NEWTON):
        mean, cov = _weighted_moments(log_w[None], P)
        gradient = target - mean[0]
        step = np.zeros_like(eta)
        try:
            step[free] = -linalg.cho_solve(linalg.cho_factor(cov[0][free, free]), gradient[free])
        except linalg.LinAlgError:
            return None
        decrement = -float(gradient @ step)
        if decrement <= DECREMENT:
            return eta, gradient
        size = 1.0
        while size > 1e-12:  # backtracking (Armijo) line search inside theta_R > 0
            trial = eta + size * step
            trial_value, trial_log_w, trial_P = _objective(trial, target, basis, M)
            # the objective's own rounding would stall the search near the optimum
            if trial_value <= value - 0.25 * size * decrement + 1e-14 * abs(value):
                break
            size /= 2
        else:
            return None
        eta, value, log_w, P = trial, trial_value, trial_log_w, trial_P
    return None


def _extend(below, m, M, basis):
    """The ML fit with ``k = m.size`` coefficients from ``below``, the last fit found with
    fewer; None when its maximum is not attained at ``theta_k > 0``.

    The start is ``below`` padded with zeros and a ``theta_k = t`` that moves the law by
    ``PAD`` nats at the end of its support: the face ``theta_k -> 0``, in effect. With
    ``theta_k = t`` held, Newton steps fit the others; the minimum of the objective over the
    others, as a function of ``theta_k``, is convex, so a slope >= 0 there puts its minimum at
    ``theta_k -> 0``. Otherwise Newton steps in all coefficients go inwards from there (from a
    start off that minimum they can head for ``theta_k <= 0`` and stall against it)."""
    k = m.size
    padded = np.zeros(k)
    padded[:below.size] = below
    padded[-1] = PAD * radial_support(below, M)[1] ** (-2 * k)
    target = basis.mean_of_powers(m)
    found = _newton(basis.eta_of(padded), target, basis, M, fixed_top=True)
    if found is None or found[1][-1] >= 0:
        return None
    found = _newton(found[0], target, basis, M)
    if found is None:
        return None
    theta = basis.theta_of(found[0])
    return theta, _law(theta, M).log_normaliser


def ml_fits(m, M, scale=None):
    """The ML fits with 1, 2, ..., R coefficients for mean sufficient statistics ``m`` (R,)
    in R^M: ``(theta, ln Z(theta))`` each, or None where the maximum is not attained at
    ``theta_k > 0`` (e.g. a supremum on the boundary ``theta_k -> 0``, which
    :func:`boundary_fit` looks for).

    Each fit starts from the last one found (:func:`_extend`), the first is the Gaussian
    ``theta_1 = M / (2 m_1)``: a start far from the sample (such as the pure top power) leads
    the Newton steps through laws with tails far beyond it, where no polynomial basis is well
    conditioned, or against ``theta_R > 0``. The steps are taken in the :class:`LegendreBasis`
    on ``[0, scale]``; ``scale``: the largest ``|y|^2`` of the sample (default ``m_R^(1/R)``,
    a lower bound).

    >>> m = _moments(np.array([-0.5, 0.3]), 3)[0][0]    # E|y|^2, E|y|^4 of that law in R^3
    >>> [np.round(theta, 10).tolist() for theta, log_z in ml_fits(m, 3)]
    [[0.8595049055], [-0.5, 0.3]]
    """
    m = check_array("m", m)
    if m.ndim != 1 or m.size == 0 or not np.all(np.isfinite(m) & (m > 0)):
        raise InputError("m", "must be the means of |y|^2, ..., |y|^(2R): finite numbers > 0",
                         shown_value(m))
    M = check_positive_int("M", M)
    scale = m[-1] ** (1 / m.size) if scale is None else check_scale(scale)
    gaussian = np.array([M / (2 * m[0])])
    fits = [(gaussian, _law(gaussian, M).log_normaliser)]
    for k in range(2, m.size + 1):
        below = next(fit for fit in reversed(fits) if fit is not None)[0]
        fits.append(_extend(below, m[:k], M, LegendreBasis(k, scale)))
    return fits


def mle(m, M, scale=None):
    """The ML coefficients for mean sufficient statistics ``m`` (R,) in R^M, or None when the
    maximum is not attained at ``theta_R > 0``: the last of :func:`ml_fits`. Returns
    ``(theta, ln Z(theta))``."""
    return ml_fits(m, M, scale)[-1]


def _bootstrap_mle(T, counts, M, theta, law, basis):
    """Refit every replicate (rows of ``counts``) by Newton steps in ``basis`` from the
    full-sample fit, on the quadrature nodes of the full fit (the replicates lie close to it).
    NaN rows: failures."""
    targets = basis.mean_of_powers(counts @ T / counts.sum(axis=1, keepdims=True))
    nodes, weights = law.quadrature(BOOTSTRAP_CELLS)
    P = basis.values(nodes * nodes)
    log_measure = _log_measure(M, nodes, weights)
    eta = basis.eta_of(theta)
    etas = np.repeat(eta[None], targets.shape[0], axis=0)
    ok = np.ones(targets.shape[0], dtype=bool)
    for _ in range(30):
        mean, cov = _weighted_moments(log_measure[None] - etas @ P.T, P)
        with np.errstate(all="ignore"):
            try:
                step = np.linalg.solve(cov, (mean - targets)[..., None])[..., 0]
            except np.linalg.LinAlgError:
                return np.full_like(etas, np.nan)
        etas = etas + step
        ok &= np.all(np.isfinite(etas), axis=1) & (etas[:, -1] > 0)
        etas[~ok] = eta
        if np.all(np.abs(step[ok]) <= 1e-10 * (1 + np.abs(etas[ok]))):  # far inside the CI
            break
    thetas = basis.theta_of(etas)
    thetas[~ok] = np.nan
    return thetas


def resample_counts(n, replicates, rng, clusters=None):
    """How often each of ``n`` points is drawn in each bootstrap replicate: (replicates x n).
    With ``clusters``, the rows are that many equal consecutive clusters, drawn whole.

    >>> resample_counts(6, 2, np.random.default_rng(0), clusters=3)
    array([[0., 0., 2., 2., 1., 1.],
           [3., 3., 0., 0., 0., 0.]])
    """
    n = check_positive_int("n", n)
    replicates = check_positive_int("replicates", replicates)
    units = n if clusters is None else check_positive_int("clusters", clusters)
    if n % units:
        raise InputError("clusters", f"must divide the {n} points into equal clusters", clusters)
    draws = (check_rng(rng).integers(0, units, (replicates, units))
             + units * np.arange(replicates)[:, None])
    counts = np.bincount(draws.ravel(), minlength=replicates * units).reshape(replicates, units)
    # converted before the repeat: the counts are small integers, exact in float64 either way
    return np.repeat(counts.astype(np.float64), n // units, axis=1)


def mahalanobis(center, covariance, values, level, clusters=None):
    """Joint test of ``values`` against an estimate ``center`` with bootstrap ``covariance``:
    ``(d^2, quantile at level, d^2 <= quantile)``; None when the lengths differ, or when there
    are no more ``clusters`` than coefficients.

    The quantile is chi2_R's; for a cluster bootstrap over G clusters, Hotelling's
    ``G R / (G - R) F_{R, G-R}``: the bootstrap covariance is (G-1)/G times the unbiased one,
    and with few clusters their spread is itself uncertain (chi2_R would under-cover).

    >>> d2, q, inside = mahalanobis([0, 0], [[1, 0.99], [0.99, 1]], [1.5, -1.5], 0.95)
    >>> round(d2), round(q, 3), inside   # each coordinate within 1.96 sigma, jointly far out
    (450, 5.991, False)
    """
    center, values = check_array("center", center), check_array("values", values)
    for name, vector in (("center", center), ("values", values)):
        if vector.ndim != 1 or vector.size == 0 or not np.all(np.isfinite(vector)):
            raise InputError(name, "must be a vector of finite coefficients",
                             shown_value(vector))
    level = check_level(level)
    clusters = None if clusters is None else check_positive_int("clusters", clusters)
    R = center.size
    if values.size != R or (clusters is not None and clusters <= R):
        return None
    covariance = check_array("covariance", covariance)
    if covariance.shape != (R, R) or not np.all(np.isfinite(covariance)):
        raise InputError("covariance", f"must be a finite {R} x {R} matrix",
                         shown_value(covariance))
    diff = values - center
    d2 = float(diff @ np.linalg.lstsq(covariance, diff, rcond=None)[0])
    quantile = float(stats.chi2.ppf(level, R) if clusters is None else
                     clusters * R / (clusters - R) * stats.f.ppf(level, R, clusters - R))
    return d2, quantile, d2 <= quantile


@dataclass(frozen=True)
class GoodnessOfFit:
    """The tests that the sample belongs to the radial family.

    ``radial_*``: chi-square of ``|y|`` in equiprobable bins of the fitted law, against its
    null law for a fit to the ungrouped points (:func:`grouping_weights`); ``rayleigh_*`` /
    ``bingham_*``: uniformity of ``y / |y|`` on the sphere (mean direction; second moments,
    M >= 2). ``p_value`` is the Bonferroni combination.
    """

    radial_chi2: float
    radial_p: float
    bins: int
    rayleigh_p: float
    bingham_p: float
    p_value: float

    @property
    def in_family(self):
        return self.p_value >= GOF_ALPHA

    def as_dict(self):
        """JSON-able values (NaN, a test that does not apply, becomes None)."""
        values = {"radial_chi2": self.radial_chi2, "radial_p": self.radial_p, "bins": self.bins,
                  "rayleigh_p": self.rayleigh_p, "bingham_p": self.bingham_p,
                  "p_value": self.p_value, "alpha": GOF_ALPHA}
        return {k: None if isinstance(v, float) and math.isnan(v) else v
                for k, v in values.items()}


def isotropy_p_values(y):
    """Rayleigh and Bingham p-values for the uniformity of the directions ``y / |y|``.

    Rayleigh: ``n M |mean u|^2 ~ chi2_M``; Bingham: ``n M (M+2)/2 (tr S^2 - 1/M) ~
    chi2_{(M-1)(M+2)/2}`` with ``S = mean u u^T`` (NaN for M = 1, where every direction is +-1).
    """
    y = check_sample(y)
    n, M = y.shape
    radii = np.linalg.norm(y, axis=1, keepdims=True)
    if not np.all(radii > 0):
        raise InputError("y", "must have every row off the origin (a direction y / |y| each)",
                         f"{int(np.sum(radii == 0))} rows at 0")
    u = y / radii
    mean = u.mean(axis=0)
    rayleigh = float(stats.chi2.sf(n * M * float(mean @ mean), M))
    if M == 1:
        return rayleigh, math.nan
    S = u.T @ u / n
    bingham_stat = n * M * (M + 2) / 2 * (float(np.sum(S * S)) - 1 / M)
    return rayleigh, float(stats.chi2.sf(bingham_stat, (M - 1) * (M + 2) // 2))


def _check_law(law):
    if not isinstance(law, RadialLaw):
        raise InputError("law", "must be a RadialLaw (rgproof.topics.expfam)", law)
    return law


def grouping_weights(law, edges, scale):
    """The weights ``lambda_r`` in [0, 1) of Chernoff and Lehmann (1954): the chi-square of
    counts in the bins cut at ``edges`` (radii), with the R coefficients of the :class:`RadialLaw`
    ``law`` fitted to the ungrouped points, tends to ``chi2_{bins-1-R} + sum_r lambda_r
    chi2_1``, not ``chi2_{bins-1-R}``. They are the eigenvalues of ``Cov(T)^-1 E[Cov(T | bin)]``,
    the information the grouping loses (computed in the :class:`LegendreBasis` on
    ``[0, scale]``, where the powers ``T`` would be ill-conditioned), by a quadrature of
    ``GROUPING_CELLS`` cells in each bin.

    >>> law = RadialLaw((0.5, 0.25), 2)
    >>> [round(float(w), 3) for w in grouping_weights(law, law.quantile(np.arange(1, 20) / 20), 9)]
    [0.003, 0.3]
    """
    bounds = np.concatenate([[_check_law(law).edges[0]], check_array("edges", edges).ravel(),
                             [law.edges[-1]]])
    if np.ndim(edges) != 1 or not np.all(np.diff(bounds) > 0):
        raise InputError("edges", f"must be increasing radii inside the support of the law, "
                                  f"({law.edges[0]:.6g}, {law.edges[-1]:.6g})", shown_value(edges))
    R = len(law.theta)
    rules = [cell_quadrature(a, b, GROUPING_CELLS) for a, b in zip(bounds[:-1], bounds[1:])]
    nodes, weights = (np.concatenate(parts) for parts in zip(*rules))
    group = np.repeat(np.arange(len(rules)), rules[0][0].size)
    p = law.scaled_density(nodes) * weights
    p /= p.sum()
    S = LegendreBasis(R, scale).values(nodes * nodes)
    sums = np.stack([np.bincount(group, p * S[:, r]) for r in range(R)], axis=1)
    within = S - sums[group] / np.bincount(group, p)[group][:, None]  # minus the bin's mean
    total = S - p @ S
    return np.clip(linalg.eigh((within * p[:, None]).T @ within, (total * p[:, None]).T @ total,
                               eigvals_only=True), 0, 1)


def chernoff_lehmann_sf(chi2, dof, weights):
    """``P(chi2_dof + sum_r weights_r chi2_1 > chi2)``, by the scaled chi-square with the same
    mean and variance (Satterthwaite): exact when the weights are 0.

    >>> chernoff_lehmann_sf(20.0, 7, [0.0, 0.0]) == float(stats.chi2.sf(20.0, 7))
    True
    """
    chi2 = float(check_real("chi2", chi2))
    if chi2 < 0:
        raise InputError("chi2", "must be >= 0 (a chi-square statistic)", chi2)
    dof = check_positive_int("dof", dof)
    weights = check_array("weights", weights)
    if weights.ndim != 1 or not np.all((weights >= 0) & (weights <= 1)):
        raise InputError("weights", "must be numbers in [0, 1]", shown_value(weights))
    mean = dof + float(np.sum(weights))
    variance = 2 * (dof + float(np.sum(np.square(weights))))
    factor = variance / (2 * mean)
    return float(stats.chi2.sf(chi2 / factor, 2 * mean ** 2 / variance))


def goodness_of_fit(y, law):
    """:class:`GoodnessOfFit` of rows ``y`` against the :class:`RadialLaw` ``law`` fitted to
    them."""
    y = check_sample(y)
    if _check_law(law).dim != y.shape[1]:
        raise InputError("law", f"must be a law in R^{y.shape[1]}, where the rows lie",
                         f"dim = {law.dim}")
    rayleigh_p, bingham_p = isotropy_p_values(y)
    n, R = y.shape[0], len(law.theta)
    bins = max(R + 2, min(MAX_BINS, n // POINTS_PER_PARAMETER))
    edges = law.quantile(np.arange(1, bins) / bins)
    radii = np.linalg.norm(y, axis=1)
    counts = np.bincount(np.searchsorted(edges, radii), minlength=bins)
    expected = n / bins
    chi2 = float(((counts - expected) ** 2).sum() / expected)
    radial_p = chernoff_lehmann_sf(chi2, bins - 1 - R,
                                   grouping_weights(law, edges, float(radii.max()) ** 2))
    tests = [p for p in (radial_p, rayleigh_p, bingham_p) if not math.isnan(p)]
    return GoodnessOfFit(chi2, radial_p, bins, rayleigh_p, bingham_p,
                         min(1.0, len(tests) * min(tests)))


@dataclass(frozen=True)
class RadialFit:
    """An ML fit with its bootstrap interval and covariance and its goodness of fit; ``theta``
    is None when there is no maximum with ``theta_R > 0``. ``failures``: bootstrap replicates
    without a fit. ``boundary``: when ``theta`` is None, the fit with fewer coefficients
    (:class:`BoundaryFit`) where the R-coefficient likelihood has its supremum at
    ``theta_R -> 0``; None when there is none."""

    theta: object
    ci_low: object
    ci_high: object
    log_normaliser: object
    gof: object
    failures: int
    points: int
    covariance: object = None
    boundary: object = None
    clusters: object = None

    @property
    def in_family(self):
        return self.theta is not None and self.gof.in_family



@dataclass(frozen=True)
class BoundaryFit:
    """The ML fit with ``R`` coefficients (``theta``, its :class:`GoodnessOfFit`) at which a fit
    with more coefficients has its supremum: ``slopes`` are the derivatives of the
    negative log-likelihood along each dropped coefficient there, ``mean(T_r) - E_theta[T_r]``,
    all >= 0 for a boundary maximum (the likelihood falls as they enter ``theta_r > 0``)."""

    R: int
    theta: list
    gof: GoodnessOfFit
    slopes: list

    def as_dict(self):
        return {"R": self.R, "theta": self.theta, "gof": self.gof.as_dict(),
                "slopes": self.slopes}


def boundary_fit(y, T, M, fits=None):
    """:class:`BoundaryFit` for rows ``y`` (statistics ``T``, n x R) whose R-coefficient fit has
    no maximum with ``theta_R > 0``: the largest R' < R with an ML fit whose slopes along the
    dropped coefficients are all >= 0; None if there is none. ``fits``: their
    :func:`ml_fits`, when already computed."""
    y, T, M = check_sample(y), check_array("T", T), check_positive_int("M", M)
    if T.ndim != 2 or T.shape[0] != y.shape[0] or not np.all(np.isfinite(T) & (T >= 0)):
        raise InputError("T", "must be the (n x R) sufficient statistics of y",
                         shown_value(T))
    m = T.mean(axis=0)
    R = m.size
    fits = fits or ml_fits(m, M, T[:, 0].max())
    for k in range(R - 1, 0, -1):
        found = fits[k - 1]
        if found is None:
            continue
        law = _law(found[0], M)
        mean, _ = _moments(np.concatenate([found[0], np.zeros(R - k)]), M, law)
        slopes = (m - mean[0])[k:]
        if np.all(slopes >= 0):
            return BoundaryFit(k, found[0].tolist(), goodness_of_fit(y, law), slopes.tolist())
        return None
    return None


def fit_radial(y, R, rng, bootstrap=200, level=0.95, clusters=None):
    """Fit ``exp(-sum_{r<=R} theta_r |y|^(2r))`` in R^M to rows ``y``; percentile bootstrap
    (``bootstrap`` replicates, ``level``) over the points, or over ``clusters`` equal
    consecutive clusters of rows drawn whole (the chains of an ensemble)."""
    y = check_sample(y)
    R = check_positive_int("R", R)
    n, M = y.shape
    check_fit_size(n, R)
    check_rng(rng)
    bootstrap = check_positive_int("bootstrap", bootstrap, minimum=20)
    check_level(level)
    if clusters is not None and n % check_positive_int("clusters", clusters, minimum=2):
        raise InputError("clusters", f"must divide the {n} rows into equal clusters", clusters)
    T = sufficient_statistics(y, R)
    if not np.all(T[:, 0] > 0):
        raise InputError("y", "must have every row off the origin (a direction y / |y| each)",
                         f"{int(np.sum(T[:, 0] == 0))} rows at 0")
    scale = T[:, 0].max()  # the largest |y|^2: the range of the Newton steps' Legendre basis
    fits = ml_fits(T.mean(axis=0), M, scale)
    found = fits[-1]
    if found is None:  # the directions can still be tested
        rayleigh_p, bingham_p = isotropy_p_values(y)
        tests = [p for p in (rayleigh_p, bingham_p) if not math.isnan(p)]
        gof = GoodnessOfFit(math.nan, math.nan, 0, rayleigh_p, bingham_p,
                            min(1.0, len(tests) * min(tests)))
        return RadialFit(None, None, None, None, gof, bootstrap, n,
                         boundary=boundary_fit(y, T, M, fits) if R > 1 else None)
    theta, log_z = found
    law = _law(theta, M)
    counts = resample_counts(n, bootstrap, rng, clusters)
    replicates = _bootstrap_mle(T, counts, M, theta, law, LegendreBasis(R, scale))
    good = replicates[np.all(np.isfinite(replicates), axis=1)]
    failures = bootstrap - good.shape[0]
    if good.shape[0] <= R:  # too few replicates for the intervals and a covariance of rank R
        low = high = covariance = None
    else:
        low, high = percentile_interval(good, level, axis=0)
        low, high = low.tolist(), high.tolist()
        covariance = np.atleast_2d(np.cov(good.T)).tolist()
    return RadialFit(theta.tolist(), low, high, log_z, goodness_of_fit(y, law), failures, n,
                     covariance, clusters=clusters)


__all__ = ['POINTS_PER_PARAMETER', 'GOF_ALPHA', 'check_sample', 'check_scale', 'sufficient_statistics', 'check_fit_size', 'LegendreBasis', 'ml_fits', 'mle', 'resample_counts', 'mahalanobis', 'GoodnessOfFit', 'isotropy_p_values', 'grouping_weights', 'chernoff_lehmann_sf', 'goodness_of_fit', 'RadialFit', 'BoundaryFit', 'boundary_fit', 'fit_radial']
