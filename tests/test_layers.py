"""Tests for nnfs.layers: the BaseLayer contract and Dense.

Generic tests run over ``LAYERS``, a registry of layer factories: a new layer
gets the gradient check, reentrancy, input-layout, dtype and bad-input tests by
adding one entry (``test_registry_covers_every_layer`` fails until it is added).
Activations have their own registry in ``test_activations.py``.
"""

import inspect
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnfs import layers as layers_module
from nnfs.gradcheck import check_gradients
from nnfs.layers import BaseLayer, BatchNorm, Dense, Dropout, Flatten, Reshape

FLOAT_DTYPES = [np.float32, np.float64]


@dataclass(frozen=True)
class LayerCase:
    """How to build one layer for the generic tests.

    ``make(n_features, dtype)`` returns a fresh layer taking samples of
    ``n_features`` features and computing in ``dtype``. ``n_outputs`` is None
    for a layer whose output has its input's width. A layer whose output for a
    sample depends on the rest of the batch (batch statistics) sets
    ``per_sample=False``; one without a dtype of its own, which computes in
    its input's dtype as activations do, sets ``follows_input_dtype=True``.
    """

    id: str
    make: Any
    n_outputs: int | None
    layer_name: str
    n_params: Any  # n_params(n_features) -> int
    per_sample: bool = True
    follows_input_dtype: bool = False

    def outputs(self, n_features: int) -> int:
        return n_features if self.n_outputs is None else self.n_outputs


def _dropout(training: bool):
    def make(n_features, dtype):
        layer = Dropout(0.4, seed=0)
        # One fixed mask, so that the layer is one function of X for the
        # finite differences; copies made before the first draw share it.
        layer.fix_mask = True
        layer.training = training
        return layer

    return make


def _batch_norm(training: bool):
    def make(n_features, dtype):
        # Scales of either sign and non-trivial running statistics, so that no
        # term of the gradient hides behind gamma = 1 or beta = 0.
        layer = BatchNorm(n_features, dtype=dtype)
        rng = np.random.default_rng(n_features)
        signs = rng.choice([-1.0, 1.0], n_features)
        layer.gamma[...] = signs * rng.uniform(0.5, 2.0, n_features)
        layer.beta[...] = rng.normal(size=n_features)
        layer.running_mean[...] = rng.normal(size=n_features)
        layer.running_var[...] = rng.uniform(0.5, 2.0, n_features)
        layer.training = training
        return layer

    return make


LAYERS = [
    LayerCase(
        "dense",
        lambda n, dtype: Dense(n, 4, dtype=dtype, seed=0),
        n_outputs=4,
        layer_name="dense",
        n_params=lambda n: n * 4 + 4,
    ),
    LayerCase(
        "dense_one_output_glorot_uniform",
        lambda n, dtype: Dense(n, 1, init="glorot_uniform", dtype=dtype, seed=1),
        n_outputs=1,
        layer_name="dense",
        n_params=lambda n: n + 1,
    ),
    LayerCase(
        "dropout_fixed_mask",
        _dropout(training=True),
        n_outputs=None,
        layer_name="dropout",
        n_params=lambda n: 0,
        follows_input_dtype=True,
    ),
    LayerCase(
        "dropout_inference",
        _dropout(training=False),
        n_outputs=None,
        layer_name="dropout",
        n_params=lambda n: 0,
        follows_input_dtype=True,
    ),
    LayerCase(
        "batch_norm_training",
        _batch_norm(training=True),
        n_outputs=None,
        layer_name="batch_norm",
        n_params=lambda n: 2 * n,
        per_sample=False,
    ),
    LayerCase(
        "batch_norm_inference",
        _batch_norm(training=False),
        n_outputs=None,
        layer_name="batch_norm",
        n_params=lambda n: 2 * n,
    ),
    # Flatten and Reshape on (n_samples, n_features) keep the shape; their
    # image-shaped cases are in test_conv.py.
    LayerCase(
        "flatten",
        lambda n, dtype: Flatten(),
        n_outputs=None,
        layer_name="flatten",
        n_params=lambda n: 0,
        follows_input_dtype=True,
    ),
    LayerCase(
        "reshape_inferred",
        lambda n, dtype: Reshape((-1,)),
        n_outputs=None,
        layer_name="reshape",
        n_params=lambda n: 0,
        follows_input_dtype=True,
    ),
]
LAYER_IDS = [case.id for case in LAYERS]

# (n_samples, n_features): a batch of 1, square, wide and tall batches.
SHAPES = [(1, 3), (4, 3), (2, 6), (7, 5)]


def parametrize_layers(func):
    return pytest.mark.parametrize("case", LAYERS, ids=LAYER_IDS)(func)


def random_batch(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def run_layer(layer, X, G):
    """Forward then backward; returns copies of the output, dX and param grads."""
    y = layer.forward(X).copy()
    dX = layer.backward(G).copy()
    grads = [grad.copy() for _, _, grad in layer.trainable or []]
    return y, dX, grads


@pytest.fixture
def global_rng_state():
    """Restore NumPy's global random state after a test that seeds it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


# -------------------------------------------------------------------- registry


def test_registry_covers_every_layer():
    concrete = {
        name
        for name in layers_module.__all__
        if inspect.isclass(obj := getattr(layers_module, name))
        and issubclass(obj, BaseLayer)
        and not inspect.isabstract(obj)
    }
    registered = {type(case.make(3, np.float64)).__name__ for case in LAYERS}
    assert concrete <= registered, f"add to LAYERS: {sorted(concrete - registered)}"


# ------------------------------------------------------------ gradient checks


@parametrize_layers
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_gradients_match_finite_differences_float64(case, shape):
    layer = case.make(shape[1], np.float64)
    result = check_gradients(layer, random_batch(shape), verbose=False)
    assert result.passed, str(result)
    # X and every parameter were checked (whatever prefix names the layer).
    suffixes = sorted(check.name.rsplit(".", 1)[-1] for check in result.checks)
    assert suffixes == sorted(["X", *layer.param_names])


def _float32_cases():
    # With two samples, a layer that normalises by batch statistics outputs
    # +-gamma + beta up to O(epsilon / var): dL/dX is that small, a difference
    # of terms of size gamma * G / std, and float32 keeps about 1% of it. That
    # shape is checked in float64 above; in float32 from three samples on.
    return [
        pytest.param(case, shape, id=f"{shape}-{case.id}")
        for case in LAYERS
        for shape in SHAPES
        if case.per_sample or shape[0] != 2
    ]


@pytest.mark.parametrize(("case", "shape"), _float32_cases())
def test_float32_gradients_match_float64_reference(case, shape):
    layer = case.make(shape[1], np.float32)
    result = check_gradients(
        layer, random_batch(shape, seed=1), dtype=np.float32, verbose=False
    )
    assert result.passed, str(result)
    assert result.dtype == "float32"


# ----------------------------------------------------------------- reentrancy


@parametrize_layers
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_backward_twice_is_bit_identical(case, dtype):
    layer = case.make(3, dtype)
    X = random_batch((5, 3)).astype(dtype)
    G = random_batch((5, case.outputs(3)), seed=1).astype(dtype)
    _, dX_first, grads_first = run_layer(layer, X, G)
    dX_second = layer.backward(G)
    np.testing.assert_array_equal(dX_second, dX_first)
    trainable = layer.trainable or []
    for (name, _, grad), first in zip(trainable, grads_first, strict=True):
        np.testing.assert_array_equal(grad, first, err_msg=f"d{name}")


@parametrize_layers
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_backward_scales_with_upstream_gradient(case, dtype):
    # Doubling is exact in floating point, so 2g must give exactly 2x.
    layer = case.make(3, dtype)
    X = random_batch((5, 3)).astype(dtype)
    G = random_batch((5, case.outputs(3)), seed=1).astype(dtype)
    _, dX, grads = run_layer(layer, X, G)
    dX_double = layer.backward(2 * G)
    np.testing.assert_array_equal(dX_double, 2 * dX)
    for (name, _, grad), single in zip(layer.trainable or [], grads, strict=True):
        np.testing.assert_array_equal(grad, 2 * single, err_msg=f"d{name}")

    dX_zero = layer.backward(np.zeros_like(G))
    np.testing.assert_array_equal(dX_zero, np.zeros_like(dX))
    for name, _, grad in layer.trainable or []:
        np.testing.assert_array_equal(grad, np.zeros_like(grad), err_msg=f"d{name}")


@parametrize_layers
def test_forward_and_backward_do_not_mutate_their_inputs(case):
    # Y7
    layer = case.make(3, np.float64)
    X = random_batch((5, 3))
    G = random_batch((5, case.outputs(3)), seed=1)
    X_before, G_before = X.copy(), G.copy()
    layer.forward(X)
    layer.backward(G)
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


@parametrize_layers
@pytest.mark.parametrize("layout", [_read_only, _fortran, _strided])
def test_input_layout_does_not_change_the_result(case, layout):
    # Y6: read-only, Fortran-order and non-contiguous X and grad_next.
    X = random_batch((6, 3))
    G = random_batch((6, case.outputs(3)), seed=1)
    y, dX, grads = run_layer(case.make(3, np.float64), X, G)
    y_alt, dX_alt, grads_alt = run_layer(case.make(3, np.float64), layout(X), layout(G))
    np.testing.assert_allclose(y_alt, y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX_alt, dX, rtol=1e-12, atol=1e-12)
    for alt, reference in zip(grads_alt, grads, strict=True):
        np.testing.assert_allclose(alt, reference, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "case",
    [case for case in LAYERS if case.per_sample],
    ids=[case.id for case in LAYERS if case.per_sample],
)
def test_batch_of_one_equals_row_of_larger_batch(case):
    # Y4
    X = random_batch((6, 3))
    G = random_batch((6, case.outputs(3)), seed=1)
    y, dX, _ = run_layer(case.make(3, np.float64), X, G)
    y_one, dX_one, _ = run_layer(case.make(3, np.float64), X[:1], G[:1])
    np.testing.assert_allclose(y_one, y[:1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dX_one, dX[:1], rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- dtype


@parametrize_layers
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("input_dtype", FLOAT_DTYPES)
def test_layer_computes_in_its_own_dtype(case, dtype, input_dtype):
    # No silent upcast: a float32 layer fed float64 data (or a float64 upstream
    # gradient) still returns float32, and a float64 layer computes in float64.
    # A layer without a dtype keeps its input's, also for a float64 gradient.
    layer = case.make(3, dtype)
    y = layer.forward(random_batch((4, 3)).astype(input_dtype))
    dX = layer.backward(random_batch(y.shape, seed=1).astype(np.float64))
    expected = input_dtype if case.follows_input_dtype else dtype
    assert y.dtype == expected
    assert dX.dtype == expected
    for name, param, grad in layer.trainable or []:
        assert param.dtype == dtype, name
        assert grad.dtype == dtype, f"d{name}"


def test_dense_dtype_defaults_to_float32_and_float64_on_request():
    assert Dense(3, 2).W.dtype == np.float32
    assert Dense(3, 2).b.dtype == np.float32
    for dtype in (np.float64, "float64", np.dtype("float64")):
        layer = Dense(3, 2, dtype=dtype)
        assert layer.W.dtype == np.float64
        assert layer.b.dtype == np.float64
        assert layer.dtype == np.float64


@parametrize_layers
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_int_bool_and_list_inputs_are_cast_to_the_layer_dtype(case, dtype):
    # Y11; a layer without a dtype of its own casts to float64, as
    # activations do.
    target = np.float64 if case.follows_input_dtype else dtype
    X_int = np.array([[1, -2, 3], [0, 4, -1]])
    X_bool = np.array([[True, False, True], [False, False, True]])
    for X in (X_int, X_bool, X_int.tolist()):
        layer = case.make(3, dtype)
        y = layer.forward(X)
        expected = case.make(3, dtype).forward(np.asarray(X, dtype=target))
        assert y.dtype == target
        np.testing.assert_array_equal(y, expected)


# ----------------------------------------------------------------- bad inputs


@parametrize_layers
def test_backward_before_forward_raises(case):
    layer = case.make(3, np.float64)
    with pytest.raises(RuntimeError, match=r"\.backward: forward must run before"):
        layer.backward(np.ones((2, case.outputs(3))))


@parametrize_layers
@pytest.mark.parametrize("bad_shape", [(5, 7), (4, 7), (5,), (5, 1, 1)], ids=str)
def test_backward_rejects_gradient_of_the_wrong_shape(case, bad_shape):
    # Y5: the message names both shapes.
    layer = case.make(3, np.float64)
    layer.forward(random_batch((5, 3)))
    expected = (5, case.outputs(3))
    with pytest.raises(
        ValueError,
        match=rf"\.backward: grad_next has shape {re.escape(str(bad_shape))} but "
        rf"the forward output had shape {re.escape(str(expected))}",
    ):
        layer.backward(np.ones(bad_shape))


@parametrize_layers
@pytest.mark.parametrize(
    "X",
    [
        np.array([["a", "b", "c"]]),
        np.array([[1, 2, 3]], dtype=object),
        [["1.0", "2.0", "3.0"]],
    ],
    ids=["str", "object", "list_of_str"],
)
def test_forward_rejects_non_numeric_input(case, X):
    # Y11
    layer = case.make(3, np.float64)
    with pytest.raises(TypeError, match=r"\.forward: X_input must hold numbers; got"):
        layer.forward(X)


@parametrize_layers
def test_forward_rejects_complex_input(case):
    layer = case.make(3, np.float64)
    with pytest.raises(ValueError, match=r"X_input has complex dtype complex128"):
        layer.forward(np.ones((2, 3), dtype=complex))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("n_features", [3, 5])
def test_dense_rejects_the_wrong_feature_count(dtype, n_features):
    # Y2: "Dense expected 4 features, got 3": both numbers in the message.
    layer = Dense(4, 2, dtype=dtype)
    with pytest.raises(
        ValueError,
        match=rf"Dense\.forward: expected X_input of shape \(n_samples, 4\); "
        rf"got shape \(32, {n_features}\)",
    ):
        layer.forward(np.ones((32, n_features), dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_dense_rejects_1d_input_with_a_reshape_hint(dtype):
    # Y3, for either dtype (one path converts, the other does not).
    with pytest.raises(
        ValueError,
        match=r"Dense\.forward: expected X_input of shape \(n_samples, 4\); "
        r"got shape \(4,\); reshape with X\.reshape\(-1, 1\) for a single feature "
        r"or X\.reshape\(1, -1\) for a single sample",
    ):
        Dense(4, 2).forward(np.ones(4, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_dense_rejects_3d_input_with_a_reshape_hint(dtype):
    # Y3
    with pytest.raises(
        ValueError,
        match=r"Dense\.forward: expected X_input of shape \(n_samples, 4\); "
        r"got shape \(2, 2, 2\); flatten each sample with X\.reshape\(len\(X\), -1\)",
    ):
        Dense(4, 2).forward(np.ones((2, 2, 2), dtype=dtype))


@pytest.mark.parametrize("argument", ["input_size", "output_size"])
@pytest.mark.parametrize("value", [0, -1, -4])
def test_dense_rejects_sizes_below_one(argument, value):
    # Y1
    sizes = {"input_size": 3, "output_size": 2, argument: value}
    with pytest.raises(
        ValueError, match=rf"Dense: {argument} must be >= 1; got {value}"
    ):
        Dense(**sizes)


@pytest.mark.parametrize("argument", ["input_size", "output_size"])
@pytest.mark.parametrize("value", [2.5, 4.0, True, False, "4", None])
def test_dense_rejects_non_integer_sizes(argument, value):
    # Y1: bool counts as a non-integer.
    sizes = {"input_size": 3, "output_size": 2, argument: value}
    with pytest.raises(
        TypeError,
        match=rf"Dense: {argument} must be an integer; got {re.escape(repr(value))} "
        rf"of type {type(value).__name__}",
    ):
        Dense(**sizes)


def test_dense_accepts_numpy_integer_sizes():
    layer = Dense(np.int64(3), np.int32(2))
    assert layer.W.shape == (3, 2)
    assert type(layer.input_size) is int


@pytest.mark.parametrize("init", ["xavier", "He", "", None])
def test_dense_rejects_unknown_init(init):
    with pytest.raises(
        ValueError,
        match=r"Dense: init must be one of \('auto', 'he', 'glorot', 'he_uniform', "
        rf"'glorot_uniform'\); got {re.escape(repr(init))}",
    ):
        Dense(3, 2, init=init)


@pytest.mark.parametrize(
    "dtype", [np.int32, np.float16, "float16", np.complex128, bool]
)
def test_dense_rejects_a_non_float_dtype(dtype):
    with pytest.raises(
        ValueError,
        match=rf"Dense: dtype must be float32 or float64; got {re.escape(repr(dtype))}",
    ):
        Dense(3, 2, dtype=dtype)


def test_dense_rejects_a_dtype_numpy_cannot_read():
    with pytest.raises(
        TypeError, match=r"Dense: dtype must be float32 or float64; got 'not_a_dtype'"
    ):
        Dense(3, 2, dtype="not_a_dtype")


# ---------------------------------------------------------------- randomness


def test_same_seed_gives_identical_weights():
    # Y12
    first, second = Dense(5, 4, seed=7), Dense(5, 4, seed=7)
    np.testing.assert_array_equal(first.W, second.W)
    np.testing.assert_array_equal(first.b, second.b)


def test_different_seeds_give_different_weights():
    assert not np.array_equal(Dense(5, 4, seed=7).W, Dense(5, 4, seed=8).W)


def test_rng_is_accepted_and_seed_is_shorthand_for_default_rng():
    from_rng = Dense(5, 4, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(from_rng.W, Dense(5, 4, seed=7).W)

    # One generator shared by two layers is consumed, not restarted.
    rng = np.random.default_rng(7)
    first, second = Dense(5, 4, rng=rng), Dense(5, 4, rng=rng)
    assert not np.array_equal(first.W, second.W)

    legacy = Dense(5, 4, rng=np.random.RandomState(7))
    np.testing.assert_array_equal(legacy.W, Dense(5, 4, rng=np.random.RandomState(7)).W)


@pytest.mark.usefixtures("global_rng_state")
def test_global_seed_makes_default_init_repeatable():
    np.random.seed(3)
    first = Dense(5, 4)
    np.random.seed(3)
    second = Dense(5, 4)
    np.testing.assert_array_equal(first.W, second.W)
    assert not np.array_equal(Dense(5, 4).W, first.W)


def test_seed_and_rng_together_are_refused():
    with pytest.raises(ValueError, match=r"Dense: pass seed or rng, not both"):
        Dense(3, 2, seed=0, rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"seed": -1}, ValueError, r"Dense: seed must be >= 0; got -1"),
        ({"seed": 1.5}, TypeError, r"Dense: seed must be an integer; got 1\.5"),
        ({"seed": "0"}, TypeError, r"Dense: seed must be an integer; got '0'"),
        ({"rng": 0}, TypeError, r"Dense: rng must be a numpy\.random\.Generator.*"),
    ],
)
def test_bad_seed_or_rng_is_refused(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        Dense(3, 2, **kwargs)


@pytest.mark.parametrize(
    ("init", "expected_std", "uniform"),
    [
        ("auto", np.sqrt(2 / 800), False),
        ("he", np.sqrt(2 / 800), False),
        ("glorot", np.sqrt(2 / (800 + 400)), False),
        ("he_uniform", np.sqrt(2 / 800), True),
        ("glorot_uniform", np.sqrt(2 / (800 + 400)), True),
    ],
)
def test_init_statistics(init, expected_std, uniform):
    # 320,000 draws: the sample std is within ~0.2% of the true one, so 2% is
    # a loose bound; the mean is within a few std / sqrt(n) = ~1e-4 of zero.
    layer = Dense(800, 400, init=init, dtype=np.float64, seed=0)
    W = layer.W
    np.testing.assert_allclose(W.std(), expected_std, rtol=0.02)
    assert abs(W.mean()) < 5 * expected_std / np.sqrt(W.size)
    np.testing.assert_array_equal(layer.b, np.zeros((1, 400)))
    limit = np.sqrt(3) * expected_std
    if uniform:
        # U(-a, a) has std a / sqrt(3): every weight inside, the extremes near a.
        assert np.abs(W).max() <= limit
        assert np.abs(W).max() > 0.99 * limit
    else:
        # A normal puts about 8% of its mass beyond sqrt(3) std.
        assert np.abs(W).max() > limit


# ---------------------------------------------------------- hand-worked Dense


def test_dense_hand_worked_example():
    layer = Dense(2, 2, dtype=np.float64)
    layer.W = np.array([[1.0, 2.0], [3.0, 4.0]])
    layer.b = np.array([[0.5, -1.0]])
    X = np.array([[1.0, 2.0], [3.0, -1.0]])

    # y = X @ W + b
    #   row 0: [1*1 + 2*3, 1*2 + 2*4] + [0.5, -1] = [7, 10] + b = [7.5, 9]
    #   row 1: [3*1 - 1*3, 3*2 - 1*4] + [0.5, -1] = [0, 2] + b  = [0.5, 1]
    y = layer.forward(X)
    np.testing.assert_array_equal(y, [[7.5, 9.0], [0.5, 1.0]])

    G = np.array([[1.0, 0.0], [0.0, 2.0]])
    dX = layer.backward(G)
    # dW = X.T @ G = [[1, 3], [2, -1]] @ [[1, 0], [0, 2]] = [[1, 6], [2, -2]]
    # db = column sums of G = [1, 2]
    # dX = G @ W.T = [[1, 0], [0, 2]] @ [[1, 3], [2, 4]] = [[1, 3], [4, 8]]
    np.testing.assert_array_equal(layer.dW, [[1.0, 6.0], [2.0, -2.0]])
    np.testing.assert_array_equal(layer.db, [[1.0, 2.0]])
    np.testing.assert_array_equal(dX, [[1.0, 3.0], [4.0, 8.0]])


# --------------------------------------------------- names, params and shapes


@parametrize_layers
def test_layer_name_index_and_name(case):
    layer = case.make(3, np.float64)
    assert layer.layer_name == case.layer_name
    assert layer.index is None
    layer.index = 2
    assert layer.name == f"{case.layer_name}_2"


def test_dense_trainable_tuples_are_the_live_arrays():
    layer = Dense(3, 2, seed=0)
    (w_name, W, dW), (b_name, b, db) = layer.trainable
    assert (w_name, b_name) == ("W", "b")
    assert W is layer.W and b is layer.b
    assert dW is None and db is None  # no gradient before the first backward

    layer.forward(random_batch((4, 3)))
    layer.backward(np.ones((4, 2), dtype=np.float32))
    (_, W, dW), (_, b, db) = layer.trainable
    assert dW is layer.dW and db is layer.db
    assert dW.shape == W.shape == (3, 2)
    assert db.shape == b.shape == (1, 2)


@parametrize_layers
def test_n_params_and_output_shape(case):
    layer = case.make(5, np.float64)
    assert layer.n_params == case.n_params(5)
    assert layer.output_shape((5,)) == (case.outputs(5),)
    assert layer.forward(random_batch((3, 5))).shape == (3, case.outputs(5))


@pytest.mark.parametrize("input_shape", [(3,), (5, 4), (4, 1)], ids=str)
def test_dense_output_shape_rejects_another_input_size(input_shape):
    with pytest.raises(
        ValueError,
        match=rf"Dense expected 4 input features, got samples of shape "
        rf"{re.escape(str(input_shape))}",
    ):
        Dense(4, 2).output_shape(input_shape)


def test_dense_repr():
    assert repr(Dense(4, 3)) == "Dense(4, 3, init='auto', dtype=float32)"
    assert (
        repr(Dense(4, 3, init="he_uniform", dtype=np.float64))
        == "Dense(4, 3, init='he_uniform', dtype=float64)"
    )


def test_base_layer_is_abstract():
    with pytest.raises(TypeError, match=r"abstract"):
        BaseLayer()


def test_base_layer_defaults_for_a_minimal_subclass():
    class Double(BaseLayer):
        layer_name = "double"

        def forward(self, X_input):
            return 2 * X_input

        def backward(self, grad_next):
            return 2 * grad_next

    layer = Double()
    assert layer.trainable is None
    assert layer.n_params == 0
    assert layer.output_shape((3, 4)) == (3, 4)
    assert repr(layer) == "Double()"
    layer.index = 0
    assert layer.name == "double_0"


# -------------------------------------------------------------------- Hypothesis


@parametrize_layers
@settings(deadline=None, max_examples=25)
@given(
    n_samples=st.integers(1, 16),
    n_features=st.integers(1, 6),
    data=st.data(),
)
def test_property_shapes_and_finite_outputs(case, n_samples, n_features, data):
    X = data.draw(
        arrays(
            np.float64,
            (n_samples, n_features),
            elements=st.floats(-1e3, 1e3, allow_subnormal=False),
        )
    )
    layer = case.make(n_features, np.float64)
    y = layer.forward(X)
    assert y.shape == (n_samples, case.outputs(n_features))
    assert np.isfinite(y).all()
    dX = layer.backward(np.ones_like(y))
    assert dX.shape == X.shape
    assert np.isfinite(dX).all()
    for name, param, grad in layer.trainable or []:
        assert grad.shape == param.shape, name
        assert np.isfinite(grad).all(), name
