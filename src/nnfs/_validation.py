"""Input checks shared by every public entry point.

Each check raises with one sentence that names the caller (``where``), the
argument, what was expected and what arrived. Inner math trusts its inputs:
validation happens once, at the edge.
"""

import math
from numbers import Integral, Real

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_int(value, name: str, where: str, *, minimum: int | None = 1) -> int:
    """Return ``value`` as an int; bools, floats and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{where}: {name} must be an integer; got {value!r} "
            f"of type {type(value).__name__}"
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}; got {value!r}")
    return int(value)


def check_real(
    value,
    name: str,
    where: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float inside the given interval."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{where}: {name} must be a real number; got {value!r} "
            f"of type {type(value).__name__}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{where}: {name} must be finite; got {value!r}")
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    interval = f"{left}{'-inf' if low is None else low}, "
    interval += f"{'inf' if high is None else high}{right}"
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(f"{where}: {name} must be in {interval}; got {value!r}")
    return value


def check_bool(value, name: str, where: str) -> bool:
    """Return ``value`` as a bool; Python and NumPy booleans only."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(
            f"{where}: {name} must be a bool; got {value!r} "
            f"of type {type(value).__name__}"
        )
    return bool(value)


def check_dtype(dtype, where: str, name: str = "dtype") -> np.dtype:
    """Return ``dtype`` as a NumPy dtype if it is float32 or float64."""
    try:
        resolved = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(
            f"{where}: {name} must be float32 or float64; got {dtype!r}"
        ) from error
    if resolved not in FLOAT_DTYPES:
        raise ValueError(f"{where}: {name} must be float32 or float64; got {dtype!r}")
    return resolved


def as_float_array(
    array,
    name: str,
    where: str,
    *,
    dtype=None,
    ndim: int | None = 2,
    check_finite: bool = True,
) -> np.ndarray:
    """Convert ``array`` to a floating-point ndarray after checking it.

    Parameters
    ----------
    array : array-like
        The user's data.
    name, where : str
        The argument name and the calling method, used in messages.
    dtype : float32 or float64, optional
        Target dtype. When omitted, float arrays keep their dtype and integer
        or boolean arrays become float64.
    ndim : int or None, default=2
        Required number of dimensions; ``None`` accepts any.
    check_finite : bool, default=True
        Refuse NaN and infinity.

    Returns
    -------
    ndarray
        The data, converted only when needed (no copy otherwise).
    """
    if isinstance(array, np.ndarray):
        data = array
    else:
        try:
            data = np.asarray(array)
        except (ValueError, TypeError) as error:
            raise TypeError(
                f"{where}: {name} must be an array of numbers; got "
                f"{type(array).__name__} that NumPy cannot convert ({error})"
            ) from error

    kind = data.dtype.kind
    if kind == "c":
        raise ValueError(
            f"{where}: {name} has complex dtype {data.dtype}; "
            "complex data is not supported"
        )
    if kind not in "fiub":
        raise TypeError(
            f"{where}: {name} must hold numbers; got an array of dtype {data.dtype}"
        )
    if ndim is not None and data.ndim != ndim:
        hint = ""
        if ndim == 2 and data.ndim == 1:
            hint = (
                "; reshape with X.reshape(-1, 1) for a single feature "
                "or X.reshape(1, -1) for a single sample"
            )
        raise ValueError(
            f"{where}: {name} must be {ndim}-D; got {data.ndim}-D array "
            f"of shape {data.shape}{hint}"
        )
    if data.size == 0:
        what = "sample" if data.ndim == 0 or data.shape[0] == 0 else "feature"
        raise ValueError(
            f"{where}: {name} has shape {data.shape} with 0 {what}s; "
            f"at least one {what} is required"
        )

    if dtype is not None:
        target = np.dtype(dtype)
    elif kind == "f" and data.dtype in FLOAT_DTYPES:
        target = data.dtype
    else:
        target = np.dtype(np.float64)
    if data.dtype != target:
        data = data.astype(target)

    if check_finite:
        check_all_finite(data, name, where)
    return data


def check_all_finite(data: np.ndarray, name: str, where: str) -> None:
    """Raise ValueError if ``data`` holds NaN or infinity, saying which.

    One reduction answers the common case: a sum is finite whenever every
    entry is, unless it overflows. For a contiguous float array that sum is
    the sum of squares, one BLAS call that reads the data on every core;
    otherwise NumPy's sum. The element-wise passes that name the culprit run
    only when the sum is not finite.

    >>> check_all_finite(np.array([1.0, np.inf]), "X", "f")
    Traceback (most recent call last):
        ...
    ValueError: f: X contains infinity
    """
    if data.dtype.kind == "f" and data.flags.c_contiguous:
        flat = data.reshape(-1)
        total = np.vdot(flat, flat)
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(data, axis=None)
    if np.isfinite(total):
        return
    if np.isnan(data).any():
        raise ValueError(f"{where}: {name} contains NaN")
    if np.isinf(data).any():
        raise ValueError(f"{where}: {name} contains infinity")


def finite_range(data: np.ndarray, name: str, where: str) -> tuple[float, float]:
    """The smallest and the largest entry of a non-empty ``data``, after
    checking that every entry is finite (ValueError as for
    :func:`check_all_finite` otherwise).

    A contiguous array is read once, in blocks of 2**18 values (1 MiB in
    float32): each block is still in cache for its second reduction, so the
    two cost one pass over memory instead of two.

    >>> finite_range(np.array([[2.0, -1.0], [0.5, 3.0]]), "X", "f")
    (-1.0, 3.0)
    """
    if data.flags.c_contiguous:
        flat = data.reshape(-1)
        blocks = [flat[start : start + 2**18] for start in range(0, flat.size, 2**18)]
    else:
        blocks = [data]
    low, high = math.inf, -math.inf
    for block in blocks:
        block_low, block_high = float(block.min()), float(block.max())
        if not (math.isfinite(block_low) and math.isfinite(block_high)):
            check_all_finite(data, name, where)
        low, high = min(low, block_low), max(high, block_high)
    return low, high


def check_same_shape(a: np.ndarray, b: np.ndarray, names: str, where: str) -> None:
    """Raise ValueError unless two arrays have exactly the same shape."""
    if a.shape != b.shape:
        first, second = names.split(",")
        raise ValueError(
            f"{where}: {second.strip()} has shape {b.shape} but {first.strip()} "
            f"has shape {a.shape}; shapes must match exactly"
        )


def check_sample_weight(sample_weight, n_samples: int, dtype, where: str) -> np.ndarray:
    """Return per-sample weights as a (n_samples,) array in ``dtype``.

    Weights must be finite and non-negative, one per sample.
    """
    weights = as_float_array(
        sample_weight, "sample_weight", where, dtype=dtype, ndim=None
    )
    if weights.shape not in ((n_samples,), (n_samples, 1)):
        raise ValueError(
            f"{where}: sample_weight must have shape ({n_samples},), one weight "
            f"per sample; got shape {weights.shape}"
        )
    weights = weights.reshape(-1)
    if weights.min() < 0:
        raise ValueError(
            f"{where}: sample_weight must be >= 0; got a weight of {weights.min():g}"
        )
    return weights


def check_rng(seed, rng, where: str):
    """Return the random source for ``seed``/``rng``.

    A ``seed`` gives a fresh ``np.random.default_rng(seed)``; an ``rng`` is used
    as is; with neither, NumPy's global state is used, so ``np.random.seed(n)``
    at the top of a script keeps a run repeatable.
    """
    if seed is not None and rng is not None:
        raise ValueError(f"{where}: pass seed or rng, not both")
    if rng is not None:
        if not isinstance(rng, np.random.Generator | np.random.RandomState):
            raise TypeError(
                f"{where}: rng must be a numpy.random.Generator or RandomState; "
                f"got {type(rng).__name__}"
            )
        return rng
    if seed is not None:
        check_int(seed, "seed", where, minimum=0)
        return np.random.default_rng(seed)
    # The module-level functions draw from the global RandomState.
    return np.random
