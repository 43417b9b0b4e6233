"""Tests for the nnfs command (nnfs.cli), run in-process through main()."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnfs import cli, load_model
from nnfs.datasets import load_digits, shifted_copies

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


HAS_MATPLOTLIB = _has_matplotlib()
PLOT_NOTE = (
    "nnfs: note: plots skipped because matplotlib is not installed; "
    'pip install "nnfs-numpy[plot]"'
)


def assert_pictures(folder, *names, err=""):
    """The PNG files exist, or, without matplotlib, the note says why not."""
    if HAS_MATPLOTLIB:
        for name in names:
            assert (folder / name).read_bytes()[:8] == PNG_SIGNATURE
    else:
        assert PLOT_NOTE in err
        assert not any((folder / name).exists() for name in names)


def run(argv, capsys):
    """main(argv): (exit code, stdout, stderr)."""
    try:
        code = cli.main(argv)
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """``nnfs train`` with no options but --out, once for the module."""
    folder = tmp_path_factory.mktemp("digits")
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["train", "--out", str(folder)])
    return folder, code, out.getvalue(), err.getvalue()


def test_train_with_defaults_learns_digits(trained):
    folder, code, out, err = trained
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("digits: 1438 training and 359 test samples, 64 ")
    match = re.fullmatch(r"test accuracy: (\d+\.\d\d)%", lines[-1])
    assert match, f"last line was {lines[-1]!r}"
    assert float(match.group(1)) >= 97.0
    assert_pictures(folder, "curves.png", "confusion.png", "misclassified.png", err=err)
    assert json.loads((folder / "run.json").read_text())["dataset"] == "digits"
    if HAS_MATPLOTLIB:
        assert err == ""  # no bar: standard error is not a terminal here


def test_saved_model_takes_raw_features(trained):
    # Standardization was folded into the first layer: the saved model
    # scores the raw test set exactly as train reported.
    folder, _, out, _ = trained
    model = load_model(folder / "model.nnfs")
    _, X_test, _, y_test = load_digits(test_size=0.2, seed=0)
    accuracy = model.evaluate(X_test, y_test, metrics=("accuracy",))["accuracy"]
    assert out.strip().endswith(f"test accuracy: {100 * accuracy:.2f}%")


def test_evaluate_reads_the_split_from_run_json(trained, capsys, tmp_path):
    folder, _, train_out, _ = trained
    code, out, err = run(
        ["evaluate", str(folder / "model.nnfs"), "--out", str(tmp_path)], capsys
    )
    assert code == 0
    assert out.splitlines()[0] == "digits: 359 test samples"
    assert re.search(r"^macro avg +[\d.]+ +[\d.]+ +[\d.]+ +359$", out, re.M)
    assert out.strip().splitlines()[-1] == train_out.strip().splitlines()[-1]
    assert_pictures(tmp_path, "confusion.png", "misclassified.png", err=err)


def test_predict_prints_classes_and_probabilities(trained, capsys, tmp_path):
    folder, _, _, _ = trained
    model_file = str(folder / "model.nnfs")
    X, y = load_digits()
    np.savetxt(tmp_path / "five.csv", X[:5], delimiter=",")
    np.save(tmp_path / "five.npy", X[:5])
    code, out, _ = run(["predict", model_file, str(tmp_path / "five.csv")], capsys)
    assert code == 0
    expected = load_model(model_file).predict(X[:5]).argmax(axis=1)
    assert out.split() == [str(k) for k in expected]
    code, out, _ = run(
        ["predict", model_file, str(tmp_path / "five.npy"), "--proba"], capsys
    )
    rows = np.array([line.split(",") for line in out.split()], dtype=float)
    assert rows.shape == (5, 10)
    np.testing.assert_allclose(rows.sum(axis=1), 1, atol=1e-4)
    target = tmp_path / "labels.csv"
    code, out, _ = run(
        ["predict", model_file, str(tmp_path / "five.npy"), "--output", str(target)],
        capsys,
    )
    assert target.read_text().split() == [str(k) for k in expected]


@pytest.mark.parametrize(
    ("dataset", "extra", "picture"),
    [("xor", [], "boundary.png"), ("moons", ["--epochs", "20"], "boundary.png")],
)
def test_train_toy_data(dataset, extra, picture, capsys, tmp_path):
    code, out, err = run(
        ["train", "--dataset", dataset, "--out", str(tmp_path), *extra], capsys
    )
    assert code == 0
    accuracy = float(re.search(r"test accuracy: ([\d.]+)%", out).group(1))
    assert accuracy >= 90.0
    assert_pictures(tmp_path, "curves.png", "confusion.png", picture, err=err)


def test_train_options_reach_the_model(capsys, tmp_path):
    code, out, _ = run(
        [
            "train",
            "--dataset",
            "spirals",
            "--samples",
            "150",
            "--hidden",
            "5",
            "4",
            "--activation",
            "tanh",
            "--optimizer",
            "sgd",
            "--lr",
            "0.2",
            "--epochs",
            "2",
            "--batch-size",
            "7",
            "--seed",
            "3",
            "--validation-split",
            "0",
            "--no-progress",
            "--out",
            str(tmp_path),
        ],
        capsys,
    )
    assert code == 0
    assert "MLP 2-5-4-3 (tanh), sgd lr=0.2, 2 epochs, batch 7" in out
    model = load_model(tmp_path / "model.nnfs")
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense",
        "Tanh",
        "Dense",
        "Tanh",
        "Dense",
        "Softmax",
    ]
    assert model.optimizer.lr == 0.2
    assert "val_loss" not in model.history
    assert json.loads((tmp_path / "run.json").read_text())["samples"] == 150


def one_error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "pattern"),
    [
        (
            ["train", "--dataset", "cifar"],
            r"nnfs train: error: argument --dataset: invalid choice: 'cifar'",
        ),
        (
            ["train", "--epochs", "-3"],
            r"nnfs train: error: argument --epochs: must be an integer >= 1; got '-3'",
        ),
        (["train", "--epochs", "2.5"], r"argument --epochs: must be an integer"),
        (["train", "--batch-size", "0"], r"argument --batch-size: must be an integer"),
        (["train", "--lr", "-0.1"], r"argument --lr: must be a number > 0"),
        (["train", "--lr", "nan"], r"argument --lr: must be a number > 0"),
        (["train", "--test-size", "1"], r"argument --test-size: must be a number in"),
        (["train", "--seed", "-1"], r"argument --seed: must be an integer >= 0"),
        (
            ["train", "--dataset", "xor", "--augment"],
            r"nnfs train: error: --augment needs images; xor has none",
        ),
        (["fly"], r"nnfs: error: argument COMMAND: invalid choice: 'fly'"),
        ([], r"nnfs: error: the following arguments are required: COMMAND"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, pattern, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert re.search(pattern, one_error_line(err))


def test_unreadable_model_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "model.nnfs"
    bad.write_bytes(b"this is not a model")
    for command in (["evaluate", str(bad)], ["predict", str(bad), "x.csv"]):
        code, out, err = run(command, capsys)
        assert code == 2 and out == ""
        assert re.match(
            rf"nnfs {command[0]}: error: cannot read model file .*model.nnfs: "
            r"load_model: ",
            one_error_line(err),
        )
    code, _, err = run(["evaluate", str(tmp_path / "absent.nnfs")], capsys)
    assert code == 2
    assert "cannot read model file" in one_error_line(err)


def test_bad_prediction_input_exits_2(trained, tmp_path, capsys):
    folder, _, _, _ = trained
    model_file = str(folder / "model.nnfs")
    (tmp_path / "words.csv").write_text("a,b\n")
    np.save(tmp_path / "wide.npy", np.zeros((2, 65)))
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object))
    # A header declaring 2**33 float64 values (64 GiB) and no data behind it.
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (8589934592,), }"
    header = header.ljust(117) + "\n"
    (tmp_path / "bomb.npy").write_bytes(b"\x93NUMPY\x01\x00v\x00" + header.encode())
    cases = [
        (tmp_path / "missing.csv", r"no such input file"),
        (tmp_path / "words.csv", r"cannot read input file .*words.csv"),
        (tmp_path / "objects.npy", r"objects.npy: it holds object data"),
        (
            tmp_path / "bomb.npy",
            r"bomb.npy: its header declares shape \(8589934592,\) of float64 "
            r"\(68719476736 bytes\) but the file holds 0 bytes",
        ),
        (
            tmp_path / "wide.npy",
            r"holds an array of shape \(2, 65\); the model takes "
            r"rows of 64 features",
        ),
    ]
    for path, pattern in cases:
        code, _, err = run(["predict", model_file, str(path)], capsys)
        assert code == 2
        assert re.search(pattern, one_error_line(err))


def test_evaluate_on_a_data_set_of_another_shape_exits_2(trained, capsys):
    folder, _, _, _ = trained
    code, _, err = run(
        ["evaluate", str(folder / "model.nnfs"), "--dataset", "moons"], capsys
    )
    assert code == 2
    assert "the model takes 64 features but moons has 2" in one_error_line(err)


def test_missing_mnist_exits_2_and_suggests_download(tmp_path, capsys):
    code, _, err = run(
        ["train", "--dataset", "mnist", "--data-dir", str(tmp_path)], capsys
    )
    assert code == 2
    line = one_error_line(err)
    assert "MNIST files missing from" in line and line.endswith("add --download")


def test_installed_entry_point(tmp_path):
    script = Path(sys.executable).parent / "nnfs"
    if not script.exists():
        pytest.skip("the nnfs entry point is not installed (pip install -e .)")
    result = subprocess.run(
        [str(script), "train", "--dataset", "xor", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "test accuracy: 100.00%"
    result = subprocess.run(
        [str(script), "train", "--epochs", "0"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "nnfs train: error: argument --epochs: must be an integer >= 1; got '0'"
    )


def test_progress_bar_shows_validation_curves(capsys, tmp_path):
    pytest.importorskip("tqdm")
    code, out, err = run(
        ["train", "--dataset", "moons", "--epochs", "2", "--progress"]
        + ["--out", str(tmp_path)],
        capsys,
    )
    assert code == 0
    assert re.search(r"epoch 2/2: 100%.* val_loss [\d.]+, val_accuracy [\d.]+", err)
    assert "test_loss" not in err and "epoch 2/2:" not in out


def test_shifted_copies_hand_worked():
    # One 2x3 image with a single ink pixel at row 0, column 1:
    #   0 5 0      down: 0 0 0   up: (row 0 leaves) 0 0 0
    #   0 0 0            0 5 0                      0 0 0
    #   right: 0 0 5 / 0 0 0    left: 5 0 0 / 0 0 0
    X = np.array([[0, 5, 0, 0, 0, 0]], dtype=np.float32)
    y = np.array([[7.0]])
    X5, y5 = shifted_copies(X, y, (2, 3))
    expected = [
        [0, 5, 0, 0, 0, 0],
        [0, 0, 0, 0, 5, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 5, 0, 0, 0],
        [5, 0, 0, 0, 0, 0],
    ]
    np.testing.assert_array_equal(X5, expected)
    np.testing.assert_array_equal(y5, np.full((5, 1), 7.0))


def test_folding_the_standardization_keeps_the_outputs():
    # Dense 3 -> 2 with W = [[1, 2], [3, 4], [5, 6]], b = [[1, -1]];
    # standardization mean (1, 2, 3), scale (2, 4, 0.5).
    # For x = (3, 6, 4): z = (1, 1, 2); z @ W + b = (1+3+10+1, 2+4+12-1) = (15, 17)
    from nnfs.layers import Dense
    from nnfs.model import Sequential
    from nnfs.optimizers import SGD

    dense = Dense(3, 2, dtype=np.float64)
    dense.W[...] = [[1, 2], [3, 4], [5, 6]]
    dense.b[...] = [[1, -1]]
    model = Sequential([dense], optimizer=SGD(lr=0.1, momentum=0.9))
    model.optimizer.state["dense_0.W"] = {"velocity": np.ones((3, 2))}
    mean, scale = np.array([1.0, 2, 3]), np.array([2.0, 4, 0.5])
    cli._fold_standardization(model, mean, scale)
    np.testing.assert_allclose(model.predict(np.array([[3.0, 6, 4]])), [[15, 17]])
    assert "dense_0.W" not in model.optimizer.state
