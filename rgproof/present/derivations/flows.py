"""Derivation of Li & Wang's flow identities: change of variables, density estimation, the
independent sampler and mutual information under block bijections, each step attached to the
claim that computes it."""
import sympy

from ...core.latex import Step, tex
from ...topics.flows import gaussian_mutual_information


def _sheared_mutual_information():
    """``I(A:B) - I(a:b)`` for unit-variance Gaussians with correlation rho and the shear
    ``A = a + b``, ``B = b``."""
    rho = sympy.Symbol("rho", real=True)
    covariance = sympy.Matrix([[1, rho], [rho, 1]])
    shear = sympy.Matrix([[1, 1], [0, 1]])
    change = (gaussian_mutual_information(shear * covariance * shear.T, 1)
              - gaussian_mutual_information(covariance, 1))
    # both are halved logarithms: their difference is half the log of one rational function
    return sympy.log(sympy.factor(sympy.simplify(sympy.exp(2 * change)))) / 2


def derivation():
    z = sympy.Symbol("z", real=True)
    g = sympy.Function("g")
    change = _sheared_mutual_information()
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
        Step("Mutual information under a block bijection",
             "The slide titled ``Decimator'' only architecture states $I(A:B) = I(a:b)$ above "
             "the words Mutual Information Bottleneck; the figure that says what $A, B, a, b$ "
             "are is lost in the text. Read with $a, b$ latent and $A = g_A(a)$, $B = g_B(b)$ "
             "given by bijections acting on each block alone, the Jacobians of the joint law "
             "and of the two marginals cancel in the ratio that the mutual information averages, "
             "so it is unchanged:",
             [r"\frac{p_{AB}(A,B)}{p_A(A)\, p_B(B)} = \frac{p_{ab}(a,b) \left|\det "
              r"\frac{\partial a}{\partial A}\right| \left|\det \frac{\partial b}{\partial B}"
              r"\right|}{p_a(a) \left|\det \frac{\partial a}{\partial A}\right|\, p_b(b) "
              r"\left|\det \frac{\partial b}{\partial B}\right|} = "
              r"\frac{p_{ab}(a,b)}{p_a(a)\, p_b(b)}"],
             claim="flows.mutual_information_invariant"),
        Step("A bijection that mixes the blocks",
             "A bijection that lets $A$ depend on $b$ has no such cancellation. For unit-"
             r"variance Gaussians with correlation $\rho$, where "
             r"$I = \frac{1}{2} \ln \frac{\det \Sigma_{aa} \det \Sigma_{bb}}{\det \Sigma}$, "
             r"$I(a:b) = -\frac{1}{2} \ln(1 - \rho^2)$, the shear $A = a + b$, $B = b$ "
             "(Jacobian 1) changes it for every $\\rho \\neq -\\frac{1}{2}$, so the equality "
             "needs the block structure:",
             [rf"I(a + b : b) - I(a : b) = {tex(change)}"],
             claim="flows.mutual_information_invariant"),
    ]


__all__ = ["derivation"]
