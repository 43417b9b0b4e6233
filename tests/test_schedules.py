"""Tests for nnfs.schedules: closed forms, the plateau rule, fit integration.

Each fixed schedule is checked against its formula worked by hand, the
plateau rule against a staged sequence of losses, and every schedule once
inside ``fit``.
"""

import json
import math

import numpy as np
import pytest

from nnfs.activations import Tanh
from nnfs.callbacks import Callback
from nnfs.exceptions import NNFSWarning
from nnfs.layers import Dense
from nnfs.losses import MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD, Adagrad, Adam, AdamW, BaseOptimizer, RMSprop
from nnfs.schedules import (
    CosineDecay,
    ExponentialDecay,
    LearningRateSchedule,
    ReduceLROnPlateau,
    StepDecay,
)

# ---------------------------------------------------------------- helpers


def regression_model(optimizer=None, seed=0):
    """A 3-4-1 Tanh network on MSE, float64."""
    return Sequential(
        [
            Dense(3, 4, dtype=np.float64, seed=seed),
            Tanh(),
            Dense(4, 1, dtype=np.float64, seed=seed + 1),
        ],
        MSE(),
        SGD(lr=0.1) if optimizer is None else optimizer,
    )


def regression_data(n_samples=24, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, 3))
    y = np.tanh(X @ rng.standard_normal((3, 1)))
    return X, y


class LearningRateProbe(Callback):
    """Records the optimizer's lr at every batch and the lr in epoch logs."""

    def __init__(self):
        super().__init__()
        self.batch_lrs, self.logged_lrs = [], []

    def on_batch_begin(self, batch, logs=None):
        self.batch_lrs.append(self.model.optimizer.lr)

    def on_epoch_end(self, epoch, logs=None):
        self.logged_lrs.append(logs["lr"])


def drive(callback, values, key="loss", lr=0.1):
    """Run the hooks of ``callback`` over staged epoch logs, without training.

    Returns the learning rate in force during each epoch.
    """
    model = regression_model(SGD(lr=lr))
    callback.set_model(model)
    callback.on_train_begin()
    used = []
    for epoch, value in enumerate(values):
        callback.on_epoch_begin(epoch)
        used.append(model.optimizer.lr)
        callback.on_epoch_end(epoch, {key: value})
    return used


# ---------------------------------------------------------------- closed forms


def test_step_decay_closed_form():
    # lr = 0.8 * 0.5 ** (epoch // 3): epochs 0-2 -> 0.8, 3-5 -> 0.4,
    # 6-8 -> 0.2, 9 -> 0.1.
    schedule = StepDecay(step_size=3, gamma=0.5, initial_lr=0.8)
    expected = [0.8] * 3 + [0.4] * 3 + [0.2] * 3 + [0.1]
    np.testing.assert_allclose(
        [schedule.lr_at(epoch) for epoch in range(10)], expected, rtol=1e-15
    )


def test_exponential_decay_closed_form():
    # lr = 0.1 * 0.9 ** epoch: 0.1, 0.09, 0.081, 0.0729, 0.06561.
    schedule = ExponentialDecay(gamma=0.9, initial_lr=0.1)
    np.testing.assert_allclose(
        [schedule.lr_at(epoch) for epoch in range(5)],
        [0.1, 0.09, 0.081, 0.0729, 0.06561],
        rtol=1e-14,
    )
    assert schedule.lr_at(100) == pytest.approx(0.1 * 0.9**100, rel=1e-12)


def test_cosine_decay_with_warmup_closed_form():
    # initial 0.1, min 0.02, warm-up W = 2, decay D = 4:
    #   e0: 0.1 * 1/3 = 0.0333...      e1: 0.1 * 2/3 = 0.0666...
    #   e2: t = 0    -> 0.02 + 0.08 * 1                   = 0.1
    #   e3: t = 1/4  -> 0.02 + 0.08 * (1 + cos(pi/4)) / 2 = 0.0882842712474619
    #   e4: t = 1/2  -> 0.02 + 0.08 * 0.5                 = 0.06
    #   e5: t = 3/4  -> 0.02 + 0.08 * (1 - cos(pi/4)) / 2 = 0.0317157287525381
    #   e6: t = 1    -> 0.02;   e7 and later: t stays 1  -> 0.02
    schedule = CosineDecay(decay_epochs=4, initial_lr=0.1, min_lr=0.02, warmup_epochs=2)
    expected = [
        0.1 / 3,
        0.2 / 3,
        0.1,
        0.0882842712474619,
        0.06,
        0.0317157287525381,
        0.02,
        0.02,
    ]
    np.testing.assert_allclose(
        [schedule.lr_at(epoch) for epoch in range(8)], expected, rtol=1e-14
    )


def test_cosine_decay_without_warmup_starts_at_the_peak():
    # D = 2: e0 t = 0 -> 1.0; e1 t = 1/2 -> 0.5; e2 t = 1 -> 0.0.
    schedule = CosineDecay(decay_epochs=2, initial_lr=1.0)
    np.testing.assert_allclose(
        [schedule.lr_at(epoch) for epoch in range(4)],
        [1.0, 0.5, 0.0, 0.0],
        rtol=0,
        atol=1e-15,
    )


def test_warmup_rises_monotonically_to_the_peak():
    schedule = CosineDecay(decay_epochs=10, initial_lr=0.3, warmup_epochs=5)
    lrs = [schedule.lr_at(epoch) for epoch in range(16)]
    assert all(a < b for a, b in zip(lrs[:5], lrs[1:6], strict=True))
    assert lrs[5] == 0.3
    assert all(a > b for a, b in zip(lrs[5:15], lrs[6:16], strict=True))


def test_lr_at_reads_the_optimizer_lr_once_training_begins():
    schedule = ExponentialDecay(gamma=0.5)
    with pytest.raises(RuntimeError, match=r"ExponentialDecay\.lr_at: the initial"):
        schedule.lr_at(0)
    used = drive(schedule, [1.0, 1.0, 1.0], lr=0.4)
    assert used == [0.4, 0.2, 0.1]
    assert schedule.lr_at(3) == 0.05
    assert schedule.get_config() == {"gamma": 0.5, "initial_lr": None}


def test_schedules_match_torch_lr_schedulers():
    torch = pytest.importorskip("torch")
    cases = [
        (
            StepDecay(step_size=3, gamma=0.3, initial_lr=0.5),
            lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.3),
        ),
        (
            ExponentialDecay(gamma=0.8, initial_lr=0.5),
            lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8),
        ),
        (
            CosineDecay(decay_epochs=7, initial_lr=0.5, min_lr=0.01),
            lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(
                opt, T_max=7, eta_min=0.01
            ),
        ),
    ]
    for ours, make_theirs in cases:
        parameter = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([parameter], lr=0.5)
        theirs = make_theirs(optimizer)
        for epoch in range(8):
            assert ours.lr_at(epoch) == pytest.approx(
                optimizer.param_groups[0]["lr"], rel=1e-12, abs=1e-15
            ), f"{type(ours).__name__}, epoch {epoch}"
            optimizer.step()
            theirs.step()


# ---------------------------------------------------------------- inside fit


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (StepDecay(step_size=2, gamma=0.5), [0.1, 0.1, 0.05, 0.05, 0.025]),
        (ExponentialDecay(gamma=0.5), [0.1, 0.05, 0.025, 0.0125, 0.00625]),
        (
            CosineDecay(decay_epochs=2, warmup_epochs=1),
            [0.05, 0.1, 0.05, 0.0, 0.0],
        ),
    ],
)
def test_fit_applies_the_schedule_and_records_lr(schedule, expected):
    X, y = regression_data()
    model = regression_model(SGD(lr=0.1))
    probe = LearningRateProbe()
    history = model.fit(
        X, y, 5, batch_size=8, debug_flag=False, seed=0, callbacks=[schedule, probe]
    )
    np.testing.assert_allclose(history["lr"], expected, rtol=1e-15, atol=1e-18)
    np.testing.assert_allclose(probe.logged_lrs, expected, rtol=1e-15, atol=1e-18)
    # Three batches per epoch, each with the epoch's rate.
    np.testing.assert_allclose(
        probe.batch_lrs, np.repeat(expected, 3), rtol=1e-15, atol=1e-18
    )
    assert model.optimizer.lr == pytest.approx(expected[-1], abs=1e-18)


def test_fit_with_a_schedule_equals_setting_lr_by_hand():
    X, y = regression_data()
    scheduled, manual = regression_model(SGD(lr=0.2)), regression_model(SGD(lr=0.2))
    scheduled.fit(
        X, y, 4, shuffle=False, debug_flag=False, callbacks=[ExponentialDecay(0.5)]
    )
    for epoch in range(4):
        manual.optimizer.lr = 0.2 * 0.5**epoch
        manual.run_training_epoch(X, y)
    for ours, reference in zip(scheduled.layers, manual.layers, strict=True):
        for (_, param, _), (_, ref_param, _) in zip(
            ours.trainable or [], reference.trainable or [], strict=True
        ):
            np.testing.assert_array_equal(param, ref_param)


@pytest.mark.parametrize("make", [Adam, AdamW, RMSprop, Adagrad])
def test_schedules_work_with_every_optimizer(make):
    X, y = regression_data()
    optimizer = make(lr=0.01)
    model = regression_model(optimizer)
    history = model.fit(
        X, y, 3, debug_flag=False, callbacks=[StepDecay(step_size=1, gamma=0.1)]
    )
    np.testing.assert_allclose(history["lr"], [0.01, 0.001, 0.0001], rtol=1e-15)
    assert optimizer.lr == pytest.approx(0.0001, rel=1e-15)
    assert np.isfinite(history["loss"]).all()


def test_a_second_fit_restarts_from_the_initial_rate():
    X, y = regression_data()
    model = regression_model(SGD(lr=0.1))
    schedule = StepDecay(step_size=1, gamma=0.5)
    model.fit(X, y, 3, debug_flag=False, callbacks=[schedule])
    assert model.optimizer.lr == 0.025
    history = model.fit(X, y, 2, debug_flag=False, callbacks=[schedule])
    np.testing.assert_allclose(history["lr"], [0.1, 0.05])


def test_lr_of_epochs_not_run_stays_nan():
    class StopAfterTwo(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    X, y = regression_data()
    model = regression_model(SGD(lr=0.1))
    history = model.fit(
        X,
        y,
        5,
        debug_flag=False,
        callbacks=[ExponentialDecay(0.5), StopAfterTwo()],
    )
    np.testing.assert_allclose(history["lr"][:2], [0.1, 0.05])
    assert np.isnan(history["lr"][2:]).all()


def test_reduce_on_plateau_inside_fit():
    # The tiny lr keeps the loss on a plateau; min_delta = 1 makes every epoch
    # after the first a bad one. patience = 1, factor = 0.5, cooldown = 0:
    # epoch 0 sets best; the end of each later epoch halves the rate.
    X, y = regression_data()
    model = regression_model(SGD(lr=1e-5))
    plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=1.0)
    history = model.fit(X, y, 5, debug_flag=False, callbacks=[plateau])
    np.testing.assert_allclose(
        history["lr"], [1e-5, 1e-5, 5e-6, 2.5e-6, 1.25e-6], rtol=1e-15
    )
    assert model.optimizer.lr == pytest.approx(6.25e-7, rel=1e-15)


def test_reduce_on_plateau_watches_test_loss_inside_fit():
    X, y = regression_data()
    model = regression_model(SGD(lr=1e-5))
    plateau = ReduceLROnPlateau(
        monitor="test_loss", factor=0.1, patience=2, min_delta=1.0
    )
    history = model.fit(
        X,
        y,
        4,
        X_test_inputs=X,
        y_test_outputs=y,
        debug_flag=False,
        callbacks=[plateau],
    )
    # e0 best; e1 wait 1; e2 wait 2 -> reduce after e2; e3 runs at 1e-6.
    np.testing.assert_allclose(history["lr"], [1e-5, 1e-5, 1e-5, 1e-6], rtol=1e-15)


# ---------------------------------------------------------------- plateau rule


def test_reduce_on_plateau_staged_losses():
    # patience 2, factor 0.5, cooldown 1, min_lr 0.02, min_delta 0.01, lr 0.1.
    # epoch value  event                                    lr in the epoch
    #   0   1.00   best = 1.00                                 0.1
    #   1   0.95   improves (< 0.99): best = 0.95              0.1
    #   2   0.945  not < 0.94: wait 1                          0.1
    #   3   0.96   wait 2 -> lr 0.05, cooldown 1               0.1
    #   4   0.97   cooldown epoch, not counted                 0.05
    #   5   0.98   wait 1                                      0.05
    #   6   0.93   improves: best = 0.93, wait 0               0.05
    #   7   0.935  wait 1                                      0.05
    #   8   0.94   wait 2 -> lr 0.025, cooldown 1              0.05
    #   9   0.95   cooldown                                    0.025
    #  10   0.95   wait 1                                      0.025
    #  11   0.95   wait 2 -> lr max(0.0125, 0.02) = 0.02       0.025
    #  12   0.95   cooldown                                    0.02
    #  13   0.95   wait 1                                      0.02
    #  14   0.95   wait 2, but lr is already min_lr: stays     0.02
    #  15   0.95   wait 3                                      0.02
    values = [1.0, 0.95, 0.945, 0.96, 0.97, 0.98, 0.93, 0.935, 0.94] + [0.95] * 7
    plateau = ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=2, min_delta=0.01, cooldown=1, min_lr=0.02
    )
    used = drive(plateau, values)
    expected = [0.1] * 4 + [0.05] * 5 + [0.025] * 3 + [0.02] * 4
    np.testing.assert_allclose(used, expected, rtol=1e-15)
    assert plateau.best == 0.93
    assert plateau.wait == 3


def test_reduce_on_plateau_without_cooldown_reduces_every_patience_epochs():
    # patience 1, factor 0.1, min_delta 0: every non-improving epoch reduces.
    values = [1.0, 1.0, 1.0, 0.5, 0.6]
    plateau = ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, min_delta=0.0)
    used = drive(plateau, values, lr=1.0)
    # e0 best; e1 equal (not better) -> 0.1; e2 -> 0.01; e3 improves; e4 -> 1e-3.
    np.testing.assert_allclose(used, [1.0, 1.0, 0.1, 0.01, 0.01], rtol=1e-15)
    assert plateau.model.optimizer.lr == pytest.approx(1e-3, rel=1e-15)


def test_reduce_on_plateau_maximises_accuracy_in_auto_mode():
    # "accuracy" is maximised: rising values are improvements.
    plateau = ReduceLROnPlateau(
        monitor="test_accuracy", factor=0.5, patience=1, min_delta=0.0
    )
    used = drive(plateau, [0.5, 0.6, 0.7, 0.7, 0.65], key="test_accuracy")
    np.testing.assert_allclose(used, [0.1, 0.1, 0.1, 0.1, 0.05], rtol=1e-15)


def test_reduce_on_plateau_explicit_mode_overrides_the_name():
    plateau = ReduceLROnPlateau(monitor="accuracy", mode="min", patience=1)
    used = drive(plateau, [0.5, 0.6], key="accuracy")
    assert used == [0.1, 0.1]
    assert plateau.model.optimizer.lr == pytest.approx(0.01)


def test_reduce_on_plateau_resets_when_training_begins_again():
    plateau = ReduceLROnPlateau(monitor="loss", patience=2, min_delta=0.0)
    drive(plateau, [1.0, 2.0])
    assert (plateau.best, plateau.wait) == (1.0, 1)
    drive(plateau, [3.0])
    assert (plateau.best, plateau.wait) == (3.0, 0)


def test_reduce_on_plateau_warns_once_about_a_missing_key():
    plateau = ReduceLROnPlateau(monitor="val_loss", patience=0)
    with pytest.warns(NNFSWarning, match=r"'val_loss' is missing .*available: loss"):
        used = drive(plateau, [1.0, 2.0, 3.0], key="loss")
    assert used == [0.1, 0.1, 0.1]


def test_reduce_on_plateau_ignores_a_nan_value_with_a_warning():
    plateau = ReduceLROnPlateau(monitor="loss", patience=0)
    with pytest.warns(NNFSWarning, match=r"not finite"):
        used = drive(plateau, [1.0, float("nan"), 2.0])
    assert used == [0.1, 0.1, 0.1]
    assert plateau.model.optimizer.lr == pytest.approx(0.01)


# ---------------------------------------------------------------- configs


@pytest.mark.parametrize(
    ("schedule", "config"),
    [
        (
            StepDecay(5, 0.5, initial_lr=0.1),
            {"step_size": 5, "gamma": 0.5, "initial_lr": 0.1},
        ),
        (ExponentialDecay(0.9), {"gamma": 0.9, "initial_lr": None}),
        (
            CosineDecay(10, min_lr=0.001, warmup_epochs=2),
            {
                "decay_epochs": 10,
                "min_lr": 0.001,
                "warmup_epochs": 2,
                "initial_lr": None,
            },
        ),
        (
            ReduceLROnPlateau("loss", factor=0.2, patience=3, cooldown=1),
            {
                "monitor": "loss",
                "factor": 0.2,
                "patience": 3,
                "mode": "auto",
                "min_delta": 1e-4,
                "cooldown": 1,
                "min_lr": 0.0,
            },
        ),
    ],
    ids=lambda value: type(value).__name__,
)
def test_get_config_rebuilds_the_schedule(schedule, config):
    assert schedule.get_config() == config
    assert json.loads(json.dumps(config)) == config
    rebuilt = type(schedule)(**config)
    assert rebuilt.get_config() == config
    assert repr(rebuilt) == repr(schedule)
    assert isinstance(schedule, Callback)


def test_a_custom_schedule_needs_only_the_formula():
    class Halve(LearningRateSchedule):
        def _lr_at(self, epoch, initial_lr):
            return initial_lr / 2**epoch

    assert drive(Halve(), [1.0] * 3, lr=1.0) == [1.0, 0.5, 0.25]
    with pytest.raises(TypeError):
        LearningRateSchedule()  # abstract


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: StepDecay(0), ValueError, r"StepDecay: step_size must be >= 1; got 0"),
        (lambda: StepDecay(2.0), TypeError, r"StepDecay: step_size must be an integer"),
        (
            lambda: StepDecay(True),
            TypeError,
            r"StepDecay: step_size must be an integer",
        ),
        (
            lambda: StepDecay(2, 0.0),
            ValueError,
            r"StepDecay: gamma must be in \(0\.0, 1",
        ),
        (lambda: StepDecay(2, 1.5), ValueError, r"StepDecay: gamma must be in"),
        (lambda: StepDecay(2, "0.1"), TypeError, r"StepDecay: gamma must be a real"),
        (
            lambda: StepDecay(2, initial_lr=0.0),
            ValueError,
            r"StepDecay: initial_lr must be in \(0\.0, inf",
        ),
        (
            lambda: StepDecay(2, initial_lr=math.nan),
            ValueError,
            r"StepDecay: initial_lr must be finite",
        ),
        (
            lambda: ExponentialDecay(0.0),
            ValueError,
            r"ExponentialDecay: gamma must be in \(0\.0, 1\.0\]; got 0\.0",
        ),
        (
            lambda: ExponentialDecay(1.01),
            ValueError,
            r"ExponentialDecay: gamma must be in \(0\.0, 1\.0\]; got 1\.01",
        ),
        (lambda: ExponentialDecay(math.inf), ValueError, r"gamma must be finite"),
        (lambda: ExponentialDecay(None), TypeError, r"gamma must be a real number"),
        (
            lambda: ExponentialDecay(0.5, initial_lr="0.1"),
            TypeError,
            r"ExponentialDecay: initial_lr must be a real number",
        ),
        (lambda: CosineDecay(0), ValueError, r"CosineDecay: decay_epochs must be >= 1"),
        (lambda: CosineDecay(1.5), TypeError, r"CosineDecay: decay_epochs must be an"),
        (
            lambda: CosineDecay(5, min_lr=-0.1),
            ValueError,
            r"CosineDecay: min_lr must be in \[0\.0, inf",
        ),
        (
            lambda: CosineDecay(5, warmup_epochs=-1),
            ValueError,
            r"CosineDecay: warmup_epochs must be >= 0; got -1",
        ),
        (
            lambda: CosineDecay(5, warmup_epochs=1.0),
            TypeError,
            r"CosineDecay: warmup_epochs must be an integer",
        ),
        (
            lambda: CosineDecay(5, initial_lr=0.01, min_lr=0.1),
            ValueError,
            r"CosineDecay: min_lr must be <= the initial learning rate 0\.01; got 0\.1",
        ),
        (
            lambda: ReduceLROnPlateau(monitor=3),
            TypeError,
            r"ReduceLROnPlateau: monitor must be a str; got 3",
        ),
        (
            lambda: ReduceLROnPlateau(mode="up"),
            ValueError,
            r"ReduceLROnPlateau: mode must be 'auto', 'min' or 'max'; got 'up'",
        ),
        *[
            (
                (lambda f=factor: ReduceLROnPlateau(factor=f)),
                ValueError,
                r"ReduceLROnPlateau: factor must be (in \(0\.0, 1\.0\)|finite)",
            )
            for factor in (0.0, 1.0, 1.5, -0.5, math.nan)
        ],
        (
            lambda: ReduceLROnPlateau(patience=-1),
            ValueError,
            r"ReduceLROnPlateau: patience must be >= 0; got -1",
        ),
        (
            lambda: ReduceLROnPlateau(patience=2.0),
            TypeError,
            r"ReduceLROnPlateau: patience must be an integer",
        ),
        (
            lambda: ReduceLROnPlateau(cooldown=-1),
            ValueError,
            r"ReduceLROnPlateau: cooldown must be >= 0",
        ),
        (
            lambda: ReduceLROnPlateau(min_lr=-1e-3),
            ValueError,
            r"ReduceLROnPlateau: min_lr must be in \[0\.0, inf",
        ),
        (
            lambda: ReduceLROnPlateau(min_delta=-1.0),
            ValueError,
            r"ReduceLROnPlateau: min_delta must be in \[0\.0, inf",
        ),
    ],
)
def test_bad_arguments_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize(
    ("epoch", "error", "message"),
    [
        (-1, ValueError, r"StepDecay\.lr_at: epoch must be >= 0; got -1"),
        (1.0, TypeError, r"StepDecay\.lr_at: epoch must be an integer"),
        (True, TypeError, r"StepDecay\.lr_at: epoch must be an integer"),
        ("2", TypeError, r"StepDecay\.lr_at: epoch must be an integer"),
    ],
)
def test_lr_at_rejects_a_bad_epoch(epoch, error, message):
    with pytest.raises(error, match=message):
        StepDecay(2, initial_lr=0.1).lr_at(epoch)


def test_cosine_min_lr_above_the_optimizers_rate_is_refused_when_training_begins():
    X, y = regression_data()
    model = regression_model(SGD(lr=0.01))
    with pytest.raises(
        ValueError, match=r"CosineDecay: min_lr must be <= the initial learning rate"
    ):
        model.fit(X, y, 2, debug_flag=False, callbacks=[CosineDecay(5, min_lr=0.1)])


@pytest.mark.parametrize(
    "schedule", [ExponentialDecay(0.5), ReduceLROnPlateau()], ids=["fixed", "plateau"]
)
def test_a_schedule_without_a_model_says_so(schedule):
    with pytest.raises(RuntimeError, match=r"not attached to a model"):
        schedule.on_train_begin()


def test_a_model_without_optimizer_is_refused():
    schedule = StepDecay(2)
    schedule.set_model(Sequential([Dense(2, 1)]))
    with pytest.raises(RuntimeError, match=r"StepDecay: the model has no optimizer"):
        schedule.on_train_begin()


def test_an_optimizer_without_lr_is_refused():
    class NoRate(BaseOptimizer):
        def _update(self, param_id, parameters, gradients):
            parameters -= gradients

    schedule = StepDecay(2)
    schedule.set_model(Sequential([Dense(2, 1)], MSE(), NoRate()))
    with pytest.raises(TypeError, match=r"StepDecay: the optimizer NoRate has no lr"):
        schedule.on_train_begin()
