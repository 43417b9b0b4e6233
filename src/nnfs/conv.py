"""Convolution and pooling layers for sequences and images, channels first.

Layout. Batches are channels-first, as in PyTorch: ``(n_samples, channels,
length)`` for the 1-D layers and ``(n_samples, channels, height, width)`` for
the 2-D ones (``(N, C, L)`` and ``(N, C, H, W)`` below). Channels-last data,
``(N, H, W, C)`` as Keras and most image files store it, converts with
``X.transpose(0, 3, 1, 2)``; a batch of grey images ``(N, H, W)`` gains its
channel axis with ``X[:, None]``.

Windows. Every layer here slides a window of ``kernel_size`` over the spatial
axes. Along one axis of input size ``L``, with ``stride`` s, ``dilation`` d and
``padding`` p before and after, the window covers ``span = d * (k - 1) + 1``
positions and there are ``(L + 2 p - span) // s + 1`` outputs; output ``o``
reads the (padded) inputs ``o * s + i * d`` for ``i = 0 .. k - 1``.
``padding="same"`` pads so that there are ``ceil(L / s)`` outputs (the input
size itself when s = 1), splitting the padding evenly with the odd one after,
as TensorFlow does (and PyTorch, which allows "same" for stride 1 only);
``"valid"`` (the default) means no padding.

How a convolution is computed (im2col). The forward pass copies every window
into the columns of one matrix, ``cols`` of shape (C * kh * kw, N * H_out *
W_out), so the whole convolution is one matrix product ``W @ cols``. The
backward pass multiplies by ``W.T`` to get the gradient of ``cols`` and adds
each column back to the input positions it was copied from (col2im): an input
read by several windows receives the sum of their gradients.
"""

import math
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nnfs import initializers
from nnfs._validation import as_float_array, check_dtype, check_int, check_rng
from nnfs.layers import (
    _INIT_CHOICES,
    _INIT_STD,
    BaseLayer,
    _as_shape,
    _check_declared,
)

__all__ = [
    "AvgPool2D",
    "Conv1D",
    "Conv2D",
    "GlobalAveragePooling",
    "MaxPool1D",
    "MaxPool2D",
]

_PADDING_MODES = ("valid", "same")


def _as_tuple(value, n: int, name: str, where: str, minimum: int) -> tuple[int, ...]:
    """An int, or a tuple or list of ``n`` ints, as a tuple of ``n`` ints."""
    if isinstance(value, tuple | list):
        if len(value) != n:
            raise ValueError(
                f"{where}: {name} must be an int or a sequence of {n} ints; "
                f"got {value!r}"
            )
        return tuple(check_int(item, name, where, minimum=minimum) for item in value)
    return (check_int(value, name, where, minimum=minimum),) * n


def _check_padding(padding, n: int, where: str) -> str | tuple[int, ...]:
    """``"valid"``, ``"same"``, or the padding of each axis as a tuple of ints."""
    expected = f"'valid', 'same', an int or a sequence of {n} ints"
    if isinstance(padding, str):
        if padding not in _PADDING_MODES:
            raise ValueError(f"{where}: padding must be {expected}; got {padding!r}")
        return padding
    if isinstance(padding, bool) or not isinstance(padding, Integral | tuple | list):
        raise TypeError(
            f"{where}: padding must be {expected}; got {padding!r} "
            f"of type {type(padding).__name__}"
        )
    return _as_tuple(padding, n, "padding", where, minimum=0)


def _spatial_names(n_spatial: int) -> str:
    return "length" if n_spatial == 1 else "height, width"


class _WindowLayer(BaseLayer):
    """What every layer sliding a window over the spatial axes shares.

    Subclasses set ``n_spatial`` (1 or 2) and call :meth:`_init_window`. A
    layer with an ``in_channels`` attribute (a convolution) requires that many
    input channels; the others (pooling) take any number.
    """

    n_spatial = 2

    def _init_window(
        self, kernel_size, stride, padding, dilation, input_shape, where
    ) -> None:
        n = self.n_spatial
        self.kernel_size = _as_tuple(kernel_size, n, "kernel_size", where, 1)
        stride = self.kernel_size if stride is None else stride
        self.stride = _as_tuple(stride, n, "stride", where, 1)
        self.padding = _check_padding(padding, n, where)
        self.dilation = _as_tuple(dilation, n, "dilation", where, 1)
        # Kernel taps (i, j) in row-major order: (0, 0), (0, 1), ...
        self._taps = list(np.ndindex(*self.kernel_size))
        self.input_shape = None
        if input_shape is not None:
            shape = _as_shape(input_shape, "input_shape", where, ndim=1 + n)
            try:
                self.output_shape(shape)  # a ValueError now, not in a model
            except ValueError as error:
                raise ValueError(
                    f"{where}: input_shape={shape} does not fit: {error}"
                ) from None
            self.input_shape = shape

    # ------------------------------------------------------------ geometry

    def _geometry(self, spatial: tuple[int, ...], where: str):
        """Padding ``(before, after)`` and output size along each spatial axis.

        Raises ValueError when the input is too small for one window.
        """
        pads, out_shape = [], []
        for axis, (size, k, s, d) in enumerate(
            zip(spatial, self.kernel_size, self.stride, self.dilation, strict=True)
        ):
            span = d * (k - 1) + 1  # extent of one window in the input
            if self.padding == "same":
                n_out = -(-size // s)  # ceil(size / s)
                total = max((n_out - 1) * s + span - size, 0)
                pad = (total // 2, total - total // 2)
            else:
                p = 0 if self.padding == "valid" else self.padding[axis]
                pad = (p, p)
                n_out = (size + 2 * p - span) // s + 1
            if n_out < 1:
                raise ValueError(
                    f"{where}: input of spatial size {spatial} is smaller than "
                    f"the window: kernel_size {self.kernel_size} with dilation "
                    f"{self.dilation} spans {span} along axis {axis + 2} but "
                    f"the padded input has {size + sum(pad)}"
                )
            pads.append(pad)
            out_shape.append(n_out)
        return tuple(pads), tuple(out_shape)

    def _check_sample_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Check one input sample's shape; return the output spatial shape."""
        name = type(self).__name__
        channels = getattr(self, "in_channels", None)
        if len(input_shape) != 1 + self.n_spatial or (
            channels is not None and input_shape[0] != channels
        ):
            expected = "channels" if channels is None else str(channels)
            raise ValueError(
                f"{name} expected samples of shape ({expected}, "
                f"{_spatial_names(self.n_spatial)}), got samples of shape "
                f"{input_shape}"
            )
        _check_declared(self, input_shape)
        return self._geometry(tuple(input_shape[1:]), name)[1]

    # ------------------------------------------------------------ windows

    def _check_input(self, X_input, dtype=None) -> np.ndarray:
        """The batch as a float array of the right rank and channel count."""
        where = self._where("forward")
        X = X_input
        if not (
            isinstance(X, np.ndarray)
            and (X.dtype == dtype if dtype is not None else X.dtype.kind == "f")
        ):
            X = as_float_array(
                X, "X_input", where, dtype=dtype, ndim=None, check_finite=False
            )
        channels = getattr(self, "in_channels", None)
        ndim = 2 + self.n_spatial
        if X.ndim != ndim or (channels is not None and X.shape[1] != channels):
            expected = "channels" if channels is None else str(channels)
            raise ValueError(
                f"{where}: expected X_input of shape (n_samples, {expected}, "
                f"{_spatial_names(self.n_spatial)}); got shape {X.shape}"
                f"{self._layout_hint(X.shape, channels)}"
            )
        return X

    def _layout_hint(self, shape: tuple[int, ...], channels: int | None) -> str:
        """How to turn a batch of a common other layout into the expected one."""
        ndim = 2 + self.n_spatial
        if len(shape) == ndim and channels is not None and shape[-1] == channels:
            order = (0, ndim - 1, *range(1, ndim - 1))
            return (
                "; the layers are channels-first: convert channels-last data "
                f"with X.transpose{order}"
            )
        if len(shape) == ndim - 1 and channels in (None, 1):
            return "; add the channel axis with X[:, None]"
        return ""

    def _padded(self, X: np.ndarray, pads, fill: float) -> np.ndarray:
        """X with ``fill`` added around each spatial axis: (N, C, *padded)."""
        if not any(before or after for before, after in pads):
            return X
        return np.pad(X, ((0, 0), (0, 0), *pads), constant_values=fill)

    def _windows(self, X_padded: np.ndarray, out_shape) -> np.ndarray:
        """Read-only view of every window, shape (N, C, *out_shape, *kernel).

        In 2-D: ``windows[n, c, p, q, i, j] = X_padded[n, c, p * sh + i * dh,
        q * sw + j * dw]``. Nothing is copied.
        """
        spans = [
            d * (k - 1) + 1
            for k, d in zip(self.kernel_size, self.dilation, strict=True)
        ]
        axes = tuple(range(2, 2 + self.n_spatial))
        # Every window of the full span at every position:
        # view[n, c, p, q, a, b] = X_padded[n, c, p + a, q + b].
        view = sliding_window_view(X_padded, spans, axis=axes)
        # Keep the positions the stride visits and the taps the dilation reads.
        starts = [
            slice(0, s * (o - 1) + 1, s)
            for s, o in zip(self.stride, out_shape, strict=True)
        ]
        taps = [slice(None, None, d) for d in self.dilation]
        return view[(slice(None), slice(None), *starts, *taps)]

    def _tap_slices(self, tap: tuple[int, ...], out_shape) -> tuple[slice, ...]:
        """Where kernel tap ``tap`` = (i, j) reads in the padded input.

        ``X_padded[:, :, *slices]`` has shape (N, C, *out_shape) and holds
        ``X_padded[n, c, p * sh + i * dh, q * sw + j * dw]`` at ``[n, c, p, q]``:
        the same values as ``windows[..., i, j]``.
        """
        return (slice(None), slice(None)) + tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s)
            for i, s, d, o in zip(
                tap, self.stride, self.dilation, out_shape, strict=True
            )
        )

    def _col2im(self, grad_cols: np.ndarray, padded_shape, out_shape) -> np.ndarray:
        """Add the gradient of every gathered copy back where it was read from.

        ``grad_cols[k]`` (shape (A, B, *out_shape)) is the gradient of the
        values kernel tap ``k`` read, for all windows at once; it goes back
        into the strided slice of the padded input that tap read. An input
        read by several windows (or taps) receives the sum of their gradients.
        Returns the gradient of the padded input, shape ``padded_shape``.
        """
        grad_padded = np.zeros(padded_shape, dtype=grad_cols.dtype)  # (A, B, Hp, Wp)
        for k, tap in enumerate(self._taps):
            grad_padded[self._tap_slices(tap, out_shape)] += grad_cols[k]
        return grad_padded

    @staticmethod
    def _unpadded(X_padded: np.ndarray, pads) -> np.ndarray:
        """The inverse of :meth:`_padded`: a view of the interior."""
        return X_padded[
            (slice(None), slice(None))
            + tuple(
                slice(before, size - after)
                for (before, after), size in zip(pads, X_padded.shape[2:], strict=True)
            )
        ]

    def _training_cache(self, name: str):
        """A value only a forward pass with ``training`` True keeps."""
        value = getattr(self, name, None)
        if value is None:
            raise RuntimeError(
                f"{self._where('backward')}: forward must run before backward, "
                "with training = True (predict and evaluate set it to False, "
                "and then the forward pass keeps nothing for backward)"
            )
        return value

    def _window_config(self) -> dict:
        padding = self.padding
        return {
            "kernel_size": list(self.kernel_size),
            "stride": list(self.stride),
            "padding": padding if isinstance(padding, str) else list(padding),
            "dilation": list(self.dilation),
            "input_shape": None if self.input_shape is None else list(self.input_shape),
        }

    def _window_repr(self) -> str:
        parts = [f"kernel_size={self.kernel_size}", f"stride={self.stride}"]
        parts.append(f"padding={self.padding!r}")
        if any(d != 1 for d in self.dilation):
            parts.append(f"dilation={self.dilation}")
        return ", ".join(parts)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        out_shape = self._check_sample_shape(tuple(input_shape))
        return (getattr(self, "out_channels", input_shape[0]), *out_shape)


# ---------------------------------------------------------------- convolutions


class _Conv(_WindowLayer):
    """Convolution over ``n_spatial`` axes; see :class:`Conv2D`."""

    param_names = ("W", "b")

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding="valid",
        dilation=1,
        *,
        init: str | initializers.Initializer | dict = "auto",
        dtype=np.float32,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        input_shape=None,
    ) -> None:
        super().__init__()
        where = type(self).__name__
        self.in_channels = check_int(in_channels, "in_channels", where)
        self.out_channels = check_int(out_channels, "out_channels", where)
        self._init_window(kernel_size, stride, padding, dilation, input_shape, where)
        if isinstance(init, dict):  # an initializer's get_config()
            init = initializers.get(init)
        if not (
            isinstance(init, initializers.Initializer)
            or (isinstance(init, str) and init in _INIT_CHOICES)
        ):
            raise ValueError(
                f"{where}: init must be one of {_INIT_CHOICES} or an "
                f"nnfs.initializers object; got {init!r}"
            )
        self.init = init
        self.dtype = check_dtype(dtype, where)
        source = check_rng(seed, rng, where)

        # Each output value sums in_channels * prod(kernel) products, and each
        # input value reaches out_channels * prod(kernel) outputs.
        receptive = math.prod(self.kernel_size)
        self._fans = (self.in_channels * receptive, self.out_channels * receptive)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self._auto_draw = None
        if isinstance(init, initializers.Initializer):
            self.W = init(shape, *self._fans, source, self.dtype)
        else:
            scheme = "he" if init == "auto" else init.removesuffix("_uniform")
            std = _INIT_STD[scheme](*self._fans)
            if init.endswith("_uniform"):
                limit = std * np.sqrt(3.0)  # uniform on [-a, a]: variance a**2 / 3
                weights = source.uniform(-limit, limit, size=shape)
            else:
                weights = source.normal(0.0, std, size=shape)
            self.W = weights.astype(self.dtype)
            if init == "auto":
                # As in Dense: an "auto" init keeps its unit-variance draw
                # until the layer trains, so that a model can give it the
                # scale the next layer calls for.
                self._auto_draw = weights / std
                self._auto_scheme = scheme
                self.W = self._auto_weights(scheme)
        self.b = np.zeros(self.out_channels, dtype=self.dtype)
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None
        self.cols: np.ndarray | None = None

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = self._check_input(X_input, self.dtype)  # (N, C, H, W)
        n_samples = X.shape[0]
        pads, out_shape = self._geometry(X.shape[2:], self._where("forward"))
        n_rows = self.in_channels * math.prod(self.kernel_size)  # C * kh * kw
        n_cols = n_samples * math.prod(out_shape)  # N * H_out * W_out

        # im2col: cols[c, i, j, n, p, q] = X_padded[n, c, p*sh + i*dh, q*sw + j*dw]
        X_padded = self._padded(X, pads, 0.0)
        windows = self._windows(X_padded, out_shape)  # (N, C, H_out, W_out, kh, kw)
        cols = np.empty((n_rows, n_cols), dtype=self.dtype)
        tap_axes = range(2 + self.n_spatial, 2 + 2 * self.n_spatial)
        out_axes = range(2, 2 + self.n_spatial)
        np.copyto(
            cols.reshape(self.in_channels, *self.kernel_size, n_samples, *out_shape),
            windows.transpose(1, *tap_axes, 0, *out_axes),  # (C, kh, kw, N, Ho, Wo)
        )

        # The convolution: one matrix product, (O, C*kh*kw) @ (C*kh*kw, N*Ho*Wo).
        output = self.W.reshape(self.out_channels, n_rows) @ cols  # (O, N*Ho*Wo)
        output += self.b[:, None]

        # Backward needs the windows again; inference (predict) does not.
        self.cols = cols if self.training else None
        self._shapes = (X.shape, X_padded.shape, pads, out_shape)
        output = output.reshape(self.out_channels, n_samples, *out_shape)
        return output.swapaxes(0, 1)  # (N, O, H_out, W_out), a transposed view

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        grad = self._param_gradients(grad_next)  # (O, N*Ho*Wo)
        X_shape, padded_shape, pads, out_shape = self._shapes
        n_samples, n_taps = X_shape[0], len(self._taps)

        # Gradient of every gathered value: (C*kh*kw, O) @ (O, N*Ho*Wo).
        grad_cols = self.W.reshape(self.out_channels, -1).T @ grad
        grad_cols = grad_cols.reshape(self.in_channels, n_taps, n_samples, *out_shape)

        # col2im, tap by tap: grad_cols[:, k] (C, N, Ho, Wo) goes back to the
        # input positions tap k read. Summing in (C, N, ...) order keeps both
        # sides of each addition in the same memory order.
        channels_first = (self.in_channels, n_samples, *padded_shape[2:])
        grad_padded = self._col2im(grad_cols.swapaxes(0, 1), channels_first, out_shape)
        grad_input = self._unpadded(grad_padded, pads)  # (C, N, H, W)
        return grad_input.swapaxes(0, 1)  # (N, C, H, W), a transposed view

    def backward_params(self, grad_next: np.ndarray) -> None:
        self._param_gradients(grad_next)

    def _param_gradients(self, grad_next: np.ndarray) -> np.ndarray:
        """Store dW and db; return the upstream gradient as (O, N*Ho*Wo)."""
        cols = self._training_cache("cols")
        X_shape, _, _, out_shape = self._shapes
        n_samples = X_shape[0]
        grad = self._check_grad(
            grad_next, (n_samples, self.out_channels, *out_shape), dtype=self.dtype
        )
        # The gradient in the layout of the forward product's result.
        grad_rows = np.empty((self.out_channels, cols.shape[1]), dtype=self.dtype)
        np.copyto(
            grad_rows.reshape(self.out_channels, n_samples, *out_shape),
            grad.swapaxes(0, 1),  # (O, N, Ho, Wo)
        )

        # dW = G @ cols.T: (O, N*Ho*Wo) @ (N*Ho*Wo, C*kh*kw); db sums G's rows.
        self.dW = (grad_rows @ cols.T).reshape(self.W.shape)  # (O, C, kh, kw)
        self.db = grad_rows.sum(axis=1)  # (O,)
        self._auto_draw = None
        return grad_rows

    def get_config(self) -> dict:
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            **self._window_config(),
            "init": self.init if isinstance(self.init, str) else self.init.get_config(),
            "dtype": self.dtype.name,
        }

    def _resolve_auto_init(self, scheme: str) -> None:
        """Give "auto" weights the scale of ``scheme``; see ``Dense``."""
        if self._auto_draw is None:
            return
        if not np.array_equal(self.W, self._auto_weights(self._auto_scheme)):
            self._auto_draw = None  # the caller set the weights
            return
        self.W[...] = self._auto_weights(scheme)
        self._auto_scheme = scheme

    def _auto_weights(self, scheme: str) -> np.ndarray:
        std = _INIT_STD[scheme](*self._fans)
        return (self._auto_draw * std).astype(self.dtype)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
            f"{self._window_repr()}, init={self.init!r}, dtype={self.dtype.name})"
        )


class Conv1D(_Conv):
    """1-D convolution (cross-correlation) over sequences, channels first.

    Parameters
    ----------
    in_channels : int
        Channels of the input, ``C``.
    out_channels : int
        Channels of the output (number of filters), ``O``.
    kernel_size : int or tuple of 1 int
        Length of each filter, ``k``.
    stride : int or tuple of 1 int, default=1
        Step between windows.
    padding : {"valid", "same"} or int or tuple of 1 int, default="valid"
        Zeros added at both ends: none, enough for ``ceil(L / stride)``
        outputs, or the given number at each end. See :mod:`nnfs.conv`.
    dilation : int or tuple of 1 int, default=1
        Spacing between the taps of a filter.
    init : str or nnfs.initializers.Initializer, default="auto"
        Weight initialisation as in :class:`~nnfs.layers.Dense`, with
        ``fan_in = C * k`` and ``fan_out = O * k``.
    dtype : float32 or float64, default=float32
        Dtype of the parameters and of the computation.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator, optional
        Random generator to draw from; with neither, NumPy's global state.
    input_shape : tuple of 2 int, optional
        Shape of one input sample, ``(C, L)``. Lets a model whose first layer
        this is infer and check every shape when it is built.

    Attributes
    ----------
    W : ndarray of shape (out_channels, in_channels, kernel_size)
    b : ndarray of shape (out_channels,)
        Initialised to zeros.
    dW, db : ndarray or None
        Gradients of the last ``backward``, same shapes as ``W`` and ``b``.

    Notes
    -----
    Input (N, C, L), output (N, O, L_out) with ``X_padded`` the padded input::

        y[n, o, t] = b[o] + sum_{c, i} W[o, c, i] * X_padded[n, c, t*s + i*d]

    The computation and its gradient are those of :class:`Conv2D` with one
    spatial axis.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Conv1D(2, 4, kernel_size=3, padding="same", seed=0)
    >>> layer.forward(np.ones((5, 2, 10), dtype=np.float32)).shape
    (5, 4, 10)
    """

    layer_name = "conv1d"
    n_spatial = 1


class Conv2D(_Conv):
    """2-D convolution (cross-correlation) over images, channels first.

    Parameters
    ----------
    in_channels : int
        Channels of the input, ``C``.
    out_channels : int
        Channels of the output (number of filters), ``O``.
    kernel_size : int or tuple of 2 int
        Filter size ``(kh, kw)``; an int means a square filter.
    stride : int or tuple of 2 int, default=1
        Step between windows, ``(sh, sw)``.
    padding : {"valid", "same"} or int or tuple of 2 int, default="valid"
        Zeros added around the image: none, enough for ``ceil(H / sh)`` by
        ``ceil(W / sw)`` outputs, or the given number on both sides of each
        axis. See :mod:`nnfs.conv`.
    dilation : int or tuple of 2 int, default=1
        Spacing between the taps of a filter, ``(dh, dw)``.
    init : str or nnfs.initializers.Initializer, default="auto"
        Weight initialisation as in :class:`~nnfs.layers.Dense` ("auto",
        "he", "glorot", "he_uniform", "glorot_uniform" or an initialiser
        object), with ``fan_in = C * kh * kw`` and ``fan_out = O * kh * kw``.
    dtype : float32 or float64, default=float32
        Dtype of the parameters and of the computation.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator, optional
        Random generator to draw from; with neither, NumPy's global state.
    input_shape : tuple of 3 int, optional
        Shape of one input sample, ``(C, H, W)``, e.g. ``(1, 28, 28)``. Lets a
        model whose first layer this is infer and check every shape when it
        is built, and check the data given to ``fit`` and ``predict``.

    Attributes
    ----------
    W : ndarray of shape (out_channels, in_channels, kh, kw)
    b : ndarray of shape (out_channels,)
        Initialised to zeros.
    dW, db : ndarray or None
        Gradients of the last ``backward``, same shapes as ``W`` and ``b``.

    Notes
    -----
    Input (N, C, H, W), output (N, O, H_out, W_out). Like PyTorch's
    ``conv2d``, this is a cross-correlation (the filter is not flipped)::

        y[n, o, p, q] = b[o] + sum_{c, i, j} W[o, c, i, j]
                               * X_padded[n, c, p*sh + i*dh, q*sw + j*dw]

    With the windows gathered as ``cols`` (C*kh*kw, N*H_out*W_out) and
    ``G = dL/dy`` arranged as (O, N*H_out*W_out)::

        y         = W @ cols + b         (O, N*H_out*W_out)
        dL/dW     = G @ cols.T           (O, C*kh*kw)
        dL/db     = sum of G's columns   (O,)
        dL/dcols  = W.T @ G              (C*kh*kw, N*H_out*W_out)

    and dL/dX adds each entry of dL/dcols to the input it was copied from
    (col2im). The output is a transposed view of the (O, N, H_out, W_out)
    product, so it is not C-contiguous; the next layer reads it as any array.
    ``cols`` (C*kh*kw*N*H_out*W_out values) is kept from forward to backward
    while ``training`` is True; a forward pass with ``training`` False (as in
    ``predict``) keeps nothing, and ``backward`` then raises RuntimeError.
    The parameters' dtype is the compute dtype: inputs are cast to it.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Conv2D(1, 8, kernel_size=3, padding="same", seed=0)
    >>> layer.forward(np.ones((2, 1, 28, 28), dtype=np.float32)).shape
    (2, 8, 28, 28)
    >>> Conv2D(3, 4, kernel_size=(3, 5), stride=2).output_shape((3, 32, 32))
    (4, 15, 14)
    """

    layer_name = "conv2d"
    n_spatial = 2


# --------------------------------------------------------------------- pooling


class _Pool(_WindowLayer):
    """Shared constructor of the window-pooling layers; see :class:`MaxPool2D`."""

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding="valid",
        dilation=1,
        *,
        input_shape=None,
    ) -> None:
        super().__init__()
        where = type(self).__name__
        self._init_window(kernel_size, stride, padding, dilation, input_shape, where)
        self.output: np.ndarray | None = None

    def _geometry(self, spatial, where):
        pads, out_shape = super()._geometry(spatial, where)
        # A window of padding alone would pool nothing (a max of -inf).
        for axis, (size, (before, _), k, s, d, n_out) in enumerate(
            zip(
                spatial,
                pads,
                self.kernel_size,
                self.stride,
                self.dilation,
                out_shape,
                strict=True,
            )
        ):
            reads = np.arange(n_out)[:, None] * s + np.arange(k) * d - before
            if not ((reads >= 0) & (reads < size)).any(axis=1).all():
                raise ValueError(
                    f"{where}: with padding {self.padding!r} and dilation "
                    f"{self.dilation}, some windows over an input of spatial "
                    f"size {spatial} hold only padding along axis {axis + 2}; "
                    "use less padding"
                )
        return pads, out_shape

    def _gather(self, X: np.ndarray, fill: float) -> np.ndarray:
        """Copy what every window reads, tap by tap: (kh*kw, N, C, Ho, Wo).

        ``cols[k, n, c, p, q]`` is the value tap ``k`` = (i, j) of window
        (p, q) reads: ``X_padded[n, c, p*sh + i*dh, q*sw + j*dw]``, with
        ``fill`` in the padding. Records what ``backward`` needs.
        """
        pads, out_shape = self._geometry(X.shape[2:], self._where("forward"))
        X_padded = self._padded(X, pads, fill)
        windows = self._windows(X_padded, out_shape)  # (N, C, Ho, Wo, kh, kw)
        cols = np.empty((*self.kernel_size, *X.shape[:2], *out_shape), X.dtype)
        tap_axes = range(2 + self.n_spatial, 2 + 2 * self.n_spatial)
        out_axes = range(2, 2 + self.n_spatial)
        np.copyto(cols, windows.transpose(*tap_axes, 0, 1, *out_axes))
        self._shapes = (X_padded.shape, pads, out_shape)
        return cols.reshape(len(self._taps), *X.shape[:2], *out_shape)

    def _scatter(self, grad_cols: np.ndarray) -> np.ndarray:
        """The input gradient from the gradient of the gathered values."""
        padded_shape, pads, out_shape = self._shapes
        grad_padded = self._col2im(grad_cols, padded_shape, out_shape)
        return self._unpadded(grad_padded, pads)  # (N, C, H, W)

    def get_config(self) -> dict:
        return self._window_config()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._window_repr()})"


class _MaxPool(_Pool):
    """Max pooling over ``n_spatial`` axes; see :class:`MaxPool2D`."""

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = self._check_input(X_input)  # (N, C, H, W)

        # Padding holds -inf, so it never wins a window.
        cols = self._gather(X, -np.inf)  # (K, N, C, Ho, Wo), K = kh*kw taps
        output = cols.max(axis=0)  # (N, C, Ho, Wo)
        self.output = output
        if not self.training:  # inference: backward will not run
            self.winners = None
            return output

        # The tap that won each window: the first maximum in row-major order.
        winners = np.empty(cols.shape, dtype=bool)  # (K, N, C, Ho, Wo)
        taken = np.zeros(output.shape, dtype=bool)  # some earlier tap won
        for k in range(len(cols)):
            np.equal(cols[k], output, out=winners[k])
            winners[k] &= ~taken
            taken |= winners[k]

        self.winners = winners
        return output

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        winners = self._training_cache("winners")
        output = self.output
        grad = self._check_grad(grad_next, output.shape, dtype=output.dtype)

        # An output is a copy of its window's winner, so its gradient goes
        # there alone; the other taps of the window get 0.
        grad_cols = np.multiply(winners, grad, dtype=grad.dtype)  # (K, N, C, Ho, Wo)
        return self._scatter(grad_cols)


class MaxPool1D(_MaxPool):
    """1-D max pooling over sequences (N, C, L): the largest value of each window.

    Parameters
    ----------
    kernel_size : int or tuple of 1 int
        Window length.
    stride : int or tuple of 1 int, optional
        Step between windows; defaults to ``kernel_size`` (no overlap).
    padding : {"valid", "same"} or int or tuple of 1 int, default="valid"
        Padding at both ends (see :mod:`nnfs.conv`); padded positions never win.
    dilation : int or tuple of 1 int, default=1
        Spacing between the positions a window reads.
    input_shape : tuple of 2 int, optional
        Shape of one input sample, ``(C, L)``, for a model's shape inference.

    Notes
    -----
    Works per channel; gradients and ties as in :class:`MaxPool2D`.

    Examples
    --------
    >>> import numpy as np
    >>> MaxPool1D(2).forward(np.array([[[1.0, 3.0, 2.0, 0.0, 5.0]]]))
    array([[[3., 2.]]])
    """

    layer_name = "maxpool1d"
    n_spatial = 1


class MaxPool2D(_MaxPool):
    """2-D max pooling over images (N, C, H, W): the largest value of each window.

    Parameters
    ----------
    kernel_size : int or tuple of 2 int
        Window size ``(kh, kw)``.
    stride : int or tuple of 2 int, optional
        Step between windows; defaults to ``kernel_size`` (no overlap).
    padding : {"valid", "same"} or int or tuple of 2 int, default="valid"
        Padding around each axis (see :mod:`nnfs.conv`); padded positions
        never win. Every window must hold at least one input value.
    dilation : int or tuple of 2 int, default=1
        Spacing between the positions a window reads.
    input_shape : tuple of 3 int, optional
        Shape of one input sample, ``(C, H, W)``, for a model's shape inference.

    Attributes
    ----------
    winners : ndarray of bool of shape (kh * kw, N, C, H_out, W_out) or None
        ``winners[k]`` marks the windows whose maximum tap ``k`` (row-major
        over ``kh, kw``) supplied, from the last training ``forward``; None
        after a forward with ``training`` False, which skips it.

    Notes
    -----
    Each channel is pooled on its own::

        y[n, c, p, q] = max_{i, j} X_padded[n, c, p*sh + i*dh, q*sw + j*dw]

    The gradient of an output goes entirely to the input that won its window
    (where windows overlap, an input collects the gradients of every window it
    won). Ties go to the first position in row-major window order, as in
    PyTorch's CPU kernel; the max is not differentiable there.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> MaxPool2D(2).forward(X)
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """

    layer_name = "maxpool2d"
    n_spatial = 2


class AvgPool2D(_Pool):
    """2-D average pooling over images (N, C, H, W): the mean of each window.

    Parameters
    ----------
    kernel_size : int or tuple of 2 int
        Window size ``(kh, kw)``.
    stride : int or tuple of 2 int, optional
        Step between windows; defaults to ``kernel_size`` (no overlap).
    padding : {"valid", "same"} or int or tuple of 2 int, default="valid"
        Zeros added around each axis (see :mod:`nnfs.conv`). Every window must
        hold at least one input value.
    dilation : int or tuple of 2 int, default=1
        Spacing between the positions a window reads.
    input_shape : tuple of 3 int, optional
        Shape of one input sample, ``(C, H, W)``, for a model's shape inference.

    Notes
    -----
    With ``K = kh * kw``::

        y[n, c, p, q] = sum_{i, j} X_padded[n, c, p*sh + i*dh, q*sw + j*dw] / K
        dL/dX_padded[n, c, p*sh + i*dh, q*sw + j*dw] += G[n, c, p, q] / K

    Padded zeros count in the mean (PyTorch's default,
    ``count_include_pad=True``), so a window overlapping the border averages
    fewer inputs with the same divisor ``K``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> AvgPool2D(2).forward(X)
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    """

    layer_name = "avgpool2d"
    n_spatial = 2

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = self._check_input(X_input)  # (N, C, H, W)
        cols = self._gather(X, 0.0)  # (K, N, C, Ho, Wo), K = kh*kw taps
        output = cols.mean(axis=0)  # (N, C, Ho, Wo)
        self.output = output
        return output

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        output = self._forward_cache("output")
        grad = self._check_grad(grad_next, output.shape, dtype=output.dtype)

        # Every tap of a window gets an equal share of the window's gradient.
        share = grad / len(self._taps)  # (N, C, Ho, Wo)
        return self._scatter(np.broadcast_to(share, (len(self._taps), *share.shape)))


class GlobalAveragePooling(BaseLayer):
    """Mean over all spatial axes: (N, C, ...) -> (N, C).

    Parameters
    ----------
    input_shape : tuple of int, optional
        Shape of one input sample, ``(C, ...)`` with at least one spatial
        axis, for a model's shape inference.

    Notes
    -----
    For any number of spatial axes (sequences, images, volumes), with ``S``
    the number of spatial positions::

        y[n, c]     = sum of X[n, c, ...] / S
        dL/dX[n, c, ...] = G[n, c] / S      (the same at every position)

    Examples
    --------
    >>> import numpy as np
    >>> GlobalAveragePooling().forward(np.arange(8.0).reshape(1, 2, 2, 2))
    array([[1.5, 5.5]])
    """

    layer_name = "global_avg_pool"

    def __init__(self, *, input_shape=None) -> None:
        super().__init__()
        self.input_shape = None
        if input_shape is not None:
            shape = _as_shape(input_shape, "input_shape", "GlobalAveragePooling")
            self.output_shape(shape)
            self.input_shape = shape
        self.X_shape: tuple[int, ...] | None = None

    def forward(self, X_input: np.ndarray) -> np.ndarray:
        X = X_input
        if not (isinstance(X, np.ndarray) and X.dtype.kind == "f"):
            X = as_float_array(
                X, "X_input", self._where("forward"), ndim=None, check_finite=False
            )
        if X.ndim < 3:
            raise ValueError(
                f"{self._where('forward')}: expected X_input of shape (n_samples, "
                f"channels, ...) with at least one spatial axis; got shape {X.shape}"
            )
        self.X_shape = X.shape
        self._dtype = X.dtype
        return X.mean(axis=tuple(range(2, X.ndim)))

    def backward(self, grad_next: np.ndarray) -> np.ndarray:
        X_shape = self._forward_cache("X_shape")
        grad = self._check_grad(grad_next, X_shape[:2], dtype=self._dtype)
        n_positions = math.prod(X_shape[2:])
        share = grad / n_positions  # (N, C)
        grad_input = np.empty(X_shape, dtype=grad.dtype)
        grad_input[...] = share.reshape(share.shape + (1,) * (len(X_shape) - 2))
        return grad_input

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(input_shape) < 2:
            raise ValueError(
                "GlobalAveragePooling expected samples of shape (channels, ...) "
                f"with at least one spatial axis, got samples of shape {input_shape}"
            )
        _check_declared(self, input_shape)
        return (input_shape[0],)

    def get_config(self) -> dict:
        return {
            "input_shape": None if self.input_shape is None else list(self.input_shape)
        }

    def __repr__(self) -> str:
        return "GlobalAveragePooling()"
