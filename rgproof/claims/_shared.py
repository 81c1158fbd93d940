"""Pieces that more than one claims module uses (no claims of its own)."""
from functools import lru_cache


def cached_claim_run(run, config):
    """``claim_run(config=config)``: ``run(config)``, computed once per config.

    The annealing experiments are deterministic, so the claims of a module share one run.
    """

    @lru_cache(maxsize=8)
    def claim_run(config=config):
        """The annealing run shared by the claims (cached: it is deterministic)."""
        return run(config)

    return claim_run
