"""Write ``tests/verdicts.json``: the verdict of every claim of the ledger at ``--dps 50``.

``tests/test_pinned_verdicts.py`` fails when a verdict differs from this file. When a change of
verdict is intended, run ``python tests/pin_verdicts.py`` and commit ``tests/verdicts.json``
with the change. The file is written atomically (a temporary file in ``tests/``, then
``os.replace``); nothing is written when a check crashes.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

#: The pinned verdicts, ``{"claim id": "verdict"}``.
PINNED = Path(__file__).resolve().with_name("verdicts.json")
#: The default tier: ``rgproof verify`` at its default ``--dps``.
DPS = 50


def run_all(dps=DPS):
    """Every claim's :class:`rgproof.core.ledger.Result` at ``dps``, in the ledger's order."""
    from rgproof import claims

    context = claims.Context(dps=dps)
    return [claims.run(c, context) for c in claims.all_claims()]


def verdicts(results):
    return {r.claim.id: r.outcome.verdict for r in results}


def write_pinned(pinned, path=PINNED):
    """Write ``{"id": "verdict"}`` to ``path`` atomically (ids sorted, for small diffs)."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp's file is 0600
    fd, temporary = tempfile.mkstemp(prefix=".verdicts-", suffix=".json.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(pinned, fh, indent=1, sort_keys=True)
            fh.write("\n")
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main():
    results = run_all()
    crashed = [r.claim.id for r in results if r.crashed]
    if crashed:
        print(f"pin_verdicts: checks crashed, nothing written: {', '.join(crashed)}",
              file=sys.stderr)
        return 1
    pinned = verdicts(results)
    write_pinned(pinned)
    counts = {v: list(pinned.values()).count(v) for v in ("holds", "fails", "inconclusive")}
    print(f"wrote {PINNED}: {len(pinned)} claims at --dps {DPS}: "
          + ", ".join(f"{n} {v}" for v, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
