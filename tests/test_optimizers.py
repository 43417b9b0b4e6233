"""Tests for nnfs.optimizers: SGD with and without (Nesterov) momentum.

The catalogue cases O1-O7 of RELIABILITY.md (b) are named in the test names.
"""

import re

import numpy as np
import pytest

from nnfs.optimizers import SGD, BaseOptimizer

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


def test_step_with_empty_list_is_a_no_op():
    optimizer = SGD(lr=0.1, momentum=0.9)
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
