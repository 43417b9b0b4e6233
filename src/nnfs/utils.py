"""Helpers around the training data: mini-batches, shuffling, one-hot labels.

None of them copies the whole data set more than once: ``BatchGenerator``
slices (or indexes) one batch at a time, and shuffling permutes an index once
per epoch rather than the data.
"""

from collections.abc import Iterator, Sequence

import numpy as np

from nnfs._validation import as_float_array, check_dtype, check_int, check_rng

__all__ = ["BatchGenerator", "class_to_onehot", "shuffle"]


def _as_samples(array, name: str, where: str) -> np.ndarray:
    """Return ``array`` as an ndarray of at least one dimension, without copying.

    Unlike ``as_float_array`` the dtype is kept: these helpers only reorder
    and slice rows, so integer labels stay integers and nothing is converted.
    """
    if isinstance(array, np.ndarray):
        data = array
    else:
        try:
            data = np.asarray(array)
        except (ValueError, TypeError) as error:
            raise TypeError(
                f"{where}: {name} must be an array; got {type(array).__name__} "
                f"that NumPy cannot convert ({error})"
            ) from error
    if data.ndim == 0:
        raise ValueError(
            f"{where}: {name} must be at least 1-D with samples along the first "
            f"axis; got a 0-D array ({data!r})"
        )
    return data


class BatchGenerator:
    """Serve a data set as mini-batches, epoch after epoch.

    Parameters
    ----------
    X_data : array-like of shape (n_samples, ...)
        Inputs, with samples along the first axis.
    y_data : array-like of shape (n_samples, ...)
        Targets, aligned with ``X_data`` row by row.
    batch_size : int, default=128
        Samples per batch, ``>= 1``, or ``-1`` for the whole set in one batch.
        A value larger than ``n_samples`` also gives one batch.
    shuffle : bool, default=False
        Draw a new order of the samples at the start of every epoch.
    seed : int, optional
        Seed for a private random generator (used only when ``shuffle``).
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Random source to draw the orders from. With neither ``seed`` nor
        ``rng``, NumPy's global random state is used, so ``np.random.seed(n)``
        makes the order repeatable.

    Attributes
    ----------
    n_samples : int
        Number of samples in the data set.
    batch_size : int
        Effective batch size: the requested one, capped at ``n_samples``.
    num_batches : int
        Batches per epoch, ``ceil(n_samples / batch_size)``.

    Raises
    ------
    TypeError
        If ``batch_size`` is not an integer (bools included) or ``shuffle`` is
        not a bool.
    ValueError
        If ``batch_size`` is 0 or below -1, if ``X_data`` and ``y_data`` differ
        in length, or if either is 0-D or holds no samples.

    Notes
    -----
    Every epoch visits each sample exactly once. The last batch of an epoch
    holds the ``n_samples % batch_size`` leftover samples when the division is
    not exact; it is never dropped. The arrays are neither copied nor
    converted: without shuffling a batch is a view into the data, with
    shuffling a batch is gathered through a permuted index (drawn once per
    epoch).

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.utils import BatchGenerator
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> y = np.arange(5.0).reshape(5, 1)
    >>> batches = BatchGenerator(X, y, batch_size=2)
    >>> batches.num_batches
    3
    >>> [y_batch.ravel().tolist() for _, y_batch in batches]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    """

    def __init__(
        self,
        X_data: np.ndarray,
        y_data: np.ndarray,
        batch_size: int = 128,
        *,
        shuffle: bool = False,
        seed: int | None = None,
        rng: np.random.Generator | np.random.RandomState | None = None,
    ) -> None:
        where = "BatchGenerator"
        X = _as_samples(X_data, "X_data", where)
        y = _as_samples(y_data, "y_data", where)
        if len(X) != len(y):
            raise ValueError(
                f"{where}: X_data has {len(X)} samples but y_data has {len(y)}; "
                "lengths must match"
            )
        if len(X) == 0:
            raise ValueError(
                f"{where}: X_data has shape {X.shape} with 0 samples; "
                "at least one sample is required"
            )
        batch_size = check_int(batch_size, "batch_size", where, minimum=None)
        if batch_size < 1 and batch_size != -1:
            raise ValueError(
                f"{where}: batch_size must be >= 1, or -1 for the whole set; "
                f"got {batch_size}"
            )
        if not isinstance(shuffle, bool | np.bool_):
            raise TypeError(
                f"{where}: shuffle must be a bool; got {shuffle!r} "
                f"of type {type(shuffle).__name__}"
            )

        self.X_data = X
        self.y_data = y
        self.n_samples = len(X)
        self.batch_size = (
            self.n_samples if batch_size == -1 else min(batch_size, self.n_samples)
        )
        self.num_batches = -(-self.n_samples // self.batch_size)
        self.shuffle = bool(shuffle)
        self._rng = check_rng(seed, rng, where)
        self._position = 0  # index of the next batch inside the current epoch
        self._order: np.ndarray | None = None

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the next batch, starting a new epoch after the last one.

        Returns
        -------
        X_batch : ndarray of shape (batch_size or fewer, ...)
        y_batch : ndarray of shape (batch_size or fewer, ...)
            Rows of ``X_data`` and ``y_data`` for the same samples; only the
            last batch of an epoch can be shorter.

        Examples
        --------
        >>> import numpy as np
        >>> from nnfs.utils import BatchGenerator
        >>> batches = BatchGenerator(np.arange(3), np.arange(3), batch_size=2)
        >>> [batches.next()[0].tolist() for _ in range(3)]
        [[0, 1], [2], [0, 1]]
        """
        if self._position == 0 and self.shuffle:
            self._order = self._rng.permutation(self.n_samples)

        start = self._position * self.batch_size
        stop = min(start + self.batch_size, self.n_samples)
        self._position = (self._position + 1) % self.num_batches

        if self.shuffle:
            index = self._order[start:stop]
            return self.X_data[index], self.y_data[index]
        return self.X_data[start:stop], self.y_data[start:stop]

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield the batches of one fresh epoch (a new order when shuffling)."""
        self._position = 0
        for _ in range(self.num_batches):
            yield self.next()

    def __len__(self) -> int:
        return self.num_batches

    def __repr__(self) -> str:
        return (
            f"BatchGenerator(n_samples={self.n_samples}, "
            f"batch_size={self.batch_size}, num_batches={self.num_batches}, "
            f"shuffle={self.shuffle})"
        )


def shuffle(
    list_arrays: Sequence[np.ndarray],
    *,
    seed: int | None = None,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> list[np.ndarray]:
    """Permute several arrays along their first axis with one common order.

    Parameters
    ----------
    list_arrays : list or tuple of array-like, each of shape (n_samples, ...)
        Arrays whose rows belong together (for example ``[X, y]``).
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Random source. With neither ``seed`` nor ``rng``, NumPy's global
        random state is used.

    Returns
    -------
    list of ndarray
        New arrays, in the order given, each permuted by the same permutation,
        so row ``i`` of every output comes from the same sample. The inputs
        are left untouched.

    Raises
    ------
    TypeError
        If ``list_arrays`` is not a list or tuple (a bare array is refused:
        wrap it as ``[X]``).
    ValueError
        If ``list_arrays`` is empty, an array is 0-D, or the lengths differ.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.utils import shuffle
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> y = np.array([0, 1, 2])
    >>> X_new, y_new = shuffle([X, y], seed=0)
    >>> bool((X_new.ravel() == y_new).all())
    True
    """
    where = "shuffle"
    if not isinstance(list_arrays, list | tuple):
        raise TypeError(
            f"{where}: list_arrays must be a list or tuple of arrays; got "
            f"{type(list_arrays).__name__} (wrap a single array as [X])"
        )
    if len(list_arrays) == 0:
        raise ValueError(f"{where}: list_arrays must hold at least one array; got []")
    arrays = [
        _as_samples(array, f"list_arrays[{i}]", where)
        for i, array in enumerate(list_arrays)
    ]
    lengths = [len(array) for array in arrays]
    if len(set(lengths)) != 1:
        raise ValueError(
            f"{where}: every array in list_arrays must have the same length; "
            f"got lengths {lengths}"
        )
    source = check_rng(seed, rng, where)

    order = source.permutation(lengths[0])
    # Indexing with an integer array always returns a new array.
    return [array[order] for array in arrays]


def class_to_onehot(
    y: np.ndarray, num_classes: int | None = None, *, dtype=np.float32
) -> np.ndarray:
    """Turn integer class labels into one-hot rows.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, 1)
        Class labels in ``[0, num_classes)``. Integer-valued floats such as
        ``2.0`` are accepted.
    num_classes : int, optional
        Number of classes, ``>= 1``. Inferred as ``max(y) + 1`` when omitted.
    dtype : float32 or float64, default=float32
        Dtype of the result.

    Returns
    -------
    ndarray of shape (n_samples, num_classes)
        Row ``i`` is 1 in column ``y[i]`` and 0 elsewhere.

    Raises
    ------
    TypeError
        If ``y`` does not hold numbers or ``num_classes`` is not an integer.
    ValueError
        If ``y`` has another shape, is empty or non-finite; if a label is
        negative, not an integer, or ``>= num_classes``; if ``num_classes < 1``;
        if ``dtype`` is not float32 or float64.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.utils import class_to_onehot
    >>> class_to_onehot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """
    where = "class_to_onehot"
    labels = as_float_array(y, "y", where, ndim=None)
    if not (labels.ndim == 1 or (labels.ndim == 2 and labels.shape[1] == 1)):
        raise ValueError(
            f"{where}: y must have shape (n_samples,) or (n_samples, 1); "
            f"got shape {labels.shape}"
        )
    labels = labels.reshape(-1)
    if num_classes is not None:
        num_classes = check_int(num_classes, "num_classes", where)
    dtype = check_dtype(dtype, where)

    expected = (
        "num_classes inferred as max(y) + 1"
        if num_classes is None
        else f"num_classes={num_classes}"
    )
    non_integer = labels != np.floor(labels)
    if non_integer.any():
        bad = float(labels[non_integer][0])
        raise ValueError(
            f"{where}: y holds the non-integer label {bad!r}; labels must be "
            f"integers in [0, num_classes) with {expected}"
        )
    if num_classes is None:
        num_classes = max(int(labels.max()) + 1, 1)
        expected = f"num_classes={num_classes} inferred as max(y) + 1"
    out_of_range = (labels < 0) | (labels >= num_classes)
    if out_of_range.any():
        bad = int(labels[out_of_range][0])
        raise ValueError(
            f"{where}: y holds the label {bad}; labels must be integers in "
            f"[0, {num_classes}) with {expected}"
        )

    onehot = np.zeros((labels.size, num_classes), dtype=dtype)
    onehot[np.arange(labels.size), labels.astype(np.intp)] = 1
    return onehot
