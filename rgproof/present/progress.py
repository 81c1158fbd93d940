"""Progress on a stream (stderr): the annealing run's bar and verify's claim counter.

On a terminal both are tqdm bars (a well-kept library instead of hand-written escape codes)
with the rate and an estimate of the time left. Elsewhere (a pipe, a log file) they stay quiet:
plain lines without control characters, the run's at each tenth of its steps and verify's one
per claim (a log then shows which claim is running).
"""
import sys

from tqdm import tqdm

from ..core.text import short, significant

# --------------------------------------------------------------------------- the run loop

class Progress:
    """The progress of a run of ``total`` steps on ``stream`` (stderr): step, t and the named
    record ``fields``, updated at each record. A tqdm bar on a terminal; elsewhere a line
    ``[###.....] step/total t=... loss=...`` (``width`` marks) at each tenth of the steps."""

    def __init__(self, total, stream=None, fields=("loss",), width=24):
        self.total, self.stream = total, stream or sys.stderr
        self.fields, self.width = fields, width
        self.tty = self.stream.isatty()
        self.shown = -1
        self.bar = None

    def update(self, step, record):
        values = " ".join(f"{k}={short(record.get(k))}" for k in self.fields)
        status = f"t={significant(record['t'])} {values}"
        if self.tty:
            self._show_bar(step, status)
            return
        tenth = 10 * step // max(self.total, 1)
        if tenth == self.shown:
            return
        self.shown = tenth
        filled = self.width * step // max(self.total, 1)
        self.stream.write(f"[{'#' * filled}{'.' * (self.width - filled)}] {step}/{self.total} "
                          f"{status}\n")
        self.stream.flush()

    def _show_bar(self, step, status):
        if self.bar is None:  # the first record: step 0, or the checkpoint's step on --resume
            # leave=False until the end: a bar closed by an interruption clears its line
            # instead of printing itself again after rgproof's "interrupted" line
            self.bar = tqdm(total=self.total, initial=step, file=self.stream, unit="step",
                            dynamic_ncols=True, leave=False)
        self.bar.set_postfix_str(status, refresh=False)
        self.bar.update(step - self.bar.n)
        if step >= self.total:
            self.bar.leave = True  # the finished bar stays on the screen
            self.bar.close()


def claim_progress(selected, stream):
    """Iterate over the claims ``selected``, showing on ``stream`` which one runs: a tqdm bar
    (claims done, time left, the id running) on a terminal, cleared at the end; elsewhere a
    line ``[i/n] id`` as claim i starts."""
    total = len(selected)
    if stream.isatty():
        bar = tqdm(selected, file=stream, unit="claim", dynamic_ncols=True, leave=False)
        for claim in bar:
            bar.set_postfix_str(claim.id)
            yield claim
        return
    for i, claim in enumerate(selected, 1):
        stream.write(f"[{i}/{total}] {claim.id}\n")
        stream.flush()
        yield claim


__all__ = ['Progress', 'claim_progress']
