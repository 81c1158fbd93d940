"""Argument types and the parser class shared by every subcommand."""
import argparse
import sys

from ..core.errors import InputError
from ..core.precision import check_dps


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
