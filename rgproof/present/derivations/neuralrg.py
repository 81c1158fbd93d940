"""Derivation: Li & Wang's continuous dual of the Ising model, its normalisation, and the
RealNVP log-determinant, each identity computed by sympy (one dimension, or one coupling block)
beside the general statement it instances."""
import sympy

from ...core.latex import KL, Expectation, Given, JacobianDeterminant, SpinSum, Step


def _symbols():
    x, s = sympy.symbols("x s", real=True)
    a, K, alpha = sympy.symbols(r"a K \alpha", positive=True)
    return x, s, a, K, alpha


def gaussian_decoupling():
    """``int e^(-x^2/(2a) + s x) dx`` for one spin, and sympy's value of it."""
    x, s, a, _, _ = _symbols()
    integral = sympy.Integral(sympy.exp(-x**2 / (2 * a) + s * x), (x, -sympy.oo, sympy.oo))
    return integral, sympy.simplify(integral.doit(conds="none"))


def one_spin_normalisation():
    """``ln Z_Ising - [ln Z_dual + ln 2 - ln(2 pi)/2 - ln(a)/2 - alpha/2]`` for ``N = 1``,
    ``a = K + alpha``, from the integrals themselves: zero when the relation holds."""
    x, s, _, K, alpha = _symbols()
    a = K + alpha
    z_ising = SpinSum(sympy.exp(K * s**2 / 2), s).doit()
    z_dual = sympy.integrate(sympy.exp(-x**2 / (2 * a)) * sympy.cosh(x), (x, -sympy.oo, sympy.oo),
                             conds="none")
    relation = (sympy.log(z_dual) + sympy.log(2) - sympy.log(2 * sympy.pi) / 2
                - sympy.log(a) / 2 - alpha / 2)
    return z_ising, z_dual, sympy.simplify(sympy.expand_log(sympy.log(z_ising) - relation,
                                                            force=True))


def coupling_block_jacobian():
    """The Jacobian of one RealNVP block on two coordinates (``z_1`` kept) and its determinant."""
    z1, z2 = sympy.symbols("z_1 z_2", real=True)
    scale, shift = sympy.Function("s"), sympy.Function("t")
    forward = sympy.Matrix([z1, z2 * sympy.exp(scale(z1)) + shift(z1)])
    jacobian = forward.jacobian([z1, z2])
    return forward, jacobian, sympy.simplify(jacobian.det())


def derivation():
    x, s, a, K, alpha = _symbols()
    N = sympy.Symbol("N", positive=True, integer=True)
    integral, decoupled = gaussian_decoupling()
    spin_trace = SpinSum(sympy.exp(s * x), s)
    z_ising, z_dual, residual = one_spin_normalisation()
    forward, jacobian, determinant = coupling_block_jacobian()
    jacobian_det = JacobianDeterminant(sympy.Symbol("x"), sympy.Symbol("z"))
    g, i, n = sympy.IndexedBase("g"), sympy.Symbol("i", integer=True), sympy.Symbol("n")
    Z_ising, Z_dual, det_A = sympy.symbols(r"Z_{\mathrm{Ising}} Z_{\mathrm{dual}} \det{A}",
                                           positive=True)
    q, pi = sympy.Function(r"q_\theta"), sympy.Function(r"\pi")
    loss, Z = sympy.symbols(r"\mathcal{L}_\theta Z", positive=True)
    conditional = pi(Given(sympy.Symbol("s_i"), sympy.Symbol("x_i")))
    return [
        Step("Decoupling the spins",
             r"With $A = K + \alpha I$ positive definite, $s^T A s = s^T K s + \alpha N$ because "
             r"$s_i^2 = 1$, and a Gaussian integral writes $e^{s^T A s / 2}$ as an integral over "
             r"a field $x$ in which the spins enter linearly. Per spin ($A = a$), sympy's value:",
             [sympy.Eq(integral, decoupled, evaluate=False)],
             claims=("neuralrg.dual_partition",)),
        Step("Tracing out the spins",
             r"Each spin now appears only in $e^{s_i x_i}$, so the sum over it is $2\cosh x_i$; "
             r"what is left is the dual density "
             r"$\pi(x) = e^{-x^T A^{-1} x / 2} \prod_i \cosh x_i$ on $\mathbb{R}^N$:",
             [sympy.Eq(spin_trace, sympy.simplify(spin_trace.doit().rewrite(sympy.cosh)), evaluate=False)],
             claims=("neuralrg.dual_partition",)),
        Step("The spins given the field",
             r"Bayes' rule on the joint weight $e^{-x^T A^{-1} x / 2 + s^T x}$: the Gaussian "
             r"factor cancels and each spin is independent given $x$, with the slide's "
             "conditional:",
             [sympy.Eq(conditional,
                       sympy.exp(s * x) / spin_trace, evaluate=False),
              sympy.Eq(conditional,
                       1 / (1 + sympy.exp(-2 * s * x)), evaluate=False)],
             claim="neuralrg.dual_conditional"),
        Step("The normalisation",
             r"Collecting the constants of the two steps above, "
             r"$Z_{\mathrm{Ising}} = e^{-\alpha N/2} (2\pi)^{-N/2} (\det A)^{-1/2} 2^N "
             r"Z_{\mathrm{dual}}$. The slides leave the constant out; for one spin sympy "
             r"computes both partition functions and the difference of the two sides:",
             [sympy.Eq(sympy.log(Z_ising),
                       sympy.log(Z_dual) + N * sympy.log(2) - N / 2 * sympy.log(2 * sympy.pi)
                       - sympy.log(det_A) / 2 - alpha * N / 2, evaluate=False),
              sympy.Eq(sympy.Symbol(r"Z_{\mathrm{Ising}}^{(N=1)}"), z_ising, evaluate=False),
              sympy.Eq(sympy.Symbol(r"Z_{\mathrm{dual}}^{(N=1)}"), z_dual, evaluate=False),
              sympy.Eq(sympy.Symbol(r"\ln Z_{\mathrm{Ising}} - \mathrm{rhs}"), residual,
                       evaluate=False)],
             claim="neuralrg.dual_partition", claims=("neuralrg.dual_partition_sampled",)),
        Step("The RealNVP log-determinant",
             r"A coupling block keeps $z_<$ and scales and shifts $z_>$ by functions of $z_<$; "
             r"its Jacobian is triangular, so the determinant is the product of the diagonal "
             r"(one kept and one changed coordinate below); for a composition "
             r"$x = g_n \circ \dots \circ g_1(z)$, $g_0 = z$, the chain rule multiplies the "
             r"determinants:",
             [sympy.Eq(sympy.Symbol("x"), forward, evaluate=False),
              sympy.Eq(jacobian_det, sympy.Determinant(sympy.ImmutableMatrix(jacobian)),
                       evaluate=False),
              sympy.Eq(jacobian_det, determinant, evaluate=False),
              sympy.Eq(sympy.log(sympy.Abs(jacobian_det)),
                       sympy.expand_log(sympy.log(determinant), force=True), evaluate=False),
              sympy.Eq(sympy.log(sympy.Abs(jacobian_det)),
                       sympy.Sum(sympy.log(sympy.Abs(JacobianDeterminant(g[i + 1], g[i]))),
                                 (i, 0, n - 1)), evaluate=False)],
             claim="neuralrg.realnvp_logdet"),
        Step("The variational bound",
             r"Writing $\ln \pi = \ln(\pi/Z) + \ln Z$ inside the loss "
             r"$\mathcal{L}_\theta = \mathbb{E}_{q_\theta}[\ln q_\theta - \ln \pi]$ gives the "
             r"Kullback-Leibler divergence, which is never negative (the "
             r"Gibbs-Bogoliubov-Feynman inequality):",
             [sympy.Eq(loss, Expectation(sympy.log(q(x)) - sympy.log(pi(x)), q(x)), evaluate=False),
              sympy.Eq(loss + sympy.log(Z), KL(q(x), pi(x) / Z), evaluate=False)],
             claim="neuralrg.gbf_bound"),
    ]


__all__ = ["gaussian_decoupling", "one_spin_normalisation", "coupling_block_jacobian",
           "derivation"]
