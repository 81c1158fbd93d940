"""Text for people: the verify table."""
import shutil

from .. import claims
from ..core.text import shorten


def format_table(results, width=None, wall=None):
    """The verdict table: id, verdict, digits, seconds, one-line evidence; the last line gives
    the counts and the time: ``wall`` seconds when given (checks in worker processes overlap,
    so the rows' seconds add up to more than the run took), else the rows' sum."""
    width = width or shutil.get_terminal_size((200, 24)).columns
    id_w = max([len("claim")] + [len(r.claim.id) for r in results])
    head = f"{'claim':<{id_w}}  {'verdict':<12}  {'digits':>6}  {'seconds':>7}  evidence"
    lines = [head, "-" * min(width, len(head) + 40)]
    room = max(30, width - (id_w + 35))
    for r in results:
        o = r.outcome
        digits = "-" if o.digits is None else str(o.digits)
        lines.append(f"{r.claim.id:<{id_w}}  {o.verdict:<12}  {digits:>6}  {r.seconds:7.2f}  "
                     f"{shorten(o.evidence, room)}")
    counts = {v: sum(r.outcome.verdict == v for r in results) for v in claims.VERDICTS}
    lines.append("")
    checks = sum(r.seconds for r in results)
    took = f"{checks:.1f} s" if wall is None else f"{wall:.1f} s ({checks:.1f} s of checks)"
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items()) + f"; {took}")
    return "\n".join(lines)
