"""Small synthetic data sets for trying out models.

Every generator returns ``X`` of shape (n_samples, n_features) and ``Y`` of
shape (n_samples, 1), both float64; for the classification sets ``Y`` holds
the class index as a float (0.0, 1.0, ...), as the seed system did. Samples
are split as evenly as possible across the classes (the first classes take
one extra sample each when the division is not exact) and come ordered class
by class: shuffle them (:func:`nnfs.utils.shuffle` or
``BatchGenerator(..., shuffle=True)``) before training on mini-batches.

Randomness follows the project rule: pass ``seed`` or ``rng``, or neither to
draw from NumPy's global state so that ``np.random.seed(n)`` keeps a script
repeatable.
"""

import numpy as np

from nnfs._validation import check_int, check_real, check_rng

__all__ = [
    "generate_XOR_gate",
    "generate_concentric_circles",
    "generate_linear_data",
    "generate_spirals",
    "generate_two_moons",
]


def _class_sizes(n_samples: int, n_classes: int) -> list[int]:
    """Split ``n_samples`` into ``n_classes`` counts that differ by at most 1."""
    base, extra = divmod(n_samples, n_classes)
    return [base + (1 if k < extra else 0) for k in range(n_classes)]


def _labels(sizes: list[int]) -> np.ndarray:
    """Column of class indices, class ``k`` repeated ``sizes[k]`` times."""
    return np.repeat(np.arange(len(sizes), dtype=np.float64), sizes).reshape(-1, 1)


def generate_linear_data(
    m: float,
    b: float,
    n_samples: int,
    xmin: float = 0,
    xmax: float = 10,
    noise_scale: float = 2,
    *,
    seed: int | None = None,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy points on the line ``y = m * x + b``, for regression.

    Parameters
    ----------
    m, b : float
        Slope and intercept of the line.
    n_samples : int
        Number of points, ``>= 1``.
    xmin, xmax : float, default=0 and 10
        ``X`` is drawn uniformly from ``[xmin, xmax)``; ``xmin < xmax``.
    noise_scale : float, default=2
        Standard deviation of the Gaussian noise added to ``Y``, ``>= 0``.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Random source. With neither, NumPy's global random state is used.

    Returns
    -------
    X : ndarray of shape (n_samples, 1), float64
    Y : ndarray of shape (n_samples, 1), float64
        ``m * X + b + noise_scale * N(0, 1)``.

    Raises
    ------
    TypeError
        If ``n_samples`` is not an integer, or a number argument is not real.
    ValueError
        If ``n_samples < 1``, ``noise_scale < 0``, ``xmin >= xmax`` or a number
        is not finite.

    Examples
    --------
    >>> from nnfs.datasets import generate_linear_data
    >>> X, Y = generate_linear_data(2.0, 1.0, 5, noise_scale=0, seed=0)
    >>> X.shape, Y.shape
    ((5, 1), (5, 1))
    >>> bool(((Y - (2.0 * X + 1.0)) == 0).all())
    True
    """
    where = "generate_linear_data"
    m = check_real(m, "m", where)
    b = check_real(b, "b", where)
    n_samples = check_int(n_samples, "n_samples", where)
    xmin = check_real(xmin, "xmin", where)
    xmax = check_real(xmax, "xmax", where)
    if xmin >= xmax:
        raise ValueError(
            f"{where}: xmin must be smaller than xmax; got xmin={xmin!r}, xmax={xmax!r}"
        )
    noise_scale = check_real(noise_scale, "noise_scale", where, low=0)
    source = check_rng(seed, rng, where)

    X = source.uniform(xmin, xmax, size=(n_samples, 1))
    noise = source.standard_normal(size=(n_samples, 1))
    Y = m * X + b + noise_scale * noise
    return X, Y


def generate_XOR_gate() -> tuple[np.ndarray, np.ndarray]:
    """The four input pairs of a XOR gate and their outputs.

    Returns
    -------
    X : ndarray of shape (4, 2), float64
        ``[[0, 0], [0, 1], [1, 0], [1, 1]]``.
    Y : ndarray of shape (4, 1), float64
        ``[[0], [1], [1], [0]]``, the XOR of each row of ``X``.

    Examples
    --------
    >>> from nnfs.datasets import generate_XOR_gate
    >>> X, Y = generate_XOR_gate()
    >>> Y.ravel().tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    Y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, Y


def generate_two_moons(
    n_samples: int,
    noise: float = 0.1,
    *,
    seed: int | None = None,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, for binary classification.

    Parameters
    ----------
    n_samples : int
        Total number of points, ``>= 1``; class 0 takes the extra point when
        the number is odd.
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to each coordinate,
        ``>= 0``.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Random source. With neither, NumPy's global random state is used.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    Y : ndarray of shape (n_samples, 1), float64
        0.0 for the upper moon, 1.0 for the lower one.

    Raises
    ------
    TypeError
        If ``n_samples`` is not an integer or ``noise`` not a real number.
    ValueError
        If ``n_samples < 1`` or ``noise`` is negative or not finite.

    Notes
    -----
    Before noise, class 0 lies on ``(cos t, sin t)`` and class 1 on
    ``(1 - cos t, 0.5 - sin t)``, for ``t`` evenly spaced in ``[0, pi]``: the
    layout of scikit-learn's ``make_moons``.

    Examples
    --------
    >>> from nnfs.datasets import generate_two_moons
    >>> X, Y = generate_two_moons(5, seed=0)
    >>> X.shape, Y.ravel().tolist()
    ((5, 2), [0.0, 0.0, 0.0, 1.0, 1.0])
    """
    where = "generate_two_moons"
    n_samples = check_int(n_samples, "n_samples", where)
    noise = check_real(noise, "noise", where, low=0)
    source = check_rng(seed, rng, where)

    n_upper, n_lower = _class_sizes(n_samples, 2)
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.concatenate([upper, lower]) + noise * source.standard_normal((n_samples, 2))
    return X, _labels([n_upper, n_lower])


def generate_concentric_circles(
    n_samples: int,
    n_circles: int,
    binary: bool = False,
    noise: float = 0.1,
    *,
    seed: int | None = None,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Points on concentric circles around the origin, one class per circle.

    Parameters
    ----------
    n_samples : int
        Total number of points, ``>= 1``, split evenly across the circles.
    n_circles : int
        Number of circles, ``>= 1``. Circle ``k`` has radius ``k + 1``.
    binary : bool, default=False
        Label circles alternately 0 and 1 (``k % 2``) instead of ``k``.
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to each coordinate,
        ``>= 0``. The circles are 1 apart, so noise well below 0.5 keeps them
        separable.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Random source. With neither, NumPy's global random state is used.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    Y : ndarray of shape (n_samples, 1), float64
        The circle index ``k`` (``0 .. n_circles - 1``), or ``k % 2`` when
        ``binary``.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``n_circles`` is not an integer, ``binary`` not a
        bool, or ``noise`` not a real number.
    ValueError
        If ``n_samples < 1``, ``n_circles < 1`` or ``noise`` is negative or not
        finite.

    Notes
    -----
    The angle of each point is drawn uniformly from ``[0, 2 pi)``.

    Examples
    --------
    >>> from nnfs.datasets import generate_concentric_circles
    >>> X, Y = generate_concentric_circles(6, 3, seed=0)
    >>> X.shape, Y.ravel().tolist()
    ((6, 2), [0.0, 0.0, 1.0, 1.0, 2.0, 2.0])
    >>> _, Y = generate_concentric_circles(6, 3, binary=True, seed=0)
    >>> Y.ravel().tolist()
    [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    """
    where = "generate_concentric_circles"
    n_samples = check_int(n_samples, "n_samples", where)
    n_circles = check_int(n_circles, "n_circles", where)
    if not isinstance(binary, bool | np.bool_):
        raise TypeError(
            f"{where}: binary must be a bool; got {binary!r} "
            f"of type {type(binary).__name__}"
        )
    noise = check_real(noise, "noise", where, low=0)
    source = check_rng(seed, rng, where)

    sizes = _class_sizes(n_samples, n_circles)
    labels = _labels(sizes)
    radius = labels + 1.0  # (n_samples, 1), circle k has radius k + 1
    angle = source.uniform(0.0, 2.0 * np.pi, size=(n_samples, 1))
    X = radius * np.hstack([np.cos(angle), np.sin(angle)])  # (n_samples, 2)
    X += noise * source.standard_normal((n_samples, 2))
    if binary:
        labels = labels % 2
    return X, labels


def generate_spirals(
    n_samples: int,
    n_classes: int = 3,
    noise: float = 0.2,
    *,
    seed: int | None = None,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms around the origin, one class per arm.

    Parameters
    ----------
    n_samples : int
        Total number of points, ``>= 1``, split evenly across the arms.
    n_classes : int, default=3
        Number of arms, ``>= 1``.
    noise : float, default=0.2
        Standard deviation, in radians, of the Gaussian noise added to the
        angle of each point, ``>= 0``.
    seed : int, optional
        Seed for a private random generator.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Random source. With neither, NumPy's global random state is used.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
        Points inside the unit disc.
    Y : ndarray of shape (n_samples, 1), float64
        The arm index, ``0 .. n_classes - 1``.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``n_classes`` is not an integer or ``noise`` not a
        real number.
    ValueError
        If ``n_samples < 1``, ``n_classes < 1`` or ``noise`` is negative or not
        finite.

    Notes
    -----
    The layout of the CS231n spiral set: along arm ``k`` the radius ``r`` runs
    evenly from 0 to 1 and the angle is ``4 r + 2 pi k / n_classes`` plus
    noise, so each arm turns about two-thirds of a circle.

    Examples
    --------
    >>> from nnfs.datasets import generate_spirals
    >>> X, Y = generate_spirals(7, seed=0)
    >>> X.shape, Y.ravel().tolist()
    ((7, 2), [0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0])
    """
    where = "generate_spirals"
    n_samples = check_int(n_samples, "n_samples", where)
    n_classes = check_int(n_classes, "n_classes", where)
    noise = check_real(noise, "noise", where, low=0)
    source = check_rng(seed, rng, where)

    sizes = _class_sizes(n_samples, n_classes)
    labels = _labels(sizes)
    radius = np.concatenate([np.linspace(0.0, 1.0, size) for size in sizes])
    offset = 2.0 * np.pi * labels.ravel() / n_classes
    angle = 4.0 * radius + offset + noise * source.standard_normal(n_samples)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X, labels
