"""Data augmentation for small image sets."""

import numpy as np

from nnfs._validation import as_float_array, check_int

__all__ = ["shifted_copies"]


def shifted_copies(
    X: np.ndarray, y: np.ndarray, image_shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Add four copies of each image, shifted by one pixel down, up, right, left.

    A digit moved by one pixel is still the same digit, so the copies teach a
    network that small translations do not matter: on the 8x8 digits they are
    worth about one point of test accuracy. The row or column moved in is
    blank (0).

    Parameters
    ----------
    X : ndarray of shape (n_samples, rows * cols)
        Flattened images.
    y : ndarray of shape (n_samples, ...)
        Their targets, repeated for the copies.
    image_shape : tuple of int
        ``(rows, cols)`` of one image.

    Returns
    -------
    X_more : ndarray of shape (5 * n_samples, rows * cols)
        The originals first, then the four shifted sets.
    y_more : ndarray of shape (5 * n_samples, ...)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 5, 0, 0, 0, 0]])  # one 2x3 image, ink at (0, 1)
    >>> X_more, y_more = shifted_copies(X, np.array([[7]]), (2, 3))
    >>> X_more[1].reshape(2, 3)  # shifted down
    array([[0, 0, 0],
           [0, 5, 0]])
    """
    where = "shifted_copies"
    if not (isinstance(image_shape, tuple | list) and len(image_shape) == 2):
        raise TypeError(
            f"{where}: image_shape must be (rows, cols); got {image_shape!r}"
        )
    rows = check_int(image_shape[0], "image_shape[0]", where)
    cols = check_int(image_shape[1], "image_shape[1]", where)
    X = np.asarray(X)
    as_float_array(X, "X", where, check_finite=False)  # kind and 2-D checks only
    if X.shape[1] != rows * cols:
        raise ValueError(
            f"{where}: X must have rows * cols = {rows * cols} columns for images "
            f"of shape {(rows, cols)}; got shape {X.shape}"
        )
    y = np.asarray(y)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{where}: X has {X.shape[0]} samples but y has {y.shape[0]}")

    images = X.reshape(-1, rows, cols)  # (n, rows, cols)
    copies = [images]
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        shifted = np.zeros_like(images)
        # Destination and source windows of the same size, offset by (dy, dx).
        shifted[:, max(dy, 0) : rows + min(dy, 0), max(dx, 0) : cols + min(dx, 0)] = (
            images[:, max(-dy, 0) : rows - max(dy, 0), max(-dx, 0) : cols - max(dx, 0)]
        )
        copies.append(shifted)
    return np.concatenate(copies).reshape(-1, rows * cols), np.concatenate([y] * 5)
