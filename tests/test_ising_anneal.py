import json
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import claims, ising
from rgproof import ising_anneal as ia
from rgproof.claims import ising_anneal as ising_anneal_claims
from rgproof.cli import main
from rgproof.core.errors import InputError
from rgproof.experiments import ising as ising_experiment
from rgproof.present import ising_anneal as ising_anneal_present
from rgproof.present.derivations import ising_anneal as ising_anneal_derivation

SMALL = ising_experiment.IsingAnneal(N=6, M=5, chains=16, steps=300, dt=0.02, c=0.01, lam=0.1, seed=2,
                       record_every=30, bootstrap=200)


# --------------------------------------------------------------------------- the J_t equation

def test_roots_of_synthetic_equations_with_known_solutions():
    # phi(K) = ln(e^{2K} + e^{-K}) = ln 2: e^K = 1 or e^K = (sqrt 5 - 1)/2
    roots = ia.coupling_roots(np.array([[2.0, -1.0]]), math.log(2))
    np.testing.assert_allclose(roots.roots, [math.log((math.sqrt(5) - 1) / 2), 0.0],
                               rtol=1e-14, atol=1e-15)
    assert roots.slopes[0] < 0 < roots.slopes[1]
    # constant S = a on P inputs: phi(K) = ln P + a K, one root (target - ln P) / a
    S = np.full((3, 8), 0.75)
    assert ia.coupling_roots(S, math.log(8) + 1.5).roots == pytest.approx((2.0,), rel=1e-14)
    # both signs but the minimum of phi lies above the target: no root
    assert ia.coupling_roots(np.array([[1.0, -1.0]]), math.log(1.5)).roots == ()
    # tangent: the minimum of ln(e^K + e^-K) is ln 2 at K = 0
    tangent = ia.coupling_roots(np.array([[1.0, -1.0]]), math.log(2) + 1e-13).roots
    assert len(tangent) == 2 and max(map(abs, tangent)) < 1e-6


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shift=st.floats(-3, 3))
def test_positive_bond_sums_give_exactly_one_root_that_solves_the_equation(seed, shift):
    rng = np.random.default_rng(seed)
    S = rng.uniform(0.01, 4.0, size=(5, 16))
    target = math.log(16) + shift
    roots = ia.coupling_roots(S, target)
    assert len(roots.roots) == 1
    assert ia.log_mean_partition(S, roots.roots[0]) == pytest.approx(target, abs=1e-12)
    assert 0 < roots.resolutions[0] < 1e-10  # S >= 0.01, so phi' is not tiny


def test_weights_act_like_repeated_chains():
    rng = np.random.default_rng(3)
    S = rng.normal(0.5, 1.0, size=(4, 8))
    weights = np.array([2.0, 0.0, 1.0, 3.0])
    repeated = np.repeat(S, weights.astype(int), axis=0)
    target = math.log(8) + 0.4
    np.testing.assert_allclose(ia.coupling_roots(S, target, weights).roots,
                               ia.coupling_roots(repeated, target).roots, rtol=1e-13)


def test_bootstrap_matches_solving_every_replicate_exactly():
    rng = np.random.default_rng(5)
    S = rng.uniform(0.2, 3.0, size=(12, 32))
    target = math.log(32) + 0.8
    root = ia.coupling_roots(S, target).roots[0]
    interval = ia.bootstrap_interval(S, target, root, np.random.default_rng(9), 300, 0.9)
    weights = np.random.default_rng(9).multinomial(12, np.full(12, 1 / 12), size=300)
    exact = [ia.coupling_roots(S, target, w).roots[0] for w in weights]
    low, high = np.quantile(exact, [0.05, 0.95])
    resolution = ia.coupling_roots(S, target).resolutions[0]
    assert interval.low == pytest.approx(low - resolution, abs=1e-12)
    assert interval.high == pytest.approx(high + resolution, abs=1e-12)
    assert interval.failures == 0 and interval.contains(root)


def test_bootstrap_follows_the_branch_of_the_tracked_root():
    rng = np.random.default_rng(2)
    S = np.concatenate([rng.uniform(-1, 2, size=(10, 16))])
    target = ia.log_mean_partition(S, 0.0) + 0.3
    roots = ia.coupling_roots(S, target)
    assert len(roots.roots) == 2
    for root in roots.roots:
        interval = ia.bootstrap_interval(S, target, root, np.random.default_rng(1), 200)
        assert interval.contains(root)
        assert interval.high < max(roots.roots) or interval.low > min(roots.roots)


@pytest.mark.parametrize("call, parameter", [
    (lambda: ia.bootstrap_interval(np.ones((1, 4)), 1.0, 0.0, np.random.default_rng(0)),
     "chains"),
    (lambda: ia.bootstrap_interval(np.ones((3, 4)), math.log(4), 0.0, np.random.default_rng(0),
                                   replicates=5), "bootstrap"),
    (lambda: ia.bootstrap_interval(np.ones((3, 4)), math.log(4), 0.0, np.random.default_rng(0),
                                   level=1.0), "level"),
    (lambda: ia.bootstrap_interval(np.ones((3, 4)), math.log(4), 0.5, np.random.default_rng(0)),
     "root"),
    (lambda: ia.coupling_roots(np.array([[np.nan, 1.0]]), 0.0), "bond_sums"),
    (lambda: ising_experiment.IsingAnneal(chains=1), "chains"),
    (lambda: ising_experiment.IsingAnneal(N=17), "N"),
    (lambda: ising_experiment.IsingAnneal(dt=0.0), "dt"),
    (lambda: ising_experiment.IsingAnneal(c=-1.0), "c"),
    (lambda: ising_experiment.IsingAnneal(tau=0.0), "tau"),
    (lambda: ising_experiment.IsingAnneal(J=math.inf), "J"),
    (lambda: ising_experiment.IsingAnneal(activation="relu"), "--activation"),
    (lambda: ising_experiment.IsingAnneal(dtype="int8"), "--dtype"),
    (lambda: ising_experiment.run(SMALL, g=lambda t: 1.0 + t), "g"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter


# --------------------------------------------------------------------------- the g side

def test_g_limits():
    for N, J in [(8, 1.0), (5, -0.4), (12, 2.5)]:
        closed = math.log(math.cosh(J)) + math.log1p(math.tanh(J) ** N) / N
        assert ia.theorem_g_limit(N, J) == pytest.approx(closed, rel=1e-14)
        # J' = 0 needs no knowledge of the teacher
        S = np.random.default_rng(N).uniform(0, 3, 2 ** N)
        assert ia.target_g_limit(N, J, S, 0.0) == pytest.approx(ia.theorem_g_limit(N, J),
                                                                rel=1e-13)
    g = ia.GSchedule(0.4, 0.5)
    assert g(0.0) == 0.0 and g(0.5) == pytest.approx(0.4 * (1 - math.exp(-1)))
    assert ia.bond_sums(np, np.array([[[0.5, 0.5]]])).tolist() == [[0.5]]  # y1 y2 + y2 y1


# --------------------------------------------------------------------------- the experiment

def test_run_drives_J_t_to_zero_and_reports_all_fields():
    result = ising_experiment.run(SMALL)
    first, final = result.records[0], result.records[-1]
    assert [r["step"] for r in result.records] == list(range(0, 301, 30))
    assert first["J_t"] > 0.5 and first["ci_low"] < first["J_t"] < first["ci_high"]
    assert abs(final["J_t"]) < 1e-13 and final["ci_low"] <= 0 <= final["ci_high"]
    assert all(len(r["roots"]) == 1 for r in result.records)
    assert final["loss"] < 0.01 * first["loss"]
    data = ising_experiment.as_json(result)
    assert set(data) == {"config", "trajectory"}
    assert set(data["trajectory"][0]) == {"t", "J_t", "ci_low", "ci_high", "loss", "roots"}
    assert data["config"]["tau"] == pytest.approx(300 * 0.02 / 40)
    assert "inside" in ising_anneal_present.summary(result).splitlines()[-1]


def test_target_coupling_is_reached_by_choosing_g():
    result = ising_experiment.run(replace(SMALL, target=0.25))
    final = result.records[-1]
    assert final["ci_low"] <= 0.25 <= final["ci_high"]
    assert abs(final["J_t"] - 0.25) < 0.01


def test_resume_reproduces_the_uninterrupted_experiment(tmp_path):
    path = str(tmp_path / "ising.npz")
    reference = ising_experiment.run(SMALL)

    def interrupt(step):
        if step == 170:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ising_experiment.run(SMALL, checkpoint=path, checkpoint_every=50, on_step=interrupt)
    resumed = ising_experiment.run(SMALL, checkpoint=path, checkpoint_every=50, resume=True)
    assert resumed.records == reference.records
    assert np.array_equal(resumed.final_bond_sums, reference.final_bond_sums)


# --------------------------------------------------------------------------- claims

def test_claim_verdicts_are_computed_as_expected():
    context = claims.Context(dps=30)
    outcomes = {cid: claims.run(claims.get(cid), context) for cid in
                ("ising.anneal.limit.theorem2", "ising.anneal.limit.theorem3",
                 "ising.anneal.g_dependence", "ising.anneal.uniqueness")}
    for result in outcomes.values():
        assert not result.crashed
        json.dumps(result.outcome.details)
    for theorem in ("theorem2", "theorem3"):
        limit = outcomes[f"ising.anneal.limit.{theorem}"].outcome
        assert limit.verdict == "holds"
        assert limit.details["ci"][0] <= 0 <= limit.details["ci"][1] and limit.details["J_0"] > 1
    assert "no hidden layer" in outcomes["ising.anneal.limit.theorem2"].outcome.evidence
    assert "hidden layers 6, 6" in outcomes["ising.anneal.limit.theorem3"].outcome.evidence
    assert [c.id for c in claims.select(["ising.anneal.limit"])] == [
        "ising.anneal.limit.theorem2", "ising.anneal.limit.theorem3"]
    steered = outcomes["ising.anneal.g_dependence"].outcome
    assert steered.verdict == "fails"
    assert steered.details["ci"][0] <= 0.3 <= steered.details["ci"][1]
    assert steered.details["other_teacher_limit"] != pytest.approx(0.3, abs=0.01)
    unique = outcomes["ising.anneal.uniqueness"].outcome
    assert unique.verdict == "fails" and len(unique.details["roots"]) == 2
    assert unique.details["min_S_sigmoid"] > 0


def test_limit_verdict_follows_the_interval(monkeypatch):
    # A run too short for g to reach g(inf) cannot speak about the limit.
    short = replace(ising_anneal_claims.CLAIM_CONFIG, steps=40, tau=5.0)
    monkeypatch.setattr(ising_anneal_claims, "CLAIM_CONFIG", short)
    for theorem in ("theorem2", "theorem3"):
        outcome = claims.get(f"ising.anneal.limit.{theorem}").check(claims.Context(dps=30))
        assert outcome.verdict == "inconclusive" and "too short" in outcome.evidence


def test_derivation_steps_name_the_claims():
    steps = ising_anneal_derivation.derivation()
    assert [s.claim for s in steps] == ["ising.anneal.training_sees_data",
                                        "ising.anneal.uniqueness", "ising.anneal.limit.theorem2",
                                        "ising.anneal.g_dependence",
                                        "ising.anneal.g_correspondence",
                                        "ising.anneal.structure_independence"]
    attached = {i for s in steps for i in s.claim_ids}
    assert attached == {c.id for c in claims.select(["ising.anneal.*"])}
    exact, simple = ising_anneal_derivation.g_limit_expression()
    value = {ising.N_sym: 7, ising.J: 0.8}
    assert float(exact.subs(value)) == pytest.approx(float(simple.subs(value)), rel=1e-14)


# --------------------------------------------------------------------------- the command line

CLI_SMALL = ["anneal", "ising", "--N", "6", "--M", "5", "--chains", "16", "--steps", "300",
             "--dt", "0.02", "--seed", "2", "--record-every", "30", "--bootstrap", "200"]


def test_cli_writes_the_json_layout(tmp_path, capsys):
    out = tmp_path / "run.json"
    assert main(CLI_SMALL + ["--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data == json.loads(json.dumps(ising_experiment.as_json(ising_experiment.run(SMALL))))
    stdout = capsys.readouterr().out
    assert "J* = 0 (stable decimation fixed point) is inside" in stdout


@pytest.mark.filterwarnings("ignore:dt = ")
@pytest.mark.parametrize("extra, message", [
    (["--resume"], "--resume: needs --checkpoint FILE"),
    (["--hidden", "4,,2"], "--hidden: must be comma-separated positive integers"),
    (["--backend", "cupy"], "--backend: cupy needs the optional packages"),
    (["--dt", "1e4", "--steps", "200"], "at step"),
])
def test_cli_errors_exit_2_with_one_line(extra, message, capsys):
    if "cupy" in extra:
        try:
            import cupy  # noqa: F401
            pytest.skip("cupy is installed")
        except ImportError:
            pass
    assert main(CLI_SMALL + extra) == 2
    assert message in capsys.readouterr().err


def test_cli_plot(tmp_path, capsys):
    target = tmp_path / "run.png"
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert main(CLI_SMALL + ["--plot", str(target)]) == 2
        assert "needs matplotlib" in capsys.readouterr().err
        pytest.skip("matplotlib is not installed: checked the clear message instead")
    assert main(CLI_SMALL + ["--plot", str(target)]) == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_interrupted_by_sigint_then_resumed_matches_an_uninterrupted_run(tmp_path):
    # The first checkpoint comes at step 100 of 5000: seconds of margin for the signal to land
    # mid-run even on a loaded machine.
    args = ["anneal", "ising", "--N", "7", "--M", "6", "--chains", "48", "--steps", "5000",
            "--seed", "4", "--record-every", "100", "--bootstrap", "100"]
    checkpoint = tmp_path / "run.npz"
    proc = subprocess.Popen([sys.executable, "-m", "rgproof"] + args +
                            ["--checkpoint", str(checkpoint), "--checkpoint-every", "100"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not checkpoint.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    interrupted = proc.returncode == 130
    if interrupted:
        assert "interrupted (continue with --resume)" in err
    resumed, whole = tmp_path / "resumed.json", tmp_path / "whole.json"
    assert main(args + ["--checkpoint", str(checkpoint), "--resume", "--json", str(resumed)]) == 0
    assert main(args + ["--json", str(whole)]) == 0
    assert json.loads(resumed.read_text()) == json.loads(whole.read_text())
    assert interrupted, "the run finished before it could be interrupted"
    assert sorted(os.listdir(tmp_path)) == ["resumed.json", "run.npz", "whole.json"]


# --------------------------------------------------------------------------- shared scaffolding

def test_percentile_interval_and_level_rule():
    from rgproof.core import stats as stats_core

    values = np.random.default_rng(4).normal(size=(257, 3))
    # the tails are (1 - level) / 2 and (1 + level) / 2 as computed (0.09999999999999998 at 0.8)
    low, high = stats_core.percentile_interval(values[:, 0], 0.9)
    assert (low, high) == tuple(np.quantile(values[:, 0], [(1 - 0.9) / 2, (1 + 0.9) / 2]))
    low, high = stats_core.percentile_interval(values, 0.8, axis=0)
    np.testing.assert_array_equal(np.stack([low, high]),
                                  np.quantile(values, [(1 - 0.8) / 2, (1 + 0.8) / 2], axis=0))
    np.testing.assert_allclose(low, np.quantile(values, 0.1, axis=0), rtol=1e-14)
    assert stats_core.check_level(np.float64(0.5)) == 0.5
    for bad in (0, 1, 1.5, -0.1, True, "0.9", None):
        with pytest.raises(InputError, match="must lie strictly between 0 and 1") as info:
            stats_core.check_level(bad)
        assert info.value.parameter == "level"


def test_bootstrap_interval_uses_the_shared_percentile_interval(monkeypatch):
    calls = []

    def counted(values, level, axis=None):
        calls.append((len(values), level, axis))
        return np.quantile(values, [(1 - level) / 2, (1 + level) / 2], axis=axis)

    monkeypatch.setattr(ia, "percentile_interval", counted)
    S = np.random.default_rng(5).uniform(0.2, 3.0, size=(12, 32))
    target = math.log(32) + 0.8
    root = ia.coupling_roots(S, target).roots[0]
    ia.bootstrap_interval(S, target, root, np.random.default_rng(9), 60, 0.9)
    assert calls == [(60, 0.9, None)]


def test_both_experiment_configs_share_the_engine_checks(monkeypatch):
    from rgproof.experiments import annealing
    from rgproof.experiments import expfam as expfam_experiment

    seen = []
    original = annealing.check_engine_settings

    def counted(config, chains_reason):
        seen.append((type(config).__name__, chains_reason))
        return original(config, chains_reason)

    monkeypatch.setattr(annealing, "check_engine_settings", counted)
    ising_experiment.IsingAnneal()
    expfam_experiment.ExpFamAnneal()
    assert seen == [("IsingAnneal", "a bootstrap over chains needs at least 2 chains"),
                    ("ExpFamAnneal", "the ensemble needs at least 2 chains")]


@pytest.mark.parametrize("changes, parameter, message", [
    (dict(chains=1), "chains", "a bootstrap over chains needs at least 2 chains"),
    (dict(level=1.0), "level", "must lie strictly between 0 and 1"),
    (dict(record_every=0), "record_every", "must be an integer >= 1"),
    (dict(seed=-1), "seed", "must be an integer >= 0"),
    (dict(bootstrap=19), "bootstrap", "must be an integer >= 20"),
    (dict(lam=-0.5), "lam", None),
    (dict(steps=0), "steps", None),
])
def test_ising_config_engine_checks(changes, parameter, message):
    with pytest.raises(InputError, match=message) as info:
        replace(SMALL, **changes)
    assert info.value.parameter == parameter


def test_summary_and_plot_use_the_shared_text_and_plot_helpers(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from rgproof.core.text import significant
    from rgproof.present import plotting

    result = ising_experiment.run(replace(SMALL, steps=40, record_every=20, bootstrap=20))
    text = ising_anneal_present.summary(result)
    final = result.final
    if final["ci_low"] is not None:
        assert f"J_T = {significant(final['J_t'])} at T" in text
    used = []
    for name in ("save", "loss_panel"):
        original = getattr(plotting, name)
        monkeypatch.setattr(ising_anneal_present, name,
                            lambda *a, _f=original, _n=name, **k: used.append(_n) or _f(*a, **k))
    ising_anneal_present.plot(result, tmp_path / "run.png")
    assert used == ["loss_panel", "save"]
    assert (tmp_path / "run.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- training vs data

def test_training_does_not_see_the_data_coupling():
    outcome = claims.get("ising.anneal.training_sees_data").check(claims.Context(dps=30))
    assert outcome.verdict == "fails" and "bit-identical" in outcome.evidence
    assert outcome.details["losses_identical"] and outcome.details["parameters_identical"]
    assert outcome.details["parameters"] == ising_anneal_claims.CLAIM_CONFIG.chains * 42


def test_training_that_depends_on_J_flips_the_verdict_to_holds(monkeypatch):
    from rgproof.experiments import annealing
    original = annealing.settings_ensemble

    def teacher_moved_by_J(config, **options):
        plain = original(config, **options)
        return original(config, teacher=np.asarray(plain.teacher) + config.J, **options)

    monkeypatch.setattr(annealing, "settings_ensemble", teacher_moved_by_J)
    monkeypatch.setattr(ising_anneal_claims, "claim_run",
                        lambda config=ising_anneal_claims.CLAIM_CONFIG: ising_experiment.run(config))
    outcome = claims.get("ising.anneal.training_sees_data").check(claims.Context(dps=30))
    assert outcome.verdict == "holds" and "differ" in outcome.evidence
    assert not outcome.details["losses_identical"]


# --------------------------------------------------------------------------- the g-free statistic

def _enumerated_nn_correlation(J, M):
    import itertools
    weights, bonds = [], []
    for s in itertools.product((-1, 1), repeat=M):
        weights.append(math.exp(J * sum(s[i] * s[(i + 1) % M] for i in range(M))))
        bonds.append(s[0] * s[1])
    return float(np.dot(weights, bonds) / sum(weights))


@pytest.mark.parametrize("M", [2, 3, 4, 5, 8])
@pytest.mark.parametrize("J", [-1.7, -0.4, 0.0, 0.3, 1.2])
def test_nn_correlation_of_the_periodic_chain_matches_enumeration_and_inverts(J, M):
    exact = _enumerated_nn_correlation(J, M)
    assert float(ia.periodic_nn_correlation(J, M)) == pytest.approx(exact, abs=1e-14)
    assert ia.nn_coupling(exact, M) == pytest.approx(J, abs=1e-9)


def test_nn_coupling_limits_clipping_and_arrays():
    assert ia.nn_coupling(math.tanh(0.7), 10**6) == pytest.approx(0.7, abs=1e-9)  # infinite chain
    assert ia.nn_coupling(1.0, 6) == ia.MAX_NN_COUPLING
    assert ia.nn_coupling(-1.0, 6) == -ia.MAX_NN_COUPLING
    assert ia.nn_coupling(-0.9, 3) == -ia.MAX_NN_COUPLING  # odd rings reach only c > -(M-2)/M
    np.testing.assert_allclose(ia.nn_coupling(np.array([0.0, math.tanh(0.2)]), 10**6), [0, 0.2],
                               atol=1e-9)
    with pytest.raises(InputError):
        ia.nn_coupling(math.nan, 4)
    s = ia.output_spins(np.array([[[0.25, 0.75, 0.5]]]), "sigmoid")
    np.testing.assert_allclose(ia.bond_correlations(np, s), [[(-0.25 + 0 + 0) / 3]])
    assert ia.output_spins(np.array([0.3]), "tanh").tolist() == [0.3]


def test_runs_record_the_g_free_statistic():
    result = ising_experiment.run(SMALL)
    for key in ("c_nn", "J_nn"):
        assert all(math.isfinite(r[key]) for r in result.records)
    final = ising_experiment.chain_correlations(SMALL, result.params)
    assert result.final["c_nn"] == pytest.approx(float(final.mean()), abs=1e-15)
    assert result.final["J_nn"] == ising_experiment.nn_statistic(final, SMALL.M)
    first = ising_experiment.chain_correlations(SMALL, result.initial_params)
    assert result.records[0]["c_nn"] == pytest.approx(float(first.mean()), abs=1e-15)
    # the statistic needs no g: another schedule leaves it bit-identical
    other = ising_experiment.run(SMALL, g=ia.GSchedule(0.3, 1.0))
    assert [r["J_nn"] for r in other.records] == [r["J_nn"] for r in result.records]


# --------------------------------------------------------------------------- limit from training

def _limit_from_training(monkeypatch=None, config=None):
    if config is not None:
        monkeypatch.setattr(ising_anneal_claims, "CLAIM_CONFIG", config)
    return claims.get("ising.anneal.limit_from_training").check(claims.Context(dps=30))


def test_limit_from_training_on_the_claim_run():
    outcome = _limit_from_training()
    # W_0 already has J_nn ~ 0 (overlapping intervals): J* = 0 is not shown to come from training
    assert outcome.verdict == "inconclusive"
    assert outcome.details["verdicts"]["trained"] == "holds"
    assert outcome.details["controls_like_trained"] == ["untrained W_0"]
    assert "untrained W_0: J_nn =" in outcome.evidence and "random, trained norms" in outcome.evidence


def test_a_frozen_ensemble_does_not_give_holds(monkeypatch):
    frozen = replace(ising_anneal_claims.CLAIM_CONFIG, dt=1e-12)
    outcome = _limit_from_training(monkeypatch, frozen)
    assert outcome.verdict != "holds"
    assert "untrained W_0" in outcome.details["controls_like_trained"]


@pytest.mark.parametrize("trained_c, controls_c, verdict", [
    (0.0, 0.5, "holds"),         # trained at J* = 0, controls far away
    (0.5, 0.0, "fails"),         # trained far from J* = 0
    (0.0, 0.0, "inconclusive"),  # controls just as close: not from training
])
def test_limit_from_training_decision(monkeypatch, trained_c, controls_c, verdict):
    result = ising_anneal_claims.claim_run()
    noise = np.random.default_rng(0).normal(0, 1e-3, result.config.chains)

    def fake(config, params):
        c = trained_c if params is result.params else controls_c
        return None, c + noise

    monkeypatch.setattr(ising_anneal_claims, "evaluate_params", fake)
    assert _limit_from_training().verdict == verdict


@pytest.mark.filterwarnings("ignore:dt = 1000000.0 exceeds:RuntimeWarning")
def test_a_diverging_claim_run_makes_the_rows_inconclusive(monkeypatch):
    # dt = 1e6: the loss grows by orders of magnitude within a few steps; the engine stops the
    # run, and no row reads a trajectory from it
    monkeypatch.setattr(ising_anneal_claims, "CLAIM_CONFIG",
                        replace(ising_anneal_claims.CLAIM_CONFIG, dt=1e6, steps=20,
                                record_every=5))
    for claim_id in ("ising.anneal.limit.theorem2", "ising.anneal.limit.theorem3",
                     "ising.anneal.g_dependence", "ising.anneal.limit_from_training"):
        result = claims.run(claims.get(claim_id), claims.Context(dps=30))
        assert not result.crashed, claim_id
        assert result.outcome.verdict == "inconclusive", claim_id
        assert "annealing run diverged" in result.outcome.evidence
        assert "dt = 1000000.0 is too large" in result.outcome.evidence


# --------------------------------------------------------------------------- g(t) <-> J_0

def test_decimation_constants_split_the_partition_function():
    for N, M in ((8, 8), (8, 4), (16, 2), (6, 3)):
        C, K = ia.decimation_constants(mpmath.mp, N, M, mpmath.mpf("0.7"))
        assert C + ising.log_z(mpmath.mp, M, K) == pytest.approx(
            ising.log_z(mpmath.mp, N, mpmath.mpf("0.7")), rel=1e-14)
    with pytest.raises(InputError, match="power of 2"):
        ia.decimation_constants(mpmath.mp, 12, 2, mpmath.mpf(1))


def _correspondence():
    return claims.get("ising.anneal.g_correspondence").check(claims.Context(dps=30))


def test_g_differs_from_every_reading_of_J0_by_the_entropy_and_the_free_energy_left():
    outcome = _correspondence()
    assert outcome.verdict == "fails" and outcome.digits >= 20
    assert set(outcome.details["readings"].values()) == {"fails"}
    # at N = 8, M = 2, J = 1 the gap is ln Z_2(J_2) - 8 ln 2, J_2 two decimation steps from J
    K = ising.decimate(ising.decimate(1))
    assert float(outcome.details["gap"]) == pytest.approx(
        float(ising.log_z(mpmath.mp, 2, K) - 8 * mpmath.log(2)), rel=1e-12)


def test_a_reading_of_J0_that_is_the_constant_of_equation_3_flips_the_verdict(monkeypatch):
    # the false case: a J_0 taken relative to all 2^N states at the fixed point is N g(inf)
    readings = {"relative to 2^N states at J = 0":
                lambda N, M, K: ising.log_z(mpmath.mp, N, K) - N * mpmath.log(2)}
    monkeypatch.setattr(ising_anneal_claims, "J0_READINGS", readings)
    outcome = _correspondence()
    assert outcome.verdict == "holds" and outcome.digits >= 20


# --------------------------------------------------------------------------- network structure

def _structure(seed=0):
    return claims.get("ising.anneal.structure_independence").check(claims.Context(seed=seed))


def test_a_one_unit_bottleneck_ends_away_from_J_star():
    outcome = _structure()
    assert outcome.verdict == "fails"
    assert len(outcome.tests) == len(ising_anneal_claims.STRUCTURES) * \
        ising_anneal_claims.TEACHER_DRAWS
    assert "tanh, hidden [1], teacher seed 0" in outcome.evidence.split("Outside the band:")[1]
    assert "J_nn(W*)" in outcome.evidence


def test_wide_sigmoid_networks_alone_flip_the_verdict(monkeypatch):
    # the false case: structures whose teachers' outputs barely correlate
    monkeypatch.setattr(ising_anneal_claims, "STRUCTURES", (("sigmoid", (12,)),))
    outcome = _structure()
    assert outcome.verdict == "holds"
    assert all(t.verdict == "holds" for t in outcome.tests)
