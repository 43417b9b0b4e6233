"""Tests for nnfs.model.Sequential: training, prediction, summary, bad input.

The seed system's usage (regression, XOR, concentric circles, encoders) comes
first, then the catalogue cases F1-F11 of RELIABILITY.md (b), then the options
beyond the seed (shuffling, metrics, evaluate, summary, warnings, init).
"""

import copy
import re

import numpy as np
import pytest

from nnfs.activations import Linear, ReLU, Sigmoid, Softmax, Tanh
from nnfs.datasets.data_generators import (
    generate_concentric_circles,
    generate_linear_data,
    generate_XOR_gate,
)
from nnfs.exceptions import NNFSWarning, SetupWarning
from nnfs.gradcheck import check_gradients
from nnfs.layers import Dense
from nnfs.losses import BCE, CCE, MSE
from nnfs.metrics import accuracy
from nnfs.model import Sequential
from nnfs.optimizers import SGD
from nnfs.utils import class_to_onehot

# ---------------------------------------------------------------- helpers


def classifier(dtype=np.float64, lr=0.1, momentum=0.0, seed=0):
    """A 2-8-3 Tanh/Softmax network with CCE."""
    return Sequential(
        [
            Dense(2, 8, seed=seed, dtype=dtype),
            Tanh(),
            Dense(8, 3, seed=seed + 1, dtype=dtype),
            Softmax(),
        ],
        CCE(),
        SGD(lr=lr, momentum=momentum),
    )


def blobs(n_samples=60, seed=0):
    """Three separable Gaussian blobs in 2-D with integer labels (n, 1)."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % 3
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    X = centres[labels] + 0.5 * rng.standard_normal((n_samples, 2))
    return X, labels.reshape(-1, 1).astype(np.float64)


def regression_data(n_samples=20, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    y = X @ rng.standard_normal((n_features, 1)) + 0.1 * rng.standard_normal(
        (n_samples, 1)
    )
    return X, y


def parameters(model):
    """Copies of every parameter of the model, in order."""
    return [
        param.copy()
        for layer in model.layers
        for param in (getattr(layer, name) for name in layer.param_names)
    ]


def assert_parameters_equal(model, saved):
    for param, before in zip(parameters(model), saved, strict=True):
        np.testing.assert_array_equal(param, before)


@pytest.fixture
def global_rng_state():
    """Restore NumPy's global random state after a test that seeds it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


# ---------------------------------------------------------------- seed usage


def test_linear_regression_recovers_slope_and_bias():
    # The seed system's first example: one Dense(1, 1) neuron, MSE, plain SGD.
    X, Y = generate_linear_data(3, -7, 5000, seed=1)
    model = Sequential([Dense(1, 1, seed=0)], MSE(), SGD(lr=0.01))
    history = model.fit(X, Y, 5000, debug_flag=False, shuffle=False)
    slope, bias = model.layers[0].W.item(), model.layers[0].b.item()
    assert abs(slope - 3) < 0.1, f"slope {slope}"
    assert abs(bias - -7) < 0.1, f"bias {bias}"
    # Gradient descent on MSE converges to the least-squares line.
    A = np.hstack([X, np.ones_like(X)])
    ols_slope, ols_bias = np.linalg.lstsq(A, Y, rcond=None)[0].ravel()
    np.testing.assert_allclose([slope, bias], [ols_slope, ols_bias], atol=1e-3)
    assert history["loss"].shape == (5000, 1)
    assert history["loss"][-1, 0] < history["loss"][0, 0]


def test_xor_is_solved():
    X, Y = generate_XOR_gate()
    model = Sequential(
        [Dense(2, 2, seed=0), Sigmoid(), Dense(2, 1, seed=100), Sigmoid()],
        BCE(),
        SGD(lr=1.0, momentum=0.9),
    )
    history = model.fit(X, Y, 2000, debug_flag=False, shuffle=False)
    np.testing.assert_array_equal(np.round(model.predict(X)), Y)
    assert history["loss"][-1, 0] < 0.01


def test_concentric_circles_reach_low_loss():
    # 2-16-3 Sigmoid/Softmax with CCE and SGD(lr=0.001, momentum=0.95) must
    # reach a mean epoch loss below 0.5 within 10000 epochs. Full-batch
    # training gets there too slowly (mean loss 0.52-0.72 after 10000 epochs
    # for init seeds 0-2), so this uses mini-batches of 32 and stops as soon
    # as the target is met (about 900 epochs), training 100 epochs per fit call.
    X, Y = generate_concentric_circles(500, 3, seed=0)
    Y_onehot = class_to_onehot(Y, 3)
    model = Sequential(
        [Dense(2, 16, seed=0), Sigmoid(), Dense(16, 3, seed=1), Softmax()],
        CCE(),
        SGD(lr=0.001, momentum=0.95),
    )
    epochs, mean_loss = 0, np.inf
    while epochs < 10000 and mean_loss >= 0.5:
        history = model.fit(
            X, Y_onehot, 100, batch_size=32, debug_flag=False, seed=epochs
        )
        epochs += 100
        mean_loss = history["loss"][-1].mean()
    assert mean_loss < 0.5, f"mean loss {mean_loss:.4f} after {epochs} epochs"
    assert model.evaluate(X, Y)["loss"] < 0.5  # integer labels give the same loss
    assert accuracy(Y, model.predict(X)) > 0.8


def test_layer_names_are_unique_and_positional():
    model = Sequential(
        [
            Dense(2, 4, seed=0),
            ReLU(),
            Dense(4, 4, seed=1),
            ReLU(),
            Dense(4, 1, seed=2),
            Sigmoid(),
        ],
        BCE(),
        SGD(lr=0.1, momentum=0.9),
    )
    names = [layer.name for layer in model.layers]
    assert names == ["dense_0", "relu_1", "dense_2", "relu_3", "dense_4", "sigmoid_5"]
    assert [layer.index for layer in model.layers] == list(range(6))
    # The names key the optimizer state.
    X = np.random.default_rng(0).standard_normal((8, 2))
    model.run_training_epoch(X, (X[:, :1] > 0).astype(float))
    assert set(model.optimizer.state) == {
        f"dense_{i}.{p}" for i in (0, 2, 4) for p in ("W", "b")
    }


def test_the_same_layer_object_twice_is_refused():
    relu = ReLU()
    with pytest.raises(ValueError, match=r"the same ReLU object appears twice"):
        Sequential([Dense(2, 2, seed=0), relu, Dense(2, 2, seed=1), relu])


def test_history_shapes():
    X, y = blobs(10)
    X_test, y_test = blobs(7, seed=1)
    cases = [(-1, 1), (4, 3), (5, 2), (10, 1), (1, 10)]
    for batch_size, n_batches in cases:
        model = classifier()
        history = model.fit(
            X, y, 3, batch_size, X_test, y_test, debug_flag=False, seed=0
        )
        assert set(history) == {"loss", "test_loss"}
        assert history["loss"].shape == (3, n_batches)
        assert history["test_loss"].shape == (3,)
        assert np.isfinite(history["loss"]).all()
        assert model.history is history
    assert set(classifier().fit(X, y, 2, debug_flag=False)) == {"loss"}


def test_shallow_copy_with_fewer_layers_is_an_encoder():
    X, y = blobs(30)
    model = classifier()
    model.fit(X, y, 20, debug_flag=False, seed=0)
    encoder = copy.copy(model)
    encoder.layers = model.layers[:2]
    hidden = encoder.predict(X)
    dense = model.layers[0]
    np.testing.assert_allclose(
        hidden, np.tanh(X @ dense.W + dense.b), rtol=0, atol=1e-12
    )
    assert hidden.shape == (30, 8)
    # The original model is untouched and still gives class probabilities.
    assert len(model.layers) == 4
    assert model.predict(X).shape == (30, 3)


# ---------------------------------------------------------------- one training step


class CountingLinear(Linear):
    """Identity layer that counts its forward passes (a spy)."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, X_input):
        self.calls += 1
        return super().forward(X_input)


def test_run_training_epoch_returns_loss_before_update_with_one_forward():
    X, y = regression_data(6, 3)
    spy = CountingLinear()
    model = Sequential([Dense(3, 1, seed=0, dtype=np.float64), spy], MSE(), SGD(lr=0.1))
    W, b = model.layers[0].W.copy(), model.layers[0].b.copy()
    p = X @ W + b
    loss_before = np.mean((p - y) ** 2)
    spy.calls = 0

    loss = model.run_training_epoch(X, y)

    assert spy.calls == 1
    assert loss == pytest.approx(loss_before, rel=1e-14)
    # By hand: G = dL/dp = 2 (p - y) / 6; W -= 0.1 X.T G; b -= 0.1 sum(G).
    G = 2 * (p - y) / 6
    np.testing.assert_allclose(model.layers[0].W, W - 0.1 * X.T @ G, atol=1e-14)
    np.testing.assert_allclose(model.layers[0].b, b - 0.1 * G.sum(axis=0), atol=1e-14)
    assert model.run_training_epoch(X, y) < loss  # the next loss is after the update


def test_seed_style_manual_loop_equals_run_training_epoch():
    # forward, loss, backward, update_weights by hand (the seed system's loop)
    # gives the same step as run_training_epoch when no fused path applies.
    X, y = regression_data(8, 3)
    manual = Sequential(
        [
            Dense(3, 4, seed=0, dtype=np.float64),
            Tanh(),
            Dense(4, 1, seed=1, dtype=np.float64),
        ],
        MSE(),
        SGD(lr=0.05, momentum=0.9),
    )
    stepped = copy.deepcopy(manual)
    for _ in range(3):
        y_pred = manual.forward(X)
        manual.loss.forward(y_pred, y)
        manual.backward(manual.loss.backward())
        manual.update_weights()
        stepped.run_training_epoch(X, y)
    for a, b in zip(parameters(manual), parameters(stepped), strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)


def test_update_weights_before_backward_raises():
    model = classifier()
    with pytest.raises(RuntimeError, match=r"no gradient has been computed"):
        model.update_weights()


def test_a_model_without_parameters_is_refused_before_training():
    # Activations alone have nothing for the optimizer to update (RELIABILITY
    # O3: an empty parameter list is an error, not a silent no-op).
    model = Sequential([Tanh(), Softmax()], CCE(), SGD(lr=0.1))
    X, y = blobs(6)
    X = np.hstack([X, X[:, :1]])  # 3 columns for 3 classes
    with pytest.raises(
        ValueError,
        match=r"Sequential.fit: the model has no trainable parameters; expected "
        r"at least one layer with weights .*; got tanh_0, softmax_1",
    ):
        model.fit(X, y, 1, debug_flag=False)
    model.compute_gradients(X, y)
    with pytest.raises(ValueError, match=r"Sequential.update_weights: the model"):
        model.update_weights()


@pytest.mark.parametrize(
    ("dtype", "logit", "atol"), [(np.float64, 400.0, 1e-15), (np.float32, 60.0, 1e-7)]
)
def test_fused_softmax_cce_when_true_class_probability_underflows(dtype, logit, atol):
    # Sample 0 has logits [L, 0, -L]: its true class 2 has probability
    # exp(-2L) = 0 exactly. Sample 1 has logits [0, 0, 0], true class 0.
    X = np.eye(2, dtype=dtype)
    y = np.array([2, 0])
    dense = Dense(2, 3, seed=0, dtype=dtype)
    model = Sequential([dense, Softmax()], CCE(), SGD(lr=logit / 2))
    dense.W[...] = [[logit, 0.0, -logit], [0.0, 0.0, 0.0]]  # after the auto init
    p = model.forward(X)
    assert p[0, 2] == 0.0

    loss = model.compute_gradients(X, y)

    # The true-class probability is clipped at eps: L = (-log eps - log(1/3)) / 2.
    eps = np.finfo(dtype).eps
    assert loss == pytest.approx((-np.log(eps) + np.log(3)) / 2, rel=1e-6)
    # Gradient at the logits: (p - y) / n with n = 2; X = I, so dW = G.
    G = (p - np.eye(3)[y]) / 2
    np.testing.assert_allclose(dense.dW, G, rtol=0, atol=atol)
    np.testing.assert_allclose(dense.db, G.sum(axis=0, keepdims=True), atol=atol)
    assert dense.dW[0, 2] == pytest.approx(-0.5)  # a full push towards class 2

    # The unfused chain (CCE.backward then Softmax.backward) loses that push.
    unfused = model.layers[1].backward(model.loss.backward())
    assert abs(unfused[0, 2]) < 1e-6

    # Training leaves the underflow: a few steps fix sample 0.
    for _ in range(6):
        model.run_training_epoch(X, y)
    assert np.isfinite(dense.W).all()
    np.testing.assert_array_equal(model.predict(X).argmax(axis=1), y)
    assert model.evaluate(X, y)["loss"] < loss


# ---------------------------------------------------------------- whole-model gradients


def tanh_softmax_cce():
    X = np.random.default_rng(0).standard_normal((6, 3))
    y = np.array([0, 1, 2, 3, 1, 0])
    layers = [Dense(3, 5, seed=0), Tanh(), Dense(5, 4, seed=1), Softmax()]
    return layers, CCE(), X, y


def sigmoid_bce():
    X = np.random.default_rng(1).standard_normal((6, 3))
    y = np.array([[0, 1], [1, 1], [1, 0], [0, 0], [1, 0], [0, 1]], dtype=float)
    return [Dense(3, 2, seed=0), Sigmoid()], BCE(), X, y


def relu_mse():
    X = np.random.default_rng(2).standard_normal((6, 3))
    y = np.random.default_rng(3).standard_normal((6, 2))
    layers = [Dense(3, 5, seed=0), ReLU(), Dense(5, 2, seed=1)]
    return layers, MSE(), X, y


@pytest.mark.parametrize("problem", [tanh_softmax_cce, sigmoid_bce, relu_mse])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_whole_model_gradients(problem, dtype):
    layers, loss, X, y = problem()
    model = Sequential(layers, loss, SGD())
    if isinstance(layers[1], ReLU):  # stay away from the kink at 0
        assert np.abs(layers[0].forward(X)).min() > 1e-3
    result = check_gradients(model, X, y, dtype=dtype, verbose=False)
    assert result.passed, str(result)
    n_arrays = 2 * sum(isinstance(layer, Dense) for layer in layers)
    assert len(result.checks) == n_arrays


# ---------------------------------------------------------------- F1-F11


def test_f1_length_mismatch():
    X, y = blobs(10)
    model = classifier()
    saved = parameters(model)
    with pytest.raises(
        ValueError,
        match=r"Sequential\.fit: X_inputs has 10 samples but y_outputs has 9",
    ):
        model.fit(X, y[:9], 2, debug_flag=False)
    with pytest.raises(
        ValueError, match=r"X_test_inputs has 10 samples but y_test_outputs has 8"
    ):
        model.fit(X, y, 2, X_test_inputs=X, y_test_outputs=y[:8], debug_flag=False)
    with pytest.raises(
        ValueError, match=r"Sequential\.evaluate: X_inputs has 10 samples but y_true"
    ):
        model.evaluate(X, y[:7])
    assert_parameters_equal(model, saved)


@pytest.mark.parametrize("check_setup", [True, False])
@pytest.mark.parametrize("where", ["X_inputs", "y_outputs"])
@pytest.mark.parametrize(("bad", "kind"), [(np.nan, "NaN"), (np.inf, "infinity")])
def test_f2_non_finite_data_at_fit(where, bad, kind, check_setup):
    # fit finds a bad X through its value range when the set-up check is on
    # (the range feeds its scale warning), through a sum of squares when it
    # is off; the error is the same either way.
    X, y = blobs(10)
    if where == "X_inputs":
        X[3, 1] = bad
    else:
        y[5, 0] = -bad
    model = classifier(momentum=0.9)
    saved = parameters(model)
    with pytest.raises(ValueError, match=rf"Sequential\.fit: {where} contains {kind}"):
        model.fit(X, y, 2, debug_flag=False, check_setup=check_setup)
    assert_parameters_equal(model, saved)
    assert model.optimizer.state == {}


def test_check_setup_takes_numpy_booleans_and_refuses_other_values():
    # A NumPy boolean switches the check on like True (the scale warning
    # comes from the value range fit takes); anything else is a TypeError
    # that names the argument, before any weight changes.
    X, y = blobs(10)
    model = classifier()
    with pytest.warns(SetupWarning, match=r"largest \|x\| 5e\+03"):
        model.fit(
            X * 5e3 / np.abs(X).max(),
            y,
            1,
            debug_flag=False,
            check_setup=np.bool_(True),
        )
    model = classifier()
    saved = parameters(model)
    with pytest.raises(
        TypeError,
        match=r"Sequential\.fit: check_setup must be a "
        r"bool; got 'yes' of type str",
    ):
        model.fit(X, y, 1, debug_flag=False, check_setup="yes")
    assert_parameters_equal(model, saved)


@pytest.mark.parametrize("where", ["X_test_inputs", "y_test_outputs"])
def test_f2_non_finite_test_data_at_fit(where):
    X, y = blobs(10)
    X_test, y_test = blobs(5, seed=1)
    (X_test if where == "X_test_inputs" else y_test)[0, 0] = np.nan
    model = classifier()
    saved = parameters(model)
    with pytest.raises(ValueError, match=rf"Sequential\.fit: {where} contains NaN"):
        model.fit(X, y, 2, X_test_inputs=X_test, y_test_outputs=y_test)
    assert_parameters_equal(model, saved)


@pytest.mark.parametrize(("bad", "kind"), [(np.nan, "NaN"), (-np.inf, "infinity")])
def test_f2_non_finite_data_at_predict(bad, kind):
    X, y = blobs(10)
    model = classifier()
    model.fit(X, y, 2, debug_flag=False, seed=0)
    saved = parameters(model)
    X[2, 0] = bad
    with pytest.raises(
        ValueError, match=rf"Sequential\.predict: X_inputs contains {kind}"
    ):
        model.predict(X)
    with pytest.raises(ValueError, match=rf"Sequential\.evaluate: .* contains {kind}"):
        model.evaluate(X, y)
    assert_parameters_equal(model, saved)


@pytest.mark.parametrize("argument", ["N_epochs", "batch_size"])
@pytest.mark.parametrize("value", [0, -2, -5])
def test_f3_zero_or_negative_counts(argument, value):
    X, y = blobs(10)
    model = classifier()
    saved = parameters(model)
    kwargs = {"N_epochs": 2, "batch_size": 4, argument: value}
    expected = (
        r"N_epochs must be >= 1; got "
        if argument == "N_epochs"
        else r"batch_size must be >= 1, or -1 for the whole set; got "
    )
    with pytest.raises(
        ValueError, match=r"Sequential\.fit: " + expected + re.escape(str(value))
    ):
        model.fit(X, y, debug_flag=False, **kwargs)
    assert_parameters_equal(model, saved)


@pytest.mark.parametrize("argument", ["N_epochs", "batch_size"])
@pytest.mark.parametrize("value", [2.5, 2.0, True, False, "3", None])
def test_f3_non_integer_counts(argument, value):
    X, y = blobs(10)
    model = classifier()
    saved = parameters(model)
    kwargs = {"N_epochs": 2, "batch_size": 4, argument: value}
    with pytest.raises(
        TypeError,
        match=rf"Sequential\.fit: {argument} must be an integer; got "
        + re.escape(repr(value)),
    ):
        model.fit(X, y, debug_flag=False, **kwargs)
    assert_parameters_equal(model, saved)


def test_f3_numpy_integers_are_accepted():
    X, y = blobs(10)
    history = classifier().fit(X, y, np.int64(2), np.int32(5), debug_flag=False)
    assert history["loss"].shape == (2, 2)


@pytest.mark.parametrize(
    "call",
    [
        lambda model, X, y: model.predict(X),
        lambda model, X, y: model.summary(),
        lambda model, X, y: model.fit(X, y, 1),
        lambda model, X, y: model.evaluate(X, y),
        lambda model, X, y: model.run_training_epoch(X, y),
        lambda model, X, y: model.update_weights(),
    ],
    ids=["predict", "summary", "fit", "evaluate", "run_training_epoch", "update"],
)
def test_f4_empty_model_raises_runtime_error(call):
    X, y = blobs(4)
    for model in (Sequential(), Sequential([], CCE(), SGD())):
        with pytest.raises(RuntimeError, match=r"Sequential\.\w+: the model has no"):
            call(model, X, y)


def test_f4_missing_loss_or_optimizer():
    X, y = blobs(4)
    no_loss = Sequential([Dense(2, 3, seed=0), Softmax()], optimizer=SGD())
    with pytest.raises(RuntimeError, match=r"Sequential\.fit: the model has no loss"):
        no_loss.fit(X, y, 1)
    no_optimizer = Sequential([Dense(2, 3, seed=0), Softmax()], CCE())
    with pytest.raises(
        RuntimeError, match=r"Sequential\.fit: the model has no optimizer"
    ):
        no_optimizer.fit(X, y, 1)
    assert no_optimizer.predict(X).shape == (4, 3)  # predict needs neither


def test_f5_mismatched_dense_sizes_name_both_layers():
    with pytest.raises(
        ValueError,
        match=r"Sequential: layer dense_1 \(Dense\(5, 2.*cannot take the output of "
        r"layer dense_0 \(Dense\(4, 8.*\(n_samples, 8\)",
    ):
        Sequential([Dense(4, 8, seed=0), Dense(5, 2, seed=1)], MSE(), SGD())


def test_f5_mismatch_behind_an_activation():
    with pytest.raises(
        ValueError, match=r"layer dense_2 .*cannot take the output of layer relu_1"
    ):
        Sequential([Dense(4, 8, seed=0), ReLU(), Dense(5, 2, seed=1)])


def test_f5_failed_add_leaves_the_model_as_it_was():
    model = Sequential([Dense(2, 4, seed=0), ReLU()], MSE(), SGD())
    bad = Dense(5, 1, seed=1)
    with pytest.raises(ValueError, match=r"layer dense_2 .*layer relu_1"):
        model.add(bad)
    assert len(model.layers) == 2
    assert bad.index is None
    model.add(Dense(4, 1, seed=1))  # a fitting layer can still be added
    assert [layer.name for layer in model.layers] == ["dense_0", "relu_1", "dense_2"]
    assert model.predict(np.ones((3, 2))).shape == (3, 1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_f6_divergence_stops_with_floating_point_error(dtype):
    X, y = regression_data(20, 3)
    model = Sequential(
        [Dense(3, 8, seed=0, dtype=dtype), ReLU(), Dense(8, 1, seed=1, dtype=dtype)],
        MSE(),
        SGD(lr=1e3),
    )
    with pytest.raises(
        FloatingPointError,
        match=r"Sequential\.fit: training diverged at epoch \d+, batch \d+: .*"
        r"the weights of the last finite step were kept",
    ):
        model.fit(X, y, 1000, batch_size=5, debug_flag=False, seed=0, check_setup=False)
    for param in parameters(model):
        assert np.isfinite(param).all()
        assert param.dtype == dtype


def test_f6_message_names_the_right_epoch_and_batch():
    X, y = regression_data(20, 3)

    def make():
        return Sequential(
            [
                Dense(3, 8, seed=0, dtype=np.float64),
                ReLU(),
                Dense(8, 1, seed=1, dtype=np.float64),
            ],
            MSE(),
            SGD(lr=1e3),
        )

    model = make()
    with pytest.raises(FloatingPointError) as info:
        model.fit(
            X, y, 1000, batch_size=5, debug_flag=False, shuffle=False, check_setup=False
        )
    epoch, batch = map(
        int, re.search(r"epoch (\d+), batch (\d+)", str(info.value)).groups()
    )
    # Replaying the same steps by hand hits the first non-finite loss there.
    replay = make()
    steps = (epoch - 1) * 4 + batch - 1
    for step in range(steps):
        start = 5 * (step % 4)
        loss = replay.run_training_epoch(X[start : start + 5], y[start : start + 5])
        assert np.isfinite(loss)
    for a, b in zip(parameters(model), parameters(replay), strict=True):
        np.testing.assert_array_equal(a, b)  # the last finite step was kept
    start = 5 * (steps % 4)
    with pytest.raises(FloatingPointError, match=r"the loss is (inf|nan)"):
        replay.run_training_epoch(X[start : start + 5], y[start : start + 5])


def test_f7_predict_in_one_batch_or_in_chunks():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 5))
    model = Sequential(
        [
            Dense(5, 32, seed=0, dtype=np.float64),
            Tanh(),
            Dense(32, 3, seed=1, dtype=np.float64),
            Softmax(),
        ],
        CCE(),
        SGD(),
    )
    whole = model.predict(X, batch_size=1000)
    for batch_size in (1, 7, 64, 999, 1024):
        np.testing.assert_allclose(
            model.predict(X, batch_size=batch_size),
            whole,
            rtol=0,
            atol=1e-12,
            err_msg=f"batch_size={batch_size}",
        )
    np.testing.assert_allclose(model.predict(X[:1]), whole[:1], rtol=0, atol=1e-12)
    assert whole.dtype == np.float64


def test_f8_a_class_missing_from_the_labels():
    X, y = blobs(30)
    keep = y.ravel() != 1  # class 1 never appears
    model = classifier()
    history = model.fit(
        X[keep], y[keep], 30, debug_flag=False, seed=0, metrics=("accuracy",)
    )
    assert np.isfinite(history["loss"]).all()
    assert history["loss"][-1].mean() < history["loss"][0].mean()
    scores = model.evaluate(X[keep], y[keep], metrics=["accuracy"])
    assert 0.0 <= scores["accuracy"] <= 1.0
    # One-hot targets with an all-zero column work as well.
    onehot = class_to_onehot(y[keep], 3, dtype=np.float64)
    assert np.isfinite(
        classifier().fit(X[keep], onehot, 5, debug_flag=False)["loss"]
    ).all()


def test_f8_a_single_class():
    X, _ = blobs(12)
    model = classifier()
    history = model.fit(X, np.full(12, 2.0), 20, debug_flag=False, seed=0)
    assert history["loss"][-1, 0] < history["loss"][0, 0]
    binary = Sequential([Dense(2, 1, seed=0), Sigmoid()], BCE(), SGD(lr=0.5))
    binary.fit(X, np.ones((12, 1)), 20, debug_flag=False)
    assert (binary.predict(X) > 0.5).all()


def test_f9_fit_twice_continues_training():
    # Documented: a second fit starts from the current weights and optimizer
    # state, so 3 + 2 epochs equal 5 epochs in one call.
    assert "continues training" in Sequential.fit.__doc__
    X, y = blobs(20)
    twice, once = classifier(momentum=0.9), classifier(momentum=0.9)
    first = twice.fit(X, y, 3, batch_size=8, debug_flag=False, shuffle=False)
    second = twice.fit(X, y, 2, batch_size=8, debug_flag=False, shuffle=False)
    both = once.fit(X, y, 5, batch_size=8, debug_flag=False, shuffle=False)
    for a, b in zip(parameters(twice), parameters(once), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        np.vstack([first["loss"], second["loss"]]), both["loss"]
    )
    assert second["loss"].shape == (2, 3)  # the history describes the new call only
    assert twice.history is second


def test_f10_test_data_with_wrong_feature_count_fails_at_fit_start(capsys):
    X, y = blobs(10)
    model = classifier()
    saved = parameters(model)
    with pytest.raises(
        ValueError,
        match=r"Sequential\.fit: X_test_inputs must have 2 features for layer "
        r"dense_0; got shape \(5, 3\)",
    ):
        model.fit(X, y, 5, X_test_inputs=np.ones((5, 3)), y_test_outputs=y[:5])
    assert_parameters_equal(model, saved)
    assert capsys.readouterr().out == ""  # no epoch ran


def test_f10_training_data_with_wrong_feature_count():
    X, y = blobs(10)
    with pytest.raises(
        ValueError, match=r"Sequential\.fit: X_inputs must have 2 features"
    ):
        classifier().fit(np.ones((10, 4)), y, 1)
    with pytest.raises(ValueError, match=r"Sequential\.predict: X_inputs must be 2-D"):
        classifier().predict(np.ones(2))


def test_f11_deepcopy_of_a_fitted_model():
    X, y = blobs(20)
    model = classifier(momentum=0.9)
    model.fit(X, y, 10, debug_flag=False, seed=0)
    clone = copy.deepcopy(model)
    np.testing.assert_array_equal(clone.predict(X), model.predict(X))
    # The copy is independent: training it leaves the original alone.
    saved = parameters(model)
    clone.fit(X, y, 5, debug_flag=False, seed=1)
    assert_parameters_equal(model, saved)
    assert clone.optimizer.state is not model.optimizer.state


# ---------------------------------------------------------------- options


def test_shuffle_with_seed_is_reproducible():
    X, y = blobs(20)
    runs = []
    for _ in range(2):
        model = classifier()
        history = model.fit(X, y, 4, batch_size=5, debug_flag=False, seed=3)
        runs.append((history["loss"], parameters(model)))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    for a, b in zip(runs[0][1], runs[1][1], strict=True):
        np.testing.assert_array_equal(a, b)

    unshuffled = classifier()
    history = unshuffled.fit(X, y, 4, batch_size=5, debug_flag=False, shuffle=False)
    assert not np.array_equal(history["loss"], runs[0][0])
    other_seed = classifier()
    history = other_seed.fit(X, y, 4, batch_size=5, debug_flag=False, seed=4)
    assert not np.array_equal(history["loss"], runs[0][0])


def test_shuffle_without_seed_follows_numpy_global_state(global_rng_state):
    X, y = blobs(20)
    losses = []
    for _ in range(2):
        np.random.seed(11)
        losses.append(classifier().fit(X, y, 3, batch_size=5, debug_flag=False)["loss"])
    np.testing.assert_array_equal(losses[0], losses[1])


def test_shuffle_does_not_modify_the_data():
    X, y = blobs(20)
    X_before, y_before = X.copy(), y.copy()
    classifier().fit(X, y, 3, batch_size=5, debug_flag=False, seed=0)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_accuracy_metric_in_history():
    X, y = blobs(30)
    X_test, y_test = blobs(15, seed=1)
    model = classifier()
    initial_accuracy = accuracy(y, model.predict(X))
    history = model.fit(
        X,
        y,
        5,
        X_test_inputs=X_test,
        y_test_outputs=y_test,
        debug_flag=False,
        shuffle=False,
        metrics=("accuracy",),
    )
    assert set(history) == {"loss", "accuracy", "test_loss", "test_accuracy"}
    for key in ("accuracy", "test_loss", "test_accuracy"):
        assert history[key].shape == (5,)
    assert ((history["accuracy"] >= 0) & (history["accuracy"] <= 1)).all()
    # Full batch: epoch 1's training accuracy is that of the initial model.
    assert history["accuracy"][0] == pytest.approx(initial_accuracy)
    # The test columns are evaluate() after each epoch.
    scores = model.evaluate(X_test, y_test)
    assert history["test_accuracy"][-1] == scores["accuracy"]
    assert history["test_loss"][-1] == pytest.approx(scores["loss"], rel=1e-12)


def test_unknown_metric_is_refused():
    X, y = blobs(10)
    with pytest.raises(ValueError, match=r"Sequential\.fit: unknown metric 'f1'"):
        classifier().fit(X, y, 1, metrics=("f1",))


def test_evaluate_returns_loss_and_accuracy():
    X, y = blobs(30)
    model = classifier()
    model.fit(X, y, 10, debug_flag=False, seed=0)
    y_pred = model.predict(X)
    scores = model.evaluate(X, y, metrics=("accuracy",))
    assert set(scores) == {"loss", "accuracy"}
    assert scores["loss"] == pytest.approx(CCE().forward(y_pred, y), rel=1e-12)
    assert scores["accuracy"] == accuracy(y, y_pred)
    assert set(model.evaluate(X, y)) == {"loss"}  # no metrics in the last fit
    assert model.evaluate(X, y, batch_size=7)["loss"] == pytest.approx(
        scores["loss"], rel=1e-12
    )


def test_evaluate_binary_accuracy():
    X, y = generate_XOR_gate()
    model = Sequential([Dense(2, 1, seed=0), Sigmoid()], BCE(), SGD())
    p = model.predict(X)
    expected = np.mean((p >= 0.5) == (y == 1))
    assert model.evaluate(X, y, metrics="accuracy")["accuracy"] == expected


def test_predict_never_changes_weights_or_state():
    X, y = blobs(20)
    model = classifier(momentum=0.9)
    model.fit(X, y, 3, debug_flag=False, seed=0)
    saved = parameters(model)
    velocities = {k: v["velocity"].copy() for k, v in model.optimizer.state.items()}
    history = model.history
    for batch_size in (1, 6, 1024):
        model.predict(X, batch_size=batch_size)
    model.evaluate(X, y)
    assert_parameters_equal(model, saved)
    for key, velocity in velocities.items():
        np.testing.assert_array_equal(model.optimizer.state[key]["velocity"], velocity)
    assert model.history is history


def test_predict_returns_the_model_dtype():
    X, _ = blobs(5)
    assert classifier(dtype=np.float32).predict(X).dtype == np.float32
    assert (
        classifier(dtype=np.float64).predict(X.astype(np.float32)).dtype == np.float64
    )
    assert classifier(dtype=np.float32).predict([[0, 1], [2, 3]]).shape == (2, 3)


def test_summary_lists_layers_shapes_and_parameter_counts(capsys):
    model = Sequential(
        [Dense(4, 8, seed=0), ReLU(), Dense(8, 3, seed=1), Softmax()], CCE(), SGD()
    )
    assert model.summary() is None
    lines = capsys.readouterr().out.splitlines()
    # header, rule, 4 layers, rule, total
    assert len(lines) == 8
    assert lines[0].split() == ["Layer", "Type", "Output", "shape", "Params"]
    rows = [line.split() for line in lines[2:6]]
    # Dense(4, 8): 4 * 8 + 8 = 40; Dense(8, 3): 8 * 3 + 3 = 27.
    assert rows == [
        ["dense_0", "Dense", "(n,", "8)", "40"],
        ["relu_1", "ReLU", "(n,", "8)", "0"],
        ["dense_2", "Dense", "(n,", "3)", "27"],
        ["softmax_3", "Softmax", "(n,", "3)", "0"],
    ]
    assert lines[-1] == "Total parameters: 67 (float32)"


def test_summary_formats_large_counts(capsys):
    Sequential([Dense(100, 100, seed=0, dtype=np.float64)]).summary()
    out = capsys.readouterr().out
    assert "10,100" in out  # 100 * 100 + 100
    assert out.splitlines()[-1] == "Total parameters: 10,100 (float64)"


def test_debug_flag_false_prints_nothing(capsys):
    X, y = blobs(10)
    X_test, y_test = blobs(5, seed=1)
    classifier().fit(X, y, 20, 4, X_test, y_test, debug_flag=False, seed=0)
    assert capsys.readouterr().out == ""


def test_debug_flag_true_prints_progress(capsys):
    X, y = blobs(10)
    X_test, y_test = blobs(5, seed=1)
    history = classifier().fit(
        X, y, 20, 4, X_test, y_test, seed=0, metrics=("accuracy",)
    )
    lines = capsys.readouterr().out.splitlines()
    # Epoch 1, then every 20 // 10 = 2 epochs: 1, 2, 4, ..., 20.
    epochs = [int(re.match(r"epoch +(\d+)/20, loss ", line).group(1)) for line in lines]
    assert epochs == [1, *range(2, 21, 2)]
    for key in ("accuracy", "test_loss", "test_accuracy"):
        assert all(f"{key} " in line for line in lines)
    last_loss = float(re.search(r"loss ([^,]+),", lines[-1]).group(1))
    assert last_loss == pytest.approx(history["loss"][-1].mean(), rel=1e-5)


def test_debug_flag_is_the_seed_default(capsys):
    X, y = blobs(10)
    classifier().fit(X, y, 1, seed=0)
    assert capsys.readouterr().out.startswith("epoch 1/1, loss ")


def test_batch_size_larger_than_the_data_warns():
    X, y = blobs(10)
    with pytest.warns(
        NNFSWarning, match=r"batch_size=50 is larger than the 10 samples; using 10"
    ):
        history = classifier().fit(X, y, 2, batch_size=50, debug_flag=False)
    assert history["loss"].shape == (2, 1)


def test_batch_size_equal_to_the_data_does_not_warn():
    X, y = blobs(10)
    # pytest runs with warnings as errors, so any warning would fail here.
    assert classifier().fit(X, y, 1, 10, debug_flag=False)["loss"].shape == (1, 1)


def test_mixed_dtypes_are_refused():
    with pytest.raises(
        ValueError,
        match=r"Sequential: all layers must share one dtype; got dense_0 in "
        r"float32, dense_1 in float64",
    ):
        Sequential(
            [Dense(2, 3, seed=0), Dense(3, 1, seed=1, dtype=np.float64)], MSE(), SGD()
        )


def test_float32_model_trains_in_float32():
    X, y = blobs(10)
    model = classifier(dtype=np.float32)
    model.fit(X, y, 2, debug_flag=False, seed=0)
    for param in parameters(model):
        assert param.dtype == np.float32
    assert model.dtype == np.float32


def test_auto_init_is_glorot_before_saturating_activations_and_he_before_relu():
    def weights(init, fan_in=4, fan_out=8, seed=0):
        return Dense(fan_in, fan_out, init=init, seed=seed).W

    # A lone "auto" Dense draws He-scaled weights.
    np.testing.assert_array_equal(Dense(4, 8, seed=0).W, weights("he"))
    model = Sequential(
        [
            Dense(4, 8, seed=0),
            ReLU(),
            Dense(8, 4, seed=1),
            Sigmoid(),
            Dense(4, 8, seed=2),
            Tanh(),
            Dense(8, 3, seed=3),
            Softmax(),
            Dense(3, 2, seed=4),  # nothing follows: Glorot
        ]
    )
    dense = model.layers[::2]
    np.testing.assert_array_equal(dense[0].W, weights("he"))
    expected = [
        weights("glorot", 8, 4, 1),
        weights("glorot", 4, 8, 2),
        weights("glorot", 8, 3, 3),
        weights("glorot", 3, 2, 4),
    ]
    for layer, W in zip(dense[1:], expected, strict=True):
        np.testing.assert_allclose(layer.W, W, rtol=1e-6, err_msg=layer.name)
    # Glorot's std for (8, 4) is sqrt(2 / 12), He's sqrt(2 / 8): a clear gap.
    assert np.std(dense[1].W) < np.std(weights("he", 8, 4, 1))


def test_explicit_init_is_kept():
    model = Sequential([Dense(4, 8, init="he", seed=0), Sigmoid()])
    np.testing.assert_array_equal(model.layers[0].W, Dense(4, 8, init="he", seed=0).W)


def test_auto_init_with_add_matches_list_construction():
    built = Sequential()
    built.add(Dense(4, 8, seed=0))
    built.add(ReLU())
    listed = Sequential([Dense(4, 8, seed=0), ReLU()])
    np.testing.assert_array_equal(built.layers[0].W, listed.layers[0].W)


def test_bad_constructor_arguments():
    with pytest.raises(TypeError, match=r"Sequential: list_layers must be a list"):
        Sequential(Dense(2, 2, seed=0))
    with pytest.raises(TypeError, match=r"Sequential: layer 1 must be an nnfs layer"):
        Sequential([Dense(2, 2, seed=0), np.tanh])
    with pytest.raises(TypeError, match=r"Sequential: loss must be an nnfs Loss"):
        Sequential([Dense(2, 2, seed=0)], loss="mse")
    with pytest.raises(TypeError, match=r"Sequential: optimizer must be an nnfs"):
        Sequential([Dense(2, 2, seed=0)], MSE(), optimizer="sgd")


def test_evaluate_checks_its_batch_size_and_its_data_once():
    X, y = blobs(10)
    model = classifier()
    with pytest.raises(
        ValueError, match=r"Sequential\.evaluate: batch_size must be >= 1; got 0"
    ):
        model.evaluate(X, y, batch_size=0)
    # Chunks of 3 give the scores of one batch.
    whole = model.evaluate(X, y, batch_size=10, metrics=("accuracy",))
    chunked = model.evaluate(X, y, batch_size=3, metrics=("accuracy",))
    assert chunked["accuracy"] == whole["accuracy"]
    assert chunked["loss"] == pytest.approx(whole["loss"], rel=1e-12)
