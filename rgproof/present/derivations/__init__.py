"""Derivations: one module per topic, each with ``derivation()`` returning its steps.

A step (:class:`rgproof.core.latex.Step`) is built from the sympy objects the checks use and
names the claims it supports; :mod:`rgproof.present.derive` runs those claims when it writes the
step, so a derivation never carries a verdict typed by hand.
"""
from . import (annealing_lemma, expfam, flows, ising, ising2d, ising_anneal, laplace, lgw,
               neuralrg, postwidder, rbm, scaling, summary_notes, theorem4, theorem31,
               two_point_rg)

#: ``{topic name: derivation function}`` of the topics that have a derivation.
DERIVATIONS = {module.__name__.rsplit(".", 1)[1]: module.derivation
               for module in (ising, lgw, scaling, two_point_rg, ising_anneal, annealing_lemma,
                              postwidder, ising2d, laplace, theorem31, neuralrg, flows, expfam,
                              theorem4, rbm, summary_notes)}

#: The topics of the LaTeX book (``rgproof derive``), in reading order; the book groups them
#: into a part per source (the topic's ``paper``), each part in the order of its first topic.
BOOK = ("ising", "ising_anneal", "annealing_lemma", "lgw", "scaling", "two_point_rg", "laplace",
        "postwidder", "theorem31", "expfam", "theorem4", "rbm", "neuralrg", "flows", "ising2d",
        "summary_notes")

__all__ = ["DERIVATIONS", "BOOK"]
