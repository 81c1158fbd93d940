"""Command line: ``rgproof verify``, ``rgproof claims``, ``rgproof derive``, ``rgproof anneal``.

Exit codes: 0 every selected check ran (and, with ``--strict``, none is inconclusive); 1 a check
crashed or ``--strict`` found an inconclusive verdict; 2 bad usage (unknown option or claim
pattern, bad value).
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

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


def check_output_path(option, path, *, folder=False):
    """Refuse, before any work, an output path that cannot be written: ``path`` must not be a
    folder (``folder=True``: must be one or not exist yet) and the folder that will hold it must
    exist and be writable. Returns ``path``; an hour-long run must not die at its last line.

    >>> check_output_path("--json", "/nonexistent-folder/x.json")
    Traceback (most recent call last):
        ...
    rgproof.errors.InputError: --json: its folder must exist (got '/nonexistent-folder/x.json')
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

    _add_anneal_parser(sub)
    _add_sweep_parser(sub)
    _add_report_parser(sub)
    return parser


def _add_anneal_parser(sub):
    """``rgproof anneal ising|expfam``: annealed network ensembles and their output systems."""
    anneal = sub.add_parser("anneal", help="anneal network ensembles (simulated annealing)")
    experiments = anneal.add_subparsers(dest="experiment", required=True, parser_class=_Parser)
    ising = experiments.add_parser(
        "ising", help="J_t of annealed networks against the decimation fixed point J* = 0")
    add = ising.add_argument
    add("--N", type=int, default=8, help="inputs (the Ising chain length; default 8)")
    add("--M", type=int, default=8, help="outputs, periodic (default 8)")
    add("--J", type=float, default=1.0, help="data coupling J of the Ising chain (default 1)")
    add("--tau", type=float, default=None, help="g(t) = g(inf)(1 - exp(-t/tau)); default T/40")
    add("--target", type=float, default=None, metavar="J'",
        help="choose g(inf) so that J_t -> J' (default: the theorem's J' = 0)")
    _add_engine_options(ising, activation="sigmoid", chains=64, steps=2000, bootstrap=500,
                        plot="J_t and the loss")
    expfam = experiments.add_parser(
        "expfam", help="theta~_t of networks trained on exponential-family data, against the "
                       "teacher, the RG prediction and the paper's theta*")
    add = expfam.add_argument
    add("--N", type=int, default=2, help="inputs: data on R^N (default 2)")
    add("--M", type=int, default=2, help="outputs: the radial fit is in R^M (default 2)")
    add("--theta", default="0.5,0.25", help="theta_1,...,theta_R of the data (default 0.5,0.25)")
    add("--A", default=None, metavar="ROW;ROW", help="symmetric positive definite A, rows "
                                                     "separated by ';' (default I)")
    add("--b", default=None, metavar="B1,...", help="linear term b (default 0)")
    add("--R", type=int, default=None, help="coefficients of the fit (default: those of theta)")
    add("--teacher", default="rg", help="rg (y = s R z), linear (y = G z) or mlp (default rg)")
    add("--scale", type=float, default=1.5, help="s of the rg teacher (default 1.5)")
    add("--train-size", type=int, default=64, help="rows of the training set (default 64)")
    add("--eval-size", type=int, default=256, help="fresh evaluation inputs per chain (256)")
    _add_engine_options(expfam, activation=None, chains=16, steps=400, bootstrap=200,
                        plot="theta~_t per r and the loss")


def _add_engine_options(parser, *, activation, chains, steps, bootstrap, plot):
    """The annealing engine's options, shared by the experiments (their defaults differ)."""
    add = parser.add_argument
    add("--hidden", default="", metavar="W1,W2", help="hidden widths (default: none)")
    add("--activation", default=activation, help=f"sigmoid, tanh, identity or module:attribute "
                                                 f"(default {activation or 'by the teacher'})")
    add("--chains", type=int, default=chains, help=f"independent chains K (default {chains})")
    add("--steps", type=int, default=steps, help=f"Euler-Maruyama steps (default {steps})")
    add("--dt", type=float, default=0.01, help="step size (default 0.01)")
    add("--c", type=float, default=0.01, help="cooling constant: eta_t = c/log(t+2) (0.01)")
    add("--lam", type=float, default=0.1, help="penalty lambda ||W - W*||^2 (default 0.1)")
    add("--seed", type=int, default=0, help="seed of teacher, W_0 and noise (default 0)")
    add("--batch", type=int, default=None, help="SGD variant: minibatch size (no Brownian noise)")
    add("--bootstrap", type=int, default=bootstrap,
        help=f"bootstrap replicates (default {bootstrap})")
    add("--record-every", type=int, default=None, help="steps between records (steps/100)")
    add("--backend", default="numpy", help="numpy or cupy")
    add("--dtype", default="float64", help="float64 or float32")
    add("--checkpoint", metavar="FILE", default=None, help="write the run state to FILE")
    add("--checkpoint-every", type=int, default=None, help="steps between checkpoints")
    add("--resume", action="store_true", help="continue from --checkpoint FILE")
    add("--json", metavar="FILE", default=None, help="write config and trajectory as JSON")
    add("--plot", metavar="FILE", default=None, help=f"write a PNG of {plot}")


def _add_sweep_parser(sub):
    """``rgproof sweep SPEC``: a grid of experiments on dask.distributed (see rgproof.sweep)."""
    sweep = sub.add_parser("sweep", help="run a grid of experiments, results into JSON Lines")
    add = sweep.add_argument
    add("spec", metavar="SPEC", help="JSON or TOML file: experiment, base options, grid")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="a dask scheduler (tcp://...)")
    where.add_argument("--local", type=int, metavar="N", default=None,
                       help="a LocalCluster of N worker processes (default: one per CPU)")
    add("--out", default="results.jsonl", help="JSON Lines results (default results.jsonl)")
    add("--figure", action="append", metavar="NAME", help="figure to show (repeatable)")
    add("--against", metavar="PARAM", help="grid option on the x axis of --plot")
    add("--plot", metavar="FILE", default=None, help="write a PNG of the figures against PARAM")
    add("--connect-timeout", type=float, default=10.0, help="seconds to reach --scheduler")
    add("--retry-errors", action="store_true", help="run again the points recorded as errors")


def _add_report_parser(sub):
    """``rgproof report --out DIR``: the self-contained HTML page (see rgproof.report)."""
    report = sub.add_parser("report", help="write a self-contained HTML report of the verdicts")
    report.add_argument("--out", required=True, metavar="DIR", help="output folder")
    report.add_argument("--claims", type=_patterns, default=None, metavar="GLOB[,GLOB...]",
                        help="shell-style patterns of claim ids (default: all)")
    report.add_argument("--dps", type=_dps, default=None,
                        help="digits a high-precision 'holds' needs (default 50)")
    report.add_argument("--from-json", metavar="FILE", default=None,
                        help="reuse the results of 'rgproof verify --json FILE' instead of running")


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


def cmd_derive(args):
    from . import derive

    check_output_path("--out", args.out, folder=True)
    for path in derive.derive(args.out):
        print(f"wrote {path}")
    if args.pdf:
        try:
            print(f"wrote {derive.build_pdf(args.out)}")
        except derive.LatexMissing as exc:
            print(f"rgproof: cannot build the PDF: {exc}", file=sys.stderr)
            return 1
    return 0


def cmd_anneal(args):
    from . import anneal, expfam, ising_anneal, plotting

    experiment = expfam if args.experiment == "expfam" else ising_anneal
    for option, path in (("--json", args.json), ("--plot", args.plot),
                         ("--checkpoint", args.checkpoint)):
        if path is not None:
            check_output_path(option, path)
    if args.plot:
        plotting.check_plotting()
    if args.experiment == "expfam":
        config = expfam.config_from_args(args)
    else:
        config = ising_anneal.IsingAnneal(
            N=args.N, M=args.M, hidden=anneal.parse_hidden(args.hidden),
            activation=args.activation, chains=args.chains, steps=args.steps, dt=args.dt,
            c=args.c, lam=args.lam, seed=args.seed, J=args.J, tau=args.tau, target=args.target,
            record_every=args.record_every, bootstrap=args.bootstrap, batch=args.batch,
            backend=args.backend, dtype=args.dtype)
    try:
        result = experiment.run(config, checkpoint=args.checkpoint,
                                checkpoint_every=args.checkpoint_every, resume=args.resume,
                                progress=sys.stderr)
    except KeyboardInterrupt:
        hint = " (continue with --resume)" if args.checkpoint else ""
        print(f"\nrgproof: interrupted{hint}", file=sys.stderr)
        return 130
    print(experiment.summary(result))
    if args.json:
        anneal.write_json(experiment.as_json(result), args.json)
        print(f"wrote {args.json}")
    if args.plot:
        experiment.plot(result, args.plot)
        print(f"wrote {args.plot}")
    return 0


def cmd_report(args):
    from . import report

    check_output_path("--out", args.out, folder=True)
    if args.from_json:
        if args.dps is not None:
            raise InputError("--dps", "cannot be combined with --from-json (the file's verdicts "
                                      "were computed at the precision of the run that wrote it)")
        rows = report.read_verify_json(args.from_json, args.claims)
        missing = report.missing_claims(rows, args.claims)
        origin = f"read from {args.from_json} (rgproof verify --json)"
    else:
        dps = 50 if args.dps is None else args.dps
        results = _run_with_progress(claims.select(args.claims), claims.Context(dps=dps))
        rows, missing = [r.as_dict() for r in results], ()
        origin = f"computed now by the claims ledger at --dps {dps}"
    print(f"wrote {report.write(args.out, rows, origin=origin, missing=missing)}")
    return 0


def cmd_sweep(args):
    from . import sweep

    return sweep.command(args)


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
