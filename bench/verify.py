"""Benchmark: ``rgproof verify``, serial and parallel, with and without gmpy2
(``python bench/verify.py [--claims GLOB[,GLOB...]] [-j N] [--dps D] [--rounds R]``).

Four configurations, each run as ``rgproof verify --json`` in a fresh process (no cached
experiment run, no warm import): ``-j 1`` and ``-j N`` (default: the cores), each with mpmath on
gmpy2 and on its pure-Python integers (``MPMATH_NOGMPY=1``). The configurations are
interleaved in each round, so a load that comes and goes on a shared machine falls on all of
them; a configuration's figures are its best over the rounds. The baseline is the state before
``-j`` and gmpy2: serial on Python integers.

Prints a table (each claim's seconds per configuration, then each configuration's wall time,
imports included, and the sum of its rows) and one JSON line: ``serial_s`` and ``parallel_s``
(walls with gmpy2), ``gmpy2_speedup`` (serial wall without / with gmpy2; ``gmpy2_speedup_cpu``
the same of the CPU seconds, steadier on a loaded machine), ``slowest`` (the slowest claim of
the serial gmpy2 run and its seconds), ``baseline_s``, ``speedup`` (baseline wall / parallel
wall), ``jobs``, ``claims`` and ``backend`` (mpmath's backend with gmpy2 allowed).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

#: The command that runs rgproof (this checkout's package, as installed).
RGPROOF = [sys.executable, "-m", "rgproof"]


def configurations(jobs):
    """``(name, -j, gmpy2 allowed)`` of each configuration, the baseline first."""
    return [("serial python", 1, False), ("serial gmpy2", 1, True),
            (f"-j {jobs} python", jobs, False), (f"-j {jobs} gmpy2", jobs, True)]


def run_verify(jobs, gmpy2, claims, dps):
    """``{"wall", "cpu", "run", "rows"}`` of one ``rgproof verify`` in a fresh process: its
    wall and CPU seconds (serial runs only), its run record and its rows."""
    env = dict(os.environ)
    env.pop("MPMATH_NOGMPY", None)  # mpmath reads its presence, whatever the value
    if not gmpy2:
        env["MPMATH_NOGMPY"] = "1"
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "verify.json")
        command = [*RGPROOF, "verify", "-j", str(jobs), "--dps", str(dps), "--json", out]
        if claims:
            command += ["--claims", claims]
        start, used = time.perf_counter(), cpu_seconds()
        proc = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall, cpu = time.perf_counter() - start, cpu_seconds() - used
        if not os.path.exists(out):
            raise SystemExit(f"rgproof verify -j {jobs} failed (exit {proc.returncode}):\n"
                             f"{proc.stderr[-2000:]}")
        with open(out) as f:
            data = json.load(f)
    # a parallel run's workers are children of the fork server, which nobody waits for
    return {"wall": wall, "cpu": cpu if jobs == 1 else None, "run": data["run"],
            "rows": data["rows"]}


def cpu_seconds():
    """The CPU seconds of the finished child processes and theirs (the workers of a parallel
    run): on a shared machine less disturbed by the load than the wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(jobs, claims, dps, rounds):
    """``{configuration: figures}`` of ``rounds`` interleaved rounds (:func:`best_of`)."""
    runs = {name: [] for name, _, _ in configurations(jobs)}
    for _ in range(rounds):
        for name, j, gmpy2 in configurations(jobs):
            runs[name].append(run_verify(j, gmpy2, claims, dps))
    return {name: best_of(each) for name, each in runs.items()}


def best_of(runs):
    """The best wall and CPU seconds of ``runs`` of one configuration and each row's best
    seconds (``seconds``), with the first run's record and rows."""
    cpu = [r["cpu"] for r in runs if r["cpu"] is not None]
    return {"wall": min(r["wall"] for r in runs), "cpu": min(cpu) if cpu else None,
            "run": runs[0]["run"], "rows": runs[0]["rows"],
            "seconds": {row["id"]: min(s for r in runs for s in
                                       (x["seconds"] for x in r["rows"] if x["id"] == row["id"]))
                        for row in runs[0]["rows"]}}


def table(best):
    """Each claim's seconds in each configuration, then the sums of the rows, the walls
    (imports included) and the CPU seconds."""
    names = list(best)
    rows = best[names[0]]["rows"]
    width = max(len(r["id"]) for r in rows) + 2
    rule = "-" * (width + 16 * len(names))
    lines = [f"{'claim':<{width}}" + "".join(f"{n:>16}" for n in names), rule]
    for row in rows:
        lines.append(f"{row['id']:<{width}}" + "".join(
            f"{best[n]['seconds'].get(row['id'], float('nan')):>16.2f}" for n in names))
    lines.append(rule)
    for what, figure in [("sum of the rows", lambda b: sum(b["seconds"].values())),
                         ("wall (with imports)", lambda b: b["wall"]),
                         ("CPU seconds", lambda b: b["cpu"])]:
        lines.append(f"{what:<{width}}" + "".join(
            f"{figure(best[n]):>16.2f}" if figure(best[n]) is not None else f"{'-':>16}"
            for n in names))
    lines.append(f"{'mpmath backend':<{width}}"
                 + "".join(f"{str(best[n]['run'].get('mpmath_backend')):>16}" for n in names))
    return "\n".join(lines)


def summary(best, jobs):
    """The JSON line's figures."""
    baseline, serial, _, parallel = (best[name] for name, _, _ in configurations(jobs))
    slowest = max(serial["seconds"].items(), key=lambda item: item[1])
    return {"serial_s": round(serial["wall"], 2), "parallel_s": round(parallel["wall"], 2),
            "gmpy2_speedup": round(baseline["wall"] / serial["wall"], 2),
            "gmpy2_speedup_cpu": round(baseline["cpu"] / serial["cpu"], 2),
            "slowest": list(slowest),
            "baseline_s": round(baseline["wall"], 2),
            "speedup": round(baseline["wall"] / parallel["wall"], 2),
            "jobs": jobs, "claims": len(serial["rows"]),
            "backend": serial["run"].get("mpmath_backend")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", default=None, help="patterns of claim ids (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the parallel runs (default: the cores)")
    parser.add_argument("--dps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; best kept")
    args = parser.parse_args(argv)
    best = measure(args.jobs, args.claims, args.dps, args.rounds)
    print(table(best))
    figures = summary(best, args.jobs)
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
