r"""Li & Wang, neural-network RG (PRL 121, 260601 (2018)): the continuous dual of the Ising model.

Ising weights :math:`\pi(s) = \exp(\frac12 s^T K s)` on :math:`s \in \{\pm1\}^N` (``K``
symmetric). With ``A = K + alpha I`` positive definite, ``s^T A s = s^T K s + alpha N`` and the
Gaussian integral
``exp(s^T A s / 2) = (2 pi)^(-N/2) det(A)^(-1/2) int exp(-x^T A^-1 x / 2 + s.x) dx``
"decouple" the spins; tracing them out gives the dual density
:math:`\pi(x) = \exp(-\frac12 x^T A^{-1} x) \prod_i \cosh x_i` and

    ln Z_Ising = ln Z_dual + N ln 2 - (N/2) ln 2pi - (1/2) ln det A - alpha N / 2.

``Z_dual`` is computed here by quadrature (tensor Gauss-Hermite rule in the coordinates
``x = L y``, ``A = L L^T``; N <= 3) or by importance sampling (N <= 16), and compared with the Ising
side summed configuration by configuration.

>>> K = [[0, 0.5], [0.5, 0]]
>>> print(dual_log_partition(K, 1, dps=30))
1.50640886807816814346622761643
>>> print(ising_log_partition(K, dps=30))
1.50640886807816814346622761643
>>> dual_log_partition(K, 0.25)
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: alpha: K + alpha I must be positive definite (its smallest eigenvalue is -0.25) (got 0.25)
"""
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import mpmath
import numpy as np
import sympy

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_float, to_mpf
from ..core.precision import certify, workdps
from ..core.spins import configurations
from .rbm import as_mpf, elementwise, finite_array

#: Dual integrals done by quadrature up to 3 dimensions; Ising sums enumerated up to 12 spins;
#: importance sampling up to 16 spins.
MAX_QUADRATURE_N, MAX_ENUMERATED_N, MAX_SAMPLED_N = 3, 12, 16

#: Gauss-Hermite rules larger than this are refused (K + alpha I too wide for quadrature).
MAX_NODES = 400

_exp, _tanh = elementwise("exp"), elementwise("tanh")


# --------------------------------------------------------------------------- input

def check_coupling_matrix(K, limit):
    """``K`` as a tuple of rows of exact numbers or mpf.

    It must be square, symmetric and finite, with at most ``limit`` spins.
    """
    try:
        rows = [list(row) for row in (K.tolist() if hasattr(K, "tolist") else K)]
    except TypeError:
        raise InputError("K", "must be a square matrix (a list of rows)", K) from None
    N = len(rows)
    if N == 0 or any(len(row) != N for row in rows):
        raise InputError("K", "must be a non-empty square matrix", K)
    if N > limit:
        raise InputError("K", f"this computation is limited to N <= {limit} spins", N)
    entries = tuple(tuple(check_real(f"K[{i}][{j}]", v) for j, v in enumerate(row))
                    for i, row in enumerate(rows))
    for i in range(N):
        for j in range(i):
            if entries[i][j] != entries[j][i]:
                raise InputError("K", "must be symmetric", (i, j))
    return entries


def _shifted_matrix(K, alpha, ctx=mpmath.mp):
    """``A = K + alpha I`` as a matrix of ``ctx`` at its working precision."""
    N = len(K)
    return ctx.matrix([[to_mpf(K[i][j], ctx) + (to_mpf(alpha, ctx) if i == j else 0)
                        for j in range(N)] for i in range(N)])


def check_shift(K, alpha):
    """Validate ``alpha``: ``K + alpha I`` must be positive definite (checked at 30 digits)."""
    shift = check_real("alpha", alpha)
    with workdps(30):
        A = _shifted_matrix(K, shift)
        smallest = min(mpmath.eigsy(A, eigvals_only=True))
        if smallest <= (1 + mpmath.mnorm(A, 1)) * mpmath.mpf(10) ** -20:
            raise InputError("alpha", "K + alpha I must be positive definite (its smallest "
                                      f"eigenvalue is {mpmath.nstr(smallest, 6)})", alpha)
    return shift


# --------------------------------------------------------------------------- the Ising side

def ising_log_partition(K, dps=50):
    """``ln sum_s exp(s^T K s / 2)`` over all ``2^N`` configurations (N <= 12), Certified."""
    K = check_coupling_matrix(K, MAX_ENUMERATED_N)
    return certify(lambda: ising_log_z(mpmath.mp, K), dps)


def ising_log_z(ctx, K):
    """The enumerated ``ln Z_Ising = ln sum_s exp(s^T K s / 2)`` of a validated ``K``.

    >>> K = check_coupling_matrix(chain_coupling_matrix(3, 0.5), 3)
    >>> abs(ising_log_z(mpmath.fp, K) - float(ising_log_partition(K, dps=20).value)) < 1e-13
    True
    """
    spins = configurations(len(K)).astype(np.int64)
    couplings = np.array([[to_mpf(v, ctx) for v in row] for row in K], dtype=object)
    energies = ((spins @ couplings) * spins).sum(axis=1) / 2
    return ctx.log(ctx.fsum(ctx.exp(e) for e in energies))


def log_partition_relation(log_dual, N, alpha, log_det):
    """``ln Z_Ising`` from ``ln Z_dual`` (MATH.md section 4), at the working precision."""
    return (log_dual + N * mpmath.log(2) - mpmath.mpf(N) / 2 * mpmath.log(2 * mpmath.pi)
            - log_det / 2 - to_mpf(alpha) * N / 2)


# --------------------------------------------------------------------------- quadrature

@lru_cache(maxsize=32)  # (nodes, bits) pairs: a check uses a handful
def _hermite_rule(n, prec):
    """Gauss-Hermite nodes and weights for the weight ``e^{-y^2/2}`` at ``prec`` bits.

    Float64 nodes are polished by Newton's method on ``He_n`` (``He_n' = n He_(n-1)``); the
    rule is made exactly symmetric so that odd functions integrate to zero.
    """
    def hermite(y, degree):  # (He_degree(y), He_(degree-1)(y))
        previous, current = mpmath.mpf(1), y
        for k in range(1, degree):
            previous, current = current, y * current - k * previous
        return current, previous

    nodes, weights = [], []
    guesses = np.polynomial.hermite_e.hermegauss(n)[0]
    for guess in guesses[guesses >= 0] if n % 2 else guesses[guesses > 0]:
        y = mpmath.mpf(0) if abs(guess) < 1e-8 else mpmath.mpf(guess)
        for _ in range(30):
            value, lower = hermite(y, n)
            step = value / (n * lower)
            y -= step
            if abs(step) < mpmath.mpf(2) ** (-prec // 2) * max(1, abs(y)):
                value, lower = hermite(y, n)  # quadratic convergence: one more step is exact
                y -= value / (n * lower)
                break
        else:
            raise ArithmeticError(f"Newton's method did not converge for node {guess} of {n}")
        lower = hermite(y, n)[1]
        weight = mpmath.factorial(n) * mpmath.sqrt(2 * mpmath.pi) / (n * lower) ** 2
        nodes += [y, -y] if y else [y]
        weights += [weight, weight] if y else [weight]
    return tuple(nodes), tuple(weights)


def _node_count(A, digits):
    """Nodes per axis for ``digits`` correct digits.

    The integrand is ``2^-N sum_s exp((L^T s).y)``, each exponent at most
    ``a = sqrt(N lambda_max)``; the n-point rule integrates ``e^{a y}`` to relative error
    ``<= n! a^(2n) / (2n)!`` (checked against the exact ``sqrt(2pi) e^(a^2/2)``).
    """
    N = A.rows
    a_squared = N * max(sum(abs(A[i, j]) for j in range(N)) for i in range(N))  # Gershgorin
    target = -(digits + 5) * mpmath.log(10) - mpmath.log(N)
    for n in range(4, MAX_NODES + 1):
        if mpmath.loggamma(n + 1) + n * mpmath.log(a_squared) - mpmath.loggamma(2 * n + 1) < target:
            return n
    raise InputError("alpha", f"K + alpha I is too wide for a {MAX_NODES}-node quadrature at "
                              f"{digits} digits")


def _log_dual_integral(K, alpha):
    """``ln int exp(-x^T A^-1 x / 2) prod cosh x_i dx`` at the working precision.

    With ``x = L y``: ``det L * int e^{-|y|^2/2} prod_i cosh((L y)_i) dy`` by the tensor
    Gauss-Hermite rule. Only row N of the triangular ``L`` involves ``y_N``, and on symmetric
    nodes ``sum_c w_c cosh(p + L_NN y_c) = cosh(p) sum_c w_c cosh(L_NN y_c)`` exactly, so the
    last axis is summed once: the same rule at ``n^(N-1)`` points instead of ``n^N``.
    """
    A = _shifted_matrix(K, alpha)
    L = mpmath.cholesky(A)
    N = A.rows
    nodes, weights = _hermite_rule(_node_count(A, mpmath.mp.dps), mpmath.mp.prec)
    last = mpmath.fsum(w * mpmath.cosh(L[N - 1, N - 1] * y) for y, w in zip(nodes, weights))
    total = []
    for index in product(range(len(nodes)), repeat=N - 1):
        y = [nodes[k] for k in index]
        rows = [mpmath.fsum(L[i, j] * y[j] for j in range(min(i + 1, N - 1))) for i in range(N)]
        total.append(mpmath.fprod([weights[k] for k in index])
                     * mpmath.fprod(mpmath.cosh(u) for u in rows))
    return mpmath.log(mpmath.fprod(L[i, i] for i in range(N)) * mpmath.fsum(total) * last)


def dual_integral(K, alpha, dps=50):
    """``ln Z_dual = ln int pi(x) dx`` by quadrature (N <= 3), Certified."""
    K = check_coupling_matrix(K, MAX_QUADRATURE_N)
    alpha = check_shift(K, alpha)
    return certify(lambda: _log_dual_integral(K, alpha), dps)


def log_det(ctx, K, alpha):
    """``ln det(K + alpha I)`` in the context ``ctx``."""
    return ctx.log(ctx.det(_shifted_matrix(K, alpha, ctx)))


def dual_log_partition(K, alpha, dps=50):
    """``ln Z`` of the Ising side computed through the dual: quadrature plus the relation.

    ``K`` is a symmetric N x N matrix (N <= 3), ``alpha`` a shift with ``K + alpha I``
    positive definite. Returns a :class:`~rgproof.core.precision.Certified`.
    """
    K = check_coupling_matrix(K, MAX_QUADRATURE_N)
    alpha = check_shift(K, alpha)
    return certify(lambda: log_partition_relation(_log_dual_integral(K, alpha), len(K), alpha,
                                                  log_det(mpmath.mp, K, alpha)), dps)


# --------------------------------------------------------------------------- sampling

def _validated(K, alpha, limit):
    K = check_coupling_matrix(K, limit)
    return K, check_shift(K, alpha)


def _float_shifted(K, alpha):
    """``A = K + alpha I`` in float64 from validated ``K`` and ``alpha``."""
    return (np.array([[to_float(v) for v in row] for row in K])
            + to_float(alpha) * np.eye(len(K)))


def _log_pi(x, inverse):
    return (-np.einsum("si,ij,sj->s", x, inverse, x) / 2
            + (np.logaddexp(x, -x) - np.log(2)).sum(axis=1))


def dual_log_density(x, K, alpha):
    """``ln pi(x) = -x^T A^-1 x / 2 + sum_i ln cosh x_i`` for each row of ``x`` (float64).

    >>> dual_log_density([[0.0, 0.0]], [[0, 0.5], [0.5, 0]], 1).tolist()
    [0.0]
    """
    K, alpha = _validated(K, alpha, MAX_SAMPLED_N)
    x = np.atleast_2d(finite_array("x", x))
    if x.shape[1] != len(K):
        raise InputError("x", f"rows must have {len(K)} entries", x.shape)
    return _log_pi(x, np.linalg.inv(_float_shifted(K, alpha)))


def _gaussian_log_density(x, covariance):
    log_det = np.linalg.slogdet(2 * np.pi * covariance)[1]
    return -np.einsum("si,ij,sj->s", x, np.linalg.inv(covariance), x) / 2 - log_det / 2


@dataclass(frozen=True)
class SampledEstimate:
    """A stochastic estimate of ``ln Z`` with a confidence interval ``[low, high]``."""

    value: float
    low: float
    high: float
    samples: int
    effective_samples: float
    confidence: float


#: Pilot rounds and draws per round that adapt the proposal of :func:`sample_log_partition`.
PILOT_ROUNDS, PILOT_SAMPLES = 3, 4000


def sample_log_partition(K, alpha, samples=20000, seed=0, z=3.29):
    """``ln Z_Ising`` through the dual with ``Z_dual`` by importance sampling (N <= 16).

    The proposal is a centred Gaussian. ``pi`` is the mixture ``sum_s P(s) N(A s, A)`` with
    covariance ``A + A C A`` (``C`` the spin correlations), so seeded pilot rounds estimate that
    covariance with self-normalised weights (starting from ``A + A^2``), inflated by 1.2 for safe
    tails. The final ``samples`` draws are independent of the pilots; the interval is the CLT
    interval ``mean +- z se`` of the weights (``z = 3.29``: 99.9%) mapped through the logarithm
    and the relation; ``confidence`` is its nominal coverage ``erf(z / sqrt 2)``.

    >>> from rgproof import ising
    >>> est = sample_log_partition(chain_coupling_matrix(8, 0.5), 1.25, seed=1)
    >>> est.low < float(ising.log_partition(8, 0.5).value) < est.high
    True
    """
    K, alpha = _validated(K, alpha, MAX_SAMPLED_N)
    samples = check_positive_int("samples", samples, minimum=100)
    z = to_float(check_real("z", z))
    if z <= 0:
        raise InputError("z", "must be > 0", z)
    A = _float_shifted(K, alpha)
    N, inverse, rng = len(A), np.linalg.inv(A), np.random.default_rng(seed)

    def draw(covariance, count):
        x = rng.standard_normal((count, N)) @ np.linalg.cholesky(covariance).T
        return x, _log_pi(x, inverse) - _gaussian_log_density(x, covariance)

    covariance = A + A @ A
    for _ in range(PILOT_ROUNDS):
        x, log_w = draw(covariance, PILOT_SAMPLES)
        w = np.exp(log_w - log_w.max())
        covariance = 1.2 * (x.T * (w / w.sum())) @ x
        covariance = (covariance + covariance.T) / 2
    _, log_w = draw(covariance, samples)
    top = log_w.max()
    w = np.exp(log_w - top)
    mean, half_width = w.mean(), z * w.std(ddof=1) / np.sqrt(samples)
    log_det = np.linalg.slogdet(A)[1]

    def to_ising(weight_mean):
        return float(log_partition_relation(np.log(weight_mean) + top, N, alpha, log_det))

    return SampledEstimate(to_ising(mean),
                           to_ising(mean - half_width) if mean > half_width else float("-inf"),
                           to_ising(mean + half_width), samples,
                           float(w.sum() ** 2 / (w ** 2).sum()), float(mpmath.erf(z / mpmath.sqrt(2))))


def chain_coupling_matrix(N, J):
    """``K`` of the periodic chain: ``s^T K s / 2 = J sum_i s_i s_(i+1)`` (float64, N >= 3)."""
    N = check_positive_int("N", N, minimum=3)
    J = to_float(check_real("J", J))
    K = np.zeros((N, N))
    for i in range(N):
        K[i, (i + 1) % N] = K[(i + 1) % N, i] = J
    return K


def torus_coupling_matrix(L, J):
    """``K`` of the ``L x L`` torus (L >= 3, sites row by row):
    ``s^T K s / 2 = J sum_<ij> s_i s_j``."""
    L = check_positive_int("L", L, minimum=3)
    J = to_float(check_real("J", J))
    K = np.zeros((L * L, L * L))
    for r, c in product(range(L), repeat=2):
        for neighbour in (r * L + (c + 1) % L, ((r + 1) % L) * L + c):
            K[r * L + c, neighbour] = K[neighbour, r * L + c] = J
    return K


# --------------------------------------------------------------------------- conditional

def conditional(s, x):
    """``pi(s | x) = prod_i (1 + exp(-2 s_i x_i))^-1`` (float64), as on the slide.

    >>> conditional([1, -1], [0.0, 0.0])
    0.25
    """
    s, x = finite_array("s", s), finite_array("x", x)
    if s.shape != x.shape or not np.all(np.abs(s) == 1):
        raise InputError("s", "must be spins +-1 of the same shape as x", s)
    return float(np.prod(1 / (1 + np.exp(-2 * s * x))))


def conditional_proof(N):
    """Bayes' rule on the decoupled joint ``pi(s, x) ~ G(x) exp(s.x)``, exactly, for every s.

    ``G(x) = exp(-x^T A^-1 x / 2)`` does not depend on ``s`` and is kept as a positive symbol;
    with ``t_i = e^{x_i}`` every term is a rational function, so ``cancel`` decides equality.
    Returns ``{s: residual}``; the slide's formula holds when every residual is 0.
    """
    N = check_positive_int("N", N)
    gaussian = sympy.Symbol("G", positive=True)
    t = sympy.symbols(f"t1:{N + 1}", positive=True)
    spins = list(product((1, -1), repeat=N))
    joint = {s: gaussian * sympy.Mul(*[ti ** si for ti, si in zip(t, s)]) for s in spins}
    evidence = sum(joint.values())
    slide = {s: sympy.Mul(*[1 / (1 + ti ** (-2 * si)) for ti, si in zip(t, s)]) for s in spins}
    return {s: sympy.cancel(joint[s] / evidence - slide[s]) for s in spins}


# --------------------------------------------------------------------------- RealNVP

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


# --------------------------------------------------------------------------- variational bound

def _gaussian_parts(mean, covariance):
    mean = finite_array("mean", mean).reshape(-1)
    covariance = np.atleast_2d(finite_array("covariance", covariance))
    if covariance.shape != (len(mean), len(mean)) or np.any(covariance != covariance.T):
        raise InputError("covariance", "must be a symmetric matrix matching the mean",
                         covariance.shape)
    if np.linalg.eigvalsh(covariance).min() <= 0:
        raise InputError("covariance", "must be positive definite", covariance.tolist())
    return mean, covariance


def _gaussian_expectation(f, mu, sigma):
    """``E f(mu + sigma t)``, ``t ~ N(0, 1)``, by tanh-sinh quadrature on ``|t| <= T`` where the
    Gaussian tail beyond ``T`` is below the working precision (``f`` grows at most linearly)."""
    T = mpmath.sqrt(2 * (mpmath.mp.dps + 10) * mpmath.log(10))
    return mpmath.quad(lambda t: mpmath.exp(-t * t / 2) * f(mu + sigma * t), [-T, 0, T]) / \
        mpmath.sqrt(2 * mpmath.pi)


def _variational_free_energy(K, alpha, mean, covariance):
    """``L = E_q[ln q - ln pi]`` for ``q = N(mean, covariance)`` at the working precision:
    ``-(N/2) ln(2 pi e) - ln det(S)/2 + (tr(A^-1 S) + m^T A^-1 m)/2 - sum_i E ln cosh x_i``."""
    N = len(mean)
    m = mpmath.matrix([mpmath.mpf(v) for v in mean])
    S = mpmath.matrix([[mpmath.mpf(v) for v in row] for row in covariance])
    A_inv = _shifted_matrix(K, alpha) ** -1
    quadratic = sum(A_inv[i, j] * (S[i, j] + m[i] * m[j]) for i in range(N) for j in range(N))
    entropy = (mpmath.mpf(N) / 2 * mpmath.log(2 * mpmath.pi * mpmath.e)
               + mpmath.log(mpmath.det(S)) / 2)
    return (-entropy + quadratic / 2
            - mpmath.fsum(_gaussian_expectation(lambda x: mpmath.log(mpmath.cosh(x)), m[i],
                                                mpmath.sqrt(S[i, i])) for i in range(N)))


def variational_free_energy(K, alpha, mean, covariance, dps=50):
    """Li and Wang's loss ``L = int q (ln q - ln pi) dx`` for a Gaussian ``q`` (N <= 3).

    Returns a :class:`~rgproof.core.precision.Certified`.
    """
    K, alpha = _validated(K, alpha, MAX_QUADRATURE_N)
    mean, covariance = _gaussian_parts(mean, covariance)
    if len(mean) != len(K):
        raise InputError("mean", f"must have {len(K)} entries", len(mean))
    return certify(lambda: _variational_free_energy(K, alpha, mean, covariance), dps)


__all__ = ['MAX_QUADRATURE_N', 'MAX_ENUMERATED_N', 'MAX_SAMPLED_N', 'check_coupling_matrix', 'check_shift', 'ising_log_z', 'log_det', 'ising_log_partition', 'log_partition_relation', 'dual_integral', 'dual_log_partition', 'dual_log_density', 'SampledEstimate', 'sample_log_partition', 'chain_coupling_matrix', 'torus_coupling_matrix', 'conditional', 'conditional_proof', 'MLP', 'CouplingBlock', 'random_coupling_block', 'Flow', 'finite_difference_log_det', 'variational_free_energy']
