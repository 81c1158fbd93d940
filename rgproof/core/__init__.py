"""The core (layer 1 of 6): what every other layer builds on, naming no topic.

The error type (:mod:`.errors`) and every input rule (:mod:`.validate`), working precision and
certified digits (:mod:`.precision`), mpmath-as-oracle comparisons (:mod:`.oracle`), the house LaTeX printer (:mod:`.latex`), output paths and atomic writes
(:mod:`.files`), the run record of ``verify --json`` (:mod:`.record`), the claims ledger
(:mod:`.ledger`), spin enumeration (:mod:`.spins`), power series and the Horner sum
(:mod:`.series`), bootstrap intervals (:mod:`.stats`) and short text (:mod:`.text`). Imports nothing of rgproof outside ``rgproof.core``.
"""

__version__ = "0.1.0"
