"""Derivation: The annealing lemma (Lemma 1) on landscapes of known barrier depth (issue 20; being written)."""


def derivation():
    return []


__all__ = ["derivation"]
