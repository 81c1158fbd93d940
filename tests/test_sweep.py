"""``rgproof sweep``: grids of tiny Ising runs on a two-worker dask LocalCluster (skipped without
dask) and on the process-pool fallback; resume, errors, lost workers and bad specs."""
import json
import os
import socket
import sys

import numpy as np
import pytest

from rgproof.cli import main
from rgproof.experiments import ising as ising_experiment
from rgproof.experiments import sweep
from rgproof.present import sweep as present_sweep

TINY = {"N": 4, "M": 3, "chains": 8, "steps": 100, "dt": 0.02, "record_every": 25,
        "bootstrap": 50}
GRID = {"seed": [0, 1], "J": [0.5, 1.0]}


# The failing activations live in a fake installed distribution (written by the module-scoped
# fixture ``activation_plugins``) that offers them under the entry-point group
# rgproof.activations: the worker processes find them by name, as they would a real plugin.
PLUGIN_MODULE = "rgproof_sweep_activations"
PLUGIN_SOURCE = """\
from rgproof.experiments.network import Activation


def _boom(z):
    raise RuntimeError("boom: this activation always fails")


def _exit_worker(z):
    import os

    os._exit(3)  # the worker process dies without a Python exception


EXPLODING = Activation.custom("exploding_demo", _boom, _boom)
KILLER = Activation.custom("killer_demo", _exit_worker, _exit_worker)
"""


def plant_distribution(folder, module, source, entry_points, dist):
    """Write into ``folder`` a module and the .dist-info of an installed distribution ``dist``
    that declares ``entry_points`` (name -> "module:ATTRIBUTE") in the group rgproof.activations."""
    (folder / f"{module}.py").write_text(source)
    info = folder / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[rgproof.activations]\n" + "".join(f"{n} = {v}\n" for n, v in entry_points.items()))


@pytest.fixture(scope="module")
def activation_plugins(tmp_path_factory):
    """The plugin folder, on our sys.path and on the PYTHONPATH that worker processes inherit.

    Module-scoped and requested by ``scheduler``: it must exist before any cluster or pool starts.
    """
    folder = tmp_path_factory.mktemp("plugins")
    plant_distribution(folder, PLUGIN_MODULE, PLUGIN_SOURCE,
                       {"exploding_demo": f"{PLUGIN_MODULE}:EXPLODING",
                        "killer_demo": f"{PLUGIN_MODULE}:KILLER"},
                       dist="rgproof-sweep-activations")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(folder),
                                                              os.environ.get("PYTHONPATH")])))
        mp.syspath_prepend(folder)
        yield folder
    sys.modules.pop(PLUGIN_MODULE, None)


def write_spec(tmp_path, grid=GRID, base=TINY, experiment="ising", name="spec.json", **extra):
    path = tmp_path / name
    path.write_text(json.dumps({"experiment": experiment, "base": base, "grid": grid, **extra}))
    return path


def reference_figures(options):
    """The figures of one point computed here, in-process, without the sweep machinery."""
    result = ising_experiment.run(ising_experiment.IsingAnneal(**{**TINY, **options}))
    return {"J_T": result.final["J_t"], "ci_low": result.final["ci_low"],
            "ci_high": result.final["ci_high"], "loss": result.final["loss"],
            "g_inf": result.g.limit}


def read_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def assert_matches_reference(records):
    for record in records:
        assert record["status"] == "ok", record.get("error")
        varied = {k: record["options"][k] for k in GRID}
        expected = reference_figures(varied)
        for name, value in expected.items():
            assert record["figures"][name] == pytest.approx(value, rel=1e-12, abs=1e-300), name
        assert record["result"]["trajectory"][-1]["J_t"] == record["figures"]["J_T"]


@pytest.fixture(scope="module")
def scheduler(activation_plugins):
    """One two-worker LocalCluster (processes) for the module, addressed like a real scheduler."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def run_cli(capsys, *args):
    code = main(["sweep", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --------------------------------------------------------------------------- dask

@pytest.mark.slow
def test_local_cluster_sweep_streams_every_point_and_matches_direct_runs(tmp_path, capsys):
    pytest.importorskip("distributed")
    spec, out = write_spec(tmp_path), tmp_path / "results.jsonl"
    code, stdout, stderr = run_cli(capsys, spec, "--local", 2, "--out", out)
    assert code == 0, stderr
    assert "dask LocalCluster of 2 worker processes" in stderr
    assert "[4/4]" in stderr
    records = read_lines(out)
    assert sorted((r["options"]["seed"], r["options"]["J"]) for r in records) == \
        [(0, 0.5), (0, 1.0), (1, 0.5), (1, 1.0)]
    assert_matches_reference(records)
    # both workers took part (each point records its process)
    assert len({r["worker"] for r in records}) == 2
    # the summary: a row per point with the key, the grid options and the figures
    rows = [line.split() for line in stdout.splitlines() if line[:10] in
            {r["key"][:10] for r in records}]
    assert len(rows) == 4 and all(row[3] == "ok" for row in rows)


@pytest.mark.slow
def test_rerun_skips_finished_points_and_a_partial_file_runs_only_the_missing(
        tmp_path, capsys, scheduler):
    spec, out = write_spec(tmp_path), tmp_path / "results.jsonl"
    assert run_cli(capsys, spec, "--scheduler", scheduler, "--out", out)[0] == 0
    complete = out.read_bytes()
    code, stdout, stderr = run_cli(capsys, spec, "--scheduler", scheduler, "--out", out)
    assert code == 0 and "all 4 points are already in" in stderr
    assert out.read_bytes() == complete  # nothing recomputed, nothing appended
    assert "4 from earlier runs, 0 run now" in stdout

    # a sweep killed while writing its third point: two whole lines and half of the third
    lines = complete.split(b"\n")
    out.write_bytes(lines[0] + b"\n" + lines[1] + b"\n" + lines[2][: len(lines[2]) // 2])
    code, stdout, stderr = run_cli(capsys, spec, "--scheduler", scheduler, "--out", out)
    assert code == 0, stderr
    assert "ignoring 1 unreadable line" in stderr and "running 2" in stderr
    records, torn = sweep.read_results(out)
    assert torn == 0 and len(records) == 4  # the torn line was cut off before the appends
    finished_first = {json.loads(lines[i])["key"] for i in (0, 1)}
    ran_again = [json.loads(line) for line in out.read_text().splitlines()[2:]]
    assert {r["key"] for r in ran_again} == set(records) - finished_first
    assert_matches_reference(records.values())


def test_a_failing_point_is_recorded_and_the_others_finish(tmp_path, capsys, activation_plugins,
                                                           scheduler):
    spec = write_spec(tmp_path, grid={"seed": [0], "activation": ["sigmoid", "exploding_demo"]})
    out = tmp_path / "results.jsonl"
    code, stdout, stderr = run_cli(capsys, spec, "--scheduler", scheduler, "--out", out)
    assert code == 1
    by_activation = {r["options"]["activation"]: r for r in read_lines(out)}
    assert by_activation["sigmoid"]["status"] == "ok"
    failed = by_activation["exploding_demo"]
    assert failed["status"] == "error" and failed["error"].startswith("RuntimeError: boom")
    assert "_boom" in failed["traceback"]
    assert "1 point(s) raised errors" in stderr and "RuntimeError: boom" in stdout
    # a re-run keeps the recorded error; --retry-errors runs that point (only) again
    assert run_cli(capsys, spec, "--scheduler", scheduler, "--out", out)[0] == 1
    assert len(read_lines(out)) == 2
    code, _, stderr = run_cli(capsys, spec, "--scheduler", scheduler, "--out", out,
                              "--retry-errors")
    assert code == 1 and "running 1" in stderr and len(read_lines(out)) == 3


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_a_killed_worker_loses_only_its_own_point(tmp_path, capsys, activation_plugins):
    pytest.importorskip("distributed")
    import dask

    spec = write_spec(tmp_path, grid={"activation": ["sigmoid", "killer_demo", "tanh"]})
    out = tmp_path / "results.jsonl"
    # no retries on other workers: the first death of the point ends it (KilledWorker)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        code, stdout, stderr = run_cli(capsys, spec, "--local", 2, "--out", out)
    assert code == 1 and "KilledWorker" in stderr and "did not finish" in stderr
    records = read_lines(out)
    assert sorted(r["options"]["activation"] for r in records) == ["sigmoid", "tanh"]
    assert all(r["status"] == "ok" for r in records)
    assert "missing" in stdout  # the lost point is not in the file: a re-run retries it


def test_expfam_sweep_records_the_fit_and_the_exact_rg_prediction(tmp_path, capsys, scheduler):
    from rgproof.experiments import expfam

    base = {"N": 2, "M": 2, "theta": [0.5, 0.25], "teacher": "rg", "chains": 4, "steps": 40,
            "eval_size": 64, "bootstrap": 30, "record_every": 20}
    spec = write_spec(tmp_path, experiment="expfam", base=base, grid={"scale": [1.5, 2]})
    out = tmp_path / "results.jsonl"
    code, stdout, stderr = run_cli(capsys, spec, "--scheduler", scheduler, "--out", out,
                                   "--figure", "theta_T", "--figure", "rg_prediction")
    assert code == 0, stderr
    for record in read_lines(out):
        s = record["options"]["scale"]
        # A = I: theta~_r = theta_r s^(-2r) exactly for y = s R z
        assert record["figures"]["rg_prediction"] == pytest.approx([0.5 / s**2, 0.25 / s**4],
                                                                   rel=1e-14)
        direct = expfam.run(expfam.ExpFamAnneal(**{**base, "theta": (0.5, 0.25), "scale": s}))
        assert record["figures"]["theta_T"] == direct.final["theta_t"]
        assert record["figures"]["in_family"] is direct.final["fit"]["in_family"]
    assert "0.2222,0.04938" in stdout  # s = 1.5's prediction in the table, as a list over r


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    pytest.importorskip("distributed")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "results.jsonl"
    code, _, stderr = run_cli(capsys, write_spec(tmp_path), "--scheduler",
                              f"tcp://127.0.0.1:{port}", "--connect-timeout", 0.5, "--out", out)
    assert code == 2
    assert "--scheduler: no dask scheduler answered within 0.5 s" in stderr
    assert not out.exists()


# --------------------------------------------------------------------------- without dask

@pytest.fixture
def no_dask(monkeypatch):
    monkeypatch.setattr(sweep, "import_distributed", lambda: None)


def test_without_dask_local_falls_back_to_a_process_pool(tmp_path, capsys, no_dask):
    spec, out = write_spec(tmp_path, grid={"seed": [0, 1], "J": [1.0]}), tmp_path / "r.jsonl"
    code, _, stderr = run_cli(capsys, spec, "--local", 2, "--out", out)
    assert code == 0, stderr
    assert "dask is not installed; falling back to a local process pool" in stderr
    records = read_lines(out)
    assert len(records) == 2
    for record in records:
        expected = reference_figures({"seed": record["options"]["seed"], "J": 1.0})
        assert record["figures"]["J_T"] == expected["J_T"]
        assert record["figures"]["loss"] == pytest.approx(expected["loss"], rel=1e-12)
    code, _, stderr = run_cli(capsys, spec, "--scheduler", "tcp://127.0.0.1:8786",
                              "--out", out)
    assert code == 2 and "needs dask.distributed" in stderr


def test_without_dask_the_pool_workers_find_installed_activations(tmp_path, capsys, no_dask,
                                                                   activation_plugins):
    spec = write_spec(tmp_path, grid={"seed": [0], "activation": ["tanh", "exploding_demo"]})
    out = tmp_path / "r.jsonl"
    code, stdout, stderr = run_cli(capsys, spec, "--local", 2, "--out", out)
    assert code == 1, stderr
    by_activation = {r["options"]["activation"]: r for r in read_lines(out)}
    assert by_activation["tanh"]["status"] == "ok"
    failed = by_activation["exploding_demo"]
    assert failed["status"] == "error" and failed["error"].startswith("RuntimeError: boom")


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("spec, message", [
    ({"experiment": "potts", "grid": {"seed": [0]}},
     "experiment: must be one of ['expfam', 'ising'] (got 'potts')"),
    ({"experiment": "ising", "base": {"spins": 3}, "grid": {"seed": [0]}},
     "option 'spins': is not an option of experiment 'ising'"),
    ({"experiment": "ising", "grid": {"sead": [0, 1]}},
     "option 'sead': is not an option of experiment 'ising'"),
    ({"experiment": "ising", "grid": {"seed": []}},
     "grid.seed: must be a non-empty list of values (got [])"),
    ({"experiment": "ising", "grid": {}}, "grid: must be a table giving at least one option"),
    ({"experiment": "ising", "base": {"N": 4}}, "grid: must be a table giving at least one"),
    ({"experiment": "ising", "grid": {"seed": 3}}, "grid.seed: must be a non-empty list"),
    ({"experiment": "ising", "grid": {"chains": [8, 1]}},
     "grid point chains=1: chains: a bootstrap over chains needs at least 2 chains"),
    ({"experiment": "ising", "grid": {"J": [1, 1.0]}}, "grid: gives the same point twice"),
    ({"experiment": "ising", "base": {"seed": 0}, "grid": {"seed": [1]}},
     "grid.seed: is also set in base"),
    ({"experiment": "ising", "grids": {"seed": [1]}}, "SPEC: unknown keys ['grids']"),
])
def test_bad_specs_are_rejected_before_anything_runs(tmp_path, capsys, spec, message):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    code, _, stderr = run_cli(capsys, path, "--out", tmp_path / "r.jsonl")
    assert code == 2 and message in stderr, stderr
    assert not (tmp_path / "r.jsonl").exists()


@pytest.mark.parametrize("spec, message", [
    # NaN would become null in the canonical options: the key would hash null, the worker die
    ({"experiment": "expfam", "grid": {"b": [[float("nan"), 0]]}},
     "grid.b: must hold finite numbers only (got nan)"),
    ({"experiment": "ising", "base": {"J": float("inf")}, "grid": {"seed": [0]}},
     "base.J: must hold finite numbers only (got inf)"),
    # the engine's seed rule and the field types, checked before any point runs
    ({"experiment": "ising", "grid": {"seed": [0, -1]}},
     "grid point seed=-1: option 'seed': must be an integer >= 0 (got -1)"),
    ({"experiment": "ising", "grid": {"seed": [1.5]}}, "option 'seed': must be an integer"),
    ({"experiment": "expfam", "grid": {"seed": ["a"]}}, "option 'seed': must be an integer"),
    ({"experiment": "ising", "grid": {"seed": [{"a": 1}]}}, "option 'seed': must be an integer"),
    ({"experiment": "ising", "grid": {"seed": [True]}}, "option 'seed': must be an integer"),
    ({"experiment": "ising", "grid": {"J": ["1"]}}, "option 'J': must be a number (got '1')"),
    ({"experiment": "ising", "grid": {"tau": ["x"]}},
     "option 'tau': must be a number or null (got 'x')"),
    ({"experiment": "ising", "grid": {"hidden": [3]}}, "option 'hidden': must be a list"),
])
def test_bad_values_are_rejected_before_any_point_runs(tmp_path, capsys, monkeypatch, spec,
                                                       message):
    monkeypatch.setattr(sweep, "choose_runner", _never("a runner"))
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    code, _, stderr = run_cli(capsys, path, "--out", tmp_path / "r.jsonl")
    assert code == 2 and message in stderr, stderr
    assert not (tmp_path / "r.jsonl").exists()


def test_toml_nan_is_rejected(tmp_path):
    toml = tmp_path / "spec.toml"
    toml.write_text('experiment = "ising"\n[grid]\nJ = [0.5, nan]\n')
    with pytest.raises(sweep.InputError, match="grid.J: must hold finite numbers only"):
        sweep.read_spec(toml)


def _never(what):
    def fail(*args, **kwargs):
        raise AssertionError(f"{what} was started before the bad input was refused")

    return fail


@pytest.mark.parametrize("out, plot, message", [
    ("{tmp}/absent/r.jsonl", None, "--out: its folder must exist"),
    ("{tmp}", None, "--out: must be a file, not a folder"),
    ("{tmp}/r.jsonl", "{tmp}/absent/p.png", "--plot: its folder must exist"),
    ("{tmp}/r.jsonl", "{tmp}", "--plot: must be a file, not a folder"),
])
def test_output_paths_are_checked_before_the_cluster_starts(tmp_path, capsys, monkeypatch, out,
                                                             plot, message):
    monkeypatch.setattr(sweep, "choose_runner", _never("a runner"))
    spec = write_spec(tmp_path)
    plotting = ["--plot", plot.format(tmp=tmp_path), "--against", "seed"] if plot else []
    code, _, stderr = run_cli(capsys, spec, "--out", out.format(tmp=tmp_path), *plotting)
    assert code == 2 and message in stderr, stderr
    assert "Traceback" not in stderr


def test_unreadable_spec_files(tmp_path, capsys):
    broken = tmp_path / "spec.json"
    broken.write_text('{"experiment": "ising", "grid": {"seed": [0, 1]')
    code, _, stderr = run_cli(capsys, broken)
    assert code == 2 and "SPEC: is not valid JSON" in stderr
    code, _, stderr = run_cli(capsys, tmp_path / "absent.json")
    assert code == 2 and "SPEC: cannot be read" in stderr


def test_toml_spec_gives_the_same_points_as_json(tmp_path):
    toml = tmp_path / "spec.toml"
    toml.write_text('experiment = "ising"\n[base]\nN = 4\nM = 3\nhidden = [2]\n'
                    '[grid]\nseed = [0, 1]\nJ = [0.5, 1]\n')
    json_spec = write_spec(tmp_path, grid=GRID, base={"N": 4, "M": 3, "hidden": [2]})
    from_toml, from_json = sweep.read_spec(toml), sweep.read_spec(json_spec)
    assert [p.key for p in from_toml.points] == [p.key for p in from_json.points]
    assert from_toml.points[0].options["hidden"] == [2]
    assert len(set(p.key for p in from_toml.points)) == 4


def test_figure_and_plot_options_are_checked_first(tmp_path, capsys):
    spec, out = write_spec(tmp_path), tmp_path / "r.jsonl"
    code, _, stderr = run_cli(capsys, spec, "--figure", "J_final", "--out", out)
    assert code == 2 and "--figure: must be a figure of 'ising': J_T" in stderr
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        code, _, stderr = run_cli(capsys, spec, "--plot", tmp_path / "p.png", "--against",
                                  "seed", "--out", out)
        assert code == 2 and "needs matplotlib" in stderr
    else:
        code, _, stderr = run_cli(capsys, spec, "--plot", tmp_path / "p.png", "--against",
                                  "steps", "--out", out)
        assert code == 2 and "--against: --plot needs an option of the grid: seed, J" in stderr
    assert not out.exists()


def test_plot_of_a_figure_against_a_parameter(tmp_path, capsys, no_dask):
    pytest.importorskip("matplotlib")
    spec, out, png = write_spec(tmp_path), tmp_path / "r.jsonl", tmp_path / "J.png"
    code, stdout, _ = run_cli(capsys, spec, "--local", 2, "--out", out, "--figure", "J_T",
                              "--figure", "loss", "--against", "seed", "--plot", png)
    assert code == 0 and f"wrote {png}" in stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_keys_are_canonical():
    base = sweep.parse_spec({"experiment": "ising", "grid": {"J": [1]}}).points[0]
    # defaults written out, ints in float fields and list/tuple spellings give the same key
    same = sweep.parse_spec({"experiment": "ising", "base": {"seed": 0, "hidden": []},
                             "grid": {"J": [1.0]}}).points[0]
    other = sweep.parse_spec({"experiment": "ising", "grid": {"J": [1.0 + 1e-15]}}).points[0]
    assert base.key == same.key != other.key
    assert base.options == sweep.canonical_options(ising_experiment.IsingAnneal(J=1.0))
    assert np.isclose(base.options["J"], 1.0) and isinstance(base.options["J"], float)


# --------------------------------------------------------------------------- vary: lines of a study

def test_vary_gives_lines_through_the_base_point_crossed_with_the_grid():
    spec = sweep.parse_spec({"experiment": "ising", "base": {"tau": 0.5},
                             "vary": {"tau": [0.1, 0.5, 2], "hidden": [[], [3]]},
                             "grid": {"seed": [0, 1]}})
    # per seed: the base point, tau 0.1 and 2 (0.5 is the base point), hidden (3) ([] is base)
    assert len(spec.points) == 2 * 4
    assert spec.grid == ("seed", "tau", "hidden") and spec.lines == ("tau", "hidden")
    assert spec.centre == {"tau": 0.5, "hidden": []}
    on_tau = [p.varied["tau"] for p in spec.points if p.varied["seed"] == 0
              and spec.on_line(p, "tau")]
    assert on_tau == [0.5, 0.1, 2.0]
    assert [p.varied for p in spec.points if spec.on_line(p, None)] == \
        [{"seed": s, "tau": 0.5, "hidden": []} for s in (0, 1)]
    # a spec with vary alone: no grid needed
    assert len(sweep.parse_spec({"experiment": "ising", "vary": {"c": [0.1, 1]}}).points) == 3


@pytest.mark.parametrize("spec, message", [
    ({"experiment": "ising", "vary": {"seed": [0]}, "grid": {"seed": [1]}},
     "vary.seed: is also in grid"),
    ({"experiment": "ising", "vary": {"tau": [0.1, 0.1]}}, "grid: gives the same point twice"),
    ({"experiment": "ising", "vary": [1]}, "vary: must be a table of option names"),
    ({"experiment": "ising", "vary": {"tau": []}}, "vary.tau: must be a non-empty list"),
    ({"experiment": "ising", "vary": {"tau": [float("nan")]}},
     "vary.tau: must hold finite numbers only"),
    ({"experiment": "ising", "vary": {"tau": [-1.0]}}, "grid point tau=-1: tau: must be"),
])
def test_bad_vary_lines_are_refused(spec, message):
    with pytest.raises(sweep.InputError, match=message):
        sweep.parse_spec(spec)


def test_a_study_spec_plots_every_line_without_against(tmp_path, capsys, no_dask):
    pytest.importorskip("matplotlib")
    spec = write_spec(tmp_path, grid={"seed": [0]}, vary={"c": [0.1], "hidden": [[2]]})
    out, png = tmp_path / "r.jsonl", tmp_path / "study.png"
    code, stdout, stderr = run_cli(capsys, spec, "--local", 2, "--out", out, "--plot", png)
    assert code == 0, stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    records = read_lines(out)
    assert len(records) == 3 and all(r["run"]["seeds"] == [0] for r in records)
    for r in records:  # the controls and the teacher's J_nn, beside the trained figures
        assert all(isinstance(r["figures"][n], float)
                   for n in ("J_T_untrained", "J_nn_untrained", "J_nn_teacher", "J_nn_T"))


# --------------------------------------------------------------------------- the committed studies

STUDY_SPECS = sorted(present_sweep.STUDY_FOLDER.glob("*.json"))


def test_the_referee_studies_are_committed():
    assert [p.name for p in STUDY_SPECS] == ["expfam.json", "ising.json"]


@pytest.mark.parametrize("spec_path", STUDY_SPECS, ids=lambda p: p.stem)
def test_committed_results_hold_every_point_of_their_spec(spec_path):
    spec = sweep.read_spec(spec_path)
    records, torn = sweep.read_results(spec_path.with_suffix(".jsonl"))
    assert torn == 0
    assert set(records) == {p.key for p in spec.points}  # every point, nothing else
    seeds = sorted({p.options["seed"] for p in spec.points})
    for point in spec.points:
        record = records[point.key]
        assert record["status"] == "ok", record.get("error")
        assert record["options"] == point.options and record["experiment"] == spec.experiment.name
        assert set(record["figures"]) == set(spec.experiment.figures)
        run = record["run"]
        assert run["seeds"] == seeds and run["version"] and run["numpy"] and run["python"]


def _assert_close(found, committed, where):
    """Equal to float tolerance (rel 1e-9): the same code and seeds on another BLAS or CPU may
    differ in the last bits; on the machine that wrote the file they agree bitwise."""
    if isinstance(committed, list):
        assert isinstance(found, list) and len(found) == len(committed), where
        for i, (a, b) in enumerate(zip(found, committed)):
            _assert_close(a, b, f"{where}[{i}]")
    elif isinstance(committed, float) and not isinstance(found, bool):
        assert found == pytest.approx(committed, rel=1e-9, abs=1e-12), where
    else:
        assert found == committed, where


#: Points of each study re-run here: the centre at seed 0 and a point off it.
RERUN = {"ising": ({"seed": 0}, {"seed": 1, "tau": 4.0}),
         "expfam": ({"seed": 0}, {"seed": 2, "scale": 0.9})}


@pytest.mark.parametrize("spec_path", STUDY_SPECS, ids=lambda p: p.stem)
def test_rerunning_committed_points_finds_their_numbers(spec_path):
    spec = sweep.read_spec(spec_path)
    records = sweep.read_results(spec_path.with_suffix(".jsonl"))[0]
    for wanted in RERUN[spec.experiment.name]:
        point = next(p for p in spec.points
                     if all(p.varied[k] == v for k, v in {**spec.centre, **wanted}.items()))
        fresh = sweep.run_point(spec.experiment.name, point.options)
        assert fresh["status"] == "ok", fresh.get("error")
        for name, value in records[point.key]["figures"].items():
            _assert_close(fresh["figures"][name], value, f"{point.varied} {name}")


def test_study_figures_draw_each_committed_study():
    pytest.importorskip("matplotlib")
    figures = present_sweep.study_figures()
    assert len(figures) == len(STUDY_SPECS)
    for figure in figures:
        assert figure.png[:8] == b"\x89PNG\r\n\x1a\n" and figure.reason is None
        assert "untrained" in figure.title and "At the centre" in figure.caption
    ising_caption = next(f.caption for f in figures if "(ising)" in f.title)
    assert "J_nn of the outputs (no g): trained" in ising_caption


def test_study_figures_say_why_they_cannot_draw(tmp_path, monkeypatch):
    missing = present_sweep.study_figures(tmp_path / "absent")
    assert len(missing) == 1 and missing[0].png is None and "no committed study" in missing[0].reason
    monkeypatch.setattr(present_sweep.plotting, "available", lambda: False)
    figures = present_sweep.study_figures()
    assert figures and all(f.png is None and "matplotlib" in f.reason for f in figures)
    assert all("At the centre" in f.caption for f in figures)
