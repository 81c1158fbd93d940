import io
import json
import os
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rgproof import ising
from rgproof.core.errors import InputError
from rgproof.experiments import annealing as anneal
from rgproof.experiments import ensemble as ensemble_experiment
from rgproof.experiments import network as network_experiment
from rgproof.experiments.annealing import Divergence, LogCooling
from rgproof.experiments.ensemble import Ensemble, hypercube_exp, hypercube_fold, hypercube_sum
from rgproof.experiments.network import Activation, Architecture, hypercube
from rgproof.present import progress as progress_present

SOFTSIGN = Activation.custom("softsign", lambda z: z / (1 + abs(z)),
                             lambda z: 1 / (1 + abs(z)) ** 2)


def reference_outputs(architecture, activation, theta, X):
    """Plain per-network forward pass with matrix products (independent of the engine)."""
    f = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
         "softsign": lambda z: z / (1 + abs(z))}[activation.name]
    a = X
    for w, b in architecture.layers(theta[None]):
        a = f(a @ w[0] + b[0])
    return a


def reference_loss(ens, k, rows=None):
    arch = ens.architecture
    X = hypercube(arch.inputs)
    scale = 1.0
    if rows is not None:
        X, scale = X[rows], arch.rows / len(rows)
    residual = (reference_outputs(arch, ens.activation, ens.params[k], X)
                - reference_outputs(arch, ens.activation, ens.teacher, X))
    penalty = ens.lam * ((ens.params[k] - ens.teacher) ** 2).sum()
    return 0.5 * scale * (residual ** 2).sum() + penalty


def central_difference(ens, k, rows=None, h=1e-6):
    theta = ens.params[k].copy()
    out = np.empty(theta.size)
    for i in range(theta.size):
        values = []
        for sign in (1, -1):
            ens.params[k] = theta
            ens.params[k, i] += sign * h
            values.append(reference_loss(ens, k, rows))
        out[i] = (values[0] - values[1]) / (2 * h)
    ens.params[k] = theta
    return out


# --------------------------------------------------------------------------- the hypercube layer

def test_hypercube_order_matches_ising_enumeration():
    X = hypercube(5)
    S = (X * np.roll(X, -1, axis=1)).sum(axis=1)
    values, counts = np.unique(S, return_counts=True)
    assert dict(zip(values.astype(int).tolist(), counts.tolist())) == ising.bond_sum_histogram(5)
    assert X[0].tolist() == [1] * 5 and X[1].tolist() == [-1, 1, 1, 1, 1]


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 7), columns=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_doubling_and_fold_equal_matrix_products(N, columns, seed):
    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=(N, columns)), rng.normal(size=columns)
    X = hypercube(N)
    z = X @ w + b
    np.testing.assert_allclose(hypercube_sum(np, w, b, np.empty_like(z)), z, rtol=0, atol=1e-13)
    # exp(-2z) itself inherits z's rounding, amplified by 2|z|
    np.testing.assert_allclose(hypercube_exp(np, w, b, 2.0, np.empty_like(z)), np.exp(-2 * z),
                               rtol=(N + 2) * 1e-15 * (1 + 2 * np.abs(z).max()))
    d = rng.normal(size=z.shape)
    gw, gb = hypercube_fold(np, d.copy(), N)
    np.testing.assert_allclose(gw, X.T @ d, rtol=0, atol=1e-12)
    np.testing.assert_allclose(gb, d.sum(axis=0), rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- loss and gradients

@pytest.mark.parametrize("hidden", [(), (5,), (4, 3)])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", SOFTSIGN])
def test_loss_and_gradient_against_reference_and_finite_differences(hidden, activation):
    ens = Ensemble.create(Architecture(4, 3, hidden), activation, chains=4, lam=0.3, seed=3)
    loss, _ = ens.evaluate()
    np.testing.assert_allclose(loss, [reference_loss(ens, k) for k in range(4)], rtol=1e-13)
    grad = ens.gradient()
    for k in (0, 3):
        fd = central_difference(ens, k)
        np.testing.assert_allclose(grad[k], fd, rtol=0, atol=2e-8 * np.abs(fd).max())


def test_minibatch_gradient_is_the_scaled_sum_over_the_drawn_inputs():
    ens = Ensemble.create(Architecture(5, 3, (4,)), "sigmoid", chains=3, lam=0.2, seed=5, batch=7)
    grad = ens.gradient(np.random.default_rng(11))
    rows = np.random.default_rng(11).integers(0, 32, (3, 7))
    for k in range(3):
        fd = central_difference(ens, k, rows[k])
        np.testing.assert_allclose(grad[k], fd, rtol=0, atol=2e-8 * np.abs(fd).max())


@pytest.mark.parametrize("hidden", [(), (3,)])
def test_blocks_in_threads_agree_with_one_block(hidden, monkeypatch):
    ens = Ensemble.create(Architecture(6, 4, hidden), "tanh", chains=9, lam=0.1, seed=2)
    whole = ens.gradient()
    outputs, (loss, seen) = ens.outputs(), ens.evaluate(lambda xp, y: y)
    monkeypatch.setattr(ensemble_experiment, "BLOCK_ELEMENTS", 64 * 4 * 2)  # two chains per block
    monkeypatch.setenv("OMP_NUM_THREADS", "2")  # ceil(9 / 2) = 5 blocks, made 6 for 2 threads
    assert [k1 - k0 for k0, k1 in ens.blocks()] == [1, 2, 1, 2, 1, 2]
    np.testing.assert_allclose(ens.gradient(), whole, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(ens.outputs(), outputs, rtol=1e-14)
    blocked_loss, blocked_seen = ens.evaluate(lambda xp, y: y)
    np.testing.assert_allclose(blocked_seen, seen, rtol=1e-14)
    np.testing.assert_allclose(blocked_loss, loss, rtol=1e-13)


def test_large_weights_fall_back_to_summed_preactivations():
    ens = Ensemble.create(Architecture(4, 2), "sigmoid", chains=2, lam=0.0, seed=1)
    ens.params[0] *= 500  # partial products of exp(-w) would overflow
    loss, _ = ens.evaluate()
    assert np.isfinite(loss).all()
    assert loss[0] == pytest.approx(reference_loss(ens, 0), rel=1e-12)
    assert np.isfinite(ens.gradient()).all()


def test_float32_tracks_float64():
    kwargs = dict(chains=4, lam=0.1, seed=4)
    e64 = Ensemble.create(Architecture(6, 4), "sigmoid", **kwargs)
    e32 = Ensemble.create(Architecture(6, 4), "sigmoid", dtype="float32", **kwargs)
    assert e32.params.dtype == np.float32 and e32.gradient().dtype == np.float32
    np.testing.assert_allclose(e32.gradient(), e64.gradient(), rtol=0, atol=2e-4)


# --------------------------------------------------------------------------- the run loop

def small_run(**kwargs):
    ens = Ensemble.create(Architecture(5, 4), "sigmoid", chains=6, lam=0.1,
                          seed=kwargs.pop("seed", 7))
    args = dict(steps=50, dt=0.05, schedule=LogCooling(0.05), seed=7, record_every=10)
    args.update(kwargs)
    return anneal.anneal(ens, **args)


def test_same_seed_gives_identical_numbers_and_training_lowers_the_loss():
    a, b = small_run(), small_run()
    assert np.array_equal(a.params, b.params) and a.records == b.records
    assert [r["step"] for r in a.records] == [0, 10, 20, 30, 40, 50]
    assert a.records[-1]["loss"] < 0.2 * a.records[0]["loss"]
    assert not np.array_equal(small_run(seed=8).params, a.params)


def test_resume_after_interruption_is_bit_identical(tmp_path):
    path = str(tmp_path / "run.npz")
    reference = small_run()

    def interrupt(step):
        if step == 37:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        small_run(checkpoint=path, checkpoint_every=10, on_step=interrupt)
    assert anneal.load_checkpoint(path).step == 30
    resumed = small_run(checkpoint=path, checkpoint_every=10, resume=True)
    assert np.array_equal(resumed.params, reference.params)
    assert resumed.records == reference.records
    assert os.listdir(tmp_path) == ["run.npz"]  # the atomic writes left no temporary files
    again = small_run(checkpoint=path, resume=True)  # a finished run resumes to itself
    assert np.array_equal(again.params, reference.params) and again.records == reference.records


def test_resume_rejects_other_configuration_and_missing_files(tmp_path):
    path = str(tmp_path / "run.npz")
    small_run(steps=20, checkpoint=path)
    with pytest.raises(InputError, match=r"differs in dt"):
        small_run(steps=20, dt=0.01, checkpoint=path, resume=True)
    with pytest.raises(InputError, match="needs --checkpoint"):
        small_run(resume=True)
    with pytest.raises(InputError, match="existing checkpoint"):
        small_run(checkpoint=str(tmp_path / "absent.npz"), resume=True)
    (tmp_path / "junk.npz").write_text("not a checkpoint")
    with pytest.raises(InputError, match="not a readable"):
        small_run(checkpoint=str(tmp_path / "junk.npz"), resume=True)


def test_divergence_names_the_step_and_the_step_size():
    with pytest.raises(Divergence) as info:
        small_run(dt=1e4, steps=200)  # the penalty alone multiplies W - W* by 1 - 2 lam dt
    err = info.value
    assert err.parameter == "dt" and 0 < err.step < 200
    assert f"at step {err.step} " in str(err) and "dt = 10000.0 is too large" in str(err)
    assert "dt < 2 / max curvature = 0.909" in str(err)  # 2 / (2^5 / 16 + 2 * 0.1)


def test_sgd_variant_runs_without_brownian_noise():
    ens = Ensemble.create(Architecture(5, 3), "sigmoid", chains=4, lam=0.1, seed=1, batch=8)
    result = anneal.anneal(ens, steps=40, dt=0.02, schedule=LogCooling(1e9), seed=1)
    # with eta = 1e9 Brownian noise would explode the weights; minibatch noise does not
    assert result.records[-1]["loss"] < result.records[0]["loss"]


def test_progress_bar_reports_step_time_and_fields():
    stream = io.StringIO()
    small_run(progress=progress_present.Progress(50, stream, fields=("loss",)))
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[....") and "0/50 t=0 loss=" in lines[0]
    assert "50/50 t=2.5 loss=" in lines[-1]


def test_log_cooling_schedule():
    assert LogCooling(2.0)(0.0) == pytest.approx(2 / np.log(2))
    assert LogCooling(1.0)(10.0) == pytest.approx(1 / np.log(12))
    assert "c = 0.5" in anneal.describe_schedule(LogCooling(0.5))


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("make, parameter", [
    (lambda: Architecture(17, 2), "N"),
    (lambda: Architecture(0, 2), "N"),
    (lambda: Architecture(4, 0), "M"),
    (lambda: Architecture(4, 2, (3, 0)), "hidden"),
    (lambda: Architecture(4, 2, [3]), "hidden"),
    (lambda: network_experiment.parse_hidden("8,,4"), "--hidden"),
    (lambda: network_experiment.parse_hidden("8,x"), "--hidden"),
    (lambda: network_experiment.resolve_activation("relu"), "--activation"),
    (lambda: network_experiment.resolve_activation("math:pi"), "--activation"),
    (lambda: network_experiment.resolve_activation("nosuchmodule:f"), "--activation"),
    (lambda: network_experiment.array_namespace("jax"), "--backend"),
    (lambda: network_experiment.check_dtype("float16"), "--dtype"),
    (lambda: LogCooling(0.0), "c"),
    (lambda: LogCooling(float("nan")), "c"),
    (lambda: Ensemble.create(Architecture(3, 2), chains=0, lam=0.1, seed=0), "chains"),
    (lambda: Ensemble.create(Architecture(3, 2), chains=2, lam=-1.0, seed=0), "lam"),
    (lambda: Ensemble.create(Architecture(3, 2), chains=2, lam=0.1, seed=-1), "seed"),
    (lambda: Ensemble.create(Architecture(3, 2), chains=2, lam=0.1, seed=0, teacher=[1.0]),
     "teacher"),
    (lambda: small_run(dt=0.0), "dt"),
    (lambda: small_run(dt=-0.1), "dt"),
    (lambda: small_run(steps=0), "steps"),
])
def test_bad_input_names_the_parameter(make, parameter):
    with pytest.raises(InputError) as info:
        make()
    assert info.value.parameter == parameter


# --------------------------------------------------------------------------- activation plugins

DEMO_MODULE = "rgproof_demo_activations"
DEMO_SOURCE = """\
import numpy as np

from rgproof.experiments.network import Activation

SOFTPLUS = Activation.custom("softplus_demo", lambda z: np.log1p(np.exp(z)),
                             lambda z: 1 / (1 + np.exp(-z)))
NOT_AN_ACTIVATION = 42
MISNAMED = Activation.custom("some_other_name", np.tanh, np.tanh)
"""


@pytest.fixture
def demo_distribution(tmp_path, monkeypatch):
    """A fake installed distribution rgproof-demo-activations in ``tmp_path``, put on sys.path;
    its module is forgotten again afterwards."""
    (tmp_path / f"{DEMO_MODULE}.py").write_text(DEMO_SOURCE)
    info = tmp_path / "rgproof_demo_activations-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rgproof-demo-activations\n"
                                   "Version: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[rgproof.activations]\n"
        f"softplus_demo = {DEMO_MODULE}:SOFTPLUS\n"
        f"not_an_activation_demo = {DEMO_MODULE}:NOT_AN_ACTIVATION\n"
        f"misnamed_demo = {DEMO_MODULE}:MISNAMED\n"
        f"unimportable_demo = {DEMO_MODULE}_absent:F\n")
    monkeypatch.syspath_prepend(tmp_path)
    yield tmp_path
    sys.modules.pop(DEMO_MODULE, None)


def test_module_attribute_strings_import_nothing(tmp_path, monkeypatch):
    marker = tmp_path / "imported.marker"
    (tmp_path / "evilmod_xyz.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "run = None\n")
    monkeypatch.syspath_prepend(tmp_path)
    monkeypatch.delitem(sys.modules, "evilmod_xyz", raising=False)
    for name in ("evilmod_xyz:run", "evilmod_xyz"):
        with pytest.raises(InputError, match="must be one of .* or an activation installed "
                                             "under the entry-point group rgproof.activations"
                           ) as info:
            network_experiment.resolve_activation(name)
        assert info.value.parameter == "--activation" and info.value.value == name
    assert not marker.exists()
    assert "evilmod_xyz" not in sys.modules


def test_registered_activation_resolves_by_name(monkeypatch):
    monkeypatch.setattr(network_experiment, "ACTIVATIONS", dict(network_experiment.ACTIVATIONS))
    assert network_experiment.register_activation(SOFTSIGN) is SOFTSIGN
    assert network_experiment.resolve_activation("softsign") is SOFTSIGN
    assert network_experiment.register_activation(SOFTSIGN) is SOFTSIGN  # again: harmless
    ens = Ensemble.create(Architecture(3, 2), "softsign", chains=2, lam=0.1, seed=0)
    assert ens.activation is SOFTSIGN


def test_register_activation_refuses_a_taken_name_and_non_activations(monkeypatch):
    monkeypatch.setattr(network_experiment, "ACTIVATIONS", dict(network_experiment.ACTIVATIONS))
    network_experiment.register_activation(SOFTSIGN)
    impostor = Activation.custom("softsign", np.tanh, np.tanh)
    with pytest.raises(InputError, match="already registered") as info:
        network_experiment.register_activation(impostor)
    assert info.value.parameter == "activation" and info.value.value == "softsign"
    with pytest.raises(InputError, match="already registered"):
        network_experiment.register_activation(Activation.custom("tanh", np.tanh, np.tanh))
    assert network_experiment.resolve_activation("softsign") is SOFTSIGN
    assert network_experiment.resolve_activation("tanh").exp_rate == 2.0  # the built-in stays
    with pytest.raises(InputError, match="must be an Activation") as info:
        network_experiment.register_activation(np.tanh)
    assert info.value.parameter == "activation"


def test_registered_names_need_no_entry_point_lookup(monkeypatch):
    monkeypatch.setattr(network_experiment, "_installed_activations",
                        lambda: pytest.fail("entry points were read for a registered name"))
    for name in ("sigmoid", "tanh", "identity"):
        assert network_experiment.resolve_activation(name).name == name


def test_installed_entry_point_activation_resolves(demo_distribution):
    import rgproof_demo_activations  # the planted module, from the planted folder

    found = network_experiment.resolve_activation("softplus_demo")
    assert found is rgproof_demo_activations.SOFTPLUS
    assert float(found.value(np, np.array(0.0), np.empty(()))) == pytest.approx(np.log(2))
    ens = Ensemble.create(Architecture(3, 2), "softplus_demo", chains=2, lam=0.1, seed=0)
    assert ens.activation is found
    # an unknown name lists the installed activations with the registered ones
    with pytest.raises(InputError, match="'softplus_demo'"):
        network_experiment.resolve_activation("nosuch_demo")


@pytest.mark.parametrize("name, message", [
    ("not_an_activation_demo", "gives a int, not an Activation"),
    ("misnamed_demo", "gives an Activation named 'some_other_name'"),
    ("unimportable_demo", "cannot be loaded (ModuleNotFoundError"),
])
def test_bad_entry_point_is_refused(demo_distribution, name, message):
    with pytest.raises(InputError) as info:
        network_experiment.resolve_activation(name)
    assert info.value.parameter == "--activation" and info.value.value == name
    assert message in str(info.value)
    assert f"the entry point {name} = " in str(info.value)


def test_cupy_request_without_cupy_is_a_clear_error():
    try:
        import cupy  # noqa: F401
        pytest.skip("cupy is installed")
    except ImportError:
        pass
    with pytest.raises(InputError, match="cupy needs the optional packages") as info:
        network_experiment.array_namespace("cupy")
    assert info.value.parameter == "--backend"


def test_cupy_backend_matches_numpy():
    pytest.importorskip("cupy")
    pytest.importorskip("array_api_compat")
    kwargs = dict(chains=8, lam=0.1, seed=3)
    host = Ensemble.create(Architecture(6, 4, (5,)), "sigmoid", **kwargs)
    device = Ensemble.create(Architecture(6, 4, (5,)), "sigmoid", backend="cupy", **kwargs)
    np.testing.assert_allclose(network_experiment.to_host(device.gradient()), host.gradient(), rtol=1e-10,
                               atol=1e-12)


def test_checkpoint_file_holds_json_state(tmp_path):
    path = str(tmp_path / "c.npz")
    small_run(steps=10, checkpoint=path)
    state = anneal.load_checkpoint(path)
    assert state.step == 10 and state.params.shape == (6, Architecture(5, 4).size)
    assert state.config["N"] == 5 and json.dumps(state.records)


def test_progress_line_formats_t_like_before():
    stream = io.StringIO()
    bar = progress_present.Progress(10, stream=stream, fields=("loss", "J_t"), width=4)
    bar.update(10, {"t": 12345, "loss": 0.123456, "J_t": None})  # an int t: 4 digits still
    assert stream.getvalue() == "[####] 10/10 t=1.234e+04 loss=0.1235 J_t=-\n"


def test_a_loss_grown_by_orders_of_magnitude_stops_the_run():
    # finite all the way (about 1e214 after 20 steps), so only the growth gives it away
    with pytest.raises(Divergence) as info:
        small_run(dt=1e6, steps=20)
    assert "the loss grew from" in str(info.value) and info.value.step <= 20


def test_record_and_checkpoint_intervals_of_zero_are_refused():
    for option in ("record_every", "checkpoint_every"):
        with pytest.raises(InputError, match=option):
            small_run(steps=20, **{option: 0})


def _edit_checkpoint(path, **changes):
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    arrays.update(changes)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_an_edited_checkpoint_is_refused(tmp_path):
    path = tmp_path / "run.npz"
    small_run(steps=40, checkpoint=path)
    _edit_checkpoint(path, step=np.int64(999999))
    with pytest.raises(InputError, match="does not match its checksum"):
        small_run(steps=40, checkpoint=path, resume=True)


def test_a_truncated_checkpoint_is_refused_without_a_traceback(tmp_path):
    path = tmp_path / "run.npz"
    small_run(steps=40, checkpoint=path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputError, match="is not a readable rgproof checkpoint"):
        small_run(steps=40, checkpoint=path, resume=True)


def test_a_checkpoint_of_an_older_format_says_what_to_do(tmp_path):
    path = tmp_path / "run.npz"
    small_run(steps=40, checkpoint=path)
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k not in ("format", "checksum")}
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(InputError, match="checkpoint format 1; .*rerun without --resume"):
        small_run(steps=40, checkpoint=path, resume=True)


def test_resume_still_gives_the_same_bits(tmp_path):
    path = tmp_path / "run.npz"
    whole = small_run(steps=40)
    stopped = {}

    def stop_at(step):
        if step == 23:
            stopped["yes"] = True
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        small_run(steps=40, checkpoint=path, checkpoint_every=5, on_step=stop_at)
    resumed = small_run(steps=40, checkpoint=path, checkpoint_every=5, resume=True)
    assert np.array_equal(resumed.params, whole.params) and resumed.records == whole.records


def _trajectory_script():
    """tests/data/make_anneal_trajectory.py as a module: its cases and its run."""
    import importlib.util
    path = os.path.join(os.path.dirname(__file__), "data", "make_anneal_trajectory.py")
    spec = importlib.util.spec_from_file_location("make_anneal_trajectory", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TRAJECTORY = _trajectory_script()


@pytest.fixture(params=["numpy", "one-pass"])
def elementwise(request, monkeypatch):
    """Both paths of the activations' elementwise work: numpy's passes, and numba's one-pass
    kernels on every array (skipped where numba is not installed)."""
    if request.param == "numpy":
        monkeypatch.setattr(network_experiment, "USE_NUMBA", False)
    else:
        pytest.importorskip("numba")
        monkeypatch.setattr(network_experiment, "FUSED_MIN_ELEMENTS", 0)
    return request.param


@pytest.mark.parametrize("case", sorted(TRAJECTORY.CASES))
def test_the_step_gives_the_numbers_saved_before_it_was_optimised(case, elementwise):
    """The end state of each small run agrees with the one saved from the engine before issue
    21's work. Not bit for bit across machines: numpy's exp and tanh take a different SIMD
    path on CPUs with AVX-512 than on AVX2 ones, a last-ulp difference that 30 steps carry to
    about 1e-14 (measured: at most 1.8e-14 relative)."""
    saved = np.load(os.path.join(os.path.dirname(__file__), "data", "anneal_trajectory.npz"))
    result = TRAJECTORY.run(case)
    np.testing.assert_allclose(result.params[0], saved[f"{case}_first_chain"], rtol=1e-12,
                               atol=1e-15)
    np.testing.assert_allclose([r["loss"] for r in result.records], saved[f"{case}_losses"],
                               rtol=1e-12)


@pytest.mark.parametrize("case", sorted(TRAJECTORY.CASES))
def test_kernels_and_blocks_give_the_same_bits_on_one_machine(case, monkeypatch):
    """On one machine the numbers do not depend on how the step is computed: numba's one-pass
    kernels give numpy's passes' bits, and a chain's bits do not depend on its block (one block
    per chain here) or on the number of threads."""
    pytest.importorskip("numba")
    monkeypatch.setattr(network_experiment, "USE_NUMBA", False)
    reference = TRAJECTORY.run(case)
    monkeypatch.setattr(network_experiment, "USE_NUMBA", None)
    monkeypatch.setattr(network_experiment, "FUSED_MIN_ELEMENTS", 0)
    monkeypatch.setattr(ensemble_experiment, "BLOCK_ELEMENTS", 1)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    rearranged = TRAJECTORY.run(case)
    assert np.array_equal(rearranged.params, reference.params)
    assert [r["loss"] for r in rearranged.records] == [r["loss"] for r in reference.records]


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_one_pass_kernels_give_numpys_bits_on_special_values(name, monkeypatch):
    pytest.importorskip("numba")
    monkeypatch.setattr(network_experiment, "FUSED_MIN_ELEMENTS", 0)
    f = network_experiment.ACTIVATIONS[name]
    rng = np.random.default_rng(0)
    with np.errstate(all="ignore"):
        e = np.concatenate([np.exp(rng.standard_normal(5000) * 300), rng.standard_normal(5000),
                            [np.inf, -np.inf, np.nan, 0.0, -0.0, -1.0, 5e-324, 1e308]])
        y = np.concatenate([rng.random(5000) * 2 - 1, e])

        def both(run):
            monkeypatch.setattr(network_experiment, "USE_NUMBA", None)
            fused = run()
            monkeypatch.setattr(network_experiment, "USE_NUMBA", False)
            return fused, run()

        for fused, plain in (both(lambda: f.value_from_exp(np, e, np.empty_like(e))),
                             both(lambda: f.slope(np, None, y, np.empty_like(y)))):
            assert np.array_equal(fused.view(np.int64), plain.view(np.int64))


@pytest.mark.parametrize("N, columns", [(1, 2), (2, 3), (5, 7), (10, 40)])
def test_the_compiled_fold_gives_numpys_bits(N, columns, monkeypatch):
    pytest.importorskip("numba")
    monkeypatch.setattr(network_experiment, "FUSED_MIN_ELEMENTS", 0)
    rng = np.random.default_rng(N)
    d = rng.standard_normal((1 << N, columns)) * np.exp(3 * rng.standard_normal((1 << N, columns)))
    compiled = network_experiment.one_pass_fold(np, d.copy(), N)
    assert network_experiment.one_pass_fold(np, d[:, :1].copy(), N) is None  # one column: numpy
    monkeypatch.setattr(network_experiment, "USE_NUMBA", False)
    plain = hypercube_fold(np, d.copy(), N)
    assert all(np.array_equal(a, b) for a, b in zip(compiled, plain))
