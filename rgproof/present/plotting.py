"""matplotlib, an optional extra, in one place: whether it is there, and pyplot for files.

Every figure of rgproof (the experiments' ``--plot``, the sweep's plot, the report) is drawn
through :func:`pyplot`, which writes files only (the Agg backend: never a window).

>>> isinstance(available(), bool)
True
"""
import importlib.util
import io
from pathlib import Path

from ..core.errors import InputError
from ..core.files import write_atomically


def available():
    """True when matplotlib can be imported."""
    return importlib.util.find_spec("matplotlib") is not None


def check_plotting(option="--plot", path=None):
    """Fail early, before a long run, when matplotlib is missing or cannot write the format
    that the suffix of the file ``path`` names (:func:`save` writes PNG without a suffix)."""
    if not available():
        raise InputError(option, "needs matplotlib, an optional extra (pip install "
                                 "'rgproof[plot]')")
    suffix = Path(path).suffix[1:].lower() if path is not None else ""
    if suffix:
        from matplotlib.backend_bases import FigureCanvasBase

        formats = FigureCanvasBase.get_supported_filetypes()
        if suffix not in formats:
            raise InputError(option, "its suffix must name a format that matplotlib writes: "
                                     f"{', '.join(sorted(formats))}", str(path))


def pyplot(option="--plot"):
    """``matplotlib.pyplot`` on the file-only Agg backend (a clear error without matplotlib)."""
    check_plotting(option)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig, path, dpi=120, **savefig_options):
    """Lay ``fig`` out, write it to ``path`` and close it. ``path`` is a binary stream or a file
    name; a file is written atomically (an interrupted or failed save leaves the previous one)."""
    fig.tight_layout()
    if hasattr(path, "write"):
        fig.savefig(path, dpi=dpi, **savefig_options)
    else:
        # matplotlib takes the format from a file name's suffix, never from a stream
        savefig_options.setdefault("format", Path(path).suffix[1:] or "png")
        image = io.BytesIO()
        fig.savefig(image, dpi=dpi, **savefig_options)
        write_atomically(path, image.getvalue())
    pyplot().close(fig)


def loss_panel(ax, records):
    """The bottom panel of an experiment's plot: the mean loss of ``records`` against t (log)."""
    ax.semilogy([r["t"] for r in records], [r["loss"] for r in records], color="C1")
    ax.set_ylabel("mean loss")
    ax.set_xlabel("t")


__all__ = ['available', 'check_plotting', 'pyplot', 'save', 'loss_panel']
