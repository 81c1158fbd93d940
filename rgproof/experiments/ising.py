"""The Ising experiment of Gong & Xia (arXiv:2212.00005, Theorems 2-3): the run and its records."""
import math
import warnings
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..core.errors import InputError
from ..topics.ising import log_partition
from ..topics.ising_anneal import (
    GSchedule,
    bond_correlations,
    bond_sums,
    bootstrap_interval,
    coupling_roots,
    nn_coupling,
    output_spins,
    target_g_limit,
    theorem_g_limit,
    track,
)
from . import annealing, memory, network
from . import ensemble as engine

# --------------------------------------------------------------------------- the experiment

@dataclass(frozen=True, kw_only=True)
class IsingAnneal(annealing.EngineSettings):
    """Settings of one annealing run and its J_t extraction.

    ``J`` is the data coupling; ``tau`` (default ``steps * dt / 40``, so that ``g(T)`` equals
    ``g(inf)`` to double precision) the time scale of g; ``target`` a coupling ``J'`` to steer
    ``J_t`` to by the choice of ``g(inf)`` (default: the theorem's ``J' = 0``).
    """

    N: int = 8
    M: int = 8
    activation: str = "sigmoid"
    J: float = 1.0
    tau: Optional[float] = None
    target: Optional[float] = None

    def __post_init__(self):
        annealing.check_engine_settings(self, "a bootstrap over chains needs at least 2 chains")
        for name in ("J", "target"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, (int, float))
                                          and math.isfinite(value)):
                raise InputError(name, "must be a finite real number", value)
        if self.tau is not None:
            engine.check_positive_real("tau", self.tau)
        memory.check_memory(self)

    @property
    def time_scale(self):
        return self.tau if self.tau is not None else self.steps * self.dt / 40

    def describe(self):
        """The settings as JSON-able values (the ``config`` of the JSON output)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["hidden"] = list(self.hidden)
        out["tau"] = self.time_scale
        return out


@dataclass(frozen=True)
class IsingAnnealResult:
    config: IsingAnneal
    records: list
    final_bond_sums: np.ndarray = field(repr=False)
    teacher_bond_sums: np.ndarray = field(repr=False)
    g: object = None
    #: the chains' parameters at the end (K x size) and at t = 0 (W_0), on the host
    params: Optional[np.ndarray] = field(default=None, repr=False)
    initial_params: Optional[np.ndarray] = field(default=None, repr=False)

    @property
    def final(self):
        return self.records[-1]


def _observe(activation):
    """``observable(xp, y)`` for :meth:`Ensemble.evaluate`: (kb, 2^N, 2) holding the bond sums
    ``S(x)`` of the raw outputs and the bond correlations of the outputs as spins
    (:func:`~rgproof.topics.ising_anneal.output_spins`)."""
    name = getattr(activation, "name", activation)

    def observable(xp, y):
        return xp.stack([bond_sums(xp, y), bond_correlations(xp, output_spins(y, name))], axis=-1)

    return observable


def nn_statistic(correlations, M):
    """``J_nn``: the coupling of the periodic M-spin chain with the mean of ``correlations`` as
    its nearest-neighbour correlation (None for M = 1, which has no bond of two spins)."""
    return nn_coupling(float(np.mean(correlations)), M) if M >= 2 else None


def evaluate_params(config, params):
    """``(S, c)`` of the network of ``config`` with the parameters ``params`` (K x size), no
    training: the bond sums ``S`` (K x 2^N) of equation (3) and each chain's nearest-neighbour
    correlation ``c`` (K,) of its outputs as spins, averaged uniformly over the 2^N hypercube
    inputs (the engine's inputs, not the data's Boltzmann weights)."""
    ensemble = annealing.settings_ensemble(config)
    try:
        xp = ensemble.xp
        host = network.host_dtype(xp, ensemble.params.dtype)
        ensemble.params = xp.asarray(np.asarray(params, dtype=host))
        seen = ensemble.evaluate(_observe(config.activation))[1]
        return seen[..., 0], seen[..., 1].mean(axis=1)
    finally:
        ensemble.close()


def chain_correlations(config, params):
    """Each chain's nearest-neighbour correlation (the ``c`` of :func:`evaluate_params`)."""
    return evaluate_params(config, params)[1]


def _record_maker(config, g, log_z, bootstrap_seed):
    """The record function of the run: loss, J_t (tracked), all roots and the interval, and the
    g-free statistic J_nn of the outputs (:func:`nn_statistic`)."""
    N = config.N
    last = {}
    observable = _observe(config.activation)

    def record(ensemble, step, t):
        loss, seen = ensemble.evaluate(observable)
        S, correlations = seen[..., 0], seen[..., 1].mean(axis=1)
        target = log_z - N * g(t)
        roots = coupling_roots(S, target)
        previous = _previous(last, config.J)
        root = track(roots.roots, previous)
        entry = {"t": t, "J_t": root, "ci_low": None, "ci_high": None,
                 "loss": float(loss.mean()), "roots": list(roots.roots),
                 "c_nn": float(correlations.mean()), "J_nn": nn_statistic(correlations, config.M)}
        if root is not None:
            rng = np.random.default_rng([bootstrap_seed, 3, step])
            ci = bootstrap_interval(S, target, root, rng, config.bootstrap, config.level, roots)
            entry.update(ci_low=_finite_or_none(ci.low), ci_high=_finite_or_none(ci.high))
        last["S"], last["root"] = S, root
        return entry

    return record, last


def _previous(last, start):
    return last["root"] if last.get("root") is not None else start


def _finite_or_none(x):
    return x if math.isfinite(x) else None


#: The record fields a progress line shows.
PROGRESS_FIELDS = ("loss", "J_t")


def run(config, *, g=None, checkpoint=None, checkpoint_every=None, resume=False, progress=None,
        on_step=None):
    """Anneal the ensemble of ``config`` and extract J_t at the recorded times.

    ``g`` overrides the schedule of g (a callable ``t -> g(t)`` with ``g(0) = 0``); by default
    ``GSchedule(g(inf), tau)`` with the theorem's ``g(inf)``, or the one for ``config.target``.
    ``progress`` receives ``update(step, record)`` at each record (see
    :class:`rgproof.present.progress.Progress`; :data:`PROGRESS_FIELDS` are the fields worth showing).
    """
    ensemble = annealing.settings_ensemble(config)
    initial_params = np.array(network.to_host(ensemble.params), dtype=np.float64)
    teacher_S = network.to_host(bond_sums(ensemble.xp, ensemble.teacher_outputs[None, ...]))[0]
    teacher_S = teacher_S.astype(np.float64)
    g = g if g is not None else default_g(config, teacher_S)
    if abs(g(0.0)) > 1e-12:
        raise InputError("g", "must satisfy g(0) = 0", g(0.0))
    hint = ensemble.stable_dt_hint()
    if hint is not None and config.dt > hint:
        warnings.warn(f"dt = {config.dt!r} exceeds 2 / max curvature = {hint:.3g} for this "
                      "network: the iteration may oscillate instead of converging",
                      RuntimeWarning, stacklevel=2)
    log_z = float(log_partition(config.N, config.J, 30).value)
    record, last = _record_maker(config, g, log_z, config.seed)
    if resume:  # the tracked root continues from the checkpoint's last record
        saved = annealing.load_checkpoint(checkpoint).records if checkpoint else []
        last["root"] = next((r["J_t"] for r in reversed(saved) if r["J_t"] is not None), None)
    result = annealing.anneal_settings(
        ensemble, config, record=record, checkpoint=checkpoint, checkpoint_every=checkpoint_every,
        resume=resume, config={"experiment": "ising", **config.describe(), "g": _describe_g(g)},
        progress=progress, on_step=on_step)
    final_S = last.get("S")
    if final_S is None:  # resumed from a finished run: recompute the last outputs
        final_S = ensemble.evaluate(bond_sums)[1]
    ensemble.close()  # its threads end with the run, not with the interpreter
    return IsingAnnealResult(config, result.records, final_S, teacher_S, g,
                             np.array(result.params, dtype=np.float64), initial_params)


def default_g(config, teacher_bond_sums):
    """The g schedule of ``config``: towards J' = 0 (the theorem's) or towards ``config.target``."""
    limit = (theorem_g_limit(config.N, config.J) if config.target is None else
             target_g_limit(config.N, config.J, teacher_bond_sums, config.target))
    return GSchedule(limit, config.time_scale)


def _describe_g(g):
    return g.describe() if hasattr(g, "describe") else repr(g)


def solve_at(result, g_value, t_label="T"):
    """J at the final recorded time for another value of g: (tracked root, interval, roots)."""
    cfg = result.config
    target = float(log_partition(cfg.N, cfg.J, 30).value) - cfg.N * g_value
    roots = coupling_roots(result.final_bond_sums, target)
    root = track(roots.roots, result.final["J_t"] if result.final["J_t"] is not None else cfg.J)
    if root is None:
        return None, None, roots
    rng = np.random.default_rng([cfg.seed, 4])
    return root, bootstrap_interval(result.final_bond_sums, target, root, rng, cfg.bootstrap,
                                    cfg.level, roots), roots


def untrained_J_T(result):
    """The control of J_T: the root of equation (3) at the run's final g(T) for its untrained
    networks W_0 (drawn from P_0 by the seed), followed from the data's J."""
    cfg = result.config
    S0 = evaluate_params(cfg, result.initial_params)[0]
    target = float(log_partition(cfg.N, cfg.J, 30).value) - cfg.N * result.g(result.final["t"])
    return track(coupling_roots(S0, target).roots, cfg.J)


# --------------------------------------------------------------------------- reporting

TRAJECTORY_KEYS = ("t", "J_t", "ci_low", "ci_high", "loss", "roots")


def as_json(result):
    """``{"config": {...}, "trajectory": [{"t", "J_t", "ci_low", "ci_high", "loss", "roots"}]}``."""
    config = {**result.config.describe(), "g": _describe_g(result.g)}
    return {"config": config,
            "trajectory": [{k: r[k] for k in TRAJECTORY_KEYS} for r in result.records]}


__all__ = ['IsingAnneal', 'IsingAnnealResult', 'run', 'nn_statistic', 'evaluate_params', 'chain_correlations', 'default_g', 'solve_at', 'untrained_J_T', 'as_json']
