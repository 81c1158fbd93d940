import math

import numpy as np
import pytest
import sympy

from rgproof import claims
from rgproof.claims import annealing_lemma as lemma_claims
from rgproof.core.errors import InputError
from rgproof.present.derivations import annealing_lemma as lemma_derivation
from rgproof.topics import annealing_lemma as al

WELL = al.TiltedDoubleWell(0.3)


# --------------------------------------------------------------------------- the landscape

def test_the_tilted_double_well_has_the_shape_the_lemma_needs():
    low, top, trap = WELL.critical_points
    assert WELL(low) == 0 and low < top < trap
    assert all(abs(WELL.slope(x)) < 1e-12 for x in (low, top, trap))
    xs = np.linspace(-3, 3, 20001)
    assert WELL(xs).min() >= -1e-12                      # L >= 0
    assert WELL.height == pytest.approx(float(WELL(trap))) and WELL.height > 0
    assert WELL.depth == pytest.approx(float(WELL(top) - WELL(trap)))
    assert al.critical_constant(WELL) == 2 * WELL.depth


@pytest.mark.parametrize("tilt", [0.0, -0.1, 8 / math.sqrt(27), 2.0])
def test_a_tilt_without_two_minima_is_refused(tilt):
    with pytest.raises(InputError, match="tilt"):
        al.TiltedDoubleWell(tilt)


def test_evolve_refuses_bad_settings():
    with pytest.raises(InputError, match="annealing"):
        al.evolve(WELL, -1.0, 0.1, 1e3)
    with pytest.raises(InputError, match="annealing"):
        al.evolve(WELL, 1.0, 0.1, 10.0)


# --------------------------------------------------------------------------- the solver

def _dense_generator(right, left):
    n = right.size
    Q = np.zeros((n, n))
    for i in range(n - 1):
        Q[i + 1, i] += right[i]
        Q[i, i] -= right[i]
        Q[i, i + 1] += left[i]
        Q[i + 1, i + 1] -= left[i]
    return Q


@pytest.mark.parametrize("dt", [1e-3, 1.0, 1e3])
def test_implicit_step_solves_the_backward_euler_system(dt):
    grid = al.Grid(41, 2.0)
    right, left = al._rates(WELL, grid, 0.4)
    mass = np.random.default_rng(0).uniform(size=grid.points)
    mass /= mass.sum()
    x = al.implicit_step(mass, right, left, dt)
    expected = np.linalg.solve(np.eye(grid.points) - dt * _dense_generator(right, left), mass)
    np.testing.assert_allclose(x, expected, rtol=1e-9, atol=1e-15)
    assert x.sum() == pytest.approx(1.0, abs=1e-14) and x.min() >= 0


def test_the_gibbs_law_is_the_stationary_state_even_for_enormous_steps():
    grid = al.Grid(201)
    right, left = al._rates(WELL, grid, 0.05)
    gibbs = al.gibbs_law(WELL, grid, 0.05)
    # detailed balance: the flux between neighbours vanishes exactly
    np.testing.assert_allclose(right[:-1] * gibbs[:-1], left[:-1] * gibbs[1:], rtol=1e-12,
                               atol=1e-300)
    for dt in (1.0, 1e20):
        np.testing.assert_allclose(al.implicit_step(gibbs, right, left, dt), gibbs, rtol=1e-9,
                                   atol=1e-300)


# --------------------------------------------------------------------------- the claim

def _lemma(ctx=claims.Context()):
    return claims.get("annealing_lemma.lemma1").check(ctx)


def test_the_lemma_holds_with_a_schedule_above_the_critical_constant():
    outcome = _lemma()
    assert outcome.verdict == "holds"
    assert outcome.details["classes"] == {"0.5": "trapped", "2": "driven to 0"}
    assert outcome.details["c_star"] == pytest.approx(2 * WELL.depth)
    assert "not computed here" in outcome.evidence.lower()


def test_a_family_below_the_critical_constant_flips_the_verdict(monkeypatch):
    # the false case: every schedule cools faster than the trap's depth allows
    monkeypatch.setattr(lemma_claims, "SCHEDULE_MULTIPLES", (0.25, 0.5))
    outcome = _lemma()
    assert outcome.verdict == "fails"
    assert set(outcome.details["classes"].values()) == {"trapped"}


def test_a_wrong_noise_convention_is_caught(monkeypatch):
    # a critical constant a quarter of the true one (the depth halved, as if the temperature
    # were 2 eta instead of eta/2) puts both schedules of the family below the threshold the
    # evolved law obeys: none anneals
    monkeypatch.setattr(lemma_claims, "critical_constant", lambda well: well.depth / 2)
    monkeypatch.setattr(lemma_claims, "SCHEDULE_MULTIPLES", (0.5, 2.0))
    outcome = _lemma()
    assert outcome.verdict == "fails"


def test_the_verdict_rests_on_the_declared_criterion(monkeypatch):
    # a criterion no tracking fraction can meet leaves nothing decided
    monkeypatch.setattr(lemma_claims, "DRIVEN", 2.0)
    monkeypatch.setattr(lemma_claims, "TRAPPED", -1.0)
    assert _lemma().verdict == "inconclusive"


# --------------------------------------------------------------------------- the derivation

def test_the_derivation_derives_the_factor_two_and_names_the_claim():
    density = lemma_derivation.equilibrium_density()
    eta = sympy.Symbol(r"\eta", positive=True)
    L = sympy.Function("L")(sympy.Symbol("x", real=True))
    assert sympy.simplify(density.rhs / sympy.exp(-2 * L / eta)).free_symbols <= {
        sympy.Symbol("C1")}
    c, d = sympy.symbols(r"c d^*", positive=True)
    assert sympy.simplify(lemma_derivation.escape_exponent() + 2 * d / c) == 0
    steps = lemma_derivation.derivation()
    assert {i for s in steps for i in s.claim_ids} == {"annealing_lemma.lemma1"}
