"""Learning-rate schedules: callbacks that set the optimizer's ``lr`` per epoch.

Every optimizer has an ``lr`` attribute, so every schedule works with every
optimizer. A schedule is a :class:`~nnfs.callbacks.Callback`; pass it to
``fit``::

    model.fit(X, y, N_epochs=50, callbacks=[CosineDecay(decay_epochs=50)])

The fixed schedules (:class:`StepDecay`, :class:`ExponentialDecay`,
:class:`CosineDecay`) set ``lr`` at the start of each epoch to
:meth:`~LearningRateSchedule.lr_at` of that epoch, a pure function of the
epoch; :class:`ReduceLROnPlateau` lowers it at the end of an epoch in which a
monitored log value stopped improving. Each records the learning rate used in
every epoch in the history under ``"lr"`` (also in the epoch logs that later
callbacks see).

Epochs count from 0, and each call of ``fit`` starts the schedule again at
epoch 0.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod

import numpy as np

from nnfs._validation import check_int, check_real
from nnfs.callbacks import Callback, _Monitor

__all__ = [
    "CosineDecay",
    "ExponentialDecay",
    "LearningRateSchedule",
    "ReduceLROnPlateau",
    "StepDecay",
]


def _optimizer_of(model, where: str):
    """The optimizer of ``model``, checked to have a learning rate."""
    if model is None:
        raise RuntimeError(
            f"{where}: the schedule is not attached to a model; pass it to "
            "fit(..., callbacks=[schedule])"
        )
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise RuntimeError(f"{where}: the model has no optimizer")
    if not hasattr(optimizer, "lr"):
        raise TypeError(
            f"{where}: the optimizer {type(optimizer).__name__} has no lr "
            "attribute to schedule"
        )
    return optimizer


def _record_lr(model, epoch: int, lr: float) -> None:
    """Store ``lr`` as entry ``epoch`` of the model's history under "lr".

    The history of the running ``fit`` is ``model.history``; its "loss"
    entry has one row per epoch. Epochs not reached stay NaN, like the
    other entries.
    """
    history = getattr(model, "history", None)
    if not isinstance(history, dict) or "loss" not in history:
        return
    if "lr" not in history:
        history["lr"] = np.full(len(history["loss"]), np.nan)
    if epoch < len(history["lr"]):
        history["lr"][epoch] = lr


class LearningRateSchedule(Callback, ABC):
    """Base class of the schedules whose rate is a function of the epoch.

    Subclasses implement ``_lr_at(epoch, initial_lr)``; the callback sets
    ``model.optimizer.lr = lr_at(epoch)`` at the start of every epoch.

    Parameters
    ----------
    initial_lr : float, optional
        Learning rate of epoch 0 (> 0). Without it, the optimizer's ``lr``
        when training first begins is used, and kept for later ``fit`` calls
        (so a second fit does not start from an already decayed rate).

    Examples
    --------
    >>> class Halve(LearningRateSchedule):
    ...     def _lr_at(self, epoch, initial_lr):
    ...         return initial_lr / 2**epoch
    >>> Halve(initial_lr=1.0).lr_at(3)
    0.125
    """

    def __init__(self, initial_lr: float | None = None) -> None:
        super().__init__()
        where = type(self).__name__
        self.initial_lr = (
            None
            if initial_lr is None
            else check_real(initial_lr, "initial_lr", where, low=0.0, low_open=True)
        )
        self._base_lr = self.initial_lr

    def lr_at(self, epoch: int) -> float:
        """Learning rate of epoch ``epoch`` (counting from 0).

        Raises
        ------
        TypeError, ValueError
            If ``epoch`` is not an integer >= 0.
        RuntimeError
            If no ``initial_lr`` was given and training has not begun yet.
        """
        where = f"{type(self).__name__}.lr_at"
        epoch = check_int(epoch, "epoch", where, minimum=0)
        if self._base_lr is None:
            raise RuntimeError(
                f"{where}: the initial learning rate is not known yet; pass "
                "initial_lr=... or start training, which reads the optimizer's lr"
            )
        return float(self._lr_at(epoch, self._base_lr))

    @abstractmethod
    def _lr_at(self, epoch: int, initial_lr: float) -> float:
        """The schedule's formula (``epoch`` already checked)."""

    def on_train_begin(self, logs=None):
        optimizer = _optimizer_of(self.model, type(self).__name__)
        if self._base_lr is None:
            self._base_lr = check_real(
                optimizer.lr,
                "the optimizer's lr",
                type(self).__name__,
                low=0.0,
                low_open=True,
            )
        self._check_initial_lr(self._base_lr)

    def _check_initial_lr(self, initial_lr: float) -> None:
        """Refuse a starting rate the schedule's settings do not allow."""

    def on_epoch_begin(self, epoch, logs=None):
        lr = self.lr_at(epoch)
        _optimizer_of(self.model, type(self).__name__).lr = lr
        _record_lr(self.model, epoch, lr)

    def get_config(self) -> dict:
        """Constructor arguments, as JSON-friendly values."""
        return {"initial_lr": self.initial_lr}

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class StepDecay(LearningRateSchedule):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    Parameters
    ----------
    step_size : int
        Epochs between two reductions, >= 1.
    gamma : float, default=0.1
        Factor of each reduction, in (0, 1].
    initial_lr : float, optional
        See :class:`LearningRateSchedule`.

    Notes
    -----
    ``lr(epoch) = initial_lr * gamma ** (epoch // step_size)``, PyTorch's
    ``StepLR``.

    Examples
    --------
    >>> schedule = StepDecay(step_size=10, gamma=0.5, initial_lr=0.1)
    >>> [schedule.lr_at(epoch) for epoch in (0, 9, 10, 25)]
    [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(
        self, step_size: int, gamma: float = 0.1, *, initial_lr: float | None = None
    ) -> None:
        super().__init__(initial_lr)
        self.step_size = check_int(step_size, "step_size", "StepDecay")
        self.gamma = check_real(
            gamma, "gamma", "StepDecay", low=0.0, high=1.0, low_open=True
        )

    def _lr_at(self, epoch, initial_lr):
        return initial_lr * self.gamma ** (epoch // self.step_size)

    def get_config(self) -> dict:
        return {
            "step_size": self.step_size,
            "gamma": self.gamma,
            **super().get_config(),
        }


class ExponentialDecay(LearningRateSchedule):
    """Multiply the learning rate by ``gamma`` every epoch.

    Parameters
    ----------
    gamma : float
        Factor per epoch, in (0, 1].
    initial_lr : float, optional
        See :class:`LearningRateSchedule`.

    Notes
    -----
    ``lr(epoch) = initial_lr * gamma ** epoch``, PyTorch's ``ExponentialLR``
    (Keras's ``ExponentialDecay`` with ``decay_steps`` = one epoch).

    Examples
    --------
    >>> schedule = ExponentialDecay(gamma=0.5, initial_lr=0.1)
    >>> [schedule.lr_at(epoch) for epoch in range(4)]
    [0.1, 0.05, 0.025, 0.0125]
    """

    def __init__(self, gamma: float, *, initial_lr: float | None = None) -> None:
        super().__init__(initial_lr)
        self.gamma = check_real(
            gamma, "gamma", "ExponentialDecay", low=0.0, high=1.0, low_open=True
        )

    def _lr_at(self, epoch, initial_lr):
        return initial_lr * self.gamma**epoch

    def get_config(self) -> dict:
        return {"gamma": self.gamma, **super().get_config()}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``initial_lr`` to ``min_lr``, after a linear warm-up.

    Parameters
    ----------
    decay_epochs : int
        Length of the cosine part in epochs, >= 1; afterwards the rate stays
        at ``min_lr``.
    initial_lr : float, optional
        Peak rate, reached when the warm-up ends; see
        :class:`LearningRateSchedule`.
    min_lr : float, default=0.0
        Final rate, >= 0 and at most ``initial_lr``.
    warmup_epochs : int, default=0
        Epochs of linear warm-up before the decay, >= 0.

    Notes
    -----
    With ``W = warmup_epochs`` and ``D = decay_epochs``::

        epoch < W:   lr = initial_lr * (epoch + 1) / (W + 1)
        epoch >= W:  t = min(epoch - W, D) / D
                     lr = min_lr + (initial_lr - min_lr) * (1 + cos(pi * t)) / 2

    The warm-up climbs in equal steps from ``initial_lr / (W + 1)`` and the
    cosine part starts at ``initial_lr`` in epoch ``W``. Without warm-up this
    is PyTorch's ``CosineAnnealingLR`` with ``T_max = D`` and
    ``eta_min = min_lr``; ``decay_epochs = N_epochs - warmup_epochs`` makes
    the last epoch's rate just above ``min_lr``.

    Examples
    --------
    >>> schedule = CosineDecay(decay_epochs=4, initial_lr=1.0, warmup_epochs=1)
    >>> [round(schedule.lr_at(epoch), 6) for epoch in range(6)]
    [0.5, 1.0, 0.853553, 0.5, 0.146447, 0.0]
    """

    def __init__(
        self,
        decay_epochs: int,
        *,
        initial_lr: float | None = None,
        min_lr: float = 0.0,
        warmup_epochs: int = 0,
    ) -> None:
        super().__init__(initial_lr)
        where = "CosineDecay"
        self.decay_epochs = check_int(decay_epochs, "decay_epochs", where)
        self.min_lr = check_real(min_lr, "min_lr", where, low=0.0)
        self.warmup_epochs = check_int(warmup_epochs, "warmup_epochs", where, minimum=0)
        if self.initial_lr is not None:
            self._check_initial_lr(self.initial_lr)

    def _check_initial_lr(self, initial_lr):
        if self.min_lr > initial_lr:
            raise ValueError(
                f"CosineDecay: min_lr must be <= the initial learning rate "
                f"{initial_lr!r}; got {self.min_lr!r}"
            )

    def _lr_at(self, epoch, initial_lr):
        warmup = self.warmup_epochs
        if epoch < warmup:
            return initial_lr * (epoch + 1) / (warmup + 1)
        progress = min(epoch - warmup, self.decay_epochs) / self.decay_epochs
        cosine = (1.0 + math.cos(math.pi * progress)) / 2.0
        return self.min_lr + (initial_lr - self.min_lr) * cosine

    def get_config(self) -> dict:
        return {
            "decay_epochs": self.decay_epochs,
            "min_lr": self.min_lr,
            "warmup_epochs": self.warmup_epochs,
            **super().get_config(),
        }


class ReduceLROnPlateau(_Monitor):
    """Lower the learning rate when a monitored value stops improving.

    Parameters
    ----------
    monitor : str, default="val_loss"
        Key of the epoch logs to watch: "loss", "test_loss", "val_loss",
        "accuracy", ...
    factor : float, default=0.1
        Each reduction multiplies the rate by ``factor``, in (0, 1).
    patience : int, default=10
        Epochs without improvement after which the rate is reduced, >= 0.
    mode : {"auto", "min", "max"}, default="auto"
        Whether lower or higher is better; "auto" maximises keys ending in
        accuracy, f1, precision or recall and minimises the rest.
    min_delta : float, default=1e-4
        Smallest change that counts as an improvement, >= 0.
    cooldown : int, default=0
        Epochs after a reduction during which no epoch counts as a bad one,
        >= 0.
    min_lr : float, default=0.0
        The rate is never reduced below this, >= 0.

    Attributes
    ----------
    best : float
        Best monitored value so far (``inf`` or ``-inf`` before the first).
    wait : int
        Epochs without improvement since the last improvement or reduction.
    cooldown_counter : int
        Cooldown epochs left.

    Notes
    -----
    At the end of each epoch, with ``value`` the monitored log entry::

        cooling = cooldown_counter > 0
        if cooling:  cooldown_counter -= 1
        if value improves on best by more than min_delta:
            best = value; wait = 0
        elif not cooling:
            wait += 1
            if wait >= patience and lr > min_lr:
                lr = max(lr * factor, min_lr); cooldown_counter = cooldown; wait = 0

    ``patience`` counts as in Keras: with ``patience=2`` the second epoch in
    a row without improvement lowers the rate (PyTorch's
    ``ReduceLROnPlateau`` waits for a third). ``cooldown`` counts as in
    PyTorch: the ``cooldown`` epochs after a reduction never count as bad
    ones. The new rate applies from the next epoch on, and ``min_delta`` is
    an absolute threshold, as in Keras. The counters are reset when training
    begins. If the monitored key is missing from the logs (or not finite)
    the callback warns once and does nothing.

    Examples
    --------
    >>> plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=3)
    >>> plateau.get_config()["factor"]
    0.5
    """

    _idle = "the learning rate is left as it is"

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ) -> None:
        where = "ReduceLROnPlateau"
        super().__init__(monitor, mode, min_delta, where)
        self.factor = check_real(
            factor, "factor", where, low=0.0, high=1.0, low_open=True, high_open=True
        )
        self.patience = check_int(patience, "patience", where, minimum=0)
        self.cooldown = check_int(cooldown, "cooldown", where, minimum=0)
        self.min_lr = check_real(min_lr, "min_lr", where, low=0.0)
        self._reset()

    def _reset(self) -> None:
        super()._reset()
        self.wait = 0
        self.cooldown_counter = 0

    def on_train_begin(self, logs=None):
        _optimizer_of(self.model, "ReduceLROnPlateau")
        self._reset()

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = _optimizer_of(self.model, "ReduceLROnPlateau")
        _record_lr(self.model, epoch, float(optimizer.lr))

    def on_epoch_end(self, epoch, logs=None):
        value = self._current(logs)
        if value is None:
            return

        cooling = self.cooldown_counter > 0
        if cooling:
            self.cooldown_counter -= 1
        if self._improved(value):
            self.best = value
            self.wait = 0
        elif not cooling:
            self.wait += 1
            optimizer = _optimizer_of(self.model, "ReduceLROnPlateau")
            if self.wait >= self.patience and optimizer.lr > self.min_lr:
                optimizer.lr = max(optimizer.lr * self.factor, self.min_lr)
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def get_config(self) -> dict:
        """Constructor arguments, as JSON-friendly values."""
        return {
            "monitor": self.monitor,
            "factor": self.factor,
            "patience": self.patience,
            "mode": self.mode,
            "min_delta": self.min_delta,
            "cooldown": self.cooldown,
            "min_lr": self.min_lr,
        }

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"ReduceLROnPlateau({arguments})"
