"""Derivation: Kaufman's exact partition function of the periodic 2-D Ising lattice, the
enumeration it is checked against, and the sign change of its fourth term at Onsager's point."""
import sympy

from ...claims.ising2d import CRITICAL_COUPLING
from ...core.latex import Step
from ...topics.ising2d import bond_sum_histogram


def kaufman_formula():
    """``(Z, [Z_1, .., Z_4], cosh g_l, g_0)`` of the ``m x n`` torus as sympy expressions."""
    m, n = sympy.symbols("m n", positive=True, integer=True)
    K = sympy.Symbol("K", positive=True)
    r, l = sympy.symbols("r l", nonnegative=True, integer=True)
    g = sympy.IndexedBase(r"\gamma")
    odd, even = g[2 * r + 1], g[2 * r]
    terms = [sympy.Product(2 * f(m * gl / 2), (r, 0, n - 1))
             for gl in (odd, even) for f in (sympy.cosh, sympy.sinh)]
    Zi = sympy.IndexedBase("Z")
    total = (sympy.Rational(1, 2) * (2 * sympy.sinh(2 * K)) ** (m * n / 2)
             * sympy.Sum(Zi[sympy.Symbol("i")], (sympy.Symbol("i"), 1, 4)))
    cosh_g = sympy.Eq(sympy.cosh(g[l]), sympy.cosh(2 * K) * sympy.coth(2 * K)
                      - sympy.cos(sympy.pi * l / n))
    g0 = sympy.Eq(g[0], 2 * K + sympy.log(sympy.tanh(K)))
    return total, [sympy.Eq(Zi[i], term) for i, term in enumerate(terms, 1)], cosh_g, g0


def enumerated_partition(L):
    """``sum_E (number of states with bond sum E) e^(K E)`` on the ``L x L`` torus."""
    K = sympy.Symbol("K", positive=True)
    return sum(count * sympy.exp(K * energy) for energy, count in bond_sum_histogram(L).items())


def derivation():
    total, terms, cosh_g, g0 = kaufman_formula()
    K = sympy.Symbol("K", positive=True)
    return [
        Step("Kaufman's formula",
             r"On the $m \times n$ torus with coupling $K$, Kaufman's transfer-matrix solution "
             r"writes $Z$ through the angles $\gamma_l$; $\gamma_0$ keeps its sign:",
             [sympy.Eq(sympy.Symbol("Z"), total, evaluate=False), *terms, cosh_g, g0],
             claim="ising2d.kaufman"),
        Step("The sum it is checked against",
             r"The check sums $e^{K \sum_{\langle ij \rangle} s_i s_j}$ over all $2^{mn}$ "
             r"configurations through the histogram of the bond sum; on the $2 \times 2$ torus "
             r"(each neighbour pair bonded twice, as the periodic lattice has it):",
             [sympy.Eq(sympy.Symbol(r"Z_{2 \times 2}"), enumerated_partition(2), evaluate=False)],
             claims=("ising2d.kaufman",)),
        Step("The sign change at Onsager's point",
             r"$\gamma_0 = 0$ exactly at the critical coupling $K_c = \frac{1}{2}\ln(1 + "
             r"\sqrt{2})$, where $Z_4$ changes sign; sympy simplifies $\gamma_0(K_c)$:",
             [sympy.Eq(sympy.Symbol("K_c"), CRITICAL_COUPLING),
              sympy.Eq(g0.rhs.subs(K, sympy.Symbol("K_c")),
                       sympy.simplify(sympy.radsimp(sympy.logcombine(sympy.expand_log(
                           g0.rhs.subs(K, CRITICAL_COUPLING).rewrite(sympy.exp), force=True),
                           force=True))),
                       evaluate=False)],
             claims=("ising2d.kaufman",)),
    ]


__all__ = ["kaufman_formula", "enumerated_partition", "derivation"]
