"""An ensemble of networks on the hypercube or a given input set: loss, gradient and the blocked thread pool."""
import hashlib
import math
import numbers
import os
import weakref
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..core.errors import InputError
from ..core.validate import check_positive_int
from .network import (
    Activation,
    Architecture,
    _quiet,
    array_namespace,
    assign,
    check_dtype,
    draw_parameters,
    host_dtype,
    hypercube,
    one_pass_delta,
    one_pass_fold,
    resolve_activation,
    to_host,
)

#: At most this many table entries per block of chains on numpy (a thread's two work arrays:
#: 2 x 16 MiB in float64). Larger blocks measured faster, not slower: 256 chains of N = M = 10
#: take 9.1 ms a step in 2 blocks, 9.6 in 4 and 10.3 in 6 (2 threads; bench/anneal.py's
#: network), the fixed cost of a block (its calls, exponentials and passes) outweighing cache
#: misses on tables this size.
BLOCK_ELEMENTS = 1 << 21
#: From this many entries in all the chains are split over the threads (fewer: one block, the
#: threads' dispatch would cost more than they save; N = 8, 256 chains: 3.5 ms a step in two
#: blocks, 3.7 in one).
SPLIT_ELEMENTS = 1 << 17

#: The multiplicative doubling is used while |rate * (sum_i |w_i| + |b|)| stays below this, so
#: that no partial product can overflow; otherwise the pre-activations are summed instead.
SAFE_EXPONENT = 600.0


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
    assign(xp, out, "exp", -rate * b, at=(0, ...))
    for i in range(w.shape[0]):
        half = 1 << i
        top = out[:half, ...]
        assign(xp, out, "multiply", top, inverse[i, ...], at=(slice(half, 2 * half), ...))
        assign(xp, out, "multiply", top, factor[i, ...], at=(slice(0, half), ...))
    return out


def hypercube_sum(xp, w, b, out):
    """``out[r] = x_r . w + b`` for every input row, by the same doubling with additions."""
    out[0, ...] = b
    for i in range(w.shape[0]):
        half = 1 << i
        top = out[:half, ...]
        assign(xp, out, "subtract", top, w[i, ...], at=(slice(half, 2 * half), ...))
        assign(xp, out, "add", top, w[i, ...], at=(slice(0, half), ...))
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
    compiled = one_pass_fold(xp, d, N)
    if compiled is not None:
        return compiled
    total = xp.sum(d, axis=0)
    grad = xp.empty((N, d.shape[1]), dtype=d.dtype)
    size = d.shape[0]
    for i in reversed(range(N)):
        half = size // 2
        top = d[:half, ...]  # rows with x_i = +1 (bit i is 0)
        grad[i, ...] = 2 * xp.sum(top, axis=0) - total
        assign(xp, d, "add", top, d[half:size, ...], at=(slice(0, half), ...))
        size = half
    return grad, total


# --------------------------------------------------------------------------- the ensemble

def engine_threads():
    """Threads for the blocks of chains: ``OMP_NUM_THREADS`` where set (``rgproof verify -j``
    sets it in each worker, so that processes times threads stays within the cores), else one
    per CPU."""
    try:
        return max(1, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return os.cpu_count() or 1


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


@dataclass(eq=False)
class Ensemble:
    """K chains of one architecture, with the teacher, the penalty ``lam`` and the parameters.

    ``params`` is (K x size) on the backend ``xp``; ``teacher`` is (size,). ``data`` is the
    training set, real rows (n x N), or None for the full hypercube ``{+1,-1}^N`` (then the
    first layer uses the doubling of :func:`hypercube_exp`; given rows go through a plain matrix
    product). ``batch`` switches to the SGD variant: each chain's gradient is estimated from
    ``batch`` training rows drawn uniformly (with replacement) and scaled by ``rows / batch``.

    Every operation on the arrays is a call of the array API standard, so ``xp`` may be numpy,
    array-api-strict, or CuPy and PyTorch through array-api-compat. Numpy alone also takes
    thin speed-ups that give the same bits: ``out=`` writes (:func:`~.network.assign`), passes
    over contiguous tables (:func:`_rows_first`), blocks of chains in threads and numba kernels.

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
        if self.data is None:  # +-1: exact in every precision
            self.inputs = self.xp.asarray(hypercube(self.architecture.inputs),
                                          dtype=self.params.dtype)
        else:
            self.data = check_inputs(self.data, self.architecture.inputs)
            self.inputs = self.xp.asarray(self.data, dtype=self.params.dtype)
        self._tiled = {}
        self._executor = None
        teacher = Ensemble(self.architecture, self.activation, None, self.teacher[None, ...],
                           0.0, self.xp, data=self.data) if self.teacher is not None else None
        self.teacher_outputs = (teacher.outputs()[0, ...] if teacher is not None else None)

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
        """Chain ranges processed together (one range on accelerators).

        Each block holds at most :data:`BLOCK_ELEMENTS` table entries. From
        :data:`SPLIT_ELEMENTS` entries in all, or where one block cannot hold them, the number
        of blocks is a multiple of the threads and the chains are shared out evenly, so that no
        thread idles or waits on another's extra block (5 blocks of at most 51 chains on 2
        threads become 6 of 42 or 43, not 5 of 51 and one of 1). A chain's numbers do not depend
        on the block it is in.
        """
        K = self.chains
        if self.xp is not np:
            return [(0, K)]
        per_chain = self.rows * max((self.architecture.outputs,
                                                   *self.architecture.hidden))
        count = -(-K // max(1, BLOCK_ELEMENTS // per_chain))
        if count > 1 or K * per_chain >= SPLIT_ELEMENTS:
            threads = engine_threads()
            count = min(K, -(-count // threads) * threads)
        edges = [k * K // count for k in range(count + 1)]
        return list(zip(edges[:-1], edges[1:]))

    def _map_blocks(self, work):
        def quiet_work(k0_k1):
            with _quiet(self.xp):  # numpy's error state is per thread
                return work(*k0_k1)

        blocks = self.blocks()
        if len(blocks) == 1:
            return [quiet_work(blocks[0])]
        return list(self._pool().map(quiet_work, blocks))

    def _pool(self):
        """This ensemble's threads, started at the first blocked step; :meth:`close` ends them
        (and so does garbage collection of the ensemble)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=engine_threads())
            self._finalizer = weakref.finalize(self, self._executor.shutdown, wait=False)
        return self._executor

    def close(self):
        """End this ensemble's worker threads (a later blocked step starts new ones)."""
        if self._executor is not None:
            self._finalizer()
            self._executor = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

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
        columns, bias, work, y = self._hypercube_columns(w, b)
        if self._exp_is_safe(columns, bias):
            y = f.value_from_exp(xp, hypercube_exp(xp, columns, bias, f.exp_rate, work), y)
            slope = f.slope(xp, None, y, work)
        else:
            z = hypercube_sum(xp, columns, bias, work)
            y = f.value(xp, z, y)
            slope = f.slope(xp, z, y, z)
        return _chain_major(xp, y, kb, width), _chain_major(xp, slope, kb, width)

    def _hypercube_columns(self, w, b):
        """The block's weights (N x columns) and biases (columns,) as (chain, unit) columns, and
        the thread's two work arrays (2^N x columns)."""
        xp = self.xp
        kb, fan_in, width = w.shape
        return (xp.reshape(xp.permute_dims(w, (1, 0, 2)), (fan_in, kb * width)),
                xp.reshape(b, (kb * width,)),
                *_workspace(self.xp, (self.architecture.rows, kb * width), self.params.dtype))

    def _exp_is_safe(self, columns, bias):
        """Whether the doubling of :func:`hypercube_exp` applies to every column."""
        xp, rate = self.xp, self.activation.exp_rate
        return rate is not None and float(rate * xp.max(xp.sum(xp.abs(columns), axis=0)
                                                        + xp.abs(bias))) < SAFE_EXPONENT

    def _one_pass_delta(self, k0, k1):
        """The output delta of a one-layer block on the hypercube by one compiled pass over the
        exponential table (a chain-major view), or None where that does not apply (then
        nothing was computed)."""
        if self.data is not None or self.architecture.hidden:
            return None
        (w, b), = self.architecture.layers(self.params[k0:k1, ...], self.xp)
        kb, _, width = w.shape
        columns, bias, work, delta = self._hypercube_columns(w, b)
        finish = one_pass_delta(self.xp, self.activation, work, self._tiled_teacher(kb), delta)
        if finish is None or not self._exp_is_safe(columns, bias) or columns.shape[0] < 2:
            return None
        xp, rate = self.xp, self.activation.exp_rate
        hypercube_exp(xp, columns[:-1], bias, rate, work[:work.shape[0] // 2])
        # the factors of the last input, as hypercube_exp computes them
        finish(xp.exp(rate * columns)[-1, ...], xp.exp(-rate * columns)[-1, ...])
        return _chain_major(xp, delta, kb, width)

    def _forward(self, k0, k1, rows_in=None):
        """``[(y_l, f'(z_l)) for each layer]`` for chains k0..k1, each (kb, rows, width)."""
        xp, f = self.xp, self.activation
        layers = self.architecture.layers(self.params[k0:k1, ...], xp)
        out = [self._first_layer(*layers[0], rows_in)]
        for w, b in layers[1:]:
            z = xp.matmul(out[-1][0], w) + b[:, None, :]
            y = f.value(xp, z, xp.empty(z.shape, dtype=z.dtype))
            out.append((y, f.slope(xp, z, y, z)))
        return out

    def _residual(self, y, rows):
        """Network outputs minus teacher outputs (in place in ``y``, which is returned)."""
        flat = _rows_first(self.xp, y)
        if rows is None and flat is not None:
            # Outputs of the hypercube layer: subtract a tiled teacher, so that the operation
            # runs over one contiguous array instead of M-long rows.
            flat -= self._tiled_teacher(y.shape[0])
        else:
            y -= (self.teacher_outputs[None, ...] if rows is None
                  else _gather(self.xp, self.teacher_outputs, rows))
        return y

    def _tiled_teacher(self, kb):
        tiled = self._tiled.get(kb)
        if tiled is None:
            tiled = self._tiled[kb] = self.xp.tile(self.teacher_outputs, (1, kb))
        return tiled

    def _block_gradient(self, k0, k1, rows, grad):
        """Write the data-term gradient of chains k0..k1 into their rows of ``grad``."""
        xp = self.xp
        rows = None if rows is None else rows[k0:k1, ...]
        rows_in = None if rows is None else _gather(xp, self.inputs, rows)
        weights = self.architecture.layers(self.params[k0:k1, ...], xp)
        delta = None if rows is not None else self._one_pass_delta(k0, k1)
        if delta is not None:
            acts = [None]  # one layer, on the hypercube: no activations below it are needed
        else:
            acts = self._forward(k0, k1, rows_in)
            y, slope = acts[-1]
            delta = self._residual(y, rows)
            flat_delta, flat_slope = _rows_first(xp, delta), _rows_first(xp, slope)
            if flat_delta is not None and flat_slope is not None:
                flat_delta *= flat_slope
            else:
                delta *= slope
            if rows is not None:
                delta *= self.rows / self.batch
        if rows_in is None and self.data is not None:
            rows_in = self.inputs
        parts = []
        for layer in reversed(range(len(acts))):
            kb, fan_in, width = weights[layer][0].shape
            if layer == 0 and rows_in is None:
                # C order (rows, columns); numpy copies only where delta is not already so
                flat = xp.reshape(xp.permute_dims(delta, (1, 0, 2)), (-1, kb * width))
                folded_w, folded_b = hypercube_fold(xp, flat, fan_in)
                gw = xp.permute_dims(xp.reshape(folded_w, (fan_in, kb, width)), (1, 0, 2))
                gb = xp.reshape(folded_b, (kb, width))
            else:
                below = rows_in if layer == 0 else acts[layer - 1][0]
                gw = xp.matmul(xp.matrix_transpose(below), delta)
                gb = xp.sum(delta, axis=1)
                if layer > 0:
                    delta = xp.matmul(delta, xp.matrix_transpose(weights[layer][0]))
                    delta *= acts[layer - 1][1]
            parts[:0] = [xp.reshape(gw, (kb, fan_in * width)), gb]
        grad[k0:k1, ...] = xp.concat(parts, axis=1)

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
        return self.xp.concat(
            self._map_blocks(lambda k0, k1: _copy(self.xp, self._forward(k0, k1)[-1][0])),
            axis=0)

    def outputs_on(self, X):
        """Outputs on fresh inputs: ``X`` (n x N) shared by all chains, or (K x n x N), one
        sample per chain. Returns (K, n, M) on the backend."""
        xp = self.xp
        X = xp.asarray(X, dtype=self.params.dtype)
        N = self.architecture.inputs
        if X.ndim not in (2, 3) or X.shape[-1] != N or (X.ndim == 3 and X.shape[0] != self.chains):
            raise InputError("X", f"must be (n x {N}) or ({self.chains} x n x {N})", X.shape)
        pick = (lambda k0, k1: X) if X.ndim == 2 else (lambda k0, k1: X[k0:k1, ...])  # noqa: E731
        return xp.concat(self._map_blocks(
            lambda k0, k1: _copy(xp, self._forward(k0, k1, pick(k0, k1))[-1][0])), axis=0)

    def evaluate(self, observable=None):
        """Per-chain loss (K,) and, if given, ``observable(xp, y)`` of the outputs, on the host.

        ``observable`` maps a block's outputs (kb, 2^N, M) to (kb, ...); blocks are stacked.
        """
        xp = self.xp

        def work(k0, k1):
            y = self._forward(k0, k1)[-1][0]
            seen = (None if observable is None
                    else np.array(to_host(observable(xp, y)), dtype=np.float64))
            residual = self._residual(_copy(xp, y), None)
            data = 0.5 * xp.sum(residual * residual, axis=(1, 2))
            penalty = self.lam * xp.sum((self.params[k0:k1, ...] - self.teacher) ** 2, axis=1)
            return to_host(data + penalty).astype(np.float64), seen

        parts = self._map_blocks(work)
        loss = np.concatenate([p[0] for p in parts])
        return loss, None if observable is None else np.concatenate([p[1] for p in parts])

    def describe(self):
        """The JSON-able settings that determine a run's numbers (checked on resume)."""
        out = {**self.architecture.describe(), "activation": self.activation.name,
               "chains": self.chains, "lam": self.lam,
               "dtype": str(host_dtype(self.xp, self.params.dtype)),
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


def _rows_first(xp, a):
    """The contiguous (rows, kb * width) numpy array behind a chain-major view, or None.

    Only a speed-up: numpy's elementwise passes run faster over one contiguous array than over
    the view's short rows, with the same bits. The standard has no notion of memory layout, so
    other namespaces compute on the chain-major view itself (None)."""
    if xp is not np:
        return None
    native = a.transpose(1, 0, 2)
    return native.reshape(a.shape[1], -1) if native.flags.c_contiguous else None


def _chain_major(xp, a, kb, width):
    """The (rows, kb * width) table ``a`` as (kb, rows, width): a view on numpy."""
    return xp.permute_dims(xp.reshape(a, (-1, kb, width)), (1, 0, 2))


def _copy(xp, a):
    """A copy of ``a`` in C order (numpy's reductions over it then add in the order they
    always have)."""
    return xp.reshape(a, a.shape, copy=True)


def _gather(xp, table, rows):
    """``table[rows]`` for a (kb, batch) integer array ``rows``: (kb, batch, columns)."""
    picked = xp.take(table, xp.reshape(rows, (-1,)), axis=0)
    return xp.reshape(picked, (*rows.shape, table.shape[1]))


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


__all__ = ['hypercube_exp', 'hypercube_sum', 'hypercube_fold', 'Ensemble', 'check_inputs', 'check_positive_real', 'check_nonnegative_real']
