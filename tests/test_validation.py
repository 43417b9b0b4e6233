"""The finiteness check shared by fit, predict, evaluate and the losses."""

import numpy as np
import pytest

from nnfs._validation import check_all_finite


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["contiguous", "strided", "fortran"])
@pytest.mark.parametrize(("bad", "kind"), [(np.nan, "NaN"), (-np.inf, "infinity")])
def test_a_single_bad_entry_is_found_in_any_layout(dtype, layout, bad, kind):
    X = np.random.default_rng(0).standard_normal((300, 40)).astype(dtype)
    X[297, 13] = bad
    view = {"contiguous": X, "strided": X[:, 1::2], "fortran": np.asfortranarray(X)}
    with pytest.raises(ValueError, match=rf"^f: X contains {kind}$"):
        check_all_finite(view[layout], "X", "f")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_data_whose_sum_of_squares_overflows_passes(dtype):
    # The squares of 1e30 overflow float32 (max 3.4e38) and those of 1e200
    # overflow float64: the quick sum is infinite, and the exact element-wise
    # check that follows finds every entry finite.
    big = 1e30 if dtype == np.float32 else 1e200
    X = np.full((64, 8), big, dtype=dtype)
    X[::2] *= -1
    check_all_finite(X, "X", "f")
    check_all_finite(X[:, ::3], "X", "f")


def test_integer_and_empty_arrays_pass():
    check_all_finite(np.arange(6).reshape(2, 3), "X", "f")
    check_all_finite(np.empty((0, 3), dtype=np.float32), "X", "f")
