"""Tests for regularisation: Dropout, BatchNorm and Dense's L1/L2 penalties.

The generic layer tests (gradient checks in both dtypes, reentrancy, layouts,
bad inputs) run on Dropout and BatchNorm through the registry in
``test_layers.py``. This file holds what is particular to each: hand-worked
examples, statistics of the dropout mask, running statistics, the training
and inference modes inside a model, and the penalties in the reported loss.
"""

import copy
import re

import numpy as np
import pytest

from nnfs.activations import ReLU, Sigmoid, Softmax, Tanh
from nnfs.gradcheck import check_gradients
from nnfs.layers import BaseLayer, BatchNorm, Dense, Dropout
from nnfs.losses import CCE, MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD


def data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def labels(n_samples, n_classes, seed=0):
    return np.random.default_rng(seed).integers(0, n_classes, n_samples)


@pytest.fixture
def global_rng_state():
    """Restore NumPy's global random state after a test that seeds it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


# ===================================================================== Dropout


def test_dropout_hand_worked_example():
    layer = Dropout(0.5)
    layer.mask = np.array([[True, False], [False, True]])
    layer.fix_mask = True
    X = np.array([[1.0, 2.0], [3.0, 4.0]])

    # Kept inputs are scaled by 1 / (1 - 0.5) = 2, dropped ones become 0:
    #   [[1 * 2, 0], [0, 4 * 2]] = [[2, 0], [0, 8]]
    np.testing.assert_array_equal(layer.forward(X), [[2.0, 0.0], [0.0, 8.0]])
    # The gradient flows through the kept inputs only, with the same scale:
    #   [[0.5 * 2, 0], [0, -1 * 2]] = [[1, 0], [0, -2]]
    G = np.array([[0.5, 3.0], [7.0, -1.0]])
    np.testing.assert_array_equal(layer.backward(G), [[1.0, 0.0], [0.0, -2.0]])


def test_dropout_keep_rate_and_scaling_statistics():
    # 200,000 Bernoulli(0.7) keeps: the kept share has standard deviation
    # sqrt(0.7 * 0.3 / 2e5) = 1.02e-3, so 5 of them (5.1e-3) is a bound that a
    # correct layer breaks with probability below 1e-6.
    rate, n = 0.3, 200_000
    X = np.random.default_rng(1).uniform(0.5, 1.5, size=(400, 500))
    y = Dropout(rate, seed=0).forward(X)
    kept = y != 0
    assert abs(kept.mean() - (1 - rate)) < 5 * np.sqrt(rate * (1 - rate) / n)
    # Each kept input is X times 1 / 0.7 (computed once), each dropped one 0.
    np.testing.assert_array_equal(y[kept], X[kept] * (1 / (1 - rate)))
    # Inverted dropout keeps the mean: E[y] = E[X] (here within 5 std of the
    # sample mean, whose std is below std(y) / sqrt(n)).
    assert abs(y.mean() - X.mean()) < 5 * y.std() / np.sqrt(n)


def test_dropout_masks_are_independent_across_columns_and_batches():
    # A mask that repeated per row or per call would pass the keep-rate test.
    layer = Dropout(0.5, seed=3)
    first = layer.forward(np.ones((64, 64))) != 0
    second = layer.forward(np.ones((64, 64))) != 0
    assert not np.array_equal(first, second)
    assert len({row.tobytes() for row in first}) == 64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_keeps_the_input_dtype(dtype):
    layer = Dropout(0.25, seed=0)
    y = layer.forward(np.ones((8, 8), dtype=dtype))
    assert y.dtype == dtype
    # 1 / 0.75 rounded once to dtype.
    assert set(np.unique(y).tolist()) <= {0.0, float(dtype(1) / dtype(0.75))}
    assert layer.backward(np.ones((8, 8))).dtype == dtype


def test_dropout_is_the_identity_at_inference_and_draws_nothing():
    rng = np.random.default_rng(5)
    layer = Dropout(0.9, rng=rng)
    layer.training = False
    state = copy.deepcopy(rng.bit_generator.state)
    X, G = data((6, 4)), data((6, 4), seed=1)
    np.testing.assert_array_equal(layer.forward(X), X)
    np.testing.assert_array_equal(layer.backward(G), G)
    assert rng.bit_generator.state == state
    assert layer.mask is None


def test_dropout_with_rate_zero_is_the_identity_while_training():
    X = data((5, 3))
    np.testing.assert_array_equal(Dropout(0.0, seed=0).forward(X), X)


def test_dropout_same_seed_same_masks_different_seed_different_masks():
    X = np.ones((10, 10))
    first, second = Dropout(0.5, seed=4), Dropout(0.5, seed=4)
    for _ in range(3):
        np.testing.assert_array_equal(first.forward(X), second.forward(X))
    assert not np.array_equal(
        Dropout(0.5, seed=4).forward(X), Dropout(0.5, seed=5).forward(X)
    )


@pytest.mark.parametrize(
    "make_rng", [np.random.default_rng, np.random.RandomState], ids=["gen", "legacy"]
)
def test_dropout_rng_is_used_as_is(make_rng):
    X = np.ones((10, 10))
    mask = Dropout(0.5, rng=make_rng(4)).forward(X) != 0
    np.testing.assert_array_equal(mask, make_rng(4).random(X.shape) >= 0.5)


@pytest.mark.usefixtures("global_rng_state")
def test_dropout_without_seed_follows_numpy_global_state():
    X = np.ones((10, 10))
    np.random.seed(11)
    first = Dropout(0.5).forward(X)
    np.random.seed(11)
    np.testing.assert_array_equal(Dropout(0.5).forward(X), first)
    assert not np.array_equal(Dropout(0.5).forward(X), first)


def test_dropout_fix_mask_reuses_the_last_mask():
    layer = Dropout(0.5, seed=0)
    X = data((6, 5))
    first = layer.forward(X)
    layer.fix_mask = True
    np.testing.assert_array_equal(layer.forward(X), first)
    np.testing.assert_array_equal(layer.forward(2 * X), 2 * first)
    layer.fix_mask = False
    assert not np.array_equal(layer.forward(X), first)


def test_dropout_fix_mask_draws_a_first_mask_when_none_exists():
    layer = Dropout(0.5, seed=0)
    layer.fix_mask = True
    X = data((6, 5))
    np.testing.assert_array_equal(layer.forward(X), layer.forward(X))
    np.testing.assert_array_equal(
        layer.mask, np.random.default_rng(0).random(X.shape) >= 0.5
    )


def test_dropout_gradient_check_needs_a_fixed_mask():
    # Without a fixed mask each finite difference sees a new mask, and the
    # check must fail; with one it passes. A checker that passed both would
    # not be checking dropout at all.
    X = data((6, 5))
    assert not check_gradients(Dropout(0.5, seed=0), X, verbose=False).passed
    layer = Dropout(0.5, seed=0)
    layer.fix_mask = True
    result = check_gradients(layer, X, verbose=False)
    assert result.passed, str(result)


def test_dropout_fixed_mask_of_another_shape_is_refused():
    layer = Dropout(0.5, seed=0)
    layer.forward(np.ones((4, 3)))
    layer.fix_mask = True
    with pytest.raises(
        ValueError,
        match=r"Dropout\.forward: the fixed mask has shape \(4, 3\) but X_input "
        r"has shape \(5, 3\); set fix_mask = False",
    ):
        layer.forward(np.ones((5, 3)))


@pytest.mark.parametrize(
    ("mask", "pattern"),
    [
        (np.ones((2, 2)), r"got ndarray of dtype float64"),
        ([[True, False], [True, True]], r"got list"),
    ],
)
def test_dropout_assigned_mask_must_be_a_boolean_array(mask, pattern):
    layer = Dropout(0.5)
    layer.mask = mask
    layer.fix_mask = True
    with pytest.raises(
        TypeError, match=r"Dropout\.forward: mask must be a boolean ndarray; " + pattern
    ):
        layer.forward(np.ones((2, 2)))


@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_dropout_fix_mask_must_be_a_bool(value):
    with pytest.raises(
        TypeError,
        match=rf"Dropout: fix_mask must be a bool; got {re.escape(repr(value))}",
    ):
        Dropout(0.5).fix_mask = value


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan"), float("inf")])
def test_dropout_rejects_a_rate_outside_0_1(rate):
    with pytest.raises(ValueError, match=r"Dropout: rate must be"):
        Dropout(rate)


@pytest.mark.parametrize("rate", ["0.5", True, None, [0.5]])
def test_dropout_rejects_a_rate_that_is_not_a_number(rate):
    with pytest.raises(TypeError, match=r"Dropout: rate must be a real number"):
        Dropout(rate)


def test_dropout_rate_error_names_the_interval():
    with pytest.raises(
        ValueError, match=r"Dropout: rate must be in \[0\.0, 1\.0\); got 1\.0"
    ):
        Dropout(1.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"seed": 0, "rng": np.random.default_rng(0)}, ValueError, r"not both"),
        ({"seed": -1}, ValueError, r"Dropout: seed must be >= 0"),
        ({"seed": 1.5}, TypeError, r"Dropout: seed must be an integer"),
        ({"rng": 3}, TypeError, r"Dropout: rng must be a numpy\.random\.Generator"),
    ],
)
def test_dropout_rejects_bad_seed_or_rng(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        Dropout(0.5, **kwargs)


def test_dropout_config_repr_and_no_parameters():
    layer = Dropout(0.25, seed=3)
    assert layer.get_config() == {"rate": 0.25, "seed": 3}
    assert repr(layer) == "Dropout(rate=0.25)"
    assert layer.trainable is None
    assert layer.n_params == 0
    assert layer.output_shape((7,)) == (7,)
    assert layer.output_shape((3, 8, 8)) == (3, 8, 8)
    assert layer.penalty() == 0.0


def test_dropout_on_a_4d_input():
    layer = Dropout(0.5, seed=0)
    layer.fix_mask = True
    X = data((2, 3, 4, 4))
    result = check_gradients(layer, X, verbose=False)
    assert result.passed, str(result)


def test_dropout_copy_keeps_an_independent_generator():
    # A copy (as check_gradients makes) starts where the original was, and
    # draws made by the original do not advance it.
    layer = Dropout(0.5, seed=2)
    clone = copy.deepcopy(layer)
    X = np.ones((5, 5))
    first = layer.forward(X)
    assert not np.array_equal(layer.forward(X), first)
    np.testing.assert_array_equal(clone.forward(X), first)


# =================================================================== BatchNorm


def hand_layer():
    layer = BatchNorm(2, epsilon=3.0, dtype=np.float64)
    layer.gamma[...] = [2.0, -1.0]
    layer.beta[...] = [0.5, 1.0]
    return layer


# Column 0 has mean 1 and (biased) variance 1, column 1 mean 4 and variance 1;
# with epsilon = 3 both have s = sqrt(1 + 3) = 2.
HAND_X = np.array([[0.0, 5.0], [0.0, 3.0], [2.0, 5.0], [2.0, 3.0]])


def test_batch_norm_hand_worked_training_forward_and_statistics():
    layer = hand_layer()
    y = layer.forward(HAND_X)
    # x_hat = (X - mean) / 2: column 0 [-0.5, -0.5, 0.5, 0.5],
    #                         column 1 [0.5, -0.5, 0.5, -0.5]
    # y = gamma * x_hat + beta: column 0 2 * x_hat + 0.5 = [-0.5, -0.5, 1.5, 1.5]
    #                           column 1 -x_hat + 1      = [0.5, 1.5, 0.5, 1.5]
    np.testing.assert_array_equal(y, [[-0.5, 0.5], [-0.5, 1.5], [1.5, 0.5], [1.5, 1.5]])
    # Running statistics, momentum 0.1:
    #   mean: 0.9 * [0, 0] + 0.1 * [1, 4] = [0.1, 0.4]
    #   var:  the unbiased batch variance is 1 * 4 / 3 = 4 / 3 for both,
    #         0.9 * 1 + 0.1 * 4 / 3 = 1.0333...
    np.testing.assert_allclose(layer.running_mean, [0.1, 0.4], rtol=1e-15)
    np.testing.assert_allclose(layer.running_var, [0.9 + 0.4 / 3] * 2, rtol=1e-15)


def test_batch_norm_hand_worked_training_backward():
    layer = hand_layer()
    layer.forward(HAND_X)
    G = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    dX = layer.backward(G)
    # m = 4, s = 2; dX = gamma / (m s) * (m G - sum(G) - x_hat * sum(G x_hat)).
    # Column 0: sum(G) = 1, sum(G x_hat) = 1 * -0.5 = -0.5, gamma / (m s) = 1/4;
    #   4 G - 1 + 0.5 x_hat = [4 - 1 - 0.25, -1 - 0.25, -1 + 0.25, -1 + 0.25]
    #                       = [2.75, -1.25, -0.75, -0.75]; / 4 gives the column.
    # Column 1: sum(G) = 0, sum(G x_hat) = 0.5 + 0.5 = 1, gamma / (m s) = -1/8;
    #   4 G - x_hat = [0 - 0.5, 0 + 0.5, 4 - 0.5, -4 + 0.5]
    #               = [-0.5, 0.5, 3.5, -3.5]; times -1/8 gives the column.
    np.testing.assert_allclose(
        dX,
        [[0.6875, 0.0625], [-0.3125, -0.0625], [-0.1875, -0.4375], [-0.1875, 0.4375]],
        rtol=1e-15,
        atol=1e-15,
    )
    np.testing.assert_array_equal(layer.dbeta, [1.0, 0.0])
    np.testing.assert_array_equal(layer.dgamma, [-0.5, 1.0])


def test_batch_norm_hand_worked_inference():
    layer = BatchNorm(2, epsilon=1.0, dtype=np.float64)
    layer.gamma[...] = [3.0, 0.5]
    layer.beta[...] = [-1.0, 2.0]
    layer.running_mean[...] = [1.0, -2.0]
    layer.running_var[...] = [3.0, 8.0]
    layer.training = False
    X = np.array([[3.0, 1.0], [1.0, -8.0]])
    # s = sqrt([3 + 1, 8 + 1]) = [2, 3]
    # x_hat = (X - [1, -2]) / [2, 3] = [[1, 1], [0, -2]]
    # y = [3, 0.5] * x_hat + [-1, 2] = [[2, 2.5], [-1, 1]]
    np.testing.assert_allclose(layer.forward(X), [[2.0, 2.5], [-1.0, 1.0]], rtol=1e-15)
    # dX = G * gamma / s = G * [1.5, 1/6]; dgamma = sum(G x_hat); dbeta = sum(G)
    G = np.array([[2.0, 6.0], [1.0, 3.0]])
    np.testing.assert_allclose(layer.backward(G), [[3.0, 1.0], [1.5, 0.5]], rtol=1e-15)
    np.testing.assert_allclose(layer.dgamma, [2.0, 0.0], rtol=1e-15)
    np.testing.assert_array_equal(layer.dbeta, [3.0, 9.0])
    # Nothing was updated at inference.
    np.testing.assert_array_equal(layer.running_mean, [1.0, -2.0])
    np.testing.assert_array_equal(layer.running_var, [3.0, 8.0])


def test_batch_norm_training_output_has_zero_mean_and_unit_variance():
    X = 5 + 3 * data((64, 4))
    y = BatchNorm(4, dtype=np.float64).forward(X)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    # The (biased) variance of x_hat is var / (var + epsilon), just below 1.
    var = X.var(axis=0)
    np.testing.assert_allclose(y.var(axis=0), var / (var + 1e-5), rtol=1e-12)


def test_batch_norm_running_statistics_converge_to_the_data():
    # Feeding the same batch k times: running = target + 0.9**k (start - target).
    X = data((10, 3), seed=2)
    layer = BatchNorm(3, dtype=np.float64)
    for _ in range(20):
        layer.forward(X)
    decay = 0.9**20
    mean, var = X.mean(axis=0), X.var(axis=0, ddof=1)
    np.testing.assert_allclose(layer.running_mean, (1 - decay) * mean, rtol=1e-12)
    np.testing.assert_allclose(
        layer.running_var, decay * 1.0 + (1 - decay) * var, rtol=1e-12
    )


@pytest.mark.parametrize(("momentum", "expected_mean"), [(0.0, 0.0), (1.0, None)])
def test_batch_norm_momentum_extremes(momentum, expected_mean):
    # momentum 0 never moves the estimates; momentum 1 keeps the last batch's.
    X = data((8, 2), seed=3)
    layer = BatchNorm(2, momentum=momentum, dtype=np.float64)
    layer.forward(X)
    if expected_mean is None:
        np.testing.assert_allclose(layer.running_mean, X.mean(axis=0), rtol=1e-14)
        np.testing.assert_allclose(layer.running_var, X.var(axis=0, ddof=1), rtol=1e-14)
    else:
        np.testing.assert_array_equal(layer.running_mean, [0.0, 0.0])
        np.testing.assert_array_equal(layer.running_var, [1.0, 1.0])


def test_batch_norm_batch_of_one_gives_beta_and_keeps_the_statistics():
    layer = hand_layer()
    y = layer.forward(np.array([[7.0, -3.0]]))
    np.testing.assert_array_equal(y, [[0.5, 1.0]])
    np.testing.assert_array_equal(layer.backward(np.ones((1, 2))), [[0.0, 0.0]])
    np.testing.assert_array_equal(layer.running_mean, [0.0, 0.0])
    np.testing.assert_array_equal(layer.running_var, [1.0, 1.0])


@pytest.mark.parametrize("shape", [(4, 3, 5), (3, 3, 4, 2)], ids=str)
@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_batch_norm_per_channel_equals_per_feature_on_moved_axes(shape, training):
    # Normalising (N, C, *) per channel is normalising the (N * prod(*), C)
    # matrix of the same values per column: outputs, gradients and running
    # statistics must agree.
    def make():
        layer = BatchNorm(3, dtype=np.float64)
        layer.gamma[...] = [1.5, -0.5, 2.0]
        layer.beta[...] = [0.1, 0.2, 0.3]
        layer.running_mean[...] = [0.5, -1.0, 0.0]
        layer.running_var[...] = [2.0, 0.5, 1.0]
        layer.training = training
        return layer

    def to_matrix(array):  # (N, C, *) -> (N * prod(*), C)
        return np.moveaxis(array, 1, -1).reshape(-1, 3)

    X, G = data(shape, seed=4), data(shape, seed=5)
    channels, features = make(), make()
    y = channels.forward(X)
    dX = channels.backward(G)
    y_flat = features.forward(to_matrix(X))
    dX_flat = features.backward(to_matrix(G))
    np.testing.assert_allclose(to_matrix(y), y_flat, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(to_matrix(dX), dX_flat, rtol=1e-12, atol=1e-12)
    for name in ("dgamma", "dbeta", "running_mean", "running_var"):
        np.testing.assert_allclose(
            getattr(channels, name),
            getattr(features, name),
            rtol=1e-12,
            atol=1e-12,
            err_msg=name,
        )


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 6), (3, 3, 4, 5)], ids=str)
@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batch_norm_gradient_check_per_channel(shape, training, dtype):
    # Done-when 2: both modes; at inference the running statistics are
    # constants of the function.
    rng = np.random.default_rng(6)
    layer = BatchNorm(3, dtype=dtype)
    layer.gamma[...] = rng.uniform(0.5, 2.0, 3) * [1, -1, 1]
    layer.beta[...] = rng.normal(size=3)
    layer.running_mean[...] = rng.normal(size=3)
    layer.running_var[...] = rng.uniform(0.5, 2.0, 3)
    layer.training = training
    result = check_gradients(layer, data(shape, seed=7), dtype=dtype, verbose=False)
    assert result.passed, str(result)
    assert [check.name for check in result.checks] == [
        "X",
        "batch_norm.gamma",
        "batch_norm.beta",
    ]


def test_batch_norm_backward_params_equals_backward():
    X, G = data((6, 3)), data((6, 3), seed=1)
    full, partial = BatchNorm(3, dtype=np.float64), BatchNorm(3, dtype=np.float64)
    full.forward(X)
    full.backward(G)
    partial.forward(X)
    partial.backward_params(G)
    np.testing.assert_array_equal(partial.dgamma, full.dgamma)
    np.testing.assert_array_equal(partial.dbeta, full.dbeta)


def test_batch_norm_mode_of_backward_is_that_of_forward():
    # Flipping the flag between forward and backward must not mix the modes.
    X, G = data((6, 3)), data((6, 3), seed=1)
    reference = BatchNorm(3, dtype=np.float64)
    reference.forward(X)
    expected = reference.backward(G)
    layer = BatchNorm(3, dtype=np.float64)
    layer.forward(X)
    layer.training = False
    np.testing.assert_array_equal(layer.backward(G), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_arrays_have_the_layer_dtype(dtype):
    layer = BatchNorm(4, dtype=dtype)
    for name in ("gamma", "beta", "running_mean", "running_var"):
        array = getattr(layer, name)
        assert array.dtype == dtype, name
        assert array.shape == (4,), name
    layer.forward(data((5, 4)))
    assert layer.running_mean.dtype == dtype
    assert layer.running_var.dtype == dtype


def test_batch_norm_names_state_and_config():
    layer = BatchNorm(4, momentum=0.2, epsilon=1e-3, dtype=np.float64)
    assert layer.layer_name == "batch_norm"
    assert layer.param_names == ("gamma", "beta")
    assert layer.state_names == ("running_mean", "running_var")
    assert [name for name, _, _ in layer.trainable] == ["gamma", "beta"]
    assert layer.n_params == 8
    assert layer.get_config() == {
        "n_features": 4,
        "momentum": 0.2,
        "epsilon": 1e-3,
        "dtype": "float64",
    }
    assert BatchNorm(**layer.get_config()).get_config() == layer.get_config()
    assert repr(layer) == "BatchNorm(4, momentum=0.2, epsilon=0.001, dtype=float64)"
    assert layer.output_shape((4,)) == (4,)
    assert layer.output_shape((4, 7, 7)) == (4, 7, 7)
    assert layer.penalty() == 0.0


@pytest.mark.parametrize("input_shape", [(3,), (5, 4), ()], ids=str)
def test_batch_norm_output_shape_rejects_another_width(input_shape):
    with pytest.raises(
        ValueError,
        match=r"BatchNorm expected 4 features or channels on axis 1, got samples "
        rf"of shape {re.escape(str(input_shape))}",
    ):
        BatchNorm(4).output_shape(input_shape)


@pytest.mark.parametrize("shape", [(5, 3), (5, 3, 4), (5,)], ids=str)
def test_batch_norm_forward_rejects_another_width(shape):
    with pytest.raises(
        ValueError,
        match=r"BatchNorm\.forward: expected X_input of shape \(n_samples, 4\) or "
        rf"\(n_samples, 4, \.\.\.\); got shape {re.escape(str(shape))}",
    ):
        BatchNorm(4).forward(np.ones(shape))


def test_batch_norm_forward_rejects_1d_input_with_a_hint():
    with pytest.raises(ValueError, match=r"reshape with X\.reshape\(-1, 1\)"):
        BatchNorm(1).forward(np.ones(4))


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"n_features": 0}, ValueError, r"BatchNorm: n_features must be >= 1"),
        ({"n_features": 2.0}, TypeError, r"BatchNorm: n_features must be an integer"),
        ({"momentum": -0.1}, ValueError, r"BatchNorm: momentum must be in \[0\.0"),
        ({"momentum": 1.5}, ValueError, r"BatchNorm: momentum must be in"),
        ({"momentum": float("nan")}, ValueError, r"momentum must be finite"),
        ({"momentum": "0.1"}, TypeError, r"momentum must be a real number"),
        ({"epsilon": 0.0}, ValueError, r"BatchNorm: epsilon must be in \(0\.0"),
        ({"epsilon": -1e-5}, ValueError, r"BatchNorm: epsilon must be in"),
        ({"dtype": np.int32}, ValueError, r"BatchNorm: dtype must be float32"),
    ],
)
def test_batch_norm_rejects_bad_arguments(kwargs, error, pattern):
    arguments = {"n_features": 3, **kwargs}
    with pytest.raises(error, match=pattern):
        BatchNorm(**arguments)


def test_batch_norm_matches_torch_in_both_modes():
    torch = pytest.importorskip("torch")
    X = data((6, 3, 4, 5), seed=8)
    layer = BatchNorm(3, momentum=0.1, epsilon=1e-5, dtype=np.float64)
    layer.gamma[...] = [1.5, -0.5, 2.0]
    layer.beta[...] = [0.1, 0.2, 0.3]
    reference = torch.nn.BatchNorm2d(3, eps=1e-5, momentum=0.1, dtype=torch.float64)
    with torch.no_grad():
        reference.weight[:] = torch.tensor(layer.gamma)
        reference.bias[:] = torch.tensor(layer.beta)

    for step in range(3):  # three batches: running statistics move each time
        X_step = X + step
        X_torch = torch.tensor(X_step, requires_grad=True)
        y_torch = reference(X_torch)
        y = layer.forward(X_step)
        G = data(X.shape, seed=10 + step)
        y_torch.backward(torch.tensor(G))
        dX = layer.backward(G)
        np.testing.assert_allclose(y, y_torch.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dX, X_torch.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(
            layer.dgamma, reference.weight.grad.numpy(), rtol=1e-10, atol=1e-12
        )
        np.testing.assert_allclose(
            layer.dbeta, reference.bias.grad.numpy(), rtol=1e-10, atol=1e-12
        )
        reference.weight.grad = None
        reference.bias.grad = None
        np.testing.assert_allclose(
            layer.running_mean, reference.running_mean.numpy(), rtol=1e-12
        )
        np.testing.assert_allclose(
            layer.running_var, reference.running_var.numpy(), rtol=1e-12
        )

    reference.eval()
    layer.training = False
    y_torch = reference(torch.tensor(X)).detach().numpy()
    np.testing.assert_allclose(layer.forward(X), y_torch, rtol=1e-10, atol=1e-12)


# ============================================== modes inside a Sequential model


def regularised_model(dtype=np.float64, dropout_seed=1):
    return Sequential(
        [
            Dense(4, 16, dtype=dtype, seed=0, l2=1e-3),
            BatchNorm(16, dtype=dtype),
            ReLU(),
            Dropout(0.5, seed=dropout_seed),
            Dense(16, 3, dtype=dtype, seed=2, l1=1e-3),
            Softmax(),
        ],
        CCE(),
        SGD(lr=0.1, momentum=0.9),
    )


def test_predict_and_evaluate_never_drop_units_or_update_statistics():
    X, y = data((40, 4), seed=11), labels(40, 3, seed=12)
    model = regularised_model()
    model.fit(X, y, 3, batch_size=8, seed=0, debug_flag=False)
    batch_norm, dropout = model.layers[1], model.layers[3]
    # Training did use batch statistics and masks.
    assert not np.array_equal(batch_norm.running_mean, np.zeros(16))
    assert dropout.mask is not None

    running = (batch_norm.running_mean.copy(), batch_norm.running_var.copy())
    mask = dropout.mask.copy()
    first = model.predict(X)
    second = model.predict(X)
    scores = model.evaluate(X, y)
    np.testing.assert_array_equal(second, first)
    np.testing.assert_array_equal(batch_norm.running_mean, running[0])
    np.testing.assert_array_equal(batch_norm.running_var, running[1])
    np.testing.assert_array_equal(dropout.mask, mask)
    # The modes are restored afterwards.
    assert all(layer.training for layer in model.layers)

    # predict is the inference function: running statistics, no dropout.
    H = X @ model.layers[0].W + model.layers[0].b
    H = (H - running[0]) / np.sqrt(running[1] + batch_norm.epsilon)
    H = np.maximum(batch_norm.gamma * H + batch_norm.beta, 0.0)
    logits = H @ model.layers[4].W + model.layers[4].b
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(first, expected, rtol=1e-10, atol=1e-12)
    # evaluate's loss is the objective fit minimises: the data loss of those
    # predictions plus the weight penalties.
    penalty = sum(layer.penalty() for layer in model.layers)
    expected_loss = CCE().forward(first, y) + penalty
    np.testing.assert_allclose(scores["loss"], expected_loss, rtol=1e-12)


def test_predict_does_not_depend_on_batch_composition():
    # At inference BatchNorm uses running statistics, so a sample's output
    # does not depend on the others in its batch (F7 with batch norm).
    X, y = data((30, 4), seed=13), labels(30, 3, seed=14)
    model = regularised_model()
    model.fit(X, y, 2, batch_size=10, seed=0, debug_flag=False)
    whole = model.predict(X)
    np.testing.assert_allclose(model.predict(X, batch_size=7), whole, rtol=1e-12)
    np.testing.assert_allclose(model.predict(X[5:6]), whole[5:6], rtol=1e-12)


def test_evaluate_between_epochs_does_not_disturb_training():
    # With test data, fit evaluates after each epoch in inference mode; the
    # training run must be the same as one without test data.
    X, y = data((32, 4), seed=15), labels(32, 3, seed=16)
    plain, with_test = regularised_model(), regularised_model()
    history = plain.fit(X, y, 3, batch_size=8, seed=0, debug_flag=False)
    history_test = with_test.fit(
        X,
        y,
        3,
        batch_size=8,
        X_test_inputs=X,
        y_test_outputs=y,
        seed=0,
        debug_flag=False,
    )
    np.testing.assert_array_equal(history_test["loss"], history["loss"])
    np.testing.assert_array_equal(
        with_test.layers[1].running_var, plain.layers[1].running_var
    )


@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_model_with_dropout_batch_norm_and_penalties_passes_the_gradient_check(
    training,
):
    X, y = data((12, 4), seed=17), labels(12, 3, seed=18)
    model = regularised_model()
    model.layers[0].W[...] += 0.1  # so that the L1 kinks at W = 0 are far away
    for layer in model.layers:
        layer.training = training
    batch_norm = model.layers[1]
    batch_norm.running_mean[...] = np.linspace(-0.5, 0.5, 16)
    batch_norm.running_var[...] = np.linspace(0.5, 2.0, 16)
    model.layers[3].fix_mask = True
    result = check_gradients(model, X, y, verbose=False)
    assert result.passed, str(result)
    assert len(result.checks) == 6  # W and b of two Dense, gamma and beta


def test_batch_norm_as_the_first_layer_of_a_model():
    # The first layer only stores parameter gradients (backward_params).
    X, y = 3 + 2 * data((12, 3), seed=19), labels(12, 2, seed=20)
    model = Sequential(
        [
            BatchNorm(3, dtype=np.float64),
            Dense(3, 2, dtype=np.float64, seed=0),
            Softmax(),
        ],
        CCE(),
        SGD(lr=0.1),
    )
    model.layers[0].gamma[...] = [0.5, -1.5, 2.0]
    result = check_gradients(model, X, y, verbose=False)
    assert result.passed, str(result)
    assert [check.name for check in result.checks][:2] == [
        "batch_norm_0.gamma",
        "batch_norm_0.beta",
    ]


def test_float32_model_with_dropout_and_batch_norm_stays_float32():
    X, y = data((24, 4), seed=21), labels(24, 3, seed=22)
    model = regularised_model(dtype=np.float32)
    history = model.fit(X, y, 2, batch_size=8, seed=0, debug_flag=False)
    assert np.isfinite(history["loss"]).all()
    assert model.predict(X).dtype == np.float32
    for name in ("gamma", "beta", "running_mean", "running_var", "dgamma"):
        assert getattr(model.layers[1], name).dtype == np.float32, name


def test_model_gradient_check_fails_without_a_fixed_mask():
    X, y = data((12, 4), seed=17), labels(12, 3, seed=18)
    assert not check_gradients(regularised_model(), X, y, verbose=False).passed


# ================================================================== penalties


def test_penalty_hand_worked_value_and_gradient():
    layer = Dense(2, 2, dtype=np.float64, l1=0.1, l2=0.01)
    layer.W[...] = [[1.0, -2.0], [0.0, 3.0]]
    # l1 * sum|W| + l2 * sum W**2 = 0.1 * (1 + 2 + 0 + 3) + 0.01 * (1 + 4 + 0 + 9)
    #                             = 0.6 + 0.14 = 0.74
    np.testing.assert_allclose(layer.penalty(), 0.74, rtol=1e-15)

    X = np.array([[1.0, 2.0]])
    layer.forward(X)
    layer.backward(np.array([[1.0, -1.0]]))
    # X.T @ G = [[1, -1], [2, -2]]
    # l1 * sign(W) = 0.1 * [[1, -1], [0, 1]]   (sign(0) = 0)
    # 2 * l2 * W   = 0.02 * [[1, -2], [0, 3]]
    # dW = [[1 + 0.1 + 0.02, -1 - 0.1 - 0.04], [2 + 0 + 0, -2 + 0.1 + 0.06]]
    np.testing.assert_allclose(
        layer.dW, [[1.12, -1.14], [2.0, -1.84]], rtol=1e-15, atol=1e-15
    )
    # Biases are not penalised.
    np.testing.assert_array_equal(layer.db, [[1.0, -1.0]])


def test_penalty_is_zero_without_l1_and_l2():
    layer = Dense(3, 2, seed=0)
    assert layer.penalty() == 0.0
    assert isinstance(layer.penalty(), float)
    for other in (ReLU(), Dropout(0.5), BatchNorm(3)):
        assert other.penalty() == 0.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("l1", "l2"), [(0.1, 0.0), (0.0, 0.3), (0.05, 0.2)])
def test_penalised_dense_passes_the_gradient_check(dtype, l1, l2):
    layer = Dense(4, 3, dtype=dtype, seed=0, l1=l1, l2=l2)
    # Move the weights away from the L1 kink at 0 (10 * h at least).
    layer.W[...] += np.where(layer.W >= 0, 0.05, -0.05).astype(dtype)
    result = check_gradients(layer, data((5, 4)), dtype=dtype, verbose=False)
    assert result.passed, str(result)


def test_penalised_backward_twice_is_bit_identical():
    layer = Dense(3, 2, dtype=np.float64, seed=0, l1=0.1, l2=0.2)
    layer.forward(data((4, 3)))
    G = data((4, 2), seed=1)
    layer.backward(G)
    first = layer.dW.copy()
    layer.backward(G)
    np.testing.assert_array_equal(layer.dW, first)


def test_penalty_gradient_with_a_zero_data_gradient_decays_the_weights():
    # With G = 0 only the L2 term acts: one SGD step gives
    # W - lr * 2 * l2 * W = W * (1 - 2 * 0.5 * 0.1) = 0.9 W.
    layer = Dense(3, 2, dtype=np.float64, seed=0, l2=0.1)
    W = layer.W.copy()
    layer.forward(data((4, 3)))
    layer.backward(np.zeros((4, 2)))
    SGD(lr=0.5).update("dense_0.W", layer.W, layer.dW)
    np.testing.assert_allclose(layer.W, 0.9 * W, rtol=1e-15)


def test_fit_reports_the_loss_with_the_penalties():
    X = data((10, 3), seed=19)
    y = data((10, 1), seed=20)
    model = Sequential(
        [
            Dense(3, 4, dtype=np.float64, seed=0, l1=0.02, l2=0.05),
            Tanh(),
            Dense(4, 1, dtype=np.float64, seed=1, l2=0.1),
        ],
        MSE(),
        SGD(lr=0.05),
    )
    before = copy.deepcopy(model)
    data_loss = MSE().forward(before.predict(X), y)
    penalty = before.layers[0].penalty() + before.layers[2].penalty()
    assert penalty > 0.1 * data_loss  # large enough to matter below

    history = model.fit(X, y, 1, shuffle=False, debug_flag=False)
    np.testing.assert_allclose(history["loss"][0, 0], data_loss + penalty, rtol=1e-12)
    # run_training_epoch and compute_gradients report the same total.
    np.testing.assert_allclose(
        before.compute_gradients(X, y), data_loss + penalty, rtol=1e-12
    )
    # evaluate reports the same objective (so val_loss compares like with like).
    np.testing.assert_allclose(
        before.evaluate(X, y)["loss"], data_loss + penalty, rtol=1e-12
    )


def test_model_without_penalties_reports_the_plain_loss_exactly():
    X, y = data((10, 3), seed=21), data((10, 1), seed=22)
    model = Sequential(
        [
            Dense(3, 4, dtype=np.float64, seed=0),
            Sigmoid(),
            Dense(4, 1, seed=1, dtype=np.float64),
        ],
        MSE(),
        SGD(lr=0.05),
    )
    expected = MSE().forward(model.predict(X), y)
    assert model.compute_gradients(X, y) == expected


def test_penalties_change_training_only_through_the_weights():
    # Training with a penalty shrinks the weights compared with the same run
    # without one (an L2 pull towards zero at every step).
    X, y = data((50, 3), seed=23), data((50, 1), seed=24)

    def weight_norm(l2):
        model = Sequential(
            [
                Dense(3, 8, dtype=np.float64, seed=0, l2=l2),
                Tanh(),
                Dense(8, 1, dtype=np.float64, seed=1, l2=l2),
            ],
            MSE(),
            SGD(lr=0.05),
        )
        model.fit(X, y, 30, batch_size=10, seed=0, debug_flag=False)
        return np.linalg.norm(model.layers[0].W) + np.linalg.norm(model.layers[2].W)

    assert weight_norm(0.1) < 0.8 * weight_norm(0.0)


@pytest.mark.parametrize("name", ["l1", "l2"])
@pytest.mark.parametrize(
    ("value", "error", "pattern"),
    [
        (-0.1, ValueError, r"must be in \[0\.0, inf\); got -0\.1"),
        (float("nan"), ValueError, r"must be finite"),
        (float("inf"), ValueError, r"must be finite"),
        ("0.1", TypeError, r"must be a real number; got '0\.1'"),
        (True, TypeError, r"must be a real number; got True"),
        (None, TypeError, r"must be a real number; got None"),
    ],
)
def test_dense_rejects_bad_penalties(name, value, error, pattern):
    with pytest.raises(error, match=rf"Dense: {name} " + pattern):
        Dense(3, 2, **{name: value})


def test_dense_config_and_repr_with_penalties():
    layer = Dense(3, 2, l1=0.01, l2=0.5)
    config = layer.get_config()
    assert config["l1"] == 0.01 and config["l2"] == 0.5
    assert Dense(**config).get_config() == config
    assert repr(layer) == "Dense(3, 2, init='auto', dtype=float32, l1=0.01, l2=0.5)"
    assert Dense(3, 2).get_config()["l1"] == 0.0


def test_base_layer_penalty_default():
    class Identity(BaseLayer):
        def forward(self, X_input):
            return X_input

        def backward(self, grad_next):
            return grad_next

    assert Identity().penalty() == 0.0
