"""The annealing loop on array backends other than numpy: array-api-strict (it has only the
standard's calls, so a run proves the step uses nothing else) and PyTorch CPU tensors through
array-api-compat, without a GPU; CuPy where one is (``bench/gpu.sh``). Each backend's tests are
skipped where its library is not installed.

The loop (:func:`rgproof.experiments.annealing.anneal` and its Euler-Maruyama step) is driven
here by the smallest ensemble it accepts, a quadratic loss; the network ensemble's kernels
(:mod:`rgproof.experiments.ensemble`) are written for numpy and CuPy.
"""
import numpy as np
import pytest

from rgproof.experiments import annealing
from rgproof.experiments.annealing import LogCooling
from rgproof.experiments.ensemble import Ensemble
from rgproof.experiments.network import Architecture, to_host


def strict_namespace():
    return pytest.importorskip("array_api_strict")


def torch_namespace():
    torch = pytest.importorskip("torch")
    return pytest.importorskip("array_api_compat").array_namespace(torch.zeros(1))


def cupy_namespace():
    pytest.importorskip("cupy")
    pytest.importorskip("array_api_compat")
    from rgproof.experiments.network import array_namespace
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


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_resume_is_bitwise_within_a_backend(backend, tmp_path):
    xp, path = BACKENDS[backend](), tmp_path / "run.npz"
    whole = run(xp)

    def stop(step):
        if step == 23:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(xp, checkpoint=path, checkpoint_every=5, on_step=stop)
    resumed = run(xp, checkpoint=path, checkpoint_every=5, resume=True)
    assert np.array_equal(resumed.params, whole.params) and resumed.records == whole.records


def test_a_non_finite_step_is_seen_on_the_strict_backend():
    xp = strict_namespace()
    ensemble = QuadraticEnsemble(xp)
    ensemble.params = ensemble.params * xp.asarray(float("inf"))
    assert not annealing.em_step(ensemble, 0.05, 0.1, np.random.default_rng(0))


def test_the_network_engine_resumes_bitwise_on_cupy(tmp_path):
    cupy_namespace()
    path = tmp_path / "run.npz"

    def run_network(**options):
        ensemble = Ensemble.create(Architecture(6, 3, (4,)), "tanh", chains=8, lam=0.1, seed=2,
                                   backend="cupy")
        return annealing.anneal(ensemble, steps=30, dt=0.01, schedule=LogCooling(0.05), seed=2,
                                record_every=10, **options)

    whole = run_network()

    def stop(step):
        if step == 17:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_network(checkpoint=path, checkpoint_every=5, on_step=stop)
    resumed = run_network(checkpoint=path, checkpoint_every=5, resume=True)
    assert np.array_equal(resumed.params, whole.params) and resumed.records == whole.records
