"""Loss functions: a scalar from predictions and targets, and its gradient.

A loss works like a layer without parameters: ``forward(y_pred, y_true)``
returns the loss as a float and caches what ``backward`` needs; ``backward()``
returns dL/dy_pred with the shape of ``y_pred``. A model owns exactly one loss,
handed to it directly rather than placed in the list of layers.

Reductions: MSE, MAE, Huber and BCE average over every element of ``y_pred``
(n_samples * n_outputs); CCE sums over classes and averages over samples.
``backward`` is always the gradient of the value ``forward`` returned, with that
same normalisation.
"""

import functools
from abc import ABC, abstractmethod

import numpy as np

from nnfs._validation import (
    as_float_array,
    check_bool,
    check_real,
    check_sample_weight,
)
from nnfs.activations import Sigmoid, Softmax, _row_max, _row_sum, _sigmoid

__all__ = ["BCE", "CCE", "Loss", "MAE", "MSE", "Huber"]


class Loss(ABC):
    """Template for loss functions.

    Loss functions are conceptually equivalent to layers, in that they
    implement forward and backward passes. However, only one loss object per
    model is allowed, which is provided directly to the model instead of to
    the list of layers. Loss objects have no trainable parameters.

    Attributes
    ----------
    y_pred, y_true : ndarray or None
        Arrays cached by the last ``forward``, both of shape
        (n_samples, n_outputs) (CCE keeps integer labels one-hot encoded).
    sample_weight : ndarray of shape (n_samples,) or None
        Weights cached by the last ``forward``.
    fused_activation : type or None
        The output activation whose backward this loss can absorb. When a
        model ends in that activation, training uses :meth:`fused_backward`,
        the gradient with respect to the activation's input, which stays
        exact where a probability underflows to 0.

    Notes
    -----
    With sample weights ``w``, every loss becomes ``(1/n) sum_i w_i l_i``,
    where ``l_i`` is the loss of sample ``i`` (its mean over outputs for MSE,
    MAE, Huber and BCE; its sum over classes for CCE), and each row of the
    gradient is scaled by its ``w_i``. Weights of 1 give the plain loss.

    Examples
    --------
    Every loss is used the same way: ``forward`` gives the value, then
    ``backward`` its gradient with respect to ``y_pred``.

    >>> import numpy as np
    >>> loss = MSE()
    >>> loss.forward(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    2.5
    >>> loss.backward()  # 2 (y_pred - y_true) / 2
    array([[1.],
           [2.]])
    >>> loss.forward(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]),
    ...              sample_weight=np.array([1.0, 0.0]))  # (1 * 1 + 0 * 4) / 2
    0.5
    """

    fused_activation: type | None = None

    def __init__(self) -> None:
        self.y_pred: np.ndarray | None = None
        self.y_true: np.ndarray | None = None
        self.sample_weight: np.ndarray | None = None

    def forward(
        self,
        y_pred: np.ndarray,
        y_true: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> float:
        """Computes the forward pass of the loss function.

        The method stores y_pred and y_true as instance attributes for later
        use by the backward pass.

        Parameters
        ----------
        y_pred : ndarray of shape (n_samples, n_outputs)
            Predictions produced by the model.
        y_true : ndarray of shape (n_samples, n_outputs)
            Ground-truth values for the prediction task.
        sample_weight : ndarray of shape (n_samples,), optional
            Non-negative weight of each sample (see Notes of :class:`Loss`).

        Returns
        -------
        float
            The computed loss value, evaluated in the dtype of ``y_pred``.

        Raises
        ------
        ValueError
            If the shapes differ, a batch is empty, or a value is NaN or
            infinite (and for the losses that need it, out of range).
        TypeError
            If an argument does not hold numbers.
        """
        where = f"{type(self).__name__}.forward"
        y_pred = as_float_array(y_pred, "y_pred", where)
        self._check_predictions(y_pred, where)
        y_true = self._check_targets(y_true, y_pred.shape, y_pred.dtype, where)
        if sample_weight is not None:
            sample_weight = check_sample_weight(
                sample_weight, y_pred.shape[0], y_pred.dtype, where
            )
        return self._evaluate(y_pred, y_true, sample_weight)

    def _evaluate(
        self,
        y_pred: np.ndarray,
        y_true: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> float:
        """Cache the arrays and compute the loss, trusting all three.

        ``forward`` calls this after its checks; a model's training loop
        calls it directly with targets checked once per ``fit``.
        """
        self.y_pred, self.y_true = y_pred, y_true
        self.sample_weight = sample_weight
        losses = self._sample_losses(y_pred, y_true)
        if sample_weight is not None:
            losses = losses * sample_weight
        # The mean as NumPy's ``mean`` computes it (a float sum divided by the
        # count), without that method's Python-level set-up.
        return float(np.add.reduce(losses, axis=None) / losses.dtype.type(losses.size))

    def backward(self) -> np.ndarray:
        """Computes the backward pass of the loss function.

        Requires the cached values stored by the forward() method.

        Returns
        -------
        ndarray of shape (n_samples, n_outputs)
            The computed dL_d_ypred gradients.
        """
        self._require_forward("backward")
        return self._weighted(self._backward(self.y_pred, self.y_true))

    def fused_backward(self) -> np.ndarray:
        """Gradient with respect to the input of ``fused_activation``.

        Valid only when ``y_pred`` was produced by ``fused_activation``.

        Returns
        -------
        ndarray of shape (n_samples, n_outputs)
            ``(y_pred - y_true) / N`` with the loss's own normaliser ``N``.
        """
        if self.fused_activation is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no fused activation gradient"
            )
        self._require_forward("fused_backward")
        return self._weighted(self._fused_backward(self.y_pred, self.y_true))

    def _weighted(self, grad: np.ndarray) -> np.ndarray:
        """Scale each row of a fresh gradient by its sample weight."""
        if self.sample_weight is not None:
            grad *= self.sample_weight[:, np.newaxis]
        return grad

    def _check_predictions(self, y_pred: np.ndarray, where: str) -> None:
        """Check what only some losses need of ``y_pred`` (a value range)."""
        return

    def _check_targets(
        self, y_true, shape: tuple, dtype, where: str, name: str = "y_true"
    ) -> np.ndarray:
        """Return ``y_true`` ready for the loss: in ``dtype``, of ``shape``.

        ``shape`` and ``dtype`` are those of the predictions; ``name`` is the
        argument as the caller knows it.
        """
        y_true = as_float_array(y_true, name, where, dtype=dtype, ndim=None)
        if y_true.shape != shape:
            if y_true.ndim >= 1 and y_true.shape[0] != shape[0]:
                detail = (
                    f"{name} has {y_true.shape[0]} samples but y_pred has {shape[0]}"
                )
            else:
                detail = "shapes must match exactly"
            raise ValueError(
                f"{where}: {name} has shape {y_true.shape} but y_pred has shape "
                f"{shape}; {detail}"
            )
        return y_true

    def _require_forward(self, method: str) -> None:
        if self.y_pred is None:
            raise RuntimeError(
                f"{type(self).__name__}.{method}: forward must run first"
            )

    @abstractmethod
    def _sample_losses(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Loss of each sample, shape (n_samples,); their mean is the loss."""

    @abstractmethod
    def _backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Unweighted dL/dy_pred, shape of ``y_pred``."""

    def _fused_backward(self, y_pred, y_true) -> np.ndarray:
        return (y_pred - y_true) / y_pred.dtype.type(y_pred.size)

    def get_config(self) -> dict:
        """Constructor arguments that rebuild the loss."""
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSE(Loss):
    r"""Mean squared error over every element.

    ``L = mean((y_pred - y_true)**2)``, the mean taken over all
    n_samples * n_outputs elements.

    Notes
    -----
    dL/dy_pred = 2 (y_pred - y_true) / (n_samples * n_outputs).

    Examples
    --------
    >>> import numpy as np
    >>> MSE().forward(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    2.5
    """

    def _sample_losses(self, y_pred, y_true):
        diff = _residual(y_pred, y_true)
        with np.errstate(over="ignore"):  # a square past the float range is inf
            return (diff * diff).mean(axis=1)

    def _backward(self, y_pred, y_true):
        return _residual(y_pred, y_true) * y_pred.dtype.type(2.0 / y_pred.size)


class MAE(Loss):
    """Mean absolute error over every element.

    ``L = mean(|y_pred - y_true|)``.

    Notes
    -----
    dL/dy_pred = sign(y_pred - y_true) / (n_samples * n_outputs), with the
    subgradient 0 where the prediction equals the target.

    Examples
    --------
    >>> import numpy as np
    >>> MAE().forward(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    1.5
    """

    def _sample_losses(self, y_pred, y_true):
        return np.abs(_residual(y_pred, y_true)).mean(axis=1)

    def _backward(self, y_pred, y_true):
        return np.sign(_residual(y_pred, y_true)) / y_pred.dtype.type(y_pred.size)


class Huber(Loss):
    """Huber loss: squared near the target, linear far from it.

    Parameters
    ----------
    delta : float, default=1.0
        Residual size where the quadratic part hands over to the linear
        part; must be > 0.

    Notes
    -----
    With ``r = y_pred - y_true`` per element::

        l(r) = 0.5 r**2                   if |r| <= delta
        l(r) = delta (|r| - 0.5 delta)    otherwise

    ``L = mean(l(r))`` and dL/dy_pred = clip(r, -delta, delta) / (n_samples *
    n_outputs).

    Examples
    --------
    >>> import numpy as np
    >>> Huber(delta=1.0).forward(np.array([[0.5], [3.0]]), np.zeros((2, 1)))
    1.3125
    """

    def __init__(self, delta: float = 1.0) -> None:
        super().__init__()
        self.delta = check_real(delta, "delta", "Huber", low=0.0, low_open=True)

    def _sample_losses(self, y_pred, y_true):
        delta = y_pred.dtype.type(self.delta)
        abs_r = np.abs(_residual(y_pred, y_true))
        quadratic = np.minimum(abs_r, delta)
        # |r| = q + l with q <= delta: 0.5 q**2 + delta * l equals both branches.
        return (0.5 * quadratic * quadratic + delta * (abs_r - quadratic)).mean(axis=1)

    def _backward(self, y_pred, y_true):
        delta = y_pred.dtype.type(self.delta)
        return np.clip(_residual(y_pred, y_true), -delta, delta) / y_pred.dtype.type(
            y_pred.size
        )

    def get_config(self) -> dict:
        return {"delta": self.delta}

    def __repr__(self) -> str:
        return f"Huber(delta={self.delta})"


def _residual(y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
    """``y_pred - y_true``; a difference past the float range is +-inf, silently.

    Inputs are finite (checked in ``forward``), so an infinite residual is the
    true value rounded, not an error; the training loop stops on it.
    """
    with np.errstate(over="ignore"):
        return y_pred - y_true


@functools.cache
def _clip_bounds(dtype: np.dtype) -> tuple[np.floating, np.floating]:
    """Clip bounds ``(eps, 1 - eps)`` with eps the dtype's machine epsilon.

    Both bounds are exactly representable: 1.19e-7 and 1 - 1.19e-7 in
    float32, 2.2e-16 and 1 - 2.2e-16 in float64.
    """
    eps = np.finfo(dtype).eps
    return eps, dtype.type(1.0) - eps


def _clipped(y_pred: np.ndarray) -> np.ndarray:
    """A fresh copy of ``y_pred`` clipped to ``_clip_bounds``.

    ``np.clip`` gives the same result through several Python-level calls,
    which cost more than the clipping itself on a batch of class scores.

    >>> _clipped(np.array([0.0, 0.5, 1.0], dtype=np.float32))  # eps = 2**-23
    array([1.1920929e-07, 5.0000000e-01, 9.9999988e-01], dtype=float32)
    """
    low, high = _clip_bounds(y_pred.dtype)
    clipped = np.maximum(y_pred, low)
    return np.minimum(clipped, high, out=clipped)


class BCE(Loss):
    """Binary cross-entropy, averaged over every element.

    ``L = -mean(y log(p) + (1 - y) log(1 - p))``.

    Parameters
    ----------
    from_logits : bool, default=False
        If False, ``y_pred`` holds probabilities in [0, 1], clipped to
        ``[eps, 1 - eps]`` with eps the machine epsilon of their dtype. If
        True, ``y_pred`` holds logits ``z`` and the loss is computed stably as
        ``max(z, 0) - z y + log(1 + exp(-|z|))``.

    Notes
    -----
    With N = n_samples * n_outputs:

    - probabilities: dL/dp = (p - y) / (p (1 - p)) / N. Where p was clipped the
      gradient is taken at the clip bound, so a confident mistake still gets
      a finite push instead of a flat zero.
    - logits: dL/dz = (sigmoid(z) - y) / N.
    - after a Sigmoid layer in a model, training uses the fused
      (p - y) / N directly.

    Targets must lie in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> round(BCE().forward(np.array([[0.5], [0.9]]), np.array([[1.0], [1.0]])), 6)
    0.399254
    """

    def __init__(self, from_logits: bool = False) -> None:
        super().__init__()
        self.from_logits = check_bool(from_logits, "from_logits", "BCE")

    @property
    def fused_activation(self):
        """:class:`~nnfs.activations.Sigmoid`, or None with ``from_logits``."""
        return None if self.from_logits else Sigmoid

    def _check_predictions(self, y_pred, where):
        _check_probabilities(self, y_pred, where)

    def _check_targets(self, y_true, shape, dtype, where, name="y_true"):
        y_true = super()._check_targets(y_true, shape, dtype, where, name)
        if y_true.min() < 0 or y_true.max() > 1:
            raise ValueError(
                f"{where}: {name} must lie in [0, 1]; got values from "
                f"{y_true.min()} to {y_true.max()}"
            )
        return y_true

    def _sample_losses(self, y_pred, y_true):
        if self.from_logits:
            z = y_pred
            terms = np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
            return terms.mean(axis=1)
        p = _clipped(y_pred)
        return -(y_true * np.log(p) + (1 - y_true) * np.log1p(-p)).mean(axis=1)

    def _backward(self, y_pred, y_true):
        n = y_pred.dtype.type(y_pred.size)
        if self.from_logits:
            return (_sigmoid(y_pred) - y_true) / n
        p = _clipped(y_pred)
        return (p - y_true) / (p * (1 - p)) / n

    def get_config(self) -> dict:
        return {"from_logits": self.from_logits}

    def __repr__(self) -> str:
        return f"BCE(from_logits={self.from_logits})"


class CCE(Loss):
    """Categorical cross-entropy, summed over classes and averaged over samples.

    ``L = -(1/n) sum_i sum_k y_ik log(p_ik)``. Typically placed after a Softmax.

    Parameters
    ----------
    from_logits : bool, default=False
        If False, ``y_pred`` holds probabilities, clipped to ``[eps, 1 - eps]``
        with eps the machine epsilon of their dtype. If True, ``y_pred`` holds
        logits and the loss uses the stable log-softmax
        ``z - max(z) - log(sum(exp(z - max(z))))``.

    Notes
    -----
    ``y_true`` is either one-hot (or soft) targets of the same shape as
    ``y_pred`` with values in [0, 1], or integer class labels of shape (n,) or
    (n, 1) with values in [0, n_classes).

    - probabilities: dL/dp = -y / p / n, taken at the clip bound where p was
      clipped.
    - logits: dL/dz = (softmax(z) s - y) / n with s the row sum of y (s = 1
      for one-hot rows, giving the familiar (p - y) / n).
    - after a Softmax layer in a model, training uses that same fused
      gradient with p the Softmax output.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    >>> round(CCE().forward(p, np.array([0, 2])), 6)  # -(ln 0.7 + ln 0.8) / 2
    0.289909
    """

    def __init__(self, from_logits: bool = False) -> None:
        super().__init__()
        self.from_logits = check_bool(from_logits, "from_logits", "CCE")

    @property
    def fused_activation(self):
        """:class:`~nnfs.activations.Softmax`, or None with ``from_logits``."""
        return None if self.from_logits else Softmax

    def _check_predictions(self, y_pred, where):
        _check_probabilities(self, y_pred, where)

    def _check_targets(self, y_true, shape, dtype, where, name="y_true"):
        n_samples, n_classes = shape
        labels = as_float_array(y_true, name, where, ndim=None)
        if labels.shape in ((n_samples,), (n_samples, 1)) and n_classes > 1:
            return self._labels_to_onehot(labels.reshape(-1), shape, dtype, where, name)

        y_true = super()._check_targets(y_true, shape, dtype, where, name)
        if y_true.min() < 0 or y_true.max() > 1:
            raise ValueError(
                f"{where}: one-hot {name} must lie in [0, 1]; got values from "
                f"{y_true.min()} to {y_true.max()}"
            )
        return y_true

    @staticmethod
    def _labels_to_onehot(labels, shape, dtype, where, name):
        n_classes = shape[1]
        bad = (labels != np.round(labels)) | (labels < 0) | (labels >= n_classes)
        if bad.any():
            first = labels[np.argmax(bad)]
            raise ValueError(
                f"{where}: integer labels in {name} must be in [0, {n_classes}) "
                f"for {n_classes} classes; got label {first:g}"
            )
        onehot = np.zeros(shape, dtype=dtype)
        onehot[np.arange(labels.size), labels.astype(np.intp)] = 1
        return onehot

    def _sample_losses(self, y_pred, y_true):
        if self.from_logits:
            log_p = _log_softmax(y_pred)
        else:
            log_p = np.log(_clipped(y_pred))
        # -sum_j y_ij log p_ij, row by row, as one product and one reduction.
        return -np.einsum("ij,ij->i", y_true, log_p)

    def _backward(self, y_pred, y_true):
        if self.from_logits:
            return self._fused_backward(np.exp(_log_softmax(y_pred)), y_true)
        n = y_pred.dtype.type(y_pred.shape[0])
        return -y_true / _clipped(y_pred) / n

    def _fused_backward(self, y_pred, y_true):
        # d/dz of -sum(y * log softmax(z)) is softmax(z) * sum(y) - y, which
        # is the familiar p - y when each target row sums to 1.
        grad = y_pred * _row_sum(y_true)
        grad -= y_true
        grad /= y_pred.dtype.type(y_pred.shape[0])
        return grad

    def get_config(self) -> dict:
        return {"from_logits": self.from_logits}

    def __repr__(self) -> str:
        return f"CCE(from_logits={self.from_logits})"


def _check_probabilities(loss: BCE | CCE, y_pred: np.ndarray, where: str) -> None:
    """Refuse predictions outside [0, 1] unless the loss takes logits."""
    if not loss.from_logits and (y_pred.min() < 0 or y_pred.max() > 1):
        raise ValueError(
            f"{where}: y_pred must be probabilities in [0, 1]; got values "
            f"from {y_pred.min()} to {y_pred.max()}; for raw scores use "
            f"{type(loss).__name__}(from_logits=True)"
        )


def _log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, exact for logits of any size."""
    shifted = z - _row_max(z)
    return shifted - np.log(_row_sum(np.exp(shifted)))
