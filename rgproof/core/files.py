"""Output files: paths refused before any work, and the experiments' JSON writer."""
import json
import os
from pathlib import Path

from .errors import InputError

# --------------------------------------------------------------------------- checkpoints

def write_json(data, path):
    """Write ``data`` as indented JSON with a final newline (the experiments' ``--json`` files)."""
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")


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


__all__ = ['write_json']
