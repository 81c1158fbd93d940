"""The memory a run of the annealing engine needs, estimated before any array is made.

The experiments' settings (:class:`~rgproof.experiments.ising.IsingAnneal`,
:class:`~rgproof.experiments.expfam.ExpFamAnneal`) call :func:`check_memory` when they are
made, so that sizes beyond the machine are refused up front, naming the option to reduce and
the estimate, instead of a ``MemoryError`` (or the kernel's out-of-memory killer) part way
through a run.

>>> from rgproof.experiments.ising import IsingAnneal
>>> size_text(estimate_bytes(IsingAnneal()))
'5.17 MiB'
"""
import os
import types
from dataclasses import fields

import numpy as np

from ..core.errors import InputError
from .ensemble import BLOCK_ELEMENTS, engine_threads
from .network import Architecture

#: The settings that size the engine's arrays; a refusal names the one whose default shrinks
#: the estimate most (the first of them on a tie).
SIZE_FIELDS = ("chains", "N", "M", "hidden", "train_size", "eval_size", "bootstrap")


def estimate_bytes(config, fit_factor=1):
    """Bytes of the largest arrays that a run of the settings ``config`` holds at once.

    The engine trains on all 2^N inputs of the hypercube, or, when the settings have a
    ``train_size``, on that many rows with ``eval_size`` fresh inputs per chain at each record;
    then the largest fit of outputs is on ``fit_factor`` times that pooled sample (the
    teacher's: :data:`rgproof.experiments.expfam.TEACHER_SAMPLE_FACTOR`).
    The numpy engine runs blocks of chains (:meth:`~rgproof.experiments.ensemble.Ensemble.blocks`)
    on one thread per CPU; the cupy engine runs all chains at once, on the device.
    """
    itemsize = np.dtype(config.dtype).itemsize
    widths = (*config.hidden, config.M)
    train_size = getattr(config, "train_size", None)
    rows = 1 << config.N if train_size is None else train_size
    chains = config.chains
    per_block = max(1, BLOCK_ELEMENTS // (rows * max(widths)))
    at_once = (chains if config.backend != "numpy"
               else min(chains, per_block * engine_threads()))
    total = (
        # W, its gradient, the Brownian noise and W - W* (chains x size), drawn in float64
        4 * chains * Architecture(config.N, config.M, tuple(config.hidden)).size * 8
        # each layer's outputs and slopes for the chains running at once, two work arrays
        + at_once * rows * (2 * sum(widths) + 2 * max(widths)) * itemsize
        # the inputs, in float64 and in the run's dtype
        + rows * config.N * (8 + itemsize))
    if train_size is None:  # a record's bond sums, correlations and exp(J S) per chain and input
        return total + 8 * chains * rows * 8
    # the largest fit: its points, their outputs and four arrays of bootstrap counts per point
    fitted = fit_factor * chains * config.eval_size
    return total + fitted * 8 * (2 * (config.N + config.M) + 4 * config.bootstrap)


def available_bytes():
    """Memory the machine can give now: the kernel's ``MemAvailable`` (free memory and the
    cache it can drop) where ``/proc/meminfo`` has it, else its free pages (``os.sysconf``);
    None where neither is known (then nothing is refused)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # the file's kB are KiB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # no such name here (macOS, Windows)
        return None


def check_memory(config, fit_factor=1):
    """Refuse the settings ``config`` when :func:`estimate_bytes` exceeds
    :func:`available_bytes`: an :class:`~rgproof.core.errors.InputError` naming the size
    setting whose default shrinks the estimate most, with the estimate and the memory
    available."""
    needed, available = estimate_bytes(config, fit_factor), available_bytes()
    if available is None or needed <= available:
        return
    values = {f.name: getattr(config, f.name) for f in fields(config)}
    defaults = {f.name: f.default for f in fields(config) if f.name in SIZE_FIELDS}

    def with_default(name):
        return estimate_bytes(types.SimpleNamespace(**{**values, name: defaults[name]}),
                              fit_factor)

    blamed = min((name for name in SIZE_FIELDS if name in defaults), key=with_default)
    raise InputError(blamed, f"these sizes need about {size_text(needed)} of memory (an estimate "
                             f"of the engine's arrays) and {size_text(available)} are available; "
                             f"with the default {defaults[blamed]!r} about "
                             f"{size_text(with_default(blamed))}", values[blamed])


def size_text(n):
    """``n`` bytes in binary units, to three digits.

    >>> size_text(512), size_text(1536), size_text(5 * 2**40)
    ('512 B', '1.5 KiB', '5 TiB')
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024:
            break
        n /= 1024
    else:
        unit = "PiB"
    return f"{n:.3g} {unit}"


__all__ = ['SIZE_FIELDS', 'estimate_bytes', 'available_bytes', 'check_memory', 'size_text']
