"""Tests for nnfs.conv and the shape layers Flatten and Reshape on images.

Generic tests run over ``CASES``, a registry of layers built with one window
geometry each (strides 1 and 2, paddings "valid", "same" and int, dilations 1
and 2, odd input sizes) and the batch shape they take; a new layer gets the
gradient checks, the reference comparisons and the contract tests by adding
entries (``test_registry_covers_every_layer`` fails until it is added). The
references are direct nested loops written from the formulas in the
docstrings, and, when PyTorch is installed, ``torch.nn.functional``.
"""

import inspect
import json
import math
import re
import runpy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nnfs import conv as conv_module
from nnfs import doctor
from nnfs.activations import ReLU, Softmax, Tanh
from nnfs.conv import (
    AvgPool2D,
    Conv1D,
    Conv2D,
    GlobalAveragePooling,
    MaxPool1D,
    MaxPool2D,
)
from nnfs.gradcheck import check_gradients
from nnfs.initializers import HeUniform
from nnfs.layers import BaseLayer, Dense, Flatten, Reshape
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import SGD

ROOT = Path(__file__).resolve().parents[1]
FLOAT_DTYPES = [np.float32, np.float64]

# ------------------------------------------------------------------ registry
# Batch shapes: odd and even spatial sizes, two samples, two channels.
SHAPE_2D = (2, 2, 7, 6)
SHAPE_1D = (2, 2, 9)

CONV2D_GEOMETRIES = {
    "k3": dict(kernel_size=3),
    "k3_same": dict(kernel_size=3, padding="same"),
    "k2_same": dict(kernel_size=2, padding="same"),  # padding split 0 / 1
    "k3_s2_same": dict(kernel_size=3, stride=2, padding="same"),
    "k3_s2_p1": dict(kernel_size=3, stride=2, padding=1),
    "k3_d2_same": dict(kernel_size=3, dilation=2, padding="same"),
    "k2_s2_d2": dict(kernel_size=2, stride=2, dilation=2),
    "k3x2_s2x1_p1x0_d2x1": dict(
        kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(2, 1)
    ),
}
CONV1D_GEOMETRIES = {
    "k3": dict(kernel_size=3),
    "k3_s2_same": dict(kernel_size=3, stride=2, padding="same"),
    "k2_d2_p1": dict(kernel_size=2, dilation=2, padding=1),
    "k4_same": dict(kernel_size=4, padding="same"),
}
POOL2D_GEOMETRIES = {
    "k2": dict(kernel_size=2),  # stride 2; the 7th row is never read
    "k3_s1_same": dict(kernel_size=3, stride=1, padding="same"),
    "k3_s2_p1": dict(kernel_size=3, stride=2, padding=1),
    "k2_s1_d2": dict(kernel_size=2, stride=1, dilation=2),
    "k3x2_s2x1_p1x0_d1x2": dict(
        kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)
    ),
}
POOL1D_GEOMETRIES = {
    "k2": dict(kernel_size=2),
    "k3_s1_same": dict(kernel_size=3, stride=1, padding="same"),
    "k3_s2_p1_d2": dict(kernel_size=3, stride=2, padding=1, dilation=2),
}


@dataclass(frozen=True)
class Case:
    """One layer for the generic tests: ``make(dtype)`` and its batch shape."""

    id: str
    make: Callable
    input_shape: tuple[int, ...]


def _cases() -> list[Case]:
    cases = []
    for name, geometry in CONV2D_GEOMETRIES.items():
        make = _factory(Conv2D, 2, 3, **geometry)
        cases.append(Case(f"conv2d_{name}", make, SHAPE_2D))
    for name, geometry in CONV1D_GEOMETRIES.items():
        make = _factory(Conv1D, 2, 3, **geometry)
        cases.append(Case(f"conv1d_{name}", make, SHAPE_1D))
    for cls in (MaxPool2D, AvgPool2D):
        for name, geometry in POOL2D_GEOMETRIES.items():
            make = _factory(cls, **geometry)
            cases.append(Case(f"{cls.layer_name}_{name}", make, SHAPE_2D))
    for name, geometry in POOL1D_GEOMETRIES.items():
        cases.append(
            Case(f"maxpool1d_{name}", _factory(MaxPool1D, **geometry), SHAPE_1D)
        )
    cases += [
        Case("global_avg_pool_2d", _factory(GlobalAveragePooling), SHAPE_2D),
        Case("global_avg_pool_1d", _factory(GlobalAveragePooling), SHAPE_1D),
        Case("flatten", _factory(Flatten), SHAPE_2D),
        Case("reshape", _factory(Reshape, (6, -1)), SHAPE_2D),
    ]
    return cases


def _factory(cls, *args, **kwargs):
    """``make(dtype)``: layers with parameters get the dtype and a seed."""

    def make(dtype):
        if "dtype" in inspect.signature(cls).parameters:
            return cls(*args, dtype=dtype, seed=0, **kwargs)
        return cls(*args, **kwargs)

    return make


CASES = _cases()
CONV_CASES = [case for case in CASES if case.id.startswith("conv")]
SHAPE_LAYERS = (Flatten, Reshape)


def parametrize_cases(cases=CASES):
    return pytest.mark.parametrize("case", cases, ids=[case.id for case in cases])


def random_batch(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def run_layer(layer, X, G=None, seed=1):
    """Forward then backward; copies of the output, dX and parameter grads."""
    y = layer.forward(X).copy()
    if G is None:
        G = random_batch(y.shape, seed).astype(y.dtype)
    dX = layer.backward(G).copy()
    grads = [grad.copy() for _, _, grad in layer.trainable or []]
    return y, dX, grads


def test_registry_covers_every_layer():
    concrete = {
        name
        for name in conv_module.__all__
        if issubclass(obj := getattr(conv_module, name), BaseLayer)
        and not inspect.isabstract(obj)
    } | {cls.__name__ for cls in SHAPE_LAYERS}
    registered = {type(case.make(np.float64)).__name__ for case in CASES}
    assert concrete <= registered, f"add to CASES: {sorted(concrete - registered)}"


# ------------------------------------------------------- nested-loop references


def reference_padding(size, k, s, d, padding):
    """(before, after) padding of one axis, from the module docstring."""
    if padding == "valid":
        return 0, 0
    if padding == "same":
        span = d * (k - 1) + 1
        total = max((math.ceil(size / s) - 1) * s + span - size, 0)
        return total // 2, total - total // 2
    return padding, padding


def _geometry(layer, spatial):
    """Per-axis padding, output size and tap offsets, by the formulas."""
    n = len(spatial)
    padding = layer.padding
    if not isinstance(padding, str):
        per_axis = padding
    else:
        per_axis = (padding,) * n
    pads, out_shape = [], []
    for size, k, s, d, p in zip(
        spatial, layer.kernel_size, layer.stride, layer.dilation, per_axis, strict=True
    ):
        before, after = reference_padding(size, k, s, d, p)
        pads.append((before, after))
        out_shape.append((size + before + after - d * (k - 1) - 1) // s + 1)
    return pads, out_shape


def _read_positions(layer, out_index, tap):
    """Padded input index that ``tap`` of window ``out_index`` reads."""
    return tuple(
        p * s + i * d
        for p, i, s, d in zip(out_index, tap, layer.stride, layer.dilation, strict=True)
    )


def _pad(X, pads, fill):
    shape = X.shape[:2] + tuple(
        n + b + a for n, (b, a) in zip(X.shape[2:], pads, strict=True)
    )
    X_padded = np.full(shape, fill, dtype=np.float64)
    inner = tuple(slice(b, b + n) for n, (b, _) in zip(X.shape[2:], pads, strict=True))
    X_padded[(slice(None), slice(None), *inner)] = X
    return X_padded, inner


def reference_conv(layer, X, G):
    """Loops over samples, filters, outputs, channels and taps; returns
    y, dL/dX, dL/dW and dL/db for the upstream gradient G."""
    W, b = layer.W.astype(np.float64), layer.b.astype(np.float64)
    pads, out_shape = _geometry(layer, X.shape[2:])
    X_padded, inner = _pad(X, pads, 0.0)
    n_samples, n_channels = X.shape[:2]
    y = np.zeros((n_samples, layer.out_channels, *out_shape))
    grad_padded, dW = np.zeros_like(X_padded), np.zeros_like(W)
    for n in range(n_samples):
        for o in range(layer.out_channels):
            for out in np.ndindex(*out_shape):
                total = b[o]
                g = G[(n, o, *out)]
                for c in range(n_channels):
                    for tap in np.ndindex(*layer.kernel_size):
                        position = (n, c, *_read_positions(layer, out, tap))
                        total += W[(o, c, *tap)] * X_padded[position]
                        grad_padded[position] += W[(o, c, *tap)] * g
                        dW[(o, c, *tap)] += X_padded[position] * g
                y[(n, o, *out)] = total
    db = G.sum(axis=(0, *range(2, G.ndim)))
    return y, grad_padded[(slice(None), slice(None), *inner)], dW, db


def reference_pool(layer, X, G):
    """Max or average of each window by loops, and the gradient: to the first
    maximum in row-major window order, or G / K to every tap."""
    is_max = isinstance(layer, MaxPool1D | MaxPool2D)
    pads, out_shape = _geometry(layer, X.shape[2:])
    X_padded, inner = _pad(X, pads, -np.inf if is_max else 0.0)
    taps = list(np.ndindex(*layer.kernel_size))
    y = np.zeros((*X.shape[:2], *out_shape))
    grad_padded = np.zeros_like(X_padded)
    for n, c in np.ndindex(*X.shape[:2]):
        for out in np.ndindex(*out_shape):
            positions = [(n, c, *_read_positions(layer, out, tap)) for tap in taps]
            values = [X_padded[position] for position in positions]
            g = G[(n, c, *out)]
            if is_max:
                best = max(values)
                y[(n, c, *out)] = best
                grad_padded[positions[values.index(best)]] += g
            else:
                y[(n, c, *out)] = sum(values) / len(taps)
                for position in positions:
                    grad_padded[position] += g / len(taps)
    return y, grad_padded[(slice(None), slice(None), *inner)]


def reference(layer, X, G):
    """(y, dX, parameter gradients) of any registered layer, by loops."""
    if isinstance(layer, Conv1D | Conv2D):
        y, dX, dW, db = reference_conv(layer, X, G)
        return y, dX, [dW, db]
    if isinstance(layer, GlobalAveragePooling):
        n_positions = math.prod(X.shape[2:])
        y = np.zeros(X.shape[:2])
        dX = np.zeros_like(X)
        for n, c in np.ndindex(*X.shape[:2]):
            y[n, c] = sum(X[n, c].ravel()) / n_positions
            dX[n, c] = G[n, c] / n_positions
        return y, dX, []
    if isinstance(layer, Flatten | Reshape):
        # C order: sample n's values in the order np.ndindex visits them.
        flat = np.array([[X[n][i] for i in np.ndindex(*X.shape[1:])] for n in range(2)])
        y = flat.reshape(G.shape)
        dX = np.array([G[n].ravel() for n in range(len(G))]).reshape(X.shape)
        return y, dX, []
    y, dX = reference_pool(layer, X, G)
    return y, dX, []


@parametrize_cases()
def test_matches_the_nested_loop_reference_float64(case):
    layer = case.make(np.float64)
    X = random_batch(case.input_shape)
    y, dX, grads = run_layer(layer, X)
    G = random_batch(y.shape, 1)
    y_ref, dX_ref, grads_ref = reference(layer, X, G)
    np.testing.assert_allclose(y, y_ref, rtol=1e-12, atol=1e-12, err_msg="output")
    np.testing.assert_allclose(dX, dX_ref, rtol=1e-12, atol=1e-12, err_msg="dX")
    for (name, _, _), grad, grad_ref in zip(
        layer.trainable or [], grads, grads_ref, strict=True
    ):
        np.testing.assert_allclose(grad, grad_ref, rtol=1e-12, atol=1e-12, err_msg=name)


@parametrize_cases()
def test_output_shape_matches_forward(case):
    layer = case.make(np.float64)
    y = layer.forward(random_batch(case.input_shape))
    assert (case.input_shape[0], *layer.output_shape(case.input_shape[1:])) == y.shape


# ------------------------------------------------------------ gradient checks


@parametrize_cases()
def test_gradients_match_finite_differences_float64(case):
    layer = case.make(np.float64)
    result = check_gradients(layer, random_batch(case.input_shape), verbose=False)
    assert result.passed, str(result)
    suffixes = sorted(check.name.rsplit(".", 1)[-1] for check in result.checks)
    assert suffixes == sorted(["X", *layer.param_names])


@parametrize_cases()
def test_float32_gradients_match_float64_reference(case):
    layer = case.make(np.float32)
    X = random_batch(case.input_shape, seed=2)
    result = check_gradients(layer, X, dtype=np.float32, verbose=False)
    assert result.passed, str(result)


@parametrize_cases()
def test_float32_forward_and_backward_match_float64(case):
    X = random_batch(case.input_shape, seed=3)
    y64, dX64, grads64 = run_layer(case.make(np.float64), X)
    y32, dX32, grads32 = run_layer(case.make(np.float32), X.astype(np.float32))
    assert y32.dtype == dX32.dtype == np.float32
    np.testing.assert_allclose(y32, y64, rtol=1.3e-6, atol=1e-5)
    np.testing.assert_allclose(dX32, dX64, rtol=1.3e-6, atol=1e-5)
    for grad32, grad64 in zip(grads32, grads64, strict=True):
        assert grad32.dtype == np.float32
        np.testing.assert_allclose(grad32, grad64, rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------- layer contract


@parametrize_cases()
def test_backward_twice_is_bit_identical_and_scales(case):
    layer = case.make(np.float64)
    X = random_batch(case.input_shape)
    _, dX, grads = run_layer(layer, X)
    G = random_batch(layer.forward(X).shape, 1)
    np.testing.assert_array_equal(layer.backward(G), dX)
    # Doubling is exact in floating point, so 2G must give exactly twice.
    np.testing.assert_array_equal(layer.backward(2 * G), 2 * dX)
    for (name, _, grad), single in zip(layer.trainable or [], grads, strict=True):
        np.testing.assert_array_equal(grad, 2 * single, err_msg=f"d{name}")


@parametrize_cases()
def test_forward_and_backward_do_not_mutate_their_inputs(case):
    # Y7
    layer = case.make(np.float64)
    X = random_batch(case.input_shape)
    G = random_batch(layer.forward(X).shape, 1)
    X_before, G_before = X.copy(), G.copy()
    layer.forward(X)
    layer.backward(G)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(G, G_before)


def _read_only(array):
    array = array.copy()
    array.setflags(write=False)
    return array


def _strided(array):
    big = np.zeros((2 * array.shape[0], *array.shape[1:-1], 2 * array.shape[-1]))
    big[::2, ..., ::2] = array
    return big[::2, ..., ::2]


@parametrize_cases()
@pytest.mark.parametrize("layout", [_read_only, np.asfortranarray, _strided])
def test_input_layout_does_not_change_the_result(case, layout):
    # Y6
    X = random_batch(case.input_shape)
    y, dX, grads = run_layer(case.make(np.float64), X)
    G = random_batch(y.shape, 1)
    y_alt, dX_alt, grads_alt = run_layer(case.make(np.float64), layout(X), layout(G))
    np.testing.assert_allclose(y_alt, y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX_alt, dX, rtol=1e-12, atol=1e-12)
    for alt, expected in zip(grads_alt, grads, strict=True):
        np.testing.assert_allclose(alt, expected, rtol=1e-12, atol=1e-12)


@parametrize_cases()
def test_batch_of_one_equals_row_of_larger_batch(case):
    # Y4
    X = random_batch(case.input_shape)
    y, dX, _ = run_layer(case.make(np.float64), X)
    G = random_batch(y.shape, 1)
    y_one, dX_one, _ = run_layer(case.make(np.float64), X[:1], G[:1])
    np.testing.assert_allclose(y_one, y[:1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX_one, dX[:1], rtol=1e-12, atol=1e-12)


@parametrize_cases()
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_dtype_is_kept(case, dtype):
    # Layers with parameters compute in their own dtype whatever they are fed;
    # the others keep the dtype of their input. No silent upcast either way.
    layer = case.make(dtype)
    own = getattr(layer, "dtype", None)
    for input_dtype in FLOAT_DTYPES:
        y = layer.forward(random_batch(case.input_shape).astype(input_dtype))
        dX = layer.backward(np.ones(y.shape, dtype=np.float64))
        expected = own if own is not None else input_dtype
        assert y.dtype == dX.dtype == expected
        for name, param, grad in layer.trainable or []:
            assert param.dtype == grad.dtype == dtype, name


@parametrize_cases()
def test_int_and_list_inputs_are_cast_to_float(case):
    # Y11
    layer = case.make(np.float64)
    X_int = np.random.default_rng(0).integers(-3, 4, case.input_shape)
    expected = case.make(np.float64).forward(X_int.astype(np.float64))
    for X in (X_int, X_int.tolist()):
        np.testing.assert_array_equal(layer.forward(X), expected)


@parametrize_cases()
def test_backward_before_forward_raises(case):
    layer = case.make(np.float64)
    with pytest.raises(RuntimeError, match=r"\.backward: forward must run before"):
        layer.backward(np.ones((2, 3)))


@parametrize_cases()
def test_backward_rejects_gradient_of_the_wrong_shape(case):
    # Y5: the message names both shapes.
    layer = case.make(np.float64)
    y = layer.forward(random_batch(case.input_shape))
    bad = (y.shape[0] + 1, *y.shape[1:])
    with pytest.raises(
        ValueError,
        match=rf"\.backward: grad_next has shape {re.escape(str(bad))} but "
        rf"the forward output had shape {re.escape(str(y.shape))}",
    ):
        layer.backward(np.ones(bad))


@parametrize_cases()
@pytest.mark.parametrize(
    "fill, error, match",
    [
        ("a", TypeError, r"X_input must hold numbers; got"),
        (1j, ValueError, r"X_input has complex dtype complex128"),
    ],
    ids=["str", "complex"],
)
def test_forward_rejects_non_real_input(case, fill, error, match):
    # Y11 and L15 of RELIABILITY.md.
    with pytest.raises(error, match=rf"\.forward: {match}"):
        case.make(np.float64).forward(np.full(case.input_shape, fill))


@parametrize_cases()
def test_get_config_rebuilds_the_layer_through_json(case):
    layer = case.make(np.float64)
    config = json.loads(json.dumps(layer.get_config()))  # tuples become lists
    rebuilt = type(layer)(**config)
    assert rebuilt.get_config() == layer.get_config()
    assert repr(rebuilt) == repr(layer)
    X = random_batch(case.input_shape)
    assert rebuilt.forward(X).shape == layer.forward(X).shape


@parametrize_cases(CONV_CASES)
def test_parameters_trainable_and_n_params(case):
    layer = case.make(np.float64)
    kernel = layer.kernel_size
    assert layer.W.shape == (layer.out_channels, layer.in_channels, *kernel)
    assert layer.b.shape == (layer.out_channels,)
    assert layer.n_params == layer.W.size + layer.b.size
    assert layer.dW is None and layer.db is None
    run_layer(layer, random_batch(case.input_shape))
    (w_name, W, dW), (b_name, b, db) = layer.trainable
    assert (w_name, b_name) == ("W", "b")
    assert W is layer.W and dW is layer.dW and dW.shape == W.shape
    assert b is layer.b and db is layer.db and db.shape == b.shape


@parametrize_cases(CONV_CASES)
def test_backward_params_stores_the_same_gradients(case):
    X = random_batch(case.input_shape)
    _, _, grads = run_layer(case.make(np.float64), X)
    layer = case.make(np.float64)
    G = random_batch(layer.forward(X).shape, 1)
    assert layer.backward_params(G) is None
    np.testing.assert_array_equal(layer.dW, grads[0])
    np.testing.assert_array_equal(layer.db, grads[1])


@pytest.mark.parametrize("layer", [Conv2D(1, 2, 3), MaxPool2D(2)], ids=repr)
def test_backward_after_an_inference_forward_explains_the_training_flag(layer):
    # predict runs forward with training False, which keeps nothing for backward.
    layer.training = False
    y = layer.forward(np.ones((1, 1, 4, 4)))
    with pytest.raises(RuntimeError, match=r"forward must run before backward, with "):
        layer.backward(np.ones_like(y))


def test_training_buffers_give_the_same_result_as_fresh_arrays():
    # fit lets layers reuse their arrays from step to step (and the last,
    # shorter batch of an epoch reallocates them): the weights after two
    # epochs must equal those of the same steps without buffers.
    def make_model():
        return Sequential(
            [
                Conv2D(1, 3, 3, padding="same", seed=0, dtype=np.float64),
                ReLU(),
                MaxPool2D(2),
                Conv2D(3, 4, 2, seed=1, dtype=np.float64),
                AvgPool2D(2, stride=1),
                Flatten(),
                Dense(4, 3, seed=2, dtype=np.float64),
                Softmax(),
            ],
            CCE(),
            SGD(lr=0.1, momentum=0.9),
        )

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((11, 1, 6, 6)), rng.integers(0, 3, 11)
    buffered = make_model()
    buffered.fit(X, y, 2, batch_size=4, shuffle=False, debug_flag=False)
    fresh = make_model()
    for _ in range(2):
        for start in range(0, 11, 4):
            fresh.run_training_epoch(X[start : start + 4], y[start : start + 4])
    for layer_b, layer_f in zip(buffered.layers, fresh.layers, strict=True):
        for (name, param_b, _), (_, param_f, _) in zip(
            layer_b.trainable or [], layer_f.trainable or [], strict=True
        ):
            np.testing.assert_allclose(param_b, param_f, rtol=1e-12, err_msg=name)


# ------------------------------------------------------------ hand-worked


def test_conv2d_hand_worked_example():
    layer = Conv2D(1, 1, 2, dtype=np.float64)
    layer.W[...] = [[[[1.0, 2.0], [0.0, -1.0]]]]
    layer.b[...] = 0.5
    X = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    y = layer.forward(X)
    # y[p, q] = X[p, q] + 2 X[p, q+1] - X[p+1, q+1] + 0.5:
    # 1 + 4 - 5 + .5 = 0.5;  2 + 6 - 6 + .5 = 2.5;
    # 4 + 10 - 8 + .5 = 6.5; 5 + 12 - 9 + .5 = 8.5
    np.testing.assert_array_equal(y, [[[[0.5, 2.5], [6.5, 8.5]]]])

    dX = layer.backward(np.ones_like(y))
    # dW[i, j] sums the inputs tap (i, j) read: 1+2+4+5 = 12, 2+3+5+6 = 16,
    # 4+5+7+8 = 24, 5+6+8+9 = 28; db = 4 outputs x 1.
    np.testing.assert_array_equal(layer.dW, [[[[12.0, 16.0], [24.0, 28.0]]]])
    np.testing.assert_array_equal(layer.db, [4.0])
    # dX[y, x] sums the weights of the taps that read it: the corner X[0, 0]
    # only W[0, 0] = 1; the centre every tap, 1 + 2 + 0 - 1 = 2; X[0, 1] the
    # taps (0, 1) and (0, 0): 2 + 1 = 3; and so on.
    np.testing.assert_array_equal(
        dX, [[[[1.0, 3.0, 2.0], [1.0, 2.0, 1.0], [0.0, -1.0, -1.0]]]]
    )


def test_conv1d_hand_worked_example_with_stride_and_padding():
    layer = Conv1D(1, 1, 3, stride=2, padding=1, dtype=np.float64)
    layer.W[...] = [[[1.0, 0.0, -1.0]]]
    X = np.array([[[1.0, 2.0, 3.0, 4.0, 5.0]]])
    # Padded [0, 1, 2, 3, 4, 5, 0]; windows start at 0, 2, 4:
    # 0 - 2 = -2;  2 - 4 = -2;  4 - 0 = 4.
    np.testing.assert_array_equal(layer.forward(X), [[[-2.0, -2.0, 4.0]]])
    dX = layer.backward(np.array([[[1.0, 10.0, 100.0]]]))
    # Input 1 (padded index 1) is tap 1 of window 0 (weight 0): 0;
    # input 2 (index 2): tap 2 of window 0 (-1 x 1) + tap 0 of window 1
    # (1 x 10) = 9; input 3: tap 1 of window 1: 0; input 4: -10 + 100 = 90;
    # input 5: tap 1 of window 2: 0.
    np.testing.assert_array_equal(dX, [[[0.0, 9.0, 0.0, 90.0, 0.0]]])


def test_maxpool2d_hand_worked_example_with_a_tie():
    X = np.array([[[[1.0, 3.0, 0.0, 2.0], [3.0, 0.0, 2.0, -1.0]]]])
    layer = MaxPool2D(2)
    # Windows [[1, 3], [3, 0]] and [[0, 2], [2, -1]]: maxima 3 and 2, each
    # reached twice; the first in row-major order, (0, 1), wins both.
    np.testing.assert_array_equal(layer.forward(X), [[[[3.0, 2.0]]]])
    dX = layer.backward(np.array([[[[10.0, 20.0]]]]))
    np.testing.assert_array_equal(dX, [[[[0.0, 10.0, 0.0, 20.0], [0, 0, 0, 0]]]])


def test_maxpool_overlapping_windows_add_their_gradients():
    X = np.array([[[0.0, 5.0, 1.0, 2.0]]])
    layer = MaxPool1D(2, stride=1)
    # Windows [0, 5], [5, 1], [1, 2]: 5 wins twice and collects 1 + 2.
    np.testing.assert_array_equal(layer.forward(X), [[[5.0, 5.0, 2.0]]])
    dX = layer.backward(np.array([[[1.0, 2.0, 4.0]]]))
    np.testing.assert_array_equal(dX, [[[0.0, 3.0, 0.0, 4.0]]])


def test_padding_never_wins_a_max_pool_window():
    X = -np.ones((1, 1, 3))
    layer = MaxPool1D(3, stride=1, padding="same")
    np.testing.assert_array_equal(layer.forward(X), -np.ones((1, 1, 3)))


def test_avgpool2d_hand_worked_example_counts_padding():
    layer = AvgPool2D(2, stride=2, padding=1)
    X = np.array([[[[4.0, 8.0], [12.0, 16.0]]]])
    # Padded to 4x4; every window holds one input and three zeros: x / 4.
    np.testing.assert_array_equal(layer.forward(X), [[[[1.0, 2.0], [3.0, 4.0]]]])
    dX = layer.backward(np.array([[[[4.0, 8.0], [12.0, 16.0]]]]))
    np.testing.assert_array_equal(dX, [[[[1.0, 2.0], [3.0, 4.0]]]])


def test_global_average_pooling_hand_worked_example():
    X = np.arange(8.0).reshape(1, 2, 2, 2)  # channel means (0+1+2+3)/4, (4+..+7)/4
    layer = GlobalAveragePooling()
    np.testing.assert_array_equal(layer.forward(X), [[1.5, 5.5]])
    dX = layer.backward(np.array([[4.0, 8.0]]))
    np.testing.assert_array_equal(dX, [[[[1.0, 1.0], [1.0, 1.0]], [[2.0] * 2] * 2]])


def test_flatten_and_reshape_keep_c_order():
    X = np.arange(12.0).reshape(1, 2, 2, 3)
    np.testing.assert_array_equal(Flatten().forward(X), np.arange(12.0)[None])
    y = Reshape((3, 4)).forward(X)
    np.testing.assert_array_equal(y, np.arange(12.0).reshape(1, 3, 4))


@pytest.mark.parametrize(
    "kernel_size, dilation, stride",
    [(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (3, 2, 1), (3, 1, 2), (2, 3, 3)],
)
@pytest.mark.parametrize("size", [5, 6])
def test_same_padding_gives_ceil_of_size_over_stride(
    kernel_size, dilation, stride, size
):
    layer = Conv1D(1, 1, kernel_size, stride, "same", dilation)
    assert layer.output_shape((1, size)) == (1, math.ceil(size / stride))


# ------------------------------------------------------------ initialisation


@pytest.mark.parametrize(
    "init, expected_std",
    [
        ("he", math.sqrt(2 / (16 * 9))),
        ("he_uniform", math.sqrt(2 / (16 * 9))),
        ("glorot", math.sqrt(2 / (16 * 9 + 32 * 9))),
        ("glorot_uniform", math.sqrt(2 / (16 * 9 + 32 * 9))),
        ("auto", math.sqrt(2 / (16 * 9))),  # He until a model says otherwise
    ],
)
def test_init_uses_the_receptive_field_in_the_fans(init, expected_std):
    W = Conv2D(16, 32, 3, init=init, seed=0, dtype=np.float64).W
    assert abs(W.std() / expected_std - 1) < 0.03
    assert abs(W.mean()) < 0.05 * expected_std


def test_auto_init_takes_glorot_scale_before_a_saturating_activation():
    conv = Conv2D(16, 32, 3, seed=0, dtype=np.float64)
    he = conv.W.copy()
    Sequential([conv, Tanh()], CCE(), SGD())
    # Glorot over He: sqrt((2 / (16*9 + 32*9)) / (2 / (16*9))) = sqrt(1 / 3).
    np.testing.assert_allclose(conv.W, he * math.sqrt(1 / 3), rtol=1e-12)


def test_initializer_object_gets_the_convolution_fans():
    W = Conv2D(4, 8, 3, init=HeUniform(), seed=0).W
    limit = math.sqrt(6 / (4 * 9))
    assert np.abs(W).max() <= limit
    assert np.abs(W).max() > 0.9 * limit
    config = Conv2D(4, 8, 3, init=HeUniform()).get_config()
    assert config["init"] == {"name": "HeUniform"}
    assert isinstance(Conv2D(**json.loads(json.dumps(config))).init, HeUniform)


def test_seeds_make_weights_repeatable():
    np.testing.assert_array_equal(Conv2D(2, 3, 3, seed=4).W, Conv2D(2, 3, 3, seed=4).W)
    assert not np.array_equal(Conv2D(2, 3, 3, seed=4).W, Conv2D(2, 3, 3, seed=5).W)
    rng_a, rng_b = np.random.default_rng(7), np.random.default_rng(7)
    np.testing.assert_array_equal(
        Conv1D(2, 3, 3, rng=rng_a).W, Conv1D(2, 3, 3, rng=rng_b).W
    )


def test_dtype_defaults_to_float32():
    layer = Conv2D(1, 2, 3)
    assert layer.W.dtype == layer.b.dtype == np.float32
    assert layer.forward(np.ones((1, 1, 3, 3))).dtype == np.float32


def test_repr():
    assert repr(Conv2D(1, 16, 3, padding="same")) == (
        "Conv2D(1, 16, kernel_size=(3, 3), stride=(1, 1), padding='same', "
        "init='auto', dtype=float32)"
    )
    assert repr(MaxPool1D(2, dilation=2)) == (
        "MaxPool1D(kernel_size=(2,), stride=(2,), padding='valid', dilation=(2,))"
    )
    assert repr(GlobalAveragePooling()) == "GlobalAveragePooling()"
    assert repr(Reshape((2, -1))) == "Reshape((2, -1))"


# ------------------------------------------------------------------ bad input

CONSTRUCTORS = {
    "Conv2D": lambda **kw: Conv2D(**{"in_channels": 1, "out_channels": 2, **kw}),
    "Conv1D": lambda **kw: Conv1D(**{"in_channels": 1, "out_channels": 2, **kw}),
    "MaxPool2D": lambda **kw: MaxPool2D(**kw),
    "MaxPool1D": lambda **kw: MaxPool1D(**kw),
    "AvgPool2D": lambda **kw: AvgPool2D(**kw),
}


@pytest.mark.parametrize("layer", CONSTRUCTORS)
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"kernel_size": 0}, ValueError, r"kernel_size must be >= 1; got 0"),
        ({"kernel_size": 2.5}, TypeError, r"kernel_size must be an integer"),
        ({"kernel_size": True}, TypeError, r"kernel_size must be an integer"),
        ({"kernel_size": "3"}, TypeError, r"kernel_size must be an integer"),
        ({"kernel_size": (3, 3, 3)}, ValueError, r"kernel_size must be an int or a"),
        ({"kernel_size": 2, "stride": 0}, ValueError, r"stride must be >= 1; got 0"),
        ({"kernel_size": 2, "stride": 1.0}, TypeError, r"stride must be an integer"),
        ({"kernel_size": 2, "dilation": 0}, ValueError, r"dilation must be >= 1"),
        ({"kernel_size": 2, "dilation": [1, 1, 1]}, ValueError, r"dilation must be"),
        ({"kernel_size": 2, "padding": -1}, ValueError, r"padding must be >= 0"),
        ({"kernel_size": 2, "padding": "full"}, ValueError, r"padding must be 'val"),
        ({"kernel_size": 2, "padding": 1.5}, TypeError, r"padding must be 'valid'"),
        ({"kernel_size": 2, "padding": None}, TypeError, r"padding must be 'valid'"),
        ({"kernel_size": 2, "padding": True}, TypeError, r"padding must be 'valid'"),
        ({"kernel_size": 2, "input_shape": "big"}, TypeError, r"input_shape must be"),
        ({"kernel_size": 2, "input_shape": (1, 8, 8, 8)}, ValueError, r"input_shape"),
        ({"kernel_size": 2, "input_shape": (1, 0, 8)}, ValueError, r"input_shape"),
    ],
)
def test_window_arguments_are_checked(layer, kwargs, error, match):
    with pytest.raises(error, match=rf"^{layer}: .*{match}"):
        CONSTRUCTORS[layer](**kwargs)


@pytest.mark.parametrize("layer", ["Conv2D", "Conv1D"])
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"in_channels": 0}, ValueError, r"in_channels must be >= 1; got 0"),
        ({"out_channels": -2}, ValueError, r"out_channels must be >= 1; got -2"),
        ({"in_channels": 2.0}, TypeError, r"in_channels must be an integer"),
        ({"out_channels": True}, TypeError, r"out_channels must be an integer"),
        ({"init": "xavier"}, ValueError, r"init must be one of"),
        ({"init": None}, ValueError, r"init must be one of"),
        ({"dtype": np.int32}, ValueError, r"dtype must be float32 or float64"),
        ({"dtype": "int8"}, ValueError, r"dtype must be float32 or float64"),
        (
            {"seed": 1, "rng": np.random.default_rng(1)},
            ValueError,
            r"pass seed or rng, not both",
        ),
        ({"seed": -1}, ValueError, r"seed must be >= 0"),
        ({"rng": 3}, TypeError, r"rng must be a numpy.random.Generator"),
    ],
)
def test_convolution_arguments_are_checked(layer, kwargs, error, match):
    with pytest.raises(error, match=rf"^{layer}: {match}"):
        CONSTRUCTORS[layer](**{"kernel_size": 3, **kwargs})


@pytest.mark.parametrize(
    "make, match",
    [
        (
            lambda: Conv2D(3, 4, 3, input_shape=(1, 8, 8)),
            r"Conv2D: input_shape=\(1, 8, 8\) does not fit: Conv2D expected samples "
            r"of shape \(3, height, width\), got samples of shape \(1, 8, 8\)",
        ),
        (
            lambda: Conv2D(1, 4, 5, input_shape=(1, 4, 8)),
            r"Conv2D: input_shape=\(1, 4, 8\) does not fit: .* smaller than the "
            r"window: kernel_size \(5, 5\) with dilation \(1, 1\) spans 5 along "
            r"axis 2 but the padded input has 4",
        ),
        (
            lambda: Conv1D(1, 4, 3, dilation=3, input_shape=(1, 6)),
            r"spans 7 along axis 2 but the padded input has 6",
        ),
        (
            lambda: MaxPool2D(3, padding=(3, 0), input_shape=(1, 4, 4)),
            r"hold only padding along axis 2",
        ),
        (
            lambda: MaxPool1D(2, dilation=5, padding="same", input_shape=(1, 1)),
            r"hold only padding along axis 2",
        ),
    ],
)
def test_input_shape_is_checked_against_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "layer, X, match",
    [
        (
            Conv2D(3, 4, 3),
            np.zeros((5, 8, 8, 3)),
            r"Conv2D\.forward: expected X_input of shape \(n_samples, 3, height, "
            r"width\); got shape \(5, 8, 8, 3\); the layers are channels-first: "
            r"convert channels-last data with X\.transpose\(0, 3, 1, 2\)",
        ),
        (
            Conv2D(1, 4, 3),
            np.zeros((5, 8, 8)),
            r"got shape \(5, 8, 8\); add the channel axis with X\[:, None\]",
        ),
        (Conv2D(1, 4, 3), np.zeros((5, 64)), r"got shape \(5, 64\)$"),
        (Conv1D(2, 4, 3), np.zeros((5, 3, 9)), r"\(n_samples, 2, length\); got"),
        (
            Conv2D(1, 4, 3),
            np.zeros((5, 1, 2, 9)),
            r"Conv2D\.forward: input of spatial size \(2, 9\) is smaller than the "
            r"window",
        ),
        (MaxPool2D(2), np.zeros((5, 8, 8)), r"MaxPool2D\.forward: expected X_input"),
        (AvgPool2D(3), np.zeros((5, 2, 2, 2)), r"smaller than the window"),
        (GlobalAveragePooling(), np.zeros((5, 3)), r"at least one spatial axis"),
        (Flatten(), np.zeros(5), r"Flatten\.forward: expected X_input of shape"),
        (
            Reshape((5, -1)),
            np.zeros((2, 3, 4)),
            r"Reshape\.forward: Reshape cannot turn samples of shape \(3, 4\) "
            r"\(12 values\) into shape \(5, -1\)",
        ),
        (Reshape((2, 5)), np.zeros((2, 3, 4)), r"into shape \(2, 5\)"),
    ],
)
def test_forward_rejects_the_wrong_shape(layer, X, match):
    with pytest.raises(ValueError, match=match):
        layer.forward(X)


@pytest.mark.parametrize(
    "target_shape, error, match",
    [
        ((0, 4), ValueError, r"target_shape entries must be >= 1, with at most one"),
        (
            (-1, -1),
            ValueError,
            r"target_shape entries .* one -1 to infer; got \(-1, -1\)",
        ),
        ((-2, 3), ValueError, r"target_shape must be >= -1"),
        ((), TypeError, r"target_shape must be a tuple of ints"),
        (12, TypeError, r"target_shape must be a tuple of ints"),
        ((2.0, 3), TypeError, r"target_shape must be an integer"),
    ],
)
def test_reshape_target_shape_is_checked(target_shape, error, match):
    with pytest.raises(error, match=rf"^Reshape: {match}"):
        Reshape(target_shape)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Flatten(input_shape=[]), ValueError, r"Flatten: input_shape must"),
        (lambda: Flatten(input_shape=(2, 0)), ValueError, r"input_shape must be >= 1"),
        (lambda: Flatten(input_shape=5), TypeError, r"Flatten: input_shape must"),
        (
            lambda: Reshape((5,), input_shape=(2, 3)),
            ValueError,
            r"Reshape cannot turn samples of shape \(2, 3\)",
        ),
        (
            lambda: GlobalAveragePooling(input_shape=(3,)),
            ValueError,
            r"at least one spatial axis",
        ),
    ],
)
def test_shape_layers_check_their_input_shape(make, error, match):
    with pytest.raises(error, match=match):
        make()


# ------------------------------------------------------------------- models


def small_cnn(dtype=np.float64, input_shape=(1, 6, 6)):
    """Conv2D -> ReLU -> MaxPool -> Flatten -> Dense -> Softmax, with CCE."""
    return Sequential(
        [
            Conv2D(
                1, 3, 3, padding="same", dtype=dtype, seed=0, input_shape=input_shape
            ),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Dense(27, 4, dtype=dtype, seed=1),
            Softmax(),
        ],
        CCE(),
        SGD(lr=0.1, momentum=0.9),
    )


def test_model_gradient_check():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((4, 1, 6, 6)), rng.integers(0, 4, 4)
    result = check_gradients(small_cnn(), X, y, verbose=False)
    assert result.passed, str(result)
    assert {check.name for check in result.checks} == {
        "conv2d_0.W",
        "conv2d_0.b",
        "dense_4.W",
        "dense_4.b",
    }


def test_model_fits_predicts_and_evaluates_images():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((30, 1, 6, 6)), rng.integers(0, 4, 30)
    model = small_cnn(np.float32)
    history = model.fit(X, y, 20, batch_size=8, debug_flag=False, metrics=("accuracy",))
    assert history["loss"].shape == (20, 4)
    assert history["loss"][-1].mean() < history["loss"][0].mean()
    y_pred = model.predict(X)
    assert y_pred.shape == (30, 4) and y_pred.dtype == np.float32
    # F7: chunked prediction is the same computation as one batch.
    np.testing.assert_allclose(model.predict(X, batch_size=7), y_pred, rtol=0, atol=0)
    scores = model.evaluate(X, y, metrics=("accuracy",))
    assert scores["accuracy"] == pytest.approx(
        np.mean(y_pred.argmax(axis=1) == y), abs=1e-12
    )


def test_training_doctor_covers_convolutions():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((12, 1, 6, 6)), rng.integers(0, 4, 12)
    model = small_cnn()
    history = model.fit(X, y, 2, batch_size=6, debug_flag=False, diagnostics=True)
    for key in ("conv2d_0.W:grad_norm", "conv2d_0.b:update_ratio", "relu_1:dead"):
        values = history[f"doctor:{key}"]
        assert values.shape == (2,) and np.isfinite(values).all(), key
    assert isinstance(doctor.diagnose(history), str)


def test_model_summary_shows_every_shape(capsys):
    small_cnn().summary()
    out = capsys.readouterr().out
    for shape in ("(n, 3, 6, 6)", "(n, 3, 3, 3)", "(n, 27)", "(n, 4)"):
        assert shape in out


def test_model_reports_a_shape_mismatch_at_construction():
    # F5: both layers and the shape are named.
    with pytest.raises(
        ValueError,
        match=r"Sequential: layer dense_4 \(Dense\(12, 4, .*\)\) cannot take the "
        r"output of layer flatten_3 \(Flatten\(\)\), which has shape "
        r"\(n_samples, 27\): Dense expected 12 input features, got samples of "
        r"shape \(27,\)",
    ):
        Sequential(
            [
                Conv2D(1, 3, 3, padding="same", input_shape=(1, 6, 6)),
                ReLU(),
                MaxPool2D(2),
                Flatten(),
                Dense(12, 4),
            ]
        )


@pytest.mark.parametrize(
    "layers, match",
    [
        (
            [Conv2D(1, 4, 3, input_shape=(1, 8, 8)), Conv2D(3, 2, 3)],
            r"layer conv2d_1 .* cannot take the output of layer conv2d_0 .*, which "
            r"has shape \(n_samples, 4, 6, 6\): Conv2D expected samples of shape "
            r"\(3, height, width\), got samples of shape \(4, 6, 6\)",
        ),
        (
            [Conv2D(1, 4, 3, input_shape=(1, 4, 4)), MaxPool2D(3)],
            r"layer maxpool2d_1 .* \(n_samples, 4, 2, 2\): MaxPool2D: input of "
            r"spatial size \(2, 2\) is smaller than the window",
        ),
        (
            [Conv1D(1, 4, 3, input_shape=(1, 8)), Conv2D(4, 2, 3)],
            r"Conv2D expected samples of shape \(4, height, width\), got samples of "
            r"shape \(4, 6\)",
        ),
        (
            [Flatten(input_shape=(1, 8, 8)), Dense(64, 2), Reshape((2, 2))],
            r"Reshape cannot turn samples of shape \(2,\)",
        ),
        (
            [Conv2D(1, 4, 3, input_shape=(1, 8, 8)), Flatten(input_shape=(4, 5, 5))],
            r"Flatten was declared with input_shape=\(4, 5, 5\), got samples of "
            r"shape \(4, 6, 6\)",
        ),
    ],
)
def test_model_checks_shapes_from_a_declared_input_shape(layers, match):
    with pytest.raises(ValueError, match=match):
        Sequential(layers)


def test_model_checks_the_sample_shape_of_its_data():
    model = small_cnn()
    X, y = np.zeros((5, 64)), np.zeros(5)
    match = (
        r"Sequential\.{}: X_inputs must have shape \(n_samples, 1, 6, 6\) for "
        r"layer conv2d_0; got shape \(5, 64\)"
    )
    with pytest.raises(ValueError, match=match.format("predict")):
        model.predict(X)
    with pytest.raises(ValueError, match=match.format("fit")):
        model.fit(X, y, 1, debug_flag=False)
    with pytest.raises(ValueError, match=r"X_test_inputs must have shape"):
        model.fit(np.zeros((5, 1, 6, 6)), y, 1, X_test_inputs=X, y_test_outputs=y)


def test_model_without_input_shape_takes_any_image_size():
    model = Sequential(
        [Conv1D(2, 3, 3, padding="same", seed=0), ReLU(), GlobalAveragePooling()]
    )
    assert model.predict(np.ones((4, 2, 10))).shape == (4, 3)
    assert model.predict(np.ones((4, 2, 5))).shape == (4, 3)
    with pytest.raises(ValueError, match=r"Conv1D\.forward: expected X_input"):
        model.predict(np.ones((4, 10)))


def test_flatten_with_input_shape_seeds_an_mlp_on_images():
    model = Sequential(
        [Flatten(input_shape=(1, 4, 4)), Dense(16, 3, seed=0), Softmax()],
        CCE(),
        SGD(),
    )
    assert model.predict(np.ones((2, 1, 4, 4))).shape == (2, 3)


# -------------------------------------------------------------- PyTorch


def _torch_padded(torch, X, layer, fill=0.0):
    """X padded as the layer pads it (PyTorch pads "same" only with stride 1)."""
    pads, _ = _geometry(layer, X.shape[2:])
    flat = [amount for pad in reversed(pads) for amount in pad]  # last axis first
    return torch.nn.functional.pad(X, flat, value=fill)


@parametrize_cases(CONV_CASES)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_convolution_matches_torch(case, dtype):
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    layer = case.make(dtype)
    X = random_batch(case.input_shape).astype(dtype)
    y, dX, (dW, db) = run_layer(layer, X)
    G = random_batch(y.shape, 1).astype(dtype)

    X_t = torch.tensor(X, requires_grad=True)
    W_t = torch.tensor(layer.W, requires_grad=True)
    b_t = torch.tensor(layer.b, requires_grad=True)
    conv = functional.conv2d if isinstance(layer, Conv2D) else functional.conv1d
    y_t = conv(
        _torch_padded(torch, X_t, layer), W_t, b_t, layer.stride, 0, layer.dilation
    )
    y_t.backward(torch.tensor(G))

    tol = dict(rtol=1e-10, atol=1e-10) if dtype == np.float64 else dict(atol=1e-5)
    np.testing.assert_allclose(y, y_t.detach().numpy(), **tol, err_msg="output")
    np.testing.assert_allclose(dX, X_t.grad.numpy(), **tol, err_msg="dX")
    np.testing.assert_allclose(dW, W_t.grad.numpy(), **tol, err_msg="dW")
    np.testing.assert_allclose(db, b_t.grad.numpy(), **tol, err_msg="db")


@pytest.mark.parametrize("padding", ["same", 1, "valid"])
def test_conv2d_same_and_int_padding_match_torch_padding_arguments(padding):
    torch = pytest.importorskip("torch")
    layer = Conv2D(2, 3, 3, padding=padding, dtype=np.float64, seed=0)
    X = random_batch((2, 2, 5, 6))
    torch_padding = 0 if padding == "valid" else padding
    expected = torch.nn.functional.conv2d(
        torch.tensor(X), torch.tensor(layer.W), torch.tensor(layer.b), 1, torch_padding
    )
    np.testing.assert_allclose(layer.forward(X), expected.numpy(), rtol=1e-12)


POOL_CASES = [
    case
    for case in CASES
    if case.id.startswith(("maxpool", "avgpool"))
    # PyTorch's avg_pool2d has no dilation.
    and not (case.id.startswith("avgpool") and max(case.make(None).dilation) > 1)
]


@parametrize_cases(POOL_CASES)
def test_pooling_matches_torch(case):
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    layer = case.make(np.float64)
    X = random_batch(case.input_shape)
    y, dX, _ = run_layer(layer, X)
    G = random_batch(y.shape, 1)

    X_t = torch.tensor(X, requires_grad=True)
    args = (layer.kernel_size, layer.stride, 0)
    if isinstance(layer, AvgPool2D):
        y_t = functional.avg_pool2d(_torch_padded(torch, X_t, layer), *args)
    else:
        pool = functional.max_pool2d if isinstance(layer, MaxPool2D) else None
        pool = pool or functional.max_pool1d
        padded = _torch_padded(torch, X_t, layer, fill=-np.inf)
        y_t = pool(padded, *args, dilation=layer.dilation)
    y_t.backward(torch.tensor(G))
    np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX, X_t.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_pool_ties_go_where_torch_sends_them():
    torch = pytest.importorskip("torch")
    X = np.random.default_rng(0).integers(0, 2, (2, 3, 6, 6)).astype(np.float64)
    layer = MaxPool2D(3, stride=1)
    y = layer.forward(X)
    G = random_batch(y.shape, 1)
    X_t = torch.tensor(X, requires_grad=True)
    torch.nn.functional.max_pool2d(X_t, 3, 1).backward(torch.tensor(G))
    np.testing.assert_allclose(layer.backward(G), X_t.grad.numpy(), atol=1e-12)


# --------------------------------------------------------------- the example


@pytest.mark.slow
def test_lenet_digits_example_reaches_98_5_percent(capsys):
    runpy.run_path(str(ROOT / "examples" / "lenet_digits.py"), run_name="__main__")
    lines = capsys.readouterr().out.strip().splitlines()
    match = re.fullmatch(r"test accuracy: (\d+\.\d\d)%", lines[-1])
    assert match, f"last line was {lines[-1]!r}"
    assert float(match.group(1)) >= 98.5


def _write_idx(path, magic, array):
    """An IDX file: magic, the sizes as big-endian uint32, then the bytes."""
    header = np.array([magic, *array.shape], dtype=">u4").tobytes()
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_lenet_mnist_example_runs_on_files_in_mnist_format(tmp_path, capsys):
    # The real files are not available offline: 64 + 32 random images in
    # MNIST's file format exercise the script end to end (one epoch).
    rng = np.random.default_rng(0)
    folder = tmp_path / "mnist"
    folder.mkdir()
    for prefix, n in (("train", 64), ("t10k", 32)):
        images = rng.integers(0, 256, (n, 28, 28))
        _write_idx(folder / f"{prefix}-images-idx3-ubyte", 2051, images)
        _write_idx(folder / f"{prefix}-labels-idx1-ubyte", 2049, rng.integers(0, 10, n))
    example = runpy.run_path(str(ROOT / "examples" / "lenet_mnist.py"))
    accuracy = example["main"](["--epochs", "1", "--data-dir", str(tmp_path)])
    assert 0.0 <= accuracy <= 1.0
    assert re.search(r"test accuracy: \d+\.\d\d%$", capsys.readouterr().out.strip())
