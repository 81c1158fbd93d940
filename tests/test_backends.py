"""The annealing loop on array backends other than numpy: array-api-strict (it has only the
standard's calls, so a run proves the step uses nothing else) and PyTorch CPU tensors through
array-api-compat, without a GPU; CuPy where one is (``bench/gpu.sh``). Each backend's tests are
skipped where its library is not installed.

The loop (:func:`rgproof.experiments.annealing.anneal` and its Euler-Maruyama step) is driven
here by the smallest ensemble it accepts, a quadratic loss, and by the network engine itself
(:class:`rgproof.experiments.ensemble.Ensemble`, one code path of standard calls) on a small
Ising set-up.
"""
import json

import numpy as np
import pytest

from rgproof.experiments import annealing
from rgproof.experiments.annealing import LogCooling
from rgproof.experiments.ising import IsingAnneal
from rgproof.experiments.network import array_namespace, to_host


def strict_namespace():
    return pytest.importorskip("array_api_strict")


def torch_namespace():
    torch = pytest.importorskip("torch")
    return pytest.importorskip("array_api_compat").array_namespace(torch.zeros(1))


def cupy_namespace():
    pytest.importorskip("cupy")
    pytest.importorskip("array_api_compat")
    return array_namespace("cupy")


BACKENDS = {"numpy": lambda: np, "array-api-strict": strict_namespace, "torch": torch_namespace,
            "cupy": cupy_namespace}


class QuadraticEnsemble:
    """Chains of the loss ``lam |W - W*|^2``, whose gradient ``2 lam (W - W*)`` needs only the
    standard's arithmetic: under annealing each chain is an Ornstein-Uhlenbeck process."""

    batch = None

    def __init__(self, xp, chains=5, size=7, lam=0.5, seed=0):
        rng = np.random.default_rng(seed)
        self.xp, self.lam = xp, lam
        self.params = xp.asarray(rng.standard_normal((chains, size)))
        self.teacher = xp.asarray(rng.standard_normal(size))

    def gradient(self, rng=None):
        return (2 * self.lam) * (self.params - self.teacher)

    def evaluate(self):
        residual = self.params - self.teacher
        return np.asarray(to_host(self.lam * self.xp.sum(residual * residual, axis=1)),
                          dtype=np.float64), None

    def describe(self):
        return {"loss": "quadratic", "chains": int(self.params.shape[0]), "lam": self.lam}

    def stable_dt_hint(self):
        return None


def run(xp, **options):
    return annealing.anneal(QuadraticEnsemble(xp), steps=40, dt=0.05, schedule=LogCooling(0.5),
                            seed=4, record_every=10, **options)


@pytest.mark.parametrize("backend", ["array-api-strict", "torch", "cupy"])
def test_the_step_gives_numpys_numbers_on_another_backend(backend):
    """The noise is numpy's draws converted at the edge, and the update is the same IEEE
    arithmetic in the same order: the same bits as numpy. The losses are sums (another
    library's order of addition), equal to rounding."""
    other, reference = run(BACKENDS[backend]()), run(np)
    assert np.array_equal(other.params, reference.params)
    assert [r["step"] for r in other.records] == [r["step"] for r in reference.records]
    np.testing.assert_allclose([r["loss"] for r in other.records],
                               [r["loss"] for r in reference.records], rtol=1e-14)
    assert other.records[-1]["loss"] < other.records[0]["loss"]


def assert_resume_is_bitwise(run_one, path, interrupt_at):
    """A run interrupted (Ctrl-C) at step ``interrupt_at`` and resumed from its checkpoint ends
    with the uninterrupted run's parameters and records, bit for bit."""
    whole = run_one()

    def stop(step):
        if step == interrupt_at:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_one(checkpoint=path, checkpoint_every=5, on_step=stop)
    resumed = run_one(checkpoint=path, checkpoint_every=5, resume=True)
    assert np.array_equal(resumed.params, whole.params) and resumed.records == whole.records


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_resume_is_bitwise_within_a_backend(backend, tmp_path):
    xp = BACKENDS[backend]()
    assert_resume_is_bitwise(lambda **options: run(xp, **options), tmp_path / "run.npz", 23)


def test_a_non_finite_step_is_seen_on_the_strict_backend():
    xp = strict_namespace()
    ensemble = QuadraticEnsemble(xp)
    ensemble.params = ensemble.params * xp.asarray(float("inf"))
    assert not annealing.em_step(ensemble, 0.05, 0.1, np.random.default_rng(0))


# --------------------------------------------------------------------------- the network engine

def run_ising(backend, dtype="float64", **options):
    """The engine on a small Ising set-up: 4 input spins (the full sum over the 16 states), a
    hidden layer of 3 sigmoid units, 3 output spins, 6 chains, 20 steps."""
    BACKENDS[backend]()  # skips where the library is absent
    config = IsingAnneal(N=4, M=3, hidden=(3,), activation="sigmoid", chains=6, steps=20,
                         dt=0.01, c=0.05, seed=3, record_every=5, backend=backend, dtype=dtype)
    ensemble = annealing.settings_ensemble(config)
    assert ensemble.xp is array_namespace(backend)
    with ensemble:
        return annealing.anneal_settings(ensemble, config, **options)


#: How far another backend's run may end from numpy's (absolute, on parameters of order 1; the
#: losses relative). array-api-strict computes with numpy's own functions in the same order, so
#: its runs are numpy's bits (0). PyTorch has its own exp, matrix products and sums, each a few
#: ulps from numpy's: after these 20 steps the parameters differ by about 2e-16 (float64) and
#: 1e-7 (float32). The bounds allow some hundreds of ulps and stay far below the 2e-3 by which
#: one step's drift dt |grad L| moves a typical parameter, so no wrong term can hide under them.
TOLERANCE = {("array-api-strict", "float64"): 0, ("array-api-strict", "float32"): 0,
             ("torch", "float64"): 1e-13, ("torch", "float32"): 1e-5}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("backend", ["array-api-strict", "torch"])
def test_the_network_engine_gives_numpys_numbers_on_another_backend(backend, dtype):
    other, reference = run_ising(backend, dtype), run_ising("numpy", dtype)
    assert other.params.dtype == reference.params.dtype == np.dtype(dtype)
    np.testing.assert_allclose(other.params, reference.params, rtol=0,
                               atol=TOLERANCE[backend, dtype])
    assert [r["step"] for r in other.records] == [r["step"] for r in reference.records]
    np.testing.assert_allclose([r["loss"] for r in other.records],
                               [r["loss"] for r in reference.records],
                               rtol=TOLERANCE[backend, dtype])


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_the_network_engine_resumes_bitwise_within_a_backend(backend, tmp_path):
    assert_resume_is_bitwise(lambda **options: run_ising(backend, **options),
                             tmp_path / "run.npz", 13)


@pytest.mark.parametrize("experiment", ["ising", "expfam"])
def test_the_command_line_experiments_run_under_array_api_strict(tmp_path, experiment):
    # the whole experiment, observables and fits included, not only the engine; numpy's thin
    # speed-ups (contiguous passes) sum the loss in another order, so agreement is to rounding
    strict_namespace()
    from rgproof import cli
    records = {}
    for backend in ("numpy", "array-api-strict"):
        out = tmp_path / f"{backend}.json"
        assert cli.main(["anneal", experiment, "--chains", "4", "--steps", "20", "--backend",
                         backend, "--json", str(out)]) == 0
        records[backend] = json.loads(out.read_text())["trajectory"]
    assert_close(records["array-api-strict"], records["numpy"])


def assert_close(got, expected, where="trajectory"):
    """JSON values equal, numbers to rounding (relative and absolute 1e-12)."""
    if isinstance(expected, dict):
        assert got.keys() == expected.keys(), where
        for key in expected:
            assert_close(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), where
        for i, (a, b) in enumerate(zip(got, expected)):
            assert_close(a, b, f"{where}[{i}]")
    elif isinstance(expected, float) and isinstance(got, float):
        assert np.isclose(got, expected, rtol=1e-12, atol=1e-12), (where, got, expected)
    else:
        assert got == expected, (where, got, expected)
