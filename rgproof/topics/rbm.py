r"""Mehta & Schwab (arXiv:1410.3831): restricted Boltzmann machines and variational RG, exactly.

An RBM on spins :math:`v \in \{\pm1\}^{n_v}`, :math:`h \in \{\pm1\}^{n_h}` has the energy
:math:`E(v,h) = -c \cdot v - b \cdot h - v^T W h`. With the data Hamiltonian ``H(v)``
(:math:`P(v) = e^{-H(v)}/Z`) Mehta and Schwab choose the variational-RG operator
:math:`T(v,h) = -E(v,h) + H(v)`. Everything here is summed over every configuration (at most
12 visible and 6 hidden units), so no sampling noise enters.

Three facts organise the checks. ``r(v) = tr_h e^{T(v,h)}`` is the trace of the RG operator.

* ``H_RG(h) = -ln tr_v e^{T - H} = -ln tr_v e^{-E} = H_RBM(h)`` for every ``h`` (exact).
* ``KL(P || p_RBM) = ln E_P[r] - E_P[ln r]`` (a Jensen gap), so ``KL = 0`` exactly when ``r``
  is *constant* in ``v``; the trace condition ``r = 1`` also needs ``E_P[r] = Z_RBM / Z = 1``,
  which depends on the additive constant in ``H`` that ``P`` does not see.
* ``F_h = F_v - ln E_P[r]``: equal free energies fix the mean of ``r``, not ``r`` itself.

>>> import mpmath
>>> from rgproof.core.precision import workdps
>>> with workdps(30):
...     rbm = exact_chain_rbm(4, mpmath.mpf(1) / 2)       # one hidden unit per bond
...     H = chain_hamiltonian(4, mpmath.mpf(1) / 2)
...     print(abs(kl_divergence(H, rbm)) < 1e-25, mpmath.nstr(trace(rbm, H)[0], 8))
True 118.2249
"""
from dataclasses import dataclass
from itertools import combinations

import mpmath
import numpy as np
import sympy
from scipy.optimize import minimize
from scipy.special import logsumexp

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_float, to_mpf
from ..core.spins import configurations
from .ising2d import torus_bond_sums

#: Enumeration limits: 2^12 visible times 2^6 hidden configurations.
MAX_VISIBLE, MAX_HIDDEN = 12, 6


# --------------------------------------------------------------------------- float or mpf arrays

def elementwise(name):
    """The numpy ufunc ``name`` for float arrays, the mpmath function for object (mpf) arrays.

    Lets one piece of array code run in float64 and at any mpmath precision.

    >>> exp = elementwise("exp")
    >>> exp(np.array([0.0])).dtype, exp(np.array([mpmath.mpf(0)], dtype=object)).dtype
    (dtype('float64'), dtype('O'))
    """
    on_mpf = np.frompyfunc(getattr(mpmath, name), 1, 1)
    on_float = getattr(np, name)
    return lambda a: on_mpf(a) if np.asarray(a).dtype == object else on_float(a)


_exp, _log = elementwise("exp"), elementwise("log")
_log_2cosh_mpf = np.frompyfunc(lambda a: mpmath.log(2 * mpmath.cosh(a)), 1, 1)


def _log_2cosh(a):
    """``ln(2 cosh a)``; the float version never overflows."""
    return _log_2cosh_mpf(a) if a.dtype == object else np.logaddexp(a, -a)


def _log_sum_exp(a, axis=None):
    if a.dtype == object:  # mpf has no overflow to guard against
        return _log(_exp(a).sum(axis=axis))
    return logsumexp(a, axis=axis)


def as_mpf(array):
    """An object array of mpf with the same (exact binary) values as a float array.

    >>> as_mpf([0.5, 2.0]).tolist()
    [mpf('0.5'), mpf('2.0')]
    """
    return np.frompyfunc(mpmath.mpf, 1, 1)(np.asarray(array, dtype=float))


# --------------------------------------------------------------------------- the machine

@dataclass(frozen=True)
class RBM:
    """``E(v,h) = -c.v - b.h - v^T W h``. Arrays are float64 or object arrays of mpf."""

    weights: np.ndarray        # W, (visible, hidden)
    visible_bias: np.ndarray   # c
    hidden_bias: np.ndarray    # b

    @property
    def n_visible(self):
        return self.weights.shape[0]

    @property
    def n_hidden(self):
        return self.weights.shape[1]

    def at_working_precision(self):
        """The same machine with mpf entries (exact copies of the float64 values)."""
        return RBM(*(as_mpf(a) for a in (self.weights, self.visible_bias, self.hidden_bias)))


def finite_array(name, value, shape=None):
    """``value`` as a float64 array of finite numbers (of ``shape`` when given), or an
    :class:`~rgproof.core.errors.InputError` naming ``name``.

    >>> finite_array("x", [[1, 2]]).tolist()
    [[1.0, 2.0]]
    >>> finite_array("x", [1.0, float("nan")])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: x: must contain only finite real numbers (no NaN or inf) (got [1.0, nan])
    """
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(name, "must be an array of real numbers", value) from None
    if not np.all(np.isfinite(array)):
        raise InputError(name, "must contain only finite real numbers (no NaN or inf)", value)
    if shape is not None and array.shape != shape:
        raise InputError(name, f"must have shape {shape}", array.shape)
    return array


def make_rbm(weights, visible_bias=None, hidden_bias=None):
    """A float64 :class:`RBM` with validated parameters (biases default to zero).

    >>> make_rbm(np.zeros((13, 2)))
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: weights: exact enumeration needs at most 12 visible and 6 hidden units (got (13, 2))
    """
    W = finite_array("weights", weights)
    if W.ndim != 2 or 0 in W.shape:
        raise InputError("weights", "must be a non-empty (visible x hidden) matrix", W.shape)
    if W.shape[0] > MAX_VISIBLE or W.shape[1] > MAX_HIDDEN:
        raise InputError("weights", f"exact enumeration needs at most {MAX_VISIBLE} visible "
                                    f"and {MAX_HIDDEN} hidden units", W.shape)
    n_v, n_h = W.shape
    c = (np.zeros(n_v) if visible_bias is None
         else finite_array("visible_bias", visible_bias, (n_v,)))
    b = (np.zeros(n_h) if hidden_bias is None
         else finite_array("hidden_bias", hidden_bias, (n_h,)))
    return RBM(W, c, b)


def random_rbm(n_visible, n_hidden, seed, scale=0.5):
    """An RBM with seeded Gaussian parameters (weights ``scale``, biases ``scale / 2``)."""
    n_visible = check_positive_int("n_visible", n_visible)
    n_hidden = check_positive_int("n_hidden", n_hidden)
    rng = np.random.default_rng(seed)
    return make_rbm(scale * rng.standard_normal((n_visible, n_hidden)),
                    scale / 2 * rng.standard_normal(n_visible),
                    scale / 2 * rng.standard_normal(n_hidden))


def energy(rbm, visible, hidden):
    """``E(v, h)`` for every pair of rows of ``visible`` and ``hidden``: shape (len v, len h)."""
    return (-(visible @ rbm.visible_bias)[:, None] - (hidden @ rbm.hidden_bias)[None, :]
            - (visible @ rbm.weights) @ hidden.T)


def _states(rbm):
    return configurations(rbm.n_visible), configurations(rbm.n_hidden)


def visible_hamiltonian(rbm):
    """``H_RBM(v) = -ln tr_h e^{-E(v,h)} = -c.v - sum_j ln 2cosh(b_j + (v W)_j)`` for every v."""
    v, _ = _states(rbm)
    return -(v @ rbm.visible_bias) - _log_2cosh(v @ rbm.weights + rbm.hidden_bias).sum(axis=1)


def hidden_hamiltonian(rbm):
    """``H_RBM(h) = -ln tr_v e^{-E(v,h)} = -b.h - sum_i ln 2cosh(c_i + (W h)_i)`` for every h.

    So ``p(h) = e^{-H_RBM(h)} / Z_RBM`` (the visible units summed in closed form).
    """
    _, h = _states(rbm)
    return -(h @ rbm.hidden_bias) - _log_2cosh(h @ rbm.weights.T + rbm.visible_bias).sum(axis=1)


def log_partition(rbm):
    """``ln Z_RBM = ln sum_v e^{-H_RBM(v)}``."""
    return _log_sum_exp(-visible_hamiltonian(rbm))


def _check_data(rbm, data_hamiltonian):
    H = np.asarray(data_hamiltonian)
    if H.shape != (2 ** rbm.n_visible,):
        raise InputError("data_hamiltonian", f"must give H(v) for all 2^{rbm.n_visible} visible "
                                             "configurations", H.shape)
    if H.dtype != object and not np.all(np.isfinite(H)):
        raise InputError("data_hamiltonian", "must be finite (no NaN or inf)")
    return H


def rg_operator(rbm, data_hamiltonian):
    """Mehta and Schwab's ``T(v,h) = -E(v,h) + H(v)`` for every pair (v, h)."""
    H = _check_data(rbm, data_hamiltonian)
    return -energy(rbm, *_states(rbm)) + H[:, None]


def rg_hamiltonian(rbm, data_hamiltonian):
    """``H_RG(h) = -ln tr_v e^{T(v,h) - H(v)}``, summed over every (v, h)."""
    H = _check_data(rbm, data_hamiltonian)
    return -_log_sum_exp(rg_operator(rbm, H) - H[:, None], axis=0)


def trace(rbm, data_hamiltonian):
    """``r(v) = tr_h e^{T(v,h)}`` for every v, summed over h; the exact RG has ``r = 1``."""
    return _exp(rg_operator(rbm, data_hamiltonian)).sum(axis=1)


def _log_normalised(log_weights):
    return log_weights - _log_sum_exp(log_weights)


def kl_divergence(data_hamiltonian, rbm):
    """``KL(P || p_RBM) = sum_v P(v) ln(P(v) / p(v))`` with ``P = e^{-H} / Z``."""
    H = _check_data(rbm, data_hamiltonian)
    log_P, log_p = _log_normalised(-H), _log_normalised(-visible_hamiltonian(rbm))
    return (_exp(log_P) * (log_P - log_p)).sum()


def jensen_gap(data_hamiltonian, rbm):
    """``ln E_P[r] - E_P[ln r]`` with ``r = tr_h e^T``: equal to ``KL(P || p_RBM)`` for any H."""
    H = _check_data(rbm, data_hamiltonian)
    P = _exp(_log_normalised(-H))
    r = trace(rbm, H)
    return _log((P * r).sum()) - (P * _log(r)).sum()


# --------------------------------------------------------------------------- 1-D and 2-D data

def chain_hamiltonian(N, J):
    """``H(v) = -J sum_i v_i v_{i+1}`` on the periodic chain, for every configuration.

    Float ``J`` gives a float64 array; mpf or exact ``J`` gives mpf at the working precision.
    """
    N = check_positive_int("N", N, minimum=2)
    spins = configurations(N).astype(np.int64)
    return _times_coupling(-(spins * np.roll(spins, -1, axis=1)).sum(axis=1), J, "J")


def torus_hamiltonian(rows, cols, K):
    """``H(v) = -K sum_<ij> v_i v_j`` on the ``rows x cols`` torus (sites row by row)."""
    return _times_coupling(-torus_bond_sums(configurations(rows * cols), rows, cols), K, "K")


def _times_coupling(minus_bonds, coupling, name):
    value = check_real(name, coupling)
    if isinstance(coupling, float):
        return float(coupling) * minus_bonds
    return to_mpf(value) * minus_bonds.astype(object)


def exact_chain_rbm(N, J):
    """The RBM whose marginal is exactly the periodic chain's, at the working precision.

    Hidden unit ``j`` couples to the bond ``(j, j+1)`` with weights ``(w, sign(J) w)``,
    ``cosh 2w = e^{2|J|}``, since ``2 cosh(w (a + b)) = 2 e^{|J|} e^{|J| a b}``: so
    ``tr_h e^{-E} = (2 e^{|J|})^N e^{-H(v)}``.
    """
    N = check_positive_int("N", N, minimum=2)
    if N > MAX_HIDDEN:
        raise InputError("N", f"one hidden unit per bond: N <= {MAX_HIDDEN}", N)
    coupling = to_mpf(check_real("J", J))
    w = mpmath.acosh(mpmath.exp(2 * abs(coupling))) / 2
    W = np.full((N, N), mpmath.mpf(0), dtype=object)
    for j in range(N):
        W[j, j] = w
        W[(j + 1) % N, j] = mpmath.sign(coupling) * w
    zeros = np.full(N, mpmath.mpf(0), dtype=object)
    return RBM(W, zeros, zeros.copy())


# --------------------------------------------------------------------------- training

def block_mask(N):
    """Two-to-one connectivity: hidden ``j`` sees site ``2j`` and its neighbours ``2j +- 1``.

    With disjoint blocks instead, each visible unit would touch one hidden unit and
    ``H_RBM(h)`` would have no couplings at all.

    >>> block_mask(4).astype(int).tolist()
    [[1, 0], [1, 1], [0, 1], [1, 1]]
    """
    N = check_positive_int("N", N, minimum=4)
    if N % 2:
        raise InputError("N", "a two-to-one block structure needs N even", N)
    mask = np.zeros((N, N // 2), dtype=bool)
    for j in range(N // 2):
        mask[[(2 * j - 1) % N, 2 * j, 2 * j + 1], j] = True
    return mask


def hidden_couplings(rbm):
    """Pair couplings of ``-H_RBM(h)``: ``K_jk = 2^-M sum_h (-H_RBM(h)) h_j h_k``.

    Hidden unit ``j`` is first flipped so that its largest weight is positive (the sign of a
    hidden unit is a gauge choice: ``(h_j, W_j, b_j) -> -(h_j, W_j, b_j)`` changes nothing).
    """
    W = np.asarray(rbm.weights, dtype=float)
    gauge = np.sign(W[np.abs(W).argmax(axis=0), np.arange(rbm.n_hidden)])
    gauge[gauge == 0] = 1
    h = configurations(rbm.n_hidden) * gauge.astype(np.int8)
    minus_H = -np.asarray(hidden_hamiltonian(rbm), dtype=float)
    couplings = (h.T * minus_H) @ h / len(h)
    np.fill_diagonal(couplings, 0.0)
    return couplings


def dominant_sites(rbm):
    """For each hidden unit, the visible site of its largest ``|weight|``."""
    return np.abs(np.asarray(rbm.weights, dtype=float)).argmax(axis=0)


def decimation_structure(rbm):
    """True when the hidden units sit one on each site of one sublattice (every second site)."""
    sites = sorted(dominant_sites(rbm).tolist())
    return len(set(sites)) == rbm.n_hidden and rbm.n_visible == 2 * rbm.n_hidden and \
        sites == list(range(sites[0] % 2, rbm.n_visible, 2))


def induced_coupling(rbm):
    """Mean coupling between hidden units whose sites are neighbours on the sublattice.

    NaN when the hidden units do not form a decimation structure (see :func:`decimation_structure`).
    """
    if not decimation_structure(rbm):
        return float("nan")
    sites, N = dominant_sites(rbm), rbm.n_visible
    couplings = hidden_couplings(rbm)
    pairs = [(j, k) for j in range(rbm.n_hidden) for k in range(j + 1, rbm.n_hidden)
             if (sites[j] - sites[k]) % N in (2, N - 2)]
    return float(np.mean([couplings[j, k] for j, k in pairs]))


@dataclass(frozen=True)
class Checkpoint:
    """One point of a training curve.

    ``trace_residual`` is ``max_v |r(v) / E_P[r] - 1|`` (the trace condition once the constant
    in ``H`` is matched to the machine); ``log_mean_trace`` is ``ln E_P[r] = F_v - F_h`` with the
    constant-free ``H = -J sum v_i v_{i+1}``; ``coupling`` is :func:`induced_coupling`.
    """

    step: int
    kl: float
    trace_residual: float
    log_mean_trace: float
    coupling: float


@dataclass(frozen=True)
class Training:
    rbm: RBM
    history: tuple
    coupling: float            # the data's J
    decimated_coupling: float  # J~ = (1/2) ln cosh 2J


def _gradients(rbm, visible, P):
    """Exact ``d KL / d (W, c, b)``: data minus model expectations of ``v h``, ``v``, ``h``."""
    log_p = _log_normalised(-visible_hamiltonian(rbm))
    weight = (P - np.exp(log_p))[:, None]
    mean_h = np.tanh(visible @ rbm.weights + rbm.hidden_bias)
    return (-(visible.T @ (weight * mean_h)), -(visible.T @ weight[:, 0]),
            -(weight * mean_h).sum(axis=0))


def _checkpoint(step, rbm, H, P):
    log_r = np.log(trace(rbm, H))
    log_mean = logsumexp(log_r, b=P)
    return Checkpoint(step, float(kl_divergence(H, rbm)),
                      float(np.abs(np.expm1(log_r - log_mean)).max()), float(log_mean),
                      induced_coupling(rbm))


#: Training stops once KL(P || p_RBM) is below this: float64 evaluates KL to ~1e-15, and the
#: coupling's deviation from J~ shrinks like sqrt(KL), so 1e-13 leaves ~6 digits to read off.
KL_TARGET = 1e-13


class _Converged(Exception):
    """Raised from the optimiser's callback once KL is below the target (scipy has no such test)."""


def _check_training(max_iterations, kl_target):
    max_iterations = check_positive_int("max_iterations", max_iterations)
    kl_target = to_float(check_real("kl_target", kl_target))
    if not kl_target > 0:
        raise InputError("kl_target", "must be > 0", kl_target)
    return max_iterations, kl_target


def _minimise_kl(H, mask, max_iterations, kl_target, seed, record_every):
    """``(rbm, history)``: L-BFGS on the exact ``KL(e^{-H}/Z || p_RBM)`` and its gradient over
    the weights allowed by ``mask`` (visible x hidden) and both biases, from seeded weights
    ``0.1 N(0, 1)``, stopped once KL is below ``kl_target`` (see :func:`train_chain_rbm`)."""
    P = np.exp(_log_normalised(-H))
    visible = configurations(mask.shape[0]).astype(float)
    splits = np.cumsum([mask.size, mask.shape[0]])

    def machine(flat):
        W, c, b = np.split(flat, splits)
        return RBM(W.reshape(mask.shape) * mask, c, b)

    def kl_and_gradient(flat):
        rbm = machine(flat)
        dW, dc, db = _gradients(rbm, visible, P)
        return float(kl_divergence(H, rbm)), np.concatenate([(dW * mask).ravel(), dc, db])

    rng = np.random.default_rng(seed)
    start = np.concatenate([(0.1 * rng.standard_normal(mask.shape) * mask).ravel(),
                            np.zeros(mask.shape[0]), np.zeros(mask.shape[1])])
    history = [_checkpoint(0, machine(start), H, P)]
    last = {"iteration": 0, "flat": start}

    def record(flat):
        last["iteration"] += 1
        last["flat"] = flat.copy()
        point = _checkpoint(last["iteration"], machine(flat), H, P)
        if point.step % record_every == 0 or point.kl < kl_target:
            history.append(point)
        if point.kl < kl_target:
            raise _Converged

    try:
        minimize(kl_and_gradient, start, jac=True, method="L-BFGS-B", callback=record,
                 options={"maxiter": max_iterations, "ftol": 0.0, "gtol": 0.0})
    except _Converged:
        pass
    rbm = machine(last["flat"])
    if history[-1].step != last["iteration"]:  # stopped by scipy (iterations or rounding)
        history.append(_checkpoint(last["iteration"], rbm, H, P))
    return rbm, tuple(history)


def train_chain_rbm(N=8, J=0.5, connectivity="block", max_iterations=400, kl_target=KL_TARGET,
                    seed=0, record_every=4):
    """Train an ``N -> N/2`` RBM on the periodic chain by exact-gradient KL minimisation.

    Every expectation is a sum over all ``2^N`` configurations, so KL and its gradient are exact
    and the run is deterministic. The optimiser is L-BFGS (scipy) on that gradient: KL = 0 is an
    infimum at infinite weights (a hidden unit becomes a copy of its central site only as that
    weight grows without bound), where first-order steps crawl, while L-BFGS follows the growing
    weight down to ``KL < kl_target`` in a few dozen iterations. Weights start at
    ``0.1 N(0, 1)`` (seeded) on the ``connectivity`` pattern: ``"block"`` (see
    :func:`block_mask`) or ``"full"``. The history has a :class:`Checkpoint` at iteration 0,
    every ``record_every`` iterations and at the end.

    >>> run = train_chain_rbm()
    >>> end = run.history[-1]
    >>> end.kl < 1e-13, round(end.coupling, 5), round(run.decimated_coupling, 5)
    (True, 0.21689, 0.21689)
    """
    N = check_positive_int("N", N, minimum=4)
    if N > MAX_VISIBLE:
        raise InputError("N", f"exact enumeration needs N <= {MAX_VISIBLE}", N)
    J = to_float(check_real("J", J))
    max_iterations, kl_target = _check_training(max_iterations, kl_target)
    record_every = check_positive_int("record_every", record_every)
    if connectivity not in ("block", "full"):
        raise InputError("connectivity", "must be 'block' or 'full'", connectivity)
    mask = block_mask(N) if connectivity == "block" else np.ones((N, N // 2), dtype=bool)
    rbm, history = _minimise_kl(chain_hamiltonian(N, J), mask, max_iterations, kl_target, seed,
                                record_every)
    return Training(rbm, history, J, float(np.log(np.cosh(2 * J)) / 2))


# --------------------------------------------------------------------------- stacked machines

def interactions(minus_H):
    """The couplings of a law on ``n`` spins: ``{S: K_S}`` over every non-empty set ``S`` of
    sites with ``-H(s) = K_0 + sum_S K_S prod_(i in S) s_i``, ``K_S = 2^-n sum_s (-H(s)) s_S``
    (the expansion is unique, so a coupling absent from the law has ``K_S = 0``).

    >>> K = interactions(-chain_hamiltonian(4, 0.5))
    >>> K[(0, 1)], K[(0, 2)], K[(0, 1, 2, 3)]
    (0.5, 0.0, 0.0)
    """
    minus_H = np.asarray(minus_H, dtype=float)
    n = len(minus_H).bit_length() - 1
    if n < 1 or len(minus_H) != 2 ** n:
        raise InputError("minus_H", "must give a value for each of the 2^n configurations",
                         len(minus_H))
    spins = configurations(n).astype(float)
    return {S: float(np.mean(minus_H * spins[:, list(S)].prod(axis=1)))
            for size in range(1, n + 1) for S in combinations(range(n), size)}


def in_site_order(rbm):
    """The same machine with its hidden units sorted by their dominant visible site and each
    flipped so that its largest weight is positive: ``(h_j, W_j, b_j) -> -(h_j, W_j, b_j)`` and
    a permutation of the hidden units change neither law, only the names of the hidden spins,
    which then sit in the chain's order."""
    W = np.asarray(rbm.weights, dtype=float)
    sites = dominant_sites(rbm)
    gauge = np.sign(W[sites, np.arange(rbm.n_hidden)])
    gauge[gauge == 0] = 1
    order = np.argsort(sites, kind="stable")
    return RBM((W * gauge)[:, order], np.asarray(rbm.visible_bias, dtype=float),
               (np.asarray(rbm.hidden_bias, dtype=float) * gauge)[order])


def aggregate_posterior_gap(data_hamiltonian, rbm):
    """``KL(q || p_RBM(h))`` with ``q(h) = sum_v P(v) p(h|v)``, the law greedy (deep-belief)
    training feeds the next layer, against the machine's own marginal
    ``p_RBM(h) = e^{-H_RBM(h)} / Z``; data processing bounds it by ``KL(P || p_RBM(v))``."""
    H = _check_data(rbm, data_hamiltonian)
    v, h = _states(rbm)
    fields = v @ rbm.weights + rbm.hidden_bias
    log_conditional = fields @ h.T - _log_2cosh(fields).sum(axis=1)[:, None]
    q = np.exp(_log_normalised(-H)) @ np.exp(log_conditional)
    log_p = _log_normalised(-hidden_hamiltonian(rbm))
    return float((q * (np.log(q) - log_p)).sum())


@dataclass(frozen=True)
class StackedLayer:
    """One trained layer of :func:`stack_chain_rbms`.

    ``rbm`` is in site order (:func:`in_site_order`); ``couplings`` are the
    :func:`interactions` of its hidden law ``p(h) = e^{-H_RBM(h)} / Z``, which is the data of
    the next layer; ``posterior_gap`` is :func:`aggregate_posterior_gap`.
    """

    rbm: RBM
    kl: float
    iterations: int
    decimation: bool
    couplings: dict
    posterior_gap: float


def stack_chain_rbms(N=8, J=0.5, layers=2, seed=0, max_iterations=400, kl_target=KL_TARGET):
    """Stack ``layers`` fully connected RBMs, each halving the spins, on the periodic ``N``-chain.

    Layer 1 is trained on the chain's exact law ``e^{-H(v)} / Z``, layer ``k + 1`` on the
    hidden law of layer ``k``, ``p(h) = (1/Z) sum_v e^{-E(v,h)}`` (the article's marginal),
    each as in :func:`train_chain_rbm` with ``connectivity="full"``: nothing tells a hidden unit
    which spins to look at.

    >>> first, second = stack_chain_rbms()
    >>> round(first.couplings[(0, 1)], 5), round(second.couplings[(0, 1)] / 2, 5)
    (0.21689, 0.04564)
    """
    N = check_positive_int("N", N, minimum=4)
    layers = check_positive_int("layers", layers)
    if N > MAX_VISIBLE or N % 2 ** layers:
        raise InputError("N", f"must be at most {MAX_VISIBLE} and divisible by 2^layers",
                         (N, layers))
    J = to_float(check_real("J", J))
    max_iterations, kl_target = _check_training(max_iterations, kl_target)
    H, stack = chain_hamiltonian(N, J), []
    for _ in range(layers):
        n = len(H).bit_length() - 1
        trained, history = _minimise_kl(H, np.ones((n, n // 2), dtype=bool), max_iterations,
                                        kl_target, seed, max_iterations)
        rbm = in_site_order(trained)
        hidden_H = hidden_hamiltonian(rbm)
        stack.append(StackedLayer(rbm, history[-1].kl, history[-1].step,
                                  decimation_structure(rbm), interactions(-hidden_H),
                                  aggregate_posterior_gap(H, rbm)))
        H = hidden_H
    return tuple(stack)


def negligible(value, dps, margin=5):
    """True when ``|value| < 10^(margin - dps)``: zero to ``dps``-digit working precision.

    >>> negligible(mpmath.mpf("1e-48"), 50), negligible(mpmath.mpf("1e-40"), 50)
    (True, False)
    """
    return abs(value) < mpmath.mpf(10) ** (margin - dps)


def vrg_objective(coupling, hidden_bias, absolute=False):
    """The variational-RG objective ``ln tr_v e^(-H(v)) - ln tr_h e^(-H_RG(h))`` (its absolute
    value with ``absolute=True``) as a sympy expression, for two visible spins with
    ``H(v) = -coupling v_1 v_2`` and one hidden spin coupled to nothing but its bias
    (``c = W = 0``): then ``tr_h e^(-H_RG(h)) = tr_v tr_h e^(-E) = 4 * 2 cosh(hidden_bias)``.

    >>> b = sympy.Symbol("b", real=True)
    >>> sympy.limit(vrg_objective(sympy.Rational(1, 2), b), b, sympy.oo)
    -oo
    """
    data = sum(sympy.exp(coupling * a * c) for a in (1, -1) for c in (1, -1))
    machine = 4 * 2 * sympy.cosh(hidden_bias)
    difference = sympy.log(data) - sympy.log(machine)
    return sympy.Abs(difference) if absolute else difference


__all__ = ['MAX_VISIBLE', 'MAX_HIDDEN', 'elementwise', 'RBM', 'make_rbm', 'random_rbm', 'energy', 'visible_hamiltonian', 'hidden_hamiltonian', 'log_partition', 'rg_operator', 'rg_hamiltonian', 'trace', 'kl_divergence', 'jensen_gap', 'chain_hamiltonian', 'torus_hamiltonian', 'exact_chain_rbm', 'block_mask', 'hidden_couplings', 'dominant_sites', 'decimation_structure', 'induced_coupling', 'Checkpoint', 'Training', 'train_chain_rbm', 'KL_TARGET', 'interactions', 'in_site_order', 'aggregate_posterior_gap', 'StackedLayer', 'stack_chain_rbms', 'negligible', 'as_mpf', 'finite_array', 'vrg_objective']
