"""A sweep's results for people: the summary table, the figure, and the committed studies.

A study is a spec with ``vary`` lines (:mod:`rgproof.experiments.sweep`) and its results,
committed side by side (``examples/referee/NAME.json`` and ``NAME.jsonl``): :func:`plot_study`
draws each statistic against each line, trained beside the untrained control, and
:func:`study_figures` gives the report a figure per committed study.
"""
import io
import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from ..claims import ising_anneal as ising_anneal_claims
from ..core.text import short_cell, shorten, significant
from ..experiments.sweep import _describe, read_outcome
from . import plotting
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


# --------------------------------------------------------------------------- a study

@dataclass(frozen=True)
class StudyRow:
    """One statistic of a study's figure: a row of panels, one panel per line of the spec.

    ``trained`` and ``control`` are figures of the experiment, the statistic of the trained
    networks and of the untrained ones W_0 (the control: same seed, no training);
    ``reference(figures)`` is where the claims say the trained statistic goes (None: no value);
    ``component`` picks a coefficient of a list figure; a point whose ``accepted`` figure is None
    (the outputs fail the goodness of fit of the family) is drawn hollow."""

    label: str
    trained: str
    control: str
    reference_label: str
    reference: Callable
    component: Optional[int] = None
    accepted: Optional[str] = None

    def value(self, figures, name):
        value = figures.get(name)
        if self.component is not None and value is not None:
            value = value[self.component] if self.component < len(value) else None
        return value


def _theta_rows(R):
    return tuple(StudyRow(rf"ML fit $\tilde\theta_{r + 1}$ of the outputs", "theta_ml",
                          "theta_ml_untrained", r"teacher $\theta'_r s^{-2r}$",
                          lambda f, r=r: f["rg_prediction"] and f["rg_prediction"][r],
                          component=r, accepted="theta_T")
                 for r in range(R))


def study_rows(spec):
    """The :class:`StudyRow` s of a study of ``spec``'s experiment (ising: J_T and J_nn; expfam:
    each coefficient of the ML fit)."""
    if spec.experiment.name == "ising":
        return (StudyRow("$J_T$ from equation (3) at $g(T)$", "J_T", "J_T_untrained",
                         "$J^*$ of decimation", lambda f: ising_anneal_claims.fixed_point()),
                StudyRow("$J_{nn}$ of the outputs (no $g$)", "J_nn_T", "J_nn_untrained",
                         "teacher $W^*$", lambda f: f["J_nn_teacher"]))
    return _theta_rows(spec.points[0].options["R"])


#: Axis labels of options whose meaning is not their name; "steps" is drawn as T = steps dt.
AXIS_LABELS = {"steps": "horizon $T$ = steps $\\times$ dt", "tau": r"$\tau$ of $g(t)$",
               "c": "$c$ of $\\eta_t = c / \\log(t + 2)$", "hidden": "hidden layers"}


def _axis_value(point, name):
    return point.options["steps"] * point.options["dt"] if name == "steps" else point.varied[name]


def _panel_points(outcome, name):
    """``[(x, figures)]`` of the finished points on the line of ``name`` (for a grid option:
    the points at the centre of every line; None: those points, x None)."""
    spec = outcome.spec
    out = []
    for p in spec.points:
        record = outcome.records.get(p.key)
        if record is not None and record["status"] == "ok" and spec.on_line(p, name):
            out.append((name and _axis_value(p, name), record["figures"]))
    return out


def study_axes(spec):
    """The columns of a study's figure: its lines, then its grid options."""
    return [*spec.lines, *(n for n in spec.grid if n not in spec.lines)]


def plot_study(outcome, path):
    """PNG of a study: a row per :func:`study_rows` statistic, a column per line of the spec
    and per grid option; every point (seed) drawn, trained and control, with their means."""
    plt = pyplot()
    spec = outcome.spec
    rows, axes_names = study_rows(spec), study_axes(spec)
    fig, axes = plt.subplots(len(rows), len(axes_names), squeeze=False,
                             figsize=(3.1 * len(axes_names), 2.6 * len(rows) + 0.6))
    for j, name in enumerate(axes_names):
        points = _panel_points(outcome, name)
        # a line's numbers are an axis; other values (hidden widths, seeds) are categories, in
        # the spec's order, and a grid option's points are not joined (each seed stands alone)
        values = list(dict.fromkeys(json.dumps(x) for x, _ in points))
        numeric = name in spec.lines and all(_numeric(json.loads(v)) for v in values)
        position = {v: json.loads(v) if numeric else k for k, v in enumerate(values)}
        for i, row in enumerate(rows):
            _draw_panel(axes[i, j], row, [(position[json.dumps(x)], f) for x, f in points],
                        joined=name in spec.lines)
            axes[i, j].set_ylabel(row.label if j == 0 else "")
        axes[-1, j].set_xlabel(AXIS_LABELS.get(name, name))
        for ax in axes[:, j]:
            ticks = sorted(position.values())
            if numeric and ticks and ticks[0] > 0 and ticks[-1] >= 20 * ticks[0]:
                ax.set_xscale("log")
                ax.minorticks_off()
            ax.set_xticks(ticks, [significant(x, 3) for x in ticks] if numeric else
                          [short_cell(json.loads(v)).replace("()", "none") for v in values])
    for i in range(len(rows)):
        axes[i, 0].legend(fontsize="x-small")
    fig.suptitle(f"{spec.experiment.name} study: {len(outcome.records)} of {len(spec.points)} "
                 "points; trained (o) beside the untrained control W_0 (x)")
    save(fig, path, dpi=90)


def _draw_panel(ax, row, points, joined):
    """Every point's trained (o: hollow outside the family) and control (x) value at its x,
    the means over the points at each x (``joined``: as lines) and the reference."""
    by_x = {}
    for x, figures in points:
        by_x.setdefault(x, []).append(figures)
    xs = sorted(by_x)
    for x in xs:
        for figures in by_x[x]:
            trained, control = row.value(figures, row.trained), row.value(figures, row.control)
            hollow = row.accepted is not None and figures.get(row.accepted) is None
            if trained is not None:
                ax.plot(x, trained, "o", ms=4, color="C0", alpha=0.6,
                        mfc="none" if hollow else "C0")
            if control is not None:
                ax.plot(x, control, "x", ms=4, color="C1", alpha=0.6)
    for name, style, label in ((row.trained, "-", "trained (mean)"),
                               (row.control, "--", "untrained $W_0$ (mean)"), (None, ":", None)):
        means = [(x, _mean([row.value(f, name) if name else row.reference(f) for f in by_x[x]]))
                 for x in xs]
        means = [(x, m) for x, m in means if m is not None]
        if means:
            ax.plot(*zip(*means), style if joined else "_", ms=12,
                    color="0.4" if name is None else ("C0" if name == row.trained else "C1"),
                    label=label or row.reference_label)
    ax.grid(alpha=0.3)


def _mean(values):
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


def study_caption(outcome):
    """What a study's figure shows, with its numbers at the centre (means over the seeds)."""
    spec = outcome.spec
    centre = [f for _, f in _panel_points(outcome, None)]
    fixed = {k: v for k, v in spec.points[0].options.items() if v is not None and
             k not in (*spec.grid, "record_every", "backend", "dtype", "level", "R")}
    parts, rows = [], study_rows(spec)
    hollow = (" (hollow: outputs that fail the goodness of fit of the family)"
              if any(r.accepted for r in rows) else "")
    for row in rows:
        trained = _mean([row.value(f, row.trained) for f in centre])
        control = _mean([row.value(f, row.control) for f in centre])
        reference = _mean([row.reference(f) for f in centre])
        parts.append(f"{_plain(row.label)}: trained {significant(trained, 3)}, untrained "
                     f"{significant(control, 3)}, {_plain(row.reference_label)} "
                     f"{significant(reference, 3)}")
    grid = "; ".join(f"{n} in "
                     f"{short_cell(sorted({p.varied[n] for p in spec.points}, key=_sort_key))}"
                     for n in spec.grid if n not in spec.lines)
    return (f"{len(outcome.records)} of {len(spec.points)} points of the committed "
            f"{spec.experiment.name} sweep: {', '.join(spec.lines)} varied one at a time around "
            f"the centre {_describe(spec.centre)}, each at {grid}; fixed {_describe(fixed)}. "
            f"Dots: every trained point{hollow}, crosses: the untrained networks W_0 of the "
            "same seed; lines: means over the seeds; the horizon is T = steps x dt. At the "
            f"centre (means over the seeds): {'; '.join(parts)}.")


def _plain(label):
    """A LaTeX label as plain text: ``$\\tilde\\theta_1$`` -> ``theta~_1``."""
    text = label.replace("\\tilde\\theta", "theta~").replace("^*", "*")
    return "".join(ch for ch in text if ch not in "$\\{}")


class StudyFigure(NamedTuple):
    """A committed study as the report shows it: ``png`` is None when it cannot be drawn, and
    ``reason`` says why."""

    title: str
    caption: str
    png: Optional[bytes]
    reason: Optional[str] = None


#: Where the committed studies live: the source tree's examples (not installed with the
#: package: the report of an installed copy says so instead of drawing them).
STUDY_FOLDER = Path(__file__).resolve().parents[2] / "examples" / "referee"


def study_figures(folder=STUDY_FOLDER):
    """A :class:`StudyFigure` per committed study in ``folder`` (each ``NAME.json`` spec with its
    ``NAME.jsonl`` results), in name order; one without a png where the folder is missing."""
    folder = Path(folder)
    specs = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not specs:
        return [StudyFigure("Referee's study", "", None,
                            f"no committed study in {folder} (the studies ship with the source "
                            "repository, not with an installed package)")]
    figures = []
    for spec_path in specs:
        outcome = read_outcome(spec_path, spec_path.with_suffix(".jsonl"))
        title = (f"Referee's study ({outcome.spec.experiment.name}): "
                 + ", ".join(_plain(r.label) for r in study_rows(outcome.spec))
                 + f" against {', '.join(study_axes(outcome.spec))}, trained and untrained")
        caption = f"{study_caption(outcome)} Spec: {spec_path.name}."
        if not plotting.available():
            figures.append(StudyFigure(title, caption, None, "matplotlib is not installed "
                                                             "(pip install 'rgproof[plot]')"))
            continue
        image = io.BytesIO()
        plot_study(outcome, image)
        figures.append(StudyFigure(title, caption, image.getvalue()))
    return figures


__all__ = ['summary_table', 'plot', 'StudyRow', 'study_rows', 'plot_study', 'study_caption',
           'StudyFigure', 'STUDY_FOLDER', 'study_figures']
