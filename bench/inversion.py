"""Benchmark: numerical Laplace inversion, rgproof's Post-Widder vs mpmath (``python bench/inversion.py``).

On the same transforms, at dps 30, 60 and 120: the digits reached and the time of rgproof's
Post-Widder with each accelerator (each call computes the value twice and certifies the digits
on which the two agree) and of each method of mpmath's ``invertlaplace`` (one uncertified
evaluation). "digits" are correct significant digits against the exact inverse; for
Post-Widder the certified digits follow in brackets. Functions:

* phi: F(p) = int_0^oo e^{-pu} exp(-u - u^2/2) du = sqrt(pi/2) e^{(p+1)^2/2} erfc((p+1)/sqrt 2),
  inverted at t = 1 (the radial Boltzmann factor; Post-Widder uses the exact moments);
* 1/(s+1) at t = 1 and exp(-sqrt s) at t = 1 (Post-Widder with Cauchy-integral derivatives of
  the black-box F: the same callable mpmath gets).

Then the front door ``rgproof.invert`` on mpmath's own ``invertlaplace`` docstring and test cases
(t e^-t, J0(t), -gamma - ln t, sinh(3t)/3 at their t, dps 30): its certified digits and kind, the
correct digits, and its time over that of the fastest mpmath method whose value has at least
the door's certified digits correct (the baseline, in the same run); "over" marks a case where
the door certified more digits than are correct (must never happen). The door keeps Talbot's
nodes and Cohen's weights per degree and precision: "ratio" is a call with them cached (as when
inverting at many t), "cold" a call that computes them first.

Times are CPU seconds of this process (``time.process_time``): the machine may be shared, and
every method here runs on one thread. Ends with one JSON line of headline figures:
``time_ratio_vs_talbot`` is Post-Widder's time over talbot's on phi at dps 60 when talbot reaches
the same digits, and null otherwise (with the reason); the ratios against the fastest mpmath
method that does reach them, and against talbot on 1/(s+1), are given beside it;
``door_median_ratio`` and ``door_over_certified`` summarise the front door; ``pw_node_arithmetic``
says what computed phi's quadrature nodes (python-flint's arb when installed, else mpmath). Whole
run: a minute or two on one core.
"""
import json
import os
import sys
import time

import mpmath as mp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import statistics

from rgproof import invert as front_door
from rgproof.core.precision import agreed_digits, optional_flint
from rgproof.topics import inversion as inversion_methods
from rgproof.topics.postwidder import BoltzmannFactor, invert

DPS = (30, 60, 120)
ACCELERATORS = ("wynn", "richardson", "salzer", None)
MPMATH_METHODS = ("talbot", "stehfest", "dehoog", "cohen")
HEADLINE_DPS = 60
REPEATS = 3  # headline timings: best of this many (the machine may be shared)

PHI = BoltzmannFactor((1, mp.mpf(1) / 2))


def phi_transform(p):
    a = p + 1
    return mp.sqrt(mp.pi / 2) * mp.exp(a * a / 2) * mp.erfc(a / mp.sqrt(2))


FUNCTIONS = {
    # name: (F, exact inverse, t, Post-Widder call(dps, accelerate), accelerators, dps)
    "phi": (phi_transform, lambda t: mp.exp(-t - t * t / 2), 1,
            lambda dps, acc: PHI.invert(1, dps=dps, accelerate=acc), ACCELERATORS, DPS),
    "1/(s+1)": (lambda s: 1 / (s + 1), lambda t: mp.exp(-t), 1,
                lambda dps, acc: invert(lambda s: 1 / (s + 1), 1, dps=dps, accelerate=acc),
                ("wynn", "salzer"), DPS),
    "exp(-sqrt s)": (lambda s: mp.exp(-mp.sqrt(s)),
                     lambda t: mp.exp(-1 / (4 * t)) / (2 * mp.sqrt(mp.pi) * t ** 1.5), 1,
                     lambda dps, acc: invert(lambda s: mp.exp(-mp.sqrt(s)), 1, dps=dps, accelerate=acc),
                     ("wynn",), (30, 60)),
}


def timed(call, repeats=1):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.process_time()
        value = call()
        best = min(best, time.process_time() - start)
    return value, best


DOOR_DPS = 30
DOCSTRING_TIMES = (0.001, 0.01, 0.1, 1, 10)
#: mpmath's invertlaplace docstring and test_invlap cases: (name, F, exact f, times).
DOOR_CASES = [
    ("t e^-t", lambda p: 1 / (p + 1) ** 2, lambda t: t * mp.exp(-t), DOCSTRING_TIMES),
    ("J0(t)", lambda p: 1 / mp.sqrt(p * p + 1), lambda t: mp.besselj(0, t), DOCSTRING_TIMES),
    ("-gamma-ln t", lambda p: mp.log(p) / p, lambda t: -mp.euler - mp.log(t), DOCSTRING_TIMES),
    ("sinh(3t)/3", lambda p: 1 / (p * p - 9), lambda t: mp.sinh(3 * t) / 3, (0.01, 0.1, 1, 10)),
]


def door_rows():
    """The front door against mpmath's methods on mpmath's own cases."""
    rows = []
    for name, F, f, times in DOOR_CASES:
        for t in times:
            with mp.workdps(3 * DOOR_DPS):
                exact = f(mp.mpf(t))
            clear_node_caches()
            _, cold_seconds = timed(lambda: front_door(F, t, dps=DOOR_DPS))
            result, seconds = timed(lambda: front_door(F, t, dps=DOOR_DPS))
            correct = correct_digits(result.value, exact, DOOR_DPS)
            theirs = {}
            for method in MPMATH_METHODS:
                value, their_seconds = timed(lambda: mpmath_inverse(F, t, method, DOOR_DPS))
                theirs[method] = (correct_digits(value, exact, DOOR_DPS), their_seconds)
            reaching = [m for m in MPMATH_METHODS if theirs[m][0] >= result.digits]
            best = min(reaching, key=lambda m: theirs[m][1]) if reaching else None
            rows.append({"case": name, "t": t, "digits": result.digits, "kind": result.kind,
                         "correct": correct, "seconds": seconds, "baseline": best,
                         "baseline_seconds": theirs[best][1] if best else None,
                         "ratio": seconds / theirs[best][1] if best else None,
                         "cold_ratio": cold_seconds / theirs[best][1] if best else None,
                         "over": result.digits > correct})
    return rows


def clear_node_caches():
    """Forget the Talbot nodes and Cohen weights the door keeps per degree and precision, so
    that the next call pays for them (a "cold" call)."""
    inversion_methods._talbot_nodes.cache_clear()
    inversion_methods._cohen_weights.cache_clear()


def print_door_table(rows):
    print(f"\nfront door rgproof.invert, dps {DOOR_DPS} (mpmath's invertlaplace docstring/test cases)")
    print(f"{'case':<13}{'t':>7}  {'certified':>14}{'correct':>9}{'ms':>9}  {'fastest reaching':<18}"
          f"{'ms':>8}{'ratio':>8}{'cold':>8}")
    for r in rows:
        baseline = (f"{r['baseline']:<18}{r['baseline_seconds'] * 1e3:>8.1f}{r['ratio']:>8.2f}"
                    f"{r['cold_ratio']:>8.2f}"
                    if r["baseline"] else f"{'none':<18}")
        print(f"{r['case']:<13}{r['t']:>7}  {str(r['digits']) + ' ' + r['kind']:>14}{r['correct']:>9}"
              f"{r['seconds'] * 1e3:>9.1f}  {baseline}{'  OVER' if r['over'] else ''}")


def correct_digits(value, exact, dps):
    with mp.workdps(3 * dps):
        return agreed_digits(value, exact, 2 * dps)


def mpmath_inverse(F, t, method, dps):
    with mp.workdps(dps):
        return mp.invertlaplace(F, t, method=method)


def run_all():
    rows = []
    for name, (F, f, t, pw_call, accelerators, dps_list) in FUNCTIONS.items():
        for dps in dps_list:
            with mp.workdps(3 * dps):
                exact = f(mp.mpf(t))
            for acc in accelerators:
                result, seconds = timed(lambda: pw_call(dps, acc))
                rows.append((name, dps, f"post-widder/{acc or 'none'}",
                             correct_digits(result.value, exact, dps), result.digits, seconds))
            for method in MPMATH_METHODS:
                value, seconds = timed(lambda: mpmath_inverse(F, t, method, dps))
                rows.append((name, dps, f"mpmath/{method}", correct_digits(value, exact, dps),
                             None, seconds))
    return rows


def print_table(rows):
    print(f"{'function':<14}{'dps':>5}  {'method':<24}{'digits':>14}{'time [ms]':>12}")
    for name, dps, method, digits, certified, seconds in rows:
        shown = f"{digits}" + (f" [{certified}]" if certified is not None else "")
        print(f"{name:<14}{dps:>5}  {method:<24}{shown:>14}{seconds * 1e3:>12.1f}")


def headline(rows):
    """Best-of-REPEATS timings on phi at HEADLINE_DPS, and the ratios of the JSON line."""
    with mp.workdps(3 * HEADLINE_DPS):
        exact = mp.exp(-mp.mpf(3) / 2)
    pw = {}
    for acc in ACCELERATORS[:3]:
        result, seconds = timed(lambda: PHI.invert(1, dps=HEADLINE_DPS, accelerate=acc), REPEATS)
        pw[acc] = (result.digits, correct_digits(result.value, exact, HEADLINE_DPS), seconds)
    fastest = min(pw, key=lambda acc: pw[acc][2])
    certified, correct, pw_seconds = pw[fastest]
    theirs = {}
    for method in MPMATH_METHODS:
        value, seconds = timed(lambda: mpmath_inverse(phi_transform, 1, method, HEADLINE_DPS), REPEATS)
        theirs[method] = (correct_digits(value, exact, HEADLINE_DPS), seconds)
    reaching = [m for m in MPMATH_METHODS if theirs[m][0] >= certified]
    best = min(reaching, key=lambda m: theirs[m][1]) if reaching else None
    talbot_digits, talbot_seconds = theirs["talbot"]
    exp_rows = {r[2]: r for r in rows if r[0] == "1/(s+1)" and r[1] == HEADLINE_DPS}
    exp_pw, exp_talbot = exp_rows["post-widder/wynn"], exp_rows["mpmath/talbot"]
    summary = {
        "pw_digits": certified,
        "pw_correct_digits": correct,
        "pw_accelerator": fastest,
        "pw_seconds": round(pw_seconds, 4),
        "talbot_digits": talbot_digits,
        "time_ratio_vs_talbot": (round(pw_seconds / talbot_seconds, 2)
                                 if talbot_digits >= certified else None),
        "time_ratio_vs_talbot_note": (
            None if talbot_digits >= certified else
            "talbot reaches no correct digit on phi: F(p) grows like exp(p^2/2) for Re p < 0, "
            "where the Talbot contour runs"),
        "best_mpmath_method": best,
        "best_mpmath_digits": theirs[best][0] if best else None,
        "time_ratio_vs_best_mpmath": round(pw_seconds / theirs[best][1], 2) if best else None,
        "time_ratio_vs_talbot_on_1/(s+1)_cauchy": round(exp_pw[5] / exp_talbot[5], 2),
        "digits_on_1/(s+1)_pw_vs_talbot": [exp_pw[3], exp_talbot[3]],
        "dps": HEADLINE_DPS,
        "pw_node_arithmetic": "mpmath" if optional_flint() is None else "python-flint",
    }
    return summary


def main():
    start = time.perf_counter()
    mp.invertlaplace(lambda s: 1 / (s + 1), 1, method="talbot")  # imports and caches
    PHI.invert(1, dps=10)
    rows = run_all()
    print_table(rows)
    summary = headline(rows)
    door = door_rows()
    print_door_table(door)
    ratios = [r["ratio"] for r in door if r["ratio"] is not None]
    summary.update({
        "door_cases": len(door),
        "door_median_ratio": round(statistics.median(ratios), 2) if ratios else None,
        "door_median_ratio_cold": (round(statistics.median(
            [r["cold_ratio"] for r in door if r["cold_ratio"] is not None]), 2)
            if ratios else None),
        "door_ratio_range": [round(min(ratios), 2), round(max(ratios), 2)] if ratios else None,
        "door_agreement_cases": sum(r["kind"] == "agreement" for r in door),
        "door_over_certified": sum(r["over"] for r in door),
    })
    summary["total_seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
