"""Command line: ``rgproof verify``, ``rgproof claims``, ``rgproof derive``.

Exit codes: 0 every selected check ran (and, with ``--strict``, none is inconclusive); 1 a check
crashed or ``--strict`` found an inconclusive verdict; 2 bad usage (unknown option or claim
pattern, bad value).
"""
import argparse
import json
import shutil
import sys

from . import claims
from .errors import InputError
from .precision import check_dps


class _Parser(argparse.ArgumentParser):
    """argparse, but every usage error exits 2 with one clear line (argparse's own convention)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"rgproof: error: {message}\n")


def _dps(text):
    try:
        return check_dps(int(text), "--dps")
    except (ValueError, InputError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _patterns(text):
    patterns = [p.strip() for p in text.split(",") if p.strip()]
    if not patterns:
        raise argparse.ArgumentTypeError("--claims needs at least one pattern")
    return patterns


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
                        help="also write the results as a JSON array ('-' for stdout)")
    verify.add_argument("--strict", action="store_true",
                        help="exit 1 if any verdict is inconclusive")

    listing = sub.add_parser("claims", help="list the registered claims")
    listing.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]")

    derive = sub.add_parser("derive", help="regenerate the LaTeX derivations")
    derive.add_argument("--out", default="derivations", help="output folder (default derivations)")
    derive.add_argument("--pdf", action="store_true", help="also build main.pdf with LaTeX")
    return parser


def _shorten(text, width):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _progress(i, total, claim_id, stream):
    if stream.isatty():
        stream.write(f"\r\033[K[{i}/{total}] {claim_id}")
        if i == total:
            stream.write("\r\033[K")
    else:
        stream.write(f"[{i}/{total}] {claim_id}\n")
    stream.flush()


def format_table(results, width=None):
    """The verdict table: id, verdict, digits, seconds, one-line evidence."""
    width = width or shutil.get_terminal_size((200, 24)).columns
    id_w = max([len("claim")] + [len(r.claim.id) for r in results])
    head = f"{'claim':<{id_w}}  {'verdict':<12}  {'digits':>6}  {'seconds':>7}  evidence"
    lines = [head, "-" * min(width, len(head) + 40)]
    room = max(30, width - (id_w + 35))
    for r in results:
        o = r.outcome
        digits = "-" if o.digits is None else str(o.digits)
        lines.append(f"{r.claim.id:<{id_w}}  {o.verdict:<12}  {digits:>6}  {r.seconds:7.2f}  "
                     f"{_shorten(o.evidence, room)}")
    counts = {v: sum(r.outcome.verdict == v for r in results) for v in claims.VERDICTS}
    lines.append("")
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items()) +
                 f"; {sum(r.seconds for r in results):.1f} s")
    return "\n".join(lines)


def cmd_verify(args):
    selected = claims.select(args.claims)
    context = claims.Context(dps=args.dps)
    table_stream = sys.stderr if args.json == "-" else sys.stdout
    results = []
    for i, c in enumerate(selected, 1):
        _progress(i, len(selected), c.id, sys.stderr)
        results.append(claims.run(c, context))
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


def cmd_derive(args):
    from . import derive

    for path in derive.derive(args.out):
        print(f"wrote {path}")
    if args.pdf:
        try:
            print(f"wrote {derive.build_pdf(args.out)}")
        except derive.LatexMissing as exc:
            print(f"rgproof: cannot build the PDF: {exc}", file=sys.stderr)
            return 1
    return 0


COMMANDS = {"verify": cmd_verify, "claims": cmd_claims, "derive": cmd_derive}


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"rgproof: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
