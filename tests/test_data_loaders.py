"""Tests for nnfs.datasets.data_loaders: embedded digits, IDX files, MNIST.

No test touches the network: every test writes its own small IDX files, and
an autouse fixture makes any attempt to open a URL fail loudly.
"""

import gzip
import hashlib
import io
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from nnfs.datasets import (
    data_loaders,
    load_digits,
    load_fashion_mnist,
    load_mnist,
    read_idx,
)
from nnfs.datasets.data_loaders import _IdxDataSet, _RemoteFile, _stratified_split


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a URL")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


# ---------------------------------------------------------------- helpers


def idx(array, code=0x08, dtype=np.uint8) -> bytes:
    """The IDX encoding of ``array``: header, then big-endian data."""
    array = np.asarray(array)
    header = bytes([0, 0, code, array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.dtype(dtype).newbyteorder(">")).tobytes()


def images(n, rows=28, cols=28, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, rows, cols), np.uint8)


def labels(n, seed=0):
    return np.random.default_rng(seed).integers(0, 10, n, np.uint8)


def write_set(folder, n_train=5, n_test=3, compress=True, **overrides):
    """Write the four MNIST files into ``folder``; return the arrays written.

    ``overrides`` maps a file role (train_images, ...) to bytes written
    instead of the valid content.
    """
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "train_images": images(n_train, seed=1),
        "train_labels": labels(n_train, seed=2),
        "test_images": images(n_test, seed=3),
        "test_labels": labels(n_test, seed=4),
    }
    names = {
        "train_images": "train-images-idx3-ubyte",
        "train_labels": "train-labels-idx1-ubyte",
        "test_images": "t10k-images-idx3-ubyte",
        "test_labels": "t10k-labels-idx1-ubyte",
    }
    for role, name in names.items():
        content = overrides.get(role, idx(arrays[role]))
        if compress:
            (folder / f"{name}.gz").write_bytes(gzip.compress(content))
        else:
            (folder / name).write_bytes(content)
    return arrays


# ---------------------------------------------------------------- read_idx


def test_read_idx_hand_worked_labels_and_images():
    # 0x00000801 = 2049: unsigned bytes, 1 dimension of size 3.
    data = bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9])
    np.testing.assert_array_equal(read_idx(data, 2049), [7, 0, 9])
    # 2051: 2 images of 2x3 pixels, then 12 bytes in C order.
    data = bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(12))
    result = read_idx(data, 2051)
    assert result.shape == (2, 2, 3) and result.dtype == np.uint8
    np.testing.assert_array_equal(result[1], [[6, 7, 8], [9, 10, 11]])


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_from_a_file_raw_and_gzip(tmp_path, compress):
    array = images(4, seed=5)
    content = idx(array)
    path = tmp_path / "x-idx3-ubyte"
    path.write_bytes(gzip.compress(content) if compress else content)
    result = read_idx(path, expected_magic=2051)
    np.testing.assert_array_equal(result, array)
    assert result.flags.writeable
    # A str path and the bytes themselves give the same array.
    np.testing.assert_array_equal(read_idx(str(path)), array)
    np.testing.assert_array_equal(read_idx(path.read_bytes()), array)


@pytest.mark.parametrize(
    ("code", "dtype"),
    [
        (0x09, np.int8),
        (0x0B, np.int16),
        (0x0C, np.int32),
        (0x0D, np.float32),
        (0x0E, np.float64),
    ],
)
def test_read_idx_other_types_come_back_in_native_byte_order(code, dtype):
    array = np.array([[-3, 2], [100, -1]], dtype=dtype)
    result = read_idx(idx(array, code=code, dtype=dtype))
    np.testing.assert_array_equal(result, array)
    assert result.dtype == np.dtype(dtype) and result.dtype.isnative


def test_d5_missing_file_names_the_path(tmp_path):
    missing = tmp_path / "nothing-here.gz"
    with pytest.raises(FileNotFoundError, match=r"read_idx: no such file: .*nothing"):
        read_idx(missing)


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        # D6: empty, and truncated inside the magic number
        (b"", r"is empty \(0 bytes\)"),
        (b"\x00\x00\x08", r"truncated: it ends after 3 bytes"),
        # D6: not IDX at all (a PNG signature), and a bad type code
        (b"\x89PNG\r\n\x1a\n", r"not an IDX file: its magic number is 2303741511"),
        (b"\x00\x00\x07\x01\x00\x00\x00\x01\x00", r"not an IDX file"),
        (b"\x00\x00\x08\x00", r"not an IDX file"),
        # D6: the header ends inside the dimensions
        (bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0]), r"truncated: the header declares 3"),
        # D6: fewer data bytes than declared: 2 x 2 x 2 = 8, 5 present
        (
            bytes([0, 0, 8, 3]) + (2).to_bytes(4, "big") * 3 + bytes(5),
            r"truncated: .* \(8 data bytes\) but the file holds 5",
        ),
        # more data than declared
        (
            bytes([0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3]),
            r"longer than its header says: .* \(2 data bytes\) but the file holds 3",
        ),
        # a zero dimension
        (bytes([0, 0, 8, 1, 0, 0, 0, 0]), r"declares shape \(0,\); every dimension"),
    ],
)
@pytest.mark.parametrize("compress", [False, True])
def test_d6_malformed_files_raise_value_error(tmp_path, content, pattern, compress):
    if compress and content:
        content = gzip.compress(content)
        pattern = pattern.replace("the file holds 5", "the data ends after 5")
        pattern = pattern.replace(
            r"longer than its header says: .* \(2 data bytes\) but the file holds 3",
            r"expands beyond the 10 bytes its header declares",
        )
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=pattern):
        read_idx(path)


def test_d6_wrong_magic_number_names_both():
    with pytest.raises(
        ValueError,
        match=r"has magic number 2049 \(IDX labels: uint8, 1 dimension\); "
        r"expected 2051 \(IDX images: uint8, 3 dimensions\)",
    ):
        read_idx(idx(labels(3)), expected_magic=2051)


def test_d6_damaged_gzip_is_a_value_error(tmp_path):
    damaged = gzip.compress(idx(labels(50)))[:-12]  # cut inside the stream
    with pytest.raises(ValueError, match=r"is damaged gzip data"):
        read_idx(damaged)
    junk = b"\x1f\x8b" + bytes(range(40))
    with pytest.raises(ValueError, match=r"is damaged gzip data"):
        read_idx(junk)


def test_d8_gzip_that_expands_beyond_the_header_is_refused(monkeypatch):
    # 2 labels declared, then 64 MiB of zeros that compress to ~64 KiB.
    bomb = gzip.compress(idx(np.array([1, 2])) + bytes(64 << 20), compresslevel=9)
    assert len(bomb) < 100_000
    read_sizes = []
    original = data_loaders._read_up_to

    def spy(stream, n_bytes):
        read_sizes.append(n_bytes)
        return original(stream, n_bytes)

    monkeypatch.setattr(data_loaders, "_read_up_to", spy)
    with pytest.raises(ValueError, match=r"expands beyond the 10 bytes its header"):
        read_idx(bomb, expected_magic=2049)
    # Nothing past the declared size was asked for (then one probe byte).
    assert sum(read_sizes) == 4 + 4 + 2


def test_size_limits_are_checked_before_any_data_is_read():
    # A header declaring 2**32 - 1 images of 2**16 x 2**16 pixels, no data.
    header = bytes([0, 0, 8, 3]) + (2**32 - 1).to_bytes(4, "big")
    header += (2**16).to_bytes(4, "big") * 2
    with pytest.raises(ValueError, match=r"bytes, more than max_bytes=1073741824"):
        read_idx(header)
    with pytest.raises(ValueError, match=r"declares 4294967295 items; at most 10"):
        read_idx(header, max_items=10)
    with pytest.raises(ValueError, match=r"more than max_bytes=100"):
        read_idx(idx(np.zeros((1, 11, 11))), max_bytes=100)  # 121 bytes


def test_read_idx_argument_types():
    with pytest.raises(TypeError, match=r"read_idx: source must be a file path or"):
        read_idx(12)
    with pytest.raises(TypeError, match=r"read_idx: expected_magic must be an int"):
        read_idx(idx(labels(2)), expected_magic="2049")


# ---------------------------------------------------------------- MNIST


@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_from_small_files(tmp_path, compress):
    arrays = write_set(tmp_path / "mnist", compress=compress)
    X, y = load_mnist(cache_dir=tmp_path)
    assert X.shape == (8, 784) and y.shape == (8, 1)
    assert X.dtype == np.float32 and y.dtype == np.float32
    # The training images first, then the test images, scaled by 1/255.
    expected = np.concatenate([arrays["train_images"], arrays["test_images"]])
    np.testing.assert_allclose(X * 255, expected.reshape(8, 784), rtol=0, atol=1e-4)
    expected_labels = np.concatenate([arrays["train_labels"], arrays["test_labels"]])
    np.testing.assert_array_equal(y.ravel(), expected_labels)
    assert 0.0 <= X.min() and X.max() <= 1.0


def test_load_mnist_split_dtype_and_scale(tmp_path):
    arrays = write_set(tmp_path / "mnist", n_train=4, n_test=2)
    X_train, X_test, y_train, y_test = load_mnist(
        cache_dir=tmp_path, split=True, dtype=np.float64, scale=False
    )
    assert X_train.shape == (4, 784) and X_test.shape == (2, 784)
    assert y_train.shape == (4, 1) and y_test.shape == (2, 1)
    assert X_train.dtype == np.float64
    np.testing.assert_array_equal(X_test, arrays["test_images"].reshape(2, 784))
    np.testing.assert_array_equal(y_test.ravel(), arrays["test_labels"])


def test_load_mnist_accepts_raw_and_gzip_files_side_by_side(tmp_path):
    folder = tmp_path / "mnist"
    arrays = write_set(folder, compress=True)
    # Replace one file by its raw version.
    gz = folder / "t10k-labels-idx1-ubyte.gz"
    (folder / "t10k-labels-idx1-ubyte").write_bytes(gzip.decompress(gz.read_bytes()))
    gz.unlink()
    _, _, _, y_test = load_mnist(cache_dir=tmp_path, split=True)
    np.testing.assert_array_equal(y_test.ravel(), arrays["test_labels"])


def test_fashion_mnist_reads_its_own_folder(tmp_path):
    arrays = write_set(tmp_path / "fashion-mnist", n_train=2, n_test=1)
    X, y = load_fashion_mnist(cache_dir=str(tmp_path))
    assert X.shape == (3, 784)
    np.testing.assert_array_equal(y[:2].ravel(), arrays["train_labels"])
    with pytest.raises(FileNotFoundError, match=r"load_mnist: MNIST files missing"):
        load_mnist(cache_dir=tmp_path)


def test_d5_missing_files_name_files_folder_and_mirrors(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        load_mnist(cache_dir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "mnist") in message
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        assert name in message
    assert "https://storage.googleapis.com/cvdf-datasets/mnist/" in message
    assert "download=True" in message


def test_d5_one_missing_file_is_named_alone(tmp_path):
    write_set(tmp_path / "mnist")
    (tmp_path / "mnist" / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match=r"missing from .*: train-labels-idx1"):
        load_mnist(cache_dir=tmp_path)


def test_cache_folder_from_environment(tmp_path, monkeypatch):
    write_set(tmp_path / "env" / "mnist", n_train=1, n_test=1)
    monkeypatch.setenv("NNFS_DATA", str(tmp_path / "env"))
    assert load_mnist()[0].shape == (2, 784)
    # The argument wins over the variable.
    with pytest.raises(FileNotFoundError, match=r"other"):
        load_mnist(cache_dir=tmp_path / "other")


def test_cache_folder_falls_back_to_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.delenv("NNFS_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with pytest.raises(FileNotFoundError, match=r"xdg.nnfs.mnist"):
        load_mnist()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with pytest.raises(FileNotFoundError, match=r"home.\.cache.nnfs.mnist"):
        load_mnist()


def test_d7_image_and_label_counts_must_match(tmp_path):
    write_set(tmp_path / "mnist", train_labels=idx(labels(4)))  # 5 images
    with pytest.raises(
        ValueError, match=r"holds 5 images but .*train-labels.* holds 4 labels"
    ):
        load_mnist(cache_dir=tmp_path)


def test_d7_label_above_9(tmp_path):
    bad = labels(3)
    bad[1] = 12
    write_set(tmp_path / "mnist", test_labels=idx(bad))
    with pytest.raises(ValueError, match=r"holds label 12 at index 1; labels must be"):
        load_mnist(cache_dir=tmp_path)


def test_d7_images_must_be_28_by_28(tmp_path):
    write_set(tmp_path / "mnist", train_images=idx(images(5, 32, 32)))
    with pytest.raises(ValueError, match=r"declares 32x32 images; expected 28x28"):
        load_mnist(cache_dir=tmp_path)


def test_d6_labels_file_in_place_of_images(tmp_path):
    write_set(tmp_path / "mnist", train_images=idx(labels(5)))
    with pytest.raises(ValueError, match=r"magic number 2049 .* expected 2051"):
        load_mnist(cache_dir=tmp_path)


def test_d6_truncated_cached_file(tmp_path):
    write_set(tmp_path / "mnist", compress=False, test_images=idx(images(3))[:-100])
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte is truncated"):
        load_mnist(cache_dir=tmp_path)


def test_more_items_than_the_real_set_holds_are_refused(tmp_path):
    header = bytes([0, 0, 8, 1]) + (10_001).to_bytes(4, "big")
    write_set(tmp_path / "mnist", test_labels=header)
    with pytest.raises(ValueError, match=r"declares 10001 items; at most 10000"):
        load_mnist(cache_dir=tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"download": "yes"}, TypeError, r"load_mnist: download must be a bool"),
        ({"split": 1}, TypeError, r"load_mnist: split must be a bool"),
        ({"dtype": np.int32}, ValueError, r"load_mnist: dtype must be float32"),
        ({"cache_dir": 3}, TypeError, r"load_mnist: cache_dir must be a folder"),
    ],
)
def test_load_mnist_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        load_mnist(**kwargs)


def test_published_checksums_are_well_formed():
    for data_set in (data_loaders._MNIST, data_loaders._FASHION_MNIST):
        assert len(data_set.files) == 4
        for remote in data_set.files:
            assert len(remote.sha256) == 64
            int(remote.sha256, 16)
            assert remote.name.endswith("-ubyte.gz") and remote.size > 4000
        assert all(mirror.endswith("/") for mirror in data_set.mirrors)


# ---------------------------------------------------------------- downloads


def fake_set(contents: dict[str, bytes], sha_override=None) -> _IdxDataSet:
    """A data set whose files are ``contents`` (name -> gzip bytes)."""
    remotes = [
        _RemoteFile(name, sha_override or hashlib.sha256(data).hexdigest(), len(data))
        for name, data in contents.items()
    ]
    return _IdxDataSet(
        "MNIST",
        "mnist",
        ("https://first.invalid/", "https://second.invalid/"),
        *remotes,
    )


def published(n_train=3, n_test=2):
    return {
        "train-images-idx3-ubyte.gz": gzip.compress(idx(images(n_train, seed=1))),
        "train-labels-idx1-ubyte.gz": gzip.compress(idx(labels(n_train, seed=2))),
        "t10k-images-idx3-ubyte.gz": gzip.compress(idx(images(n_test, seed=3))),
        "t10k-labels-idx1-ubyte.gz": gzip.compress(idx(labels(n_test, seed=4))),
    }


def test_download_checks_hashes_falls_back_and_writes_atomically(tmp_path, monkeypatch):
    contents = published()
    monkeypatch.setattr(data_loaders, "_MNIST", fake_set(contents))
    requested = []

    def fetch(url, max_size):
        requested.append(url)
        if url.startswith("https://first.invalid/"):
            raise urllib.error.URLError("first mirror down")
        return contents[url.rsplit("/", 1)[1]]

    monkeypatch.setattr(data_loaders, "_fetch", fetch)
    with pytest.raises(FileNotFoundError):
        load_mnist(cache_dir=tmp_path)  # download=False never fetches
    assert requested == []

    X, y = load_mnist(cache_dir=tmp_path, download=True)
    assert X.shape == (5, 784)
    assert len(requested) == 8  # each file: first mirror, then second
    folder = tmp_path / "mnist"
    for name, data in contents.items():
        assert (folder / name).read_bytes() == data
    assert sorted(p.name for p in folder.iterdir()) == sorted(contents)  # no .part

    # Once cached, nothing is fetched again.
    requested.clear()
    load_mnist(cache_dir=tmp_path, download=True)
    assert requested == []


def test_download_with_a_wrong_hash_writes_nothing(tmp_path, monkeypatch):
    contents = published()
    monkeypatch.setattr(data_loaders, "_MNIST", fake_set(contents, "ab" * 32))
    monkeypatch.setattr(
        data_loaders, "_fetch", lambda url, size: contents[url.rsplit("/", 1)[1]]
    )
    with pytest.raises(
        ConnectionError,
        match=r"could not download train-images-idx3-ubyte.gz .*first.invalid.*"
        r"SHA-256 [0-9a-f]{64} differs from the published abab",
    ):
        load_mnist(cache_dir=tmp_path, download=True)
    assert not (tmp_path / "mnist").exists()  # not even an empty folder


def test_fetch_refuses_more_bytes_than_published(monkeypatch):
    class Response(io.BytesIO):
        pass

    monkeypatch.setattr(
        urllib.request, "urlopen", lambda request, timeout: Response(b"x" * 11)
    )
    assert data_loaders._fetch("https://example.invalid/f", 11) == b"x" * 11
    with pytest.raises(ValueError, match=r"more than the expected 10 bytes"):
        data_loaders._fetch("https://example.invalid/f", 10)


# ---------------------------------------------------------------- digits

# Samples per digit 0..9 in the UCI test set (scikit-learn's DESCR agrees).
DIGIT_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_load_digits_shapes_values_and_counts():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797, 1)
    assert X.dtype == np.float32 and y.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y.ravel().astype(int)), DIGIT_COUNTS)
    # The first image is a 0; its top row is 0 0 5 13 9 1 0 0 (out of 16).
    raw, _ = load_digits(scale=False, dtype=np.float64)
    np.testing.assert_array_equal(raw[0, :8], [0, 0, 5, 13, 9, 1, 0, 0])
    assert y[0, 0] == 0
    np.testing.assert_allclose(X[0, :8] * 16, raw[0, :8], rtol=0, atol=1e-6)


def test_load_digits_matches_scikit_learn():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    reference = sklearn_datasets.load_digits()
    X, y = load_digits(scale=False, dtype=np.float64)
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y.ravel(), reference.target)


def test_load_digits_split_is_stratified_complete_and_seeded():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = load_digits(test_size=0.2, seed=3)
    assert X_train.shape == (1438, 64) and X_test.shape == (359, 64)
    assert y_train.shape == (1438, 1) and y_test.shape == (359, 1)
    # Each class gives round(0.2 * n_k) samples to the test set.
    expected = [round(0.2 * n) for n in DIGIT_COUNTS]
    np.testing.assert_array_equal(np.bincount(y_test.ravel().astype(int)), expected)
    # Together the parts hold every sample exactly once, labels still aligned.
    rows = np.hstack([X, y])
    parts = np.vstack([np.hstack([X_train, y_train]), np.hstack([X_test, y_test])])
    np.testing.assert_array_equal(np.unique(rows, axis=0), np.unique(parts, axis=0))
    assert len(np.unique(parts, axis=0)) == len(np.unique(rows, axis=0))
    assert len(parts) == len(rows)
    # Same seed, same split; another seed, another split.
    again = load_digits(test_size=0.2, seed=3)
    np.testing.assert_array_equal(again[1], X_test)
    other = load_digits(test_size=0.2, seed=4)
    assert not np.array_equal(other[1], X_test)


def test_load_digits_without_seed_follows_numpy_global_state():
    state = np.random.get_state()
    try:
        np.random.seed(11)
        first = load_digits(test_size=0.5, seed=None)[1]
        np.random.seed(11)
        second = load_digits(test_size=0.5, seed=None)[1]
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"test_size": 0}, ValueError, r"load_digits: test_size must be in \(0"),
        ({"test_size": 1.0}, ValueError, r"test_size must be in \(0"),
        ({"test_size": "0.2"}, TypeError, r"test_size must be a real number"),
        ({"seed": -1}, ValueError, r"load_digits: seed must be >= 0"),
        ({"scale": "yes"}, TypeError, r"load_digits: scale must be a bool"),
        ({"dtype": np.uint8}, ValueError, r"load_digits: dtype must be float32"),
    ],
)
def test_load_digits_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        load_digits(**kwargs)


def test_a_damaged_packaged_file_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "digits.npz").write_bytes(b"not a zip file")
    monkeypatch.setattr(data_loaders.resources, "files", lambda package: tmp_path)
    with pytest.raises(ValueError, match=r"load_digits: the packaged file .* cannot"):
        load_digits()
    np.savez(tmp_path / "data" / "digits.npz", images=np.zeros((3, 64), np.uint8))
    with pytest.raises(ValueError, match=r"does not hold uint8 images"):
        load_digits()


def test_the_packaged_file_and_its_licence_note_ship_together():
    folder = Path(data_loaders.__file__).parent / "data"
    note = (folder / "README.md").read_text()
    assert "CC BY 4.0" in note and "10.24432/C50P49" in note
    assert (folder / "digits.npz").stat().st_size < 100_000


def test_stratified_split_hand_worked():
    # class 0: 4 samples -> round(0.5 * 4) = 2 test; class 1: 6 -> 3 test;
    # class 2: 1 sample -> round(0.5) = 0 test (a lone sample stays in training)
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2])
    train, test = _stratified_split(y, 0.5, np.random.default_rng(0))
    np.testing.assert_array_equal(np.bincount(y[test], minlength=3), [2, 3, 0])
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), range(11))
    # A tiny share still puts one sample of each class of two or more in test.
    _, test = _stratified_split(y, 0.01, np.random.default_rng(0))
    np.testing.assert_array_equal(np.bincount(y[test], minlength=3), [1, 1, 0])
