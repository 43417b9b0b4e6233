"""Tests for nnfs.sklearn: NNClassifier and NNRegressor.

First scikit-learn's own estimator checks (check_estimator, one test per
check), then the digits Pipeline + GridSearchCV example, then hand-worked
examples, the settings, targets, partial_fit, randomness and bad input.
"""

import re
import runpy
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from nnfs import activations, check_gradients, optimizers  # noqa: E402
from nnfs.optimizers import SGD  # noqa: E402
from nnfs.sklearn import (  # noqa: E402
    EXPECTED_FAILED_CHECKS,
    NNClassifier,
    NNRegressor,
)

ROOT = Path(__file__).resolve().parents[1]


def blobs(n_per_class=30, n_classes=3, seed=0):
    """Well separated Gaussian blobs in 2-D, labels 0..n_classes-1."""
    rng = np.random.default_rng(seed)
    centres = 4.0 * np.column_stack(
        [np.cos(np.arange(n_classes)), np.sin(np.arange(n_classes))]
    )
    X = np.concatenate([c + rng.normal(size=(n_per_class, 2)) for c in centres])
    y = np.repeat(np.arange(n_classes), n_per_class)
    return X, y


# ------------------------------------------------ scikit-learn's own checks


@parametrize_with_checks(
    [NNClassifier(random_state=0), NNRegressor(random_state=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
    xfail_strict=True,
)
def test_scikit_learn_estimator_checks(estimator, check):
    # Every check of sklearn.utils.estimator_checks.check_estimator, one test
    # each; the one in EXPECTED_FAILED_CHECKS is a strict xfail with its
    # reason (it must fail: if it ever passes, the declaration goes).
    check(estimator)


def test_expected_failures_are_real_checks_with_reasons():
    from sklearn.utils.estimator_checks import estimator_checks_generator

    for estimator in (NNClassifier(), NNRegressor()):
        names = {
            getattr(check, "func", check).__name__
            for _, check in estimator_checks_generator(estimator, mark=None)
        }
        assert set(EXPECTED_FAILED_CHECKS) <= names
    assert all(len(reason) > 40 for reason in EXPECTED_FAILED_CHECKS.values())


def test_importing_nnfs_does_not_import_scikit_learn():
    code = (
        "import sys, nnfs, nnfs.model, nnfs.datasets\n"
        "print('sklearn' in sys.modules, 'nnfs.sklearn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


# ------------------------------------------------ Pipeline + GridSearchCV


def test_digits_pipeline_grid_search_reaches_97_percent(capsys):
    # examples/sklearn_pipeline.py: StandardScaler + NNClassifier, grid over
    # l2, 5 shuffled stratified folds on the 1,797 digits that ship with nnfs.
    namespace = runpy.run_path(
        str(ROOT / "examples" / "sklearn_pipeline.py"), run_name="__main__"
    )
    search = namespace["search"]
    assert search.best_score_ >= 0.97, search.cv_results_["mean_test_score"]
    assert search.n_splits_ == 5
    assert len(search.cv_results_["params"]) == 2
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"cross-validated accuracy: \d+\.\d\d%", last), last


def test_readme_shows_the_example_that_the_test_runs():
    # The README block is fenced as "py" so that test_examples (NumPy only)
    # does not run it; this keeps it identical to the tested script.
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Using nnfs from scikit-learn", 1)[1]
    block = re.search(r"```py\n(.*?)```", section, flags=re.DOTALL).group(1)
    example = (ROOT / "examples" / "sklearn_pipeline.py").read_text()
    assert "GridSearchCV" in block and "NNClassifier" in block
    assert block in example


# ------------------------------------------------ hand-worked examples


def test_hand_worked_binary_probabilities_and_string_labels():
    # No hidden layer: p = sigmoid(x1 - x2) with W = [[1], [-1]], b = 0.
    # Row 1: z = ln 3 - 0 -> p = 3 / (1 + 3) = 0.75 -> [0.25, 0.75] -> "yes".
    # Row 2: z = 0 - ln 3 -> p = 1 / (1 + 3) = 0.25 -> [0.75, 0.25] -> "no".
    X, y = blobs(n_classes=2)
    labels = np.array(["no", "yes"])[y]
    clf = NNClassifier(hidden_layer_sizes=(), epochs=1, random_state=0)
    clf.fit(X, labels)
    clf.model_.set_weights([np.array([[1.0], [-1.0]]), np.zeros((1, 1))])
    X_new = np.array([[np.log(3.0), 0.0], [0.0, np.log(3.0)]])
    np.testing.assert_allclose(
        clf.predict_proba(X_new), [[0.25, 0.75], [0.75, 0.25]], rtol=1e-12
    )
    assert clf.predict(X_new).tolist() == ["yes", "no"]
    assert clf.classes_.tolist() == ["no", "yes"]


def test_hand_worked_sgd_step_through_partial_fit():
    # Linear regressor (no hidden layer), W = 0, b = 0, whole batch, SGD 0.1.
    # X = [[1], [2]], y = [1, 3]: predictions 0, residuals r = [-1, -3];
    # MSE = mean(r**2), so dL/dW = (2/2) * (1*-1 + 2*-3) = -7 and
    # dL/db = (2/2) * (-1 - 3) = -4; the step gives W = 0.7, b = 0.4.
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])
    reg = NNRegressor(
        hidden_layer_sizes=(), optimizer="sgd", learning_rate=0.1, random_state=0
    )
    reg.partial_fit(X, y)  # builds the network (and trains one epoch)
    reg.model_.set_weights([np.zeros((1, 1)), np.zeros((1, 1))])
    reg.partial_fit(X, y)
    W, b = reg.model_.get_weights()
    np.testing.assert_allclose([W[0, 0], b[0, 0]], [0.7, 0.4], rtol=1e-12)
    # The loss of that epoch was computed before the step: (1 + 9) / 2 = 5.
    assert reg.loss_curve_[-1] == pytest.approx(5.0, rel=1e-12)
    assert reg.n_iter_ == 2


@pytest.mark.parametrize("n_classes", [2, 3])
def test_built_network_has_exact_gradients(n_classes):
    # The network the estimator builds (fused Sigmoid+BCE or Softmax+CCE
    # head included) against float64 central differences.
    X, y = blobs(n_per_class=5, n_classes=n_classes)
    clf = NNClassifier(hidden_layer_sizes=(4,), activation="tanh", epochs=2)
    clf.fit(X, y)
    targets = y.reshape(-1, 1) if n_classes == 2 else y
    result = check_gradients(clf.model_, X, targets, verbose=False)
    assert result.passed, result


# ------------------------------------------------ targets and outputs


def test_multiclass_string_labels_and_probabilities():
    X, y = blobs()
    labels = np.array(["cat", "dog", "emu"])[y]
    clf = NNClassifier(hidden_layer_sizes=(16,), learning_rate=0.01, random_state=0)
    clf.fit(X, labels)
    proba = clf.predict_proba(X)
    assert proba.shape == (90, 3) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert set(clf.predict(X)) <= {"cat", "dog", "emu"}
    assert clf.score(X, labels) > 0.9
    assert isinstance(clf.model_.layers[-1], activations.Softmax)
    assert clf.n_features_in_ == 2


def test_binary_uses_one_sigmoid_unit_and_bce():
    X, y = blobs(n_classes=2)
    clf = NNClassifier(epochs=5, random_state=0).fit(X, y + 10)
    assert clf.classes_.tolist() == [10, 11]
    assert clf.model_.layers[-2].output_size == 1
    assert isinstance(clf.model_.layers[-1], activations.Sigmoid)
    assert type(clf.model_.loss).__name__ == "BCE"


@pytest.mark.parametrize(
    ("y_shape", "predicted_shape"), [((60,), (60,)), ((60, 1), (60, 1))]
)
def test_regressor_keeps_the_shape_of_a_single_target(y_shape, predicted_shape):
    X, y = blobs(n_classes=2)
    reg = NNRegressor(epochs=5, random_state=0).fit(X, y.reshape(y_shape))
    assert reg.predict(X).shape == predicted_shape
    assert reg.n_outputs_ == 1


def test_regressor_learns_several_targets():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = np.column_stack([X[:, 0] - X[:, 1], 0.5 * X[:, 2], X[:, 0] * X[:, 1]])
    reg = NNRegressor(
        hidden_layer_sizes=(32,), learning_rate=0.01, batch_size=32, random_state=0
    )
    reg.fit(X, y)
    assert reg.predict(X).shape == (200, 3) and reg.n_outputs_ == 3
    assert reg.score(X, y) > 0.95


def test_float32_dtype_trains_in_float32_and_predicts_float64():
    X, y = blobs()
    clf = NNClassifier(dtype="float32", epochs=5, random_state=0).fit(X, y)
    assert clf.model_.dtype == np.float32
    assert clf.predict_proba(X).dtype == np.float64


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        NNClassifier().predict(np.zeros((2, 2)))


# ------------------------------------------------ settings


OPTIMIZER_NAMES = sorted(
    name.lower() for name in optimizers.__all__ if name != "BaseOptimizer"
)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_every_nnfs_optimizer_is_available_by_name(name):
    X, y = blobs(n_per_class=5)
    clf = NNClassifier(optimizer=name.upper(), learning_rate=0.02, epochs=1)
    clf.fit(X, y)
    assert type(clf.model_.optimizer).__name__.lower() == name
    assert clf.model_.optimizer.lr == 0.02


def test_optimizer_object_is_a_template_with_the_estimator_learning_rate():
    template = SGD(lr=0.5, momentum=0.9, nesterov=True)
    X, y = blobs(n_per_class=5)
    clf = NNClassifier(optimizer=template, learning_rate=0.01, epochs=2).fit(X, y)
    used = clf.model_.optimizer
    assert used is not template and isinstance(used, SGD)
    assert (used.lr, used.momentum, used.nesterov) == (0.01, 0.9, True)
    assert template.state == {} and template.lr == 0.5  # never trained itself


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("relu", activations.ReLU),
        ("leaky_relu", activations.LeakyReLU),
        ("GELU", activations.GELU),
        ("tanh", activations.Tanh),
        ("logistic", activations.Sigmoid),
        ("identity", activations.Linear),
    ],
)
def test_activation_names(name, expected):
    X, y = blobs(n_per_class=5)
    clf = NNClassifier(hidden_layer_sizes=(3, 3), activation=name, epochs=1)
    clf.fit(X, y)
    kinds = [type(layer) for layer in clf.model_.layers]
    assert kinds[1] is expected and kinds[3] is expected and len(kinds) == 6


@pytest.mark.parametrize(
    ("sizes", "widths"), [(7, [7, 1]), ([5, 4], [5, 4, 1]), ((), [1])]
)
def test_hidden_layer_sizes_forms(sizes, widths):
    X, y = blobs(n_per_class=5)
    reg = NNRegressor(hidden_layer_sizes=sizes, epochs=1).fit(X, y)
    dense = [layer for layer in reg.model_.layers if hasattr(layer, "output_size")]
    assert [layer.output_size for layer in dense] == widths
    assert len(reg.model_.layers) == 2 * len(widths) - 1  # no activation at the end


def test_l2_penalty_reaches_every_dense_layer():
    X, y = blobs(n_per_class=5)
    clf = NNClassifier(hidden_layer_sizes=(4,), l2=1e-3, epochs=1).fit(X, y)
    dense = [layer for layer in clf.model_.layers if hasattr(layer, "l2")]
    assert [layer.l2 for layer in dense] == [1e-3, 1e-3]


def test_early_stopping_stops_and_keeps_the_best_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    y = rng.integers(0, 2, size=200)  # noise: the validation loss soon rises
    clf = NNClassifier(
        hidden_layer_sizes=(64,),
        learning_rate=0.01,
        epochs=300,
        batch_size=16,
        early_stopping=True,
        patience=3,
        random_state=0,
    ).fit(X, y)
    assert clf.n_iter_ < 300
    assert clf.loss_curve_.shape == (clf.n_iter_,)
    val_loss = clf.history_["val_loss"]
    assert val_loss.shape == (clf.n_iter_,)
    best = int(np.argmin(val_loss))
    assert best == clf.n_iter_ - 1 - 3  # the best epoch, then 3 worse ones
    # Same seeds, stopped by the epoch limit right at the best epoch: the
    # same weights, so early stopping restored those of the best epoch.
    at_best = clone(clf).set_params(epochs=best + 1).fit(X, y)
    assert at_best.n_iter_ == best + 1
    np.testing.assert_array_equal(clf.predict_proba(X), at_best.predict_proba(X))


def test_batch_larger_than_the_data_is_quietly_the_whole_set(capsys):
    X, y = blobs(n_per_class=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # 12 samples: 10 < 12 reaches Sequential.fit, whose training part
        # after the validation split is 9 samples; 1000 is cut here already.
        for batch_size in (10, 1000):
            clf = NNClassifier(batch_size=batch_size, epochs=3, early_stopping=True)
            clf.set_params(validation_fraction=0.25).fit(X, y)
            assert clf.history_["loss"].shape == (clf.n_iter_, 1)
    assert capsys.readouterr() == ("", "")


def test_no_output_and_no_setup_warning_on_unscaled_data(capsys):
    # Inputs of order 1e4 make Sequential.fit's check_setup warn; the
    # estimator leaves scaling to the pipeline and stays silent.
    X, y = blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        NNRegressor(epochs=2, random_state=0).fit(1e4 * X, y)
    assert capsys.readouterr() == ("", "")


# ------------------------------------------------ randomness


def test_int_random_state_repeats_and_different_states_differ():
    X, y = blobs()
    first = NNClassifier(epochs=3, batch_size=8, random_state=1).fit(X, y)
    again = NNClassifier(epochs=3, batch_size=8, random_state=1).fit(X, y)
    other = NNClassifier(epochs=3, batch_size=8, random_state=2).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), again.predict_proba(X))
    assert not np.allclose(first.predict_proba(X), other.predict_proba(X))


def test_no_random_state_follows_numpy_global_seed():
    X, y = blobs()
    np.random.seed(5)
    first = NNRegressor(epochs=3, batch_size=8).fit(X, y).predict(X)
    np.random.seed(5)
    again = NNRegressor(epochs=3, batch_size=8).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, again)


def test_clone_gives_an_unfitted_copy_with_the_same_settings():
    clf = NNClassifier(hidden_layer_sizes=(8, 4), l2=0.1, random_state=3)
    copy = clone(clf.fit(*blobs(n_per_class=5)))
    assert copy.get_params() == clf.get_params()
    assert not hasattr(copy, "model_")


# ------------------------------------------------ partial_fit and refitting


def test_partial_fit_continues_training_and_checks_classes():
    X, y = blobs()
    clf = NNClassifier(learning_rate=0.01, random_state=0)
    with pytest.raises(ValueError, match="classes must be given on the first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:45], y[:45], classes=[0, 1, 2])  # only 0 and 1 in y
    assert clf.classes_.tolist() == [0, 1, 2] and clf.n_iter_ == 1
    weights = clf.model_.get_weights()[0].copy()
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 2 and clf.loss_curve_.shape == (2,)
    assert not np.array_equal(weights, clf.model_.get_weights()[0])
    with pytest.raises(ValueError, match=r"classes=\[0, 1\] differs from the classes"):
        clf.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[7\] that are not among"):
        clf.partial_fit(X[:2], [0, 7])
    with pytest.raises(ValueError, match="X has 3 features"):
        clf.partial_fit(np.zeros((2, 3)), [0, 1])


def test_fit_starts_afresh_after_partial_fit():
    X, y = blobs()
    clf = NNClassifier(epochs=4, random_state=0)
    for _ in range(3):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    clf.fit(X, y)
    assert clf.n_iter_ == 4
    fresh = NNClassifier(epochs=4, random_state=0).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), fresh.predict_proba(X))


def test_regressor_partial_fit_keeps_the_number_of_targets():
    X, y = blobs()
    reg = NNRegressor(random_state=0).partial_fit(X, np.column_stack([y, y]))
    with pytest.raises(ValueError, match="y has 1 targets but the estimator was"):
        reg.partial_fit(X, y)


def test_sample_weight_of_ones_changes_nothing_and_weights_count():
    X, y = blobs(n_classes=2)
    plain = NNClassifier(epochs=5, random_state=0).fit(X, y)
    ones = NNClassifier(epochs=5, random_state=0).fit(X, y, np.ones(len(y)))
    np.testing.assert_array_equal(plain.predict_proba(X), ones.predict_proba(X))
    # Class 1 weighted 100 times more pushes every probability of class 1 up.
    heavy = NNClassifier(epochs=5, random_state=0).fit(X, y, 1.0 + 99.0 * y)
    assert np.all(heavy.predict_proba(X)[:, 1] > plain.predict_proba(X)[:, 1])


def test_divergence_raises_floating_point_error():
    X, y = blobs()
    reg = NNRegressor(optimizer="sgd", learning_rate=1e3, epochs=50, random_state=0)
    with pytest.raises(FloatingPointError, match="training diverged"):
        reg.fit(X, 100.0 * y)


# ------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("setting", "value", "error", "match"),
    [
        ("hidden_layer_sizes", "64", TypeError, "hidden_layer_sizes must be a"),
        ("hidden_layer_sizes", (8, 0), ValueError, r"hidden_layer_sizes\[1\] must"),
        ("hidden_layer_sizes", (8.0,), TypeError, r"hidden_layer_sizes\[0\] must"),
        ("activation", "swish", ValueError, "unknown activation 'swish'; expected"),
        ("activation", 3, TypeError, "activation must be a str"),
        ("optimizer", "lbfgs", ValueError, "unknown optimizer 'lbfgs'; expected"),
        ("optimizer", SGD, TypeError, "optimizer must be a str"),
        ("learning_rate", 0.0, ValueError, r"learning_rate must be in \(0.0"),
        ("learning_rate", "fast", TypeError, "learning_rate must be a real"),
        ("l2", -1.0, ValueError, r"l2 must be in \[0.0"),
        ("epochs", 0, ValueError, "epochs must be >= 1"),
        ("epochs", 2.5, TypeError, "epochs must be an integer"),
        ("batch_size", 0, ValueError, "batch_size must be >= 1, or -1"),
        ("batch_size", True, TypeError, "batch_size must be an integer"),
        ("early_stopping", "yes", TypeError, "early_stopping must be a bool"),
        ("validation_fraction", 1.0, ValueError, "validation_fraction must be in"),
        ("patience", -1, ValueError, "patience must be >= 0"),
        ("dtype", "int32", ValueError, "dtype must be float32 or float64"),
        ("random_state", "seven", ValueError, "cannot be used to seed"),
    ],
)
@pytest.mark.parametrize("estimator", [NNClassifier, NNRegressor])
def test_bad_settings_raise_at_fit_naming_the_setting(
    estimator, setting, value, error, match
):
    model = estimator(epochs=1).set_params(**{setting: value})  # no error yet
    with pytest.raises(error, match=match):
        model.fit(*blobs(n_per_class=5))
    assert not hasattr(model, "model_")


def test_bad_targets():
    X, y = blobs()
    with pytest.raises(ValueError, match="only one class, 'a'; a classifier needs"):
        NNClassifier().fit(X, np.full(len(X), "a"))
    with pytest.raises(ValueError, match="Unknown label type"):
        NNClassifier().fit(X, X[:, 0])
    with pytest.raises(ValueError, match="sample_weight must hold at least one"):
        NNClassifier().fit(X, y, sample_weight=np.zeros(len(y)))
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(90,\)"):
        NNRegressor().fit(X, y, sample_weight=np.ones(5))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        NNRegressor().fit(np.full_like(X, np.nan), y)
