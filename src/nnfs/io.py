"""Save a model to one file and load it back; loading a file never runs code.

File format, version 1
----------------------
A model file (suggested extension ``.nnfs``) is a ZIP archive whose members
are stored uncompressed:

- ``config.json``, UTF-8 JSON: the format name ``"nnfs-model"``, the integer
  format version, the nnfs version that wrote the file, the model dtype, each
  layer (its type name, its constructor arguments from ``get_config`` and the
  names of its arrays), the loss and the optimizer (type name and constructor
  arguments; for the optimizer also the names of its state arrays for each
  parameter), the keys of the training-history entries and the metrics;
- one ``.npy`` member per array (NumPy's format 1.0, little-endian, C order):
  ``layers/<layer name>/<array>.npy`` for weights and other saved layer state,
  ``optimizer/<param_id>/<state>.npy`` for the optimizer state (momentum
  buffers, moment estimates, 0-d step counts) and ``history/<i>.npy`` for
  the i-th history entry (its key, any string, is in the JSON).

Any ZIP tool and ``numpy.lib.format.read_array(..., allow_pickle=False)`` can
read the pieces; nnfs is needed only to rebuild the model.

What loading guarantees
-----------------------
- No code runs: nothing is unpickled, evaluated or imported. Type names map
  through a fixed registry of nnfs's own classes (``_LAYER_TYPES``,
  ``_LOSS_TYPES``, ``_OPTIMIZER_TYPES``); a file cannot name a module, and no
  setting, in the file or outside it, makes loading more permissive.
- Everything is checked before any array data is read: member names, sizes
  and compression ratios, the JSON structure (duplicate keys, NaN constants and
  unknown keys are refused), every type name and constructor argument, and
  every array's shape and dtype against the architecture the JSON describes.
- Nothing is written to disk: members are read in memory, never extracted.
- Every failure raises :class:`~nnfs.exceptions.ModelFileError` naming the file
  and the reason.

What it cannot guarantee: that the weights are the ones you expect. A file
that loads can still hold weights that give wrong answers; check the hash of a
file you download. The writer produces the same bytes for the same model, so
hashes are stable.
"""

import inspect
import json
import math
import os
import re
import warnings
import zipfile
from contextlib import suppress
from io import BytesIO
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from numpy.lib import format as npy_format

from nnfs import activations, conv, layers, losses, optimizers
from nnfs._validation import check_bool
from nnfs.exceptions import ModelFileError
from nnfs.layers import BaseLayer
from nnfs.losses import Loss
from nnfs.model import Sequential
from nnfs.optimizers import BaseOptimizer

__all__ = ["load_model", "save_model"]

# The nnfs modules whose public classes a model file may name. A new module
# defining layers, losses or optimizers joins with one entry here (and its
# import above); its concrete classes listed in ``__all__`` are then saved and
# loaded like the others.
_TYPE_MODULES = (layers, activations, conv, losses, optimizers)

_FORMAT_NAME = "nnfs-model"
_FORMAT_VERSION = 1
_SUPPORTED_VERSIONS = (1,)
_CONFIG_MEMBER = "config.json"
_TOP_KEYS = (
    "format",
    "format_version",
    "nnfs_version",
    "dtype",
    "layers",
    "loss",
    "optimizer",
    "history",
    "metrics",
)
_MODEL_DTYPES = ("float32", "float64")

# Limits, all checked before anything is decompressed or allocated.
_MAX_CONFIG_BYTES = 1 << 20
_MAX_MEMBERS = 10_000
_MAX_HISTORY = 4096
_MAX_KEY_LENGTH = 256
_MAX_CONFIG_DEPTH = 8
_MAX_RATIO = 100  # declared size / compressed size (the Keras rule)
_RATIO_FLOOR = 1 << 20  # members up to this size skip the ratio test
_LOCAL_HEADER_BYTES = 30  # fixed part of a ZIP local file header
_NPY_PREFIX_BYTES = 12 + 10_000  # magic, version, length, NumPy's header cap
_READ_CHUNK = 1 << 24

# A constructor allocates a layer's arrays from its config before they can be
# compared with the file, so the config is bounded first: the product of its
# integers (sizes, kernel sizes, strides) may not exceed the number of values
# the file stores for the layer by more than a factor, or a floor that covers
# layers without arrays. Integers under these keys size nothing.
_NOT_SIZES = frozenset({"seed", "input_shape"})
_CONFIG_SIZE_FLOOR = 1 << 24
_CONFIG_SIZE_FACTOR = 256

_FLOAT_DTYPES = (np.dtype("<f4"), np.dtype("<f8"))
_ARRAY_DTYPES = (*_FLOAT_DTYPES, np.dtype("<i8"))  # int64: 0-d step counts

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_PARAM_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}")
_MEMBER_NAME = re.compile(r"[A-Za-z0-9_.-]{1,130}(?:/[A-Za-z0-9_.-]{1,130}){0,2}")


def _collect_types(base: type) -> MappingProxyType:
    """Concrete public subclasses of ``base`` in ``_TYPE_MODULES``, by name.

    Templates (abstract classes and classes whose name starts with "Base")
    are left out. Two classes of one name would make a file ambiguous.
    """
    found: dict[str, type] = {}
    for module in _TYPE_MODULES:
        for attribute in module.__all__:
            cls = getattr(module, attribute)
            if (
                not isinstance(cls, type)
                or not issubclass(cls, base)
                or inspect.isabstract(cls)
                or cls.__name__.startswith("Base")
            ):
                continue
            if found.setdefault(cls.__name__, cls) is not cls:
                raise RuntimeError(
                    f"nnfs.io: two classes are named {cls.__name__!r} "
                    f"({found[cls.__name__].__module__} and {cls.__module__}); "
                    "a model file could not tell them apart"
                )
    return MappingProxyType(found)


_LAYER_TYPES = _collect_types(BaseLayer)
_LOSS_TYPES = _collect_types(Loss)
_OPTIMIZER_TYPES = _collect_types(BaseOptimizer)


def _layer_member(layer_name: str, array_name: str) -> str:
    return f"layers/{layer_name}/{array_name}.npy"


def _state_member(param_id: str, state_name: str) -> str:
    return f"optimizer/{param_id}/{state_name}.npy"


def _history_member(position: int) -> str:
    return f"history/{position}.npy"


def _little(dtype: np.dtype) -> np.dtype:
    """``dtype`` in little-endian byte order (unchanged if order is moot)."""
    return dtype.newbyteorder("<") if dtype.byteorder != "|" else dtype


def _short(value, limit: int = 120) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _listing(names) -> str:
    names = sorted(names)
    shown = ", ".join(repr(name) for name in names[:10])
    return shown + (f" and {len(names) - 10} more" if len(names) > 10 else "")


def _state_fits(shape, dtype: np.dtype, parameter: np.ndarray) -> bool:
    """Whether an optimizer state array may belong to ``parameter``: the
    parameter's own shape and dtype, or a scalar (a step count, say)."""
    dtype = _little(dtype)
    if tuple(shape) == parameter.shape and dtype == _little(parameter.dtype):
        return True
    return tuple(shape) == () and dtype in _ARRAY_DTYPES


def _parameters(model: Sequential) -> dict[str, np.ndarray]:
    """Every trainable array of ``model`` by its optimizer key."""
    return {
        f"{layer.name}.{name}": getattr(layer, name)
        for layer in model.layers
        for name in layer.param_names
    }


# ---------------------------------------------------------------------- save


def save_model(model: Sequential, path) -> None:
    """Save a model, with its optimizer state and history, to one file.

    The file records the layers with their weights and other saved state, the
    loss, the optimizer with its hyperparameters and per-parameter state, the
    training history and the metrics, so that :func:`load_model` gives back a
    model that predicts the same outputs and resumes training exactly where
    this one stopped. The format is described in the :mod:`nnfs.io` module
    docstring.

    Parameters
    ----------
    model : Sequential
        The model. Its layers, loss and optimizer must be nnfs's own classes
        (a subclass you wrote cannot be loaded, so it is not saved).
    path : str or os.PathLike
        Where to write; ``.nnfs`` is the suggested extension. An existing file
        is replaced.

    Raises
    ------
    TypeError
        If ``model`` is not a Sequential or ``path`` is not a path.
    RuntimeError
        If the model has no layers.
    ValueError
        If a layer, the loss or the optimizer is not one of nnfs's classes, a
        configuration is not plain JSON data, or an array is missing or has a
        dtype other than float32 or float64 (int64 for scalar counters).
    OSError
        If the file cannot be written; an existing file is then unchanged.

    Notes
    -----
    The archive is written to a temporary file in the same folder, flushed to
    disk and renamed over ``path`` in one step, so a crash leaves either the
    old file or the new one, never half a model. The same model always gives
    the same bytes (member timestamps are fixed), so a file's hash identifies
    its contents. Random generators (a Dropout's mask stream, say) are not
    saved. Arrays that hold NaN or infinity are saved as they are, but
    :func:`load_model` refuses them unless told otherwise.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from nnfs.activations import Tanh
    >>> from nnfs.layers import Dense
    >>> from nnfs.losses import MSE
    >>> from nnfs.optimizers import SGD
    >>> model = Sequential([Dense(2, 3, seed=0), Tanh(), Dense(3, 1, seed=1)],
    ...                    MSE(), SGD(lr=0.1, momentum=0.9))
    >>> X = np.array([[0.5, -1.0], [1.5, 2.0]])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "model.nnfs")
    ...     save_model(model, path)
    ...     loaded = load_model(path)
    >>> bool(np.array_equal(loaded.predict(X), model.predict(X)))
    True
    """
    where = "save_model"
    if not isinstance(model, Sequential):
        raise TypeError(
            f"{where}: model must be a Sequential; got {type(model).__name__}"
        )
    path = _check_path(path, where)
    model._require("save")
    description, arrays = _describe(model, where)
    try:
        text = json.dumps(description, allow_nan=False, indent=1)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{where}: the model's configuration cannot be written as JSON "
            f"({error}); get_config must return str, int, finite float, bool, "
            "None, lists and dicts"
        ) from error
    payload = text.encode("utf-8")
    if len(payload) > _MAX_CONFIG_BYTES:
        raise ValueError(
            f"{where}: the configuration takes {len(payload)} bytes; a model "
            f"file allows at most {_MAX_CONFIG_BYTES}"
        )
    if len(arrays) + 1 > _MAX_MEMBERS:
        raise ValueError(
            f"{where}: the model has {len(arrays)} arrays; a model file holds "
            f"at most {_MAX_MEMBERS - 1}"
        )
    _write_atomically(path, payload, arrays)


def _describe(model: Sequential, where: str) -> tuple[dict, dict[str, np.ndarray]]:
    """The JSON description of ``model`` and its arrays by member name."""
    from nnfs import __version__

    arrays: dict[str, np.ndarray] = {}
    layer_entries = []
    for layer in model.layers:
        entry = _entry(layer, _LAYER_TYPES, "layer", where)
        names = [*layer.param_names, *layer.state_names]
        _check_save_name(layer.name, f"layer name of {layer!r}", where)
        for name in names:
            what = f"array {name!r} of layer {layer.name}"
            _check_save_name(name, what, where)
            arrays[_layer_member(layer.name, name)] = _array_to_save(
                getattr(layer, name, None), what, where, _ARRAY_DTYPES
            )
        entry["arrays"] = names
        layer_entries.append(entry)

    optimizer_entry = None
    if model.optimizer is not None:
        optimizer_entry = _entry(model.optimizer, _OPTIMIZER_TYPES, "optimizer", where)
        parameters = _parameters(model)
        state_entry = {}
        for param_id, state in model.optimizer.state.items():
            if param_id not in parameters:
                raise ValueError(
                    f"{where}: the optimizer holds state for {param_id!r}, which "
                    "is not a parameter of this model; use a fresh optimizer for "
                    "each model"
                )
            for name, value in state.items():
                what = f"optimizer state {name!r} of {param_id!r}"
                _check_save_name(name, what, where)
                array = _array_to_save(value, what, where, _ARRAY_DTYPES)
                if not _state_fits(array.shape, array.dtype, parameters[param_id]):
                    raise ValueError(
                        f"{where}: {what} has shape {array.shape} and dtype "
                        f"{array.dtype}; expected the parameter's shape "
                        f"{parameters[param_id].shape} and dtype, or a scalar"
                    )
                arrays[_state_member(param_id, name)] = array
            state_entry[param_id] = list(state)
        optimizer_entry["state"] = state_entry

    for position, (key, values) in enumerate(model.history.items()):
        what = f"history entry {key!r}"
        if not isinstance(key, str) or not 1 <= len(key) <= _MAX_KEY_LENGTH:
            raise ValueError(
                f"{where}: history keys must be strings of 1 to {_MAX_KEY_LENGTH} "
                f"characters; got {_short(key)}"
            )
        array = _array_to_save(values, what, where, _FLOAT_DTYPES)
        if array.ndim not in (1, 2):
            raise ValueError(
                f"{where}: {what} must be 1-D or 2-D; got shape {array.shape}"
            )
        arrays[_history_member(position)] = array

    description = {
        "format": _FORMAT_NAME,
        "format_version": _FORMAT_VERSION,
        "nnfs_version": __version__,
        "dtype": model.dtype.name,
        "layers": layer_entries,
        "loss": None
        if model.loss is None
        else _entry(model.loss, _LOSS_TYPES, "loss", where),
        "optimizer": optimizer_entry,
        "history": list(model.history),
        "metrics": list(model.metrics),
    }
    return description, arrays


def _entry(obj, registry, kind: str, where: str) -> dict:
    """``{"type": ..., "config": ...}`` for a registered nnfs object."""
    name = type(obj).__name__
    if registry.get(name) is not type(obj):
        raise ValueError(
            f"{where}: {kind} {obj!r} is a {type(obj).__module__}.{name}, which "
            f"is not one of nnfs's {kind} classes; only those can be saved "
            f"(known: {', '.join(sorted(registry))})"
        )
    config = obj.get_config()
    if not isinstance(config, dict) or not all(
        isinstance(key, str) and _NAME.fullmatch(key) for key in config
    ):
        raise ValueError(
            f"{where}: {name}.get_config() must return a dict keyed by argument "
            f"names; got {_short(config)}"
        )
    return {"type": name, "config": config}


def _check_save_name(name, what: str, where: str) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(
            f"{where}: the name of {what} must be a Python identifier of at most "
            f"64 characters; got {_short(name)}"
        )


def _array_to_save(value, what: str, where: str, allowed) -> np.ndarray:
    """``value`` as a little-endian C-order array of an allowed dtype."""
    if not isinstance(value, np.ndarray):
        raise ValueError(
            f"{where}: {what} is {type(value).__name__}, not an array; only "
            "arrays can be saved"
        )
    dtype = _little(value.dtype)
    if dtype not in allowed:
        names = ", ".join(np.dtype(allowed_dtype).name for allowed_dtype in allowed)
        raise ValueError(
            f"{where}: {what} has dtype {value.dtype}; a model file holds {names}"
        )
    return value.astype(dtype, order="C", copy=False)


def _check_path(path, where: str) -> str:
    try:
        path = os.fspath(path)
    except TypeError:
        path = None
    if not isinstance(path, str):
        raise TypeError(f"{where}: path must be a str or os.PathLike of str")
    return path


def _write_atomically(path: str, payload: bytes, arrays: dict) -> None:
    """Write the archive beside ``path``, then rename it over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(
        folder, f".{os.path.basename(path)}.{os.urandom(8).hex()}.tmp"
    )
    # Mode 0o666 lets the umask decide the permissions, as open() does.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        with open(descriptor, "wb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                _write_member(archive, _CONFIG_MEMBER, payload)
                for name, array in arrays.items():
                    _write_member(archive, name, array)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _write_member(archive: zipfile.ZipFile, name: str, content) -> None:
    # A fixed timestamp makes the file a function of the model alone.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    if isinstance(content, bytes):
        archive.writestr(info, content)
        return
    large = content.nbytes + _NPY_PREFIX_BYTES >= zipfile.ZIP64_LIMIT
    with archive.open(info, "w", force_zip64=large) as stream:
        npy_format.write_array(stream, content, version=(1, 0), allow_pickle=False)


def _sync_folder(folder: str) -> None:
    """Make the rename durable where folders can be synced (POSIX)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        # Some file systems cannot sync a folder; the file itself is synced.
        with suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------------- load


class _Invalid(Exception):
    """What is wrong with the file; load_model turns it into ModelFileError."""


class _Header(NamedTuple):
    shape: tuple[int, ...]
    dtype: np.dtype
    size: int  # bytes before the data
    raw: bytes


def load_model(path, *, check_finite: bool = True) -> Sequential:
    """Load a model saved by :func:`save_model` (or :meth:`Sequential.save`).

    Parameters
    ----------
    path : str or os.PathLike
        The model file.
    check_finite : bool, default=True
        Refuse weights and optimizer state that hold NaN or infinity. The
        training history may hold NaN (it marks epochs never reached).

    Returns
    -------
    Sequential
        The model with its weights and saved layer state, its loss, its
        optimizer with the per-parameter state, its history and metrics. It
        predicts exactly what the saved model predicted, and training it goes
        on exactly as the saved model's training would have.

    Raises
    ------
    ModelFileError
        For every problem with the file: missing or unreadable, not an nnfs
        model, a format version this nnfs does not read, damaged, or built to
        attack the reader. The message names the file and the reason. A
        subclass of ValueError.
    TypeError
        If ``path`` is not a path or ``check_finite`` not a bool.

    Notes
    -----
    Loading never runs code from the file and never writes to disk; the
    :mod:`nnfs.io` module docstring lists what is checked, all of it before
    any array data is read. It cannot tell whether the weights are the ones
    you expect: check the hash of a file you download.

    Layers whose constructor draws random weights draw them and discard them;
    NumPy's global random state is restored afterwards, so loading a model
    does not change the random numbers your script draws next.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from nnfs.activations import Softmax
    >>> from nnfs.layers import Dense
    >>> from nnfs.losses import CCE
    >>> from nnfs.optimizers import SGD
    >>> model = Sequential([Dense(2, 3, seed=0), Softmax()], CCE(), SGD(lr=0.1))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "classifier.nnfs")
    ...     model.save(path)
    ...     loaded = load_model(path)
    >>> [layer.name for layer in loaded.layers], type(loaded.optimizer).__name__
    (['dense_0', 'softmax_1'], 'SGD')
    """
    where = "load_model"
    path = _check_path(path, where)
    check_finite = check_bool(check_finite, "check_finite", where)
    random_state = np.random.get_state()
    try:
        with open(path, "rb") as handle:
            archive_size = os.fstat(handle.fileno()).st_size
            with zipfile.ZipFile(handle) as archive:
                return _Reader(archive, archive_size, check_finite).read_model()
    except _Invalid as error:
        raise ModelFileError(path, str(error)) from error.__cause__
    except Exception as error:  # every other failure, wrapped: nothing escapes
        raise ModelFileError(path, _explain(error)) from error
    finally:
        np.random.set_state(random_state)


def _explain(error: Exception) -> str:
    """A reason for an exception raised while reading a file."""
    if isinstance(error, zipfile.BadZipFile):
        return f"not a valid ZIP archive, so not an nnfs model file ({error})"
    if isinstance(error, EOFError):
        return f"the file is truncated ({error})"
    if isinstance(error, OSError):
        return f"cannot read the file: {error.strerror or error}"
    if isinstance(error, MemoryError):
        return "not enough memory to load it"
    if isinstance(error, RecursionError):
        return "its structure is nested too deeply"
    return f"{type(error).__name__}: {error}"


class _Reader:
    """Checks a model archive from the outside in, then rebuilds the model.

    Order: member names and sizes; config.json and its structure; the set of
    members against the structure; every array header; each layer, the loss
    and the optimizer built from their configs and compared with the headers;
    only then the array data.
    """

    def __init__(self, archive: zipfile.ZipFile, archive_size: int, check_finite):
        self.archive = archive
        self.members = _check_members(archive.infolist(), archive_size)
        self.check_finite = check_finite
        self.headers: dict[str, _Header] = {}

    def read_model(self) -> Sequential:
        description = _check_description(self._read_config())
        expected = _expected_members(description)
        missing = expected - set(self.members)
        extra = set(self.members) - expected
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing arrays: {_listing(missing)}")
            if extra:
                parts.append(f"members config.json does not list: {_listing(extra)}")
            raise _Invalid(
                "the archive does not match its config.json; " + "; ".join(parts)
            )
        for member in sorted(expected - {_CONFIG_MEMBER}):
            self.headers[member] = self._read_header(member)

        model_layers = [
            self._build_layer(position, entry)
            for position, entry in enumerate(description["layers"])
        ]
        loss = optimizer = None
        if description["loss"] is not None:
            loss = _construct(_LOSS_TYPES, description["loss"], "the loss")
        if description["optimizer"] is not None:
            optimizer = _construct(
                _OPTIMIZER_TYPES, description["optimizer"], "the optimizer"
            )
        try:
            model = Sequential(model_layers, loss, optimizer)
            metrics = Sequential._check_metrics(description["metrics"], "metrics")
        except (TypeError, ValueError) as error:
            raise _Invalid(f"the model cannot be rebuilt: {error}") from None
        if model.dtype.name != description["dtype"]:
            raise _Invalid(
                f"config.json gives the dtype {description['dtype']!r} but the "
                f"layers compute in {model.dtype.name}"
            )
        parameters = _parameters(model)
        if optimizer is not None:
            self._check_optimizer_state(description["optimizer"]["state"], parameters)
        for position, key in enumerate(description["history"]):
            header = self.headers[_history_member(position)]
            if header.dtype not in _FLOAT_DTYPES or len(header.shape) not in (1, 2):
                raise _Invalid(
                    f"history entry {key!r} must be a 1-D or 2-D float array; the "
                    f"file stores shape {header.shape} and dtype {header.dtype}"
                )

        # Everything is checked; now the data, straight into the model.
        for layer, entry in zip(model.layers, description["layers"], strict=True):
            for name in entry["arrays"]:
                self._read_array(
                    _layer_member(layer.name, name),
                    f"array {name!r} of layer {layer.name}",
                    out=getattr(layer, name),
                )
        if optimizer is not None:
            optimizer.state = {
                param_id: {
                    name: self._read_array(
                        _state_member(param_id, name),
                        f"optimizer state {name!r} of {param_id!r}",
                    )
                    for name in names
                }
                for param_id, names in description["optimizer"]["state"].items()
            }
        model.history = {
            key: self._read_array(
                _history_member(position), f"history entry {key!r}", finite=False
            )
            for position, key in enumerate(description["history"])
        }
        model.metrics = metrics
        return model

    # ------------------------------------------------------------ config

    def _read_config(self):
        info = self.members.get(_CONFIG_MEMBER)
        if info is None:
            raise _Invalid(
                f"it holds no {_CONFIG_MEMBER}, so it is not an nnfs model file"
            )
        if info.file_size > _MAX_CONFIG_BYTES:
            raise _Invalid(
                f"{_CONFIG_MEMBER} declares {info.file_size} bytes; the limit is "
                f"{_MAX_CONFIG_BYTES}"
            )
        with self.archive.open(info) as stream:
            raw = stream.read(_MAX_CONFIG_BYTES + 1)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _Invalid(f"{_CONFIG_MEMBER} is not UTF-8 text ({error})") from None
        try:
            return json.loads(
                text, object_pairs_hook=_unique_keys, parse_constant=_no_constant
            )
        except json.JSONDecodeError as error:
            raise _Invalid(f"{_CONFIG_MEMBER} is not valid JSON ({error})") from None
        except RecursionError:
            raise _Invalid(f"{_CONFIG_MEMBER} is nested too deeply") from None

    # ------------------------------------------------------------ arrays

    def _read_header(self, member: str) -> _Header:
        """Shape and dtype of a .npy member, checked against its size."""
        info = self.members[member]
        with self.archive.open(info) as stream:
            prefix = stream.read(min(info.file_size, _NPY_PREFIX_BYTES))
        buffer = BytesIO(prefix)
        try:
            # NumPy warns about headers written by Python 2: refuse them too.
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                version = npy_format.read_magic(buffer)
                if version == (1, 0):
                    header = npy_format.read_array_header_1_0(buffer)
                elif version == (2, 0):
                    header = npy_format.read_array_header_2_0(buffer)
                else:
                    raise ValueError(
                        f".npy format version {version} is not read (1.0 and 2.0 are)"
                    )
        except Exception as error:  # whatever NumPy says about a bad header
            raise _Invalid(
                f"member {member!r} is not a valid .npy array "
                f"({type(error).__name__}: {error})"
            ) from None
        shape, fortran_order, dtype = header
        if fortran_order:
            raise _Invalid(
                f"member {member!r} is in Fortran order; nnfs writes C order"
            )
        if dtype not in _ARRAY_DTYPES:
            raise _Invalid(
                f"member {member!r} has dtype {dtype.str}; a model file holds only "
                "little-endian float32, float64 and int64 arrays"
            )
        if any(isinstance(n, bool) or n < 0 for n in shape):
            raise _Invalid(f"member {member!r} declares the invalid shape {shape}")
        size = buffer.tell()
        data_bytes = math.prod(shape) * dtype.itemsize
        if size + data_bytes != info.file_size:
            raise _Invalid(
                f"member {member!r} declares shape {shape} of {dtype.name}, "
                f"{data_bytes} bytes of data, but holds {info.file_size - size}"
            )
        return _Header(tuple(shape), dtype, size, prefix[:size])

    def _expect(self, member: str, shape, dtype, what: str) -> None:
        header = self.headers[member]
        if header.shape != tuple(shape) or header.dtype != _little(np.dtype(dtype)):
            raise _Invalid(
                f"{what} must have shape {tuple(shape)} and dtype "
                f"{np.dtype(dtype).name} (from the architecture in "
                f"{_CONFIG_MEMBER}); the file stores shape {header.shape}, dtype "
                f"{header.dtype.name}"
            )

    def _read_array(self, member: str, what: str, *, out=None, finite=True):
        """The data of a checked member, read into ``out`` when it fits."""
        header = self.headers[member]
        direct = (
            out is not None
            and out.dtype == header.dtype
            and out.flags.c_contiguous
            and out.flags.writeable
        )
        array = out if direct else np.empty(header.shape, dtype=header.dtype)
        with self.archive.open(self.members[member]) as stream:
            if stream.read(header.size) != header.raw:
                raise _Invalid(f"member {member!r} changed while it was read")
            target = array.reshape(-1).view(np.uint8)
            filled = 0
            while filled < target.size:
                chunk = stream.read(min(_READ_CHUNK, target.size - filled))
                if not chunk:
                    raise _Invalid(f"member {member!r} is truncated")
                target[filled : filled + len(chunk)] = np.frombuffer(chunk, np.uint8)
                filled += len(chunk)
            if stream.read(1):  # also makes zipfile verify the CRC
                raise _Invalid(f"member {member!r} holds more data than declared")
        if finite and self.check_finite and not np.isfinite(array).all():
            raise _Invalid(
                f"{what} contains NaN or infinity; pass check_finite=False to "
                "load it anyway"
            )
        if out is not None and not direct:
            np.copyto(out, array)
            return out
        return array.astype(array.dtype.newbyteorder("="), copy=False)

    # ------------------------------------------------------------ objects

    def _build_layer(self, position: int, entry: dict) -> BaseLayer:
        cls = _LAYER_TYPES[entry["type"]]
        what = f"layer {position} ({entry['type']})"
        layer_name = f"{cls.layer_name}_{position}"
        members = {name: _layer_member(layer_name, name) for name in entry["arrays"]}
        stored = sum(math.prod(self.headers[m].shape) for m in members.values())
        _check_config_size(entry["config"], stored, what)

        layer = _construct(_LAYER_TYPES, entry, what)
        names = [*layer.param_names, *layer.state_names]
        if sorted(names) != sorted(entry["arrays"]):
            raise _Invalid(
                f"{what} has the arrays {names} but {_CONFIG_MEMBER} lists "
                f"{entry['arrays']}"
            )
        for name, member in members.items():
            current = getattr(layer, name, None)
            if not isinstance(current, np.ndarray):
                raise _Invalid(f"{what} has no array {name!r} to load into")
            self._expect(
                member, current.shape, current.dtype, f"array {name!r} of {what}"
            )
        return layer

    def _check_optimizer_state(self, state: dict, parameters: dict) -> None:
        unknown = set(state) - set(parameters)
        if unknown:
            raise _Invalid(
                f"the optimizer state names parameters the model does not have: "
                f"{_listing(unknown)}; the model has {_listing(parameters)}"
            )
        for param_id, names in state.items():
            parameter = parameters[param_id]
            for name in names:
                header = self.headers[_state_member(param_id, name)]
                if not _state_fits(header.shape, header.dtype, parameter):
                    raise _Invalid(
                        f"optimizer state {name!r} of {param_id!r} must have the "
                        f"parameter's shape {parameter.shape} and dtype "
                        f"{parameter.dtype.name}, or be a scalar; the file stores "
                        f"shape {header.shape}, dtype {header.dtype.name}"
                    )


def _check_members(infos: list[zipfile.ZipInfo], archive_size: int) -> dict:
    """Member infos by name, after the checks that need no decompression."""
    if len(infos) > _MAX_MEMBERS:
        raise _Invalid(
            f"the archive has {len(infos)} members; a model file has at most "
            f"{_MAX_MEMBERS}"
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if (
            "\\" in name
            or ".." in name
            or name.startswith("/")
            or not _MEMBER_NAME.fullmatch(name)
        ):
            raise _Invalid(
                f"the archive holds a member named {_short(name)}; nnfs writes "
                "only plain relative names (nothing is ever extracted)"
            )
        if name in members:
            raise _Invalid(f"the archive holds two members named {name!r}")
        if info.flag_bits & 0x1:
            raise _Invalid(f"member {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Invalid(
                f"member {name!r} uses ZIP compression method {info.compress_type}; "
                "only stored and deflated members are read"
            )
        if info.header_offset + info.compress_size > archive_size:
            raise _Invalid(f"member {name!r} extends past the end of the file")
        if info.compress_type == zipfile.ZIP_STORED:
            if info.file_size != info.compress_size:
                raise _Invalid(
                    f"member {name!r} is stored uncompressed but declares "
                    f"{info.file_size} bytes in {info.compress_size}"
                )
        elif (
            info.file_size > _RATIO_FLOOR
            and info.file_size > _MAX_RATIO * info.compress_size
        ):
            raise _Invalid(
                f"member {name!r} would expand from {info.compress_size} to "
                f"{info.file_size} bytes, more than {_MAX_RATIO} times (a "
                "decompression bomb?)"
            )
        total += info.file_size
        members[name] = info
    if total > _RATIO_FLOOR + _MAX_RATIO * archive_size:
        raise _Invalid(
            f"the members would expand to {total} bytes from a file of "
            f"{archive_size} (a decompression bomb?)"
        )
    ordered = sorted(members.values(), key=lambda info: info.header_offset)
    for before, after in pairwise(ordered):
        end = (
            before.header_offset
            + _LOCAL_HEADER_BYTES
            + len(before.filename)
            + before.compress_size
        )
        if end > after.header_offset:
            raise _Invalid(
                f"members {before.filename!r} and {after.filename!r} overlap"
            )
    return members


def _unique_keys(pairs: list) -> dict:
    """JSON object hook: Python's json keeps the last of repeated keys; refuse."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise _Invalid(f"{_CONFIG_MEMBER} repeats the key {_short(key)}")
        result[key] = value
    return result


def _no_constant(name: str):
    raise _Invalid(f"{_CONFIG_MEMBER} contains {name}, which JSON does not allow")


# ------------------------------------------------------------ JSON structure


def _check_description(description) -> dict:
    """Check the structure of config.json; return it unchanged."""
    if not isinstance(description, dict):
        raise _Invalid(f"{_CONFIG_MEMBER} does not hold a JSON object")
    found = description.get("format")
    if found != _FORMAT_NAME:
        raise _Invalid(
            f"its format is {_short(found)}, not {_FORMAT_NAME!r}: not an nnfs "
            "model file"
        )
    version = description.get("format_version")
    if type(version) is not int or version not in _SUPPORTED_VERSIONS:
        newer = (
            " (written by a newer nnfs?)"
            if type(version) is int and version > max(_SUPPORTED_VERSIONS)
            else ""
        )
        raise _Invalid(
            f"format version {_short(version)} is not supported{newer}; this nnfs "
            f"reads versions {', '.join(map(str, _SUPPORTED_VERSIONS))}"
        )
    _check_keys(description, _TOP_KEYS, _CONFIG_MEMBER)
    _check_string(description["nnfs_version"], "nnfs_version")
    if description["dtype"] not in _MODEL_DTYPES:
        raise _Invalid(
            f"dtype must be one of {_MODEL_DTYPES}; got {_short(description['dtype'])}"
        )

    model_layers = description["layers"]
    if not isinstance(model_layers, list) or not 1 <= len(model_layers) <= _MAX_MEMBERS:
        raise _Invalid(f"layers must be a non-empty list; got {_short(model_layers)}")
    for position, entry in enumerate(model_layers):
        what = f"layer {position}"
        _check_entry(entry, _LAYER_TYPES, "layer", what, ("type", "config", "arrays"))
        _check_names(entry["arrays"], f"the arrays of {what}", _NAME)
    if description["loss"] is not None:
        _check_entry(description["loss"], _LOSS_TYPES, "loss", "the loss")
    optimizer = description["optimizer"]
    if optimizer is not None:
        keys = ("type", "config", "state")
        _check_entry(optimizer, _OPTIMIZER_TYPES, "optimizer", "the optimizer", keys)
        state = optimizer["state"]
        if not isinstance(state, dict) or len(state) > _MAX_MEMBERS:
            raise _Invalid(
                f"the optimizer state must be an object; got {_short(state)}"
            )
        for param_id, names in state.items():
            if not _PARAM_ID.fullmatch(param_id):
                raise _Invalid(f"invalid parameter key {_short(param_id)}")
            _check_names(names, f"the optimizer state of {param_id!r}", _NAME)
    history = description["history"]
    if (
        not isinstance(history, list)
        or len(history) > _MAX_HISTORY
        or not all(
            isinstance(key, str) and 1 <= len(key) <= _MAX_KEY_LENGTH for key in history
        )
        or len(set(history)) != len(history)
    ):
        raise _Invalid(
            f"history must be a list of at most {_MAX_HISTORY} distinct keys of 1 "
            f"to {_MAX_KEY_LENGTH} characters; got {_short(history)}"
        )
    metrics = description["metrics"]
    if not isinstance(metrics, list) or not all(isinstance(m, str) for m in metrics):
        raise _Invalid(f"metrics must be a list of strings; got {_short(metrics)}")
    return description


def _check_keys(obj: dict, keys, what: str) -> None:
    missing = set(keys) - set(obj)
    extra = set(obj) - set(keys)
    if missing or extra:
        parts = [f"missing keys: {_listing(missing)}"] if missing else []
        parts += [f"unknown keys: {_listing(extra)}"] if extra else []
        raise _Invalid(f"{what}: " + "; ".join(parts))


def _check_string(value, what: str) -> None:
    if not isinstance(value, str) or len(value) > 64:
        raise _Invalid(f"{what} must be a short string; got {_short(value)}")


def _check_entry(entry, registry, kind, what, keys=("type", "config")) -> None:
    """A ``{"type", "config", ...}`` object naming a registered class."""
    if not isinstance(entry, dict):
        raise _Invalid(f"{what} must be a JSON object; got {_short(entry)}")
    _check_keys(entry, keys, what)
    type_name = entry["type"]
    if not isinstance(type_name, str) or type_name not in registry:
        raise _Invalid(
            f"{what}: {_short(type_name)} is not an nnfs {kind} type (a file can "
            f"only name these: {', '.join(sorted(registry))})"
        )
    config = entry["config"]
    if not isinstance(config, dict):
        raise _Invalid(f"{what}: config must be a JSON object; got {_short(config)}")
    for key, value in config.items():
        if not _NAME.fullmatch(key):
            raise _Invalid(f"{what}: {_short(key)} is not an argument name")
        if _depth(value) > _MAX_CONFIG_DEPTH:
            raise _Invalid(f"{what}: the value of {key!r} is nested too deeply")


def _depth(value, level: int = 0) -> int:
    """Nesting depth of a JSON value, counted up to just past the limit."""
    if level > _MAX_CONFIG_DEPTH or not isinstance(value, list | dict):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(item, level + 1) for item in items), default=level + 1)


def _check_names(names, what: str, pattern, limit: int = _MAX_MEMBERS) -> None:
    if (
        not isinstance(names, list)
        or len(names) > limit
        or not all(isinstance(name, str) and pattern.fullmatch(name) for name in names)
    ):
        raise _Invalid(f"{what} must be a list of identifiers; got {_short(names)}")
    if len(set(names)) != len(names):
        raise _Invalid(f"{what} lists a name twice: {_short(names)}")


def _expected_members(description: dict) -> set[str]:
    """Every member the archive must hold, by what config.json describes."""
    expected = {_CONFIG_MEMBER}
    for position, entry in enumerate(description["layers"]):
        layer_name = f"{_LAYER_TYPES[entry['type']].layer_name}_{position}"
        expected.update(_layer_member(layer_name, name) for name in entry["arrays"])
    if description["optimizer"] is not None:
        for param_id, names in description["optimizer"]["state"].items():
            expected.update(_state_member(param_id, name) for name in names)
    expected.update(map(_history_member, range(len(description["history"]))))
    return expected


def _size_integers(value, key: str | None = None):
    """The integers above 1 in a config value, leaving out ``_NOT_SIZES``."""
    if key in _NOT_SIZES:
        return
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            yield from _size_integers(inner, inner_key)
    elif isinstance(value, list):
        for inner in value:
            yield from _size_integers(inner)
    elif isinstance(value, int) and not isinstance(value, bool) and value > 1:
        yield value


def _check_config_size(config: dict, stored: int, what: str) -> None:
    """Refuse a config that would make the constructor allocate far more than
    the file stores (see ``_CONFIG_SIZE_FACTOR``)."""
    limit = max(_CONFIG_SIZE_FLOOR, _CONFIG_SIZE_FACTOR * stored)
    product = 1
    for value in _size_integers(config):
        product *= value
        if product > limit:
            raise _Invalid(
                f"{what}: its config {_short(config)} describes arrays far larger "
                f"than the {stored} values the file stores for it"
            )


def _construct(registry, entry: dict, what: str):
    """``cls(**config)``, then a check that the object gives back ``config``."""
    cls = registry[entry["type"]]
    config = entry["config"]
    try:
        obj = cls(**config)
    except (TypeError, ValueError) as error:
        raise _Invalid(
            f"{what}: the config {_short(config)} is refused: {error}"
        ) from None
    rebuilt = json.loads(json.dumps(obj.get_config()))
    if rebuilt != config:
        raise _Invalid(
            f"{what}: the config {_short(config)} does not describe a "
            f"{cls.__name__} exactly (the object built from it has "
            f"{_short(rebuilt)})"
        )
    return obj
