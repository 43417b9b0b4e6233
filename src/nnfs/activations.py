"""Element-wise and row-wise activation functions.

Each activation is a parameter-free layer: ``forward`` applies the function and
caches what the derivative needs; ``backward`` multiplies the upstream gradient
by that derivative (for Softmax, by the Jacobian of each row).
Activations keep the dtype of their input and accept any number of dimensions
(Softmax normalises over the last axis).
"""

import functools

import numpy as np

from nnfs._validation import as_float_array, check_real
from nnfs.layers import BaseLayer

__all__ = [
    "BaseActivation",
    "ELU",
    "GELU",
    "LeakyReLU",
    "Linear",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]

_BOOL = np.dtype(np.bool_)


@functools.lru_cache(maxsize=16)
def _sample_zeros(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A read-only array of zeros of one sample's ``shape``, kept per shape.

    >>> _sample_zeros((3,), np.dtype(np.float32))
    array([0., 0., 0.], dtype=float32)
    """
    zeros = np.zeros(shape, dtype=dtype)
    zeros.flags.writeable = False
    return zeros


class BaseActivation(BaseLayer):
    """Template for activations: a layer without parameters.

    Subclasses implement ``_forward(X)`` (the function) and
    ``_backward(grad)`` (the chain rule, using ``self.X_input`` or
    ``self.output`` cached by ``forward``).

    Attributes
    ----------
    init_hint : {"he", "glorot"}
        Weight initialisation that suits a Dense layer placed before this
        activation: He for the ReLU family, Glorot for saturating functions.

    Examples
    --------
    The softsign ``x / (1 + |x|)``, whose derivative is ``1 / (1 + |x|)**2``:

    >>> import numpy as np
    >>> class Softsign(BaseActivation):
    ...     layer_name = "softsign"
    ...     def _forward(self, X, out):
    ...         return np.divide(X, 1 + np.abs(X), out=out)
    ...     def _backward(self, grad, out):
    ...         return np.multiply(grad, 1 / (1 + np.abs(self.X_input)) ** 2, out=out)
    >>> Softsign().forward(np.array([[-3.0, 0.0, 1.0]]))
    array([[-0.75,  0.  ,  0.5 ]])
    >>> from nnfs import check_gradients
    >>> X = np.random.default_rng(0).normal(size=(4, 3))
    >>> check_gradients(Softsign(), X, verbose=False).passed
    True
    """

    init_hint = "glorot"

    def __init__(self) -> None:
        super().__init__()
        self.X_input: np.ndarray | None = None
        self.output: np.ndarray | None = None

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = X_input
        if not (isinstance(X, np.ndarray) and X.dtype.kind == "f"):
            X = as_float_array(
                X, "X_input", self._where("forward"), ndim=None, check_finite=False
            )

        self.X_input = X
        self.output = self._forward(X, self._buffer("output", X.shape, X.dtype))
        return self.output

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        output = self._forward_cache("output")
        grad = self._check_grad(grad_next, output.shape, dtype=output.dtype)
        return self._backward(grad, self._buffer("grad_input", grad.shape, grad.dtype))

    def _forward(self, X: np.ndarray, out: np.ndarray | None) -> np.ndarray:
        """The function itself; may write into ``out`` when it is given."""
        raise NotImplementedError

    def _backward(self, grad: np.ndarray, out: np.ndarray | None) -> np.ndarray:
        """The chain rule; may write into ``out`` when it is given."""
        raise NotImplementedError


def _sigmoid(X: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Logistic function without overflow: exp only ever sees -|x|.

    With e = exp(-|x|): 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0.
    """
    e = np.exp(-np.abs(X))
    numerator = np.where(X >= 0, X.dtype.type(1), e)
    e += 1
    return np.divide(numerator, e, out=out)


class Sigmoid(BaseActivation):
    """Logistic sigmoid, ``s(x) = 1 / (1 + exp(-x))``.

    Notes
    -----
    ds/dx = s(x) * (1 - s(x)). Computed from exp(-|x|), so inputs of any size
    give exact 0 or 1 without an overflow warning.

    Examples
    --------
    >>> import numpy as np
    >>> Sigmoid().forward(np.array([[0.0, 1000.0, -1000.0]]))
    array([[0.5, 1. , 0. ]])
    """

    layer_name = "sigmoid"

    def _forward(self, X, out):
        return _sigmoid(X, out)

    def _backward(self, grad, out):
        s = self.output
        return np.multiply(grad, s * (1 - s), out=out)


class Tanh(BaseActivation):
    """Hyperbolic tangent.

    Notes
    -----
    d tanh(x)/dx = 1 - tanh(x)**2.

    Examples
    --------
    >>> import numpy as np
    >>> Tanh().forward(np.array([[0.0, 1e4]]))
    array([[0., 1.]])
    """

    layer_name = "tanh"

    def _forward(self, X, out):
        return np.tanh(X, out=out)

    def _backward(self, grad, out):
        t = self.output
        return np.multiply(grad, 1 - t * t, out=out)


class ReLU(BaseActivation):
    """Rectified linear unit, ``max(0, x)``.

    Notes
    -----
    The derivative is 1 for x > 0 and 0 for x <= 0 (the subgradient 0 is used
    at the kink).

    Examples
    --------
    >>> import numpy as np
    >>> ReLU().forward(np.array([[-2.0, 0.0, 3.0]]))
    array([[0., 0., 3.]])
    """

    layer_name = "relu"
    init_hint = "he"

    def _forward(self, X, out):
        # NumPy's maximum has a fast loop for two arrays and a slow one for an
        # array and a scalar (about 3x); the zeros of one sample, broadcast
        # over the batch, take the fast loop for a few kilobytes.
        return np.maximum(X, _sample_zeros(X.shape[1:], X.dtype), out=out)

    def _backward(self, grad, out):
        # The comparison is fast against the scalar 0 (unlike maximum); while
        # training its mask goes into a kept array instead of a fresh one.
        X = self.X_input
        mask = np.greater(X, 0, out=self._buffer("mask", X.shape, _BOOL))
        return np.multiply(grad, mask, out=out)


class LeakyReLU(BaseActivation):
    """Leaky ReLU, ``x`` for x > 0 and ``alpha * x`` otherwise.

    Parameters
    ----------
    alpha : float, default=0.01
        Slope for negative inputs, in [0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> LeakyReLU(alpha=0.1).forward(np.array([[-2.0, 3.0]]))
    array([[-0.2,  3. ]])
    """

    layer_name = "leaky_relu"
    init_hint = "he"

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = check_real(
            alpha, "alpha", "LeakyReLU", low=0.0, high=1.0, high_open=True
        )

    def _forward(self, X, out):
        return np.multiply(X, self._slope(X), out=out)

    def _backward(self, grad, out):
        return np.multiply(grad, self._slope(self.X_input), out=out)

    def _slope(self, X):
        return np.where(X > 0, X.dtype.type(1), X.dtype.type(self.alpha))

    def get_config(self) -> dict:
        return {"alpha": self.alpha}

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class ELU(BaseActivation):
    """Exponential linear unit, ``x`` for x > 0, ``alpha * (exp(x) - 1)`` otherwise.

    Parameters
    ----------
    alpha : float, default=1.0
        Value approached for large negative inputs is ``-alpha``; must be > 0.

    Notes
    -----
    The derivative is 1 for x > 0 and ``alpha * exp(x) = output + alpha``
    otherwise. ``expm1`` of ``min(x, 0)`` keeps large positive inputs from
    overflowing in the branch that ``where`` discards.

    Examples
    --------
    >>> import numpy as np
    >>> ELU().forward(np.array([[0.0, 2.0]]))
    array([[0., 2.]])
    """

    layer_name = "elu"
    init_hint = "he"

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_real(alpha, "alpha", "ELU", low=0.0, low_open=True)

    def _forward(self, X, out):
        negative = X.dtype.type(self.alpha) * np.expm1(np.minimum(X, 0))
        return np.where(X > 0, X, negative)

    def _backward(self, grad, out):
        slope = np.where(self.X_input > 0, 1, self.output + grad.dtype.type(self.alpha))
        return np.multiply(grad, slope, out=out)

    def get_config(self) -> dict:
        return {"alpha": self.alpha}

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


class Softplus(BaseActivation):
    """Softplus, ``log(1 + exp(x))``, a smooth ReLU.

    Notes
    -----
    Computed as ``logaddexp(0, x)``, exact and warning-free for any x.
    d/dx = sigmoid(x).

    Examples
    --------
    >>> import numpy as np
    >>> Softplus().forward(np.array([[-1e4, 0.0, 1e4]]))
    array([[0.00000000e+00, 6.93147181e-01, 1.00000000e+04]])
    """

    layer_name = "softplus"
    init_hint = "he"

    def _forward(self, X, out):
        return np.logaddexp(X.dtype.type(0), X, out=out)

    def _backward(self, grad, out):
        return np.multiply(grad, _sigmoid(self.X_input), out=out)


class GELU(BaseActivation):
    """Gaussian error linear unit in its tanh form (Hendrycks & Gimpel, 2016).

    ``gelu(x) = 0.5 x (1 + tanh(u))`` with ``u = sqrt(2/pi) (x + 0.044715 x**3)``,
    the form PyTorch computes with ``approximate="tanh"``; it differs from the
    erf form by less than 5e-4.

    Notes
    -----
    With ``t = tanh(u)``:
    d/dx = 0.5 (1 + t) + 0.5 x (1 - t**2) sqrt(2/pi) (1 + 3 * 0.044715 x**2).

    For |x| > 10, u > 43 and t is exactly +-1 in float32 and float64, so the
    cubic is evaluated on x clipped to [-10, 10]: the values are unchanged, and
    x**3 and x**2 cannot overflow (which made the gradient NaN for huge x).

    Examples
    --------
    >>> import numpy as np
    >>> GELU().forward(np.array([[0.0, 10.0]]))
    array([[ 0., 10.]])
    """

    layer_name = "gelu"
    init_hint = "he"
    _C = np.sqrt(2.0 / np.pi)
    _A = 0.044715
    _SATURATION = 10.0

    def _forward(self, X, out):
        c, a = X.dtype.type(self._C), X.dtype.type(self._A)
        X_cubic = np.clip(X, -self._SATURATION, self._SATURATION)
        self._tanh = np.tanh(c * (X_cubic + a * X_cubic**3))
        return np.multiply(0.5 * X, 1 + self._tanh, out=out)

    def _backward(self, grad, out):
        X, t = self.X_input, self._tanh
        X_cubic = np.clip(X, -self._SATURATION, self._SATURATION)
        du_dx = self._C * (1.0 + 3.0 * self._A * X_cubic * X_cubic)
        slope = 0.5 * (1.0 + t) + 0.5 * X * (1.0 - t * t) * du_dx
        return np.multiply(grad, slope.astype(grad.dtype, copy=False), out=out)


class Linear(BaseActivation):
    """Identity, ``f(x) = x``; for regression outputs and for readability.

    Examples
    --------
    >>> import numpy as np
    >>> Linear().forward(np.array([[-1.5, 2.0]]))
    array([[-1.5,  2. ]])
    """

    layer_name = "linear"

    def _forward(self, X, out):
        return X

    def _backward(self, grad, out):
        return grad


def _row_max(X: np.ndarray) -> np.ndarray:
    """Maximum over the last axis, kept as an axis of length 1.

    NumPy reduces along the last axis one row at a time, which for rows of a
    few entries (ten class scores, say) costs more than the comparisons. The
    transposed copy of a matrix with narrow rows has a few long contiguous
    rows instead, and reducing across them is two to six times as fast. A
    maximum is exact whatever the order, so the result is the same either
    way, for any batch size. (A sum is not: its rounding depends on the
    order, which would then depend on the number of rows, so sums stay
    along the rows.)

    >>> _row_max(np.array([[1.0, 3.0, 2.0], [-1.0, -5.0, 0.5]]))
    array([[3. ],
           [0.5]])
    """
    if X.ndim == 2 and X.shape[1] <= 32:
        return np.maximum.reduce(np.ascontiguousarray(X.T), axis=0)[:, np.newaxis]
    return X.max(axis=-1, keepdims=True)


def _row_sum(X: np.ndarray) -> np.ndarray:
    """Sum over the last axis, kept as an axis of length 1, without the
    Python-level set-up of ``ndarray.sum``."""
    return np.add.reduce(X, axis=-1, keepdims=True)


class Softmax(BaseActivation):
    """Softmax over the last axis: each row becomes a probability vector.

    Notes
    -----
    ``p_i = exp(x_i - m) / sum_j exp(x_j - m)`` with ``m`` the row maximum,
    which leaves the result unchanged and keeps exp from overflowing.
    The Jacobian is ``dp_i/dx_j = p_i (delta_ij - p_j)``, so for an upstream
    gradient ``g`` of one row: ``dL/dx = p * (g - sum(g * p))``.

    Followed by :class:`~nnfs.losses.CCE` in a model, training skips this
    backward and uses the fused gradient ``(p - y) / n_samples``.

    Examples
    --------
    >>> import numpy as np
    >>> Softmax().forward(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    array([[1.        , 0.        , 0.        ],
           [0.33333333, 0.33333333, 0.33333333]])
    """

    layer_name = "softmax"

    def _forward(self, X, out):
        if X.ndim == 0:
            raise ValueError(
                "Softmax.forward: X_input must have at least 1 dimension; got a scalar"
            )
        # X - max is <= 0 and overflows (to -inf) only when a row spans more
        # than the float range; exp(-inf) = 0 is then the exact answer.
        with np.errstate(over="ignore"):
            shifted = np.subtract(X, _row_max(X), out=out)
        exps = np.exp(shifted, out=shifted)
        exps /= _row_sum(exps)
        return exps

    def _backward(self, grad, out):
        p = self.output
        return np.multiply(p, grad - _row_sum(grad * p), out=out)
