"""Check the finite-lattice decimation identity Z_N(J) = (4 cosh 2J)^(N/4) Z_{N/2}(J~) at 60 digits.

Run: python examples/decimation_identity.py
"""
import mpmath

from rgproof import ising
from rgproof.core.precision import compare

DIGITS = 60

for N in (2, 8, 64, 1024):
    for J in ("0.25", "1", "-2.5"):
        c = compare(lambda: ising.log_partition(N, mpmath.mpf(J), dps=DIGITS + 10).value,
                    lambda: ising.decimation_constant(N, mpmath.mpf(J))
                    + ising.log_partition(N // 2, ising.decimate(mpmath.mpf(J)),
                                          dps=DIGITS + 10).value,
                    dps=DIGITS)
        print(f"N = {N:5d}  J = {J:>5}  digits agreeing: {c.agree}")
        assert c.agree >= DIGITS, (N, J, c.agree)
print("identity holds to", DIGITS, "digits on every case")
