"""The training doctor: set-up warnings before training, and diagnose()."""

import warnings

import numpy as np
import pytest

from nnfs._validation import finite_range
from nnfs.activations import ReLU, Sigmoid, Softmax
from nnfs.doctor import _check_setup, check_setup, diagnose
from nnfs.exceptions import SetupWarning
from nnfs.layers import Dense
from nnfs.losses import BCE, CCE, MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD


def _blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(3), n // 3)
    X = rng.normal(size=(n, 4)) + 2.0 * np.eye(3, 4)[y]
    return X, y


def _mlp(hidden_activation, lr, dtype=np.float64):
    return Sequential(
        [
            Dense(4, 16, seed=0, dtype=dtype),
            hidden_activation,
            Dense(16, 3, seed=1, dtype=dtype),
            Softmax(),
        ],
        CCE(),
        SGD(lr=lr),
    )


def _quiet_check(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SetupWarning)
        return check_setup(model, X, y)


# ---------------------------------------------------------------- set-up check


def test_a_sound_setup_raises_no_warning():
    X, y = _blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_setup(_mlp(ReLU(), 0.1), X, y) == []


def test_softmax_with_mse_is_flagged():
    X, y = _blobs()
    model = Sequential([Dense(4, 3), Softmax()], MSE(), SGD())
    with pytest.warns(SetupWarning, match=r"Softmax output trained with MSE: use CCE"):
        check_setup(model, X, np.eye(3)[y])


def test_sigmoid_with_binary_targets_and_mse_is_flagged():
    X, y = _blobs()
    model = Sequential([Dense(4, 1), Sigmoid()], MSE(), SGD())
    messages = _quiet_check(model, X, (y == 1).astype(float).reshape(-1, 1))
    assert any("BCE learns faster" in message for message in messages)


def test_integer_labels_for_a_one_hot_loss_are_flagged():
    X, y = _blobs()
    model = Sequential([Dense(4, 3)], MSE(), SGD())
    with pytest.warns(SetupWarning, match=r"integer class labels given to MSE with 3"):
        check_setup(model, X, y.astype(float))


def test_output_wider_than_the_classes_is_flagged():
    X, y = _blobs()
    model = Sequential([Dense(4, 5), Softmax()], CCE(), SGD())
    with pytest.warns(SetupWarning, match=r"5 outputs but the labels hold only 3"):
        check_setup(model, X, y)


def test_inputs_far_from_unit_scale_are_flagged():
    X, y = _blobs()
    with pytest.warns(SetupWarning, match=r"far from unit scale \(largest \|x\|"):
        check_setup(_mlp(ReLU(), 0.1), X * 1e4, y)


@pytest.mark.parametrize("lr", [5.0, 1e-8])
def test_extreme_learning_rates_are_flagged(lr):
    X, y = _blobs()
    with pytest.warns(SetupWarning, match=r"learning rate .* is outside the usual"):
        check_setup(_mlp(ReLU(), lr), X, y)


def test_fit_runs_the_check_and_can_skip_it():
    X, y = _blobs()
    model = Sequential([Dense(4, 3, seed=0), Softmax()], MSE(), SGD())
    with pytest.warns(SetupWarning):
        model.fit(X, np.eye(3)[y], 1, debug_flag=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, np.eye(3)[y], 1, debug_flag=False, check_setup=False)


# ---------------------------------------------------------------- diagnose


def test_a_healthy_run_is_reported_as_such():
    X, y = _blobs()
    model = _mlp(ReLU(), 0.1)
    history = model.fit(
        X, y, 20, batch_size=30, debug_flag=False, diagnostics=True, seed=0
    )
    assert diagnose(history).startswith("No problem found; the loss fell from")
    # One value per epoch for every parameter and activation layer.
    assert history["doctor:dense_0.W:grad_norm"].shape == (20,)
    assert np.isfinite(history["doctor:dense_0.W:update_ratio"]).all()
    assert np.isfinite(history["doctor:relu_1:dead"]).all()


def test_staged_failure_learning_rate_100x_too_high():
    # 0.1 trains these blobs well; 10 makes training blow up.
    X, y = _blobs()
    model = _mlp(Sigmoid(), 10.0)
    try:
        model.fit(
            X,
            y,
            30,
            batch_size=30,
            debug_flag=False,
            diagnostics=True,
            seed=0,
            check_setup=False,
        )
    except FloatingPointError:
        pass  # model.history still holds what was recorded
    report = diagnose(model.history)
    assert "learning rate" in report and "too high" in report, report


def test_staged_failure_sigmoid_saturation_from_a_bad_init():
    X, y = _blobs()
    model = _mlp(Sigmoid(), 0.1)
    model.layers[0].W *= 50.0  # a badly scaled initialisation
    history = model.fit(X, y, 5, batch_size=30, debug_flag=False, diagnostics=True)
    report = diagnose(history)
    assert "sigmoid_1:" in report and "saturated" in report, report
    assert "initialisation" in report


def test_staged_failure_dead_relus():
    X, y = _blobs()
    model = _mlp(ReLU(), 0.1)
    model.layers[0].b[...] = -20.0  # every unit's input is negative
    history = model.fit(X, y, 5, batch_size=30, debug_flag=False, diagnostics=True)
    report = diagnose(history)
    assert "relu_1: 100% of its units are dead" in report, report


def test_vanishing_gradients_are_named():
    history = {
        "loss": np.ones((3, 1)),
        "doctor:dense_0.W:grad_norm": np.full(3, 1e-7),
        "doctor:dense_2.W:grad_norm": np.full(3, 1.0),
    }
    assert "Gradients vanish towards the input" in diagnose(history)


def test_a_rising_loss_is_named():
    report = diagnose({"loss": np.array([[1.0], [2.0], [3.0]])})
    assert report.startswith("The loss rose from 1 to 3")


def test_diagnose_needs_a_history():
    with pytest.raises(ValueError, match=r"diagnose: history has no 'loss' entry"):
        diagnose({"accuracy": np.ones(3)})


def test_bce_model_gets_no_label_warning():
    X, y = _blobs()
    model = Sequential([Dense(4, 1, seed=0), Sigmoid()], BCE(), SGD(0.1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_setup(model, X, (y == 1).astype(float))


def test_findings_follow_the_layer_order_past_ten_layers():
    # Alphabetically "relu_11" sorts before "relu_3"; the report must not.
    history = {
        "loss": np.ones((3, 1)),
        "doctor:relu_3:dead": np.full(3, 0.9),
        "doctor:relu_11:dead": np.full(3, 0.8),
    }
    report = diagnose(history)
    assert report.index("relu_3:") < report.index("relu_11:"), report


def test_the_scale_check_flags_one_huge_value_and_spares_unit_data():
    X, y = _blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_setup(_mlp(ReLU(), 0.1), X, y)
    X = X.copy()
    X[7, 2] = -5e3  # one entry far out is enough: the maximum sees every entry
    with pytest.warns(SetupWarning, match=r"largest \|x\| 5e\+03"):
        check_setup(_mlp(ReLU(), 0.1), X, y)


def test_the_value_range_fit_shares_with_the_check_is_exact():
    # 700 x 1000 values span three blocks of 2**18; the extremes sit in the
    # last, partial block, and a strided view is read without blocks.
    X = np.random.default_rng(2).uniform(-1.0, 1.0, size=(700, 1000))
    X[650, 4], X[699, 998] = -7.5, 9.25
    assert finite_range(X, "X", "f") == (-7.5, 9.25)
    assert finite_range(X[:, ::2], "X", "f") == (-7.5, 9.25)
    assert finite_range(X[:, 1::2], "X", "f") == (X[:, 1::2].min(), X[:, 1::2].max())
    X[690, 0] = np.nan
    with pytest.raises(ValueError, match=r"f: X contains NaN"):
        finite_range(X, "X", "f")
    # Given the range (as fit gives it), the check warns from it just as from
    # the data.
    X, y = _blobs()
    X[7, 2] = -5e3
    with pytest.warns(SetupWarning, match=r"largest \|x\| 5e\+03"):
        _check_setup(_mlp(ReLU(), 0.1), X, y, finite_range(X, "X", "f"))
