"""``rgproof report``."""
from pathlib import Path

from .. import claims
from ..core.errors import InputError
from ..core.files import check_output_path
from ..core.record import run_record
from .options import DPS_HELP, _dps, _folder, _patterns
from .verify import _run_with_progress

#: What marks the index.html of an earlier report (the title that rgproof.present.report.render
#: gives the page): a folder that holds one may be written again.
REPORT_TITLE = "<title>rgproof report</title>"


def _add_report_parser(sub):
    """``rgproof report --out DIR``: the self-contained HTML page (see rgproof.present.report)."""
    report = sub.add_parser("report", help="write a self-contained HTML report of the verdicts")
    report.add_argument("--out", type=_folder, required=True, metavar="DIR",
                        help="output folder: new, empty, or one that an earlier rgproof report "
                             "wrote (its index.html and derivations/ are rewritten)")
    report.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]",
                        help="shell-style patterns of claim ids (default: all)")
    report.add_argument("--dps", type=_dps, default=None, help=DPS_HELP)
    report.add_argument("--from-json", metavar="FILE", default=None,
                        help="reuse the results of 'rgproof verify --json FILE' instead of running")
    report.add_argument("--compare", metavar="OLD.json", default=None,
                        help="mark the claims whose verdict differs from that in the file an "
                             "earlier 'rgproof verify --json' wrote")


def check_report_folder(out):
    """Refuse the folder ``out`` unless it is new, empty, or holds the index.html of an earlier
    report: the report writes index.html and derivations/ into it, which would overwrite or mix
    with the files of something else (a ``rgproof derive`` folder, a file named derivations)."""
    folder = Path(out)
    if not folder.is_dir() or not any(folder.iterdir()):
        return
    try:
        with open(folder / "index.html", encoding="utf-8", errors="replace") as page:
            if REPORT_TITLE in page.read(4096):
                return
    except OSError:
        pass
    raise InputError("--out", "must be a new or empty folder, or one that an earlier rgproof "
                              "report wrote (this one holds other files)", out)


def cmd_report(args):
    from ..present import figures, report

    check_output_path("--out", args.out, folder=True)
    check_report_folder(args.out)
    compare = None
    if args.compare:
        compare = (args.compare, report.read_previous(args.compare)[1])
    if args.from_json:
        if args.dps is not None:
            raise InputError("--dps", "cannot be combined with --from-json (the file's verdicts "
                                      "were computed at the precision of the run that wrote it)")
        run, rows = report.read_verify_file(args.from_json, args.claims)
        figures.check_details(rows, "--from-json")
        missing = report.missing_claims(rows, args.claims)
        origin = f"read from {args.from_json} (rgproof verify --json)"
    else:
        dps = 50 if args.dps is None else args.dps
        context = claims.Context(dps=dps)
        results = _run_with_progress(claims.select(args.claims), context)
        rows, missing = [r.as_dict() for r in results], ()
        origin = f"computed now by the claims ledger at --dps {dps}"
        run = run_record(dps, args.claims, claims.seeds(context))
    page = report.write(args.out, rows, origin=origin, missing=missing, run=run, compare=compare)
    print(f"wrote {page}")
    return 0
