"""rgproof: machine-checked claims linking deep-network training to the renormalization group.

Topic modules: :mod:`rgproof.ising` (1-D Ising decimation), :mod:`rgproof.lgw`
(Landau-Ginzburg-Wilson transformation), :mod:`rgproof.scaling` (continuous-field scaling laws).
The claims ledger is :mod:`rgproof.claims`; the command line is ``rgproof``.
"""
from .errors import InputError

__version__ = "0.1.0"

__all__ = ["InputError", "__version__"]
