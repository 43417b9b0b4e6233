"""Sequential: a stack of layers trained by one loss and one optimizer."""

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from nnfs import doctor
from nnfs._validation import (
    as_float_array,
    check_all_finite,
    check_bool,
    check_int,
    check_real,
    check_rng,
    check_sample_weight,
    finite_range,
)
from nnfs.activations import BaseActivation
from nnfs.callbacks import Callback
from nnfs.exceptions import NNFSWarning
from nnfs.layers import BaseLayer
from nnfs.losses import BCE, CCE, Loss
from nnfs.metrics import to_labels
from nnfs.optimizers import BaseOptimizer
from nnfs.progress import ProgressBar, wants_progress

__all__ = ["Sequential"]


def _rows(data: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The rows of ``data`` at ``index``, a fresh array, for indices already
    known to be in range (a slice of a permutation of the row numbers).

    ``take`` with ``mode="clip"`` skips the bounds check and the set-up of
    fancy indexing, which on a batch of 128 rows of 784 floats cost about a
    sixth of the copy itself; with valid indices nothing is clipped, so the
    result is ``data[index]``.

    >>> _rows(np.array([[0, 1], [2, 3], [4, 5]]), np.array([2, 0]))
    array([[4, 5],
           [0, 1]])
    """
    return data.take(index, axis=0, mode="clip")


_METRICS = ("accuracy",)


class Sequential:
    """Layers applied one after another, trained by backpropagation.

    Parameters
    ----------
    list_layers : list of BaseLayer
        The layers in order. Each layer's ``index`` is set to its position, so
        names (``dense_0``, ``relu_1``, ...) are unique within the model.
    loss : Loss
        The loss minimised by :meth:`fit`.
    optimizer : BaseOptimizer
        The optimizer that applies the gradients.

    Attributes
    ----------
    layers : list of BaseLayer
    loss : Loss
    optimizer : BaseOptimizer
    history : dict
        The history returned by the last :meth:`fit`.

    Notes
    -----
    One training step (:meth:`run_training_epoch`) is one forward pass, one
    loss evaluation, one backward pass and one update. When the model ends in
    Softmax and the loss is CCE (or Sigmoid and BCE), the backward pass starts
    from the fused gradient ``(p - y) / n`` at the activation's input rather
    than chaining the loss and activation derivatives; it is the same
    gradient, without the division by ``p`` that fails when ``p`` underflows.

    Layer sizes are checked when the model is made: a Dense layer that does
    not accept the previous layer's output raises a ValueError naming both.
    Shapes are followed from the first layer that declares its input, by
    ``input_size`` (Dense) or by ``input_shape`` (convolution, pooling,
    Flatten, Reshape: one sample's shape, such as ``(1, 28, 28)``); a model
    whose first layer declares ``input_shape`` takes data of shape
    ``(n_samples, *input_shape)``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.layers import Dense
    >>> from nnfs.activations import ReLU, Softmax
    >>> from nnfs.losses import CCE
    >>> from nnfs.optimizers import SGD
    >>> model = Sequential([Dense(2, 8, seed=0), ReLU(), Dense(8, 3, seed=1),
    ...                     Softmax()], CCE(), SGD(lr=0.1))
    >>> [layer.name for layer in model.layers]
    ['dense_0', 'relu_1', 'dense_2', 'softmax_3']
    >>> model.predict(np.zeros((5, 2))).shape
    (5, 3)
    """

    def __init__(
        self,
        list_layers: list[BaseLayer] | None = None,
        loss: Loss | None = None,
        optimizer: BaseOptimizer | None = None,
    ) -> None:
        if list_layers is None:
            list_layers = []
        if not isinstance(list_layers, list | tuple):
            raise TypeError(
                "Sequential: list_layers must be a list of layers; got "
                f"{type(list_layers).__name__}"
            )
        if loss is not None and not isinstance(loss, Loss):
            raise TypeError(
                f"Sequential: loss must be an nnfs Loss; got {type(loss).__name__}"
            )
        if optimizer is not None and not isinstance(optimizer, BaseOptimizer):
            raise TypeError(
                "Sequential: optimizer must be an nnfs optimizer; got "
                f"{type(optimizer).__name__}"
            )
        self.layers: list[BaseLayer] = []
        self.loss = loss
        self.optimizer = optimizer
        self.history: dict[str, np.ndarray] = {}
        self.metrics: tuple[str, ...] = ()
        self.stop_training = False
        for layer in list_layers:
            self._append(layer)
        self._build()

    def add(self, layer: BaseLayer) -> None:
        """Append a layer, checking that it accepts the previous output.

        Raises
        ------
        TypeError
            If ``layer`` is not an nnfs layer.
        ValueError
            If the layer is already in the model, does not accept the previous
            layer's output, or has another dtype; the model is left as it was.
        """
        self._append(layer)
        try:
            self._build()
        except ValueError:
            self.layers.pop()
            layer.index = None
            raise

    def _append(self, layer) -> None:
        if not isinstance(layer, BaseLayer):
            raise TypeError(
                f"Sequential: layer {len(self.layers)} must be an nnfs layer; "
                f"got {type(layer).__name__}"
            )
        if any(layer is other for other in self.layers):
            raise ValueError(
                f"Sequential: the same {type(layer).__name__} object appears "
                "twice in list_layers; create a new layer for each position"
            )
        layer.index = len(self.layers)
        if not hasattr(layer, "training"):
            layer.training = True  # a subclass that skipped BaseLayer.__init__
        self.layers.append(layer)

    def _output_shapes(self) -> list[tuple[int, ...] | None]:
        """Shape of one sample after each layer; None until a size is known.

        Raises ValueError naming both layers when one cannot take the output
        of the one before.
        """
        shapes, shape, source = [], None, None
        for layer in self.layers:
            expected = getattr(layer, "input_size", None)
            declared = getattr(layer, "input_shape", None)  # (C, H, W), say
            if shape is None and expected is not None:
                shape = (expected,)
            elif shape is None and declared is not None:
                shape = tuple(declared)
            if shape is not None:
                try:
                    shape = layer.output_shape(shape)
                except ValueError as error:
                    raise ValueError(
                        f"Sequential: layer {layer.name} ({layer!r}) cannot take "
                        f"the output of layer {source.name} ({source!r}), which "
                        f"has shape (n_samples, {', '.join(map(str, shape))}): "
                        f"{error}"
                    ) from None
                source = layer
            shapes.append(shape)
        return shapes

    def _build(self) -> None:
        """Check sizes and dtypes along the stack; settle "auto" inits."""
        self._output_shapes()
        dtypes = {}
        for position, layer in enumerate(self.layers):
            if hasattr(layer, "dtype"):
                dtypes.setdefault(np.dtype(layer.dtype).name, layer.name)
            if hasattr(layer, "_resolve_auto_init"):
                layer._resolve_auto_init(self._init_hint_after(position))
        if len(dtypes) > 1:
            listing = ", ".join(f"{name} in {dt}" for dt, name in dtypes.items())
            raise ValueError(
                f"Sequential: all layers must share one dtype; got {listing}"
            )

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every parameter and saved state array, layer by layer.

        Returns
        -------
        list of ndarray
            For each layer in order, its ``param_names`` then ``state_names``
            arrays (for Dense: ``W``, ``b``). :meth:`set_weights` takes the list.
        """
        return [
            np.array(getattr(layer, name), copy=True)
            for layer in self.layers
            for name in (*layer.param_names, *layer.state_names)
        ]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Copy arrays from :meth:`get_weights` back into the layers, in place.

        Raises
        ------
        ValueError
            If the number of arrays or a shape does not match the model.
        """
        slots = [
            (layer, name)
            for layer in self.layers
            for name in (*layer.param_names, *layer.state_names)
        ]
        if len(weights) != len(slots):
            raise ValueError(
                f"Sequential.set_weights: expected {len(slots)} arrays; "
                f"got {len(weights)}"
            )
        for (layer, name), value in zip(slots, weights, strict=True):
            target = getattr(layer, name)
            value = np.asarray(value)
            if value.shape != target.shape:
                raise ValueError(
                    f"Sequential.set_weights: {layer.name}.{name} has shape "
                    f"{target.shape}; got an array of shape {value.shape}"
                )
            target[...] = value

    def _init_hint_after(self, position: int) -> str:
        """He or Glorot for the layer at ``position``, from the activation it
        feeds: layers in between (Dropout, BatchNorm, pooling) are looked
        past; another weighted layer, or the end, means Glorot."""
        for layer in self.layers[position + 1 :]:
            if isinstance(layer, BaseActivation):
                return layer.init_hint
            if hasattr(layer, "_resolve_auto_init"):
                return "glorot"  # a weighted layer: this one feeds it linearly
        return "glorot"

    @property
    def dtype(self) -> np.dtype:
        """Compute dtype of the model: that of its parameters (float32 default)."""
        for layer in self.layers:
            if hasattr(layer, "dtype"):
                return np.dtype(layer.dtype)
        return np.dtype(np.float32)

    # ------------------------------------------------------------------
    # The three steps of training, as in the seed system

    def forward(self, X_inputs: np.ndarray) -> np.ndarray:
        """Run every layer's forward pass in order; return the model output."""
        output = X_inputs
        for layer in self.layers:
            output = layer.forward(output)
        return output

    def backward(self, d_loss: np.ndarray) -> np.ndarray:
        """Backpropagate dL/d(output) through every layer; return dL/d(input)."""
        grad = d_loss
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def update_weights(self) -> None:
        """Let the optimizer update every trainable parameter in place.

        Every gradient is checked before any parameter changes, so a NaN
        gradient leaves the whole model as it was.

        Raises
        ------
        ValueError
            If no layer has trainable parameters.
        RuntimeError, FloatingPointError
            As for :meth:`BaseOptimizer.step`.
        """
        self._require("update_weights", optimizer=True)
        params = [
            (f"{layer.name}.{param_name}", param, grad)
            for layer in self.layers
            for param_name, param, grad in layer.trainable or ()
        ]
        if not params:
            raise ValueError(self._nothing_to_train("update_weights"))
        self.optimizer.step(params)

    def _nothing_to_train(self, method: str) -> str:
        return (
            f"Sequential.{method}: the model has no trainable parameters; "
            "expected at least one layer with weights (Dense, Conv2D, "
            f"BatchNorm, ...); got {', '.join(layer.name for layer in self.layers)}"
        )

    def compute_gradients(self, X_inputs: np.ndarray, y_true: np.ndarray) -> float:
        """One forward and one backward pass, without an update.

        Parameters
        ----------
        X_inputs : ndarray of shape (n_samples, n_features)
        y_true : ndarray of shape (n_samples, n_outputs)
            Targets (CCE also takes integer labels of shape (n_samples,)).

        Returns
        -------
        float
            The loss of the batch, plus the layers' weight penalties (see
            :meth:`BaseLayer.penalty`). Parameter gradients are left in the
            layers.

        Raises
        ------
        FloatingPointError
            If the loss is NaN or infinite; no backward pass is run then.
        """
        self._require("compute_gradients", loss=True)
        return self._forward_backward(X_inputs, y_true)

    def _forward_backward(
        self, X_inputs, y_true, sample_weight=None, trusted: bool = False
    ) -> float:
        """:meth:`compute_gradients`; ``trusted`` targets skip the loss's checks
        (``fit`` checked them once for the whole run)."""
        y_pred = self.forward(X_inputs)
        if trusted:
            loss_value = self.loss._evaluate(y_pred, y_true, sample_weight)
        else:
            loss_value = self.loss.forward(y_pred, y_true, sample_weight)
        # Weight penalties (Dense l1/l2) are part of the loss being minimised.
        penalty = sum(layer.penalty() for layer in self.layers)
        if penalty:
            loss_value += penalty
        if not math.isfinite(loss_value):
            raise FloatingPointError(f"the loss is {loss_value}")

        if self._uses_fused_gradient():
            grad = self.loss.fused_backward()
            layers = self.layers[:-1]
        else:
            grad = self.loss.backward()
            layers = self.layers
        # Nothing reads dL/dX of the data, so the bottom layer skips it.
        for layer in reversed(layers[1:]):
            grad = layer.backward(grad)
        if layers:
            layers[0].backward_params(grad)
        return loss_value

    def run_training_epoch(self, X_inputs: np.ndarray, y_true: np.ndarray) -> float:
        """One training step on one batch: forward, backward, update.

        Returns
        -------
        float
            The batch loss, computed before the update.
        """
        loss_value = self.compute_gradients(X_inputs, y_true)
        self.update_weights()
        return loss_value

    def _train_step(self, X_batch, y_batch, sample_weight, trusted: bool) -> float:
        """:meth:`run_training_epoch` with sample weights, as ``fit`` runs it."""
        loss_value = self._forward_backward(X_batch, y_batch, sample_weight, trusted)
        self.update_weights()
        return loss_value

    def _uses_fused_gradient(self) -> bool:
        fused = self.loss.fused_activation
        return (
            bool(self.layers)
            and fused is not None
            and isinstance(self.layers[-1], fused)
        )

    # ------------------------------------------------------------------
    # Training loop

    def fit(
        self,
        X_inputs: np.ndarray,
        y_outputs: np.ndarray,
        N_epochs: int,
        batch_size: int = -1,
        X_test_inputs: np.ndarray | None = None,
        y_test_outputs: np.ndarray | None = None,
        debug_flag: bool = True,
        *,
        shuffle: bool = True,
        seed: int | None = None,
        metrics: tuple[str, ...] | list[str] = (),
        callbacks: list[Callback] | tuple[Callback, ...] = (),
        validation_split: float = 0.0,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        sample_weight: np.ndarray | None = None,
        class_weight: dict | str | None = None,
        progress: bool | None = None,
        diagnostics: bool = False,
        check_setup: bool = True,
    ) -> dict[str, np.ndarray]:
        """Train the model with mini-batch gradient descent.

        Parameters
        ----------
        X_inputs : array-like of shape (n_samples, n_features)
            Training inputs; converted once to the model dtype.
        y_outputs : array-like of shape (n_samples, n_outputs) or (n_samples,)
            Training targets.
        N_epochs : int
            Number of passes over the data, >= 1.
        batch_size : int, default=-1
            Samples per step; -1 means the whole set in one batch. A value
            larger than n_samples is reduced to n_samples with a warning.
        X_test_inputs, y_test_outputs : array-like, optional
            Held-out data evaluated after every epoch (both or neither).
        debug_flag : bool, default=True
            Print the mean loss about ten times per run (and at the end).
        shuffle : bool, default=True
            Visit the samples in a new random order each epoch (a permuted
            index; the data set is never copied).
        seed : int, optional
            Seed of the shuffling order and of the validation split; without
            it, NumPy's global state.
        metrics : sequence of str, default=()
            Metrics to record per epoch; supported: "accuracy".
        callbacks : sequence of Callback, default=()
            Objects whose hooks run at the start and end of training, of each
            epoch and of each batch (see :mod:`nnfs.callbacks`). A callback
            stops training by setting ``model.stop_training = True``; the
            history then keeps NaN for the epochs not run.
        validation_split : float, default=0.0
            Fraction of the samples, in [0, 1), held out for validation and
            evaluated after every epoch as ``"val_loss"`` (and ``"val_" + m``).
            It is drawn after a seeded shuffle and, for a classification loss
            (BCE or CCE), stratified by class.
        validation_data : (X_val, y_val), optional
            Held-out data of your own, evaluated after every epoch as
            ``"val_loss"`` (and ``"val_" + m``); replaces ``validation_split``
            (passing both is an error). Use it when the validation samples
            must be chosen before augmenting the training set.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each training sample in the loss.
        class_weight : dict of int to float, or "balanced", optional
            Weight of each class, multiplied into ``sample_weight``.
            "balanced" gives class ``k`` the weight ``n / (n_classes * n_k)``.
        progress : bool or None, default=None
            Show a progress bar per epoch (on standard error, drawn by tqdm)
            with the running loss and the epoch's metrics; see
            :class:`~nnfs.progress.ProgressBar`. None shows it only when
            ``debug_flag`` is False, standard error is a terminal and tqdm
            is installed. ``debug_flag`` lines are printed above the bar.
        diagnostics : bool, default=False
            Record per-layer gradient norms, update-to-weight ratios, dead
            ReLU and saturated sigmoid shares each epoch (``"doctor:..."``
            entries of the history); :func:`nnfs.doctor.diagnose` explains
            them.
        check_setup : bool, default=True
            Warn (:class:`~nnfs.exceptions.SetupWarning`) about suspicious
            set-ups before training: see :func:`nnfs.doctor.check_setup`.

        Returns
        -------
        dict of str to ndarray
            ``"loss"``: shape (N_epochs, n_batches), the loss of each batch
            before its update. With test data, ``"test_loss"``: shape
            (N_epochs,); with a validation split, ``"val_loss"``. For each
            metric ``m``: ``m`` of shape (N_epochs,), measured on the training
            batches as they were seen, and ``"test_" + m`` / ``"val_" + m``.

        Raises
        ------
        ValueError, TypeError
            For bad arguments, or a model with no trainable parameters,
            before any weight changes.
        FloatingPointError
            If the loss or a gradient becomes NaN or infinite; the message
            names the epoch, the batch and the first layer whose output was not
            finite, and the weights of the last finite step are kept. (With a
            :class:`~nnfs.callbacks.TerminateOnNaN` callback, fit warns and
            returns instead.)

        Notes
        -----
        Calling ``fit`` again continues training from the current weights and
        optimizer state; the history then describes the new call only.
        """
        self._require("fit", loss=True, optimizer=True)
        where = "Sequential.fit"
        if not any(layer.trainable for layer in self.layers):
            raise ValueError(self._nothing_to_train("fit"))
        N_epochs = check_int(N_epochs, "N_epochs", where)
        batch_size = check_int(batch_size, "batch_size", where, minimum=None)
        if batch_size != -1 and batch_size < 1:
            raise ValueError(
                f"{where}: batch_size must be >= 1, or -1 for the whole set; "
                f"got {batch_size}"
            )
        metrics = self._check_metrics(metrics, where)
        callbacks = self._check_callbacks(callbacks, where)
        show_progress = wants_progress(progress, debug_flag, where)
        validation_split = check_real(
            validation_split,
            "validation_split",
            where,
            low=0.0,
            high=1.0,
            high_open=True,
        )
        check_setup = check_bool(check_setup, "check_setup", where)
        X, y = self._check_data(
            X_inputs, y_outputs, "X_inputs", "y_outputs", where, check_finite=False
        )
        # The finiteness check of X. With the set-up check on, the pass that
        # finds the smallest and largest entries is that check, and the range
        # feeds the scale warning; otherwise one sum of squares (a BLAS call
        # on every core) is cheaper.
        if check_setup:
            value_range = finite_range(X, "X_inputs", where)
        else:
            value_range = None
            check_all_finite(X, "X_inputs", where)
        weights = self._sample_weights(
            X.shape[0], y, sample_weight, class_weight, where
        )
        evaluation_sets = {}
        if X_test_inputs is not None or y_test_outputs is not None:
            if X_test_inputs is None or y_test_outputs is None:
                raise ValueError(
                    f"{where}: pass both X_test_inputs and y_test_outputs, or neither"
                )
            evaluation_sets["test"] = self._check_data(
                X_test_inputs, y_test_outputs, "X_test_inputs", "y_test_outputs", where
            )
        order_source = check_rng(seed, None, where)
        if check_setup:
            doctor._check_setup(self, X, y, value_range)
        if check_bool(diagnostics, "diagnostics", where):
            callbacks = (*callbacks, doctor.TrainingDoctor())
        if validation_data is not None:
            if validation_split:
                raise ValueError(
                    f"{where}: pass validation_split or validation_data, not both"
                )
            if not (
                isinstance(validation_data, tuple | list) and len(validation_data) == 2
            ):
                raise TypeError(
                    f"{where}: validation_data must be a pair (X_val, y_val); got "
                    f"{type(validation_data).__name__}"
                )
            evaluation_sets["val"] = self._check_data(
                *validation_data, "validation_data[0]", "validation_data[1]", where
            )
        if validation_split:
            train, held_out = self._validation_indices(
                y, validation_split, order_source
            )
            evaluation_sets["val"] = (X[held_out], y[held_out])
            X, y = X[train], y[train]
            weights = None if weights is None else weights[train]

        # Targets are checked, and labels one-hot encoded, once for the run
        # rather than once per batch (when the output width is known).
        output_shape = self._output_shapes()[-1]
        trusted = output_shape is not None
        if trusted:
            y = self.loss._check_targets(
                y, (X.shape[0], *output_shape), self.dtype, where, "y_outputs"
            )

        n_samples = X.shape[0]
        if batch_size == -1:
            batch_size = n_samples
        elif batch_size > n_samples:
            warnings.warn(
                f"{where}: batch_size={batch_size} is larger than the "
                f"{n_samples} samples; using {n_samples}",
                NNFSWarning,
                stacklevel=2,
            )
            batch_size = n_samples
        n_batches = -(-n_samples // batch_size)
        starts = range(0, n_samples, batch_size)

        # NaN marks steps never reached, should training stop early.
        history = {"loss": np.full((N_epochs, n_batches), np.nan)}
        for name in metrics:
            history[name] = np.full(N_epochs, np.nan)
        for prefix in evaluation_sets:
            for name in ("loss", *metrics):
                history[f"{prefix}_{name}"] = np.full(N_epochs, np.nan)
        report_every = max(1, N_epochs // 10)
        bar = ProgressBar(N_epochs, n_batches) if show_progress else None
        if bar is not None:
            callbacks = (*callbacks, bar)

        self.metrics = metrics
        self.history = history
        self.stop_training = False
        for layer in self.layers:
            layer.training = True
        for callback in callbacks:
            callback.set_model(self)
            callback.on_train_begin()
        # Divergence is caught by the finiteness checks of every step, which
        # raise a clear error, so NumPy's overflow warnings would only repeat it.
        try:
            with self._reusing_buffers(), np.errstate(over="ignore", invalid="ignore"):
                for epoch in range(N_epochs):
                    for callback in callbacks:
                        callback.on_epoch_begin(epoch)
                    order = order_source.permutation(n_samples) if shuffle else None
                    n_correct = 0
                    diverged = False
                    for batch, start in enumerate(starts):
                        if order is None:
                            index = slice(start, start + batch_size)
                            X_batch, y_batch = X[index], y[index]
                            w_batch = None if weights is None else weights[index]
                        else:
                            index = order[start : start + batch_size]
                            X_batch, y_batch = _rows(X, index), _rows(y, index)
                            w_batch = None if weights is None else _rows(weights, index)
                        for callback in callbacks:
                            callback.on_batch_begin(batch)
                        try:
                            batch_loss = self._train_step(
                                X_batch, y_batch, w_batch, trusted
                            )
                        except FloatingPointError as error:
                            self._stop_on_nonfinite(error, epoch, batch, callbacks)
                            diverged = True
                            break
                        history["loss"][epoch, batch] = batch_loss
                        if metrics:
                            n_correct += self._n_correct(self.loss.y_pred, y_batch)
                        for callback in callbacks:
                            callback.on_batch_end(
                                batch,
                                {
                                    "batch": batch,
                                    "size": len(X_batch),
                                    "loss": batch_loss,
                                },
                            )
                        if self.stop_training:
                            break
                    if diverged:
                        break  # the epoch has no finite summary to report

                    if "accuracy" in metrics:
                        history["accuracy"][epoch] = n_correct / n_samples
                    for prefix, (X_eval, y_eval) in evaluation_sets.items():
                        scores = self.evaluate(X_eval, y_eval, metrics=metrics)
                        for name, value in scores.items():
                            history[f"{prefix}_{name}"][epoch] = value
                    if debug_flag and ((epoch + 1) % report_every == 0 or epoch == 0):
                        line = self._progress_line(history, epoch, N_epochs)
                        if bar is None:
                            print(line)
                        else:
                            bar.write(line)  # above the bar, not through it
                    logs = self._epoch_logs(history, epoch)
                    for callback in callbacks:
                        callback.on_epoch_end(epoch, logs)
                    if self.stop_training:
                        break
        finally:
            for callback in callbacks:
                callback.on_train_end()
        return history

    def _stop_on_nonfinite(self, error, epoch: int, batch: int, callbacks) -> None:
        """Let callbacks see a non-finite loss; raise unless one stops training."""
        where = "Sequential.fit"
        culprit = self._first_nonfinite_layer()
        place = f"; first non-finite output: layer {culprit}" if culprit else ""
        message = (
            f"{where}: training diverged at epoch {epoch + 1}, batch {batch + 1}: "
            f"{error}{place}; the weights of the last finite step were kept "
            "(try a smaller learning rate)"
        )
        for callback in callbacks:
            callback.on_batch_end(batch, {"batch": batch, "loss": float("nan")})
        if not self.stop_training:
            raise FloatingPointError(message) from error
        warnings.warn(message, NNFSWarning, stacklevel=3)

    def _first_nonfinite_layer(self) -> str | None:
        """Name of the first layer whose cached output holds NaN or infinity."""
        for position, layer in enumerate(self.layers):
            if position + 1 < len(self.layers):
                output = getattr(self.layers[position + 1], "X_input", None)
            else:
                output = getattr(self.loss, "y_pred", None)
            if isinstance(output, np.ndarray) and not np.isfinite(output).all():
                return layer.name
        return None

    def _sample_weights(self, n_samples, y, sample_weight, class_weight, where):
        """Per-sample weights from ``sample_weight`` and ``class_weight``, or None."""
        weights = None
        if sample_weight is not None:
            weights = check_sample_weight(sample_weight, n_samples, self.dtype, where)
        if class_weight is None:
            return weights
        labels = to_labels(y)
        classes, counts = np.unique(labels, return_counts=True)
        if isinstance(class_weight, str):
            if class_weight != "balanced":
                raise ValueError(
                    f"{where}: class_weight must be a dict or 'balanced'; "
                    f"got {class_weight!r}"
                )
            table = dict(zip(classes, n_samples / (len(classes) * counts), strict=True))
        elif isinstance(class_weight, dict):
            table = {}
            for label, value in class_weight.items():
                check_int(label, "class_weight key", where, minimum=0)
                table[label] = check_real(
                    value, f"class_weight[{label}]", where, low=0.0
                )
            missing = sorted(set(classes.tolist()) - set(table))
            if missing:
                raise ValueError(
                    f"{where}: class_weight has no weight for class(es) {missing}; "
                    f"expected a weight for every class in {classes.tolist()}"
                )
        else:
            raise TypeError(
                f"{where}: class_weight must be a dict or 'balanced'; got "
                f"{type(class_weight).__name__}"
            )
        per_class = np.array([table[label] for label in labels.tolist()], self.dtype)
        return per_class if weights is None else weights * per_class

    def _validation_indices(self, y, fraction: float, order_source):
        """Training and held-out indices: shuffled, stratified for classification.

        Each class gives round(fraction * its count) samples, at least one
        overall, so every class seen in training is also represented in
        validation whenever it has enough samples.
        """
        n_samples = y.shape[0]
        order = order_source.permutation(n_samples)
        if isinstance(self.loss, BCE | CCE):
            labels = to_labels(y)[order]
            held_out = []
            for label in np.unique(labels):
                members = order[labels == label]
                held_out.append(members[: int(round(fraction * members.size))])
            held_out = np.concatenate(held_out)
        else:
            held_out = order[: int(round(fraction * n_samples))]
        if held_out.size == 0 or held_out.size == n_samples:
            raise ValueError(
                f"Sequential.fit: validation_split={fraction} leaves "
                f"{n_samples - held_out.size} training and {held_out.size} "
                "validation samples; both need at least one"
            )
        mask = np.ones(n_samples, dtype=bool)
        mask[held_out] = False
        return np.flatnonzero(mask), np.sort(held_out)

    @staticmethod
    def _epoch_logs(history: dict[str, np.ndarray], epoch: int) -> dict[str, float]:
        """One epoch's entries of the history; "loss" is the mean batch loss."""
        logs = {"loss": float(np.mean(history["loss"][epoch]))}
        for key, values in history.items():
            if key != "loss":
                logs[key] = float(values[epoch])
        return logs

    @contextmanager
    def _reusing_buffers(self) -> Iterator[None]:
        """Let layers reuse their scratch arrays from step to step.

        Training allocates the same arrays at every step; reusing them saves
        the allocation and, for large arrays, the page faults of fresh memory.
        Outside this block every result is a fresh array the caller may keep.
        """
        for layer in self.layers:
            layer._buffers = {}
        try:
            yield
        finally:
            for layer in self.layers:
                layer._buffers = None

    def _progress_line(self, history, epoch: int, N_epochs: int) -> str:
        width = len(str(N_epochs))
        parts = [f"epoch {epoch + 1:>{width}}/{N_epochs}"]
        parts.append(f"loss {history['loss'][epoch].mean():.6g}")
        for key, values in history.items():
            if key != "loss":
                parts.append(f"{key} {values[epoch]:.6g}")
        return ", ".join(parts)

    # ------------------------------------------------------------------
    # Inference

    def predict(self, X_inputs: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        """Model output for every sample, computed in batches.

        Parameters
        ----------
        X_inputs : array-like of shape (n_samples, n_features)
        batch_size : int, default=1024
            Samples per forward pass; bounds the memory used. The result does
            not depend on it.

        Returns
        -------
        ndarray of shape (n_samples, n_outputs)
            In the model dtype.
        """
        self._require("predict")
        where = "Sequential.predict"
        batch_size = check_int(batch_size, "batch_size", where)
        X = self._check_inputs(X_inputs, "X_inputs", where)
        return self._predict(X, batch_size)

    def _predict(self, X: np.ndarray, batch_size: int) -> np.ndarray:
        """:meth:`predict` of inputs already checked."""
        n_samples = X.shape[0]
        outputs = None
        with self._inference_mode():
            for start in range(0, n_samples, batch_size):
                batch_output = self.forward(X[start : start + batch_size])
                if outputs is None:
                    shape = (n_samples, *batch_output.shape[1:])
                    outputs = np.empty(shape, dtype=batch_output.dtype)
                # A copy, never a layer's buffer: the caller owns the result.
                outputs[start : start + batch_size] = batch_output
        return outputs

    @contextmanager
    def _inference_mode(self) -> Iterator[None]:
        """Set every layer's ``training`` flag to False, then restore it."""
        previous = [layer.training for layer in self.layers]
        for layer in self.layers:
            layer.training = False
        try:
            yield
        finally:
            for layer, flag in zip(self.layers, previous, strict=True):
                layer.training = flag

    def evaluate(
        self,
        X_inputs: np.ndarray,
        y_true: np.ndarray,
        batch_size: int = 1024,
        *,
        metrics: tuple[str, ...] | list[str] | None = None,
    ) -> dict[str, float]:
        """Loss and metrics of the model on a data set, without training.

        Parameters
        ----------
        X_inputs : array-like of shape (n_samples, n_features)
        y_true : array-like of shape (n_samples, n_outputs) or (n_samples,)
        batch_size : int, default=1024
            Batch size of the forward passes.
        metrics : sequence of str, optional
            Defaults to the metrics of the last :meth:`fit`.

        Returns
        -------
        dict of str to float
            ``"loss"`` and one entry per metric.
        """
        self._require("evaluate", loss=True)
        where = "Sequential.evaluate"
        metrics = (
            self.metrics if metrics is None else self._check_metrics(metrics, where)
        )
        batch_size = check_int(batch_size, "batch_size", where)
        X, y = self._check_data(X_inputs, y_true, "X_inputs", "y_true", where)
        y_pred = self._predict(X, batch_size)
        # The same objective fit minimises: data loss plus weight penalties.
        penalty = sum(layer.penalty() for layer in self.layers)
        scores = {"loss": self.loss.forward(y_pred, y) + penalty}
        if "accuracy" in metrics:
            scores["accuracy"] = self._n_correct(y_pred, y) / X.shape[0]
        return scores

    def _n_correct(self, y_pred: np.ndarray, y_true: np.ndarray) -> int:
        """Count of rows whose predicted class is the true class."""
        if y_pred.shape[1] > 1:
            predicted = y_pred.argmax(axis=1)
        else:
            # One output column holds a score: a probability, or a logit.
            threshold = 0.0 if getattr(self.loss, "from_logits", False) else 0.5
            predicted = (y_pred[:, 0] >= threshold).astype(np.intp)
        return int(np.count_nonzero(predicted == to_labels(y_true)))

    # ------------------------------------------------------------------
    # Validation helpers

    def _require(self, method: str, *, loss=False, optimizer=False) -> None:
        if not self.layers:
            raise RuntimeError(
                f"Sequential.{method}: the model has no layers; pass them to "
                "Sequential([...]) or call add()"
            )
        if loss and self.loss is None:
            raise RuntimeError(f"Sequential.{method}: the model has no loss")
        if optimizer and self.optimizer is None:
            raise RuntimeError(f"Sequential.{method}: the model has no optimizer")

    def _check_inputs(
        self, X, name: str, where: str, check_finite: bool = True
    ) -> np.ndarray:
        if hasattr(self.layers[0], "input_shape"):
            return self._check_sample_inputs(X, name, where, check_finite)
        X = as_float_array(X, name, where, dtype=self.dtype, check_finite=check_finite)
        expected = getattr(self.layers[0], "input_size", None)
        if expected is not None and X.shape[1] != expected:
            raise ValueError(
                f"{where}: {name} must have {expected} features for layer "
                f"{self.layers[0].name}; got shape {X.shape}"
            )
        return X

    def _check_sample_inputs(
        self, X, name: str, where: str, check_finite: bool = True
    ) -> np.ndarray:
        """_check_inputs for a first layer that takes samples of any rank
        (convolutions, pooling, Flatten): their shape must be the one the layer
        declares as ``input_shape``, when it declares one."""
        X = as_float_array(
            X, name, where, dtype=self.dtype, ndim=None, check_finite=check_finite
        )
        first = self.layers[0]
        declared = first.input_shape
        if declared is not None and X.shape[1:] != tuple(declared):
            raise ValueError(
                f"{where}: {name} must have shape (n_samples, "
                f"{', '.join(map(str, declared))}) for layer {first.name}; got "
                f"shape {X.shape}"
            )
        if X.ndim < 2:
            raise ValueError(
                f"{where}: {name} must have a sample axis and at least one more; "
                f"got shape {X.shape}"
            )
        return X

    def _check_data(
        self, X, y, x_name: str, y_name: str, where: str, check_finite: bool = True
    ):
        """Check inputs and targets together; ``check_finite=False`` leaves
        the finiteness of ``X`` (only) to the caller."""
        X = self._check_inputs(X, x_name, where, check_finite)
        y = as_float_array(y, y_name, where, dtype=self.dtype, ndim=None)
        if y.ndim not in (1, 2):
            raise ValueError(
                f"{where}: {y_name} must be 1-D or 2-D; got shape {y.shape}"
            )
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"{where}: {x_name} has {X.shape[0]} samples but {y_name} has "
                f"{y.shape[0]}; they must have the same length"
            )
        return X, y

    @staticmethod
    def _check_callbacks(callbacks, where: str) -> tuple[Callback, ...]:
        if isinstance(callbacks, Callback):
            callbacks = (callbacks,)
        if not isinstance(callbacks, list | tuple):
            raise TypeError(
                f"{where}: callbacks must be a list of Callback objects; got "
                f"{type(callbacks).__name__}"
            )
        for position, callback in enumerate(callbacks):
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"{where}: callbacks[{position}] must be an nnfs Callback; "
                    f"got {type(callback).__name__}"
                )
        return tuple(callbacks)

    @staticmethod
    def _check_metrics(metrics, where: str) -> tuple[str, ...]:
        if isinstance(metrics, str):
            metrics = (metrics,)
        metrics = tuple(metrics)
        for name in metrics:
            if name not in _METRICS:
                raise ValueError(
                    f"{where}: unknown metric {name!r}; supported: {_METRICS}"
                )
        return metrics

    # ------------------------------------------------------------------
    # Description

    def summary(self) -> None:
        """Print a table of layers, output shapes and parameter counts."""
        self._require("summary")
        rows = [("Layer", "Type", "Output shape", "Params")]
        for layer, shape in zip(self.layers, self._output_shapes(), strict=True):
            shown = "(n, " + ", ".join(map(str, shape)) + ")" if shape else "?"
            rows.append(
                (layer.name, type(layer).__name__, shown, f"{layer.n_params:,}")
            )
        total = sum(layer.n_params for layer in self.layers)
        widths = [max(len(row[col]) for row in rows) for col in range(4)]
        rule = "-" * (sum(widths) + 6)

        def line(row):
            cells = [
                cell.ljust(width)
                for cell, width in zip(row[:3], widths[:3], strict=True)
            ]
            return "  ".join([*cells, row[3].rjust(widths[3])])

        print(line(rows[0]))
        print(rule)
        for row in rows[1:]:
            print(line(row))
        print(rule)
        print(f"Total parameters: {total:,} ({self.dtype.name})")

    def save(self, path) -> None:
        """Save the model to one file; :func:`nnfs.load_model` reads it back.

        The file holds the layers with their weights, the loss, the optimizer
        with its state, the history and the metrics, and loading it can never
        run code. See :func:`nnfs.io.save_model` for the details.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write (suggested extension ``.nnfs``); an existing file
            is replaced in one step.

        Examples
        --------
        >>> import os, tempfile
        >>> import numpy as np
        >>> from nnfs import load_model
        >>> from nnfs.layers import Dense
        >>> model = Sequential([Dense(2, 1, seed=0)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.nnfs")
        ...     model.save(path)
        ...     loaded = load_model(path)
        >>> bool(np.array_equal(loaded.layers[0].W, model.layers[0].W))
        True
        """
        from nnfs.io import save_model  # nnfs.io imports this module

        save_model(self, path)

    def __repr__(self) -> str:
        inner = ",\n".join(f"    {layer!r}" for layer in self.layers)
        return (
            f"Sequential([\n{inner}\n], loss={self.loss!r}, "
            f"optimizer={self.optimizer!r})"
        )
