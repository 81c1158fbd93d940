"""Benchmark: generating functions of Boltzmann factors (``python bench/laplace.py``).

Every rgproof figure is certified: computed at two working precisions, "certified" is the digits
on which they agree, "correct" the digits shared with an independent closed form.

* N = 64 at 50 digits: Gaussian theta = (1,) with s = (1/2, ..., 1/2) against
  (pi/theta)^(N/2) e^{s.s/(4 theta)}; quartic theta = (1, 1/10) at s = 0 against the
  parabolic-cylinder closed form; the quartic at imaginary s (cancellation) certified only.
  "cold" is the first call in the process (Gauss-Legendre nodes are computed then and cached),
  "warm" the best of three later calls.
* Radial reduction vs direct tensor-product quadrature (no symmetry used), N = 2 and N = 3,
  at the same requested digits: the time ratio direct / radial.
* The first zeros of Z[i b] for theta = (1, 1), N = 1, at 50 digits.

Ends with one JSON line of headline figures.
"""
import json
import os
import sys
import time

import mpmath
import sympy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rgproof.laplace import (direct_generating_function, gaussian_generating_function,  # noqa: E402
                             generating_function, imaginary_zeros, quartic_partition_function,
                             radial_hamiltonian)
from rgproof.precision import agreed_digits, workdps  # noqa: E402

QUARTIC = (1, sympy.Rational(1, 10))
REPEATS = 3


def timed(compute):
    start = time.perf_counter()
    value = compute()
    return value, time.perf_counter() - start


def best_time(compute):
    return min(timed(compute)[1] for _ in range(REPEATS))


def correct_digits(value, exact, dps):
    with workdps(dps + 10):
        return agreed_digits(value.value, exact.value, dps)


def n64_rows(dps=50):
    cases = [
        ("N=64 Gaussian, s=(1/2,...)", lambda: generating_function([1], 64, [0.5] * 64, dps),
         lambda: gaussian_generating_function(1, 64, [0.5] * 64, dps)),
        ("N=64 quartic, s=0", lambda: generating_function(QUARTIC, 64, 0, dps),
         lambda: quartic_partition_function(*QUARTIC, 64, dps)),
        ("N=64 quartic, s=(i/4,...)", lambda: generating_function(QUARTIC, 64, [0.25j] * 64, dps),
         None),
    ]
    rows = []
    for label, compute, exact in cases:
        value, cold = timed(compute)
        rows.append({"case": label, "dps": dps, "certified": value.digits,
                     "correct": correct_digits(value, exact(), dps) if exact else None,
                     "cold_s": cold, "warm_s": best_time(compute),
                     "value": mpmath.nstr(value.value, 20)})
    return rows


def direct_rows():
    x, y, z = sympy.symbols("x y z", real=True)
    rows = []
    for N, dps, s in ((2, 15, [0.3, -0.2]), (3, 6, [0.3, -0.2, 0.1])):
        variables = (x, y, z)[:N]
        H = radial_hamiltonian(QUARTIC, variables)
        radial, t_radial = timed(lambda: generating_function(QUARTIC, N, s, dps))
        direct, t_direct = timed(lambda: direct_generating_function(H, variables, s, dps))
        rows.append({"case": f"N={N} radial vs direct", "dps": dps,
                     "agree": correct_digits(direct, radial, dps), "radial_s": t_radial,
                     "direct_s": t_direct, "ratio": t_direct / t_radial})
    return rows


def zero_row(dps=50):
    scan, seconds = timed(lambda: imaginary_zeros((1, 1), 1, count=3, dps=dps))
    return {"case": "zeros of Z[i b], theta=(1,1), N=1", "dps": dps,
            "certified": min(b.digits for b in scan), "seconds": seconds,
            "zeros": [mpmath.nstr(b.value, 25) for b in scan]}


def main():
    start = time.perf_counter()
    n64, direct, zeros = n64_rows(), direct_rows(), zero_row()
    print(f"{'case':30s} {'dps':>4s} {'cert':>5s} {'corr':>5s} {'cold s':>8s} {'warm s':>8s}  value")
    for r in n64:
        print(f"{r['case']:30s} {r['dps']:4d} {r['certified']:5d} {str(r['correct']):>5s} "
              f"{r['cold_s']:8.3f} {r['warm_s']:8.3f}  {r['value']}")
    print(f"\n{'case':30s} {'dps':>4s} {'agree':>5s} {'radial s':>9s} {'direct s':>9s} {'ratio':>8s}")
    for r in direct:
        print(f"{r['case']:30s} {r['dps']:4d} {r['agree']:5d} {r['radial_s']:9.3f} "
              f"{r['direct_s']:9.3f} {r['ratio']:8.0f}")
    print(f"\n{zeros['case']} ({zeros['dps']} digits, {zeros['certified']} certified, "
          f"{zeros['seconds']:.2f} s): " + ", ".join(zeros["zeros"]))
    summary = {
        "n64_digits": min(r["certified"] for r in n64),
        "n64_correct_digits": min(r["correct"] for r in n64 if r["correct"] is not None),
        "n64_seconds_cold": round(max(r["cold_s"] for r in n64), 3),
        "n64_seconds_warm": round(max(r["warm_s"] for r in n64), 3),
        "direct_over_radial_n2": round(direct[0]["ratio"]),
        "direct_over_radial_n3": round(direct[1]["ratio"]),
        "first_zeros": [z[:20] for z in zeros["zeros"]],
        "zero_digits": zeros["certified"],
        "total_seconds": round(time.perf_counter() - start, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
