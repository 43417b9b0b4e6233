"""Callbacks: code that runs at fixed points of :meth:`Sequential.fit`.

A callback subclasses :class:`Callback` and overrides the hooks it needs.
``fit`` calls, in order::

    on_train_begin
    for each epoch:   on_epoch_begin, [on_batch_begin, on_batch_end] * n_batches,
                      on_epoch_end
    on_train_end      (also when training stops early or raises)

``logs`` is a dict: after a batch ``{"batch": b, "size": n, "loss": l}``;
after an epoch the epoch's entries of the history (``"loss"`` is the mean
batch loss, then metrics, then ``"val_..."``/``"test_..."`` entries). A
callback stops training by setting ``self.model.stop_training = True``.
"""

from __future__ import annotations

import csv
import os
import warnings
from typing import TYPE_CHECKING

import numpy as np

from nnfs._validation import check_bool, check_int, check_real
from nnfs.exceptions import NNFSWarning

if TYPE_CHECKING:
    from nnfs.model import Sequential

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "ModelCheckpoint",
    "TerminateOnNaN",
]


class Callback:
    """Base class of callbacks; every hook does nothing by default.

    Attributes
    ----------
    model : Sequential or None
        The model being trained, set by ``fit`` before ``on_train_begin``.

    Examples
    --------
    >>> class PrintEpoch(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(epoch, round(logs["loss"], 2))
    """

    def __init__(self) -> None:
        self.model: Sequential | None = None

    def set_model(self, model: Sequential) -> None:
        """Attach the model; called by ``fit``."""
        self.model = model

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called once before the first epoch."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called once after the last epoch, also after an early stop."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called before each epoch (``epoch`` counts from 0)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called after each epoch with that epoch's losses and metrics."""

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each training step."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each training step with the batch loss."""


class _Monitor(Callback):
    """Shared bookkeeping of callbacks that track the best value of a log key
    (early stopping, checkpoints, learning-rate reduction on a plateau).

    ``mode`` "auto" maximises keys ending in accuracy, f1, precision or
    recall and minimises the rest.
    """

    # What the callback does when the monitored key is absent, for the warning.
    _idle = "the callback does nothing"

    def __init__(self, monitor: str, mode: str, min_delta: float, where: str) -> None:
        super().__init__()
        if not isinstance(monitor, str):
            raise TypeError(f"{where}: monitor must be a str; got {monitor!r}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(
                f"{where}: mode must be 'auto', 'min' or 'max'; got {mode!r}"
            )
        self.monitor = monitor
        self.mode = mode
        if mode == "auto":
            maximise = monitor.endswith(("accuracy", "f1", "precision", "recall"))
            mode = "max" if maximise else "min"
        self._maximise = mode == "max"
        self.min_delta = check_real(min_delta, "min_delta", where, low=0.0)
        self.best: float | None = None
        self._where = where
        self._warned = False

    def _reset(self) -> None:
        self.best = None
        self._warned = False

    def _current(self, logs: dict | None) -> float | None:
        """The monitored value, or None (with one warning) if it is absent."""
        if logs and self.monitor in logs and np.isfinite(logs[self.monitor]):
            return float(logs[self.monitor])
        if not self._warned:
            available = ", ".join(sorted(logs or {})) or "none"
            warnings.warn(
                f"{self._where}: {self.monitor!r} is missing from the epoch logs "
                f"or not finite (available: {available}); {self._idle}",
                NNFSWarning,
                stacklevel=3,
            )
            self._warned = True
        return None

    def _improved(self, value: float) -> bool:
        if self.best is None:
            return True
        if self._maximise:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta


class EarlyStopping(_Monitor):
    """Stop training when a monitored quantity stops improving.

    Parameters
    ----------
    monitor : str, default="val_loss"
        Key of the epoch logs to watch ("loss", "accuracy", "val_loss",
        "test_accuracy", ...).
    patience : int, default=0
        Epochs without improvement to wait before stopping.
    min_delta : float, default=0.0
        Smallest change that counts as an improvement.
    mode : {"auto", "min", "max"}, default="auto"
        Whether lower or higher is better; "auto" maximises keys ending in
        accuracy, f1, precision or recall and minimises the rest.
    restore_best_weights : bool, default=False
        At the end of training, put back the weights (and layer state such as
        running statistics) of the best epoch.

    Attributes
    ----------
    stopped_epoch : int or None
        Epoch (from 0) after which training stopped, None if it ran to the end.
    best_epoch : int or None
        Epoch with the best monitored value.

    Examples
    --------
    >>> stopper = EarlyStopping(monitor="val_loss", patience=5,
    ...                         restore_best_weights=True)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 0,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ) -> None:
        where = "EarlyStopping"
        super().__init__(monitor, mode, min_delta, where)
        self.patience = check_int(patience, "patience", where, minimum=0)
        self.restore_best_weights = check_bool(
            restore_best_weights, "restore_best_weights", where
        )
        self.stopped_epoch: int | None = None
        self.best_epoch: int | None = None
        self._best_weights: list[np.ndarray] | None = None
        self._wait = 0

    def on_train_begin(self, logs=None):
        self._reset()
        self.stopped_epoch = self.best_epoch = None
        self._best_weights = None
        self._wait = 0

    def on_epoch_end(self, epoch, logs=None):
        value = self._current(logs)
        if value is None:
            return
        if self._improved(value):
            self.best, self.best_epoch, self._wait = value, epoch, 0
            if self.restore_best_weights:
                self._best_weights = self.model.get_weights()
            return
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self._best_weights is not None:
            self.model.set_weights(self._best_weights)


class ModelCheckpoint(_Monitor):
    """Save the model after each epoch, or only when it improves.

    Parameters
    ----------
    path : str or path-like
        File to write; ``{epoch}`` (counting from 1) and any log key in braces
        are filled in, e.g. ``"model-{epoch:03d}-{val_loss:.3f}.nnfs"``.
    monitor : str, default="val_loss"
        Log key compared when ``save_best_only`` is True.
    save_best_only : bool, default=False
        Save only when the monitored value improves.
    mode : {"auto", "min", "max"}, default="auto"
        As in :class:`EarlyStopping`.

    Examples
    --------
    >>> checkpoint = ModelCheckpoint("best.nnfs", save_best_only=True)
    """

    def __init__(
        self,
        path,
        monitor: str = "val_loss",
        save_best_only: bool = False,
        mode: str = "auto",
    ) -> None:
        where = "ModelCheckpoint"
        super().__init__(monitor, mode, 0.0, where)
        self.path = os.fspath(path)
        self.save_best_only = check_bool(save_best_only, "save_best_only", where)

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.save_best_only:
            value = self._current(logs)
            if value is None or not self._improved(value):
                return
            self.best = value
        self.model.save(self.path.format(epoch=epoch + 1, **logs))


class CSVLogger(Callback):
    """Write each epoch's logs as a row of a CSV file.

    Parameters
    ----------
    path : str or path-like
        The CSV file; its header names the columns ("epoch" first).
    separator : str, default=","
    append : bool, default=False
        Add to an existing file instead of replacing it.

    Examples
    --------
    >>> logger = CSVLogger("training.csv")
    """

    def __init__(self, path, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.path = os.fspath(path)
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(
                f"CSVLogger: separator must be one character; got {separator!r}"
            )
        self.separator = separator
        self.append = check_bool(append, "append", "CSVLogger")
        self._file = None
        self._writer = None
        self._keys: list[str] | None = None

    def on_train_begin(self, logs=None):
        exists = os.path.exists(self.path) and os.path.getsize(self.path) > 0
        self._file = open(self.path, "a" if self.append else "w", newline="")
        self._writer = csv.writer(self._file, delimiter=self.separator)
        self._keys = None
        self._header_written = self.append and exists

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._keys is None:
            self._keys = list(logs)
            if not self._header_written:
                self._writer.writerow(["epoch", *self._keys])
        self._writer.writerow([epoch + 1, *(logs.get(key, "") for key in self._keys)])
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = None


class TerminateOnNaN(Callback):
    """Stop training quietly when a batch loss is NaN or infinite.

    Without it, ``fit`` raises FloatingPointError at the first non-finite
    loss. With it, ``fit`` warns, stops and returns the history; in both cases
    the weights of the last finite step are kept.

    Examples
    --------
    >>> stopper = TerminateOnNaN()
    """

    def on_batch_end(self, batch, logs=None):
        if logs is not None and not np.isfinite(logs.get("loss", 0.0)):
            self.model.stop_training = True
