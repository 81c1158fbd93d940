"""rgproof.core.oracle: the worst point of a comparison, digits from an error, the coupling grid.

The transfer-matrix ``ln Z_N(J)`` of the periodic Ising chain is checked with mpmath as the
oracle, against ``ln((2 cosh J)^N + (2 sinh J)^N)`` summed directly with enough working digits
for any cancellation, over couplings from 1e-30 to 1e3 in magnitude and of both signs.
"""
import mpmath
import pytest
import sympy

from rgproof.core.errors import InputError
from rgproof.core.validate import to_mpf
from rgproof.core.oracle import (
    Worst,
    call_at,
    coupling_grid,
    worst_comparison,
    worst_point,
)
from rgproof.core.precision import digits_from_error
from rgproof.topics.ising import log_partition

DPS = 30
GRID = coupling_grid(per_decade=1)
EVEN_LENGTHS = (2, 4, 16, 1024)


def transfer_matrix(N, J):
    """``ln Z_N(J)`` from the topic, at the working precision ``compare`` sets."""
    return log_partition(N, J, mpmath.mp.dps).value


def eigenvalue_sum(N, J):
    """``ln((2 cosh J)^N + (2 sinh J)^N)`` as written, with ~0.87 |J| extra digits: for J < 0
    and odd N the two powers cancel down to ~ 2N e^(-2|J|) of either."""
    with mpmath.extradps(int(abs(J)) + 10):
        K = to_mpf(J)
        return mpmath.log((2 * mpmath.cosh(K)) ** N + (2 * mpmath.sinh(K)) ** N)


def test_coupling_grid_spans_the_magnitudes_with_both_signs():
    assert all(isinstance(c, sympy.Rational) for c in GRID)
    assert GRID == sorted(set(GRID))
    magnitudes = {abs(c) for c in GRID}
    assert min(magnitudes) == sympy.Rational(1, 10 ** 30) and max(magnitudes) == 1000
    assert {sympy.Integer(10) ** k for k in range(-30, 4)} <= magnitudes
    assert set(GRID) == {-c for c in GRID}
    assert {sympy.Rational(1, 3), sympy.Rational(-13, 10)} <= set(GRID)
    finer = coupling_grid(1e-2, 1, per_decade=3, signs=(1,), exact=())
    assert finer == [sympy.Rational(n, 1000) for n in (10, 22, 46, 100, 220, 460, 1000)]
    with pytest.raises(InputError):
        coupling_grid(low=0)
    with pytest.raises(InputError):
        coupling_grid(per_decade=0)


def test_transfer_matrix_agrees_over_the_grid():
    points = [(N, J) for N in EVEN_LENGTHS for J in GRID]
    worst = worst_comparison(points, transfer_matrix, eigenvalue_sum, DPS)
    assert isinstance(worst, Worst)
    assert worst.compared == len(points) == 4 * 76
    assert worst.short == 0, worst
    assert worst.agree == DPS and worst.comparison.certified == DPS
    assert worst.point == points[0]  # every point agrees fully: the first one stands for all


def test_a_perturbed_side_is_reported_with_its_worst_point():
    points = [(N, J) for N in EVEN_LENGTHS for J in GRID]
    worst_at = (16, sympy.Rational(-13, 10))

    def perturbed(N, J):
        """Off by 10^-(DPS-5) relative for J < 0, by 10^-(DPS-10) at ``worst_at``."""
        shift = DPS - 10 if (N, J) == worst_at else DPS - 5 if J < 0 else None
        value = eigenvalue_sum(N, J)
        return value if shift is None else value * (1 + mpmath.mpf(10) ** -shift)

    worst = worst_comparison(points, transfer_matrix, perturbed, DPS)
    negative = sum(1 for _, J in points if J < 0)
    assert negative == len(points) // 2
    assert worst.compared == len(points) and worst.short == negative
    assert worst.point == worst_at
    assert DPS - 11 <= worst.agree <= DPS - 10 and worst.comparison.differs()


def test_points_may_be_dicts_or_single_arguments():
    worst = worst_comparison([{"N": 4, "J": sympy.Rational(1, 2)}, {"N": 6, "J": 2}],
                             transfer_matrix, eigenvalue_sum, DPS)
    assert worst.short == 0 and worst.point == {"N": 4, "J": sympy.Rational(1, 2)}
    halves = worst_comparison([1, 4, 16], mpmath.sqrt, lambda x: mpmath.mpf(x) / 2, 20)
    assert (halves.point, halves.agree, halves.compared, halves.short) == (1, 0, 3, 2)
    assert halves.entry is None


def test_list_valued_sides_are_compared_entry_by_entry():
    def exact(n):
        return [mpmath.mpf(k) / 3 for k in range(n)]

    def off_at_two(n):
        return [mpmath.mpf(k) / 3 * (1 + (k == 2) * mpmath.mpf(10) ** -8) for k in range(n)]

    worst = worst_comparison([(3,), (4,)], exact, off_at_two, DPS)
    assert (worst.point, worst.entry, worst.compared, worst.short) == ((3,), 2, 7, 2)
    assert 7 <= worst.agree <= 8
    with pytest.raises(InputError):
        worst_comparison([(3,)], exact, lambda n: exact(n + 1), DPS)
    with pytest.raises(InputError):
        worst_comparison([], exact, exact, DPS)


def test_transfer_matrix_for_odd_lengths_and_negative_couplings():
    # 1 + tanh(J)^N cancels for odd N and J < 0: the kernel takes it through expm1/log1p
    points = [(N, J) for N in (1, 3, 5) for J in GRID if J < 0]
    assert worst_comparison(points, transfer_matrix, eigenvalue_sum, DPS).short == 0


def test_worst_point_keeps_the_first_of_equal_scores():
    assert worst_point([(1, 5), (2, 3), (3, 3)], lambda i, s: s) == ((2, 3), 3)
    assert worst_point([], abs) is None
    assert call_at(lambda a, b=0: a - b, {"a": 3, "b": 1}) == 2


@pytest.mark.parametrize("error, scale, cap, digits", [
    (0, 1, 50, 50),                             # no error: every digit the cap allows
    (mpmath.mpf(0), 0, 7, 7),
    (1, 1, 50, 0),                              # as large as the scale: none
    (3, 1, 50, 0),
    (-2, 1, 50, 0),
    (1, 0, 50, 0),                              # nothing to measure against
    (mpmath.inf, 1, 50, 0),
    (mpmath.nan, 1, 50, 0),
    (3.741650005550403e-07, 1, 16, 6),         # a float64 relative error (rbm coupling claim)
    (1e-20, 1, 16, 16),                         # clamped to the cap
    (mpmath.mpf("-1.27e-6"), mpmath.mpf("4.6"), 50, 6),
    (mpmath.mpf("1e-40"), 1, None, 40),         # no cap: only the floor at 0
])
def test_digits_from_error(error, scale, cap, digits):
    assert digits_from_error(error, scale, cap) == digits


def test_digits_from_error_needs_a_cap_for_a_zero_error():
    with pytest.raises(InputError):
        digits_from_error(0, 1)
