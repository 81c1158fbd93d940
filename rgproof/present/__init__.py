"""Presentation (layer 5 of 6): what people read.

Derivations (:mod:`.derivations`, one module per topic) and the LaTeX book (:mod:`.derive`), the
HTML report (:mod:`.report`) and its figures (:mod:`.figures`, :mod:`.plotting`), experiment
summaries and plots, text formatting (:mod:`.text`) and progress lines (:mod:`.progress`).
Imports every layer below: core, topics, experiments and claims.
"""
