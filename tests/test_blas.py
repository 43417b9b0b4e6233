"""The BLAS routines the SGD updates use (nnfs._blas), and their fallback.

Where NumPy's own OpenBLAS is found, large contiguous parameters are updated
by BLAS (two passes) rather than by NumPy (four); both must give the same
values up to rounding, and anything BLAS cannot take must be left to NumPy
untouched.
"""

import numpy as np
import pytest

from nnfs import _blas
from nnfs.activations import ReLU, Softmax
from nnfs.layers import Dense
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import SGD

needs_blas = pytest.mark.skipif(
    not _blas.AVAILABLE, reason="NumPy's own OpenBLAS was not found"
)
DTYPES = [np.float32, np.float64]
# A fused and an unfused multiply-add differ by a rounding of each product:
# a few units in the last place, relative to the operands (hence the
# absolute part, for results that cancel to nearly zero).
RTOL = {np.float32: 1e-5, np.float64: 1e-13}
ATOL = {np.float32: 1e-6, np.float64: 1e-15}


def _arrays(dtype, size=_blas.MIN_SIZE, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(size).astype(dtype), rng.standard_normal(size).astype(
        dtype
    )


@needs_blas
@pytest.mark.parametrize("dtype", DTYPES)
def test_axpy_and_axpby_compute_their_formulas(dtype):
    x, y = _arrays(dtype)
    expected = y + dtype(-0.25) * x
    assert _blas.axpy(-0.25, x, y)
    np.testing.assert_allclose(y, expected, rtol=RTOL[dtype], atol=ATOL[dtype])

    x, y = _arrays(dtype, seed=1)
    expected = dtype(1.5) * x + dtype(0.9) * y
    assert _blas.axpby(1.5, x, 0.9, y)
    np.testing.assert_allclose(y, expected, rtol=RTOL[dtype], atol=ATOL[dtype])


def test_hand_worked_example():
    # y = 2 * x + 0.5 * y with x = 1, y = 4: 2 + 2 = 4; then y += -3 * x: 1.
    x, y = np.ones(_blas.MIN_SIZE), np.full(_blas.MIN_SIZE, 4.0)
    if not _blas.axpby(2.0, x, 0.5, y):
        y = 2.0 * x + 0.5 * y
    np.testing.assert_array_equal(y, 4.0)
    if not _blas.axpy(-3.0, x, y):
        y += -3.0 * x
    np.testing.assert_array_equal(y, 1.0)


@pytest.mark.parametrize(
    "case",
    [
        "too small",
        "strided",
        "fortran",
        "dtype mismatch",
        "size mismatch",
        "read-only",
        "partial overlap",
        "integers",
    ],
)
def test_arrays_blas_cannot_take_are_left_untouched(case):
    n = _blas.MIN_SIZE
    x, y = np.ones(2 * n), np.full(2 * n, 3.0)
    if case == "too small":
        x, y = x[: n - 1], y[: n - 1]
    elif case == "strided":
        x, y = x[::2], y[::2]
    elif case == "fortran":
        x, y = np.ones((n, 2), order="F"), np.full((n, 2), 3.0, order="F")
    elif case == "dtype mismatch":
        x = x.astype(np.float32)
    elif case == "size mismatch":
        x = x[:n]
    elif case == "read-only":
        y.flags.writeable = False
    elif case == "partial overlap":
        x, y = y[: n + 1], y[1 : n + 2]
    else:
        x, y = np.ones(n, dtype=np.int64), np.full(n, 3, dtype=np.int64)
    before = y.copy()
    assert not _blas.axpy(1.0, x, y)
    assert not _blas.axpby(1.0, x, 0.5, y)
    np.testing.assert_array_equal(y, before)


@needs_blas
def test_numpy_scalar_coefficients_are_accepted():
    # A schedule or a user may set lr to a NumPy scalar such as float32(0.5).
    x, y = np.ones(_blas.MIN_SIZE, np.float32), np.ones(_blas.MIN_SIZE, np.float32)
    assert _blas.axpby(np.float32(0.5), x, np.float64(2.0), y)  # 0.5 + 2
    assert _blas.axpy(np.float32(-0.5), x, y)  # 2.5 - 0.5
    np.testing.assert_array_equal(y, 2.0)


@needs_blas
def test_the_same_array_as_both_operands_is_allowed():
    # Element i reads and writes only element i, as in NumPy's y += a * y.
    y = np.full(_blas.MIN_SIZE, 2.0)
    assert _blas.axpy(0.5, y, y)
    np.testing.assert_array_equal(y, 3.0)


@needs_blas
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "settings",
    [{}, {"momentum": 0.9}, {"momentum": 0.8, "nesterov": True}],
    ids=["plain", "momentum", "nesterov"],
)
def test_sgd_on_large_parameters_matches_the_numpy_updates(
    monkeypatch, dtype, settings
):
    # Three steps on a matrix of MIN_SIZE numbers, once as it runs here and
    # once with BLAS switched off.
    shape = (_blas.MIN_SIZE // 64, 64)
    rng = np.random.default_rng(3)
    start = rng.standard_normal(shape).astype(dtype)
    gradients = [rng.standard_normal(shape).astype(dtype) for _ in range(3)]
    assert _blas._addresses(gradients[0], start) is not None  # BLAS takes them

    def run():
        w, optimizer = start.copy(), SGD(lr=0.05, **settings)
        for g in gradients:
            optimizer.step([("w", w, g)])
        return w, optimizer.state

    w_default, state_default = run()
    monkeypatch.setattr(_blas, "_ROUTINES", None)
    w_numpy, state_numpy = run()
    assert w_default.dtype == dtype
    np.testing.assert_allclose(w_default, w_numpy, rtol=RTOL[dtype], atol=ATOL[dtype])
    if settings:
        np.testing.assert_allclose(
            state_default["w"]["velocity"],
            state_numpy["w"]["velocity"],
            rtol=RTOL[dtype],
            atol=ATOL[dtype],
        )


@needs_blas
@pytest.mark.parametrize(("dtype", "rtol"), [(np.float32, 1e-4), (np.float64, 1e-10)])
def test_fit_gives_the_loss_history_of_the_numpy_updates(monkeypatch, dtype, rtol):
    # A first layer of 300 x 256 = 76,800 weights, past MIN_SIZE, trained
    # with momentum for two epochs: the per-batch losses with BLAS updates
    # match those with NumPy updates to the rounding of the dtype (the
    # tolerances of tests/test_reproducibility.py).
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((400, 300)), rng.integers(0, 4, 400)

    def history():
        model = Sequential(
            [
                Dense(300, 256, seed=1, dtype=dtype),
                ReLU(),
                Dense(256, 4, seed=2, dtype=dtype),
                Softmax(),
            ],
            CCE(),
            SGD(lr=0.05, momentum=0.9),
        )
        assert model.layers[0].W.size >= _blas.MIN_SIZE
        return model.fit(X, y, 2, batch_size=50, seed=0, debug_flag=False)["loss"]

    with_blas = history()
    monkeypatch.setattr(_blas, "_ROUTINES", None)
    np.testing.assert_allclose(with_blas, history(), rtol=rtol)


@pytest.mark.parametrize(
    "config",
    [
        {"Build Dependencies": {"blas": {"name": "accelerate"}}},
        {"Build Dependencies": {"blas": {"name": "scipy-openblas"}}},  # 32-bit ints
        {"Build Dependencies": {}},
        RuntimeError("no configuration"),
    ],
    ids=["another BLAS", "LP64 OpenBLAS", "no BLAS entry", "unreadable"],
)
def test_other_numpy_builds_leave_the_work_to_numpy(monkeypatch, config):
    def show_config(mode):
        if isinstance(config, Exception):
            raise config
        return config

    monkeypatch.setattr(np, "show_config", show_config)
    assert _blas._find_routines() is None
