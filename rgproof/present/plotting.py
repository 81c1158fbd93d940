"""matplotlib, an optional extra, in one place: whether it is there, and pyplot for files.

Every figure of rgproof (the experiments' ``--plot``, the sweep's plot, the report) is drawn
through :func:`pyplot`, which writes files only (the Agg backend: never a window).

>>> isinstance(available(), bool)
True
"""
import importlib.util

from ..core.errors import InputError


def available():
    """True when matplotlib can be imported."""
    return importlib.util.find_spec("matplotlib") is not None


def check_plotting(option="--plot"):
    """Fail early, before a long run, when matplotlib is missing."""
    if not available():
        raise InputError(option, "needs matplotlib, an optional extra (pip install "
                                 "'rgproof[plot]')")


def pyplot(option="--plot"):
    """``matplotlib.pyplot`` on the file-only Agg backend (a clear error without matplotlib)."""
    check_plotting(option)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


__all__ = ['available', 'check_plotting', 'pyplot']
