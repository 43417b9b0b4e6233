"""Tests for the progress bar of Sequential.fit (nnfs.progress)."""

import io
import re
import sys

import numpy as np
import pytest

from nnfs import progress as progress_module
from nnfs.activations import ReLU, Softmax
from nnfs.datasets import generate_spirals
from nnfs.layers import Dense
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import SGD
from nnfs.progress import ProgressBar, wants_progress


def make_model():
    return Sequential(
        [Dense(2, 8, seed=0), ReLU(), Dense(8, 3, seed=1), Softmax()],
        CCE(),
        SGD(lr=0.1, momentum=0.9),
    )


@pytest.fixture
def data():
    X, y = generate_spirals(60, seed=0)
    return X, y


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_true_draws_a_tqdm_bar_on_stderr(data, capsys):
    pytest.importorskip("tqdm")
    X, y = data
    make_model().fit(
        X,
        y,
        3,
        16,
        X,
        y,
        debug_flag=False,
        seed=0,
        metrics=("accuracy",),
        progress=True,
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    # 60 samples in batches of 16 -> 4 batches per epoch.
    for epoch in (1, 2, 3):
        assert re.search(rf"epoch {epoch}/3: 100%.*\| 4/4 ", captured.err)
    last = captured.err.rstrip().splitlines()[-1]
    assert re.search(
        r"loss [\d.]+, accuracy [\d.]+, test_loss [\d.]+, test_accuracy [\d.]+", last
    )


def test_the_bar_does_not_change_training(data):
    pytest.importorskip("tqdm")
    X, y = data
    quiet = make_model().fit(X, y, 3, 16, debug_flag=False, seed=0, progress=False)
    shown = make_model().fit(
        X,
        y,
        3,
        16,
        debug_flag=False,
        seed=0,
        callbacks=[ProgressBar(3, 4, stream=io.StringIO())],
    )
    np.testing.assert_array_equal(quiet["loss"], shown["loss"])


def test_debug_lines_go_above_the_bar(data, capsys):
    pytest.importorskip("tqdm")
    X, y = data
    make_model().fit(X, y, 2, 16, debug_flag=True, seed=0, progress=True)
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("epoch 1/2, loss ")
    assert "epoch 2/2: 100%" in captured.err


def test_plain_fallback_without_tqdm(data, capsys, monkeypatch):
    monkeypatch.setattr(progress_module, "_tqdm_class", lambda: None)
    X, y = data
    make_model().fit(X, y, 3, 16, debug_flag=False, seed=0, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "epoch 1/3",
        "epoch 2/3",
        "epoch 3/3",
    ]
    assert re.fullmatch(r"epoch 3/3: loss [\d.]+", lines[-1])


def test_plain_lines_are_kept_about_ten_times_per_run(data):
    X, y = data
    out = io.StringIO()
    make_model().fit(
        X,
        y,
        25,
        -1,
        debug_flag=False,
        seed=0,
        callbacks=[ProgressBar(25, stream=out, plain=True)],
    )
    # Every 25 // 10 = 2nd epoch, the first and the last: 1, 2, 4, ..., 24, 25.
    epochs = [
        int(re.match(r"epoch (\d+)/25", line).group(1))
        for line in out.getvalue().splitlines()
    ]
    assert epochs == [1, *range(2, 25, 2), 25]


def test_the_bar_updates_about_twenty_times_per_epoch(data, monkeypatch):
    tqdm = pytest.importorskip("tqdm")
    updates = []

    class Counting(tqdm.tqdm):
        def update(self, n=1):
            updates.append(n)
            return super().update(n)

    monkeypatch.setattr(progress_module, "_tqdm_class", lambda: Counting)
    X = np.repeat(data[0], 10, axis=0)  # 600 samples, batch 1 -> 600 batches
    y = np.repeat(data[1], 10, axis=0)
    bar = ProgressBar(1, 600, stream=io.StringIO())
    make_model().fit(X, y, 1, 1, debug_flag=False, seed=0, callbacks=[bar])
    # Updates of 600 // 20 = 30 batches each, and a last one of 0 at the end.
    assert updates[:-1] == [30] * 20 and sum(updates) == 600


def test_automatic_choice(monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert wants_progress(None, debug_flag=False, where="fit") is True
    assert wants_progress(None, debug_flag=True, where="fit") is False
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert wants_progress(None, debug_flag=False, where="fit") is False
    assert wants_progress(True, debug_flag=True, where="fit") is True
    monkeypatch.setattr(progress_module, "_tqdm_class", lambda: None)
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert wants_progress(None, debug_flag=False, where="fit") is False


def test_default_fit_in_tests_prints_nothing(data, capsys):
    X, y = data
    make_model().fit(X, y, 2, 16, debug_flag=False, seed=0)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("value", ["yes", 1, 0.0])
def test_progress_must_be_a_bool_or_none(data, value):
    X, y = data
    with pytest.raises(
        TypeError, match=r"Sequential.fit: progress must be True, False or None"
    ):
        make_model().fit(X, y, 2, debug_flag=False, progress=value)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"n_epochs": 0}, ValueError, r"ProgressBar: n_epochs must be >= 1"),
        ({"n_batches": 2.5}, TypeError, r"ProgressBar: n_batches must be an int"),
        ({"plain": "no"}, TypeError, r"ProgressBar: plain must be a bool"),
    ],
)
def test_progress_bar_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        ProgressBar(**kwargs)


def test_progress_bar_learns_the_batch_count(data):
    pytest.importorskip("tqdm")
    X, y = data
    bar = ProgressBar(stream=io.StringIO())
    make_model().fit(X, y, 2, 16, debug_flag=False, seed=0, callbacks=[bar])
    assert bar.n_batches == 4
    assert "epoch 2: 100%" in bar.stream.getvalue()


def test_names_relabel_log_entries(data):
    X, y = data
    out = io.StringIO()
    bar = ProgressBar(1, stream=out, plain=True, names={"test_loss": "val_loss"})
    make_model().fit(X, y, 1, 16, X, y, debug_flag=False, seed=0, callbacks=[bar])
    assert re.fullmatch(r"epoch 1/1: loss [\d.]+, val_loss [\d.]+\n", out.getvalue())


def test_names_must_map_strings_to_strings():
    with pytest.raises(TypeError, match=r"ProgressBar: names must be a dict of str"):
        ProgressBar(names={"test_loss": 1})
