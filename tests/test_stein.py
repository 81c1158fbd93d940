"""theorem31.identifiability.stein: theta from m_2, m_4, m_6 by Stein's identity, exactly."""
import mpmath
import sympy

from rgproof import claims, laplace
from rgproof.claims import theorem31 as theorem31_claims
from rgproof.core.precision import agreed_digits, workdps
from rgproof.topics.theorem31 import gram_identity, moment_symbol, stein_route


def run_row():
    return claims.run(claims.get("theorem31.identifiability.stein"), claims.Context(dps=30))


def test_the_stein_route_holds_exactly():
    result = run_row()
    assert result.outcome.verdict == "holds" and result.outcome.digits is None
    assert "m_2, m_4, m_6" in result.outcome.evidence


def test_the_solution_recovers_theta_from_high_precision_moments():
    # the formulas against the quadrature moments of exp(-x^2 - x^4/2) on R (N = 1)
    solution = stein_route().solution
    m = laplace.moments([1, sympy.Rational(1, 2)], 1, 6, dps=40)
    with workdps(40):
        values = {moment_symbol(k): m[k].value for k in (2, 4, 6)}
        theta = [sympy.lambdify(list(values), solution[t], "mpmath")(*values.values())
                 for t in sorted(solution, key=str)]
        assert agreed_digits(theta[0], mpmath.mpf(1), 40) >= 35
        assert agreed_digits(theta[1], mpmath.mpf(1) / 2, 40) >= 35


def test_dependent_test_functions_do_not_fix_theta(monkeypatch):
    # f = x and f = 3x give proportional equations: one equation for two unknowns
    monkeypatch.setattr(theorem31_claims, "STEIN_TEST_FUNCTIONS", ("x", "3*x"))
    outcome = run_row().outcome
    assert outcome.verdict == "fails" and "determinant is 0" in outcome.evidence


def test_too_few_equations_leave_theta_open():
    route = stein_route(3, ("x", "x**3"))  # R = 3 needs a third equation
    assert route.solution is None and route.determinant == 0


def test_the_determinant_is_a_mean_of_squares():
    assert gram_identity()
    gram = 8 * (moment_symbol(2) * moment_symbol(6) - moment_symbol(4) ** 2)
    assert sympy.expand(stein_route().determinant - gram) == 0
