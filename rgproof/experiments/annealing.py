"""Annealing: the cooling schedule, Euler-Maruyama steps, checkpoints and the run loop."""
import hashlib
import io
import json
import math
import os
import threading
import zipfile
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..core.errors import InputError
from ..core.files import write_atomically
from ..core.validate import check_positive_int
from ..core.stats import check_level
from .ensemble import Ensemble, check_nonnegative_real, check_positive_real
from .network import Architecture, _quiet, check_dtype, resolve_activation, to_host

# --------------------------------------------------------------------------- schedules

@dataclass(frozen=True)
class LogCooling:
    """Logarithmic cooling ``eta_t = c / log(t + 2)`` (Hwang-Chiang-Sheu, Holley-Kusuoka-Stroock).

    Any callable ``t -> eta_t >= 0`` with a ``describe()`` works as a schedule.

    >>> round(LogCooling(1.0)(0.0), 6)
    1.442695
    """

    c: float

    def __post_init__(self):
        check_positive_real("c", self.c)

    def __call__(self, t):
        return self.c / math.log(t + 2)

    def describe(self):
        return f"c / log(t + 2), c = {self.c!r}"


def describe_schedule(schedule):
    return schedule.describe() if hasattr(schedule, "describe") else repr(schedule)


# --------------------------------------------------------------------------- Euler-Maruyama

#: A recorded loss this many times its first value is a diverging iteration, not annealing:
#: the drift -grad L decreases the loss, and the noise sqrt(eta dt) xi moves it by O(eta dt).
LOSS_GROWTH_LIMIT = 1e6


class Divergence(InputError):
    """The integration diverged (NaN or infinity, or a loss grown by orders of magnitude); names
    the step and the step size."""

    def __init__(self, step, t, dt, hint=None, what="the parameters became NaN/inf"):
        self.step, self.t = step, t
        advice = (f"; for this network dt < 2 / max curvature = {hint:.3g}" if hint else "")
        super().__init__("dt", f"{what} at step {step} (t = {t:.6g}): the step size "
                                 f"dt = {dt!r} is too large for this loss{advice}; reduce --dt "
                                 "(or --c, --lam)", dt)


def _diverged(records):
    """Why the last record shows divergence (a non-finite or exploded loss), or None."""
    if not records or "loss" not in records[-1]:
        return None
    first, last = records[0].get("loss"), records[-1]["loss"]
    if last is None or not math.isfinite(last):
        return f"the loss became {last}"
    if first is not None and math.isfinite(first) and abs(last) > LOSS_GROWTH_LIMIT * max(abs(first), 1e-300):
        return f"the loss grew from {first:.3g} to {last:.3g} (over {LOSS_GROWTH_LIMIT:.0e} times)"
    return None


_noise = threading.local()


def _noise_buffer(shape, dtype):
    """A host array for the step's Gaussian draws, reused from step to step (per thread: runs
    may anneal side by side in threads)."""
    buffer = getattr(_noise, "buffer", None)
    if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
        buffer = _noise.buffer = np.empty(shape, dtype=dtype)
    return buffer


def em_step(ensemble, dt, eta, rng):
    """One Euler-Maruyama step ``W += -grad L dt + sqrt(eta dt) xi`` (no xi in the SGD variant).

    Only array-API calls touch the parameters, so any namespace the ensemble's ``xp`` names
    will do; xi is drawn by numpy's ``rng`` on the host (in the parameters' precision) and
    converted at the edge, so a checkpoint's generator state resumes the same draws on every
    backend."""
    xp, params = ensemble.xp, ensemble.params
    grad = ensemble.gradient(rng)
    with _quiet(xp):  # a diverging run overflows here; the caller reports it
        grad *= -dt
        if ensemble.batch is None:
            noise = _noise_buffer(tuple(params.shape),
                                  np.dtype(f"float{xp.finfo(params.dtype).bits}"))
            rng.standard_normal(dtype=noise.dtype, out=noise)
            noise *= math.sqrt(eta * dt)
            grad += xp.asarray(noise)
        params += grad
    return bool(xp.all(xp.isfinite(params)))


#: The checkpoint layout this version writes and reads; older files are refused with advice.
CHECKPOINT_FORMAT = 2


def _checksum(step, params, rng_state, records, config):
    """SHA-256 over everything a checkpoint restores, so an edited or damaged file is refused."""
    digest = hashlib.sha256()
    for part in (str(int(step)), rng_state, records, config):
        digest.update(part.encode())
    params = np.ascontiguousarray(params)
    digest.update(str((params.dtype.str, params.shape)).encode())
    digest.update(params.tobytes())
    return digest.hexdigest()


def save_checkpoint(path, *, step, params, rng, records, config):
    """Write the run state atomically (:func:`rgproof.core.files.write_atomically`), with the
    format version and a checksum of its contents."""
    params = to_host(params)
    state = (json.dumps(rng.bit_generator.state), json.dumps(records),
             json.dumps(config, sort_keys=True))
    archive = io.BytesIO()
    np.savez(archive, format=np.int64(CHECKPOINT_FORMAT), step=np.int64(step), params=params,
             rng=np.array(state[0]), records=np.array(state[1]), config=np.array(state[2]),
             checksum=np.array(_checksum(step, params, *state)))
    write_atomically(path, archive.getvalue())


def check_checkpoint_target(path, *, resume, overwrite):
    """Refuse, before any work, to overwrite an existing checkpoint by accident: a new run
    (no ``resume``) writes over ``path`` only with ``overwrite``; a run to resume needs a
    checkpoint to read. ``path`` None: no checkpoint."""
    if path is None:
        for flag, given in (("--resume", resume), ("--overwrite", overwrite)):
            if given:
                raise InputError(flag, "needs --checkpoint FILE")
        return
    if resume and overwrite:
        raise InputError("--overwrite", "cannot be combined with --resume (--resume continues "
                                        "the checkpoint, --overwrite starts it again)")
    if not resume and not overwrite and os.path.exists(path):
        raise InputError("--checkpoint", "exists already: pass --resume to continue that run, "
                                         "or --overwrite to start again and replace it", path)


@dataclass(frozen=True)
class Checkpoint:
    step: int
    params: np.ndarray
    rng: np.random.Generator
    records: list
    config: dict


def load_checkpoint(path):
    """Read a checkpoint written by :func:`save_checkpoint`."""
    try:
        # our own handle: np.load leaves its file open when the archive is damaged
        with open(path, "rb") as fh, np.load(fh) as data:
            version = int(data["format"]) if "format" in data.files else 1
            if version != CHECKPOINT_FORMAT:
                raise InputError("--checkpoint", f"was written in checkpoint format {version}; "
                                                 f"this rgproof reads format {CHECKPOINT_FORMAT}: "
                                                 "rerun without --resume (or with the rgproof "
                                                 "that wrote it)", path)
            step, params = int(data["step"]), data["params"]
            state = (str(data["rng"]), str(data["records"]), str(data["config"]))
            if str(data["checksum"]) != _checksum(step, params, *state):
                raise InputError("--checkpoint", "does not match its checksum (edited or "
                                                 "damaged): rerun without --resume", path)
            rng = np.random.Generator(np.random.PCG64())
            rng.bit_generator.state = json.loads(state[0])
            return Checkpoint(step, params, rng, json.loads(state[1]), json.loads(state[2]))
    except FileNotFoundError:
        raise InputError("--checkpoint", "--resume needs an existing checkpoint file",
                         path) from None
    except InputError:
        raise
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError("--checkpoint", f"is not a readable rgproof checkpoint ({exc})",
                         path) from None


@dataclass(frozen=True)
class AnnealResult:
    """The end state of a run: step reached, parameters (host), and the records taken."""

    step: int
    params: np.ndarray
    records: list


@dataclass(frozen=True, kw_only=True)
class EngineSettings:
    """The settings every annealing experiment shares: the network's hidden widths and
    activation, the ensemble (chains, seed, lam, batch, backend, dtype), the integration (steps,
    dt, log-cooling c), the records and the bootstrap interval. An experiment's settings extend
    it (keyword-only fields; its defaults may differ) and check it with
    :func:`check_engine_settings`."""

    hidden: tuple = ()
    activation: Optional[str] = "sigmoid"
    chains: int = 64
    steps: int = 2000
    dt: float = 0.01
    c: float = 0.01
    lam: float = 0.1
    seed: int = 0
    record_every: Optional[int] = None
    bootstrap: int = 500
    level: float = 0.95
    batch: Optional[int] = None
    backend: str = "numpy"
    dtype: str = "float64"


def check_engine_settings(config, chains_reason):
    """Check the engine fields that the experiments' settings share (``IsingAnneal``,
    ``ExpFamAnneal``): the network (``N``, ``M``, ``hidden``, ``activation``), ``chains`` (at
    least 2: ``chains_reason`` says why), ``seed``, ``record_every``, ``steps``, ``dt``, ``c``,
    ``lam``, ``bootstrap``, ``level`` and ``dtype``; ``backend`` and ``batch`` are checked where
    the ensemble is made. Raises :class:`~rgproof.core.errors.InputError` naming the field.
    """
    Architecture(config.N, config.M, config.hidden)
    resolve_activation(config.activation)
    if check_positive_int("chains", config.chains) < 2:
        raise InputError("chains", chains_reason, config.chains)
    check_positive_int("seed", config.seed, minimum=0)
    if config.record_every is not None:  # 0 would silently mean the default
        check_positive_int("record_every", config.record_every)
    check_positive_int("steps", config.steps)
    for name in ("dt", "c"):
        check_positive_real(name, getattr(config, name))
    check_nonnegative_real("lam", config.lam)
    check_positive_int("bootstrap", config.bootstrap, minimum=20)
    check_level(config.level)
    check_dtype(config.dtype)


def settings_ensemble(config, **options):
    """The :class:`~rgproof.experiments.ensemble.Ensemble` of an experiment's settings ``config``
    (network, chains, lam, seed, backend, dtype, batch); ``options`` (a teacher, training
    inputs) go on to :meth:`~rgproof.experiments.ensemble.Ensemble.create`."""
    return Ensemble.create(Architecture(config.N, config.M, config.hidden), config.activation,
                           chains=config.chains, lam=config.lam, seed=config.seed,
                           backend=config.backend, dtype=config.dtype, batch=config.batch,
                           **options)


def anneal_settings(ensemble, settings, **options):
    """:func:`anneal` with the engine settings of an experiment's config ``settings``: its
    steps, dt, log cooling at c, seed and record_every; ``options`` are the others (record,
    checkpoint, checkpoint_every, resume, config: the checkpoint's dict, progress, on_step)."""
    return anneal(ensemble, steps=settings.steps, dt=settings.dt,
                  schedule=LogCooling(settings.c), seed=settings.seed,
                  record_every=settings.record_every, **options)


def record_steps(steps, record_every):
    """Steps at which a record is taken: every ``record_every`` steps and the last one."""
    return sorted(set(range(0, steps, record_every)) | {steps})


def anneal(ensemble, *, steps, dt, schedule, seed, record=None, record_every=None,
           checkpoint=None, checkpoint_every=None, resume=False, config=None, progress=None,
           on_step=None):
    """Integrate the annealing SDE for ``steps`` Euler-Maruyama steps of size ``dt``.

    At every recorded step (``record_every``, default steps/100, and the final state)
    ``record(ensemble, step, t)`` returns a JSON-able dict (default: the mean loss). With
    ``checkpoint`` a file is written every ``checkpoint_every`` steps and at the end;
    ``resume=True`` continues from it and ends with exactly what an uninterrupted run gives
    (same parameters, same records, bit for bit). ``config`` (a JSON-able dict) must match the
    checkpoint's. ``on_step(step)`` is called after each step (for interruption in tests).
    """
    steps = check_positive_int("steps", steps)
    dt = check_positive_real("dt", dt)
    # None means the default; 0 is refused, not read as the default
    record_every = check_positive_int("record_every", max(1, steps // 100)
                                      if record_every is None else record_every)
    checkpoint_every = check_positive_int("checkpoint_every", max(1, steps // 10)
                                          if checkpoint_every is None else checkpoint_every)
    seed = check_positive_int("seed", seed, minimum=0)
    record = record or _mean_loss
    config = dict(config or {}, **ensemble.describe(), steps=steps, dt=dt,
                  schedule=describe_schedule(schedule), seed=seed)
    xp = ensemble.xp
    wanted = set(record_steps(steps, record_every))
    if resume:
        if checkpoint is None:
            raise InputError("--resume", "needs --checkpoint FILE")
        state = load_checkpoint(checkpoint)
        _check_same_config(state.config, config)
        start, rng, records = state.step, state.rng, state.records
        ensemble.params = xp.asarray(state.params)
    else:
        start, rng, records = 0, np.random.default_rng([seed, 2]), []
    if progress and records:
        progress.update(start, records[-1])
    for step in range(start, steps + 1):
        if step in wanted and not (records and records[-1]["step"] == step):
            records.append(dict(record(ensemble, step, step * dt), step=step))
            diverged = _diverged(records)
            if diverged:
                raise Divergence(step, step * dt, dt, ensemble.stable_dt_hint(), diverged)
            if progress:
                progress.update(step, records[-1])
        if checkpoint and step > start and (step % checkpoint_every == 0 or step == steps):
            save_checkpoint(checkpoint, step=step, params=ensemble.params, rng=rng,
                            records=records, config=config)
        if step == steps:
            break
        if not em_step(ensemble, dt, schedule(step * dt), rng):
            raise Divergence(step, step * dt, dt, ensemble.stable_dt_hint())
        if on_step:
            on_step(step + 1)
    return AnnealResult(steps, to_host(ensemble.params), records)


def _mean_loss(ensemble, step, t):
    return {"t": t, "loss": float(ensemble.evaluate()[0].mean())}


def _check_same_config(saved, current):
    current = json.loads(json.dumps(current, sort_keys=True))
    if saved != current:
        keys = sorted(k for k in set(saved) | set(current) if saved.get(k) != current.get(k))
        raise InputError("--resume", "the checkpoint was written by another configuration "
                                     f"(differs in {', '.join(keys)})")


__all__ = ['LogCooling', 'describe_schedule', 'Divergence', 'em_step', 'save_checkpoint', 'check_checkpoint_target', 'load_checkpoint', 'Checkpoint', 'AnnealResult', 'check_engine_settings', 'settings_ensemble', 'anneal_settings', 'record_steps', 'anneal']
