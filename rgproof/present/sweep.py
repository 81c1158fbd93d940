"""A sweep's results for people: the summary table and the figure."""
import json

from ..core.text import short_cell, shorten
from ..experiments.sweep import _describe
from .plotting import pyplot, save


def summary_table(outcome, figures=None):
    """One row per point of the spec: key, the grid's options, status and the figures."""
    spec = outcome.spec
    figures = list(figures or spec.experiment.figures)
    head = ["key", *spec.grid, "status", *figures]
    rows, notes = [], []
    for p in spec.points:
        record = outcome.records.get(p.key)
        status = "missing" if record is None else record["status"]
        values = record["figures"] if status == "ok" else {}
        rows.append([p.key[:10], *(short_cell(p.varied[n]) for n in spec.grid), status,
                     *(short_cell(values.get(n)) for n in figures)])
        notes.append(shorten(record["error"], 70) if status == "error" else "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(f"{c:<{w}}" for c, w in zip(row, widths)) + (f"  {note}" if note else "")
             for row, note in zip([head, *rows], ["", *notes])]
    lines = [line.rstrip() for line in lines]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def plot(outcome, figures, against, path):
    """PNG: each figure against the option ``against``, one line per setting of the others."""
    plt = pyplot()
    spec, kind = outcome.spec, outcome.spec.experiment
    others = [n for n in spec.grid if n != against]
    groups = {}
    for p in spec.points:
        record = outcome.records.get(p.key)
        if record is not None and record["status"] == "ok":
            label = _describe({n: p.varied[n] for n in others}) or None
            groups.setdefault(label, []).append((p.options[against], record["figures"]))
    fig, axes = plt.subplots(len(figures), 1, sharex=True, squeeze=False,
                             figsize=(7, 2.5 + 2 * len(figures)))
    for ax, name in zip(axes[:, 0], figures):
        low, high = kind.bands.get(name, (None, None))
        series = 0
        for label, rows in groups.items():
            rows = sorted(rows, key=lambda r: _sort_key(r[0]))
            listed = _is_list(rows, name)
            for r, (x, y, err) in enumerate(_components(rows, name, low, high)):
                if not y:  # e.g. a fit that was rejected at every point of this line
                    continue
                tag = ", ".join(filter(None, (label, f"r={r + 1}" if listed else None)))
                if err is not None:
                    ax.errorbar(x, y, yerr=err, marker="o", capsize=3, label=tag or None)
                else:
                    ax.plot(x, y, marker="o", label=tag or None)
                series += 1
        ax.set_ylabel(name)
        if series > 1:
            ax.legend(fontsize="small")
    axes[-1, 0].set_xlabel(against)
    fig.suptitle(f"{kind.name} sweep: {len(outcome.records)} of {len(spec.points)} points")
    save(fig, path)


def _is_list(rows, name):
    return any(isinstance(f.get(name), list) for _, f in rows)


def _components(rows, name, low, high):
    """``(x, y, yerr or None)`` per component of a figure (one for a number, R for a list)."""
    width = max((len(f[name]) for _, f in rows if isinstance(f.get(name), list)), default=1)
    for r in range(width):
        def part(f, key):
            value = f.get(key)
            return (value[r] if r < len(value) else None) if isinstance(value, list) else value

        kept = [(x, f) for x, f in rows if part(f, name) is not None]
        x = [x if _numeric(x) else short_cell(x) for x, _ in kept]
        y = [float(part(f, name)) for _, f in kept]
        err = None
        if low and kept and all(part(f, low) is not None and part(f, high) is not None
                                for _, f in kept):
            err = [[v - part(f, low) for v, (_, f) in zip(y, kept)],
                   [part(f, high) - v for v, (_, f) in zip(y, kept)]]
        yield x, y, err


def _numeric(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _sort_key(value):
    return (0, value, "") if _numeric(value) else (1, 0, json.dumps(value))


__all__ = ['summary_table', 'plot']
