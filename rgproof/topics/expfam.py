"""Exact samples of the exponential family ``p(x) ~ exp(-sum_r theta_r (x^T A x + b^T x)^r)``.

The sampler goes to LGW coordinates with :func:`rgproof.topics.lgw.transform` (shift with re-mixed
coefficients, diagonalisation, dilation), where ``H = sum_k theta'_k |z|^(2k) + theta'_0`` is
radial. Then ``z = rho * e`` with ``e`` uniform on the sphere and ``rho = |z|`` drawn from its
one-dimensional density ``rho^(N-1) exp(-sum_k theta'_k rho^(2k))`` by inverting its CDF: the
CDF is a Gauss-Legendre quadrature on cells covering the support (planned by
:func:`rgproof.topics.laplace.radial_plan`, down to a tail mass below double rounding), and each
uniform is inverted by safeguarded Newton steps on the quadrature of the cell. Nothing is
rejected or tabulated-and-interpolated; the error is that of the quadrature (about 1e-15).

>>> law = RadialLaw((0.5,), 2)           # |z|^2 ~ Exp(1/2) in R^2: CDF 1 - exp(-rho^2 / 2)
>>> rho = law.quantile(np.array([0.5]))
>>> round(float(rho[0] ** 2), 12), round(2 * math.log(2), 12)
(1.38629436112, 1.38629436112)
>>> family = ExpFamily((1.0, 0.5), A=[[2.0, 0.0], [0.0, 1.0]])
>>> family.sample(3, np.random.default_rng(0)).shape
(3, 2)
"""
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, check_theta
from ..core.series import power_sum
from . import laplace, lgw

#: Equal cells the support of the radial density is split into, and nodes per cell: the
#: integrand is entire and a cell is a small fraction of its width, so 20 nodes are exact
#: to rounding.
CELLS, NODES = 256, 20
#: Newton steps per inversion at most (each at least halves the bracket; about four reach
#: rounding), and the CDF residual, relative to the total mass, at which they stop.
NEWTON_STEPS, ROUNDING = 60, 8 * np.finfo(np.float64).eps
#: Digits of tail mass the planned support leaves out (beyond double precision).
SUPPORT_DIGITS = 18

_GL_X, _GL_W = np.polynomial.legendre.leggauss(NODES)


def shown_value(values):
    """``values`` for an error message: a long array or list by its shape, not its entries.

    >>> shown_value(np.zeros((100, 2))), shown_value(np.array([1.5, np.nan]))
    ('float64 array of shape (100, 2)', [1.5, nan])
    """
    if isinstance(values, np.ndarray):
        return (values.tolist() if values.size <= 8
                else f"{values.dtype} array of shape {values.shape}")
    if isinstance(values, (list, tuple)) and len(values) > 8:
        return f"{type(values).__name__} of {len(values)} entries"
    return values


def check_array(name, values, rule="must be real numbers"):
    """``values`` as a float array, or an :class:`InputError` for text, ragged lists or complex
    numbers (which numpy would turn into a ValueError or a silent cast).

    >>> check_array("rho", [1, "2"])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: rho: must be real numbers (got [1, '2'])
    """
    try:
        array = np.asarray(values)
    except ValueError:  # a ragged nesting of lists
        raise InputError(name, rule, shown_value(values)) from None
    if array.dtype.kind not in "iuf":
        raise InputError(name, rule, shown_value(values))
    return array.astype(np.float64, copy=False)


def check_points(name, x, N):
    """``x`` as a float array of points of R^N (its last axis has N entries)."""
    x = check_array(name, x, f"must be real points of R^{N}")
    if x.ndim == 0 or x.shape[-1] != N:
        raise InputError(name, f"must be points of R^{N} (an array whose last axis has {N} "
                               "entries)", shown_value(x))
    return x


def check_rng(rng, name="rng"):
    """``rng`` if it is a numpy Generator (``numpy.random.default_rng(seed)``)."""
    if not isinstance(rng, np.random.Generator):
        raise InputError(name, "must be a numpy random Generator (numpy.random.default_rng)",
                         rng)
    return rng


def check_b(b, N):
    """``b`` as a tuple of N finite floats.

    >>> check_b([1, float("nan")], 2)
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: b_2: must be a finite real number (got nan)
    """
    N = check_positive_int("N", N)
    if isinstance(b, (str, bytes)) or not hasattr(b, "__len__") or len(b) != N:
        raise InputError("b", f"must be a sequence of N = {N} real numbers", b)
    return tuple(float(check_real(f"b_{i}", v)) for i, v in enumerate(b, start=1))


def check_spd(A, N=None):
    """``A`` as a float (N x N) array, symmetric positive definite (else exp(-H) is not
    integrable, or not a function of x^T A x).

    >>> check_spd([[1, 2], [2, 1]])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: A: must be symmetric positive definite (exp(-H) is integrable only then); its smallest eigenvalue is -1 (got [[1.0, 2.0], [2.0, 1.0]])
    """
    N = None if N is None else check_positive_int("N", N)
    try:
        A = np.array(A, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("A", "must be a square matrix of real numbers", A) from None
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1 or (N is not None
                                                                      and A.shape[0] != N):
        need = f"{N} x {N}" if N is not None else "square N x N"
        raise InputError("A", f"must be a {need} matrix", A.tolist() if A.ndim else A)
    if not np.all(np.isfinite(A)):
        raise InputError("A", "must have finite entries", A.tolist())
    if not np.array_equal(A, A.T):
        raise InputError("A", "must be symmetric positive definite; it is not symmetric",
                         A.tolist())
    eigenvalues = np.linalg.eigvalsh(A)
    lowest = float(eigenvalues[0])
    # relative to A's own scale: 1e-300 I is as positive definite as I
    if lowest <= 1e-12 * float(np.abs(eigenvalues).max()):
        raise InputError("A", "must be symmetric positive definite (exp(-H) is integrable only "
                              f"then); its smallest eigenvalue is {lowest:.6g}", A.tolist())
    return A


def log_sphere_area(dim):
    """``ln`` of the area ``2 pi^(dim/2) / Gamma(dim/2)`` of the unit sphere in R^dim.

    >>> round(log_sphere_area(2), 12) == round(math.log(2 * math.pi), 12)
    True
    """
    dim = check_positive_int("dim", dim)
    return math.log(2) + dim / 2 * math.log(math.pi) - math.lgamma(dim / 2)


def _gauss_legendre(a, b):
    """Nodes and weights of the NODES-point rule on [a, b] (arrays broadcast: ``(..., NODES)``)."""
    a, b = np.asarray(a, dtype=np.float64)[..., None], np.asarray(b, dtype=np.float64)[..., None]
    half = (b - a) / 2
    return a + half * (_GL_X + 1), half * _GL_W


def cell_quadrature(lo, hi, cells=CELLS):
    """Nodes and weights (flat arrays) of the NODES-point rule on ``cells`` equal cells of
    ``[lo, hi]``.

    >>> nodes, weights = cell_quadrature(0.0, 2.0, 4)
    >>> round(float(weights @ nodes ** 3), 12)   # int_0^2 x^3 dx
    4.0
    """
    lo, hi = float(check_real("lo", lo)), float(check_real("hi", hi))
    if not lo < hi:
        raise InputError("hi", f"must exceed lo = {lo}", hi)
    edges = np.linspace(lo, hi, check_positive_int("cells", cells) + 1)
    nodes, weights = _gauss_legendre(edges[:-1], edges[1:])
    return nodes.ravel(), weights.ravel()


def radial_support(theta, dim):
    """``(rho_lo, rho_hi)`` holding every part of the radial envelope
    ``g(rho) = (dim-1) ln rho - H(rho^2)`` within ``SUPPORT_DIGITS`` digits (and 10 nats) of its
    global maximum, for any ``theta`` with ``theta_R > 0``; None when that maximum overflows.

    The walk outwards of :func:`rgproof.topics.laplace.radial_plan` (the support of a
    :class:`RadialLaw`) stops after the first mode; the polynomials of the fit's Newton trial
    steps (:mod:`rgproof.topics.expfam_fit`) can plunge far beyond the sample and give the law a
    second, dominant one. Every maximum of g is a critical point: a positive root u = rho^2 of
    ``dim - 1 - 2 u H'(u)`` (or rho = 0 for dim = 1). Outside the outermost ones above the
    threshold, g stays below it.

    >>> theta = (-50.0, 32.5, -16 / 3, 0.25)   # H' = (u - 1)(u - 5)(u - 10): H(1) = -22.6,
    >>> [round(float(rho ** 2), 2) for rho in radial_support(theta, 2)]   # H(5) = 52.1,
    [8.13, 11.33]
    >>> round(float(RadialLaw(theta, 2).edges[-1] ** 2), 2)   # H(10) = -83.3; the walk: u = 1
    3.43
    """
    theta = np.array(check_theta(theta, kind="float"))
    dim = check_positive_int("dim", dim)
    R = theta.size
    coefficients = theta.tolist()

    def envelope(rho):  # in Python floats: an overflow is an infinity, not a warning
        H = power_sum(coefficients, rho * rho)
        return (dim - 1) * math.log(rho) - H if dim > 1 else -H

    roots = np.roots(np.concatenate([-2 * np.arange(R, 0, -1) * theta[::-1], [dim - 1]]))
    real = (np.abs(roots.imag) <= 1e-6 * np.abs(roots)) & (roots.real > 0)
    critical = np.sqrt(roots.real[real]).tolist() + ([0.0] if dim == 1 else [])
    values = [envelope(rho) for rho in critical]
    threshold = max(values) - (SUPPORT_DIGITS * math.log(10) + 10)
    if not math.isfinite(threshold):
        return None
    above = [rho for rho, value in zip(critical, values) if value >= threshold]

    def crossing(inside, outside):  # bisection to within 0.1% of where g falls below it
        for _ in range(10):
            middle = (inside + outside) / 2
            inside, outside = (middle, outside) if envelope(middle) >= threshold else \
                (inside, middle)
        return outside

    top = max(above)
    far = top if top > 0 else coefficients[-1] ** (-1 / (2 * R))
    while envelope(far) >= threshold:
        far *= 2
    bottom = min(above)
    if bottom == 0:
        return 0.0, crossing(top, far)
    near = bottom / 2
    while envelope(near) >= threshold:
        near /= 2
    return crossing(bottom, near), crossing(top, far)


@dataclass(frozen=True)
class RadialLaw:
    """The law of ``rho = |z|`` for ``z`` with density ``~ exp(-sum_k theta_k |z|^(2k))`` in
    R^dim: density ``~ rho^(dim-1) exp(-H(rho^2))``. ``theta`` may have negative entries below
    the last one (a re-mixed LGW form).
    """

    theta: tuple
    dim: int
    edges: np.ndarray = field(init=False, repr=False)  # CELLS + 1 cell boundaries
    log_peak: float = field(init=False, repr=False)  # log of the envelope's maximum
    cumulative: np.ndarray = field(init=False, repr=False)  # unnormalised CDF at the edges

    def __post_init__(self):
        object.__setattr__(self, "theta", check_theta(self.theta, kind="float"))
        object.__setattr__(self, "dim", check_positive_int("dim", self.dim))
        plan = laplace.radial_plan(list(self.theta), self.dim - 1, SUPPORT_DIGITS)
        edges = np.linspace(plan.breakpoints[0], plan.breakpoints[-1], CELLS + 1)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "log_peak", plan.log_scale)
        nodes, weights = _gauss_legendre(edges[:-1], edges[1:])
        masses = (weights * self.scaled_density(nodes)).sum(axis=1)  # per cell
        object.__setattr__(self, "cumulative", np.concatenate([[0.0], np.cumsum(masses)]))

    def log_density(self, rho):
        """``(dim-1) log rho - H(rho^2)``, unnormalised (``-inf`` at rho = 0 for dim > 1)."""
        rho = check_array("rho", rho)
        H = power_sum(self.theta, rho * rho)  # Horner in u = rho^2
        with np.errstate(divide="ignore"):
            return (self.dim - 1) * np.log(rho) - H if self.dim > 1 else -H

    def quadrature(self, cells=CELLS):
        """Nodes and weights (flat arrays) of the rule on ``cells`` equal cells of the support."""
        return cell_quadrature(self.edges[0], self.edges[-1], cells)

    def scaled_density(self, rho):
        """The radial density divided by its envelope peak (so that it is O(1))."""
        return np.exp(self.log_density(rho) - self.log_peak)

    @property
    def total(self):
        return float(self.cumulative[-1])

    @cached_property
    def log_normaliser(self):
        """``ln int_{R^dim} exp(-sum_k theta_k |z|^(2k)) dz`` (the sphere area times the radial
        integral), in double precision."""
        return log_sphere_area(self.dim) + self.log_peak + math.log(self.total)

    def _partial(self, cell, rho):
        """The unnormalised CDF at ``rho`` inside ``cell`` (arrays of the same shape)."""
        nodes, weights = _gauss_legendre(self.edges[cell], rho)
        return self.cumulative[cell] + (weights * self.scaled_density(nodes)).sum(axis=-1)

    def cdf(self, rho):
        """``P(|z| <= rho)``."""
        rho = check_array("rho", rho)
        if np.isnan(rho).any():
            raise InputError("rho", "must be real numbers, not NaN", shown_value(rho))
        rho = np.clip(rho, self.edges[0], self.edges[-1])
        cell = np.clip(np.searchsorted(self.edges, rho, side="right") - 1, 0, CELLS - 1)
        return self._partial(cell, rho) / self.total

    def quantile(self, q):
        """The inverse CDF at probabilities ``q`` in [0, 1]: safeguarded Newton in each cell."""
        q = check_array("q", q)
        if not np.all((q >= 0) & (q <= 1)):
            raise InputError("q", "must be probabilities in [0, 1]", shown_value(q))
        target = q * self.total
        cell = np.clip(np.searchsorted(self.cumulative, target, side="right") - 1, 0, CELLS - 1)
        lo, hi = self.edges[cell], self.edges[cell + 1]
        mass = self.cumulative[cell + 1] - self.cumulative[cell]
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = lo + (hi - lo) * np.clip(np.nan_to_num((target - self.cumulative[cell]) / mass),
                                           0, 1)
            for _ in range(NEWTON_STEPS):
                excess = self._partial(cell, rho) - target
                if np.abs(excess).max() <= ROUNDING * self.total:
                    break
                lo = np.where(excess < 0, rho, lo)
                hi = np.where(excess > 0, rho, hi)
                step = rho - excess / self.scaled_density(rho)
                inside = np.isfinite(step) & (step >= lo) & (step <= hi)
                rho = np.where(inside, step, (lo + hi) / 2)
        return rho

    def sample(self, n, rng):
        """``n`` draws of ``z`` in R^dim: radius by inversion, direction uniform."""
        n = check_positive_int("n", n)
        rho = self.quantile(check_rng(rng).random(n))
        direction = rng.standard_normal((n, self.dim))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        return rho[:, None] * direction


@dataclass(frozen=True)
class ExpFamily:
    """``p(x) = exp(-sum_r theta_r (x^T A x + b^T x)^r) / Z`` on R^N (A symmetric positive
    definite; b default 0), with its LGW coordinates ``z = scales * (Q (x - shift))``
    in which ``H = sum_k theta'_k |z|^(2k) + theta'_0`` (``theta_lgw``, ``constant``).
    """

    theta: tuple
    A: object
    b: object = None
    lgw: object = field(init=False, repr=False)

    def __post_init__(self):
        theta = check_theta(self.theta, kind="float")
        A = check_spd(self.A)
        N = A.shape[0]
        b = np.zeros(N) if self.b is None else np.array(check_b(self.b, N))
        object.__setattr__(self, "theta", theta)
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "lgw", lgw.transform(A.tolist(), list(theta), b.tolist(),
                                                      dps=30))

    @property
    def N(self):
        return self.A.shape[0]

    @cached_property
    def shift(self):
        return np.array([float(v) for v in self.lgw.shift])

    @cached_property
    def Q(self):
        """Rows: the orthonormal eigenvectors of A (``y = Q x~``)."""
        return np.array([[float(v) for v in row] for row in self.lgw.Q])

    @cached_property
    def scales(self):
        return np.array([float(v) for v in self.lgw.scales])

    @cached_property
    def theta_lgw(self):
        """``(theta'_1, ..., theta'_R)``: the radial coefficients in LGW coordinates."""
        return tuple(float(v) for v in self.lgw.theta_new)

    @cached_property
    def radial(self):
        """The law of ``|z|`` (the input to the inverse-CDF step)."""
        return RadialLaw(self.theta_lgw, self.N)

    def z_of_x(self, x):
        return ((check_points("x", x, self.N) - self.shift) @ self.Q.T) * self.scales

    def x_of_z(self, z):
        return self.shift + (check_points("z", z, self.N) / self.scales) @ self.Q

    def sample(self, n, rng):
        """``n`` exact draws from p (rows of an (n x N) array)."""
        return self.x_of_z(self.radial.sample(n, rng))

    @cached_property
    def log_normaliser(self):
        """``ln Z = ln det(A)^(-1/2) - theta'_0 + ln int exp(-sum_k theta'_k |z|^(2k)) dz``."""
        return (float(np.log(float(self.lgw.jacobian))) - float(self.lgw.constant)
                + self.radial.log_normaliser)

    def hamiltonian(self, x):
        """``H(x) = sum_r theta_r (x^T A x + b^T x)^r`` for rows ``x``."""
        x = check_points("x", x, self.N)
        q = np.einsum("...i,ij,...j->...", x, self.A, x) + x @ self.b
        return sum(t * q ** r for r, t in enumerate(self.theta, start=1))

    def log_density(self, x):
        return -self.hamiltonian(x) - self.log_normaliser

    def z_moments(self, order, dps=30):
        """High-precision moments ``E[z_1^n]``, n = 0..order (:func:`rgproof.topics.laplace.correlations`)."""
        return laplace.moments(list(self.lgw.theta_new), self.N, order, dps=dps)

    def describe(self):
        return {"theta": list(self.theta), "A": self.A.tolist(), "b": self.b.tolist(),
                "theta_lgw": list(self.theta_lgw)}


__all__ = ['CELLS', 'NODES', 'SUPPORT_DIGITS', 'shown_value', 'check_array', 'check_points', 'check_rng', 'check_b', 'check_spd', 'log_sphere_area', 'cell_quadrature', 'radial_support', 'RadialLaw', 'ExpFamily']
