"""Radial integrals of Boltzmann factors by a planned trapezoid rule."""
import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import scipy.special

from ...core.errors import InputError
from ...core.validate import to_mpf
from ...core.precision import workdps
from ...core.series import power_sum

#: Most nodes one radial trapezoid rule may use (guards against runaway oscillation).
MAX_NODES = 20_000
#: Digits the radial quadrature carries beyond the working precision (mpmath.quad adds as many
#: bits), so that its error stays below the working precision's last digit.
QUADRATURE_GUARD = 10
#: Lines off the real axis on which the trapezoid error is bounded (see ``_trapezoid_step``),
#: their distances halving from the widest.
ERROR_LINES = 10
#: Samples of the integrand's size on a planning grid (at least; at most), and the most times
#: a grid is refined around a sharp peak.
GRID_POINTS, MAX_GRID_POINTS, MAX_ZOOMS = 800, 80_000, 8
#: ``t`` where the double-exponential substitution maps to ``r = e^log_radius``: ``W(1)``.
OMEGA = 0.5671432904097838
#: Largest ``|z|`` at which ``0F1(; b; z)`` is summed as a power series.
SERIES_LIMIT = 4096


# --------------------------------------------------------------------------- radial layer

def sphere_area(N):
    """``|S^{N-1}| = 2 pi^(N/2) / Gamma(N/2)`` at the current precision (2 for N = 1)."""
    half = mpmath.mpf(N) / 2
    return 2 * mpmath.pi ** half / mpmath.gamma(half)


@dataclass(frozen=True)
class RadialPlan:
    """Where a radial integrand lives: quadrature breakpoints and the log of its envelope peak."""

    breakpoints: tuple
    log_scale: float


def radial_plan(theta, power, digits):
    """Plan ``int_0^oo r^power e^{-H(r)} dr`` (floats).

    Works on the envelope ``log E(r) = power log r - H(r)``: its peak, the radii where it has
    dropped by ``digits`` decimal digits (plus margin) on either side, and pieces no wider than
    four envelope widths at the peak.

    >>> plan = radial_plan([1.0], 0, 20)
    >>> round(plan.breakpoints[-1], 1), len(plan.breakpoints)
    (7.6, 4)
    """
    drop = digits * math.log(10) + 10

    def log_envelope(r):
        return power * math.log(r) - math.fsum(t * r ** (2 * k) for k, t in enumerate(theta, 1))

    r = 1e-6 * theta[-1] ** (-1 / (2 * len(theta)))
    grid, peak, r_peak = [], -math.inf, r
    while True:
        value = log_envelope(r)
        grid.append((r, value))
        if value > peak:
            peak, r_peak = value, r
        elif value < peak - drop:
            break
        r *= 1.02
    r_hi = r
    r_lo = max([x for x, v in grid if x < r_peak and v < peak - drop - 20], default=0.0)
    h = 1e-3 * r_peak
    curvature = (log_envelope(r_peak + h) - 2 * peak + log_envelope(r_peak - h)) / h ** 2
    width = 4 / math.sqrt(-curvature) if curvature < 0 else (r_hi - r_lo) / 8
    pieces = max(2, math.ceil((r_hi - r_lo) / width))
    return RadialPlan(tuple(r_lo + (r_hi - r_lo) * i / pieces for i in range(pieces + 1)), peak)


def _log_angular_bound(N, x):
    """``log 0F1(; N/2; x^2 / 4)`` for an array of ``x >= 0`` (floats).

    Bounds the log size of the angular factor at a complex radius r with ``x = |Re(sqrt(s.s) r)|``
    (put ``s`` along one axis and bound ``|e^{s.x}|`` by ``e^{Re(s.x)}`` on the sphere). With
    ``nu = N/2 - 1`` it is ``log(Gamma(nu+1) (2/x)^nu I_nu(x))``: the growth ``e^x`` is damped by
    ``x^(-nu-1/2)``, which matters for large N.
    """
    if N == 1:  # log cosh x
        return x + np.log1p(np.exp(-2 * x)) - math.log(2)
    nu = N / 2 - 1
    scaled = scipy.special.ive(nu, x)  # I_nu(x) e^{-x}
    usable = (x > 0) & (scaled > 0)
    safe_x = np.where(x > 0, x, 1.0)
    log_scaled = np.where(usable, np.log(np.where(usable, scaled, 1.0)),
                          -0.5 * np.log(2 * math.pi * safe_x))  # where ive underflows at large x
    bessel = math.lgamma(nu + 1) + nu * (math.log(2) - np.log(safe_x)) + log_scaled + safe_x
    # where I_nu underflows at small x, 0F1 = 1 + x^2/(4(nu+1)) + ...
    return np.where(usable | (x > nu + 1), bessel, x * x / (4 * (nu + 1)))


@dataclass(frozen=True)
class TrapezoidRule:
    r"""A trapezoid rule for a radial integral: nodes ``t_j = first + j step``, ``j < count``.

    ``even``: the integrand is even in r (an even power of r), so the half-line integral is half
    the whole-line one, and the plain rule ``r = t`` on the lattice shifted by ``step / 2``
    converges geometrically. Otherwise ``r = exp(log_radius + t - e^{-t})``, a double-exponential
    substitution (Takahasi & Mori 1974) that makes the integrand vanish double-exponentially at
    r -> 0. ``log_peak`` is the log of the integrand's largest size, divided out so that the
    error is relative to it.
    """

    even: bool
    log_radius: float
    first: float
    step: float
    count: int
    log_peak: float


def _logsumexp(values):
    top = float(np.max(values))
    return top if not math.isfinite(top) else top + math.log(float(np.sum(np.exp(values - top))))


def _live_interval(log_size, lo, hi, drop):
    """``(a, b, spacing, top)``: where the float function ``log_size`` is within ``drop`` of its
    largest value ``top`` on ``[lo, hi]``, on a grid fine enough that the peak (within ``e^{1/2}``
    of the top) spans several points.

    Zooms in on the interval found until the peak is resolved: a sharp peak (large N, large real
    ``s``) is narrow compared with where it may lie.
    """
    for _ in range(MAX_ZOOMS):
        grid = np.linspace(lo, hi, GRID_POINTS)
        values = log_size(grid)
        top = float(values.max())
        live = np.nonzero(values >= top - drop)[0]
        lo, hi = grid[max(live[0] - 1, 0)], grid[min(live[-1] + 1, GRID_POINTS - 1)]
        if np.count_nonzero(values >= top - 0.5) >= 8:
            break
    return float(lo), float(hi), float(grid[1] - grid[0]), top


def _trapezoid_step(log_size, grid, lines, exponent, drop, symmetric):
    """The largest step whose trapezoid error is below ``e^-exponent`` times the integral of the
    integrand's size along the real axis (floats).

    The error is at most ``2 M(y) / (e^{2 pi y / h} - 1)`` with ``M(y)`` the integral of the size
    along ``Im t = +-y`` (Trefethen & Weideman, SIAM Review 2014, Thm 5.1), for every ``y`` in
    ``lines``; ``log_size`` bounds the log size at complex t, sampled on ``grid`` (``symmetric``:
    the same at ``t`` and ``conj t``). A line along which the size has not died out by ``drop`` at
    the ends of the grid is skipped: its ``M(y)`` would be underestimated.
    """
    mass = _logsumexp(log_size(grid + 0j))
    step = 0.0
    for y in lines:
        sides = [log_size(grid + 1j * y)] + ([] if symmetric else [log_size(grid - 1j * y)])
        if all(max(size[0], size[-1]) < size.max() - drop for size in sides):
            worst = max(_logsumexp(size) for size in sides)
            step = max(step, 2 * math.pi * float(y) / (exponent + math.log(2) + worst - mass))
    if not step > 0:
        raise InputError("s", "the radial integrand grows too fast off the real axis for a "
                              "trapezoid rule (|s| too large)", None)
    return step


def _line_grid(a, b, spacing):
    """Where the size is sampled along the lines: the live interval ``[a, b]`` widened by its
    length on either side (the peak moves off the real axis), about ``spacing`` apart."""
    points = int(min(MAX_GRID_POINTS, max(GRID_POINTS, 1.5 * (b - a) / spacing)))
    return np.linspace(a - (b - a), b + (b - a), points)


@lru_cache(maxsize=1024)
def trapezoid_rule(theta, power, digits, N=1, root=0j):
    """Plan ``int_0^oo r^power e^{-H(r)} 0F1(; N/2; w r^2/4) dr`` to ``digits`` (floats; ``theta``
    a tuple, ``root = sqrt(w)``): a :class:`TrapezoidRule`.

    The step comes from the integrand's size off the real axis (:func:`_trapezoid_step`), which
    accounts at once for the width of the peak, for the growth of ``e^{-H}`` (its top term turns
    to growth beyond ``|Im t| = pi / (4R)`` in the double-exponential variable) and for the
    oscillation of the angular factor when ``s`` is imaginary. The nodes stop where the size has
    dropped by ``digits`` decimal digits (plus margin).

    >>> rule = trapezoid_rule((1.0,), 0, 20)     # e^{-r^2}: even, nodes about pi / sqrt(46) apart
    >>> rule.even, round(rule.step, 2), rule.count
    (True, 0.46, 18)
    """
    exponent = digits * math.log(10)
    drop = exponent + 10
    symmetric = root.real * root.imag == 0  # w real: the integrand is real on the real axis

    def log_size(r, log_abs_r):  # a bound on log |r^power e^{-H(r)} 0F1| at complex r
        h = 0
        for t in reversed(theta):
            h = (h + t) * r * r
        value = power * log_abs_r - h.real + _log_angular_bound(N, np.abs((root * r).real))
        return np.where(np.isnan(value), -np.inf, value)

    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # log r over 13 decades either side of the scale theta_R^(-1/2R): where the mass can be
        log_r = -math.log(theta[-1]) / (2 * len(theta)) + np.linspace(-30, 30, 6001)
        radial = log_size(np.exp(log_r), log_r)
        live = np.nonzero(radial >= radial.max() - drop)[0]
        if power % 2 == 0:
            def log_size_even(t):
                return log_size(t, np.log(np.abs(t)))

            lo = math.exp(log_r[live[0] - 1]) if live[0] > 0 else 0.0
            hi = math.exp(log_r[min(live[-1] + 1, len(log_r) - 1)])
            a, b, spacing, top = _live_interval(log_size_even, lo, hi, drop)
            # A live interval near r = 0 joins its mirror image; an even count leaves out r = 0.
            grid = _line_grid(-b, b, spacing) if a < b - a else _line_grid(a, b, spacing)
            lines = b * 2.0 ** -np.arange(ERROR_LINES)
            step = _trapezoid_step(log_size_even, grid, lines, exponent, drop, symmetric)
            skipped = max(0, math.floor(a / step) - 1)  # negligible nodes near r = 0
            rule = TrapezoidRule(True, 0.0, (skipped + 0.5) * step, step,
                                 math.ceil(b / step) + 1 - skipped, top)
        else:
            # Centre the substitution, at t = W(1), on the peak of the integrand in log r: the
            # middle of where it is within e^-1 of its top.
            a, b, _, _ = _live_interval(lambda x: log_size(np.exp(x), x) + x, log_r[live[0]],
                                        log_r[live[-1]], 1.0)
            centre = (a + b) / 2

            def log_size_de(t):  # the integrand in t carries dr/dt = r (1 + e^-t)
                decay = np.exp(-t)
                log_radius = centre + t - decay
                return (log_size(np.exp(log_radius), log_radius.real) + log_radius.real
                        + np.log(np.abs(1 + decay)))

            peak, lo, hi = log_size_de(np.array([OMEGA]))[0], OMEGA - 1, OMEGA + 1
            while log_size_de(np.array([lo]))[0] > peak - drop:
                lo -= 1
            while log_size_de(np.array([hi]))[0] > peak - drop:
                hi += 1
            a, b, spacing, top = _live_interval(log_size_de, lo, hi, drop)
            lines = 0.95 * math.pi / (4 * len(theta)) * 2.0 ** -np.arange(ERROR_LINES)
            step = _trapezoid_step(log_size_de, _line_grid(a, b, spacing), lines, exponent, drop,
                                   symmetric)
            rule = TrapezoidRule(False, centre, a, step, math.ceil((b - a) / step) + 1, top)
    if rule.count > MAX_NODES:
        raise InputError("s", f"the radial integrand oscillates too fast (more than {MAX_NODES} "
                              "quadrature nodes); use a smaller |Im s|", rule.count)
    return rule


def _rule_nodes(rule, theta, power):
    """Radii and weights ``step * dr/dt * r^power e^{-H(r)} / e^{log_peak}`` of a
    :class:`TrapezoidRule` at the current precision (``theta`` are mpf).

    The weights' exponents are of size ``power |log r| + |log_peak|`` (thousands for large N), so
    they are formed with as many extra bits as that size has: their rounding error is amplified
    by it. ``e^{-t_j}`` comes by one multiplication per node, also with guard bits.
    """
    size = (power + 1) * (abs(rule.log_radius) + 1) + abs(rule.log_peak)
    with mpmath.workprec(mpmath.mp.prec + 20 + int(size).bit_length()):
        step, log_peak, first = (mpmath.mpf(x) for x in (rule.step, rule.log_peak, rule.first))
        if rule.even:
            radii = [first + j * step for j in range(rule.count)]
            return radii, [step * r ** power * mpmath.exp(-power_sum(theta, r * r) - log_peak)
                           for r in radii]
        decay, factor, radii, weights = mpmath.exp(-first), mpmath.exp(-step), [], []
        for j in range(rule.count):
            log_r = rule.log_radius + first + j * step - decay
            r = mpmath.exp(log_r)
            radii.append(r)
            exponent = (power + 1) * log_r - power_sum(theta, r * r) - log_peak
            weights.append(step * (1 + decay) * mpmath.exp(exponent))
            decay *= factor
    return radii, weights


def _angular_average(N, w):
    """``r -> 0F1(; N/2; w r^2 / 4)``, the average of ``e^{s.x}`` over the sphere ``|x| = r``.

    For N = 1 this is ``cosh(sqrt(w) r)``, several times cheaper than the general 0F1. mpmath
    switches to an asymptotic expansion at ``|z| >= 2^7``, which costs 5 to 10 times the power
    series up to ``|z| ~ 10^4`` (where the series' cancellation for ``Re z < 0`` catches up), so
    the series is forced below :data:`SERIES_LIMIT`.
    """
    if N == 1:
        if mpmath.im(w) == 0 and mpmath.re(w) < 0:
            frequency = mpmath.sqrt(-mpmath.re(w))
            return lambda r: mpmath.cos(frequency * r)
        root = mpmath.sqrt(w)
        return lambda r: mpmath.cosh(root * r)
    b, z = mpmath.mpf(N) / 2, w / 4

    def average(r):
        argument = z * r * r
        return mpmath.hyp0f1(b, argument, force_series=abs(argument) < SERIES_LIMIT)

    return average


def radial_integral(theta, power, w=0, N=1):
    """``int_0^oo r^power e^{-H(r)} 0F1(; N/2; w r^2/4) dr`` at the current precision.

    ``theta`` are validated values (see :func:`check_theta`); ``w = 0`` drops the 0F1 factor. A
    trapezoid rule (:func:`trapezoid_rule`) planned, like the arithmetic, for
    :data:`QUADRATURE_GUARD` digits more than the working precision, so that the last working
    digits are right. It needs no node tables: a new precision costs nothing extra.
    """
    w = mpmath.mpmathify(w)
    with workdps(mpmath.mp.dps + QUADRATURE_GUARD):
        theta_mp = tuple(to_mpf(t) for t in theta)
        rule = trapezoid_rule(tuple(float(t) for t in theta_mp), power, mpmath.mp.dps, N,
                              complex(mpmath.sqrt(w)))
        radii, weights = _rule_nodes(rule, theta_mp, power)
        if w == 0:
            total = mpmath.fsum(weights)
        else:
            angular = _angular_average(N, w)
            total = mpmath.fdot(weights, [angular(r) for r in radii])
        value = mpmath.exp(rule.log_peak) * total
    return +value


__all__ = ['sphere_area', 'RadialPlan', 'radial_plan', 'radial_integral', 'TrapezoidRule', 'trapezoid_rule']
