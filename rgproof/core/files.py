"""Output files: paths refused before any work, every file written atomically, and the one JSON
writer (no NaN, no Infinity)."""
import json
import math
import os
import secrets
import sys
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


def write_atomically(path, data):
    """Write ``data`` (text, as UTF-8, or bytes) to ``path`` through a temporary file in the
    same folder (written, fsynced, then renamed into place, and the rename fsynced), so a crash
    or a full disk never leaves a half-written file and the previous file stays intact until
    the new one is complete. Every output file of rgproof is written here.
    """
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f"{os.path.basename(path)}.{secrets.token_hex(8)}.tmp")
    # os.open, not mkstemp: the file gets the umask's permissions (mkstemp's are 0600)
    handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    fsync_folder(folder)


def write_all(handle, data):
    """Write all of the bytes ``data`` to the file descriptor ``handle`` (``os.write`` may
    write fewer than it is given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def fsync_folder(folder):
    """Make a rename or a new file in ``folder`` durable (its entry is data of the folder)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


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


def check_distinct_paths(paths):
    """Refuse, before any work, one file given to two options: ``paths`` maps each option to
    its path (None: not given). Paths are compared resolved (``os.path.realpath``: links,
    ``..``), so ``run.json`` and ``out/../run.json`` are one file.

    >>> check_distinct_paths({"--json": "run.json", "--checkpoint": None, "--plot": "./run.json"})
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --plot: is the file of --json too; give each its own file (got './run.json')
    """
    seen = {}
    for option, path in paths.items():
        if path is None:
            continue
        resolved = os.path.realpath(path)
        if resolved in seen:
            raise InputError(option, f"is the file of {seen[resolved]} too; give each its own "
                                     "file", str(path))
        seen[resolved] = option


__all__ = ['write_json', 'write_atomically', 'write_all', 'fsync_folder', 'finite_json',
           'check_output_path', 'check_distinct_paths']
