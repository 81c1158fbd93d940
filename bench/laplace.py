"""Benchmark: generating functions of Boltzmann factors (``python bench/laplace.py``).

Every figure is certified: computed at two working precisions, "cert" is the digits on which
they agree, "corr" the digits shared with an independent closed form.

* N = 64 at 50 digits: Gaussian theta = (1,) with s = (1/2, ..., 1/2) against
  (pi/theta)^(N/2) e^{s.s/(4 theta)}; quartic theta = (1, 1/10) at s = 0 against the
  parabolic-cylinder closed form; the quartic at imaginary s (cancellation) certified only.
  "cold" is the first call in a fresh interpreter (this script run again as a subprocess, timed
  after its imports, whose seconds are reported beside), "warm" a later call in this process;
  both as best / median of several runs (the machine may be shared). The target: 50 digits in
  under 1 s, cold.
* The named baseline, on the same cases in the same run: mpmath.quad(method="gauss-legendre")
  with mpmath.hyp0f1 on the pieces of rgproof.topics.laplace.radial_plan plus a tail piece to infinity,
  at the same two working precisions. That is how rgproof integrated before its trapezoid rule;
  Gauss-Legendre computes node tables for each new precision, which is what the cold call pays.
* Radial reduction vs direct tensor-product quadrature (no symmetry used), N = 2 and N = 3,
  at the same requested digits: the time ratio direct / radial.
* The first zeros of Z[i b] for theta = (1, 1), N = 1, at 50 digits, and the seconds the claim
  laplace.zero_free reports in ``rgproof verify`` at its default 50 digits (fresh processes;
  target: under 2 s).

Ends with one JSON line of headline figures.
"""
import time

STARTED = time.perf_counter()  # the imports below are part of a fresh interpreter's cost

import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

import mpmath  # noqa: E402
import sympy  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

from rgproof.core.validate import to_mpf
from rgproof.core.precision import agreed_digits, certify, guard_digits, workdps
from rgproof.topics.laplace import (
    WORKING_MARGIN,
    check_theta,
    direct_generating_function,
    gaussian_generating_function,
    generating_function,
    imaginary_zeros,
    quartic_partition_function,
    radial_hamiltonian,
    radial_plan,
    sphere_area,
)

IMPORTED = time.perf_counter()

QUARTIC = (1, sympy.Rational(1, 10))
DPS = 50
REPEATS = 5    # warm calls per case
COLD_RUNS = 3  # fresh interpreters per case and method
BASELINE = ("mpmath.quad gauss-legendre + mpmath.hyp0f1 on radial_plan pieces "
            "(rgproof's radial quadrature before the trapezoid rule)")

#: (label, theta, s, closed form or None), all N = 64.
CASES = [
    ("N=64 Gaussian, s=(1/2,...)", (1,), [0.5] * 64,
     lambda: gaussian_generating_function(1, 64, [0.5] * 64, DPS)),
    ("N=64 quartic, s=0", QUARTIC, 0, lambda: quartic_partition_function(*QUARTIC, 64, DPS)),
    ("N=64 quartic, s=(i/4,...)", QUARTIC, [0.25j] * 64, None),
]


def baseline_generating_function(theta, N, s, dps):
    """Z[s] by the baseline quadrature (Certified at the precisions rgproof uses for dps)."""
    theta = check_theta(theta)
    components = s if isinstance(s, list) else [s]

    def value():
        th = [to_mpf(t) for t in theta]
        w = mpmath.fsum(mpmath.mpmathify(c) ** 2 for c in components)
        w = w.real if w.imag == 0 else w
        plan = radial_plan([float(t) for t in th], N - 1, mpmath.mp.dps)
        scale = mpmath.mpf(plan.log_scale)

        def integrand(r):
            u = r * r
            hamiltonian = mpmath.fsum(t * u ** k for k, t in enumerate(th, 1))
            weight = mpmath.exp((N - 1) * mpmath.log(r) - hamiltonian - scale)
            return weight if w == 0 else weight * mpmath.hyp0f1(mpmath.mpf(N) / 2, w * u / 4)

        points = [mpmath.mpf(x) for x in plan.breakpoints] + [mpmath.inf]
        return sphere_area(N) * mpmath.exp(scale) * mpmath.quad(integrand, points,
                                                                method="gauss-legendre")

    return certify(value, dps + WORKING_MARGIN, guard_digits(dps))


METHODS = {"rgproof": generating_function, "baseline": baseline_generating_function}


def call(index, method):
    _, theta, s, _ = CASES[index]
    return METHODS[method](theta, 64, s, DPS)


def timed(compute):
    start = time.perf_counter()
    value = compute()
    return value, time.perf_counter() - start


def cold_runs(index, method):
    """``(imports, first call)`` seconds in each of COLD_RUNS fresh interpreters."""
    runs = []
    for _ in range(COLD_RUNS):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--cold", str(index),
                              method], capture_output=True, text=True, check=True, cwd=ROOT)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return runs


def best_median(runs):
    return min(runs), statistics.median(runs)


def correct_digits(value, exact, dps):
    with workdps(dps + 10):
        return agreed_digits(value.value, exact.value, dps)


def n64_rows():
    rows = []
    for index, (label, _, _, exact) in enumerate(CASES):
        row = {"case": label, "dps": DPS}
        for method in METHODS:
            value, _ = timed(lambda: call(index, method))
            warm = [timed(lambda: call(index, method))[1] for _ in range(REPEATS)]
            cold = cold_runs(index, method)
            row[method] = {"certified": min(value.digits, DPS),  # rgproof reports at most DPS
                           "correct": correct_digits(value, exact(), DPS) if exact else None,
                           "cold": best_median([run["seconds"] for run in cold]),
                           "imports": best_median([run["imports"] for run in cold]),
                           "warm": best_median(warm), "value": mpmath.nstr(value.value, 20)}
        rows.append(row)
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


def zero_free_claim():
    """The claim's own seconds and digits in COLD_RUNS fresh ``rgproof verify`` runs."""
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "verify.json")
        for _ in range(COLD_RUNS):
            subprocess.run([sys.executable, "-m", "rgproof", "verify", "--claims",
                            "laplace.zero_free", "--json", path], capture_output=True, check=True,
                           cwd=ROOT)
            with open(path) as results:
                data = json.load(results)
            # {"run": ..., "rows": [...]}; rgproof before the run record wrote the bare array
            result = (data["rows"] if isinstance(data, dict) else data)[0]
            runs.append((result["seconds"], result["digits"], result["verdict"]))
    return runs


def seconds_text(pair):
    return f"{pair[0]:6.3f}/{pair[1]:6.3f}"


def main():
    start = time.perf_counter()
    n64, direct, zeros, claim_runs = n64_rows(), direct_rows(), zero_row(), zero_free_claim()
    print(f"N = 64, {DPS} digits; seconds as best/median (cold: {COLD_RUNS} fresh interpreters, "
          f"warm: {REPEATS} calls)\nbaseline: {BASELINE}\n")
    print(f"{'case':28s} {'method':9s} {'cert':>4s} {'corr':>5s} {'cold s':>13s} {'warm s':>13s}"
          "  value")
    for r in n64:
        for method in METHODS:
            m = r[method]
            print(f"{r['case']:28s} {method:9s} {m['certified']:4d} {str(m['correct']):>5s} "
                  f"{seconds_text(m['cold'])} {seconds_text(m['warm'])}  {m['value']}")
    cold = max(r["rgproof"]["cold"][1] for r in n64)
    baseline_cold = max(r["baseline"]["cold"][1] for r in n64)
    imports = max(r["rgproof"]["imports"][1] for r in n64)
    print(f"worst median cold: rgproof {cold:.3f} s, baseline {baseline_cold:.3f} s "
          f"({baseline_cold / cold:.1f}x); target < 1 s: {'met' if cold < 1 else 'NOT met'}\n"
          f"(a fresh interpreter spends another {imports:.3f} s (median) importing mpmath, sympy, "
          f"scipy and rgproof; with it: {'met' if cold + imports < 1 else 'NOT met'})")
    print(f"\n{'case':30s} {'dps':>4s} {'agree':>5s} {'radial s':>9s} {'direct s':>9s} {'ratio':>8s}")
    for r in direct:
        print(f"{r['case']:30s} {r['dps']:4d} {r['agree']:5d} {r['radial_s']:9.3f} "
              f"{r['direct_s']:9.3f} {r['ratio']:8.0f}")
    print(f"\n{zeros['case']} ({zeros['dps']} digits, {zeros['certified']} certified, "
          f"{zeros['seconds']:.2f} s): " + ", ".join(zeros["zeros"]))
    claim_seconds = best_median([seconds for seconds, _, _ in claim_runs])
    print(f"claim laplace.zero_free (rgproof verify, dps 50): {claim_runs[0][2]}, "
          f"{min(d for _, d, _ in claim_runs)} digits, {seconds_text(claim_seconds)} s; "
          f"target < 2 s: {'met' if claim_seconds[1] < 2 else 'NOT met'}")
    summary = {
        "n64_digits": min(r["rgproof"]["certified"] for r in n64),
        "n64_correct_digits": min(r["rgproof"]["correct"] for r in n64
                                  if r["rgproof"]["correct"] is not None),
        "n64_seconds_cold": round(cold, 3),
        "n64_seconds_cold_best": round(max(r["rgproof"]["cold"][0] for r in n64), 3),
        "n64_seconds_warm": round(max(r["rgproof"]["warm"][1] for r in n64), 3),
        "n64_seconds_imports": round(imports, 3),
        "baseline_n64_digits": min(r["baseline"]["certified"] for r in n64),
        "baseline_n64_seconds_cold": round(baseline_cold, 3),
        "baseline_n64_seconds_warm": round(max(r["baseline"]["warm"][1] for r in n64), 3),
        "cold_speedup_vs_baseline": round(baseline_cold / cold, 1),
        "direct_over_radial_n2": round(direct[0]["ratio"]),
        "direct_over_radial_n3": round(direct[1]["ratio"]),
        "first_zeros": [z[:20] for z in zeros["zeros"]],
        "zero_digits": zeros["certified"],
        "zero_free_claim_seconds": round(claim_seconds[1], 2),
        "total_seconds": round(time.perf_counter() - start, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cold"]:
        _, seconds = timed(lambda: call(int(sys.argv[2]), sys.argv[3]))
        print(json.dumps({"seconds": seconds, "imports": IMPORTED - STARTED}))
    else:
        main()
