import json
import math
from dataclasses import replace

import mpmath
import numpy as np
import pytest
from scipy import stats

from rgproof import claims, scaling
from rgproof.claims import expfam as expfam_claims
from rgproof.cli import main
from rgproof.core.errors import InputError
from rgproof.experiments import ensemble as ensemble_experiment
from rgproof.experiments import expfam
from rgproof.experiments import network as network_experiment
from rgproof.present import expfam as expfam_present
from rgproof.topics.expfam import ExpFamily, RadialLaw, check_spd
from rgproof.topics.expfam_fit import _moments, fit_radial, mahalanobis, mle, sufficient_statistics

SMALL = replace(expfam_claims.CLAIM_CONFIG, steps=120, record_every=40, bootstrap=100)


# --------------------------------------------------------------------------- the sampler

@pytest.mark.parametrize("theta, dim", [((0.5,), 2), ((-0.5, 0.3), 3), ((2.0, -1.0, 0.4), 1)])
def test_radial_normaliser_and_quantiles_against_high_precision(theta, dim):
    law = RadialLaw(theta, dim)
    reference = float(scaling.log_partition(theta, dim, dps=20).value)
    assert law.log_normaliser == pytest.approx(reference, abs=1e-13)
    # the CDF at the sampler's quantiles, integrated independently with mpmath
    q = np.linspace(0.02, 0.98, 7)
    rho = law.quantile(q)
    t = [mpmath.mpf(v) for v in theta]
    f = lambda r: r ** (dim - 1) * mpmath.exp(-sum(c * r ** (2 * k) for k, c in enumerate(t, 1)))  # noqa: E731
    total = mpmath.quad(f, [0, 1, mpmath.inf])
    cdf = [float(mpmath.quad(f, [0, r]) / total) for r in rho]
    np.testing.assert_allclose(cdf, q, rtol=0, atol=1e-13)


def test_samples_match_high_precision_moments_and_chi_square():
    family = ExpFamily((1.0, 0.5), A=[[2.0, 0.5], [0.5, 1.0]], b=[0.3, -0.2])
    x = family.sample(100_000, np.random.default_rng(1))
    z = family.z_of_x(x)
    m = [float(v.value) for v in family.z_moments(8)]
    for n in (2, 4):  # pooled over both coordinates, within 5 standard errors
        sample = np.concatenate([z[:, 0] ** n, z[:, 1] ** n])
        se = math.sqrt((m[2 * n] - m[n] ** 2) / x.shape[0])
        assert abs(sample.mean() - m[n]) < 5 * se
    # x = shift + ...: mean shift, covariance E[z_1^2] A^-1
    np.testing.assert_allclose(x.mean(0), family.shift, atol=5 * math.sqrt(m[2] / 1e5))
    np.testing.assert_allclose(np.cov(x.T), m[2] * np.linalg.inv(family.A), atol=0.01)
    # chi-square of |z|^2 in bins whose probabilities are integrated by mpmath
    edges = np.array([0.1, 0.25, 0.4, 0.6, 0.9, 1.3, 2.0])
    t = [mpmath.mpf(v) for v in family.theta_lgw]
    f = lambda r: r * mpmath.exp(-sum(c * r ** (2 * k) for k, c in enumerate(t, 1)))  # noqa: E731
    total = mpmath.quad(f, [0, 1, mpmath.inf])
    cdf = [0.0] + [float(mpmath.quad(f, [0, math.sqrt(e)]) / total) for e in edges] + [1.0]
    expected = np.diff(cdf) * x.shape[0]
    observed = np.bincount(np.searchsorted(edges, (z ** 2).sum(1)), minlength=len(edges) + 1)
    assert stats.chisquare(observed, expected).pvalue > 1e-3


def test_normaliser_of_the_family_against_a_grid_sum():
    family = ExpFamily((1.0, 0.5), A=[[2.0, 0.5], [0.5, 1.0]], b=[0.3, -0.2])
    g = np.linspace(-4, 4, 1201)
    X, Y = np.meshgrid(g, g)
    values = np.exp(-family.hamiltonian(np.stack([X.ravel(), Y.ravel()], 1)))
    assert family.log_normaliser == pytest.approx(math.log(values.sum() * (g[1] - g[0]) ** 2),
                                                  abs=1e-9)


# --------------------------------------------------------------------------- the fit

def test_mle_recovers_theta_and_rejects_non_radial_samples():
    rng = np.random.default_rng(4)
    y = RadialLaw((-0.5, 0.3), 3).sample(6000, rng)
    fit = fit_radial(y, 2, rng, bootstrap=100)
    assert fit.in_family and mahalanobis(fit.theta, fit.covariance, (-0.5, 0.3), 0.95)[2]
    # the ML equations: E_theta[T] equals the sample means
    theta, log_z = mle(sufficient_statistics(y, 2).mean(0), 3)
    assert log_z == pytest.approx(float(scaling.log_partition(tuple(theta), 3, 20).value),
                                  abs=1e-12)
    # a Gaussian with unequal variances fitted by R = 1: a number exists, but it is rejected
    stretched = rng.standard_normal((6000, 2)) * [1.0, 1.3]
    fit = fit_radial(stretched, 1, rng, bootstrap=100)
    assert fit.theta is not None and not fit.in_family and fit.gof.bingham_p < 1e-3


def test_too_many_coefficients_is_a_boundary_fit_not_a_rejection():
    # R = 2 data fitted with R = 3: the likelihood's supremum is at theta_3 -> 0 for about half
    # of the samples; those must name the R = 2 fit there, with the likelihood falling inwards
    law = RadialLaw((0.5, 0.25), 2)
    boundary = 0
    for seed in range(16):
        rng = np.random.default_rng(seed)
        y = law.sample(4096, rng)
        fit = fit_radial(y, 3, rng, bootstrap=20)
        if fit.theta is not None:
            continue
        boundary += 1
        assert fit.boundary.R == 2 and fit.boundary.gof.in_family
        assert fit.boundary.slopes[0] >= 0
        np.testing.assert_allclose(fit.boundary.theta, mle(
            sufficient_statistics(y, 2).mean(0), 2)[0], rtol=1e-12)
        text = expfam_present._fit_text(expfam._fit_entry(fit))
        assert "sits on the boundary theta_R -> 0" in text and "in the family" in text
        assert "GOF p" in text and "not in the radial family" not in text
    assert boundary >= 3  # 8 of these 16 seeds
    # a sample with an interior fit that the goodness of fit rejects says so instead
    stretched = np.random.default_rng(0).standard_normal((4096, 2)) * [1.0, 1.3]
    fit = fit_radial(stretched, 1, np.random.default_rng(0), bootstrap=20)
    assert fit.boundary is None
    assert expfam_present._fit_text(expfam._fit_entry(fit)).startswith("not in the radial family (GOF")


@pytest.mark.slow
def test_cluster_bootstrap_covers_under_per_chain_spread():
    # 16 chains of 256 points; each chain's outputs are scaled by its own exp(0.1 g): the points
    # of a chain are not independent. The target is the ML projection of the chains' mixture,
    # exactly: E[|y|^(2r)] = 1.5^(2r) exp(2 r^2 sigma^2) E_base[|z|^(2r)].
    base, sigma, chains, per = (0.5, 0.25), 0.1, 16, 256
    r = np.arange(1, 3)
    m = 1.5 ** (2 * r) * np.exp(2 * r ** 2 * sigma ** 2) * _moments(np.array(base), 2)[0][0]
    target = mle(m, 2)[0]
    law, rng = RadialLaw(base, 2), np.random.default_rng(3)
    covered = {None: 0, chains: 0}
    reps = 60
    for _ in range(reps):
        z = law.sample(chains * per, rng).reshape(chains, per, 2)
        y = (z * (1.5 * np.exp(sigma * rng.standard_normal(chains)))[:, None, None])
        for clusters in covered:
            fit = fit_radial(y.reshape(-1, 2), 2, rng, bootstrap=100, clusters=clusters)
            covered[clusters] += mahalanobis(fit.theta, fit.covariance, target, 0.95,
                                             clusters)[2]
    # measured at 150 replications: 89% for chains resampled whole, 33% for single points
    assert covered[chains] / reps >= 0.8
    assert covered[None] / reps <= 0.6


def test_joint_test_catches_what_the_marginal_intervals_miss():
    record = {"theta_t": [0.0, 0.0], "ci_low": [-1.96, -1.96], "ci_high": [1.96, 1.96],
              "fit": {"covariance": [[1.0, 0.99], [0.99, 1.0]], "clusters": None}}
    d2, quantile, inside = expfam._joint_test(record, [1.5, -1.5], 0.95)
    assert d2 == pytest.approx(4.5 / 0.01) and quantile == pytest.approx(
        stats.chi2.ppf(0.95, 2)) and not inside
    assert expfam._joint_test(record, [1.5, 1.5], 0.95)[2]
    # Hotelling's quantile for G clusters: G R / (G - R) F_{R, G-R}
    record["fit"]["clusters"] = 16
    assert expfam._joint_test(record, [1.5, 1.5], 0.95)[1] == pytest.approx(
        16 * 2 / 14 * stats.f.ppf(0.95, 2, 14))
    # another number of coefficients: no comparison (zip would have truncated)
    assert expfam._joint_test(record, [0.0, 0.0, 5.0], 0.95) is None
    assert "does not apply" in expfam_present._joint_text(record, [0.0, 0.0, 5.0], 0.95)
    assert "does not apply" in expfam_present._joint_text(record, [0.0], 0.95)


def test_claim_texts_are_computed(monkeypatch):
    result = expfam_claims.claim_run()
    records = [dict(r) for r in result.records]
    records[0] = dict(records[1], t=0.0)  # t = 0 accepted, a later record rejected instead
    records[2] = dict(records[2], theta_t=None)
    moved = replace(result, records=records, kappa=2.0,
                    theta_star=[t * 2.0 ** k for k, t in enumerate(SMALL.theta, 1)])
    monkeypatch.setattr(expfam_claims, "claim_run", lambda config=None: moved)
    evidence = expfam_claims._check_convergence(claims.Context()).evidence
    assert f"1 of {len(records)} records (t = {records[2]['t']:g})" in evidence
    assert "(t = 0)" not in evidence and "theta_2: 95% interval [" in evidence
    outcome = expfam_claims._check_limit(claims.Context())
    assert "trivial" not in outcome.evidence and "kappa = 2" in outcome.evidence
    scale = outcome.details["scales"][0]
    assert scale["verdict"] == "fails" and "fails" in scale["verdicts"]


def test_limit_verdict_does_not_hinge_on_the_default_scale(monkeypatch):
    before = expfam_claims._check_limit(claims.Context())
    assert before.verdict == "fails"
    monkeypatch.setattr(expfam_claims, "CLAIM_CONFIG",
                        replace(expfam_claims.CLAIM_CONFIG, scale=1.0))
    after = expfam_claims._check_limit(claims.Context())
    assert after.verdict == before.verdict
    by_scale = {d["scale"]: d for d in after.details["scales"]}
    assert by_scale[1.0]["rotation"] and by_scale[1.0]["verdict"] != "fails"
    assert by_scale[1.5]["verdict"] == "fails"
    assert "s = 1 (the rotation teacher): " in after.evidence
    for scale in expfam_claims.LIMIT_SCALES:
        assert f"s = {scale:g}" in after.evidence


@pytest.mark.parametrize("said, verdict", [
    ({}, "holds"),                           # holds at every scale
    ({1.0: "fails"}, "inconclusive"),        # fails only at the rotation
    ({1.1: "fails"}, "fails"),               # fails at a non-degenerate scale
    ({0.9: "inconclusive"}, "inconclusive"),  # not holding at every scale
])
def test_limit_combines_the_scales(monkeypatch, said, verdict):
    from rgproof.core import ledger, stats

    def at(cfg):
        v = said.get(cfg.scale, "holds")
        test = stats.equivalence({"holds": (0.5, 0.5), "fails": (2.0, 3.0),
                                  "inconclusive": (0.0, 1.0)}[v], 0.5, 0.1, level=0.95, n=16,
                                 reason="r")
        return getattr(ledger, v)(f"{v} at {cfg.scale}", tests=[test], theta_star=[0.5, 0.25],
                                  kappa=1.0, summary=f"d^2 = {cfg.scale}")

    monkeypatch.setattr(expfam_claims, "_limit_at", at)
    outcome = expfam_claims._check_limit(claims.Context())
    assert outcome.verdict == verdict
    ledger._check_tests(outcome)  # the verdict is one its tests can carry


# --------------------------------------------------------------------------- the engine on given inputs

def test_given_hypercube_rows_reproduce_the_fast_path():
    arch = network_experiment.Architecture(4, 3, (5,))
    fast = ensemble_experiment.Ensemble.create(arch, "tanh", chains=3, lam=0.2, seed=1)
    given = ensemble_experiment.Ensemble.create(arch, "tanh", chains=3, lam=0.2, seed=1,
                                   inputs=network_experiment.hypercube(4))
    np.testing.assert_allclose(given.gradient(), fast.gradient(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(given.evaluate()[0], fast.evaluate()[0], rtol=1e-13)
    X = np.random.default_rng(2).standard_normal((7, 4))
    direct = np.tanh(np.tanh(X @ fast.architecture.layers(fast.params)[0][0][1]
                             + fast.architecture.layers(fast.params)[0][1][1])
                     @ fast.architecture.layers(fast.params)[1][0][1]
                     + fast.architecture.layers(fast.params)[1][1][1])
    np.testing.assert_allclose(fast.outputs_on(X)[1], direct, rtol=1e-13)


def test_gradient_on_given_inputs_against_finite_differences():
    X = np.random.default_rng(0).standard_normal((20, 3))
    ens = ensemble_experiment.Ensemble.create(network_experiment.Architecture(3, 2), "identity", chains=2, lam=0.3,
                                 seed=2, inputs=X)
    grad = ens.gradient()[1]
    p = ens.params[1]
    loss = lambda q: ensemble_experiment.Ensemble(ens.architecture, ens.activation, ens.teacher, q[None],  # noqa: E731
                                     ens.lam, data=X).evaluate()[0][0]
    fd = [(loss(p + h) - loss(p - h)) / 2e-6 for h in np.eye(p.size) * 1e-6]
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6)
    sgd = ensemble_experiment.Ensemble.create(network_experiment.Architecture(3, 2), "identity", chains=2, lam=0.3,
                                 seed=2, inputs=X, batch=20)
    assert sgd.gradient(np.random.default_rng(0)).shape == ens.params.shape


# --------------------------------------------------------------------------- the experiment

def test_rg_teacher_flows_to_the_exact_prediction():
    result = expfam.run(SMALL)
    final = result.final
    assert final["theta_t"] is not None
    prediction = [t * 1.5 ** (-2 * r) for r, t in enumerate(SMALL.theta, 1)]
    assert result.prediction == pytest.approx(prediction, rel=1e-12)
    assert expfam._joint_test(final, prediction, SMALL.level)[2]
    assert not expfam._joint_test(final, result.theta_star, SMALL.level)[2]
    assert result.kappa == 1
    data = expfam.as_json(result)
    assert set(data["trajectory"][-1]) == {"t", "theta_t", "ci_low", "ci_high", "loss", "fit"}
    assert len(data["trajectory"][-1]["ci_low"]) == SMALL.R
    json.dumps(data, allow_nan=False)


def test_the_teacher_fit_made_when_read_is_the_one_made_at_once():
    """The run defers theta~(W*) until it is read (most checks never read it); the fit it then
    makes equals a fresh one, after the run's own draws and training, read twice or once."""
    result = expfam.run(SMALL)
    deferred = result.teacher_fit
    assert result.teacher_fit is deferred  # made once, then kept
    family = expfam.family_of(SMALL)
    fresh = expfam.teacher_fit(SMALL, family)
    assert np.array_equal(np.asarray(deferred.theta, dtype=float),
                          np.asarray(fresh.theta, dtype=float))
    assert deferred.in_family == fresh.in_family


def test_checkpoint_resume_is_bit_identical(tmp_path):
    path = str(tmp_path / "run.npz")
    whole = expfam.run(SMALL)

    def stop(step):
        if step == 50:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        expfam.run(SMALL, checkpoint=path, checkpoint_every=40, on_step=stop)
    resumed = expfam.run(SMALL, checkpoint=path, resume=True)
    assert resumed.records == whole.records
    with pytest.raises(InputError, match="another configuration"):
        expfam.run(replace(SMALL, train_size=65), checkpoint=path, resume=True)


def test_pushforward_separates_the_two_densities():
    cfg = expfam_claims.PUSHFORWARD_CONFIG
    result = expfam_claims.claim_run(cfg)
    test = expfam.pushforward_test(cfg, expfam.family_of(cfg), result.final_outputs)
    assert test.alone_p < 1e-3 and test.alone_D > test.pushforward_D
    push, alone = expfam_claims.pushforward_tests(cfg, test)
    assert push.verdict != "fails" and alone.verdict == "fails"
    assert push.band == alone.band == pytest.approx(test.between_D / 2)


def test_pushforward_row_reads_the_radial_family_and_flips_on_non_radial_outputs():
    cfg = expfam_claims.PUSHFORWARD_CONFIG
    result = expfam_claims.claim_run(cfg)
    gof = result.final["fit"]["gof"]
    real = expfam_claims._pushforward_outcome(cfg, result.final_outputs, result.final["t"], gof)
    # the paper's inversion step (exp(-H) alone) is refuted; the push-forward is the correction
    assert real.verdict == "fails" and not real.details["in_radial_family"]
    assert "not in the radial family" in real.evidence and "GOF p = " in real.evidence
    assert "MATH.md section 3 item 11" in real.evidence
    # the same tests, but a radial-family p-value at the level: the outputs would look
    # radial, which the push-forward of a tanh teacher does not predict
    radial = dict(gof, p_value=0.5)
    looks = expfam_claims._pushforward_outcome(cfg, result.final_outputs, result.final["t"],
                                               radial)
    assert looks.verdict == "inconclusive" and looks.details["in_radial_family"]
    # outputs from a non-radial law: an anisotropic Gaussian inside (-1, 1)^2
    rng = np.random.default_rng(3)
    y = rng.standard_normal(result.final_outputs.shape) * [0.35, 0.05]
    y = np.clip(y, -0.99, 0.99)
    fit = fit_radial(y, cfg.R, rng, 50, cfg.level, clusters=cfg.chains)
    assert fit.gof.p_value < expfam_claims.GOF_ALPHA
    false = expfam_claims._pushforward_outcome(cfg, y, result.final["t"], fit.gof.as_dict())
    assert false.verdict == "inconclusive"


def test_pushforward_row_holds_on_outputs_that_follow_exp_minus_h_alone():
    # draw x' from exp(-H)|det DF*| (inputs reweighted by the Jacobian) and map them by the
    # teacher: the law the inversion step asserts, so the row must hold
    cfg = expfam_claims.PUSHFORWARD_CONFIG
    family = expfam.family_of(cfg)
    params = expfam.teacher_parameters(cfg, family)
    W, bias = params[:cfg.N * cfg.N].reshape(cfg.N, cfg.N), params[cfg.N * cfg.N:]
    rng = np.random.default_rng(7)
    x = family.sample(400_000, rng)
    weights = np.prod(1 - np.tanh(x @ W + bias) ** 2, axis=1)
    chosen = rng.choice(len(x), size=cfg.chains * cfg.eval_size, p=weights / weights.sum())
    y = np.tanh(x[chosen] @ W + bias)
    fit = fit_radial(y, cfg.R, rng, 50, cfg.level, clusters=cfg.chains)
    outcome = expfam_claims._pushforward_outcome(cfg, y, 3.0, fit.gof.as_dict())
    assert outcome.verdict == "holds", outcome.evidence


@pytest.mark.parametrize("changes, parameter", [
    (dict(theta=(1.0, -0.5)), "theta_2"),
    (dict(A=((1.0, 2.0), (2.0, 1.0))), "A"),
    (dict(A=((1.0, 0.5), (0.4, 1.0))), "A"),
    (dict(M=3), "M"),
    (dict(train_size=2), "train_size"),
    (dict(eval_size=2), "eval_size"),
    (dict(teacher="mlp", R=3, theta=(1.0, 1.0, 1.0), eval_size=8), "eval_size"),
    (dict(teacher="rbf"), "--teacher"),
    (dict(activation="tanh"), "--activation"),
    (dict(seed=-1), "seed"),
    (dict(b=((1, "x"),)), "b"),
    (dict(b=(1.0, "x")), "b_2"),
    (dict(b=(5.0,)), "b"),
    (dict(b=(math.nan, 0.0)), "b_1"),
    (dict(record_every=0), "record_every"),
    (dict(level=1.0), "level"),
    (dict(level=0), "level"),
])
def test_bad_input_names_the_parameter(changes, parameter):
    with pytest.raises(InputError) as info:
        replace(expfam_claims.CLAIM_CONFIG, **changes)
    assert info.value.parameter == parameter


def test_positive_definite_is_relative_to_the_scale_of_a():
    np.testing.assert_array_equal(check_spd([[1e-300, 0], [0, 1e-300]]), np.eye(2) * 1e-300)
    with pytest.raises(InputError):
        check_spd([[1e-300, 0], [0, 1e-315]])  # condition number 1e15


def test_cli_runs_and_reports_bad_input(tmp_path, capsys):
    out = tmp_path / "e.json"
    assert main(["anneal", "expfam", "--steps", "40", "--record-every", "20", "--bootstrap",
                 "50", "--json", str(out)]) == 0
    assert "RG prediction" in capsys.readouterr().out
    assert json.loads(out.read_text())["config"]["teacher"] == "rg"
    assert main(["anneal", "expfam", "--teacher", "rg", "--M", "3"]) == 2
    assert "M: the RG teacher" in capsys.readouterr().err
    assert main(["anneal", "expfam", "--seed", "-1"]) == 2
    assert "seed: must be an integer >= 0" in capsys.readouterr().err


def test_claims_are_registered_with_computed_verdicts():
    ids = {c.id for c in claims.all_claims()}
    assert {"expfam.anneal.convergence", "expfam.anneal.limit", "expfam.pushforward"} <= ids
    outcome = claims.run(claims.get("expfam.anneal.limit"), claims.Context()).outcome
    assert outcome.verdict == "fails" and outcome.details["kappa"] == 1


# --------------------------------------------------------------------------- shared helpers

def test_radial_log_density_is_the_shared_horner_sum_bit_for_bit(monkeypatch):
    from rgproof.core import series as series_core
    from rgproof.topics import expfam as expfam_topic

    law = RadialLaw((1.0, -0.3, 0.5), 3)
    rho = np.linspace(0, 4, 57)
    u = rho * rho
    H = np.zeros_like(u)
    for t in reversed(law.theta):  # the loop the shared sum replaced
        H = (H + t) * u
    with np.errstate(divide="ignore"):
        expected = 2 * np.log(rho) - H
    assert law.log_density(rho).tobytes() == expected.tobytes()
    calls = []
    monkeypatch.setattr(expfam_topic, "power_sum",
                        lambda theta, x: calls.append(theta) or series_core.power_sum(theta, x))
    law.log_density(rho)
    assert calls == [law.theta]


def test_fit_radial_uses_the_shared_level_rule_and_percentile_interval(monkeypatch):
    from rgproof.core import stats as stats_core
    from rgproof.topics import expfam_fit as expfam_fit_topic

    calls = []
    for name in ("check_level", "percentile_interval"):
        original = getattr(stats_core, name)
        monkeypatch.setattr(expfam_fit_topic, name,
                            lambda *a, _f=original, _n=name, **k: calls.append(_n) or _f(*a, **k))
    y = ExpFamily((0.5, 0.25), A=np.eye(2)).sample(400, np.random.default_rng(3))
    fit = fit_radial(y, 2, np.random.default_rng(4), bootstrap=40, level=0.9, clusters=8)
    assert calls == ["check_level", "percentile_interval"]
    assert fit.ci_low is not None
    with pytest.raises(InputError) as info:
        fit_radial(y, 2, np.random.default_rng(4), bootstrap=40, level=True)
    assert info.value.parameter == "level"


def test_vectors_in_the_evidence_use_the_shared_significant_digits():
    from rgproof.core.text import significant

    values = [1.23456, 2.0, 1e-7, 12345.0]
    assert expfam._vector(values) == "(" + ", ".join(significant(v) for v in values) + ")"
    assert expfam._vector(values, 3) == "(1.23, 2, 1e-07, 1.23e+04)"
    assert expfam._vector(None) == "none"


def test_convergence_fails_against_a_wrong_teacher_value(monkeypatch):
    # theta~(W*) = theta' s^(-2r) with s = 1.5; a prediction at twice that is refuted
    result = expfam_claims.claim_run()
    wrong = replace(result, prediction=[2 * t for t in result.prediction])
    monkeypatch.setattr(expfam_claims, "claim_run", lambda config=None: wrong)
    outcome = expfam_claims._check_convergence(claims.Context())
    assert outcome.verdict == "fails"
    assert any(t.verdict == "fails" for t in outcome.tests)
