r"""Annealed ensembles of fully connected networks (Gong & Xia, arXiv:2212.00005, Theorems 2-3).

K independent networks ("chains") with inputs ``x`` in ``{+1,-1}^N`` are trained towards a
teacher ``W*`` by simulated annealing, the SDE ``dW = -grad L(W) dt + sqrt(eta_t) dB``, integrated
by Euler-Maruyama. The loss is the one of the Ising paper, with the *unweighted* sum over all
``2^N`` inputs::

    L(W) = 1/2 sum_x ||F(x; W) - F(x; W*)||^2 + lam ||W - W*||^2

(weights and biases of every layer in the penalty). Gradients are analytic (backpropagation).

The numeric code is written once against an array namespace ``xp``: numpy by default, CuPy (via
array-api-compat) when asked for and installed. The chains share their inputs, so the first
layer of all chains is one computation over the hypercube, done without a matrix product: the
``2^N`` pre-activations of a column are built by doubling (one multiplication per input and
row, see :func:`hypercube_exp`), and the gradient is folded back the same way
(:func:`hypercube_fold`). Chains are processed in blocks, in parallel threads on numpy.

>>> ens = Ensemble.create(Architecture(4, 3), "sigmoid", chains=5, lam=0.1, seed=1)
>>> ens.params.shape, ens.architecture.size
((5, 15), 15)
>>> result = anneal(ens, steps=20, dt=0.05, schedule=LogCooling(0.01), seed=1)
>>> result.step, bool(result.records[-1]["loss"] < result.records[0]["loss"])
(20, True)
"""
import hashlib
import importlib
import json
import math
import numbers
import os
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .errors import InputError, check_positive_int

#: The full sum over inputs enumerates 2^N rows; beyond this it is no longer a small computation.
MAX_FULL_SUM_N = 16

BACKENDS = ("numpy", "cupy")
DTYPES = ("float64", "float32")

#: Elements per block of chains on numpy: large enough that Python overhead is small, small
#: enough that a block's two work arrays stay near the cache.
BLOCK_ELEMENTS = 1 << 19

#: The multiplicative doubling is used while |rate * (sum_i |w_i| + |b|)| stays below this, so
#: that no partial product can overflow; otherwise the pre-activations are summed instead.
SAFE_EXPONENT = 600.0


# --------------------------------------------------------------------------- backends

def array_namespace(backend="numpy"):
    """The array module for ``backend``: numpy, or CuPy through array-api-compat.

    >>> array_namespace("numpy").__name__
    'numpy'
    >>> array_namespace("jax")
    Traceback (most recent call last):
        ...
    rgproof.errors.InputError: --backend: must be one of ('numpy', 'cupy') (got 'jax')
    """
    if backend == "numpy":
        return np
    if backend == "cupy":
        try:
            importlib.import_module("cupy")
            compat = importlib.import_module("array_api_compat")
        except ImportError:
            raise InputError("--backend", "cupy needs the optional packages cupy and "
                                          "array-api-compat (pip install 'rgproof[gpu]')",
                             backend) from None
        return compat.array_namespace(importlib.import_module("cupy").zeros(1))
    raise InputError("--backend", f"must be one of {BACKENDS}", backend)


def check_dtype(dtype):
    """The numpy dtype for ``'float64'`` or ``'float32'``."""
    if dtype not in DTYPES:
        raise InputError("--dtype", f"must be one of {DTYPES}", dtype)
    return np.dtype(dtype)


def to_host(a):
    """A numpy copy (or view) of an array from any backend."""
    return a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)


@contextmanager
def _quiet(xp):
    """Overflow to inf is expected (and handled) inside a step; numpy should not warn about it."""
    if xp is np:
        with np.errstate(all="ignore"):
            yield
    else:
        yield


# --------------------------------------------------------------------------- activations

@dataclass(frozen=True)
class Activation:
    """An activation ``f`` with its derivative, written for an array namespace ``xp``.

    ``value(xp, z, out)`` writes ``f(z)`` into ``out`` (which may be ``z``);
    ``slope(xp, z, y, out)`` writes ``f'(z)`` given ``y = f(z)`` (``out`` may be ``z``).
    Built-ins also give ``value_from_exp(xp, e, out)`` with ``e = exp(-exp_rate z)``, and then
    compute the slope from ``y`` alone; the hypercube layer then needs no exponential per input.
    """

    name: str
    value: Callable
    slope: Callable
    exp_rate: Optional[float] = None
    value_from_exp: Optional[Callable] = None
    slope_bound: Optional[float] = None  # sup |f'|, used to suggest a stable dt

    @classmethod
    def custom(cls, name, f, df):
        """A user activation from array functions ``f(z)`` and ``df(z)`` (e.g. numpy ufuncs).

        >>> softsign = Activation.custom("softsign", lambda z: z / (1 + abs(z)),
        ...                              lambda z: 1 / (1 + abs(z)) ** 2)
        >>> float(softsign.value(np, np.array(1.0), np.empty(())))
        0.5
        """
        def value(xp, z, out):
            out[...] = f(z)
            return out

        def slope(xp, z, y, out):
            out[...] = df(z)
            return out

        return cls(name, value, slope)


def _sigmoid_value(xp, z, out):
    xp.negative(z, out=out)
    xp.exp(out, out=out)
    return _sigmoid_from_exp(xp, out, out)


def _sigmoid_from_exp(xp, e, out):
    xp.add(e, 1, out=out)
    return xp.reciprocal(out, out=out)


def _sigmoid_slope(xp, z, y, out):
    xp.subtract(1, y, out=out)
    out *= y
    return out


def _tanh_value(xp, z, out):
    return xp.tanh(z, out=out)


def _tanh_from_exp(xp, e, out):
    # tanh z = 2 / (1 + exp(-2z)) - 1
    _sigmoid_from_exp(xp, e, out)
    out *= 2
    out -= 1
    return out


def _tanh_slope(xp, z, y, out):
    xp.multiply(y, y, out=out)
    xp.subtract(1, out, out=out)
    return out


def _identity_value(xp, z, out):
    out[...] = z
    return out


def _identity_slope(xp, z, y, out):
    out[...] = 1
    return out


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", _sigmoid_value, _sigmoid_slope, 1.0, _sigmoid_from_exp, 0.25),
    "tanh": Activation("tanh", _tanh_value, _tanh_slope, 2.0, _tanh_from_exp, 1.0),
    # linear layers: the networks of the exponential-family experiment's linear teachers
    "identity": Activation("identity", _identity_value, _identity_slope, None, None, 1.0),
}


def resolve_activation(activation):
    """An :class:`Activation` from a name, a ``module:attribute`` path, or an Activation itself.

    >>> resolve_activation("tanh").name
    'tanh'
    >>> resolve_activation("relu")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    rgproof.errors.InputError: --activation: must be sigmoid, tanh, ... (got 'relu')
    """
    if isinstance(activation, Activation):
        return activation
    rule = "must be sigmoid, tanh, or module:attribute naming an Activation"
    if not isinstance(activation, str):
        raise InputError("--activation", rule, activation)
    if activation in ACTIVATIONS:
        return ACTIVATIONS[activation]
    module, _, attribute = activation.partition(":")
    if not (module and attribute):
        raise InputError("--activation", rule, activation)
    try:
        found = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError):
        raise InputError("--activation", f"{rule}; {activation} cannot be imported",
                         activation) from None
    if not isinstance(found, Activation):
        raise InputError("--activation", f"{rule}; {activation} is a {type(found).__name__}",
                         activation)
    return found


# --------------------------------------------------------------------------- architecture

@dataclass(frozen=True)
class Architecture:
    """Widths of a fully connected network: ``N`` inputs, hidden layers, ``M`` outputs.

    Each chain's parameters are one flat vector: per layer the weights (``fan_in x fan_out``,
    row-major) and then the biases.

    >>> Architecture(3, 2, (4,)).layer_shapes
    ((3, 4), (4, 2))
    >>> Architecture(3, 2, (4,)).size
    26
    """

    inputs: int
    outputs: int
    hidden: tuple = ()

    def __post_init__(self):
        n = check_positive_int("N", self.inputs)
        if n > MAX_FULL_SUM_N:
            raise InputError("N", f"the full sum over 2^N inputs is limited to N <= "
                                  f"{MAX_FULL_SUM_N}", n)
        check_positive_int("M", self.outputs)
        if not isinstance(self.hidden, tuple):
            raise InputError("hidden", "must be a tuple of layer widths", self.hidden)
        for width in self.hidden:
            check_positive_int("hidden", width)

    @property
    def layer_shapes(self):
        widths = (self.inputs, *self.hidden, self.outputs)
        return tuple(zip(widths[:-1], widths[1:]))

    @property
    def size(self):
        return sum(fan_in * fan_out + fan_out for fan_in, fan_out in self.layer_shapes)

    @property
    def rows(self):
        """Number of inputs in the full sum, ``2^N``."""
        return 1 << self.inputs

    def layers(self, flat):
        """``[(W, b), ...]`` views into ``flat`` (chains x size): W is (K, fan_in, fan_out)."""
        views, offset = [], 0
        for fan_in, fan_out in self.layer_shapes:
            w = flat[:, offset:offset + fan_in * fan_out].reshape(flat.shape[0], fan_in, fan_out)
            offset += fan_in * fan_out
            views.append((w, flat[:, offset:offset + fan_out]))
            offset += fan_out
        return views

    def describe(self):
        return {"N": self.inputs, "M": self.outputs, "hidden": list(self.hidden)}


def parse_hidden(text):
    """Hidden widths from ``"W1,W2"`` (empty: no hidden layer).

    >>> parse_hidden("8,4"), parse_hidden("")
    ((8, 4), ())
    >>> parse_hidden("8,,4")
    Traceback (most recent call last):
        ...
    rgproof.errors.InputError: --hidden: must be comma-separated positive integers (got '8,,4')
    """
    if not text.strip():
        return ()
    parts = text.split(",")
    if not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise InputError("--hidden", "must be comma-separated positive integers", text)
    return tuple(int(p) for p in parts)


def hypercube(N, dtype=np.float64):
    """All ``2^N`` inputs as rows; bit i of the row index is 1 exactly when ``x_i = -1``.

    This is the ordering of :func:`rgproof.ising.bond_sum_histogram`.

    >>> hypercube(2)
    array([[ 1.,  1.],
           [-1.,  1.],
           [ 1., -1.],
           [-1., -1.]])
    """
    states = np.arange(1 << N)
    return (1 - 2 * ((states[:, None] >> np.arange(N)) & 1)).astype(dtype)


def draw_parameters(architecture, rng, chains, dtype=np.float64):
    """Independent N(0, 1/fan_in) draws for every weight and bias: (chains x size)."""
    scales = np.concatenate([np.full(fan_in * fan_out + fan_out, fan_in ** -0.5)
                             for fan_in, fan_out in architecture.layer_shapes])
    return (rng.standard_normal((chains, architecture.size)) * scales).astype(dtype)


# --------------------------------------------------------------------------- the hypercube layer

def hypercube_exp(xp, w, b, rate, out):
    """``out[r] = exp(-rate (x_r . w + b))`` for every input row ``r`` and column, by doubling.

    ``w`` is (N x columns), ``b`` (columns,), ``out`` (2^N x columns). Row 0 is the all-(+1)
    input; each input bit doubles the filled rows with one multiplication, so the whole table
    costs about two multiplications per entry and N exponentials per column.

    >>> w, b = np.array([[0.3], [-1.2]]), np.array([0.5])
    >>> e = hypercube_exp(np, w, b, 1.0, np.empty((4, 1)))
    >>> bool(np.allclose(e, np.exp(-(hypercube(2) @ w + b)), rtol=1e-15, atol=0))
    True
    """
    factor = xp.exp(-rate * w)
    inverse = xp.exp(rate * w)
    xp.exp(-rate * b, out=out[0])
    for i in range(w.shape[0]):
        half = 1 << i
        xp.multiply(out[:half], inverse[i], out=out[half:2 * half])
        out[:half] *= factor[i]
    return out


def hypercube_sum(xp, w, b, out):
    """``out[r] = x_r . w + b`` for every input row, by the same doubling with additions."""
    out[0] = b
    for i in range(w.shape[0]):
        half = 1 << i
        xp.subtract(out[:half], w[i], out=out[half:2 * half])
        out[:half] += w[i]
    return out


def hypercube_fold(xp, d, N):
    """``(sum_x x_i d[x] for each i, sum_x d[x])``: the transpose of the hypercube layer.

    Folds ``d`` (2^N x columns) in place, halving it once per input; returns (N x columns) and
    (columns,). Equivalent to ``X.T @ d`` and ``d.sum(0)`` with ``X = hypercube(N)``.

    >>> d = np.arange(8.0).reshape(4, 2)
    >>> gw, gb = hypercube_fold(np, d.copy(), 2)
    >>> bool(np.array_equal(gw, hypercube(2).T @ d)), gb.tolist()
    (True, [12.0, 16.0])
    """
    total = d.sum(axis=0)
    grad = xp.empty((N, d.shape[1]), dtype=d.dtype)
    size = d.shape[0]
    for i in reversed(range(N)):
        half = size // 2
        top = d[:half]  # rows with x_i = +1 (bit i is 0)
        grad[i] = 2 * top.sum(axis=0) - total
        top += d[half:size]
        size = half
    return grad, total


# --------------------------------------------------------------------------- the ensemble

_local = threading.local()


def _workspace(xp, shape, dtype):
    """Two work arrays per thread, reused from step to step (large allocations are not free)."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    key = (xp.__name__, shape, str(dtype))
    if key not in cache:
        if len(cache) > 8:
            cache.clear()
        cache[key] = (xp.empty(shape, dtype=dtype), xp.empty(shape, dtype=dtype))
    return cache[key]


_executor = None


def _pool():
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    return _executor


@dataclass(eq=False)
class Ensemble:
    """K chains of one architecture, with the teacher, the penalty ``lam`` and the parameters.

    ``params`` is (K x size) on the backend ``xp``; ``teacher`` is (size,). ``data`` is the
    training set, real rows (n x N), or None for the full hypercube ``{+1,-1}^N`` (then the
    first layer uses the doubling of :func:`hypercube_exp`; given rows go through a plain matrix
    product). ``batch`` switches to the SGD variant: each chain's gradient is estimated from
    ``batch`` training rows drawn uniformly (with replacement) and scaled by ``rows / batch``.

    >>> X = np.random.default_rng(0).standard_normal((50, 3))
    >>> ens = Ensemble.create(Architecture(3, 2), "identity", chains=4, lam=0.1, seed=0, inputs=X)
    >>> ens.rows, ens.outputs_on(X[:7]).shape
    (50, (4, 7, 2))
    """

    architecture: Architecture
    activation: Activation
    teacher: object
    params: object
    lam: float
    xp: object = np
    batch: Optional[int] = None
    data: object = field(default=None, repr=False)
    teacher_outputs: object = field(init=False, repr=False)

    def __post_init__(self):
        self.activation = resolve_activation(self.activation)
        self.lam = check_nonnegative_real("lam", self.lam)
        if self.batch is not None:
            self.batch = check_positive_int("batch", self.batch)
        if self.data is None:
            self.inputs = self.xp.asarray(hypercube(self.architecture.inputs, self.params.dtype))
        else:
            self.data = check_inputs(self.data, self.architecture.inputs)
            self.inputs = self.xp.asarray(self.data.astype(self.params.dtype))
        self._tiled = {}
        teacher = Ensemble(self.architecture, self.activation, None, self.teacher[None, :],
                           0.0, self.xp, data=self.data) if self.teacher is not None else None
        self.teacher_outputs = (teacher.outputs()[0] if teacher is not None else None)

    @classmethod
    def create(cls, architecture, activation="sigmoid", *, chains, lam, seed, teacher=None,
               backend="numpy", dtype="float64", batch=None, inputs=None):
        """A new ensemble: the teacher (drawn from ``seed`` unless given) and W_0 ~ P_0.

        P_0 draws every weight and bias independently from N(0, 1/fan_in). ``inputs`` is the
        training set (n x N real rows); None trains on the full hypercube.
        """
        chains = check_positive_int("chains", chains)
        seed = check_positive_int("seed", seed, minimum=0)
        dtype = check_dtype(dtype)
        xp = array_namespace(backend)
        if teacher is None:
            teacher = draw_parameters(architecture, np.random.default_rng([seed, 0]), 1)[0]
        teacher = np.asarray(teacher, dtype=np.float64)
        if teacher.shape != (architecture.size,) or not np.all(np.isfinite(teacher)):
            raise InputError("teacher", f"must be {architecture.size} finite numbers",
                             teacher.shape)
        params = draw_parameters(architecture, np.random.default_rng([seed, 1]), chains)
        return cls(architecture, activation, xp.asarray(teacher.astype(dtype)),
                   xp.asarray(params.astype(dtype)), lam, xp, batch, inputs)

    @property
    def chains(self):
        return self.params.shape[0]

    @property
    def rows(self):
        """Number of training inputs: ``2^N`` on the hypercube, else the rows of ``data``."""
        return self.architecture.rows if self.data is None else self.data.shape[0]

    def blocks(self):
        """Chain ranges processed together (one range on accelerators)."""
        K = self.chains
        if self.xp is not np:
            return [(0, K)]
        per_chain = self.rows * max((self.architecture.outputs,
                                                   *self.architecture.hidden))
        size = max(1, BLOCK_ELEMENTS // per_chain)
        return [(k, min(k + size, K)) for k in range(0, K, size)]

    def _map_blocks(self, work):
        def quiet_work(k0_k1):
            with _quiet(self.xp):  # numpy's error state is per thread
                return work(*k0_k1)

        blocks = self.blocks()
        if len(blocks) == 1:
            return [quiet_work(blocks[0])]
        return list(_pool().map(quiet_work, blocks))

    # -- forward and backward over one block of chains ------------------------------------

    def _first_layer(self, w, b, rows_in):
        """Activations and slopes of layer 1 for a block: chain-major (kb, rows, width) views."""
        xp, f = self.xp, self.activation
        kb, fan_in, width = w.shape
        if rows_in is None and self.data is not None:
            rows_in = self.inputs
        if rows_in is not None:  # given rows (n, N), or per-chain rows (kb, batch, N)
            z = xp.matmul(rows_in, w) + b[:, None, :]
            y = f.value(xp, z, xp.empty(z.shape, dtype=z.dtype))
            return y, f.slope(xp, z, y, z)
        # Full sum: every chain sees all 2^N inputs; columns are (chain, unit) pairs.
        P = self.architecture.rows
        columns = w.transpose(1, 0, 2).reshape(fan_in, kb * width)
        bias = b.reshape(kb * width)
        work, y = _workspace(xp, (P, kb * width), self.params.dtype)
        rate = f.exp_rate
        if rate is not None and float(rate * (xp.abs(columns).sum(axis=0)
                                              + xp.abs(bias)).max()) < SAFE_EXPONENT:
            y = f.value_from_exp(xp, hypercube_exp(xp, columns, bias, rate, work), y)
            slope = f.slope(xp, None, y, work)
        else:
            z = hypercube_sum(xp, columns, bias, work)
            y = f.value(xp, z, y)
            slope = f.slope(xp, z, y, z)
        as_chains = lambda a: a.reshape(P, kb, width).transpose(1, 0, 2)  # noqa: E731
        return as_chains(y), as_chains(slope)

    def _forward(self, k0, k1, rows_in=None):
        """``[(y_l, f'(z_l)) for each layer]`` for chains k0..k1, each (kb, rows, width)."""
        xp, f = self.xp, self.activation
        layers = self.architecture.layers(self.params[k0:k1])
        out = [self._first_layer(*layers[0], rows_in)]
        for w, b in layers[1:]:
            z = xp.matmul(out[-1][0], w) + b[:, None, :]
            y = f.value(xp, z, xp.empty(z.shape, dtype=z.dtype))
            out.append((y, f.slope(xp, z, y, z)))
        return out

    def _residual(self, y, rows):
        """Network outputs minus teacher outputs (in place in ``y``, which is returned)."""
        flat = _rows_first(y)
        if rows is None and flat is not None:
            # Outputs of the hypercube layer: subtract a tiled teacher, so that the operation
            # runs over one contiguous array instead of M-long rows.
            flat -= self._tiled_teacher(y.shape[0])
        else:
            y -= self.teacher_outputs[None] if rows is None else self.teacher_outputs[rows]
        return y

    def _tiled_teacher(self, kb):
        tiled = self._tiled.get(kb)
        if tiled is None:
            tiled = self._tiled[kb] = self.xp.tile(self.teacher_outputs, (1, kb))
        return tiled

    def _block_gradient(self, k0, k1, rows, grad):
        """Write the data-term gradient of chains k0..k1 into ``grad`` (a host-layout view)."""
        xp = self.xp
        rows_in = None if rows is None else self.inputs[rows[k0:k1]]
        acts = self._forward(k0, k1, rows_in)
        layers = self.architecture.layers(grad[k0:k1])
        weights = self.architecture.layers(self.params[k0:k1])
        y, slope = acts[-1]
        delta = self._residual(y, None if rows is None else rows[k0:k1])
        flat_delta, flat_slope = _rows_first(delta), _rows_first(slope)
        if flat_delta is not None and flat_slope is not None:
            flat_delta *= flat_slope
        else:
            delta *= slope
        if rows is not None:
            delta *= self.rows / self.batch
        if rows_in is None and self.data is not None:
            rows_in = self.inputs
        for layer in reversed(range(len(acts))):
            gw, gb = layers[layer]
            if layer == 0 and rows_in is None:
                kb, fan_in, width = gw.shape
                flat = xp.ascontiguousarray(delta.transpose(1, 0, 2)).reshape(-1, kb * width)
                folded_w, folded_b = hypercube_fold(xp, flat, fan_in)
                gw[...] = folded_w.reshape(fan_in, kb, width).transpose(1, 0, 2)
                gb[...] = folded_b.reshape(kb, width)
                continue
            below = rows_in if layer == 0 else acts[layer - 1][0]
            gw[...] = xp.matmul(xp.swapaxes(below, -1, -2), delta)
            gb[...] = delta.sum(axis=1)
            if layer > 0:
                delta = xp.matmul(delta, weights[layer][0].transpose(0, 2, 1))
                delta *= acts[layer - 1][1]

    def gradient(self, rng=None):
        """grad L for every chain (K x size); ``rng`` draws the minibatches of the SGD variant."""
        xp = self.xp
        rows = None
        if self.batch is not None:
            rows = xp.asarray(rng.integers(0, self.rows, (self.chains, self.batch)))
        grad = xp.empty(self.params.shape, dtype=self.params.dtype)
        self._map_blocks(lambda k0, k1: self._block_gradient(k0, k1, rows, grad))
        grad += (2 * self.lam) * (self.params - self.teacher)
        return grad

    def outputs(self):
        """Outputs on the training inputs (all 2^N, or the given rows): (K, rows, M)."""
        # copies: a thread reuses its work arrays for its next block
        return self.xp.concatenate(
            self._map_blocks(lambda k0, k1: self._forward(k0, k1)[-1][0].copy()))

    def outputs_on(self, X):
        """Outputs on fresh inputs: ``X`` (n x N) shared by all chains, or (K x n x N), one
        sample per chain. Returns (K, n, M) on the backend."""
        xp = self.xp
        X = xp.asarray(X, dtype=self.params.dtype)
        N = self.architecture.inputs
        if X.ndim not in (2, 3) or X.shape[-1] != N or (X.ndim == 3 and X.shape[0] != self.chains):
            raise InputError("X", f"must be (n x {N}) or ({self.chains} x n x {N})", X.shape)
        pick = (lambda k0, k1: X) if X.ndim == 2 else (lambda k0, k1: X[k0:k1])  # noqa: E731
        return xp.concatenate(self._map_blocks(
            lambda k0, k1: self._forward(k0, k1, pick(k0, k1))[-1][0].copy()))

    def evaluate(self, observable=None):
        """Per-chain loss (K,) and, if given, ``observable(xp, y)`` of the outputs, on the host.

        ``observable`` maps a block's outputs (kb, 2^N, M) to (kb, ...); blocks are stacked.
        """
        xp = self.xp

        def work(k0, k1):
            y = self._forward(k0, k1)[-1][0]
            seen = (None if observable is None
                    else np.array(to_host(observable(xp, y)), dtype=np.float64))
            residual = self._residual(y.copy(), None)
            data = 0.5 * (residual * residual).sum(axis=(1, 2))
            penalty = self.lam * ((self.params[k0:k1] - self.teacher) ** 2).sum(axis=1)
            return to_host(data + penalty).astype(np.float64), seen

        parts = self._map_blocks(work)
        loss = np.concatenate([p[0] for p in parts])
        return loss, None if observable is None else np.concatenate([p[1] for p in parts])

    def describe(self):
        """The JSON-able settings that determine a run's numbers (checked on resume)."""
        out = {**self.architecture.describe(), "activation": self.activation.name,
               "chains": self.chains, "lam": self.lam, "dtype": str(self.params.dtype),
               "batch": self.batch}
        if self.data is not None:  # a resumed run must train on the very same rows
            out["inputs"] = {"rows": self.rows, "sha256": hashlib.sha256(
                np.ascontiguousarray(self.data, dtype=np.float64).tobytes()).hexdigest()}
        return out

    def stable_dt_hint(self):
        """An upper bound for a stable Euler step of a shallow network: 2 / max curvature.

        The data term's curvature is at most ``sup|f'|^2`` times the largest eigenvalue of
        ``X~^T X~`` (``X~`` the inputs with a column of ones): ``2^N`` on the hypercube.
        """
        bound = self.activation.slope_bound
        if bound is None or self.architecture.hidden:
            return None
        if self.data is None:
            top = self.architecture.rows
        else:
            extended = np.hstack([self.data, np.ones((self.rows, 1))])
            top = float(np.linalg.eigvalsh(extended.T @ extended)[-1])
        return 2 / (top * bound ** 2 + 2 * self.lam)


def check_inputs(X, N):
    """A training set: a finite real (n x N) array with n >= 1, as float64 on the host."""
    X = np.asarray(to_host(X))
    if X.ndim != 2 or X.shape[1] != N or X.shape[0] < 1 or not np.issubdtype(X.dtype, np.number) \
            or np.iscomplexobj(X) or not np.all(np.isfinite(X)):
        raise InputError("inputs", f"must be a finite real (n x N) array with N = {N}",
                         getattr(X, "shape", X))
    return X.astype(np.float64)


def _rows_first(a):
    """The contiguous (rows, kb * width) array behind a chain-major view, or None."""
    native = a.transpose(1, 0, 2)
    return native.reshape(a.shape[1], -1) if native.flags.c_contiguous else None


def check_nonnegative_real(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or value < 0:
        raise InputError(name, "must be a finite real number >= 0", value)
    return float(value)


def check_positive_real(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or value <= 0:
        raise InputError(name, "must be a finite real number > 0", value)
    return float(value)


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

class Divergence(InputError):
    """The integration produced NaN or infinity; names the step and the step size."""

    def __init__(self, step, t, dt, hint=None):
        self.step, self.t = step, t
        advice = (f"; for this network dt < 2 / max curvature = {hint:.3g}" if hint else "")
        super().__init__("dt", f"the parameters became NaN/inf at step {step} (t = {t:.6g}): "
                               f"the step size dt = {dt!r} is too large for this loss{advice}; "
                               "reduce --dt (or --c, --lam)", dt)


def em_step(ensemble, dt, eta, rng):
    """One Euler-Maruyama step ``W += -grad L dt + sqrt(eta dt) xi`` (no xi in the SGD variant)."""
    xp, params = ensemble.xp, ensemble.params
    grad = ensemble.gradient(rng)
    with _quiet(xp):  # a diverging run overflows here; the caller reports it
        grad *= -dt
        if ensemble.batch is None:
            noise = rng.standard_normal(params.shape, dtype=params.dtype)
            grad += math.sqrt(eta * dt) * xp.asarray(noise)
        params += grad
    return bool(xp.isfinite(params).all())


# --------------------------------------------------------------------------- checkpoints

def write_json(data, path):
    """Write ``data`` as indented JSON with a final newline (the experiments' ``--json`` files)."""
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")


def save_checkpoint(path, *, step, params, rng, records, config):
    """Write the run state atomically (temporary file in the same folder, then os.replace)."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as fh:
            np.savez(fh, step=np.int64(step), params=to_host(params),
                     rng=np.array(json.dumps(rng.bit_generator.state)),
                     records=np.array(json.dumps(records)),
                     config=np.array(json.dumps(config, sort_keys=True)))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


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
        with np.load(path) as data:
            rng = np.random.Generator(np.random.PCG64())
            rng.bit_generator.state = json.loads(str(data["rng"]))
            return Checkpoint(int(data["step"]), data["params"], rng,
                              json.loads(str(data["records"])), json.loads(str(data["config"])))
    except FileNotFoundError:
        raise InputError("--checkpoint", "--resume needs an existing checkpoint file",
                         path) from None
    except (OSError, KeyError, ValueError) as exc:
        raise InputError("--checkpoint", f"is not a readable rgproof checkpoint ({exc})",
                         path) from None


# --------------------------------------------------------------------------- the run loop

class Progress:
    """A one-line progress bar on a stream (stderr): step, t and the named record fields."""

    def __init__(self, total, stream=None, fields=("loss",), width=24):
        self.total, self.stream = total, stream or sys.stderr
        self.fields, self.width = fields, width
        self.tty = self.stream.isatty()
        self.shown = -1

    def update(self, step, record):
        tenth = 10 * step // max(self.total, 1)
        if not self.tty and tenth == self.shown:
            return
        self.shown = tenth
        filled = self.width * step // max(self.total, 1)
        values = " ".join(f"{k}={_short(record.get(k))}" for k in self.fields)
        line = (f"[{'#' * filled}{'.' * (self.width - filled)}] {step}/{self.total} "
                f"t={record['t']:.4g} {values}")
        self.stream.write(f"\r\033[K{line}" if self.tty else line + "\n")
        if self.tty and step >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _short(value):
    return "-" if value is None else f"{value:.4g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class AnnealResult:
    """The end state of a run: step reached, parameters (host), and the records taken."""

    step: int
    params: np.ndarray
    records: list


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
    record_every = check_positive_int("record_every", record_every or max(1, steps // 100))
    checkpoint_every = check_positive_int("checkpoint_every",
                                          checkpoint_every or max(1, steps // 10))
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


__all__ = ["MAX_FULL_SUM_N", "BACKENDS", "DTYPES", "array_namespace", "check_dtype", "to_host",
           "Activation", "ACTIVATIONS", "resolve_activation", "Architecture", "parse_hidden",
           "hypercube", "draw_parameters", "hypercube_exp", "hypercube_sum", "hypercube_fold",
           "Ensemble", "check_inputs", "check_positive_real", "check_nonnegative_real", "LogCooling",
           "describe_schedule", "Divergence", "em_step", "write_json",
           "save_checkpoint", "load_checkpoint", "Checkpoint", "Progress", "AnnealResult",
           "record_steps", "anneal"]
