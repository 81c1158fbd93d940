"""The Landau-Ginzburg-Wilson (LGW) transformation of the exponential-family Hamiltonian.

``H(x) = sum_{r=1..R} theta_r (x^T A x + b^T x)^r`` on R^N is brought to the LGW form
``sum_k theta'_k |z|^(2k) + theta'_0`` in three steps (MATH.md section 2):

1. shift ``x = x~ + x0`` with ``x0 = -A^+ b / 2`` (``b`` must lie in range(A)); then
   ``x^T A x + b^T x = x~^T A x~ - c`` with ``c = b^T A^+ b / 4`` and the powers re-mix the
   coefficients (:func:`remix`);
2. orthogonal diagonalisation ``A = Q^T diag(mu) Q``, ``y = Q x~``;
3. dilation ``z_i = sqrt(mu_i) y_i``, so that ``dx = det(A)^(-1/2) dz``.

Rational input is transformed exactly: the eigenvalues are roots of the irreducible factors of
the characteristic polynomial and the eigenvectors are computed in the number field each root
generates, so repeated and irrational eigenvalues both work. Any float input makes the whole
problem numeric at ``dps`` digits (``mpmath.eigsy``).

>>> r = transform([[1]], [1, 1], b=[2])
>>> r.shift, r.c, r.theta_new, r.constant
((-1,), 1, (-1, 1), 0)
>>> verify(r).holds
True
"""
import math
from dataclasses import dataclass, field
from typing import Optional

import mpmath
import numpy
import sympy
from sympy import QQ
from sympy.polys.matrices import DomainMatrix

from ..core.errors import InputError
from ..core.validate import check_real, to_mpf
from ..core.precision import check_dps, digits_from_error, guard_digits, workdps

#: Variable of the characteristic polynomial; an exact eigenvector is a polynomial in it.
LAMBDA = sympy.Symbol("lambda")

#: Float input: an eigenvalue within 10**(NULL_DIGITS - dps) * max|mu| of zero counts as zero,
#: because ``eigsy`` at ``dps`` digits only resolves eigenvalues to about that much.
NULL_DIGITS = 5

#: Float input: :func:`verify` accepts a result verified to ``dps - FLOAT_SLACK`` digits; the
#: eigensolver and the re-mixing lose a few digits to rounding.
FLOAT_SLACK = 5


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------

def _sequence(name, value):
    """``value`` as a list; reject scalars, strings and arrays of the wrong rank."""
    if isinstance(value, (str, bytes)):
        raise InputError(name, "must be a sequence of real numbers", value)
    if isinstance(value, numpy.ndarray):
        if value.ndim != 1:
            raise InputError(name, "must be one-dimensional", f"shape {value.shape}")
        return value.tolist()
    if isinstance(value, sympy.MatrixBase):
        if min(value.shape) > 1:
            raise InputError(name, "must be one-dimensional", f"shape {value.shape}")
        return list(value)
    try:
        return list(value)
    except TypeError:
        raise InputError(name, "must be a sequence of real numbers", value) from None


def _matrix_rows(A):
    """``A`` (nested lists, sympy, numpy or mpmath matrix) as a list of equally long rows."""
    if isinstance(A, (sympy.MatrixBase, mpmath.matrix, numpy.ndarray)):
        A = A.tolist()
    rows = A if isinstance(A, (list, tuple)) else None
    square = bool(rows) and all(
        not isinstance(row, (str, bytes)) and hasattr(row, "__len__") and len(row) == len(rows)
        for row in rows)
    if not square:
        raise InputError("A", "must be a square N x N matrix with N >= 1", A)
    return [list(row) for row in rows]


def _coefficients(theta):
    """``(theta_1, ..., theta_R)`` as a non-empty list (numbers or sympy symbols)."""
    theta = _sequence("theta", theta)
    if not theta:
        raise InputError("theta", "must be a non-empty sequence (theta_1, ..., theta_R)", theta)
    return theta


@dataclass(frozen=True)
class Problem:
    """Validated input: ``A`` (rows), ``theta``, ``b``; ``exact`` when every entry is rational."""

    A: tuple
    theta: tuple
    b: tuple
    exact: bool

    @property
    def N(self):
        return len(self.A)


def parse(A, theta, b=None):
    """Validate ``A``, ``theta``, ``b`` (see :func:`transform`).

    All-rational input stays exact; otherwise every number becomes an mpf at the current
    precision.

    >>> parse([[2, 1], [1, 3]], [0, 1]).exact
    True
    >>> parse([[1, 2], [3, 4]], [1])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: A: must be symmetric, A[0][1] != A[1][0] (got (2, 3))
    """
    rows = _matrix_rows(A)
    n = len(rows)
    A = [[check_real(f"A[{i}][{j}]", v) for j, v in enumerate(row)] for i, row in enumerate(rows)]
    theta = [check_real(f"theta[{r}]", v) for r, v in enumerate(_coefficients(theta))]
    b = [0] * n if b is None else _sequence("b", b)
    if len(b) != n:
        raise InputError("b", f"must have length N = {n}", f"length {len(b)}")
    b = [check_real(f"b[{i}]", v) for i, v in enumerate(b)]
    exact = all(isinstance(v, sympy.Rational) for v in [*sum(A, []), *theta, *b])
    convert = (lambda v: v) if exact else to_mpf
    A = tuple(tuple(convert(v) for v in row) for row in A)
    for i in range(n):
        for j in range(i):
            if A[i][j] != A[j][i]:
                raise InputError("A", f"must be symmetric, A[{j}][{i}] != A[{i}][{j}]",
                                 (A[j][i], A[i][j]))
    if not theta[-1] > 0:
        raise InputError("theta", "theta_R must be > 0 for integrability", theta[-1])
    return Problem(A, tuple(map(convert, theta)), tuple(map(convert, b)), exact)


# ---------------------------------------------------------------------------------------------
# The Hamiltonian and the coefficient re-mixing
# ---------------------------------------------------------------------------------------------

def quadratic_form(A, x):
    """``x^T A x`` for a matrix given by rows and a vector of numbers or sympy expressions."""
    n = len(x)
    return sum(A[i][j] * x[i] * x[j] for i in range(n) for j in range(n))


def hamiltonian(A, theta, b, x):
    """``H(x) = sum_r theta_r (x^T A x + b^T x)^r``; ``x`` may hold sympy symbols.

    Any float among the numbers makes the evaluation numeric, at the current mpmath precision
    (set it with ``workdps``).

    >>> x = sympy.Symbol("x")
    >>> sympy.expand(hamiltonian([[1]], [1, 1], [2], [x]))
    x**4 + 4*x**3 + 5*x**2 + 2*x
    """
    problem = parse(A, theta, b)
    x = _sequence("x", x)
    if len(x) != problem.N:
        raise InputError("x", f"must have length N = {problem.N}", f"length {len(x)}")
    x = [v if isinstance(v, sympy.Basic) and not v.is_number else check_real(f"x[{i}]", v)
         for i, v in enumerate(x)]
    if problem.exact and any(isinstance(v, mpmath.mpf) for v in x):
        problem = parse([[to_mpf(v) for v in row] for row in problem.A], problem.theta, problem.b)
    if not problem.exact:
        x = [to_mpf(v) if isinstance(v, sympy.Rational) else v for v in x]
    u = quadratic_form(problem.A, x) + sum(bi * xi for bi, xi in zip(problem.b, x))
    return sum(t * u ** r for r, t in enumerate(problem.theta, start=1))


def remix(theta, c):
    r"""``(theta'_0, ..., theta'_R)``: ``sum_r theta_r (u - c)^r = sum_{k=0..R} theta'_k u^k``.

    ``theta'_k = sum_{r >= max(k,1)} theta_r C(r,k) (-c)^(r-k)``; ``theta'_0`` is the additive
    constant. Works for numbers and sympy symbols alike.

    >>> remix([1, 1], 1)
    (0, -1, 1)
    >>> t1, t2, c = sympy.symbols("theta_1 theta_2 c")
    >>> remix([t1, t2], c)
    (c**2*theta_2 - c*theta_1, -2*c*theta_2 + theta_1, theta_2)
    """
    theta = _coefficients(theta)
    R = len(theta)
    return tuple(sum(theta[r - 1] * math.comb(r, k) * (-c) ** (r - k)
                     for r in range(max(k, 1), R + 1))
                 for k in range(R + 1))


# ---------------------------------------------------------------------------------------------
# Exact spectral decomposition
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Eigenblock:
    """The eigenvalues that are the roots of one irreducible factor of the characteristic
    polynomial.

    ``minpoly`` is monic and irreducible over Q in :data:`LAMBDA`; ``vectors`` is an orthogonal
    basis of the eigenspace of its generic root, each entry a polynomial in LAMBDA reduced mod
    ``minpoly`` (an element of Q(lambda)). Every root of ``minpoly`` is an eigenvalue, and the
    same vectors evaluated at that root span its eigenspace.
    """

    minpoly: sympy.Poly
    vectors: tuple


def _show(value):
    """An algebraic number for a message: exact when rational, else 15 digits."""
    return value if value.is_Rational else sympy.N(value, 15)


def _field_and_root(p):
    """The field Q(lambda) for an irreducible monic ``p``, and lambda as an element of it."""
    if p.degree() == 1:
        return QQ, QQ.convert(-p.nth(0))
    root = sympy.CRootOf(p, 0)
    field = QQ.algebraic_field(root)
    return field, field.from_sympy(root)


def _dot(u, v, field):
    return sum((ui * vi for ui, vi in zip(u, v)), field.zero)


def _orthogonalise(vectors, field):
    """Gram-Schmidt without normalisation (square roots are not in the field)."""
    basis = []
    for v in vectors:
        w = list(v)
        for u in basis:
            coefficient = field.quo(_dot(v, u, field), _dot(u, u, field))
            w = [wi - coefficient * ui for wi, ui in zip(w, u)]
        basis.append(w)
    return basis


def _to_poly(element, field):
    if field == QQ:
        return sympy.Poly(QQ.to_sympy(element), LAMBDA, domain=QQ)
    return sympy.Poly(element.to_list(), LAMBDA, domain=QQ)


def _reject_negative_roots(p):
    """A negative eigenvalue makes the model non-integrable: refuse it, naming the eigenvalue."""
    negative = p.count_roots(None, 0) - (1 if p.eval(0) == 0 else 0)
    if negative:
        lowest = min(p.real_roots(), key=lambda root: sympy.N(root, 30))
        raise InputError("A", "must be positive semidefinite; it has the negative eigenvalue "
                              f"{_show(lowest)}")


def eigenblocks(A):
    """The exact spectral decomposition of a rational symmetric matrix, one block per factor.

    >>> [(b.minpoly.as_expr(), len(b.vectors)) for b in eigenblocks(sympy.Matrix([[2, 1], [1, 2]]))]
    [(lambda - 3, 1), (lambda - 1, 1)]
    """
    n = A.rows
    _, factors = A.charpoly(LAMBDA).factor_list()
    blocks = []
    for factor, _multiplicity in factors:
        p = sympy.Poly(factor, LAMBDA, domain=QQ).monic()
        _reject_negative_roots(p)
        field, root = _field_and_root(p)
        shifted = (DomainMatrix.from_Matrix(A).convert_to(field)
                   - DomainMatrix.eye(n, field) * root)
        basis = _orthogonalise(shifted.nullspace().to_list(), field)
        vectors = tuple(tuple(_to_poly(e, field) for e in w) for w in basis)
        blocks.append(Eigenblock(p, vectors))
    return tuple(blocks)


def _norm_squared(vector, p):
    return sum((w * w for w in vector), sympy.Poly(0, LAMBDA, domain=QQ)).rem(p)


def _embed(blocks):
    """Eigenvalues and orthonormal rows (ascending eigenvalue) from the blocks, at every root."""
    pairs = []
    for block in blocks:
        for root in block.minpoly.real_roots():
            for w in block.vectors:
                norm = sympy.sqrt(_norm_squared(w, block.minpoly).as_expr().subs(LAMBDA, root))
                pairs.append((root, tuple(e.as_expr().subs(LAMBDA, root) / norm for e in w)))
    pairs.sort(key=lambda pair: sympy.N(pair[0], 50))
    return tuple(mu for mu, _ in pairs), tuple(row for _, row in pairs)


def _pseudo_determinant(blocks):
    """Product of the non-zero eigenvalues: per factor ``p``, ``(-1)^deg(p) p(0)`` to the power of
    the eigenspace dimension."""
    product = sympy.Integer(1)
    for block in blocks:
        p = block.minpoly
        if p.as_expr() != LAMBDA:
            product *= ((-1) ** p.degree() * p.eval(0)) ** len(block.vectors)
    return product


def _exact_spectrum(problem):
    A = sympy.Matrix(problem.A)
    b = sympy.Matrix(problem.b)
    blocks = eigenblocks(A)
    mu, Q = _embed(blocks)
    singular = any(m == 0 for m in mu)
    solution = A.pinv() * b if singular else A.solve(b)
    if A * solution != b:
        raise InputError("b", "must lie in the range of A (A is singular)", problem.b)
    jacobian = 1 / sympy.sqrt(_pseudo_determinant(blocks))
    return mu, Q, tuple(solution), jacobian, blocks


# ---------------------------------------------------------------------------------------------
# Float spectral decomposition
# ---------------------------------------------------------------------------------------------

def _float_spectrum(problem, dps):
    """``eigsy`` at the current precision; near-zero eigenvalues become 0 (see NULL_DIGITS)."""
    n = problem.N
    values, vectors = mpmath.eigsy(mpmath.matrix([list(row) for row in problem.A]))
    order = sorted(range(n), key=lambda i: values[i])
    E = [values[i] for i in order]
    tolerance = max(abs(e) for e in E) * mpmath.mpf(10) ** (NULL_DIGITS - dps)
    lowest = E[0]
    if lowest < -tolerance:
        raise InputError("A", "must be positive semidefinite; it has the negative eigenvalue "
                              f"{mpmath.nstr(lowest, 15)}")
    mu = tuple(mpmath.mpf(0) if abs(e) <= tolerance else e for e in E)
    Q = tuple(tuple(vectors[j, i] for j in range(n)) for i in order)
    Qb = [mpmath.fsum(Q[i][j] * problem.b[j] for j in range(n)) for i in range(n)]
    b_scale = max((abs(v) for v in problem.b), default=0)
    for i in range(n):
        if mu[i] == 0 and abs(Qb[i]) > b_scale * mpmath.mpf(10) ** (NULL_DIGITS - dps):
            raise InputError("b", "must lie in the range of A (A is singular); its component "
                                  f"along the null eigenvector {i} is {mpmath.nstr(Qb[i], 15)}")
    solution = tuple(mpmath.fsum(Q[i][j] * Qb[i] / mu[i] for i in range(n) if mu[i] != 0)
                     for j in range(n))
    jacobian = 1 / mpmath.sqrt(mpmath.fprod(m for m in mu if m != 0))
    return mu, Q, solution, jacobian, ()


# ---------------------------------------------------------------------------------------------
# The transformation
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LGW:
    r"""Result of :func:`transform`: ``H(x) = sum_k theta'_k |z|^(2k) + theta'_0``.

    ``x = shift + Q^T diag(scales)^(-1) z``; ``dx = jacobian dz``. ``theta_new`` holds
    ``theta'_1..theta'_R`` and ``constant`` ``theta'_0``. ``Q`` (rows: orthonormal eigenvectors,
    ``y = Q x~``), ``mu`` (ascending) and ``scales`` (``sqrt(mu_i)``, and 1 where ``mu_i = 0``,
    the paper's rule) are tuples. ``null_directions`` lists the ``i`` with ``mu_i = 0``: there
    the LGW form is NOT the same model (H does not depend on ``z_i``; see
    ``lgw.zero_eigenvalue.semidefinite``). Exact results keep their spectral ``blocks``.
    """

    A: tuple
    theta: tuple
    b: tuple
    exact: bool
    dps: int
    shift: tuple
    c: object
    theta_new: tuple
    constant: object
    Q: tuple
    mu: tuple
    scales: tuple
    jacobian: object
    null_directions: tuple
    blocks: tuple = field(repr=False)

    @property
    def N(self):
        return len(self.A)

    @property
    def integrable(self):
        """exp(-H) is integrable over R^N exactly when A has no zero eigenvalue."""
        return not self.null_directions

    def x_of_z(self, z):
        """``x = shift + Q^T diag(scales)^(-1) z`` (numbers or sympy expressions)."""
        n = self.N
        y = [z[i] / self.scales[i] for i in range(n)]
        return tuple(self.shift[j] + sum(self.Q[i][j] * y[i] for i in range(n)) for j in range(n))

    def z_of_x(self, x):
        """``z = diag(scales) Q (x - shift)``."""
        n = self.N
        return tuple(self.scales[i] * sum(self.Q[i][j] * (x[j] - self.shift[j]) for j in range(n))
                     for i in range(n))

    def lgw_hamiltonian(self, z):
        """``sum_k theta'_k |z|^(2k) + theta'_0``."""
        radius2 = sum(zi * zi for zi in z)
        return self.constant + sum(t * radius2 ** k for k, t in enumerate(self.theta_new, start=1))


def transform(A, theta, b=None, dps=50):
    """The LGW transformation of ``H(x) = sum_r theta_r (x^T A x + b^T x)^r``.

    ``A``: symmetric positive semidefinite N x N (nested lists, sympy, numpy or mpmath matrix);
    ``theta``: ``(theta_1, ..., theta_R)`` with ``theta_R > 0``; ``b``: length N, in range(A)
    (default 0). All-rational input is transformed exactly; otherwise at ``dps`` digits.

    >>> r = transform([[2, 1], [1, 2]], [1])
    >>> r.mu, r.scales, r.jacobian
    ((1, 3), (1, sqrt(3)), sqrt(3)/3)
    >>> transform([[1, 0], [0, 0]], [1]).null_directions
    (0,)
    >>> transform([[1, 0], [0, -2]], [1])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: A: must be positive semidefinite; it has the negative eigenvalue -2
    """
    dps = check_dps(dps)
    with workdps(dps):
        problem = parse(A, theta, b)
        spectrum = _exact_spectrum(problem) if problem.exact else _float_spectrum(problem, dps)
        mu, Q, solution, jacobian, blocks = spectrum
        c = sum(bi * si for bi, si in zip(problem.b, solution)) / 4
        constant, *theta_new = remix(problem.theta, c)
        sqrt, one = ((sympy.sqrt, sympy.Integer(1)) if problem.exact
                     else (mpmath.sqrt, mpmath.mpf(1)))
        return LGW(A=problem.A, theta=problem.theta, b=problem.b, exact=problem.exact, dps=dps,
                   shift=tuple(-s / 2 for s in solution), c=c, theta_new=tuple(theta_new),
                   constant=constant, Q=Q, mu=mu,
                   scales=tuple(sqrt(m) if m != 0 else one for m in mu),
                   jacobian=jacobian,
                   null_directions=tuple(i for i, m in enumerate(mu) if m == 0),
                   blocks=blocks)


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found. ``digits`` is None for exact results (checked exactly);
    ``checks`` maps each identity to True/False (exact) or to its verified digits (float)."""

    holds: bool
    digits: Optional[int]
    checks: dict


def _rational(value):
    """The exact Rational equal to an mpf (every mpf is a dyadic rational); sympy passes through."""
    if isinstance(value, mpmath.mpf):
        sign, mantissa, exponent, _ = value._mpf_
        return (-1) ** sign * sympy.Integer(mantissa) * sympy.Integer(2) ** exponent
    return value


def _rationals(values):
    return tuple(_rational(v) for v in values)


def _identity_residual(result):
    """Coefficients of ``H(x) - sum_k theta'_k q(x)^k - theta'_0`` and the largest of H's."""
    symbols = sympy.symbols(f"x1:{result.N + 1}")
    x = [sympy.Poly(xi, *symbols, domain=QQ) for xi in symbols]  # Poly arithmetic: no expand()
    A = tuple(_rationals(row) for row in result.A)
    H = hamiltonian(A, _rationals(result.theta), _rationals(result.b), x)
    q = quadratic_form(A, [xi - s for xi, s in zip(x, _rationals(result.shift))])
    remixed = _rational(result.constant) + sum(
        t * q ** k for k, t in enumerate(_rationals(result.theta_new), start=1))
    return (H - remixed).coeffs(), max(abs(v) for v in H.coeffs())


def _power_sums(p):
    """``s_k = sum of the k-th powers of the roots of p``, k < deg p (traces of the companion)."""
    companion = sympy.Matrix.companion(p)
    power = sympy.eye(p.degree())
    sums = []
    for _ in range(p.degree()):
        sums.append(power.trace())
        power = power * companion
    return sums


def _trace(h, sums):
    """Sum of ``h`` over all roots: the trace from Q(lambda) to Q."""
    return sum(coefficient * s for coefficient, s in zip(reversed(h.all_coeffs()), sums))


def _spectral_sums(blocks, n):
    """``Q^T diag(mu) Q`` and ``Q^T Q`` as rational matrices: each block's terms summed over its
    roots (Galois conjugates) by traces, so no algebraic number is ever simplified."""
    weighted, plain = sympy.zeros(n, n), sympy.zeros(n, n)
    lam = sympy.Poly(LAMBDA, LAMBDA, domain=QQ)
    for block in blocks:
        p, sums = block.minpoly, _power_sums(block.minpoly)
        for w in block.vectors:
            inverse_norm = _norm_squared(w, p).invert(p)
            for i in range(n):
                for j in range(n):
                    g = (w[i] * w[j] * inverse_norm).rem(p)
                    plain[i, j] += _trace(g, sums)
                    weighted[i, j] += _trace((lam * g).rem(p), sums)
    return weighted, plain


def _verify_exact(result):
    residual, _ = _identity_residual(result)
    weighted, plain = _spectral_sums(result.blocks, result.N)
    rows = sum(b.minpoly.degree() * len(b.vectors) for b in result.blocks)
    checks = {
        "identity": all(v == 0 for v in residual),
        "diagonal": weighted == sympy.Matrix(result.A),
        "orthogonal": rows == result.N and plain == sympy.eye(result.N),
        "embedding": _embed(result.blocks) == (result.mu, result.Q),
    }
    return Verification(all(checks.values()), None, checks)


def _digits(residuals, scale, cap):
    """Decimal digits to which ``residuals`` vanish relative to ``scale``, between 0 and ``cap``:
    :func:`~rgproof.core.precision.digits_from_error` of the exact ratio, rounded once."""
    worst = max((abs(_rational(v)) for v in residuals), default=0)
    if scale == 0:  # no ratio: a zero residual keeps every digit, any other none
        return digits_from_error(to_mpf(worst), 0, cap)
    return digits_from_error(to_mpf(sympy.Rational(worst) / _rational(scale)), 1, cap)


def _outputs(result):
    """The numbers the transformation produces, for comparing two precisions."""
    return [result.c, result.constant, *result.theta_new, *result.mu, *result.shift]


def _verify_float(result):
    dps, n = result.dps, result.N
    Q = [_rationals(row) for row in result.Q]
    mu = _rationals(result.mu)
    A = sympy.Matrix([_rationals(row) for row in result.A])
    diagonal = sympy.Matrix(Q).T * sympy.diag(*mu) * sympy.Matrix(Q) - A
    orthogonal = sympy.Matrix(Q) * sympy.Matrix(Q).T - sympy.eye(n)
    finer = transform(result.A, result.theta, result.b, dps=dps + guard_digits(dps))
    coarse, fine = _outputs(result), _outputs(finer)
    residual, scale = _identity_residual(result)
    checks = {
        "identity": _digits(residual, scale, dps),
        "diagonal": _digits(diagonal, max(abs(v) for v in A), dps),
        "orthogonal": _digits(orthogonal, 1, dps),
        "precision": _digits([_rational(a) - _rational(b) for a, b in zip(coarse, fine)],
                             max(abs(_rational(v)) for v in fine), dps),
    }
    digits = min(checks.values())
    return Verification(digits >= dps - FLOAT_SLACK, digits, checks)


def verify(result):
    """Check an :class:`LGW` result: ``H(x) == sum_k theta'_k q(x)^k + theta'_0`` as polynomials
    in x (``q = (x - shift)^T A (x - shift)``), ``Q^T diag(mu) Q == A`` and ``Q Q^T == I``.

    Exact results are checked exactly (the spectral identities by traces over each eigenvalue's
    number field). Float results are checked with exact rational arithmetic on the stored
    numbers, and against a recomputation at higher precision; ``digits`` is the least number of
    digits any check reached, and ``holds`` needs ``dps - FLOAT_SLACK``.

    >>> verify(transform([[2.0, 1.0], [1.0, 3.0]], [1.0, 2.0], b=[1.0, 0.5], dps=30)).holds
    True
    """
    if not isinstance(result, LGW):
        raise InputError("result", "must be an LGW result of transform()", type(result).__name__)
    return _verify_exact(result) if result.exact else _verify_float(result)


def _kept_theta_difference(A, theta, b, x=None):
    """``H(x) - sum_r theta_r q~(x)^r`` (the source keeps theta) and the variables x."""
    result = transform(A, theta, b)
    x = x or sympy.symbols(f"x1:{result.N + 1}")
    q = quadratic_form(result.A, [xi - s for xi, s in zip(x, result.shift)])
    kept = sum(t * q ** r for r, t in enumerate(result.theta, start=1))
    return sympy.expand(hamiltonian(A, theta, b, x) - kept), x


def counterexample():
    """MATH.md's counterexample to the shift keeping theta: N=1, A=[1], b=[2], theta=(1,1).

    Returns the sympy objects the check and the derivation share.

    >>> example = counterexample()
    >>> example["H"], example["difference"], example["any_shift_solutions"]
    (x**4 + 4*x**3 + 5*x**2 + 2*x, -2*x**2 - 4*x - 2, [])
    """
    A, theta, b = [[1]], [1, 1], [2]
    x, f = sympy.symbols("x f")
    result = transform(A, theta, b)
    difference, _ = _kept_theta_difference(A, theta, b, [x])
    # "undetermined coefficients": no shift f at all makes H - sum theta_r ((x+f)^2)^r constant
    H = sympy.expand(hamiltonian(A, theta, b, [x]))
    any_shift = sympy.Poly(H - sum(t * (x + f) ** (2 * r) for r, t in enumerate(theta, 1)), x)
    return {"x": x, "H": H, "q": (x - result.shift[0]) ** 2, "result": result,
            "difference": difference,
            "any_shift_solutions": sympy.solve(any_shift.all_coeffs()[:-1], f, dict=True)}


DIAGONALIZE_EXAMPLES = (
    [[2, 1], [1, 3]],                    # irrational eigenvalues (5 -+ sqrt 5)/2
    [[2, 1, 1], [1, 2, 1], [1, 1, 2]],   # repeated eigenvalue 1
    [[5, 2, 1], [2, 3, 0], [1, 0, 4]],   # irreducible cubic: casus irreducibilis
)


def gaussian_polar(A):
    """``int exp(-x^T A x) dx`` over R^2 in polar coordinates: the radial integral
    ``int_0^inf r exp(-s r^2) dr = 1/(2s)`` in closed form, the angle by ``mpmath.quad``."""
    (a, b), (_, d) = [[to_mpf(v) for v in row] for row in A]

    def angular(phi):
        cos, sin = mpmath.cos(phi), mpmath.sin(phi)
        return 1 / (2 * (a * cos ** 2 + 2 * b * cos * sin + d * sin ** 2))

    return mpmath.quad(angular, [0, mpmath.pi, 2 * mpmath.pi])


def zero_eigenvalue_example(A=((1, 0), (0, 0)), theta=(1,)):
    """The transformed H against the LGW form (sympy objects); by default A = diag(1, 0),
    theta = (1,). ``Z_box`` is the partition function with the null directions cut to [-L, L]
    (None when A has none).

    >>> example = zero_eigenvalue_example()
    >>> example["transformed"], example["lgw"], example["Z_box"]
    (z2**2, z1**2 + z2**2, 2*sqrt(pi)*L)
    """
    A, theta = [list(row) for row in A], list(theta)
    result = transform(A, theta)
    z = sympy.symbols(f"z1:{len(A) + 1}")
    L = sympy.Symbol("L", positive=True)
    transformed = sympy.expand(hamiltonian(A, theta, None, result.x_of_z(z)))
    box = [(zi, -L, L) if i in result.null_directions else (zi, -sympy.oo, sympy.oo)
           for i, zi in enumerate(z)]
    return {"A": A, "theta": theta, "result": result, "z": z, "L": L, "box": box,
            "transformed": transformed, "lgw": sympy.expand(result.lgw_hamiltonian(z)),
            "Z_box": sympy.integrate(sympy.exp(-transformed), *box)
            if result.null_directions else None}


__all__ = ['LAMBDA', 'NULL_DIGITS', 'FLOAT_SLACK', 'Problem', 'parse', 'quadratic_form', 'hamiltonian', 'remix', 'Eigenblock', 'eigenblocks', 'LGW', 'transform', 'Verification', 'verify', 'counterexample', 'gaussian_polar', 'zero_eigenvalue_example']
