"""Safety nets for the whole suite: global precision state must be left as it was found."""
import mpmath
import pytest

from rgproof.core.precision import optional_flint


@pytest.fixture(autouse=True)
def precision_is_restored():
    """Every test leaves ``mp.prec`` (and python-flint's context, when installed) unchanged:
    rgproof sets precision only through scoped contexts that restore it, even on error."""
    flint = optional_flint()
    before = mpmath.mp.prec, (flint.ctx.prec, flint.ctx.cap) if flint else None
    yield
    after = mpmath.mp.prec, (flint.ctx.prec, flint.ctx.cap) if flint else None
    mpmath.mp.prec = before[0]  # restore first, so one leak cannot cascade into other tests
    if flint:
        flint.ctx.prec, flint.ctx.cap = before[1]
    assert after == before, f"precision changed by the test: (mp.prec, flint) {before} -> {after}"
