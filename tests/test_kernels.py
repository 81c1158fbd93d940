"""Kernels written against a context (``def kernel(ctx, ...)``, as mpmath's own functions are):
the same formula screens in ``mpmath.fp``, certifies in ``mpmath.mp`` at two precisions, and,
where python-flint's functions cover it, proves in ball arithmetic."""
import mpmath
import pytest

from rgproof import ising, ising2d, neuralrg, scaling
from rgproof.core.precision import workdps
from rgproof.core.validate import check_real

COUPLING = 0.37
K3 = neuralrg.check_coupling_matrix(neuralrg.chain_coupling_matrix(3, COUPLING), 3)

#: name -> kernel(ctx) at fixed arguments: every kernel a claim certifies that takes a context.
KERNELS = {
    "ising.log_z": lambda ctx: ising.log_z(ctx, 12, ctx.mpf(COUPLING)),
    "ising.log_z_enumerated": lambda ctx: ising.log_z_enumerated(
        ctx, ising.bond_sum_histogram(8), ctx.mpf(COUPLING)),
    "ising.log_z_by_decimation": lambda ctx: ising.log_z_by_decimation(ctx, 16, ctx.mpf(COUPLING)),
    "ising.decimation_step": lambda ctx: ising.decimation_step(ctx, ctx.mpf(COUPLING)),
    "ising2d.kaufman_log_z": lambda ctx: ising2d.kaufman_log_z(ctx, 4, 4, ctx.mpf(COUPLING)),
    "scaling.log_z": lambda ctx: scaling.log_z(ctx, (0.5, 0.25), 3),
    "neuralrg.ising_log_z": lambda ctx: neuralrg.ising_log_z(ctx, K3),
    "neuralrg.log_det": lambda ctx: neuralrg.log_det(ctx, K3, 0.9),
}


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_float_screen_agrees_with_the_certified_value(name):
    screen = KERNELS[name](mpmath.fp)
    assert isinstance(screen, float)
    with workdps(40):
        precise = KERNELS[name](mpmath.mp)
        assert isinstance(precise, mpmath.mpf)
        assert abs(screen - precise) <= 1e-12 * max(1, abs(precise))


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_two_precisions_agree_to_the_lower_one(name):
    with workdps(30):
        low = KERNELS[name](mpmath.mp)
    with workdps(50):
        high = KERNELS[name](mpmath.mp)
        assert abs(low - high) <= mpmath.mpf(10) ** -27 * max(1, abs(high))


def test_the_ball_encloses_the_transfer_matrix_value():
    pytest.importorskip("flint")
    enclosed = ising.log_partition_ball(12, COUPLING, dps=40)
    assert enclosed.digits >= 40
    certified = ising.log_partition(12, COUPLING, dps=40)
    assert enclosed.value == certified.value


def test_a_kernel_fed_a_wrong_formula_is_caught_by_the_screen():
    # the screen is a real check: a kernel with a dropped term disagrees with the certified value
    wrong = lambda ctx: 12 * ctx.log(2 * ctx.cosh(ctx.mpf(COUPLING)))  # no log1p(tanh^N)
    with workdps(40):
        assert abs(wrong(mpmath.fp) - KERNELS["ising.log_z"](mpmath.mp)) > 1e-8
    assert check_real("J", COUPLING) == mpmath.mpf(COUPLING)
