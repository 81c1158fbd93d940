r"""Laplace transforms of Boltzmann factors: generating functions, correlations and zeros.

For the LGW Hamiltonian :math:`H(x) = \sum_r \theta_r |x|^{2r}` on :math:`\mathbb{R}^N` the
generating function (the two-sided multivariate Laplace transform of the Boltzmann factor)

.. math:: Z[s] = \int_{\mathbb{R}^N} e^{s\cdot x - H(x)}\,dx
          = |S^{N-1}| \int_0^\infty r^{N-1} e^{-H(r)}\,
            {}_0F_1\!\left(;\tfrac{N}{2};\tfrac{w r^2}{4}\right) dr,
   \qquad w = s\cdot s = \textstyle\sum_i s_i^2,

depends on ``s`` only through ``w = s . s`` (the holomorphic invariant: for complex ``s`` this is
not ``|s|^2``). The radial integral is a trapezoid rule (on the whole line when the integrand is
even in r, else after a double-exponential substitution) whose step is planned from a bound on
the integrand off the real axis, so any N is cheap and a new precision needs no node tables.
Every number is computed at two working precisions and carries the digits on which they agree;
when cancellation eats digits (``s`` imaginary) the working precision is raised until the
requested digits are certified.

>>> print(generating_function([1], 1, 0, dps=20))            # sqrt(pi)
1.7724538509055160273
>>> z = generating_function([1], 64, [1] * 64, dps=30)
>>> print(z)
72029041676366581329817.130582
>>> print(gaussian_generating_function(1, 64, [1] * 64, dps=30))   # pi^32 e^16
72029041676366581329817.130582

Moments and connected correlations (cumulants) of the one-dimensional marginal ``x_1`` (by
rotation invariance, of ``e . x`` for every unit vector ``e``) come from the power series of
``Z[t e]`` and of ``log Z[t e]``:

>>> [str(m) for m in moments([mpmath.mpf(1) / 2], 1, 6, dps=15)]  # standard normal
['1.0', '0.0', '1.0', '0.0', '3.0', '0.0', '15.0']

For ``R >= 2`` the transform has zeros on the imaginary axis ``s = i b e`` (``Z[i b e]`` is real
there), found by certified sign changes:

>>> scan = imaginary_zeros([1, 1], 1, count=1, dps=15)
>>> print(scan.zeros[0])
4.60087690687879
"""
import math
import numbers
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import mpmath
import numpy as np
import scipy.special
import sympy

from .claims import claim, fails, inconclusive
from .errors import InputError, check_positive_int, check_real, to_mpf
from .latex import Step
from .precision import (Certified, binary_parts, certify, check_dps, guard_digits, series_function,
                        workdps)

#: Digits the working precision carries beyond those requested.
WORKING_MARGIN = 3
#: Most digits added to the working precision to make up for cancellation.
MAX_EXTRA_DIGITS = 400
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
#: Largest dimension accepted by the direct (tensor-product) quadrature.
MAX_DIRECT_DIMENSION = 3
#: Digits to which each sample of ``Z[i b]`` is certified while scanning for sign changes.
SCAN_DIGITS = 5
#: Largest ``|theta_1| / sqrt(theta_2)`` for which the R = 2 radial integrals are summed as a series.
SERIES_MAX_X = 30

PAPER = "Gong & Xia 2026 (arXiv:2606.00157), proof of Theorem 3.1"


# --------------------------------------------------------------------------- input rules

def check_real_exact(name, value):
    """:func:`~rgproof.errors.check_real`, except that an mpf keeps every bit (as an exact Rational).

    ``check_real`` rounds an mpf to the global working precision, which would silently drop the
    digits of a high-precision parameter.

    >>> with workdps(40):
    ...     third = mpmath.mpf(1) / 3
    >>> with workdps(40):
    ...     print(to_mpf(check_real_exact("theta_1", third)))
    0.3333333333333333333333333333333333333333
    """
    if isinstance(value, mpmath.mpf) and mpmath.isfinite(value):
        mantissa, exponent = binary_parts(value)
        return sympy.Integer(mantissa) * sympy.Integer(2) ** exponent
    return check_real(name, value)


def check_theta(theta):
    """Validate ``(theta_1, ..., theta_R)``: finite reals with ``theta_R > 0`` (integrability).

    Exact inputs stay exact (see :func:`~rgproof.errors.check_real`).

    >>> check_theta([1, 0.5])
    (1, mpf('0.5'))
    >>> check_theta([1, -2])
    Traceback (most recent call last):
        ...
    rgproof.errors.InputError: theta_R: must be > 0 so that exp(-H) is integrable (R = 2) (got -2)
    """
    if isinstance(theta, (str, bytes)) or not hasattr(theta, "__iter__"):
        raise InputError("theta", "must be a sequence (theta_1, ..., theta_R) of real numbers",
                         theta)
    values = tuple(check_real_exact(f"theta_{r}", t) for r, t in enumerate(theta, start=1))
    if not values:
        raise InputError("theta", "must contain at least theta_1", theta)
    if not values[-1] > 0:
        raise InputError("theta_R", f"must be > 0 so that exp(-H) is integrable (R = {len(values)})",
                         values[-1])
    return values


def check_dimension(N):
    """The dimension N of the data space: an integer >= 1."""
    return check_positive_int("N", N)


def _check_complex(name, value):
    """A finite real or complex number, returned as ``(re, im)`` validated by ``check_real``."""
    if isinstance(value, sympy.Basic) and value.is_number:
        re, im = value.as_real_imag()
    elif isinstance(value, (mpmath.mpc, numbers.Complex)) and not isinstance(value, numbers.Real):
        re, im = value.real, value.imag
    else:
        return check_real_exact(name, value), 0
    return check_real_exact(name, re), check_real_exact(name, im)


def check_source(s, N):
    """The source vector ``s``: N real or complex numbers, or one number meaning ``(s, 0, ..., 0)``."""
    if isinstance(s, (str, bytes)):
        raise InputError("s", "must be a number or a sequence of N numbers", s)
    if hasattr(s, "__iter__"):
        components = list(s)
        if len(components) != N:
            raise InputError("s", f"must have N = {N} components", len(components))
    else:
        components = [s] + [0] * (N - 1)
    return tuple(_check_complex(f"s_{i}", c) for i, c in enumerate(components, start=1))


def _invariant(source):
    """``w = s . s = sum_i s_i^2`` at the current precision (real when ``s`` is real)."""
    w = mpmath.fsum((to_mpf(re) + 1j * to_mpf(im)) ** 2 for re, im in source)
    return w.real if w.imag == 0 else w


# --------------------------------------------------------------------------- precision

def _certified(compute, dps, extra=0, guard=None, margin=WORKING_MARGIN):
    """Certify ``compute()`` to ``dps`` digits, raising the working precision under cancellation.

    ``compute`` reads ``mpmath.mp.dps``. It is evaluated at ``dps + extra`` and ``dps + extra +
    guard`` digits (``extra`` at least ``margin``); when fewer than ``dps`` digits agree, ``extra``
    grows by the digits lost and the pair is recomputed (up to :data:`MAX_EXTRA_DIGITS`, and only
    while that gains digits). The values are rounded to ``dps`` digits and the reported digits
    never exceed ``dps``; a list comes back as a list. ``guard`` defaults to
    :func:`~rgproof.precision.guard_digits` of ``dps``.
    """
    dps = check_dps(dps)
    guard = guard_digits(dps) if guard is None else guard
    # Quadrature and rounding leave the last digit or two of a working precision uncertain.
    extra, reached_before = min(max(margin, int(extra)), MAX_EXTRA_DIGITS), -1
    while True:
        result = certify(compute, dps + extra, guard=guard)
        items = result if isinstance(result, list) else [result]
        reached = min(c.digits for c in items)
        # Stop when certified, out of budget, or when more precision bought nothing: a quantity
        # that vanishes exactly is rounding noise at every precision (0 digits; its size bounds it).
        if reached >= dps or extra >= MAX_EXTRA_DIGITS or reached <= reached_before:
            break
        lost = dps + extra - reached
        extra, reached_before = min(MAX_EXTRA_DIGITS, max(extra + 10, lost + 5)), reached
    with workdps(dps):
        out = [Certified(+c.value, min(c.digits, dps), dps) for c in items]
    return out if isinstance(result, list) else out[0]


# --------------------------------------------------------------------------- radial layer

def sphere_area(N):
    """``|S^{N-1}| = 2 pi^(N/2) / Gamma(N/2)`` at the current precision (2 for N = 1)."""
    half = mpmath.mpf(N) / 2
    return 2 * mpmath.pi ** half / mpmath.gamma(half)


def _hamiltonian(theta, u):
    """``H = sum_r theta_r u^r`` for ``u = |x|^2`` (Horner); ``theta`` are mpf."""
    acc = 0
    for t in reversed(theta):
        acc = (acc + t) * u
    return acc


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
            return radii, [step * r ** power * mpmath.exp(-_hamiltonian(theta, r * r) - log_peak)
                           for r in radii]
        decay, factor, radii, weights = mpmath.exp(-first), mpmath.exp(-step), [], []
        for j in range(rule.count):
            log_r = rule.log_radius + first + j * step - decay
            r = mpmath.exp(log_r)
            radii.append(r)
            exponent = (power + 1) * log_r - _hamiltonian(theta, r * r) - log_peak
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


def _z(theta, N, w):
    """``Z`` at ``s . s = w`` by the radial reduction, at the current precision."""
    return sphere_area(N) * radial_integral(theta, N - 1, w, N)


def generating_function(theta, N, s, dps=50):
    """``Z[s] = int exp(s.x - H(x)) dx`` for ``H = sum_r theta_r |x|^(2r)`` on R^N (Certified).

    ``s`` is N real or complex numbers, or one number ``t`` meaning ``(t, 0, ..., 0)``.
    """
    theta, N = check_theta(theta), check_dimension(N)
    source = check_source(s, N)
    return _certified(lambda: _z(theta, N, _invariant(source)), dps)


def gaussian_generating_function(theta_1, N, s, dps=50):
    """The R = 1 closed form ``(pi/theta_1)^(N/2) exp(s.s / (4 theta_1))`` (Certified)."""
    (theta_1,), N = check_theta([theta_1]), check_dimension(N)
    source = check_source(s, N)

    def value():
        t = to_mpf(theta_1)
        return (mpmath.pi / t) ** (mpmath.mpf(N) / 2) * mpmath.exp(_invariant(source) / (4 * t))

    return _certified(value, dps)


def quartic_partition_function(theta_1, theta_2, N, dps=50):
    """The R = 2 closed form of ``Z[0]`` through the parabolic cylinder function ``D_{-N/2}``.

    ``Z = pi^(N/2) (2 theta_2)^(-N/4) exp(theta_1^2 / (8 theta_2)) D_{-N/2}(theta_1 / sqrt(2 theta_2))``
    (Gradshteyn-Ryzhik 3.462.1 after ``u = r^2``), valid for every real ``theta_1``.

    >>> print(quartic_partition_function(0, 1, 1, dps=20))   # Gamma(1/4) / 2
    1.812804954110954156
    """
    theta_1, theta_2 = check_theta([theta_1, theta_2])
    N = check_dimension(N)
    return _certified(lambda: mpmath.exp(quartic_log_partition(theta_1, theta_2, N)), dps)


def quarter_gamma(quarters):
    r"""``Gamma(quarters / 4)`` for a positive integer ``quarters``, at the current precision.

    From :math:`\Gamma(1/4)^2 = (2\pi)^{3/2} / \mathrm{AGM}(1, \sqrt 2)`, :math:`\Gamma(1/2) =
    \sqrt\pi`, the reflection :math:`\Gamma(3/4) = \pi\sqrt 2 / \Gamma(1/4)` and
    :math:`\Gamma(z + 1) = z\Gamma(z)`: milliseconds at any precision, where ``mpmath.gamma`` of a
    non-half-integer builds Taylor tables that cost seconds at each new precision in the thousands.

    >>> with workdps(30):
    ...     print(quarter_gamma(1), quarter_gamma(7) - mpmath.gamma(mpmath.mpf(7) / 4))
    3.62560990822190831193068515587 0.0
    """
    quarters = check_positive_int("quarters", quarters)
    with workdps(mpmath.mp.dps + 10):
        residue, steps = (quarters - 1) % 4 + 1, (quarters - 1) // 4
        quarter = mpmath.sqrt((2 * mpmath.pi) ** 1.5 / mpmath.agm(1, mpmath.sqrt(2)))
        value = {1: quarter, 2: mpmath.sqrt(mpmath.pi), 3: mpmath.pi * mpmath.sqrt(2) / quarter,
                 4: mpmath.mpf(1)}[residue]
        for step in range(steps):
            value *= mpmath.mpf(residue) / 4 + step
    return +value


def quartic_radial_integral(theta_1, theta_2, power):
    r"""``int_0^oo r^power exp(-theta_1 r^2 - theta_2 r^4) dr`` at the current precision.

    Expanding :math:`e^{-\theta_1 r^2}` and integrating term by term,

    .. math:: \frac{\theta_2^{-\nu/2}}{4} \sum_{n \ge 0} \frac{x^n}{n!}\,
              \Gamma\!\left(\frac{\nu + n}{2}\right), \qquad \nu = \frac{p + 1}{2},\
              x = -\frac{\theta_1}{\sqrt{\theta_2}},

    an entire series whose terms follow two two-term recurrences from quarter-integer Gamma
    values (:func:`quarter_gamma`). For ``theta_1 > 0`` it alternates and its largest term
    exceeds the sum by about ``x^2 / 4`` nats, so the sum carries those digits as guard (the
    parabolic-cylinder closed form, Gradshteyn-Ryzhik 3.462.1, costs seconds at a thousand digits
    in ``mpmath.pcfd`` and the Gamma function; it is kept for ``|x| > SERIES_MAX_X``, where the
series would need about ``x^2`` terms).

    >>> with workdps(20):
    ...     print(quartic_radial_integral(0, 1, 0))   # Gamma(1/4) / 4
    0.90640247705547707798
    """
    t1, t2, dps = to_mpf(theta_1), to_mpf(theta_2), mpmath.mp.dps
    x = -t1 / mpmath.sqrt(t2)
    if abs(x) > SERIES_MAX_X:
        nu = (mpmath.mpf(power) + 1) / 2
        return (mpmath.gamma(nu) / 2 * (2 * t2) ** (-nu / 2) * mpmath.exp(t1 ** 2 / (8 * t2))
                * mpmath.pcfd(-nu, t1 / mpmath.sqrt(2 * t2)))
    guard = 10 + (math.ceil(float(x) ** 2 / 4 / math.log(10)) if t1 > 0 else 0)
    while True:  # the largest term is only estimated: redo with what the sum did cancel
        with workdps(dps + guard):  # x to the digits the sum cancels, not to the caller's
            x = -t1 / mpmath.sqrt(t2)
            square = t1 * t1 / t2  # exact for binary theta, where x itself is irrational
        total, cancelled = _gamma_series(x, power, dps + guard, square)
        if cancelled <= guard - 5:
            break
        guard = cancelled + 15
    with workdps(dps + guard):
        value = total * t2 ** (-(mpmath.mpf(power) + 1) / 4) / 4
    return +value


def _gamma_series(x, power, dps, square=None):
    """``sum_n x^n Gamma((power + 1 + 2 n)/4) / n!`` at ``dps`` digits, and the digits it cancels.

    ``square`` is ``x^2`` when known more exactly than the rounded ``x`` squared (a short
    mantissa makes each term's multiplication cheap)."""
    with workdps(dps):
        x = +x
        square = x * x if square is None else +square
        # stepping n by 2 raises Gamma's argument by 1; the integer factors keep one full-precision
        # multiplication per term
        terms = [quarter_gamma(power + 1), x * quarter_gamma(power + 3)]
        total, largest, n = terms[0] + terms[1], max(abs(terms[0]), abs(terms[1])), 0
        while True:
            terms = [t * square * (power + 1 + 2 * (n + i)) / (4 * (n + i + 1) * (n + i + 2))
                     for i, t in enumerate(terms)]
            total += terms[0] + terms[1]
            largest = max(largest, abs(terms[0]), abs(terms[1]))
            n += 2
            # past the largest term (n > x^2) the terms fall faster than geometrically; binary
            # exponents compare sizes without a full-precision multiplication per term
            if n > square and max(mpmath.mag(terms[0]), mpmath.mag(terms[1])) < (
                    mpmath.mag(total) - mpmath.mp.prec - 4):
                break
        cancelled = 0 if total == 0 else math.ceil(mpmath.log10(largest / abs(total)))
        return total, cancelled


def radial_power_integral(theta, power):
    """``int_0^oo r^power e^{-H} dr``: the closed form for R = 2, else the radial quadrature."""
    if len(theta) == 2:
        return quartic_radial_integral(*theta, power)
    return radial_integral(theta, power)


def quartic_log_partition(theta_1, theta_2, N):
    """``ln Z[0]`` for ``R = 2`` by the closed form of :func:`quartic_partition_function`, at the
    current precision (validated inputs; uncertified: for use inside a certified computation)."""
    t1, t2, half = to_mpf(theta_1), to_mpf(theta_2), mpmath.mpf(N) / 2
    return (half * mpmath.log(mpmath.pi) - half / 2 * mpmath.log(2 * t2) + t1 ** 2 / (8 * t2)
            + mpmath.log(mpmath.pcfd(-half, t1 / mpmath.sqrt(2 * t2))))


# --------------------------------------------------------------------------- correlations

def _check_order(order):
    return check_positive_int("order", order, minimum=0)


def _marginal_moments(theta, N, order):
    """``E[x_1^n]``, n = 0..order, at the current precision.

    From the 0F1 series, ``Z[t e] / Z[0] = sum_k (1/2)_k / (N/2)_k * t^(2k) / (2k)! * M_{N-1+2k} /
    M_{N-1}`` with radial moments ``M_j = int_0^oo r^j e^{-H} dr``; odd moments vanish.
    """
    norm = radial_integral(theta, N - 1)
    half, out = mpmath.mpf(N) / 2, []
    for n in range(order + 1):
        k = n // 2
        out.append(mpmath.mpf(0) if n % 2 else
                   mpmath.rf(mpmath.mpf(1) / 2, k) / mpmath.rf(half, k)
                   * radial_integral(theta, N - 1 + 2 * k) / norm)
    return out


def log_series(coefficients):
    """Coefficients of ``log A(t)`` from those of ``A(t)`` (``A(0) = 1``), without the constant.

    ``b_n = a_n - (1/n) sum_{k<n} k b_k a_{n-k}`` (from ``A' = A (log A)'``); with python-flint
    installed, by its series logarithm instead (:func:`~rgproof.precision.series_function`).

    >>> [mpmath.nstr(b, 5) for b in log_series([1, 2, 1, 0])]   # log (1 + t)^2
    ['0.0', '2.0', '-1.0', '0.66667']
    """
    fast = series_function("log", coefficients) if mpmath.mpmathify(coefficients[0]) == 1 else None
    if fast is not None:
        return [mpmath.mpf(0)] + fast[1:]
    a = [mpmath.mpmathify(x) for x in coefficients]
    b, kb = [mpmath.mpf(0)] * len(a), [mpmath.mpf(0)] * len(a)  # kb[k] = k b_k
    for n in range(1, len(a)):
        b[n] = a[n] - mpmath.fdot(kb[1:n], a[n - 1:0:-1]) / n
        kb[n] = n * b[n]
    return b


def exp_series(coefficients):
    """Coefficients of ``exp(B(t))`` from those of ``B(t)`` (the constant ``b_0`` is ignored).

    ``a_0 = 1``, ``a_n = (1/n) sum_{k=1..n} k b_k a_{n-k}`` (from ``A' = B' A``); the inverse of
    :func:`log_series`. With python-flint installed, by its series exponential instead.

    >>> [mpmath.nstr(a, 5) for a in exp_series([0, 1, 0, 0])]
    ['1.0', '1.0', '0.5', '0.16667']
    """
    fast = series_function("exp", [0] + list(coefficients)[1:])
    if fast is not None:
        return fast
    b = [mpmath.mpmathify(x) for x in coefficients]
    kb = [k * b[k] for k in range(len(b))]
    a = [mpmath.mpf(1)]
    for n in range(1, len(b)):
        a.append(mpmath.fdot(kb[1:n + 1], reversed(a)) / n)
    return a


#: Seeds of the moment recurrence by (theta, N): the digits they were computed to and the values.
_SEEDS = {}


def moment_seeds(theta, N):
    """``(norm, [m_0 = 1, m_1, ..., m_{R-1}])``: ``norm = int_0^oo r^(N-1) e^{-H} dr`` and the
    first moments of ``u = |x|^2`` at the current precision (validated ``theta``).

    Cached and served rounded from the most precise evaluation so far, which grows by half at
    least each time it is exceeded: a chain that raises its precision step by step then pays for
    the closed forms' Gamma tables a few times, not at every step.
    """
    key, dps = (tuple(theta), N), mpmath.mp.dps
    if key not in _SEEDS or _SEEDS[key][0] < dps:
        computed = max(dps, 3 * _SEEDS[key][0] // 2) if key in _SEEDS else dps
        with workdps(computed):
            norm = radial_power_integral(theta, N - 1)
            seeds = [mpmath.mpf(1)] + [radial_power_integral(theta, N - 1 + 2 * j) / norm
                                       for j in range(1, len(theta))]
        _SEEDS[key] = (computed, norm, seeds)
    _, norm, seeds = _SEEDS[key]
    return +norm, [+x for x in seeds]


def squared_radius_moments(theta, N, count):
    r"""``E[|x|^{2j}]``, j = 0..count, for the density ``exp(-H)`` on R^N (current precision).

    With ``u = |x|^2`` the density of u is proportional to ``u^{b-1} phi(u)``, ``b = N/2``,
    ``phi = exp(-sum_r theta_r u^r)``; integrating ``(u^{j+b-1} phi)'`` by parts gives
    :math:`\sum_r r\theta_r m_{j+r-1} = (j+b-1) m_{j-1}` (j >= 1), a recurrence for
    :math:`m_{j+R-1}` seeded by R - 1 radial integrals (:func:`radial_power_integral`). Its
    second solution (the moments of the
    continuation to u < 0) grows only like ``e^{c j^(1-1/R)}`` faster, so a few guard digits
    cover the instability; ``theta`` are validated values (:func:`check_theta`).

    >>> with workdps(20):
    ...     print([mpmath.nstr(m, 10) for m in squared_radius_moments(check_theta([1, 1]), 3, 3)])
    ['1.0', '0.5685589176', '0.4657205412', '0.4778383764']
    """
    th = [to_mpf(t) for t in theta]
    R, b = len(th), mpmath.mpf(N) / 2
    with workdps(mpmath.mp.dps + 5 + int(count ** (1 - 1 / R))):
        m = moment_seeds(theta, N)[1]
        for j in range(1, count - R + 2):
            lower = mpmath.fsum(r * th[r - 1] * m[j + r - 1] for r in range(1, R))
            m.append(((j + b - 1) * m[j - 1] - lower) / (R * th[-1]))
    return [+x for x in m[:count + 1]]


def moments(theta, N, order, dps=50):
    """Moments ``E[x_1^n]``, n = 0..order, of the marginal along a coordinate (list of Certified).

    H is radial, so these are the moments of ``e . x`` for every unit vector ``e``; they are the
    Taylor coefficients ``n! [t^n] Z[t e] / Z[0]``.
    """
    theta, N, order = check_theta(theta), check_dimension(N), _check_order(order)
    return _certified(lambda: _marginal_moments(theta, N, order), dps)


def cumulants(theta, N, order, dps=50):
    """Connected correlations of the marginal ``e . x``: ``[log Z[0], kappa_1, ..., kappa_order]``.

    ``log Z[t e] = sum_n kappa_n t^n / n!``: the log of the moment series (:func:`log_series`).
    A cumulant that vanishes exactly (Gaussian, n > 2) comes back as rounding noise with 0
    certified digits; its size bounds it.
    """
    theta, N, order = check_theta(theta), check_dimension(N), _check_order(order)

    def value():
        m = _marginal_moments(theta, N, order)
        b = log_series([x / mpmath.factorial(n) for n, x in enumerate(m)])
        return [mpmath.log(_z(theta, N, 0))] + [mpmath.factorial(n) * b[n]
                                                 for n in range(1, order + 1)]

    return _certified(value, dps)


def moments_by_contour(theta, N, order, dps=30, radius=None):
    """Moments ``E[x_1^n]`` from ``Z`` at complex ``s`` by the Cauchy integral (an independent check).

    ``Z[t e] = F(t^2)`` with F entire; the Taylor coefficients ``f_k`` of F come from the
    trapezoid rule on the circle ``|w| = radius`` (exponentially accurate; the point count grows
    with the working precision, so the two precisions expose aliasing). ``E[x_1^(2k)] =
    (2k)! f_k / f_0``. The default radius puts the largest term of the series near ``k = order/2``.
    """
    theta, N, order = check_theta(theta), check_dimension(N), _check_order(order)
    half_order = max(1, (order + 1) // 2)
    if radius is not None:
        radius = check_real_exact("radius", radius)
        if not radius > 0:
            raise InputError("radius", "must be > 0", radius)

    def value():
        rho = to_mpf(radius) if radius is not None else \
            2 * half_order / _marginal_moments(theta, N, 2)[2]
        count = 2 * math.ceil(1.5 * half_order + mpmath.mp.dps) + 8
        # F(conj w) = conj F(w): the upper half circle suffices.
        samples = [_z(theta, N, rho * mpmath.expjpi(2 * mpmath.mpf(j) / count))
                   for j in range(count // 2 + 1)]

        def coefficient(k):
            total = samples[0] + (-1) ** k * samples[-1] + 2 * mpmath.fsum(
                (samples[j] * mpmath.expjpi(-2 * mpmath.mpf(j * k) / count)).real
                for j in range(1, count // 2))
            return mpmath.re(total) / count / rho ** k

        f0 = coefficient(0)
        return [mpmath.mpf(0) if n % 2 else mpmath.factorial(n) * coefficient(n // 2) / f0
                for n in range(order + 1)]

    return _certified(value, dps)


# --------------------------------------------------------------------------- zeros

@dataclass(frozen=True)
class ImaginaryZeros:
    """Zeros ``b_k > 0`` of ``b -> Z[i b e]`` found in ``(0, scanned_to]``.

    Each zero lies in a bracket ``(a, c)`` where ``Z[i a e]`` and ``Z[i c e]`` were certified to
    have opposite signs (``bracket_values``), so its existence is proved by continuity; the zero
    itself is refined and certified (:class:`~rgproof.precision.Certified`). The scan finds zeros
    of odd multiplicity that are farther apart than the local step (``steps`` gives the largest
    and smallest used). Iterating over the result iterates over the zeros.
    """

    theta: tuple
    N: int
    zeros: tuple
    brackets: tuple
    bracket_values: tuple
    scanned_to: float
    steps: tuple

    def __len__(self):
        return len(self.zeros)

    def __iter__(self):
        return iter(self.zeros)

    def __getitem__(self, index):
        return self.zeros[index]

    def summary(self):
        """One line: the zeros found, or that there are none in the range scanned."""
        where = f"Z[i b e] for b in (0, {self.scanned_to:.4g}]"
        if not self.zeros:
            return f"no sign change of {where} (step <= {self.steps[0]:.3g})"
        listed = ", ".join(mpmath.nstr(z.value, min(z.digits, 15)) for z in self.zeros)
        return f"zeros of {where} at b = {listed}"


def _stationary_radius(theta, b):
    """The radius where ``sum_r 2r |theta_r| r^(2r-1) = b``: where the phase ``b r`` is stationary
    against the decay of ``e^{-H}``, i.e. which radii dominate ``Z[i b e]`` (floats)."""
    def slope(r):
        return sum(2 * k * abs(t) * r ** (2 * k - 1) for k, t in enumerate(theta, 1))

    lo, hi = 0.0, 1.0
    while slope(hi) < b:
        lo, hi = hi, 2 * hi
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if slope(mid) < b else (lo, mid)
    return hi


def _z_on_imaginary_axis(theta, N, b):
    """``Z[i b e]`` (real for radial H), at the current precision."""
    b = mpmath.mpf(b)
    return mpmath.re(_z(theta, N, -b * b))


def _cancellation_digits(scale, value):
    """Digits lost when a sum of terms of size ``scale`` cancels down to ``value``."""
    value = abs(mpmath.mpf(value))
    return 0 if value == 0 else max(0, math.ceil(float(mpmath.log10(scale / value))))


def imaginary_zeros(theta, N, count=3, dps=30, bmax=None):
    """The first ``count`` zeros of ``b -> Z[i b e]`` in ``(0, bmax]`` (an :class:`ImaginaryZeros`).

    ``Z[i b e]`` is real; it is sampled on a grid whose step is a quarter of the oscillation
    period ``pi / r`` for the dominant radius r (the larger of the radius holding the mass and
    :func:`_stationary_radius`), each sample certified to :data:`SCAN_DIGITS` digits so its sign
    is known. Each sign change is refined with a bracketing secant (Anderson-Bjorck) at two
    working precisions. ``bmax`` defaults to 10 / sigma with ``sigma^2 = E[x_1^2]``. For R = 1
    there are none: ``Z[i b e] = (pi/theta_1)^(N/2) exp(-b^2/(4 theta_1)) > 0``.
    """
    theta, N = check_theta(theta), check_dimension(N)
    count, dps = check_positive_int("count", count), check_dps(dps)
    with workdps(20):
        z0 = _z(theta, N, 0)
        sigma = float(mpmath.sqrt(_marginal_moments(theta, N, 2)[2]))
    if bmax is None:
        bmax = 10 / sigma
    else:
        bmax = check_real_exact("bmax", bmax)
        if not bmax > 0:
            raise InputError("bmax", "must be > 0", bmax)
        bmax = float(bmax)
    theta_f = [float(to_mpf(t)) for t in theta]
    # Where the radial density has fallen by e^-10 from its peak: the radii that carry the mass.
    mass_radius = radial_plan(theta_f, N - 1, 0).breakpoints[-1]

    b, value, extra = 0.0, z0, 0
    brackets, values, steps = [], [], []
    while len(brackets) < count and b < bmax:
        step = math.pi / (4 * max(mass_radius, _stationary_radius(theta_f, b)))
        steps.append(step)
        b_next = min(b + step, bmax)
        sample = _certified(lambda: _z_on_imaginary_axis(theta, N, b_next), SCAN_DIGITS, extra)
        if sample.digits == 0:
            raise ArithmeticError(f"Z[i b e] at b = {b_next} could not be certified even with "
                                  f"{MAX_EXTRA_DIGITS} extra digits")
        if mpmath.sign(sample.value) != mpmath.sign(value):
            brackets.append((b, b_next))
            values.append((value, sample.value))
        extra = _cancellation_digits(z0, sample.value) + 3
        b, value = b_next, sample.value

    zeros = tuple(_refine_zero(theta, N, bracket, vals, z0, dps)
                  for bracket, vals in zip(brackets, values))
    return ImaginaryZeros(theta, N, zeros, tuple(brackets),
                          tuple((str(u), str(v)) for u, v in values), b,
                          (max(steps, default=0.0), min(steps, default=0.0)))


def _refine_zero(theta, N, bracket, values, z0, dps):
    """The zero in a certified sign-change bracket, to ``dps`` digits (Certified)."""
    a, c = (mpmath.mpf(x) for x in bracket)
    extra = _cancellation_digits(z0, max(abs(v) for v in values)) + 5

    def root():
        b = mpmath.findroot(lambda x: _z_on_imaginary_axis(theta, N, x), (a, c),
                            solver="anderson", verify=False)
        if not a <= b <= c:
            raise ArithmeticError(f"root finder left the bracket ({a}, {c}): {b}")
        return b

    return _certified(root, dps, extra)


# --------------------------------------------------------------------------- direct quadrature

def radial_hamiltonian(theta, variables):
    """``sum_r theta_r (x_1^2 + ... + x_N^2)^r`` as a sympy expression (exact when theta is)."""
    theta = check_theta(theta)
    u = sum(v ** 2 for v in _check_variables(variables))
    return sum(sympy.sympify(t) * u ** r for r, t in enumerate(theta, start=1))


def _check_variables(variables):
    variables = tuple(variables) if hasattr(variables, "__iter__") else (variables,)
    if not (1 <= len(variables) <= MAX_DIRECT_DIMENSION) or \
            not all(isinstance(v, sympy.Symbol) for v in variables) or \
            len(set(variables)) != len(variables):
        raise InputError("variables", f"must be 1 to {MAX_DIRECT_DIMENSION} distinct sympy "
                                      "Symbols", variables)
    return variables


def _rational(c):
    """A real sympy number as an exact Rational (irrationals rounded at 40 digits)."""
    return c if c.is_Rational else sympy.Rational(str(sympy.N(c, 40)))


def _top_part_is_positive(top, variables):
    """Whether the top-degree homogeneous part is positive definite (exact for N <= 2 and for
    radial parts ``c |x|^d``)."""
    degree = sympy.Poly(top, *variables).total_degree()
    radial = sympy.Poly(sum(v ** 2 for v in variables) ** (degree // 2), *variables)
    ratio = sympy.cancel(top / radial.as_expr())
    if degree % 2 == 0 and ratio.is_number:
        return ratio > 0
    if len(variables) == 1:
        return degree % 2 == 0 and top.subs(variables[0], 1) > 0
    if len(variables) == 2:
        x, y = variables
        t = sympy.Dummy("t", real=True)
        along = sympy.Poly(top.subs({x: 1, y: t}), t)
        return (degree % 2 == 0 and top.subs({x: 0, y: 1}) > 0 and along.eval(0) > 0
                and along.count_roots() == 0)
    return None


def _check_hamiltonian(H, variables):
    """A polynomial H whose top-degree part is positive definite, so that exp(-H) is integrable."""
    H = sympy.sympify(H)
    if not H.free_symbols <= set(variables):
        raise InputError("H", f"may depend only on {variables}",
                         sorted(map(str, H.free_symbols - set(variables))))
    try:
        poly = sympy.Poly(H, *variables)
    except sympy.PolynomialError as exc:
        raise InputError("H", "must be a polynomial in the variables", H) from exc
    terms = {}
    for monomial, c in poly.terms():
        if not (c.is_number and c.is_real and c.is_finite):
            raise InputError("H", "must have finite real coefficients", c)
        terms[monomial] = _rational(c)
    degree = poly.total_degree()
    top = sum(c * sympy.prod(v ** e for v, e in zip(variables, m))
              for m, c in terms.items() if sum(m) == degree)
    verdict = _top_part_is_positive(top, variables) if degree > 0 else False
    if verdict is None:
        raise InputError("H", "for N = 3 the top-degree part must be c |x|^d with c > 0 "
                              "(positivity is decided exactly only for N <= 2)", top)
    if not verdict:
        raise InputError("H", "must have a positive definite top-degree part (so that exp(-H) "
                              "is integrable)", top)
    return H


def _gauss_legendre_nodes(n):
    """``n``-point Gauss-Legendre nodes and weights on [-1, 1] at the current precision."""
    return _gauss_legendre_cached(n, mpmath.mp.prec)


@lru_cache(maxsize=64)
def _gauss_legendre_cached(n, prec):
    with mpmath.workprec(prec + 20):
        nodes = []
        for j in range(1, n // 2 + 1):
            x = mpmath.mpf(math.cos(math.pi * (j - 0.25) / (n + 0.5)))
            while True:
                p, p_prev = mpmath.legendre(n, x), mpmath.legendre(n - 1, x)
                dp = n * (x * p - p_prev) / (x * x - 1)
                dx = p / dp
                x -= dx
                if abs(dx) < mpmath.ldexp(1, -prec - 10):
                    break
            w = 2 / ((1 - x * x) * dp * dp)
            nodes += [(x, w), (-x, w)]
        if n % 2:
            dp = n * mpmath.legendre(n - 1, 0)
            nodes.append((mpmath.mpf(0), 2 / dp ** 2))
    return tuple(nodes)


def _direct_plan(exponent, N, imaginary, digits):
    """Box half-width, log of the peak and pieces per axis for ``exp(exponent(x))`` (floats).

    ``exponent`` is a numpy function of the N coordinates; ``imaginary`` the ``Im s_i``.
    """
    drop = digits * math.log(10) + 10
    if N == 1:
        directions = np.array([[1.0], [-1.0]])
    else:
        angles = np.linspace(0, 2 * np.pi, 256, endpoint=False)
        if N == 2:
            directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        else:
            z = np.linspace(-1 + 1 / 64, 1 - 1 / 64, 64)
            ring = np.sqrt(1 - z ** 2)
            directions = np.array([[c * ri, s * ri, zi] for zi, ri in zip(z, ring)
                                   for c, s in zip(np.cos(angles[::8]), np.sin(angles[::8]))])
    radii = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 1500)])
    values = np.array([exponent(*(np.outer(radii, d).T)) for d in directions])
    peak = float(values.max())
    alive = values >= peak - drop
    half_width = 1.05 * float(radii[np.nonzero(alive.any(axis=0))[0].max()]) + 1e-3
    best = np.unravel_index(values.argmax(), values.shape)
    centre = radii[best[1]] * directions[best[0]]
    pieces = []
    for i in range(N):
        h = 1e-3 * half_width
        shifted = [centre + h * np.eye(N)[i] * k for k in (-1, 0, 1)]
        lower, centre_value, upper = (exponent(*point) for point in shifted)
        curvature = (lower - 2 * centre_value + upper) / h ** 2
        width = 2 / math.sqrt(-curvature) if curvature < 0 else half_width / 4
        if imaginary[i]:
            width = min(width, math.pi / abs(imaginary[i]))
        pieces.append(max(2, math.ceil(2 * half_width / width)))
    return half_width, peak, pieces


def direct_generating_function(H, variables, s, dps=15):
    """``Z[s] = int exp(s.x - H(x)) dx`` by tensor-product Gauss-Legendre quadrature (Certified).

    An independent cross-check of :func:`generating_function` that does not use radial symmetry:
    ``H`` is any sympy polynomial in 1..3 ``variables`` with a positive definite top-degree part
    (decided exactly for N <= 2; for N = 3 the top part must be ``c |x|^d``). The box, the pieces
    and the nodes per piece (about 0.6 per digit) follow the working precision, so the two
    precisions also expose truncation and quadrature error. The cost grows like ``dps^N``, so
    the second precision is only ``dps + max(3, dps // 3)`` digits.

    >>> x, y = sympy.symbols("x y", real=True)
    >>> print(direct_generating_function(2 * x**2 + y**2, (x, y), [0, 1], dps=10))
    2.852387308
    """
    variables = _check_variables(variables)
    H = _check_hamiltonian(H, variables)
    N = len(variables)
    source = check_source(s, N)
    minus_h = sympy.lambdify(variables, -H, "mpmath")
    exponent_np = sympy.lambdify(variables, -H, "numpy")
    s_real = [float(to_mpf(re)) for re, _ in source]
    s_imag = [float(to_mpf(im)) for _, im in source]

    def planning_exponent(*x):
        return sum(si * xi for si, xi in zip(s_real, x)) + exponent_np(*x)

    def value():
        half_width, peak, pieces = _direct_plan(planning_exponent, N, s_imag, mpmath.mp.dps)
        base = _gauss_legendre_nodes(math.ceil(0.8 * mpmath.mp.dps) + 4)
        # e^{s.x} factorises over the axes: fold e^{s_i x_i} into the weights of axis i.
        axes = []
        for (re, im), count in zip(source, pieces):
            s_i = to_mpf(re) + 1j * to_mpf(im) if im else to_mpf(re)
            h = mpmath.mpf(2 * half_width) / count
            nodes = [-mpmath.mpf(half_width) + h * (j + (x + 1) / 2) for j in range(count)
                     for x, _ in base]
            weights = [w * h / 2 for _ in range(count) for _, w in base]
            axes.append([(x, w * mpmath.exp(s_i * x)) for x, w in zip(nodes, weights)])
        log_scale = mpmath.mpf(peak)
        total = mpmath.fsum(
            mpmath.fprod(w for _, w in point)
            * mpmath.exp(minus_h(*(x for x, _ in point)) - log_scale) for point in product(*axes))
        return mpmath.exp(log_scale) * total

    # The node count already over-resolves, so no working margin: the cost grows like dps^N.
    return _certified(value, dps, guard=max(3, dps // 3), margin=0)


# --------------------------------------------------------------------------- claims

#: The quartic example of MATH.md section 3 item 10 and the Gaussian it is contrasted with.
QUARTIC, GAUSSIAN = (1, 1), (1,)


@lru_cache(maxsize=8)
def _zero_evidence(dps):
    """Scans used by the claims: two zeros for theta = (1, 1), none for theta = (1,) (N = 1)."""
    return imaginary_zeros(QUARTIC, 1, count=2, dps=dps), imaginary_zeros(GAUSSIAN, 1, count=1,
                                                                          dps=dps)


def _bracket_text(scan):
    (a, c), (za, zc) = scan.brackets[0], scan.bracket_values[0]
    return (f"Z[i b] changes sign between b = {a:.4g} (Z = {mpmath.nstr(mpmath.mpf(za), 4)}) "
            f"and b = {c:.4g} (Z = {mpmath.nstr(mpmath.mpf(zc), 4)}), both signs certified")


@claim("laplace.zero_free",
       statement="Z[s], the Laplace transform of the Boltzmann factor exp(-sum_r theta_r "
                 "(sum_i x_i^2)^r), is nonvanishing, so its logarithm can be defined by the "
                 "principal branch and is holomorphic.",
       source=f"{PAPER}, after eq. (81)", method="high-precision",
       latex=r"\mathcal{Z}[s] = \int e^{s\cdot x - \sum_r \theta_r |x|^{2r}} dx \neq 0 "
             r"\quad \forall s \in \mathbb{C}^N")
def _check_zero_free(ctx):
    quartic, gaussian = _zero_evidence(ctx.dps)
    gaussian_text = (f"R = 1, theta = {GAUSSIAN}: {gaussian.summary()} (closed form "
                     "sqrt(pi) exp(-b^2/4) > 0)")
    details = {"quartic_zeros": [str(z) for z in quartic],
               "quartic_brackets": [list(b) for b in quartic.brackets],
               "gaussian_scanned_to": gaussian.scanned_to, "gaussian_zeros": len(gaussian)}
    if not quartic.zeros:
        return inconclusive(f"no zero found for theta = {QUARTIC} ({quartic.summary()}); "
                            f"{gaussian_text}", **details)
    digits = min(z.digits for z in quartic)
    return fails(f"R = 2, theta = {QUARTIC}, N = 1: {quartic.summary()}; {_bracket_text(quartic)}"
                 f"; {gaussian_text}", digits=digits, **details)


#: Highest cumulant order used to estimate the radius of convergence of the log series.
RADIUS_ORDER = 24


def cumulant_radius(theta, N, order=RADIUS_ORDER, dps=30):
    """Radius of convergence of ``sum_n kappa_n t^n / n!`` estimated from its last two even terms.

    A pair of logarithmic singularities ``+-i b`` gives coefficients ``~ (-1)^(k+1) / (k b^(2k))``
    of ``t^(2k)``, so ``b ~ sqrt(|c_{2k-2} / c_{2k}| (k-1)/k)`` (Certified).
    """
    order = _check_order(order)
    if order < 4 or order % 2:
        raise InputError("order", "must be even and >= 4", order)
    theta, N = check_theta(theta), check_dimension(N)

    def value():
        m = _marginal_moments(theta, N, order)
        c = log_series([x / mpmath.factorial(n) for n, x in enumerate(m)])
        k = order // 2
        return mpmath.sqrt(abs(c[order - 2] / c[order]) * (k - 1) / k)

    return _certified(value, dps)


@claim("laplace.entire",
       statement="log Z[s] is also an entire function: the series of the connected correlation "
                 "functions converges on the whole space, so equal log-Laplace transforms give "
                 "equal Laplace transforms (up to a constant) everywhere.",
       source=f"{PAPER}, eqs. (82) and (87)", method="high-precision",
       latex=r"\ln \mathcal{Z}[s] = \sum_{\kappa} \frac{G_c^{(\kappa)}}{\kappa!} s^\kappa "
             r"\text{ converges for all } s \in \mathbb{C}^N")
def _check_entire(ctx):
    quartic, _ = _zero_evidence(ctx.dps)
    if not quartic.zeros:
        return inconclusive(f"no zero of Z found for theta = {QUARTIC} ({quartic.summary()})")
    first = quartic.zeros[0]
    radius = cumulant_radius(QUARTIC, 1, RADIUS_ORDER, dps=ctx.dps)
    agree = int(mpmath.floor(-mpmath.log10(abs(radius.value - first.value) / first.value)))
    return fails(f"theta = {QUARTIC}, N = 1: Z[i b] = 0 at b = {mpmath.nstr(first.value, 15)} "
                 f"({_bracket_text(quartic)}), a logarithmic branch point of log Z; the "
                 f"cumulant series has radius {mpmath.nstr(radius.value, 8)} (from orders "
                 f"{RADIUS_ORDER - 2} and {RADIUS_ORDER}; agrees with the zero to {agree} digits), "
                 "so log Z[s] is analytic only for |s| < b_1", digits=first.digits,
                 first_zero=str(first), radius_estimate=str(radius), radius_digits_vs_zero=agree,
                 consequence="equal cumulants still give Z ~ Z~ on |s| < b_1, hence everywhere "
                             "since Z is entire (identity theorem): the chain survives, the "
                             "stated reason does not")


# --------------------------------------------------------------------------- derivation

def derivation():
    """The radial reduction, the moment series and the zeros, as :class:`~rgproof.latex.Step`."""
    r, u, t, w, b = sympy.symbols("r u t w b", positive=True)
    x, s = sympy.symbols("x s", real=True)
    N = sympy.Symbol("N", positive=True, integer=True)
    k = sympy.Symbol("k", nonnegative=True, integer=True)
    theta1 = sympy.Symbol(r"\theta_1", positive=True)
    Z, H, M = sympy.Function(r"\mathcal{Z}"), sympy.Function("H"), sympy.Function("M")
    area = 2 * sympy.pi ** (N / 2) / sympy.gamma(N / 2)
    radial = area * sympy.Integral(r ** (N - 1) * sympy.exp(-H(r))
                                   * sympy.hyper([], [N / 2], w * r ** 2 / 4), (r, 0, sympy.oo))
    gaussian_1d = sympy.simplify(sympy.integrate(sympy.exp(s * x - theta1 * x ** 2),
                                                 (x, -sympy.oo, sympy.oo), conds="none"))
    ratio = sympy.Abs(sympy.Symbol("c_{2k-2}") / sympy.Symbol("c_{2k}"))
    moment = (sympy.rf(sympy.Rational(1, 2), k) / sympy.rf(N / 2, k)
              * M(N - 1 + 2 * k) / M(N - 1))
    return [
        Step("Radial reduction",
             r"For $H = \sum_r \theta_r |x|^{2r}$ the angular average of $e^{s\cdot x}$ is a "
             r"${}_0F_1$, so $\mathcal{Z}$ depends on $w = s\cdot s$ only (not on $|s|^2$ when $s$ "
             "is complex):",
             [sympy.Eq(Z(w), radial, evaluate=False)]),
        Step("Gaussian check",
             "For $R = 1$ the transform is a Gaussian in $s$, with no zeros; sympy's integral for "
             "$N = 1$:",
             [sympy.Eq(sympy.Integral(sympy.exp(s * x - theta1 * x ** 2), (x, -sympy.oo, sympy.oo)),
                       gaussian_1d, evaluate=False)]),
        Step("Moments and connected correlations",
             r"Expanding the ${}_0F_1$ in $w = t^2$ gives the marginal moments through the radial "
             r"moments $M_j = \int_0^\infty r^j e^{-H} dr$; the cumulants are the coefficients of "
             r"$\ln \mathcal{Z}[t e]$:",
             [sympy.Eq(sympy.Symbol(r"\langle x_1^{2k} \rangle"), moment, evaluate=False)]),
        Step("Zeros on the imaginary axis",
             r"On $s = i b e$, $\mathcal{Z}$ is real ($N = 1$ shown); certified sign changes "
             r"prove zeros for $\theta = (1, 1)$, while $\theta = (1)$ gives a positive Gaussian:",
             [sympy.Eq(sympy.Function(r"\mathcal{Z}_{(1)}")(-b ** 2),
                       gaussian_1d.subs(s, sympy.I * b).subs(theta1, 1), evaluate=False),
              sympy.Eq(sympy.Function(r"\mathcal{Z}_{(1,1)}")(-b ** 2),
                       2 * sympy.Integral(sympy.cos(b * x) * sympy.exp(-x ** 2 - x ** 4),
                                          (x, 0, sympy.oo)), evaluate=False)],
             claim="laplace.zero_free"),
        Step("The logarithm is not entire",
             r"A zero $b_1$ of $\mathcal{Z}$ is a branch point of $\ln\mathcal{Z}$: the cumulant "
             r"series converges only for $|t| < b_1$.",
             [sympy.Eq(sympy.Symbol("b_1"), sympy.Limit(sympy.sqrt(ratio * (k - 1) / k), k, sympy.oo),
                       evaluate=False)],
             claim="laplace.entire"),
    ]


__all__ = ["check_real_exact", "check_theta", "check_dimension", "check_source", "sphere_area", "quarter_gamma",
           "RadialPlan", "radial_plan", "radial_integral", "generating_function",
           "TrapezoidRule", "trapezoid_rule",
           "gaussian_generating_function", "quartic_partition_function", "quartic_log_partition",
           "log_series", "exp_series", "squared_radius_moments", "moments", "cumulants", "moments_by_contour", "ImaginaryZeros",
           "imaginary_zeros", "radial_hamiltonian", "direct_generating_function", "cumulant_radius",
           "derivation", "WORKING_MARGIN", "MAX_EXTRA_DIGITS", "SCAN_DIGITS"]
