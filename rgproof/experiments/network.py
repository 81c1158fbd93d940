"""The networks of the annealing engine: array backends, activations, architectures."""
import importlib
import importlib.metadata
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..core.errors import InputError
from ..core.validate import check_positive_int
from ..core.spins import configurations

#: The full sum over inputs enumerates 2^N rows; beyond this it is no longer a small computation.
MAX_FULL_SUM_N = 16

BACKENDS = ("numpy", "cupy", "torch", "array-api-strict")
DTYPES = ("float64", "float32")


# --------------------------------------------------------------------------- backends

#: The module of each backend other than numpy (array-api-strict is a namespace itself; CuPy
#: and torch are reached through array-api-compat), and how to install it.
_OPTIONAL = {
    "cupy": (lambda: importlib.import_module("cupy"), "pip install 'rgproof[gpu]'"),
    "torch": (lambda: importlib.import_module("torch"), "pip install torch array-api-compat"),
    "array-api-strict": (lambda: importlib.import_module("array_api_strict"),
                         "pip install 'rgproof[strict]'"),
}


def array_namespace(backend="numpy"):
    """The array module for ``backend``: numpy; CuPy or PyTorch (CPU tensors) through
    array-api-compat; or array-api-strict, which has only the standard's calls (a run on it
    shows the engine uses nothing else).

    >>> array_namespace("numpy").__name__
    'numpy'
    >>> array_namespace("jax")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --backend: must be one of ('numpy', 'cupy', 'torch', 'array-api-strict') (got 'jax')
    """
    if backend == "numpy":
        return np
    if backend not in _OPTIONAL:
        raise InputError("--backend", f"must be one of {BACKENDS}", backend)
    load, install = _OPTIONAL[backend]
    try:
        module = load()
        compat = importlib.import_module("array_api_compat")
    except ImportError:
        raise InputError("--backend", f"{backend} needs the optional packages {backend} and "
                                      f"array-api-compat ({install})",
                         backend) from None
    return module if backend == "array-api-strict" else compat.array_namespace(module.zeros(1))


def host_dtype(xp, dtype):
    """The numpy dtype of a backend's floating dtype (the noise is drawn on the host in it)."""
    return np.dtype(f"float{xp.finfo(dtype).bits}")


def assign(xp, out, name, *args, at=...):
    """``out[at] = xp.<name>(*args)`` for an elementwise function ``name`` of the array API.

    The standard has no ``out=`` argument, so other namespaces assign the result; numpy writes
    through ``out=`` instead, the same bits without a temporary and a second pass over memory
    (this is the step's only numpy-only arithmetic, apart from the compiled kernels below).
    """
    if xp is np:
        getattr(np, name)(*args, out=out if at is Ellipsis else out[at])
    else:
        out[at] = getattr(xp, name)(*args)
    return out


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
    """Overflow to inf is expected (and handled) inside a step; numpy should not warn about it,
    on its own arrays or under a namespace that computes with it (array-api-strict). Other
    namespaces (CuPy, torch) do not warn."""
    with np.errstate(all="ignore"):
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


# --------------------------------------------------------------------------- one-pass kernels

#: On float64 numpy arrays of at least this many elements the built-in activations' elementwise
#: passes run as one compiled pass (numba, when installed). Smaller arrays stay on numpy, so that
#: short runs (the claims' own) never pay numba's import and cache load (about 1 s).
FUSED_MIN_ELEMENTS = 1 << 16

#: None: use the one-pass kernels when numba is importable; False: never (the tests compare the
#: two paths bit for bit, and ``bench/anneal.py`` times both).
USE_NUMBA = None

#: The kernels, as plain loops over flat arrays. Each performs the very floating-point
#: operations of the numpy passes it replaces, in the same order (no fastmath, so no FMA
#: contraction or reassociation): the results are the same bits, with one read and one write
#: per element instead of two or four.


def _loop_sigmoid_from_exp(e, out):
    for i in range(e.size):
        out[i] = 1.0 / (e[i] + 1.0)


def _loop_sigmoid_slope(y, out):
    for i in range(y.size):
        out[i] = (1.0 - y[i]) * y[i]


def _loop_tanh_from_exp(e, out):
    for i in range(e.size):
        out[i] = (1.0 / (e[i] + 1.0)) * 2.0 - 1.0


def _loop_tanh_slope(y, out):
    for i in range(y.size):
        square = y[i] * y[i]
        out[i] = 1.0 - square


def _loop_sigmoid_delta(top, inverse, factor, teacher, out):
    # the last doubling of hypercube_exp (the bottom half top * inverse, the top half
    # top * factor) and then the output layer's delta (y - teacher) f'(z) with y from
    # e = exp(-z): the passes of _sigmoid_from_exp, _sigmoid_slope, the residual and the
    # product, in their order
    half, columns = top.shape
    for r in range(half):
        for j in range(columns):
            for row, e in ((r, top[r, j] * factor[j]), (half + r, top[r, j] * inverse[j])):
                y = 1.0 / (e + 1.0)
                slope = (1.0 - y) * y
                out[row, j] = (y - teacher[row, j]) * slope


def _loop_tanh_delta(top, inverse, factor, teacher, out):
    half, columns = top.shape
    for r in range(half):
        for j in range(columns):
            for row, e in ((r, top[r, j] * factor[j]), (half + r, top[r, j] * inverse[j])):
                y = (1.0 / (e + 1.0)) * 2.0 - 1.0
                square = y * y
                out[row, j] = (y - teacher[row, j]) * (1.0 - square)


def _loop_fold(d, inputs, grad, total):
    # hypercube_fold's sums, in numpy's order for the column sums of a 2-D array of two or more
    # columns (row after row); each level's sum of its top half is taken while that half is
    # formed, so the table is read about twice instead of four times
    rows, columns = d.shape
    top = np.empty(columns)
    half = rows // 2
    total[:] = d[0]
    top[:] = d[0]
    for r in range(1, rows):
        if r == half:
            top[:] = total
        for j in range(columns):
            total[j] += d[r, j]
    size = rows
    for i in range(inputs - 1, -1, -1):
        half = size // 2
        for j in range(columns):
            grad[i, j] = 2 * top[j] - total[j]
        quarter = half // 2
        for r in range(half):
            for j in range(columns):
                d[r, j] += d[half + r, j]
            if r == 0:
                top[:] = d[0]
            elif r < quarter:
                for j in range(columns):
                    top[j] += d[r, j]
        size = half


_LOOPS = {loop.__name__: loop for loop in (
    _loop_sigmoid_from_exp, _loop_sigmoid_slope, _loop_tanh_from_exp, _loop_tanh_slope,
    _loop_sigmoid_delta, _loop_tanh_delta, _loop_fold)}
_compiled = None


def _compiled_loops():
    """The kernels compiled by numba (cached on disk), or None where numba is not installed."""
    global _compiled
    if _compiled is None:
        try:
            numba = importlib.import_module("numba")
        except ImportError:
            _compiled = {}
        else:
            _compiled = {name: numba.njit(loop, cache=True, nogil=True, error_model="numpy")
                         for name, loop in _LOOPS.items()}
    return _compiled or None


def _one_pass_applies(xp, *arrays):
    """Whether the compiled kernels apply to ``arrays`` (numpy, float64, contiguous, one shape,
    large; numba importable)."""
    first = arrays[0]
    return (USE_NUMBA is not False and xp is np and first.size >= FUSED_MIN_ELEMENTS
            and all(a.dtype == np.float64 and a.shape == first.shape and a.flags.c_contiguous
                    for a in arrays)
            and _compiled_loops() is not None)


def _one_pass(xp, name, a, out):
    """Run the kernel ``name`` on ``a`` into ``out`` and return True, where it applies; else
    False and the caller runs numpy."""
    if not _one_pass_applies(xp, a, out):
        return False
    _compiled_loops()[name](a.reshape(-1), out.reshape(-1))
    return True


def one_pass_delta(xp, activation, table, teacher, out):
    """The output layer's delta ``(f(z) - teacher) f'(z)`` in one compiled pass (the bits of
    the numpy passes), for a built-in activation with ``value_from_exp``: a function
    ``finish(inverse, factor)`` that takes the top half of ``table`` (``e = exp(-rate z)`` with
    the last input still +1) through the last doubling of
    :func:`~rgproof.experiments.ensemble.hypercube_exp` and writes the delta of every row into
    ``out``; None where no kernel applies."""
    name = f"_loop_{activation.name}_delta"
    if (name not in _LOOPS or ACTIVATIONS.get(activation.name) is not activation
            or not _one_pass_applies(xp, table, teacher, out)):
        return None
    loop = _compiled_loops()[name]
    top = table[:table.shape[0] // 2]
    return lambda inverse, factor: loop(top, inverse, factor, teacher, out)


def one_pass_fold(xp, d, inputs):
    """:func:`~rgproof.experiments.ensemble.hypercube_fold` of ``d`` (2^inputs x columns) in a
    compiled kernel, ``(grad, total)``, where it applies (two or more columns: numpy sums one
    column pairwise); else None, having done nothing."""
    if d.ndim != 2 or d.shape[1] < 2 or not _one_pass_applies(xp, d):
        return None
    grad, total = np.empty((inputs, d.shape[1])), np.empty(d.shape[1])
    _compiled_loops()["_loop_fold"](d, inputs, grad, total)
    return grad, total


# --------------------------------------------------------------------------- the built-ins

def _sigmoid_value(xp, z, out):
    assign(xp, out, "negative", z)
    assign(xp, out, "exp", out)
    return _sigmoid_from_exp(xp, out, out)


def _sigmoid_from_exp(xp, e, out):
    if _one_pass(xp, "_loop_sigmoid_from_exp", e, out):
        return out
    assign(xp, out, "add", e, 1)
    return assign(xp, out, "divide", 1, out)  # numpy's reciprocal: the same division


def _sigmoid_slope(xp, z, y, out):
    if _one_pass(xp, "_loop_sigmoid_slope", y, out):
        return out
    assign(xp, out, "subtract", 1, y)
    out *= y
    return out


def _tanh_value(xp, z, out):
    return assign(xp, out, "tanh", z)


def _tanh_from_exp(xp, e, out):
    # tanh z = 2 / (1 + exp(-2z)) - 1
    if _one_pass(xp, "_loop_tanh_from_exp", e, out):
        return out
    _sigmoid_from_exp(xp, e, out)
    out *= 2
    out -= 1
    return out


def _tanh_slope(xp, z, y, out):
    if _one_pass(xp, "_loop_tanh_slope", y, out):
        return out
    assign(xp, out, "multiply", y, y)
    return assign(xp, out, "subtract", 1, out)


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


#: The entry-point group through which installed packages add activations: an entry point
#: ``name = module:ATTRIBUTE`` whose object is an :class:`Activation` called ``name``.
ENTRY_POINT_GROUP = "rgproof.activations"


def register_activation(activation):
    """Add ``activation`` (an :class:`Activation`) to :data:`ACTIVATIONS` under its ``.name``.

    Registering the same object again is harmless; another object under a taken name is refused.
    The registry lives in this process only: worker processes of a sweep see an activation
    installed under the entry-point group ``rgproof.activations``, not one registered here.

    >>> softsign = Activation.custom("softsign_doc", lambda z: z / (1 + abs(z)),
    ...                              lambda z: 1 / (1 + abs(z)) ** 2)
    >>> register_activation(softsign) is resolve_activation("softsign_doc")
    True
    >>> register_activation(Activation.custom("tanh", np.tanh, np.tanh))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: activation: the name is already registered ... (got 'tanh')
    >>> del ACTIVATIONS["softsign_doc"]
    """
    if not isinstance(activation, Activation):
        raise InputError("activation", "must be an Activation (see Activation.custom)",
                         type(activation).__name__)
    name = activation.name
    if not isinstance(name, str) or not name:
        raise InputError("activation", "its name must be a non-empty string", name)
    known = ACTIVATIONS.get(name)
    if known is not None and known is not activation:
        raise InputError("activation", "the name is already registered to another activation",
                         name)
    ACTIVATIONS[name] = activation
    return activation


def _installed_activations():
    """The entry points of the group ``rgproof.activations``, read afresh on every call."""
    return importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)


def _load_installed(entry_point):
    where = f"the entry point {entry_point.name} = {entry_point.value} of {ENTRY_POINT_GROUP}"
    try:
        found = entry_point.load()
    except Exception as error:  # the plugin's own import failed: report it, as bad input
        raise InputError("--activation", f"{where} cannot be loaded "
                                         f"({type(error).__name__}: {error})",
                         entry_point.name) from None
    if not isinstance(found, Activation):
        raise InputError("--activation", f"{where} gives a {type(found).__name__}, "
                                         "not an Activation", entry_point.name)
    if found.name != entry_point.name:
        raise InputError("--activation", f"{where} gives an Activation named {found.name!r}; "
                                         "the names must agree", entry_point.name)
    return found


def resolve_activation(activation):
    """An :class:`Activation` from a name, or an Activation itself.

    A name is looked up in :data:`ACTIVATIONS` (the built-ins sigmoid, tanh and identity, and
    whatever :func:`register_activation` added), and then among the entry points of the group
    ``rgproof.activations`` of the installed packages. Nothing is ever imported from a
    ``module:attribute`` string; such a string is just an unknown name.

    >>> resolve_activation("tanh").name
    'tanh'
    >>> resolve_activation("relu")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --activation: must be one of [...] or an activation installed
    under the entry-point group rgproof.activations (got 'relu')
    >>> resolve_activation("math:pi")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --activation: must be one of [...] or ... (got 'math:pi')
    """
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str):
        if activation in ACTIVATIONS:
            return ACTIVATIONS[activation]
        installed = _installed_activations()
        matches = [ep for ep in installed if ep.name == activation]
        if len({ep.value for ep in matches}) > 1:
            raise InputError("--activation", "is installed by several packages under the "
                                             f"entry-point group {ENTRY_POINT_GROUP}: "
                                             + ", ".join(sorted(ep.value for ep in matches)),
                             activation)
        if matches:
            return _load_installed(matches[0])
        known = sorted(set(ACTIVATIONS) | {ep.name for ep in installed})
    else:
        known = sorted(ACTIVATIONS)
    raise InputError("--activation", f"must be one of {known} or an activation installed under "
                                     f"the entry-point group {ENTRY_POINT_GROUP}", activation)


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

    def layers(self, flat, xp=np):
        """``[(W, b), ...]`` of ``flat`` (chains x size) on the namespace ``xp``: W is
        (K, fan_in, fan_out). On numpy these are views into ``flat``."""
        views, offset = [], 0
        for fan_in, fan_out in self.layer_shapes:
            w = xp.reshape(flat[:, offset:offset + fan_in * fan_out],
                           (flat.shape[0], fan_in, fan_out))
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
    rgproof.core.errors.InputError: --hidden: must be comma-separated positive integers (got '8,,4')
    """
    if not text.strip():
        return ()
    parts = text.split(",")
    if not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise InputError("--hidden", "must be comma-separated positive integers", text)
    return tuple(int(p) for p in parts)


def hypercube(N, dtype=np.float64):
    """All ``2^N`` inputs as rows; bit i of the row index is 1 exactly when ``x_i = -1``.

    The spin states of :func:`rgproof.core.spins.configurations` (so this is the ordering of
    :func:`rgproof.topics.ising.bond_sum_histogram`), as ``dtype``.

    >>> hypercube(2)
    array([[ 1.,  1.],
           [-1.,  1.],
           [ 1., -1.],
           [-1., -1.]])
    """
    return configurations(N, dtype)


def draw_parameters(architecture, rng, chains, dtype=np.float64):
    """Independent N(0, 1/fan_in) draws for every weight and bias: (chains x size)."""
    scales = np.concatenate([np.full(fan_in * fan_out + fan_out, fan_in ** -0.5)
                             for fan_in, fan_out in architecture.layer_shapes])
    return (rng.standard_normal((chains, architecture.size)) * scales).astype(dtype)


__all__ = ['MAX_FULL_SUM_N', 'BACKENDS', 'DTYPES', 'array_namespace', 'host_dtype', 'assign', 'check_dtype', 'to_host', 'Activation', 'ACTIVATIONS', 'one_pass_delta', 'one_pass_fold', 'resolve_activation', 'Architecture', 'parse_hidden', 'hypercube', 'draw_parameters']
