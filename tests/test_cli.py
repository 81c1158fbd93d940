import json
import os
import subprocess
import sys

import pytest

from rgproof import claims, cli
from rgproof.core import files as files_core
from rgproof.core import ledger as ledger_core


def rgproof(*args):
    return subprocess.run([sys.executable, "-m", "rgproof", *args], capture_output=True,
                          text=True, timeout=300)


def test_verify_json_to_stdout():
    proc = rgproof("verify", "--claims", "ising.decimation.*", "--dps", "30", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["run"]["dps"] == 30 and data["run"]["claims"] == ["ising.decimation.*"]
    rows = data["rows"]
    assert [r["id"] for r in rows] == ["ising.decimation.recursion", "ising.decimation.constant",
                                       "ising.decimation.constant_as_printed",
                                       "ising.decimation.sum_as_printed"]
    for row in rows:
        assert {"id", "source", "statement", "method", "verdict", "digits", "evidence",
                "seconds"} <= set(row)
    by_id = {r["id"]: r for r in rows}
    assert by_id["ising.decimation.recursion"]["digits"] is None
    assert by_id["ising.decimation.constant_as_printed"]["verdict"] == "fails"
    assert by_id["ising.decimation.constant_as_printed"]["digits"] == 30
    # the table goes to stderr when the JSON takes stdout
    assert "ising.decimation.recursion" in proc.stderr and "holds" in proc.stderr


def test_verify_table_and_json_file(tmp_path):
    out = tmp_path / "v.json"
    proc = rgproof("verify", "--claims", "ising.fixed_points", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "ising.fixed_points" in proc.stdout and "holds" in proc.stdout
    assert json.loads(out.read_text())["rows"][0]["verdict"] == "holds"


@pytest.mark.parametrize("args, message", [
    (["verify", "--claims", "no.such.*"], "must match at least one claim"),
    (["verify", "--dps", "3"], "--dps"),
    (["verify", "--dps", "many"], "--dps"),
    (["verify", "--bogus"], "unrecognized arguments"),
    ([], "required"),
])
def test_usage_errors_exit_2(args, message):
    proc = rgproof(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def extra_claims(monkeypatch):
    """Temporarily add claims to the registry (restored afterwards)."""
    claims.all_claims()  # import every topic first: the restored registry must hold them all
    monkeypatch.setattr(ledger_core, "_REGISTRY", dict(ledger_core._REGISTRY))

    here = ledger_core.Source("tests/test_cli.py", "a demonstration claim", "")

    @ledger_core.claim("test.undecided", statement="s", source=here, method="high-precision")
    def _undecided(ctx):
        return ledger_core.inconclusive("not enough digits", digits=3)

    @ledger_core.claim("test.crashes", statement="s", source=here, method="symbolic")
    def _crashes(ctx):
        raise RuntimeError("boom")


def test_strict_exits_1_on_inconclusive(extra_claims, capsys):
    assert cli.main(["verify", "--claims", "test.undecided"]) == 0
    assert cli.main(["verify", "--claims", "test.undecided", "--strict"]) == 1
    assert "inconclusive" in capsys.readouterr().out


def test_crashed_check_is_reported_and_exits_1(extra_claims, capsys):
    assert cli.main(["verify", "--claims", "test.crashes"]) == 1
    captured = capsys.readouterr()
    assert "check raised RuntimeError: boom" in captured.out
    assert "test.crashes" in captured.err


def test_claims_listing(capsys):
    assert cli.main(["claims", "--claims", "ising.*"]) == 0
    out = capsys.readouterr().out
    assert "ising.partition.identity" in out and "symbolic" in out


def test_every_claim_is_well_formed():
    ids = [c.id for c in claims.all_claims()]
    assert len(ids) == len(set(ids))
    for c in claims.all_claims():
        assert c.method in claims.METHODS
        assert c.statement and c.source
        assert all(part.isidentifier() for part in c.id.split(".")), c.id


def test_python_dash_m_and_console_script_agree():
    proc = rgproof("claims", "--claims", "ising.partition.*")
    assert proc.returncode == 0
    assert proc.stdout.count("ising.partition.") == 3


@pytest.mark.parametrize("args, message", [
    (["anneal", "expfam", "--json", "{tmp}/absent/x.json"], "--json: its folder must exist"),
    (["anneal", "expfam", "--plot", "{tmp}/absent/x.png"], "--plot: its folder must exist"),
    (["anneal", "ising", "--json", "{tmp}"], "--json: must be a file, not a folder"),
    (["anneal", "ising", "--plot", "{tmp}/absent/x.png"], "--plot: its folder must exist"),
    (["anneal", "ising", "--checkpoint", "{tmp}/absent/c.npz"],
     "--checkpoint: its folder must exist"),
    (["verify", "--claims", "ising.fixed_points", "--json", "{tmp}/absent/v.json"],
     "--json: its folder must exist"),
    (["derive", "--out", "{tmp}/file"], "--out: must be a folder, not an existing file"),
    (["report", "--out", "{tmp}/file"], "--out: must be a folder, not an existing file"),
])
def test_output_paths_are_checked_before_any_work(tmp_path, capsys, monkeypatch, args, message):
    from rgproof.experiments import expfam, ising

    def never(*args, **kwargs):
        raise AssertionError("the work started before the output path was checked")

    for module in (expfam, ising):
        monkeypatch.setattr(module, "run", never)
    monkeypatch.setattr(claims, "run", never)
    (tmp_path / "file").write_text("a file, not a folder")
    assert cli.main([a.format(tmp=tmp_path) for a in args]) == 2
    assert message in capsys.readouterr().err


def test_an_unwritable_folder_is_refused(tmp_path):
    if not hasattr(os, "geteuid") or os.geteuid() == 0:
        pytest.skip("root writes into any folder")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(cli.InputError, match="is not writable"):
        files_core.check_output_path("--json", locked / "x.json")


def test_new_nested_output_folders_are_accepted(tmp_path):
    assert files_core.check_output_path("--out", tmp_path / "a" / "b", folder=True) == tmp_path / "a" / "b"


# --------------------------------------------------------------------------- every command: nothing lost, no traceback

def test_ctrl_c_prints_one_line_and_exits_130():
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "rgproof", "verify"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()  # the first progress line: the command is running
        assert first, "verify printed no progress before it ended"
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = first + rest
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1] == "rgproof: interrupted"
    assert sum("interrupted" in line for line in lines) == 1


def test_interrupted_line_names_the_checkpoint(tmp_path, monkeypatch):
    from rgproof.cli import _interrupted

    import io

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: no fresh-line newline
    checkpoint = tmp_path / "run.npz"
    assert _interrupted(None) == "rgproof: interrupted"
    assert _interrupted(cli.build_parser().parse_args(["verify"])) == "rgproof: interrupted"
    args = cli.build_parser().parse_args(["anneal", "ising", "--checkpoint", str(checkpoint)])
    assert _interrupted(args) == f"rgproof: interrupted; no checkpoint written yet to {checkpoint}"
    checkpoint.write_bytes(b"")
    assert _interrupted(args) == (f"rgproof: interrupted (continue with --resume); "
                                  f"checkpoint at {checkpoint}")


def test_a_closed_stdout_is_a_quiet_exit():
    # deterministic: the reading end is closed before rgproof writes anything
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "rgproof", "claims"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert proc.stderr == ""
    # `rgproof claims | head -1`: the reader goes away after one line
    proc = subprocess.Popen([sys.executable, "-m", "rgproof", "claims"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("ising.")
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=300) in (0, 1)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception" not in err


def test_version():
    from rgproof.core import __version__

    proc = rgproof("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"rgproof {__version__}\n"


def test_negative_values_are_values_not_options():
    parser = cli.build_parser()
    args = parser.parse_args(cli.join_negative_values(parser, [
        "anneal", "expfam", "--theta", "-1,2", "--b", "-0.5,1", "--A", "-1,0;0,1", "--scale",
        "-1e-3", "--seed", "3"]))
    assert (args.theta, args.b, args.A, args.scale) == ("-1,2", "-0.5,1", "-1,0;0,1", -1e-3)
    args = parser.parse_args(cli.join_negative_values(parser, [
        "anneal", "ising", "--J", "-0.5", "--targ", "-1e-3", "--tau=-2"]))
    assert (args.J, args.target, args.tau) == (-0.5, -1e-3, -2.0)


@pytest.mark.parametrize("args, message", [
    (["anneal", "expfam", "--theta", "-1,2", "--steps", "0"], "--steps: must be an integer >= 1"),
    (["anneal", "expfam", "--theta", "-1,-2"], "--theta (theta_2): the highest coefficient"),
    (["anneal", "expfam", "--b", "-1,x"], "--b: must be comma-separated real numbers"),
    (["anneal", "ising", "--J", "-0.5", "--steps", "0"], "--steps: must be an integer >= 1"),
    (["anneal", "ising", "--J", "-inf"], "--J: must be a finite real number"),
    (["anneal", "ising", "--target", "-1e-3", "--steps", "0"], "--steps: must be an integer"),
])
def test_negative_first_values_reach_their_rules(capsys, args, message):
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "expected one argument" not in err
    assert len(err.splitlines()) == 1


def test_anneal_json_dash_is_stdout(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "rgproof", "anneal", "ising", "--N", "4", "--M",
                           "3", "--chains", "4", "--steps", "20", "--json", "-"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["config"]["steps"] == 20 and data["trajectory"]
    assert "J_T = " in proc.stderr and "wrote" not in proc.stderr + proc.stdout
    assert os.listdir(tmp_path) == []  # no file named '-'


def test_verify_json_dash_is_stdout_and_writes_no_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "rgproof", "verify", "--claims",
                           "ising.fixed_points", "--json", "-"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["rows"][0]["id"] == "ising.fixed_points"
    assert "holds" in proc.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("experiment", ["ising", "expfam"])
@pytest.mark.parametrize("option", ["--record-every", "--checkpoint-every"])
def test_zero_record_and_checkpoint_intervals_name_the_option(tmp_path, capsys, experiment,
                                                              option):
    args = ["anneal", experiment, "--chains", "4", "--steps", "20", option, "0"]
    if option == "--checkpoint-every":
        args += ["--checkpoint", str(tmp_path / "c.npz")]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err == f"rgproof: error: {option}: must be an integer >= 1 (got 0)\n"
    assert not (tmp_path / "c.npz").exists()


def test_a_warning_is_one_line_and_a_divergence_exits_2(tmp_path):
    out = tmp_path / "out.json"
    out.write_text('{"old": true}\n')
    proc = rgproof("anneal", "ising", "--N", "4", "--M", "4", "--chains", "4", "--dt", "1e6",
                   "--steps", "20", "--json", str(out))
    assert proc.returncode == 2
    assert "rgproof: warning: dt = 1000000.0 exceeds" in proc.stderr
    assert "rgproof: error: --dt: the loss grew" in proc.stderr
    assert "Traceback" not in proc.stderr and "experiment.run(" not in proc.stderr
    assert out.read_text() == '{"old": true}\n'
