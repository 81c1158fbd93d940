"""Writes tests/data/anneal_trajectory.npz: end states of small annealing runs, saved from the
engine as it was before the step was optimised (issue 21), so that tests/test_anneal.py can
check the float64 numpy path still gives the same bits. Run from the repository root:
``python tests/data/make_anneal_trajectory.py``; rerun only on purpose (a deliberate change of
the numbers), never to make the bitwise test pass."""
import hashlib
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rgproof.experiments.annealing import LogCooling, anneal  # noqa: E402
from rgproof.experiments.ensemble import Ensemble  # noqa: E402
from rgproof.experiments.network import Architecture  # noqa: E402

#: name -> (N, M, hidden, activation, chains, batch, dtype, inputs rows, steps); the paths
#: covered: the hypercube doubling (sigmoid, tanh), a hidden layer, the SGD variant, given rows,
#: float32, and 60 chains of the benchmark's network (two blocks of chains, in threads).
CASES = {
    "sigmoid": (4, 2, (), "sigmoid", 4, None, "float64", None, 30),
    "tanh_hidden": (4, 2, (3,), "tanh", 4, None, "float64", None, 30),
    "sgd": (4, 2, (), "sigmoid", 4, 5, "float64", None, 30),
    "rows_identity": (3, 2, (), "identity", 4, None, "float64", 12, 30),
    "float32": (4, 2, (), "sigmoid", 4, None, "float32", None, 30),
    "blocks": (10, 10, (), "sigmoid", 60, None, "float64", None, 5),
}


def run(name):
    N, M, hidden, activation, chains, batch, dtype, rows, steps = CASES[name]
    inputs = (None if rows is None
              else np.random.default_rng(7).standard_normal((rows, N)))
    ensemble = Ensemble.create(Architecture(N, M, hidden), activation, chains=chains, lam=0.1,
                               seed=3, batch=batch, dtype=dtype, inputs=inputs)
    with ensemble:
        result = anneal(ensemble, steps=steps, dt=0.01, schedule=LogCooling(0.05), seed=3,
                        record_every=10)
    return result


def digest(params):
    return hashlib.sha256(np.ascontiguousarray(params).tobytes()).hexdigest()


def main():
    saved = {}
    for name in CASES:
        result = run(name)
        saved[f"{name}_sha256"] = np.array(digest(result.params))
        saved[f"{name}_first_chain"] = result.params[0]
        saved[f"{name}_losses"] = np.array([r["loss"] for r in result.records])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "anneal_trajectory.npz")
    np.savez_compressed(path, **saved)
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
