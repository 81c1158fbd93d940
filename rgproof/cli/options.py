"""Argument types and the parser class shared by every subcommand."""
import argparse
import math
import os
import re
import sys

from ..core.errors import InputError
from ..core.precision import MAX_DPS, MIN_DPS, check_dps


class _Parser(argparse.ArgumentParser):
    """argparse, but every usage error exits 2 with one clear line (argparse's own convention)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"rgproof: error: {message}\n")


#: The help of ``--dps`` (verify, report), with its documented range.
DPS_HELP = f"digits a high-precision 'holds' needs, {MIN_DPS} to {MAX_DPS} (default 50)"


def _dps(text):
    """``--dps``: an integer from MIN_DPS to MAX_DPS (argparse prefixes "argument --dps: ")."""
    try:
        dps = int(text)
    except ValueError:
        dps = text
    try:
        return check_dps(dps, "--dps")
    except InputError as exc:
        raise argparse.ArgumentTypeError(f"{exc.rule} (got {text!r})") from None


def _folder(text):
    """An output folder: any path but the empty one (which would be the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"must name a folder (got {text!r})")
    return text


def _seconds(text):
    """A time limit: a finite number of seconds > 0 (``inf`` would wait forever)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds > 0 (got {text!r})")
    return seconds


def cores():
    """The CPUs this process may run on (its affinity where the system says, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return os.cpu_count() or 1


def _jobs(text):
    """``-j``: a number of worker processes >= 1."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes >= 1 (got {text!r})")
    return jobs


def add_jobs_option(parser):
    """``-j/--jobs N`` of ``rgproof verify`` (default: :func:`cores`)."""
    parser.add_argument("-j", "--jobs", type=_jobs, default=cores(), metavar="N",
                        help="run the checks in N worker processes (default: the cores, "
                             f"{cores()} here); -j 1 runs them one after another in this process")


def _patterns(text):
    patterns = [p.strip() for p in text.split(",") if p.strip()]
    if not patterns:
        raise argparse.ArgumentTypeError("--claims needs at least one pattern")
    return patterns


#: A value that argparse would take for an option because it starts with '-': a negative
#: number or a comma list starting with one ("-1,2", "-1e-3", "-.5", "-inf", "-1,0;0,1").
_NEGATIVE_VALUE = re.compile(r"-(\d|\.\d|inf|nan)", re.IGNORECASE)


def _walk(parser, args=None):
    """The actions of ``parser`` and of its subcommands (only those chosen in ``args``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = (action.choices.values() if args is None
                      else [action.choices.get(getattr(args, action.dest, None))])
            for sub in chosen:
                if sub is not None:
                    yield from _walk(sub, args)
        else:
            yield action


def option_names(parser, args):
    """``{dest: option}`` of the options of the command chosen in ``args`` (``record_every``:
    ``--record-every``), to name in errors the option the user typed."""
    return {a.dest: max(a.option_strings, key=len) for a in _walk(parser, args)
            if a.option_strings}


def join_negative_values(parser, argv):
    """``argv`` with ``--theta -1,2`` joined as ``--theta=-1,2``: argparse reads a value that
    starts with '-' as an option unless it is a plain number like -1 or -0.5, so ``-1,2``,
    ``-1e-3`` or ``-inf`` after an option that takes a value would be "expected one argument"."""
    takes_value, flags = set(), set()
    for action in _walk(parser):
        (flags if action.nargs == 0 else takes_value).update(action.option_strings)

    def expects_value(token):
        if not token.startswith("--") or "=" in token:
            return False
        if token in takes_value or token in flags:
            return token not in flags
        matches = {o for o in takes_value | flags if o.startswith(token)}  # abbreviations
        return bool(matches) and not matches & flags

    out = []
    for i, token in enumerate(argv):
        if token == "--":
            return out + list(argv[i:])
        if out and _NEGATIVE_VALUE.match(token) and expects_value(out[-1]):
            out[-1] = f"{out[-1]}={token}"
        else:
            out.append(token)
    return out
