"""Text for people: the verify table."""
import shutil

from .. import claims
from ..core.text import shorten


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
                     f"{shorten(o.evidence, room)}")
    counts = {v: sum(r.outcome.verdict == v for r in results) for v in claims.VERDICTS}
    lines.append("")
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items()) +
                 f"; {sum(r.seconds for r in results):.1f} s")
    return "\n".join(lines)
