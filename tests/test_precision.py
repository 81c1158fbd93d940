import mpmath
import pytest

from rgproof.errors import InputError
from rgproof.precision import agreed_digits, certify, compare, workdps


def test_workdps_restores_after_exception():
    before = mpmath.mp.prec
    with pytest.raises(ZeroDivisionError):
        with workdps(80):
            assert mpmath.mp.dps == 80
            raise ZeroDivisionError
    assert mpmath.mp.prec == before


@pytest.mark.parametrize("dps", [0, 4, -3, 2.5, "50", 10**6])
def test_workdps_rejects_bad_dps(dps):
    with pytest.raises(InputError, match="dps"):
        with workdps(dps):
            pass


def test_agreed_digits():
    assert agreed_digits(mpmath.mpf(1), mpmath.mpf(1), 30) == 30
    assert agreed_digits(mpmath.mpf("1.000001"), mpmath.mpf(1), 30) == 6
    assert agreed_digits(0, mpmath.mpf("1e-5"), 30) == 0
    assert agreed_digits(mpmath.mpf(2), mpmath.mpf(-2), 30) == 0


def test_certify_detects_cancellation():
    # (1 + 1e-40) - 1 at 30 digits is 0; at higher precision it is 1e-40: no digits agree.
    c = certify(lambda: (1 + mpmath.mpf(10) ** -40) - 1, dps=30)
    assert c.digits == 0
    assert certify(lambda: mpmath.sqrt(2), dps=60).digits == 60


def test_certify_sequence():
    out = certify(lambda: [mpmath.pi, mpmath.e], dps=25)
    assert [c.digits for c in out] == [25, 25]
    with workdps(40):
        assert mpmath.almosteq(out[1].value, mpmath.e, 1e-24)


def test_compare_finds_a_difference():
    c = compare(lambda: mpmath.mpf(1) / 3, lambda: mpmath.mpf("0.333333"), 40)
    assert c.certified == 40
    assert c.agree == 6
    assert c.differs()
