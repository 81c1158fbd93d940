"""The annealing lemma (Lemma 1 of Xia's slides, Lemma 2.1 of Gong & Xia 2026) on a landscape of
known barrier depth: the law of ``dW = -L'(W) dt + sqrt(eta_t) dB`` evolved deterministically.

The SDE's generator is ``(eta/2) d^2/dx^2 - L' d/dx``, so its law obeys the Fokker-Planck equation
``dp/dt = d/dx (L' p + (eta/2) dp/dx)``, whose stationary density at fixed ``eta`` is
``exp(-2 L / eta)``: the temperature is ``eta / 2``. Hajek's and Holley-Kusuoka-Stroock's
theorem, for the temperature ``T_t = k / log t``, says the law concentrates on the global
minima exactly when ``k >= d*``, the depth of the deepest non-global minimum (how far ``L``
must rise to leave it); with ``eta_t = c / log(t + 2)`` that is ``c >= 2 d*``.

The law is evolved on a grid by implicit (backward Euler) steps of a Scharfetter-Gummel
discretisation, whose discrete stationary state is exactly ``exp(-2 L / eta)`` on the grid (so
barrier crossings stay right at small ``eta``) and which conserves mass and positivity; the time
steps grow geometrically, so long horizons cost a few thousand tridiagonal solves, done without
subtraction (:func:`implicit_step`) so that steps far beyond the stiffest time scale stay exact.
"""
import math
from dataclasses import dataclass

import numpy as np

from ..core.errors import InputError
from ..core.validate import check_positive_int


@dataclass(frozen=True)
class TiltedDoubleWell:
    """``L(x) = (x^2 - 1)^2 + tilt x - L_min``: ``L >= 0``, one global minimum (``L = 0``) near
    ``x = -1`` and one local minimum near ``x = +1`` for ``0 < tilt < 8 / sqrt(27)`` (the tilt
    at which the local minimum merges with the barrier top).

    >>> well = TiltedDoubleWell(0.3)
    >>> round(well(well.global_min), 15), well.global_min < well.barrier < well.local_min
    (0.0, True)
    """

    tilt: float

    def __post_init__(self):
        if not (isinstance(self.tilt, (int, float)) and 0 < self.tilt < 8 / math.sqrt(27)):
            raise InputError("tilt", "must lie in (0, 8/sqrt(27)) for two minima", self.tilt)

    def _raw(self, x):
        return (x * x - 1) ** 2 + self.tilt * x

    @property
    def critical_points(self):
        """The roots of ``L' = 4x^3 - 4x + tilt``, ascending: global min, barrier, local min."""
        roots = np.roots([4.0, 0.0, -4.0, self.tilt])
        return tuple(sorted(float(r.real) for r in roots))

    @property
    def global_min(self):
        return self.critical_points[0]

    @property
    def barrier(self):
        return self.critical_points[1]

    @property
    def local_min(self):
        return self.critical_points[2]

    def __call__(self, x):
        return self._raw(x) - self._raw(self.global_min)

    def slope(self, x):
        return 4 * x ** 3 - 4 * x + self.tilt

    @property
    def height(self):
        """``h = L(local min)``: how far above the global minimum the trap lies."""
        return float(self(self.local_min))

    @property
    def depth(self):
        """``d* = L(barrier) - L(local min)``: the rise needed to leave the trap."""
        return float(self(self.barrier) - self(self.local_min))


def critical_constant(landscape):
    """``c* = 2 d*``: ``eta_t = c / log(t + 2)`` anneals iff ``c >= c*`` (temperature eta/2)."""
    return 2 * landscape.depth


def log_cooling(c, t):
    """``eta_t = c / log(t + 2)``."""
    return c / math.log(t + 2)


def _bernoulli(z):
    """``B(z) = z / (e^z - 1)``, ``B(0) = 1``: the Scharfetter-Gummel weight."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = z / np.expm1(z)
    return np.where(np.abs(z) < 1e-12, 1.0 - z / 2, np.where(np.isfinite(out), out, 0.0))


@dataclass(frozen=True)
class Grid:
    """``points`` nodes on ``[-half_width, half_width]`` with reflecting ends (the quartic makes
    the mass beyond them negligible once ``eta`` is small)."""

    points: int = 801
    half_width: float = 2.5

    @property
    def x(self):
        return np.linspace(-self.half_width, self.half_width, self.points)

    @property
    def spacing(self):
        return 2 * self.half_width / (self.points - 1)


def gibbs_law(landscape, grid, eta):
    """The grid's stationary masses at noise ``eta``: proportional to ``exp(-2 L / eta)``."""
    potential = 2 * landscape(grid.x) / eta
    weights = np.exp(-(potential - potential.min()))
    return weights / weights.sum()


def _rates(landscape, grid, eta):
    """The grid's jump rates at noise ``eta``: ``right[i]`` from node i to i+1 and ``left[i]``
    from i+1 to i, ``(eta / 2 h^2) B(+-dV)`` with ``dV = V_{i+1} - V_i``, ``V = 2 L / eta``; the
    last entries are 0 (reflecting end). Their ratio is ``exp(-dV)``: detailed balance with
    ``exp(-2 L / eta)`` holds exactly."""
    potential_step = np.diff(2 * landscape(grid.x) / eta)
    scale = eta / 2 / grid.spacing ** 2
    return (np.append(scale * _bernoulli(potential_step), 0.0),
            np.append(scale * _bernoulli(-potential_step), 0.0))


def _affine_prefix(mult, add):
    """``y_i = mult_i y_(i-1) + add_i`` (``y_(-1) = 0``) for all i at once, by doubling: every
    operation multiplies or adds non-negative numbers, so nothing cancels."""
    mult, add = mult.copy(), add.copy()
    shift = 1
    while shift < add.size:
        add[shift:] += mult[shift:] * add[:-shift]     # numpy buffers the overlapping operands
        mult[shift:] *= mult[:-shift]
        shift *= 2
    return add


def _mobius_prefix(a, c):
    """``psi_i = a_i (psi_(i-1) + 1) / (psi_(i-1) + c_i)``, ``psi_(-1) = 0``: prefix products of
    the positive matrices ``[[a, a], [1, c]]`` by doubling, each rescaled to its largest entry
    (the ratio is all that counts)."""
    m = np.stack((a, a, np.ones_like(a), c))          # entries 00, 01, 10, 11
    shift = 1
    while shift < a.size:
        x, y = m[:, shift:], m[:, :-shift].copy()      # x after y: x @ y
        x00, x01, x10, x11 = x.copy()
        x[0] = x00 * y[0] + x01 * y[2]
        x[1] = x00 * y[1] + x01 * y[3]
        x[2] = x10 * y[0] + x11 * y[2]
        x[3] = x10 * y[1] + x11 * y[3]
        x /= x.max(axis=0)
        shift *= 2
    return m[1] / m[3]   # the products applied to (0, 1)


def implicit_step(mass, right, left, dt):
    """``x`` with ``(I - dt Q) x = mass`` for the birth-death generator Q of the rates
    ``right``/``left``, without subtraction: eliminating from the left, the flux from i to i+1
    is ``phi_i - psi_i x_(i+1)`` with ``phi, psi >= 0``, so every node's value is a ratio of
    sums of non-negative terms. LAPACK's pivoted solve loses the identity once ``dt`` times the
    stiffest rate passes 1e16 (the matrix turns singular in float64); this does not.

    >>> x = implicit_step(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.array([1.0, 0.0]), 1e30)
    >>> [round(float(v), 12) for v in x]
    [0.5, 0.5]
    """
    out, back = dt * right, dt * left
    psi = _mobius_prefix(back, 1 + out)
    before = np.concatenate(([0.0], psi[:-1]))
    den = 1 + before + out
    phi = _affine_prefix(out / den, out * mass / den)
    start = (mass + np.concatenate(([0.0], phi[:-1]))) / den
    return _affine_prefix((back / den)[::-1], start[::-1])[::-1]


@dataclass(frozen=True)
class AnnealedLaw:
    """``P_t(L >= delta)`` of the evolved law and of the Gibbs law at ``eta_t``, at the
    ``times`` (the decades up to the horizon); ``trap_mass`` is the law's mass beyond the barrier
    at those times; ``mass_error`` the largest ``|sum - 1|`` plus negative mass met on the way
    (rounding of the implicit solves: it grows with ``dt`` times the stiffest rate)."""

    c: float
    delta: float
    times: tuple
    tail: tuple
    gibbs_tail: tuple
    trap_mass: tuple
    steps: int
    mass_error: float


def evolve(landscape, c, delta, horizon, grid=Grid(), ratio=0.02, first_step=0.01,
           initial=(-1.5, 1.5)):
    """The law of the annealing SDE with ``eta_t = c / log(t + 2)`` from the uniform law on
    ``initial`` to ``horizon``, by backward Euler steps ``dt = max(first_step, ratio t)`` that
    land on every decade ``10^k``; the tails are recorded at the decades from 10."""
    if not (c > 0 and delta > 0 and horizon >= 100 and 0 < ratio < 1):
        raise InputError("annealing", "needs c > 0, delta > 0, horizon >= 100, 0 < ratio < 1",
                         (c, delta, horizon, ratio))
    check_positive_int("grid points", grid.points, minimum=3)
    x, values = grid.x, landscape(grid.x)
    mass = ((x >= initial[0]) & (x <= initial[1])).astype(np.float64)
    mass /= mass.sum()
    above, trap = values >= delta, x > landscape.barrier
    decades = [10.0 ** k for k in range(1, int(math.floor(math.log10(horizon) + 1e-9)) + 1)]
    records = []
    t, steps, mass_error = 0.0, 0, 0.0
    for mark in decades:
        while t < mark:
            dt = min(max(first_step, ratio * t), mark - t)
            t = mark if mark - t - dt < 1e-9 * mark else t + dt
            mass = implicit_step(mass, *_rates(landscape, grid, log_cooling(c, t)), dt)
            steps += 1
        mass_error = max(mass_error, abs(mass.sum() - 1) - mass[mass < 0].sum())
        gibbs = gibbs_law(landscape, grid, log_cooling(c, t))
        records.append((t, float(mass[above].sum()), float(gibbs[above].sum()),
                        float(mass[trap].sum())))
    times, tail, gibbs_tail, trap_mass = zip(*records)
    return AnnealedLaw(c, delta, times, tail, gibbs_tail, trap_mass, steps, float(mass_error))


def tracking_fraction(law, decades=1):
    """``phi = D / D_Gibbs``: the fall of ``ln P_t(L >= delta)`` over the last ``decades`` of
    time, as a fraction of the Gibbs law's fall over the same times (which goes to 0 with eta).
    ``phi`` near 1: the law follows the Gibbs law down to the global minimum; near 0: the law
    keeps a fixed mass above ``delta`` (trapped)."""
    k = decades
    fall = math.log(law.tail[-1 - k]) - math.log(law.tail[-1])
    gibbs_fall = math.log(law.gibbs_tail[-1 - k]) - math.log(law.gibbs_tail[-1])
    return fall / gibbs_fall


__all__ = ["TiltedDoubleWell", "critical_constant", "log_cooling", "Grid", "gibbs_law",
           "AnnealedLaw", "evolve", "tracking_fraction"]
