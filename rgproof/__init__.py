"""rgproof: machine-checked claims linking deep-network training to the renormalization group.

The package is layered; each layer imports only the layers before it:

1. :mod:`rgproof.core`: errors, precision, the LaTeX printer, files, the claims ledger;
2. :mod:`rgproof.topics`: the mathematics as a library, one module per topic;
3. :mod:`rgproof.experiments`: the annealing engine, the experiments, sweeps;
4. :mod:`rgproof.claims`: the checks, one module per topic;
5. :mod:`rgproof.present`: derivations, the report, figures, text;
6. :mod:`rgproof.cli`: the ``rgproof`` command.

The topics are the user-facing library: ``from rgproof import ising, laplace, postwidder``.
:mod:`rgproof.testing` holds assertions for users' own test suites.
"""
from .core import __version__
from .core.errors import InputError
from .topics import (expfam, expfam_fit, ising, ising2d, ising_anneal, laplace, lgw, neuralrg,
                     postwidder, rbm, scaling, theorem31)
from .topics.inversion import invert  # noqa: F401  the front door: rgproof.invert(F, t, dps)

__all__ = ["InputError", "__version__", "expfam", "expfam_fit", "ising", "ising2d",
           "ising_anneal", "laplace", "lgw", "neuralrg", "postwidder", "rbm", "scaling",
           "theorem31"]
