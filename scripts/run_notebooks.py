"""Execute the example notebooks top to bottom, with no network.

    python scripts/run_notebooks.py            # run all, store the outputs
    python scripts/run_notebooks.py --check    # run all, store nothing
    python scripts/run_notebooks.py docs/notebooks/06_cnns.ipynb

The site shows the outputs stored in each notebook (mkdocs-jupyter does not
execute them), so after editing a notebook, run this to store fresh outputs.
tests/docs/test_notebooks.py runs the same function on every notebook.

Each notebook runs in a fresh Python kernel whose working directory is the
notebook's folder, with an IPython start-up file that refuses every socket
connection to a non-loopback address, an empty ``NNFS_DATA`` folder (so no
cached MNIST is found) and a fixed hash seed. Needs the ``docs`` extra.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "docs" / "notebooks"
CELL_TIMEOUT = 300  # seconds; every notebook should take well under a minute

# Runs in the kernel before the first cell (IPython start-up file).
NO_NETWORK = """\
import ipaddress as _ipaddress
import socket as _socket


def _nnfs_refuse_remote(connect):
    def guarded(self, address):
        if self.family in (_socket.AF_INET, _socket.AF_INET6):
            host = address[0]
            try:
                local = _ipaddress.ip_address(host).is_loopback
            except ValueError:
                local = host == "localhost"
            if not local:
                raise OSError(f"no network while the notebooks run: {address!r}")
        return connect(self, address)

    return guarded


_socket.socket.connect = _nnfs_refuse_remote(_socket.socket.connect)
_socket.socket.connect_ex = _nnfs_refuse_remote(_socket.socket.connect_ex)
del _nnfs_refuse_remote
"""


def notebook_paths() -> list[Path]:
    """Every notebook under docs/notebooks, in name order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def execute(path: Path, *, timeout: int = CELL_TIMEOUT):
    """Run the notebook at ``path``; return (executed notebook, seconds).

    Raises nbclient's CellExecutionError, naming the cell, if a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of an earlier run
    with tempfile.TemporaryDirectory() as scratch:
        startup = Path(scratch, "ipython", "profile_default", "startup")
        startup.mkdir(parents=True)
        (startup / "00-no-network.py").write_text(NO_NETWORK)
        data = Path(scratch, "nnfs-data")
        data.mkdir()
        env = {
            **os.environ,
            "IPYTHONDIR": str(Path(scratch, "ipython")),
            "NNFS_DATA": str(data),
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=False,
            record_timing=False,  # no timestamps in the stored notebooks
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.perf_counter()
        client.execute(env=env)
        seconds = time.perf_counter() - start
    return notebook, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="default: all")
    parser.add_argument(
        "--check", action="store_true", help="run, but store no outputs"
    )
    args = parser.parse_args(argv)

    import nbformat

    for path in args.paths or notebook_paths():
        notebook, seconds = execute(path.resolve())
        if not args.check:
            nbformat.write(notebook, path)
        print(f"{path.name}: ran in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
