"""A progress bar for :meth:`Sequential.fit`, as a callback.

``fit(progress=True)`` adds a :class:`ProgressBar`; ``progress=None`` (the
default) adds one only when ``debug_flag`` is False and standard error is a
terminal with tqdm installed, so scripts, logs and tests stay quiet. The bar
is drawn by tqdm (``pip install "nnfs-numpy[cli]"`` or ``pip install tqdm``);
without tqdm, an explicit ``progress=True`` falls back to plain text lines.
"""

from __future__ import annotations

import sys
from typing import TextIO

from nnfs._validation import check_bool, check_int
from nnfs.callbacks import Callback

__all__ = ["ProgressBar"]


def _tqdm_class():
    """tqdm's class, or None when tqdm is not installed."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


def _format_logs(logs: dict, names: dict) -> str:
    return ", ".join(
        f"{names.get(key, key)} {value:.4g}" for key, value in logs.items()
    )


class ProgressBar(Callback):
    """Progress of each epoch, with the running loss and the epoch's metrics.

    During an epoch the bar counts batches and shows the mean loss of the
    batches so far; at the end of the epoch it shows the epoch's loss and
    metrics (``accuracy``, ``test_...``, ``val_...``). The bar of about one
    epoch in ten (and of the last) stays on screen; the others are redrawn
    in place by the next epoch's bar.

    Parameters
    ----------
    n_epochs : int, optional
        Epochs of the run, shown as "epoch k/n" (``fit`` passes it).
    n_batches : int, optional
        Batches per epoch; learned from the first epoch when omitted.
    stream : file-like, optional
        Where to draw; standard error by default, so that standard output
        keeps only what the program prints.
    plain : bool, default=False
        Write plain lines (one per kept epoch) even when tqdm is installed;
        used automatically when it is not.
    names : dict of str to str, optional
        Labels shown instead of some log keys, for example
        ``{"test_loss": "val_loss"}`` when the data passed to ``fit`` as test
        data is a validation set.

    Notes
    -----
    The bar is updated about 20 times per epoch, whatever the number of
    batches, so it costs next to nothing per training step.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from nnfs.activations import Softmax
    >>> from nnfs.layers import Dense
    >>> from nnfs.losses import CCE
    >>> from nnfs.model import Sequential
    >>> from nnfs.optimizers import SGD
    >>> model = Sequential([Dense(2, 2, seed=0), Softmax()], CCE(), SGD(lr=0.1))
    >>> X, y = np.eye(2), np.array([0, 1])
    >>> out = io.StringIO()
    >>> _ = model.fit(X, y, 2, debug_flag=False,
    ...               callbacks=[ProgressBar(2, stream=out, plain=True)])
    >>> print(out.getvalue().splitlines()[-1][:15])
    epoch 2/2: loss
    """

    def __init__(
        self,
        n_epochs: int | None = None,
        n_batches: int | None = None,
        *,
        stream: TextIO | None = None,
        plain: bool = False,
        names: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        where = "ProgressBar"
        self.n_epochs = (
            None if n_epochs is None else check_int(n_epochs, "n_epochs", where)
        )
        self.n_batches = (
            None if n_batches is None else check_int(n_batches, "n_batches", where)
        )
        self.stream = stream
        plain = check_bool(plain, "plain", where)
        if names is not None and not (
            isinstance(names, dict)
            and all(isinstance(v, str) for item in names.items() for v in item)
        ):
            raise TypeError(
                f"{where}: names must be a dict of str to str; got {names!r}"
            )
        self.names = dict(names or {})
        self._tqdm = None if plain else _tqdm_class()
        self._bar = None

    # Hooks ------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._keep_every = max(1, (self.n_epochs or 10) // 10)
        self._bar = None

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._loss_sum = 0.0
        self._seen = 0
        self._pending = 0
        self._every = max(1, (self.n_batches or 20) // 20)
        if self._tqdm is None:
            return
        if self._bar is None:
            self._bar = self._tqdm(
                total=self.n_batches,
                file=self._stream(),
                desc=self._label(),
                unit="batch",
                leave=True,
                dynamic_ncols=True,
            )
        else:
            self._bar.reset(total=self.n_batches)
        self._bar.set_description(self._label(), refresh=False)

    def on_batch_end(self, batch, logs=None):
        self._seen += 1
        if logs is not None:
            self._loss_sum += float(logs.get("loss", 0.0))
        self._pending += 1
        if self._bar is not None and self._pending >= self._every:
            self._bar.set_postfix_str(f"loss {self._loss_sum / self._seen:.4g}", False)
            self._bar.update(self._pending)
            self._pending = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.n_batches is None:
            self.n_batches = self._seen
        summary = _format_logs(logs or {}, self.names)
        last = self.n_epochs is not None and epoch + 1 == self.n_epochs
        keep = (epoch + 1) % self._keep_every == 0 or epoch == 0 or last
        if self._bar is None:
            if keep:
                print(f"{self._label()}: {summary}", file=self._stream(), flush=True)
            return
        self._bar.set_postfix_str(summary, False)
        self._bar.update(self._pending)
        self._pending = 0
        if keep:
            # Closing leaves this epoch's line on screen; the next epoch
            # starts a new bar below it.
            self._bar.close()
            self._bar = None
        else:
            self._bar.refresh()

    def on_train_end(self, logs=None):
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    # Helpers ------------------------------------------------------------

    def write(self, line: str) -> None:
        """Print ``line`` to standard output without breaking the bar."""
        if self._bar is not None:
            self._tqdm.write(line, file=sys.stdout)
        else:
            print(line)

    def _stream(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stderr

    def _label(self) -> str:
        total = "" if self.n_epochs is None else f"/{self.n_epochs}"
        return f"epoch {self._epoch + 1}{total}"


def wants_progress(progress, debug_flag: bool, where: str) -> bool:
    """Resolve ``fit(progress=...)``: True, False, or None for automatic."""
    if progress is None:
        isatty = getattr(sys.stderr, "isatty", None)
        return (
            not debug_flag
            and callable(isatty)
            and bool(isatty())
            and _tqdm_class() is not None
        )
    if not isinstance(progress, bool):
        raise TypeError(
            f"{where}: progress must be True, False or None; got {progress!r}"
        )
    return progress
