"""Benchmark: a sweep's points per second on 1 and 2 dask workers, and a sweep resumed after a
killed worker (``python bench/sweep.py``; needs the dask extra).

The spec is a grid of small Ising annealing points (``--points``, default 8). Each
configuration runs in a fresh dask LocalCluster through the public sweep API
(:func:`rgproof.experiments.sweep.sweep` with :func:`~rgproof.experiments.sweep.choose_runner`),
into its own results file, and is timed from the first to the last finished point (so the
cluster's start-up is not counted). Parallel efficiency is the 2-worker rate over twice the
1-worker rate; on a shared machine it measures the cores this run got, so the load average is
printed with it.

The resume checks: (1) a 2-worker sweep whose worker process running a point is killed
(SIGKILL) as soon as the first point is written (dask's nanny restarts it and the point is run
again, or it is lost and the re-run runs it); (2) a 2-worker sweep in its own process group,
killed whole (the sweep and its workers) once two points are written. Each is then run again
on the same file. A check passes when the file ends with every point exactly once and each
point's figures equal those of the 1-worker run (a point is a deterministic function of its
options). Ends with one JSON line.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rgproof.experiments.sweep import choose_runner, parse_spec, read_results, sweep  # noqa: E402


def make_spec(points):
    return parse_spec({"experiment": "ising",
                       "base": {"N": 6, "M": 5, "steps": 200, "chains": 16},
                       "grid": {"seed": list(range(points))}})


class Clock:
    """The progress stream of a sweep: keeps the time of each finished point's line, and may
    act on the first one (``on_first``)."""

    def __init__(self, on_first=None):
        self.times, self.lines, self.on_first = [], [], on_first

    def write(self, text):
        if text.startswith("["):
            self.times.append(time.perf_counter())
            if len(self.times) == 1 and self.on_first:
                self.on_first()
        elif text.startswith("sweep:") and "running" in text:
            self.started = time.perf_counter()  # the cluster is up: the clock starts
        self.lines.append(text)

    def flush(self):
        pass

    def points_per_second(self):
        return len(self.times) / (self.times[-1] - self.started)


def timed_sweep(spec, out, workers, on_first=None):
    runner = choose_runner(local=workers, points=len(spec.points))
    clock = Clock(on_first and (lambda: on_first(runner)))
    outcome = sweep(spec, out, runner, progress=clock)
    return outcome, clock


def kill_a_busy_worker(runner):
    """SIGKILL the worker process that is running a point now (the nanny restarts it)."""
    busy = runner.client.processing()
    address = next((w for w, keys in busy.items() if keys), None)
    if address is not None:
        pid = runner.client.run(os.getpid, workers=[address])[address]
        os.kill(pid, signal.SIGKILL)
        kill_a_busy_worker.killed = pid


def kill_a_sweep_midway(spec_points, path, written=2, timeout_s=300):
    """Run this script's ``--into path`` (a 2-worker sweep) in a new process group and SIGKILL
    the group once ``written`` points are in ``path``; the number of lines left there."""
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--points",
                              str(spec_points), "--into", path],
                             start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline and child.poll() is None:
            if os.path.exists(path) and count_lines(path) >= written:
                break
            time.sleep(0.05)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    return count_lines(path)


def count_lines(path):
    with open(path) as fh:
        return sum(1 for line in fh if line.strip())


def complete_and_equal(path, reference, total):
    """Every point exactly once, with the figures of the ``reference`` results file."""
    keys = [json.loads(line)["key"] for line in open(path) if line.strip()]
    return (len(keys) == total == len(set(keys))
            and figures_by_key(path) == figures_by_key(reference))


def figures_by_key(path):
    records = read_results(path)[0]
    return {k: r.get("figures") for k, r in records.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=8)
    parser.add_argument("--into", help=argparse.SUPPRESS)  # the sweep that is killed midway
    args = parser.parse_args()
    spec = make_spec(args.points)
    total = len(spec.points)
    if args.into:
        sweep(spec, args.into, choose_runner(local=2, points=total), progress=Clock())
        return
    with tempfile.TemporaryDirectory() as folder:
        rates, runs = {}, {}
        for workers in (1, 2):
            path = os.path.join(folder, f"workers{workers}.jsonl")
            outcome, clock = timed_sweep(spec, path, workers)
            assert outcome.ran == total and not outcome.lost, clock.lines
            rates[workers], runs[workers] = clock.points_per_second(), path
        efficiency = rates[2] / (2 * rates[1])

        path = os.path.join(folder, "killed_worker.jsonl")
        kill_a_busy_worker.killed = None
        first, _ = timed_sweep(spec, path, 2, on_first=kill_a_busy_worker)
        after_kill = count_lines(path)
        second, _ = timed_sweep(spec, path, 2)
        worker_ok = complete_and_equal(path, runs[1], total)

        path = os.path.join(folder, "killed_sweep.jsonl")
        left = kill_a_sweep_midway(total, path)
        resumed, _ = timed_sweep(spec, path, 2)
        sweep_ok = complete_and_equal(path, runs[1], total)

    load = os.getloadavg()[0]
    print(f"sweep of {total} Ising points (N = 6, M = 5, 200 steps, 16 chains); "
          f"{os.cpu_count()} cores, load average {load:.2f} at the end")
    print(f"{'workers':>8} {'points/s':>10}")
    for workers, rate in rates.items():
        print(f"{workers:>8} {rate:>10.3f}")
    print(f"parallel efficiency (2 workers / twice 1 worker): {efficiency:.0%}")
    print(f"a worker (pid {kill_a_busy_worker.killed}) killed after the first point: that "
          f"sweep wrote {after_kill} of {total} points, lost {len(first.lost)}; the re-run ran "
          f"{second.ran}; every point once with the 1-worker figures: {worker_ok}")
    print(f"the sweep and its workers killed with {left} of {total} points written: the re-run "
          f"ran {resumed.ran}, skipped {resumed.skipped}; every point once with the 1-worker "
          f"figures: {sweep_ok}")
    print(json.dumps({"points": total, "points_per_s_1": round(rates[1], 3),
                      "points_per_s_2": round(rates[2], 3),
                      "parallel_efficiency": round(efficiency, 3),
                      "killed_worker": kill_a_busy_worker.killed is not None,
                      "killed_worker_ok": worker_ok, "killed_sweep_left": left,
                      "killed_sweep_rerun": resumed.ran, "killed_sweep_ok": sweep_ok,
                      "load_average": round(load, 2)}))


if __name__ == "__main__":
    main()
