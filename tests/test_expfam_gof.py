"""The radial fit with many coefficients (issue 16): samples of the family are accepted.

The rotation teacher's outputs (``y = R z``) have the law of the inputs, twelve coefficients
``theta_r = 2^(1-r)``; ``rgproof anneal expfam`` called them "not in the radial family (GOF
p = 0)". The cause: Newton steps solved in the powers ``|y|^(2r)``, whose Hessian has condition
~1e16 at R = 12 (and went indefinite in rounding, which the decrement test read as
convergence), returned the pure top-power start, far from the sample.
"""
import mpmath
import numpy as np
import pytest
from scipy import stats

from rgproof.topics.expfam import RadialLaw
from rgproof.topics.expfam_fit import (
    GOF_ALPHA,
    _moments,
    chernoff_lehmann_sf,
    fit_radial,
    grouping_weights,
    ml_fits,
    sufficient_statistics,
)

#: The data law of the issue: theta_r = 2^(1-r), r = 1..12.
TWELVE = tuple(0.5 ** k for k in range(12))


def _accepted(fit):
    """In the family: an interior fit the goodness of fit accepts, or a supremum at
    ``theta_R -> 0`` whose fit with fewer coefficients it accepts."""
    return fit.in_family or (fit.theta is None and fit.boundary is not None
                             and fit.boundary.gof.in_family)


def _negative_log_likelihood(theta, m):
    return float(np.dot(theta, m)) + RadialLaw(tuple(theta), 2).log_normaliser


@pytest.mark.parametrize("seed, interior", [(0, True), (1, False)])
def test_a_sample_of_a_twelve_coefficient_law_is_in_the_family(seed, interior):
    # measured before the fix: GOF p = 0 for these samples (the returned "fit" was the start)
    rng = np.random.default_rng(seed)
    y = RadialLaw(TWELVE, 2).sample(2400, rng)
    fit = fit_radial(y, 12, rng, bootstrap=20)
    assert (fit.theta is not None) == interior and _accepted(fit)
    if interior:
        assert fit.gof.p_value > 0.01
        # a maximum of the likelihood: no worse than the law the sample was drawn from
        m = sufficient_statistics(y, 12).mean(axis=0)
        assert _negative_log_likelihood(fit.theta, m) <= _negative_log_likelihood(TWELVE, m)
    else:  # the supremum sits at theta_12 -> 0: the fit with fewer coefficients is accepted
        assert fit.boundary.R < 12 and all(s >= 0 for s in fit.boundary.slopes)
        assert fit.boundary.gof.p_value > 0.01


def test_a_stretched_sample_is_still_rejected_with_twelve_coefficients():
    rng = np.random.default_rng(0)
    y = RadialLaw(TWELVE, 2).sample(2400, rng) * [1.0, 1.3]
    fit = fit_radial(y, 12, rng, bootstrap=20)
    assert not _accepted(fit)
    assert fit.gof.bingham_p < GOF_ALPHA


def test_the_fits_with_one_to_six_coefficients_recover_exact_moments():
    theta = (1.0, -1.0, 0.5, 0.1, 0.02, 0.01)
    m = _moments(np.array(theta), 3)[0][0]
    fits = ml_fits(m, 3)
    assert len(fits) == 6
    np.testing.assert_allclose(fits[-1][0], theta, rtol=1e-8)


def test_grouping_weights_against_an_independent_quadrature():
    # theta = (1,), R^2: u = |y|^2 ~ Exp(1). lambda = E[Var(u | bin)] / Var(u) over 20
    # equiprobable bins (equiprobable in |y| and in u alike); the last bin is memoryless.
    law = RadialLaw((1.0,), 2)
    edges = law.quantile(np.arange(1, 20) / 20)
    cuts = [mpmath.mpf(0)] + [mpmath.mpf(float(e)) ** 2 for e in edges] + [mpmath.inf]
    within = 0
    for a, b in zip(cuts[:-1], cuts[1:]):
        mass = mpmath.quad(lambda u: mpmath.exp(-u), [a, b])
        mean = mpmath.quad(lambda u: u * mpmath.exp(-u), [a, b]) / mass
        within += mpmath.quad(lambda u: (u - mean) ** 2 * mpmath.exp(-u), [a, b])
    (weight,) = grouping_weights(law, edges, float(edges[-1]) ** 2)
    assert weight == pytest.approx(float(within), rel=1e-6)  # Var(u) = 1


def test_the_chi_square_null_adds_the_grouping_weights():
    # chi2_7 + lambda chi2_1 is chi2_7 at lambda = 0 and chi2_8 at lambda = 1, exactly
    assert chernoff_lehmann_sf(9.0, 7, [0.0]) == pytest.approx(stats.chi2.sf(9.0, 7), rel=1e-12)
    assert chernoff_lehmann_sf(9.0, 7, [1.0]) == pytest.approx(stats.chi2.sf(9.0, 8), rel=1e-12)
    # in between, the scaled chi-square with the same mean and variance: here a simulation
    draws = np.random.default_rng(0).chisquare(7, 200_000) + 0.5 * np.random.default_rng(
        1).chisquare(1, 200_000)
    assert chernoff_lehmann_sf(14.0, 7, [0.5]) == pytest.approx(np.mean(draws > 14.0), abs=3e-3)
