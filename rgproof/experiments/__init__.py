"""Experiments (layer 3 of 6): the annealing engine and the runs built on it.

The engine (:mod:`.network`, :mod:`.ensemble`, :mod:`.annealing`), the Ising and
exponential-family experiments (:mod:`.ising`, :mod:`.expfam`) and parameter sweeps
(:mod:`.sweep`). Imports :mod:`rgproof.core` and :mod:`rgproof.topics`.
"""
