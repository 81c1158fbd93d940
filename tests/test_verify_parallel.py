"""``rgproof verify -j N``: rows equal to the serial run's, a dying worker loses only its own
row, thread counts that do not multiply, Ctrl-C answered by one line; bench/verify.py runs."""
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from rgproof import claims, cli
from rgproof.cli import verify

#: Cheap claims of three claims modules (three groups): the patterns name claims, never the
#: ledger's length or order.
CHEAP = "ising.decimation.*,lgw.dilate,scaling.nontrivial_rg_reading"
#: The claim whose worker dies in the isolation test (os._exit: no Python exception to catch).
POISONED = "ising.decimation.constant"


def _verify_json(tmp_path, name, *args):
    out = tmp_path / f"{name}.json"
    assert cli.main(["verify", "--claims", CHEAP, "--json", str(out), *args]) == 0
    return json.loads(out.read_text())


def _without_timings(rows):
    return [{k: v for k, v in row.items() if k != "seconds"} for row in rows]


@pytest.mark.slow
def test_parallel_json_equals_the_serial_json_apart_from_timings(tmp_path):
    serial = _verify_json(tmp_path, "serial", "-j", "1")
    parallel = _verify_json(tmp_path, "parallel", "-j", "2")
    assert len(verify._groups(claims.select(CHEAP.split(",")), claims.Context())) == 3
    assert _without_timings(parallel["rows"]) == _without_timings(serial["rows"])
    run_serial, run_parallel = serial["run"], parallel["run"]
    assert {k: v for k, v in run_parallel.items() if k != "date"} == \
        {k: v for k, v in run_serial.items() if k != "date"}


def _dies_on_poisoned(ids, context):
    """A worker task whose process dies (no exception, no result) when it meets POISONED."""
    if POISONED in ids:
        os._exit(3)
    return verify._run_claims(ids, context)


@pytest.mark.slow
def test_a_dying_worker_loses_only_its_own_row():
    selected = claims.select(["ising.decimation.*", "lgw.dilate"])
    context = claims.Context(dps=30)
    results = list(verify._run_parallel(verify._groups(selected, context), context, 2,
                                        _dies_on_poisoned))
    by_id = {r.claim.id: r for r in results}
    assert sorted(by_id) == sorted(c.id for c in selected)
    dead = by_id.pop(POISONED)
    assert dead.crashed and dead.outcome.verdict == "inconclusive"
    assert "worker process" in dead.outcome.evidence
    assert dead.outcome.details["exception"] == "BrokenProcessPool"
    for claim_id, result in by_id.items():
        assert not result.crashed, result.outcome.evidence
        assert result.outcome == claims.run(claims.get(claim_id), context).outcome


def test_groups_are_claims_modules_the_largest_first():
    def claim(claim_id, module, method="symbolic"):
        return SimpleNamespace(id=claim_id, method=method, check=SimpleNamespace(__module__=module))

    selected = [claim("a.one", "a"), claim("c.one", "c"), claim("a.two", "a"),
                claim("b.one", "b", "stochastic")]
    # b runs its check once per seed (three), a twice, c once
    assert verify._groups(selected, claims.Context()) == [["b.one"], ["a.one", "a.two"],
                                                          ["c.one"]]


def test_one_module_or_one_job_runs_in_this_process(monkeypatch):
    def no_pool(*args):
        raise AssertionError("no worker process should start")

    monkeypatch.setattr(verify, "_run_parallel", no_pool)
    context = claims.Context(dps=30)
    one_module = claims.select(["ising.decimation.*"])
    assert [r.claim for r in verify._run_with_progress(one_module, context, 4)] == one_module
    two_modules = claims.select(["ising.decimation.constant", "lgw.dilate"])
    assert len(verify._run_with_progress(two_modules, context, 1)) == 2


def test_workers_get_their_share_of_the_threads(monkeypatch):
    for name in verify.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # a user's smaller setting is kept
    monkeypatch.setenv("MKL_NUM_THREADS", "16")  # a larger one is cut to the share
    handler = signal.getsignal(signal.SIGINT)
    with verify._spawning(3):
        assert [os.environ[name] for name in verify.THREAD_VARIABLES] == ["1", "3", "3"]
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    assert os.environ["OMP_NUM_THREADS"] == "1" and os.environ["MKL_NUM_THREADS"] == "16"
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    assert signal.getsignal(signal.SIGINT) is handler


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_jobs_must_be_a_whole_number_of_processes(value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["verify", "--claims", "ising.decimation.constant", f"--jobs={value}"])
    assert exit_info.value.code == 2
    assert "must be a whole number of processes >= 1" in capsys.readouterr().err


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_with_one_line():
    """Ctrl-C as a terminal sends it, to every process of the group: the workers ignore it,
    rgproof stops them, prints its one line and exits 130, leaving no process behind."""
    with subprocess.Popen([sys.executable, "-m", "rgproof", "verify", "-j", "2"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as proc:
        progress = proc.stderr.readline()  # a row is done: the workers are running
        os.killpg(proc.pid, signal.SIGINT)
        try:
            err = progress + proc.communicate(timeout=120)[1]
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert progress and proc.returncode == 130, err
    assert "Traceback" not in err and err.count("interrupted") == 1
    assert err.strip().splitlines()[-1] == "rgproof: interrupted"
    assert _live_processes(proc.pid) == []


def _live_processes(session, wait=10):
    """The processes of ``session`` still running (zombies aside) after up to ``wait`` s."""
    deadline = time.monotonic() + wait
    while True:
        ps = subprocess.run(["ps", "-s", str(session), "-o", "pid=,stat="],
                            capture_output=True, text=True).stdout.split("\n")
        live = [line for line in ps if line.strip() and not line.split()[1].startswith("Z")]
        if not live or time.monotonic() > deadline:
            return live
        time.sleep(0.2)


@pytest.mark.slow
def test_bench_verify_smoke_on_one_cheap_claim(capsys):
    """bench/verify.py end to end on one claim: four fresh processes, a table, one JSON line."""
    bench = _bench()
    figures = bench.main(["--claims", "ising.decimation.constant", "-j", "2"])
    assert {"serial_s", "parallel_s", "gmpy2_speedup", "slowest"} <= set(figures)
    assert figures["slowest"][0] == "ising.decimation.constant" and figures["claims"] == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert json.loads(out[-1]) == figures
    assert out[0].split()[0] == "claim" and any(line.startswith("wall") for line in out)


def _bench():
    """bench/verify.py as a module (bench/ is no package)."""
    path = Path(__file__).resolve().parents[1] / "bench" / "verify.py"
    spec = importlib.util.spec_from_file_location("bench_verify", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
