r"""Post-Widder inversion of one-sided Laplace transforms, at any precision.

For :math:`F(p) = \int_0^\infty e^{-pu} f(u)\,du` the Post-Widder formula (Widder 1946,
*The Laplace transform*, Thm. VII.6a) is

.. math:: f(t) = \lim_{k\to\infty} f_k(t), \qquad
          f_k(t) = \frac{(-1)^k}{k!} \left(\frac{k}{t}\right)^{k+1} F^{(k)}\!\left(\frac{k}{t}\right).

Since :math:`f_k(t) = \mathrm{E}\, f(t U_k)` with :math:`U_k \sim \Gamma(k+1, \text{rate } k)`,
:math:`f_k = f + a_1/k + a_2/k^2 + \dots`: the raw sequence gains about one digit per decade of
k, and an accelerator in k does the work (Richardson and Salzer in 1/k, Wynn's rho). In d
variables the product form takes the mixed derivative of order k in every variable.

The derivatives come from exact formulas the caller supplies, from Cauchy integrals on circles
(trapezoid rule) for a black-box analytic F, or from :func:`mpmath.diff` as a last resort.
Every result is computed twice, the second time with more terms and more working digits, and
carries the digits on which the two agree.

>>> r = invert(lambda p: 1 / (p + 1), 1, dps=20)
>>> r.digits
20
>>> print(r)
0.3678794411714423216
>>> phi = BoltzmannFactor((1, mpmath.mpf(1) / 2))
>>> print(phi.invert(1, dps=25))
0.2231301601484298289332805
>>> mpmath.mp.dps
15
"""
import itertools
import math
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy

from ..core.errors import InputError
from ..core.validate import check_positive_int, check_real, to_mpf
from ..core.precision import (ArbContext, Certified, agreed_digits, binary_parts,
                              cancellation_digits, check_dps, optional_flint, workdps)
from ..core.series import power_sum, weighted_power_sums

#: Accepted values of ``accelerate`` (None: the raw Post-Widder sequence).
ACCELERATORS = ("wynn", "richardson", "salzer", None)

#: Accepted values of ``method`` (where the derivatives come from).
METHODS = ("auto", "exact", "cauchy", "diff")

#: Digits an accelerator reaches with n terms, about ``slope * n - offset`` on the slowest of the
#: smooth test pairs (exp(-t - t^2/2) at t = 1: Wynn 34, 55, 77 digits and Salzer 28, 46, 64 at
#: n = 40, 60, 80); sets the first number of terms.
DIGITS_PER_TERM = {"wynn": (0.95, 5), "richardson": (0.88, 8), "salzer": (0.88, 8)}

#: Digits an accelerator loses to cancellation per term (Salzer's weights grow like (2e)^n/n;
#: measured 0.55 n on the test pairs), added to the working precision.
LOSS_PER_TERM = 0.55

#: Default cap on the number of Post-Widder terms: ``KMAX_PER_DIGIT * digits + KMAX_BASE``.
KMAX_PER_DIGIT, KMAX_BASE = 3, 40

#: Largest Cauchy circle radius, as a fraction of p = k/t: the circle stays inside Re p > 0,
#: where the Laplace transform of a bounded f is analytic.
CAUCHY_RADIUS = mpmath.mpf(1) / 4

#: Factor by which the term count grows while two runs disagree.
ESCALATION = 1.5

#: Growth of the term count without a gain in agreement after which more terms are not tried.
STALL_GROWTH = 1.4

#: Extra working digits everywhere a quantity is computed to be rounded afterwards.
GUARD = 10


# --------------------------------------------------------------------------- input checks

def _check_times(t):
    """The evaluation point as a tuple of positive mpf (one per variable)."""
    many = isinstance(t, (tuple, list))
    times = tuple(t) if many else (t,)
    if not times:
        raise InputError("t", "must have at least one coordinate", t)
    checked = []
    for value in times:
        x = to_mpf(check_real("t", value))
        if x <= 0:
            raise InputError("t", "must be > 0 (Post-Widder evaluates F at k/t)", value)
        checked.append(x)
    return tuple(checked)


def _check_choice(name, value, choices):
    if value not in choices:
        raise InputError(name, f"must be one of {choices}", value)
    return value


def _check_digits(dps, digits):
    dps = check_dps(dps)
    digits = dps if digits is None else check_positive_int("digits", digits)
    if digits > dps:
        raise InputError("dps", f"must be at least the requested digits ({digits})", dps)
    return dps, digits


def _check_kmax(kmax, digits):
    if kmax is None:
        return KMAX_PER_DIGIT * digits + KMAX_BASE
    return check_positive_int("kmax", kmax, minimum=4)


def checked_call(function, name, *args):
    """``function(*args)`` as an mpmath number; anything else is an :class:`InputError`.

    The error names ``name`` and the point, so a bad transform is reported where it failed. A
    Python float is refused: it carries 16 digits whatever the working precision.

    >>> checked_call(lambda p: 1 / p, "F", mpmath.mpf(0))
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: F: must return a finite number at 0.0; it raised ZeroDivisionError
    """
    def point():
        shown = ", ".join(mpmath.nstr(a, 15) for a in args)
        return shown if len(args) == 1 else f"({shown})"

    try:
        raw = function(*args)
        value = mpmath.mpmathify(raw)
    except Exception as exc:  # the user's callable failed: say where
        cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        # The message carries the cause; the chained traceback would only show mpmath internals.
        raise InputError(name, f"must return a finite number at {point()}; it raised {cause}") from None
    if isinstance(raw, (float, complex)):  # 16 digits whatever the working precision: the two
        # runs of a certification would agree on the same rounding errors
        raise InputError(name, f"must compute with mpmath at the working precision, not return "
                               f"a Python float (at {point()})", raw)
    if not mpmath.isfinite(value):
        raise InputError(name, f"must return a finite number at {point()}", value)
    return value


# --------------------------------------------------------------------------- accelerators

def salzer(ks, values):
    r"""Salzer's extrapolation to k = oo of terms at k = 1..n (Salzer 1955, MTAC 9, 164).

    The weights :math:`w_k = (-1)^{n-k} k^n / (k!(n-k)!)` are those of polynomial extrapolation
    in 1/k through all n points; they are exact integers over n!.

    >>> print(salzer(range(1, 4), [mpmath.mpf(2) + 3 / mpmath.mpf(k) for k in (1, 2, 3)]))
    2.0
    """
    ks = list(ks)
    n = len(ks)
    if ks != list(range(1, n + 1)):
        raise InputError("ks", "Salzer's weights need the terms at k = 1..n", ks)
    numerators = [(-1) ** (n - k) * k ** n * math.comb(n, k) for k in ks]
    return mpmath.fsum(w * v for w, v in zip(numerators, values)) / math.factorial(n)


def _smallest_change(estimates):
    """The estimate that moved least from the one before (where the table stops improving)."""
    if len(estimates) == 1:
        return estimates[0]
    changes = [abs(b - a) for a, b in zip(estimates, estimates[1:])]
    return estimates[1 + changes.index(min(changes))]


def richardson(ks, values):
    """Richardson extrapolation in h = 1/k: Neville's table over the points ``ks``.

    Returns the entry of the last row whose correction over the previous order is smallest, so
    the order stops rising once rounding dominates (with k = 1..n and no rounding it is
    :func:`salzer`).

    >>> print(richardson([2, 4, 8], [1 + 1 / mpmath.mpf(k) - 1 / mpmath.mpf(k) ** 2 for k in (2, 4, 8)]))
    1.0
    """
    ks = list(ks)
    column = list(values)  # column[m] extrapolates through the points m .. m + order
    last_row = [column[-1]]
    for order in range(1, len(column)):
        column = [b + (b - a) * (mpmath.mpf(ks[m]) / (ks[m + order] - ks[m]))
                  for m, (a, b) in enumerate(zip(column, column[1:]))]
        last_row.append(column[-1])
    return _smallest_change(last_row)


def wynn_rho(ks, values):
    r"""Wynn's rho algorithm (Wynn 1956, Proc. Camb. Phil. Soc. 52, 663) with points x_n = k_n.

    :math:`\rho^{(n)}_{j+1} = \rho^{(n+1)}_{j-1} + (x_{n+j+1} - x_n)/(\rho^{(n+1)}_j - \rho^{(n)}_j)`;
    the even columns estimate the limit. Returns the last entry of the even column that moved
    least from the previous even column.

    >>> print(wynn_rho(range(1, 6), [(1 + 2 * mpmath.mpf(k)) / (1 + mpmath.mpf(k)) for k in range(1, 6)]))
    2.0
    """
    ks = list(ks)
    previous = [mpmath.mpf(0)] * (len(values) + 1)
    current = list(values)
    estimates = [current[-1]]
    for column in range(len(values) - 1):
        gaps = [b - a for a, b in zip(current, current[1:])]
        if any(gap == 0 for gap in gaps):  # this column is exactly constant: converged
            break
        previous, current = current, [previous[i + 1] + (ks[i + column + 1] - ks[i]) / gap
                                      for i, gap in enumerate(gaps)]
        if column % 2 == 1:
            estimates.append(current[-1])
    return _smallest_change(estimates)


def no_acceleration(ks, values):
    """The raw Post-Widder term with the largest k."""
    return values[-1]


_ACCELERATE = {"wynn": wynn_rho, "richardson": richardson, "salzer": salzer,
               None: no_acceleration}


# --------------------------------------------------------------------------- Post-Widder terms

def _term_scale(k, points):
    r"""\prod_i (-1)^k p_i^{k+1}: turns the order-(k, ..., k) Taylor coefficient into f_k."""
    return mpmath.fprod((-p) ** k * p for p in points)


def _points(k, times):
    return tuple(k / t for t in times)


def _fraction(x):
    """The exact value of an mpf as a Fraction."""
    man, exp = binary_parts(x)
    return Fraction(man) * Fraction(2) ** exp


def exact_terms(derivatives, rational=False):
    """Post-Widder terms from ``derivatives(k, *p)``, the mixed derivative of order k in each variable.

    With ``rational`` each ``p = k/t`` is passed as an exact :class:`fractions.Fraction` (of t's
    mpf), for a source that computes with it exactly and may cache by it across precisions.
    """
    def terms(ks, times):
        out = {}
        # largest k first: a source that builds data as it goes (moments) sizes it once per run
        for k in sorted(ks, reverse=True):
            if rational:
                exact = tuple(Fraction(k) / _fraction(t) for t in times)
                derivative = checked_call(derivatives, "derivatives", k, *exact)
                points = tuple(mpmath.mpf(p.numerator) / p.denominator for p in exact)
            else:
                points = _points(k, times)
                derivative = checked_call(derivatives, "derivatives", k, *points)
            out[k] = (mpmath.re(derivative) * _term_scale(k, points)
                      / mpmath.factorial(k) ** len(points))
        return [out[k] for k in ks]
    return terms


def cauchy_coefficient(F, points, k):
    r"""Taylor coefficient of order (k, ..., k) of F at ``points`` by Cauchy's integral.

    Trapezoid rule with N = k + 1 nodes on circles of radius :math:`r_i = \rho p_i`: it aliases
    the coefficient of order k + N, smaller by about :math:`\rho^N` when F is analytic in
    Re p > 0, so :math:`\rho = 10^{-(\mathrm{dps} + \mathrm{guard})/N}` (at most
    :data:`CAUCHY_RADIUS`). The sum cancels
    :math:`k \log_{10}(1/\rho)` digits per variable, bought back by evaluating F at that much
    more precision (as :func:`mpmath.diff` does). F is assumed real on the real axis (f real),
    so of two conjugate nodes only one is evaluated.

    >>> c = cauchy_coefficient(lambda p: 1 / (p + 1), (mpmath.mpf(3),), 5)
    >>> mpmath.almosteq(c, -mpmath.mpf(1) / 4 ** 6)
    True
    """
    d = len(points)
    wanted = mpmath.mp.dps + GUARD
    nodes = k + 1
    digits_per_node = max(wanted / nodes, -math.log10(CAUCHY_RADIUS))  # log10(1/rho)
    with workdps(wanted + math.ceil(d * k * digits_per_node) + len(str(nodes ** d))):
        radii = [p * mpmath.mpf(10) ** -digits_per_node for p in points]
        roots = [mpmath.expjpi(mpmath.mpf(2 * j) / nodes) for j in range(nodes)]
        total = mpmath.mpf(0)
        for index in itertools.product(range(nodes), repeat=d):
            mirror = tuple(-j % nodes for j in index)
            if index > mirror:  # the conjugate of a node already summed
                continue
            z = [p + r * roots[j] for p, r, j in zip(points, radii, index)]
            phase = roots[-(k * sum(index)) % nodes]
            term = mpmath.re(checked_call(F, "F", *z) * phase)
            total += term if index == mirror else 2 * term
        coefficient = total / (nodes ** d * mpmath.fprod(radii) ** k)
    return +coefficient


def cauchy_terms(F):
    """Post-Widder terms from Cauchy integrals of a black-box analytic F (:func:`cauchy_coefficient`)."""
    def terms(ks, times):
        return [cauchy_coefficient(F, _points(k, times), k) * _term_scale(k, _points(k, times))
                for k in ks]
    return terms


def diff_terms(F):
    """Post-Widder terms from :func:`mpmath.diff` (finite differences at (k+1)-fold precision)."""
    def real_F(*z):
        return checked_call(F, "F", *z)

    def terms(ks, times):
        out = []
        for k in ks:
            points = _points(k, times)
            if len(points) == 1:
                derivative = mpmath.diff(real_F, points[0], k)
            else:
                derivative = mpmath.diff(real_F, points, (k,) * len(points))
            out.append(derivative * _term_scale(k, points) / mpmath.factorial(k) ** len(points))
        return out
    return terms


def _accepts_complex(F, times):
    """True when F returns a finite number at a complex point of the first Cauchy circle."""
    probe = tuple((1 + CAUCHY_RADIUS * 1j) / t for t in times)
    try:
        return mpmath.isfinite(mpmath.mpmathify(F(*probe)))
    except Exception:  # F cannot take complex arguments: Cauchy integrals are out
        return False


def _term_source(F, times, method, derivatives):
    if method == "exact" or (method == "auto" and derivatives is not None):
        if derivatives is None:
            raise InputError("derivatives", "must be given for method='exact'")
        return exact_terms(derivatives)
    if method == "cauchy" or (method == "auto" and _accepts_complex(F, times)):
        return cauchy_terms(F)
    return diff_terms(F)


# --------------------------------------------------------------------------- the driver

def _working_dps(digits, terms, accelerate):
    """Working digits for ``terms`` Post-Widder terms: the target plus what acceleration cancels."""
    lost = 0 if accelerate is None else math.ceil(LOSS_PER_TERM * terms)
    return digits + lost + GUARD


def _first_plan(digits, accelerate, kmax):
    """Term counts of the first pair of runs; the second (reference) run has more terms."""
    if accelerate is None:  # error ~ a_1/k: compare k = kmax/2 with kmax
        return [kmax // 2, kmax]
    slope, offset = DIGITS_PER_TERM[accelerate]
    first = math.ceil((digits + offset) / slope)
    if first + _term_gap(first) > kmax:  # fewer terms in the first run even at the cap
        return [kmax - _term_gap(kmax), kmax]
    return [first, first + _term_gap(first)]


def _term_gap(count):
    """How many more terms the reference run has than a run of ``count`` terms."""
    return max(2, math.ceil(count / 8))


def _estimate(terms, t, count, dps, accelerate):
    """The accelerated estimate from ``count`` terms computed at ``dps`` digits, and the digits
    the terms cancel (log10 of the largest term over the estimate)."""
    with workdps(dps):
        ks = range(1, count + 1)
        values = terms(ks, _check_times(t))
        estimate = _ACCELERATE[accelerate](ks, values)
        return estimate, cancellation_digits(max(abs(v) for v in values), estimate)


def invert_terms(terms, t, dps=30, digits=None, accelerate="wynn", kmax=None,
                 escalation=ESCALATION):
    """Post-Widder inversion from a term source ``terms(ks, times) -> [f_k]``.

    Runs pairs (fewer terms, fewer digits) and (more terms, more digits), raising the term count
    by the factor ``escalation`` (> 1; smaller for a source whose terms grow costly with k) until
    the pair agrees on ``digits`` digits, the count reaches ``kmax`` or a non-zero agreement stops
    improving. When f(t) is much smaller than the terms (a fast-decaying f at
    large t) the working precision also covers the digits the terms cancel, up to ``2 * digits``
    more. Returns the reference value with the agreed digits.
    """
    dps, digits = _check_digits(dps, digits)
    _check_times(t)
    _check_choice("accelerate", accelerate, ACCELERATORS)
    kmax = _check_kmax(kmax, digits)
    escalation = float(check_real("escalation", escalation))
    if not escalation > 1:
        raise InputError("escalation", "must be > 1 (the factor by which the term count grows)",
                         escalation)

    def run(count, extra):
        return _estimate(terms, t, count, _working_dps(digits, count, accelerate) + extra, accelerate)

    counts = _first_plan(digits, accelerate, kmax)
    value, cancelled = run(counts[0], 0)
    extra = min(cancelled, 2 * digits)
    if extra > GUARD // 2:  # the first run lacked the digits its terms cancel: redo it
        value, _ = run(counts[0], extra)
    values, agreed, best = [value], -1, (-1, counts[1])
    while True:
        count = counts[len(values)]
        values.append(run(count, extra + GUARD)[0])
        agreed = agreed_digits(values[-2], values[-1], digits)
        if agreed > best[0]:
            best = (agreed, count)
        # more terms no longer help (e.g. F itself is inexact): no gain while the count grew by
        # STALL_GROWTH (several small escalations, or one large one)
        stalled = 0 < agreed <= best[0] and count >= STALL_GROWTH * best[1]
        if agreed >= digits or count >= kmax or stalled or accelerate is None:
            break
        counts.append(min(kmax, max(count + 1, math.ceil(escalation * count))))
    with workdps(dps):
        return Certified(+values[-1], agreed, dps)


def invert(F, t, dps=30, digits=None, method="auto", accelerate="wynn", derivatives=None,
           kmax=None):
    """Invert the one-sided Laplace transform F at t > 0 by Post-Widder; a :class:`Certified`.

    ``t`` is a number, or a tuple (t_1, ..., t_d) for a transform F(p_1, ..., p_d) in d variables
    (product form, mixed derivatives of order k in each). ``method``: ``"exact"`` uses
    ``derivatives(k, *p)`` (the mixed derivative of order k in each variable, e.g. from a moment
    formula); ``"cauchy"`` Cauchy integrals on small circles around p = k/t
    (:func:`cauchy_coefficient`; F analytic in Re p > 0, real on the real axis); ``"diff"``
    :func:`mpmath.diff` (F needs only real arguments); ``"auto"``: exact when ``derivatives`` is
    given, else Cauchy when F accepts a complex argument, else diff. ``digits`` (default
    ``dps``) is the target; the working precision and the number of terms are chosen from it, up
    to ``kmax`` terms. F must compute with mpmath at the current precision. For a growing f (F
    analytic only for Re p > s), invert F(p + s) and multiply by exp(s t).

    >>> r = invert(lambda p: 1 / p ** 2, 3, dps=15)
    >>> print(r, r.digits)
    3.0 15
    >>> r = invert(lambda p, q: 1 / ((p + 1) * (q + 2)), (1, mpmath.mpf(1) / 2), dps=10)
    >>> print(r, r.digits)
    0.1353352832 10
    """
    if not callable(F):
        raise InputError("F", "must be callable", F)
    if derivatives is not None and not callable(derivatives):
        raise InputError("derivatives", "must be callable as derivatives(k, *p)", derivatives)
    _check_choice("method", method, METHODS)
    _check_choice("accelerate", accelerate, ACCELERATORS)
    dps, digits = _check_digits(dps, digits)
    with workdps(dps + GUARD):
        times = _check_times(t)
        terms = _term_source(F, times, method, derivatives)
    return invert_terms(terms, t, dps=dps, digits=digits, accelerate=accelerate, kmax=kmax)


# --------------------------------------------------------------------------- radial Boltzmann factors

@contextmanager
def _node_arithmetic():
    """``(number, exp, parts)``: the numbers the quadrature nodes are computed in (``number``
    converts an mpf exactly), their exponential, and their exact dyadic parts ``(m, e)``.

    python-flint's arb balls (midpoints taken) at the working precision plus a guard word when
    it is installed: their exponentials cost a fifth of mpmath's, and the nodes are most of the
    inversion's time. Otherwise mpmath. Either way at the run's own precision: the two runs of a
    certification share no computed number. ``flint.ctx`` is restored even on error.
    """
    flint = optional_flint()
    if flint is None:
        yield mpmath.mpf, mpmath.exp, binary_parts
        return
    saved = flint.ctx.prec
    try:
        flint.ctx.prec = mpmath.mp.prec + 64
        yield ArbContext(flint).mpf, flint.arb.exp, _arb_parts
    finally:
        flint.ctx.prec = saved


def _arb_parts(value):
    """The midpoint of an arb ball as an exact dyadic ``(m, e)``."""
    man, exp = value.mid().man_exp()
    return int(man), int(exp)


@dataclass(frozen=True)
class BoltzmannFactor:
    r"""The radial Boltzmann factor :math:`\phi(u) = \exp(-\sum_{r=1}^R \theta_r u^r)`, u = |x|^2.

    Needs :math:`\theta_R > 0` (integrable); the other coefficients are any real numbers. Its
    one-sided Laplace transform :math:`F(p) = \int_0^\infty e^{-pu}\phi(u)\,du` has the exact
    derivatives :math:`F^{(k)}(p) = (-1)^k \int_0^\infty u^k e^{-pu} \phi(u)\,du`.

    >>> phi = BoltzmannFactor((1, sympy.Rational(1, 2)))
    >>> print(mpmath.nstr(phi.transform(2), 15))
    0.304590298710103
    >>> print(mpmath.nstr(phi.derivative(1, 2), 15))
    -0.0862291038696901
    >>> BoltzmannFactor((1, -1))
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: theta: the last coefficient theta_R must be > 0 (got (1, -1))
    """

    theta: tuple

    def __post_init__(self):
        theta = self.theta
        if not isinstance(theta, (tuple, list)) or not theta:
            raise InputError("theta", "must be a non-empty sequence of real numbers", theta)
        checked = tuple(check_real("theta", value) for value in theta)
        if not to_mpf(checked[-1]) > 0:
            raise InputError("theta", "the last coefficient theta_R must be > 0", theta)
        object.__setattr__(self, "theta", checked)

    def exponent(self, u):
        r""":math:`\sum_r \theta_r u^r` at the current precision (Horner)."""
        return power_sum([to_mpf(c) for c in self.theta], u)

    def __call__(self, u):
        return mpmath.exp(-self.exponent(mpmath.mpmathify(u)))

    def transform(self, p):
        r""":math:`F(p) = \int_0^\infty e^{-pu}\phi(u)\,du` by quadrature (real or complex p)."""
        return mpmath.quad(lambda u: mpmath.exp(-p * u) * self(u), [0, mpmath.inf])

    def derivative(self, k, p):
        r""":math:`F^{(k)}(p) = (-1)^k \int_0^\infty u^k e^{-pu}\phi(u)\,du` by quadrature."""
        k = check_positive_int("k", k, minimum=0)
        peak = k / abs(p) if k else 1  # where u^k e^{-pu} is largest: split the interval there
        moment = mpmath.quad(lambda u: u ** k * mpmath.exp(-p * u) * self(u),
                             [0, peak, mpmath.inf])
        return (-1) ** k * moment

    def _curvature(self, t, exponent):
        r"""Size of the second derivative of :math:`\log\phi(t e^s)` in s at x = 1 (sets the
        node spacing), at most :math:`R^2` times ``exponent``: where :math:`\phi(tx)` is above
        :math:`e^{-\mathrm{exponent}}` the sum :math:`\sum_r \theta_r (tx)^r` is below it."""
        curvature = abs(mpmath.fsum(r * r * to_mpf(c) * t ** r for r, c in enumerate(self.theta, 1)))
        return min(curvature, len(self.theta) ** 2 * exponent)

    def postwidder_terms(self, ks, times):
        r"""All Post-Widder terms :math:`f_k(t)` at once, from the exact moments.

        With u = t x, :math:`f_k = \frac{k^{k+1} e^{-k}}{k!} \int_0^\infty z(x)^k \phi(tx)\,dx`,
        :math:`z = x e^{1-x} \in [0, 1]` (peaked at x = 1), and one trapezoid rule in tau after
        :math:`x = \exp(\tau - e^{-\tau})` integrates every k (see :meth:`_quadrature_nodes`).
        """
        (t,) = times
        ks = list(ks)
        count = max(ks)
        with _node_arithmetic() as (number, exp, parts):
            weights, bases = self._quadrature_nodes(t, count, number, exp)
            weights, bases = list(map(parts, weights)), list(map(parts, bases))
        sums = weighted_power_sums(weights, bases, count)
        inverse_e = mpmath.exp(-1)  # one exponential for every k: its k-th power is off by
        # about k units in the last place, well inside GUARD
        return [mpmath.mpf(k ** (k + 1)) * inverse_e ** k / math.factorial(k) * sums[k - 1]
                for k in ks]

    def _quadrature_nodes(self, t, count, number, exp):
        r"""Weights (step * dx/dtau * phi(t x)) and bases z(x) of the trapezoid rule in tau.

        The double-exponential map :math:`x = \exp(\tau - e^{-\tau})` for integrands that decay
        at least exponentially (Takahasi & Mori 1974) makes the left tail x^(k+1) decay
        double-exponentially while keeping the strip of analyticity
        :math:`|\mathrm{Im}\,\tau| < \pi / (2R)` in which :math:`\phi(tx)` stays bounded: the
        step is the smaller of what that strip and the narrowest integrand (width
        :math:`1/\sqrt{k_{max}}` at x = 1) allow at the working precision. Nodes march out from
        x = 1 until the k = 1 integrand no longer contributes. The layout is chosen in mpmath;
        the nodes are computed with ``number`` and ``exp`` (:func:`_node_arithmetic`).
        """
        digits = mpmath.mp.dps + GUARD
        exponent = digits * mpmath.ln10
        omega = mpmath.lambertw(1).real  # tau of x = 1
        width = 1 / ((1 + omega) * mpmath.sqrt(count + self._curvature(t, exponent)))
        step = min(mpmath.pi * width * mpmath.sqrt(2 / exponent),
                   mpmath.pi ** 2 / (len(self.theta) * exponent))
        tolerance = number(mpmath.mpf(10) ** -digits)
        scaled = [number(to_mpf(c) * t ** r) for r, c in enumerate(self.theta, 1)]  # theta_r t^r
        omega, step = number(omega), number(step)
        weights, bases = [], []
        for direction, j in ((1, 0), (-1, 1)):  # x = 1 and up, then down from the next node
            factor = exp(-direction * step)
            decay = exp(-omega) * factor ** j  # e^(-tau), one multiplication per node
            while True:
                x = exp(omega + direction * j * step - decay)
                weight = step * x * (1 + decay) * exp(-power_sum(scaled, x))
                base = x * exp(1 - x)
                weights.append(weight)
                bases.append(base)
                if weight * base < tolerance * weights[0]:
                    break
                j += 1
                decay *= factor
        return weights, bases

    def invert(self, t, dps=30, digits=None, accelerate="wynn", kmax=None):
        """phi(t) recovered from its transform by Post-Widder with the exact moments."""
        return invert_terms(self.postwidder_terms, t, dps=dps, digits=digits,
                            accelerate=accelerate, kmax=kmax)


# --------------------------------------------------------------------------- one-sided vs two-sided

k_sym, n_sym = sympy.symbols("k n", positive=True, integer=True)
t_sym, p_sym, u_sym = sympy.symbols("t p u", positive=True)
x_sym, s_sym = sympy.symbols("x s", real=True)
F_fn = sympy.Function("F")

#: The one-sided control: phi(u) = exp(-u - u^2/2), i.e. theta = (1, 1/2).
CONTROL_THETA = (1, sympy.Rational(1, 2))


def two_sided_gaussian_transform():
    r"""The paper's generating function for N = 1, H = x^2: :math:`\int_{\mathbb{R}} e^{sx - x^2} dx`."""
    return sympy.simplify(sympy.integrate(sympy.exp(s_sym * x_sym - x_sym ** 2),
                                          (x_sym, -sympy.oo, sympy.oo)))


def gaussian_two_sided_derivative(k, p):
    r"""k-th derivative of :math:`\sqrt{\pi} e^{p^2/4}`: :math:`\sqrt{\pi} e^{p^2/4} P_k(p)`.

    :math:`P_0 = 1, P_1 = p/2, P_{j+1} = (p/2) P_j + (j/2) P_{j-1}`; every P_k has non-negative
    coefficients, so all derivatives are positive for p > 0.

    >>> mpmath.almosteq(gaussian_two_sided_derivative(3, mpmath.mpf(2)),
    ...                 mpmath.diff(lambda p: mpmath.sqrt(mpmath.pi) * mpmath.exp(p ** 2 / 4), 2, 3))
    True
    """
    previous, current = mpmath.mpf(0), mpmath.mpf(1)
    for j in range(k):
        previous, current = current, p / 2 * current + mpmath.mpf(j) / 2 * previous
    return mpmath.sqrt(mpmath.pi) * mpmath.exp(p ** 2 / 4) * current


__all__ = ['ACCELERATORS', 'METHODS', 'BoltzmannFactor', 'invert', 'invert_terms', 'salzer', 'richardson', 'wynn_rho', 'no_acceleration', 'exact_terms', 'cauchy_terms', 'diff_terms', 'cauchy_coefficient', 'checked_call', 'gaussian_two_sided_derivative', 'two_sided_gaussian_transform']
