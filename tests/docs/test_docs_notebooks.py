"""Every example notebook runs top to bottom, offline, and is stored executed.

Each notebook runs in a fresh kernel through ``scripts/run_notebooks.py``: no
socket may reach a non-loopback address and ``NNFS_DATA`` points to an empty
folder, so a notebook that needs the network or a downloaded data set fails.
The site shows the outputs stored in the notebook files (it does not execute
them), so the stored copy must hold the outputs of every cell, in order.
"""

import importlib.util
from pathlib import Path

import pytest
from tests.docs.support import require

pytestmark = pytest.mark.docs

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def _runner():
    spec = importlib.util.spec_from_file_location(
        "run_notebooks", ROOT / "scripts" / "run_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _output_kinds(cell) -> set[str]:
    """What a code cell showed: stream names and display MIME types."""
    kinds = set()
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            kinds.add(f"stream:{output['name']}")
        elif output["output_type"] == "error":
            kinds.add(f"error:{output['ename']}")
        else:
            kinds.update(f"{output['output_type']}:{mime}" for mime in output["data"])
    return kinds


def test_the_notebooks_are_found():
    assert len(NOTEBOOKS) >= 8, [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_offline_and_matches_its_stored_outputs(path):
    nbformat = require("nbformat")
    require("nbclient")
    require("ipykernel")
    stored = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(
        range(1, len(code_cells) + 1)
    ), f"{path.name} is not stored executed in order: run scripts/run_notebooks.py"

    executed, _ = _runner().execute(path)  # raises on the first failing cell

    fresh = [cell for cell in executed.cells if cell.cell_type == "code"]
    for number, (old, new) in enumerate(zip(code_cells, fresh, strict=True), 1):
        assert not any(kind.startswith("error:") for kind in _output_kinds(new))
        assert _output_kinds(old) == _output_kinds(new), (
            f"{path.name}, code cell {number}: the stored outputs "
            f"{sorted(_output_kinds(old))} differ from a fresh run's "
            f"{sorted(_output_kinds(new))}; run scripts/run_notebooks.py"
        )
