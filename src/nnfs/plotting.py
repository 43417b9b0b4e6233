"""Pictures of a training run: curves, confusion matrix, mistakes, boundaries.

matplotlib is an optional dependency (``pip install "nnfs-numpy[plot]"``);
it is imported when a function is called, never by ``import nnfs``. Every
function draws on a new :class:`matplotlib.figure.Figure`, not through
pyplot, so it works without a display and leaves pyplot's state alone. Pass
``path`` to save the figure (the format follows the file extension), or show
the returned figure in a notebook.
"""

from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import numpy as np

from nnfs._validation import as_float_array, check_int
from nnfs.metrics import to_labels

__all__ = [
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_misclassified",
]

_INSTALL_HINT = 'pip install "nnfs-numpy[plot]"'


def _new_figure(where: str, **kwargs):
    """A pyplot-free Figure; ImportError with the install command if needed."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            f"{where}: plotting needs matplotlib, which is not installed; "
            f"install it with {_INSTALL_HINT}"
        ) from error
    return Figure(**kwargs)


def _finish(figure, path, where: str):
    """Save ``figure`` to ``path`` when given; return the figure."""
    if path is not None:
        if not isinstance(path, str | PathLike):
            raise TypeError(
                f"{where}: path must be a file name; got {type(path).__name__}"
            )
        figure.savefig(Path(path), dpi=120)
    return figure


def _split_history(history: dict, where: str):
    """Group the history's arrays by quantity: {"loss": {"train": v, ...}}."""
    if not isinstance(history, dict) or "loss" not in history:
        raise TypeError(
            f"{where}: history must be the dict returned by Sequential.fit, "
            f"with a 'loss' entry; got {type(history).__name__}"
            + (f" with keys {sorted(history)}" if isinstance(history, dict) else "")
        )
    groups: dict[str, dict[str, np.ndarray]] = {}
    for key, values in history.items():
        values = np.asarray(values, dtype=np.float64)
        if values.ndim == 2:  # (N_epochs, n_batches): the mean of each epoch
            with np.errstate(invalid="ignore"):
                finite = np.isfinite(values)
                counts = finite.sum(axis=1)
                totals = np.where(finite, values, 0).sum(axis=1)
                values = np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)
        if values.ndim != 1:
            raise ValueError(
                f"{where}: history[{key!r}] must have shape (N_epochs,) or "
                f"(N_epochs, n_batches); got {values.shape}"
            )
        for prefix, curve in (("test_", "test"), ("val_", "validation")):
            if key.startswith(prefix):
                groups.setdefault(key[len(prefix) :], {})[curve] = values
                break
        else:
            groups.setdefault(key, {})["train"] = values
    return groups


def plot_history(history: dict, *, path: str | PathLike | None = None, title=None):
    """Training curves: the loss, and each metric, per epoch.

    Parameters
    ----------
    history : dict
        As returned by :meth:`nnfs.model.Sequential.fit`: ``"loss"`` of shape
        (N_epochs, n_batches) (plotted as the mean of each epoch) or
        (N_epochs,), and optional entries such as ``"accuracy"``,
        ``"test_loss"``, ``"test_accuracy"`` or ``"val_..."``, each of shape
        (N_epochs,). Epochs never reached (NaN) are left out.
    path : str or path, optional
        File to save the figure to (PNG, SVG, PDF...).
    title : str, optional
        Title above the panels.

    Returns
    -------
    matplotlib.figure.Figure
        One panel for the loss and one per metric; training in one colour,
        held-out data (``test_``/``val_`` keys) dashed in another.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    TypeError, ValueError
        If ``history`` is not such a dict.

    Examples
    --------
    >>> import numpy as np
    >>> history = {"loss": np.array([[0.9, 0.7], [0.5, 0.4]]),
    ...            "test_loss": np.array([0.8, 0.5]),
    ...            "accuracy": np.array([0.6, 0.8])}
    >>> figure = plot_history(history)
    >>> [ax.get_title() for ax in figure.axes]
    ['loss', 'accuracy']
    """
    where = "plot_history"
    groups = _split_history(history, where)
    names = ["loss", *sorted(name for name in groups if name != "loss")]
    figure = _new_figure(where, figsize=(5 * len(names), 4), layout="constrained")
    styles = {
        "train": {"color": "tab:blue", "linestyle": "-"},
        "test": {"color": "tab:orange", "linestyle": "--"},
        "validation": {"color": "tab:green", "linestyle": "--"},
    }
    axes = figure.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names, strict=True):
        for curve, values in groups[name].items():
            epochs = np.arange(1, values.size + 1)
            keep = np.isfinite(values)
            ax.plot(
                epochs[keep], values[keep], label=curve, marker=".", **styles[curve]
            )
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
        ax.legend()
    if title is not None:
        figure.suptitle(str(title))
    return _finish(figure, path, where)


def plot_confusion_matrix(
    matrix,
    *,
    class_names: Sequence[str] | None = None,
    normalize: bool = False,
    path: str | PathLike | None = None,
    title: str | None = "confusion matrix",
):
    """Heat map of a confusion matrix, with the count in every cell.

    Parameters
    ----------
    matrix : array-like of shape (n_classes, n_classes)
        Counts, rows the true classes and columns the predicted ones, as from
        :func:`nnfs.metrics.confusion_matrix`.
    class_names : sequence of str, optional
        Tick labels; by default 0, 1, 2...
    normalize : bool, default=False
        Colour and print each row as shares of its true class (each row sums
        to 1), which shows recall on the diagonal.
    path : str or path, optional
        File to save the figure to.
    title : str or None, default="confusion matrix"

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If ``matrix`` is not square, holds negative counts, or
        ``class_names`` has the wrong length.

    Examples
    --------
    >>> figure = plot_confusion_matrix([[5, 1], [0, 4]], class_names=["no", "yes"])
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('predicted class', 'true class')
    """
    where = "plot_confusion_matrix"
    matrix = as_float_array(matrix, "matrix", where)
    n_classes = matrix.shape[0]
    if matrix.shape != (n_classes, n_classes) or (matrix < 0).any():
        raise ValueError(
            f"{where}: matrix must be a square array of counts >= 0; "
            f"got shape {matrix.shape}"
        )
    if class_names is None:
        class_names = [str(k) for k in range(n_classes)]
    elif len(class_names) != n_classes:
        raise ValueError(
            f"{where}: class_names has {len(class_names)} names for {n_classes} classes"
        )
    shown = matrix
    if normalize:
        totals = matrix.sum(axis=1, keepdims=True)
        shown = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)

    size = max(4.0, 0.5 * n_classes + 2)
    figure = _new_figure(where, figsize=(size + 1, size), layout="constrained")
    ax = figure.subplots()
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    figure.colorbar(image, ax=ax, label="share of row" if normalize else "samples")
    ax.set_xticks(range(n_classes), class_names, rotation=45 if n_classes > 10 else 0)
    ax.set_yticks(range(n_classes), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if n_classes <= 30:
        high = shown.max() / 2 if shown.size else 0
        for i in range(n_classes):
            for j in range(n_classes):
                text = f"{shown[i, j]:.2f}" if normalize else f"{int(matrix[i, j])}"
                ax.text(
                    j,
                    i,
                    text,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if shown[i, j] > high else "black",
                )
    if title is not None:
        ax.set_title(str(title))
    return _finish(figure, path, where)


def _image_shape(n_features: int, image_shape, where: str) -> tuple[int, int]:
    if image_shape is None:
        side = int(round(np.sqrt(n_features)))
        if side * side != n_features:
            raise ValueError(
                f"{where}: cannot guess the image shape of {n_features} features; "
                "pass image_shape=(rows, cols)"
            )
        return side, side
    rows, cols = (check_int(n, "image_shape", where) for n in image_shape)
    if rows * cols != n_features:
        raise ValueError(
            f"{where}: image_shape {(rows, cols)} holds {rows * cols} pixels but "
            f"X has {n_features} features"
        )
    return rows, cols


def plot_misclassified(
    X,
    y_true,
    y_pred,
    *,
    image_shape: tuple[int, int] | None = None,
    class_names: Sequence[str] | None = None,
    max_images: int = 25,
    path: str | PathLike | None = None,
):
    """Grid of the images the model got wrong, titled "true -> predicted".

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Flattened images (for example 8x8 digits or 28x28 MNIST).
    y_true : array-like of shape (n_samples,), (n_samples, 1) or one-hot
        True classes.
    y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
        Predicted labels or probabilities (see :func:`nnfs.metrics.to_labels`).
    image_shape : (int, int), optional
        Rows and columns of one image; by default a square.
    class_names : sequence of str, optional
        Names used in the titles instead of class numbers.
    max_images : int, default=25
        Largest number of images shown (the first mistakes in order).
    path : str or path, optional
        File to save the figure to.

    Returns
    -------
    matplotlib.figure.Figure
        Its title gives the number of mistakes; a figure that says so when
        there are none.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If the lengths differ or the image shape does not fit ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.zeros((3, 4))
    >>> figure = plot_misclassified(X, [0, 1, 1], [0, 0, 1])
    >>> [ax.get_title() for ax in figure.axes]
    ['1 -> 0']
    """
    where = "plot_misclassified"
    X = as_float_array(X, "X", where)
    y_true = as_float_array(y_true, "y_true", where, ndim=None)
    y_pred = as_float_array(y_pred, "y_pred", where, ndim=None)
    if not X.shape[0] == y_true.shape[0] == y_pred.shape[0]:
        raise ValueError(
            f"{where}: X, y_true and y_pred must have the same length; got "
            f"{X.shape[0]}, {y_true.shape[0]} and {y_pred.shape[0]}"
        )
    max_images = check_int(max_images, "max_images", where)
    rows, cols = _image_shape(X.shape[1], image_shape, where)
    labels_true, labels_pred = to_labels(y_true), to_labels(y_pred)
    wrong = np.flatnonzero(labels_true != labels_pred)

    def name(label) -> str:
        return str(class_names[label]) if class_names is not None else str(label)

    shown = wrong[:max_images]
    n_cols = int(np.ceil(np.sqrt(max(shown.size, 1))))
    n_rows = int(np.ceil(max(shown.size, 1) / n_cols))
    figure = _new_figure(
        where, figsize=(1.6 * n_cols + 0.4, 1.7 * n_rows + 0.6), layout="constrained"
    )
    if shown.size == 0:
        figure.text(0.5, 0.5, "no misclassified samples", ha="center", va="center")
    for position, index in enumerate(shown):
        ax = figure.add_subplot(n_rows, n_cols, position + 1)
        ax.imshow(X[index].reshape(rows, cols), cmap="gray_r")
        ax.set_title(
            f"{name(labels_true[index])} -> {name(labels_pred[index])}", fontsize=9
        )
        ax.set_xticks([])
        ax.set_yticks([])
    figure.suptitle(
        f"misclassified: {wrong.size} of {X.shape[0]} (true -> predicted)"
        + (f", first {shown.size} shown" if wrong.size > shown.size else "")
    )
    return _finish(figure, path, where)


def plot_decision_boundary(
    model,
    X,
    y,
    *,
    resolution: int = 200,
    margin: float = 0.5,
    path: str | PathLike | None = None,
    title: str | None = None,
):
    """Regions a model assigns to each class over a 2-D input plane.

    Parameters
    ----------
    model : Sequential
        A model taking 2 features; its predictions are turned into classes by
        :func:`nnfs.metrics.to_labels` (argmax, or 0.5 for one column).
    X : array-like of shape (n_samples, 2)
        Points drawn over the regions; they also set the plotted range.
    y : array-like of shape (n_samples,), (n_samples, 1) or one-hot
        Their classes, which colour the points.
    resolution : int, default=200
        Grid points along each axis (the model predicts resolution**2 points).
    margin : float, default=0.5
        Extra room around the points, in data units.
    path : str or path, optional
        File to save the figure to.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If ``X`` does not have 2 features or the lengths differ.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.activations import Sigmoid
    >>> from nnfs.layers import Dense
    >>> from nnfs.model import Sequential
    >>> model = Sequential([Dense(2, 1, seed=0), Sigmoid()])
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0]])
    >>> figure = plot_decision_boundary(model, X, [0, 1], resolution=20)
    >>> figure.axes[0].get_xlabel()
    'x0'
    """
    where = "plot_decision_boundary"
    X = as_float_array(X, "X", where)
    y = as_float_array(y, "y", where, ndim=None)
    if X.shape[1] != 2:
        raise ValueError(f"{where}: X must have 2 features; got shape {X.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{where}: X has {X.shape[0]} samples but y has {y.shape[0]}")
    resolution = check_int(resolution, "resolution", where, minimum=2)
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(
        np.linspace(low[0], high[0], resolution),
        np.linspace(low[1], high[1], resolution),
    )
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])  # (resolution**2, 2)
    regions = to_labels(model.predict(grid)).reshape(resolution, resolution)
    labels = to_labels(y)
    n_classes = int(max(regions.max(), labels.max())) + 1

    figure = _new_figure(where, figsize=(6, 5), layout="constrained")
    ax = figure.subplots()
    # Class k gets colour "Ck" of the default cycle, in regions and points.
    colours = [f"C{k % 10}" for k in range(n_classes)]
    levels = np.arange(n_classes + 1) - 0.5
    ax.contourf(grid_x, grid_y, regions, levels=levels, colors=colours, alpha=0.3)
    for k in np.unique(labels):
        members = labels == k
        ax.scatter(
            X[members, 0],
            X[members, 1],
            color=colours[k],
            s=12,
            edgecolors="k",
            linewidths=0.3,
            label=f"class {k}",
        )
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.legend(loc="best", fontsize=8)
    if title is not None:
        ax.set_title(str(title))
    return _finish(figure, path, where)
