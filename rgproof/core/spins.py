"""Spin configurations: every state of n Ising spins, enumerated once."""
import numpy as np

from .errors import InputError
from .validate import check_positive_int

#: Largest number of spins :func:`configurations` lists (2^20 rows).
MAX_CONFIGURATION_SITES = 20


def configurations(n, dtype=np.int8):
    """All ``2^n`` configurations of ``n`` spins as rows of +-1 (``dtype``, int8 by default),
    state k = bits of k: the one enumeration of spin states in rgproof.

    Bit ``i`` of the row index set means spin ``i`` is -1 (so row 0 is all +1 and spin 0 flips
    fastest), the convention of :func:`rgproof.topics.ising.bond_sum_histogram`, of the inputs
    :func:`rgproof.experiments.network.hypercube` and of every enumerated sum built on them.

    >>> configurations(2).tolist()
    [[1, 1], [-1, 1], [1, -1], [-1, -1]]
    >>> configurations(1, np.float64)
    array([[ 1.],
           [-1.]])
    """
    n = check_positive_int("n", n)
    if n > MAX_CONFIGURATION_SITES:
        raise InputError("n", f"listing all configurations is limited to n <= "
                              f"{MAX_CONFIGURATION_SITES}", n)
    states = np.arange(2 ** n, dtype=np.int64)
    return (1 - 2 * ((states[:, None] >> np.arange(n)) & 1)).astype(dtype)


__all__ = ['MAX_CONFIGURATION_SITES', 'configurations']
