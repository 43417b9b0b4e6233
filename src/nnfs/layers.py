"""Layers with trainable parameters, and the base class every layer shares.

A layer owns its forward pass and the exact gradient of it. ``forward`` caches
what ``backward`` needs; ``backward`` receives dL/d(output) and returns
dL/d(input), storing the gradient of each parameter beside the parameter
(``W`` and ``dW``, ``b`` and ``db``) for the optimizer to read.
"""

from abc import ABC, abstractmethod

import numpy as np

from nnfs import initializers
from nnfs._validation import (
    as_float_array,
    check_bool,
    check_dtype,
    check_int,
    check_real,
    check_rng,
)

__all__ = ["BaseLayer", "BatchNorm", "Dense", "Dropout", "Flatten", "Reshape"]


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

    Examples
    --------
    A layer that scales its input by a trained factor ``a``: ``y = a * X``,
    so ``dL/da = sum(G * X)`` and ``dL/dX = a * G``.

    >>> import numpy as np
    >>> class Scale(BaseLayer):
    ...     layer_name = "scale"
    ...     param_names = ("a",)
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.a, self.da = np.ones(1), None
    ...     def forward(self, X_input):
    ...         self.X_input = X_input
    ...         return self.a * X_input
    ...     def backward(self, grad_next):
    ...         self.da = np.array([np.sum(grad_next * self.X_input)])
    ...         return self.a * grad_next
    >>> layer = Scale()
    >>> layer.index = 0
    >>> layer.name, [name for name, _, _ in layer.trainable]
    ('scale_0', ['a'])
    >>> from nnfs import check_gradients
    >>> X = np.random.default_rng(0).normal(size=(3, 2))
    >>> check_gradients(layer, X, verbose=False).passed
    True
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
        """``f"{layer_name}_{index}"``, such as ``"dense_0"``."""
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
        if buffer is not None and buffer.shape == shape and buffer.dtype == dtype:
            return buffer  # the common case: every batch but the last
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
        """``(name, parameter, gradient)`` for each parameter, or None."""
        if not self.param_names:
            return None
        return [
            (param, getattr(self, param), getattr(self, "d" + param))
            for param in self.param_names
        ]

    def get_config(self) -> dict:
        """Constructor arguments, as JSON-friendly values, that rebuild the layer.

        The weights are not part of it; saving stores them separately.
        """
        return {}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one output sample given the shape of one input sample.

        Raises ValueError when the layer cannot take that input; the model
        calls this before training so that a size mismatch surfaces early.
        """
        return input_shape

    def penalty(self) -> float:
        """Regularisation term this layer adds to the loss; 0.0 by default.

        A layer that returns a non-zero penalty also adds its gradient to the
        parameter gradients it stores in ``backward``. The model adds the
        penalties of all its layers to the loss it reports while training.

        Examples
        --------
        >>> import numpy as np
        >>> layer = Dense(2, 1, l2=0.5, dtype=np.float64)
        >>> layer.W[...] = [[1.0], [-2.0]]
        >>> layer.penalty()  # 0.5 * (1 + 4)
        2.5
        """
        return 0.0

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
    init : str or Initializer, default="auto"
        Weight initialisation: "auto", "he", "glorot", "he_uniform" or
        "glorot_uniform". ``"he"`` and ``"glorot"`` draw from a normal
        distribution, the ``_uniform`` variants from a uniform one with the
        same variance. ``"auto"`` picks He when a ReLU-like activation follows
        the layer in a :class:`~nnfs.model.Sequential`, Glorot otherwise. An
        object of :mod:`nnfs.initializers` (``HeUniform()``, ``Constant(0.1)``,
        ``SeedUniform()``, ...), or its ``get_config()`` dict, is called with
        fan-in ``input_size`` and fan-out ``output_size``; ``get_config``
        then stores its config dict.
    dtype : float32 or float64, default=float32
        Dtype of the parameters and of the computation.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator, optional
        Random generator to draw from. With neither ``seed`` nor ``rng``, the
        weights come from NumPy's global random state.
    l1, l2 : float, default=0.0
        Strengths of the L1 and L2 penalties on ``W`` (>= 0); see Notes.

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

    Penalties follow Keras's convention: :meth:`penalty` returns
    ``l1 * sum(|W|) + l2 * sum(W**2)``, and ``backward`` adds its gradient,
    ``l1 * sign(W) + 2 * l2 * W``, to ``dW`` (the subgradient 0 at W = 0).
    Biases are not penalised. The loss that ``fit`` reports includes the
    penalties; ``evaluate`` reports the loss of the predictions alone.

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
        init: str | initializers.Initializer | dict = "auto",
        dtype=np.float32,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
    ) -> None:
        super().__init__()
        where = "Dense"
        self.input_size = check_int(input_size, "input_size", where)
        self.output_size = check_int(output_size, "output_size", where)
        self.l1 = check_real(l1, "l1", where, low=0.0)
        self.l2 = check_real(l2, "l2", where, low=0.0)
        if isinstance(init, dict):  # an initializer's get_config()
            init = initializers.get(init)
        if not (
            isinstance(init, initializers.Initializer)
            or (isinstance(init, str) and init in _INIT_CHOICES)
        ):
            hint = (
                f" (an instance, {init.__name__}())" if isinstance(init, type) else ""
            )
            raise ValueError(
                f"{where}: init must be one of {_INIT_CHOICES}; got {init!r}; "
                f"an nnfs.initializers object is also accepted{hint}"
            )
        self.init = init
        self.dtype = check_dtype(dtype, where)
        source = check_rng(seed, rng, where)

        shape = (self.input_size, self.output_size)
        if isinstance(init, initializers.Initializer):
            self._auto_draw = None
            self.W = init(shape, self.input_size, self.output_size, source, self.dtype)
        else:
            scheme = "he" if init == "auto" else init.removesuffix("_uniform")
            std = _INIT_STD[scheme](self.input_size, self.output_size)
            if init.endswith("_uniform"):
                # A uniform on [-a, a] has variance a**2 / 3.
                limit = std * np.sqrt(3.0)
                weights = source.uniform(-limit, limit, size=shape)
            else:
                weights = source.normal(0.0, std, size=shape)
            self._auto_draw = weights / std if init == "auto" else None
            self._auto_scheme = scheme
            self.W = (
                self._auto_weights(scheme)
                if init == "auto"
                else weights.astype(self.dtype)
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
        self.db = np.add.reduce(
            grad,
            axis=0,
            keepdims=True,
            out=self._buffer("db", self.b.shape, self.dtype),
        )
        # Gradient of l1 * sum|W| + l2 * sum W**2 (see penalty).
        if self.l1:
            self.dW += self.l1 * np.sign(self.W)
        if self.l2:
            self.dW += (2 * self.l2) * self.W
        self._auto_draw = None
        return grad

    def penalty(self) -> float:
        """``l1 * sum(|W|) + l2 * sum(W**2)``; 0.0 without penalties."""
        value = 0.0
        if self.l1:
            value += self.l1 * float(np.sum(np.abs(self.W)))
        if self.l2:
            value += self.l2 * float(np.vdot(self.W, self.W))
        return value

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
            "init": self.init if isinstance(self.init, str) else self.init.get_config(),
            "dtype": self.dtype.name,
            "l1": self.l1,
            "l2": self.l2,
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
        penalties = "".join(
            f", {name}={value}"
            for name, value in (("l1", self.l1), ("l2", self.l2))
            if value
        )
        return (
            f"Dense({self.input_size}, {self.output_size}, init={self.init!r}, "
            f"dtype={self.dtype.name}{penalties})"
        )


class Dropout(BaseLayer):
    """Inverted dropout: while training, zero each input with probability ``rate``.

    Parameters
    ----------
    rate : float
        Probability of dropping an input, in [0, 1).
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator, optional
        Random generator to draw the masks from. With neither ``seed`` nor
        ``rng``, masks come from NumPy's global random state.

    Attributes
    ----------
    mask : ndarray of bool or None
        Which inputs the last training ``forward`` kept; shape of its input.
    fix_mask : bool
        False by default: every training ``forward`` draws a new mask. When
        True, ``forward`` reuses ``mask`` (drawing one first if there is none
        yet), so the layer is one fixed function of its input.

    Notes
    -----
    With a keep mask ``m`` whose entries are 1 with probability
    ``1 - rate``, the training forward pass and its gradient are::

        y = X * m / (1 - rate)
        dL/dX = dL/dy * m / (1 - rate)

    The scaling keeps the expected output equal to ``X``, so at inference
    (``training`` False, as in ``predict`` and ``evaluate``) the layer is the
    identity and draws nothing. Any input shape is accepted; the output keeps
    the input's dtype (integer and boolean inputs become float64).

    A gradient check evaluates ``forward`` many times and needs the same
    mask each time: set ``fix_mask = True`` before the check (and assign
    ``mask`` to choose the mask yourself). With a ``seed`` or ``rng``, copies
    made before the first draw then draw the same mask. Two layers given the
    same seed drop the same units; give each its own seed, or share one rng.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Dropout(0.5, seed=0)
    >>> layer.forward(np.ones((2, 4)))  # kept inputs are scaled by 1 / (1 - 0.5)
    array([[2., 0., 0., 0.],
           [2., 2., 2., 2.]])
    >>> layer.training = False
    >>> layer.forward(np.ones((1, 3)))
    array([[1., 1., 1.]])
    """

    layer_name = "dropout"

    def __init__(
        self,
        rate: float,
        *,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        where = "Dropout"
        self.rate = check_real(rate, "rate", where, low=0.0, high=1.0, high_open=True)
        source = check_rng(seed, rng, where)
        # NumPy's global state is looked up at each draw (a module cannot be
        # copied with the layer); a generator travels with the layer.
        self._rng = None if source is np.random else source
        self.seed = seed
        self.mask: np.ndarray | None = None
        self._fix_mask = False
        self._output_shape: tuple[int, ...] | None = None
        self._output_dtype: np.dtype | None = None
        self._dropped = False  # whether the last forward applied a mask

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = X_input
        if not (isinstance(X, np.ndarray) and X.dtype.kind == "f"):
            X = as_float_array(
                X, "X_input", "Dropout.forward", ndim=None, check_finite=False
            )

        self._output_shape = X.shape
        self._output_dtype = X.dtype
        self._dropped = self.training
        if not self.training:
            return X
        if self._fix_mask and self.mask is not None:
            self._check_fixed_mask(X.shape)
        else:
            source = np.random if self._rng is None else self._rng
            self.mask = source.random(X.shape) >= self.rate
        output = np.multiply(X, self.mask, out=self._buffer("output", X.shape, X.dtype))
        output *= X.dtype.type(1.0 / (1.0 - self.rate))
        return output

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        shape = self._forward_cache("_output_shape")
        grad = self._check_grad(grad_next, shape, dtype=self._output_dtype)
        if not self._dropped:
            return grad
        grad_input = np.multiply(
            grad, self.mask, out=self._buffer("grad_input", shape, grad.dtype)
        )
        grad_input *= grad.dtype.type(1.0 / (1.0 - self.rate))
        return grad_input

    @property
    def fix_mask(self) -> bool:
        """Whether training ``forward`` reuses ``mask`` instead of drawing anew."""
        return self._fix_mask

    @fix_mask.setter
    def fix_mask(self, value: bool) -> None:
        self._fix_mask = check_bool(value, "fix_mask", "Dropout")

    def _check_fixed_mask(self, shape: tuple[int, ...]) -> None:
        mask = self.mask
        if not isinstance(mask, np.ndarray) or mask.dtype != bool:
            raise TypeError(
                "Dropout.forward: mask must be a boolean ndarray; got "
                f"{type(mask).__name__}"
                + (f" of dtype {mask.dtype}" if isinstance(mask, np.ndarray) else "")
            )
        if mask.shape != shape:
            raise ValueError(
                f"Dropout.forward: the fixed mask has shape {mask.shape} but "
                f"X_input has shape {shape}; set fix_mask = False to draw a new "
                "mask for each batch"
            )

    def get_config(self) -> dict:
        return {"rate": self.rate, "seed": self.seed}

    def __repr__(self) -> str:
        return f"Dropout(rate={self.rate})"


class BatchNorm(BaseLayer):
    """Batch normalisation over the samples, per feature or per channel.

    Parameters
    ----------
    n_features : int
        Number of features (for inputs of shape (n_samples, n_features)) or of
        channels (for (n_samples, n_channels, ...), such as the output of a
        convolution: (N, C, L) or (N, C, H, W)).
    momentum : float, default=0.1
        Weight of the newest batch in the running statistics, in [0, 1];
        PyTorch's convention (Keras's ``momentum=0.99`` is ``1 - 0.01``)::

            running = (1 - momentum) * running + momentum * batch_statistic
    epsilon : float, default=1e-5
        Added to the variance before the square root, > 0.
    dtype : float32 or float64, default=float32
        Dtype of the parameters, the statistics and the computation.

    Attributes
    ----------
    gamma, beta : ndarray of shape (n_features,)
        Scale (ones) and shift (zeros), trained.
    dgamma, dbeta : ndarray of shape (n_features,) or None
        Their gradients from the last ``backward``.
    running_mean, running_var : ndarray of shape (n_features,)
        Estimates used at inference (zeros and ones at first); saved with the
        model (``state_names``) but not trained by the optimizer.

    Notes
    -----
    Statistics are taken over every axis but axis 1: the ``m`` values of one
    feature (``m = n_samples``) or of one channel (``m = n_samples * H * W``).
    While ``training``, with the batch mean ``mu`` and the biased variance
    ``var`` (divided by ``m``)::

        x_hat = (X - mu) / sqrt(var + epsilon)
        y     = gamma * x_hat + beta

    and the running mean and variance move towards ``mu`` and the unbiased
    variance ``var * m / (m - 1)``, as in PyTorch. At inference (``predict``,
    ``evaluate``) the running statistics replace ``mu`` and ``var`` and
    nothing is updated.

    Backward, with ``G = dL/dy`` and sums over the same axes::

        dL/dbeta  = sum(G)
        dL/dgamma = sum(G * x_hat)
        dL/dX     = gamma / (m * sqrt(var + epsilon))
                    * (m * G - sum(G) - x_hat * sum(G * x_hat))

    Derivation: write ``s = sqrt(var + epsilon)`` and ``g = gamma * G``
    (that is, dL/dx_hat). Then ``d mu / dX_i = 1 / m`` and
    ``d var / dX_i = 2 (X_i - mu) / m``, so the chain rule through ``x_hat``,
    ``mu`` and ``var`` gives ``dL/dX_i = g_i / s - sum(g) / (m s)
    - x_hat_i * sum(g * x_hat) / (m s)`` (the term of ``mu`` inside ``var``
    vanishes because the deviations sum to zero); factoring ``gamma / (m s)``
    out gives the formula above. At inference ``mu`` and ``var`` are
    constants and ``dL/dX = G * gamma / s``.

    A channel with a single value in the batch (a batch of one sample in
    (N, F) form) has no spread: its output is ``beta``, its input gradient
    zero, and the running statistics are left unchanged by that batch. With
    two values the output is ``+-gamma + beta`` up to O(epsilon / var), and
    the input gradient, that small, comes from the cancellation of terms of
    size ``gamma * G / s``: float32 keeps only a few digits of it.

    Examples
    --------
    >>> import numpy as np
    >>> layer = BatchNorm(2, dtype=np.float64)
    >>> layer.forward(np.array([[1.0, 10.0], [3.0, 30.0]])).round(4)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> layer.running_mean  # 0.9 * 0 + 0.1 * [2, 20]
    array([0.2, 2. ])
    """

    layer_name = "batch_norm"
    param_names = ("gamma", "beta")
    state_names = ("running_mean", "running_var")

    def __init__(
        self,
        n_features: int,
        *,
        momentum: float = 0.1,
        epsilon: float = 1e-5,
        dtype=np.float32,
    ) -> None:
        super().__init__()
        where = "BatchNorm"
        self.n_features = check_int(n_features, "n_features", where)
        self.momentum = check_real(momentum, "momentum", where, low=0.0, high=1.0)
        self.epsilon = check_real(epsilon, "epsilon", where, low=0.0, low_open=True)
        self.dtype = check_dtype(dtype, where)
        self.gamma = np.ones(self.n_features, dtype=self.dtype)
        self.beta = np.zeros(self.n_features, dtype=self.dtype)
        self.dgamma: np.ndarray | None = None
        self.dbeta: np.ndarray | None = None
        self.running_mean = np.zeros(self.n_features, dtype=self.dtype)
        self.running_var = np.ones(self.n_features, dtype=self.dtype)
        self.x_hat: np.ndarray | None = None
        self._inv_std: np.ndarray | None = None
        self._batch_statistics = True  # whether the last forward used them

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = X_input
        if not (isinstance(X, np.ndarray) and X.dtype == self.dtype):
            X = as_float_array(
                X,
                "X_input",
                "BatchNorm.forward",
                dtype=self.dtype,
                ndim=None,
                check_finite=False,
            )
        if X.ndim < 2 or X.shape[1] != self.n_features:
            raise ValueError(
                f"BatchNorm.forward: expected X_input of shape (n_samples, "
                f"{self.n_features}) or (n_samples, {self.n_features}, ...); got "
                f"shape {X.shape}{_reshape_hint(X.ndim) if X.ndim < 2 else ''}"
            )
        axes, channel_shape = _channel_axes(X.ndim)

        x_hat = self._buffer("x_hat", X.shape, self.dtype)
        output = self._buffer("output", X.shape, self.dtype)
        if self.training:
            mean = X.mean(axis=axes)
            x_hat = np.subtract(X, mean.reshape(channel_shape), out=x_hat)
            # The output buffer holds the squared deviations for a moment.
            var = np.square(x_hat, out=output).mean(axis=axes)
            count = X.size // self.n_features
            if count > 1:
                self._update_running_statistics(mean, var, count)
        else:
            var = self.running_var
            x_hat = np.subtract(X, self.running_mean.reshape(channel_shape), out=x_hat)
        inv_std = 1.0 / np.sqrt(var + self.epsilon)
        x_hat *= inv_std.reshape(channel_shape)
        output = np.multiply(x_hat, self.gamma.reshape(channel_shape), out=output)
        output += self.beta.reshape(channel_shape)

        self.x_hat = x_hat
        self._inv_std = inv_std
        self._batch_statistics = self.training
        return output

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        grad = self._param_gradients(grad_next)
        x_hat = self.x_hat
        axes, channel_shape = _channel_axes(x_hat.ndim)
        scale = (self.gamma * self._inv_std).reshape(channel_shape)
        grad_input = self._buffer("grad_input", x_hat.shape, self.dtype)
        if not self._batch_statistics:
            return np.multiply(grad, scale, out=grad_input)

        # dX = gamma / (m s) * (m G - sum(G) - x_hat * sum(G * x_hat)),
        # computed as (G - (dbeta + x_hat * dgamma) / m) * gamma / s.
        count = x_hat.size // self.n_features
        grad_input = np.multiply(
            x_hat, self.dgamma.reshape(channel_shape), out=grad_input
        )
        grad_input += self.dbeta.reshape(channel_shape)
        grad_input *= self.dtype.type(-1.0 / count)
        grad_input += grad
        grad_input *= scale
        return grad_input

    def backward_params(self, grad_next: np.ndarray) -> None:
        self._param_gradients(grad_next)

    def _param_gradients(self, grad_next: np.ndarray) -> np.ndarray:
        """Store dgamma and dbeta; return the checked upstream gradient."""
        x_hat = self._forward_cache("x_hat")
        grad = self._check_grad(grad_next, x_hat.shape, dtype=self.dtype)
        axes, _ = _channel_axes(x_hat.ndim)

        self.dbeta = np.sum(
            grad, axis=axes, out=self._buffer("dbeta", self.beta.shape, self.dtype)
        )
        product = np.multiply(
            grad, x_hat, out=self._buffer("grad_input", x_hat.shape, self.dtype)
        )
        self.dgamma = np.sum(
            product,
            axis=axes,
            out=self._buffer("dgamma", self.gamma.shape, self.dtype),
        )
        return grad

    def _update_running_statistics(self, mean, var, count: int) -> None:
        """Move the running estimates towards this batch, in place."""
        momentum = self.momentum
        self.running_mean *= 1.0 - momentum
        self.running_mean += momentum * mean
        self.running_var *= 1.0 - momentum
        self.running_var += (momentum * count / (count - 1)) * var

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(input_shape) < 1 or input_shape[0] != self.n_features:
            raise ValueError(
                f"BatchNorm expected {self.n_features} features or channels on "
                f"axis 1, got samples of shape {input_shape}"
            )
        return input_shape

    def get_config(self) -> dict:
        return {
            "n_features": self.n_features,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "dtype": self.dtype.name,
        }

    def __repr__(self) -> str:
        return (
            f"BatchNorm({self.n_features}, momentum={self.momentum}, "
            f"epsilon={self.epsilon}, dtype={self.dtype.name})"
        )


def _channel_axes(ndim: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Axes a per-channel statistic reduces over, and the shape that makes a
    (n_channels,) vector broadcast along axis 1 of an ``ndim``-D batch."""
    axes = (0, *range(2, ndim))
    channel_shape = (-1,) + (1,) * (ndim - 2)  # (C,) for (N, C); (C, 1, 1) for 4-D
    return axes, channel_shape


def _as_shape(value, name: str, where: str, *, ndim: int | None = None):
    """A shape given as a tuple or list of ints >= 1, as a tuple.

    ``ndim`` is the required length; None accepts any length >= 1.
    """
    expected = "a tuple of ints" if ndim is None else f"a tuple of {ndim} ints"
    if not isinstance(value, tuple | list):
        raise TypeError(
            f"{where}: {name} must be {expected}; got {value!r} "
            f"of type {type(value).__name__}"
        )
    if len(value) == 0 or (ndim is not None and len(value) != ndim):
        raise ValueError(f"{where}: {name} must be {expected}; got {value!r}")
    return tuple(check_int(size, name, where) for size in value)


class Flatten(BaseLayer):
    """Flatten each sample: (n_samples, d1, d2, ...) -> (n_samples, d1 * d2 * ...).

    Parameters
    ----------
    input_shape : tuple of int, optional
        Shape of one input sample, e.g. ``(1, 28, 28)``. Lets a model whose
        first layer this is infer and check every shape when it is built.

    Notes
    -----
    Values are taken in C order, as by ``X.reshape(len(X), -1)`` and PyTorch's
    ``nn.Flatten``, so a (N, C, H, W) batch flattens channel by channel. The
    backward pass reshapes the gradient back to the input shape. Both return
    views when the memory layout allows; nothing is computed. The output keeps
    the input's dtype (integer and boolean inputs become float64).

    Examples
    --------
    >>> import numpy as np
    >>> Flatten().forward(np.zeros((5, 2, 3, 4))).shape
    (5, 24)
    """

    layer_name = "flatten"

    def __init__(self, *, input_shape=None) -> None:
        super().__init__()
        self.input_shape = None
        if input_shape is not None:
            self.input_shape = _as_shape(input_shape, "input_shape", "Flatten")
        self.X_shape: tuple[int, ...] | None = None

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = _float_batch(X_input, self._where("forward"))
        self.X_shape = X.shape
        self._dtype = X.dtype
        return X.reshape(X.shape[0], -1)

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        X_shape = self._forward_cache("X_shape")
        grad = self._check_grad(
            grad_next, (X_shape[0], int(np.prod(X_shape[1:]))), dtype=self._dtype
        )
        return grad.reshape(X_shape)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        _check_declared(self, input_shape)
        return (int(np.prod(input_shape)),)

    def get_config(self) -> dict:
        shape = self.input_shape
        return {"input_shape": None if shape is None else list(shape)}

    def __repr__(self) -> str:
        return "Flatten()"


class Reshape(BaseLayer):
    """Give each sample a new shape: (n_samples, ...) -> (n_samples, *target_shape).

    Parameters
    ----------
    target_shape : tuple of int
        Shape of one output sample; one entry may be -1, inferred from the
        number of values (as in ``numpy.reshape``).
    input_shape : tuple of int, optional
        Shape of one input sample, for a model's shape inference.

    Notes
    -----
    The reshape is in C order, like ``X.reshape(len(X), *target_shape)``; the
    backward pass reshapes the gradient back. Both return views when the
    memory layout allows. A typical use turns flat rows into images, e.g.
    ``Reshape((1, 28, 28))`` before a ``Conv2D``.

    Examples
    --------
    >>> import numpy as np
    >>> Reshape((1, 2, 3)).forward(np.zeros((4, 6))).shape
    (4, 1, 2, 3)
    >>> Reshape((-1, 2)).output_shape((3, 4))
    (6, 2)
    """

    layer_name = "reshape"

    def __init__(self, target_shape, *, input_shape=None) -> None:
        super().__init__()
        where = "Reshape"
        if not isinstance(target_shape, tuple | list) or len(target_shape) == 0:
            raise TypeError(
                f"{where}: target_shape must be a tuple of ints; got "
                f"{target_shape!r} of type {type(target_shape).__name__}"
            )
        sizes = tuple(
            check_int(size, "target_shape", where, minimum=-1) for size in target_shape
        )
        if 0 in sizes or sizes.count(-1) > 1:
            raise ValueError(
                f"{where}: target_shape entries must be >= 1, with at most one "
                f"-1 to infer; got {target_shape!r}"
            )
        self.target_shape = sizes
        self.input_shape = None
        if input_shape is not None:
            shape = _as_shape(input_shape, "input_shape", where)
            self.output_shape(shape)
            self.input_shape = shape
        self.X_shape: tuple[int, ...] | None = None

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = _float_batch(X_input, self._where("forward"))
        try:
            target = self._resolve(X.shape[1:])
        except ValueError as error:
            raise ValueError(f"{self._where('forward')}: {error}") from None
        self.X_shape = X.shape
        self._dtype = X.dtype
        return X.reshape(X.shape[0], *target)

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        X_shape = self._forward_cache("X_shape")
        expected = (X_shape[0], *self._resolve(X_shape[1:]))
        grad = self._check_grad(grad_next, expected, dtype=self._dtype)
        return grad.reshape(X_shape)

    def _resolve(self, sample_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The target shape for samples of ``sample_shape``, -1 filled in."""
        size = int(np.prod(sample_shape))
        known = int(np.prod([s for s in self.target_shape if s != -1]))
        if -1 in self.target_shape and size % known == 0:
            return tuple(size // known if s == -1 else s for s in self.target_shape)
        if known != size or -1 in self.target_shape:
            raise ValueError(
                f"Reshape cannot turn samples of shape {sample_shape} ({size} "
                f"values) into shape {self.target_shape}"
            )
        return self.target_shape

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        _check_declared(self, input_shape)
        return self._resolve(tuple(input_shape))

    def get_config(self) -> dict:
        shape = self.input_shape
        return {
            "target_shape": list(self.target_shape),
            "input_shape": None if shape is None else list(shape),
        }

    def __repr__(self) -> str:
        return f"Reshape({self.target_shape})"


def _float_batch(X, where: str) -> np.ndarray:
    """``X`` as a float array with a batch axis and at least one more axis."""
    if not (isinstance(X, np.ndarray) and X.dtype.kind == "f"):
        X = as_float_array(X, "X_input", where, ndim=None, check_finite=False)
    if X.ndim < 2:
        raise ValueError(
            f"{where}: expected X_input of shape (n_samples, ...) with at least 2 "
            f"dimensions; got shape {X.shape}{_reshape_hint(X.ndim)}"
        )
    return X


def _check_declared(layer: BaseLayer, input_shape: tuple[int, ...]) -> None:
    """Raise ValueError if ``input_shape`` differs from the declared one."""
    declared = getattr(layer, "input_shape", None)
    if declared is not None and tuple(input_shape) != declared:
        raise ValueError(
            f"{type(layer).__name__} was declared with input_shape={declared}, "
            f"got samples of shape {tuple(input_shape)}"
        )
