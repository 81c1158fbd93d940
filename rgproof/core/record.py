"""The file ``rgproof verify --json`` writes: a run record and one row per claim.

The file is an object ``{"run": {...}, "rows": [...]}``. ``run`` is :func:`run_record`: what
computed the verdicts (rgproof's version and git commit, the Python, sympy, mpmath, numpy, scipy
and python-flint versions, mpmath's backend and numpy's BLAS, the ``--dps``, the ``--claims``
patterns, the seeds, the date and the machine). ``rows`` are
:meth:`rgproof.core.ledger.Result.as_dict`. Files written before the run record existed are
the bare array of rows: :func:`load_verify_json` reads both. :func:`compare_rows` lists what
changed between two runs (``rgproof verify --compare``). Imports nothing of rgproof outside
``rgproof.core``.
"""
import datetime
import json
import os
import platform
import re
import subprocess
from pathlib import Path

from . import __version__
from .errors import InputError
from .ledger import VERDICTS
from .precision import optional_flint
from .validate import check_field

#: Keys every row of a ``rgproof verify --json`` file has.
ROW_KEYS = frozenset({"id", "source", "statement", "method", "verdict", "digits", "evidence",
                      "seconds"})

#: The kinds (:data:`rgproof.core.validate.FIELD_KINDS`) each field of a row may have.
ROW_FIELDS = {"id": ("string",), "source": ("string",), "statement": ("string",),
              "method": ("string",), "evidence": ("string",), "digits": ("integer", "null"),
              "seconds": ("seconds",)}

#: Seconds ``git rev-parse`` may take before the commit is recorded as unknown.
GIT_TIMEOUT = 3

#: What ``seeds`` holds.
SEEDS_REASON = ("every stochastic row runs once per seed in 'stochastic' (its verdict is theirs "
                "when they agree); the other seeded checks fix their seeds in their own code "
                "(rgproof/claims/), so the version and commit determine them")

SHAPE = ('what rgproof verify --json writes: an object {"run": {...}, "rows": [...]} (or the '
         'bare array of rows of earlier versions)')


# --------------------------------------------------------------------------- the run record

def run_record(dps, patterns, seeds=(), tier="default"):
    """What computed the verdicts of one ``rgproof verify`` run at ``--dps dps`` over the
    ``--claims`` ``patterns`` (None: every claim), with the stochastic rows' ``seeds`` in the
    ``tier`` ("default" or "thorough"). JSON-serialisable; never raises: a version or a commit
    that cannot be found is None.

    >>> record = run_record(50, ["ising.*"], (0, 1, 2))
    >>> record["dps"], record["claims"], record["version"] == __version__, record["seeds"]
    (50, ['ising.*'], True, {'stochastic': [0, 1, 2]})
    >>> json.loads(json.dumps(record, allow_nan=False)) == record
    True
    """
    commit, dirty = git_commit()
    mpmath = _guard(lambda: __import__("mpmath"))
    return {
        "version": __version__,
        "commit": commit,
        "commit_dirty": dirty,
        "python": platform.python_version(),
        "sympy": _version(_guard(lambda: __import__("sympy"))),
        "mpmath": _version(mpmath),
        "mpmath_backend": _guard(lambda: str(mpmath.libmp.BACKEND)) if mpmath else None,
        "numpy": _version(_guard(lambda: __import__("numpy"))),
        "numpy_blas": numpy_blas(),
        "scipy": _version(_guard(lambda: __import__("scipy"))),
        "python_flint": _version(_guard(optional_flint)),
        "dps": dps,
        "claims": list(patterns) if patterns else None,
        "tier": tier,
        "seeds": {"stochastic": list(seeds)},
        "seeds_reason": SEEDS_REASON,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"platform": _guard(platform.platform), "cpus": os.cpu_count()},
    }


def git_commit(folder=None):
    """``(commit, dirty)`` of the git checkout holding the ``rgproof`` package (or ``folder``):
    the ``HEAD`` commit and whether the files under that folder differ from it (modified or
    untracked); ``(None, None)`` when the
    package is not a git checkout's (an installed copy), git is missing or slow, or anything
    else fails."""
    package = Path(__file__).resolve().parents[1]
    folder = Path(folder) if folder is not None else package
    out = _git(folder, "rev-parse", "HEAD", "--show-toplevel")
    lines = out.splitlines() if out else []
    if len(lines) != 2 or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", lines[0]):
        return None, None
    # a copy installed into some other project's checkout must not report that project's commit
    if folder == package and Path(lines[1]).resolve() != package.parent:
        return None, None
    status = _git(folder, "status", "--porcelain", "--", ".")
    return lines[0], None if status is None else bool(status.strip())


def _git(folder, *args):
    """git's stdout in ``folder``, or None when git is missing, fails or takes too long."""
    try:
        proc = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                              timeout=GIT_TIMEOUT, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def numpy_blas():
    """numpy's BLAS as ``"name version"`` (from ``numpy.show_config(mode="dicts")``), or None
    when this numpy cannot say."""
    def blas():
        import numpy

        info = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        text = " ".join(str(info[k]) for k in ("name", "version") if info.get(k))
        return text[:80] or None

    return _guard(blas)


def _guard(function):
    """``function()``, or None if it raises (a module that is not importable, say)."""
    try:
        return function()
    except Exception:  # noqa: BLE001 - the record says "unknown", it never stops the run
        return None


def _version(module):
    version = getattr(module, "__version__", None)
    return str(version) if version is not None else None


# --------------------------------------------------------------------------- reading a file

def load_verify_json(path, option):
    """``(run record or None, rows)`` of a ``rgproof verify --json`` file, in either shape.

    Refuses, as an :class:`InputError` naming ``option``, a file that is missing, unreadable,
    not JSON or not what ``verify --json`` writes (a row missing a key or holding a value of the
    wrong kind, a verdict that is not one of :data:`VERDICTS`, one id in two rows).
    """
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InputError(option, f"must be a readable JSON file ({exc})", str(path)) from None
    return split_verify_json(data, option, str(path))


def split_verify_json(data, option, where=None):
    """``(run, rows)`` of the parsed JSON ``data`` (the object or the older bare array).

    >>> split_verify_json({"rows": {"rows": []}}, "--compare")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --compare: must be what rgproof verify --json writes: ...
    """
    if isinstance(data, list):
        run, rows = None, data
    elif isinstance(data, dict) and isinstance(data.get("rows"), list) \
            and isinstance(data.get("run", {}), dict):
        run, rows = data.get("run"), data["rows"]
    else:
        raise InputError(option, f"must be {SHAPE}", where)
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not ROW_KEYS <= set(row):
            raise InputError(option, f"must be {SHAPE}; row {i} lacks one of the keys "
                                     f"{', '.join(sorted(ROW_KEYS))}", where)
        check_row(i, row, option)
    seen, repeated = set(), []
    for row in rows:
        if row["id"] in seen and row["id"] not in repeated:
            repeated.append(row["id"])
        seen.add(row["id"])
    if repeated:
        raise InputError(option, "each claim may have one row only", sorted(repeated))
    return run, rows


def check_row(index, row, option):
    """Raise naming the row and field whose value ``rgproof verify --json`` cannot have written."""
    for key, kinds in ROW_FIELDS.items():
        check_field(f"{option} row {index} field {key!r}", row[key], *kinds)
    if row["verdict"] not in VERDICTS:
        raise InputError(f"{option} row {index} field 'verdict'", f"must be one of {VERDICTS}",
                         row["verdict"])


# --------------------------------------------------------------------------- comparing two runs

def compare_rows(old, new):
    """What changed from the rows ``old`` to the rows ``new``: ``(lines, changed, added,
    gone)``, one line ``id: old -> new`` per changed row (verdict, digits, or certification when
    both rows have one), then per id in ``new`` only and per id in ``old`` only.

    >>> old = [{"id": "a", "verdict": "holds", "digits": None}, {"id": "b", "verdict": "fails",
    ...        "digits": 30}]
    >>> new = [{"id": "a", "verdict": "fails", "digits": 12}, {"id": "c", "verdict": "holds",
    ...        "digits": 50}]
    >>> print("\\n".join(compare_rows(old, new)[0]))
    a: holds (-) -> fails (12)
    c: (absent) -> holds (50)
    b: fails (30) -> (absent)
    """
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    lines, changed = [], 0
    for claim_id, row in after.items():
        was = before.get(claim_id)
        if was is None:
            continue
        # certification: compared only when both rows have it (older files lack the key)
        recertified = "certification" in was and "certification" in row \
            and was["certification"] != row["certification"]
        if (was["verdict"], was["digits"]) != (row["verdict"], row["digits"]) or recertified:
            lines.append(f"{claim_id}: {_state(was, recertified)} -> {_state(row, recertified)}")
            changed += 1
    added = [i for i in after if i not in before]
    gone = [i for i in before if i not in after]
    lines += [f"{i}: (absent) -> {_state(after[i], False)}" for i in added]
    lines += [f"{i}: {_state(before[i], False)} -> (absent)" for i in gone]
    return lines, changed, len(added), len(gone)


def _state(row, recertified):
    """``verdict (digits)``, with the certification when that is what changed."""
    digits = "-" if row["digits"] is None else row["digits"]
    how = row.get("certification")
    extra = (f", {how if isinstance(how, str) else json.dumps(how, sort_keys=True)}"
             if recertified else "")
    return f"{row['verdict']} ({digits}{extra})"


__all__ = ["ROW_KEYS", "ROW_FIELDS", "run_record", "git_commit", "numpy_blas",
           "load_verify_json", "split_verify_json", "check_row", "compare_rows"]
