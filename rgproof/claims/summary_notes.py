"""Claims of the summary notes on Gong & Xia (``shared/seeds/rg-dnn-skill-summary.txt``): a third
party's reading, not the authors'. The report groups them under their own heading
(:data:`~rgproof.claims.papers.SUMMARY_NOTES`); where a statement touches the authors' own text,
the evidence names the place.

The notes' statements are checked on the package's experiments: the deep annealed networks of
Theorem 3 on 1-D Ising data (the cached run of :mod:`rgproof.claims.ising_anneal`) and the
exponential-family experiment on Gaussian data. No check reads the g-dependent J_t, whose limit
the schedule of g sets (``ising.anneal.g_dependence``).
"""
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import sympy

from ..core.ledger import Source, Topic, fails, holds, inconclusive, outcome
from ..core.stats import combined_verdict, equivalence, equivalence_from_samples
from ..experiments import ensemble as engine
from ..experiments import network
from ..experiments.expfam import ExpFamAnneal, family_of
from ..experiments.expfam import run as run_expfam
from ..topics import scaling
from ..topics.expfam_fit import fit_radial
from ..topics.ising import flow
from ..topics.ising_anneal import bond_correlations, nn_coupling, output_spins
from ..topics.summary_notes import (J, best_cycle_correlation, chain_correlation, chain_weights,
                                    critical_analysis, correlation_length, teacher_student_loss)
from ._shared import annealing_claims, cached_claim_run
from .expfam import LIMIT_SCALES, ROTATION_SCALE, THETA_BAND
from .ising_anneal import (CLAIM_CONFIG, DEEP_HIDDEN, NN_BAND, NN_BAND_REASON, claim_run,
                           config_for, fixed_point)
from .papers import SUMMARY_DOCUMENT, SUMMARY_NOTES

TOPIC = Topic("summary_notes",
              title="The summary notes' reading of Gong & Xia (not the authors)",
              paper=SUMMARY_NOTES)
annealing_claim = annealing_claims(TOPIC)


# --------------------------------------------------------------------------- layers as chains

def deep_config(ctx):
    """The deep network of Theorem 3 (``ising.anneal.limit.theorem3``'s run, shared with it)."""
    return replace(config_for(ctx), hidden=DEEP_HIDDEN)


def layer_outputs(cfg, params, layer):
    """The outputs of ``layer`` (1 the first hidden layer, ``len(cfg.hidden) + 1`` the output
    layer) of every chain on all 2^N inputs, (K, 2^N, width): the network cut after that layer,
    whose parameters are a prefix of the flat vector."""
    widths = (*cfg.hidden, cfg.M)
    cut = network.Architecture(cfg.N, widths[layer - 1], tuple(cfg.hidden[:layer - 1]))
    with engine.Ensemble(cut, cfg.activation, None, np.asarray(params)[:, :cut.size],
                         0.0) as cut_ensemble:
        return network.to_host(cut_ensemble.outputs())


@dataclass(frozen=True)
class LayerReading:
    """A layer read as a periodic chain of its ``width`` units, inputs weighted by the data.

    ``correlations`` (K,): each chain's mean nearest-neighbour correlation of the units as
    spins (:func:`~rgproof.topics.ising_anneal.output_spins`) in their index order;
    ``favourable`` (K,): the same for the units as +-1 spins (their signs) in each chain's
    best ordering (:func:`~rgproof.topics.summary_notes.best_cycle_correlation`)."""

    layer: int
    width: int
    correlations: np.ndarray
    favourable: np.ndarray

    def coupling(self, which="correlations"):
        return nn_coupling(float(np.mean(getattr(self, which))), self.width)


def read_layer(spins, weights, layer):
    """:class:`LayerReading` of ``spins`` (K, 2^N, width) under the input ``weights`` (2^N,)."""
    signs = np.sign(spins)
    pairs = np.einsum("kxi,kxj,x->kij", signs, signs, weights)
    return LayerReading(layer, spins.shape[-1], bond_correlations(np, spins) @ weights,
                        best_cycle_correlation(pairs))


def read_layers(cfg, params):
    """:class:`LayerReading` of every layer of ``cfg``'s network with ``params``: index 0 the
    inputs themselves, then the hidden layers, last the output layer."""
    weights = chain_weights(cfg.N, cfg.J)
    inputs = network.hypercube(cfg.N)[None]
    readings = [read_layer(inputs, weights, 0)]
    for layer in range(1, len(cfg.hidden) + 2):
        spins = output_spins(layer_outputs(cfg, params, layer), cfg.activation)
        readings.append(read_layer(spins, weights, layer))
    return readings


def coupling_test(reading, predicted, band, reason, cfg, which="correlations", stream=0):
    """The equivalence test of a layer's chain coupling (bootstrap over chains) against
    ``predicted +- band``."""
    def statistic(x, axis):
        return nn_coupling(np.mean(x, axis=axis), reading.width)

    return equivalence_from_samples(
        getattr(reading, which), predicted, band, level=cfg.level, reason=reason,
        statistic=statistic, replicates=cfg.bootstrap,
        rng=np.random.default_rng([cfg.seed, 30, reading.layer, stream]), unit="chains")


#: The definition of a layer's coupling, as the evidence states it.
LAYER_DEFINITION = (
    "a layer's coupling J_nn: its units read as spins s = 2y - 1 (sigmoid; y itself for tanh) on "
    "a periodic chain in their index order (the slides' boundary condition y_{M+1} = y_1), "
    "each input x weighted by the data's Boltzmann weight exp(J sum_i x_i x_{i+1}) / Z_N(J) "
    "(the networks are trained on the uniform hypercube: the data enters only here), and J_nn "
    "the coupling of the periodic chain of that width with their mean nearest-neighbour "
    "correlation; g is not used")


def _definition_check(readings, J_data):
    """The definition returns the data's own J on the inputs (layer 0), or None when not."""
    J_inputs = readings[0].coupling()
    return J_inputs if abs(J_inputs - J_data) <= 1e-9 * max(1.0, abs(J_data)) else None


def decimation_couplings(coupling, steps):
    """``J^(k)`` for k = 0..steps: ``tanh J^(k) = tanh(J)^(2^k)``, the slides' recursion
    ``J~ = (1/2) ln cosh 2J`` iterated (:func:`rgproof.topics.ising.flow`)."""
    return [float(c.value) for c in flow(coupling, steps, dps=20)]


#: The band of each layer's test against J^(k): declared from the data's decimation couplings.
DECIMATION_BAND = 0.1


def decimation_band_reason(coupling, steps):
    couplings = decimation_couplings(coupling, steps)
    gap = min(a - b for a, b in zip(couplings, couplings[1:]))
    return (f"the decimation couplings of the data (J = {coupling:g}) are "
            f"{', '.join(f'{c:.3g}' for c in couplings)}; their smallest gap is {gap:.3g}, so "
            f"bands of {DECIMATION_BAND:g} about them do not overlap: a layer inside one matches "
            "that step and no other")


DECIMATION_BAND_REASON = decimation_band_reason(CLAIM_CONFIG.J, len(DEEP_HIDDEN) + 1)


def _couplings_text(readings, which="correlations"):
    return ", ".join(f"{r.coupling(which):.3g}" for r in readings[1:])


@annealing_claim("summary_notes.layer_per_iteration",
                 statement="Map DNN layers to RG steps: each hidden layer corresponds to one RG "
                           "iteration.",
                 source=Source(SUMMARY_DOCUMENT, "Key Steps to Apply, step 3",
                               "Map DNN layers to RG steps — Each hidden layer corresponds to "
                               "one RG iteration"),
                 method="stochastic",
                 latex=r"J_{nn}(\text{hidden layer } k) = J^{(k)},\quad "
                       r"\tanh J^{(k)} = (\tanh J)^{2^k}")
def _check_layer_per_iteration(ctx):
    result = claim_run(deep_config(ctx))
    cfg = result.config
    readings = read_layers(cfg, result.params)
    J_inputs = _definition_check(readings, cfg.J)
    if J_inputs is None:
        return inconclusive(f"the definition does not give the data's J = {cfg.J:g} on the "
                            f"inputs (it gives {readings[0].coupling():.6g}), so it does not "
                            "read the data's coupling")
    hidden = readings[1:-1]
    predicted = decimation_couplings(cfg.J, len(hidden))
    primary = [coupling_test(r, predicted[r.layer], DECIMATION_BAND, DECIMATION_BAND_REASON, cfg)
               for r in hidden]
    favourable = [coupling_test(r, predicted[r.layer], DECIMATION_BAND, DECIMATION_BAND_REASON,
                                cfg, which="favourable", stream=1) for r in hidden]
    untrained = read_layers(cfg, result.initial_params)
    details = dict(J_decimation=predicted[1:], J_nn=[r.coupling() for r in hidden],
                   J_nn_favourable=[r.coupling("favourable") for r in hidden],
                   J_nn_untrained=[r.coupling() for r in untrained[1:-1]], J_inputs=J_inputs,
                   verdicts=[t.verdict for t in primary],
                   verdicts_favourable=[t.verdict for t in favourable])
    layers = "; ".join(
        f"hidden layer {r.layer} (width {r.width}): J_nn = {r.coupling():.3g} against J^({r.layer})"
        f" = {predicted[r.layer]:.3g}, its {p.text()}; favourable reading J = "
        f"{r.coupling('favourable'):.3g}: {f.verdict}"
        for r, p, f in zip(hidden, primary, favourable))
    text = (f"deep network {cfg.N}-{'-'.join(map(str, cfg.hidden))}-{cfg.M}, {cfg.chains} "
            f"{cfg.activation} chains annealed to T = {result.final['t']:g} (the run of "
            f"ising.anneal.limit.theorem3): {layers}; untrained W_0: J_nn = "
            f"{_couplings_text(untrained[:-1])}. Definition: {LAYER_DEFINITION}. It assumes "
            "that a layer is a 1-D chain whose units play the decimated spins; decimation "
            f"halves the lattice, the widths here ({', '.join(map(str, cfg.hidden))} after "
            f"N = {cfg.N}) do not, so only the coupling is compared. On the inputs it returns "
            f"the data's J = {J_inputs:.12g}. The favourable reading takes the units as +-1 "
            "spins (their signs) in each chain's best of the (h - 1)! orderings. The authors "
            "state no per-layer correspondence: their Theorem 3 (slides, 'Fully connected deep "
            "neural network', multiple hidden layers) is about the last layer's J_t alone")
    if all(t.verdict == "holds" for t in primary):
        return holds(f"{text}: every hidden layer sits at its decimation step", tests=primary,
                     **details)
    failing = [i for i, (p, f) in enumerate(zip(primary, favourable))
               if p.verdict == "fails" and f.verdict == "fails"]
    if failing:
        names = ", ".join(str(hidden[i].layer) for i in failing)
        return fails(f"{text}: hidden layer(s) {names} lie outside the band of their decimation "
                     "step in both readings, so the verdict does not hinge on the reading",
                     tests=[t for i in failing for t in (primary[i], favourable[i])], **details)
    return inconclusive(f"{text}: no layer is outside its band in both readings, and not every "
                        "layer is inside it", tests=primary, **details)


@annealing_claim("summary_notes.final_layer_fixed_point",
                 statement="Final layer captures universal features (RG fixed points): the "
                           "feature layer output characteristic parameters = RG fixed points.",
                 source=Source(SUMMARY_DOCUMENT, "section 'Why DNNs Work', RG perspective",
                               "Final layer captures universal features (RG fixed points)"),
                 method="stochastic",
                 latex=r"J_{nn}(\text{final layer of } \mathbf{W}^{(T)}) = J^* = 0 "
                       r"\neq J_{nn}(\text{final layer of } \mathbf{W}^{(0)})")
def _check_final_layer_fixed_point(ctx):
    J_star = fixed_point()
    if J_star is None:
        return inconclusive("the symbolic layer does not identify J* = 0 as the stable fixed "
                            "point")
    result = claim_run(deep_config(ctx))
    cfg = result.config
    trained, untrained = (read_layers(cfg, p)[-1] for p in (result.params, result.initial_params))
    test = coupling_test(trained, J_star, NN_BAND, NN_BAND_REASON, cfg)
    control = coupling_test(untrained, J_star, NN_BAND, NN_BAND_REASON, cfg, stream=1)
    details = dict(J_star=J_star, J_nn_trained=trained.coupling(),
                   J_nn_untrained=untrained.coupling(), verdict_trained=test.verdict,
                   verdict_untrained=control.verdict, band=NN_BAND)
    text = (f"final layer of the deep network {cfg.N}-{'-'.join(map(str, cfg.hidden))}-{cfg.M}, "
            f"{cfg.chains} {cfg.activation} chains annealed to T = {result.final['t']:g}, "
            f"against the decimation fixed point J* = {J_star:g}: trained J_nn = "
            f"{trained.coupling():.3g}, its {test.text()}. Control, the same chains untrained "
            f"(W_0): J_nn = {untrained.coupling():.3g}, its {control.text()}. The statistic is "
            f"schedule-free ({LAYER_DEFINITION}), not the g-dependent J_t, whose limit the "
            "schedule of g sets; the authors state the fixed point for that J_t (slides, "
            "Theorems 2 and 3: lim J_t = J* = 0; see ising.anneal.limit_from_training for the "
            "network without hidden layers)")
    if test.verdict == "fails":
        return fails(f"{text}: the trained final layer is not at J*", tests=[test], **details)
    if test.verdict == "holds" and control.verdict == "fails":
        return holds(f"{text}: the trained final layer is at J* and the untrained one is not",
                     tests=[test], **details)
    if test.verdict == "holds" and control.verdict == "holds":
        return inconclusive(f"{text}: the untrained networks are equally at J* = {J_star:g} (no "
                            "nearest-neighbour correlation: random outputs already have it), so "
                            "the fixed point is set by the set-up, not captured by the training",
                            tests=[test], **details)
    return inconclusive(f"{text}: the tests do not separate the trained networks from the "
                        "untrained ones at J*", tests=[test], **details)


# --------------------------------------------------------------------------- critical points

#: The data's spin correlation at distance r: the chain's (the false case of the tests puts a
#: correlation with a finite critical coupling here).
DATA_CORRELATION = chain_correlation()
#: (N, M) of the network whose loss is written out: the smallest with a bond on each side.
LOSS_SIZE = (2, 2)


@TOPIC.claim("summary_notes.critical_scaling",
             statement="Critical Points: DNN training near phase transitions exhibits universal "
                       "scaling (listed among the connections of the RG-DNN framework, whose "
                       "data is the 1-D Ising model and the exponential family).",
             source=Source(SUMMARY_DOCUMENT, "Connections to Quantum/Statistical Physics",
                           "Critical Points: DNN training near phase transitions exhibits "
                           "universal scaling"),
             method="symbolic",
             latex=r"\xi(J) = -1/\ln\tanh J < \infty\ \ \forall J \in (0, \infty)")
def _check_critical_scaling(ctx):
    xi = correlation_length(DATA_CORRELATION)
    analysis = critical_analysis(xi)
    loss = teacher_student_loss(*LOSS_SIZE)
    loss_sees_J = J in loss.free_symbols
    critical = analysis.critical_couplings
    details = dict(correlation=str(DATA_CORRELATION), xi=str(xi), critical_couplings=str(critical),
                   xi_at_infinity=str(analysis.xi_at_infinity), loss_contains_J=loss_sees_J)
    computed = (f"sympy: the data's correlation <x_0 x_r> = {DATA_CORRELATION} = exp(-r / xi) "
                f"gives xi(J) = {xi}; 1/xi = 0 on 0 < J < oo: {analysis.divergences}; real zeros "
                f"of cosh J (the only possible singularities of the free energy ln(2 cosh J)): "
                f"{analysis.singular}; xi -> {analysis.xi_at_infinity} as J -> oo (zero "
                "temperature). The slides' loss, written out for the network without hidden "
                f"layers with N = {LOSS_SIZE[0]} inputs and M = {LOSS_SIZE[1]} outputs (every "
                f"size has the same form), {'contains' if loss_sees_J else 'does not contain'} "
                "the data's J")
    if critical == sympy.S.EmptySet:
        return inconclusive(
            f"{computed}. So the 1-D data has no critical point at any finite coupling, as the "
            "authors' slides say ('Remarks' after Theorem 2: 'Stable fixed point: finite "
            "system, no phase transition'); the finite lattice is more regular still (Z_N is a "
            "finite sum of positive exponentials). There is no phase transition in the "
            "framework's data to train near, so the statement, about data that has one (which "
            "neither the authors nor this package trains on), is not decided by the computation",
            **details)
    if not loss_sees_J:
        return fails(f"{computed}. The data would have a critical point at J in {critical}, but "
                     "the training loss does not contain J: the networks train the same at "
                     "every coupling, near the critical one or not, so their training shows no "
                     "scaling in J - J_c", **details)
    return inconclusive(f"{computed}. The data has a critical point at J in {critical} and the "
                        "training depends on J; training near it was not run", **details)


# --------------------------------------------------------------------------- the workflow

#: Gaussian data: exp(-theta_1 |x|^2) with theta_1 = 1/2, the standard normal on R^2.
GAUSSIAN_THETA = (0.5,)
#: The level of each of the two intervals (the fit's and the network's): by Bonferroni their
#: difference covers the truth at 2 * level - 1 = 95%, the level of the comparison.
PART_LEVEL = 0.975
#: Rows of the input sample that step 1 fits.
FIT_SAMPLE = 4096
WORKFLOW_CONFIG = ExpFamAnneal(N=2, M=2, theta=GAUSSIAN_THETA, teacher="rg", chains=16,
                               train_size=64, eval_size=128, steps=300, dt=0.01, c=0.01,
                               lam=0.1, seed=0, record_every=300, bootstrap=100,
                               level=PART_LEVEL)
#: The teachers y = s R z of step 3: the rotation (s = 1, the law kept by construction: the
#: control that the comparison finds the fixed point where it is) and the largest scale of the
#: expfam rows' scan (expfam.anneal.limit), the teacher least like it.
WORKFLOW_SCALES = (ROTATION_SCALE, max(LIMIT_SCALES))
#: The band of each coefficient, relative to theta*: the expfam rows' band, so that the two
#: comparisons read alike.
WORKFLOW_BAND_REASON = (
    f"each coefficient within {THETA_BAND:.0%} of theta*, the band of the expfam rows "
    "(resolved by 16 chains); a teacher of scale s puts theta~_1 = theta* s^(-2), "
    + ", ".join(f"{abs(1 - s ** -2):.0%} from theta* at s = {s:g}" for s in WORKFLOW_SCALES
                if s != ROTATION_SCALE))
THOROUGH_WORKFLOW_CONFIG = replace(WORKFLOW_CONFIG, chains=64)
workflow_run = cached_claim_run(run_expfam, WORKFLOW_CONFIG)


def workflow_config(ctx, scale):
    return replace(THOROUGH_WORKFLOW_CONFIG if ctx.thorough else WORKFLOW_CONFIG, seed=ctx.seed,
                   scale=scale)


@lru_cache(maxsize=8)
def _fixed_point_map(N, R):
    """``(theta*_r as expressions in theta_r, kappa)`` (sympy, computed once per N and R)."""
    ratios = scaling.forced_scale_ratios(N)
    if len(ratios) != 1:
        return None, None
    kappa = next(iter(ratios))
    return scaling.fixed_points(kappa * scaling.LAMBDA ** 2, R), kappa


def rg_fixed_point(theta, N):
    """Step 2: the fixed point of ``theta_r -> theta_r Z(lambda)^r lambda^(-2r)`` with the scale
    ratio ``kappa = lim Z / lambda^2`` that ``Z_lambda = Z`` forces
    (:func:`rgproof.topics.scaling.forced_scale_ratios`): ``(theta*, kappa)``, or ``(None,
    None)`` when no single kappa is forced."""
    fixed, kappa = _fixed_point_map(N, len(theta))
    if fixed is None:
        return None, None
    values = dict(zip(scaling.theta_symbols(len(theta)), theta))
    return [float(expr.subs(values)) for expr in fixed], float(kappa)


def _scales_text(scales):
    return ", ".join(f"{s:g}" for s in scales)


def _fmt_vector(values):
    return "(" + ", ".join(f"{v:.4g}" for v in values) + ")"


@annealing_claim("summary_notes.workflow",
                 statement="The workflow: 1. fit an exponential-family model to the input data; "
                           "2. compute the RG flow of the sufficient statistics; 3. train the DNN "
                           "and extract the feature-layer statistics; 4. compare: DNN features "
                           "~ RG fixed points.",
                 source=Source(SUMMARY_DOCUMENT, "Application Patterns, conceptual workflow",
                               "3. Train DNN and extract feature layer statistics # 4. Compare: "
                               "DNN features ≈ RG fixed points"),
                 method="stochastic",
                 latex=r"\tilde\theta_T \approx \theta^* = \hat\theta\,\kappa^r")
def _check_workflow(ctx):
    base = workflow_config(ctx, WORKFLOW_CONFIG.scale)
    family = family_of(base)
    rng = np.random.default_rng([ctx.seed, 20])
    data = family.sample(FIT_SAMPLE, rng)
    fit = fit_radial(data, base.R, rng, base.bootstrap, PART_LEVEL)
    fit_text = (f"step 1: the radial family fitted to {FIT_SAMPLE} draws of the Gaussian data "
                f"exp(-{GAUSSIAN_THETA[0]:g} |x|^2) on R^{base.N}")
    if not fit.in_family:
        return inconclusive(f"{fit_text} is rejected by its goodness of fit (p = "
                            f"{fit.gof.p_value:.2g}), so the workflow stops at step 1")
    theta_star, kappa = rg_fixed_point(fit.theta, base.N)
    star_low, _ = rg_fixed_point(fit.ci_low, base.N)
    star_high, _ = rg_fixed_point(fit.ci_high, base.N)
    if theta_star is None:
        return inconclusive(f"{fit_text}; step 2: Z_lambda = Z forces no single scale ratio")
    head = (f"{fit_text}: theta^ = {_fmt_vector(fit.theta)}, {PART_LEVEL:.1%} interval "
            f"{_fmt_vector(fit.ci_low)}..{_fmt_vector(fit.ci_high)} (GOF p = "
            f"{fit.gof.p_value:.2g}); step 2: theta_r -> theta_r Z(lambda)^r lambda^(-2r) with "
            f"Z_lambda = Z forcing kappa = {kappa:g}, fixed point theta* = theta^ kappa^r = "
            f"{_fmt_vector(theta_star)}; step 3: the network trained on {base.train_size} rows "
            f"of the data towards a teacher y = s R z ({base.chains} chains, {base.steps} "
            f"steps), one run per teacher scale s in ({_scales_text(WORKFLOW_SCALES)}) (the "
            "workflow names no task; the rotation is the control, where the law is kept by "
            "construction); step 4: theta~_T - theta* against 0, the interval of the "
            f"difference from both {PART_LEVEL:.1%} intervals (95% jointly)")
    scales, tests, parts = [], {}, []
    for scale in WORKFLOW_SCALES:
        result = workflow_run(workflow_config(ctx, scale))
        final, start = result.final, result.records[0]
        if final["theta_t"] is None or final["ci_low"] is None:
            parts.append(f"s = {scale:g}: the outputs are not in the radial family")
            scales.append(dict(scale=scale, theta_T=None))
            continue
        tests[scale] = [
            equivalence((low - high_star, high - low_star), 0.0, THETA_BAND * abs(star),
                        level=2 * PART_LEVEL - 1, n=result.config.chains,
                        reason=WORKFLOW_BAND_REASON, unit="chains")
            for low, high, star, low_star, high_star in zip(
                final["ci_low"], final["ci_high"], theta_star, star_low, star_high)]
        verdict = combined_verdict(tests[scale])
        untrained = ("not in the family" if start["theta_t"] is None
                     else _fmt_vector(start["theta_t"]))
        rotation = " (the rotation)" if scale == ROTATION_SCALE else ""
        parts.append(f"s = {scale:g}{rotation}: theta~_T = {_fmt_vector(final['theta_t'])} "
                     f"(untrained, t = 0: {untrained}): {verdict}, "
                     + "; ".join(f"theta_{r} {t.text()}" for r, t in enumerate(tests[scale], 1)))
        scales.append(dict(scale=scale, theta_T=final["theta_t"], theta_0=start["theta_t"],
                           verdict=verdict, flip_bands=[t.flip_band for t in tests[scale]]))
    details = dict(theta_fit=fit.theta, theta_star=theta_star, kappa=kappa, scales=scales)
    text = f"{head}: {' | '.join(parts)}"
    failing = [s for s, ts in tests.items()
               if s != ROTATION_SCALE and combined_verdict(ts) == "fails"]
    if failing:
        return fails(f"{text}. The features of the networks trained at s = "
                     f"{_scales_text(failing)} are not at the RG fixed point: "
                     "they are the teacher's theta* s^(-2r), which the training copies (the "
                     "authors' Theorem 3.1, Gong & Xia 2026, states the equality for the "
                     "trained FCDNN; expfam.anneal.limit checks it on their data)",
                     tests=[t for s in failing for t in tests[s]], **details)
    every = [t for ts in tests.values() for t in ts]
    if len(tests) == len(WORKFLOW_SCALES) and combined_verdict(every) == "holds":
        return holds(f"{text}: at the fixed point for every teacher", tests=every, **details)
    return outcome("inconclusive", f"{text}: neither at the fixed point for every teacher nor "
                   "away from it for a teacher other than the rotation", tests=every, **details)


__all__ = ['TOPIC', 'LAYER_DEFINITION', 'DECIMATION_BAND', 'DATA_CORRELATION', 'WORKFLOW_CONFIG',
           'WORKFLOW_SCALES', 'read_layers', 'layer_outputs', 'decimation_couplings',
           'rg_fixed_point']
