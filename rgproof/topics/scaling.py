r"""Scaling laws of the radial model :math:`H(x) = \sum_{r=1}^R \theta_r |x|^{2r}` on R^N.

The RG of the input data (Xia 2024 slides, "RG of the input data", eq. (6); Gong & Xia,
eqs. (30)-(37)) dilates x -> Z(lambda)^(1/2) x / lambda. Everything below is *derived* from
that substitution with sympy: the parameter map, the scaling of the partition function and of
the moments, and the remainder of the RGE. Numbers (partition function, moments for R >= 2) are
radial integrals evaluated with mpmath at two working precisions.

>>> theta_map(2)
(theta_1*Z(lambda)/lambda**2, theta_2*Z(lambda)**2/lambda**4)
>>> fixed_points(LAMBDA**2 * sympy.log(LAMBDA), R=1)
(oo,)
>>> exact_moment((4,), (sympy.Symbol("theta", positive=True),))
3/(4*theta**2)
>>> partition_scaling_factor()
kappa**(-N/2)
"""
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy
from sympy.calculus.accumulationbounds import AccumBounds
from sympy.utilities.iterables import multiset_partitions

from ..core.errors import InputError
from ..core.validate import check_positive_int, to_mpf, check_theta
from ..core.precision import certify, check_dps

#: The dilation parameter lambda (>= 1 in the RG; positive for sympy).
LAMBDA = sympy.Symbol("lambda", positive=True)
#: The wave-function factor Z(lambda) as an unspecified positive function.
Z_OF_LAMBDA = sympy.Function("Z", positive=True)(LAMBDA)
#: The ratio kappa = Z(lambda) / lambda^2 by which theta_r^lambda = theta_r kappa^r.
KAPPA = sympy.Symbol("kappa", positive=True)
#: Dimension N, total moment order |K| = sum_l |kappa_l| and number of points n, as symbols.
N_SYMBOL = sympy.Symbol("N", positive=True, integer=True)
ORDER = sympy.Symbol("|K|", nonnegative=True, integer=True)
POINTS = sympy.Symbol("n", positive=True, integer=True)
#: A nonzero moment G(K) of the untransformed model, kept as a symbol in general formulas.
MOMENT = sympy.Symbol("G", positive=True)

#: Wave-function factors whose fixed points the checks tabulate (the power law with
#: eta = 1/2 stands for any eta > 0).
EXAMPLE_WAVE_FACTORS = (LAMBDA**2, LAMBDA**(2 - sympy.Rational(1, 2)),
                        LAMBDA**2 * sympy.log(LAMBDA), LAMBDA**2 * (1 + 1 / LAMBDA))

# Points lambda > 1 at which a Z whose positivity sympy cannot decide is evaluated.
_POSITIVITY_SAMPLES = (sympy.Rational(3, 2), 2, 10, 1000, 10**6)
_SUBSTITUTED = sympy.Symbol("w", positive=True)


# ---------------------------------------------------------------- the parameter map

def theta_symbols(R):
    """The coefficients theta_1..theta_R as positive sympy symbols.

    >>> theta_symbols(3)
    (theta_1, theta_2, theta_3)
    """
    R = check_positive_int("R", R)
    return sympy.symbols(f"theta_1:{R + 1}", positive=True)


def radial_hamiltonian(theta, radius_squared):
    """sum_r theta_r u^r for u = |x|^2; ``theta`` lists theta_1..theta_R.

    >>> radial_hamiltonian((1, 2), sympy.Symbol("u"))
    2*u**2 + u
    """
    return sum(t * radius_squared**r for r, t in enumerate(theta, start=1))


def transformed_hamiltonian(R, N=2):
    """H(Z^(1/2) x / lambda) in coordinates x_1..x_N, and those coordinates.

    >>> transformed_hamiltonian(1, N=1)[0]
    theta_1*x_1**2*Z(lambda)/lambda**2
    """
    N = check_positive_int("N", N)
    xs = sympy.symbols(f"x_1:{N + 1}", real=True)
    dilation = sympy.sqrt(Z_OF_LAMBDA) / LAMBDA
    radius_squared = sum(x**2 for x in xs)
    hamiltonian = radial_hamiltonian(theta_symbols(R), radius_squared)
    return hamiltonian.subs({x: dilation * x for x in xs}, simultaneous=True), xs


def theta_map(R, N=2):
    """theta_r^lambda for r = 1..R, read off the transformed Hamiltonian.

    The coefficient of the monomial x_1^(2r) in sum_r theta_r |x|^(2r) is theta_r, so after the
    substitution it is theta_r^lambda.

    >>> theta_map(1)
    (theta_1*Z(lambda)/lambda**2,)
    """
    transformed, xs = transformed_hamiltonian(R, N)
    poly = sympy.Poly(sympy.expand(transformed), *xs)
    return tuple(poly.coeff_monomial(xs[0]**(2 * r)) for r in range(1, R + 1))


def printed_theta_map(R):
    """The map as the slides print it: theta_r Z(lambda)^r / lambda^(2r)."""
    return tuple(t * Z_OF_LAMBDA**r / LAMBDA**(2 * r)
                 for r, t in enumerate(theta_symbols(R), start=1))


# ---------------------------------------------------------------- Z(lambda) and fixed points

def wave_factor(Z, lam=LAMBDA):
    """Validate a wave-function factor Z(lambda); return it as an expression in :data:`LAMBDA`.

    ``Z`` is a sympy expression in ``lam`` (a constant is allowed: Z = 1 is the slides' choice
    for the Ising chain), a number, or a callable taking the symbol. It must be positive for
    lambda > 1: decided by sympy where it can, else checked at sample points.

    >>> wave_factor(lambda l: l**2)
    lambda**2
    >>> wave_factor(1 - LAMBDA)
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: Z: must be positive for lambda > 1 (got 1 - lambda)
    """
    if not isinstance(lam, sympy.Symbol):
        raise InputError("lam", "must be a sympy Symbol", lam)
    expr = _as_expression(Z, lam)
    extra = expr.free_symbols - {lam}
    if extra:
        names = ", ".join(sorted(s.name for s in extra))
        same_name = any(s.name == lam.name for s in extra)
        hint = " (a symbol named like lam but with other assumptions: pass it as lam=)" \
            if same_name else ""
        raise InputError("Z", f"must depend on lam={lam} only, also depends on {names}{hint}",
                         expr)
    expr = expr.subs(lam, LAMBDA)
    _check_positive_beyond_one(expr)
    return expr


def _as_expression(Z, lam):
    if callable(Z) and not isinstance(Z, sympy.Basic):
        try:
            Z = Z(lam)
        except Exception as exc:  # any failure of user code on a symbol is an input problem
            raise InputError("Z", f"a callable must accept the sympy symbol {lam} ({exc})", Z)
    try:
        expr = sympy.sympify(Z, strict=True)
    except sympy.SympifyError:
        raise InputError("Z", "must be a sympy expression in lambda, a number or a callable", Z)
    if not isinstance(expr, sympy.Expr):
        raise InputError("Z", "must be a sympy expression in lambda, a number or a callable", Z)
    return expr


def _check_positive_beyond_one(expr):
    shift = sympy.Dummy("t", positive=True)
    positive = expr.subs(LAMBDA, 1 + shift).is_positive
    if positive is None:
        values = (expr.subs(LAMBDA, s).evalf(30) for s in _POSITIVITY_SAMPLES)
        positive = all(v.is_extended_positive and v.is_finite for v in values)
    if not positive:
        raise InputError("Z", "must be positive for lambda > 1", expr)


def limit_at_infinity(expr, what, Z):
    """lim_(lambda -> oo) of ``expr``; an InputError on ``Z`` when sympy cannot decide it.

    An oscillating limit (AccumBounds) is reported as "has no limit", never returned.

    >>> limit_at_infinity(LAMBDA * sympy.log(LAMBDA), "Z", LAMBDA)
    oo
    """
    try:
        value = sympy.limit(expr, LAMBDA, sympy.oo)
    except (NotImplementedError, ValueError, TypeError, sympy.PoleError) as exc:
        raise InputError("Z", f"sympy could not decide lim_(lambda->oo) of {what} ({exc})", Z)
    if isinstance(value, AccumBounds):
        raise InputError("Z", f"{what} has no limit as lambda -> oo (it oscillates within "
                              f"[{value.min}, {value.max}])", Z)
    if value.has(sympy.Limit) or value.is_extended_real is not True:
        raise InputError("Z", f"sympy could not decide lim_(lambda->oo) of {what} "
                              f"(got {value})", Z)
    return value


def scale_ratio_limit(Z, lam=LAMBDA):
    """lim_(lambda -> oo) Z(lambda) / lambda^2: the kappa of the fixed point.

    >>> scale_ratio_limit(LAMBDA**2 * (1 + 1 / LAMBDA))
    1
    """
    expr = wave_factor(Z, lam)
    return limit_at_infinity(expr / LAMBDA**2, "Z(lambda)/lambda^2", expr)


def fixed_points(Z, R=2, lam=LAMBDA):
    """theta_r* = theta_r lim_(lambda -> oo) (Z(lambda)/lambda^2)^r for r = 1..R.

    Raises InputError when Z is invalid or sympy cannot decide the limit (never a guess).

    >>> fixed_points(LAMBDA**2)
    (theta_1, theta_2)
    >>> fixed_points(LAMBDA**sympy.Rational(3, 2))
    (0, 0)
    """
    ratio = scale_ratio_limit(Z, lam)
    return tuple(t * ratio**r for r, t in enumerate(theta_symbols(R), start=1))


# ---------------------------------------------------------------- radial integrals, by substitution

def substitution_factor(a, R=3):
    """The factor c(a) that rescaling theta_r -> theta_r kappa^r puts on a radial integral.

    int_0^oo u^(a-1) e^(-H(theta kappa^r; u)) du = c(a) int_0^oo w^(a-1) e^(-H(theta; w)) dw,
    derived by the change of variables u = w / kappa (kappa > 0 keeps the limits 0 and oo).

    >>> substitution_factor(sympy.Rational(3, 2))
    kappa**(-3/2)
    """
    theta = theta_symbols(R)
    scaled = [t * KAPPA**r for r, t in enumerate(theta, start=1)]

    def integrand(u, coefficients):
        return u**(a - 1) * sympy.exp(-radial_hamiltonian(coefficients, u))

    w = _SUBSTITUTED
    substituted = integrand(w / KAPPA, scaled) * sympy.diff(w / KAPPA, w)
    factor = sympy.simplify(substituted / integrand(w, theta))
    if factor.has(w) or any(factor.has(t) for t in theta):
        raise ArithmeticError(f"the substitution did not factor out of the integrand: {factor}")
    return factor


def partition_scaling_factor(N=N_SYMBOL):
    """Z(theta kappa^r) / Z(theta): the radial integral has a = N/2.

    >>> partition_scaling_factor(3)
    kappa**(-3/2)
    """
    return substitution_factor(sympy.sympify(N) / 2)


# Cached: a pure function of (order, N) whose sympy result is immutable; every remainder of
# the same |K| asks for it again (typed, so 4 and 4.0 or Integer(4) are not one entry).
@lru_cache(maxsize=64, typed=True)
def moment_scaling_factor(order=ORDER, N=N_SYMBOL):
    """G(theta kappa^r; K) / G(theta; K) for |K| = ``order``; the angular factor cancels.

    >>> moment_scaling_factor()
    kappa**(-|K|/2)
    """
    numerator = substitution_factor((sympy.sympify(N) + order) / 2)
    return sympy.simplify(numerator / partition_scaling_factor(N))


def moment_scaling(order=ORDER, Z=Z_OF_LAMBDA):
    """G_lambda(K) / G(K) under theta -> theta^lambda, i.e. kappa = Z / lambda^2.

    >>> moment_scaling()
    (lambda/sqrt(Z(lambda)))**|K|
    """
    factor = moment_scaling_factor(order).subs(KAPPA, Z / LAMBDA**2)
    return sympy.powsimp(sympy.expand_power_base(factor))


# Cached like moment_scaling_factor: each exponential-family run asks for its N again.
@lru_cache(maxsize=64, typed=True)
def forced_scale_ratios(N=N_SYMBOL):
    """The kappa > 0 with Z_lambda = Z, i.e. kappa^(-N/2) = 1 (log is one-to-one on kappa > 0).

    >>> forced_scale_ratios()
    {1}
    """
    log_ratio = sympy.expand_log(sympy.log(partition_scaling_factor(N)))
    return sympy.solveset(log_ratio, KAPPA, sympy.Interval.open(0, sympy.oo))


# ---------------------------------------------------------------- numbers: Z(theta) and moments

def check_multi_index(name, K):
    """A multi-index: a non-empty sequence of integers >= 0 (one per coordinate)."""
    if isinstance(K, (str, bytes)) or not isinstance(K, Sequence) or not K:
        raise InputError(name, "must be a non-empty sequence of integers >= 0", K)
    return tuple(check_positive_int(f"{name}[{i}]", k, minimum=0) for i, k in enumerate(K))


def radial_moment_integral(ctx, k, theta):
    """int_0^oo rho^k exp(-sum_r theta_r rho^(2r)) d rho in the context ``ctx``.

    In rho = |x| the integrand is smooth at 0 (no u^(-1/2) endpoint singularity); the split at
    the natural scale theta_R^(-1/(2R)) keeps quad accurate for very large or small theta.

    >>> print(round(radial_moment_integral(mpmath.fp, 0, (1,)), 12))   # sqrt(pi) / 2
    0.886226925453
    """
    coefficients = [to_mpf(t, ctx) for t in theta]
    scale = coefficients[-1] ** (-ctx.mpf(1) / (2 * len(coefficients)))

    def integrand(rho):
        return rho**k * ctx.exp(-radial_hamiltonian(coefficients, rho**2))

    return ctx.quad(integrand, [0, scale, ctx.inf])


def log_z(ctx, theta, N):
    """``ln Z(theta)`` on R^N: ``Z = |S^(N-1)| int_0^oo rho^(N-1) e^(-H) d rho`` with
    ``|S^(N-1)| = 2 pi^(N/2) / Gamma(N/2)``, in the context ``ctx``."""
    sphere = ctx.log(2) + N * ctx.log(ctx.pi) / 2 - ctx.loggamma(ctx.mpf(N) / 2)
    return sphere + ctx.log(radial_moment_integral(ctx, N - 1, theta))


def log_partition(theta, N, dps=50):
    """log Z(theta) = log int_(R^N) exp(-sum_r theta_r |x|^(2r)) dx, certified.

    >>> print(log_partition((1,), 1, dps=20))   # log sqrt(pi)
    0.57236494292470008707
    """
    theta, N, dps = check_theta(theta, kind="real"), check_positive_int("N", N), check_dps(dps)
    return certify(lambda: log_z(mpmath.mp, theta, N), dps)


def angular_factor(K):
    """E[x^K] / E[|x|^|K|] for any radial density: exact; zero when some k_i is odd.

    prod_i Gamma((k_i+1)/2) Gamma(N/2) / (pi^(N/2) Gamma((|K|+N)/2)).

    >>> angular_factor((2, 2))
    1/8
    >>> angular_factor((1, 2))
    0
    """
    K = check_multi_index("K", K)
    if any(k % 2 for k in K):
        return sympy.Integer(0)
    N, order = len(K), sum(K)
    half = sympy.Rational(1, 2)
    numerator = sympy.Mul(*(sympy.gamma((k + 1) * half) for k in K)) * sympy.gamma(N * half)
    return sympy.simplify(numerator / (sympy.pi**(N * half) * sympy.gamma((order + N) * half)))


def _check_gaussian(theta):
    if isinstance(theta, (str, bytes)) or not isinstance(theta, Sequence) or len(theta) != 1:
        raise InputError("theta", "exact moments need R = 1: a sequence (theta_1,)", theta)
    t = theta[0]
    if isinstance(t, sympy.Symbol) and t.is_positive:
        return t
    return check_theta(theta, kind="real")[0]


def exact_moment(K, theta):
    """E[x^K] for the Gaussian H = theta_1 |x|^2 (R = 1), exact.

    E|x|^m = Gamma((N+m)/2) / Gamma(N/2) theta^(-m/2) (a Gamma integral in u = |x|^2).

    >>> exact_moment((2, 2), (1,))
    1/4
    """
    K = check_multi_index("K", K)
    t = _check_gaussian(theta)
    N, order = len(K), sum(K)
    half = sympy.Rational(1, 2)
    radial = sympy.gamma((N + order) * half) / sympy.gamma(N * half) * t**(-order * half)
    return sympy.simplify(angular_factor(K) * radial)


def moment(K, theta, dps=50):
    """E[x^K] for H = sum_r theta_r |x|^(2r) on R^N, N = len(K); certified at ``dps`` digits.

    >>> print(moment((4,), (1,), dps=20))
    0.75
    """
    K, theta, dps = check_multi_index("K", K), check_theta(theta, kind="real"), check_dps(dps)
    angular = angular_factor(K)
    N, order = len(K), sum(K)

    def value():
        if angular == 0:
            return mpmath.mpf(0)
        ratio = (radial_moment_integral(mpmath.mp, N + order - 1, theta)
                 / radial_moment_integral(mpmath.mp, N - 1, theta))
        return to_mpf(angular) * ratio

    return certify(value, dps)


# ---------------------------------------------------------------- the RGE remainder

def rge_remainder_expression(order=ORDER, points=POINTS, Z=Z_OF_LAMBDA, G=MOMENT):
    """R_lambda^(n) = G_lambda(K) - Z^(-n/2) lambda^|K| G(K), with G_lambda from the scaling.

    >>> rge_remainder_expression(4, 2, LAMBDA**2, 1)
    1 - lambda**2
    """
    scaled = G * moment_scaling(order, Z)
    return sympy.expand(scaled - Z**(-sympy.sympify(points) / 2) * LAMBDA**order * G)


@dataclass(frozen=True)
class Remainder:
    """The RGE remainder for the points' multi-indices ``kappas`` and one Z(lambda)."""

    kappas: tuple
    Z: sympy.Expr
    moment: sympy.Expr
    expression: sympy.Expr
    limit: sympy.Expr

    @property
    def K(self):
        return tuple(map(sum, zip(*self.kappas)))

    @property
    def correlator(self):
        """The n-point moment as a bracket, e.g. ``<x^(2,) x^(2,)>``."""
        return "<" + " ".join(f"x^{k}" for k in self.kappas) + ">"

    def describe(self):
        return (f"{self.correlator} (N={len(self.K)}, n={len(self.kappas)}), Z={self.Z}: "
                f"G(K)={self.moment}, R={self.expression} -> {self.limit}")


def check_kappas(kappas):
    """n >= 1 multi-indices of one common length N."""
    if isinstance(kappas, (str, bytes)) or not isinstance(kappas, Sequence) or not kappas:
        raise InputError("kappas", "must be a non-empty sequence of multi-indices", kappas)
    checked = tuple(check_multi_index(f"kappas[{l}]", k) for l, k in enumerate(kappas))
    if len({len(k) for k in checked}) != 1:
        raise InputError("kappas", "all multi-indices must have the same length N", kappas)
    return checked


def moment_value(K, theta, dps=30):
    """G(K): exact for R = 1, else the certified number as a sympy Float (0 exactly when odd)."""
    if len(theta) == 1:
        return exact_moment(K, theta)
    if angular_factor(K) == 0:
        return sympy.Integer(0)
    value = moment(K, theta, dps)
    digits = max(value.digits, 1)
    return sympy.Float(mpmath.nstr(value.value, digits), digits)


def rge_remainder(kappas, theta=(1,), Z=LAMBDA**2, lam=LAMBDA, dps=30, moment=None):
    """The remainder R_lambda^(n) and its limit lambda -> oo, for concrete points and Z.

    ``moment``: G(K) = :func:`moment_value` of these points and theta at ``dps``, when the
    caller already has it (it does not depend on Z); computed here otherwise.

    >>> r = rge_remainder([(2,), (2,)])
    >>> r.expression, r.limit
    (3/4 - 3*lambda**2/4, -oo)
    >>> rge_remainder([(1,), (1,)]).expression
    0
    """
    kappas = check_kappas(kappas)
    expr = wave_factor(Z, lam)
    K = tuple(map(sum, zip(*kappas)))
    G = moment_value(K, theta, dps) if moment is None else moment
    remainder = rge_remainder_expression(sum(K), len(kappas), expr, G)
    limit = limit_at_infinity(remainder, "the remainder", expr)
    return Remainder(kappas, expr, G, remainder, limit)


# ---------------------------------------------------------------- connected correlation functions

def joint_cumulant(kappas, moment_of):
    r"""The connected correlation :math:`\langle x^{\kappa_1} \cdots x^{\kappa_n}\rangle_c`:
    the sum over set partitions :math:`\pi` of the points of
    :math:`(-1)^{|\pi|-1} (|\pi|-1)! \prod_{B \in \pi} E[\prod_{l \in B} x^{\kappa_l}]`, with
    ``moment_of(K)`` giving :math:`E[x^K]`.

    >>> joint_cumulant([(2,), (2,)], lambda K: exact_moment(K, (1,)))
    1/2
    """
    kappas = check_kappas(kappas)
    total = sympy.Integer(0)
    for partition in multiset_partitions(list(range(len(kappas)))):
        term = (-1)**(len(partition) - 1) * sympy.factorial(len(partition) - 1)
        for block in partition:
            term *= moment_of(tuple(map(sum, zip(*(kappas[l] for l in block)))))
        total += term
    return total


def connected_scaling(kappas):
    """G^c(theta kappa^r) / G^c(theta) for every R: each moment of a block B scales by
    kappa^(-|K_B|/2) (:func:`moment_scaling_factor`), the moments themselves kept as unknowns.

    >>> connected_scaling([(1,), (1,), (1,), (1,)])
    kappa**(-2)
    """
    kappas = check_kappas(kappas)
    factor = moment_scaling_factor()

    def unknown(K):
        return sympy.Symbol(f"G{K}")

    def scaled(K):
        return unknown(K) * factor.subs(ORDER, sum(K))

    ratio = joint_cumulant(kappas, scaled) / joint_cumulant(kappas, unknown)
    return sympy.powsimp(sympy.factor(ratio))


def rge_factor(kappas, Z=Z_OF_LAMBDA):
    """Z^(-n/2) lambda^|K|: what the RGE compares G_lambda with (zero remainder)."""
    kappas = check_kappas(kappas)
    return Z**(-sympy.Rational(len(kappas), 2)) * LAMBDA**sum(map(sum, kappas))


def invariant_scale_ratios(ratio):
    """The kappa > 0 with ratio(kappa) = 1 (a power of kappa, or free of kappa).

    >>> invariant_scale_ratios(KAPPA**-1)
    {1}
    """
    return sympy.solveset(sympy.Eq(ratio, 1), KAPPA, sympy.Interval.open(0, sympy.oo))


__all__ = ['LAMBDA', 'Z_OF_LAMBDA', 'KAPPA', 'N_SYMBOL', 'ORDER', 'POINTS', 'MOMENT', 'EXAMPLE_WAVE_FACTORS', 'theta_symbols', 'radial_hamiltonian', 'transformed_hamiltonian', 'theta_map', 'printed_theta_map', 'wave_factor', 'limit_at_infinity', 'scale_ratio_limit', 'fixed_points', 'substitution_factor', 'partition_scaling_factor', 'moment_scaling_factor', 'moment_scaling', 'forced_scale_ratios', 'check_multi_index', 'radial_moment_integral', 'log_z', 'log_partition', 'angular_factor', 'exact_moment', 'moment', 'rge_remainder_expression', 'Remainder', 'check_kappas', 'moment_value', 'rge_remainder', 'joint_cumulant', 'connected_scaling', 'rge_factor', 'invariant_scale_ratios']
