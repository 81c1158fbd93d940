"""Claims: Theorem 4's hypotheses on the cases rgproof meets (issue 20; being written)."""
from ..core.ledger import Topic
from .papers import GONG_XIA_EXPFAM

TOPIC = Topic("theorem4",
              title="Theorem 4's hypotheses on the cases rgproof meets",
              paper=GONG_XIA_EXPFAM)
