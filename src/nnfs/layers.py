"""Layers with trainable parameters, and the base class every layer shares.

A layer owns its forward pass and the exact gradient of it. ``forward`` caches
what ``backward`` needs; ``backward`` receives dL/d(output) and returns
dL/d(input), storing the gradient of each parameter beside the parameter
(``W`` and ``dW``, ``b`` and ``db``) for the optimizer to read.
"""

from abc import ABC, abstractmethod

import numpy as np

from nnfs._validation import as_float_array, check_dtype, check_int, check_rng

__all__ = ["BaseLayer", "Dense"]


class BaseLayer(ABC):
    """Template for every layer, activations included.

    Attributes
    ----------
    layer_name : str
        Short lower-case type name, for example ``"dense"``.
    index : int or None
        Position in the model; set by :class:`nnfs.model.Sequential`.
    name : str
        ``f"{layer_name}_{index}"``; unique inside a model, and the prefix of
        the optimizer's per-parameter keys (``"dense_0.W"``).
    trainable : list of (str, ndarray, ndarray) or None
        ``(name, parameter, gradient)`` for each parameter, ``None`` for a layer
        without parameters.
    training : bool
        True while a model trains; False in ``predict`` and ``evaluate``.
        Layers that behave differently at inference (dropout, batch
        normalisation) read it; the model sets it.

    Notes
    -----
    Subclasses with parameters list their attribute names in ``param_names``;
    the gradient of parameter ``P`` lives in attribute ``dP``. Gradients are
    ``None`` until the first ``backward``. Arrays that are not trained but
    must be saved (running statistics, say) are listed in ``state_names``.
    ``get_config`` returns the constructor arguments that rebuild the layer.
    """

    layer_name = "layer"
    param_names: tuple[str, ...] = ()
    state_names: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.index: int | None = None
        self.training = True
        # Scratch arrays reused from one training step to the next; a model
        # turns this on (a dict) only while it trains, see ``_buffer``.
        self._buffers: dict[str, np.ndarray] | None = None

    @property
    def name(self) -> str:
        return f"{self.layer_name}_{self.index}"

    @abstractmethod
    def forward(self, X_input: np.ndarray) -> np.ndarray:
        """Compute the layer output and cache what ``backward`` needs."""

    @abstractmethod
    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        """Return dL/d(input) from dL/d(output), storing parameter gradients."""

    def backward_params(self, grad_next: np.ndarray) -> None:
        """Store parameter gradients only, without dL/d(input).

        A model calls this on its first layer, whose input gradient nobody
        uses; for a Dense layer that saves the largest matrix product of the
        backward pass. The default simply runs :meth:`backward`.
        """
        self.backward(grad_next)

    def _buffer(self, key: str, shape: tuple[int, ...], dtype) -> np.ndarray | None:
        """A reusable array of ``shape`` while a model trains, else None.

        Every NumPy call that takes ``out=None`` allocates a fresh result, so
        ``np.matmul(a, b, out=self._buffer(...))`` reads the same in both
        modes. Outside training, results are always fresh arrays, so callers
        may keep them. A buffer grows to the largest batch seen and smaller
        batches use its leading rows (still contiguous).
        """
        buffers = getattr(self, "_buffers", None)
        if buffers is None:
            return None
        buffer = buffers.get(key)
        if (
            buffer is None
            or buffer.shape[1:] != shape[1:]
            or buffer.shape[0] < shape[0]
            or buffer.dtype != dtype
        ):
            buffer = buffers[key] = np.empty(shape, dtype=dtype)
        return buffer[: shape[0]]

    @property
    def trainable(self) -> list[tuple[str, np.ndarray, np.ndarray]] | None:
        if not self.param_names:
            return None
        return [
            (param, getattr(self, param), getattr(self, "d" + param))
            for param in self.param_names
        ]

    def get_config(self) -> dict:
        """Constructor arguments, as JSON-friendly values, that rebuild the
        layer (weights aside)."""
        return {}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one output sample given the shape of one input sample.

        Raises ValueError when the layer cannot take that input; the model
        calls this before training so that a size mismatch surfaces early.
        """
        return input_shape

    @property
    def n_params(self) -> int:
        """Number of trainable scalars."""
        return sum(getattr(self, param).size for param in self.param_names)

    def _forward_cache(self, cache_name: str):
        """Return a cached forward value, or explain that forward must run first."""
        value = getattr(self, cache_name, None)
        if value is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward: forward must run before backward"
            )
        return value

    def _check_grad(
        self, grad_next, expected_shape: tuple[int, ...], dtype=None
    ) -> np.ndarray:
        """Validate the upstream gradient against the cached output shape.

        With ``dtype`` (the dtype the forward pass computed in) the gradient is
        cast to it, so a float64 gradient never silently upcasts a float32
        layer's backward pass or its parameter gradients.
        """
        if not isinstance(grad_next, np.ndarray) or (
            dtype is not None and grad_next.dtype != dtype
        ):
            grad_next = as_float_array(
                grad_next,
                "grad_next",
                self._where("backward"),
                dtype=dtype,
                ndim=None,
                check_finite=False,
            )
        if grad_next.shape != expected_shape:
            raise ValueError(
                f"{self._where('backward')}: grad_next has shape {grad_next.shape} "
                f"but the forward output had shape {expected_shape}; "
                "shapes must match exactly"
            )
        return grad_next

    def _where(self, method: str) -> str:
        return f"{type(self).__name__}.{method}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# Standard deviation of each initialisation, as a function of the fan sizes.
# He et al. (2015) keep the variance of ReLU outputs constant: 2 / fan_in.
# Glorot & Bengio (2010) balance forward and backward variance: 2 / (in + out).
_INIT_STD = {
    "he": lambda fan_in, fan_out: np.sqrt(2.0 / fan_in),
    "glorot": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),
}
_INIT_CHOICES = ("auto", "he", "glorot", "he_uniform", "glorot_uniform")


def _reshape_hint(ndim: int) -> str:
    """Suffix for a shape error: how to turn ``ndim``-D data into a 2-D batch."""
    if ndim == 1:
        return (
            "; reshape with X.reshape(-1, 1) for a single feature "
            "or X.reshape(1, -1) for a single sample"
        )
    if ndim > 2:
        return "; flatten each sample with X.reshape(len(X), -1)"
    return ""


class Dense(BaseLayer):
    """Fully connected layer: ``y = X @ W + b``.

    Parameters
    ----------
    input_size : int
        Number of input features, ``n_inputs``.
    output_size : int
        Number of output features, ``n_neurons``.
    init : {"auto", "he", "glorot", "he_uniform", "glorot_uniform"}, default="auto"
        Weight initialisation. ``"he"`` and ``"glorot"`` draw from a normal
        distribution, the ``_uniform`` variants from a uniform one with the
        same variance. ``"auto"`` picks He when a ReLU-like activation follows
        the layer in a :class:`~nnfs.model.Sequential`, Glorot otherwise.
    dtype : float32 or float64, default=float32
        Dtype of the parameters and of the computation.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator, optional
        Random generator to draw from. With neither ``seed`` nor ``rng``, the
        weights come from NumPy's global random state.

    Attributes
    ----------
    W : ndarray of shape (input_size, output_size)
    b : ndarray of shape (1, output_size)
        Initialised to zeros.
    dW, db : ndarray or None
        Gradients of the last ``backward``, same shapes as ``W`` and ``b``.

    Notes
    -----
    For a batch ``X`` of shape (n_samples, input_size) and an upstream gradient
    ``G = dL/dy`` of shape (n_samples, output_size)::

        dL/dW = X.T @ G          (input_size, output_size)
        dL/db = sum of G's rows  (1, output_size)
        dL/dX = G @ W.T          (n_samples, input_size)

    ``"auto"`` draws He-scaled weights; a model that finds a saturating or
    linear layer after this one rescales them to Glorot's scale once, before
    training. The rescaled draw has exactly Glorot's distribution, and the
    random stream is consumed once either way.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.layers import Dense
    >>> layer = Dense(3, 2, seed=0)
    >>> layer.forward(np.ones((4, 3), dtype=np.float32)).shape
    (4, 2)
    """

    layer_name = "dense"
    param_names = ("W", "b")

    def __init__(
        self,
        input_size: int,
        output_size: int,
        *,
        init: str = "auto",
        dtype=np.float32,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        where = "Dense"
        self.input_size = check_int(input_size, "input_size", where)
        self.output_size = check_int(output_size, "output_size", where)
        if init not in _INIT_CHOICES:
            raise ValueError(
                f"{where}: init must be one of {_INIT_CHOICES}; got {init!r}"
            )
        self.init = init
        self.dtype = check_dtype(dtype, where)
        source = check_rng(seed, rng, where)

        scheme = "he" if init == "auto" else init.removesuffix("_uniform")
        std = _INIT_STD[scheme](self.input_size, self.output_size)
        shape = (self.input_size, self.output_size)
        if init.endswith("_uniform"):
            # A uniform on [-a, a] has variance a**2 / 3.
            limit = std * np.sqrt(3.0)
            weights = source.uniform(-limit, limit, size=shape)
        else:
            weights = source.normal(0.0, std, size=shape)
        self._auto_draw = weights / std if init == "auto" else None
        self._auto_scheme = scheme
        self.W = (
            self._auto_weights(scheme) if init == "auto" else weights.astype(self.dtype)
        )
        self.b = np.zeros((1, self.output_size), dtype=self.dtype)
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None
        self.X_input: np.ndarray | None = None
        # An "auto" init keeps its unit-variance draw until the layer trains,
        # so the model can set the scale exactly, as often as layers change.

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = X_input
        if not (isinstance(X, np.ndarray) and X.dtype == self.dtype):
            X = as_float_array(
                X,
                "X_input",
                "Dense.forward",
                dtype=self.dtype,
                ndim=None,
                check_finite=False,
            )
        if X.ndim != 2 or X.shape[1] != self.input_size:
            raise ValueError(
                f"Dense.forward: expected X_input of shape (n_samples, "
                f"{self.input_size}); got shape {X.shape}{_reshape_hint(X.ndim)}"
            )

        self.X_input = X
        output = np.matmul(
            X,
            self.W,
            out=self._buffer("output", (X.shape[0], self.output_size), self.dtype),
        )
        output += self.b
        return output

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        grad = self._param_gradients(grad_next)
        grad_input = self._buffer("grad_input", self.X_input.shape, self.dtype)
        return np.matmul(grad, self.W.T, out=grad_input)

    def backward_params(self, grad_next: np.ndarray) -> None:
        self._param_gradients(grad_next)

    def _param_gradients(self, grad_next: np.ndarray) -> np.ndarray:
        """Store dW and db; return the checked upstream gradient."""
        X = self._forward_cache("X_input")
        grad = self._check_grad(
            grad_next, (X.shape[0], self.output_size), dtype=self.dtype
        )

        self.dW = np.matmul(X.T, grad, out=self._buffer("dW", self.W.shape, self.dtype))
        self.db = np.sum(
            grad,
            axis=0,
            keepdims=True,
            out=self._buffer("db", self.b.shape, self.dtype),
        )
        self._auto_draw = None
        return grad

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if input_shape != (self.input_size,):
            raise ValueError(
                f"Dense expected {self.input_size} input features, "
                f"got samples of shape {input_shape}"
            )
        return (self.output_size,)

    def get_config(self) -> dict:
        return {
            "input_size": self.input_size,
            "output_size": self.output_size,
            "init": self.init,
            "dtype": self.dtype.name,
        }

    def _resolve_auto_init(self, scheme: str) -> None:
        """Give "auto" weights the scale of ``scheme`` ("he" or "glorot").

        Called by the model whenever its layers change, so the scale follows
        the layer that comes next; a no-op for explicit inits and once the
        layer has trained (its first backward ends the "auto" phase).
        """
        if self._auto_draw is None:
            return
        if not np.array_equal(self.W, self._auto_weights(self._auto_scheme)):
            # The caller set the weights: they are no longer ours to rescale.
            self._auto_draw = None
            return
        self.W[...] = self._auto_weights(scheme)
        self._auto_scheme = scheme

    def _auto_weights(self, scheme: str) -> np.ndarray:
        std = _INIT_STD[scheme](self.input_size, self.output_size)
        return (self._auto_draw * std).astype(self.dtype)

    def __repr__(self) -> str:
        return (
            f"Dense({self.input_size}, {self.output_size}, init={self.init!r}, "
            f"dtype={self.dtype.name})"
        )
