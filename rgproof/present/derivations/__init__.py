"""Derivations: one module per topic, each with ``derivation()`` returning its steps.

A step (:class:`rgproof.core.latex.Step`) is built from the sympy objects the checks use and
names the claim it supports; :mod:`rgproof.present.derive` runs that claim when it writes the
step, so a derivation never carries a verdict typed by hand.
"""
from . import (annealing_lemma, expfam, flows, ising, ising_anneal, laplace, lgw, postwidder,
               rbm, scaling, summary_notes, theorem4, theorem31, two_point_rg)

#: ``{topic name: derivation function}`` of the topics that have a derivation.
DERIVATIONS = {module.__name__.rsplit(".", 1)[1]: module.derivation
               for module in (ising, lgw, scaling, two_point_rg, ising_anneal, annealing_lemma,
                              postwidder, laplace, theorem31, flows, expfam, theorem4, rbm,
                              summary_notes)}

#: The topics of the LaTeX book (``rgproof derive``), in document order.
BOOK = ("ising", "lgw", "scaling")

__all__ = ["DERIVATIONS", "BOOK"]
