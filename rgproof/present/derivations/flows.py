"""Derivation of Li & Wang's flow identities: change of variables, density estimation and the
independent sampler, each step attached to the claim that computes it."""
import sympy

from ...core.latex import Step, tex


def derivation():
    z = sympy.Symbol("z", real=True)
    g = sympy.Function("g")
    return [
        Step("Change of variables",
             "For a bijection $x = g(z)$ of the real line, substituting in the partition "
             r"function keeps the Jacobian; the check integrates both sides for a double well "
             r"$\pi(x) = e^{-x^4/4 + x^2/2}$ and $g = \sinh$, $g(z) = z + z^3/3$:",
             [rf"Z = \int dx\, \pi(x) = \int dz\, \pi(g(z)) \left|{tex(sympy.Derivative(g(z), z))}"
              r"\right|"],
             claim="flows.change_of_variables"),
        Step("Density estimation",
             r"The expected negative log-likelihood under the data's law $p = \pi / Z$ splits "
             "into the KL divergence and the entropy of the data, which does not depend on "
             r"$\theta$, so both objectives have the same minimisers:",
             [r"-\mathbb{E}_{p}[\ln q_\theta] = \mathrm{KL}(p \,\|\, q_\theta) - \sum_x p(x) "
              r"\ln p(x)"],
             claim="flows.nll_is_kl"),
        Step("The Metropolised independent sampler",
             "Proposals drawn from $q$ regardless of the current state are accepted with the "
             "ratio below; then $\\pi(x) P(x \\to x') = q(x) q(x') \\min[\\pi(x)/q(x), "
             "\\pi(x')/q(x')]$ is symmetric in $x, x'$: detailed balance, for any $q > 0$:",
             [r"A(x \to x') = \min\left[1, \frac{q(x)}{q(x')} \frac{\pi(x')}{\pi(x)}\right]"],
             claim="flows.independent_sampler"),
    ]


__all__ = ["derivation"]
