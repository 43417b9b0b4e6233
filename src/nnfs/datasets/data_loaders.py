"""Real data sets: the embedded 8x8 digits, MNIST and Fashion-MNIST.

:func:`load_digits` reads a small file shipped inside the package, so it works
offline on a fresh install. :func:`load_mnist` and :func:`load_fashion_mnist`
read the original IDX files (gzip or raw) from a cache folder; they download
them only when asked (``download=True``), from a fixed list of mirrors, and
check each file's SHA-256 before it enters the cache. Importing this module
never touches the network.

Every file is parsed without pickle: the digits file is read with
``np.load(allow_pickle=False)``, and :func:`read_idx` checks an IDX file's
magic number, dimensions and size before it allocates the data.
"""

import gzip
import hashlib
import io
import os
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from importlib import resources
from math import prod
from pathlib import Path

import numpy as np

from nnfs._validation import check_bool, check_dtype, check_int, check_real, check_rng

__all__ = ["load_digits", "load_fashion_mnist", "load_mnist", "read_idx"]

# Magic numbers of the two IDX files of every MNIST-style data set: two zero
# bytes, the data type (0x08 = unsigned byte) and the number of dimensions.
IDX_IMAGES_MAGIC = 0x00000803  # 2051: uint8, 3 dimensions (count, rows, cols)
IDX_LABELS_MAGIC = 0x00000801  # 2049: uint8, 1 dimension (count)

_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
_DEFAULT_MAX_BYTES = 1 << 30
_DOWNLOAD_TIMEOUT_S = 30


# ----------------------------------------------------------------------
# IDX files


def _describe_magic(magic: int) -> str:
    """Words for an IDX magic number, e.g. 'IDX images: uint8, 3 dimensions'."""
    code, ndim = (magic >> 8) & 0xFF, magic & 0xFF
    if magic >> 16 or code not in _IDX_DTYPES or ndim == 0:
        return "not an IDX header"
    kind = {IDX_IMAGES_MAGIC: "IDX images: ", IDX_LABELS_MAGIC: "IDX labels: "}
    plural = "s" if ndim > 1 else ""
    dtype = _IDX_DTYPES[code].newbyteorder("=").name
    return f"{kind.get(magic, 'IDX ')}{dtype}, {ndim} dimension{plural}"


def read_idx(
    source: str | os.PathLike | bytes,
    expected_magic: int | None = None,
    *,
    max_items: int | None = None,
    max_bytes: int = _DEFAULT_MAX_BYTES,
) -> np.ndarray:
    """Read one IDX file (the format of MNIST), raw or gzip-compressed.

    Parameters
    ----------
    source : str, path or bytes
        A file name, or the file's bytes. Gzip data is recognised by its first
        two bytes, whatever the file is called.
    expected_magic : int, optional
        Required magic number: 2051 for MNIST images, 2049 for labels.
    max_items : int, optional
        Largest count accepted in the first dimension.
    max_bytes : int, default=2**30
        Largest data size accepted, in bytes.

    Returns
    -------
    ndarray
        Shape as declared by the header (``(n, 28, 28)`` for MNIST images,
        ``(n,)`` for labels); the header's dtype in native byte order.

    Raises
    ------
    FileNotFoundError
        If ``source`` names a file that does not exist.
    TypeError
        If ``source`` is neither a path nor bytes.
    ValueError
        If the file is empty or not IDX, has another magic number than
        ``expected_magic``, declares a zero dimension, more than ``max_items``
        items or ``max_bytes`` bytes, is truncated, or holds more data than
        its header declares. Gzip data is decompressed only up to the size
        the header declares (plus one byte to detect excess), so a small file
        that expands far beyond it is refused without being expanded.

    Notes
    -----
    The header is: two zero bytes, a type code (0x08 uint8, 0x09 int8, 0x0B
    int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions
    ``d``, then ``d`` big-endian uint32 sizes; the data follows in C order.
    Every check runs before the data is read.

    Examples
    --------
    >>> header = bytes([0, 0, 8, 1]) + (3).to_bytes(4, "big")   # 2049, 3 labels
    >>> read_idx(header + bytes([7, 0, 9]), expected_magic=2049)
    array([7, 0, 9], dtype=uint8)
    """
    where = "read_idx"
    if expected_magic is not None:
        expected_magic = check_int(expected_magic, "expected_magic", where, minimum=0)
    if max_items is not None:
        max_items = check_int(max_items, "max_items", where)
    max_bytes = check_int(max_bytes, "max_bytes", where)

    if isinstance(source, bytes | bytearray | memoryview):
        label = "the given bytes"
        stream, size = io.BytesIO(source), len(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        label = str(path)
        if not path.is_file():
            raise FileNotFoundError(f"{where}: no such file: {path}")
        size = path.stat().st_size
        stream = open(path, "rb")  # closed by the with below
    else:
        raise TypeError(
            f"{where}: source must be a file path or bytes; got {type(source).__name__}"
        )

    with stream:
        if size == 0:
            raise ValueError(f"{where}: {label} is empty (0 bytes); expected IDX data")
        compressed = stream.read(2) == _GZIP_MAGIC
        stream.seek(0)
        if not compressed:
            return _parse_idx(stream, size, label, expected_magic, max_items, max_bytes)
        try:
            with gzip.GzipFile(fileobj=stream, mode="rb") as reader:
                return _parse_idx(
                    reader, None, label, expected_magic, max_items, max_bytes
                )
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(
                f"{where}: {label} is damaged gzip data ({error}); "
                "delete it and fetch it again"
            ) from error


def _read_up_to(stream, n_bytes: int) -> bytearray:
    """Read ``n_bytes`` or until the end, in chunks (memory follows real data)."""
    data = bytearray()
    while len(data) < n_bytes:
        chunk = stream.read(min(_CHUNK, n_bytes - len(data)))
        if not chunk:
            break
        data += chunk
    return data


def _parse_idx(stream, size, label, expected_magic, max_items, max_bytes):
    """Check the header, then read exactly the data it declares.

    ``size`` is the byte count of an uncompressed stream; None for gzip,
    whose data is checked while it is read.
    """
    where = "read_idx"
    prefix = bytes(_read_up_to(stream, 4))
    if len(prefix) < 4:
        raise ValueError(
            f"{where}: {label} is truncated: it ends after {len(prefix)} bytes, "
            "inside the 4-byte IDX magic number"
        )
    magic = int.from_bytes(prefix, "big")
    code, ndim = prefix[2], prefix[3]
    if prefix[:2] != b"\0\0" or code not in _IDX_DTYPES or ndim == 0:
        wanted = "" if expected_magic is None else f" (expected {expected_magic})"
        raise ValueError(
            f"{where}: {label} is not an IDX file: its magic number is {magic} "
            f"(0x{magic:08x}){wanted}; an IDX file starts with 0x0000, a type "
            "code and the number of dimensions"
        )
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(
            f"{where}: {label} has magic number {magic} ({_describe_magic(magic)}); "
            f"expected {expected_magic} ({_describe_magic(expected_magic)})"
        )

    header_size = 4 + 4 * ndim
    raw_dims = bytes(_read_up_to(stream, 4 * ndim))
    if len(raw_dims) < 4 * ndim:
        raise ValueError(
            f"{where}: {label} is truncated: the header declares {ndim} "
            f"dimensions ({header_size} header bytes) but the data ends after "
            f"{4 + len(raw_dims)} bytes"
        )
    dims = tuple(
        int.from_bytes(raw_dims[4 * i : 4 * i + 4], "big") for i in range(ndim)
    )
    if 0 in dims:
        raise ValueError(
            f"{where}: {label} declares shape {dims}; every dimension must be >= 1"
        )
    if max_items is not None and dims[0] > max_items:
        raise ValueError(
            f"{where}: {label} declares {dims[0]} items; at most {max_items} "
            "are expected here"
        )
    dtype = _IDX_DTYPES[code]
    n_bytes = prod(dims) * dtype.itemsize
    if n_bytes > max_bytes:
        raise ValueError(
            f"{where}: {label} declares shape {dims} of {dtype.name}, "
            f"{n_bytes} bytes, more than max_bytes={max_bytes}"
        )
    if size is not None and size != header_size + n_bytes:
        held = size - header_size
        state = "truncated" if held < n_bytes else "longer than its header says"
        raise ValueError(
            f"{where}: {label} is {state}: the header declares shape {dims} "
            f"({n_bytes} data bytes) but the file holds {held} data bytes"
        )

    payload = _read_up_to(stream, n_bytes)
    if len(payload) < n_bytes:
        raise ValueError(
            f"{where}: {label} is truncated: the header declares shape {dims} "
            f"({n_bytes} data bytes) but the data ends after {len(payload)}"
        )
    if stream.read(1):
        # Only gzip gets here (a raw file's size was checked above): stop
        # decompressing one byte past the declared size.
        raise ValueError(
            f"{where}: {label} expands beyond the {header_size + n_bytes} bytes "
            f"its header declares (shape {dims}); refusing to decompress further"
        )
    array = np.frombuffer(payload, dtype=dtype).reshape(dims)
    if dtype.itemsize > 1:
        array = array.astype(dtype.newbyteorder("="))
    return array


# ----------------------------------------------------------------------
# MNIST and Fashion-MNIST


@dataclass(frozen=True)
class _RemoteFile:
    """One published file: its name, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class _IdxDataSet:
    """An MNIST-style data set: four gzip IDX files and where to get them."""

    title: str
    folder: str
    mirrors: tuple[str, ...]
    train_images: _RemoteFile
    train_labels: _RemoteFile
    test_images: _RemoteFile
    test_labels: _RemoteFile
    n_train: int = 60000
    n_test: int = 10000

    @property
    def files(self) -> tuple[_RemoteFile, ...]:
        return (
            self.train_images,
            self.train_labels,
            self.test_images,
            self.test_labels,
        )


# SHA-256 and sizes as published in TensorFlow Datasets' checksum files
# (tensorflow_datasets/url_checksums/mnist.txt and fashion_mnist.txt).
_MNIST = _IdxDataSet(
    title="MNIST",
    folder="mnist",
    mirrors=(
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ),
    train_images=_RemoteFile(
        "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        9912422,
    ),
    train_labels=_RemoteFile(
        "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        28881,
    ),
    test_images=_RemoteFile(
        "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        1648877,
    ),
    test_labels=_RemoteFile(
        "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        4542,
    ),
)

_FASHION_MNIST = _IdxDataSet(
    title="Fashion-MNIST",
    folder="fashion-mnist",
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/"
        "master/data/fashion/",
    ),
    train_images=_RemoteFile(
        "train-images-idx3-ubyte.gz",
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        26421880,
    ),
    train_labels=_RemoteFile(
        "train-labels-idx1-ubyte.gz",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        29515,
    ),
    test_images=_RemoteFile(
        "t10k-images-idx3-ubyte.gz",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        4422102,
    ),
    test_labels=_RemoteFile(
        "t10k-labels-idx1-ubyte.gz",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        5148,
    ),
)


def _data_home(cache_dir, where: str) -> Path:
    """The cache root: ``cache_dir``, else $NNFS_DATA, else the user cache."""
    if cache_dir is not None:
        if not isinstance(cache_dir, str | os.PathLike):
            raise TypeError(
                f"{where}: cache_dir must be a folder path; "
                f"got {type(cache_dir).__name__}"
            )
        return Path(cache_dir).expanduser()
    if os.environ.get("NNFS_DATA"):
        return Path(os.environ["NNFS_DATA"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "nnfs"
    return Path.home() / ".cache" / "nnfs"


def _find_file(folder: Path, remote: _RemoteFile) -> Path | None:
    """The cached file, compressed (``name.gz``) or raw (``name``)."""
    for candidate in (folder / remote.name, folder / remote.name.removesuffix(".gz")):
        if candidate.is_file():
            return candidate
    return None


def _fetch(url: str, max_size: int) -> bytes:
    """The body of ``url``; refuses more than ``max_size`` bytes."""
    request = urllib.request.Request(url, headers={"User-Agent": "nnfs-numpy"})
    with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT_S) as response:
        data = _read_up_to(response, max_size + 1)
    if len(data) > max_size:
        raise ValueError(f"the server sent more than the expected {max_size} bytes")
    return bytes(data)


def _write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _download(data_set: _IdxDataSet, remote: _RemoteFile, folder: Path, where: str):
    """Fetch one file from the first mirror that serves the published bytes."""
    failures = []
    for mirror in data_set.mirrors:
        url = mirror + remote.name
        try:
            data = _fetch(url, remote.size)
        except (OSError, ValueError) as error:  # URLError and timeouts are OSError
            failures.append(f"{url}: {error}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != remote.sha256:
            failures.append(
                f"{url}: SHA-256 {digest} differs from the published {remote.sha256}"
            )
            continue
        target = folder / remote.name
        _write_atomic(target, data)
        return target
    raise ConnectionError(
        f"{where}: could not download {remote.name} into {folder}; "
        + "; ".join(failures)
    )


def _read_pair(images_path: Path, labels_path: Path, max_items: int, where: str):
    """Images (n, 28, 28) and labels (n,) of one split, checked against each other."""
    labels = read_idx(labels_path, IDX_LABELS_MAGIC, max_items=max_items)
    images = read_idx(images_path, IDX_IMAGES_MAGIC, max_items=max_items)
    if images.shape[1:] != (28, 28):
        rows, cols = images.shape[1:]
        raise ValueError(
            f"{where}: {images_path} declares {rows}x{cols} images; expected 28x28"
        )
    if images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{where}: {images_path} holds {images.shape[0]} images but "
            f"{labels_path} holds {labels.shape[0]} labels; the counts must match"
        )
    bad = np.flatnonzero(labels > 9)
    if bad.size:
        raise ValueError(
            f"{where}: {labels_path} holds label {labels[bad[0]]} at index "
            f"{bad[0]}; labels must be 0..9"
        )
    return images, labels


def _load_idx_data_set(data_set, cache_dir, download, split, dtype, scale, where):
    download = check_bool(download, "download", where)
    split = check_bool(split, "split", where)
    scale = check_bool(scale, "scale", where)
    dtype = check_dtype(dtype, where)
    folder = _data_home(cache_dir, where) / data_set.folder

    paths = {remote: _find_file(folder, remote) for remote in data_set.files}
    missing = [remote for remote, path in paths.items() if path is None]
    if missing and not download:
        names = ", ".join(remote.name for remote in missing)
        raise FileNotFoundError(
            f"{where}: {data_set.title} files missing from {folder}: {names}. "
            "Pass download=True to fetch them (SHA-256 checked) from "
            f"{', '.join(data_set.mirrors)}, or put the files there yourself "
            "(gzip or raw); the folder is cache_dir, else $NNFS_DATA, else "
            "the user cache (~/.cache/nnfs or $XDG_CACHE_HOME/nnfs)"
        )
    for remote in missing:
        paths[remote] = _download(data_set, remote, folder, where)

    images, labels = [], []
    for images_file, labels_file, max_items in (
        (data_set.train_images, data_set.train_labels, data_set.n_train),
        (data_set.test_images, data_set.test_labels, data_set.n_test),
    ):
        part_images, part_labels = _read_pair(
            paths[images_file], paths[labels_file], max_items, where
        )
        images.append(part_images.reshape(part_images.shape[0], -1))  # (n, 784)
        labels.append(part_labels.reshape(-1, 1))  # (n, 1)

    def as_float(pixels: np.ndarray) -> np.ndarray:
        X = pixels.astype(dtype)
        if scale:
            X /= 255
        return X

    if split:
        X_train, X_test = (as_float(part) for part in images)
        y_train, y_test = (part.astype(dtype) for part in labels)
        return X_train, X_test, y_train, y_test
    # Joined as bytes, then converted once: no second float copy.
    return as_float(np.concatenate(images)), np.concatenate(labels).astype(dtype)


def load_mnist(
    *,
    cache_dir: str | os.PathLike | None = None,
    download: bool = False,
    split: bool = False,
    dtype=np.float32,
    scale: bool = True,
):
    """Load MNIST: 70,000 grey 28x28 images of handwritten digits 0..9.

    The four IDX files are read from ``<cache>/mnist/`` (gzip or raw: the
    published names, with or without ``.gz``), where ``<cache>`` is
    ``cache_dir``, else the environment variable ``NNFS_DATA``, else
    ``$XDG_CACHE_HOME/nnfs``, else ``~/.cache/nnfs``.

    Parameters
    ----------
    cache_dir : str or path, optional
        Cache root; see above.
    download : bool, default=False
        Fetch missing files from the mirrors (one after another, 30 s timeout
        each) and keep them in the cache. A download must match the published
        SHA-256 before it is written (atomically) to the cache.
    split : bool, default=False
        Return the standard 60,000 / 10,000 train / test split.
    dtype : float32 or float64, default=np.float32
        Dtype of the returned arrays.
    scale : bool, default=True
        Divide the pixels by 255 to get values in [0, 1]; else 0..255.

    Returns
    -------
    X : ndarray of shape (70000, 784)
        One flattened image per row: the 60,000 training images, then the
        10,000 test images.
    y : ndarray of shape (70000, 1)
        The class of each row, 0..9, as a float (like the toy data sets).
    X_train, X_test, y_train, y_test : ndarray
        With ``split=True``: shapes (60000, 784), (10000, 784), (60000, 1)
        and (10000, 1).

    Raises
    ------
    FileNotFoundError
        If files are missing and ``download`` is False; the message names the
        files, the folder and the mirrors.
    ConnectionError
        If a missing file could not be fetched from any mirror, or no mirror
        served bytes with the published SHA-256.
    ValueError
        If a file is not a valid IDX file of the expected kind (see
        :func:`read_idx`), holds more than 60,000 (train) or 10,000 (test)
        items, image and label counts differ, a label is above 9 or the
        images are not 28x28.

    Notes
    -----
    Files already in the cache are not hashed (you may put raw files of your
    own there); their structure is checked as :func:`read_idx` describes.
    Source: Y. LeCun, C. Cortes and C. J. C. Burges, the MNIST database,
    http://yann.lecun.com/exdb/mnist/; SHA-256 values as published in
    TensorFlow Datasets.

    Examples
    --------
    >>> from tempfile import TemporaryDirectory
    >>> with TemporaryDirectory() as empty:
    ...     try:
    ...         load_mnist(cache_dir=empty)
    ...     except FileNotFoundError as error:
    ...         print("train-images-idx3-ubyte.gz" in str(error))
    True
    >>> X, y = load_mnist(download=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((70000, 784), (70000, 1))
    """
    return _load_idx_data_set(
        _MNIST, cache_dir, download, split, dtype, scale, "load_mnist"
    )


def load_fashion_mnist(
    *,
    cache_dir: str | os.PathLike | None = None,
    download: bool = False,
    split: bool = False,
    dtype=np.float32,
    scale: bool = True,
):
    """Load Fashion-MNIST: 70,000 grey 28x28 images of clothing, 10 classes.

    The same files, shapes, options and errors as :func:`load_mnist`, read
    from ``<cache>/fashion-mnist/``. The classes are 0 T-shirt/top,
    1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker,
    8 bag, 9 ankle boot.

    Parameters
    ----------
    cache_dir : str or path, optional
        Cache root, as in :func:`load_mnist`.
    download : bool, default=False
        Fetch missing files from the mirrors, checked against the published
        SHA-256 before they are kept.
    split : bool, default=False
        Return the standard 60,000 / 10,000 train / test split.
    dtype : float32 or float64, default=np.float32
        Dtype of the returned arrays.
    scale : bool, default=True
        Divide the pixels by 255 to get values in [0, 1]; else 0..255.

    Returns
    -------
    X : ndarray of shape (70000, 784)
        One flattened image per row, training images first.
    y : ndarray of shape (70000, 1)
        The class of each row, 0..9, as a float.
    X_train, X_test, y_train, y_test : ndarray
        With ``split=True``: shapes (60000, 784), (10000, 784), (60000, 1)
        and (10000, 1).

    Notes
    -----
    Source: H. Xiao, K. Rasul and R. Vollgraf (Zalando Research),
    https://github.com/zalandoresearch/fashion-mnist, MIT licence; SHA-256
    values as published in TensorFlow Datasets.

    Examples
    --------
    >>> from tempfile import TemporaryDirectory
    >>> with TemporaryDirectory() as empty:
    ...     try:
    ...         load_fashion_mnist(cache_dir=empty)
    ...     except FileNotFoundError as error:
    ...         print("fashion-mnist" in str(error))
    True
    >>> X_train, X_test, y_train, y_test = load_fashion_mnist(
    ...     download=True, split=True)  # doctest: +SKIP
    """
    return _load_idx_data_set(
        _FASHION_MNIST, cache_dir, download, split, dtype, scale, "load_fashion_mnist"
    )


# ----------------------------------------------------------------------
# The embedded 8x8 digits


def _read_digits_file() -> tuple[np.ndarray, np.ndarray]:
    """The packaged images (1797, 64) and labels (1797,), both uint8, checked."""
    where = "load_digits"
    ref = resources.files("nnfs.datasets") / "data" / "digits.npz"
    try:
        with np.load(io.BytesIO(ref.read_bytes()), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError) as error:
        raise ValueError(
            f"{where}: the packaged file {ref} cannot be read ({error}); "
            "reinstall nnfs-numpy"
        ) from error
    images, labels = arrays.get("images"), arrays.get("labels")
    if (
        set(arrays) != {"images", "labels"}
        or images.shape != (1797, 64)
        or labels.shape != (1797,)
        or images.dtype != np.uint8
        or labels.dtype != np.uint8
        or images.max() > 16
        or labels.max() > 9
    ):
        raise ValueError(
            f"{where}: the packaged file {ref} does not hold uint8 images "
            "(1797, 64) in 0..16 and labels (1797,) in 0..9; reinstall nnfs-numpy"
        )
    return images, labels


def _stratified_split(labels: np.ndarray, test_size: float, source):
    """Train and test indices holding about ``test_size`` of every class.

    Each class of ``n_k`` samples gives ``round(test_size * n_k)`` of them to
    the test set (at least one, and at least one left for training, when the
    class has two or more); both index arrays come in shuffled order.
    """
    train_parts, test_parts = [], []
    for value in np.unique(labels):
        members = np.flatnonzero(labels == value)
        members = members[source.permutation(members.size)]
        n_test = int(round(test_size * members.size))
        if members.size >= 2:
            n_test = min(max(n_test, 1), members.size - 1)
        test_parts.append(members[:n_test])
        train_parts.append(members[n_test:])
    train = np.concatenate(train_parts)
    test = np.concatenate(test_parts)
    return train[source.permutation(train.size)], test[source.permutation(test.size)]


def load_digits(
    *,
    test_size: float | None = None,
    seed: int | None = 0,
    scale: bool = True,
    dtype=np.float32,
):
    """Load the 1,797 8x8 handwritten digits shipped with nnfs (no network).

    Parameters
    ----------
    test_size : float, optional
        Share of each class held out for testing, in (0, 1). Without it the
        whole set is returned.
    seed : int or None, default=0
        Seed of the split; None draws from NumPy's global random state.
    scale : bool, default=True
        Divide the pixel counts (0..16) by 16 to get values in [0, 1].
    dtype : float32 or float64, default=np.float32
        Dtype of the returned arrays.

    Returns
    -------
    X : ndarray of shape (1797, 64)
        One image per row, the 8x8 pixels in row-major order.
    y : ndarray of shape (1797, 1)
        The digit, 0..9, as a float (like the toy data sets).
    X_train, X_test, y_train, y_test : ndarray
        With ``test_size``: a stratified split, the same for the same seed;
        ``X_test`` holds about ``test_size * 1797`` rows.

    Raises
    ------
    TypeError, ValueError
        For a bad ``test_size``, ``seed``, ``scale`` or ``dtype``.

    Notes
    -----
    Source: the UCI Machine Learning Repository data set "Optical
    Recognition of Handwritten Digits" by E. Alpaydin and C. Kaynak (1998),
    https://doi.org/10.24432/C50P49, licensed CC BY 4.0
    (https://creativecommons.org/licenses/by/4.0/). These are the 1,797
    samples of its test part, the copy scikit-learn ships; each pixel counts
    the ink in a 4x4 block of a 32x32 bitmap. The file and its licence note
    are in ``nnfs/datasets/data/``.

    Examples
    --------
    >>> from nnfs.datasets import load_digits
    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.max()), int(y.max())
    ((1797, 64), (1797, 1), 1.0, 9)
    >>> X_train, X_test, y_train, y_test = load_digits(test_size=0.2, seed=0)
    >>> X_train.shape, X_test.shape
    ((1438, 64), (359, 64))
    """
    where = "load_digits"
    scale = check_bool(scale, "scale", where)
    dtype = check_dtype(dtype, where)
    if test_size is not None:
        test_size = check_real(
            test_size, "test_size", where, low=0, high=1, low_open=True, high_open=True
        )
    source = check_rng(seed, None, where)

    images, labels = _read_digits_file()
    X = images.astype(dtype)
    if scale:
        X /= 16
    y = labels.reshape(-1, 1).astype(dtype)  # (1797, 1)
    if test_size is None:
        return X, y
    train, test = _stratified_split(labels, test_size, source)
    return X[train], X[test], y[train], y[test]
