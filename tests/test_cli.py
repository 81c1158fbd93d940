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
                                       "ising.decimation.constant_as_printed"]
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
