"""Claims: The summary notes' reading of Gong & Xia (not the authors) (issue 20; being written)."""
from ..core.ledger import Topic
from .papers import SUMMARY_NOTES

TOPIC = Topic("summary_notes",
              title="The summary notes' reading of Gong & Xia (not the authors)",
              paper=SUMMARY_NOTES)
