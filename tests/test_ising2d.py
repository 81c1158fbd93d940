import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import claims, ising2d
from rgproof.claims import ising2d as ising2d_claims
from rgproof.core import ledger as ledger_core
from rgproof.core import spins as spins_core
from rgproof.core.errors import InputError
from rgproof.core.precision import workdps

TORI = [(2, 2), (3, 3), (4, 4), (2, 3), (3, 2), (2, 5), (3, 4), (4, 3), (2, 8)]


@pytest.mark.parametrize("rows, cols", TORI)
@pytest.mark.parametrize("K", [sympy.Rational(1, 20), ising2d_claims.CRITICAL_COUPLING,
                               sympy.Rational(3, 5), 3])
def test_kaufman_matches_enumeration(rows, cols, K):
    kaufman = ising2d.log_partition(rows, K, dps=40, cols=cols)
    brute = ising2d.log_partition_enumerated(rows, K, dps=40, cols=cols)
    assert kaufman.digits == 40
    assert mpmath.almosteq(kaufman.value, brute.value, mpmath.mpf(10) ** -38)


@settings(max_examples=25, deadline=None)
@given(K=st.floats(0.01, 4.0), side=st.sampled_from([(2, 2), (3, 3), (2, 4), (4, 4)]))
def test_kaufman_matches_enumeration_for_any_positive_coupling(K, side):
    a = ising2d.log_partition(side[0], K, dps=25, cols=side[1]).value
    b = ising2d.log_partition_enumerated(side[0], K, dps=25, cols=side[1]).value
    assert mpmath.almosteq(a, b, mpmath.mpf(10) ** -22 * abs(b))


def test_large_lattice_approaches_onsager_at_criticality():
    # Onsager: ln Z / N -> ln(2)/2 + 2G/pi at K_c (G Catalan's constant); finite size ~ 1/L^2
    L = 128
    per_site = ising2d.log_partition(L, ising2d_claims.CRITICAL_COUPLING, dps=30).value / L ** 2
    with workdps(30):
        onsager = mpmath.log(2) / 2 + 2 * mpmath.catalan / mpmath.pi
    assert abs(per_site - onsager) < 1e-4
    assert abs(per_site - onsager) > 1e-8  # a finite lattice is not the limit


def test_rectangles_are_symmetric_and_zero_coupling_counts_states():
    a = ising2d.log_partition(3, 0.7, dps=30, cols=4).value
    b = ising2d.log_partition(4, 0.7, dps=30, cols=3).value
    assert mpmath.almosteq(a, b, 1e-28)
    with workdps(30):
        assert ising2d.log_partition(3, 0, dps=30).value == 9 * mpmath.log(2)


def test_antiferromagnet_on_even_torus_equals_ferromagnet():
    for K in (0.3, 1.2):
        neg = ising2d.log_partition(4, -K, dps=30)
        assert neg.value == ising2d.log_partition(4, K, dps=30).value
        assert mpmath.almosteq(neg.value, ising2d.log_partition_enumerated(4, -K, dps=30).value,
                               1e-27)


def test_bond_sums_and_histogram():
    spins = spins_core.configurations(16)
    sums = ising2d.torus_bond_sums(spins, 4)
    assert sums[0] == 32  # all up: every one of the 2 L^2 bonds satisfied
    checkerboard = np.array([[1 - 2 * ((r + c) % 2) for r in range(4) for c in range(4)]])
    assert ising2d.torus_bond_sums(checkerboard, 4).tolist() == [-32]
    histogram = ising2d.bond_sum_histogram(4)
    assert sum(histogram.values()) == 2 ** 16
    assert histogram[32] == 2 and 28 not in histogram  # one flip breaks 4 bonds: 32 - 8 = 24
    assert histogram[24] == 32


def test_configurations_order():
    assert spins_core.configurations(3)[5].tolist() == [-1, 1, -1]


@pytest.mark.parametrize("call, parameter", [
    (lambda: ising2d.log_partition(1, 0.5), "L"),
    (lambda: ising2d.log_partition(3, 0.5, cols=1), "cols"),
    (lambda: ising2d.log_partition(3, float("nan")), "K"),
    (lambda: ising2d.log_partition(3, 1j), "K"),
    (lambda: ising2d.log_partition(3, -0.5), "K"),
    (lambda: ising2d.log_partition(4, -0.5, cols=3), "K"),
    (lambda: ising2d.log_partition_enumerated(5, 0.5), "L"),
    (lambda: spins_core.configurations(21), "n"),
    (lambda: ising2d.torus_bond_sums(np.ones((2, 5)), 2), "spins"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.parameter == parameter


def test_claim_holds_and_can_fail(monkeypatch):
    check = ledger_core._REGISTRY["ising2d.kaufman"]
    outcome = claims.run(check, claims.Context(dps=30)).outcome
    assert outcome.verdict == "holds" and outcome.digits == 30
    exact = ising2d.kaufman_log_z
    monkeypatch.setattr(ising2d_claims, "kaufman_log_z",
                        lambda ctx, rows, cols, k: exact(ctx, rows, cols, k) + ctx.mpf(10) ** -20)
    broken = claims.run(check, claims.Context(dps=30)).outcome
    assert broken.verdict == "fails"
