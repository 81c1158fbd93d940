"""Derivation: the Laplace transform of a radial Boltzmann factor."""
import sympy

from ...core.latex import Step

# --------------------------------------------------------------------------- derivation

def gamma_series():
    """The quartic radial integral as a series of Gamma values: each power of ``e^(-theta_1 r^2)``
    integrated against ``e^(-theta_2 r^4)`` by sympy. Returns (integral, series)."""
    r = sympy.Symbol("r", positive=True)
    p = sympy.Symbol("p", nonnegative=True)
    n = sympy.Symbol("n", nonnegative=True, integer=True)
    theta1, theta2 = sympy.Symbol(r"\theta_1", real=True), sympy.Symbol(r"\theta_2", positive=True)
    term = sympy.simplify(sympy.integrate(r ** (p + 2 * n) * sympy.exp(-theta2 * r ** 4),
                                          (r, 0, sympy.oo), conds="none"))
    integral = sympy.Integral(r ** p * sympy.exp(-theta1 * r ** 2 - theta2 * r ** 4),
                              (r, 0, sympy.oo))
    return integral, sympy.Sum((-theta1) ** n / sympy.factorial(n) * term, (n, 0, sympy.oo))

def derivation():
    """The radial reduction, the moment series and the zeros, as :class:`~rgproof.core.latex.Step`."""
    r, u, t, w, b = sympy.symbols("r u t w b", positive=True)
    x, s = sympy.symbols("x s", real=True)
    N = sympy.Symbol("N", positive=True, integer=True)
    k = sympy.Symbol("k", nonnegative=True, integer=True)
    theta1 = sympy.Symbol(r"\theta_1", positive=True)
    Z, H, M = sympy.Function(r"\mathcal{Z}"), sympy.Function("H"), sympy.Function("M")
    area = 2 * sympy.pi ** (N / 2) / sympy.gamma(N / 2)
    radial = area * sympy.Integral(r ** (N - 1) * sympy.exp(-H(r))
                                   * sympy.hyper([], [N / 2], w * r ** 2 / 4), (r, 0, sympy.oo))
    gaussian_1d = sympy.simplify(sympy.integrate(sympy.exp(s * x - theta1 * x ** 2),
                                                 (x, -sympy.oo, sympy.oo), conds="none"))
    ratio = sympy.Abs(sympy.Symbol("c_{2k-2}") / sympy.Symbol("c_{2k}"))
    moment = (sympy.rf(sympy.Rational(1, 2), k) / sympy.rf(N / 2, k)
              * M(N - 1 + 2 * k) / M(N - 1))
    return [
        Step("Radial reduction",
             r"For $H = \sum_r \theta_r |x|^{2r}$ the angular average of $e^{s\cdot x}$ is a "
             r"${}_0F_1$, so $\mathcal{Z}$ depends on $w = s\cdot s$ only (not on $|s|^2$ when $s$ "
             "is complex):",
             [sympy.Eq(Z(w), radial, evaluate=False)],
             claims=("laplace.zero_free",)),
        Step("The Gamma series",
             r"For $R = 2$ the radial integrals are entire series in "
             r"$x = -\theta_1/\sqrt{\theta_2}$: expand $e^{-\theta_1 r^2}$ and integrate each "
             r"power against $e^{-\theta_2 r^4}$ (sympy's term); for $\theta_1 > 0$ the series "
             r"alternates and its largest term exceeds the sum by about $x^2/4$ nats, which the "
             "computation carries as guard digits (Theorem 3.1's level set is solved with it):",
             [sympy.Eq(*gamma_series(), evaluate=False)],
             claims=("theorem31.one_equation",)),
        Step("Gaussian check",
             "For $R = 1$ the transform is a Gaussian in $s$, with no zeros; sympy's integral for "
             "$N = 1$:",
             [sympy.Eq(sympy.Integral(sympy.exp(s * x - theta1 * x ** 2), (x, -sympy.oo, sympy.oo)),
                       gaussian_1d, evaluate=False)],
             claims=("laplace.zero_free",)),
        Step("Moments and connected correlations",
             r"Expanding the ${}_0F_1$ in $w = t^2$ gives the marginal moments through the radial "
             r"moments $M_j = \int_0^\infty r^j e^{-H} dr$; the cumulants are the coefficients of "
             r"$\ln \mathcal{Z}[t e]$:",
             [sympy.Eq(sympy.Symbol(r"\langle x_1^{2k} \rangle"), moment, evaluate=False)],
             claims=("laplace.entire",)),
        Step("Zeros on the imaginary axis",
             r"On $s = i b e$, $\mathcal{Z}$ is real ($N = 1$ shown); certified sign changes "
             r"prove zeros for $\theta = (1, 1)$, while $\theta = (1)$ gives a positive Gaussian:",
             [sympy.Eq(sympy.Function(r"\mathcal{Z}_{(1)}")(-b ** 2),
                       gaussian_1d.subs(s, sympy.I * b).subs(theta1, 1), evaluate=False),
              sympy.Eq(sympy.Function(r"\mathcal{Z}_{(1,1)}")(-b ** 2),
                       2 * sympy.Integral(sympy.cos(b * x) * sympy.exp(-x ** 2 - x ** 4),
                                          (x, 0, sympy.oo)), evaluate=False)],
             claim="laplace.zero_free"),
        Step("The logarithm is not entire",
             r"A zero $b_1$ of $\mathcal{Z}$ is a branch point of $\ln\mathcal{Z}$: the cumulant "
             r"series converges only for $|t| < b_1$.",
             [sympy.Eq(sympy.Symbol("b_1"), sympy.Limit(sympy.sqrt(ratio * (k - 1) / k), k, sympy.oo),
                       evaluate=False)],
             claim="laplace.entire"),
    ]


__all__ = ['derivation']
