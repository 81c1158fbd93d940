"""The exponential-family experiment (Gong & Xia, arXiv:2606.00157, Theorem 3.1): theta~_t.

Data: ``p(x) ~ exp(-sum_r theta_r (x^T A x + b^T x)^r)`` on R^N, sampled exactly
(:mod:`rgproof.topics.expfam`). Networks R^N -> R^M are annealed (:mod:`rgproof.experiments.annealing`) towards
a teacher ``W*`` on a training set drawn from p, with the loss
``1/2 sum_{x in train} ||F(x; W) - F(x; W*)||^2 + lam ||W - W*||^2``. At each recorded time the
outputs on a fresh evaluation sample (one per chain), pooled over the ensemble, are fitted by
the radial family ``exp(-sum_r theta~_r |y|^(2r))`` in R^M (:mod:`rgproof.topics.expfam_fit`):
``theta~_t`` with a bootstrap interval (chains resampled whole: the outputs of one chain share
its weights), reported only when the goodness of fit accepts the
family (otherwise the record says that the outputs are not in it, or that the ML fit sits on
the boundary ``theta_R -> 0`` and fits with fewer coefficients). The claims compare a value
with theta~_T jointly: Mahalanobis distance under the bootstrap covariance.

The networks act on the data ``x``. The teachers are written in LGW coordinates
``z = diag(sqrt(mu)) Q (x - shift)`` of the data (with ``A = I``, ``b = 0``: ``z = x``):

* ``rg``: ``y = s R z`` with R orthogonal (M = N): the family is preserved and the outputs have
  ``theta~_r = theta'_r s^(-2r)`` exactly, ``theta'`` the LGW (re-mixed) coefficients;
* ``linear``: ``y = G z`` with a Gaussian random G (M x N): Gaussian-type but not radial unless G
  is a scaled orthogonal map;
* ``mlp``: a tanh network drawn from the seed: the output density is the push-forward,
  ``p(F^{-1}(y)) |det DF^{-1}(y)|``, not ``exp(-H(F^{-1}(y)))`` alone (MATH.md item 11).

>>> cfg = ExpFamAnneal(N=2, M=2, theta=(0.5, 0.25), scale=2.0)
>>> [round(v, 6) for v in rg_prediction(cfg, family_of(cfg))]
[0.125, 0.015625]
"""
import math
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Optional

import numpy as np
from scipy import stats

from ..core.errors import InputError
from ..core.validate import check_positive_int
from ..core.text import significant
from ..topics import scaling
from ..core.validate import check_theta
from ..topics.expfam import ExpFamily, check_b, check_spd
from ..topics.expfam_fit import check_fit_size, fit_radial, mahalanobis
from . import annealing, memory, network
from . import ensemble as engine

TEACHERS = ("rg", "linear", "mlp")
#: The teacher's own theta~(W*) is fitted on this many times the pooled evaluation sample.
TEACHER_SAMPLE_FACTOR = 4
#: Rows of the exact reference sample for the law of |z| under exp(-H) alone (pushforward check).
REFERENCE_SAMPLE = 40_000


# --------------------------------------------------------------------------- configuration

def parse_vector(name, text):
    """Comma-separated reals: ``"0.5,0.25"`` -> ``(0.5, 0.25)``.

    >>> parse_vector("--theta", "0.5, 0.25")
    (0.5, 0.25)
    >>> parse_vector("--theta", "0.5,,1")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --theta: must be comma-separated real numbers (got '0.5,,1')
    """
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise InputError(name, "must be comma-separated real numbers", text) from None
    if not all(math.isfinite(v) for v in values):
        raise InputError(name, "must be finite real numbers", text)
    return values


def parse_matrix(name, text):
    """Rows separated by ``;``: ``"2,1;1,2"`` -> ``((2.0, 1.0), (1.0, 2.0))``."""
    return tuple(parse_vector(name, row) for row in text.split(";"))


@dataclass(frozen=True, kw_only=True)
class ExpFamAnneal(annealing.EngineSettings):
    """Settings of one run. ``R``: coefficients of the fit (default: those of ``theta``);
    ``A`` (default I) and ``b`` (default 0) as tuples; ``scale``: the s of the RG teacher;
    ``activation``: identity for the linear teachers (required), tanh by default for mlp;
    ``train_size``: rows of the training set; ``eval_size``: evaluation inputs per chain and
    record."""

    N: int = 2
    M: int = 2
    theta: tuple = (0.5, 0.25)
    A: Optional[tuple] = None
    b: Optional[tuple] = None
    R: Optional[int] = None
    teacher: str = "rg"
    scale: float = 1.5
    activation: Optional[str] = None
    train_size: int = 64
    eval_size: int = 256
    chains: int = 16
    steps: int = 400
    bootstrap: int = 200

    def __post_init__(self):
        N = check_positive_int("N", self.N)
        M = check_positive_int("M", self.M)
        theta = check_theta(self.theta, kind="float")
        A = np.eye(N) if self.A is None else check_spd(self.A, N)
        b = None if self.b is None else check_b(self.b, N)
        if self.teacher not in TEACHERS:
            raise InputError("--teacher", f"must be one of {TEACHERS}", self.teacher)
        if self.teacher == "rg" and M != N:
            raise InputError("M", f"the RG teacher y = s R z maps R^N to itself: needs M = N = {N}",
                             M)
        engine.check_positive_real("scale", self.scale)
        linear = self.teacher in ("rg", "linear")
        if linear and (self.activation not in (None, "identity") or self.hidden):
            raise InputError("--hidden" if self.hidden else "--activation",
                             f"the {self.teacher} teacher is a linear map: needs the identity "
                             "activation and no hidden layers", self.hidden or self.activation)
        activation = self.activation or ("identity" if linear else "tanh")
        object.__setattr__(self, "activation", activation)
        object.__setattr__(self, "theta", theta)
        object.__setattr__(self, "A", None if self.A is None else tuple(map(tuple, A.tolist())))
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "R", len(theta) if self.R is None else
                           check_positive_int("R", self.R))
        annealing.check_engine_settings(self, "the ensemble needs at least 2 chains")
        if check_positive_int("train_size", self.train_size) < N + 1:
            raise InputError("train_size", f"the training set is too small: a layer on R^{N} has "
                                           f"N + 1 = {N + 1} weights and bias per unit, so the "
                                           f"data term needs at least {N + 1} rows to determine "
                                           "the map", self.train_size)
        check_fit_size(check_positive_int("eval_size", self.eval_size) * self.chains, self.R,
                       "eval_size", "eval_size x chains")
        memory.check_memory(self, fit_factor=TEACHER_SAMPLE_FACTOR)

    def describe(self):
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out.update(theta=list(self.theta), hidden=list(self.hidden),
                   A=None if self.A is None else [list(r) for r in self.A],
                   b=None if self.b is None else list(self.b))
        return out


def config_from_args(args):
    """An :class:`ExpFamAnneal` from the options of ``rgproof anneal expfam``."""
    return ExpFamAnneal(
        N=args.N, M=args.M, theta=parse_vector("--theta", args.theta),
        A=None if args.A is None else parse_matrix("--A", args.A),
        b=None if args.b is None else parse_vector("--b", args.b), R=args.R,
        teacher=args.teacher, scale=args.scale, hidden=network.parse_hidden(args.hidden),
        activation=args.activation, train_size=args.train_size, eval_size=args.eval_size,
        chains=args.chains, steps=args.steps, dt=args.dt, c=args.c, lam=args.lam,
        seed=args.seed, record_every=args.record_every, bootstrap=args.bootstrap,
        batch=args.batch, backend=args.backend, dtype=args.dtype)


def family_of(config):
    """The data distribution of ``config`` (cached per configuration)."""
    return _family(config.theta, config.A, config.b, config.N)


@lru_cache(maxsize=16)
def _family(theta, A, b, N):
    return ExpFamily(theta, np.eye(N) if A is None else np.array(A), b)


def draws(config, family, n, stream):
    """``family.sample(n, default_rng([config.seed, *stream]))``: exact draws from the data.

    Draws from the data's own family (``family_of(config)``) are cached: they depend only on
    the family, n, the seed and the stream, not on the teacher or the engine settings, so the
    runs of one check that differ only in those (the scales of ``expfam.anneal.limit``) share
    their training, evaluation and teacher inputs instead of inverting the same CDF again.
    Sampling is deterministic given the seed, so a cached draw has the same bits as a fresh
    one; every caller gets its own copy, so no run can alter another's inputs."""
    if family is not family_of(config):
        return family.sample(n, np.random.default_rng([config.seed, *stream]))
    return _draws(config.theta, config.A, config.b, config.N, n, (config.seed, *stream)).copy()


@lru_cache(maxsize=16)  # a check's runs share a few samples; a long sweep must not hoard them
def _draws(theta, A, b, N, n, seed):
    return _family(theta, A, b, N).sample(n, np.random.default_rng(list(seed)))


# --------------------------------------------------------------------------- teachers

def haar_orthogonal(n, rng):
    """A Haar-distributed orthogonal n x n matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def teacher_map(config, family):
    """For the linear teachers, ``L`` (M x N) with ``y = L z``; None for mlp."""
    rng = np.random.default_rng([config.seed, 5])
    if config.teacher == "rg":
        return config.scale * haar_orthogonal(config.N, rng)
    if config.teacher == "linear":
        return rng.standard_normal((config.M, config.N)) / math.sqrt(config.N)
    return None


def teacher_parameters(config, family):
    """The teacher as the flat parameter vector of the network (acting on x)."""
    L = teacher_map(config, family)
    if L is None:
        arch = network.Architecture(config.N, config.M, config.hidden)
        return network.draw_parameters(arch, np.random.default_rng([config.seed, 0]), 1)[0]
    # y = L diag(scales) Q (x - shift) = x W + bias
    Lx = L @ (family.scales[:, None] * family.Q)
    return np.concatenate([Lx.T.ravel(), -Lx @ family.shift])


def rg_prediction(config, family):
    """``theta'_r s^(-2r)``: exact for the RG teacher (``|y| = s |z|``); None otherwise."""
    if config.teacher != "rg" or config.R != len(family.theta_lgw):
        return None
    return [t * config.scale ** (-2 * r) for r, t in enumerate(family.theta_lgw, start=1)]


def paper_fixed_point(family, N):
    """``theta*_r = theta'_r kappa^r`` with kappa forced by ``Z_lambda = Z`` (the scaling layer
    derives ``kappa^(-N/2) = 1``, so ``kappa = 1``): returns (theta*, kappa)."""
    ratios = scaling.forced_scale_ratios(N)
    if len(ratios) != 1:
        return None, None
    kappa = float(next(iter(ratios)))
    return [t * kappa ** r for r, t in enumerate(family.theta_lgw, start=1)], kappa


# --------------------------------------------------------------------------- the run

@dataclass(frozen=True)
class ExpFamResult:
    config: ExpFamAnneal
    records: list
    #: theta~(W*) (:func:`teacher_fit`), or a zero-argument callable that computes it
    _teacher_fit: object = field(repr=False)
    prediction: object
    theta_star: object
    kappa: object
    final_outputs: np.ndarray = field(repr=False)

    @property
    def final(self):
        return self.records[-1]

    @property
    def teacher_fit(self):
        """theta~(W*), fitted on first use and kept. The fit draws from its own seeded streams
        and reads nothing the run changes, so it is the same whenever it is made; a check that
        never reads it (the push-forward row, most scales of the limit row) does not pay for
        a fit on four times the evaluation sample."""
        fit = self._teacher_fit
        if callable(fit):
            fit = fit()
            object.__setattr__(self, "_teacher_fit", fit)
        return fit


def _fit_entry(fit):
    gof = fit.gof.as_dict() if fit.gof is not None else None
    accepted = fit.in_family
    return {"theta_t": fit.theta if accepted else None,
            "ci_low": fit.ci_low if accepted else None,
            "ci_high": fit.ci_high if accepted else None,
            "fit": {"mle": fit.theta, "in_family": accepted, "gof": gof,
                    "covariance": fit.covariance if accepted else None,
                    "boundary": None if fit.boundary is None else fit.boundary.as_dict(),
                    "clusters": fit.clusters,
                    "bootstrap_failures": fit.failures, "points": fit.points}}


def evaluation_sample(config, family, step):
    """The fresh evaluation inputs of a record: (chains, eval_size, N), reproducible per step."""
    return draws(config, family, config.chains * config.eval_size, (11, step)).reshape(
        config.chains, config.eval_size, config.N)


def _record_maker(config, family, last):
    def record(ensemble, step, t):
        X = evaluation_sample(config, family, step)
        y = network.to_host(ensemble.outputs_on(X)).astype(np.float64).reshape(-1, config.M)
        fit = fit_radial(y, config.R, np.random.default_rng([config.seed, 12, step]),
                         config.bootstrap, config.level, clusters=config.chains)
        loss = float(ensemble.evaluate()[0].mean())
        last["y"] = y
        return {"t": t, **_fit_entry(fit), "loss": loss}

    return record


#: The record fields a progress line shows.
PROGRESS_FIELDS = ("loss",)


def run(config, *, checkpoint=None, checkpoint_every=None, resume=False, progress=None,
        on_step=None):
    """Anneal the ensemble of ``config`` and fit theta~_t at the recorded times.

    The training set is drawn from the seed, so a resumed run trains on the same rows (the
    engine also checks their digest against the checkpoint).
    """
    family = family_of(config)
    X = draws(config, family, config.train_size, (10,))
    ensemble = annealing.settings_ensemble(config, teacher=teacher_parameters(config, family),
                                           inputs=X)
    hint = ensemble.stable_dt_hint()
    if hint is not None and config.dt > hint:
        raise InputError("dt", f"exceeds 2 / max curvature = {hint:.3g} for this training set: "
                               "the iteration would diverge", config.dt)
    last = {}
    result = annealing.anneal_settings(
        ensemble, config, record=_record_maker(config, family, last), checkpoint=checkpoint,
        checkpoint_every=checkpoint_every, resume=resume,
        config={"experiment": "expfam", **config.describe()}, progress=progress, on_step=on_step)
    final_y = last.get("y")
    if final_y is None:  # resumed from a finished run: recompute the last outputs
        X_eval = evaluation_sample(config, family, config.steps)
        final_y = network.to_host(ensemble.outputs_on(X_eval)).reshape(-1, config.M)
    theta_star, kappa = paper_fixed_point(family, config.N)
    ensemble.close()  # its threads end with the run, not with the interpreter
    return ExpFamResult(config, result.records, partial(teacher_fit, config, family),
                        rg_prediction(config, family), theta_star, kappa, final_y)


def teacher_fit(config, family):
    """theta~(W*): the fit of the teacher's own outputs on a fresh, larger sample."""
    n = TEACHER_SAMPLE_FACTOR * config.chains * config.eval_size
    X = draws(config, family, n, (13,))
    single = engine.Ensemble(network.Architecture(config.N, config.M, config.hidden),
                             config.activation, None,
                             np.asarray(teacher_parameters(config, family))[None], 0.0)
    y = single.outputs_on(X)[0]
    return fit_radial(y, config.R, np.random.default_rng([config.seed, 14]), config.bootstrap,
                      config.level)


# --------------------------------------------------------------------------- reporting

TRAJECTORY_KEYS = ("t", "theta_t", "ci_low", "ci_high", "loss", "fit")


def as_json(result):
    """``{"config", "reference", "trajectory": [{"t", "theta_t", "ci_low", "ci_high", "loss",
    "fit"}]}`` (lists over r; theta_t null when the outputs are not in the radial family)."""
    return {"config": result.config.describe(),
            "reference": {"teacher": _fit_entry(result.teacher_fit),
                          "rg_prediction": result.prediction, "theta_star": result.theta_star,
                          "kappa": result.kappa,
                          "theta_lgw": list(family_of(result.config).theta_lgw)},
            "trajectory": [{k: r[k] for k in TRAJECTORY_KEYS} for r in result.records]}


def _joint_test(record, values, level):
    """:func:`rgproof.topics.expfam_fit.mahalanobis` of ``values`` against the record's theta~_t and
    bootstrap covariance: ``(d^2, quantile, inside)``, or None when the record has no fit in
    the family or ``values`` has another number of coefficients."""
    covariance = record["fit"].get("covariance")
    if record["theta_t"] is None or covariance is None:
        return None
    return mahalanobis(record["theta_t"], covariance, values, level,
                       record["fit"].get("clusters"))


# --------------------------------------------------------------------------- push-forward

@dataclass(frozen=True)
class Pushforward:
    """KS tests of ``|z'|`` for ``z'`` the LGW coordinates of ``x' = F*^{-1}(y)``, y the network
    outputs: against the law under the push-forward (``x' ~ p``, exact CDF) and under
    ``exp(-H(F*^{-1}(y)))`` alone (``x' ~ exp(-H) |det DF*|``, a weighted exact reference).
    ``between_D`` is the KS distance between the two candidate laws themselves, and
    ``reference_points`` the effective size of the weighted reference sample."""

    pushforward_p: float
    alone_p: float
    pushforward_D: float
    alone_D: float
    points: int
    dropped: int
    between_D: float
    reference_points: float


def pushforward_test(config, family, outputs):
    """:class:`Pushforward` for the single-layer tanh teacher (M = N, invertible)."""
    if config.teacher != "mlp" or config.hidden or config.M != config.N \
            or config.activation != "tanh":
        raise InputError("--teacher", "the push-forward test needs the mlp teacher with one "
                                      "tanh layer and M = N (an invertible map)")
    params = teacher_parameters(config, family)
    N = config.N
    W, bias = params[:N * N].reshape(N, N), params[N * N:]
    keep = np.all(np.abs(outputs) < 1, axis=1)
    y = outputs[keep]
    x = np.linalg.solve(W.T, (np.arctanh(y) - bias).T).T  # x W + bias = atanh(y)
    rho = np.linalg.norm(family.z_of_x(x), axis=1)
    n = rho.size
    D_a = stats.kstest(rho, family.radial.cdf).statistic
    reference = family.sample(REFERENCE_SAMPLE, np.random.default_rng([config.seed, 15]))
    jacobian = np.prod(1 - np.tanh(reference @ W + bias) ** 2, axis=1)  # |det W| cancels
    order = np.argsort(np.linalg.norm(family.z_of_x(reference), axis=1))
    ref_rho = np.linalg.norm(family.z_of_x(reference), axis=1)[order]
    weights = jacobian[order] / jacobian.sum()
    cdf_b = np.concatenate([[0.0], np.cumsum(weights)])
    sorted_rho = np.sort(rho)
    G = cdf_b[np.searchsorted(ref_rho, sorted_rho, side="right")]
    upper = np.arange(1, n + 1) / n
    D_b = float(max(np.max(upper - G), np.max(G - (upper - 1 / n))))
    effective = 1 / float((weights ** 2).sum())
    p_b = float(stats.kstwobign.sf(D_b * math.sqrt(n * effective / (n + effective))))
    F_ref = family.radial.cdf(ref_rho)  # the push-forward law against the step CDF cdf_b
    between = float(max(np.max(np.abs(F_ref - cdf_b[1:])), np.max(np.abs(F_ref - cdf_b[:-1]))))
    return Pushforward(float(stats.kstwobign.sf(D_a * math.sqrt(n))), p_b, float(D_a), D_b, n,
                       int((~keep).sum()), between, effective)



def _vector(values, digits=4):
    if values is None:
        return "none"
    return "(" + ", ".join(significant(v, digits) for v in values) + ")"


def _joint_text(record, values, level):
    if record["theta_t"] is None:
        why = ("the ML fit sits on the boundary theta_R -> 0" if record["fit"].get("boundary")
               else "not in the family")
        return f"no final theta~_T to compare ({why})"
    if len(values) != len(record["theta_t"]):
        return (f"does not apply: {len(values)} coefficients against the fit's "
                f"{len(record['theta_t'])}")
    test = _joint_test(record, values, level)
    clusters = record["fit"].get("clusters")
    if test is None:
        return ("no bootstrap covariance to compare with" if record["fit"].get("covariance") is None
                else f"the joint test needs more chains ({clusters}) than coefficients")
    d2, quantile, inside = test
    law = (f"chi2_{len(values)}" if clusters is None else
           f"Hotelling's over {clusters} chains, {len(values)} coefficients")
    return (f"{'inside' if inside else 'OUTSIDE'} the joint {level:.0%} region (Mahalanobis "
            f"d^2 = {d2:.3g} under the bootstrap covariance; {law} quantile {quantile:.3g})")


__all__ = ['TEACHERS', 'parse_vector', 'parse_matrix', 'ExpFamAnneal', 'config_from_args', 'family_of', 'haar_orthogonal', 'teacher_map', 'teacher_parameters', 'rg_prediction', 'paper_fixed_point', 'ExpFamResult', 'evaluation_sample', 'run', 'teacher_fit', 'as_json', 'Pushforward', 'pushforward_test']
