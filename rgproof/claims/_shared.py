"""Pieces that more than one claims module uses (no claims of its own)."""
from functools import lru_cache


def cached_claim_run(run, config):
    """``claim_run(config=config)``: ``run(config)``, computed once per config.

    The annealing experiments are deterministic, so the claims of a module share one run.
    """

    @lru_cache(maxsize=16)
    def cached(config):
        return run(config)

    def claim_run(config=config):
        """The annealing run shared by the claims (cached by its configuration: it is
        deterministic, so ``claim_run()`` and ``claim_run(CLAIM_CONFIG)`` are one run)."""
        return cached(config)

    return claim_run
