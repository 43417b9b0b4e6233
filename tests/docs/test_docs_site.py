"""The site builds with ``mkdocs build --strict`` and holds what it promises.

The build itself runs once, in the ``built_site`` fixture (tests/docs/
conftest.py); a warning of any kind fails it.
"""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import nnfs

pytestmark = pytest.mark.docs

ROOT = Path(__file__).resolve().parents[2]

MATH_PAGES = ["losses", "activations", "layers", "convolution", "optimizers"]
NOTEBOOKS = sorted(path.stem for path in (ROOT / "docs" / "notebooks").glob("*.ipynb"))
_REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)="
    r"[\"'](?:https?:)?//",
    flags=re.IGNORECASE,
)


def public_modules() -> list[str]:
    """nnfs and each of its modules whose dotted path has no private part."""
    names = ["nnfs"]
    for info in pkgutil.walk_packages(nnfs.__path__, prefix="nnfs."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def page(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def reference_page(module: str) -> str:
    """The API page of a module: nnfs.datasets.x -> reference/datasets."""
    parts = module.split(".")
    return "reference" if len(parts) == 1 else f"reference/{parts[1]}"


def test_every_page_of_the_navigation_is_built(built_site):
    expected = [
        "",
        "guide/models",
        "guide/training",
        "guide/data",
        "guide/saving",
        "guide/cli",
        "guide/performance",
        "guide/sklearn",
        "tutorials/custom-layer",
        "notebooks",
        "math",
        "reference",
    ]
    expected += [f"math/{name}" for name in MATH_PAGES]
    expected += [f"notebooks/{name}" for name in NOTEBOOKS]
    missing = [
        path for path in expected if not (built_site / path / "index.html").is_file()
    ]
    assert not missing, f"pages not built: {missing}"


@pytest.mark.parametrize("module_name", public_modules())
def test_every_public_name_has_an_entry_in_the_api_reference(built_site, module_name):
    if module_name == "nnfs.sklearn":
        pytest.importorskip("sklearn")
    module = importlib.import_module(module_name)
    where = reference_page(module_name)
    assert (built_site / where / "index.html").is_file(), (
        f"no API page for {module_name}: add {where}.md holding "
        f"'::: {module_name}' under docs/ and list it in mkdocs.yml's nav"
    )
    html = page(built_site, where)
    if module_name == "nnfs":
        # The top-level names are re-exports: each is documented where it is
        # defined, and the reference's index page links to it.
        for name in module.__all__:
            obj = getattr(module, name)
            target = getattr(obj, "__name__", name)
            home = getattr(obj, "__module__", None) or obj.__name__
            anchor = target if home == target else f"{home}.{target}"
            assert f"#{anchor}" in html, f"reference/index does not link {anchor}"
        return
    owner = ".".join(module_name.split(".")[:2])
    for name in module.__all__:
        anchor = f'id="{owner}.{name}"'
        assert anchor in html, (
            f"{module_name}.{name} has no entry ({anchor}) on the API page "
            f"{reference_page(module_name)}"
        )


def test_api_pages_render_docstrings_as_markdown(built_site):
    html = page(built_site, "reference/layers")
    text = re.sub(r'<div class="highlight">.*?</div>', "", html, flags=re.DOTALL)
    # Sphinx roles become links or code; examples become highlighted code.
    assert ":class:`" not in text and ":func:`" not in text
    assert 'href="../model/#nnfs.model.Sequential"' in html
    assert "&gt;&gt;&gt;" in html, "the doctest examples should be shown"


@pytest.mark.parametrize("name", MATH_PAGES)
def test_math_pages_hold_math_for_katex(built_site, name):
    html = page(built_site, f"math/{name}")
    assert html.count('class="arithmatex"') >= 5, "too little math on the page"
    assert "assets/katex/katex.min.js" in html


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_pages_show_the_stored_outputs(built_site, name):
    html = page(built_site, f"notebooks/{name}")
    assert "jp-OutputArea-output" in html, "no cell output on the page"
    assert "mathjax" not in html.lower(), "the MathJax loader must be removed"


def test_the_site_loads_nothing_from_other_servers(built_site):
    offenders = []
    for path in built_site.rglob("*.html"):
        for match in _REMOTE.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(built_site)}: {match.group(0)}")
    for path in built_site.rglob("*.css"):
        for match in re.finditer(r"url\([\"']?(?:https?:)?//[^)]*\)", path.read_text()):
            offenders.append(f"{path.relative_to(built_site)}: {match.group(0)}")
    assert not offenders, "\n".join(offenders[:20])


def test_katex_is_served_with_its_fonts_and_licence(built_site):
    katex = built_site / "assets" / "katex"
    assert (katex / "katex.min.js").is_file()
    assert (katex / "contrib" / "auto-render.min.js").is_file()
    assert "MIT License" in (katex / "LICENSE").read_text()
    css = (katex / "katex.min.css").read_text()
    fonts = set(re.findall(r"url\(fonts/([\w-]+\.woff2)\)", css))
    assert fonts, "katex.min.css names no WOFF2 fonts"
    missing = sorted(font for font in fonts if not (katex / "fonts" / font).is_file())
    assert not missing, f"fonts named by katex.min.css but not served: {missing}"
