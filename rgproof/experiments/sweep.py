"""Parameter sweeps: a grid of experiments run on dask.distributed, streamed into JSON Lines.

A SPEC file (JSON, or TOML by its ``.toml`` suffix) names an experiment of :data:`EXPERIMENTS`,
base options and a grid; the points are the cartesian product of the grid's lists::

    {"experiment": "ising",
     "base": {"N": 6, "M": 5, "steps": 300},
     "grid": {"seed": [0, 1], "J": [0.5, 1.0]}}

A spec may also (or instead) give ``vary``: one-at-a-time lines through the base point. The
points are then the base point and, for each option of ``vary``, a point per listed value with
every other option at its base value (a value equal to the base value is the base point, listed
once), each crossed with the grid::

    {"experiment": "ising", "base": {"tau": 0.5},
     "vary": {"tau": [0.1, 0.5, 2], "c": [0.001, 0.1]}, "grid": {"seed": [0, 1]}}

runs 2 x (1 + 2 + 2) = 10 points (tau = 0.5 is the base point); :attr:`Spec.lines` names the
lines and :attr:`Spec.centre` holds their base values.

Every point has a stable key, a hash of its canonical options (all of the config's fields,
defaults filled in, ints in float fields made floats), so the same point always has the same
key. Each finished point is appended to the output as one JSON line and fsynced at once, so an
interrupted sweep loses no finished point; a re-run skips every key already in the file. A
point whose experiment raises is recorded with its error; a point lost to the infrastructure (a
killed worker) is not written, so a re-run retries it. One sweep at a time holds the output
(a lock file beside it): a second sweep on the same file is refused.

>>> spec = parse_spec({"experiment": "ising", "base": {"N": 4, "M": 3},
...                    "grid": {"seed": [0, 1], "J": [1]}})
>>> [p.varied for p in spec.points]
[{'seed': 0, 'J': 1.0}, {'seed': 1, 'J': 1.0}]
>>> spec.points[0].key == point_key("ising", spec.points[0].options)
True
>>> parse_spec({"experiment": "ising", "grid": {"seed": []}})
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: grid.seed: must be a non-empty list of values (got [])
"""
import concurrent.futures
import dataclasses
import hashlib
import importlib
import itertools
import json
import math
import multiprocessing
import os
import socket
import sys
import time
import traceback
import typing
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError
from ..core.validate import check_positive_int
from ..core.text import short_cell, shorten
from ..core.validate import check_field
from . import expfam, ising
from .annealing import settings_ensemble
from .network import array_namespace, to_host
from .results_log import ResultsFile, ResultsLock, read_results, sweep_run_record

SPEC_KEYS = ("experiment", "base", "grid", "vary")


# --------------------------------------------------------------------------- the registry

@dataclass(frozen=True)
class Experiment:
    """One kind of sweepable experiment.

    ``config`` is the experiment's config dataclass, ``run(config, progress=None)`` runs it and
    ``as_json(result)`` gives its JSON record (the pattern of :mod:`rgproof.experiments.ising`).
    ``figures`` map a name to a function of the result giving a number, a list of numbers (one
    per coefficient, plotted as one line each) or None; ``bands`` map a figure to the figures of
    its interval, drawn as error bars in the plot.
    """

    name: str
    config: type
    run: typing.Callable
    as_json: typing.Callable
    figures: dict
    bands: dict = field(default_factory=dict)

    def option_names(self):
        return tuple(f.name for f in dataclasses.fields(self.config))

    def make_config(self, options):
        """The config of ``options``: names, the type of each field and the engine's seed rule
        are checked here (so a bad point fails before any runs), the values by the config."""
        cls = self.config
        known = self.option_names()
        for name in options:
            if name not in known:
                raise InputError(f"option {name!r}", f"is not an option of experiment "
                                                     f"{self.name!r}; options: {', '.join(known)}")
        hints = typing.get_type_hints(cls)
        values = {k: _coerce(k, hints.get(k), v) for k, v in options.items()}
        if "seed" in values:  # the rule rgproof.experiments.annealing.anneal applies when the point would run
            check_positive_int("option 'seed'", values["seed"], minimum=0)
        config = cls(**values)
        # the ensemble checks these when the point runs: a bad one must fail before any runs
        array_namespace(config.backend)
        if config.batch is not None:
            check_positive_int("option 'batch'", config.batch)
        return config


#: The kind (:data:`rgproof.core.validate.FIELD_KINDS`) of a field of each annotated type.
FIELD_KINDS = {int: "integer", float: "number", str: "string", tuple: "list", type(None): "null"}


def _coerce(name, annotation, value):
    """JSON and TOML know lists, not tuples, and write 1 for 1.0: convert by the field's type,
    then check the type (a seed of 1.5 or "a" is refused here, not in every worker).

    >>> _coerce("seed", int, "a")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: option 'seed': must be an integer (got 'a')
    """
    types = set(typing.get_args(annotation)) or {annotation}
    if float in types and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if tuple in types and isinstance(value, list):
        value = _as_tuple(value)
    kinds = [FIELD_KINDS[t] for t in types if t in FIELD_KINDS]
    return check_field(f"option {name!r}", value, *kinds) if kinds else value


def _as_tuple(value):
    return tuple(_as_tuple(v) for v in value) if isinstance(value, list) else value


def _ising_final(name):
    return lambda result: result.final[name]


def _ising_covers_fixed_point(result):
    final = result.final
    if final["ci_low"] is None:
        return None
    return final["ci_low"] <= 0.0 <= final["ci_high"]


def _ising_teacher_J_nn(result):
    """J_nn of the teacher W*'s outputs: where the training takes the trained J_nn."""
    cfg = result.config
    ensemble = settings_ensemble(cfg)
    ensemble.close()
    teacher = to_host(ensemble.teacher)[None]
    return ising.nn_statistic(ising.chain_correlations(cfg, teacher), cfg.M)


EXPERIMENTS = {
    "ising": Experiment(
        "ising", ising.IsingAnneal, ising.run, ising.as_json,
        figures={"J_T": _ising_final("J_t"), "ci_low": _ising_final("ci_low"),
                 "ci_high": _ising_final("ci_high"), "loss": _ising_final("loss"),
                 "roots": lambda result: len(result.final["roots"]),
                 "J_star_inside": _ising_covers_fixed_point,
                 "g_inf": lambda result: result.g.limit,
                 "g_gap": lambda result: result.g.limit - result.g(result.final["t"]),
                 "J_T_untrained": ising.untrained_J_T,
                 # J_nn: g-free, the coupling of the outputs as spins (ising.nn_statistic)
                 "J_nn_T": _ising_final("J_nn"),
                 "J_nn_untrained": lambda result: result.records[0]["J_nn"],
                 "J_nn_teacher": _ising_teacher_J_nn},
        bands={"J_T": ("ci_low", "ci_high")}),
}


def _expfam_final(name):
    return lambda result: result.final[name]


def _expfam_teacher(result):
    """theta~(W*), the fit of the teacher's own outputs (None when they are not in the family)."""
    fit = result.teacher_fit
    return list(fit.theta) if fit.in_family else None


def _expfam_gof(result):
    gof = result.final["fit"]["gof"]
    return None if gof is None else gof["p_value"]


def _expfam_ml(record, R):
    """The maximum-likelihood theta (R coefficients) of a record's outputs, whatever the goodness
    of fit says: the maximum with theta_R > 0, else the supremum on the boundary theta_R -> 0
    (the boundary fit's coefficients, zeros for the dropped ones); None when neither exists."""
    fit = record["fit"]
    if fit["mle"] is not None:
        return list(fit["mle"])
    boundary = fit["boundary"]
    return None if boundary is None else list(boundary["theta"]) + [0.0] * (R - boundary["R"])


EXPERIMENTS["expfam"] = Experiment(
    "expfam", expfam.ExpFamAnneal, expfam.run, expfam.as_json,
    figures={"theta_T": _expfam_final("theta_t"), "ci_low": _expfam_final("ci_low"),
             "ci_high": _expfam_final("ci_high"), "loss": _expfam_final("loss"),
             "in_family": lambda result: result.final["fit"]["in_family"],
             "gof_p": _expfam_gof, "theta_teacher": _expfam_teacher,
             "rg_prediction": lambda result: result.prediction,
             "theta_star": lambda result: result.theta_star,
             # the untrained networks W_0 are the record at t = 0
             "theta_T_untrained": lambda result: result.records[0]["theta_t"],
             "theta_ml": lambda result: _expfam_ml(result.final, result.config.R),
             "theta_ml_untrained": lambda result: _expfam_ml(result.records[0],
                                                             result.config.R)},
    bands={"theta_T": ("ci_low", "ci_high")})


def experiment(name):
    """The registry entry ``name``, or a clear error listing the known ones."""
    if not isinstance(name, str) or name not in EXPERIMENTS:
        raise InputError("experiment", f"must be one of {sorted(EXPERIMENTS)}", name)
    return EXPERIMENTS[name]


# --------------------------------------------------------------------------- the spec

@dataclass(frozen=True)
class Point:
    """One grid point: its key, all its options (canonical, JSON-able) and the varied ones."""

    key: str
    options: dict
    varied: dict


@dataclass(frozen=True)
class Spec:
    experiment: Experiment
    grid: tuple  # the varied option names, in the spec's order: the grid's, then vary's
    points: tuple
    lines: tuple = ()  # the options of vary: one line through the base point each
    centre: dict = field(default_factory=dict)  # their base values (canonical)

    def on_line(self, point, name):
        """Whether ``point`` lies on the line of ``name``: every other line at its centre."""
        return all(point.varied[n] == self.centre[n] for n in self.lines if n != name)


def canonical_options(config):
    """All fields of a config as JSON values (tuples become lists)."""
    return {f.name: _jsonable(getattr(config, f.name)) for f in dataclasses.fields(config)}


def point_key(experiment_name, options):
    """A 16-hex-digit hash of the experiment and its canonical options (order-independent).

    >>> point_key("ising", {"seed": 1, "J": 0.5}) == point_key("ising", {"J": 0.5, "seed": 1})
    True
    """
    text = json.dumps({"experiment": experiment_name, "options": options}, sort_keys=True,
                      separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_spec(path, max_points=None):
    """The spec in the file ``path`` (TOML when it ends in ``.toml``, else JSON), validated."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise InputError("SPEC", f"cannot be read ({exc.strerror})", str(path)) from None
    if path.suffix == ".toml":
        try:
            import tomllib
        except ImportError:  # Python 3.10
            raise InputError("SPEC", "a TOML spec needs Python >= 3.11 (or write it as JSON)",
                             str(path)) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError("SPEC", f"is not valid TOML: {exc}", str(path)) from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError("SPEC", f"is not valid JSON: {exc}", str(path)) from None
    return parse_spec(data, max_points)


def parse_spec(data, max_points=None):
    """Validate a spec (a dict) and expand its grid into :class:`Point` s, in grid order: every
    point is checked before any runs; more than ``max_points`` are refused before the first."""
    if not isinstance(data, dict):
        raise InputError("SPEC", "must be a table with the keys experiment, base, grid",
                         type(data).__name__)
    unknown = sorted(set(data) - set(SPEC_KEYS))
    if unknown:
        raise InputError("SPEC", f"unknown keys {unknown}; a spec has {list(SPEC_KEYS)}")
    kind = experiment(data.get("experiment"))
    base, grid, vary = data.get("base", {}), data.get("grid", {}), data.get("vary", {})
    if not isinstance(base, dict):
        raise InputError("base", "must be a table of option values", base)
    for section, table in (("grid", grid), ("vary", vary)):
        if not isinstance(table, dict):
            raise InputError(section, "must be a table of option names and lists of values",
                             table)
    if not (grid or vary):
        raise InputError("grid", "must be a table giving at least one option a list of values "
                                 "(or give vary: lines through the base point; one run of the "
                                 "base options is `rgproof anneal`)", grid)
    for name, value in base.items():
        _check_finite(f"base.{name}", value)
    for section, table in (("grid", grid), ("vary", vary)):
        for name, values in table.items():
            if not isinstance(values, list) or not values:
                raise InputError(f"{section}.{name}", "must be a non-empty list of values", values)
            if name in base and section == "grid":
                raise InputError(f"grid.{name}", "is also set in base; give it in one place only")
            if name in grid and section == "vary":
                raise InputError(f"vary.{name}", "is also in grid; give it in one place only")
            _check_finite(f"{section}.{name}", values)
    count = math.prod(len(values) for values in grid.values()) * \
        (1 + sum(len(values) for values in vary.values()))
    if max_points is not None and count > max_points:
        raise InputError("--yes", f"is needed to run the {count} points of this grid (more than "
                                  f"{max_points}); rgproof sweep never asks")
    names = (*grid, *vary)
    lines = [None, *((name, value) for name, values in vary.items() for value in values)]
    points, seen = [], {}
    for values in itertools.product(*grid.values()):
        for line in lines:
            varied = dict(zip(grid, values), **dict([line] if line else []))
            try:
                config = kind.make_config({**base, **varied})
            except InputError as exc:
                raise InputError(f"grid point {_describe(varied)}", str(exc)) from None
            options = canonical_options(config)
            key = point_key(kind.name, options)
            varied = {name: options[name] for name in names}
            if key in seen:
                if line and seen[key][1] is None:
                    continue  # a line's value at the base value: the base point, listed once
                raise InputError("grid", f"gives the same point twice: {_describe(seen[key][0])} "
                                         f"and {_describe(varied)}")
            seen[key] = (varied, line)
            points.append(Point(key, options, varied))
    centre = {name: points[0].varied[name] for name in vary}
    return Spec(kind, names, tuple(points), tuple(vary), centre)


def _check_finite(name, value):
    """Refuse NaN and infinities (JSON's NaN, TOML's nan/inf) anywhere in a spec's value: they
    have no JSON form, so the point's key and record could not hold them."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(name, "must hold finite numbers only", value)
    for item in value if isinstance(value, list) else ():
        _check_finite(name, item)


def _describe(options):
    return ", ".join(f"{k}={short_cell(v)}" for k, v in options.items())


# --------------------------------------------------------------------------- one point

def run_point(experiment_name, options):
    """Run one point and return its JSON record; an error of the experiment is recorded.

    This is what a worker runs; it only returns JSON-able data, never the result object.
    """
    kind = experiment(experiment_name)
    record = {"key": point_key(experiment_name, options), "experiment": experiment_name,
              "options": options, "worker": f"{socket.gethostname()}:{os.getpid()}"}
    start = time.perf_counter()
    try:
        result = kind.run(kind.make_config(options), progress=None)
        figures = {name: figure(result) for name, figure in kind.figures.items()}
        record.update(status="ok", figures=figures, result=kind.as_json(result))
    except Exception as exc:  # noqa: BLE001 - any failure of the experiment is its outcome
        record.update(status="error", error=f"{type(exc).__name__}: {exc}",
                      traceback=traceback.format_exc(limit=-8))
    record["seconds"] = time.perf_counter() - start
    return _jsonable(record)


def _jsonable(value):
    """Plain JSON values: numpy scalars unwrapped, tuples as lists, NaN and infinities as None."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        value = value.item() if getattr(value, "ndim", 0) == 0 else value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


# --------------------------------------------------------------------------- where points run

class DaskRunner:
    """Points as tasks on dask.distributed: a scheduler at ``address``, else a LocalCluster."""

    def __init__(self, distributed, address, workers, connect_timeout):
        self.distributed, self.address = distributed, address
        self.workers, self.connect_timeout = workers, connect_timeout
        self.cluster = self.client = None
        self.futures = []

    def __enter__(self):
        d = self.distributed
        if self.address is None:
            self.cluster = d.LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                          processes=True,
                                          dashboard_address=":0")  # any free port: no clash
            self.client = d.Client(self.cluster)
            self.description = f"a dask LocalCluster of {self.workers} worker processes"
        else:
            try:
                self.client = d.Client(self.address, timeout=self.connect_timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError("--scheduler", f"no dask scheduler answered within "
                                                f"{self.connect_timeout:g} s ({exc})",
                                 self.address) from None
            workers = len(self.client.scheduler_info().get("workers", {}))
            self.description = f"the dask scheduler at {self.address} ({workers} workers now)"
        return self

    def results(self, experiment_name, points):
        """``(point, record, None)`` or ``(point, None, exception)`` as each point finishes."""
        by_key = {}
        for point in points:
            future = self.client.submit(run_point, experiment_name, point.options,
                                        key=f"rgproof-sweep-{point.key}", pure=False)
            by_key[future.key] = point
            self.futures.append(future)
        for future in self.distributed.as_completed(self.futures):
            point = by_key[future.key]
            try:
                yield point, future.result(), None
            except Exception as exc:  # noqa: BLE001 - a killed worker, a lost connection
                yield point, None, exc
            future.release()

    def __exit__(self, *exc):
        if self.futures:
            self.client.cancel(self.futures)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class PoolRunner:
    """Points in a local ``concurrent.futures`` process pool (the fallback without dask)."""

    def __init__(self, workers):
        self.workers = workers
        self.description = (f"a local process pool of {workers} processes (concurrent.futures; "
                            "dask is not installed)")

    def __enter__(self):
        # fresh interpreters, as dask's workers are: forking a process with threads is unsafe
        self.pool = concurrent.futures.ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self

    def results(self, experiment_name, points):
        futures = {self.pool.submit(run_point, experiment_name, p.options): p for p in points}
        for future in concurrent.futures.as_completed(futures):
            try:
                yield futures[future], future.result(), None
            except Exception as exc:  # noqa: BLE001 - a worker process died
                yield futures[future], None, exc

    def __exit__(self, *exc):
        self.pool.shutdown(wait=True, cancel_futures=True)


def import_distributed():
    """dask.distributed, or None when it is not installed."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        return None


def choose_runner(scheduler=None, local=None, connect_timeout=10.0, points=None):
    """The runner for ``--scheduler ADDRESS`` or ``--local N`` (default: one worker per CPU,
    but no more than there are ``points``)."""
    default = min(os.cpu_count() or 1, points or os.cpu_count() or 1)
    workers = check_positive_int("--local", local if local is not None else default)
    distributed = import_distributed()
    if scheduler is not None:
        if distributed is None:
            raise InputError("--scheduler", "needs dask.distributed, an optional extra (pip "
                                            "install 'rgproof[dask]'); --local runs without it",
                             scheduler)
        if not (isinstance(connect_timeout, (int, float)) and connect_timeout > 0):
            raise InputError("--connect-timeout", "must be a number of seconds > 0",
                             connect_timeout)
        return DaskRunner(distributed, scheduler, None, connect_timeout)
    if distributed is None:
        return PoolRunner(workers)
    return DaskRunner(distributed, None, workers, connect_timeout)


# --------------------------------------------------------------------------- the sweep

@dataclass
class SweepOutcome:
    spec: Spec
    records: dict  # key -> record, for the spec's points that have one
    skipped: int
    ran: int
    lost: list  # (point, exception) of points that did not finish
    interrupted: bool = False

    @property
    def errors(self):
        return [p for p in self.spec.points if self.records.get(p.key, {}).get("status") == "error"]


def read_outcome(spec_path, out):
    """The :class:`SweepOutcome` of the spec in ``spec_path`` from its results file ``out``,
    read without running anything (the points missing from ``out`` have no record)."""
    spec, records = read_spec(spec_path), read_results(out)[0]
    return SweepOutcome(spec, {p.key: records[p.key] for p in spec.points if p.key in records},
                        skipped=0, ran=0, lost=[])


def sweep(spec, out, runner, *, retry_errors=False, progress=None):
    """Run the points of ``spec`` not yet in ``out`` on ``runner``; append each as it finishes.

    ``out`` is held for the whole sweep (:class:`ResultsFile`): a second sweep on it is refused
    before any point runs. ``progress`` (default stderr) gets a line per finished point: done /
    total.
    """
    with ResultsFile(out) as results:
        return _run_missing(spec, results, runner, retry_errors, progress or sys.stderr)


def _run_missing(spec, results, runner, retry_errors, progress):
    """Run the points of ``spec`` that the open :class:`ResultsFile` ``results`` lacks."""
    out, done = results.path, results.records
    if results.torn:
        progress.write(f"sweep: ignoring 1 unreadable line of {out}, its last, cut short by a "
                       "kill (its point runs again)\n")
    finished = {k for k, r in done.items()
                if not (retry_errors and r.get("status") == "error")}
    todo = [p for p in spec.points if p.key not in finished]
    total, skipped = len(spec.points), len(spec.points) - len(todo)
    outcome = SweepOutcome(spec, {p.key: done[p.key] for p in spec.points if p.key in done},
                           skipped, 0, [])
    if not todo:
        progress.write(f"sweep: all {total} points are already in {out}\n")
        return outcome
    run = sweep_run_record(sorted({p.options['seed'] for p in spec.points}))
    try:
        with runner:
            progress.write(f"sweep: {total} points, {skipped} already in {out}; running "
                           f"{len(todo)} on {runner.description}\n")
            progress.flush()
            count = skipped
            for point, record, exc in runner.results(spec.experiment.name, todo):
                count += 1
                if record is None:
                    outcome.lost.append((point, exc))
                    line = f"lost ({type(exc).__name__}: {exc}); a re-run retries it"
                else:
                    record["run"] = run
                    results.append(record)
                    outcome.records[point.key] = record
                    outcome.ran += 1
                    line = (_figure_text(spec.experiment, record) if record["status"] == "ok"
                            else f"error: {record['error']}")
                progress.write(f"[{count}/{total}] {point.key[:10]} {_describe(point.varied)}: "
                               f"{shorten(line, 100)}\n")
                progress.flush()
    except KeyboardInterrupt:
        outcome.interrupted = True
    return outcome


def _figure_text(kind, record):
    """The first two figures of a point, for its progress line."""
    shown = list(kind.figures)[:2]
    return ", ".join(f"{n}={short_cell(record['figures'].get(n))}" for n in shown) + \
        f" ({record['seconds']:.1f} s)"


# --------------------------------------------------------------------------- reporting

def check_figures(kind, figures):
    for name in figures:
        if name not in kind.figures:
            raise InputError("--figure", f"must be a figure of {kind.name!r}: "
                                         f"{', '.join(kind.figures)}", name)


__all__ = ['Experiment', 'EXPERIMENTS', 'experiment', 'Point', 'Spec', 'canonical_options', 'point_key', 'read_spec', 'parse_spec', 'run_point', 'read_results', 'ResultsLock', 'ResultsFile', 'DaskRunner', 'PoolRunner', 'import_distributed', 'choose_runner', 'SweepOutcome', 'read_outcome', 'sweep', 'check_figures']
