"""core.validate: one home for every input rule, used by every topic, the sweep and the report."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy

from rgproof.core import validate
from rgproof.core.errors import InputError
from rgproof.experiments import sweep
from rgproof.present import report
from rgproof.topics import expfam, laplace, scaling


@pytest.mark.parametrize("value", [0.1, np.float64(-2.5e-300), np.float32(0.3), mpmath.mpf(1) / 3])
def test_check_real_keeps_every_bit_under_any_global_precision(value):
    with mpmath.workdps(60):
        reference = validate.check_real("x", value)
    with mpmath.workdps(5):
        low = validate.check_real("x", value)
    assert low == reference and low._mpf_ == reference._mpf_


@pytest.mark.parametrize("value", [float("nan"), float("inf"), mpmath.inf, 1j, "1", True, None])
def test_check_real_refuses_with_the_parameter_name(value):
    with pytest.raises(InputError, match="^J: "):
        validate.check_real("J", value)


def test_exact_inputs_stay_exact_and_mpf_becomes_its_rational():
    assert validate.check_real("x", Fraction(1, 3)) == sympy.Rational(1, 3)
    assert validate.check_real_exact("x", mpmath.mpf(-0.75)) == sympy.Rational(-3, 4)


def test_one_check_theta_for_every_topic():
    assert validate.check_theta([1, mpmath.mpf(0.5)]) == (1, sympy.Rational(1, 2))
    assert validate.check_theta([1, 0.5], kind="float") == (1.0, 0.5)
    assert validate.check_theta([1, 0.5], kind="real")[1] == mpmath.mpf(0.5)
    # the topics use it: laplace exposes it, scaling and the exponential family call it
    assert laplace.check_theta is validate.check_theta
    for bad in ([1, 0], [1, -2]):
        for call in (lambda: laplace.generating_function(bad, 1, 0),
                     lambda: scaling.log_partition(bad, 2),
                     lambda: expfam.ExpFamily(bad, np.eye(1), np.zeros(1))):
            with pytest.raises(InputError, match="^theta_2: the highest coefficient") as err:
                call()
            assert err.value.value == bad[-1]  # the value as the user typed it


@pytest.mark.parametrize("theta, parameter", [((), "theta"), ("12", "theta"), (5, "theta"),
                                              ((1, float("nan")), "theta_2")])
def test_check_theta_refuses(theta, parameter):
    with pytest.raises(InputError) as err:
        validate.check_theta(theta)
    assert err.value.parameter == parameter


def test_the_typed_field_table_serves_the_sweep_and_the_report():
    assert validate.check_field("f", 3, "integer") == 3
    with pytest.raises(InputError, match="f: must be an integer or null"):
        validate.check_field("f", 3.0, "integer", "null")
    with pytest.raises(InputError, match="kind"):
        validate.check_field("f", 3, "colour")
    assert set(sweep.FIELD_KINDS.values()) <= set(validate.FIELD_KINDS)
    assert {k for kinds in report.ROW_FIELDS.values() for k in kinds} <= set(validate.FIELD_KINDS)


def test_to_float_does_not_read_the_global_precision():
    with mpmath.workdps(5):
        assert validate.to_float(sympy.Rational(1, 3)) == 1 / 3
        assert validate.to_float(validate.check_real("x", 0.1)) == 0.1
