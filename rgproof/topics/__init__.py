"""The mathematics as a library (layer 2 of 6): one module per topic, no verdicts.

1-D Ising decimation (:mod:`.ising`), the LGW transformation (:mod:`.lgw`), scaling laws
(:mod:`.scaling`), Laplace transforms (:mod:`.laplace`), Post-Widder inversion
(:mod:`.postwidder`), Theorem 3.1's chain (:mod:`.theorem31`), Mehta-Schwab RBMs (:mod:`.rbm`),
Li-Wang neural RG (:mod:`.neuralrg`), Kaufman's 2-D Ising (:mod:`.ising2d`), the
exponential family and its fit (:mod:`.expfam`, :mod:`.expfam_fit`) and the partition-function
equation of annealed networks (:mod:`.ising_anneal`). Imports :mod:`rgproof.core` and other
topics (without cycles).
"""
