"""Moments and cumulants of radial Boltzmann factors (exact recurrences, contour check)."""
import math
from collections import OrderedDict

import mpmath

from ...core.errors import InputError
from ...core.validate import check_positive_int, to_mpf
from ...core.precision import workdps
from ...core.series import log_series
from .radial import radial_integral
from .rules import _certified, check_dimension
from ...core.validate import check_real_exact, check_theta
from .transform import _z, radial_power_integral

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


#: Seeds of the moment recurrence by (theta, N): the digits they were computed to and the values,
#: least recently used first; at most :data:`SEED_CACHE_SIZE` families are kept.
_SEEDS = OrderedDict()
SEED_CACHE_SIZE = 32


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
        while len(_SEEDS) > SEED_CACHE_SIZE:
            _SEEDS.popitem(last=False)
    _SEEDS.move_to_end(key)
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


__all__ = ['squared_radius_moments', 'moments', 'cumulants', 'moments_by_contour']
