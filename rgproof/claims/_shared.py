"""Pieces that more than one claims module uses (no claims of its own)."""
from functools import lru_cache, wraps

from ..core.ledger import inconclusive
from ..experiments.annealing import Divergence


def cached_claim_run(run, config):
    """``claim_run(config=config)``: ``run(config)``, computed once per config.

    The annealing experiments are deterministic, so the claims of a module share one run.
    """

    @lru_cache(maxsize=64)
    def cached(config):
        return run(config)

    def claim_run(config=config):
        """The annealing run shared by the claims (cached by its configuration: it is
        deterministic, so ``claim_run()`` and ``claim_run(CLAIM_CONFIG)`` are one run)."""
        return cached(config)

    return claim_run


def annealing_claims(topic):
    """``topic.claim`` for checks that read annealing runs: a run that diverges (the engine
    stops it, :class:`~rgproof.experiments.annealing.Divergence`) leaves no trajectory to read,
    so the row is inconclusive and says why instead of crashing."""

    def claim(id, **kwargs):
        register = topic.claim(id, **kwargs)

        def decorate(check):
            @wraps(check)
            def checked(ctx):
                try:
                    return check(ctx)
                except Divergence as exc:
                    return inconclusive(f"the claim's annealing run diverged, so there is no "
                                        f"trajectory to read: {exc}", diverged_at_step=exc.step)

            return register(checked)

        return decorate

    return claim
