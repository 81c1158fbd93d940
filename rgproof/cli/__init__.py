"""The command line (layer 6 of 6): argument parsing, one module per subcommand.

``rgproof verify``, ``claims``, ``derive``, ``anneal``, ``sweep`` and ``report``. May import
every layer.

Exit codes: 0 every selected check ran (and, with ``--strict``, none is inconclusive); 1 a check
crashed or ``--strict`` found an inconclusive verdict (or stdout was closed early); 2 bad usage
(unknown option or claim pattern, bad value); 130 interrupted (Ctrl-C), with one line on stderr.
"""
import os
import re
import sys
import warnings

from ..core import __version__
from ..core.errors import InputError
from .anneal import _add_anneal_parser, cmd_anneal
from .derive import cmd_derive
from .options import (DPS_HELP, _dps, _folder, _Parser, _patterns, add_jobs_option,
                      join_negative_values, option_names)
from .report import _add_report_parser, cmd_report
from .sweep import _add_sweep_parser, cmd_sweep
from .verify import cmd_claims, cmd_verify


def build_parser():
    parser = _Parser(prog="rgproof", description="Check the mathematics linking deep-network "
                                                  "training to the renormalization group.")
    parser.add_argument("--version", action="version", version=f"rgproof {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    verify = sub.add_parser("verify", help="run the checks and print a verdict per claim")
    verify.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]",
                        help="shell-style patterns of claim ids (default: all)")
    verify.add_argument("--dps", type=_dps, default=50, help=DPS_HELP)
    verify.add_argument("--json", metavar="PATH|-", default=None,
                        help="also write the run record and the rows as JSON ('-' for stdout)")
    verify.add_argument("--compare", metavar="OLD.json", default=None,
                        help="print the rows whose verdict, digits or certification differ from "
                             "an earlier verify --json file")
    verify.add_argument("--thorough", action="store_true",
                        help="the thorough tier: more seeds for every stochastic row, more "
                             "chains, draws and steps (minutes rather than seconds)")
    verify.add_argument("--strict", action="store_true",
                        help="exit 1 if any verdict is inconclusive")
    add_jobs_option(verify)

    listing = sub.add_parser("claims", help="list the registered claims")
    listing.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]")

    derive = sub.add_parser("derive", help="regenerate the LaTeX derivations")
    derive.add_argument("--out", type=_folder, default="derivations",
                        help="output folder (default derivations)")
    derive.add_argument("--pdf", action="store_true", help="also build main.pdf with LaTeX")

    _add_anneal_parser(sub)
    _add_sweep_parser(sub)
    _add_report_parser(sub)
    return parser


COMMANDS = {"verify": cmd_verify, "claims": cmd_claims, "derive": cmd_derive,
            "anneal": cmd_anneal, "sweep": cmd_sweep, "report": cmd_report}


def main(argv=None):
    """Run one command: its exit code; bad input is one line on stderr and exit 2, Ctrl-C one
    line and exit 130, a closed stdout (``rgproof claims | head -1``) a quiet exit 1, a failed
    write (a full disk) one line and exit 1, the previous output intact."""
    args = None
    try:
        parser = build_parser()
        args = parser.parse_args(join_negative_values(
            parser, sys.argv[1:] if argv is None else argv))
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                code = COMMANDS[args.command](args)
        except InputError as exc:
            print(f"rgproof: error: {_as_typed(exc, parser, args)}", file=sys.stderr)
            code = 2
        except OSError as exc:  # a full disk, a vanished folder: the writers left no torn file
            if isinstance(exc, BrokenPipeError):
                raise
            where = f" {exc.filename}" if exc.filename else ""
            print(f"rgproof: error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
            code = 1
        sys.stdout.flush()  # a closed pipe is found here, not at exit
        return code
    except KeyboardInterrupt:
        print(_interrupted(args), file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 1


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """A warning as one line, ``rgproof: warning: ...``, not Python's file-and-source form."""
    print(f"rgproof: warning: {message}", file=sys.stderr)


def _as_typed(exc, parser, args):
    """``exc`` naming the option the user typed (``--record-every``) where the engine named its
    field (``record_every``) or an entry of it (``theta_2``: ``--theta (theta_2)``)."""
    names = option_names(parser, args)
    parameter = str(exc.parameter)
    entry = re.fullmatch(r"(\w+?)_\d+", parameter)
    if parameter in names:
        return InputError(names[parameter], exc.rule, exc.value)
    if entry and entry.group(1) in names:
        return InputError(f"{names[entry.group(1)]} ({parameter})", exc.rule, exc.value)
    return exc


def _interrupted(args):
    """The one line that ends an interrupted command (on a fresh line after a progress bar)."""
    start = "\n" if sys.stderr.isatty() else ""
    checkpoint = getattr(args, "checkpoint", None)
    if checkpoint is None:
        return f"{start}rgproof: interrupted"
    if os.path.exists(checkpoint):
        return f"{start}rgproof: interrupted (continue with --resume); checkpoint at {checkpoint}"
    return f"{start}rgproof: interrupted; no checkpoint written yet to {checkpoint}"


def _quiet_stdout():
    """Point stdout at devnull so that the flush at exit finds no broken pipe either (the
    Python docs' note on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is no file (captured in tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
