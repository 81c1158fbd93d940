"""Output files: paths refused before any work, and the one JSON writer (no NaN, no Infinity)."""
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from .errors import InputError

# --------------------------------------------------------------------------- JSON

def write_json(data, path, *, indent=1):
    """Write ``data`` as indented JSON with a final newline (every ``--json`` file; ``path``
    ``"-"`` is stdout). The one writer of rgproof's JSON: strict JSON, no NaN or Infinity (see
    :func:`finite_json`)."""
    clean, nonfinite = finite_json(data)
    if nonfinite:
        if not isinstance(clean, dict):
            raise ValueError(f"non-finite values {nonfinite} in JSON that is not an object")
        clean["nonfinite"] = nonfinite
    text = json.dumps(clean, indent=indent, allow_nan=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    write_atomically(path, text)


def write_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file in the same folder (flushed, fsynced,
    then renamed into place), so a crash or a full disk never leaves a half-written file and
    the previous file stays intact until the new one is complete."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def finite_json(value, path=()):
    """``(copy, nonfinite)``: ``value`` with every NaN or infinite float replaced by None, and
    ``nonfinite`` one ``{"path": [key or index, ...], "value": "nan" | "inf" | "-inf"}`` per
    value replaced. :func:`write_json` stores the list as the top-level key ``nonfinite``.

    >>> finite_json({"rows": [{"details": {"residual": float("nan")}}], "x": (1.5, float("-inf"))})
    ({'rows': [{'details': {'residual': None}}], 'x': [1.5, None]},
     [{'path': ['rows', 0, 'details', 'residual'], 'value': 'nan'}, {'path': ['x', 1], 'value': '-inf'}])
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None, [{"path": list(path), "value": repr(float(value))}]
    if isinstance(value, dict):
        pairs = [(k, finite_json(v, (*path, k))) for k, v in value.items()]
        return {k: v for k, (v, _) in pairs}, [n for _, (_, bad) in pairs for n in bad]
    if isinstance(value, (list, tuple)):
        items = [finite_json(v, (*path, i)) for i, v in enumerate(value)]
        return [v for v, _ in items], [n for _, bad in items for n in bad]
    return value, []


def check_output_path(option, path, *, folder=False):
    """Refuse, before any work, an output path that cannot be written: ``path`` must not be a
    folder (``folder=True``: must be one or not exist yet) and the folder that will hold it must
    exist and be writable. Returns ``path``; an hour-long run must not die at its last line.

    >>> check_output_path("--json", "/nonexistent-folder/x.json")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --json: its folder must exist (got '/nonexistent-folder/x.json')
    """
    target = Path(path)
    if folder:
        if target.exists() and not target.is_dir():
            raise InputError(option, "must be a folder, not an existing file", str(path))
        # the folder and its missing parents are created: the nearest existing one must be writable
        parent = next(p for p in (target, *target.absolute().parents) if p.exists())
    else:
        if target.is_dir():
            raise InputError(option, "must be a file, not a folder", str(path))
        parent = target.absolute().parent
        if not parent.is_dir():
            raise InputError(option, "its folder must exist", str(path))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(option, f"its folder {parent} is not writable", str(path))
    return path


__all__ = ['write_json', 'finite_json', 'check_output_path']
