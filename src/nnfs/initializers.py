"""Weight initialisers: objects that draw a parameter array of a given shape.

An initialiser is called as ``init(shape, fan_in, fan_out, rng, dtype)`` and
returns a new array. ``Dense(init=...)`` accepts these objects as well as its
strings ("auto", "he", "glorot", ...)::

    Dense(784, 128, init=HeUniform(), seed=0)

The scaled schemes keep the variance of activations (He) or of activations
and gradients (Glorot) about constant from layer to layer:

=================  ================================  ==========================
class              distribution                      scale
=================  ================================  ==========================
``GlorotUniform``  uniform on [-limit, limit]        limit = sqrt(6 / (in + out))
``GlorotNormal``   normal, mean 0                    std = sqrt(2 / (in + out))
``HeUniform``      uniform on [-limit, limit]        limit = sqrt(6 / in)
``HeNormal``       normal, mean 0                    std = sqrt(2 / in)
``Zeros``          all 0
``Constant``       all ``value``
``SeedUniform``    uniform on [0, 1)                 (the seed system's draw)
=================  ================================  ==========================

``in`` and ``out`` are the fan-in and fan-out. The normal variants draw from
an untruncated normal, as PyTorch's ``xavier_normal_`` and
``kaiming_normal_`` do and as ``Dense(init="he")`` does (Keras truncates at
two standard deviations and rescales).

References
----------
.. [1] X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
   feedforward neural networks", AISTATS 2010.
.. [2] K. He, X. Zhang, S. Ren and J. Sun, "Delving Deep into Rectifiers:
   Surpassing Human-Level Performance on ImageNet Classification", ICCV 2015.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod

import numpy as np

from nnfs._validation import check_dtype, check_int, check_real, check_rng

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Initializer",
    "SeedUniform",
    "Zeros",
    "get",
]


def _check_shape(shape, where: str) -> tuple[int, ...]:
    if isinstance(shape, bool) or not isinstance(shape, tuple | list | int):
        raise TypeError(
            f"{where}: shape must be a tuple of ints; got {shape!r} "
            f"of type {type(shape).__name__}"
        )
    if not isinstance(shape, tuple | list):
        shape = (shape,)
    if len(shape) == 0:
        raise ValueError(f"{where}: shape must have at least one dimension; got ()")
    return tuple(check_int(size, "each size in shape", where) for size in shape)


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Default fan-in and fan-out of a weight array of ``shape``.

    2-D ``(in, out)`` as in :class:`~nnfs.layers.Dense`; 1-D: both the length;
    more dimensions: ``(..., in, out)`` with the leading sizes as the
    receptive field (Keras's convention for convolution kernels).
    """
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class Initializer(ABC):
    """Base class of initialisers.

    Subclasses implement ``_draw(shape, fan_in, fan_out, rng)``, returning a
    float64 array; :meth:`__call__` checks the arguments and casts.

    Examples
    --------
    >>> class Ones(Initializer):
    ...     def _draw(self, shape, fan_in, fan_out, rng):
    ...         return np.ones(shape)
    >>> Ones()((2, 3)).sum()
    np.float32(6.0)
    """

    def __call__(
        self,
        shape,
        fan_in: int | None = None,
        fan_out: int | None = None,
        rng=None,
        dtype=np.float32,
    ) -> np.ndarray:
        """Draw a new array.

        Parameters
        ----------
        shape : int or tuple of int
            Shape of the array, every size >= 1.
        fan_in, fan_out : int, optional
            Number of inputs and outputs of each unit, >= 1. By default,
            ``shape`` read as ``(in, out)`` (see Notes).
        rng : numpy.random.Generator or RandomState, optional
            Source of randomness; without it (or given the ``numpy.random``
            module), NumPy's global random state, so ``np.random.seed(n)``
            makes the draw repeatable.
        dtype : float32 or float64, default=float32

        Returns
        -------
        ndarray of shape ``shape`` and dtype ``dtype``

        Notes
        -----
        Default fans: for a 2-D shape ``(in, out)``; for a 1-D shape the
        length for both; for more dimensions ``(..., in, out)``, with the
        product of the leading sizes (a kernel's receptive field)
        multiplying both.
        """
        where = f"{type(self).__name__}"
        shape = _check_shape(shape, where)
        default_in, default_out = _fans(shape)
        fan_in = default_in if fan_in is None else check_int(fan_in, "fan_in", where)
        fan_out = (
            default_out if fan_out is None else check_int(fan_out, "fan_out", where)
        )
        # The numpy.random module itself stands for the global state (what
        # check_rng returns when a layer got neither seed nor rng).
        source = np.random if rng is np.random else check_rng(None, rng, where)
        dtype = check_dtype(dtype, where)
        return np.asarray(self._draw(shape, fan_in, fan_out, source), dtype=dtype)

    @abstractmethod
    def _draw(self, shape, fan_in: int, fan_out: int, rng) -> np.ndarray:
        """The array, in float64 (arguments already checked)."""

    def get_config(self) -> dict:
        """JSON-friendly description: ``{"name": class name, **arguments}``.

        :func:`get` rebuilds the initialiser from it.
        """
        return {"name": type(self).__name__}

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.get_config().items())))

    def __repr__(self) -> str:
        arguments = {k: v for k, v in self.get_config().items() if k != "name"}
        shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
        return f"{type(self).__name__}({shown})"


class GlorotUniform(Initializer):
    """Glorot (Xavier) uniform: U(-limit, limit), limit = sqrt(6 / (in + out)).

    The variance is ``2 / (fan_in + fan_out)``, Glorot & Bengio's compromise
    between keeping forward and backward variances constant; suited to
    tanh, sigmoid and linear units.

    Examples
    --------
    >>> import numpy as np
    >>> W = GlorotUniform()((4, 2), rng=np.random.default_rng(0))
    >>> bool(np.abs(W).max() <= np.sqrt(6 / (4 + 2)))
    True
    """

    def _draw(self, shape, fan_in, fan_out, rng):
        # sqrt(3) * std, the same arithmetic as Dense(init="glorot_uniform").
        limit = math.sqrt(3.0) * np.sqrt(2.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)


class GlorotNormal(Initializer):
    """Glorot (Xavier) normal: N(0, std**2), std = sqrt(2 / (in + out)).

    Examples
    --------
    >>> import numpy as np
    >>> W = GlorotNormal()((400, 200), rng=np.random.default_rng(0))
    >>> round(float(W.std() / np.sqrt(2 / 600)), 1)
    1.0
    """

    def _draw(self, shape, fan_in, fan_out, rng):
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


class HeUniform(Initializer):
    """He (Kaiming) uniform: U(-limit, limit), limit = sqrt(6 / in).

    The variance ``2 / fan_in`` keeps the variance of ReLU outputs constant
    from layer to layer.

    Examples
    --------
    >>> import numpy as np
    >>> W = HeUniform()((6, 3), rng=np.random.default_rng(0))
    >>> bool(np.abs(W).max() <= 1.0)  # sqrt(6 / 6)
    True
    """

    def _draw(self, shape, fan_in, fan_out, rng):
        limit = math.sqrt(3.0) * np.sqrt(2.0 / fan_in)
        return rng.uniform(-limit, limit, size=shape)


class HeNormal(Initializer):
    """He (Kaiming) normal: N(0, std**2), std = sqrt(2 / in).

    Examples
    --------
    >>> import numpy as np
    >>> W = HeNormal()((800, 100), rng=np.random.default_rng(0))
    >>> round(float(W.std() / np.sqrt(2 / 800)), 1)
    1.0
    """

    def _draw(self, shape, fan_in, fan_out, rng):
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


class Zeros(Initializer):
    """All zeros (for biases; zero weights leave every unit identical).

    Examples
    --------
    >>> Zeros()((2, 2), dtype=np.float64)
    array([[0., 0.],
           [0., 0.]])
    """

    def _draw(self, shape, fan_in, fan_out, rng):
        return np.zeros(shape)


class Constant(Initializer):
    """Every entry equal to ``value``.

    Parameters
    ----------
    value : float
        A finite real number.

    Examples
    --------
    >>> Constant(0.5)((1, 3), dtype=np.float64)
    array([[0.5, 0.5, 0.5]])
    """

    def __init__(self, value: float = 0.0) -> None:
        self.value = check_real(value, "value", "Constant")

    def _draw(self, shape, fan_in, fan_out, rng):
        return np.full(shape, self.value)

    def get_config(self) -> dict:
        return {**super().get_config(), "value": self.value}


class SeedUniform(Initializer):
    """Uniform on [0, 1): the seed system's initialisation.

    Draws exactly what ``np.random.rand(*shape)`` draws from the same random
    state, so a script that calls ``np.random.seed(n)`` and follows the seed
    system's examples gets the same weights. All weights positive make a
    poor start for most networks; prefer the scaled schemes.

    Examples
    --------
    >>> import numpy as np
    >>> np.random.seed(0)
    >>> W = SeedUniform()((2, 2), dtype=np.float64)
    >>> np.random.seed(0)
    >>> bool(np.array_equal(W, np.random.rand(2, 2)))
    True
    """

    def _draw(self, shape, fan_in, fan_out, rng):
        return rng.random(shape)


_REGISTRY: dict[str, type[Initializer]] = {
    cls.__name__: cls
    for cls in (
        GlorotUniform,
        GlorotNormal,
        HeUniform,
        HeNormal,
        Zeros,
        Constant,
        SeedUniform,
    )
}


def get(identifier) -> Initializer:
    """The initialiser that a name or a :meth:`Initializer.get_config` describes.

    Parameters
    ----------
    identifier : str, dict or Initializer
        A class name ("HeNormal"), a config such as
        ``{"name": "Constant", "value": 0.5}``, or an initialiser (returned
        as is). Only the classes of this module are known; nothing is
        imported.

    Returns
    -------
    Initializer

    Raises
    ------
    ValueError
        For an unknown name, or a config with unknown or bad arguments.
    TypeError
        For any other type.

    Examples
    --------
    >>> get({"name": "Constant", "value": 0.5})
    Constant(value=0.5)
    >>> get("HeUniform")
    HeUniform()
    """
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        config = {"name": identifier}
    elif isinstance(identifier, dict):
        config = dict(identifier)
    else:
        raise TypeError(
            "initializers.get: identifier must be a name, a config dict or an "
            f"Initializer; got {type(identifier).__name__}"
        )
    name = config.pop("name", None)
    if name not in _REGISTRY:
        raise ValueError(
            f"initializers.get: unknown initializer {name!r}; known: "
            f"{sorted(_REGISTRY)}"
        )
    try:
        return _REGISTRY[name](**config)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"initializers.get: bad arguments {sorted(config)} for {name}: {error}"
        ) from None
