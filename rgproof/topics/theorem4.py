r"""Theorem 4's hypotheses (Xia's slides; Theorem 3.1 of Gong & Xia 2026), computed exactly.

Two hypotheses are separate pieces of mathematics:

* **fixed points** :math:`\theta_r^* \ge 0` of the scaling RG of the radial model
  :math:`\sum_r \theta_r |x|^{2r}`: :math:`\theta_r^* = \theta_r \kappa_*^r` with
  :math:`\kappa_* = \lim Z(\lambda)/\lambda^2` (:mod:`rgproof.topics.scaling`);
* **a unique global minimum** :math:`W^*` of the teacher-student loss with
  :math:`L(W^*) = 0` (Lemma 1). A fully connected network has exact symmetries: permuting the
  units of a hidden layer, and reflecting one unit when the activation satisfies
  :math:`f(-z) = \alpha \pm f(z)` (tanh and the identity are odd; the sigmoid has
  :math:`\sigma(-z) = 1 - \sigma(z)`). The images of :math:`W^*` fit the data exactly, so only the
  penalty :math:`\lambda \|W - W^*\|^2` can single :math:`W^*` out.

The networks here are sympy transcriptions of :mod:`rgproof.experiments.network`'s: per layer a
weight matrix (fan_in x fan_out) and a bias row, the activation after every layer, the inputs
the hypercube :math:`\{\pm1\}^N`.

>>> reflection(ACTIVATIONS["sigmoid"])
(-1, 1)
>>> star = teacher(((2, 2), (2, 1)))
>>> [name for name, _ in hidden_symmetries(star, ACTIVATIONS["tanh"])]
['swap units 0, 1 of hidden layer 1', 'reflect unit 0 of hidden layer 1', 'reflect unit 1 of hidden layer 1']
>>> data_term(hidden_symmetries(star, ACTIVATIONS["tanh"])[0][1], star, ACTIVATIONS["tanh"])
0
"""
from functools import lru_cache
from itertools import product

import sympy

from ..core.validate import check_positive_int
from .forward_rg import ACTIVATIONS as FIELD_ACTIVATIONS
from .scaling import fixed_points, forced_scale_ratios, scale_ratio_limit

#: Activations as sympy functions of the pre-activation: the network engine's three, and the
#: even "bump" of :mod:`.forward_rg` (a reflection with f(-z) = f(z)).
ACTIVATIONS = {"tanh": FIELD_ACTIVATIONS["tanh"], "sigmoid": FIELD_ACTIVATIONS["sigmoid"],
               "identity": lambda u: u, "bump": FIELD_ACTIVATIONS["bump"]}

_Z = sympy.Symbol("z", real=True)


# ---------------------------------------------------------------- fixed points

def fixed_point_table(wave_factors, R=2):
    """``{Z: (theta_1*, ..., theta_R*)}`` for positive symbolic theta (scaling.fixed_points)."""
    return {Z: fixed_points(Z, R=R) for Z in wave_factors}


def fixed_points_exist_nonnegative(values):
    """(all finite, all >= 0) for fixed points of positive theta; None where sympy cannot tell."""
    return (all(v.is_finite for v in values), all(v.is_nonnegative for v in values))


def satisfy_partition_condition(wave_factors):
    """The Z(lambda) with lim Z/lambda^2 among the kappa that Z_lambda = Z allows (kappa = 1)."""
    allowed = forced_scale_ratios()
    return tuple(Z for Z in wave_factors if scale_ratio_limit(Z) in allowed)


# ---------------------------------------------------------------- networks

def teacher(layer_shapes):
    """Rational parameters W* for ``layer_shapes`` ((fan_in, fan_out) per layer), every entry
    different, so that no symmetry of the network maps W* to itself."""
    params, k = [], 0
    for fan_in, fan_out in layer_shapes:
        size = fan_in * fan_out + fan_out
        entries = [sympy.Rational((-1)**j * (j + 2), 7) for j in range(k, k + size)]
        k += size
        weights = sympy.Matrix(fan_in, fan_out, entries[:fan_in * fan_out])
        params.append((weights, sympy.Matrix(1, fan_out, entries[fan_in * fan_out:])))
    return params


def hypercube(N):
    """The 2^N inputs {+-1}^N as 1 x N sympy rows."""
    N = check_positive_int("N", N)
    return [sympy.Matrix([list(x)]) for x in product((1, -1), repeat=N)]


def forward(params, f, x):
    """The network's output row at input row ``x``, f after every layer: the plain evaluation
    (tests compare :func:`data_term`'s symmetry algebra with it)."""
    for weights, bias in params:
        x = (x * weights + bias).applyfunc(f)
    return x


#: The activation as an unknown function: the networks' outputs are computed in the algebra of
#: f with only f's reflection identity, so a symmetry shows up as an exact cancellation.
_UNKNOWN = sympy.Function("f")


def _canonical(expr, turned):
    """Write f(-z) as offset + sign f(z) wherever the argument carries the minus sign, and
    f(0) as offset/2 when sign = -1 (the identity at z = 0)."""
    if turned is None:
        return sympy.expand(expr)
    sign, offset = turned
    expr = expr.replace(
        lambda e: isinstance(e, _UNKNOWN) and e.args[0].could_extract_minus_sign(),
        lambda e: offset + sign * _UNKNOWN(-e.args[0]))
    if sign == -1:
        expr = expr.subs(_UNKNOWN(0), offset / 2)
    return sympy.expand(expr)


def _unknown_outputs(params, x, turned):
    for weights, bias in params:
        x = (x * weights + bias).applyfunc(lambda z: _canonical(_UNKNOWN(sympy.expand(z)), turned))
    return x


def data_term(params, star, f):
    """1/2 sum over the hypercube of |F(W; x) - F(W*; x)|^2, exact.

    The outputs are compared in the algebra of an unknown f obeying :func:`reflection`'s
    identity (differences that vanish there vanish for f; simplifying nested sigmoids instead
    takes minutes); what is left is evaluated with f itself.

    >>> star = teacher(((1, 1),))
    >>> shifted = [(star[0][0], star[0][1] + sympy.ones(1, 1))]
    >>> data_term(shifted, star, ACTIVATIONS["identity"])
    1
    """
    turned = reflection(f)
    total = sympy.Integer(0)
    for x in hypercube(star[0][0].rows):
        pairs = zip(_unknown_outputs(params, x, turned), _unknown_outputs(star, x, turned))
        total += sum(difference.replace(_UNKNOWN, f)**2
                     for difference in (sympy.expand(a - b) for a, b in pairs) if difference != 0)
    return total / 2


def squared_distance(params, star):
    """||W - W*||^2 over every weight and bias."""
    return sum(sum(e**2 for e in (w - ws)) + sum(e**2 for e in (b - bs))
               for (w, b), (ws, bs) in zip(params, star))


def loss(params, star, f, penalty):
    """L(W) = 1/2 ||F(W) - F(W*)||^2 + penalty ||W - W*||^2 (the slides' training loss)."""
    return data_term(params, star, f) + penalty * squared_distance(params, star)


# ---------------------------------------------------------------- symmetries

@lru_cache(maxsize=None)
def reflection(f):
    r"""(sign, offset) with :math:`f(-z) = \mathrm{offset} + \mathrm{sign}\, f(z)`, or None.

    >>> reflection(ACTIVATIONS["tanh"]), reflection(ACTIVATIONS["bump"])
    ((-1, 0), (1, 0))
    """
    for sign in (-1, 1):
        offset = sympy.simplify((f(-_Z) - sign * f(_Z)).rewrite(sympy.exp))
        if not offset.has(_Z):
            return sign, offset
    return None


def _copy(params):
    return [(w.copy(), b.copy()) for w, b in params]


def swap_units(params, layer, i, j):
    """Exchange units i and j of hidden layer ``layer`` (1-based): columns of its weights, its
    biases, and rows of the next layer's weights."""
    image = _copy(params)
    w, b = image[layer - 1]
    w.col_swap(i, j)
    b.col_swap(i, j)
    image[layer][0].row_swap(i, j)
    return image


def reflect_unit(params, layer, unit, sign, offset):
    """Flip the sign of unit ``unit``'s pre-activation; the next layer absorbs f(-z) =
    offset + sign f(z): its weights from the unit are divided by sign, its biases shifted."""
    image = _copy(params)
    w, b = image[layer - 1]
    w[:, unit] = -w[:, unit]
    b[0, unit] = -b[0, unit]
    following_w, following_b = image[layer]
    outgoing = following_w[unit, :]
    following_w[unit, :] = outgoing / sign
    image[layer] = (following_w, following_b - outgoing * offset / sign)
    return image


def hidden_symmetries(params, f):
    """``[(description, image of params)]``: adjacent swaps in every hidden layer and, where
    :func:`reflection` finds one, the reflection of every hidden unit; images equal to
    ``params`` are left out."""
    images = []
    turned = reflection(f)
    for layer in range(1, len(params)):
        width = params[layer - 1][0].cols
        for i in range(width - 1):
            images.append((f"swap units {i}, {i + 1} of hidden layer {layer}",
                           swap_units(params, layer, i, i + 1)))
        if turned is not None:
            images.extend((f"reflect unit {u} of hidden layer {layer}",
                           reflect_unit(params, layer, u, *turned)) for u in range(width))
    return [(name, image) for name, image in images if squared_distance(image, params) != 0]


def affine_rank(N):
    """Rank of the rows (x, 1) over the hypercube: N + 1 means an affine map is fixed by its
    values there, so a network without hidden layers and an injective f fits W* only at W*."""
    return sympy.Matrix([list(x) + [1] for x in hypercube(N)]).rank()


def strictly_increasing(f):
    """Whether sympy proves f' > 0 (an injective activation)."""
    return sympy.simplify(sympy.diff(f(_Z), _Z).rewrite(sympy.exp)).is_positive is True


__all__ = ['ACTIVATIONS', 'fixed_point_table', 'fixed_points_exist_nonnegative',
           'satisfy_partition_condition', 'teacher', 'hypercube', 'forward',
           'data_term', 'squared_distance', 'loss', 'reflection', 'swap_units', 'reflect_unit',
           'hidden_symmetries', 'affine_rank', 'strictly_increasing']
