"""The ``nnfs`` command: train, evaluate and predict from a terminal.

::

    nnfs train                                  # 8x8 digits shipped with nnfs
    nnfs train --dataset spirals --hidden 64 64 --epochs 300 --out out/spirals
    nnfs evaluate out/digits/model.nnfs
    nnfs predict out/digits/model.nnfs samples.csv

``train`` holds out a seeded, class-stratified test set (MNIST and
Fashion-MNIST use their standard 10,000 test images), trains an MLP with a
validation split taken from the training part, and writes to the output
folder: ``model.nnfs`` (:meth:`Sequential.save`), ``run.json`` (the data set
and split, read back by ``evaluate``), ``curves.png`` (loss and accuracy,
training and validation), ``confusion.png`` (on the test set) and, for
images, ``misclassified.png`` or, for 2-D data, ``boundary.png``. Its last
line is ``test accuracy: NN.NN%``.

Inputs are standardized for training (centred, divided by each feature's
standard deviation, floored at a quarter of the largest one); afterwards the
standardization is folded into the first Dense layer's weights, so the saved
model takes the raw features and ``evaluate``/``predict`` need nothing else.

Errors in the arguments or the files end the command with exit code 2 and
one line ``nnfs <command>: error: ...`` on standard error.
"""

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnfs import activations, optimizers
from nnfs.datasets import data_generators, shifted_copies
from nnfs.datasets.data_loaders import (
    _stratified_split,
    load_digits,
    load_fashion_mnist,
    load_mnist,
)
from nnfs.exceptions import ModelFileError
from nnfs.io import load_model
from nnfs.layers import Dense
from nnfs.losses import CCE
from nnfs.metrics import classification_report, confusion_matrix, to_labels
from nnfs.model import Sequential
from nnfs.progress import ProgressBar, wants_progress

__all__ = ["main"]

DATASETS = ("digits", "mnist", "fashion-mnist", "moons", "circles", "spirals", "xor")
IMAGE_DATASETS = ("digits", "mnist", "fashion-mnist")

FASHION_CLASSES = (
    "T-shirt/top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
)

ACTIVATIONS = {
    "relu": activations.ReLU,
    "leaky_relu": activations.LeakyReLU,
    "tanh": activations.Tanh,
    "sigmoid": activations.Sigmoid,
    "elu": activations.ELU,
    "gelu": activations.GELU,
    "softplus": activations.Softplus,
}


def _optimizer_table() -> dict:
    """Optimizer name -> (factory taking lr, default lr or None for the data's)."""
    table = {
        "sgd": (lambda lr: optimizers.SGD(lr=lr), None),
        "momentum": (lambda lr: optimizers.SGD(lr=lr, momentum=0.9), None),
        "nesterov": (
            lambda lr: optimizers.SGD(lr=lr, momentum=0.9, nesterov=True),
            None,
        ),
    }
    for name, class_name, lr in (
        ("adam", "Adam", 1e-3),
        ("adamw", "AdamW", 1e-3),
        ("rmsprop", "RMSprop", 1e-3),
        ("adagrad", "Adagrad", 1e-2),
    ):
        cls = getattr(optimizers, class_name, None)
        if cls is not None:
            table[name] = (lambda lr, cls=cls: cls(lr=lr), lr)
    return table


OPTIMIZERS = _optimizer_table()


@dataclass(frozen=True)
class _Defaults:
    hidden: tuple[int, ...]
    epochs: int
    batch_size: int
    lr: float
    activation: str = "relu"
    n_samples: int | None = None
    augment: bool = False


# Chosen so that each run takes seconds on a laptop CPU (MNIST: a minute).
# Digits, measured with --seed 0..9: 97.21-98.89% test accuracy (mean 98.36%)
# with the shifted copies, 96.94-99.44% (mean 97.91%) without them.
DEFAULTS = {
    "digits": _Defaults((256,), 10, 32, 0.05, augment=True),
    "mnist": _Defaults((128,), 10, 64, 0.05),
    "fashion-mnist": _Defaults((128,), 10, 64, 0.05),
    "moons": _Defaults((32, 32), 100, 32, 0.05, n_samples=1000),
    "circles": _Defaults((32, 32), 100, 32, 0.05, n_samples=1500),
    "spirals": _Defaults((64, 64), 200, 32, 0.05, n_samples=1500),
    "xor": _Defaults((8,), 500, 4, 0.1, activation="tanh", n_samples=4),
}


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr, exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an integer >= 1; got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an integer >= 0; got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0; got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a number > 0; got {text!r}"
        ) from None
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0; got {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a number in (0, 1); got {text!r}"
        ) from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1); got {text!r}")
    return value


def _split_fraction(text: str) -> float:
    """A validation share: 0 (none) or in (0, 1)."""
    if text.strip() in ("0", "0.0"):
        return 0.0
    return _fraction(text)


def _add_data_arguments(parser, *, with_defaults: bool) -> None:
    default = "digits" if with_defaults else None
    parser.add_argument(
        "--dataset",
        choices=DATASETS,
        default=default,
        help="data set (default: %(default)s)"
        if with_defaults
        else "data set (default: the one in run.json beside the model, else digits)",
    )
    parser.add_argument(
        "--test-size",
        type=_fraction,
        default=0.2 if with_defaults else None,
        help="share of each class held out for testing (default: 0.2; MNIST "
        "and Fashion-MNIST use their 10,000 test images)",
    )
    parser.add_argument(
        "--samples",
        type=_positive_int,
        default=None,
        help="points to generate for moons, circles and spirals",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=0 if with_defaults else None,
        help="seed of the data, the split, the weights and the shuffling (default: 0)",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        help="cache folder of MNIST and Fashion-MNIST (default: $NNFS_DATA, "
        "else ~/.cache/nnfs)",
    )
    parser.add_argument(
        "--download",
        action="store_true",
        help="download MNIST or Fashion-MNIST if missing (SHA-256 checked)",
    )


def _build_parser() -> _Parser:
    parser = _Parser(
        prog="nnfs",
        description="Train, evaluate and use small neural networks written in NumPy.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    train = commands.add_parser(
        "train",
        help="train an MLP and write the model, curves and confusion matrix",
        description="Train an MLP classifier and report its test accuracy.",
    )
    _add_data_arguments(train, with_defaults=True)
    train.add_argument(
        "--hidden",
        type=_positive_int,
        nargs="+",
        default=None,
        metavar="N",
        help="sizes of the hidden layers (default: per data set; digits: 64)",
    )
    train.add_argument(
        "--activation",
        choices=sorted(ACTIVATIONS),
        default=None,
        help="activation of the hidden layers (default: relu; xor: tanh)",
    )
    train.add_argument(
        "--optimizer",
        choices=sorted(OPTIMIZERS),
        default="momentum",
        help="sgd, SGD with momentum 0.9 (default), nesterov, or an adaptive one",
    )
    train.add_argument(
        "--epochs", type=_positive_int, default=None, help="passes over the data"
    )
    train.add_argument(
        "--batch-size", type=_positive_int, default=None, help="samples per step"
    )
    train.add_argument("--lr", type=_positive_float, default=None, help="learning rate")
    train.add_argument(
        "--validation-split",
        type=_split_fraction,
        default=0.1,
        help="share of the training data used for the validation curves "
        "(default: 0.1; 0 for none)",
    )
    train.add_argument(
        "--out",
        default=None,
        help="output folder (default: out/<dataset>)",
    )
    train.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: when standard error is a terminal)",
    )
    train.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="add copies of each training image shifted by one pixel up, down, "
        "left and right (default: on for digits, off otherwise)",
    )
    train.add_argument(
        "--no-standardize",
        dest="standardize",
        action="store_false",
        help="train on the raw features",
    )
    train.set_defaults(handler=_train)

    evaluate = commands.add_parser(
        "evaluate",
        help="score a saved model on the test set of a data set",
        description="Loss, accuracy and per-class precision, recall and F1 of a "
        "saved model on the test split (the one used by train by default).",
    )
    evaluate.add_argument("model", help="model file written by nnfs train")
    _add_data_arguments(evaluate, with_defaults=False)
    evaluate.add_argument(
        "--out", default=None, help="folder for confusion.png (default: none)"
    )
    evaluate.set_defaults(handler=_evaluate)

    predict = commands.add_parser(
        "predict",
        help="predict the classes of samples in a .npy or .csv file",
        description="Print the predicted class of each row of INPUT.",
    )
    predict.add_argument("model", help="model file written by nnfs train")
    predict.add_argument(
        "input",
        help=".npy file or comma-separated text, one sample per row",
    )
    predict.add_argument(
        "--proba",
        action="store_true",
        help="print the class probabilities instead of the class",
    )
    predict.add_argument(
        "--output", default=None, help="write a CSV file instead of printing"
    )
    predict.set_defaults(handler=_predict)
    return parser


# ----------------------------------------------------------------------
# Data


@dataclass
class _Data:
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    n_classes: int
    class_names: list[str]
    image_shape: tuple[int, int] | None


def _load_data(name, *, test_size, seed, samples, data_dir, download) -> _Data:
    """The train/test split of a data set, as float32."""
    image_shape = None
    class_names = None
    if name == "digits":
        X_train, X_test, y_train, y_test = load_digits(test_size=test_size, seed=seed)
        image_shape = (8, 8)
    elif name in ("mnist", "fashion-mnist"):
        loader = load_mnist if name == "mnist" else load_fashion_mnist
        try:
            X_train, X_test, y_train, y_test = loader(
                cache_dir=data_dir, download=download, split=True
            )
        except FileNotFoundError as error:
            raise _CommandError(f"{error}. Here: add --download") from error
        image_shape = (28, 28)
        if name == "fashion-mnist":
            class_names = list(FASHION_CLASSES)
    else:
        n_samples = samples or DEFAULTS[name].n_samples
        if name == "xor":
            X, y = data_generators.generate_XOR_gate()
        elif name == "moons":
            X, y = data_generators.generate_two_moons(n_samples, seed=seed)
        elif name == "circles":
            X, y = data_generators.generate_concentric_circles(n_samples, 3, seed=seed)
        else:
            X, y = data_generators.generate_spirals(n_samples, seed=seed)
        X, y = X.astype(np.float32), y.astype(np.float32)
        if name == "xor":
            # Four points cannot be split: XOR is trained and tested on all.
            X_train, X_test, y_train, y_test = X, X, y, y
        else:
            train, test = _stratified_split(
                y.ravel(), test_size, np.random.default_rng(seed)
            )
            X_train, X_test, y_train, y_test = X[train], X[test], y[train], y[test]
    n_classes = int(max(y_train.max(), y_test.max())) + 1
    if class_names is None:
        class_names = [str(k) for k in range(n_classes)]
    return _Data(X_train, X_test, y_train, y_test, n_classes, class_names, image_shape)


def _standardizer(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of each feature; the scale is floored at max / 4."""
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    if std.max() == 0:  # every feature constant: nothing to scale
        return mean, np.ones_like(std)
    return mean, np.maximum(std, 0.25 * std.max())


def _fold_standardization(model: Sequential, mean, scale) -> None:
    """Make the first Dense layer take raw inputs instead of standardized ones.

    With z = (x - mean) / scale, z @ W + b = x @ (W / scale[:, None])
    + (b - (mean / scale) @ W): the same outputs for the raw x.
    """
    dense = model.layers[0]
    W64 = dense.W.astype(np.float64)
    shift = (mean / scale).astype(np.float64) @ W64  # (output_size,)
    dense.W[...] = W64 / scale.astype(np.float64)[:, None]
    dense.b[...] = dense.b.astype(np.float64) - shift
    # Momentum or moment estimates of the old coordinates no longer apply.
    state = getattr(model.optimizer, "state", None)
    if isinstance(state, dict):
        for param_id in [key for key in state if key.startswith(f"{dense.name}.")]:
            del state[param_id]


def _build_model(n_features, n_classes, hidden, activation, optimizer, seed):
    layers = []
    size = n_features
    for position, width in enumerate(hidden):
        layers.append(Dense(size, width, seed=seed + position))
        layers.append(ACTIVATIONS[activation]())
        size = width
    layers.append(Dense(size, n_classes, seed=seed + len(hidden)))
    layers.append(activations.Softmax())
    return Sequential(layers, loss=CCE(), optimizer=optimizer)


# ----------------------------------------------------------------------
# Plots


def _write_plots(folder: Path, history, data: _Data, model, y_prob) -> list[Path]:
    """curves.png, confusion.png and one picture of the data; [] without matplotlib."""
    try:
        import matplotlib  # noqa: F401 - only to know whether plots can be made
    except ImportError:
        print(
            "nnfs: note: plots skipped because matplotlib is not installed; "
            'pip install "nnfs-numpy[plot]"',
            file=sys.stderr,
        )
        return []
    from nnfs import plotting

    written = []
    if history is not None:
        path = folder / "curves.png"
        plotting.plot_history(history, path=path, title="training curves")
        written.append(path)
    path = folder / "confusion.png"
    matrix = confusion_matrix(data.y_test, y_prob, n_classes=data.n_classes)
    plotting.plot_confusion_matrix(
        matrix,
        class_names=data.class_names,
        title="confusion matrix (test set)",
        path=path,
    )
    written.append(path)
    if data.image_shape is not None:
        path = folder / "misclassified.png"
        plotting.plot_misclassified(
            data.X_test,
            data.y_test,
            y_prob,
            image_shape=data.image_shape,
            class_names=data.class_names,
            path=path,
        )
        written.append(path)
    elif data.X_test.shape[1] == 2:
        path = folder / "boundary.png"
        plotting.plot_decision_boundary(
            model, data.X_train, data.y_train, path=path, title="decision regions"
        )
        written.append(path)
    return written


# ----------------------------------------------------------------------
# Commands


class _CommandError(Exception):
    """A problem to report in one line with exit code 2."""


def _progress_bar(progress, epochs, n_samples, batch_size) -> list:
    """The bar of ``fit``, showing the held-out curves as validation."""
    if not wants_progress(progress, False, "nnfs train"):
        return []
    n_batches = -(-n_samples // min(batch_size, n_samples))
    names = {"test_loss": "val_loss", "test_accuracy": "val_accuracy"}
    return [ProgressBar(epochs, n_batches, names=names)]


def _train(args) -> int:
    defaults = DEFAULTS[args.dataset]
    hidden = tuple(args.hidden) if args.hidden else defaults.hidden
    activation = args.activation or defaults.activation
    make_optimizer, optimizer_lr = OPTIMIZERS[args.optimizer]
    lr = args.lr or optimizer_lr or defaults.lr
    epochs = args.epochs or defaults.epochs
    batch_size = args.batch_size or defaults.batch_size
    folder = Path(args.out if args.out is not None else Path("out") / args.dataset)
    augment = defaults.augment if args.augment is None else args.augment
    if augment and args.dataset not in IMAGE_DATASETS:
        raise _CommandError(f"--augment needs images; {args.dataset} has none")

    data = _load_data(
        args.dataset,
        test_size=args.test_size,
        seed=args.seed,
        samples=args.samples,
        data_dir=args.data_dir,
        download=args.download,
    )
    n_features = data.X_train.shape[1]
    model = _build_model(
        n_features, data.n_classes, hidden, activation, make_optimizer(lr), args.seed
    )
    architecture = "-".join(map(str, (n_features, *hidden, data.n_classes)))
    print(
        f"{args.dataset}: {data.X_train.shape[0]} training and "
        f"{data.X_test.shape[0]} test samples, {n_features} features, "
        f"{data.n_classes} classes; MLP {architecture} ({activation}), "
        f"{args.optimizer} lr={lr:g}, {epochs} epoch{'s' if epochs > 1 else ''}, "
        f"batch {batch_size}"
    )

    # The validation part is split off before any shifted copies are made,
    # so that no copy of a validation image is trained on.
    X_train, y_train = data.X_train, data.y_train
    X_val = y_val = None
    if args.validation_split and X_train.shape[0] >= 20:
        train, held_out = _stratified_split(
            y_train.ravel(), args.validation_split, np.random.default_rng(args.seed)
        )
        X_val, y_val = X_train[held_out], y_train[held_out]
        X_train, y_train = X_train[train], y_train[train]
    if augment:
        X_train, y_train = shifted_copies(X_train, y_train, data.image_shape)

    if args.standardize:
        mean, scale = _standardizer(X_train)
    else:
        mean = np.zeros(n_features, np.float32)
        scale = np.ones(n_features, np.float32)
    history = model.fit(
        (X_train - mean) / scale,
        y_train,
        epochs,
        min(batch_size, X_train.shape[0]),
        None if X_val is None else (X_val - mean) / scale,
        y_val,
        debug_flag=False,
        seed=args.seed,
        metrics=("accuracy",),
        callbacks=_progress_bar(args.progress, epochs, X_train.shape[0], batch_size),
        progress=False,
    )
    # fit names the held-out curves "test_..."; here they are validation.
    history = {
        ("val_" + key[5:] if key.startswith("test_") else key): values
        for key, values in history.items()
    }
    _fold_standardization(model, mean, scale)

    scores = model.evaluate(data.X_test, data.y_test, metrics=("accuracy",))
    y_prob = model.predict(data.X_test)
    report = classification_report(
        data.y_test, y_prob, n_classes=data.n_classes, class_names=data.class_names
    )
    print(f"test loss: {scores['loss']:.4f}, macro F1: {report['macro avg']['f1']:.4f}")

    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / "model.nnfs")
    written = [folder / "model.nnfs"]
    run = {
        "dataset": args.dataset,
        "test_size": args.test_size,
        "seed": args.seed,
        "samples": args.samples,
        "test_accuracy": scores["accuracy"],
    }
    (folder / "run.json").write_text(json.dumps(run, indent=2) + "\n")
    written.append(folder / "run.json")
    written += _write_plots(folder, history, data, model, y_prob)
    print("wrote " + ", ".join(str(path) for path in written))
    print(f"test accuracy: {100 * scores['accuracy']:.2f}%")
    return 0


def _load_model(path: str) -> Sequential:
    try:
        return load_model(path)
    except (ModelFileError, OSError) as error:
        raise _CommandError(f"cannot read model file {path}: {error}") from error


def _run_settings(model_path: str, args) -> dict:
    """Data settings: the arguments, else run.json beside the model, else defaults."""
    saved = {}
    run_file = Path(model_path).with_name("run.json")
    if run_file.is_file():
        try:
            saved = json.loads(run_file.read_text())
        except (OSError, ValueError) as error:
            raise _CommandError(f"cannot read {run_file}: {error}") from error
        if not isinstance(saved, dict):
            raise _CommandError(f"{run_file} does not hold a JSON object")
    settings = {
        "dataset": args.dataset or saved.get("dataset", "digits"),
        "test_size": args.test_size or saved.get("test_size", 0.2),
        "seed": args.seed if args.seed is not None else saved.get("seed", 0),
        "samples": args.samples or saved.get("samples"),
    }
    if settings["dataset"] not in DATASETS:
        raise _CommandError(
            f"{run_file} names the unknown data set {settings['dataset']!r}"
        )
    try:
        _fraction(str(settings["test_size"]))
        _seed(str(settings["seed"]))
        if settings["samples"] is not None:
            _positive_int(str(settings["samples"]))
    except argparse.ArgumentTypeError as error:
        raise _CommandError(f"{run_file}: a setting {error}") from error
    return settings


def _expected_features(model: Sequential) -> int | None:
    return getattr(model.layers[0], "input_size", None)


def _evaluate(args) -> int:
    model = _load_model(args.model)
    settings = _run_settings(args.model, args)
    data = _load_data(
        settings["dataset"],
        test_size=float(settings["test_size"]),
        seed=int(settings["seed"]),
        samples=settings["samples"],
        data_dir=args.data_dir,
        download=args.download,
    )
    expected = _expected_features(model)
    if expected is not None and expected != data.X_test.shape[1]:
        raise _CommandError(
            f"the model takes {expected} features but {settings['dataset']} has "
            f"{data.X_test.shape[1]}"
        )
    scores = model.evaluate(data.X_test, data.y_test, metrics=("accuracy",))
    y_prob = model.predict(data.X_test)
    if y_prob.shape[1] < data.n_classes:
        raise _CommandError(
            f"the model has {y_prob.shape[1]} outputs but {settings['dataset']} has "
            f"{data.n_classes} classes"
        )
    report = classification_report(
        data.y_test, y_prob, n_classes=y_prob.shape[1], class_names=None
    )
    names = data.class_names + [str(k) for k in range(data.n_classes, y_prob.shape[1])]
    width = max(len(name) for name in [*names, "macro avg"])
    print(f"{settings['dataset']}: {data.X_test.shape[0]} test samples")
    print(f"{'class':<{width}}  precision  recall     f1  support")
    for k, name in enumerate(names):
        row = report[str(k)]
        print(
            f"{name:<{width}}  {row['precision']:9.4f}  {row['recall']:6.4f}  "
            f"{row['f1']:5.4f}  {row['support']:7d}"
        )
    macro = report["macro avg"]
    print(
        f"{'macro avg':<{width}}  {macro['precision']:9.4f}  {macro['recall']:6.4f}  "
        f"{macro['f1']:5.4f}  {macro['support']:7d}"
    )
    if args.out is not None:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        written = _write_plots(folder, None, data, model, y_prob)
        if written:
            print("wrote " + ", ".join(str(path) for path in written))
    print(f"test loss: {scores['loss']:.4f}")
    print(f"test accuracy: {100 * scores['accuracy']:.2f}%")
    return 0


def _read_npy(source: Path) -> np.ndarray:
    """A numeric .npy array, its header checked against the file size first."""
    from numpy.lib import format as npy_format

    with open(source, "rb") as stream:
        version = npy_format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = npy_format.read_array_header_1_0(stream)
        else:
            shape, fortran, dtype = npy_format.read_array_header_2_0(stream)
        if dtype.kind not in "biuf":
            raise ValueError(f"it holds {dtype} data; numbers are expected")
        declared = int(np.prod(shape, dtype=object)) * dtype.itemsize
        held = source.stat().st_size - stream.tell()
        if declared != held:
            raise ValueError(
                f"its header declares shape {shape} of {dtype} ({declared} "
                f"bytes) but the file holds {held} bytes of data"
            )
        stream.seek(0)  # read_array reads the header again
        return npy_format.read_array(stream, allow_pickle=False)


def _read_samples(path: str) -> np.ndarray:
    source = Path(path)
    if not source.is_file():
        raise _CommandError(f"no such input file: {path}")
    try:
        if source.suffix == ".npy":
            X = _read_npy(source)
        else:
            X = np.loadtxt(source, delimiter=",", ndmin=2, dtype=np.float64)
    except (OSError, ValueError) as error:
        raise _CommandError(f"cannot read input file {path}: {error}") from error
    if X.ndim == 1:
        X = X.reshape(1, -1)
    return X


def _predict(args) -> int:
    model = _load_model(args.model)
    X = _read_samples(args.input)
    expected = _expected_features(model)
    if X.ndim != 2 or (expected is not None and X.shape[1] != expected):
        raise _CommandError(
            f"{args.input} holds an array of shape {X.shape}; the model takes "
            f"rows of {expected} features"
        )
    y_prob = model.predict(X)
    if args.proba:
        lines = [",".join(f"{p:.6g}" for p in row) for row in y_prob]
    else:
        lines = [str(label) for label in to_labels(y_prob)]
    if args.output is None:
        print("\n".join(lines))
    else:
        Path(args.output).write_text("\n".join(lines) + "\n")
        print(f"wrote {len(lines)} predictions to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``nnfs`` command with ``argv`` (default: ``sys.argv[1:]``).

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name.

    Returns
    -------
    int
        0 on success. Errors raise ``SystemExit(2)`` after printing one line
        ``nnfs <command>: error: ...`` to standard error (a run whose loss
        diverged: ``SystemExit(1)``).

    Examples
    --------
    >>> from tempfile import TemporaryDirectory
    >>> with TemporaryDirectory() as folder:  # doctest: +ELLIPSIS
    ...     code = main(["train", "--dataset", "xor", "--out", folder])
    xor: 4 training and 4 test samples, 2 features, 2 classes; MLP 2-8-2 (tanh)...
    test accuracy: 100.00%
    >>> code
    0
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    prog = f"nnfs {args.command}"
    try:
        return args.handler(args)
    except FloatingPointError as error:
        parser.exit(1, f"{prog}: error: {error}\n")
    except (_CommandError, ValueError, OSError) as error:
        message = " ".join(str(error).split())  # one line
        parser.exit(2, f"{prog}: error: {message}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
