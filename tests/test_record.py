"""The ``rgproof verify --json`` file: its run record, strict JSON, both shapes read back, and
``rgproof verify --compare``."""
import datetime
import json

import mpmath
import pytest

from rgproof import claims, cli
from rgproof.core import ledger as ledger_core
from rgproof.core import record
from rgproof.core.errors import InputError
from rgproof.core.files import write_json
from rgproof.core.precision import optional_flint
from rgproof.present import report

RUN_KEYS = {"version", "commit", "commit_dirty", "python", "sympy", "mpmath", "mpmath_backend",
            "numpy", "numpy_blas", "scipy", "python_flint", "dps", "claims", "seeds",
            "seeds_reason", "date", "machine", "tier"}


def _strict(text):
    """JSON as a strict parser reads it: NaN, Infinity and -Infinity are errors."""
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --------------------------------------------------------------------------- the run record

def test_run_record_has_every_key_and_is_strict_json():
    run = record.run_record(40, ["ising.*", "lgw.shift"])
    assert set(run) == RUN_KEYS
    assert _strict(json.dumps(run, allow_nan=False)) == run
    assert run["dps"] == 40 and run["claims"] == ["ising.*", "lgw.shift"]
    assert record.run_record(50, None)["claims"] is None
    assert run["python"].count(".") == 2 and run["sympy"] and run["mpmath"] and run["numpy"]
    assert run["mpmath_backend"] in ("python", "gmpy", "sage")
    # the backend mpmath computes with, and python-flint's version when it is installed
    assert run["mpmath_backend"] == mpmath.libmp.BACKEND
    flint = optional_flint()
    assert run["python_flint"] == (flint.__version__ if flint else None)
    assert set(run["machine"]) == {"platform", "cpus"}
    assert run["seeds"] == {"stochastic": []} and "seed" in run["seeds_reason"]
    assert run["tier"] == "default"
    thorough = record.run_record(40, None, (0, 1, 2, 3), "thorough")
    assert thorough["seeds"] == {"stochastic": [0, 1, 2, 3]} and thorough["tier"] == "thorough"
    when = datetime.datetime.fromisoformat(run["date"].replace("Z", "+00:00"))
    assert when.utcoffset() == datetime.timedelta(0)
    assert run["commit"] is None or len(run["commit"]) in (40, 64)


def test_run_record_never_raises_without_git(monkeypatch):
    monkeypatch.setenv("PATH", "")
    run = record.run_record(50, None)
    assert run["commit"] is None and run["commit_dirty"] is None
    assert set(run) == RUN_KEYS


def test_no_commit_outside_a_git_checkout(tmp_path):
    assert record.git_commit(tmp_path) == (None, None)


def test_a_numpy_that_cannot_name_its_blas_gives_none(monkeypatch):
    import numpy

    def broken(*args, **kwargs):
        raise TypeError("show_config() got an unexpected keyword argument 'mode'")

    monkeypatch.setattr(numpy, "show_config", broken)
    assert record.numpy_blas() is None
    assert record.run_record(50, None)["numpy_blas"] is None


# --------------------------------------------------------------------------- strict JSON

@pytest.fixture
def nonfinite_claim(monkeypatch):
    """A temporary claim whose details hold a NaN and an infinity (registry restored after)."""
    claims.all_claims()
    monkeypatch.setattr(ledger_core, "_REGISTRY", dict(ledger_core._REGISTRY))

    here = ledger_core.Source("tests/test_record.py", "a demonstration claim", "")

    @ledger_core.claim("test.nonfinite", statement="s", source=here, method="symbolic")
    def _nonfinite(ctx):
        return ledger_core.holds("a residual overflowed", residual=float("nan"),
                                 bounds=[0.0, float("inf")])


def test_nonfinite_details_are_written_as_null_and_named(nonfinite_claim, tmp_path):
    out = tmp_path / "v.json"
    assert cli.main(["verify", "--claims", "test.nonfinite", "--json", str(out)]) == 0
    text = out.read_text()
    assert "NaN" not in text and "Infinity" not in text
    data = _strict(text)
    assert data["rows"][0]["details"] == {"residual": None, "bounds": [0.0, None]}
    assert data["nonfinite"] == [{"path": ["rows", 0, "details", "residual"], "value": "nan"},
                                 {"path": ["rows", 0, "details", "bounds", 1], "value": "inf"}]
    # the file still reads back
    assert record.load_verify_json(out, "--compare")[1][0]["id"] == "test.nonfinite"


def test_write_json_to_stdout_is_strict(capsys):
    write_json({"a": float("-inf"), "b": 1}, "-")
    assert _strict(capsys.readouterr().out) == {
        "a": None, "b": 1, "nonfinite": [{"path": ["a"], "value": "-inf"}]}


# --------------------------------------------------------------------------- reading both shapes

@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    """One ``verify --json`` file of two cheap claims: (path, the parsed object)."""
    path = tmp_path_factory.mktemp("record") / "v.json"
    assert cli.main(["verify", "--claims", "ising.fixed_points,ising.decimation.recursion",
                     "--dps", "30", "--json", str(path)]) == 0
    return path, json.loads(path.read_text())


def test_report_reads_the_object_and_the_old_array(verified, tmp_path):
    path, data = verified
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data["rows"]))
    assert report.read_verify_json(path) == report.read_verify_json(old) == data["rows"]
    assert report.read_verify_file(path)[0] == data["run"]
    assert report.read_verify_file(old)[0] is None


def test_the_report_page_names_the_run(verified, tmp_path):
    path, data = verified
    doctored = tmp_path / "doctored.json"
    data = dict(data, run=dict(data["run"], commit="<b>abc</b>", date="2026-01-02T03:04:05Z"))
    doctored.write_text(json.dumps(data))
    assert cli.main(["report", "--out", str(tmp_path / "o"), "--from-json", str(doctored)]) == 0
    page = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    assert 'id="run-record"' in page and "&lt;b&gt;abc&lt;/b&gt;" in page and "<b>abc" not in page
    assert "2026-01-02T03:04:05Z" in page and f"rgproof {data['run']['version']}" in page
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data["rows"]))
    assert cli.main(["report", "--out", str(tmp_path / "p"), "--from-json", str(old)]) == 0
    assert 'id="run-record"' not in (tmp_path / "p" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("shape", [
    lambda data: {"run": data["run"]},                               # no rows
    lambda data: {"run": data["run"], "rows": {"rows": data["rows"]}},  # rows nested once more
    lambda data: {"result": data},                                   # the whole file nested
    lambda data: {"run": [data["run"]], "rows": data["rows"]},       # run not an object
    lambda data: {"run": data["run"], "rows": [data["rows"]]},       # a row that is a list
    lambda data: "rows",
])
def test_a_malformed_object_names_from_json(verified, tmp_path, shape):
    _, data = verified
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(shape(data)))
    with pytest.raises(InputError, match="^--from-json: must be what rgproof verify --json"):
        report.read_verify_json(bad)
    with pytest.raises(InputError, match="^--compare: must be what rgproof verify --json"):
        record.load_verify_json(bad, "--compare")


# --------------------------------------------------------------------------- --compare

def test_compare_prints_a_flipped_row(verified, tmp_path, capsys):
    _, data = verified
    rows = [dict(r, verdict="fails", digits=12) if r["id"] == "ising.fixed_points" else r
            for r in data["rows"]]
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"run": data["run"], "rows": rows}))
    capsys.readouterr()
    assert cli.main(["verify", "--claims", "ising.fixed_points", "--compare", str(old)]) == 0
    out = capsys.readouterr().out
    assert "ising.fixed_points: fails (12) -> holds (-)" in out
    assert out.rstrip().splitlines()[-1] == (f"1 changed, 0 new, 0 gone (1 row of {old} outside "
                                             "--claims not compared)")
    # the old bare array is read too; an unchanged row prints nothing
    old.write_text(json.dumps(data["rows"]))
    assert cli.main(["verify", "--claims", "ising.fixed_points", "--compare", str(old)]) == 0
    out = capsys.readouterr().out
    assert "ising.fixed_points:" not in out and "0 changed, 0 new, 0 gone" in out


def test_compare_names_new_gone_and_recertified_rows():
    old = [{"id": "a", "verdict": "holds", "digits": 50, "certification": "two-precision"},
           {"id": "b", "verdict": "holds", "digits": 50},
           {"id": "gone", "verdict": "fails", "digits": None}]
    new = [{"id": "a", "verdict": "holds", "digits": 50, "certification": "proved"},
           {"id": "b", "verdict": "holds", "digits": 50, "certification": "proved"},
           {"id": "new", "verdict": "inconclusive", "digits": 3}]
    lines, changed, added, gone = record.compare_rows(old, new)
    # b: the old row has no certification, so only verdict and digits are compared
    assert lines == ["a: holds (50, two-precision) -> holds (50, proved)",
                     "new: (absent) -> inconclusive (3)", "gone: fails (-) -> (absent)"]
    assert (changed, added, gone) == (1, 1, 1)


@pytest.mark.parametrize("content, message", [
    (None, "--compare: must be a readable JSON file"),
    ("{not json", "--compare: must be a readable JSON file"),
    ('{"run": {}}', "--compare: must be what rgproof verify --json writes"),
    ('[{"id": "x"}]', "--compare: must be what rgproof verify --json writes"),
])
def test_a_bad_compare_file_is_refused_before_any_check(tmp_path, capsys, monkeypatch, content,
                                                        message):
    def never(*args, **kwargs):
        raise AssertionError("a claim ran before --compare was checked")

    monkeypatch.setattr(claims, "run", never)
    old = tmp_path / "old.json"
    if content is not None:
        old.write_text(content)
    assert cli.main(["verify", "--claims", "ising.fixed_points", "--compare", str(old)]) == 2
    assert message in capsys.readouterr().err


def test_write_json_replaces_the_file_only_when_the_new_one_is_complete(tmp_path, monkeypatch):
    from rgproof.core import files

    path = tmp_path / "out.json"
    files.write_json({"a": 1}, path)
    assert json.loads(path.read_text()) == {"a": 1}

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OSError):
        files.write_json({"a": 2}, path)
    assert json.loads(path.read_text()) == {"a": 1}  # the previous output is intact
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_verify_thorough_runs_more_seeds_and_records_the_tier(tmp_path, capsys):
    out = tmp_path / "v.json"
    assert cli.main(["verify", "--claims", "neuralrg.dual_partition_sampled", "--thorough",
                 "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["run"]["tier"] == "thorough"
    assert data["run"]["seeds"]["stochastic"] == list(ledger_core.THOROUGH_SEEDS)
    row = data["rows"][0]
    assert [s["seed"] for s in row["statistics"]["seeds"]] == list(ledger_core.THOROUGH_SEEDS)
    assert row["statistics"]["tests"][0]["n"] == 80000  # four times the default draws
    assert "stochastic rows: 1" in capsys.readouterr().out
