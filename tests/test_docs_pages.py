"""The code on the documentation pages runs as written.

Every fenced block marked ``python`` in docs/**/*.md runs, in order, in one
namespace per page (so a page can build on its earlier blocks), and must not
raise. Blocks that cannot run here, such as a download, are fenced ``py``
instead: they are highlighted the same way on the site. Pages whose code needs
an optional package skip without it. Needs no docs extra: only nnfs and, for
some pages, scikit-learn.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md"))
_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)
_OPTIONAL = {"sklearn": "sklearn", "matplotlib": "matplotlib"}


def code_blocks(path: Path) -> list[str]:
    return _BLOCK.findall(path.read_text(encoding="utf-8"))


PAGES_WITH_CODE = [path for path in PAGES if code_blocks(path)]


def test_the_guide_pages_hold_code():
    names = {path.relative_to(ROOT / "docs").as_posix() for path in PAGES_WITH_CODE}
    for expected in ("index.md", "guide/models.md", "tutorials/custom-layer.md"):
        assert expected in names


@pytest.mark.parametrize(
    "path", PAGES_WITH_CODE, ids=lambda path: path.relative_to(ROOT / "docs").as_posix()
)
def test_page_code_runs(path, capsys, tmp_path, monkeypatch):
    blocks = code_blocks(path)
    for name, module in _OPTIONAL.items():
        if any(re.search(rf"\b{name}\b", block) for block in blocks):
            pytest.importorskip(module)
    monkeypatch.chdir(tmp_path)  # anything a page writes lands here
    namespace = {"__name__": "__docs__"}
    for number, block in enumerate(blocks, 1):
        source = f"{path.relative_to(ROOT)} block {number}"
        exec(compile(block, source, "exec"), namespace)
    assert capsys.readouterr().out.strip(), "the page's code should show something"


def test_the_custom_layer_tutorial_ends_with_passing_gradient_checks(capsys):
    path = ROOT / "docs" / "tutorials" / "custom-layer.md"
    namespace = {"__name__": "__docs__"}
    for block in code_blocks(path):
        exec(compile(block, str(path), "exec"), namespace)
    capsys.readouterr()
    assert "check_gradients" in code_blocks(path)[-2]
    assert namespace["result"].passed
    assert namespace["model_check"].passed
    assert namespace["float32_check"].passed
    names = [check.name for check in namespace["result"].checks]
    assert names == ["X", "prelu.alpha"]
