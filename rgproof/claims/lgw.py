"""Claims on the Landau-Ginzburg-Wilson transformation (Xia's slides; Gong & Xia 2026, Sec. 3)."""
import dataclasses
import random

import mpmath
import numpy
import sympy

from ..core.validate import to_mpf
from ..core.ledger import Source, Topic, by_comparison, fails, holds, inconclusive
from ..core.precision import compare, guard_digits, workdps
from ..topics.lgw import (
    DIAGONALIZE_EXAMPLES,
    _kept_theta_difference,
    counterexample,
    gaussian_polar,
    quadratic_form,
    transform,
    verify,
    zero_eigenvalue_example,
)
from ..topics.lgw_shift import even_shifts, log_partition_1d
from .papers import GONG_XIA_2026, GONG_XIA_EXPFAM, XIA_SLIDES

TOPIC = Topic("lgw",
              title='The Landau--Ginzburg--Wilson transformation',
              paper=GONG_XIA_EXPFAM)


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------

def _random_spd(rng, n):
    """``M^T M + I`` with small integer ``M``: rational, symmetric positive definite."""
    M = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
    return (M.T * M + sympy.eye(n)).tolist()


def _random_cases(seed, count, degrees):
    """Seeded rational problems ``(A, theta, b)`` with ``b != 0`` and ``theta_R > 0``."""
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        n = 1 + index % 3
        R = degrees[index % len(degrees)]
        b = [rng.randint(-3, 3) for _ in range(n)]
        b[0] = b[0] or 1
        theta = [rng.randint(-2, 2) for _ in range(R - 1)] + [rng.randint(1, 3)]
        cases.append((_random_spd(rng, n), theta, b))
    return cases


def _is_constant(polynomial, x):
    return sympy.Poly(polynomial, *x).is_ground


#: Hamiltonians for the even-shift check: (A, theta, b, what it is). The slides allow a
#: non-negative definite A; A = 0 with R = 4 is integrable and no shift makes it even.
EVEN_SHIFT_CASES = (
    ([[1]], [1, 1], [2], "A = [1] (positive definite), b = [2], theta = (1, 1)"),
    ([[2, 1], [1, 3]], [1, 1], [1, -1], "A = [[2, 1], [1, 3]], b = (1, -1), theta = (1, 1)"),
    ([[0]], [1, 1, 1, 1], [1], "A = [0] (non-negative definite), b = [1], theta = (1, 1, 1, 1)"),
)


def _integrable(A, theta, b):
    """Whether exp(-H) is integrable: by quadrature for N = 1; for N > 1 only positive definite
    A is counted (a singular A leaves a direction along which exp(-H) does not decay)."""
    if len(A) == 1:
        return bool(mpmath.isfinite(log_partition_1d(A, theta, b, dps=20)))
    return bool(sympy.Matrix(A).is_positive_definite) and theta[-1] > 0


@TOPIC.claim("lgw.shift.even",
              statement="(1) First through the transformation x~_j = x_j + f_j, j = 1, ..., N, "
                        "change the Hamiltonian into a polynomial with only even terms using "
                        "undetermined coefficients. [A = (a_jk) symmetric and non negative definite]",
              source=Source(XIA_SLIDES, "'Transformation of the data', step (1); A as on "
                                        "'Continuous distribution: exponential family'",
                            "change the Hamiltonian into a polynomial with only even terms using "
                            "undetermined coefficients."),
              method="symbolic",
              latex=r"\exists f:\ \mathcal{H}(\tilde x - f) \text{ has only even terms}")
def _check_shift_even(ctx):
    found, counterexamples = [], []
    for A, theta, b, what in EVEN_SHIFT_CASES:
        solutions, H = even_shifts(A, theta, b)
        integrable = _integrable(A, theta, b)
        if solutions:
            found.append(f"{what}: f = {solutions[0]}")
        elif integrable:
            counterexamples.append(f"{what}: H = {H} is integrable (a density of the family) "
                                   "and no shift f makes H(x~ - f) even")
    details = {"even": found, "no_even_shift": counterexamples}
    if counterexamples:
        return fails("; ".join(counterexamples) + f" (shifts exist when b is in range(A): "
                     f"{'; '.join(found)})", **details)
    return holds(f"a shift makes H even in every case: {'; '.join(found)}", **details)


@TOPIC.claim("lgw.shift.keeps_theta",
              statement="After the shift x~_j = x_j + f_j the Hamiltonian is "
                        "sum_{r=1}^R theta_r (sum_{j,k=1}^N a_{jk} x_j x_k)^r, with the same "
                        "theta_r (the b_j x_j terms dropped).",
              source=Source(XIA_SLIDES, "'Transformation of the data', step (1), displayed result",
                            "\\sum_{r=1}^R \\theta_r (\\sum_{j,k=1}^N a_{jk} x_j x_k)^r."),
              method="symbolic",
              latex=r"\sum_{r=1}^R \theta_r \Big(\sum_{j,k=1}^N a_{jk} x_j x_k\Big)^r")
def _check_shift_keeps_theta(ctx):
    example = counterexample()
    result = example["result"]
    cases = _random_cases(seed=2024, count=4, degrees=(2, 3))
    broken = [case for case in cases if not _is_constant(*_kept_theta_difference(*case))]
    linear = _random_cases(seed=7, count=3, degrees=(1,))
    # R = 1: the difference is the constant -theta_1 c
    linear_constant = sum(_kept_theta_difference(*case)[0] == -case[1][0] * transform(*case).c
                          for case in linear)
    details = dict(
        counterexample={"A": [[1]], "b": [2], "theta": [1, 1],
                        "theta_new": [str(t) for t in result.theta_new],
                        "constant": str(result.constant),
                        "H_minus_kept": str(sympy.factor(example["difference"])),
                        "shifts_f_that_work": len(example["any_shift_solutions"])},
        random_cases_R_ge_2=len(cases), random_cases_failing=len(broken),
        R_equal_1_cases=len(linear), R_equal_1_difference_is_minus_theta1_c=linear_constant)
    kept_constant = _is_constant(example["difference"], [example["x"]])
    if kept_constant and not broken:
        return holds("H - sum theta_r q~^r is constant in every case checked", **details)
    solutions = example["any_shift_solutions"]
    shifts = (f"the shifts {solutions} make it constant" if solutions
              else "no shift f makes it constant")
    negative = f"; theta'_1 = {result.theta_new[0]} < 0" if result.theta_new[0] < 0 else ""
    return fails(
        f"N=1, A=[1], b=[2], theta=(1,1): H - sum theta_r q~^r = "
        f"{sympy.factor(example['difference'])} ({'' if kept_constant else 'not '}constant); "
        f"{shifts}; the shift re-mixes theta to "
        f"theta'=({', '.join(map(str, result.theta_new))}), constant {result.constant}{negative}; "
        f"{len(broken)} of {len(cases)} random R>=2 cases fail too; for R=1 it holds up to the "
        f"additive constant -theta_1 c ({linear_constant} of {len(linear)} cases)",
        **details)


def _random_float_spd(seed, n):
    """A seeded ``M^T M + I`` with float entries, symmetrised exactly."""
    rng = numpy.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    S = M.T @ M + numpy.eye(n)
    return (S + S.T) / 2


@TOPIC.claim("lgw.diagonalize",
              statement="(2) Transform the quadratic form into a diagonal form. "
                        "sum_{j,k=1}^N a_{jk} x_j x_k = sum_{i=1}^N mu_i y_i^2.",
              source=Source(XIA_SLIDES, "'Transformation of the data', step (2); "
                            "also Gong & Xia 2026, Sec. 3.1.1, eqs. (17)-(21)",
                            "(2) Transform the quadratic form into a diagonal form."),
              method="high-precision",
              latex=r"\sum_{j,k=1}^N a_{jk} x_j x_k = \sum_{i=1}^N \mu_i y_i^2")
def _check_diagonalize(ctx):
    exact = {str(A): verify(transform(A, [1])).holds for A in DIAGONALIZE_EXAMPLES}
    A = _random_float_spd(seed=11, n=4)
    result = transform(A, [1.0], dps=ctx.dps + guard_digits(ctx.dps))
    numeric = verify(result)
    details = dict(exact=exact, float_checks=numeric.checks, float_matrix=A.tolist())
    if not all(exact.values()):
        return fails("Q^T diag(mu) Q != A or Q Q^T != I exactly for "
                     + ", ".join(k for k, ok in exact.items() if not ok), **details)
    evidence = (f"exact on {len(exact)} rational matrices (irrational, repeated and cubic "
                f"eigenvalues); seeded 4x4 float SPD to {numeric.digits} digits")
    if numeric.digits >= ctx.dps:
        return holds(evidence, digits=numeric.digits, **details)
    return inconclusive(evidence + f", {ctx.dps} requested", digits=numeric.digits, **details)


def _vanishes(expr):
    """True when sympy simplifies ``expr`` to 0, False when it is numerically non-zero, else None."""
    if sympy.simplify(expr) == 0:
        return True
    return False if abs(sympy.N(expr, 60)) > sympy.Float(10) ** -50 else None


def _dilation_is_identity(A):
    """x^T A x at x = Q^T D^{-1} z equals |z|^2, and (det(D Q) jacobian)^2 = 1 (symbolic).

    True, False, or None when sympy can neither simplify nor separate a residual from zero.
    """
    result = transform(A, [1])
    z = sympy.symbols(f"z1:{result.N + 1}")
    form = sympy.Poly(sympy.expand(quadratic_form(result.A, result.x_of_z(z))), *z)
    target = sympy.Poly(sum(zi ** 2 for zi in z), *z)
    DQ = sympy.diag(*result.scales) * sympy.Matrix(result.Q)
    residuals = [*(form - target).coeffs(), (DQ.det() * result.jacobian) ** 2 - 1]
    found = [_vanishes(v) for v in residuals]
    return False if False in found else (None if None in found else True)


@TOPIC.claim("lgw.dilate",
              statement="(3) Transform the Hamiltonian into translation-invariant form through dilation: "
                        "H = sum_{r=1}^R theta_r (sum_{j,k=1}^N a_{jk} x_j x_k)^r "
                        "= sum_{r=1}^R theta_r (sum_{i=1}^N y_i^2)^r.",
              source=Source(XIA_SLIDES, "'Transformation of the data', step (3); "
                            "also Gong & Xia 2026, Sec. 3.1.1, eqs. (22)-(25)",
                            "(3) Transform the Hamiltonian into translation-invariant form "
                            "through dilation:"),
              method="high-precision",
              latex=r"\mathcal{H} = \sum_{r=1}^{R} \theta_r \Big(\sum_{j,k=1}^{N} a_{jk} x_j x_k\Big)^r "
                    r"= \sum_{r=1}^{R} \theta_r \Big(\sum_{i=1}^{N} y_i^2\Big)^r")
def _check_dilate(ctx):
    examples = DIAGONALIZE_EXAMPLES[:2]
    symbolic = {str(A): _dilation_is_identity(A) for A in examples}
    A = DIAGONALIZE_EXAMPLES[0]
    result = transform(A, [1])
    comparison = compare(lambda: gaussian_polar(A),
                         lambda: mpmath.pi * to_mpf(result.jacobian), ctx.dps)
    numeric = by_comparison(comparison, ctx.dps,
                            "int exp(-x^T A x) dx vs pi det(A)^(-1/2), A=[[2,1],[1,3]]")
    details = dict(symbolic=symbolic, jacobian=str(result.jacobian), **numeric.details)
    if False in symbolic.values():
        return fails("z = sqrt(mu) Q x does not give |z|^2 with Jacobian det(A)^(-1/2) for "
                     + ", ".join(k for k, ok in symbolic.items() if ok is False), **details)
    if None in symbolic.values():
        return inconclusive("sympy could not decide the dilation identities for "
                            + ", ".join(k for k, ok in symbolic.items() if ok is None),
                            **details)
    evidence = (f"x^T A x = |z|^2 and det(diag(sqrt mu) Q) = +-sqrt(det A) symbolically for "
                f"{len(symbolic)} matrices; {numeric.evidence}")
    return dataclasses.replace(numeric, evidence=evidence, details=details)


def _box_partition_function(example, size, dps):
    """``Z_box`` at ``L = size`` by 2-D ``mpmath.quad`` (independent of sympy's integral)."""
    integrand = sympy.lambdify(example["z"], sympy.exp(-example["transformed"]), "mpmath")
    with workdps(dps):
        intervals = [[-size, size] if upper == example["L"] else [-mpmath.inf, 0, mpmath.inf]
                     for _, _, upper in example["box"]]
        return mpmath.quad(integrand, *intervals)


#: A positive definite A (the paper's assumption) and a theta with a quartic term.
DEFINITE_EXAMPLE = (((2, 1), (1, 2)), (1, 1))


@TOPIC.claim("lgw.zero_eigenvalue.positive_definite",
              statement="Under the paper's assumption (A symmetric and positive definite): define "
                        "the matrix (where if any [mu_i = 0], the corresponding diagonal element is "
                        "set to [1]) ... then the Hamiltonian can be transformed into: (24) This is "
                        "exactly the form of a Landau-Ginzburg-Wilson Hamiltonian.",
              source=Source(GONG_XIA_2026, "Sec. 3.1.1, eqs. (16) and (22)-(24)",
                            "such that the matrix is symmetric and positive definite."),
              method="symbolic",
              latex=r"A \succ 0:\ "
                    r"\mathcal{H} = \theta'_0 + \sum_{k=1}^{R} \theta'_k \Big(\sum_{i=1}^N z_i^2\Big)^k")
def _check_zero_eigenvalue_definite(ctx):
    A, theta = DEFINITE_EXAMPLE
    example = zero_eigenvalue_example(A, theta)
    difference = sympy.simplify(example["transformed"] - example["lgw"])
    null = list(example["result"].null_directions)
    details = dict(A=[list(r) for r in A], theta=list(theta), null_directions=null,
                   transformed=str(example["transformed"]), lgw_form=str(example["lgw"]))
    if difference == 0:
        return holds(f"A = {[list(r) for r in A]} (positive definite: no mu_i = 0, so the rule "
                     f"never applies), theta = {tuple(theta)}: the transformed H is "
                     f"{example['transformed']}, exactly the LGW form", **details)
    return fails(f"A = {[list(r) for r in A]}, theta = {tuple(theta)}: the transformed H is "
                 f"{example['transformed']}, not the LGW form {example['lgw']} (null directions "
                 f"{null})", **details)


@TOPIC.claim("lgw.zero_eigenvalue.semidefinite",
              statement="Under the slides' assumption (A symmetric and non-negative definite): "
                        "define the matrix (where if any [mu_i = 0], the corresponding diagonal "
                        "element is set to [1]) ... then the Hamiltonian can be transformed into: "
                        "(24) This is exactly the form of a Landau-Ginzburg-Wilson Hamiltonian.",
              source=Source(GONG_XIA_2026, "Sec. 3.1.1, eqs. (22)-(24), with the slides' "
                            "assumption ('Continuous distribution: exponential family')",
                            "Define the matrix (where if any , the corresponding diagonal "
                            "element is set to ):"),
              method="symbolic",
              latex=r"A \succeq 0,\ \mu_i = 0 \mapsto 1:\ "
                    r"\mathcal{H} = \theta'_0 + \sum_{k=1}^{R} \theta'_k \Big(\sum_{i=1}^N z_i^2\Big)^k")
def _check_zero_eigenvalue_semidefinite(ctx):
    example = zero_eigenvalue_example()
    difference = sympy.simplify(example["transformed"] - example["lgw"])
    sizes = (1, 10, 100)
    box = [_box_partition_function(example, L, 15) for L in sizes]
    with workdps(15):
        lgw_Z = mpmath.quad(lambda r: 2 * mpmath.pi * r * mpmath.exp(-r ** 2), [0, mpmath.inf])
    details = dict(transformed=str(example["transformed"]), lgw_form=str(example["lgw"]),
                   null_directions=list(example["result"].null_directions),
                   Z_box={str(L): mpmath.nstr(v, 12) for L, v in zip(sizes, box)},
                   Z_box_closed_form=str(example["Z_box"]), Z_lgw=mpmath.nstr(lgw_Z, 12))
    if difference == 0:
        return holds("with mu_i = 0 set to 1 the transformed H is the LGW form", **details)
    growth = ", ".join(f"Z(L={L}) = {mpmath.nstr(v, 8)}" for L, v in zip(sizes, box))
    null = ", ".join(str(variable) for variable, lower, _ in example["box"] if lower != -sympy.oo)
    return fails(f"A = diag(1,0), theta=(1,): the transformed H is {example['transformed']}, not "
                 f"the LGW form {example['lgw']}; exp(-H) is not integrable (box |{null}| <= L: "
                 f"{growth}, = {example['Z_box']}), while the LGW form has Z = "
                 f"{mpmath.nstr(lgw_Z, 12)}: the rule changes the model", **details)
