"""Claims: The Cui-Gong two-point RG equation of the Ising chain (issue 20; being written)."""
from ..core.ledger import Topic
from .papers import GONG_XIA_EXPFAM

TOPIC = Topic("two_point_rg",
              title="The Cui-Gong two-point RG equation of the Ising chain",
              paper=GONG_XIA_EXPFAM)
