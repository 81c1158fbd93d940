"""The claims: one module per topic with its ``@TOPIC.claim`` checks (layer 4 of 6).

Imports :mod:`rgproof.core`, :mod:`rgproof.topics` and :mod:`rgproof.experiments`. Importing
this package registers every claim, in the order of :data:`TOPICS` and then of definition; the
ledger functions below then see the whole ledger.

>>> c = get("ising.decimation.recursion")
>>> c.method, c.topic.name
('symbolic', 'ising')
>>> isinstance(c.source, Source), c.source.document
(True, 'Xia 2024 slides (arXiv:2212.00005)')
>>> run(c, Context(dps=30)).outcome.verdict
'holds'
"""
from ..core.ledger import (METHODS, VERDICTS, Claim, Context, Outcome, Result, Source, Topic,
                           all_claims, get, run, seeds, select, stochastic_summary)

# Importing a module registers its claims, so the order of these lines is the ledger's order.
from . import ising  # noqa: I001
from . import lgw
from . import scaling
from . import two_point_rg
from . import ising_anneal
from . import annealing_lemma
from . import postwidder
from . import ising2d
from . import rbm
from . import neuralrg
from . import flows
from . import laplace
from . import theorem31
from . import expfam
from . import theorem4
from . import summary_notes

#: Every topic, in the ledger's order (this order is the order of ``rgproof verify``).
TOPICS = tuple(module.TOPIC for module in (ising, lgw, scaling, two_point_rg, ising_anneal,
                                           annealing_lemma, postwidder, ising2d, rbm, neuralrg,
                                           flows, laplace, theorem31, expfam, theorem4,
                                           summary_notes))

__all__ = ["TOPICS", "VERDICTS", "METHODS", "Topic", "Context", "Outcome", "Source", "Claim",
           "Result", "all_claims", "get", "select", "run", "seeds", "stochastic_summary"]
