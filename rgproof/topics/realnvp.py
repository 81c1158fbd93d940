"""RealNVP coupling blocks (Li & Wang's bijectors): forward and inverse maps, the
log-determinant as the sum of the scale outputs, and a finite-difference check of it."""
from dataclasses import dataclass
from itertools import product

import mpmath
import numpy as np

from ..core.errors import InputError
from ..core.validate import check_positive_int
from .rbm import as_mpf, elementwise

_exp, _tanh = elementwise("exp"), elementwise("tanh")


@dataclass(frozen=True)
class MLP:
    """``tanh(z W1 + b1) W2 + b2``; runs on float64 or on mpf object arrays."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    def __call__(self, z):
        return _tanh(z @ self.w1 + self.b1) @ self.w2 + self.b2


@dataclass(frozen=True)
class CouplingBlock:
    """One RealNVP bijector: the coordinates ``kept`` pass through (``x_< = z_<``), the others
    are ``x_> = z_> * exp(s(z_<)) + t(z_<)``; ``log_det = sum_i s(z_<)_i``."""

    kept: tuple
    changed: tuple
    scale: MLP
    shift: MLP

    def forward(self, z):
        z = np.asarray(z)
        kept = z[..., list(self.kept)]
        x = z.copy()
        x[..., list(self.changed)] = (z[..., list(self.changed)] * _exp(self.scale(kept))
                                      + self.shift(kept))
        return x

    def inverse(self, x):
        x = np.asarray(x)
        kept = x[..., list(self.kept)]
        z = x.copy()
        z[..., list(self.changed)] = ((x[..., list(self.changed)] - self.shift(kept))
                                      * _exp(-self.scale(kept)))
        return z

    def log_det(self, z):
        return self.scale(np.asarray(z)[..., list(self.kept)]).sum(axis=-1)

    def at_working_precision(self):
        """The same block with mpf parameters (exact copies of the float64 values)."""
        return CouplingBlock(self.kept, self.changed,
                             *(MLP(*(as_mpf(a) for a in (m.w1, m.b1, m.w2, m.b2)))
                               for m in (self.scale, self.shift)))


def random_coupling_block(n, kept, hidden=8, seed=0, scale=0.5):
    """A coupling block on ``n`` coordinates with seeded Gaussian MLP weights."""
    n = check_positive_int("n", n, minimum=2)
    hidden = check_positive_int("hidden", hidden)
    try:
        kept = tuple(sorted({check_positive_int("kept", k, minimum=0) for k in kept}))
    except TypeError:
        raise InputError("kept", "must be a collection of coordinate indices", kept) from None
    if not kept or len(kept) == n or not all(k < n for k in kept):
        raise InputError("kept", f"must be a non-empty proper subset of range({n})", kept)
    changed = tuple(k for k in range(n) if k not in kept)
    rng = np.random.default_rng(seed)

    def mlp():
        return MLP(scale * rng.standard_normal((len(kept), hidden)),
                   scale * rng.standard_normal(hidden),
                   scale * rng.standard_normal((hidden, len(changed))),
                   scale * rng.standard_normal(len(changed)))

    return CouplingBlock(kept, changed, mlp(), mlp())


@dataclass(frozen=True)
class Flow:
    """``g = ... g_2 o g_1``; ``log_det`` adds the blocks' log-determinants along the way."""

    blocks: tuple

    def forward(self, z):
        for block in self.blocks:
            z = block.forward(z)
        return z

    def inverse(self, x):
        for block in reversed(self.blocks):
            x = block.inverse(x)
        return x

    def log_det(self, z):
        total = 0
        for block in self.blocks:
            total = total + block.log_det(z)
            z = block.forward(z)
        return total

    def at_working_precision(self):
        return Flow(tuple(b.at_working_precision() for b in self.blocks))


def finite_difference_log_det(forward, z):
    """``ln |det dx/dz|`` from a finite-difference Jacobian of ``forward`` at the point ``z``.

    Float64 ``z``: central differences with step ``1e-6 (1 + |z_j|)``. Object (mpf) ``z``:
    ``mpmath.diff`` entry by entry (finite differences at raised precision).
    """
    z = np.asarray(z)
    n = len(z)
    if z.dtype == object:
        jac = mpmath.matrix(n, n)
        for a, b in product(range(n), repeat=2):
            unit = np.array([int(k == b) for k in range(n)], dtype=object)
            jac[a, b] = mpmath.diff(lambda t: forward(z + t * unit)[a], 0)
        return mpmath.log(abs(mpmath.det(jac)))
    steps = 1e-6 * (1 + np.abs(z))
    jac = np.column_stack([(forward(z + h * e) - forward(z - h * e)) / (2 * h)
                           for h, e in zip(steps, np.eye(n))])
    return float(np.linalg.slogdet(jac)[1])


__all__ = ['MLP', 'CouplingBlock', 'random_coupling_block', 'Flow', 'finite_difference_log_det']
