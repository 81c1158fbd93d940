"""Derivation: the Landau-Ginzburg-Wilson transformation."""
import sympy

from ...core.latex import Step
from ...topics.lgw import (
    DIAGONALIZE_EXAMPLES,
    counterexample,
    remix,
    transform,
    zero_eigenvalue_example,
)

# ---------------------------------------------------------------------------------------------
# Derivation
# ---------------------------------------------------------------------------------------------

def _general_remix_equation():
    r"""``theta'_k = sum_{r=k}^R theta_r C(r,k) (-c)^{r-k}`` as a sympy Sum."""
    theta = sympy.IndexedBase(r"\theta")
    k, r, R = sympy.symbols("k r R", integer=True)
    c = sympy.Symbol("c")
    return sympy.Eq(sympy.Symbol(r"\theta'_{k}"),
                    sympy.Sum(theta[r] * sympy.binomial(r, k) * (-c) ** (r - k), (r, k, R)))


def _explicit_remix_equations(R):
    theta = sympy.symbols(f"theta_1:{R + 1}")
    c = sympy.Symbol("c")
    return [sympy.Eq(sympy.Symbol(f"\\theta'_{{{k}}}"), value)
            for k, value in enumerate(remix(theta, c))]


def derivation():
    """The LGW transformation step by step, each step naming the claim it supports."""
    example = counterexample()
    q = sympy.Symbol(r"\tilde{q}")
    result = example["result"]
    kept = sum(t * q ** r for r, t in enumerate(result.theta, start=1))
    remixed = result.constant + sum(t * q ** k for k, t in enumerate(result.theta_new, start=1))
    diag = transform(DIAGONALIZE_EXAMPLES[0], [1])
    zero = zero_eigenvalue_example()
    index = zero["result"].null_directions[0]
    null, free = f"\\mu_{index + 1}", f"z_{index + 1}"
    return [
        Step("Shift and re-mixing of the coefficients",
             r"With $x = \tilde x + x_0$, $x_0 = -\frac{1}{2} A^{+} b$ (which needs "
             r"$b \in \operatorname{range} A$), the quadratic polynomial loses its linear term "
             r"but gains a constant, and the powers re-mix the coefficients; $\theta'_0$ is a "
             r"constant absorbed in $Z$. For $R = 3$:",
             [r"x^T A x + b^T x = \tilde x^T A \tilde x - c", r"c = \frac{1}{4} b^T A^{+} b",
              _general_remix_equation(), *_explicit_remix_equations(3)],
             claim="lgw.shift.even"),
        Step("The shift does not keep $\\theta$",
             r"$N = 1$, $A = 1$, $b = 2$, $\theta = (1, 1)$. Keeping $\theta$ would give "
             r"$\tilde q + \tilde q^2$; the difference is not constant, and no other shift $f$ "
             r"makes it constant.",
             [sympy.Eq(q, example["q"]),
              sympy.Eq(sympy.Symbol("H"), example["H"]),
              sympy.Eq(sympy.Symbol("H"), remixed),
              sympy.Eq(sympy.Symbol("H") - kept, sympy.factor(example["difference"]))],
             claim="lgw.shift.keeps_theta"),
        Step("Orthogonal diagonalisation",
             r"$A = Q^T \operatorname{diag}(\mu) Q$ with orthonormal rows of $Q$ (Gram-Schmidt "
             r"inside each eigenspace), $y = Q \tilde x$. For $A = \begin{pmatrix} 2 & 1 \\ 1 & 3 "
             r"\end{pmatrix}$:",
             [r"\tilde x^T A \tilde x = \sum_{i=1}^N \mu_i y_i^2",
              *(sympy.Eq(sympy.Symbol(f"\\mu_{i}"), m) for i, m in enumerate(diag.mu, 1))],
             claim="lgw.diagonalize"),
        Step("Dilation and Jacobian",
             r"$z_i = \sqrt{\mu_i}\, y_i$ makes the form $|z|^2$; since $|\det Q| = 1$ the "
             r"volume changes by $\prod_i \sqrt{\mu_i} = \sqrt{\det A}$. The Gaussian integral "
             r"checks the Jacobian.",
             [r"\mathcal{H} = \theta'_0 + \sum_{k=1}^{R} \theta'_k \Big(\sum_{i=1}^N z_i^2\Big)^k",
              r"dx = (\det A)^{-1/2}\, dz",
              r"\int_{\mathbb{R}^N} e^{-x^T A x}\, dx = \pi^{N/2} (\det A)^{-1/2}",
              sympy.Eq(sympy.Symbol(r"(\det A)^{-1/2}"), diag.jacobian)],
             claim="lgw.dilate"),
        Step("A zero eigenvalue",
             "Under the paper's assumption ($A$ positive definite) every $\\mu_i > 0$ and the "
             "dilation above gives the LGW form. Under the slides' ($A$ non-negative definite) "
             f"a $\\mu_i$ may vanish: for $A = \\operatorname{{diag}}(1, 0)$, $\\theta = (1)$, "
             f"setting the dilation entry "
             f"of ${null} = 0$ to 1 leaves $\\mathcal{{H}}$ independent of ${free}$: it is not the "
             f"LGW form, and $e^{{-\\mathcal{{H}}}}$ is not integrable (on the box "
             f"$|{free}| \\le L$ the partition function grows linearly in $L$).",
             [sympy.Eq(sympy.Symbol(r"\mathcal{H}"), zero["transformed"]),
              sympy.Eq(sympy.Symbol(r"\mathcal{H}_{\mathrm{LGW}}"), zero["lgw"]),
              sympy.Eq(sympy.Symbol(r"\mathcal{Z}_L"), zero["Z_box"])],
             claim="lgw.zero_eigenvalue.semidefinite",
             claims=("lgw.zero_eigenvalue.positive_definite",)),
    ]


__all__ = ['derivation']
