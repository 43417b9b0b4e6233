"""Tests for nnfs.optimizers: SGD, Adam, AdamW, RMSprop, Adagrad and clipping.

The catalogue cases O1-O7 of RELIABILITY.md (b) are named in the test names.
"""

import copy
import json
import re
import tracemalloc

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import array_shapes, arrays

from nnfs.optimizers import SGD, Adagrad, Adam, AdamW, BaseOptimizer, RMSprop

# Quadratic f(w) = 0.5 * a * w**2 with gradient a * w; two independent
# entries so that the update is checked element-wise.
A = np.array([2.0, 0.5])
W0 = np.array([1.0, -2.0])


def quadratic_steps(optimizer, n_steps, param_id="w"):
    """Run ``n_steps`` updates on the quadratic and return every iterate."""
    w = W0.copy()
    iterates = []
    for _ in range(n_steps):
        optimizer.update(param_id, w, A * w)
        iterates.append(w.copy())
    return iterates


# ---------------------------------------------------------------- O7 closed form


def test_sgd_momentum_closed_form_o7():
    # lr = 0.1, momentum = 0.9, v0 = 0; v = 0.9 v + g; w = w - 0.1 v.
    # Entry 0 (a = 2, w0 = 1):
    #   g1 = 2 * 1     = 2      v1 = 2                  w1 = 1 - 0.2     = 0.8
    #   g2 = 2 * 0.8   = 1.6    v2 = 0.9 * 2 + 1.6 = 3.4 w2 = 0.8 - 0.34 = 0.46
    #   g3 = 2 * 0.46  = 0.92   v3 = 3.06 + 0.92 = 3.98  w3 = 0.46 - 0.398 = 0.062
    # Entry 1 (a = 0.5, w0 = -2):
    #   g1 = -1                 v1 = -1                 w1 = -2 + 0.1    = -1.9
    #   g2 = -0.95              v2 = -0.9 - 0.95 = -1.85 w2 = -1.9 + 0.185 = -1.715
    #   g3 = -0.8575            v3 = -1.665 - 0.8575 = -2.5225
    #                                                   w3 = -1.715 + 0.25225 = -1.46275
    w1, w2, w3 = quadratic_steps(SGD(lr=0.1, momentum=0.9), 3)
    np.testing.assert_allclose(w1, [0.8, -1.9], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w2, [0.46, -1.715], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w3, [0.062, -1.46275], rtol=0, atol=1e-12)


def test_sgd_nesterov_closed_form_o7():
    # lr = 0.1, momentum = 0.9; v = 0.9 v + g; w = w - 0.1 (g + 0.9 v).
    # Entry 0 (a = 2, w0 = 1):
    #   g1 = 2      v1 = 2      w1 = 1 - 0.1 (2 + 1.8)          = 0.62
    #   g2 = 1.24   v2 = 1.8 + 1.24 = 3.04
    #               w2 = 0.62 - 0.1 (1.24 + 2.736)              = 0.2224
    #   g3 = 0.4448 v3 = 2.736 + 0.4448 = 3.1808
    #               w3 = 0.2224 - 0.1 (0.4448 + 2.86272)        = -0.108352
    # Entry 1 (a = 0.5, w0 = -2):
    #   g1 = -1     v1 = -1     w1 = -2 + 0.1 (1 + 0.9)         = -1.81
    #   g2 = -0.905 v2 = -0.9 - 0.905 = -1.805
    #               w2 = -1.81 + 0.1 (0.905 + 1.6245)           = -1.55705
    #   g3 = -0.778525  v3 = -1.6245 - 0.778525 = -2.403025
    #               w3 = -1.55705 + 0.1 (0.778525 + 2.1627225)  = -1.26292525
    w1, w2, w3 = quadratic_steps(SGD(lr=0.1, momentum=0.9, nesterov=True), 3)
    np.testing.assert_allclose(w1, [0.62, -1.81], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w2, [0.2224, -1.55705], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w3, [-0.108352, -1.26292525], rtol=0, atol=1e-12)


def test_sgd_without_momentum_closed_form_o7():
    # lr = 0.1: w = w - 0.1 a w = (1 - 0.1 a) w.
    # Entry 0: factor 0.8  -> 0.8, 0.64, 0.512.
    # Entry 1: factor 0.95 -> -1.9, -1.805, -1.71475.
    optimizer = SGD(lr=0.1, momentum=0.0)
    w1, w2, w3 = quadratic_steps(optimizer, 3)
    np.testing.assert_allclose(w1, [0.8, -1.9], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w2, [0.64, -1.805], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w3, [0.512, -1.71475], rtol=0, atol=1e-12)
    assert optimizer.state == {}  # plain SGD keeps no velocity


def test_sgd_default_hyperparameters():
    optimizer = SGD()
    assert (optimizer.lr, optimizer.momentum, optimizer.nesterov) == (0.01, 0.0, False)
    assert isinstance(optimizer, BaseOptimizer)
    assert repr(optimizer) == "SGD(lr=0.01, momentum=0.0, nesterov=False)"


def test_sgd_converges_on_quadratic():
    # 200 momentum steps shrink |w| on a well-conditioned quadratic.
    w = quadratic_steps(SGD(lr=0.1, momentum=0.5), 200)[-1]
    np.testing.assert_allclose(w, [0.0, 0.0], atol=1e-6)


# ---------------------------------------------------------------- O1-O2 arguments


@pytest.mark.parametrize(
    ("lr", "error", "message"),
    [
        # (The interval's right bracket is not checked: inf is excluded anyway.)
        (0.0, ValueError, r"SGD: lr must be in \(0\.0, inf.; got 0\.0"),
        (-0.1, ValueError, r"SGD: lr must be in \(0\.0, inf.; got -0\.1"),
        (float("nan"), ValueError, r"SGD: lr must be finite; got nan"),
        (float("inf"), ValueError, r"SGD: lr must be finite; got inf"),
        (-float("inf"), ValueError, r"SGD: lr must be finite; got -inf"),
        ("0.1", TypeError, r"SGD: lr must be a real number; got '0\.1'"),
        (None, TypeError, r"SGD: lr must be a real number; got None"),
        (True, TypeError, r"SGD: lr must be a real number; got True"),
    ],
)
def test_sgd_rejects_bad_learning_rate_o1(lr, error, message):
    with pytest.raises(error, match=message):
        SGD(lr=lr)


@pytest.mark.parametrize("momentum", [-0.5, 1.0, 1.5])
def test_sgd_rejects_momentum_outside_unit_interval_o2(momentum):
    with pytest.raises(
        ValueError,
        match=r"SGD: momentum must be in \[0\.0, 1\.0\); got "
        + re.escape(repr(momentum)),
    ):
        SGD(momentum=momentum)


@pytest.mark.parametrize(
    ("momentum", "error"), [(float("nan"), ValueError), ("0.9", TypeError)]
)
def test_sgd_rejects_non_finite_or_string_momentum_o2(momentum, error):
    with pytest.raises(error, match=r"SGD: momentum must be"):
        SGD(momentum=momentum)


def test_sgd_nesterov_needs_momentum():
    with pytest.raises(ValueError, match=r"SGD: nesterov=True needs momentum > 0"):
        SGD(lr=0.1, nesterov=True)


def test_sgd_nesterov_must_be_bool():
    with pytest.raises(TypeError, match=r"SGD: nesterov must be a bool; got 1"):
        SGD(momentum=0.9, nesterov=1)


def test_base_optimizer_is_abstract():
    with pytest.raises(TypeError):
        BaseOptimizer()


# ---------------------------------------------------------------- O3-O6 update


@pytest.mark.parametrize("parameters", [[1.0, 2.0], (1.0, 2.0), 3.0, None])
def test_update_rejects_non_array_parameters_o3(parameters):
    with pytest.raises(
        TypeError,
        match=r"'dense_0\.W'.*parameters must be a numpy\.ndarray; got "
        + type(parameters).__name__,
    ):
        SGD(lr=0.1).update("dense_0.W", parameters, np.ones(2))


def test_step_rejects_a_bare_array_instead_of_a_list_o3():
    with pytest.raises(
        TypeError, match=r"SGD\.step: params must be a list of .*; got ndarray"
    ):
        SGD(lr=0.1).step(np.ones((3, 3)))


def test_step_rejects_malformed_entries_o3():
    with pytest.raises(TypeError, match=r"SGD\.step: params\[1\] must be a"):
        SGD(lr=0.1).step([("a", np.ones(2), np.ones(2)), np.ones(2)])


def test_step_rejects_duplicate_param_ids_o3():
    w, v = np.ones(2), np.ones(2)
    optimizer = SGD(lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"SGD\.step: param_id 'dense_0\.W' appears"):
        optimizer.step([("dense_0.W", w, np.ones(2)), ("dense_0.W", v, np.ones(2))])
    np.testing.assert_array_equal(w, 1.0)
    np.testing.assert_array_equal(v, 1.0)
    assert optimizer.state == {}


def test_step_rejects_the_same_array_twice_o3():
    w = np.ones(2)
    with pytest.raises(ValueError, match=r"SGD\.step: .*'b'.*same array as 'a'"):
        SGD(lr=0.1).step([("a", w, np.ones(2)), ("b", w, np.ones(2))])
    np.testing.assert_array_equal(w, 1.0)


def test_step_rejects_an_empty_list_o3():
    optimizer = SGD(lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"SGD.step: params is empty; expected at"):
        optimizer.step([])
    assert optimizer.state == {}


@pytest.mark.parametrize("grad_shape", [(3, 2), (2,), (1, 3), (2, 3, 1)])
def test_update_rejects_gradient_of_another_shape_o4(grad_shape):
    w = np.ones((2, 3))
    with pytest.raises(
        ValueError,
        match=r"'dense_4\.W'.*gradients must have the parameter shape \(2, 3\); got "
        + re.escape(str(grad_shape)),
    ):
        SGD(lr=0.1).update("dense_4.W", w, np.ones(grad_shape))
    np.testing.assert_array_equal(w, 1.0)


def test_update_rejects_non_array_gradient_o4():
    with pytest.raises(ValueError, match=r"'dense_0\.b'.*got list"):
        SGD(lr=0.1).update("dense_0.b", np.ones(2), [1.0, 1.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_update_rejects_non_finite_gradient_and_leaves_parameters_o5(bad, momentum):
    optimizer = SGD(lr=0.1, momentum=momentum)
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    optimizer.update("dense_2.W", w, np.ones_like(w))  # creates the velocity
    w_before = w.copy()
    state_before = {k: v["velocity"].copy() for k, v in optimizer.state.items()}
    grad = np.ones_like(w)
    grad[1, 0] = bad
    with pytest.raises(
        FloatingPointError,
        match=r"'dense_2\.W'.*NaN or infinity; parameters were left unchanged",
    ):
        optimizer.update("dense_2.W", w, grad)
    np.testing.assert_array_equal(w, w_before)
    for key, velocity in state_before.items():
        np.testing.assert_array_equal(optimizer.state[key]["velocity"], velocity)


def test_update_accepts_gradient_whose_sum_overflows_but_is_finite_o5():
    # The sum overflows to inf although every entry is finite: must pass.
    big = np.finfo(np.float64).max
    w = np.zeros(2)
    SGD(lr=1e-310).update("w", w, np.array([big, big]))
    assert np.isfinite(w).all()


def test_step_with_one_bad_gradient_updates_nothing_o5():
    optimizer = SGD(lr=0.1, momentum=0.9)
    params = [np.ones((2, 2)), np.ones((1, 2)), np.ones((2, 1))]
    grads = [np.full((2, 2), 0.5), np.full((1, 2), 0.5), np.full((2, 1), np.nan)]
    ids = ["dense_0.W", "dense_0.b", "dense_2.W"]
    with pytest.raises(FloatingPointError, match=r"'dense_2\.W'"):
        optimizer.step(list(zip(ids, params, grads, strict=True)))
    for param in params:
        np.testing.assert_array_equal(param, 1.0)
    assert optimizer.state == {}


def test_step_applies_every_update_when_all_gradients_are_valid():
    optimizer = SGD(lr=0.1)
    params = [np.ones((2, 2)), np.ones((1, 2))]
    grads = [np.full((2, 2), 0.5), np.full((1, 2), 2.0)]
    optimizer.step([("a", params[0], grads[0]), ("b", params[1], grads[1])])
    np.testing.assert_allclose(params[0], 0.95, rtol=0, atol=1e-15)  # 1 - 0.05
    np.testing.assert_allclose(params[1], 0.8, rtol=0, atol=1e-15)  # 1 - 0.2


def test_update_without_gradient_raises_o6():
    w = np.ones(3)
    with pytest.raises(
        RuntimeError, match=r"'dense_0\.W'.*no gradient has been computed"
    ):
        SGD(lr=0.1).update("dense_0.W", w, None)
    np.testing.assert_array_equal(w, 1.0)


def test_step_without_gradient_raises_o6():
    w = np.ones(3)
    with pytest.raises(RuntimeError, match=r"no gradient has been computed"):
        SGD(lr=0.1).step([("a", np.ones(2), np.ones(2)), ("b", w, None)])
    np.testing.assert_array_equal(w, 1.0)


# ---------------------------------------------------------------- state and dtype


def test_state_is_keyed_by_param_id():
    # Two parameters with identical values and gradients but distinct ids: the
    # second one's first step must not see the first one's velocity.
    optimizer = SGD(lr=0.1, momentum=0.9)
    a, b = W0.copy(), W0.copy()
    optimizer.update("dense_0.W", a, A * a)
    optimizer.update("dense_0.W", a, A * a)
    optimizer.update("dense_2.W", b, A * b)
    assert set(optimizer.state) == {"dense_0.W", "dense_2.W"}
    np.testing.assert_allclose(a, [0.46, -1.715], rtol=0, atol=1e-12)  # 2 steps
    np.testing.assert_allclose(b, [0.8, -1.9], rtol=0, atol=1e-12)  # 1 step
    # v1 = g1 for b: a * w0 = [2, -1].
    np.testing.assert_allclose(optimizer.state["dense_2.W"]["velocity"], [2.0, -1.0])
    velocity_a = optimizer.state["dense_0.W"]["velocity"]
    assert not np.shares_memory(velocity_a, optimizer.state["dense_2.W"]["velocity"])


def test_same_array_under_new_id_starts_fresh_velocity():
    optimizer = SGD(lr=0.1, momentum=0.9)
    w = W0.copy()
    optimizer.update("first", w, A * w)
    optimizer.update("second", w, A * w)  # v = g only: w1 - 0.1 * a * w1
    np.testing.assert_allclose(w, [0.8 - 0.16, -1.9 + 0.095], rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("momentum", "nesterov"), [(0.0, False), (0.9, False), (0.9, True)]
)
def test_float32_parameters_stay_float32(momentum, nesterov):
    optimizer = SGD(lr=0.1, momentum=momentum, nesterov=nesterov)
    w = np.ones((3, 2), dtype=np.float32)
    for grad_dtype in (np.float32, np.float64):
        optimizer.update("dense_0.W", w, np.full((3, 2), 0.5, dtype=grad_dtype))
        assert w.dtype == np.float32
    for state in optimizer.state.values():
        assert state["velocity"].dtype == np.float32


def test_float32_update_matches_float64_closely():
    w64 = np.array([0.3, -1.7, 2.5])
    w32 = w64.astype(np.float32)
    opt64, opt32 = SGD(lr=0.05, momentum=0.9), SGD(lr=0.05, momentum=0.9)
    for _ in range(5):
        opt64.update("w", w64, 3.0 * w64)
        opt32.update("w", w32, np.float32(3.0) * w32)
    np.testing.assert_allclose(w32, w64, rtol=1e-5, atol=1e-6)


def test_update_works_on_non_contiguous_view():
    matrix = np.ones((4, 4))
    view = matrix[:, ::2]
    SGD(lr=0.5).update("view", view, np.ones_like(view))
    np.testing.assert_array_equal(matrix[:, ::2], 0.5)
    np.testing.assert_array_equal(matrix[:, 1::2], 1.0)


# ---------------------------------------------------------------- PyTorch reference


@pytest.mark.parametrize(
    ("momentum", "nesterov"), [(0.0, False), (0.9, False), (0.9, True), (0.5, True)]
)
def test_sgd_matches_torch(momentum, nesterov):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    # Quadratic 0.5 w^T H w with H symmetric positive definite.
    M = rng.standard_normal((4, 4))
    H = M @ M.T / 4 + np.eye(4)
    w_ours = rng.standard_normal((4, 1))
    w_torch = torch.tensor(w_ours.copy(), dtype=torch.float64, requires_grad=True)
    H_torch = torch.tensor(H, dtype=torch.float64)
    ours = SGD(lr=0.05, momentum=momentum, nesterov=nesterov)
    theirs = torch.optim.SGD([w_torch], lr=0.05, momentum=momentum, nesterov=nesterov)
    for step in range(10):
        ours.update("w", w_ours, H @ w_ours)
        theirs.zero_grad()
        loss = 0.5 * (w_torch.T @ H_torch @ w_torch).sum()
        loss.backward()
        theirs.step()
        np.testing.assert_allclose(
            w_ours,
            w_torch.detach().numpy(),
            rtol=1e-12,
            atol=1e-12,
            err_msg=f"step {step + 1}: ours vs torch.optim.SGD",
        )


# ================================================================ weight decay, Adam,
# AdamW, RMSprop, Adagrad: hand-worked first three steps on the quadratic above
# (f = 0.5 a w^2, g = a w; entry 0: a = 2, w0 = 1; entry 1: a = 0.5, w0 = -2).
# Intermediate values are shown to 10 digits; the expected iterates were
# carried to 17.


def test_sgd_weight_decay_closed_form():
    # lr = 0.1, momentum = 0.9, weight_decay = 0.1: g' = g + 0.1 w = (a + 0.1) w;
    # v = 0.9 v + g'; w = w - 0.1 v.
    # Entry 0 (a + 0.1 = 2.1, w0 = 1):
    #   g1' = 2.1                 v1 = 2.1                    w1 = 1 - 0.21 = 0.79
    #   g2' = 2.1 * 0.79 = 1.659  v2 = 1.89 + 1.659 = 3.549   w2 = 0.79 - 0.3549
    #                                                            = 0.4351
    #   g3' = 0.91371             v3 = 3.1941 + 0.91371 = 4.10781
    #                                                         w3 = 0.4351 - 0.410781
    #                                                            = 0.024319
    # Entry 1 (a + 0.1 = 0.6, w0 = -2):
    #   g1' = -1.2                v1 = -1.2                   w1 = -2 + 0.12 = -1.88
    #   g2' = -1.128              v2 = -1.08 - 1.128 = -2.208 w2 = -1.88 + 0.2208
    #                                                            = -1.6592
    #   g3' = -0.99552            v3 = -1.9872 - 0.99552 = -2.98272
    #                                                         w3 = -1.6592 + 0.298272
    #                                                            = -1.360928
    w1, w2, w3 = quadratic_steps(SGD(lr=0.1, momentum=0.9, weight_decay=0.1), 3)
    np.testing.assert_allclose(w1, [0.79, -1.88], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w2, [0.4351, -1.6592], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w3, [0.024319, -1.360928], rtol=0, atol=1e-12)


def test_sgd_weight_decay_without_momentum_closed_form():
    # lr = 0.5, weight_decay = 0.2: w = w - 0.5 (a + 0.2) w.
    # Entry 0: factor 1 - 0.5 * 2.2 = -0.1   -> -0.1, 0.01, -0.001.
    # Entry 1: factor 1 - 0.5 * 0.7 = 0.65   -> -1.3, -0.845, -0.54925.
    optimizer = SGD(lr=0.5, weight_decay=0.2)
    w1, w2, w3 = quadratic_steps(optimizer, 3)
    np.testing.assert_allclose(w1, [-0.1, -1.3], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w2, [0.01, -0.845], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w3, [-0.001, -0.54925], rtol=0, atol=1e-12)
    assert optimizer.state == {}


def test_adam_closed_form():
    # lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8:
    #   m = 0.9 m + 0.1 g;  v = 0.999 v + 0.001 g^2
    #   m_hat = m / (1 - 0.9^t);  v_hat = v / (1 - 0.999^t)
    #   w = w - 0.1 m_hat / (sqrt(v_hat) + 1e-8)
    # Entry 0 (a = 2, w0 = 1):
    #   t=1: g = 2, m = 0.2, v = 0.004, m_hat = 0.2 / 0.1 = 2,
    #        sqrt(v_hat) = sqrt(0.004 / 0.001) = 2
    #        w1 = 1 - 0.1 * 2 / (2 + 1e-8) = 0.90000000049999995
    #   t=2: g = 1.800000001, m = 0.18 + 0.1800000001 = 0.3600000001,
    #        v = 0.003996 + 0.003240000004 = 0.007236000004
    #        m_hat = 0.3600000001 / 0.19 = 1.894736843,
    #        sqrt(v_hat) = sqrt(0.007236000004 / 0.001999) = 1.902579803
    #        w2 = w1 - 0.1 * 1.894736843 / 1.902579813 = 0.80041222869179218
    #   t=3: g = 1.600824457, m = 0.4840824458, v = 0.009791402947
    #        m_hat = m / 0.271 = 1.786282088,
    #        sqrt(v_hat) = sqrt(v / 0.002997001) = 1.807502963
    #        w3 = w2 - 0.1 * 1.786282088 / 1.807502973 = 0.7015862729460296
    # Entry 1 (a = 0.5, w0 = -2):
    #   t=1: g = -1, m = -0.1, v = 0.001, m_hat = -1, sqrt(v_hat) = 1
    #        w1 = -2 + 0.1 / (1 + 1e-8) = -1.900000001
    #   t=2: g = -0.9500000005, m = -0.1850000001, v = 0.001901500001
    #        m_hat = -0.9736842108, sqrt(v_hat) = 0.9753079582
    #        w2 = w1 + 0.1 * 0.9736842108 / 0.9753079682 = -1.8001664876318755
    #   t=3: g = -0.9000832438, m = -0.2565083244, v = 0.002709748347
    #        m_hat = -0.9465251824, sqrt(v_hat) = 0.9508697602
    #        w3 = w2 + 0.1 * 0.9465251824 / 0.9508697702 = -1.7006233943434106
    optimizer = Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    w1, w2, w3 = quadratic_steps(optimizer, 3)
    np.testing.assert_allclose(
        w1, [0.90000000049999995, -1.900000001], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w2, [0.80041222869179218, -1.8001664876318755], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.7015862729460296, -1.7006233943434106], rtol=0, atol=1e-12
    )
    state = optimizer.state["w"]
    assert state["step"].shape == () and state["step"].dtype == np.int64
    assert int(state["step"]) == 3
    np.testing.assert_allclose(
        state["m"], [0.4840824458, -0.2565083244], rtol=1e-9, atol=0
    )


def test_adam_l2_weight_decay_closed_form():
    # Adam with weight_decay = 0.5 adds 0.5 w to the gradient (torch.optim.Adam):
    # g' = (a + 0.5) w; then the rule of test_adam_closed_form with g'.
    # Entry 0 (a + 0.5 = 2.5, w0 = 1):
    #   t=1: g' = 2.5, m = 0.25, v = 0.00625, m_hat = 2.5, sqrt(v_hat) = 2.5
    #        w1 = 1 - 0.1 * 2.5 / (2.5 + 1e-8) = 0.90000000039999994
    #   t=2: g' = 2.250000001, m = 0.4500000001, v = 0.01130625
    #        m_hat = 2.368421053, sqrt(v_hat) = 2.378224754
    #        w2 = w1 - 0.1 * 2.368421053 / 2.378224764 = 0.80041222848768312
    #   t=3: g' = 2.001030571, m = 0.6051030572, v = 0.0152990671
    #        m_hat = 2.23285261, sqrt(v_hat) = 2.259378703
    #        w3 = w2 - 0.1 * 2.23285261 / 2.259378713 = 0.70158627263435258
    # Entry 1 (a + 0.5 = 1, w0 = -2):
    #   t=1: g' = -2, m_hat = -2, sqrt(v_hat) = 2, w1 = -1.9000000005
    #   t=2: g' = -1.9, m = -0.37, v = 0.007606000002
    #        m_hat = -1.947368421, sqrt(v_hat) = 1.950615916
    #        w2 = w1 + 0.1 * 1.947368421 / 1.950615926 = -1.8001664866210922
    #   t=3: g' = -1.800166487, m = -0.5130166487, v = 0.01083899338
    #        m_hat = -1.893050364, sqrt(v_hat) = 1.90173952
    #        w3 = w2 + 0.1 * 1.893050364 / 1.90173953 = -1.7006233928121133
    w1, w2, w3 = quadratic_steps(Adam(lr=0.1, weight_decay=0.5), 3)
    np.testing.assert_allclose(
        w1, [0.90000000039999994, -1.9000000005], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w2, [0.80041222848768312, -1.8001664866210922], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.70158627263435258, -1.7006233928121133], rtol=0, atol=1e-12
    )


def test_adamw_closed_form():
    # lr = 0.1, weight_decay = 0.5 (decoupled): first w = w (1 - 0.1 * 0.5)
    # = 0.95 w, then the Adam step with the gradient g = a w taken BEFORE the
    # decay (as torch.optim.AdamW).
    # Entry 0 (a = 2, w0 = 1):
    #   t=1: g = 2, m_hat = 2, sqrt(v_hat) = 2
    #        w1 = 0.95 - 0.1 * 2 / (2 + 1e-8) = 0.85000000050000002
    #   t=2: g = 2 w1 = 1.700000001, m = 0.3500000001, v = 0.006886000003
    #        m_hat = 1.842105264, sqrt(v_hat) = 1.855996326
    #        w2 = 0.95 w1 - 0.1 * 1.842105264 / 1.855996336 = 0.70824844335974468
    #   t=3: g = 1.416496887, m = 0.4566496888, v = 0.008885577433
    #        m_hat = 1.685054202, sqrt(v_hat) = 1.721866133
    #        w3 = 0.95 w2 - 0.1 * 1.685054202 / 1.721866143 = 0.57497393074159608
    # Entry 1 (a = 0.5, w0 = -2):
    #   t=1: g = -1, w1 = -1.9 + 0.1 / (1 + 1e-8) = -1.8000000009999999
    #   t=2: g = -0.9000000005, m = -0.18, v = 0.001809000001
    #        m_hat = -0.9473684213, sqrt(v_hat) = 0.9512899015
    #        w2 = 0.95 w1 + 0.1 * 0.9473684213 / 0.9512899115 = -1.6104122296652277
    #   t=3: g = -0.8052061148, m = -0.2425206115, v = 0.002455547888
    #        m_hat = -0.8949100056, sqrt(v_hat) = 0.9051712681
    #        w3 = 0.95 w2 + 0.1 * 0.8949100056 / 0.9051712781 = -1.4310252458996242
    w1, w2, w3 = quadratic_steps(AdamW(lr=0.1, weight_decay=0.5), 3)
    np.testing.assert_allclose(
        w1, [0.85000000050000002, -1.8000000009999999], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w2, [0.70824844335974468, -1.6104122296652277], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.57497393074159608, -1.4310252458996242], rtol=0, atol=1e-12
    )


def test_adamw_without_decay_equals_adam():
    adam = quadratic_steps(Adam(lr=0.1), 5)
    adamw = quadratic_steps(AdamW(lr=0.1, weight_decay=0.0), 5)
    np.testing.assert_array_equal(adam, adamw)


def test_rmsprop_closed_form():
    # lr = 0.01, alpha = 0.99, eps = 1e-8:
    #   s = 0.99 s + 0.01 g^2;  w = w - 0.01 g / (sqrt(s) + 1e-8)
    # Entry 0 (a = 2, w0 = 1):
    #   t=1: g = 2, s = 0.04, denom = 0.2 + 1e-8 = 0.20000001
    #        w1 = 1 - 0.01 * 2 / 0.20000001 = 0.90000000499999977
    #   t=2: g = 1.80000001, s = 0.0396 + 0.0324000036 = 0.07200000036,
    #        denom = 0.268328168
    #        w2 = w1 - 0.01 * 1.80000001 / 0.268328168 = 0.83291796797003304
    #   t=3: g = 1.665835936, s = 0.09903009401, denom = 0.3146904833
    #        w3 = w2 - 0.01 * 1.665835936 / 0.3146904833 = 0.779982273243635
    # Entry 1 (a = 0.5, w0 = -2):
    #   t=1: g = -1, s = 0.01, denom = 0.10000001
    #        w1 = -2 + 0.01 / 0.10000001 = -1.900000009999999
    #   t=2: g = -0.950000005, s = 0.01892500009, denom = 0.1375681753
    #        w2 = -1.830943340232126
    #   t=3: g = -0.9154716701, s = 0.02711663388, denom = 0.1646713004
    #        w3 = -1.775349459094733
    optimizer = RMSprop(lr=0.01, alpha=0.99, eps=1e-8)
    w1, w2, w3 = quadratic_steps(optimizer, 3)
    np.testing.assert_allclose(
        w1, [0.90000000499999977, -1.900000009999999], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w2, [0.83291796797003304, -1.830943340232126], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.779982273243635, -1.775349459094733], rtol=0, atol=1e-12
    )
    assert set(optimizer.state["w"]) == {"square_avg"}


def test_rmsprop_centered_with_momentum_closed_form():
    # lr = 0.01, alpha = 0.9, eps = 1e-8, momentum = 0.5, centered:
    #   s = 0.9 s + 0.1 g^2;  ga = 0.9 ga + 0.1 g;  denom = sqrt(s - ga^2) + 1e-8
    #   vel = 0.5 vel + g / denom;  w = w - 0.01 vel
    # Entry 0 (a = 2, w0 = 1):
    #   t=1: g = 2, s = 0.4, ga = 0.2, denom = sqrt(0.4 - 0.04) + 1e-8 = 0.60000001
    #        vel = 2 / 0.60000001 = 3.333333278, w1 = 0.96666666722222216
    #   t=2: g = 1.933333334, s = 0.7337777782, ga = 0.3733333334,
    #        denom = sqrt(0.7337777782 - 0.1393777779) + 1e-8 = 0.7709734209
    #        vel = 1.666666639 + 2.507666381 = 4.17431902, w2 = 0.92492347702612221
    #   t=3: g = 1.849846954, s = 1.002593376, ga = 0.5209846955,
    #        denom = 0.8550838204, vel = 4.250511113, w3 = 0.88241836589188338
    # Entry 1 (a = 0.5, w0 = -2):
    #   t=1: g = -1, s = 0.1, ga = -0.1, denom = sqrt(0.09) + 1e-8 = 0.30000001
    #        vel = -3.333333222, w1 = -1.9666666677777778
    #   t=2: g = -0.9833333339, s = 0.1866944446, ga = -0.1883333334,
    #        denom = 0.3888765972, vel = -4.195317965, w2 = -1.9247134881321148
    #   t=3: g = -0.9623567441, s = 0.2606380504, ga = -0.2657356745,
    #        denom = 0.4359158295, vel = -4.305325414, w3 = -1.8816602339877695
    optimizer = RMSprop(lr=0.01, alpha=0.9, eps=1e-8, momentum=0.5, centered=True)
    w1, w2, w3 = quadratic_steps(optimizer, 3)
    np.testing.assert_allclose(
        w1, [0.96666666722222216, -1.9666666677777778], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w2, [0.92492347702612221, -1.9247134881321148], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.88241836589188338, -1.8816602339877695], rtol=0, atol=1e-12
    )
    assert set(optimizer.state["w"]) == {"square_avg", "grad_avg", "velocity"}


def test_rmsprop_centered_variance_never_goes_negative():
    # A constant gradient makes s - ga^2 = (1 - 0.5^t) 0.5^t g^2, which rounds
    # to 0 or below once 0.5^t is tiny: the clamp keeps sqrt away from NaN.
    optimizer = RMSprop(lr=0.01, alpha=0.5, centered=True)
    w = np.array([0.0, 0.0])
    for _ in range(80):
        optimizer.update("w", w, np.array([0.1, 3.0]))
    assert np.isfinite(w).all()


def test_adagrad_closed_form():
    # lr = 0.5, eps = 1e-10, sum_sq starts at 0:
    #   sum_sq = sum_sq + g^2;  w = w - 0.5 g / (sqrt(sum_sq) + 1e-10)
    # Entry 0 (a = 2, w0 = 1):
    #   t=1: g = 2, sum_sq = 4, w1 = 1 - 0.5 * 2 / (2 + 1e-10) = 0.500000000025
    #   t=2: g = 1.00000000005, sum_sq = 5.0000000001, sqrt = 2.236067978
    #        w2 = w1 - 0.5 * 1.00000000005 / 2.236067978 = 0.27639320227607678
    #   t=3: g = 0.5527864046, sum_sq = 5.305572809, sqrt = 2.303382906
    #        w3 = w2 - 0.5 * 0.5527864046 / 2.303382906 = 0.15639873604594762
    # Entry 1 (a = 0.5, w0 = -2):
    #   t=1: g = -1, sum_sq = 1, w1 = -2 + 0.5 / (1 + 1e-10) = -1.50000000005
    #   t=2: g = -0.750000000025, sum_sq = 1.5625000000375, sqrt = 1.250000000015
    #        w2 = w1 + 0.5 * 0.75 / 1.25 (+ eps terms) = -1.2000000000676001
    #   t=3: g = -0.6, sum_sq = 1.9225, sqrt = 1.386542463
    #        w3 = w2 + 0.5 * 0.6 / 1.386542463 = -0.98363446628302298
    optimizer = Adagrad(lr=0.5, eps=1e-10)
    w1, w2, w3 = quadratic_steps(optimizer, 3)
    np.testing.assert_allclose(w1, [0.500000000025, -1.50000000005], rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        w2, [0.27639320227607678, -1.2000000000676001], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.15639873604594762, -0.98363446628302298], rtol=0, atol=1e-12
    )


def test_adagrad_initial_accumulator_closed_form():
    # lr = 0.5, eps = 1e-10, sum_sq starts at 12:
    # Entry 0: t=1: g = 2, sum_sq = 16, w1 = 1 - 0.5 * 2 / 4 = 0.75000000000625
    #          t=2: g = 1.5, sum_sq = 18.25, sqrt = 4.272001873
    #               w2 = 0.75 - 0.5 * 1.5 / 4.272001873 = 0.57443827921488111
    #          t=3: g = 1.148876558, sum_sq = 19.56991735, sqrt = 4.42378993
    #               w3 = 0.44458620932335075
    # Entry 1: t=1: g = -1, sum_sq = 13, sqrt = 3.605551276
    #               w1 = -2 + 0.5 / 3.605551276 = -1.8613249509475389
    #          t=2: g = -0.9306624755, sum_sq = 13.86613264, sqrt = 3.72372564
    #               w2 = -1.7363610619046232
    #          t=3: g = -0.868180531, sum_sq = 14.61987008, sqrt = 3.823593869
    #               w3 = -1.6228316755995753
    w1, w2, w3 = quadratic_steps(
        Adagrad(lr=0.5, eps=1e-10, initial_accumulator_value=12.0), 3
    )
    np.testing.assert_allclose(
        w1, [0.75000000000625, -1.8613249509475389], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w2, [0.57443827921488111, -1.7363610619046232], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        w3, [0.44458620932335075, -1.6228316755995753], rtol=0, atol=1e-12
    )


# ---------------------------------------------------------------- every optimizer

# One representative of each rule, with every optional term switched on where
# the rule has one, so that state, dtype and clipping tests cover all paths.
ALL_OPTIMIZERS = {
    "sgd": lambda: SGD(lr=0.05),
    "sgd_momentum_wd": lambda: SGD(lr=0.05, momentum=0.9, weight_decay=0.01),
    "sgd_nesterov": lambda: SGD(lr=0.05, momentum=0.9, nesterov=True),
    "adam": lambda: Adam(lr=0.01),
    "adam_l2": lambda: Adam(lr=0.01, weight_decay=0.1),
    "adamw": lambda: AdamW(lr=0.01, weight_decay=0.1),
    "rmsprop": lambda: RMSprop(lr=0.01),
    "rmsprop_full": lambda: RMSprop(
        lr=0.01, momentum=0.5, centered=True, weight_decay=0.1
    ),
    "adagrad": lambda: Adagrad(lr=0.1, weight_decay=0.1, initial_accumulator_value=0.1),
}


def matrix_problem(seed=3):
    """A (4, 3) parameter on the quadratic 0.5 sum(W * (H @ W)); grad H @ W."""
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((4, 4))
    H = M @ M.T / 4 + np.eye(4)
    return H, rng.standard_normal((4, 3))


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_state_copied_into_a_fresh_optimizer_continues_bit_identically(name):
    # The save/load contract: get_config rebuilds the optimizer and a copy of
    # its state (arrays only) makes it continue exactly where it was.
    H, W = matrix_problem()
    original = ALL_OPTIMIZERS[name]()
    for _ in range(4):
        original.step([("dense_0.W", W, H @ W)])
    for state in original.state.values():
        for value in state.values():
            assert isinstance(value, np.ndarray)
    rebuilt = type(original)(**original.get_config())
    rebuilt.state = {
        key: {name: value.copy() for name, value in state.items()}
        for key, state in original.state.items()
    }
    W_copy = W.copy()
    for _ in range(5):
        original.step([("dense_0.W", W, H @ W)])
        rebuilt.step([("dense_0.W", W_copy, H @ W_copy)])
    np.testing.assert_array_equal(W_copy, W)
    for key, state in original.state.items():
        for name, value in state.items():
            np.testing.assert_array_equal(rebuilt.state[key][name], value)


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_get_config_is_json_friendly_and_rebuilds(name):
    optimizer = ALL_OPTIMIZERS[name]()
    config = optimizer.get_config()
    assert json.loads(json.dumps(config)) == config
    assert type(optimizer)(**config).get_config() == config
    assert config["clipnorm"] is None and config["clipvalue"] is None


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_update_never_modifies_the_gradient(name):
    H, W = matrix_problem()
    grad = H @ W
    before = grad.copy()
    optimizer = ALL_OPTIMIZERS[name]()
    for _ in range(3):
        optimizer.update("w", W, grad)
    np.testing.assert_array_equal(grad, before)


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_steps_after_the_first_allocate_no_arrays(name):
    # Scratch arrays and state are made once; later steps work in place. A
    # 300 x 300 float64 array is 720 kB; a step may use a few small objects.
    optimizer = ALL_OPTIMIZERS[name]()
    w, g = np.ones((300, 300)), np.full((300, 300), 0.5)
    optimizer.step([("w", w, g)])
    tracemalloc.start()
    try:
        optimizer.step([("w", w, g)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000, f"{name}: a step allocated {peak} bytes"


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_every_optimizer_keeps_float32(name):
    optimizer = ALL_OPTIMIZERS[name]()
    w = np.ones((3, 2), dtype=np.float32)
    for grad_dtype in (np.float32, np.float64):
        optimizer.update("w", w, np.full((3, 2), 0.5, dtype=grad_dtype))
        assert w.dtype == np.float32
    for state in optimizer.state.values():
        for key, value in state.items():
            assert value.dtype == (np.int64 if key == "step" else np.float32), key


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_float32_matches_float64_closely(name):
    H, W64 = matrix_problem()
    W32 = W64.astype(np.float32)
    H32 = H.astype(np.float32)
    opt64, opt32 = ALL_OPTIMIZERS[name](), ALL_OPTIMIZERS[name]()
    for _ in range(5):
        opt64.update("w", W64, H @ W64)
        opt32.update("w", W32, H32 @ W32)
    np.testing.assert_allclose(W32, W64, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_every_optimizer_decreases_the_quadratic(name):
    H, W = matrix_problem()
    start = 0.5 * np.sum(W * (H @ W))
    optimizer = ALL_OPTIMIZERS[name]()
    for _ in range(50):
        optimizer.update("w", W, H @ W)
    assert 0.5 * np.sum(W * (H @ W)) < 0.5 * start


@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_every_optimizer_rejects_a_non_finite_gradient_o5(name):
    optimizer = ALL_OPTIMIZERS[name]()
    w = np.ones(3)
    optimizer.update("dense_0.W", w, np.full(3, 0.5))
    w_before = w.copy()
    state_before = copy.deepcopy(optimizer.state)
    with pytest.raises(FloatingPointError, match=r"'dense_0\.W'.*NaN or infinity"):
        optimizer.update("dense_0.W", w, np.array([0.5, np.nan, 0.5]))
    np.testing.assert_array_equal(w, w_before)
    for key, state in state_before.items():
        for name_, value in state.items():
            np.testing.assert_array_equal(optimizer.state[key][name_], value)


def test_adam_state_layout():
    optimizer = Adam()
    w = np.ones((2, 3))
    optimizer.update("dense_0.W", w, np.ones((2, 3)))
    state = optimizer.state["dense_0.W"]
    assert set(state) == {"step", "m", "v"}
    assert state["step"].shape == () and state["step"].dtype == np.int64
    assert int(state["step"]) == 1
    assert state["m"].shape == state["v"].shape == (2, 3)


def test_adam_steps_are_counted_per_parameter():
    optimizer = Adam(lr=0.1)
    a, b = W0.copy(), W0.copy()
    optimizer.update("a", a, A * a)
    optimizer.update("a", a, A * a)
    optimizer.update("b", b, A * b)
    assert int(optimizer.state["a"]["step"]) == 2
    assert int(optimizer.state["b"]["step"]) == 1
    np.testing.assert_allclose(b, [0.90000000049999995, -1.900000001], atol=1e-12)


@pytest.mark.parametrize(
    ("state", "pattern"),
    [
        ({"m": np.zeros(2), "v": np.zeros(2)}, r"must hold the arrays \['m', 'step'"),
        (
            {"step": np.zeros((), np.int64), "m": np.zeros(3), "v": np.zeros(2)},
            r"state 'm' of 'w' must be an array of shape \(2,\); got \(3,\)",
        ),
        (
            {"step": 0, "m": np.zeros(2), "v": np.zeros(2)},
            r"state 'step' of 'w' must be an array of shape \(\); got int",
        ),
        ([1, 2], r"must hold the arrays .*; got list"),
    ],
)
def test_state_that_does_not_fit_the_parameter_is_refused(state, pattern):
    optimizer = Adam()
    optimizer.state["w"] = state
    w = np.ones(2)
    with pytest.raises(ValueError, match=r"Adam: .*" + pattern):
        optimizer.update("w", w, np.ones(2))
    np.testing.assert_array_equal(w, 1.0)


def test_reprs_show_the_hyperparameters():
    assert repr(Adam()) == (
        "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.0)"
    )
    assert repr(AdamW(clipnorm=1.0)) == (
        "AdamW(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.01, "
        "clipnorm=1.0)"
    )
    assert repr(SGD(lr=0.1, weight_decay=0.01, clipvalue=2.0)) == (
        "SGD(lr=0.1, momentum=0.0, nesterov=False, weight_decay=0.01, clipvalue=2.0)"
    )
    assert repr(Adagrad()).startswith("Adagrad(lr=0.01, eps=1e-10, weight_decay=0.0")
    assert repr(RMSprop()).startswith("RMSprop(lr=0.01, alpha=0.99, eps=1e-08")


def test_pytorch_defaults():
    assert Adam().get_config() == {
        "lr": 0.001,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
        "weight_decay": 0.0,
        "clipnorm": None,
        "clipvalue": None,
    }
    assert AdamW().weight_decay == 0.01
    rmsprop = RMSprop()
    assert (rmsprop.lr, rmsprop.alpha, rmsprop.eps) == (0.01, 0.99, 1e-8)
    assert (rmsprop.momentum, rmsprop.centered, rmsprop.weight_decay) == (0, False, 0)
    adagrad = Adagrad()
    assert (adagrad.lr, adagrad.eps, adagrad.initial_accumulator_value) == (
        0.01,
        1e-10,
        0.0,
    )
    assert SGD().weight_decay == 0.0


# ---------------------------------------------------------------- bad hyperparameters

BAD_HYPERPARAMETERS = [
    # (class, keyword, value, error, message)
    (
        SGD,
        "weight_decay",
        -0.1,
        ValueError,
        r"SGD: weight_decay must be in \[0\.0, inf",
    ),
    (SGD, "weight_decay", "0", TypeError, r"SGD: weight_decay must be a real number"),
    (SGD, "weight_decay", np.nan, ValueError, r"SGD: weight_decay must be finite"),
    *[
        (cls, "lr", value, error, rf"{cls.__name__}: lr must be {message}")
        for cls in (Adam, AdamW, RMSprop, Adagrad)
        for value, error, message in [
            (0.0, ValueError, r"in \(0\.0, inf.; got 0\.0"),
            (-1e-3, ValueError, r"in \(0\.0, inf.; got -0\.001"),
            (np.inf, ValueError, r"finite; got inf"),
            (np.nan, ValueError, r"finite; got nan"),
            ("0.1", TypeError, r"a real number; got '0\.1'"),
            (True, TypeError, r"a real number; got True"),
            (None, TypeError, r"a real number; got None"),
        ]
    ],
    *[
        (
            cls,
            name,
            value,
            ValueError,
            rf"{cls.__name__}: {name} must be in \[0\.0, 1\.0\)",
        )
        for cls in (Adam, AdamW)
        for name in ("beta1", "beta2")
        for value in (-0.1, 1.0, 1.5)
    ],
    (Adam, "beta1", "0.9", TypeError, r"Adam: beta1 must be a real number"),
    (AdamW, "beta2", np.nan, ValueError, r"AdamW: beta2 must be finite"),
    *[
        (cls, "eps", value, ValueError, rf"{cls.__name__}: eps must be in \(0\.0, inf")
        for cls in (Adam, AdamW, RMSprop, Adagrad)
        for value in (0.0, -1e-8)
    ],
    (Adam, "eps", [1e-8], TypeError, r"Adam: eps must be a real number; got \[1e-08\]"),
    *[
        (
            cls,
            "weight_decay",
            -0.01,
            ValueError,
            rf"{cls.__name__}: weight_decay must be in",
        )
        for cls in (Adam, AdamW, RMSprop, Adagrad)
    ],
    (AdamW, "weight_decay", False, TypeError, r"AdamW: weight_decay must be a real"),
    (RMSprop, "alpha", 1.0, ValueError, r"RMSprop: alpha must be in \[0\.0, 1\.0\)"),
    (RMSprop, "alpha", -0.5, ValueError, r"RMSprop: alpha must be in \[0\.0, 1\.0\)"),
    (
        RMSprop,
        "momentum",
        1.0,
        ValueError,
        r"RMSprop: momentum must be in \[0\.0, 1\.0\)",
    ),
    (RMSprop, "momentum", -0.5, ValueError, r"RMSprop: momentum must be in"),
    (RMSprop, "centered", 1, TypeError, r"RMSprop: centered must be a bool; got 1"),
    (RMSprop, "centered", "yes", TypeError, r"RMSprop: centered must be a bool"),
    (
        Adagrad,
        "initial_accumulator_value",
        -1.0,
        ValueError,
        r"Adagrad: initial_accumulator_value must be in \[0\.0, inf",
    ),
    (
        Adagrad,
        "initial_accumulator_value",
        np.inf,
        ValueError,
        r"Adagrad: initial_accumulator_value must be finite",
    ),
]


@pytest.mark.parametrize(
    ("cls", "keyword", "value", "error", "message"), BAD_HYPERPARAMETERS
)
def test_bad_hyperparameters_are_refused_o1_o2(cls, keyword, value, error, message):
    with pytest.raises(error, match=message):
        cls(**{keyword: value})


@pytest.mark.parametrize("cls", [SGD, Adam, AdamW, RMSprop, Adagrad])
@pytest.mark.parametrize("keyword", ["clipnorm", "clipvalue"])
@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0.0, ValueError, r"must be in \(0\.0, inf.; got 0\.0"),
        (-1.0, ValueError, r"must be in \(0\.0, inf.; got -1\.0"),
        (np.inf, ValueError, r"must be finite; got inf"),
        (np.nan, ValueError, r"must be finite; got nan"),
        ("1", TypeError, r"must be a real number; got '1'"),
        (True, TypeError, r"must be a real number; got True"),
    ],
)
def test_bad_clipping_arguments_are_refused(cls, keyword, value, error, message):
    with pytest.raises(error, match=rf"{cls.__name__}: {keyword} " + message):
        cls(**{keyword: value})


def test_hyperparameters_after_lr_are_keyword_only():
    with pytest.raises(TypeError):
        Adam(0.1, 0.9, 0.999, 1e-8, 0.1)  # weight_decay must be named
    with pytest.raises(TypeError):
        SGD(0.1, 0.9, False, 0.1)


# ---------------------------------------------------------------- gradient clipping


def test_step_clips_by_the_global_norm():
    # g1 = [3, 4] (norm 5) and g2 = [[12]] (norm 12): global norm
    # sqrt(25 + 144) = 13. clipnorm = 6.5 scales both by 6.5 / 13 = 0.5:
    # lr = 1 gives w1 = -[1.5, 2] and w2 = -[[6]].
    w1, w2 = np.zeros(2), np.zeros((1, 1))
    g1, g2 = np.array([3.0, 4.0]), np.array([[12.0]])
    SGD(lr=1.0, clipnorm=6.5).step([("a", w1, g1), ("b", w2, g2)])
    np.testing.assert_allclose(w1, [-1.5, -2.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(w2, [[-6.0]], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(g1, [3.0, 4.0])  # the inputs are untouched
    np.testing.assert_array_equal(g2, [[12.0]])


def test_step_leaves_gradients_below_clipnorm_alone():
    # Global norm 13 <= 13: no scaling at all (bit-identical to no clipping).
    w_clip, w_plain = np.ones(2), np.ones(2)
    grads = [np.array([3.0, 4.0]), np.array([12.0])]
    v_clip, v_plain = np.ones(1), np.ones(1)
    Adam(lr=0.1, clipnorm=13.0).step([("a", w_clip, grads[0]), ("b", v_clip, grads[1])])
    Adam(lr=0.1).step([("a", w_plain, grads[0]), ("b", v_plain, grads[1])])
    np.testing.assert_array_equal(w_clip, w_plain)
    np.testing.assert_array_equal(v_clip, v_plain)


def test_update_clips_by_the_parameters_own_norm():
    # update() sees one parameter: [3, 4] has norm 5, clipnorm 1 -> [0.6, 0.8].
    w = np.zeros(2)
    SGD(lr=1.0, clipnorm=1.0).update("w", w, np.array([3.0, 4.0]))
    np.testing.assert_allclose(w, [-0.6, -0.8], rtol=0, atol=1e-15)


def test_clipvalue_clips_each_entry():
    # clipvalue 1: [-3, 0.5, 2] -> [-1, 0.5, 1]; lr = 0.1.
    grad = np.array([-3.0, 0.5, 2.0])
    for call in ("update", "step"):
        w = np.zeros(3)
        optimizer = SGD(lr=0.1, clipvalue=1.0)
        if call == "update":
            optimizer.update("w", w, grad)
        else:
            optimizer.step([("w", w, grad)])
        np.testing.assert_allclose(w, [0.1, -0.05, -0.1], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(grad, [-3.0, 0.5, 2.0])


def test_clipnorm_then_clipvalue():
    # [3, 4] has norm 5; clipnorm 2.5 -> [1.5, 2]; clipvalue 1.8 -> [1.5, 1.8].
    w = np.zeros(2)
    SGD(lr=1.0, clipnorm=2.5, clipvalue=1.8).step([("w", w, np.array([3.0, 4.0]))])
    np.testing.assert_allclose(w, [-1.5, -1.8], rtol=0, atol=1e-15)


def test_adam_sees_the_clipped_gradient():
    # clipvalue 0.5 turns g = [2, -1] into [0.5, -0.5]: m1 = 0.1 * g_clipped.
    optimizer = Adam(lr=0.1, clipvalue=0.5)
    w = W0.copy()
    optimizer.update("w", w, A * w)
    np.testing.assert_allclose(optimizer.state["w"]["m"], [0.05, -0.05], atol=1e-15)
    np.testing.assert_allclose(
        optimizer.state["w"]["v"], [0.00025, 0.00025], atol=1e-15
    )


def test_clipnorm_survives_an_overflowing_sum_of_squares():
    # Each square overflows float64, yet the norm is finite: sqrt(2) * 1e200.
    # clipnorm 1 -> each entry becomes 1 / sqrt(2).
    w = np.zeros(2)
    SGD(lr=1.0, clipnorm=1.0).step([("w", w, np.array([1e200, 1e200]))])
    np.testing.assert_allclose(w, [-(0.5**0.5)] * 2, rtol=1e-15)


def test_clipnorm_float32_overflow():
    # float32 squares overflow past ~1.8e19: [3e19, 4e19] has norm 5e19;
    # clipnorm 1 -> [0.6, 0.8].
    w = np.zeros(2, dtype=np.float32)
    grad = np.array([3e19, 4e19], dtype=np.float32)
    SGD(lr=1.0, clipnorm=1.0).update("w", w, grad)
    np.testing.assert_allclose(w, [-0.6, -0.8], rtol=1e-6)
    assert w.dtype == np.float32


def test_clipping_in_a_model_leaves_the_layers_gradients_untouched():
    from nnfs.activations import Tanh
    from nnfs.layers import Dense
    from nnfs.losses import MSE
    from nnfs.model import Sequential

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((16, 3)), rng.standard_normal((16, 2))
    model = Sequential(
        [
            Dense(3, 4, dtype=np.float64, seed=0),
            Tanh(),
            Dense(4, 2, dtype=np.float64, seed=1),
        ],
        MSE(),
        SGD(lr=0.1, clipnorm=0.01),
    )
    model.compute_gradients(X, y)
    params = [
        (layer, name, getattr(layer, name).copy(), getattr(layer, "d" + name).copy())
        for layer in model.layers
        if layer.trainable
        for name in layer.param_names
    ]
    norm = np.sqrt(sum(np.sum(grad**2) for *_, grad in params))
    assert norm > 0.01  # the clip is active
    model.update_weights()
    for layer, name, before, grad in params:
        np.testing.assert_array_equal(getattr(layer, "d" + name), grad)
        # w_new = w - lr * grad * (clipnorm / norm)
        np.testing.assert_allclose(
            getattr(layer, name),
            before - 0.1 * grad * (0.01 / norm),
            rtol=0,
            atol=1e-15,
        )


# ---------------------------------------------------------------- PyTorch reference

TORCH_CASES = {
    "sgd_weight_decay": (
        lambda: SGD(lr=0.05, momentum=0.9, weight_decay=0.1),
        lambda torch, p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.1),
    ),
    "sgd_nesterov_weight_decay": (
        lambda: SGD(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.2),
        lambda torch, p: torch.optim.SGD(
            p, lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.2
        ),
    ),
    "sgd_plain_weight_decay": (
        lambda: SGD(lr=0.05, weight_decay=0.3),
        lambda torch, p: torch.optim.SGD(p, lr=0.05, weight_decay=0.3),
    ),
    "adam": (
        lambda: Adam(lr=0.05),
        lambda torch, p: torch.optim.Adam(p, lr=0.05),
    ),
    "adam_custom": (
        lambda: Adam(lr=0.02, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=0.1),
        lambda torch, p: torch.optim.Adam(
            p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1
        ),
    ),
    "adamw": (
        lambda: AdamW(lr=0.05, weight_decay=0.1),
        lambda torch, p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1),
    ),
    "adamw_defaults": (
        lambda: AdamW(),
        lambda torch, p: torch.optim.AdamW(p),
    ),
    "rmsprop": (
        lambda: RMSprop(lr=0.01),
        lambda torch, p: torch.optim.RMSprop(p, lr=0.01),
    ),
    "rmsprop_centered_momentum": (
        lambda: RMSprop(
            lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1
        ),
        lambda torch, p: torch.optim.RMSprop(
            p, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1
        ),
    ),
    "rmsprop_momentum": (
        lambda: RMSprop(lr=0.005, momentum=0.9),
        lambda torch, p: torch.optim.RMSprop(p, lr=0.005, momentum=0.9),
    ),
    "adagrad": (
        lambda: Adagrad(lr=0.1),
        lambda torch, p: torch.optim.Adagrad(p, lr=0.1),
    ),
    "adagrad_options": (
        lambda: Adagrad(lr=0.1, weight_decay=0.1, initial_accumulator_value=0.5),
        lambda torch, p: torch.optim.Adagrad(
            p, lr=0.1, weight_decay=0.1, initial_accumulator_value=0.5
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(TORCH_CASES))
def test_matches_torch_optim(case):
    torch = pytest.importorskip("torch")
    make_ours, make_theirs = TORCH_CASES[case]
    H, W_ours = matrix_problem(seed=11)
    W_torch = torch.tensor(W_ours.copy(), dtype=torch.float64, requires_grad=True)
    H_torch = torch.tensor(H, dtype=torch.float64)
    ours, theirs = make_ours(), make_theirs(torch, [W_torch])
    for step in range(12):
        ours.step([("dense_0.W", W_ours, H @ W_ours)])
        theirs.zero_grad()
        loss = 0.5 * (W_torch * (H_torch @ W_torch)).sum()
        loss.backward()
        theirs.step()
        np.testing.assert_allclose(
            W_ours,
            W_torch.detach().numpy(),
            rtol=1e-12,
            atol=1e-12,
            err_msg=f"{case}, step {step + 1}: ours vs torch.optim",
        )


def test_global_norm_clipping_matches_torch_up_to_its_epsilon():
    # torch.nn.utils.clip_grad_norm_ divides by (norm + 1e-6); we divide by
    # the norm, so the two agree to about 1e-6 relative.
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal((1, 4))]
    params = [np.zeros_like(g) for g in grads]
    SGD(lr=1.0, clipnorm=0.5).step(
        [(f"p{i}", p, g) for i, (p, g) in enumerate(zip(params, grads, strict=True))]
    )
    tensors = [torch.zeros(g.shape, dtype=torch.float64) for g in grads]
    for tensor, grad in zip(tensors, grads, strict=True):
        tensor.grad = torch.tensor(grad)
    torch.nn.utils.clip_grad_norm_(tensors, max_norm=0.5)
    for param, tensor in zip(params, tensors, strict=True):
        np.testing.assert_allclose(-param, tensor.grad.numpy(), rtol=1e-5, atol=0)


@settings(max_examples=30, deadline=None)
@given(
    values=arrays(
        np.float64,
        array_shapes(min_dims=1, max_dims=3, max_side=5),
        elements=st.floats(-1e3, 1e3),
    ),
    make=st.sampled_from(
        [
            lambda: SGD(lr=0.1, momentum=0.9, nesterov=True),
            lambda: Adam(lr=0.1),
            lambda: RMSprop(lr=0.1, momentum=0.5, centered=True),
            lambda: Adagrad(lr=0.1, initial_accumulator_value=0.5),
        ]
    ),
)
def test_property_a_zero_gradient_leaves_parameters_unchanged(values, make):
    # Without weight decay and from a fresh state, g = 0 gives a zero step
    # for every rule (Adam: m = 0 so m_hat / (sqrt(v_hat) + eps) = 0).
    w = values.copy()
    optimizer = make()
    for _ in range(2):
        optimizer.step([("w", w, np.zeros_like(w))])
    np.testing.assert_array_equal(w, values)


def test_state_changed_after_training_started_is_checked_again():
    # The check is skipped only while the state is, object for object, the
    # one already checked: swapping an array in or the whole dict is seen.
    optimizer = SGD(lr=0.1, momentum=0.9)
    w = np.ones(2)
    optimizer.update("w", w, np.ones(2))
    optimizer.state["w"]["velocity"] = np.zeros(3)
    with pytest.raises(ValueError, match=r"state 'velocity' of 'w' must be .*\(3,\)"):
        optimizer.update("w", w, np.ones(2))
    optimizer.state["w"] = {"velocity": np.zeros(3)}
    with pytest.raises(ValueError, match=r"state 'velocity' of 'w' must be .*\(3,\)"):
        optimizer.update("w", w, np.ones(2))
    optimizer.state["w"] = {"velocity": np.full(2, 0.5)}
    optimizer.update("w", w, np.ones(2))  # v = 0.9 * 0.5 + 1 = 1.45
    np.testing.assert_allclose(w, 1.0 - 0.1 * 1.0 - 0.1 * 1.45)
