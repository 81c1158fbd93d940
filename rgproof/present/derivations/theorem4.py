"""Derivation: Theorem 4's hypotheses on the cases rgproof meets (issue 20; being written)."""


def derivation():
    return []


__all__ = ["derivation"]
