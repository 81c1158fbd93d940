"""Bad input is refused up front: exit 2, one line naming the option the user typed, no
traceback, and nothing written. Long runs show their progress on a terminal only."""
import io
import json
import os
import stat

import pytest

from rgproof import cli
from rgproof.core.errors import InputError
from rgproof.core.precision import MAX_DPS
from rgproof.experiments import memory
from rgproof.experiments.ising import IsingAnneal
from rgproof.experiments.sweep import parse_spec
from rgproof.present import progress

#: A row of ``rgproof verify --json`` for the claim whose details the RBM figure reuses.
RBM_ROW = {"id": "mehta_schwab.trained_rbm_coupling", "source": "s", "statement": "s",
           "method": "numeric", "verdict": "holds", "digits": None, "evidence": "e",
           "seconds": 1.0}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty current folder for the command's outputs (inputs live beside it)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def refused(capsys, args):
    """Run ``rgproof args``; check exit 2 and no traceback; return stderr."""
    try:
        code = cli.main(args)
    except SystemExit as exit:  # argparse's own usage errors
        code = exit.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    return err


def write_spec(folder, grid, base=None):
    spec = folder / "spec.json"
    spec.write_text(json.dumps({"experiment": "ising", "grid": grid,
                                "base": base or {"N": 3, "M": 2, "steps": 5}}))
    return str(spec)


# --------------------------------------------------------------------------- the refusals

@pytest.mark.parametrize("args, option", [
    (["verify", "--dps", str(MAX_DPS + 1)], "--dps"),
    (["verify", "--dps", "many"], "--dps"),
    (["report", "--out", "o", "--dps", str(MAX_DPS + 1)], "--dps"),
    # memory estimates beyond any machine: refused before an array is made
    (["anneal", "ising", "--chains", str(10**12)], "--chains"),
    (["anneal", "ising", "--N", "16", "--M", str(10**7)], "--M"),
    (["anneal", "ising", "--hidden", str(10**9)], "--hidden"),
    (["anneal", "expfam", "--chains", str(10**10)], "--chains"),
    (["anneal", "expfam", "--eval-size", str(10**10)], "--eval-size"),
    (["anneal", "expfam", "--train-size", str(10**12)], "--train-size"),
    # a format matplotlib cannot write
    (["anneal", "ising", "--plot", "run.xyz"], "--plot"),
    # bad network options
    (["anneal", "ising", "--hidden", "0"], "--hidden"),
    (["anneal", "ising", "--hidden", "4,x"], "--hidden"),
    (["anneal", "expfam", "--hidden", "4"], "--hidden"),  # the rg teacher is linear
    (["anneal", "ising", "--activation", "relu"], "--activation"),
    (["anneal", "expfam", "--teacher", "mlp", "--activation", "relu"], "--activation"),
    (["derive", "--out", ""], "--out"),
    (["derive", "--out", " "], "--out"),
])
def test_refused_before_any_work(workdir, capsys, args, option):
    err = refused(capsys, args)
    assert option in err
    assert list(workdir.iterdir()) == []


def test_dps_help_documents_the_maximum(capsys):
    with pytest.raises(SystemExit):
        cli.main(["verify", "--help"])
    assert f"5 to {MAX_DPS}" in capsys.readouterr().out


def test_memory_refusal_states_the_estimate(workdir, capsys):
    err = refused(capsys, ["anneal", "ising", "--chains", str(10**12)])
    assert "PiB of memory" in err and "are available" in err and "default 64" in err


def test_memory_refusal_names_the_size_to_reduce(monkeypatch):
    default = memory.estimate_bytes(IsingAnneal())
    monkeypatch.setattr(memory, "available_bytes", lambda: 2 * default)
    IsingAnneal(chains=100)  # within the budget
    with pytest.raises(InputError) as info:
        IsingAnneal(M=400)
    assert info.value.parameter == "M" and info.value.value == 400
    monkeypatch.setattr(memory, "available_bytes", lambda: None)  # unknown: nothing refused
    IsingAnneal(M=400)


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "soon"])
def test_connect_timeout_must_be_finite_seconds(tmp_path, workdir, capsys, value):
    spec = write_spec(tmp_path, {"seed": [0, 1]})
    err = refused(capsys, ["sweep", spec, f"--connect-timeout={value}"])
    assert "--connect-timeout" in err and "finite" in err
    assert list(workdir.iterdir()) == []


def test_a_million_points_need_yes(tmp_path, workdir, capsys):
    grid = {"seed": list(range(1000)), "J": [i / 1000 for i in range(1, 1001)]}
    spec = write_spec(tmp_path, grid)
    err = refused(capsys, ["sweep", spec])
    assert "--yes" in err and "1000000 points" in err
    assert list(workdir.iterdir()) == []


def test_point_limit_is_checked_before_any_point_is_built():
    data = {"experiment": "ising", "grid": {"seed": [0, 1, 2], "chains": [1]}}  # chains: bad
    with pytest.raises(InputError, match="--yes"):
        parse_spec(data, max_points=2)
    with pytest.raises(InputError, match="grid point seed=0, chains=1"):
        parse_spec(data)


@pytest.mark.parametrize("grid, message", [
    ({"seed": [0, 1], "chains": [4, 1]}, "grid point seed=0, chains=1: chains"),
    ({"seed": [0, 1], "batch": [4, 0]}, "grid point seed=0, batch=0: option 'batch'"),
    ({"backend": ["numpy", "jax"]}, "grid point backend=jax: --backend"),
])
def test_every_point_is_checked_before_the_first_runs(tmp_path, workdir, capsys, grid, message):
    err = refused(capsys, ["sweep", write_spec(tmp_path, grid)])
    assert message in err
    assert list(workdir.iterdir()) == []


def test_sweep_plot_format_is_checked_first(tmp_path, workdir, capsys):
    spec = write_spec(tmp_path, {"seed": [0, 1]})
    err = refused(capsys, ["sweep", spec, "--plot", "grid.xyz", "--against", "seed"])
    assert "--plot" in err and "png" in err
    assert list(workdir.iterdir()) == []


def test_report_refuses_a_folder_of_other_files(workdir, capsys):
    (workdir / "derivations").write_text("a file, not the report's folder")
    err = refused(capsys, ["report", "--out", ".", "--claims", "ising.fixed_points"])
    assert "--out" in err and "earlier rgproof report" in err
    assert [p.name for p in workdir.iterdir()] == ["derivations"]


def test_report_may_rewrite_an_earlier_report(tmp_path):
    from rgproof.cli.report import check_report_folder

    (tmp_path / "index.html").write_text("<!DOCTYPE html>\n<html><head><title>rgproof report"
                                         "</title></head></html>")
    (tmp_path / "derivations").mkdir()
    check_report_folder(tmp_path)  # no refusal
    check_report_folder(tmp_path / "new")


@pytest.mark.parametrize("details, where", [
    ([1, 2], "details: must be an object"),
    ({"J": "half"}, "details.J: must be a finite number"),
    ({"decimated_coupling": [0.2]}, "details.decimated_coupling: must be a finite number"),
    ({"curves": [[0, 1, 2, 3, 4]]}, "details.curves: must be an object"),
    ({"curves": {"block": {"0": [0, 1, 2, 3, 4]}}}, "details.curves.block: must be a list"),
    ({"curves": {"block": [[0, 1, 2, 3]]}}, "details.curves.block[0]: must be a list of step"),
    ({"curves": {"full": [[0, 1, 2, 3, None], [4, 1, "x", 3, None]]}},
     "details.curves.full[1][2]: must be a finite number or null (got 'x')"),
    ({"curves": {"full": [[None, 1, 2, 3, None]]}},
     "details.curves.full[0][0]: must be a finite number"),
])
def test_report_from_json_names_the_path_of_bad_details(tmp_path, workdir, capsys, details, where):
    verified = tmp_path / "verify.json"
    verified.write_text(json.dumps({"run": {}, "rows": [dict(RBM_ROW, details=details)]}))
    err = refused(capsys, ["report", "--out", "o", "--from-json", str(verified)])
    assert f"--from-json row 'mehta_schwab.trained_rbm_coupling' {where}" in err
    assert list(workdir.iterdir()) == []


# --------------------------------------------------------------------------- derive --pdf

@pytest.mark.skipif(os.name != "posix", reason="the stand-in latexmk is a shell script")
def test_failed_latex_shows_its_first_error_and_the_log(tmp_path, workdir, capsys, monkeypatch):
    from rgproof.present import derive

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    latexmk = bin_dir / "latexmk"
    latexmk.write_text("#!/bin/sh\n"
                       'dir=.\nfor a in "$@"; do case "$a" in -output-directory=*) '
                       'dir="${a#-output-directory=}";; esac; done\n'
                       "printf 'This is pdfTeX\\n! Undefined control sequence.\\nl.3 \\\\oops\\n"
                       "! Emergency stop.\\n' > \"$dir/main.log\"\nexit 12\n")
    latexmk.chmod(latexmk.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    def main_tex_only(out):  # the LaTeX failure, not the derivations, is under test
        out = workdir / out
        out.mkdir(parents=True, exist_ok=True)
        (out / "main.tex").write_text("\\oops\n")
        return [out / "main.tex"]

    monkeypatch.setattr(derive, "derive", main_tex_only)
    assert cli.main(["derive", "--out", "d", "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "rgproof: cannot build the PDF: latexmk" in err and "(exit 12)" in err
    assert "\n! Undefined control sequence.\n" in err and "Emergency" not in err
    assert f"the full log is {os.path.join('d', 'main.log')}" in err


# --------------------------------------------------------------------------- long runs show life

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_run_progress_on_a_terminal_is_a_bar_with_the_time_left():
    stream = Terminal()
    bar = progress.Progress(10, stream, fields=("loss",))
    bar.update(0, {"t": 0.0, "loss": 1.0})
    bar.update(10, {"t": 0.1, "loss": 0.5})
    text = stream.getvalue()
    assert "10/10" in text and "step/s" in text and "<" in text  # elapsed<remaining
    assert "t=0.1 loss=0.5" in text and text.endswith("\n")  # the finished bar stays


def test_run_progress_resumes_at_the_checkpoint_step():
    stream = Terminal()
    bar = progress.Progress(100, stream)
    bar.update(60, {"t": 0.6, "loss": 1.0})
    assert "60/100" in stream.getvalue()


def test_run_progress_elsewhere_is_a_line_per_tenth():
    stream = io.StringIO()
    bar = progress.Progress(100, stream, fields=("loss",), width=4)
    for step in range(101):
        bar.update(step, {"t": step / 10, "loss": 1.0})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1] == "[####] 100/100 t=10 loss=1"
    assert "\r" not in stream.getvalue() and "\033" not in stream.getvalue()


class Claim:
    def __init__(self, id):
        self.id = id


def test_claim_progress_on_a_terminal_is_cleared_at_the_end():
    stream = Terminal()
    selected = [Claim("a.one"), Claim("a.two")]
    assert list(progress.claim_progress(selected, stream)) == selected
    text = stream.getvalue()
    assert "a.two" in text and "claim/s" in text and not text.endswith("\n")


def test_claim_progress_elsewhere_is_a_line_per_claim():
    stream = io.StringIO()
    selected = [Claim("a.one"), Claim("a.two")]
    assert list(progress.claim_progress(selected, stream)) == selected
    assert stream.getvalue() == "[1/2] a.one\n[2/2] a.two\n"
