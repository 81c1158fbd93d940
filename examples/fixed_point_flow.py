"""Iterate the decimation map J -> (1/2) ln cosh 2J and watch it reach the fixed point J* = 0.

Run: python examples/fixed_point_flow.py
"""
import mpmath

from rgproof import ising

for start in (0.5, 2, 5):
    path = ising.flow(start, 20, dps=30)
    print(f"J = {start}: " + " -> ".join(mpmath.nstr(c.value, 3) for c in path[:8]) + " -> ...")
    assert path[-1].value < mpmath.mpf(10) ** -6, "the flow should approach J* = 0"

analysis = ising.fixed_point_analysis()
print("dJ~/dJ =", analysis.derivative, "(zero at J = 0: super-attracting)")
print("J~ - J at infinity ->", analysis.shift_at_infinity, "(negative: J* = oo repels)")
