"""Benchmark: chain-steps per second of the annealing step (``python bench/anneal.py``).

Reference configuration: N = 10 inputs (full sum over 1024 inputs), M = 10 sigmoid outputs,
K = 256 chains, float64, one Euler-Maruyama step (loss gradient, penalty, Gaussian noise, update).
Measured in one run, interleaved, best of several rounds (the machine may be shared):

* rgproof.experiments (chains side by side, hypercube doubling, blocks in threads);
* a straightforward per-chain numpy loop of the same step;
* PyTorch on the CPU (benchmark-only dependency): the idiomatic version with autograd and a
  batched (K, 2^N, M) forward, and a hand-written-gradient version with the chains side by side
  as columns of one matrix, each with torch's default thread count and with one thread (on a
  shared machine spinning threads can lose); the speed-up is taken against the fastest.

The effective GFLOP/s count the dense-equivalent work of a step, two matrix products
(4 P N K M) plus 8 flops per output element, against the measured dgemm rate of numpy's BLAS.
Ends with one JSON line.
"""
import json
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rgproof.experiments.annealing import em_step
from rgproof.experiments.ensemble import Ensemble
from rgproof.experiments.network import Architecture, hypercube

N, M, K = 10, 10, 256
P = 1 << N
LAM, DT, ETA = 0.1, 1e-3, 0.01
ROUNDS = 5
BUDGET_S = 0.6  # seconds per method and round


def engine_step(seed=0):
    ens = Ensemble.create(Architecture(N, M), "sigmoid", chains=K, lam=LAM, seed=seed)
    rng = np.random.default_rng(1)
    return ens, lambda: em_step(ens, DT, ETA, rng)


def split(ens):
    """Per-chain (W, b) and the teacher's, as plain arrays."""
    w, b = ens.architecture.layers(ens.params)[0]
    ws, bs = ens.architecture.layers(ens.teacher[None])[0]
    return w.copy(), b.copy(), ws[0].copy(), bs[0].copy()


def loop_step(ens):
    """The same step, one chain at a time, written the obvious way."""
    X = hypercube(N)
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
            W[k] += -DT * gw + noise * rng.standard_normal(gw.shape)
            B[k] += -DT * gb + noise * rng.standard_normal(gb.shape)

    return step, gradient


def torch_steps(ens):
    """Idiomatic autograd and hand-written side-by-side versions; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(1)
    X = torch.from_numpy(hypercube(N))
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


def dgemm_gflops(n=1024, repeats=8):
    a, b = np.random.default_rng(0).random((2, n, n))
    a @ b
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def main():
    ens, engine = engine_step()
    fresh = Ensemble.create(Architecture(N, M), "sigmoid", chains=K, lam=LAM, seed=0)
    loop, loop_gradient = loop_step(fresh)
    torch_parts = torch_steps(fresh)

    # Same numbers first: the three implementations agree on the gradient.
    grad = fresh.gradient()
    w_grad, b_grad = (a for a in fresh.architecture.layers(grad)[0])
    reference = [loop_gradient(k) for k in range(K)]
    agree = {"loop": max(max(np.abs(w_grad[k] - gw).max(), np.abs(b_grad[k] - gb).max())
                         for k, (gw, gb) in enumerate(reference))}
    methods = {"rgproof engine (numpy)": engine, "per-chain numpy loop": loop}
    if torch_parts:
        steps, first_gradient, threads = torch_parts
        gw, gb = first_gradient()
        agree["torch"] = max(np.abs(w_grad - gw).max(), np.abs(b_grad - gb).max())
        methods.update(steps)

    best = {name: math.inf for name in methods}
    for _ in range(ROUNDS):
        for name, fn in methods.items():
            best[name] = min(best[name], seconds_per_call(fn))
    dgemm = dgemm_gflops()
    flops = 4 * P * N * K * M + 8 * P * K * M

    print(f"annealing step, N = {N} (full sum over {P} inputs), M = {M}, K = {K} chains, "
          f"float64; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end"
          + (f", torch default threads {threads}" if torch_parts else ""))
    print("gradients agree with the engine to: "
          + ", ".join(f"{k} {v:.1e}" for k, v in agree.items()))
    ours = best["rgproof engine (numpy)"]
    print(f"{'implementation':<30} {'ms/step':>9} {'chain-steps/s':>14} {'GFLOP/s':>8} "
          f"{'x ours':>7}")
    for name, seconds in best.items():
        print(f"{name:<30} {seconds * 1e3:>9.2f} {K / seconds:>14.0f} "
              f"{flops / seconds / 1e9:>8.2f} {seconds / ours:>7.2f}")
    gflops = flops / ours / 1e9
    print(f"dgemm (numpy BLAS, 1024^3): {dgemm:.1f} GFLOP/s; the engine reaches "
          f"{gflops:.2f} effective GFLOP/s = {gflops / dgemm:.1%} of it")
    torch_best = min((s for n, s in best.items() if n.startswith("torch")), default=None)
    print(json.dumps({
        "speedup_vs_torch": None if torch_best is None else round(torch_best / ours, 2),
        "speedup_vs_loop": round(best["per-chain numpy loop"] / ours, 2),
        "gflops": round(gflops, 2), "dgemm_gflops": round(dgemm, 1)}))


if __name__ == "__main__":
    main()
