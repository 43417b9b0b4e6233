"""The training doctor: what to check before training, and why training failed.

Two tools, both run by :meth:`Sequential.fit` when asked:

- :func:`check_setup` looks at the model and the data before the first step
  and warns (:class:`~nnfs.exceptions.SetupWarning`) about combinations that
  usually mean a mistake.
- :class:`TrainingDoctor` records, at the last batch of every epoch, the
  gradient norm and the update-to-weight ratio of each parameter and the
  health of each activation layer (dead ReLU units, saturated sigmoid or tanh
  outputs). :func:`diagnose` turns such a history into a report in plain
  words.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from nnfs.activations import ELU, GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from nnfs.callbacks import Callback
from nnfs.exceptions import SetupWarning
from nnfs.losses import BCE, CCE
from nnfs.metrics import to_labels

if TYPE_CHECKING:
    from nnfs.model import Sequential

__all__ = ["TrainingDoctor", "check_setup", "diagnose"]

# Thresholds of the report, chosen from common practice: an update of about
# 1e-3 of the weight's size per step is healthy (Karpathy's "ratio of
# updates to weights"); far above it the learning rate is too high, far below
# it training crawls.
_RATIO_HIGH = 1e-1
_RATIO_LOW = 1e-6
_DEAD_SHARE = 0.5
_SATURATED_SHARE = 0.5
_VANISHING = 1e-3


def check_setup(model: Sequential, X: np.ndarray, y: np.ndarray) -> list[str]:
    """Warn about suspicious set-ups before training; return the messages.

    Parameters
    ----------
    model : Sequential
        The model about to train.
    X : ndarray of shape (n_samples, ...)
        Training inputs.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Training targets, as given to ``fit``.

    Returns
    -------
    list of str
        One message per problem found; each is also issued as a
        :class:`~nnfs.exceptions.SetupWarning`.

    Examples
    --------
    >>> import numpy as np, warnings
    >>> from nnfs.layers import Dense
    >>> from nnfs.activations import Softmax
    >>> from nnfs.losses import MSE
    >>> from nnfs.model import Sequential
    >>> from nnfs.optimizers import SGD
    >>> model = Sequential([Dense(2, 3), Softmax()], MSE(), SGD())
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     print(check_setup(model, np.zeros((4, 2)), np.eye(3)[[0, 1, 2, 0]])[0])
    Softmax output trained with MSE: use CCE, whose gradient with Softmax is (p - y) / n
    """
    return _check_setup(model, X, y, None)


def _check_setup(model, X, y, value_range: tuple[float, float] | None) -> list[str]:
    """:func:`check_setup`, given the smallest and the largest entry of ``X``
    when the caller has them already (``fit`` does), else None."""
    problems = []
    last = model.layers[-1] if model.layers else None
    loss = model.loss
    if isinstance(last, Softmax) and not isinstance(loss, CCE):
        problems.append(
            f"Softmax output trained with {type(loss).__name__}: use CCE, whose "
            "gradient with Softmax is (p - y) / n"
        )
    if isinstance(last, Sigmoid) and not isinstance(loss, BCE) and _looks_binary(y):
        problems.append(
            f"Sigmoid output with 0/1 targets trained with {type(loss).__name__}: "
            "BCE learns faster here (its gradient does not vanish when wrong)"
        )

    width = model._output_shapes()[-1]
    n_outputs = width[-1] if width else None
    labels = _integer_labels(y)
    if labels is not None and n_outputs is not None:
        n_classes = int(labels.max()) + 1
        if isinstance(loss, CCE) and n_outputs > n_classes:
            problems.append(
                f"the model has {n_outputs} outputs but the labels hold only "
                f"{n_classes} classes (0 to {n_classes - 1}); check the last "
                "layer's size or the labels"
            )
        elif not isinstance(loss, CCE) and n_outputs > 1:
            problems.append(
                f"integer class labels given to {type(loss).__name__} with "
                f"{n_outputs} outputs: one-hot encode them "
                "(nnfs.utils.class_to_onehot) or use CCE"
            )

    scale, spread = _scale_and_spread(X, value_range)
    if scale > 1e3 or (spread > 0 and (spread > 1e2 or spread < 1e-3)):
        problems.append(
            f"inputs are far from unit scale (largest |x| {scale:.3g}, standard "
            f"deviation {spread:.3g}): standardise them, e.g. "
            "(X - X.mean(0)) / X.std(0)"
        )

    lr = getattr(model.optimizer, "lr", None)
    if lr is not None and not 1e-6 <= lr <= 1.0:
        problems.append(
            f"learning rate {lr:g} is outside the usual range [1e-6, 1]; training "
            "will likely diverge or stall"
        )

    for message in problems:
        warnings.warn(message, SetupWarning, stacklevel=3)
    return problems


def _scale_and_spread(
    X: np.ndarray,
    value_range: tuple[float, float] | None = None,
    sample: int = 65536,
) -> tuple[float, float]:
    """Largest |x| over all of ``X``, and the standard deviation of a sample.

    The largest magnitude comes from the smallest and the largest entry
    (``value_range``, or ``min`` and ``max``, which allocate nothing where
    ``np.abs(X)`` would copy the whole data set). The deviation is
    taken over evenly spaced rows holding at most ``sample`` values (at least
    one row), accumulated in float64: the warning it feeds is about orders of
    magnitude, which some ten thousand values settle. A larger sample, or a
    float64 copy of it, would cost a sizeable share of a training epoch on a
    data set the size of MNIST, since fresh memory is slow to touch.

    >>> _scale_and_spread(np.array([[1.0, -3.0], [1.0, 5.0]]))
    (5.0, 2.8284271247461903)

    (mean 1, squared deviations 0 + 16 + 0 + 16 = 32, 32 / 4 = 8, sqrt 8.)
    """
    if X.size == 0:
        return 0.0, 0.0
    low, high = (float(X.min()), float(X.max())) if value_range is None else value_range
    scale = max(high, -low)
    n_rows = max(1, sample // (X.size // X.shape[0]))
    rows = X[:: -(-X.shape[0] // n_rows)]
    return scale, float(rows.std(dtype=np.float64))


def _looks_binary(y: np.ndarray) -> bool:
    return bool(np.isin(y, (0, 1)).all())


def _integer_labels(y: np.ndarray) -> np.ndarray | None:
    """Integer class labels of a (n,) or (n, 1) target, else None."""
    if y.ndim == 2 and y.shape[1] != 1:
        return None
    column = y.reshape(-1)
    if column.min() < 0 or not np.all(column == np.round(column)):
        return None
    if column.max() < 2:
        return None  # 0/1 targets are just as likely a binary column
    return to_labels(column)


class TrainingDoctor(Callback):
    """Record per-layer health at the last batch of every epoch.

    Added by ``fit(..., diagnostics=True)``. It writes arrays of shape
    (N_epochs,) into the history under keys ``"doctor:<name>:<quantity>"``:

    - for every parameter ``<layer>.<param>``: ``grad_norm`` (norm of its
      gradient) and ``update_ratio`` (norm of the last update divided by the
      norm of the weights);
    - for every ReLU-family layer: ``dead``, the share of units that output 0
      for every sample of the batch;
    - for every Sigmoid or Tanh layer: ``saturated``, the share of outputs
      within 0.01 of the function's limits.

    Examples
    --------
    >>> doctor = TrainingDoctor()
    """

    def on_train_begin(self, logs=None):
        self._last_batch = self.model.history["loss"].shape[1] - 1
        self._before: dict[str, np.ndarray] = {}
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_batch_begin(self, batch, logs=None):
        if batch == self._last_batch:
            self._before = {name: param.copy() for name, param, _ in self._parameters()}

    def on_batch_end(self, batch, logs=None):
        if batch != self._last_batch or not np.isfinite(logs.get("loss", np.nan)):
            return
        for name, param, grad in self._parameters():
            before = self._before.get(name)
            self._record(name, "grad_norm", np.linalg.norm(grad))
            if before is not None:
                weight_norm = np.linalg.norm(before)
                update_norm = np.linalg.norm(param - before)
                ratio = update_norm / weight_norm if weight_norm > 0 else np.nan
                self._record(name, "update_ratio", ratio)
        for layer in self.model.layers:
            output = getattr(layer, "output", None)
            if output is None:
                continue
            if isinstance(layer, ReLU | LeakyReLU | ELU | GELU):
                # A unit is dead when its input is <= 0 for every sample.
                inputs = layer.X_input.reshape(len(layer.X_input), -1)
                self._record(layer.name, "dead", np.mean(np.all(inputs <= 0, axis=0)))
            elif isinstance(layer, Sigmoid):
                saturated = (output < 0.01) | (output > 0.99)
                self._record(layer.name, "saturated", np.mean(saturated))
            elif isinstance(layer, Tanh):
                self._record(layer.name, "saturated", np.mean(np.abs(output) > 0.99))

    def _parameters(self):
        for layer in self.model.layers:
            for param_name, param, grad in layer.trainable or ():
                if grad is not None:
                    yield f"{layer.name}.{param_name}", param, grad

    def _record(self, name: str, quantity: str, value) -> None:
        history = self.model.history
        key = f"doctor:{name}:{quantity}"
        if key not in history:
            history[key] = np.full(history["loss"].shape[0], np.nan)
        history[key][self._epoch] = float(value)


def diagnose(history: dict[str, np.ndarray]) -> str:
    """Explain in plain words what a training history says went wrong.

    Parameters
    ----------
    history : dict of str to ndarray
        The history of ``fit``: ``"loss"`` of shape (N_epochs, n_batches) and,
        ideally, with ``diagnostics=True``, the ``"doctor:..."`` entries of
        shape (N_epochs,); ``model.history`` holds it even after training
        raised.

    Returns
    -------
    str
        One paragraph per finding, each naming the layer and the likely
        cause, or a line saying that nothing looks wrong.

    Examples
    --------
    >>> import numpy as np
    >>> print(diagnose({"loss": np.array([[1.0], [0.5], [0.25]])}))
    No problem found; the loss fell from 1 to 0.25.
    """
    if "loss" not in history:
        raise ValueError("diagnose: history has no 'loss' entry; pass fit's history")
    findings = []
    losses = np.asarray(history["loss"], dtype=float)
    epoch_loss = losses.reshape(len(losses), -1)
    started = ~np.all(np.isnan(epoch_loss), axis=1)
    epoch_loss = np.nanmean(np.where(started[:, None], epoch_loss, 0.0), axis=1)[
        started
    ]

    diverged = (
        np.isnan(losses).any() and started.any() and np.isnan(losses[started]).any()
    )
    if diverged:
        findings.append(
            "Training diverged: the loss became NaN or infinite. The learning rate "
            "is most likely too high; lower it by 10x, or clip gradients."
        )
    elif epoch_loss.size >= 2 and epoch_loss[-1] > 1.01 * epoch_loss[0]:
        findings.append(
            f"The loss rose from {epoch_loss[0]:.4g} to {epoch_loss[-1]:.4g}: the "
            "learning rate is probably too high."
        )

    # The doctor records layers in model order, and the history keeps it.
    recorded = {}
    for key in history:
        if key.startswith("doctor:") and not np.all(np.isnan(history[key])):
            _, name, quantity = key.split(":")
            recorded[name, quantity] = float(np.nanmedian(history[key]))

    layer_findings = []
    for (name, quantity), value in recorded.items():
        if quantity == "dead" and value > _DEAD_SHARE:
            layer_findings.append(
                f"{name}: {value:.0%} of its units are dead (their input is never "
                "positive, so they pass no gradient). Lower the learning rate, "
                "use He initialisation, or try LeakyReLU."
            )
        elif quantity == "saturated" and value > _SATURATED_SHARE:
            layer_findings.append(
                f"{name}: {value:.0%} of its outputs are saturated (flat parts of "
                "the curve, where the gradient is almost 0). Its inputs are too "
                "large: check the initialisation scale of the layer before it and "
                "standardise the data."
            )

    # Update ratios of weight matrices only: biases start at 0, so any step
    # is large next to them.
    ratios = {
        name: value
        for (name, quantity), value in recorded.items()
        if quantity == "update_ratio" and name.endswith(".W")
    }
    high = {name: value for name, value in ratios.items() if value > _RATIO_HIGH}
    low = {name: value for name, value in ratios.items() if value < _RATIO_LOW}
    if high:
        findings.append(
            f"{', '.join(high)}: each update changes the weights by up to "
            f"{max(high.values()):.2g} of their size (healthy is about 1e-3): the "
            "learning rate is too high."
        )
    findings.extend(layer_findings)
    if low and not layer_findings:
        findings.append(
            f"{', '.join(low)}: updates are only {min(low.values()):.2g} of the "
            "weights' size: the learning rate is too low, or gradients vanish."
        )

    grads = {
        name: value
        for (name, quantity), value in recorded.items()
        if quantity == "grad_norm"
    }
    weight_grads = [value for name, value in grads.items() if name.endswith(".W")]
    if len(weight_grads) >= 2 and weight_grads[-1] > 0:
        if weight_grads[0] / weight_grads[-1] < _VANISHING:
            findings.append(
                f"Gradients vanish towards the input: the first layer's weight "
                f"gradient is {weight_grads[0] / weight_grads[-1]:.2g} of the last "
                "one's. Use ReLU-family activations, He initialisation or "
                "BatchNorm."
            )

    if not findings:
        if epoch_loss.size:
            return (
                f"No problem found; the loss fell from {epoch_loss[0]:.4g} to "
                f"{epoch_loss[-1]:.4g}."
            )
        return "No problem found."
    return "\n".join(findings)
