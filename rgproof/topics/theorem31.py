r"""Theorem 3.1 of Gong & Xia (arXiv:2606.00157): what its chain of equations can fix.

The proof of Theorem 3.1 first obtains the limits of the output system's parameters from the
condition of equal partition functions, one equation :math:`\mathcal{Z}(\tilde\theta) =
\mathcal{Z}(\theta)` for the R parameters. For ``R >= 2`` that equation leaves a whole curve of
solutions. For ``R = 2``, ``Z(theta_1, theta_2)`` is strictly decreasing in ``theta_2``, so every
``theta_1`` for which a solution exists has exactly one ``theta_2`` on the level set:

>>> family = same_partition_family((1, 1), 1, [0, 1], dps=20)
>>> [str(m.theta_2) for m in family]
['3.0797677190513726898', '1.0']
"""
import math
from dataclasses import dataclass
from typing import Optional
from fractions import Fraction

import mpmath
import sympy

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_mpf
from ..core.precision import (Certified, agreed_digits, binary_parts, cancellation_digits,
                              certify, check_dps, digits_from_error, optional_flint, workdps)
from ..core.series import exp_series, log_series
from .laplace.correlations import moment_seeds, squared_radius_moments
from .laplace.radial import sphere_area
from ..core.validate import check_real_exact, check_theta
from .laplace.rules import check_dimension
from .laplace.transform import quartic_log_partition
from .postwidder import exact_terms, invert_terms


def solve_theta_2(theta_1, target_log_z, N):
    """The unique ``theta_2 > 0`` with ``ln Z(theta_1, theta_2) = target_log_z`` (current precision).

    Solved by the secant method in ``ln theta_2``, where ``ln Z`` is smooth and decreasing.
    A solution exists iff ``theta_1 <= 0`` or ``(pi / theta_1)^(N/2) > Z``, the ``theta_2 -> 0`` limit.
    """
    t1 = to_mpf(theta_1)
    if t1 > 0 and (mpmath.mpf(N) / 2) * mpmath.log(mpmath.pi / t1) <= target_log_z:
        raise InputError("theta_1", "admits no theta_2 > 0: Z(theta_1, theta_2) < "
                                    "(pi/theta_1)^(N/2) <= the target Z", theta_1)
    log_t2 = mpmath.findroot(
        lambda u: quartic_log_partition(theta_1, mpmath.exp(u), N) - target_log_z,
        (mpmath.mpf(0), mpmath.mpf("0.1")), solver="secant")
    return mpmath.exp(log_t2)


@dataclass(frozen=True)
class Member:
    """One point ``(theta_1, theta_2)`` of the level set ``Z(theta_1, theta_2) = Z(reference)``."""

    theta_1: object
    theta_2: object  # Certified

    @property
    def theta(self):
        return (self.theta_1, self.theta_2.value)


def same_partition_family(reference, N, theta_1_values, dps=50):
    """For each ``theta_1``, the ``theta_2`` with ``Z(theta_1, theta_2) = Z(reference)`` (R = 2).

    ``reference`` is ``(theta_1, theta_2)``; returns a tuple of :class:`Member`, each ``theta_2``
    certified to ``dps`` digits.
    """
    reference = check_theta(reference)
    if len(reference) != 2:
        raise InputError("reference", "must be (theta_1, theta_2): the family is built for R = 2",
                         reference)
    N = check_dimension(N)
    theta_1_values = [check_real_exact("theta_1_values", t) for t in theta_1_values]

    def member(theta_1):
        return solve_theta_2(theta_1, quartic_log_partition(*reference, N), N)

    return tuple(Member(t, certify(lambda: member(t), dps)) for t in theta_1_values)


# --------------------------------------------------------------------------- the chain

def lgw_cumulants(theta, N, order):
    """``[ln Z[0], kappa_1, ..., kappa_order]`` of the marginal ``x_1`` at the current precision.

    The forward map of the chain: moments by :func:`~rgproof.topics.laplace.squared_radius_moments`
    (cheap to any order, unlike one quadrature per moment), then the log series. Odd cumulants
    vanish. ``theta`` are validated values.

    >>> with workdps(20):
    ...     print([mpmath.nstr(c, 8) for c in lgw_cumulants(check_theta([1]), 1, 4)])
    ['0.57236494', '0.0', '0.5', '0.0', '0.0']
    """
    half = order // 2
    with workdps(mpmath.mp.dps + 10):
        m = squared_radius_moments(theta, N, half)
        # E[x_1^(2n)] / (2n)! = m_n (1/2)_n / ((b)_n (2n)!) = m_n / (4^n n! (b)_n), b = N/2
        c = log_series([x * w for x, w in zip(m, _moment_weights(N, half, inverse=True))])
        log_z0 = mpmath.log(sphere_area(N) * moment_seeds(theta, N)[0])
        out, factorial = [log_z0] + [mpmath.mpf(0)] * order, mpmath.mpf(1)
        for n in range(1, half + 1):
            factorial *= (2 * n - 1) * (2 * n)  # running (2n)!: mpmath.factorial costs more
            out[2 * n] = factorial * c[n]
    return [+x for x in out]


def _moment_weights(N, count, inverse=False):
    """``4^n n! (N/2)_n`` for n = 0..count (or their reciprocals) by running products with the
    integer factors ``2n (N + 2n - 2)``: ``mpmath.rf`` of a non-integer calls the Gamma function,
    whose Taylor tables cost seconds at each new precision, and dividing by the products
    themselves is a long division of two full mantissas."""
    weights, w = [mpmath.mpf(1)], mpmath.mpf(1)
    for n in range(1, count + 1):
        factor = 2 * n * (N + 2 * n - 2)
        w = w / factor if inverse else w * factor
        weights.append(w)
    return weights


#: Most digits the moments may be computed to before the chain gives up: with python-flint the
#: series exponential costs a fraction of a second at thousands of digits; without it the O(n^2)
#: recurrence in mpmath takes minutes there, so the budget keeps the check to seconds.
FLINT_MOMENT_DPS, MPMATH_MOMENT_DPS = 8000, 300


def moment_budget():
    """The digits budget of the chain's moments with the installed series arithmetic."""
    return MPMATH_MOMENT_DPS if optional_flint() is None else FLINT_MOMENT_DPS


#: Digits the top-order moment loses in the cumulant -> moment step grow like count^LOSS_GROWTH
#: (measured for theta = (1, 1/2), N = 1: 174, 434, 732 digits at 100, 200, 300 moments); used only
#: to plan the next precision, which the two-precision comparison then checks.
LOSS_GROWTH = 1.3


def agreed_lost(low, high, dps):
    """Digits of ``dps`` that two evaluations of one number do not share."""
    return dps - agreed_digits(low, high, dps)


def log10_size(x):
    """``log10 |x|`` to within 0.31 from the binary exponent (no multiprecision logarithm)."""
    if x == 0:
        return -math.inf
    man, exp = x.man_exp
    return (exp + int(man).bit_length()) * math.log10(2)


def _log10_sum(logs):
    """``log10 sum_i 10^(logs_i)`` in floats."""
    top = max(logs)
    return -math.inf if top == -math.inf else top + math.log10(sum(10 ** (x - top) for x in logs))


class PrecisionBudget(ArithmeticError):
    """The chain needs moments to more digits than its budget allows."""

    def __init__(self, history, count, dps):
        self.history, self.count, self.dps = tuple(history), count, dps
        super().__init__(f"{count} moments would need {dps} working digits")


class MomentTransform:
    r"""The one-sided Laplace transform of the density of ``u = |x|^2``, rebuilt from cumulants.

    ``cumulants(order)`` returns ``[ln Z[0], kappa_1, ..., kappa_order]`` at the current
    precision. The log-Laplace series :math:`\sum_n \kappa_{2n} t^{2n}/(2n)!` is exponentiated
    as a power series (the Laplace transform Z[t e] is entire even where its logarithm is not),
    which gives the moments :math:`m_j = E[u^j]`, and then
    :math:`G^{(k)}(p) = (-1)^k \sum_j m_{j+k} (-p)^j / j!`. Both steps are exponentially
    ill-conditioned (recovering a function from its moments is): the exponential cancels about
    ``log10 |c_n| / |a_n|`` digits at order n (hundreds at n = 200) and the alternating sum about
    :math:`\log_{10} G(-p)/G(p)`, so the moments are recomputed from more and more precise
    cumulants until each sum is certified (:meth:`derivative`).
    """

    #: Digits each derivative is computed beyond the precision asked, so that the next, slightly
    #: more precise Post-Widder run finds it in the cache.
    MARGIN = 30
    #: Extra digits of the second evaluation of the moments: their difference then bounds the
    #: first one's error (and overstates the second's, which is kept, 10^GUARD times).
    GUARD = 30
    #: Moments built beyond what a derivative needs: the next runs ask for larger k, and every
    #: rebuild repeats the forward map at two precisions.
    HEADROOM = 1.25

    def __init__(self, cumulants, N, max_dps=None):
        self.cumulants, self.N = cumulants, N
        self.max_dps = moment_budget() if max_dps is None else max_dps
        self.moments, self.errors, self.moment_dps = [], [], 0
        #: (moments, digits, digits the cumulant -> moment step lost at the top order)
        self.history, self.exhausted = [], None
        self._sizes, self._error_sizes, self._rounded, self._cache = [], [], {}, {}
        #: digits the last derivative's sum cancelled (its first guess for the next one)
        self._cancelled = 20

    def _series_coefficients(self, count):
        """``kappa_(2n) / (2n)!``, n = 1..count, at the current precision: the log-Laplace series."""
        kappa = self.cumulants(2 * count)
        if len(kappa) < 2 * count + 1 or not all(mpmath.isfinite(x) for x in kappa):
            raise InputError("cumulants", f"must return {2 * count + 1} finite numbers", len(kappa))
        c, reciprocal = [0], mpmath.mpf(1)
        for n in range(1, count + 1):
            reciprocal /= (2 * n - 1) * (2 * n)  # 1/(2n)!, by small divisors only
            c.append(kappa[2 * n] * reciprocal)
        return c

    def _moments(self, coefficients):
        """The moments of u from the log-Laplace series, at the current precision."""
        # m_n = E[x_1^(2n)] (b)_n / (1/2)_n = a_n (2n)! (b)_n / (1/2)_n = a_n 4^n n! (b)_n
        weights = _moment_weights(self.N, len(coefficients) - 1)
        return [a * w for a, w in zip(exp_series([+c for c in coefficients]), weights)]

    def _rebuild(self, count, dps):
        """Moments 0..count from the cumulants at ``dps + GUARD`` digits, exponentiated at that
        precision and again rounded to ``dps``: the difference bounds the error of the second
        (exponentiating the series cancels more digits the higher the order) and overstates that
        of the first, which is kept. The cumulants are the chain's input, computed once."""
        if dps > self.max_dps:  # kept: Post-Widder reports a failing derivative as bad input
            self.exhausted = PrecisionBudget(self.history, count, dps)
            raise self.exhausted
        with workdps(dps + self.GUARD):
            coefficients = self._series_coefficients(count)
            high = self._moments(coefficients)
        with workdps(dps):
            low = self._moments(coefficients)
            self.errors = [abs(h - l) + abs(h) * mpmath.mpf(10) ** -dps for l, h in zip(low, high)]
            self.history.append((count, dps, agreed_lost(low[-1], high[-1], dps)))
        self.moments, self.moment_dps = high, dps
        self._sizes = [log10_size(m) for m in self.moments]
        self._error_sizes = [log10_size(e) for e in self.errors]
        self._rounded, self._cache = {}, {}

    def _planned_dps(self, count, wanted):
        """Digits to rebuild ``count`` moments at: the last rebuild's top-order loss, scaled up by
        :data:`LOSS_GROWTH`, plus what the sums need."""
        if not self.history:
            return wanted + 20
        last_count, _, lost = self.history[-1]
        return max(self.moment_dps, math.ceil(lost * (count / last_count) ** LOSS_GROWTH)
                   + 2 * wanted + 20)

    def _sum(self, k, p, length, dps):
        """``sum_{j < length} m_(j+k) (-p)^j / j!`` at ``dps`` digits (moments rounded to them).

        On the mantissas as integers (:func:`scaled_moment_sum`): mpmath would divide each
        scale by ``j + 1`` in a full-precision long division. A Fraction ``p`` steps the scales
        by small integers, not by a full-precision ``p``."""
        with workdps(dps):
            if dps not in self._rounded:
                self._rounded[dps] = [binary_parts(+m) for m in self.moments]
            numerator, denominator = ((-p.numerator, p.denominator) if isinstance(p, Fraction)
                                      else binary_parts(-mpmath.mpf(p)))
            if not isinstance(p, Fraction):  # -p = man 2^exp as the fraction man / 2^-exp
                numerator, denominator = (numerator << max(denominator, 0),
                                          1 << max(-denominator, 0))
            return scaled_moment_sum(self._rounded[dps][k:k + length], numerator, denominator,
                                     mpmath.mp.prec)

    def derivative(self, k, p):
        """``G^(k)(p)`` to the current precision (moments rebuilt as needed); ``p`` an mpf or, so
        that later, more precise calls find it in the cache, an exact Fraction. Any real ``p``:
        for ``p <= 0`` the sum has no cancellation; the series converges everywhere when the
        density of u falls faster than exponentially (R >= 2); for R = 1 only where
        ``|p| < theta_1``, and elsewhere its terms never fall and the budget stops it."""
        k = check_positive_int("k", k, minimum=0)
        if not isinstance(p, Fraction):
            p = to_mpf(check_real("p", p))
        wanted = mpmath.mp.dps
        cached = self._cache.get((k, p))
        if cached is not None and cached[0] >= wanted:
            return +cached[1]
        count = max(len(self.moments) - 1, 2 * k + 32)
        dps = max(self.moment_dps, wanted + 20)
        log_p = math.log10(abs(p)) if p else -math.inf
        while True:
            if count > len(self.moments) - 1 or dps > self.moment_dps:
                self._rebuild(count, dps)
            count = len(self.moments) - 1
            # sizes of the terms and of their errors, in floats, plan the sum (at p = 0 only the
            # first term is not zero)
            shifts = [0.0] + [j * log_p - math.lgamma(j + 1) / math.log(10)
                              for j in range(1, count - k + 1)]
            terms = [self._sizes[j + k] + s for j, s in enumerate(shifts)]
            value, size, length = self._cancelling_sum(k, p, terms, wanted)
            error = _log10_sum([self._error_sizes[j + k] + s for j, s in enumerate(shifts[:length])])
            if value != 0 and error <= size - (wanted + 2):
                if length < len(terms) or (terms[-1] <= size - (wanted + 5) and terms[-1] < terms[-2]):
                    value = (-1) ** k * value
                    self._cache[(k, p)] = (wanted + self.MARGIN, value)
                    return value
                # the terms fall ever faster, so their last slope overestimates what is missing
                slope, missing = terms[-2] - terms[-1], terms[-1] - (size - wanted - 5)
                grow = math.ceil(1.1 * missing / slope) + 8 if slope > 0.01 else count
                count = math.ceil(self.HEADROOM * (count + min(max(grow, count // 10), count // 2)))
                dps = self._planned_dps(count, wanted)
            else:
                lost = size - error if value != 0 else -dps
                # grow by what was missing, and by a sixth at least: each rebuild costs a forward map
                dps = math.ceil(max(dps + wanted + 10 - lost, 7 * dps / 6,
                                    self._planned_dps(count, wanted)))

    def _cancelling_sum(self, k, p, terms, wanted):
        """The derivative's sum, ``log10`` of its size and the number of terms summed, at enough
        digits for the cancellation; ``terms`` are the ``log10`` sizes of all available terms.

        Starts from the last derivative's cancellation, and stops the sum where the terms past
        the largest one fall below what the wanted digits of the result can see."""
        peak = max(terms)
        top = terms.index(peak)
        while True:
            floor = peak - self._cancelled - wanted - 10
            length = next((j for j in range(top, len(terms)) if terms[j] < floor), len(terms))
            value = self._sum(k, p, length, wanted + self.MARGIN + self._cancelled)
            size = log10_size(value)
            if peak - size + 10 <= self._cancelled or self._cancelled >= self.moment_dps:
                return value, size, length
            self._cancelled = min(self.moment_dps, math.ceil(peak - size) + 20 if value else
                                  2 * self._cancelled)


    def tilt(self, t):
        r"""The shift s, a multiple of 1/:data:`TILT_DENOMINATOR`, whose tilted density
        :math:`\propto e^{su}\rho(u)` has its mean at ``t``: :math:`-G'(-s)/G(-s) = t`, solved
        at :data:`TILT_DPS` digits from the moments (so from the cumulants alone).

        Post-Widder at t averages the inverted function over u = t U_k with U_k of mean 1 and
        variance 1/k: centred at t, the tilted density varies least there, and the points
        ``p = k/t - s`` of its transform ``G(p - s)`` stay near 0, where the moment sums need the
        fewest moments and cancel the fewest digits."""
        t = to_mpf(check_real("t", t))
        if not t > 0:
            raise InputError("t", "must be > 0", t)
        with workdps(TILT_DPS):
            def mean_minus_t(s):
                return -self.derivative(1, -s) / self.derivative(0, -s) - t
            s = mpmath.findroot(mean_minus_t, (t, t + 1), solver="secant")
            return Fraction(int(mpmath.nint(s * TILT_DENOMINATOR)), TILT_DENOMINATOR)


#: Digits and rounding of :meth:`MomentTransform.tilt`: the shift only sets the cost (any shift
#: inverts exactly), so a rough one is enough, and a short Fraction keeps p = k/t - s exact.
TILT_DPS, TILT_DENOMINATOR = 15, 8


def scaled_moment_sum(moments, numerator, denominator, prec):
    """``sum_j m_j x^j / j!`` for ``x = numerator / denominator`` (integers) and moments given as
    exact ``(mantissa, exponent)`` pairs, to ``prec`` bits of its largest term, as an mpf.

    The scale ``x^j / j!`` is a ``(mantissa, exponent)`` pair kept to ``prec + 64`` bits; every
    product is added, exactly, in fixed point 64 bits below ``2^-prec`` of the largest one.

    >>> print(scaled_moment_sum([(1, 0)] * 30, 1, 1, 60))   # sum 1/j!, j < 30: e to 30 terms
    2.71828182845905
    """
    keep, mpz = prec + 64, mpmath.libmp.MPZ
    scale, scale_exp, products = mpz(1) << keep, -keep, []
    for j, (man, exp) in enumerate(moments):
        products.append((man * scale, exp + scale_exp))
        scale *= numerator
        bits = (denominator * (j + 1)).bit_length() + keep - scale.bit_length()
        if bits > 0:  # room for the quotient's bits: shift up before the integer division
            scale, scale_exp = scale << bits, scale_exp - bits
        scale //= denominator * (j + 1)
        if scale == 0:
            break
    top = max((abs(v).bit_length() + e for v, e in products if v), default=None)
    if top is None:
        return mpmath.mpf(0)
    floor = top - prec - 64
    total = sum((v << (e - floor)) if e >= floor else (v >> (floor - e)) if v > 0 else
                -((-v) >> (floor - e)) for v, e in products)
    return mpmath.mpf((total, floor)) if total else mpmath.mpf(0)


@dataclass(frozen=True)
class Recovered:
    """theta recovered by the chain: the coefficients (Certified), the constant and the grid.

    ``constant`` is the fitted ``ln`` of the normalisation and ``expected_constant`` the one
    fixed by ``ln Z[0]``; ``boltzmann`` the Post-Widder values of the density of u on ``times``;
    ``moments`` and ``moment_dps`` how many moments (twice as many cumulants) and digits it took,
    ``lost`` the digits the cumulant -> moment step cancelled at the top order, ``shifts`` the
    tilt s at each time (Fractions).
    """

    theta: tuple
    constant: Certified
    expected_constant: object
    times: tuple
    boltzmann: tuple
    moments: int
    moment_dps: int
    lost: int = 0
    shifts: tuple = ()


#: Factor by which the chain's Post-Widder runs raise their term count: each term more means more
#: moments at more digits, so the count creeps up instead of growing by half.
CHAIN_ESCALATION = 1.2


def recover_theta(cumulants, N, R, times, digits=20, max_dps=None, shifts=None):
    """theta_1..theta_R from the cumulants alone, through the chain of Theorem 3.1.

    cumulants -> log-Laplace series -> Laplace transform (:class:`MomentTransform`) ->
    Post-Widder inversion (Wynn-accelerated, exact derivatives) of the density
    ``rho(u) = u^{N/2-1} phi(u) / norm`` of ``u = |x|^2`` at the ``R + 1`` points ``times`` ->
    ``-ln`` of the Boltzmann factor -> the polynomial of degree R through those points. At each
    t the formula inverts ``G(p - s)``, the transform of the tilted density ``e^{su} rho(u)``,
    and multiplies by ``e^{-st}``: exact for every shift s, which sets only the cost
    (``shifts``, one per t; default :meth:`MomentTransform.tilt`, computed from the cumulants).
    Each theta_r carries the digits the certified Post-Widder values guarantee through the fit
    (the inverse Vandermonde matrix bounds how errors spread). Raises :class:`PrecisionBudget`
    when the moments would need more than ``max_dps`` digits (default :func:`moment_budget`).
    """
    N, R = check_dimension(N), check_positive_int("R", R)
    times = tuple(times)
    if len(times) != R + 1:
        raise InputError("times", f"must hold R + 1 = {R + 1} points", len(times))
    digits = check_dps(digits, "digits")
    source = MomentTransform(cumulants, N, max_dps)
    if shifts is None:
        shifts = [source.tilt(t) for t in times]
    shifts = tuple(Fraction(check_real_exact("shifts", s)) for s in shifts)
    if len(shifts) != len(times):
        raise InputError("shifts", f"must hold one shift per point ({len(times)})", len(shifts))
    with workdps(digits + 20):
        inverse = mpmath.matrix([[to_mpf(t) ** r for r in range(R + 1)] for t in times]) ** -1
        # an error 10^-d in each Boltzmann value spreads to theta_r as sum_i |inverse[r, i]| 10^-d
        spread = max(mpmath.fsum(abs(inverse[r, i]) for i in range(R + 1)) for r in range(1, R + 1))
    needed = digits + 1 + cancellation_digits(spread)

    def tilted_terms(shift):
        return exact_terms(lambda k, p: source.derivative(k, p - shift), rational=True)

    try:
        inverted = [invert_terms(tilted_terms(s), t, dps=needed, accelerate="wynn",
                                 escalation=CHAIN_ESCALATION) for s, t in zip(shifts, times)]
    except InputError:
        if source.exhausted:
            raise source.exhausted from None
        raise
    with workdps(digits + 20):
        b = mpmath.mpf(N) / 2
        ts = [to_mpf(t) for t in times]
        # -ln(density of u) = H(u) - (b - 1) ln u + ln norm; the density is e^(-st) times the
        # tilted one inverted
        y = [-mpmath.log(r.value) + mpmath.mpf(s.numerator) / s.denominator * t
             + (b - 1) * mpmath.log(t)
             for r, s, t in zip(inverted, shifts, ts)]
        coefficients = inverse * mpmath.matrix(y)
        # an error 10^-d in rho_i is an error 10^-d in y_i
        errors = [mpmath.fsum(abs(inverse[r, i]) * mpmath.mpf(10) ** -inverted[i].digits
                              for i in range(R + 1)) for r in range(R + 1)]

        def certified(r):
            value, err = coefficients[r], errors[r]
            # the ratio with err at the digits it was summed at (digits_from_error's abs would
            # round it to the working precision first)
            d = 0 if value == 0 else digits_from_error(err / abs(value), 1, digits)
            return Certified(+value, d, digits)

        with workdps(source.moment_dps):
            log_z0 = source.cumulants(0)[0]
        expected = log_z0 + mpmath.loggamma(b) - b * mpmath.log(mpmath.pi)
    return Recovered(tuple(certified(r) for r in range(1, R + 1)), certified(0), +expected,
                     tuple(times), tuple(inverted), len(source.moments) - 1, source.moment_dps,
                     source.history[-1][2], shifts)



# --------------------------------------------------------------------------- Stein's identity

#: The variable and the moments m_k = E[x^k] of the one-dimensional density exp(-H) / Z.
STEIN_X = sympy.Symbol("x", real=True)


@dataclass(frozen=True)
class SteinRoute:
    """Identifiability of ``theta`` from moments by Stein's identity ``E[f'] = E[f H']``.

    For ``H = sum_r theta_r x^(2r)`` and each test function ``f`` of ``test_functions``,
    integrating ``(f e^(-H))'`` over R gives ``E[f'] = E[f H']`` (the boundary terms vanish when
    ``theta_R > 0``): equations linear in ``theta`` whose coefficients are moments. ``matrix`` is
    their coefficient matrix, ``rhs`` the right sides; ``boundary_vanishes`` says whether every
    ``f e^(-H)`` tends to 0 at both infinities; ``gram`` is the identity that makes the
    determinant positive, when there is one.
    """

    theta: tuple
    test_functions: tuple
    equations: tuple
    matrix: sympy.Matrix
    rhs: sympy.Matrix
    boundary_vanishes: bool
    determinant: sympy.Expr
    solution: Optional[dict]


def moment_symbol(k):
    """``m_k``, the k-th moment (``m_0 = 1``)."""
    return sympy.Integer(1) if k == 0 else sympy.Symbol(f"m_{k}", positive=True)


def _expectation(polynomial):
    """``E[p(x)]`` of a polynomial in x as a combination of moment symbols."""
    poly = sympy.Poly(sympy.expand(polynomial), STEIN_X)
    return sum(c * moment_symbol(k) for (k,), c in poly.terms())


def stein_route(R=2, test_functions=None):
    """Stein's equations for ``H = sum_{r<=R} theta_r x^(2r)`` on R, solved for theta.

    >>> route = stein_route()
    >>> [str(e) for e in route.equations]
    ['Eq(1, 2*m_2*theta_1 + 4*m_4*theta_2)', 'Eq(3*m_2, 2*m_4*theta_1 + 4*m_6*theta_2)']
    >>> sympy.factor(route.determinant)
    8*(m_2*m_6 - m_4**2)
    """
    R = check_positive_int("R", R)
    theta = sympy.symbols(f"theta_1:{R + 1}", positive=True)
    x = STEIN_X
    H = sum(t * x ** (2 * r) for r, t in enumerate(theta, 1))
    fs = tuple(x ** (2 * j - 1) for j in range(1, R + 1)) if test_functions is None else \
        tuple(sympy.sympify(f, locals={"x": x}) for f in test_functions)
    equations, rows, rhs = [], [], []
    for f in fs:
        lhs, right = _expectation(sympy.diff(f, x)), _expectation(f * sympy.diff(H, x))
        equations.append(sympy.Eq(lhs, right))
        rows.append([sympy.expand(right).coeff(t) for t in theta])
        rhs.append(lhs)
    weight = sympy.exp(-H)
    boundary = all(sympy.limit(f * weight, x, end) == 0 for f in fs for end in (sympy.oo, -sympy.oo))
    matrix, rhs = sympy.Matrix(rows), sympy.Matrix(rhs)
    square = matrix.shape[0] == matrix.shape[1]
    determinant = sympy.factor(matrix.det()) if square else sympy.Integer(0)
    solution = None
    if square and determinant != 0:
        solution = dict(zip(theta, (matrix.LUsolve(rhs)).applyfunc(sympy.simplify)))
    return SteinRoute(theta, fs, tuple(equations), matrix, rhs, boundary, determinant, solution)


def gram_identity():
    """``m_2 m_6 - m_4^2 = (1/2) E[(X Y^3 - Y X^3)^2]`` for independent copies X, Y: the
    determinant of the R = 2 system is a mean of squares, positive for every density (zero
    only if ``X Y (Y^2 - X^2) = 0`` almost surely, which no density allows).

    >>> gram_identity()
    True
    """
    x, y = sympy.symbols("x y", real=True)
    square = sympy.Poly(sympy.expand((x * y**3 - y * x**3) ** 2), x, y)
    mean = sum(c * moment_symbol(i) * moment_symbol(j) for (i, j), c in square.terms())
    return sympy.expand(mean / 2 - (moment_symbol(2) * moment_symbol(6) - moment_symbol(4) ** 2)) == 0


__all__ = ['SteinRoute', 'moment_symbol', 'stein_route', 'gram_identity', 'solve_theta_2', 'Member', 'same_partition_family', 'lgw_cumulants', 'MomentTransform', 'PrecisionBudget', 'Recovered', 'recover_theta', 'moment_budget', 'FLINT_MOMENT_DPS', 'MPMATH_MOMENT_DPS', 'scaled_moment_sum', 'TILT_DPS', 'TILT_DENOMINATOR']
