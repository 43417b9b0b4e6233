"""Tests for nnfs.plotting: every function writes a file with the Agg backend.

They need matplotlib (the "plot" extra) and are skipped without it, except
the test of the error raised when it is missing.
"""

import sys

import numpy as np
import pytest

from nnfs import plotting

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def mpl():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    return matplotlib


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and len(data) > 1000


def test_missing_matplotlib_gives_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(
        ImportError,
        match=r"plot_history: plotting needs matplotlib, which is not installed; "
        r'install it with pip install "nnfs-numpy\[plot\]"',
    ):
        plotting.plot_history({"loss": np.ones((2, 1))})


def test_plot_history_panels_curves_and_file(mpl, tmp_path):
    # loss (2 epochs x 2 batches) -> epoch means 0.8 and 0.45
    history = {
        "loss": np.array([[0.9, 0.7], [0.5, 0.4]]),
        "accuracy": np.array([0.6, 0.8]),
        "val_loss": np.array([0.85, 0.6]),
        "val_accuracy": np.array([0.5, 0.75]),
        "test_loss": np.array([0.95, 0.65]),
    }
    path = tmp_path / "curves.png"
    figure = plotting.plot_history(history, path=path, title="run")
    assert_png(path)
    loss_ax, accuracy_ax = figure.axes
    assert loss_ax.get_title() == "loss" and accuracy_ax.get_title() == "accuracy"
    curves = {line.get_label(): line for line in loss_ax.get_lines()}
    assert set(curves) == {"train", "validation", "test"}
    np.testing.assert_allclose(curves["train"].get_ydata(), [0.8, 0.45])
    np.testing.assert_array_equal(curves["train"].get_xdata(), [1, 2])
    labels = {line.get_label() for line in accuracy_ax.get_lines()}
    assert labels == {"train", "validation"}


def test_plot_history_leaves_out_epochs_never_reached(mpl):
    # Training stopped after epoch 2 of 3: NaN marks the rest.
    history = {
        "loss": np.array([[1.0, 0.8], [0.6, np.nan], [np.nan, np.nan]]),
        "val_loss": np.array([0.9, 0.7, np.nan]),
    }
    figure = plotting.plot_history(history)
    train, validation = figure.axes[0].get_lines()
    np.testing.assert_allclose(train.get_ydata(), [0.9, 0.6])
    np.testing.assert_array_equal(validation.get_xdata(), [1, 2])


def test_plot_history_with_a_real_fit(mpl, tmp_path):
    from nnfs.activations import ReLU, Softmax
    from nnfs.datasets import generate_spirals
    from nnfs.layers import Dense
    from nnfs.losses import CCE
    from nnfs.model import Sequential
    from nnfs.optimizers import SGD

    X, y = generate_spirals(90, seed=0)
    model = Sequential(
        [Dense(2, 8, seed=0), ReLU(), Dense(8, 3, seed=1), Softmax()],
        CCE(),
        SGD(lr=0.1),
    )
    history = model.fit(
        X, y, 3, 16, X, y, debug_flag=False, seed=0, metrics=("accuracy",)
    )
    plotting.plot_history(history, path=tmp_path / "fit.png")
    assert_png(tmp_path / "fit.png")
    path = tmp_path / "boundary.svg"
    figure = plotting.plot_decision_boundary(model, X, y, resolution=30, path=path)
    assert path.read_text().lstrip().startswith("<?xml")
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == ["class 0", "class 1", "class 2"]


@pytest.mark.parametrize(
    ("history", "error", "pattern"),
    [
        ([1, 2], TypeError, r"plot_history: history must be the dict returned"),
        ({"accuracy": np.ones(3)}, TypeError, r"with keys \['accuracy'\]"),
        ({"loss": np.ones((2, 2, 2))}, ValueError, r"history\['loss'\] must have"),
    ],
)
def test_plot_history_bad_input(history, error, pattern):
    with pytest.raises(error, match=pattern):
        plotting.plot_history(history)


def test_plot_confusion_matrix_cells_and_file(mpl, tmp_path):
    path = tmp_path / "confusion.png"
    matrix = np.array([[5, 1], [0, 4]])
    figure = plotting.plot_confusion_matrix(
        matrix, class_names=["no", "yes"], path=path
    )
    assert_png(path)
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.texts] == ["5", "1", "0", "4"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    np.testing.assert_array_equal(ax.images[0].get_array(), matrix)
    # normalize: row 0 -> 5/6, 1/6; row 1 -> 0, 1
    figure = plotting.plot_confusion_matrix(matrix, normalize=True)
    assert [t.get_text() for t in figure.axes[0].texts] == [
        "0.83",
        "0.17",
        "0.00",
        "1.00",
    ]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"matrix": np.ones((2, 3))}, r"matrix must be a square array"),
        ({"matrix": [[1, -1], [0, 1]]}, r"matrix must be a square array"),
        ({"matrix": np.eye(2), "class_names": ["a"]}, r"class_names has 1 names"),
    ],
)
def test_plot_confusion_matrix_bad_input(kwargs, pattern):
    with pytest.raises(ValueError, match=r"plot_confusion_matrix: " + pattern):
        plotting.plot_confusion_matrix(**kwargs)


def test_plot_misclassified_digits_grid(mpl, tmp_path):
    from nnfs.datasets import load_digits

    X, y = load_digits()
    X, y = X[:20], y[:20]
    y_pred = np.eye(10)[y.ravel().astype(int)]
    y_pred[[3, 7]] = np.eye(10)[[8, 1]]  # two mistakes
    path = tmp_path / "mistakes.png"
    figure = plotting.plot_misclassified(X, y, y_pred, path=path)
    assert_png(path)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == [f"{int(y[3, 0])} -> 8", f"{int(y[7, 0])} -> 1"]
    assert figure.axes[0].images[0].get_array().shape == (8, 8)
    assert "misclassified: 2 of 20" in figure._suptitle.get_text()


def test_plot_misclassified_mnist_shape_names_and_limit(mpl):
    X = np.random.default_rng(0).random((6, 784))
    figure = plotting.plot_misclassified(
        X,
        [0, 1, 2, 0, 1, 2],
        [1, 2, 0, 1, 2, 0],
        class_names=["a", "b", "c"],
        max_images=4,
    )
    assert len(figure.axes) == 4
    assert figure.axes[0].get_title() == "a -> b"
    assert figure.axes[0].images[0].get_array().shape == (28, 28)
    assert "first 4 shown" in figure._suptitle.get_text()


def test_plot_misclassified_when_all_are_right(mpl, tmp_path):
    figure = plotting.plot_misclassified(np.zeros((2, 4)), [0, 1], [0, 1])
    assert figure.axes == []
    assert figure.texts[0].get_text() == "no misclassified samples"


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        ((np.zeros((2, 5)), [0, 1], [0, 1]), {}, r"cannot guess the image shape of 5"),
        (
            (np.zeros((2, 6)), [0, 1], [0, 1]),
            {"image_shape": (2, 2)},
            r"image_shape \(2, 2\) holds 4 pixels but X has 6",
        ),
        (
            (np.zeros((2, 4)), [0, 1], [0]),
            {},
            r"X, y_true and y_pred must have the same length; got 2, 2 and 1",
        ),
    ],
)
def test_plot_misclassified_bad_input(mpl, args, kwargs, pattern):
    with pytest.raises(ValueError, match=r"plot_misclassified: " + pattern):
        plotting.plot_misclassified(*args, **kwargs)


def test_plot_decision_boundary_regions_follow_the_model(mpl, tmp_path):
    # A fixed model: class 1 where x0 > 0 (a Dense layer with W = [[1], [0]]
    # followed by a sigmoid), class 0 elsewhere.
    from nnfs.activations import Sigmoid
    from nnfs.layers import Dense
    from nnfs.model import Sequential

    dense = Dense(2, 1, dtype=np.float64)
    dense.W[...] = [[1.0], [0.0]]
    dense.b[...] = 0.0
    model = Sequential([dense, Sigmoid()])
    X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    path = tmp_path / "boundary.png"
    figure = plotting.plot_decision_boundary(
        model, X, [0, 1], resolution=11, margin=0.0, path=path
    )
    assert_png(path)
    ax = figure.axes[0]
    assert ax.get_xlim() == (-1.0, 1.0)
    # The filled region of class 0 lies left of x0 = 0, that of class 1 right
    # of the grid point before it (x0 = -0.2; the grid step is 0.2).
    class_0, class_1 = ax.collections[0].get_paths()
    assert class_0.vertices[:, 0].max() <= 0.0
    assert class_1.vertices[:, 0].min() >= -0.2
    assert class_1.vertices[:, 0].max() == 1.0


@pytest.mark.parametrize(
    ("X", "y", "pattern"),
    [
        (np.zeros((3, 3)), [0, 1, 0], r"X must have 2 features; got shape \(3, 3\)"),
        (np.zeros((3, 2)), [0, 1], r"X has 3 samples but y has 2"),
    ],
)
def test_plot_decision_boundary_bad_input(X, y, pattern):
    with pytest.raises(ValueError, match=r"plot_decision_boundary: " + pattern):
        plotting.plot_decision_boundary(None, X, y)


def test_path_must_be_a_file_name(mpl):
    with pytest.raises(TypeError, match=r"plot_confusion_matrix: path must be a"):
        plotting.plot_confusion_matrix(np.eye(2), path=3)
