"""``rgproof sweep``."""
import sys

from ..core.errors import InputError
from ..core.files import check_distinct_paths, check_output_path
from ..experiments.sweep import PoolRunner, check_figures, choose_runner, read_spec, sweep
from ..present.plotting import check_plotting
from ..present.sweep import plot, plot_study, summary_table
from .options import _seconds

#: A grid of more points runs only with --yes (rgproof never asks): a slip in a grid (three
#: lists of 100 values) should not start days of runs.
MAX_POINTS_WITHOUT_YES = 10_000

# --------------------------------------------------------------------------- the command

def command(args, stdout=None, stderr=None):
    """``rgproof sweep``: exit 0 when every point has a result, 1 when some point errored or
    was lost, 130 when interrupted (re-run the same command to continue)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    check_output_path("--out", args.out)
    if args.plot:
        check_output_path("--plot", args.plot)
    check_distinct_paths({"SPEC": args.spec, "--out": args.out, "--plot": args.plot})
    spec = read_spec(args.spec, None if args.yes else MAX_POINTS_WITHOUT_YES)
    figures = args.figure or list(spec.experiment.figures)
    check_figures(spec.experiment, figures)
    if args.plot:
        check_plotting("--plot", args.plot)
        # a spec with vary lines is a study: without --against, --plot draws every line
        if args.against not in spec.grid and not (args.against is None and spec.lines):
            raise InputError("--against", f"--plot needs an option of the grid: "
                                          f"{', '.join(spec.grid)}", args.against)
    elif args.against is not None:
        raise InputError("--against", "is used with --plot FILE")
    runner = choose_runner(args.scheduler, args.local, args.connect_timeout, len(spec.points))
    if isinstance(runner, PoolRunner):
        stderr.write("sweep: dask is not installed; falling back to a local process pool "
                     f"(concurrent.futures) of {runner.workers} processes\n")
    outcome = sweep(spec, args.out, runner, retry_errors=args.retry_errors, progress=stderr)
    print(summary_table(outcome, figures), file=stdout)
    if args.plot:
        if args.against is None:
            plot_study(outcome, args.plot)
        else:
            plot(outcome, figures, args.against, args.plot)
        print(f"wrote {args.plot}", file=stdout)
    print(f"{len(outcome.records)} of {len(spec.points)} points in {args.out} "
          f"({outcome.skipped} from earlier runs, {outcome.ran} run now, "
          f"{len(outcome.errors)} with errors)", file=stdout)
    if outcome.interrupted:
        print(f"rgproof: interrupted; the finished points are in {args.out}: re-run the same "
              "command to continue", file=stderr)
        return 130
    if outcome.lost:
        print(f"rgproof: {len(outcome.lost)} point(s) did not finish; re-run the same command "
              "to retry them", file=stderr)
    if outcome.errors:
        print(f"rgproof: {len(outcome.errors)} point(s) raised errors (in {args.out}; "
              "--retry-errors runs them again)", file=stderr)
    return 1 if outcome.lost or outcome.errors else 0


def _add_sweep_parser(sub):
    """``rgproof sweep SPEC``: a grid of experiments on dask.distributed (see rgproof.experiments.sweep)."""
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
    add("--plot", metavar="FILE", default=None,
        help="write a PNG of the figures against PARAM (a spec with vary: without --against, "
             "the study's figure, every statistic against every line)")
    add("--connect-timeout", type=_seconds, default=10.0, help="seconds to reach --scheduler")
    add("--yes", action="store_true",
        help=f"run a grid of more than {MAX_POINTS_WITHOUT_YES} points (refused without it)")
    add("--retry-errors", action="store_true", help="run again the points recorded as errors")


def cmd_sweep(args):
    return command(args)


__all__ = ['command']
