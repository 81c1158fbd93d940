"""Z[s] of radial Boltzmann factors: generating functions and the quartic Gamma series."""
import math

import mpmath

from ...core.validate import check_positive_int, to_mpf
from ...core.precision import cancellation_digits, workdps
from .radial import radial_integral, sphere_area
from .rules import _certified, check_dimension, check_source
from ...core.validate import check_theta

#: Largest ``|theta_1| / sqrt(theta_2)`` for which the R = 2 radial integrals are summed as a series.
SERIES_MAX_X = 30


def _invariant(source):
    """``w = s . s = sum_i s_i^2`` at the current precision (real when ``s`` is real)."""
    w = mpmath.fsum((to_mpf(re) + 1j * to_mpf(im)) ** 2 for re, im in source)
    return w.real if w.imag == 0 else w


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
        return total, cancellation_digits(largest, total)


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


__all__ = ['quarter_gamma', 'generating_function', 'gaussian_generating_function', 'quartic_partition_function', 'quartic_log_partition']
