"""The slides' 'forward propagation as an RG transformation': the field-theory Hamiltonian of
the network's outputs and its rewrite with a Gaussian measure, computed symbolically.

>>> field_hamiltonian_integral("tanh", (1,))
oo
>>> gaussian_rewrite("theta x^2")
(sqrt(pi)/sqrt(theta), 1/(2*theta))
"""
import sympy

from ..core.errors import InputError

X = sympy.Symbol("x", real=True)
THETA = sympy.Symbol("theta", positive=True)

#: Activations f of a network without hidden layers, as sympy functions of the pre-activation;
#: "bump" (exp(-u^2)) is the one that vanishes at infinity, for the false-case check.
ACTIVATIONS = {"tanh": sympy.tanh, "sigmoid": lambda u: 1 / (1 + sympy.exp(-u)),
               "bump": lambda u: sympy.exp(-u**2)}


def field_hamiltonian_integral(activation, theta, weight=1, bias=sympy.Rational(1, 2)):
    """``int_R sum_r theta_r (F(x)^2)^r dx`` for one input (N = 1), one output (M = 1) and
    ``F(x) = f(weight x + bias)``: the slides' H~(phi, theta, M) of a network without hidden
    layers, as sympy computes it (``oo`` when it diverges)."""
    if activation not in ACTIVATIONS:
        raise InputError("activation", f"must be one of {', '.join(ACTIVATIONS)}", activation)
    theta = [sympy.nsimplify(t) for t in theta]
    if not theta or any(t <= 0 for t in theta):
        raise InputError("theta", "must be a non-empty sequence of numbers > 0", theta)
    F = ACTIVATIONS[activation](weight * X + bias)
    density = sum(t * (F**2) ** r for r, t in enumerate(theta, start=1))
    return sympy.integrate(density, (X, -sympy.oo, sympy.oo))


def gaussian_rewrite(convention):
    """``(normaliser, variance)`` of the factor ``exp(-theta x^2)`` (``convention="theta
    x^2"``, the slides' Hamiltonian) or ``exp(-theta x^2 / 2)`` (``"theta x^2 / 2"``): the
    integral over the real line and the variance of the density it normalises, which the
    measure ``dN(0, variance)`` must carry."""
    quadratic = {"theta x^2": THETA * X**2, "theta x^2 / 2": THETA * X**2 / 2}
    if convention not in quadratic:
        raise InputError("convention", f"must be one of {', '.join(quadratic)}", convention)
    weight = sympy.exp(-quadratic[convention])
    normaliser = sympy.integrate(weight, (X, -sympy.oo, sympy.oo))
    variance = sympy.simplify(sympy.integrate(X**2 * weight, (X, -sympy.oo, sympy.oo))
                              / normaliser)
    return sympy.simplify(normaliser), variance


__all__ = ["ACTIVATIONS", "field_hamiltonian_integral", "gaussian_rewrite"]
