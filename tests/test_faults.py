"""Fault injection ("nothing lost"): a full disk, Ctrl-C and kill -9 at a random point, a damaged
results file, two sweeps on one file, one path given to two outputs and a planted module. Each
probe checks the exit code, that no traceback is shown and that earlier results are intact.

The subprocess probes wait for events (a progress line on the child's stderr, a line on its
stdout), never for a fixed time.
"""
import errno
import io
import json
import os
import random
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from rgproof.cli import main
from rgproof.core import files
from rgproof.experiments import annealing, sweep
from rgproof.present import derive, plotting
from test_sweep import write_spec

#: A run long enough that a signal sent after its k-th progress line (k <= 4, one line per tenth
#: of the steps) lands mid-run with a second or more of work left, yet short enough to rerun.
LONG_RUN = ["anneal", "ising", "--N", "4", "--M", "4", "--chains", "4", "--steps", "10000",
            "--bootstrap", "20", "--checkpoint-every", "100"]
TINY_RUN = ["anneal", "ising", "--N", "4", "--M", "4", "--chains", "4", "--steps", "50",
            "--bootstrap", "20"]


def disk_full(*args):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def listing(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def start(args, cwd=None, **options):
    return subprocess.Popen([sys.executable, "-m", "rgproof", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, **options)


def finish(proc, timeout=120):
    """``(stdout, stderr)`` of ``proc`` once it ends (killed if it outlives ``timeout``)."""
    try:
        return proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def signal_mid_run(checkpoint, sig):
    """Start LONG_RUN with ``--checkpoint``, send ``sig`` after a random progress line (a
    checkpoint exists by then) and return ``(process, stderr, k)``."""
    k = random.randint(1, 4)
    proc = start(LONG_RUN + ["--checkpoint", str(checkpoint)])
    lines = [proc.stderr.readline() for _ in range(k + 1)]  # step 0, then k tenths
    assert all(lines), f"the run ended before its progress line {k}: {lines}"
    # line k is printed at step 1000 k; the checkpoint of step 1000 k - 100 was written before it
    assert checkpoint.exists(), k
    proc.send_signal(sig)
    _, rest = finish(proc)
    return proc, "".join(lines) + rest, k


def assert_no_traceback(err):
    assert "Traceback" not in err, err


# --------------------------------------------------------------------------- a full disk

@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_full_disk_leaves_the_previous_file_and_no_temporary_file(tmp_path, monkeypatch,
                                                                    failing):
    target = tmp_path / "run.json"
    files.write_atomically(target, "previous\n")
    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomically(target, "x" * 100_000)
    monkeypatch.undo()
    assert listing(tmp_path) == {"run.json": b"previous\n"}


def _json(path):
    files.write_json({"a": 1}, path)


def _checkpoint(path):
    annealing.save_checkpoint(path, step=3, params=np.zeros((2, 3)),
                              rng=np.random.default_rng(0), records=[], config={})


def _png(path):
    plt = plotting.pyplot()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    plotting.save(fig, path)


def _tex(path, monkeypatch):
    # what derive writes is at stake here, not the claims it runs
    monkeypatch.setattr(derive, "render_topic", lambda topic, dps: f"% {topic}\n")
    derive.derive(path.parent, ["ising"])


@pytest.mark.parametrize("writer, name", [(_json, "run.json"), (_checkpoint, "run.npz"),
                                          (_png, "run.png"), (_tex, "ising.tex")])
def test_every_writer_keeps_the_previous_file_on_a_full_disk(tmp_path, monkeypatch, writer,
                                                             name):
    if writer is _png and not plotting.available():
        pytest.skip("matplotlib is not installed")
    write = (lambda path: writer(path, monkeypatch)) if writer is _tex else writer
    write(tmp_path / name)
    before = listing(tmp_path)
    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", disk_full)
        with pytest.raises(OSError, match="No space left"):
            write(tmp_path / name)
    assert listing(tmp_path) == before


def test_a_record_cut_short_by_a_full_disk_is_cut_off_before_the_next_append(tmp_path,
                                                                             monkeypatch):
    out = tmp_path / "results.jsonl"
    with sweep.ResultsFile(out) as results:
        results.append({"key": "a", "status": "ok"})
    whole = out.read_bytes()
    real_write, calls = os.write, []

    def half_then_full(handle, data):  # the disk fills up in the middle of the record
        calls.append(len(data))
        if len(calls) > 1:
            disk_full()
        return real_write(handle, bytes(data[: len(data) // 2]))

    with sweep.ResultsFile(out) as results:
        monkeypatch.setattr(os, "write", half_then_full)
        with pytest.raises(OSError, match="No space left"):
            results.append({"key": "b", "status": "ok", "figures": {"J_T": 0.5}})
        monkeypatch.undo()
    assert out.read_bytes().startswith(whole) and out.read_bytes() != whole
    with sweep.ResultsFile(out) as results:
        assert set(results.records) == {"a"} and results.torn > 0
        results.append({"key": "b", "status": "ok"})
    assert out.read_bytes() == whole + b'{"key": "b", "status": "ok"}\n'
    assert os.listdir(tmp_path) == ["results.jsonl"]  # the lock file went with the sweep


# --------------------------------------------------------------------------- Ctrl-C and kill -9

def test_ctrl_c_at_a_random_point_exits_130_with_one_line_and_a_readable_checkpoint(tmp_path):
    checkpoint = tmp_path / "run.npz"
    proc, err, k = signal_mid_run(checkpoint, signal.SIGINT)
    assert proc.returncode == 130, (k, err)
    assert_no_traceback(err)
    other = [line for line in err.splitlines() if not line.startswith("[")]
    assert other == [f"rgproof: interrupted (continue with --resume); checkpoint at "
                     f"{checkpoint}"], (k, err)
    assert 0 < annealing.load_checkpoint(checkpoint).step < 10000
    assert os.listdir(tmp_path) == ["run.npz"]  # an interrupted write removes its temporary


def test_kill_9_then_resume_gives_the_bits_of_an_uninterrupted_run(tmp_path, capsys):
    checkpoint = tmp_path / "run.npz"
    proc, err, k = signal_mid_run(checkpoint, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL, (k, err)
    assert 0 < annealing.load_checkpoint(checkpoint).step < 10000
    resumed, whole = tmp_path / "resumed.json", tmp_path / "whole.json"
    assert main(LONG_RUN + ["--checkpoint", str(checkpoint), "--resume", "--json",
                            str(resumed)]) == 0
    assert main(LONG_RUN + ["--json", str(whole)]) == 0
    assert_no_traceback(capsys.readouterr().err)
    assert resumed.read_bytes() == whole.read_bytes(), k


# --------------------------------------------------------------------------- the results file

class InProcessRunner:
    """Runs a sweep's points here, one after the other (no cluster: the probes stay fast)."""

    description = "this process"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def results(self, experiment_name, points):
        for point in points:
            yield point, sweep.run_point(experiment_name, point.options), None


@pytest.fixture
def in_process(monkeypatch):
    import rgproof.cli.sweep as cli_sweep

    monkeypatch.setattr(cli_sweep, "choose_runner", lambda *args, **kwargs: InProcessRunner())


def test_a_damaged_line_is_refused_with_its_number_and_the_file_is_left_as_it_is(
        tmp_path, capsys, in_process):
    spec, out = write_spec(tmp_path, grid={"seed": [0, 1]}), tmp_path / "results.jsonl"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    first, second = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(first + b'{"key": "dam\n' + second)
    before = listing(tmp_path)
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (f"rgproof: error: --out: line 2 of {out} is not a whole results record (only "
                   "a last line cut short by a kill is skipped): repair or delete line 2\n")
    assert listing(tmp_path) == before  # nothing appended, no lock file left


def test_a_torn_last_line_is_cut_off_and_its_point_runs_again(tmp_path, capsys, in_process):
    spec, out = write_spec(tmp_path, grid={"seed": [0, 1]}), tmp_path / "results.jsonl"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    first, second = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(first + second[:40])  # killed while appending its second point
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "ignoring 1 unreadable line" in err and "running 1" in err
    assert_no_traceback(err)
    assert out.read_bytes().startswith(first)
    records, torn = sweep.read_results(out)
    assert torn == 0 and list(records) == [json.loads(line)["key"] for line in (first, second)]


# the first sweep: its runner says "holding" once the results file is locked, then waits for a line
HOLDING_SWEEP = textwrap.dedent("""
    import sys
    import rgproof.cli.sweep as cli_sweep
    from rgproof.cli import main
    from rgproof.experiments import sweep

    class Held:
        description = "a runner held by the test"

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def results(self, experiment_name, points):
            print("holding", flush=True)
            sys.stdin.readline()
            for point in points:
                yield point, sweep.run_point(experiment_name, point.options), None

    cli_sweep.choose_runner = lambda *args, **kwargs: Held()
    sys.exit(main(["sweep", *sys.argv[1:]]))
""")


def test_a_second_sweep_on_the_same_results_file_is_refused(tmp_path, capsys, in_process):
    spec, out = write_spec(tmp_path, grid={"seed": [0, 1]}), tmp_path / "results.jsonl"
    first = subprocess.Popen([sys.executable, "-c", HOLDING_SWEEP, str(spec), "--out", str(out)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline() == "holding\n", first.stderr.read()
        assert main(["sweep", str(spec), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"--out: is in use by another sweep (pid {first.pid} on " in err, err
        assert len(err.splitlines()) == 1
        assert not out.exists()  # the refused sweep wrote nothing
        first.stdin.write("go on\n")
        first.stdin.flush()
        _, first_err = finish(first)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, first_err
    keys = [json.loads(line)["key"] for line in out.read_text().splitlines()]
    assert len(keys) == len(set(keys)) == 2
    assert main(["sweep", str(spec), "--out", str(out)]) == 0  # free again: nothing to run
    assert "all 2 points are already in" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["results.jsonl", "spec.json"]


# --------------------------------------------------------------------------- colliding paths

@pytest.fixture
def nothing_runs(monkeypatch):
    from rgproof.experiments import expfam, ising

    def never(*args, **kwargs):
        raise AssertionError("the work started before the paths were checked")

    for module in (expfam, ising):
        monkeypatch.setattr(module, "run", never)
    monkeypatch.setattr(sweep, "choose_runner", never)
    import rgproof.cli.sweep as cli_sweep

    monkeypatch.setattr(cli_sweep, "choose_runner", never)


@pytest.mark.parametrize("args, message", [
    (TINY_RUN + ["--json", "{tmp}/x", "--checkpoint", "{tmp}/x"],
     "--checkpoint: is the file of --json too"),
    (TINY_RUN + ["--json", "{tmp}/x.png", "--plot", "{tmp}/sub/../x.png"],
     "--plot: is the file of --json too"),
    (TINY_RUN + ["--checkpoint", "{tmp}/link", "--plot", "{tmp}/x.png"],
     "--checkpoint: is the file of --plot too"),
    (["sweep", "{tmp}/spec.json", "--out", "{tmp}/./spec.json"], "--out: is the file of SPEC too"),
    (["sweep", "{tmp}/spec.json", "--out", "{tmp}/r.jsonl", "--plot", "{tmp}/r.jsonl",
      "--against", "seed"], "--plot: is the file of --out too"),
])
def test_one_path_for_two_outputs_is_refused_before_any_work(tmp_path, capsys, nothing_runs,
                                                             args, message):
    write_spec(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "x.png")  # a link is the file it points to
    before = listing(tmp_path)
    assert main([a.format(tmp=tmp_path) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rgproof: error: {message}; give each its own file"), err
    assert len(err.splitlines()) == 1
    assert listing(tmp_path) == before


def test_an_existing_checkpoint_needs_resume_or_overwrite(tmp_path, capsys):
    checkpoint = tmp_path / "run.npz"
    assert main(TINY_RUN + ["--checkpoint", str(checkpoint)]) == 0
    saved = checkpoint.read_bytes()
    capsys.readouterr()
    assert main(TINY_RUN + ["--seed", "1", "--checkpoint", str(checkpoint)]) == 2
    assert capsys.readouterr().err == (
        f"rgproof: error: --checkpoint: exists already: pass --resume to continue that run, or "
        f"--overwrite to start again and replace it (got '{checkpoint}')\n")
    assert checkpoint.read_bytes() == saved
    for extra, message in ((["--checkpoint", str(checkpoint), "--resume", "--overwrite"],
                            "--overwrite: cannot be combined with --resume"),
                           (["--overwrite"], "--overwrite: needs --checkpoint FILE")):
        assert main(TINY_RUN + extra) == 2
        assert capsys.readouterr().err.startswith(f"rgproof: error: {message}")
    assert checkpoint.read_bytes() == saved
    assert main(TINY_RUN + ["--seed", "1", "--checkpoint", str(checkpoint), "--overwrite"]) == 0
    assert annealing.load_checkpoint(checkpoint).config["seed"] == 1
    assert os.listdir(tmp_path) == ["run.npz"]


# --------------------------------------------------------------------------- a planted module

def test_a_module_in_the_working_folder_is_not_imported_as_an_activation(tmp_path):
    marker = tmp_path / "MARKER"
    (tmp_path / "evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    proc = start(TINY_RUN + ["--activation", "evil"], cwd=tmp_path)
    _, err = finish(proc)
    assert proc.returncode == 2, err
    assert err.startswith("rgproof: error: --activation: must be one of") and "'evil'" in err
    assert len(err.splitlines()) == 1
    assert not marker.exists()
    assert os.listdir(tmp_path) == ["evil.py"]


def test_a_stream_is_written_directly_and_a_file_name_atomically(tmp_path):
    if not plotting.available():
        pytest.skip("matplotlib is not installed")
    plt = plotting.pyplot()
    fig, _ = plt.subplots()
    stream = io.BytesIO()
    plotting.save(fig, stream, format="png")
    fig, _ = plt.subplots()
    plotting.save(fig, tmp_path / "figure")  # no suffix: PNG, under exactly this name
    assert stream.getvalue()[:8] == (tmp_path / "figure").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.listdir(tmp_path) == ["figure"]


def test_a_full_disk_in_a_command_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    from rgproof.cli import main

    out = tmp_path / "v.json"
    out.write_text("previous\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out))

    monkeypatch.setattr(os, "fsync", full)
    assert main(["verify", "--claims", "ising.decimation.recursion", "--json", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "No space left on device" in err and "Traceback" not in err
    assert out.read_text() == "previous\n"
    assert sorted(os.listdir(tmp_path)) == ["v.json"]
