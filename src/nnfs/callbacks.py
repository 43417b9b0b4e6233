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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nnfs.model import Sequential

__all__ = ["Callback"]


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
