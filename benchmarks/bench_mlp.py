"""Time one training epoch and one predict pass of an MLP: nnfs vs PyTorch.

The job: MLP 784-256-128-10, ReLU, Softmax + CCE, SGD with momentum 0.9,
batch 128, one epoch over 60,000 random float32 samples, then ``predict`` over
the same 60,000 samples.

Contestants, each in a fresh subprocess so that memory peaks do not mix:

- ``nnfs``     this project;
- ``torch``    PyTorch on the CPU, same architecture, batch and thread count;
- ``sklearn``  scikit-learn's MLPClassifier (one epoch of its SGD solver);
- ``numpy``    the whole training step written out as plain NumPy statements
               in one loop, with no framework around it: what NumPy itself
               costs for this job, beyond the matrix products;
- ``floor``    the same matrix products alone in NumPy: the cost no NumPy
               implementation can avoid.

Runs are interleaved (nnfs, torch, sklearn, numpy, floor, nnfs, ...) and each figure
is the median of ``--repeats`` runs. Missing packages are skipped. Usage::

    python benchmarks/bench_mlp.py                 # float32 and float64
    python benchmarks/bench_mlp.py --dtype float32 --repeats 5

Install the comparison packages with ``pip install -e ".[bench]"``.
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

SIZES = (784, 256, 128, 10)
N_SAMPLES = 60_000
BATCH = 128
LR, MOMENTUM = 0.01, 0.9
# The speed targets, nnfs / other on the medians of one run: (figure, other).
TARGETS = {("train", "torch"): 0.8, ("train", "floor"): 1.6, ("predict", "torch"): 1.0}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _data(np, dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N_SAMPLES, SIZES[0]), dtype=dtype)
    y = rng.integers(0, SIZES[-1], N_SAMPLES)
    return X, y


def _run_nnfs(dtype_name):
    import numpy as np

    from nnfs.activations import ReLU, Softmax
    from nnfs.layers import Dense
    from nnfs.losses import CCE
    from nnfs.model import Sequential
    from nnfs.optimizers import SGD

    dtype = np.dtype(dtype_name)
    baseline = _rss_mb()
    X, y = _data(np, dtype)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:], strict=True)):
        layers += [Dense(n_in, n_out, dtype=dtype, seed=i), ReLU()]
    layers[-1] = Softmax()
    model = Sequential(layers, CCE(), SGD(lr=LR, momentum=MOMENTUM))
    n_params = sum(layer.n_params for layer in model.layers)

    start = time.perf_counter()
    model.fit(X, y, 1, batch_size=BATCH, debug_flag=False, seed=0)
    train = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(X)
    predict = time.perf_counter() - start
    budget = (X.nbytes + y.nbytes + n_params * dtype.itemsize) / 2**20
    return train, predict, _peak_rss_mb() - baseline, budget


def _run_torch(dtype_name):
    import numpy as np
    import torch

    torch.set_num_threads(os.cpu_count())
    dtype = getattr(torch, dtype_name)
    baseline = _rss_mb()
    X_np, y_np = _data(np, np.dtype(dtype_name))
    X, y = torch.from_numpy(X_np), torch.from_numpy(y_np)
    torch.manual_seed(0)
    layers = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out, dtype=dtype), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    loss_fn = torch.nn.CrossEntropyLoss()
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
    return train, predict, _peak_rss_mb() - baseline, None


def _run_sklearn(dtype_name):
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    baseline = _rss_mb()
    X, y = _data(np, np.dtype(dtype_name))
    model = MLPClassifier(
        hidden_layer_sizes=SIZES[1:-1],
        solver="sgd",
        learning_rate_init=LR,
        momentum=MOMENTUM,
        nesterovs_momentum=False,
        batch_size=BATCH,
        max_iter=1,
        random_state=0,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    train = time.perf_counter() - start
    start = time.perf_counter()
    model.predict_proba(X)
    predict = time.perf_counter() - start
    return train, predict, _peak_rss_mb() - baseline, None


def _run_numpy(dtype_name):
    """The same epoch as plain NumPy statements: every product, bias, ReLU,
    the fused Softmax + CCE gradient and the momentum update, in place where
    NumPy allows it, with no layer objects, checks or bookkeeping."""
    import numpy as np

    dtype = np.dtype(dtype_name)
    baseline = _rss_mb()
    X, y = _data(np, dtype)
    rng = np.random.default_rng(1)
    pairs = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    weights = [
        (rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)).astype(dtype)
        for n_in, n_out in pairs
    ]
    biases = [np.zeros((1, n_out), dtype=dtype) for _, n_out in pairs]
    params = weights + biases
    velocities = [np.zeros_like(p) for p in params]
    steps = [np.empty_like(p) for p in params]
    lr, momentum = dtype.type(LR), dtype.type(MOMENTUM)

    start = time.perf_counter()
    order = np.random.default_rng(0).permutation(N_SAMPLES)
    for first in range(0, N_SAMPLES, BATCH):
        index = order[first : first + BATCH]
        rows = np.arange(len(index))
        outputs = [X[index]]
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
            z = outputs[-1] @ W
            z += b
            if layer + 1 < len(weights):
                np.maximum(z, 0, out=z)
            outputs.append(z)
        p = outputs[-1]  # softmax, in place
        p -= p.max(axis=1, keepdims=True)
        np.exp(p, out=p)
        p /= p.sum(axis=1, keepdims=True)
        labels = y[index]
        float(-np.log(np.maximum(p[rows, labels], 1e-7)).mean())  # the loss
        grad = p
        grad[rows, labels] -= 1
        grad /= len(index)
        grads_W, grads_b = [], []
        for layer in reversed(range(len(weights))):
            grads_W.insert(0, outputs[layer].T @ grad)
            grads_b.insert(0, grad.sum(axis=0, keepdims=True))
            if layer:
                grad = grad @ weights[layer].T
                grad *= outputs[layer] > 0
        for param, g, v, step in zip(
            params, grads_W + grads_b, velocities, steps, strict=True
        ):
            v *= momentum
            v += g
            np.multiply(v, lr, out=step)
            param -= step
    train = time.perf_counter() - start
    start = time.perf_counter()
    for first in range(0, N_SAMPLES, 1024):
        out = X[first : first + 1024]
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
            out = out @ W
            out += b
            if layer + 1 < len(weights):
                np.maximum(out, 0, out=out)
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
    predict = time.perf_counter() - start
    return train, predict, _peak_rss_mb() - baseline, None


def _run_floor(dtype_name):
    """The matrix products nnfs performs in one epoch, nothing else: per batch,
    a forward product and a weight-gradient product for every layer, and an
    input-gradient product for every layer but the first (whose input gradient
    no one needs; PyTorch skips it too)."""
    import numpy as np

    dtype = np.dtype(dtype_name)
    baseline = _rss_mb()
    X, _ = _data(np, dtype)
    rng = np.random.default_rng(1)
    weights = [
        rng.standard_normal((n_in, n_out)).astype(dtype)
        for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True)
    ]
    start = time.perf_counter()
    for first in range(0, N_SAMPLES, BATCH):
        activations = [X[first : first + BATCH]]
        for W in weights:
            activations.append(activations[-1] @ W)
        grad = activations[-1]
        for layer in reversed(range(len(weights))):
            activations[layer].T @ grad  # dW
            if layer:
                grad = grad @ weights[layer].T  # dX
    train = time.perf_counter() - start
    start = time.perf_counter()
    for first in range(0, N_SAMPLES, 1024):
        out = X[first : first + 1024]
        for W in weights:
            out = out @ W
    predict = time.perf_counter() - start
    return train, predict, _peak_rss_mb() - baseline, None


RUNNERS = {
    "nnfs": _run_nnfs,
    "torch": _run_torch,
    "sklearn": _run_sklearn,
    "numpy": _run_numpy,
    "floor": _run_floor,
}
MODULES = {
    "nnfs": "nnfs",
    "torch": "torch",
    "sklearn": "sklearn",
    "numpy": "numpy",
    "floor": "numpy",
}


def _available(name: str) -> bool:
    code = f"import {MODULES[name]}"
    return (
        subprocess.run([sys.executable, "-c", code], capture_output=True).returncode
        == 0
    )


def _worker(name: str, dtype_name: str) -> None:
    train, predict, peak, budget = RUNNERS[name](dtype_name)
    print(
        json.dumps({"train": train, "predict": predict, "peak": peak, "budget": budget})
    )


def _measure(name: str, dtype_name: str) -> dict:
    command = [sys.executable, __file__, "--worker", name, "--dtype", dtype_name]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(dtype_name: str, results: dict) -> None:
    med = {
        name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        if runs[0]["budget"] is not None
        else {
            key: statistics.median(run[key] for run in runs)
            for key in ("train", "predict", "peak")
        }
        for name, runs in results.items()
    }
    print(f"\n{dtype_name}: seconds per epoch (median), peak memory above baseline")
    print(f"{'':8} {'train s':>9} {'predict s':>10} {'peak MB':>9}")
    for name, figures in med.items():
        print(
            f"{name:8} {figures['train']:9.3f} {figures['predict']:10.3f} "
            f"{figures['peak']:9.1f}"
        )
    if "numpy" in med and "floor" in med:
        print(
            "numpy / floor: train "
            f"{med['numpy']['train'] / med['floor']['train']:.2f}x,"
            f" predict {med['numpy']['predict'] / med['floor']['predict']:.2f}x"
        )
    ours = med.get("nnfs")
    if ours is None:
        return
    for other in ("torch", "sklearn", "numpy", "floor"):
        if other in med:
            # Ratios of runs made back to back, which saw about the same load.
            pairs = [
                mine["train"] / theirs["train"]
                for mine, theirs in zip(results["nnfs"], results[other], strict=True)
            ]
            print(
                f"nnfs / {other}: train {ours['train'] / med[other]['train']:.2f}x "
                f"({min(pairs):.2f}x to {max(pairs):.2f}x run by run), "
                f"predict {ours['predict'] / med[other]['predict']:.2f}x"
            )
    verdicts = [
        f"{key} / {other} {ours[key] / med[other][key]:.2f}x "
        f"{'meets' if ours[key] / med[other][key] <= limit else 'MISSES'} "
        f"<= {limit:g}x"
        for (key, other), limit in TARGETS.items()
        if other in med
    ]
    if verdicts:
        print("targets: " + "; ".join(verdicts))
    limit = 1.3 * ours["budget"] + 64
    print(
        f"nnfs peak {ours['peak']:.0f} MB vs limit 1.3 x (data + parameters "
        f"{ours['budget']:.0f} MB) + 64 MB = {limit:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dtype", choices=("float32", "float64", "both"), default="both"
    )
    parser.add_argument("--repeats", type=int, default=5)
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
    print(f"python {platform.python_version()}; contestants: {', '.join(names)}")
    dtypes = ("float32", "float64") if args.dtype == "both" else (args.dtype,)
    for dtype_name in dtypes:
        results = {name: [] for name in names}
        loads = []
        for _ in range(args.repeats):
            loads.append(os.getloadavg()[0])
            for name in names:
                results[name].append(_measure(name, dtype_name))
        _report(dtype_name, results)
        print(
            f"1-minute load average before each round: {min(loads):.2f} to "
            f"{max(loads):.2f} on {os.cpu_count()} cores"
        )


if __name__ == "__main__":
    main()
