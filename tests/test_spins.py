"""The one enumeration of spin states (rgproof.core.spins.configurations) and its users."""
from itertools import product

import numpy as np
import pytest

from rgproof.core import spins
from rgproof.core.errors import InputError
from rgproof.experiments import network
from rgproof.topics import ising


def product_reference(n):
    """All states by itertools.product, independently of the bit arithmetic: row k has spin i
    equal to -1 exactly when bit i of k is set, so spin 0 varies fastest (product varies its
    last factor fastest, hence the reversal)."""
    return np.array([row[::-1] for row in product((1, -1), repeat=n)])


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10])
def test_configurations_match_itertools_product(n):
    states = spins.configurations(n)
    assert states.dtype == np.int8
    np.testing.assert_array_equal(states, product_reference(n))


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.float32])
def test_configurations_in_another_dtype_are_the_same_states(dtype):
    states = spins.configurations(6, dtype)
    assert states.dtype == dtype
    np.testing.assert_array_equal(states, product_reference(6))


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, spins.MAX_CONFIGURATION_SITES + 1])
def test_configurations_refuse_bad_sizes(bad):
    with pytest.raises(InputError) as info:
        spins.configurations(bad)
    assert info.value.parameter == "n"


def spy_on_configurations(monkeypatch, module):
    """Count the calls that ``module`` makes to its imported ``configurations``."""
    calls = []

    def counted(n, dtype=np.int8):
        calls.append((n, np.dtype(dtype)))
        return spins.configurations(n, dtype)

    monkeypatch.setattr(module, "configurations", counted)
    return calls


def test_hypercube_is_the_core_enumeration(monkeypatch):
    calls = spy_on_configurations(monkeypatch, network)
    X = network.hypercube(5)
    assert calls == [(5, np.dtype(np.float64))]
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, product_reference(5))
    assert network.hypercube(3, np.float32).dtype == np.float32


def test_bond_sum_histogram_is_built_on_the_core_enumeration(monkeypatch):
    calls = spy_on_configurations(monkeypatch, ising)
    histogram = ising.bond_sum_histogram(6)
    assert calls == [(6, np.dtype(np.int64))]
    reference = {}
    for row in product_reference(6):
        s = int(sum(row[i] * row[(i + 1) % 6] for i in range(6)))
        reference[s] = reference.get(s, 0) + 1
    assert histogram == dict(sorted(reference.items()))
