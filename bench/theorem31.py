"""Benchmark: Theorem 3.1's chain, theta from the cumulants alone (``python bench/theorem31.py``).

theta = (1, 1/2), N = 1, R = 2 (the claim theorem31.identifiability): cumulants -> moments ->
Post-Widder derivatives of the Laplace transform of the density of u = |x|^2 -> theta. Rows:

* baseline: the chain before the tilt, on u = 5, 6, 7 with every shift 0 (Post-Widder on G(p)
  itself), 20 digits;
* the chain as the claim runs it: the tilted transform G(p - s), s from the cumulants
  (MomentTransform.tilt), on u = 8, 9, 10 for 20 digits and on u = 10, 11, 12 for 40 digits
  (the thorough tier; the baseline would need moments beyond the digits budget there).

Each in a fresh ``recover_theta`` (no shared moments): CPU seconds of this process (the machine
may be shared; the chain is single-threaded), the digits certified for theta, the moments and
their working digits. Ends with one JSON line: ``seconds_20``, ``seconds_40``,
``baseline_seconds_20`` and ``speedup_20`` (baseline over the tilted chain, same run).
"""
import json
import os
import sys
import time

import sympy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rgproof.core.validate import check_theta  # noqa: E402
from rgproof.topics.theorem31 import lgw_cumulants, recover_theta  # noqa: E402

THETA, N = (1, sympy.Rational(1, 2)), 1
#: (label, digits, times, shifts or None for the tilt from the cumulants)
RUNS = [
    ("baseline: untilted, u = 5, 6, 7", 20, (5, 6, 7), (0, 0, 0)),
    ("tilted, u = 8, 9, 10", 20, (8, 9, 10), None),
    ("tilted, u = 10, 11, 12", 40, (10, 11, 12), None),
]


def run(digits, times, shifts):
    theta = check_theta(THETA)
    start = time.process_time()
    recovered = recover_theta(lambda order: lgw_cumulants(theta, N, order), N, len(theta), times,
                              digits=digits, shifts=shifts)
    return recovered, time.process_time() - start


def main():
    rows = []
    print(f"{'chain':<34}{'digits':>7}{'theta digits':>14}{'moments':>9}{'at dps':>8}{'cpu s':>8}")
    for label, digits, times, shifts in RUNS:
        recovered, seconds = run(digits, times, shifts)
        certified = min(c.digits for c in recovered.theta)
        rows.append((digits, shifts is None, seconds, certified))
        print(f"{label:<34}{digits:>7}{certified:>14}{recovered.moments:>9}"
              f"{recovered.moment_dps:>8}{seconds:>8.2f}")
    baseline, tilted_20, tilted_40 = (row[2] for row in rows)
    print(json.dumps({"seconds_20": round(tilted_20, 2), "seconds_40": round(tilted_40, 2),
                      "digits_20": rows[1][3], "digits_40": rows[2][3],
                      "baseline_seconds_20": round(baseline, 2),
                      "speedup_20": round(baseline / tilted_20, 1), "clock": "cpu"}))


if __name__ == "__main__":
    main()
