"""Claims of Gong & Xia's Theorem 3.1 on annealed networks and exponential-family data."""
from ..core.ledger import Source, Topic, fails, holds, inconclusive
from ..experiments.expfam import (ExpFamAnneal, _joint_test, _joint_text, _vector, family_of,
                                  pushforward_test, run)
from ..topics.expfam_fit import GOF_ALPHA
from ._shared import cached_claim_run
from .papers import GONG_XIA_2026, GONG_XIA_EXPFAM

TOPIC = Topic("expfam",
              title=('The exponential-family experiment (Gong & Xia, arXiv:2606.00157, Theorem 3.1): '
                     'theta~_t.'),
              paper=GONG_XIA_EXPFAM)


# --------------------------------------------------------------------------- claims

#: The configurations `rgproof verify` runs: small, a few seconds on two cores.
CLAIM_CONFIG = ExpFamAnneal(N=2, M=2, theta=(0.5, 0.25), teacher="rg", scale=1.5, chains=16,
                            train_size=64, eval_size=256, steps=300, dt=0.01, c=0.01, lam=0.1,
                            seed=0, record_every=30, bootstrap=200)
PUSHFORWARD_CONFIG = ExpFamAnneal(N=2, M=2, theta=(0.1, 0.02), teacher="mlp", chains=16,
                                  train_size=64, eval_size=256, steps=300, dt=0.01, c=0.01,
                                  lam=0.1, seed=0, record_every=100, bootstrap=50)


claim_run = cached_claim_run(run, CLAIM_CONFIG)


def _run_text(result):
    cfg, final = result.config, result.final
    return (f"{cfg.teacher} teacher (s = {cfg.scale:g}), N = M = {cfg.N}, theta = "
            f"{_vector(cfg.theta)}, {cfg.chains} chains, {cfg.train_size} training rows, "
            f"{cfg.steps} steps to T = {final['t']:g}")


def _final_text(final, level):
    gof = final["fit"]["gof"]
    return (f"theta~_T = {_vector(final['theta_t'])}, {level:.0%} bootstrap CI "
            f"{_vector(final['ci_low'], 3)}..{_vector(final['ci_high'], 3)} over "
            f"{final['fit']['points']} pooled outputs (GOF p = {gof['p_value']:.2g})")


def _interval_details(final):
    return dict(theta_T=final["theta_t"], ci_low=final["ci_low"], ci_high=final["ci_high"],
                covariance=final["fit"].get("covariance"),
                gof_p=(final["fit"]["gof"] or {}).get("p_value"))


def _rejected_text(result):
    """Which records have no theta~_t in the family, by their times."""
    rejected = [r["t"] for r in result.records if r["theta_t"] is None]
    where = f" (t = {', '.join(f'{t:g}' for t in rejected)})" if rejected else ""
    return f"theta~_t is not in the radial family at {len(rejected)} of {len(result.records)} " \
           f"records{where}"


def _joint_verdict(text, final, values, level, **details):
    """holds / fails from the joint test of ``values`` against the final record, with its
    statistic in the evidence; inconclusive when it does not apply."""
    test = _joint_test(final, values, level)
    if test is None:
        return inconclusive(f"{text}: {_joint_text(final, values, level)}", **details)
    d2, quantile, inside = test
    details.update(mahalanobis_d2=d2, chi2_quantile=quantile)
    verdict = holds if inside else fails
    return verdict(f"{text} lies {_joint_text(final, values, level)}", **details)


@TOPIC.claim("expfam.anneal.convergence",
              statement="Under simulated annealing of dTheta = -grad L dt + sqrt(eta_t) dB with the "
                        "teacher-student loss plus lambda ||Theta - Theta*||^2, the characteristic "
                        "parameters theta~_t of the feature-layer system converge to those of the "
                        "teacher, theta~(W*); for an RG teacher y = s R z these are theta_r s^(-2r).",
              source=Source(GONG_XIA_2026, "Theorem 3.1; also MATH.md section 2",
                            "For this loss function, the unique global optimal point of the "
                            "parameters is . Using simulated annealing for training, the "
                            "learning rate is selected according to Lemma 2.1."),
              method="stochastic",
              latex=r"\lim_{t\to\infty}\tilde\theta_t = \tilde\theta(W^*)")
def _check_convergence(ctx):
    result = claim_run()
    cfg, final = result.config, result.final
    reference = result.prediction
    if reference is None:
        return inconclusive("the claim run has no exact teacher value (not an RG teacher)")
    text = f"{_run_text(result)}: {_rejected_text(result)}"
    details = dict(_interval_details(final), teacher=reference,
                   teacher_fit=result.teacher_fit.theta)
    if final["theta_t"] is None:
        return inconclusive(f"{text}, including the last: no theta~_T to compare", **details)
    text = (f"{text}; {_final_text(final, cfg.level)}; the teacher's theta~(W*) = theta' s^(-2r) "
            f"= {_vector(reference)} (exact; fitted on its own outputs: "
            f"{_vector(result.teacher_fit.theta)})")
    return _joint_verdict(text, final, reference, cfg.level, **details)


@TOPIC.claim("expfam.anneal.limit",
              statement="The limit of the characteristic parameters equals the RG fixed point: "
                        "theta~* = lim theta~_t = theta*, with theta* the fixed point of "
                        "theta_r -> theta_r Z(lambda)^r lambda^(-2r) under the condition Z_lambda = Z.",
              source=Source(GONG_XIA_2026, "Theorem 3.1; also MATH.md section 3 items 7 and 9",
                            "the feature layer output can be viewed as a physical system whose "
                            "Hamiltonian parameters are equal to the fixed points of the "
                            "corresponding parameters under the RG for data."),
              method="stochastic",
              latex=r"\tilde\theta^* = \theta^*")
def _check_limit(ctx):
    result = claim_run()
    cfg, final = result.config, result.final
    if result.theta_star is None:
        return inconclusive("the scaling layer does not force a unique kappa from Z_lambda = Z")
    details = dict(_interval_details(final), theta_star=result.theta_star, kappa=result.kappa,
                   rg_prediction=result.prediction)
    if final["theta_t"] is None:
        return inconclusive(f"{_run_text(result)}: the final outputs are not in the radial "
                            "family, so there is no theta~* to compare", **details)
    trivial = ("the trivial fixed point theta* = theta'" if result.kappa == 1
               else "theta* differs from theta'")
    star = (f"theta* = theta' kappa^r = {_vector(result.theta_star)} (the scaling layer solves "
            f"Z_lambda = Z with kappa = {result.kappa:g}: {trivial})")
    text = f"{_run_text(result)}: {_final_text(final, cfg.level)}; {star}"
    outcome = _joint_verdict(text, final, result.theta_star, cfg.level, **details)
    rg = _joint_test(final, result.prediction, cfg.level) if result.prediction else None
    if outcome.verdict != "fails" or rg is None or not rg[2]:
        return outcome
    return fails(f"{outcome.evidence}; the joint region contains instead the RG-map value "
                 f"theta' s^(-2r) = {_vector(result.prediction)} (d^2 = {rg[0]:.3g}), i.e. "
                 f"kappa = s^(-2) = {cfg.scale ** -2:.4g}, set by the teacher (equality with "
                 "theta* only for s = 1)", **outcome.details)


@TOPIC.claim("expfam.pushforward",
              statement="Inverting the output generating function recovers the Boltzmann factor of "
                        "the output system as exp(-H) composed with the inverse map times the "
                        "push-forward Jacobian |det DF^{-1}|, not exp(-H) alone (which the inversion "
                        "step of the proof uses).",
              source=Source(GONG_XIA_2026, "Theorem 3.1, proof (inversion step); "
                            "also MATH.md section 3 item 11",
                            "Then from (87) in addition to and are the Laplace transforms of and "
                            ", respectively, fix , we have ():"),
              method="stochastic",
              latex=r"p_y(y) = e^{-H(F^{-1}(y))}\,|\det DF^{-1}(y)| / Z \neq e^{-H(F^{-1}(y))} / Z'")
def _check_pushforward(ctx):
    result = claim_run(PUSHFORWARD_CONFIG)
    cfg = result.config
    test = pushforward_test(cfg, family_of(cfg), result.final_outputs)
    gof = result.final["fit"]["gof"]
    details = dict(pushforward_p=test.pushforward_p, alone_p=test.alone_p,
                   pushforward_D=test.pushforward_D, alone_D=test.alone_D, points=test.points,
                   dropped=test.dropped, radial_family_p=gof["p_value"] if gof else None)
    text = (f"mlp teacher y = tanh(x W* + b*) on R^{cfg.N}, {cfg.chains} annealed chains to "
            f"T = {result.final['t']:g}, {test.points} pooled outputs mapped back by F*^-1: KS of "
            f"|z'| against the push-forward law p (x' ~ p): D = {test.pushforward_D:.3g}, "
            f"p = {test.pushforward_p:.2g}; against exp(-H) alone (x' ~ exp(-H)|det DF*|): "
            f"D = {test.alone_D:.3g}, p = {test.alone_p:.2g} (reject below {GOF_ALPHA:g})")
    if test.pushforward_p >= GOF_ALPHA > test.alone_p:
        return holds(f"{text}: the outputs follow the push-forward and not exp(-H) alone",
                     **details)
    if test.alone_p >= GOF_ALPHA > test.pushforward_p:
        return fails(f"{text}: the outputs follow exp(-H) alone", **details)
    return inconclusive(f"{text}: the tests do not separate the two", **details)


__all__ = ['CLAIM_CONFIG', 'PUSHFORWARD_CONFIG', 'claim_run']
