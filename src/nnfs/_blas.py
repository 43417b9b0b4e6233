"""Two level-1 BLAS routines, from the OpenBLAS that NumPy itself ships.

The optimizers' updates are memory-bound: a momentum step on a 784 x 256
weight matrix does a few floating-point operations per number and spends
its time moving the arrays through the caches. NumPy has no fused
multiply-add, so ``v = momentum * v + g`` followed by ``w -= lr * v`` takes
four ufunc passes (scale, add, scale into a scratch array, subtract). BLAS
does the same step in two, each reading its arrays once:

- ``axpby(alpha, x, beta, y)``: ``y = alpha * x + beta * y``;
- ``axpy(alpha, x, y)``: ``y = alpha * x + y``.

NumPy's wheels from PyPI carry their own OpenBLAS (``scipy-openblas``, built
with 64-bit integers and prefixed symbol names), which this module finds
beside NumPy and calls through :mod:`ctypes`. Where it is not found (NumPy
built against another BLAS, say) or an array does not qualify, each function
returns False without touching anything, and the caller uses NumPy, which
gives the same values up to rounding: BLAS may fuse the multiply and the add
into one rounding.

Only contiguous float32 or float64 arrays of the same dtype and size qualify,
and only from :data:`MIN_SIZE` numbers up: smaller arrays tend to stay in the
caches, where NumPy's loops are as fast as BLAS and cost less to call.
"""

import ctypes
import glob
import os

import numpy as np

__all__ = ["AVAILABLE", "MIN_SIZE", "axpby", "axpy"]

# From this many numbers up, two BLAS passes beat four ufunc passes inside a
# training step, where the arrays come from memory rather than the caches
# (measured on MLP layers: 784 x 256 gains, 256 x 128 breaks even). When
# the arrays are already in cache, NumPy's loops are the faster ones.
MIN_SIZE = 2**16

_INT = ctypes.c_int64  # the integer of an OpenBLAS built with USE64BITINT


def _find_routines() -> dict | None:
    """``{(name, dtype): function}`` for axpy and axpby, or None."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name, config = blas.get("name"), str(blas.get("openblas configuration"))
    except Exception:  # any NumPy build that does not say: NumPy does the work
        return None
    if name != "scipy-openblas" or "USE64BITINT" not in config:
        return None
    # Linux and Windows wheels keep the library in numpy.libs/ beside the
    # package, macOS wheels in numpy/.dylibs/.
    package = os.path.dirname(np.__file__)
    candidates = [
        path
        for folder in (os.path.join(package, os.pardir, "numpy.libs"), package)
        for pattern in ("*scipy_openblas64_*.so*", "*scipy_openblas64_*.dll")
        for path in glob.glob(os.path.join(folder, pattern))
    ] + glob.glob(os.path.join(package, ".dylibs", "*scipy_openblas64_*.dylib"))
    if len(candidates) != 1:
        return None
    try:
        library = ctypes.CDLL(candidates[0])
        routines = {}
        for dtype, letter, real in (
            (np.dtype(np.float32), "s", ctypes.c_float),
            (np.dtype(np.float64), "d", ctypes.c_double),
        ):
            axpy_ = getattr(library, f"scipy_cblas_{letter}axpy64_")
            axpy_.argtypes = [_INT, real, ctypes.c_void_p, _INT, ctypes.c_void_p, _INT]
            axpy_.restype = None
            axpby_ = getattr(library, f"scipy_cblas_{letter}axpby64_")
            axpby_.argtypes = [
                _INT,
                real,
                ctypes.c_void_p,
                _INT,
                real,
                ctypes.c_void_p,
                _INT,
            ]
            axpby_.restype = None
            routines["axpy", dtype] = axpy_
            routines["axpby", dtype] = axpby_
    except (OSError, AttributeError):
        return None
    return routines


_ROUTINES = _find_routines()

#: Whether NumPy's own OpenBLAS was found; False means NumPy does all the work.
AVAILABLE = _ROUTINES is not None


def _addresses(x: np.ndarray, y: np.ndarray) -> tuple[int, int] | None:
    """Data addresses of ``x`` and ``y`` if BLAS may work on them, else None.

    Both must be contiguous arrays of one float dtype and one size, and
    ``y`` writeable (the callers also require :data:`MIN_SIZE` numbers).
    They may be the same memory, but not partly overlap, where BLAS and
    NumPy would disagree.
    """
    if (
        _ROUTINES is None
        or x.dtype != y.dtype
        or x.size != y.size
        or not (x.flags.c_contiguous and y.flags.c_contiguous)
        or not y.flags.writeable
    ):
        return None
    x_start = x.__array_interface__["data"][0]
    y_start = y.__array_interface__["data"][0]
    if x_start != y_start and abs(x_start - y_start) < y.nbytes:
        return None
    return x_start, y_start


def axpy(alpha: float, x: np.ndarray, y: np.ndarray) -> bool:
    """``y += alpha * x`` in place, in one pass; False if BLAS cannot do it.

    >>> x, y = np.full(MIN_SIZE, 2.0), np.ones(MIN_SIZE)
    >>> if not axpy(0.5, x, y):  # the caller's fallback
    ...     y += 0.5 * x
    >>> float(y[0])  # 0.5 * 2 + 1
    2.0
    """
    if y.size < MIN_SIZE or (addresses := _addresses(x, y)) is None:
        return False
    if (routine := _ROUTINES.get(("axpy", y.dtype))) is None:
        return False
    routine(y.size, float(alpha), addresses[0], 1, addresses[1], 1)
    return True


def axpby(alpha: float, x: np.ndarray, beta: float, y: np.ndarray) -> bool:
    """``y = alpha * x + beta * y`` in place, in one pass; False if BLAS
    cannot do it.

    >>> x, y = np.full(MIN_SIZE, 2.0), np.full(MIN_SIZE, 3.0)
    >>> if not axpby(1.0, x, 0.5, y):  # the caller's fallback
    ...     y *= 0.5
    ...     y += x
    >>> float(y[0])  # 1 * 2 + 0.5 * 3
    3.5
    """
    if y.size < MIN_SIZE or (addresses := _addresses(x, y)) is None:
        return False
    if (routine := _ROUTINES.get(("axpby", y.dtype))) is None:
        return False
    routine(y.size, float(alpha), addresses[0], 1, float(beta), addresses[1], 1)
    return True
