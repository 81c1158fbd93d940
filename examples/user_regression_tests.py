"""Regression tests a user can copy into their own pytest suite.

Run: python -m pytest examples/user_regression_tests.py
"""
import sympy

from rgproof import ising
from rgproof.testing import assert_agree, assert_symbolic_equal


def test_decimation_recursion_is_half_log_cosh():
    assert_symbolic_equal(ising.decimation().coupling, sympy.log(sympy.cosh(2 * ising.J)) / 2)


def test_tanh_of_decimated_coupling_is_tanh_squared():
    J = ising.J
    assert_agree(sympy.tanh(ising.decimation().coupling), sympy.tanh(J) ** 2, digits=40,
                 points=[{J: sympy.Rational(k, 7)} for k in (-9, 1, 4, 20)])


def test_log_partition_by_two_routes_at_60_digits():
    assert_agree(lambda: ising.log_partition(64, sympy.Rational(3, 10), dps=80).value,
                 lambda: ising.log_partition_by_decimation(64, sympy.Rational(3, 10), dps=80).value,
                 digits=60)
