"""Progress lines on a stream: the annealing run's bar and verify's counter."""
import sys

from ..core.text import short, significant

# --------------------------------------------------------------------------- the run loop

class Progress:
    """A one-line progress bar on a stream (stderr): step, t and the named record fields."""

    def __init__(self, total, stream=None, fields=("loss",), width=24):
        self.total, self.stream = total, stream or sys.stderr
        self.fields, self.width = fields, width
        self.tty = self.stream.isatty()
        self.shown = -1

    def update(self, step, record):
        tenth = 10 * step // max(self.total, 1)
        if not self.tty and tenth == self.shown:
            return
        self.shown = tenth
        filled = self.width * step // max(self.total, 1)
        values = " ".join(f"{k}={short(record.get(k))}" for k in self.fields)
        line = (f"[{'#' * filled}{'.' * (self.width - filled)}] {step}/{self.total} "
                f"t={significant(record['t'])} {values}")
        self.stream.write(f"\r\033[K{line}" if self.tty else line + "\n")
        if self.tty and step >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _progress(i, total, claim_id, stream):
    if stream.isatty():
        stream.write(f"\r\033[K[{i}/{total}] {claim_id}")
        if i == total:
            stream.write("\r\033[K")
    else:
        stream.write(f"[{i}/{total}] {claim_id}\n")
    stream.flush()


__all__ = ['Progress']
