"""Derivation: The Cui-Gong two-point RG equation of the Ising chain (issue 20; being written)."""


def derivation():
    return []


__all__ = ["derivation"]
