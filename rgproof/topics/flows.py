"""Li & Wang's flow-based sampling: the identities their slides rest on, computed exactly.

* the change of variables ``Z = int pi(x) dx = int pi(g(z)) |dg/dz| dz`` for a bijection g;
* density estimation: the negative log-likelihood under the data's law minus
  ``KL(pi/Z || q_theta)`` is the data's entropy, whatever theta (so the two objectives have
  the same minimisers);
* the Metropolised independent sampler: with proposals drawn from q independently of the
  current state and acceptance ``min[1, q(x)/q(x') pi(x')/pi(x)]``, the chain satisfies
  detailed balance with pi and has pi / Z as its stationary law, for any q > 0;
* mutual information under a bijection of the latent ``(a, b)``: one that acts on ``a`` and
  on ``b`` separately leaves ``I(A:B) = I(a:b)``, one that mixes them need not.

>>> mpmath.nstr(log_partition_by_substitution(lambda ctx, x: -x**2, BIJECTIONS["sinh"], 20), 15)
'0.5723649429247'
"""
from itertools import product

import mpmath
import sympy

from ..core.errors import InputError
from ..core.precision import workdps

#: Bijections of the real line with their derivatives, written against an mpmath context.
BIJECTIONS = {
    "sinh": (lambda ctx, z: ctx.sinh(z), lambda ctx, z: ctx.cosh(z)),
    "cubic": (lambda ctx, z: z + z**3 / 3, lambda ctx, z: 1 + z**2),
}


def _log_integral(log_integrand, dps):
    """``ln int exp(log_integrand(t)) dt`` over the real line by tanh-sinh quadrature at
    ``dps``, on ``[-L, L]`` with L doubled until the integrand is below ``10^-(dps + 20)`` at
    both ends (an infinite range would evaluate sinh at astronomically large points). The
    integrand must decay monotonically beyond L."""
    with workdps(dps):
        floor = -(dps + 20) * mpmath.log(10)
        L = mpmath.mpf(1)
        while max(log_integrand(L), log_integrand(-L)) > floor:
            L *= 2
        return mpmath.log(mpmath.quad(lambda t: mpmath.exp(log_integrand(t)), [-L, 0, L]))


def log_partition(log_pi, dps):
    """``ln int pi(x) dx`` over the real line at ``dps`` (``log_pi(ctx, x) = ln pi(x)``)."""
    return _log_integral(lambda x: log_pi(mpmath.mp, x), dps)


def log_partition_by_substitution(log_pi, bijection, dps, jacobian=True):
    """``ln int pi(g(z)) |g'(z)| dz`` for ``bijection = (g, g')`` (``jacobian=False`` drops
    the factor ``|g'|``, the step a flow must not forget)."""
    g, derivative = bijection

    def log_integrand(z):
        weight = mpmath.log(abs(derivative(mpmath.mp, z))) if jacobian else 0
        return log_pi(mpmath.mp, g(mpmath.mp, z)) + weight

    return _log_integral(log_integrand, dps)


def nll_minus_kl(log_weights, log_q, theta, direction="data_first"):
    """``(difference, entropy)``: the expected negative log-likelihood ``-E_p[ln q_theta]``
    minus ``KL(p || q_theta)`` for the data's law ``p = pi / Z`` on a finite set, and the
    entropy ``H(p)``, as sympy expressions (``log_weights[x] = ln pi(x)``; ``log_q[x]`` the
    model's log-probability, a function of the symbols ``theta``). ``direction="reverse"``
    subtracts ``KL(q_theta || p)`` instead, the divergence the slides do not name.

    >>> J, t = sympy.symbols("J t", real=True)
    >>> states = [1, -1]
    >>> log_q = [t * s - sympy.log(2 * sympy.cosh(t)) for s in states]
    >>> difference, entropy = nll_minus_kl([J * s for s in states], log_q, [t])
    >>> difference == entropy, sympy.diff(difference, t)
    (True, 0)
    """
    if len(log_weights) != len(log_q) or not log_q:
        raise InputError("log_q", "must give one log-probability per state of the data",
                         len(log_q))
    if direction not in ("data_first", "reverse"):
        raise InputError("direction", "must be 'data_first' or 'reverse'", direction)
    Z = sum(sympy.exp(w) for w in log_weights)
    p = [sympy.exp(w) / Z for w in log_weights]
    nll = -sum(pi * lq for pi, lq in zip(p, log_q))
    if direction == "data_first":
        kl = sum(pi * (sympy.log(pi) - lq) for pi, lq in zip(p, log_q))
    else:
        kl = sum(sympy.exp(lq) * (lq - sympy.log(pi)) for pi, lq in zip(p, log_q))
    entropy = -sum(pi * sympy.log(pi) for pi in p)
    # the model's terms cancel term by term once the sums are expanded
    return sympy.expand(nll - kl), sympy.expand(entropy)


def independent_sampler(weights, proposal, acceptance="slides"):
    """The transition matrix ``P[x][x']`` (exact rationals) of the Metropolised independent
    sampler on a finite set: propose ``x'`` with probability ``proposal[x']``, accept with
    ``min[1, q(x)/q(x') pi(x')/pi(x)]`` (``acceptance="slides"``) or with the plain Metropolis
    ratio ``min[1, pi(x')/pi(x)]`` (``"metropolis"``, which ignores the proposal).

    >>> P = independent_sampler([1, 2], [sympy.Rational(1, 2)] * 2)
    >>> P
    [[1/2, 1/2], [1/4, 3/4]]
    """
    pi = [sympy.Rational(w) for w in weights]
    q = [sympy.Rational(v) for v in proposal]
    if len(pi) != len(q) or len(pi) < 2:
        raise InputError("proposal", "must give one probability per state (at least 2)", len(q))
    if any(w <= 0 for w in pi):
        raise InputError("weights", "must all be > 0", weights)
    if any(v <= 0 for v in q) or sum(q) != 1:
        raise InputError("proposal", "must be probabilities > 0 that sum to 1", proposal)
    if acceptance not in ("slides", "metropolis"):
        raise InputError("acceptance", "must be 'slides' or 'metropolis'", acceptance)
    n = len(pi)
    P = [[sympy.Integer(0)] * n for _ in range(n)]
    for x in range(n):
        for y in range(n):
            if x != y:
                ratio = pi[y] / pi[x] * (q[x] / q[y] if acceptance == "slides" else 1)
                P[x][y] = q[y] * sympy.Min(1, ratio)
        P[x][x] = 1 - sum(P[x][y] for y in range(n) if y != x)
    return P


def detailed_balance_violations(weights, P):
    """The pairs ``(x, x')`` where ``pi(x) P(x -> x') != pi(x') P(x' -> x)`` (exact)."""
    pi = [sympy.Rational(w) for w in weights]
    return [(x, y) for x in range(len(pi)) for y in range(x + 1, len(pi))
            if pi[x] * P[x][y] != pi[y] * P[y][x]]


def stationary_defect(weights, P):
    """``(pi/Z) P - pi/Z`` (exact): all zero when pi / Z is stationary."""
    pi = [sympy.Rational(w) for w in weights]
    Z = sum(pi)
    p = [w / Z for w in pi]
    return [sum(p[x] * P[x][y] for x in range(len(p))) - p[y] for y in range(len(p))]


def gaussian_mutual_information(covariance, size_a):
    """``I(A:B) = (1/2) ln(det S_AA det S_BB / det S)`` (exact, sympy) for a Gaussian with
    covariance ``S``, ``A`` its first ``size_a`` coordinates and ``B`` the rest.

    >>> rho = sympy.Symbol("rho")
    >>> gaussian_mutual_information(sympy.Matrix([[1, rho], [rho, 1]]), 1)
    log(-1/(rho**2 - 1))/2
    """
    S = sympy.Matrix(covariance)
    if not S.is_square or not 0 < size_a < S.rows:
        raise InputError("size_a", "must split a square covariance into two non-empty blocks",
                         (S.shape, size_a))
    ratio = sympy.cancel(S[:size_a, :size_a].det() * S[size_a:, size_a:].det() / S.det())
    return sympy.log(ratio) / 2


def spin_mutual_information(weights, size_a):
    """``I(A:B) = sum p(a,b) ln(p(a,b) / (p(a) p(b)))`` (exact, sympy) of the law
    ``p(s) = weights[s] / Z`` on spin configurations ``s`` (tuples of +-1), ``A`` the first
    ``size_a`` spins.

    >>> independent = {s: 1 for s in product((1, -1), repeat=2)}
    >>> spin_mutual_information(independent, 1)
    0
    """
    if not weights or not all(0 < size_a < len(s) for s in weights):
        raise InputError("size_a", "must split every configuration into two non-empty blocks",
                         size_a)
    Z = sum(weights.values())
    p = {s: w / Z for s, w in weights.items()}
    p_a, p_b = {}, {}
    for s, ps in p.items():
        p_a[s[:size_a]] = p_a.get(s[:size_a], 0) + ps
        p_b[s[size_a:]] = p_b.get(s[size_a:], 0) + ps
    return sum(ps * sympy.log(ps / (p_a[s[:size_a]] * p_b[s[size_a:]])) for s, ps in p.items())


def push_forward(weights, bijection):
    """The law of ``bijection(s)`` when ``s`` has the law ``weights`` (a map of configurations
    onto themselves; anything else is refused)."""
    image = {bijection(s): w for s, w in weights.items()}
    if set(image) != set(weights):
        raise InputError("bijection", "must map the configurations one to one onto themselves")
    return image


def chain_weights(n, coupling):
    """``e^{J sum_i s_i s_(i+1)}`` on the periodic ``n``-spin chain, every configuration."""
    return {s: sympy.exp(coupling * sum(s[i] * s[(i + 1) % n] for i in range(n)))
            for s in product((1, -1), repeat=n)}


__all__ = ["BIJECTIONS", "log_partition", "log_partition_by_substitution", "nll_minus_kl",
           "independent_sampler", "detailed_balance_violations", "stationary_defect",
           "gaussian_mutual_information", "spin_mutual_information", "push_forward",
           "chain_weights"]
