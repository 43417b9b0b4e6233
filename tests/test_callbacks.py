"""Callbacks and the fit options around them: validation split, sample and
class weights, early stopping, checkpoints, CSV logs and stopping on NaN."""

import csv

import numpy as np
import pytest

from nnfs.activations import ReLU, Sigmoid, Softmax
from nnfs.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    ModelCheckpoint,
    TerminateOnNaN,
)
from nnfs.exceptions import NNFSWarning
from nnfs.layers import Dense
from nnfs.losses import BCE, CCE, MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD


def _classifier(lr=0.1, seed=0, dtype=np.float64):
    return Sequential(
        [
            Dense(4, 8, seed=seed, dtype=dtype),
            ReLU(),
            Dense(8, 3, seed=seed + 1, dtype=dtype),
            Softmax(),
        ],
        CCE(),
        SGD(lr=lr, momentum=0.9),
    )


def _blobs(n=90, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(3), n // 3)
    X = rng.normal(size=(n, 4)) + 2.0 * np.eye(3, 4)[y]
    return X, y


class Recorder(Callback):
    """Records every hook call and the weights after each epoch."""

    def __init__(self):
        super().__init__()
        self.calls = []
        self.weights = []

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(f"epoch_begin {epoch}")

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(f"epoch_end {epoch}")
        self.weights.append(self.model.get_weights())

    def on_batch_end(self, batch, logs=None):
        self.calls.append(f"batch_end {batch}")


class Staged(Callback):
    """Writes a prepared value into the epoch logs under "staged"."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["staged"] = self.values[epoch]


# ---------------------------------------------------------------- hooks


def test_hooks_run_in_order():
    X, y = _blobs(12)
    recorder = Recorder()
    _classifier().fit(X, y, 2, batch_size=6, debug_flag=False, callbacks=[recorder])
    assert recorder.calls == [
        "train_begin",
        "epoch_begin 0",
        "batch_end 0",
        "batch_end 1",
        "epoch_end 0",
        "epoch_begin 1",
        "batch_end 0",
        "batch_end 1",
        "epoch_end 1",
        "train_end",
    ]


def test_epoch_logs_hold_the_mean_batch_loss_and_metrics():
    X, y = _blobs(30)
    seen = {}

    class Keep(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen[epoch] = dict(logs)

    history = _classifier().fit(
        X,
        y,
        2,
        batch_size=10,
        debug_flag=False,
        metrics=("accuracy",),
        validation_split=0.2,
        seed=0,
        callbacks=[Keep()],
    )
    assert set(seen[1]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert seen[1]["loss"] == pytest.approx(history["loss"][1].mean())
    assert seen[1]["val_loss"] == history["val_loss"][1]


def test_a_callback_can_stop_training():
    class StopAfterFirst(Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = True

    X, y = _blobs(12)
    history = _classifier().fit(
        X, y, 5, batch_size=6, debug_flag=False, callbacks=[StopAfterFirst()]
    )
    assert np.isfinite(history["loss"][0]).all()
    assert np.isnan(history["loss"][1:]).all()


@pytest.mark.parametrize(
    ("callbacks", "pattern"),
    [
        ("early", r"callbacks must be a list of Callback objects; got str"),
        ([Recorder(), 3], r"callbacks\[1\] must be an nnfs Callback; got int"),
    ],
)
def test_bad_callbacks(callbacks, pattern):
    X, y = _blobs(12)
    with pytest.raises(TypeError, match=r"Sequential\.fit: " + pattern):
        _classifier().fit(X, y, 1, debug_flag=False, callbacks=callbacks)


# ---------------------------------------------------------------- weights API


def test_get_and_set_weights_round_trip():
    model = _classifier()
    saved = model.get_weights()
    assert [w.shape for w in saved] == [(4, 8), (1, 8), (8, 3), (1, 3)]
    X, y = _blobs(12)
    before = model.predict(X)
    model.fit(X, y, 3, debug_flag=False)
    assert not np.array_equal(model.predict(X), before)
    model.set_weights(saved)
    np.testing.assert_array_equal(model.predict(X), before)
    saved[0][...] = 0  # copies: changing them leaves the model alone
    assert model.layers[0].W.any()


def test_set_weights_checks_count_and_shapes():
    model = _classifier()
    with pytest.raises(ValueError, match=r"expected 4 arrays; got 1"):
        model.set_weights([np.zeros((4, 8))])
    weights = model.get_weights()
    weights[2] = np.zeros((3, 8))
    with pytest.raises(
        ValueError, match=r"dense_2\.W has shape \(8, 3\); got .* \(3, 8\)"
    ):
        model.set_weights(weights)


# ---------------------------------------------------------------- validation split


def test_validation_split_is_stratified_and_seeded():
    X, y = _blobs(90)
    model = _classifier()
    order = np.random.default_rng(5)
    train, held_out = model._validation_indices(y.astype(float), 0.2, order)
    # 30 samples per class -> round(0.2 * 30) = 6 per class held out.
    assert np.bincount(y[held_out]).tolist() == [6, 6, 6]
    assert np.intersect1d(train, held_out).size == 0
    assert train.size + held_out.size == 90
    again = model._validation_indices(y.astype(float), 0.2, np.random.default_rng(5))
    np.testing.assert_array_equal(again[1], held_out)


def test_validation_split_history_and_reproducibility():
    X, y = _blobs(60)
    runs = [
        _classifier().fit(
            X,
            y,
            3,
            batch_size=16,
            debug_flag=False,
            validation_split=0.25,
            seed=3,
            metrics=("accuracy",),
        )
        for _ in range(2)
    ]
    assert runs[0]["val_loss"].shape == (3,)
    # 45 training samples in batches of 16 -> 3 batches.
    assert runs[0]["loss"].shape == (3, 3)
    np.testing.assert_array_equal(runs[0]["val_loss"], runs[1]["val_loss"])
    assert np.all((runs[0]["val_accuracy"] >= 0) & (runs[0]["val_accuracy"] <= 1))


def test_validation_split_for_regression_takes_a_plain_fraction():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    model = Sequential([Dense(2, 1, dtype=np.float64, seed=0)], MSE(), SGD(0.01))
    train, held_out = model._validation_indices(X[:, :1], 0.3, rng)
    assert (train.size, held_out.size) == (14, 6)


@pytest.mark.parametrize(
    ("value", "error", "pattern"),
    [
        (1.0, ValueError, r"validation_split must be in \[0\.0, 1\.0\); got 1\.0"),
        (-0.1, ValueError, r"validation_split must be in \[0\.0, 1\.0\); got -0\.1"),
        ("0.2", TypeError, r"validation_split must be a real number"),
        (0.01, ValueError, r"validation_split=0\.01 leaves 12 training and 0 valid"),
    ],
)
def test_bad_validation_split(value, error, pattern):
    X, y = _blobs(12)
    with pytest.raises(error, match=r"Sequential\.fit: " + pattern):
        _classifier().fit(X, y, 1, debug_flag=False, validation_split=value)


# ---------------------------------------------------------------- sample weights


def _regression_fit(lr, sample_weight=None, y=None):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(16, 3))
    if y is None:
        y = X @ np.array([[1.0], [-2.0], [0.5]])
    model = Sequential(
        [
            Dense(3, 4, seed=0, dtype=np.float64),
            Sigmoid(),
            Dense(4, 1, seed=1, dtype=np.float64),
        ],
        MSE(),
        SGD(lr=lr),
    )
    model.fit(
        X,
        y,
        5,
        batch_size=4,
        debug_flag=False,
        shuffle=False,
        sample_weight=sample_weight,
    )
    return model.get_weights(), X, y


def test_doubled_weights_equal_a_doubled_learning_rate():
    # Plain SGD: w * lr * g is the same step whichever factor carries the 2.
    doubled, _, _ = _regression_fit(0.05, sample_weight=np.full(16, 2.0))
    faster, _, _ = _regression_fit(0.1)
    for a, b in zip(doubled, faster, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_a_zero_weight_sample_has_no_influence():
    weights = np.ones(16)
    weights[3] = 0.0
    first, X, y = _regression_fit(0.05, sample_weight=weights)
    y_changed = y.copy()
    y_changed[3] = 1e3
    second, _, _ = _regression_fit(0.05, sample_weight=weights, y=y_changed)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_class_weight_equals_the_matching_sample_weight():
    X, y = _blobs(30)
    table = {0: 1.0, 1: 3.0, 2: 0.5}
    by_class = _classifier().fit(
        X, y, 2, batch_size=10, debug_flag=False, seed=0, class_weight=table
    )
    per_sample = np.array([table[label] for label in y])
    by_sample = _classifier().fit(
        X, y, 2, batch_size=10, debug_flag=False, seed=0, sample_weight=per_sample
    )
    np.testing.assert_array_equal(by_class["loss"], by_sample["loss"])


def test_balanced_class_weight_hand_worked():
    # Labels [0, 0, 0, 1]: n = 4, 2 classes -> class 0: 4 / (2 * 3) = 2/3,
    # class 1: 4 / (2 * 1) = 2.
    model = Sequential([Dense(2, 1, dtype=np.float64), Sigmoid()], BCE(), SGD())
    y = np.array([[0.0], [0.0], [0.0], [1.0]])
    weights = model._sample_weights(4, y, None, "balanced", "fit")
    np.testing.assert_allclose(weights, [2 / 3, 2 / 3, 2 / 3, 2.0])
    both = model._sample_weights(4, y, np.array([1.0, 2.0, 1.0, 1.0]), "balanced", "f")
    np.testing.assert_allclose(both, [2 / 3, 4 / 3, 2 / 3, 2.0])


@pytest.mark.parametrize(
    ("class_weight", "error", "pattern"),
    [
        (
            "uniform",
            ValueError,
            r"class_weight must be a dict or 'balanced'; got 'uniform'",
        ),
        ([1, 2, 3], TypeError, r"class_weight must be a dict or 'balanced'; got list"),
        ({0: 1.0, 1: 1.0}, ValueError, r"no weight for class\(es\) \[2\]"),
        ({0: 1.0, 1: -1.0, 2: 1.0}, ValueError, r"class_weight\[1\] must be in"),
    ],
)
def test_bad_class_weight(class_weight, error, pattern):
    X, y = _blobs(12)
    with pytest.raises(error, match=pattern):
        _classifier().fit(X, y, 1, debug_flag=False, class_weight=class_weight)


def test_bad_sample_weight_length():
    X, y = _blobs(12)
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(12,\)"):
        _classifier().fit(X, y, 1, debug_flag=False, sample_weight=np.ones(5))


# ---------------------------------------------------------------- early stopping


def test_early_stopping_waits_for_patience_and_restores_the_best_weights():
    X, y = _blobs(12)
    # Best value at epoch 1; epochs 2 and 3 do not improve; patience 2 -> stop
    # after epoch 3.
    staged = Staged([5.0, 1.0, 1.5, 1.2, 0.1, 0.1])
    stopper = EarlyStopping(monitor="staged", patience=2, restore_best_weights=True)
    recorder = Recorder()
    model = _classifier()
    history = model.fit(
        X, y, 6, batch_size=6, debug_flag=False, callbacks=[staged, recorder, stopper]
    )
    assert (stopper.best_epoch, stopper.stopped_epoch, stopper.best) == (1, 3, 1.0)
    assert np.isnan(history["loss"][4:]).all()
    for restored, best in zip(model.get_weights(), recorder.weights[1], strict=True):
        np.testing.assert_array_equal(restored, best)


def test_early_stopping_min_delta_and_max_mode():
    stopper = EarlyStopping(monitor="accuracy", min_delta=0.05, patience=0)

    class Model:
        stop_training = False

    model = Model()
    stopper.set_model(model)
    stopper.on_train_begin()
    stopper.on_epoch_end(0, {"accuracy": 0.50})
    stopper.on_epoch_end(1, {"accuracy": 0.53})  # +0.03 < min_delta: no gain
    assert model.stop_training is True


def test_early_stopping_warns_once_about_a_missing_key():
    X, y = _blobs(12)
    stopper = EarlyStopping(monitor="val_loss")
    with pytest.warns(NNFSWarning, match=r"'val_loss' is missing from the epoch logs"):
        _classifier().fit(X, y, 3, debug_flag=False, callbacks=[stopper])
    assert stopper.stopped_epoch is None


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"patience": -1}, ValueError, r"EarlyStopping: patience must be >= 0"),
        ({"patience": 1.5}, TypeError, r"EarlyStopping: patience must be an integer"),
        ({"mode": "low"}, ValueError, r"mode must be 'auto', 'min' or 'max'"),
        ({"min_delta": -1}, ValueError, r"min_delta must be in \[0\.0, inf\)"),
        ({"monitor": 3}, TypeError, r"monitor must be a str"),
        ({"restore_best_weights": "yes"}, TypeError, r"must be a bool"),
    ],
)
def test_bad_early_stopping_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        EarlyStopping(**kwargs)


# ---------------------------------------------------------------- checkpoints, CSV


def test_checkpoint_saves_the_best_model(tmp_path):
    from nnfs import load_model

    X, y = _blobs(12)
    staged = Staged([3.0, 1.0, 2.0])
    recorder = Recorder()
    path = tmp_path / "best.nnfs"
    checkpoint = ModelCheckpoint(path, monitor="staged", save_best_only=True)
    _classifier().fit(
        X,
        y,
        3,
        batch_size=6,
        debug_flag=False,
        callbacks=[staged, recorder, checkpoint],
    )
    loaded = load_model(path)
    for saved, best in zip(loaded.get_weights(), recorder.weights[1], strict=True):
        np.testing.assert_array_equal(saved, best)


def test_checkpoint_path_template(tmp_path):
    X, y = _blobs(12)
    template = str(tmp_path / "model-{epoch:02d}.nnfs")
    _classifier().fit(X, y, 2, debug_flag=False, callbacks=[ModelCheckpoint(template)])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model-01.nnfs",
        "model-02.nnfs",
    ]


def test_csv_logger_writes_one_row_per_epoch(tmp_path):
    X, y = _blobs(12)
    path = tmp_path / "log.csv"
    history = _classifier().fit(
        X,
        y,
        3,
        batch_size=6,
        debug_flag=False,
        metrics=("accuracy",),
        callbacks=[CSVLogger(path)],
    )
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0] == ["epoch", "loss", "accuracy"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert float(rows[3][1]) == pytest.approx(history["loss"][2].mean())


def test_csv_logger_appends(tmp_path):
    X, y = _blobs(12)
    path = tmp_path / "log.csv"
    _classifier().fit(X, y, 1, debug_flag=False, callbacks=[CSVLogger(path)])
    _classifier().fit(
        X, y, 2, debug_flag=False, callbacks=[CSVLogger(path, append=True)]
    )
    rows = list(csv.reader(path.read_text().splitlines()))
    assert [row[0] for row in rows] == ["epoch", "1", "1", "2"]


# ---------------------------------------------------------------- non-finite loss


def _diverging():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3))
    y = rng.normal(size=(32, 1)) * 1e3
    model = Sequential(
        [Dense(3, 16, seed=0, dtype=np.float32), ReLU(), Dense(16, 1, seed=1)],
        MSE(),
        SGD(lr=1e3),
    )
    return model, X, y


def test_divergence_names_epoch_batch_and_first_nonfinite_layer():
    model, X, y = _diverging()
    with pytest.raises(FloatingPointError) as caught:
        model.fit(
            X, y, 50, batch_size=8, debug_flag=False, shuffle=False, check_setup=False
        )
    message = str(caught.value)
    assert "training diverged at epoch" in message and ", batch " in message
    assert "first non-finite output: layer dense_2" in message
    for weights in model.get_weights():
        assert np.isfinite(weights).all()


def test_terminate_on_nan_stops_with_a_warning():
    model, X, y = _diverging()
    with pytest.warns(NNFSWarning, match=r"training diverged at epoch"):
        history = model.fit(
            X,
            y,
            50,
            batch_size=8,
            debug_flag=False,
            shuffle=False,
            callbacks=[TerminateOnNaN()],
            check_setup=False,
        )
    assert np.isnan(history["loss"][-1]).all()
    for weights in model.get_weights():
        assert np.isfinite(weights).all()


# ---------------------------------------------------------------- validation data


def test_validation_data_is_evaluated_each_epoch():
    X, y = _blobs(60)
    X_val, y_val = _blobs(15, seed=1)
    model = _classifier()
    history = model.fit(
        X, y, 2, debug_flag=False, metrics=("accuracy",), validation_data=(X_val, y_val)
    )
    assert history["loss"].shape == (2, 1)  # every training sample stays in
    assert history["val_loss"][-1] == pytest.approx(
        model.evaluate(X_val, y_val)["loss"]
    )
    assert 0 <= history["val_accuracy"][-1] <= 1


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"validation_data": (np.zeros((3, 4)),)}, TypeError, r"must be a pair"),
        (
            {"validation_data": (np.zeros((3, 4)), np.zeros(2))},
            ValueError,
            r"validation_data\[0\] has 3 samples but validation_data\[1\] has 2",
        ),
        (
            {
                "validation_data": (np.zeros((3, 4)), np.zeros(3)),
                "validation_split": 0.2,
            },
            ValueError,
            r"pass validation_split or validation_data, not both",
        ),
    ],
)
def test_bad_validation_data(kwargs, error, pattern):
    X, y = _blobs(12)
    with pytest.raises(error, match=pattern):
        _classifier().fit(X, y, 1, debug_flag=False, **kwargs)
