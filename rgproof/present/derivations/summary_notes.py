"""Derivation: The summary notes' reading of Gong & Xia (not the authors) (issue 20; being written)."""


def derivation():
    return []


__all__ = ["derivation"]
