"""Zeros of Z[s] on the imaginary axis and the radius of the cumulant series."""
import math
from dataclasses import dataclass

import mpmath

from ...core.errors import InputError
from ...core.validate import check_positive_int, to_float
from ...core.precision import cancellation_digits, check_dps, workdps
from ...core.series import log_series
from .correlations import _check_order, _marginal_moments
from ...core.validate import check_real_exact, check_theta
from .radial import radial_plan
from .rules import MAX_EXTRA_DIGITS, RADIUS_ORDER, _certified, check_dimension
from .transform import _z

#: Digits to which each sample of ``Z[i b]`` is certified while scanning for sign changes.
SCAN_DIGITS = 5


# --------------------------------------------------------------------------- zeros

@dataclass(frozen=True)
class ImaginaryZeros:
    """Zeros ``b_k > 0`` of ``b -> Z[i b e]`` found in ``(0, scanned_to]``.

    Each zero lies in a bracket ``(a, c)`` where ``Z[i a e]`` and ``Z[i c e]`` were certified to
    have opposite signs (``bracket_values``), so its existence is proved by continuity; the zero
    itself is refined and certified (:class:`~rgproof.core.precision.Certified`). The scan finds zeros
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
    theta_f = [to_float(t) for t in theta]
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
        extra = cancellation_digits(z0, sample.value) + 3
        b, value = b_next, sample.value

    zeros = tuple(_refine_zero(theta, N, bracket, vals, z0, dps)
                  for bracket, vals in zip(brackets, values))
    return ImaginaryZeros(theta, N, zeros, tuple(brackets),
                          tuple((str(u), str(v)) for u, v in values), b,
                          (max(steps, default=0.0), min(steps, default=0.0)))


def _refine_zero(theta, N, bracket, values, z0, dps):
    """The zero in a certified sign-change bracket, to ``dps`` digits (Certified)."""
    a, c = (mpmath.mpf(x) for x in bracket)
    extra = cancellation_digits(z0, max(abs(v) for v in values)) + 5

    def root():
        b = mpmath.findroot(lambda x: _z_on_imaginary_axis(theta, N, x), (a, c),
                            solver="anderson", verify=False)
        if not a <= b <= c:
            raise ArithmeticError(f"root finder left the bracket ({a}, {c}): {b}")
        return b

    return _certified(root, dps, extra)


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


__all__ = ['ImaginaryZeros', 'imaginary_zeros', 'cumulant_radius', 'SCAN_DIGITS']
