"""The command line (layer 6 of 6): argument parsing, one module per subcommand.

``rgproof verify``, ``claims``, ``derive``, ``anneal``, ``sweep`` and ``report``. May import
every layer.

Exit codes: 0 every selected check ran (and, with ``--strict``, none is inconclusive); 1 a check
crashed or ``--strict`` found an inconclusive verdict; 2 bad usage (unknown option or claim
pattern, bad value).
"""
import sys

from ..core.errors import InputError
from .anneal import _add_anneal_parser, cmd_anneal
from .derive import cmd_derive
from .options import _dps, _Parser, _patterns
from .report import _add_report_parser, cmd_report
from .sweep import _add_sweep_parser, cmd_sweep
from .verify import cmd_claims, cmd_verify


def build_parser():
    parser = _Parser(prog="rgproof", description="Check the mathematics linking deep-network "
                                                  "training to the renormalization group.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    verify = sub.add_parser("verify", help="run the checks and print a verdict per claim")
    verify.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]",
                        help="shell-style patterns of claim ids (default: all)")
    verify.add_argument("--dps", type=_dps, default=50,
                        help="digits a high-precision 'holds' needs (default 50)")
    verify.add_argument("--json", metavar="PATH|-", default=None,
                        help="also write the run record and the rows as JSON ('-' for stdout)")
    verify.add_argument("--compare", metavar="OLD.json", default=None,
                        help="print the rows whose verdict, digits or certification differ from "
                             "an earlier verify --json file")
    verify.add_argument("--strict", action="store_true",
                        help="exit 1 if any verdict is inconclusive")

    listing = sub.add_parser("claims", help="list the registered claims")
    listing.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]")

    derive = sub.add_parser("derive", help="regenerate the LaTeX derivations")
    derive.add_argument("--out", default="derivations", help="output folder (default derivations)")
    derive.add_argument("--pdf", action="store_true", help="also build main.pdf with LaTeX")

    _add_anneal_parser(sub)
    _add_sweep_parser(sub)
    _add_report_parser(sub)
    return parser


COMMANDS = {"verify": cmd_verify, "claims": cmd_claims, "derive": cmd_derive,
            "anneal": cmd_anneal, "sweep": cmd_sweep, "report": cmd_report}


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"rgproof: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
