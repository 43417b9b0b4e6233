"""Tests for nnfs.losses: MSE, MAE, Huber, BCE and CCE.

Generic tests run over ``CASES``, a registry of losses paired with the kind of
inputs they take; a new loss (or a new target format) added there gets the
gradient checks, the bad-input checks and the property tests for free. The
sections after the generic ones hold what is specific to one loss: hand-worked
values, extreme values with closed-form answers, and the fused gradients.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnfs.activations import Sigmoid, Softmax
from nnfs.gradcheck import check_gradients
from nnfs.losses import BCE, CCE, MAE, MSE, Huber, Loss

LN2 = np.log(2.0)


def strict_errstate():
    """Raise on overflow, division by zero and invalid operations.

    Underflow stays ignored on purpose: exp(-1000) == 0 is the right answer
    inside a stable log-sum-exp, and ``np.errstate(all="raise")`` would turn
    that harmless underflow into a FloatingPointError.
    """
    return np.errstate(over="raise", divide="raise", invalid="raise", under="ignore")


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _softmax(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _central_difference(f, z, h=1e-6):
    """Float64 central differences of the scalar function ``f`` at ``z``."""
    z = np.array(z, dtype=np.float64)
    grad = np.empty_like(z)
    for index in np.ndindex(z.shape):
        original = z[index]
        z[index] = original + h
        f_plus = f(z)
        z[index] = original - h
        f_minus = f(z)
        z[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class LossCase:
    """A loss and the inputs it takes.

    ``build(a, b)`` maps two raw float arrays of shape (n_samples, n_outputs)
    to a valid ``(y_pred, y_true)``: ``a`` drives y_pred only and ``b`` drives
    y_true only. ``kinks`` are residual sizes |y_pred - y_true| where the loss
    is not differentiable; gradient checks keep 0.1 away from them.
    """

    id: str
    make: Callable[[], Loss]
    build: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    kinks: tuple[float, ...] = ()
    min_outputs: int = 1
    regression: bool = False


def _regression(a, b):
    return b + a, b


def _binary(b):
    return (b > 0).astype(np.float64)


def _onehot(b):
    return np.eye(b.shape[1])[b.argmax(axis=1)]


def _labels(b):
    return b.argmax(axis=1)


def _label_column(b):
    return b.argmax(axis=1).reshape(-1, 1)


def _targets_after(activation, targets):
    def build(a, b):
        return activation(a), targets(b)

    return build


def _identity(a):
    return a


CASES = [
    LossCase("MSE", MSE, _regression, regression=True),
    LossCase("MAE", MAE, _regression, kinks=(0.0,), regression=True),
    LossCase("Huber-1", Huber, _regression, kinks=(1.0,), regression=True),
    LossCase(
        "Huber-0.5",
        lambda: Huber(delta=0.5),
        _regression,
        kinks=(0.5,),
        regression=True,
    ),
    LossCase("BCE-binary", BCE, _targets_after(_sigmoid, _binary)),
    LossCase("BCE-soft", BCE, _targets_after(_sigmoid, _sigmoid)),
    LossCase(
        "BCE-logits-binary",
        lambda: BCE(from_logits=True),
        _targets_after(_identity, _binary),
    ),
    LossCase(
        "BCE-logits-soft",
        lambda: BCE(from_logits=True),
        _targets_after(_identity, _sigmoid),
    ),
]
for _targets_id, _targets in [
    ("onehot", _onehot),
    ("soft", _softmax),
    ("labels", _labels),
    ("label-column", _label_column),
]:
    CASES += [
        LossCase(
            f"CCE-{_targets_id}",
            CCE,
            _targets_after(_softmax, _targets),
            min_outputs=2,
        ),
        LossCase(
            f"CCE-logits-{_targets_id}",
            lambda: CCE(from_logits=True),
            _targets_after(_identity, _targets),
            min_outputs=2,
        ),
    ]

CASE_PARAMS = [pytest.param(case, id=case.id) for case in CASES]
FUSED_PARAMS = [
    pytest.param(case, id=case.id)
    for case in CASES
    if case.make().fused_activation is not None
]
REGRESSION_PARAMS = [
    pytest.param(case, id=case.id) for case in CASES if case.regression
]
SHAPES = [(1, 1), (5, 1), (4, 3), (7, 5)]
GRADCHECK_PARAMS = [
    pytest.param(case, (n, k), id=f"{case.id}-{n}x{k}")
    for case in CASES
    for n, k in [(n, max(k, case.min_outputs)) for n, k in SHAPES]
]


def sample(case, shape, seed=0, dtype=np.float64):
    """Valid inputs for ``case``, 0.1 away from its kinks and clip bounds.

    Float values are rounded to ``float32`` first, so the float32 and float64
    paths see exactly the same numbers.
    """
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(0.1, 3.0, size=shape)
    for kink in case.kinks:
        magnitude[np.abs(magnitude - kink) < 0.1] += 0.2
    a = rng.choice([-1.0, 1.0], size=shape) * magnitude
    b = rng.standard_normal(shape)
    y_pred, y_true = case.build(a, b)
    y_pred = y_pred.astype(np.float32).astype(dtype)
    if y_true.dtype.kind == "f":
        y_true = y_true.astype(np.float32).astype(dtype)
    return y_pred, y_true


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize(("case", "shape"), GRADCHECK_PARAMS)
def test_backward_matches_finite_differences_float64(case, shape):
    y_pred, y_true = sample(case, shape)

    result = check_gradients(case.make(), y_pred, y_true, verbose=False)

    assert (result.rtol, result.atol) == (1e-5, 1e-7)
    assert [check.n_checked for check in result.checks] == [y_pred.size]
    assert result.passed, str(result)


@pytest.mark.parametrize(("case", "shape"), GRADCHECK_PARAMS)
def test_float32_backward_matches_float64_reference(case, shape):
    y_pred, y_true = sample(case, shape)

    result = check_gradients(
        case.make(), y_pred, y_true, dtype=np.float32, verbose=False
    )

    assert result.dtype == "float32"
    assert result.rtol == 1e-4
    assert result.passed, str(result)


@pytest.mark.parametrize("case", FUSED_PARAMS)
@pytest.mark.parametrize("shape", [(1, 2), (5, 2), (4, 3), (7, 5)])
def test_fused_backward_is_the_gradient_through_the_activation(case, shape):
    # The fused gradient is dL/dz for L = loss(activation(z), y): check it
    # against float64 central differences in z, not against a formula.
    rng = np.random.default_rng(1)
    z = rng.normal(scale=2.0, size=shape)
    _, y_true = case.build(z, rng.standard_normal(shape))
    loss = case.make()

    def loss_of_logits(logits):
        return loss.forward(loss.fused_activation().forward(logits), y_true)

    numerical = _central_difference(loss_of_logits, z)
    loss_of_logits(z)
    fused = loss.fused_backward()

    np.testing.assert_allclose(fused, numerical, rtol=1e-5, atol=1e-7)


def test_cce_fused_backward_with_soft_targets_not_summing_to_one():
    # d/dz of -sum(y log softmax(z)) is softmax(z) * sum(y) - y: the row sum
    # matters when a soft target row does not add up to 1.
    rng = np.random.default_rng(2)
    z = rng.standard_normal((4, 3))
    y_true = rng.uniform(0.0, 1.0, size=(4, 3))
    loss = CCE()

    def loss_of_logits(logits):
        return loss.forward(Softmax().forward(logits), y_true)

    numerical = _central_difference(loss_of_logits, z)
    loss_of_logits(z)

    np.testing.assert_allclose(loss.fused_backward(), numerical, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    ("make", "activation"),
    [(BCE, Sigmoid), (CCE, Softmax)],
    ids=["BCE", "CCE"],
)
def test_fused_activation_names_the_layer_to_absorb(make, activation):
    assert make().fused_activation is activation
    assert make(from_logits=True).fused_activation is None


# ---------------------------------------------------------------- hand-worked


def test_mse_hand_worked_value_and_gradient():
    # diff = y_pred - y_true = [[1, 0], [2, 3]]; squares 1 + 0 + 4 + 9 = 14,
    # mean over all n_samples * n_outputs = 4 elements: 14 / 4 = 3.5.
    # dL/dy_pred = 2 diff / 4 = diff / 2. (The seed system divided by
    # n_samples only, giving 2 diff / 2 = diff: off by n_outputs = 2.)
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    y_true = np.array([[0.0, 2.0], [1.0, 1.0]])
    loss = MSE()

    assert loss.forward(y_pred, y_true) == 3.5
    np.testing.assert_array_equal(loss.backward(), [[0.5, 0.0], [1.0, 1.5]])


def test_mae_hand_worked_value_and_gradient():
    # |diff| = [[1, 0], [2, 3]] sums to 6; 6 / 4 elements = 1.5.
    # dL/dy_pred = sign(diff) / 4, with the subgradient 0 where diff == 0.
    y_pred = np.array([[1.0, 2.0], [3.0, -2.0]])
    y_true = np.array([[0.0, 2.0], [1.0, 1.0]])
    loss = MAE()

    assert loss.forward(y_pred, y_true) == 1.5
    np.testing.assert_array_equal(loss.backward(), [[0.25, 0.0], [0.25, -0.25]])


def test_huber_hand_worked_value_and_gradient():
    # delta = 1, r = [[0.5, -3], [2, 0]]:
    #   |0.5| <= 1: 0.5 * 0.25      = 0.125
    #   |-3|  >  1: 1 * (3 - 0.5)   = 2.5
    #   |2|   >  1: 1 * (2 - 0.5)   = 1.5
    #   |0|  <= 1: 0                = 0
    # sum 4.125 over 4 elements = 1.03125.
    # dL/dy_pred = clip(r, -1, 1) / 4 = [[0.125, -0.25], [0.25, 0]].
    y_pred = np.array([[0.5, -3.0], [2.0, 0.0]])
    loss = Huber(delta=1.0)

    assert loss.forward(y_pred, np.zeros((2, 2))) == 1.03125
    np.testing.assert_array_equal(loss.backward(), [[0.125, -0.25], [0.25, 0.0]])


def test_bce_hand_worked_value_and_gradient():
    # Per element -[y ln p + (1 - y) ln(1 - p)]:
    #   p = 0.5, y = 1: -ln 0.5 = ln 2      p = 0.8, y = 0: -ln 0.2 = ln 5
    #   p = 0.2, y = 1: -ln 0.2 = ln 5      p = 0.5, y = 0: -ln 0.5 = ln 2
    # mean over all 4 elements: (2 ln 2 + 2 ln 5) / 4 = ln(10) / 2.
    # dL/dp = (p - y) / (p (1 - p)) / 4:
    #   (0.5 - 1) / 0.25 / 4 = -0.5       (0.8 - 0) / 0.16 / 4 = 1.25
    #   (0.2 - 1) / 0.16 / 4 = -1.25      (0.5 - 0) / 0.25 / 4 = 0.5
    # (The seed system did not divide by N = 4 at all.)
    y_pred = np.array([[0.5, 0.8], [0.2, 0.5]])
    y_true = np.array([[1.0, 0.0], [1.0, 0.0]])
    loss = BCE()

    np.testing.assert_allclose(loss.forward(y_pred, y_true), np.log(10) / 2, rtol=1e-14)
    np.testing.assert_allclose(
        loss.backward(), [[-0.5, 1.25], [-1.25, 0.5]], rtol=1e-14
    )


def test_bce_from_logits_hand_worked_value_and_gradient():
    # z = 0, y = 1: log(1 + e^0) = ln 2; z = ln 3, y = 0: log(1 + 3) = ln 4.
    # mean (ln 2 + ln 4) / 2 = 1.5 ln 2.
    # dL/dz = (sigmoid(z) - y) / 2 = [(0.5 - 1) / 2, (0.75 - 0) / 2].
    z = np.array([[0.0, np.log(3.0)]])
    loss = BCE(from_logits=True)

    np.testing.assert_allclose(
        loss.forward(z, np.array([[1.0, 0.0]])), 1.5 * LN2, rtol=1e-14
    )
    np.testing.assert_allclose(loss.backward(), [[-0.25, 0.375]], rtol=1e-14)


def test_cce_hand_worked_value_and_gradient():
    # Labels [0, 1] pick p = 0.5 and p = 0.25:
    # -(ln 0.5 + ln 0.25) / 2 samples = (ln 2 + 2 ln 2) / 2 = 1.5 ln 2.
    # The mean is over the 2 samples only, not over 2 * 3 elements.
    # dL/dp = -y / p / 2: -1 / 0.5 / 2 = -1 and -1 / 0.25 / 2 = -2.
    y_pred = np.array([[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]])
    expected_grad = [[-1.0, 0.0, 0.0], [0.0, -2.0, 0.0]]

    for y_true in ([0, 1], [[0], [1]], [[1, 0, 0], [0, 1, 0]]):
        loss = CCE()
        np.testing.assert_allclose(loss.forward(y_pred, y_true), 1.5 * LN2, rtol=1e-14)
        np.testing.assert_allclose(loss.backward(), expected_grad, rtol=1e-14)


def test_cce_soft_targets_hand_worked_value():
    # y = [0.5, 0.5, 0], p = [0.5, 0.25, 0.25]:
    # -(0.5 ln 0.5 + 0.5 ln 0.25 + 0) = 0.5 ln 2 + ln 2 = 1.5 ln 2.
    # dL/dp = -y / p / 1 = [-1, -2, 0].
    loss = CCE()

    value = loss.forward(np.array([[0.5, 0.25, 0.25]]), np.array([[0.5, 0.5, 0.0]]))

    np.testing.assert_allclose(value, 1.5 * LN2, rtol=1e-14)
    np.testing.assert_allclose(loss.backward(), [[-1.0, -2.0, 0.0]], rtol=1e-14)


def test_cce_from_logits_hand_worked_value_and_gradient():
    # softmax([0, 0, ln 2]) = [1, 1, 2] / 4 = [0.25, 0.25, 0.5]; label 2:
    # -ln 0.5 = ln 2. softmax([ln 2, 0, 0]) = [0.5, 0.25, 0.25]; label 1:
    # -ln 0.25 = 2 ln 2. Mean over 2 samples: 1.5 ln 2.
    # dL/dz = (p - y) / 2: [0.25, 0.25, -0.5] / 2 and [0.5, -0.75, 0.25] / 2.
    z = np.array([[0.0, 0.0, LN2], [LN2, 0.0, 0.0]])
    loss = CCE(from_logits=True)

    np.testing.assert_allclose(loss.forward(z, [2, 1]), 1.5 * LN2, rtol=1e-14)
    np.testing.assert_allclose(
        loss.backward(),
        [[0.125, 0.125, -0.25], [0.25, -0.375, 0.125]],
        rtol=1e-14,
        atol=1e-16,
    )


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize("n_outputs", [1, 4])
def test_mse_and_bce_gradients_for_several_outputs(n_outputs):
    # Formula and a random-direction derivative of the returned value both
    # have to agree with backward() when n_outputs > 1.
    rng = np.random.default_rng(3)
    shape = (6, n_outputs)
    n_elements = 6 * n_outputs
    p = rng.uniform(0.1, 0.9, size=shape)
    y = rng.uniform(0.0, 1.0, size=shape)
    direction = rng.standard_normal(shape)
    formulas = {
        MSE: 2 * (p - y) / n_elements,
        BCE: (p - y) / (p * (1 - p)) / n_elements,
    }

    for make, expected in formulas.items():
        loss = make()
        loss.forward(p, y)
        grad = loss.backward()
        t = 1e-6
        slope = (
            make().forward(p + t * direction, y) - make().forward(p - t * direction, y)
        ) / (2 * t)

        np.testing.assert_allclose(grad, expected, rtol=1e-12)
        np.testing.assert_allclose(np.vdot(grad, direction), slope, rtol=1e-6)


@pytest.mark.parametrize("make", [MSE, MAE, Huber, BCE], ids=lambda m: m.__name__)
def test_repeating_columns_keeps_the_mean_and_splits_the_gradient(make):
    # A mean over every element: three identical columns give the same loss,
    # and each entry of the gradient carries a third of the single-column one.
    rng = np.random.default_rng(4)
    p = rng.uniform(0.1, 0.9, size=(5, 1))
    y = rng.uniform(0.0, 1.0, size=(5, 1))
    single, tripled = make(), make()

    value = single.forward(p, y)
    value_tripled = tripled.forward(np.tile(p, 3), np.tile(y, 3))

    np.testing.assert_allclose(value_tripled, value, rtol=1e-14)
    np.testing.assert_allclose(
        tripled.backward(), np.tile(single.backward(), 3) / 3, rtol=1e-14
    )


def test_cce_averages_over_samples_only():
    rng = np.random.default_rng(5)
    p = _softmax(rng.standard_normal((6, 4)))
    labels = rng.integers(0, 4, size=6)
    onehot = np.eye(4)[labels]
    loss = CCE()

    value = loss.forward(p, labels)

    np.testing.assert_allclose(value, -np.log(p[np.arange(6), labels]).mean())
    np.testing.assert_allclose(loss.backward(), -onehot / p / 6, rtol=1e-14)


# ---------------------------------------------------------------- extreme values


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_probabilities_exactly_zero_and_one(dtype):
    # p is clipped to [eps, 1 - eps], eps = finfo(dtype).eps. Wrong labels:
    # each element costs -ln(eps) (36.04 in float64, 15.94 in float32) and
    # dL/dp at the clip bound is -+1 / (eps (1 - eps)) * (1 - eps) / 2 = -+1 / (2 eps).
    # Right labels: each element costs -ln(1 - eps) ~ eps, dL/dp ~ +-1/2.
    eps = float(np.finfo(dtype).eps)
    y_pred = np.array([[0.0, 1.0]], dtype=dtype)

    with strict_errstate():
        wrong = BCE()
        wrong_value = wrong.forward(y_pred, np.array([[1.0, 0.0]]))
        wrong_grad = wrong.backward()
        right = BCE()
        right_value = right.forward(y_pred, np.array([[0.0, 1.0]]))
        right_grad = right.backward()

    np.testing.assert_allclose(wrong_value, -np.log(eps), rtol=1e-6)
    np.testing.assert_allclose(wrong_grad, [[-1 / (2 * eps), 1 / (2 * eps)]], rtol=1e-6)
    np.testing.assert_allclose(right_value, eps, rtol=1e-3)
    np.testing.assert_allclose(right_grad, [[0.5, -0.5]], rtol=1e-6)
    assert wrong_grad.dtype == right_grad.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("logit", [100.0, 1000.0])
def test_bce_from_logits_extreme_logits(dtype, logit):
    # max(z, 0) - z y + log1p(exp(-|z|)): for |z| >= 100 the last term is
    # below 4e-44, so a confidently wrong logit costs exactly |z| (it vanishes
    # beside 100) and a confidently right one costs that term alone: 0 for
    # |z| = 1000, 3.7e-44 for |z| = 100 (a float32 subnormal, or 0).
    # Gradient (sigmoid(z) - y) / 2.
    z = np.array([[logit, -logit]], dtype=dtype)

    with strict_errstate():
        wrong = BCE(from_logits=True)
        wrong_value = wrong.forward(z, np.array([[0.0, 1.0]]))
        wrong_grad = wrong.backward()
        right = BCE(from_logits=True)
        right_value = right.forward(z, np.array([[1.0, 0.0]]))
        right_grad = right.backward()

    assert wrong_value == logit
    assert 0.0 <= right_value <= 4e-44
    np.testing.assert_allclose(wrong_grad, [[0.5, -0.5]], rtol=1e-15, atol=1e-40)
    np.testing.assert_allclose(right_grad, [[0.0, 0.0]], atol=1e-40)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("y_true", [[0], [[1.0, 0.0, 0.0]]], ids=["label", "onehot"])
def test_cce_zero_probability_on_the_true_class(dtype, y_true):
    # p = 0 on the true class is clipped to eps: loss -ln(eps), dL/dp = -1/eps.
    eps = float(np.finfo(dtype).eps)
    y_pred = np.array([[0.0, 0.5, 0.5]], dtype=dtype)
    loss = CCE()

    with strict_errstate():
        value = loss.forward(y_pred, y_true)
        grad = loss.backward()

    np.testing.assert_allclose(value, -np.log(eps), rtol=1e-6)
    np.testing.assert_allclose(grad, [[-1 / eps, 0.0, 0.0]], rtol=1e-6)
    assert grad.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("logit", [100.0, 1000.0])
def test_cce_from_logits_extreme_logits(dtype, logit):
    # log_softmax([L, -L]) = [0, -2L] - log(1 + exp(-2L)) = [0, -2L] exactly,
    # so the true class second costs 2L (2000 for L = 1000) and first costs 0.
    # Gradient (p - y) / 2 with p = [[1, 0], [1, 0]].
    z = np.array([[logit, -logit], [logit, -logit]], dtype=dtype)
    loss = CCE(from_logits=True)

    with strict_errstate():
        value = loss.forward(z, [1, 0])
        grad = loss.backward()

    assert value == logit  # (2L + 0) / 2 samples
    # exp(-2L) / 2 = 7e-88 for L = 100 is what a float64 gradient can hold.
    np.testing.assert_allclose(grad, [[0.5, -0.5], [0.0, 0.0]], atol=1e-80)
    with strict_errstate():
        assert CCE(from_logits=True).forward(z[:1], [1]) == 2 * logit


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_gradients_when_a_probability_underflows_to_zero(dtype):
    # softmax([-1000, 1000]) = [0, 1] exactly and sigmoid(-1000) = 0: the
    # probability on the true class underflows, yet (p - y) / n stays exact.
    z = np.array([[-1000.0, 1000.0], [1000.0, -1000.0]], dtype=dtype)

    with strict_errstate():
        probs = Softmax().forward(z)
        cce = CCE()
        cce_value = cce.forward(probs, [0, 0])
        cce_fused = cce.fused_backward()
        cce_grad = cce.backward()

        sigmoid = Sigmoid().forward(z)
        bce = BCE()
        bce_value = bce.forward(sigmoid, np.ones((2, 2)))
        bce_fused = bce.fused_backward()
        bce_grad = bce.backward()

    np.testing.assert_array_equal(probs, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(cce_fused, [[-0.5, 0.5], [0.0, 0.0]])
    np.testing.assert_array_equal(bce_fused, [[-0.25, 0.0], [0.0, -0.25]])
    assert cce_fused.dtype == bce_fused.dtype == dtype
    assert np.isfinite(cce_value) and np.isfinite(bce_value)
    assert np.all(np.isfinite(cce_grad)) and np.all(np.isfinite(bce_grad))


@pytest.mark.parametrize(("dtype", "big"), [(np.float64, 1e200), (np.float32, 1e20)])
def test_mse_returns_inf_when_the_square_overflows(dtype, big):
    # L11: (1e200)**2 is beyond float64, so the mean square is inf; that is
    # the right answer (the fit loop is what must stop). The gradient
    # 2 r / 2 = r stays finite. No warning is emitted.
    y_pred = np.array([[big, -big]], dtype=dtype)
    loss = MSE()

    with strict_errstate():
        value = loss.forward(y_pred, np.zeros((1, 2)))
        grad = loss.backward()

    assert value == np.inf
    np.testing.assert_array_equal(grad, y_pred)


def test_mse_residual_overflow_returns_inf_without_a_warning():
    assert MSE().forward(np.array([[1e308]]), np.array([[-1e308]])) == np.inf


# ---------------------------------------------------------------- bad input


def _where(loss, method="forward"):
    return re.escape(f"{type(loss).__name__}.{method}: ")


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_l1_column_against_flat_targets_is_refused(case):
    loss = case.make()
    message = "y_true has shape (4,) but y_pred has shape (4, 1); shapes must match"

    with pytest.raises(ValueError, match=_where(loss) + re.escape(message)):
        loss.forward(np.full((4, 1), 0.5), np.zeros(4))


@pytest.mark.parametrize(
    "make",
    [MSE, MAE, Huber, BCE, lambda: BCE(from_logits=True)],
    ids=["MSE", "MAE", "Huber", "BCE", "BCE-logits"],
)
def test_l1_targets_are_never_broadcast(make):
    loss = make()
    message = "y_true has shape (4, 1) but y_pred has shape (4, 3)"

    with pytest.raises(ValueError, match=_where(loss) + re.escape(message)):
        loss.forward(np.full((4, 3), 0.5), np.zeros((4, 1)))


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_l2_different_batch_sizes_are_refused(case):
    loss = case.make()
    message = "y_true has 3 samples but y_pred has 4"

    with pytest.raises(ValueError, match=_where(loss) + ".*" + message):
        loss.forward(np.full((4, 2), 0.5), np.zeros((3, 2)))


def test_l1_l2_cce_shapes():
    p = np.full((4, 3), 1 / 3)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "CCE.forward: y_true has shape (4, 2) but y_pred has shape (4, 3); "
            "shapes must match exactly"
        ),
    ):
        CCE().forward(p, np.zeros((4, 2)))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "CCE.forward: y_true has shape (3,) but y_pred has shape (4, 3); "
            "y_true has 3 samples but y_pred has 4"
        ),
    ):
        CCE().forward(p, [0, 1, 2])


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_l3_empty_batch_is_refused(case):
    loss = case.make()
    empty = "has shape (0, 2) with 0 samples; at least one sample is required"

    with pytest.raises(ValueError, match=_where(loss) + re.escape("y_pred " + empty)):
        loss.forward(np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match=_where(loss) + re.escape("y_true " + empty)):
        loss.forward(np.full((3, 2), 0.5), np.zeros((0, 2)))


@pytest.mark.parametrize("case", CASE_PARAMS)
@pytest.mark.parametrize("argument", ["y_pred", "y_true"])
@pytest.mark.parametrize(
    ("bad", "kind"),
    [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")],
    ids=["nan", "inf", "-inf"],
)
def test_l4_non_finite_values_are_refused(case, argument, bad, kind):
    y_pred, y_true = sample(case, (3, 2))
    arrays_ = {"y_pred": y_pred, "y_true": y_true.astype(np.float64)}
    arrays_[argument].flat[-1] = bad
    loss = case.make()

    with pytest.raises(ValueError, match=_where(loss) + f"{argument} contains {kind}"):
        loss.forward(arrays_["y_pred"], arrays_["y_true"])


def _range_message(name, values):
    return re.escape(
        f"{name}.forward: y_pred must be probabilities in [0, 1]; got values from "
        f"{min(values)} to {max(values)}; for raw scores use "
        f"{name}(from_logits=True)"
    )


@pytest.mark.parametrize("y_pred", [[-0.5, 0.5], [0.5, 2.0]], ids=["neg", "gt1"])
def test_l6_bce_probabilities_outside_zero_one_suggest_from_logits(y_pred):
    with pytest.raises(ValueError, match=_range_message("BCE", y_pred)):
        BCE().forward([y_pred], [[0.0, 1.0]])

    BCE(from_logits=True).forward([y_pred], [[0.0, 1.0]])  # logits may be anything


@pytest.mark.parametrize("y_pred", [[-0.5, 0.5], [0.5, 2.0]], ids=["neg", "gt1"])
@pytest.mark.parametrize(
    "y_true", [[[0.0, 1.0]], [1], [[1]]], ids=["onehot", "labels", "label-column"]
)
def test_l6_cce_probabilities_outside_zero_one_suggest_from_logits(y_pred, y_true):
    # Integer labels used to skip this check, so raw logits passed with
    # labels gave a silent, meaningless loss.
    with pytest.raises(ValueError, match=_range_message("CCE", y_pred)):
        CCE().forward([y_pred], y_true)

    CCE(from_logits=True).forward([y_pred], y_true)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize(
    ("y_true", "low", "high"),
    [([[0.0], [2.0]], 0.0, 2.0), ([[-1.0], [1.0]], -1.0, 1.0)],
    ids=["gt1", "neg"],
)
def test_l7_bce_targets_outside_zero_one(from_logits, y_true, low, high):
    message = f"BCE.forward: y_true must lie in [0, 1]; got values from {low} to {high}"

    with pytest.raises(ValueError, match=re.escape(message)):
        BCE(from_logits=from_logits).forward(np.full((2, 1), 0.5), y_true)


@pytest.mark.parametrize("from_logits", [False, True])
def test_l7_cce_onehot_targets_outside_zero_one(from_logits):
    message = (
        "CCE.forward: one-hot y_true must lie in [0, 1]; got values from -1.0 to 2.0"
    )

    with pytest.raises(ValueError, match=re.escape(message)):
        CCE(from_logits=from_logits).forward(
            np.full((2, 2), 0.5), [[2.0, -1.0], [0.0, 1.0]]
        )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("column", [False, True], ids=["flat", "column"])
@pytest.mark.parametrize(
    ("bad", "shown"),
    [(-1, r"-1(\.0)?\b"), (3, r"3(\.0)?\b"), (7, r"7(\.0)?\b"), (0.5, r"0\.5\b")],
    ids=["negative", "n_classes", "too-big", "fraction"],
)
def test_l9_cce_bad_integer_labels(from_logits, column, bad, shown):
    labels = np.array([0, 2, bad, 1])
    if column:
        labels = labels.reshape(-1, 1)
    message = (
        r"CCE\.forward: integer labels in y_true must be in \[0, 3\) for 3 classes; "
        r"got label " + shown
    )

    with pytest.raises(ValueError, match=message):
        CCE(from_logits=from_logits).forward(np.full((4, 3), 1 / 3), labels)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_l13_backward_before_forward(case):
    loss = case.make()

    with pytest.raises(RuntimeError, match=_where(loss, "backward") + "forward must"):
        loss.backward()
    if loss.fused_activation is not None:
        with pytest.raises(
            RuntimeError, match=_where(loss, "fused_backward") + "forward must run"
        ):
            loss.fused_backward()


@pytest.mark.parametrize(
    "make",
    [MSE, MAE, Huber, lambda: BCE(from_logits=True), lambda: CCE(from_logits=True)],
    ids=["MSE", "MAE", "Huber", "BCE-logits", "CCE-logits"],
)
def test_fused_backward_without_a_fused_activation(make):
    loss = make()
    loss.forward(np.full((2, 2), 0.5), np.zeros((2, 2)))

    with pytest.raises(NotImplementedError, match="has no fused activation gradient"):
        loss.fused_backward()


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_l14_lists_and_tuples_are_accepted(case):
    y_pred, y_true = sample(case, (3, 2))
    expected = case.make().forward(y_pred, y_true)

    as_list = case.make().forward(y_pred.tolist(), y_true.tolist())
    as_tuple = case.make().forward(tuple(map(tuple, y_pred)), tuple(y_true.tolist()))

    assert as_list == expected
    assert as_tuple == expected


_INT_TARGETS = [
    ("MSE", MSE, [[0.5, 1.5], [2.0, 3.0]], [[0, 1], [2, 4]]),
    ("Huber", Huber, [[0.5, 1.5], [2.0, 3.0]], [[0, 1], [2, 4]]),
    ("BCE", BCE, [[0.25, 0.5], [0.75, 0.5]], [[0, 1], [1, 0]]),
    ("CCE-onehot", CCE, [[0.25, 0.75], [0.5, 0.5]], [[0, 1], [1, 0]]),
    ("CCE-labels", CCE, [[0.25, 0.75], [0.5, 0.5]], [1, 0]),
]


@pytest.mark.parametrize(
    ("make", "y_pred", "y_true", "int_dtype"),
    [
        pytest.param(make, y_pred, y_true, dtype, id=f"{name}-{dtype.__name__}")
        for name, make, y_pred, y_true in _INT_TARGETS
        for dtype in (np.int8, np.int64, np.uint8, np.bool_)
        if dtype is not np.bool_ or np.max(y_true) <= 1
    ],
)
def test_l14_integer_targets_are_converted_to_float(make, y_pred, y_true, int_dtype):
    y_true = np.array(y_true)
    loss = make()

    value = loss.forward(np.array(y_pred), y_true.astype(int_dtype))

    assert value == make().forward(np.array(y_pred), y_true.astype(np.float64))
    assert loss.backward().dtype == np.float64


@pytest.mark.parametrize("case", CASE_PARAMS)
@pytest.mark.parametrize("argument", ["y_pred", "y_true"])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            np.array([["a", "b"], ["c", "d"]]),
            "must hold numbers; got an array of dtype <U1",
        ),
        (
            np.array([[1.0, "b"], [0.0, 1.0]], dtype=object),
            "must hold numbers; got an array of dtype object",
        ),
        (
            np.array([[1.0, 0.0], [0.0, 1.0]], dtype=object),
            "must hold numbers; got an array of dtype object",
        ),
        ([[1.0, 0.0], [0.0]], "must be an array of numbers; got list that NumPy"),
    ],
    ids=["str", "object-mixed", "object-numbers", "ragged"],
)
def test_l14_strings_objects_and_ragged_lists_are_type_errors(
    case, argument, bad, message
):
    y_pred, y_true = sample(case, (2, 2))
    args = {"y_pred": y_pred, "y_true": y_true, argument: bad}
    loss = case.make()

    with pytest.raises(TypeError, match=_where(loss) + f"{argument} " + message):
        loss.forward(args["y_pred"], args["y_true"])


@pytest.mark.parametrize("case", CASE_PARAMS)
@pytest.mark.parametrize("argument", ["y_pred", "y_true"])
def test_l15_complex_input_is_refused(case, argument):
    y_pred, y_true = sample(case, (2, 2))
    args = {"y_pred": y_pred, "y_true": y_true}
    args[argument] = args[argument].astype(np.complex128)
    loss = case.make()
    message = f"{argument} has complex dtype complex128; complex data is not supported"

    with pytest.raises(ValueError, match=_where(loss) + message):
        loss.forward(args["y_pred"], args["y_true"])


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_y_pred_must_be_two_dimensional(case):
    loss = case.make()
    message = "y_pred must be 2-D; got 1-D array of shape (3,); reshape with"

    with pytest.raises(ValueError, match=_where(loss) + re.escape(message)):
        loss.forward(np.full(3, 0.5), np.zeros(3))


# ---------------------------------------------------------------- dtypes


@pytest.mark.parametrize("case", CASE_PARAMS)
@pytest.mark.parametrize("target_dtype", [np.float32, np.float64])
def test_l12_float32_in_gives_float32_out(case, target_dtype):
    y_pred, y_true = sample(case, (4, 3))
    if y_true.dtype.kind == "f":
        y_true = y_true.astype(target_dtype)
    loss32, loss64 = case.make(), case.make()

    value32 = loss32.forward(y_pred.astype(np.float32), y_true)
    value64 = loss64.forward(y_pred, y_true)

    assert isinstance(value32, float)
    assert loss32.y_pred.dtype == loss32.y_true.dtype == np.float32
    grad32 = loss32.backward()
    assert grad32.dtype == np.float32
    np.testing.assert_allclose(value32, value64, rtol=1e-5)
    np.testing.assert_allclose(grad32, loss64.backward(), rtol=1e-4, atol=1e-6)
    if loss32.fused_activation is not None:
        assert loss32.fused_backward().dtype == np.float32


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_integer_predictions_are_computed_in_float64(case):
    y_pred, y_true = sample(case, (3, 2))
    loss = case.make()

    loss.forward((y_pred > 0.5).astype(np.int64), y_true)

    assert loss.backward().dtype == np.float64


# ---------------------------------------------------------------- constructors


@pytest.mark.parametrize(
    ("delta", "error", "message"),
    [
        (0, ValueError, r"Huber: delta must be in \(0\.0, inf[)\]]; got 0\.0"),
        (-1, ValueError, r"Huber: delta must be in \(0\.0, inf[)\]]; got -1\.0"),
        (np.nan, ValueError, r"Huber: delta must be finite; got nan"),
        (np.inf, ValueError, r"Huber: delta must be finite; got inf"),
        ("1", TypeError, "Huber: delta must be a real number; got '1' of type str"),
        (True, TypeError, "Huber: delta must be a real number; got True of type bool"),
        (None, TypeError, "Huber: delta must be a real number; got None"),
    ],
    ids=["zero", "negative", "nan", "inf", "str", "bool", "none"],
)
def test_huber_rejects_bad_delta(delta, error, message):
    with pytest.raises(error, match=message):
        Huber(delta=delta)


@pytest.mark.parametrize("delta", [2, 0.5, np.float32(0.25)])
def test_huber_accepts_positive_real_delta(delta):
    loss = Huber(delta=delta)

    assert loss.delta == float(delta)
    assert isinstance(loss.delta, float)
    assert repr(loss) == f"Huber(delta={float(delta)})"


@pytest.mark.parametrize("make", [BCE, CCE], ids=lambda make: make.__name__)
@pytest.mark.parametrize("from_logits", ["yes", 1, None, "False"])
def test_from_logits_must_be_a_bool(make, from_logits):
    message = f"{make.__name__}: from_logits must be a bool; got {from_logits!r}"

    with pytest.raises(TypeError, match=re.escape(message)):
        make(from_logits=from_logits)


@pytest.mark.parametrize("make", [BCE, CCE], ids=lambda make: make.__name__)
def test_repr_shows_from_logits(make):
    assert repr(make()) == f"{make.__name__}(from_logits=False)"
    assert repr(make(from_logits=True)) == f"{make.__name__}(from_logits=True)"


# ---------------------------------------------------------------- properties

_ELEMENTS = st.floats(
    -10.0,
    10.0,
    allow_nan=False,
    allow_infinity=False,
    allow_subnormal=False,
    width=64,
)
_SETTINGS = settings(deadline=None, max_examples=20)


@st.composite
def raw_inputs(draw, min_outputs=1):
    """Two raw arrays (for ``LossCase.build``) and a permutation of the rows."""
    n_samples = draw(st.integers(1, 8))
    n_outputs = draw(st.integers(min_outputs, 6))
    a = draw(arrays(np.float64, (n_samples, n_outputs), elements=_ELEMENTS))
    b = draw(arrays(np.float64, (n_samples, n_outputs), elements=_ELEMENTS))
    permutation = np.array(draw(st.permutations(range(n_samples))))
    return a, b, permutation


def _draw_case_inputs(case, data):
    a, b, permutation = data.draw(raw_inputs(case.min_outputs))
    y_pred, y_true = case.build(a, b)
    return y_pred, y_true, permutation


@pytest.mark.parametrize("case", CASE_PARAMS)
@_SETTINGS
@given(data=st.data())
def test_property_loss_is_non_negative_and_finite(case, data):
    y_pred, y_true, _ = _draw_case_inputs(case, data)

    with strict_errstate():
        value = case.make().forward(y_pred, y_true)

    assert np.isfinite(value)
    assert value >= 0.0


@pytest.mark.parametrize("case", REGRESSION_PARAMS)
@_SETTINGS
@given(data=st.data())
def test_property_loss_of_a_perfect_prediction_is_zero(case, data):
    y_pred, _, _ = _draw_case_inputs(case, data)
    loss = case.make()

    assert loss.forward(y_pred, y_pred.copy()) == 0.0
    np.testing.assert_array_equal(loss.backward(), np.zeros_like(y_pred))


@pytest.mark.parametrize("case", CASE_PARAMS)
@_SETTINGS
@given(data=st.data())
def test_property_backward_shape_and_reentrancy(case, data):
    # Same shape as y_pred; backward twice is bit-identical; nothing the
    # caller passed in is modified.
    y_pred, y_true, _ = _draw_case_inputs(case, data)
    y_pred_before, y_true_before = y_pred.copy(), y_true.copy()
    loss = case.make()

    loss.forward(y_pred, y_true)
    first = loss.backward()
    second = loss.backward()

    assert first.shape == y_pred.shape
    assert first.dtype == y_pred.dtype
    np.testing.assert_array_equal(first, second)
    assert first is not second
    np.testing.assert_array_equal(y_pred, y_pred_before)
    np.testing.assert_array_equal(y_true, y_true_before)


@pytest.mark.parametrize("case", CASE_PARAMS)
@_SETTINGS
@given(data=st.data())
def test_property_batch_order_does_not_matter(case, data):
    y_pred, y_true, permutation = _draw_case_inputs(case, data)
    loss, shuffled = case.make(), case.make()

    value = loss.forward(y_pred, y_true)
    value_shuffled = shuffled.forward(y_pred[permutation], y_true[permutation])

    np.testing.assert_allclose(value_shuffled, value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        shuffled.backward(), loss.backward()[permutation], rtol=1e-12, atol=1e-15
    )


# ---------------------------------------------------------------- sample weights


def test_sample_weights_hand_worked_mse():
    # Per-sample MSE: row 0 -> ((1-0)^2 + (2-0)^2) / 2 = 2.5, row 1 -> 0.
    # Weights [2, 1]: L = (2 * 2.5 + 1 * 0) / 2 = 2.5.
    # Gradient row 0: 2 * 2 * (p - y) / (2 * 2) = [1, 2]; row 1: 0.
    loss = MSE()
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    y_true = np.array([[0.0, 0.0], [3.0, 4.0]])
    assert loss.forward(y_pred, y_true, sample_weight=[2.0, 1.0]) == 2.5
    np.testing.assert_allclose(loss.backward(), [[1.0, 2.0], [0.0, 0.0]])


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_unit_weights_change_nothing_and_weights_scale_rows(case):
    rng = np.random.default_rng(3)
    loss = case.make()
    y_pred, y_true = case.build(rng.uniform(-2, 2, (6, 3)), rng.uniform(0, 1, (6, 3)))
    plain = loss.forward(y_pred, y_true)
    plain_grad = loss.backward()
    assert loss.forward(y_pred, y_true, sample_weight=np.ones(6)) == pytest.approx(
        plain, rel=1e-12
    )
    weights = rng.uniform(0, 3, 6)
    weighted = loss.forward(y_pred, y_true, sample_weight=weights)
    np.testing.assert_allclose(loss.backward(), plain_grad * weights[:, None])
    assert np.isfinite(weighted)


def test_weighted_loss_passes_the_gradient_check():
    rng = np.random.default_rng(4)
    y_pred = rng.uniform(0.1, 0.9, (5, 3))
    y_true = np.eye(3)[rng.integers(0, 3, 5)]
    weights = rng.uniform(0.5, 2.0, 5)

    class WeightedCCE(CCE):
        def forward(self, y_pred, y_true, sample_weight=None):
            return super().forward(y_pred, y_true, sample_weight=weights)

    assert check_gradients(WeightedCCE(), y_pred, y_true, verbose=False).passed


@pytest.mark.parametrize(
    ("weights", "error", "pattern"),
    [
        ([1.0, 2.0], ValueError, r"MSE\.forward: sample_weight must have shape \(3,\)"),
        (
            [1.0, -1.0, 1.0],
            ValueError,
            r"sample_weight must be >= 0; got a weight of -1",
        ),
        ([1.0, np.nan, 1.0], ValueError, r"sample_weight contains NaN"),
        (["a", "b", "c"], TypeError, r"sample_weight must hold numbers"),
    ],
)
def test_bad_sample_weights(weights, error, pattern):
    with pytest.raises(error, match=pattern):
        MSE().forward(np.zeros((3, 1)), np.zeros((3, 1)), sample_weight=weights)
