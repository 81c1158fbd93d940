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


def save(fig, path, dpi=120, **savefig_options):
    """Lay ``fig`` out, write it to ``path`` (a file name or a binary stream) and close it."""
    fig.tight_layout()
    fig.savefig(path, dpi=dpi, **savefig_options)
    pyplot().close(fig)


def loss_panel(ax, records):
    """The bottom panel of an experiment's plot: the mean loss of ``records`` against t (log)."""
    ax.semilogy([r["t"] for r in records], [r["loss"] for r in records], color="C1")
    ax.set_ylabel("mean loss")
    ax.set_xlabel("t")


__all__ = ['available', 'check_plotting', 'pyplot', 'save', 'loss_panel']
