"""``rgproof verify`` and ``rgproof claims``."""
import json
import sys

from .. import claims
from ..core.files import check_output_path
from ..present.progress import _progress
from ..present.text import format_table


def _run_with_progress(selected, context):
    results = []
    for i, c in enumerate(selected, 1):
        _progress(i, len(selected), c.id, sys.stderr)
        results.append(claims.run(c, context))
    return results


def cmd_verify(args):
    selected = claims.select(args.claims)
    context = claims.Context(dps=args.dps)
    table_stream = sys.stderr if args.json == "-" else sys.stdout
    if args.json not in (None, "-"):
        check_output_path("--json", args.json)
    results = _run_with_progress(selected, context)
    print(format_table(results), file=table_stream)
    if args.json:
        payload = json.dumps([r.as_dict() for r in results], indent=2)
        if args.json == "-":
            print(payload)
        else:
            with open(args.json, "w") as fh:
                fh.write(payload + "\n")
    crashed = [r.claim.id for r in results if r.crashed]
    if crashed:
        print(f"rgproof: checks crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    if args.strict and any(r.outcome.verdict == "inconclusive" for r in results):
        print("rgproof: --strict: some verdicts are inconclusive", file=sys.stderr)
        return 1
    return 0


def cmd_claims(args):
    for c in claims.select(args.claims):
        print(f"{c.id:<40} {c.method:<15} {c.source}")
    return 0
