"""Maximum-likelihood fit of the radial family ``exp(-sum_r theta_r |y|^(2r)) / Z(theta)`` in R^M.

The family is exponential in ``theta`` with sufficient statistics ``T_r = |y|^(2r)``, so the
negative log-likelihood per point ``theta . mean(T) + ln Z(theta)`` is convex: damped Newton
steps (gradient ``mean(T) - E_theta[T]``, Hessian ``Cov_theta(T)``) find the fit, with
``theta_R > 0`` enforced by the line search. ``Z`` and the moments of ``T`` are radial
quadratures (:class:`rgproof.topics.expfam.RadialLaw`, checked against the high-precision layer
in the tests). The bootstrap resamples the points, or whole clusters of them (the chains of an
ensemble: the points of one chain share its weights, so they are not independent draws), and
refits every replicate at once; its covariance gives a joint (Mahalanobis) test of a value.

With more coefficients than the sample's law has, the ML maximum may lie on the boundary
``theta_R -> 0`` (no maximum with ``theta_R > 0``): :func:`fit_radial` then fits with fewer
coefficients and records that boundary fit, which is not a goodness-of-fit rejection.

A fit alone would turn any sample into numbers; :func:`goodness_of_fit` says whether the sample
is in the family at all: a chi-square test of ``|y|`` against the fitted radial law, and the
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
from scipy import stats

from ..core.errors import InputError
from ..core.validate import check_positive_int
from ..core.stats import check_level, percentile_interval
from .expfam import RadialLaw

#: The fit needs at least this many points per fitted coefficient (and the chi-square test
#: then has bins with at least 50 expected points, well above the usual 5).
POINTS_PER_PARAMETER = 50
#: Most bins of the chi-square test of |y|.
MAX_BINS = 20
#: A sample whose combined goodness-of-fit p-value is below this is not in the family.
GOF_ALPHA = 1e-3
#: Newton iterations at most, and the Newton decrement (squared) at which the fit has converged.
MAX_NEWTON, DECREMENT = 100, 1e-24
#: Quadrature cells for the bootstrap refits: the replicates only need ~1e-10 relative accuracy
#: (far inside any interval), which 32 cells of 20 nodes give with a wide margin.
BOOTSTRAP_CELLS = 32


def sufficient_statistics(y, R):
    """``T_r = |y|^(2r)``, r = 1..R, for rows ``y``: (n x R)."""
    u = (np.asarray(y, dtype=np.float64) ** 2).sum(axis=-1)
    return u[:, None] ** np.arange(1, R + 1)


def check_fit_size(n, R, name="y", what="points"):
    """At least ``POINTS_PER_PARAMETER * R`` points for an R-coefficient fit."""
    need = POINTS_PER_PARAMETER * R
    if n < need:
        raise InputError(name, f"the fit of R = {R} coefficients needs at least "
                               f"{POINTS_PER_PARAMETER} points per coefficient, {need} in all",
                         f"{what} = {n}")


def _moments(theta, M, law=None):
    """``E_theta[T]`` (R,) and ``Cov_theta(T)`` (R x R) by the radial quadrature."""
    law = law or RadialLaw(tuple(theta), M)
    nodes, weights = law.quadrature()
    return _weighted_moments(np.asarray(theta)[None], M, nodes, weights)


def _weighted_moments(thetas, M, nodes, weights):
    """Mean (B, R) and covariance (B, R, R) of T under each row of ``thetas`` on fixed nodes."""
    R = thetas.shape[1]
    u = nodes * nodes
    T = u[:, None] ** np.arange(1, R + 1)  # (J, R)
    with np.errstate(divide="ignore"):
        log_f = (M - 1) * np.log(nodes)[None] - thetas @ T.T if M > 1 else -thetas @ T.T
    log_f -= log_f.max(axis=1, keepdims=True)
    p = np.exp(log_f) * weights
    p /= p.sum(axis=1, keepdims=True)
    mean = p @ T
    # E[T T^T] - mean mean^T: T is O(1) on the support, so the subtraction loses little
    second = (p @ (T[:, :, None] * T[:, None, :]).reshape(-1, R * R)).reshape(-1, R, R)
    return mean, second - mean[:, :, None] * mean[:, None, :]


def _objective(theta, m, M):
    """``theta . m + ln Z(theta)``, or inf where the family is not integrable."""
    if not theta[-1] > 0:
        return math.inf, None
    law = RadialLaw(tuple(theta), M)
    return float(theta @ m) + law.log_normaliser, law


def _start(m, M):
    """``theta_R = M / (2 R m_R)``, the others 0: the pure top-power fit (``E[u^R] = M/(2R theta_R)``)."""
    R = m.size
    theta = np.zeros(R)
    theta[-1] = M / (2 * R * m[-1])
    return theta


def mle(m, M, theta0=None):
    """The ML coefficients for mean sufficient statistics ``m`` (R,) in R^M, or None when the
    maximum is not attained at ``theta_R > 0`` (e.g. a supremum on the boundary ``theta_R -> 0``,
    which :func:`boundary_fit` looks for). Returns ``(theta, ln Z(theta))``."""
    m = np.asarray(m, dtype=np.float64)
    theta = _start(m, M) if theta0 is None else np.array(theta0, dtype=np.float64)
    value, law = _objective(theta, m, M)
    for _ in range(MAX_NEWTON):
        mean, cov = _moments(theta, M, law)
        gradient = m - mean[0]
        try:
            step = -np.linalg.solve(cov[0], gradient)
        except np.linalg.LinAlgError:
            return None
        decrement = -float(gradient @ step)
        if decrement <= DECREMENT:
            return theta, law.log_normaliser
        size = 1.0
        while size > 1e-12:  # backtracking (Armijo) line search inside theta_R > 0
            trial = theta + size * step
            trial_value, trial_law = _objective(trial, m, M)
            # the objective's own rounding would stall the search near the optimum
            if trial_value <= value - 0.25 * size * decrement + 1e-14 * abs(value):
                break
            size /= 2
        else:
            return None
        theta, value, law = trial, trial_value, trial_law
    return None


def _bootstrap_mle(T, counts, M, theta, law):
    """Refit every replicate (rows of ``counts``) by Newton steps from the full-sample fit, on
    the quadrature nodes of the full fit (the replicates lie close to it). NaN rows: failures."""
    m = counts @ T / counts.sum(axis=1, keepdims=True)
    nodes, weights = law.quadrature(BOOTSTRAP_CELLS)
    thetas = np.repeat(theta[None], m.shape[0], axis=0)
    ok = np.ones(m.shape[0], dtype=bool)
    for _ in range(30):
        mean, cov = _weighted_moments(thetas, M, nodes, weights)
        with np.errstate(all="ignore"):
            try:
                step = np.linalg.solve(cov, (mean - m)[..., None])[..., 0]
            except np.linalg.LinAlgError:
                return np.full_like(thetas, np.nan)
        thetas = thetas + step
        ok &= np.all(np.isfinite(thetas), axis=1) & (thetas[:, -1] > 0)
        thetas[~ok] = theta
        if np.all(np.abs(step[ok]) <= 1e-10 * (1 + np.abs(thetas[ok]))):  # far inside the CI
            break
    thetas[~ok] = np.nan
    return thetas


def resample_counts(n, replicates, rng, clusters=None):
    """How often each of ``n`` points is drawn in each bootstrap replicate: (replicates x n).
    With ``clusters``, the rows are that many equal consecutive clusters, drawn whole.

    >>> resample_counts(6, 2, np.random.default_rng(0), clusters=3)
    array([[0., 0., 2., 2., 1., 1.],
           [3., 3., 0., 0., 0., 0.]])
    """
    units = n if clusters is None else clusters
    draws = rng.integers(0, units, (replicates, units)) + units * np.arange(replicates)[:, None]
    counts = np.bincount(draws.ravel(), minlength=replicates * units).reshape(replicates, units)
    return np.repeat(counts, n // units, axis=1).astype(np.float64)


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
    center, values = np.asarray(center, dtype=np.float64), np.asarray(values, dtype=np.float64)
    R = center.size
    if center.shape != values.shape or (clusters is not None and clusters <= R):
        return None
    diff = values - center
    d2 = float(diff @ np.linalg.lstsq(np.asarray(covariance, dtype=np.float64), diff,
                                      rcond=None)[0])
    quantile = float(stats.chi2.ppf(level, R) if clusters is None else
                     clusters * R / (clusters - R) * stats.f.ppf(level, R, clusters - R))
    return d2, quantile, d2 <= quantile


@dataclass(frozen=True)
class GoodnessOfFit:
    """The tests that the sample belongs to the radial family.

    ``radial_*``: chi-square of ``|y|`` in equiprobable bins of the fitted law (``bins - 1 - R``
    degrees of freedom); ``rayleigh_*`` / ``bingham_*``: uniformity of ``y / |y|`` on the sphere
    (mean direction; second moments, M >= 2). ``p_value`` is the Bonferroni combination.
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
    y = np.asarray(y, dtype=np.float64)
    n, M = y.shape
    u = y / np.linalg.norm(y, axis=1, keepdims=True)
    mean = u.mean(axis=0)
    rayleigh = float(stats.chi2.sf(n * M * float(mean @ mean), M))
    if M == 1:
        return rayleigh, math.nan
    S = u.T @ u / n
    bingham_stat = n * M * (M + 2) / 2 * (float(np.sum(S * S)) - 1 / M)
    return rayleigh, float(stats.chi2.sf(bingham_stat, (M - 1) * (M + 2) // 2))


def goodness_of_fit(y, law):
    """:class:`GoodnessOfFit` of rows ``y`` against the fitted :class:`RadialLaw` ``law``."""
    y = np.asarray(y, dtype=np.float64)
    n, R = y.shape[0], len(law.theta)
    bins = max(R + 2, min(MAX_BINS, n // POINTS_PER_PARAMETER))
    edges = law.quantile(np.arange(1, bins) / bins)
    counts = np.bincount(np.searchsorted(edges, np.linalg.norm(y, axis=1)), minlength=bins)
    expected = n / bins
    chi2 = float(((counts - expected) ** 2).sum() / expected)
    radial_p = float(stats.chi2.sf(chi2, bins - 1 - R))
    rayleigh_p, bingham_p = isotropy_p_values(y)
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


def boundary_fit(y, T, M):
    """:class:`BoundaryFit` for rows ``y`` (statistics ``T``, n x R) whose R-coefficient fit has
    no maximum with ``theta_R > 0``: the largest R' < R with an ML fit whose slopes along the
    dropped coefficients are all >= 0; None if there is none."""
    m = T.mean(axis=0)
    R = m.size
    for k in range(R - 1, 0, -1):
        found = mle(m[:k], M)
        if found is None:
            continue
        law = RadialLaw(tuple(found[0]), M)
        padded = np.concatenate([found[0], np.zeros(R - k)])
        mean, _ = _weighted_moments(padded[None], M, *law.quadrature())
        slopes = (m - mean[0])[k:]
        if np.all(slopes >= 0):
            return BoundaryFit(k, found[0].tolist(), goodness_of_fit(y, law), slopes.tolist())
        return None
    return None


def fit_radial(y, R, rng, bootstrap=200, level=0.95, clusters=None):
    """Fit ``exp(-sum_{r<=R} theta_r |y|^(2r))`` in R^M to rows ``y``; percentile bootstrap
    (``bootstrap`` replicates, ``level``) over the points, or over ``clusters`` equal
    consecutive clusters of rows drawn whole (the chains of an ensemble)."""
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 2 or not np.all(np.isfinite(y)):
        raise InputError("y", "must be a finite (n x M) array", getattr(y, "shape", y))
    R = check_positive_int("R", R)
    n, M = y.shape
    check_fit_size(n, R)
    bootstrap = check_positive_int("bootstrap", bootstrap, minimum=20)
    check_level(level)
    if clusters is not None and n % check_positive_int("clusters", clusters, minimum=2):
        raise InputError("clusters", f"must divide the {n} rows into equal clusters", clusters)
    T = sufficient_statistics(y, R)
    found = mle(T.mean(axis=0), M)
    if found is None:  # the directions can still be tested
        rayleigh_p, bingham_p = isotropy_p_values(y)
        tests = [p for p in (rayleigh_p, bingham_p) if not math.isnan(p)]
        gof = GoodnessOfFit(math.nan, math.nan, 0, rayleigh_p, bingham_p,
                            min(1.0, len(tests) * min(tests)))
        return RadialFit(None, None, None, None, gof, bootstrap, n,
                         boundary=boundary_fit(y, T, M) if R > 1 else None)
    theta, log_z = found
    law = RadialLaw(tuple(theta), M)
    counts = resample_counts(n, bootstrap, rng, clusters)
    replicates = _bootstrap_mle(T, counts, M, theta, law)
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


__all__ = ['POINTS_PER_PARAMETER', 'GOF_ALPHA', 'sufficient_statistics', 'check_fit_size', 'mle', 'resample_counts', 'mahalanobis', 'GoodnessOfFit', 'isotropy_p_values', 'goodness_of_fit', 'RadialFit', 'BoundaryFit', 'boundary_fit', 'fit_radial']
