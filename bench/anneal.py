"""Benchmark: chain-steps per second of the annealing step (``python bench/anneal.py``).

Reference configuration: N = 10 inputs (full sum over 1024 inputs), M = 10 sigmoid outputs,
K = 256 chains, float64 (``--dtype float32`` for the other), one Euler-Maruyama step (loss
gradient, penalty, Gaussian noise, update). Measured in one run, interleaved, best of several
rounds (the machine may be shared, so only the ratios of one run mean much):

* rgproof.experiments (chains side by side, hypercube doubling, blocks in threads), with the
  activations' one-pass numba kernels (when numba is installed) and with numpy's passes;
* a straightforward per-chain numpy loop of the same step;
* PyTorch on the CPU (benchmark-only dependency): the idiomatic version with autograd and a
  batched (K, 2^N, M) forward, and a hand-written-gradient version with the chains side by side
  as columns of one matrix, each with torch's default thread count and with one thread (on a
  shared machine spinning threads can lose), in the engine's dtype. Two ratios: against the
  fastest hand-written torch step (``speedup_vs_torch``, the one issue 21's target uses) and
  against the fastest autograd step (``speedup_vs_torch_autograd``).

The effective GFLOP/s count the dense-equivalent work of a step, two matrix products
(4 P N K M) plus 8 flops per output element, against the measured matrix-product rate of
numpy's BLAS in the engine's dtype (dgemm, or sgemm for float32). A profile of one block of
chains on one thread says where the engine's time goes. Ends with one JSON line.
"""
import argparse
import json
import math
import os
import sys
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rgproof.experiments import ensemble as engine  # noqa: E402
from rgproof.experiments import network  # noqa: E402
from rgproof.experiments.annealing import em_step  # noqa: E402
from rgproof.experiments.ensemble import Ensemble  # noqa: E402
from rgproof.experiments.network import Architecture, hypercube  # noqa: E402

N, M, K = 10, 10, 256
P = 1 << N
LAM, DT, ETA = 0.1, 1e-3, 0.01
ROUNDS = 5
BUDGET_S = 0.6  # seconds per method and round
DTYPE = "float64"  # set by --dtype


def engine_step(seed=0, one_pass=None, backend="numpy", threads=None):
    """The engine's step; ``one_pass`` False runs the activations as numpy's passes;
    ``threads`` 1 runs its blocks on one thread (default: the engine's, one per CPU)."""
    ens = Ensemble.create(Architecture(N, M), "sigmoid", chains=K, lam=LAM, seed=seed,
                          dtype=DTYPE, backend=backend)
    if threads is not None:  # bench only: the pool the engine would start, with fewer threads
        ens._executor = ThreadPoolExecutor(max_workers=threads)
        ens._finalizer = weakref.finalize(ens, ens._executor.shutdown, wait=False)
    rng = np.random.default_rng(1)

    def step():
        network.USE_NUMBA = one_pass
        return em_step(ens, DT, ETA, rng)

    return ens, step


def split(ens):
    """Per-chain (W, b) and the teacher's, as plain arrays."""
    w, b = ens.architecture.layers(ens.params)[0]
    ws, bs = ens.architecture.layers(ens.teacher[None])[0]
    return w.copy(), b.copy(), ws[0].copy(), bs[0].copy()


def loop_step(ens):
    """The same step, one chain at a time, written the obvious way."""
    X = hypercube(N, DTYPE)
    W, B, Ws, bs = split(ens)
    Ys = 1 / (1 + np.exp(-(X @ Ws + bs)))
    rng = np.random.default_rng(1)
    noise = math.sqrt(ETA * DT)

    def gradient(k):
        y = 1 / (1 + np.exp(-(X @ W[k] + B[k])))
        d = (y - Ys) * y * (1 - y)
        return X.T @ d + 2 * LAM * (W[k] - Ws), d.sum(axis=0) + 2 * LAM * (B[k] - bs)

    def step():
        for k in range(K):
            gw, gb = gradient(k)
            W[k] += -DT * gw + noise * rng.standard_normal(gw.shape, dtype=DTYPE)
            B[k] += -DT * gb + noise * rng.standard_normal(gb.shape, dtype=DTYPE)

    return step, gradient


def torch_steps(ens):
    """Idiomatic autograd and hand-written side-by-side versions; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(1)
    X = torch.from_numpy(hypercube(N, DTYPE))
    W0, B0, Ws, bs = (torch.from_numpy(a) for a in split(ens))
    Ys = torch.sigmoid(X @ Ws + bs)
    noise = math.sqrt(ETA * DT)

    W = W0.clone().requires_grad_()
    B = B0.clone()[:, None, :].requires_grad_()

    def autograd_loss():
        y = torch.sigmoid(torch.matmul(X, W) + B)  # (K, P, M)
        return (0.5 * ((y - Ys) ** 2).sum() + LAM * ((W - Ws) ** 2).sum()
                + LAM * ((B - bs) ** 2).sum())

    def autograd_step():
        gw, gb = torch.autograd.grad(autograd_loss(), (W, B))
        with torch.no_grad():
            W.add_(gw, alpha=-DT).add_(torch.randn_like(W), alpha=noise)
            B.add_(gb, alpha=-DT).add_(torch.randn_like(B), alpha=noise)

    Wf = W0.permute(1, 0, 2).reshape(N, K * M).contiguous()
    bf = B0.reshape(K * M).clone()
    Wsf, bsf, Ysf = Ws.repeat(1, K), bs.repeat(K), Ys.repeat(1, K)

    def manual_gradient():
        y = torch.sigmoid(torch.addmm(bf, X, Wf))
        d = (y - Ysf) * y * (1 - y)
        return X.T @ d + 2 * LAM * (Wf - Wsf), d.sum(0) + 2 * LAM * (bf - bsf)

    def manual_step():
        gw, gb = manual_gradient()
        Wf.add_(gw, alpha=-DT).add_(torch.randn_like(Wf), alpha=noise)
        bf.add_(gb, alpha=-DT).add_(torch.randn_like(bf), alpha=noise)

    def first_gradient():
        gw, gb = torch.autograd.grad(autograd_loss(), (W, B))
        return gw.numpy(), gb[:, 0, :].numpy()

    threads = torch.get_num_threads()
    variants = {}
    for count in sorted({threads, 1}, reverse=True):
        def pinned(step, count=count):
            def run():
                torch.set_num_threads(count)
                return step()
            return run
        variants[f"torch autograd, {count} thr"] = pinned(autograd_step)
        variants[f"torch hand-written, {count} thr"] = pinned(manual_step)
    return variants, first_gradient, threads


def seconds_per_call(fn):
    fn()
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < BUDGET_S:
        fn()
        calls += 1
    return (time.perf_counter() - start) / calls


GEMM_N = 1024


def gemm_call():
    """One n x n matrix product of numpy's BLAS in the engine's dtype (timed with the steps)."""
    a, b = np.random.default_rng(0).random((2, GEMM_N, GEMM_N)).astype(DTYPE)
    return lambda: a @ b


def block_profile():
    """Milliseconds of each part of one block's gradient on one thread (the engine's own
    functions on its own work arrays), best of several calls, with numpy's passes."""
    network.USE_NUMBA = False
    ens = Ensemble.create(Architecture(N, M), "sigmoid", chains=K, lam=LAM, seed=0, dtype=DTYPE)
    k0, k1 = ens.blocks()[0]
    w, b = ens.architecture.layers(ens.params[k0:k1])[0]
    kb = k1 - k0
    columns, bias = w.transpose(1, 0, 2).reshape(N, kb * M), b.reshape(kb * M)
    work, y = engine._workspace(np, (P, kb * M), ens.params.dtype)
    f, grad, folded = ens.activation, np.empty_like(ens.params), np.empty_like(work)
    parts = {
        "hypercube doubling (exp table)": lambda: engine.hypercube_exp(np, columns, bias, 1.0,
                                                                       work),
        "sigmoid from the table": lambda: f.value_from_exp(np, work, y),
        "its slope": lambda: f.slope(np, None, y, work),
        "residual (minus teacher)": lambda: np.subtract(y, ens._tiled_teacher(kb), out=y),
        "delta = residual * slope": lambda: np.multiply(y, work, out=y),
        "fold (transpose of the layer)": lambda: engine.hypercube_fold(np, folded, N),
    }
    def whole(one_pass):
        def run():
            network.USE_NUMBA = one_pass
            ens._block_gradient(k0, k1, None, grad)
        return run

    parts = {"whole block (numpy passes)": whole(False), **parts}
    if network._compiled_loops() is not None:
        parts["whole block (one-pass kernels)"] = whole(None)
    timed = {name: math.inf for name in parts}
    with np.errstate(all="ignore"):
        for _ in range(ROUNDS * 4):  # interleaved rounds, best of each
            for name, part in parts.items():
                network.USE_NUMBA = False
                start = time.perf_counter()
                part()
                timed[name] = min(timed[name], (time.perf_counter() - start) * 1e3)
    ens.close()
    return kb, timed.pop("whole block (numpy passes)"), timed, \
        timed.pop("whole block (one-pass kernels)", None)


def main():
    global DTYPE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--backend", choices=("numpy", "cupy", "torch"), default="numpy",
                        help="the engine measured as 'ours' (cupy: on the GPU, bench/gpu.sh)")
    args = parser.parse_args()
    DTYPE = args.dtype
    one_pass_available = network._compiled_loops() is not None  # compiled or loaded now
    cores = os.cpu_count() or 1
    kinds = {"one-pass": None, "numpy passes": False} if one_pass_available \
        else {"numpy passes": False}
    engines = {f"rgproof engine ({kind}), {count} thr":
               engine_step(one_pass=one_pass, threads=count)[1]
               for kind, one_pass in kinds.items() for count in sorted({cores, 1}, reverse=True)}
    fresh = Ensemble.create(Architecture(N, M), "sigmoid", chains=K, lam=LAM, seed=0,
                            dtype=DTYPE)
    loop, loop_gradient = loop_step(fresh)
    torch_parts = torch_steps(fresh)

    # Same numbers first: the implementations agree on the gradient.
    grad = fresh.gradient()
    w_grad, b_grad = (a for a in fresh.architecture.layers(grad)[0])
    reference = [loop_gradient(k) for k in range(K)]
    agree = {"loop": max(max(np.abs(w_grad[k] - gw).max(), np.abs(b_grad[k] - gb).max())
                         for k, (gw, gb) in enumerate(reference))}
    methods = {**engines, "per-chain numpy loop": loop}
    if args.backend == "cupy":
        device, engine_device = engine_step(backend="cupy")
        agree["cupy"] = float(np.abs(network.to_host(device.gradient()) - grad).max())
        methods = {"rgproof engine (cupy)": engine_device, **methods}
    if torch_parts:
        steps, first_gradient, threads = torch_parts
        gw, gb = first_gradient()
        agree["torch"] = max(np.abs(w_grad - gw).max(), np.abs(b_grad - gb).max())
        methods.update(steps)

    best = {name: math.inf for name in methods}
    gemm_seconds, gemm = math.inf, gemm_call()
    for _ in range(ROUNDS):  # interleaved, so that a burst of load hits every method alike
        for name, fn in methods.items():
            best[name] = min(best[name], seconds_per_call(fn))
        gemm_seconds = min(gemm_seconds, seconds_per_call(gemm))
    network.USE_NUMBA = None
    gemm = 2 * GEMM_N ** 3 / gemm_seconds / 1e9
    kb, block_ms, parts_ms, block_one_pass_ms = block_profile()
    flops = 4 * P * N * K * M + 8 * P * K * M
    load = os.getloadavg()[0]

    print(f"annealing step, N = {N} (full sum over {P} inputs), M = {M}, K = {K} chains, "
          f"{DTYPE}; {os.cpu_count()} cores, load average {load:.2f} at the end (a loaded "
          "machine: compare the ratios of this run, not times across runs)"
          + (f", torch default threads {threads}" if torch_parts else ""))
    print("gradients agree with the engine to: "
          + ", ".join(f"{k} {v:.1e}" for k, v in agree.items()))
    # ours: the engine's fastest step (on the GPU with --backend cupy), whatever its threads
    ours_name = ("rgproof engine (cupy)" if args.backend == "cupy"
                 else min(engines, key=best.__getitem__))
    ours = best[ours_name]
    print(f"{'implementation':<37} {'ms/step':>9} {'chain-steps/s':>14} {'GFLOP/s':>8} "
          f"{'x ours':>7}")
    for name, seconds in best.items():
        print(f"{name:<37} {seconds * 1e3:>9.2f} {K / seconds:>14.0f} "
              f"{flops / seconds / 1e9:>8.2f} {seconds / ours:>7.2f}")
    gflops = flops / ours / 1e9
    gemm_name = "dgemm" if DTYPE == "float64" else "sgemm"
    print(f"{gemm_name} (numpy BLAS, 1024^3): {gemm:.1f} GFLOP/s; the engine reaches "
          f"{gflops:.2f} effective GFLOP/s = {gflops / gemm:.1%} of it")
    print(f"where a step's time goes: one block of {kb} chains on one thread, numpy's passes, "
          f"{block_ms:.2f} ms"
          + (f" ({block_one_pass_ms:.2f} ms with the one-pass kernels)"
             if block_one_pass_ms else ""))
    for name, ms in parts_ms.items():
        print(f"  {name:<34} {ms:>7.3f} ms {ms / block_ms:>6.1%}")
    torch_times = {kind: min((s for n, s in best.items() if n.startswith(f"torch {kind}")),
                             default=None) for kind in ("hand-written", "autograd")}
    ratio = {kind: None if t is None else round(t / ours, 2) for kind, t in torch_times.items()}
    # like for like: the engine and torch's hand-written step on the same number of threads
    same_threads = {count: round(best[f"torch hand-written, {count} thr"]
                                 / best[f"rgproof engine (one-pass), {count} thr"], 2)
                    for count in {1, cores}
                    if f"rgproof engine (one-pass), {count} thr" in best
                    and f"torch hand-written, {count} thr" in best}
    if same_threads:
        print("engine / torch hand-written on the same threads: "
              + ", ".join(f"{c} thr {r:.2f}x" for c, r in sorted(same_threads.items())))
    print(json.dumps({
        "dtype": DTYPE, "backend": args.backend, "ms_per_step": round(ours * 1e3, 2),
        "ms_per_step_numpy_passes": round(min(best[f"rgproof engine (numpy passes), {c} thr"]
                                              for c in {1, cores}) * 1e3, 2),
        "speedup_vs_torch": ratio["hand-written"],
        "speedup_vs_torch_autograd": ratio["autograd"],
        "speedup_vs_torch_same_threads": {str(c): r for c, r in sorted(same_threads.items())},
        "speedup_vs_loop": round(best["per-chain numpy loop"] / ours, 2),
        "gflops": round(gflops, 2), f"{gemm_name}_gflops": round(gemm, 1),
        "fraction_of_gemm": round(gflops / gemm, 3), "load_average": round(load, 2)}))


if __name__ == "__main__":
    main()
