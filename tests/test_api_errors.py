"""Every public function of the exponential-family topics and of the precision core raises
:class:`InputError` naming the parameter for bad input, not a numpy, mpmath or TypeError.
"""
import mpmath
import numpy as np
import pytest

from rgproof.core import precision
from rgproof.core.errors import InputError
from rgproof.topics import expfam, expfam_fit

LAW = expfam.RadialLaw((0.5, 0.25), 2)
FAMILY = expfam.ExpFamily((1.0, 0.5), A=[[2.0, 0.0], [0.0, 1.0]])
Y = LAW.sample(400, np.random.default_rng(0))
RNG = np.random.default_rng(1)
NAN = float("nan")

CASES = [
    # rgproof.topics.expfam
    ("check_b: N text", lambda: expfam.check_b([1, 2], "x"), "N"),
    ("check_b: text", lambda: expfam.check_b("ab", 2), "b"),
    ("check_spd: N negative", lambda: expfam.check_spd(np.eye(2), -1), "N"),
    ("check_spd: ragged", lambda: expfam.check_spd([[1, 2], [3]]), "A"),
    ("log_sphere_area: dim 0", lambda: expfam.log_sphere_area(0), "dim"),
    ("log_sphere_area: text", lambda: expfam.log_sphere_area("x"), "dim"),
    ("cell_quadrature: lo text", lambda: expfam.cell_quadrature("a", 1), "lo"),
    ("cell_quadrature: lo NaN", lambda: expfam.cell_quadrature(NAN, 1), "lo"),
    ("cell_quadrature: empty", lambda: expfam.cell_quadrature(1, 0), "hi"),
    ("cell_quadrature: cells 0", lambda: expfam.cell_quadrature(0, 1, 0), "cells"),
    ("radial_support: dim 0", lambda: expfam.radial_support((1.0,), 0), "dim"),
    ("radial_support: NaN", lambda: expfam.radial_support((NAN,), 2), "theta_1"),
    ("RadialLaw: text theta", lambda: expfam.RadialLaw("ab", 2), "theta"),
    ("RadialLaw: dim 2.5", lambda: expfam.RadialLaw((0.5,), 2.5), "dim"),
    ("RadialLaw.log_density: text", lambda: LAW.log_density("x"), "rho"),
    ("RadialLaw.cdf: NaN", lambda: LAW.cdf(NAN), "rho"),
    ("RadialLaw.quantile: 1.5", lambda: LAW.quantile(1.5), "q"),
    ("RadialLaw.quantile: NaN", lambda: LAW.quantile([0.5, NAN]), "q"),
    ("RadialLaw.quadrature: cells 0", lambda: LAW.quadrature(0), "cells"),
    ("RadialLaw.sample: n negative", lambda: LAW.sample(-1, RNG), "n"),
    ("RadialLaw.sample: n 0", lambda: LAW.sample(0, RNG), "n"),
    ("RadialLaw.sample: rng text", lambda: LAW.sample(3, "rng"), "rng"),
    ("ExpFamily: b text", lambda: expfam.ExpFamily((1.0,), np.eye(2), b="x"), "b"),
    ("ExpFamily: b NaN", lambda: expfam.ExpFamily((1.0,), np.eye(2), b=[NAN, 1]), "b_1"),
    ("ExpFamily.sample: rng int", lambda: FAMILY.sample(3, 5), "rng"),
    ("ExpFamily.z_of_x: wrong shape", lambda: FAMILY.z_of_x([[1, 2, 3]]), "x"),
    ("ExpFamily.x_of_z: text", lambda: FAMILY.x_of_z("z"), "z"),
    ("ExpFamily.hamiltonian: complex", lambda: FAMILY.hamiltonian([[1j, 0]]), "x"),
    ("ExpFamily.log_density: wrong shape", lambda: FAMILY.log_density([1, 2, 3]), "x"),
    # rgproof.topics.expfam_fit
    ("check_sample: 1-D", lambda: expfam_fit.check_sample([1.0, 2.0]), "y"),
    ("check_sample: empty", lambda: expfam_fit.check_sample(np.zeros((0, 2))), "y"),
    ("check_scale: 0", lambda: expfam_fit.check_scale(0.0), "scale"),
    ("sufficient_statistics: text", lambda: expfam_fit.sufficient_statistics("x", 2), "y"),
    ("sufficient_statistics: R 0", lambda: expfam_fit.sufficient_statistics(Y, 0), "R"),
    ("sufficient_statistics: overflow", lambda: expfam_fit.sufficient_statistics(Y * 1e160, 2),
     "y"),
    ("check_fit_size: n text", lambda: expfam_fit.check_fit_size("x", 2), "y"),
    ("check_fit_size: R text", lambda: expfam_fit.check_fit_size(10, "x"), "R"),
    ("LegendreBasis: scale NaN", lambda: expfam_fit.LegendreBasis(2, NAN), "scale"),
    ("LegendreBasis: R 0", lambda: expfam_fit.LegendreBasis(0, 1.0), "R"),
    ("ml_fits: empty", lambda: expfam_fit.ml_fits([], 2), "m"),
    ("ml_fits: zero moment", lambda: expfam_fit.ml_fits([0.0, 0.0], 2), "m"),
    ("ml_fits: text", lambda: expfam_fit.ml_fits("ab", 2), "m"),
    ("ml_fits: M text", lambda: expfam_fit.ml_fits([1.0, 2.0], "x"), "M"),
    ("ml_fits: scale negative", lambda: expfam_fit.ml_fits([1.0, 2.0], 2, scale=-1.0), "scale"),
    ("mle: M 2.5", lambda: expfam_fit.mle([1.0, 2.0], 2.5), "M"),
    ("resample_counts: n negative", lambda: expfam_fit.resample_counts(-1, 5, RNG), "n"),
    ("resample_counts: replicates 0", lambda: expfam_fit.resample_counts(6, 0, RNG),
     "replicates"),
    ("resample_counts: clusters 4 of 6", lambda: expfam_fit.resample_counts(6, 2, RNG, 4),
     "clusters"),
    ("resample_counts: rng text", lambda: expfam_fit.resample_counts(6, 2, "rng"), "rng"),
    ("mahalanobis: text", lambda: expfam_fit.mahalanobis("a", [[1]], [1], 0.95), "center"),
    ("mahalanobis: NaN", lambda: expfam_fit.mahalanobis([NAN], [[1]], [1], 0.95), "center"),
    ("mahalanobis: covariance shape",
     lambda: expfam_fit.mahalanobis([0, 0], [[1]], [1, 1], 0.95), "covariance"),
    ("mahalanobis: empty", lambda: expfam_fit.mahalanobis([], [], [], 0.95), "center"),
    ("mahalanobis: level", lambda: expfam_fit.mahalanobis([0], [[1]], [1], 2), "level"),
    ("isotropy_p_values: rows at 0",
     lambda: expfam_fit.isotropy_p_values(np.zeros((5, 2))), "y"),
    ("isotropy_p_values: NaN",
     lambda: expfam_fit.isotropy_p_values(np.full((5, 2), np.nan)), "y"),
    ("goodness_of_fit: law text", lambda: expfam_fit.goodness_of_fit(Y, "law"), "law"),
    ("goodness_of_fit: law in R^3",
     lambda: expfam_fit.goodness_of_fit(Y, expfam.RadialLaw((0.5,), 3)), "law"),
    ("goodness_of_fit: rows at 0",
     lambda: expfam_fit.goodness_of_fit(np.zeros((400, 2)), LAW), "y"),
    ("grouping_weights: edges text", lambda: expfam_fit.grouping_weights(LAW, "x", 1.0),
     "edges"),
    ("grouping_weights: edges outside",
     lambda: expfam_fit.grouping_weights(LAW, [1.0, 100.0], 1.0), "edges"),
    ("grouping_weights: scale 0", lambda: expfam_fit.grouping_weights(LAW, [1.0], 0.0), "scale"),
    ("chernoff_lehmann_sf: NaN", lambda: expfam_fit.chernoff_lehmann_sf(NAN, 3, []), "chi2"),
    ("chernoff_lehmann_sf: dof 0", lambda: expfam_fit.chernoff_lehmann_sf(1.0, 0, []), "dof"),
    ("chernoff_lehmann_sf: weight 2",
     lambda: expfam_fit.chernoff_lehmann_sf(1.0, 3, [2.0]), "weights"),
    ("boundary_fit: T text",
     lambda: expfam_fit.boundary_fit(Y, "T", 2), "T"),
    ("boundary_fit: M 0",
     lambda: expfam_fit.boundary_fit(Y, expfam_fit.sufficient_statistics(Y, 3), 0), "M"),
    ("fit_radial: text", lambda: expfam_fit.fit_radial("x", 2, RNG), "y"),
    ("fit_radial: ragged", lambda: expfam_fit.fit_radial([[1, 2], [3]] * 50, 1, RNG), "y"),
    ("fit_radial: complex", lambda: expfam_fit.fit_radial(Y * 1j, 1, RNG), "y"),
    ("fit_radial: rows at 0", lambda: expfam_fit.fit_radial(np.zeros((400, 2)), 2, RNG), "y"),
    ("fit_radial: overflow", lambda: expfam_fit.fit_radial(Y * 1e160, 2, RNG), "y"),
    ("fit_radial: rng text", lambda: expfam_fit.fit_radial(Y, 2, "rng"), "rng"),
    # rgproof.core.precision
    ("guard_digits: text", lambda: precision.guard_digits("x"), "dps"),
    ("digits_from_error: text", lambda: precision.digits_from_error("a", 1, 10), "error"),
    ("digits_from_error: scale None", lambda: precision.digits_from_error(1, None, 10), "scale"),
    ("digits_from_error: cap negative", lambda: precision.digits_from_error(0, 1, -3), "cap"),
    ("cancellation_digits: NaN", lambda: precision.cancellation_digits(mpmath.nan), "largest"),
    ("cancellation_digits: inf", lambda: precision.cancellation_digits(mpmath.inf), "largest"),
    ("cancellation_digits: complex", lambda: precision.cancellation_digits(1j), "largest"),
    ("cancellation_digits: total inf",
     lambda: precision.cancellation_digits(1, mpmath.inf), "total"),
    ("agreed_digits: list", lambda: precision.agreed_digits([1], 1, 5), "a"),
    ("agreed_digits: None", lambda: precision.agreed_digits(1, None, 5), "b"),
    ("agreed_digits: cap text", lambda: precision.agreed_digits(1, 1, "x"), "cap"),
    ("certify: not callable", lambda: precision.certify(1, 30), "compute"),
    ("certify: returns text", lambda: precision.certify(lambda: "abc", 30), "compute"),
    ("certify: guard 0", lambda: precision.certify(lambda: mpmath.pi, 30, guard=0), "guard"),
    ("certify: lengths differ",
     lambda: precision.certify(lambda: [1] * (1 + (mpmath.mp.dps > 30)), 30), "compute"),
    ("evaluate: not callable", lambda: precision.evaluate(None, 30), "compute"),
    ("compare: rhs not callable", lambda: precision.compare(lambda: 1, 2, 30), "rhs"),
    ("binary_parts: float", lambda: precision.binary_parts(1.5), "value"),
    ("binary_parts: inf", lambda: precision.binary_parts(mpmath.inf), "value"),
    ("series_function: not a sequence", lambda: precision.series_function("exp", 5),
     "coefficients"),
    ("series_function: text entry", lambda: precision.series_function("exp", [1, "a"]),
     "coefficients"),
    ("arb_to_mpf: int", lambda: precision.arb_to_mpf(1), "value"),
    ("ball: not callable", lambda: precision.ball(1, 30), "compute"),
]


@pytest.mark.parametrize("call, parameter", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_an_input_error_naming_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
