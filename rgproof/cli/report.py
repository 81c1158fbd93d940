"""``rgproof report``."""
from .. import claims
from ..core.errors import InputError
from ..core.files import check_output_path
from ..core.record import run_record
from .options import _dps, _patterns
from .verify import _run_with_progress


def _add_report_parser(sub):
    """``rgproof report --out DIR``: the self-contained HTML page (see rgproof.present.report)."""
    report = sub.add_parser("report", help="write a self-contained HTML report of the verdicts")
    report.add_argument("--out", required=True, metavar="DIR", help="output folder")
    report.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]",
                        help="shell-style patterns of claim ids (default: all)")
    report.add_argument("--dps", type=_dps, default=None,
                        help="digits a high-precision 'holds' needs (default 50)")
    report.add_argument("--from-json", metavar="FILE", default=None,
                        help="reuse the results of 'rgproof verify --json FILE' instead of running")


def cmd_report(args):
    from ..present import report

    check_output_path("--out", args.out, folder=True)
    if args.from_json:
        if args.dps is not None:
            raise InputError("--dps", "cannot be combined with --from-json (the file's verdicts "
                                      "were computed at the precision of the run that wrote it)")
        run, rows = report.read_verify_file(args.from_json, args.claims)
        missing = report.missing_claims(rows, args.claims)
        origin = f"read from {args.from_json} (rgproof verify --json)"
    else:
        dps = 50 if args.dps is None else args.dps
        results = _run_with_progress(claims.select(args.claims), claims.Context(dps=dps))
        rows, missing = [r.as_dict() for r in results], ()
        origin = f"computed now by the claims ledger at --dps {dps}"
        run = run_record(dps, args.claims)
    print(f"wrote {report.write(args.out, rows, origin=origin, missing=missing, run=run)}")
    return 0
