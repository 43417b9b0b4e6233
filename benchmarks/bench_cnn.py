"""Time one training epoch and one predict pass of a small CNN: nnfs vs PyTorch.

The job: input 1x28x28, Conv2D 16@3x3 "same" -> ReLU -> MaxPool 2 -> Conv2D
32@3x3 "same" -> ReLU -> MaxPool 2 -> Flatten -> Dense 128 -> ReLU -> Dense 10,
Softmax + CCE, SGD with momentum 0.9, batch 64, one epoch over 10,000 random
samples (shuffled), then ``predict`` over the same samples.

Contestants, each in a fresh subprocess so that memory peaks do not mix:

- ``nnfs``   this project (``Sequential.fit``, float32 by default);
- ``torch``  PyTorch on the CPU, same architecture, batch and thread count.

Runs are interleaved (nnfs, torch, nnfs, ...) so that both see the same
machine load. The report gives, per contestant, the median and the fastest
of ``--repeats`` training epochs, the median predict pass and peak memory;
the target is nnfs <= 2 x PyTorch, on the medians of the training epochs.
Usage::

    python benchmarks/bench_cnn.py                    # float32, 5 repeats
    python benchmarks/bench_cnn.py --repeats 9 --dtype both
    python benchmarks/bench_cnn.py --threads 1        # one thread each

On a shared machine, other processes' load slows the multi-threaded BLAS and
OpenMP calls of both contestants by very different amounts from run to run
(a factor of ten was seen); the load average and the run-by-run ratios in the
report show it. Trust a run whose load average stayed below the core count;
``--threads 1`` is far less sensitive to load.

Install PyTorch with ``pip install -e ".[bench]"``; without it only nnfs runs.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

INPUT_SHAPE = (1, 28, 28)
N_SAMPLES = 10_000
N_CLASSES = 10
BATCH = 64
LR, MOMENTUM = 0.01, 0.9
TARGET_RATIO = 2.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _data(np, dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N_SAMPLES, *INPUT_SHAPE), dtype=dtype)
    y = rng.integers(0, N_CLASSES, N_SAMPLES)
    return X, y


def _run_nnfs(dtype_name):
    import numpy as np

    from nnfs.activations import ReLU, Softmax
    from nnfs.conv import Conv2D, MaxPool2D
    from nnfs.layers import Dense, Flatten
    from nnfs.losses import CCE
    from nnfs.model import Sequential
    from nnfs.optimizers import SGD

    dtype = np.dtype(dtype_name)
    baseline = _rss_mb()
    X, y = _data(np, dtype)
    layers = [
        Conv2D(1, 16, 3, padding="same", dtype=dtype, seed=0, input_shape=INPUT_SHAPE),
        ReLU(),
        MaxPool2D(2),
        Conv2D(16, 32, 3, padding="same", dtype=dtype, seed=1),
        ReLU(),
        MaxPool2D(2),
        Flatten(),
        Dense(32 * 7 * 7, 128, dtype=dtype, seed=2),
        ReLU(),
        Dense(128, N_CLASSES, dtype=dtype, seed=3),
        Softmax(),
    ]
    model = Sequential(layers, CCE(), SGD(lr=LR, momentum=MOMENTUM))

    start = time.perf_counter()
    model.fit(X, y, 1, batch_size=BATCH, debug_flag=False, seed=0)
    train = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(X)
    predict = time.perf_counter() - start
    return train, predict, _peak_rss_mb() - baseline


def _run_torch(dtype_name):
    import numpy as np
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
    dtype = getattr(torch, dtype_name)
    baseline = _rss_mb()
    X_np, y_np = _data(np, np.dtype(dtype_name))
    X, y = torch.from_numpy(X_np), torch.from_numpy(y_np)
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding="same", dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding="same", dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 7 * 7, 128, dtype=dtype),
        nn.ReLU(),
        nn.Linear(128, N_CLASSES, dtype=dtype),
    )
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)

    start = time.perf_counter()
    order = torch.randperm(N_SAMPLES)
    for first in range(0, N_SAMPLES, BATCH):
        index = order[first : first + BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(X[index]), y[index])
        loss.backward()
        optimizer.step()
    train = time.perf_counter() - start
    start = time.perf_counter()
    with torch.no_grad():
        for first in range(0, N_SAMPLES, 1024):
            torch.softmax(model(X[first : first + 1024]), dim=1)
    predict = time.perf_counter() - start
    return train, predict, _peak_rss_mb() - baseline


RUNNERS = {"nnfs": _run_nnfs, "torch": _run_torch}


def _available(name: str) -> bool:
    code = f"import {name}"
    return (
        subprocess.run([sys.executable, "-c", code], capture_output=True).returncode
        == 0
    )


def _worker(name: str, dtype_name: str) -> None:
    train, predict, peak = RUNNERS[name](dtype_name)
    print(json.dumps({"train": train, "predict": predict, "peak": peak}))


def _measure(name: str, dtype_name: str, threads: int) -> dict:
    command = [sys.executable, __file__, "--worker", name, "--dtype", dtype_name]
    # Read by OpenBLAS (NumPy) and OpenMP (PyTorch) when the worker starts.
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    env.update(OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(dtype_name: str, results: dict, loads: list[float]) -> None:
    def median(name, key):
        return statistics.median(run[key] for run in results[name])

    def fastest(name, key):
        return min(run[key] for run in results[name])

    n_runs = len(next(iter(results.values())))
    print(f"\n{dtype_name}: seconds per training epoch over {n_runs} runs each")
    print(
        f"{'':8} {'median':>8} {'fastest':>8} {'predict':>8} {'peak MB':>8}"
        "   every run (train s)"
    )
    for name, runs in results.items():
        every = " ".join(f"{run['train']:.2f}" for run in runs)
        print(
            f"{name:8} {median(name, 'train'):8.3f} {fastest(name, 'train'):8.3f} "
            f"{median(name, 'predict'):8.3f} {median(name, 'peak'):8.1f}   {every}"
        )
    print(
        f"1-minute load average before the runs: {min(loads):.2f} to {max(loads):.2f}"
        f" on {os.cpu_count()} cores"
    )
    if "nnfs" in results and "torch" in results:
        ratio = median("nnfs", "train") / median("torch", "train")
        best = fastest("nnfs", "train") / fastest("torch", "train")
        # Ratios of runs made back to back, which saw about the same load.
        pairs = [
            ours["train"] / theirs["train"]
            for ours, theirs in zip(results["nnfs"], results["torch"], strict=True)
        ]
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(
            f"nnfs / torch, train: {ratio:.2f}x of the medians ({verdict} the "
            f"{TARGET_RATIO:g}x target), {best:.2f}x of the fastest runs, "
            f"{min(pairs):.2f}x to {max(pairs):.2f}x run by run"
        )
        predict = median("nnfs", "predict") / median("torch", "predict")
        print(f"nnfs / torch, predict: {predict:.2f}x of the medians")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dtype", choices=("float32", "float64", "both"), default="float32"
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--only", nargs="*", choices=tuple(RUNNERS), default=None)
    parser.add_argument("--worker", choices=tuple(RUNNERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.dtype)
        return

    names = [name for name in (args.only or RUNNERS) if _available(name)]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    )
    print(
        f"python {platform.python_version()}; contestants: {', '.join(names)}; "
        f"{args.threads} thread(s) each"
    )
    dtypes = ("float32", "float64") if args.dtype == "both" else (args.dtype,)
    for dtype_name in dtypes:
        results = {name: [] for name in names}
        loads = []
        for _ in range(args.repeats):
            for name in names:
                loads.append(os.getloadavg()[0])
                results[name].append(_measure(name, dtype_name, args.threads))
        _report(dtype_name, results, loads)


if __name__ == "__main__":
    main()
