"""Tests for nnfs.activations: every activation, through one registry.

Generic tests (gradient check, reentrancy, layouts, dtypes, bad input,
extreme values, Hypothesis properties) run over ``ACTIVATIONS``; a new
activation is covered by adding one entry (``test_registry_covers_every_
activation`` fails until it is added). Hand-worked examples and the numerics
each function promises follow, one section per activation.
"""

import inspect
import math
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nnfs import activations as activations_module
from nnfs.activations import (
    ELU,
    GELU,
    BaseActivation,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from nnfs.gradcheck import check_gradients

FLOAT_DTYPES = [np.float32, np.float64]


@dataclass(frozen=True)
class ActivationCase:
    """One activation as the generic tests see it."""

    id: str
    make: Any
    layer_name: str
    repr: str
    init_hint: str


ACTIVATIONS = [
    ActivationCase("sigmoid", Sigmoid, "sigmoid", "Sigmoid()", "glorot"),
    ActivationCase("softmax", Softmax, "softmax", "Softmax()", "glorot"),
    ActivationCase("relu", ReLU, "relu", "ReLU()", "he"),
    ActivationCase(
        "leaky_relu", LeakyReLU, "leaky_relu", "LeakyReLU(alpha=0.01)", "he"
    ),
    ActivationCase(
        "leaky_relu_0.3",
        lambda: LeakyReLU(alpha=0.3),
        "leaky_relu",
        "LeakyReLU(alpha=0.3)",
        "he",
    ),
    ActivationCase("tanh", Tanh, "tanh", "Tanh()", "glorot"),
    ActivationCase("elu", ELU, "elu", "ELU(alpha=1.0)", "he"),
    ActivationCase("elu_0.5", lambda: ELU(alpha=0.5), "elu", "ELU(alpha=0.5)", "he"),
    ActivationCase("softplus", Softplus, "softplus", "Softplus()", "he"),
    ActivationCase("gelu", GELU, "gelu", "GELU()", "he"),
    ActivationCase("linear", Linear, "linear", "Linear()", "glorot"),
]
ACTIVATION_IDS = [case.id for case in ACTIVATIONS]

# Batches of 1 and more, several widths, plus a 1-D and a 3-D input (softmax
# normalises the last axis; the others are element-wise).
SHAPES = [(1, 3), (4, 3), (5, 2), (3, 6), (6,), (2, 3, 4)]


def parametrize_activations(func):
    return pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)(func)


def random_batch(shape, seed=0, dtype=np.float64):
    """Standard normal data."""
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def away_from_kinks(shape, seed=0):
    """Values with 0.05 <= |x| <= 2.5: at least 5e4 * h from the kink at 0
    of ReLU, LeakyReLU and ELU, where no finite difference can agree."""
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.05, 2.5, size=shape)


def run_activation(activation, X, G):
    """Forward then backward; returns copies of the output and dX."""
    y = activation.forward(X).copy()
    return y, activation.backward(G).copy()


@contextmanager
def no_warnings():
    """Fail on any Python warning and on overflow, 0/0 or x/0 inside NumPy.

    Underflow to 0 (exp(-1e4)) is the correct answer and stays allowed.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


# -------------------------------------------------------------------- registry


def test_registry_covers_every_activation():
    concrete = {
        name
        for name in activations_module.__all__
        if inspect.isclass(obj := getattr(activations_module, name))
        and issubclass(obj, BaseActivation)
        and obj is not BaseActivation
    }
    registered = {type(case.make()).__name__ for case in ACTIVATIONS}
    assert concrete <= registered, f"add to ACTIVATIONS: {concrete - registered}"


# ------------------------------------------------------------ gradient checks


@parametrize_activations
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_gradients_match_finite_differences_float64(case, shape):
    result = check_gradients(case.make(), away_from_kinks(shape), verbose=False)
    assert result.passed, str(result)
    assert [check.name for check in result.checks] == ["X"]


@parametrize_activations
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_float32_gradients_match_float64_reference(case, shape):
    X = away_from_kinks(shape, seed=1)
    result = check_gradients(case.make(), X, dtype=np.float32, verbose=False)
    assert result.passed, str(result)


# ----------------------------------------------------------------- reentrancy


@parametrize_activations
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_backward_twice_is_bit_identical(case, dtype):
    activation = case.make()
    X = random_batch((5, 4), dtype=dtype)
    G = random_batch((5, 4), seed=1, dtype=dtype)
    _, dX_first = run_activation(activation, X, G)
    np.testing.assert_array_equal(activation.backward(G), dX_first)


@parametrize_activations
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_backward_scales_with_upstream_gradient(case, dtype):
    # Doubling is exact in floating point, so 2g must give exactly 2x.
    activation = case.make()
    X = random_batch((5, 4), dtype=dtype)
    G = random_batch((5, 4), seed=1, dtype=dtype)
    _, dX = run_activation(activation, X, G)
    np.testing.assert_array_equal(activation.backward(2 * G), 2 * dX)
    np.testing.assert_array_equal(
        activation.backward(np.zeros_like(G)), np.zeros_like(dX)
    )


@parametrize_activations
def test_forward_and_backward_do_not_mutate_their_inputs(case):
    # Y7
    activation = case.make()
    X, G = random_batch((5, 4)), random_batch((5, 4), seed=1)
    X_before, G_before = X.copy(), G.copy()
    activation.forward(X)
    activation.backward(G)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(G, G_before)


def _read_only(array):
    array = array.copy()
    array.setflags(write=False)
    return array


def _fortran(array):
    return np.asfortranarray(array)


def _strided(array):
    # Every other row and column of a larger array: not contiguous.
    big = np.zeros((2 * array.shape[0], 2 * array.shape[1]), dtype=array.dtype)
    big[::2, ::2] = array
    view = big[::2, ::2]
    assert not view.flags.c_contiguous and not view.flags.f_contiguous
    return view


@parametrize_activations
@pytest.mark.parametrize("layout", [_read_only, _fortran, _strided])
def test_input_layout_does_not_change_the_result(case, layout):
    # Y6: read-only, Fortran-order and non-contiguous X and grad_next.
    X, G = random_batch((6, 4)), random_batch((6, 4), seed=1)
    y, dX = run_activation(case.make(), X, G)
    y_alt, dX_alt = run_activation(case.make(), layout(X), layout(G))
    np.testing.assert_allclose(y_alt, y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX_alt, dX, rtol=1e-12, atol=1e-12)


@parametrize_activations
def test_batch_of_one_equals_row_of_larger_batch(case):
    # Y4
    X, G = random_batch((6, 4)), random_batch((6, 4), seed=1)
    y, dX = run_activation(case.make(), X, G)
    y_one, dX_one = run_activation(case.make(), X[:1], G[:1])
    np.testing.assert_allclose(y_one, y[:1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX_one, dX[:1], rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- dtype


@parametrize_activations
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("grad_dtype", FLOAT_DTYPES)
def test_activation_keeps_the_input_dtype(case, dtype, grad_dtype):
    # No silent upcast: a float64 upstream gradient does not turn a float32
    # forward pass into a float64 backward pass.
    activation = case.make()
    y = activation.forward(random_batch((4, 3), dtype=dtype))
    dX = activation.backward(random_batch((4, 3), seed=1, dtype=grad_dtype))
    assert y.dtype == dtype
    assert dX.dtype == dtype


@parametrize_activations
def test_int_bool_and_list_inputs_are_cast_to_float64(case):
    # Y11
    X_int = np.array([[1, -2, 3], [0, 4, -1]])
    X_bool = np.array([[True, False, True], [False, False, True]])
    for X in (X_int, X_bool, X_int.tolist()):
        y = case.make().forward(X)
        assert y.dtype == np.float64
        expected = case.make().forward(np.asarray(X, dtype=np.float64))
        np.testing.assert_array_equal(y, expected)


@parametrize_activations
def test_list_gradient_is_accepted_for_any_number_of_dimensions(case):
    activation = case.make()
    X, G = random_batch((2, 3, 4)), random_batch((2, 3, 4), seed=1)
    activation.forward(X)
    expected = activation.backward(G)
    np.testing.assert_array_equal(activation.backward(G.tolist()), expected)


# ----------------------------------------------------------------- bad inputs


@parametrize_activations
def test_backward_before_forward_raises(case):
    with pytest.raises(
        RuntimeError, match=r"\.backward: forward must run before backward"
    ):
        case.make().backward(np.ones((2, 3)))


@parametrize_activations
@pytest.mark.parametrize("bad_shape", [(5, 3), (4, 4), (5, 4, 1), (20,)], ids=str)
def test_backward_rejects_gradient_of_the_wrong_shape(case, bad_shape):
    # Y5: the message names both shapes.
    activation = case.make()
    activation.forward(random_batch((5, 4)))
    with pytest.raises(
        ValueError,
        match=rf"\.backward: grad_next has shape {re.escape(str(bad_shape))} but "
        r"the forward output had shape \(5, 4\)",
    ):
        activation.backward(np.ones(bad_shape))


@parametrize_activations
@pytest.mark.parametrize(
    "X",
    [
        np.array([["a", "b", "c"]]),
        np.array([[1.0, 2.0, 3.0]], dtype=object),
        [["1.0", "2.0", "3.0"]],
    ],
    ids=["str", "object", "list_of_str"],
)
def test_forward_rejects_non_numeric_input(case, X):
    # Y11
    with pytest.raises(TypeError, match=r"\.forward: X_input must hold numbers; got"):
        case.make().forward(X)


@parametrize_activations
def test_forward_rejects_complex_input(case):
    with pytest.raises(ValueError, match=r"X_input has complex dtype complex128"):
        case.make().forward(np.ones((2, 3), dtype=complex))


@pytest.mark.parametrize(
    ("alpha", "error", "pattern"),
    [
        (-0.1, ValueError, r"LeakyReLU: alpha must be in \[0\.0, 1\.0\); got -0\.1"),
        (1.0, ValueError, r"LeakyReLU: alpha must be in \[0\.0, 1\.0\); got 1\.0"),
        (float("nan"), ValueError, r"LeakyReLU: alpha must be finite; got nan"),
        (float("inf"), ValueError, r"LeakyReLU: alpha must be finite; got inf"),
        ("0.1", TypeError, r"LeakyReLU: alpha must be a real number; got '0\.1'"),
        (True, TypeError, r"LeakyReLU: alpha must be a real number; got True"),
        (None, TypeError, r"LeakyReLU: alpha must be a real number; got None"),
    ],
)
def test_leaky_relu_rejects_bad_alpha(alpha, error, pattern):
    with pytest.raises(error, match=pattern):
        LeakyReLU(alpha=alpha)


@pytest.mark.parametrize(
    ("alpha", "error", "pattern"),
    [
        (0.0, ValueError, r"ELU: alpha must be in \(0\.0, inf\); got 0\.0"),
        (-1, ValueError, r"ELU: alpha must be in \(0\.0, inf\); got -1\.0"),
        (float("inf"), ValueError, r"ELU: alpha must be finite; got inf"),
        ("1", TypeError, r"ELU: alpha must be a real number; got '1' of type str"),
        (False, TypeError, r"ELU: alpha must be a real number; got False"),
    ],
)
def test_elu_rejects_bad_alpha(alpha, error, pattern):
    with pytest.raises(error, match=pattern):
        ELU(alpha=alpha)


def test_alpha_accepts_the_edges_of_its_range():
    assert LeakyReLU(alpha=0).alpha == 0.0
    assert ELU(alpha=3).alpha == 3.0


def test_softmax_rejects_a_scalar():
    with pytest.raises(
        ValueError, match=r"Softmax\.forward: X_input must have at least 1 dimension"
    ):
        Softmax().forward(np.float64(1.0))


# ----------------------------------------------------- extreme inputs, all


@parametrize_activations
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_extreme_inputs_give_finite_results_without_warnings(case, dtype):
    # Finite in, finite out, up to the largest float: exp and powers must not
    # overflow, and no gradient may become inf * 0 = NaN.
    big = np.finfo(dtype).max
    row = [-big, -1e30, -1e4, -1e3, -100.0, 0.0, 100.0, 1e3, 1e4, 1e30, big]
    X = np.array([row, row[::-1]], dtype=dtype)
    activation = case.make()
    with no_warnings():
        y = activation.forward(X)
        dX = activation.backward(np.ones_like(y))
    assert np.isfinite(y).all(), y
    assert np.isfinite(dX).all(), dX


# -------------------------------------------------------------- names, repr


@parametrize_activations
def test_names_trainable_params_and_shapes(case):
    activation = case.make()
    assert activation.layer_name == case.layer_name
    assert activation.index is None
    activation.index = 4
    assert activation.name == f"{case.layer_name}_4"
    assert activation.trainable is None
    assert activation.n_params == 0
    assert activation.output_shape((7,)) == (7,)
    assert activation.output_shape((2, 5)) == (2, 5)
    assert repr(activation) == case.repr
    assert activation.init_hint == case.init_hint


# ---------------------------------------------------------------- Sigmoid


def _sigmoid_reference(x):
    # Each branch only ever calls exp on a non-positive number.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


def _softplus_reference(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _tanh_slope_reference(x):
    # 1 - tanh(x)**2 = 1 / cosh(x)**2 = 4 e / (1 + e)**2 with e = exp(-2 |x|),
    # accurate (no cancellation) and overflow-free.
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / (1.0 + e) ** 2


def test_sigmoid_hand_worked_example():
    # s(0) = 1 / (1 + 1) = 1/2 and s'(0) = 1/2 * (1 - 1/2) = 1/4.
    # s(ln 3) = 1 / (1 + 1/3) = 3/4 and s'(ln 3) = 3/4 * 1/4 = 3/16.
    # s(-ln 3) = 1 - s(ln 3) = 1/4, with the same slope 3/16.
    activation = Sigmoid()
    y = activation.forward(np.array([[0.0, math.log(3), -math.log(3)]]))
    dX = activation.backward(np.array([[1.0, 1.0, 2.0]]))
    np.testing.assert_allclose(y, [[0.5, 0.75, 0.25]], rtol=1e-15)
    np.testing.assert_allclose(dX, [[0.25, 3 / 16, 2 * 3 / 16]], rtol=1e-15)


# Points where a naive exp overflows (|x| > 88.7 in float32, > 709 in float64).
EXTREME_POINTS = [-1e4, -1e3, -100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0, 1e3, 1e4]


def _close_tolerances(dtype):
    # A few ulp; below float32's normal range values are compared absolutely.
    if dtype == np.float64:
        return {"rtol": 1e-15, "atol": 0.0}
    return {"rtol": 1e-6, "atol": float(np.finfo(np.float32).tiny)}


def _slope_tolerances(dtype):
    # Slopes come from the cached output, s * (1 - s) and 1 - t**2: once 1 - s
    # rounds (x > ~17 in float64) they lose relative accuracy, as PyTorch's do,
    # but the absolute error stays within one ulp of 1.
    return {"rtol": _close_tolerances(dtype)["rtol"], "atol": np.finfo(dtype).eps}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
    ("cls", "function", "derivative"),
    [
        (
            Sigmoid,
            _sigmoid_reference,
            lambda x: _sigmoid_reference(x) * _sigmoid_reference(-x),
        ),
        (Tanh, math.tanh, _tanh_slope_reference),
        (Softplus, _softplus_reference, _sigmoid_reference),
    ],
    ids=["sigmoid", "tanh", "softplus"],
)
def test_saturating_functions_are_exact_at_extremes(cls, function, derivative, dtype):
    # Y9: exact values and finite, accurate gradients for |x| up to 1e4, and
    # no warning.
    X = np.array([EXTREME_POINTS], dtype=dtype)
    activation = cls()
    with no_warnings():
        y = activation.forward(X)
        dX = activation.backward(np.ones_like(y))
    points = X[0].astype(np.float64)
    expected_y = [[function(x) for x in points]]
    expected_dX = [[derivative(x) for x in points]]
    np.testing.assert_allclose(y, expected_y, **_close_tolerances(dtype))
    np.testing.assert_allclose(dX, expected_dX, **_slope_tolerances(dtype))
    assert np.isfinite(dX).all()


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_saturated_values_are_exactly_zero_one_or_x(dtype):
    X = np.array([[-1e4, -1e3, 1e3, 1e4]], dtype=dtype)
    with no_warnings():
        np.testing.assert_array_equal(Sigmoid().forward(X), [[0, 0, 1, 1]])
        np.testing.assert_array_equal(Tanh().forward(X), [[-1, -1, 1, 1]])
        np.testing.assert_array_equal(Softplus().forward(X), [[0, 0, 1e3, 1e4]])


# ---------------------------------------------------------------- Tanh


def test_tanh_hand_worked_example():
    # tanh(0) = 0 with slope 1 - 0**2 = 1.
    # tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5, slope 1 - 9/25 = 16/25.
    activation = Tanh()
    y = activation.forward(np.array([[0.0, math.log(2), -math.log(2)]]))
    dX = activation.backward(np.ones((1, 3)))
    np.testing.assert_allclose(y, [[0.0, 0.6, -0.6]], rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(dX, [[1.0, 0.64, 0.64]], rtol=1e-15)


# ---------------------------------------------------------------- Softplus


def test_softplus_hand_worked_example():
    # softplus(0) = ln(1 + 1) = ln 2, slope sigmoid(0) = 1/2.
    # softplus(ln 3) = ln(1 + 3) = ln 4, slope sigmoid(ln 3) = 3/4.
    activation = Softplus()
    y = activation.forward(np.array([[0.0, math.log(3)]]))
    dX = activation.backward(np.ones((1, 2)))
    np.testing.assert_allclose(y, [[math.log(2), math.log(4)]], rtol=1e-15)
    np.testing.assert_allclose(dX, [[0.5, 0.75]], rtol=1e-15)


# ---------------------------------------------------------------- ReLU family


def test_relu_hand_worked_example():
    # max(0, [-2, 0, 3]) = [0, 0, 3]; slopes [0, 0 (subgradient), 1].
    activation = ReLU()
    y = activation.forward(np.array([[-2.0, 0.0, 3.0]]))
    dX = activation.backward(np.array([[5.0, 5.0, 5.0]]))
    np.testing.assert_array_equal(y, [[0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(dX, [[0.0, 0.0, 5.0]])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_relu_uses_subgradient_zero_at_exactly_zero(dtype):
    # Y8, for +0 and -0.
    activation = ReLU()
    y = activation.forward(np.array([[0.0, -0.0]], dtype=dtype))
    dX = activation.backward(np.ones((1, 2), dtype=dtype))
    np.testing.assert_array_equal(y, [[0.0, 0.0]])
    np.testing.assert_array_equal(dX, [[0.0, 0.0]])


@pytest.mark.parametrize("shape", [(7,), (5, 3), (4, 2, 3, 3)], ids=str)
def test_relu_training_arrays_give_the_fresh_arrays_results(shape):
    # While a model trains, ReLU writes its output, its mask and its
    # gradient into kept arrays; otherwise into fresh ones. Both give
    # max(x, 0) and grad * (x > 0), bit for bit, in any shape (the zeros it
    # compares against are those of one sample, broadcast), and the kept
    # arrays carry nothing from one batch to the next.
    rng = np.random.default_rng(0)
    fresh, kept = ReLU(), ReLU()
    kept._buffers = {}
    for _ in range(2):
        X = rng.standard_normal(shape).round(1)  # some entries exactly 0
        grad = rng.standard_normal(shape)
        np.testing.assert_array_equal(fresh.forward(X), np.maximum(X, 0))
        np.testing.assert_array_equal(kept.forward(X), np.maximum(X, 0))
        expected = grad * (X > 0)
        np.testing.assert_array_equal(fresh.backward(grad), expected)
        np.testing.assert_array_equal(kept.backward(grad), expected)


def test_leaky_relu_hand_worked_example():
    # alpha = 0.1: [-2, 3] -> [0.1 * -2, 3] = [-0.2, 3]; slopes [0.1, 1].
    activation = LeakyReLU(alpha=0.1)
    y = activation.forward(np.array([[-2.0, 3.0]]))
    dX = activation.backward(np.array([[2.0, 2.0]]))
    np.testing.assert_allclose(y, [[-0.2, 3.0]], rtol=1e-15)
    np.testing.assert_allclose(dX, [[0.2, 2.0]], rtol=1e-15)


def test_leaky_relu_default_alpha_is_0_01():
    np.testing.assert_allclose(LeakyReLU().forward(np.array([[-5.0]])), [[-0.05]])


def test_elu_hand_worked_example():
    # alpha = 1: elu(-ln 2) = exp(-ln 2) - 1 = 1/2 - 1 = -1/2, slope exp(-ln 2)
    # = 1/2 (= output + alpha); elu(2) = 2, slope 1.
    # alpha = 2: elu(-ln 2) = 2 * (-1/2) = -1, slope 2 * 1/2 = 1.
    X = np.array([[-math.log(2), 2.0]])
    for alpha, expected_y, expected_dX in [
        (1.0, [[-0.5, 2.0]], [[0.5, 1.0]]),
        (2.0, [[-1.0, 2.0]], [[1.0, 1.0]]),
    ]:
        activation = ELU(alpha=alpha)
        y = activation.forward(X)
        dX = activation.backward(np.ones((1, 2)))
        np.testing.assert_allclose(y, expected_y, rtol=1e-15)
        np.testing.assert_allclose(dX, expected_dX, rtol=1e-15)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_elu_approaches_minus_alpha(dtype):
    X = np.array([[-1e4, -1e30, -np.finfo(dtype).max]], dtype=dtype)
    activation = ELU(alpha=0.5)
    with no_warnings():
        y = activation.forward(X)
        dX = activation.backward(np.ones_like(y))
    np.testing.assert_array_equal(y, [[-0.5, -0.5, -0.5]])
    np.testing.assert_array_equal(dX, [[0.0, 0.0, 0.0]])


# ---------------------------------------------------------------- GELU


def test_gelu_hand_worked_example():
    # gelu(0) = 0.5 * 0 * (1 + tanh(0)) = 0, slope 0.5 * (1 + 0) + 0 = 0.5.
    # gelu(1): u = sqrt(2/pi) * (1 + 0.044715) = 0.79788456 * 1.044715
    #            = 0.83356197; t = tanh(u) = 0.68238398;
    #          gelu = 0.5 * 1 * (1 + t) = 0.84119199 (PyTorch approximate="tanh").
    #          slope = 0.5 (1 + t) + 0.5 (1 - t**2) * 0.79788456 * (1 + 3 * 0.044715)
    #                = 0.84119199 + 0.5 * 0.53435940 * 0.90491553 = 1.08296408.
    activation = GELU()
    y = activation.forward(np.array([[0.0, 1.0]]))
    dX = activation.backward(np.ones((1, 2)))
    np.testing.assert_allclose(y, [[0.0, 0.84119199]], rtol=1e-8)
    np.testing.assert_allclose(dX, [[0.5, 1.08296408]], rtol=1e-8)


def test_gelu_is_within_5e_4_of_the_erf_form():
    # The documented bound on the tanh approximation.
    X = np.linspace(-6, 6, 1201).reshape(1, -1)
    exact = [0.5 * x * (1 + math.erf(x / math.sqrt(2))) for x in X[0]]
    np.testing.assert_allclose(GELU().forward(X)[0], exact, rtol=0, atol=5e-4)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_gelu_is_x_or_zero_with_slope_one_or_zero_for_large_inputs(dtype):
    big = np.finfo(dtype).max
    X = np.array([[-big, -1e30, -1e4, 1e4, 1e30, big]], dtype=dtype)
    activation = GELU()
    with no_warnings():
        y = activation.forward(X)
        dX = activation.backward(np.ones_like(y))
    np.testing.assert_array_equal(y, [[0, 0, 0, 1e4, X[0, 4], big]])
    np.testing.assert_array_equal(dX, [[0, 0, 0, 1, 1, 1]])


# ---------------------------------------------------------------- Linear


def test_linear_hand_worked_example():
    # f(x) = x, so the output is the input and dL/dx = dL/dy.
    activation = Linear()
    X, G = np.array([[-1.5, 2.0]]), np.array([[3.0, -4.0]])
    np.testing.assert_array_equal(activation.forward(X), X)
    np.testing.assert_array_equal(activation.backward(G), G)


# ---------------------------------------------------------------- Softmax


def test_softmax_hand_worked_example():
    # softmax([0, ln 2]) = [e^0, e^ln2] / (1 + 2) = [1, 2] / 3 = [1/3, 2/3].
    # Upstream g = [1, 0]: sum(g * p) = 1/3, so
    # dL/dx = p * (g - 1/3) = [1/3 * 2/3, 2/3 * -1/3] = [2/9, -2/9].
    activation = Softmax()
    y = activation.forward(np.array([[0.0, math.log(2)]]))
    dX = activation.backward(np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(y, [[1 / 3, 2 / 3]], rtol=1e-15)
    np.testing.assert_allclose(dX, [[2 / 9, -2 / 9]], rtol=1e-15)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_of_huge_logits_is_exact(dtype):
    # Naive exp(1000) overflows; subtracting the row max gives [1, 0, 0].
    activation = Softmax()
    with no_warnings():
        y = activation.forward(np.array([[1000.0, 0.0, -1000.0]], dtype=dtype))
        dX = activation.backward(np.array([[1.0, 2.0, 3.0]], dtype=dtype))
    np.testing.assert_array_equal(y, [[1.0, 0.0, 0.0]])
    # A saturated softmax has a zero Jacobian: p * (g - g[0]) = 0.
    np.testing.assert_array_equal(dX, [[0.0, 0.0, 0.0]])


def test_softmax_rows_with_large_spread_sum_to_one():
    # Y10
    X = np.random.default_rng(0).normal(scale=300.0, size=(64, 10))
    with no_warnings():
        p = Softmax().forward(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert (p >= 0).all() and (p <= 1).all()
    np.testing.assert_array_equal(p.argmax(axis=1), X.argmax(axis=1))


def test_softmax_ties_split_evenly():
    # Y10: equal logits get exactly equal shares.
    X = np.array([[3.0, 3.0, 3.0, 3.0], [2.0, 2.0, -1.0, -1.0], [7.0, 0.0, 7.0, 0.0]])
    p = Softmax().forward(X)
    np.testing.assert_array_equal(p[0], [0.25, 0.25, 0.25, 0.25])
    assert p[1, 0] == p[1, 1] and p[1, 2] == p[1, 3]
    assert p[2, 0] == p[2, 2] and p[2, 1] == p[2, 3]
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_of_a_single_class_is_one(dtype):
    # Y10: one column, so every row is exactly [1] and the Jacobian is 0.
    X = np.array([[-1e4], [0.0], [3.5], [1e4]], dtype=dtype)
    activation = Softmax()
    p = activation.forward(X)
    np.testing.assert_array_equal(p, np.ones((4, 1)))
    dX = activation.backward(np.arange(4, dtype=dtype).reshape(4, 1))
    np.testing.assert_array_equal(dX, np.zeros((4, 1)))


def test_softmax_float32_rows_sum_to_one():
    X = np.random.default_rng(1).normal(scale=50.0, size=(64, 10)).astype(np.float32)
    p = Softmax().forward(X)
    assert p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-6)


@pytest.mark.parametrize("n_classes", [3, 10, 32, 33, 100])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_of_a_row_does_not_depend_on_the_batch(n_classes, dtype):
    # The maximum of narrow rows (up to 32 entries) is taken across a
    # transposed copy, of wider ones along the row, and sums run along the
    # row: each row's result is the same, to the last bit, whether it comes
    # alone, in a chunk or in the batch.
    X = np.random.default_rng(3).normal(scale=5.0, size=(57, n_classes)).astype(dtype)
    whole = Softmax().forward(X)
    chunks = np.concatenate([Softmax().forward(X[i : i + 8]) for i in range(0, 57, 8)])
    rows = np.concatenate([Softmax().forward(X[i : i + 1]) for i in range(57)])
    np.testing.assert_array_equal(chunks, whole)
    np.testing.assert_array_equal(rows, whole)
    np.testing.assert_allclose(
        whole, np.exp(X) / np.exp(X).sum(axis=1, keepdims=True), rtol=1e-5
    )


def test_softmax_normalises_the_last_axis():
    X = random_batch((2, 3, 4))
    p = Softmax().forward(X)
    np.testing.assert_allclose(p.sum(axis=-1), np.ones((2, 3)), rtol=0, atol=1e-12)
    np.testing.assert_allclose(p[1, 2], Softmax().forward(X[1, 2]), rtol=1e-15)


# -------------------------------------------------------------------- Hypothesis

BOUNDED = st.floats(-1e3, 1e3, allow_subnormal=False)
BOUNDED_32 = st.floats(-1e3, 1e3, allow_subnormal=False, width=32)


@settings(deadline=None, max_examples=50)
@given(
    X=arrays(
        np.float64,
        array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8),
        elements=BOUNDED,
    ),
    shift=st.floats(-100, 100),
)
def test_property_softmax_rows_sum_to_one_and_ignore_a_row_shift(X, shift):
    p = Softmax().forward(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert (p >= 0).all() and (p <= 1).all()
    # A different constant per row: shift, 2 * shift, 3 * shift, ...
    offsets = shift * np.arange(1, X.shape[0] + 1).reshape(-1, 1)
    p_shifted = Softmax().forward(X + offsets)
    np.testing.assert_allclose(p_shifted, p, rtol=1e-9, atol=1e-12)


@parametrize_activations
@pytest.mark.parametrize(
    ("dtype", "elements"),
    [(np.float64, BOUNDED), (np.float32, BOUNDED_32)],
    ids=["float64", "float32"],
)
@settings(deadline=None, max_examples=25)
@given(data=st.data())
def test_property_shape_dtype_and_finiteness(case, dtype, elements, data):
    # Any batch size and number of dimensions: same shape and dtype out,
    # finite in gives finite out, forward and backward.
    X = data.draw(
        arrays(
            dtype,
            array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=8),
            elements=elements,
        )
    )
    G = data.draw(arrays(dtype, X.shape, elements=elements))
    activation = case.make()
    y = activation.forward(X)
    dX = activation.backward(G)
    assert y.shape == X.shape and dX.shape == X.shape
    assert y.dtype == dtype and dX.dtype == dtype
    assert np.isfinite(y).all()
    assert np.isfinite(dX).all()
