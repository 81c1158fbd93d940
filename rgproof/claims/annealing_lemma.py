"""Claims: The annealing lemma (Lemma 1) on landscapes of known barrier depth (issue 20; being written)."""
from ..core.ledger import Topic
from .papers import GONG_XIA_ISING

TOPIC = Topic("annealing_lemma",
              title="The annealing lemma (Lemma 1) on landscapes of known barrier depth",
              paper=GONG_XIA_ISING)
