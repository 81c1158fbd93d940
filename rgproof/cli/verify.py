"""``rgproof verify`` and ``rgproof claims``."""
import fnmatch
import sys

from .. import claims
from ..core import record
from ..core.files import check_output_path, write_json
from ..present.progress import claim_progress
from ..present.text import format_table


def _run_with_progress(selected, context):
    return [claims.run(c, context) for c in claim_progress(selected, sys.stderr)]


def cmd_verify(args):
    selected = claims.select(args.claims)
    context = claims.Context(dps=args.dps, thorough=args.thorough)
    table_stream = sys.stderr if args.json == "-" else sys.stdout
    if args.json not in (None, "-"):
        check_output_path("--json", args.json)
    old = None if args.compare is None else record.load_verify_json(args.compare, "--compare")
    results = _run_with_progress(selected, context)
    print(format_table(results), file=table_stream)
    summary = claims.stochastic_summary(results)
    if summary:
        print(summary, file=table_stream)
    rows = [r.as_dict() for r in results]
    if old is not None:
        _print_comparison(args.compare, old, rows, args.claims, table_stream)
    if args.json:
        write_json({"run": record.run_record(args.dps, args.claims, claims.seeds(context),
                                             "thorough" if args.thorough else "default"),
                    "rows": rows}, args.json, indent=2)
    crashed = [r.claim.id for r in results if r.crashed]
    if crashed:
        print(f"rgproof: checks crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    if args.strict and any(r.outcome.verdict == "inconclusive" for r in results):
        print("rgproof: --strict: some verdicts are inconclusive", file=sys.stderr)
        return 1
    return 0


def _print_comparison(path, old, rows, patterns, stream):
    """The rows of this run whose verdict, digits or certification differ from the file
    ``path`` (``--compare``), the ids only one of them has, and a count line. Rows of the file
    whose ids match none of this run's ``--claims`` ``patterns`` are not compared (they were not
    asked for); a matching id that is no claim any more is "gone"."""
    run, old_rows = old
    compared = [r for r in old_rows
                if not patterns or any(fnmatch.fnmatchcase(r["id"], p) for p in patterns)]
    lines, changed, added, gone = record.compare_rows(compared, rows)
    what = ""
    if run:
        commit = run.get("commit")
        dirty = " with uncommitted changes" if run.get("commit_dirty") else ""
        what = (f" (rgproof {run.get('version')}"
                + (f", commit {str(commit)[:12]}{dirty}" if commit else "")
                + f", --dps {run.get('dps')}, {run.get('date')})")
    print(f"\ncompared with {path}{what}:", file=stream)
    for line in lines:
        print(line, file=stream)
    skipped = len(old_rows) - len(compared)
    print(f"{changed} changed, {added} new, {gone} gone"
          + (f" ({skipped} row{'' if skipped == 1 else 's'} of {path} outside --claims not "
             "compared)" if skipped else ""),
          file=stream)


def cmd_claims(args):
    for c in claims.select(args.claims):
        print(f"{c.id:<40} {c.method:<15} {c.source}")
    return 0
