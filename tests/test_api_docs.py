"""Every public name is documented as the API reference needs it.

The API reference (docs/reference/, built by mkdocstrings) renders each
module's ``__all__`` from the docstrings, so the docstrings are the reference.
For every public module of nnfs and every name in its ``__all__`` this checks:

- a docstring whose summary is one line ending in a full stop;
- a numpydoc ``Parameters`` section naming every parameter of the signature
  (``Attributes`` for a dataclass), where each array argument states its
  shape;
- an ``Examples`` section holding at least one doctest (``>>>``); pytest runs
  them all with ``--doctest-modules``;
- a summary line for every public method and property of a public class.

tests/docs/test_docs_site.py checks that the built site has an entry for each
of these names. This file needs nothing beyond NumPy, so the suite checks the
docstrings even where the docs extra is not installed.
"""

import ast
import dataclasses
import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import nnfs

# Modules that import an optional package at import time.
_OPTIONAL = {"nnfs.sklearn": "sklearn"}

_SECTION = re.compile(r"^(\w[\w ]*)\n-+\n", flags=re.MULTILINE)
_ARRAY_TYPE = re.compile(r"\b(ndarray|array-like|array)\b")


def public_modules() -> list[str]:
    """Every module of nnfs whose dotted path has no part starting with _."""
    names = ["nnfs"]
    for info in pkgutil.walk_packages(nnfs.__path__, prefix="nnfs."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def _import(name: str):
    if name in _OPTIONAL:
        pytest.importorskip(_OPTIONAL[name])
    return importlib.import_module(name)


def public_names() -> list[tuple[str, str]]:
    """(module, name) for every non-module entry of every ``__all__``, each
    object once, under the module that defines it when that module lists it."""
    chosen: dict[int, tuple[str, str]] = {}
    for module_name in public_modules():
        if module_name in _OPTIONAL:
            continue  # listed from its source below, so that it can be skipped
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            defined_here = getattr(obj, "__module__", None) == module_name
            if id(obj) not in chosen or defined_here:
                chosen[id(obj)] = (module_name, name)
    pairs = set(chosen.values())
    for module_name in _OPTIONAL:
        pairs.update((module_name, name) for name in _all_from_source(module_name))
    return sorted(pairs)


def _all_from_source(module_name: str) -> list[str]:
    """``__all__`` read from the source, for modules that may not import."""
    path = Path(nnfs.__file__).parent / (module_name.split(".", 1)[1] + ".py")
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__"
            for target in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return []


def _attribute_docstring(module, name: str) -> str | None:
    """The string literal right after ``name = ...`` at module level."""
    tree = ast.parse(inspect.getsource(module))
    body = tree.body
    for node, following in zip(body, body[1:], strict=False):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            if isinstance(following, ast.Expr) and isinstance(
                following.value, ast.Constant
            ):
                value = following.value.value
                return inspect.cleandoc(value) if isinstance(value, str) else None
    return None


def docstring_of(module_name: str, name: str) -> tuple[object, str]:
    module = _import(module_name)
    obj = getattr(module, name)
    if inspect.isclass(obj) or inspect.isroutine(obj):
        return obj, inspect.getdoc(obj) or ""
    return obj, _attribute_docstring(module, name) or ""


def sections(doc: str) -> dict[str, str]:
    """numpydoc sections by title; the text before the first is ``""``."""
    parts = _SECTION.split(doc)
    found = {"": parts[0]}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        found[title.strip()] = body
    return found


def documented_parameters(section: str) -> dict[str, str]:
    """Parameter name -> its entry (type line and description)."""
    entries, current = {}, None
    for line in section.splitlines():
        if line and not line[0].isspace():
            head = line.split(" : ", 1)[0].strip()
            current = [part.strip().lstrip("*") for part in head.split(",")]
            for part in current:
                entries[part] = line
        elif current:
            for part in current:
                entries[part] += "\n" + line
    return entries


def check_summary(doc: str, what: str) -> None:
    assert doc.strip(), f"{what} has no docstring"
    lines = doc.splitlines()
    assert lines[0].strip(), f"{what}: the docstring must start with a summary line"
    assert len(lines) == 1 or not lines[1].strip(), (
        f"{what}: the summary must fit on one line, followed by a blank line; "
        f"got {lines[:2]}"
    )
    assert lines[0].rstrip().endswith((".", "?", "!")) or lines[0].endswith(
        ("``", ")")
    ), f"{what}: the summary line should be a sentence; got {lines[0]!r}"


@pytest.mark.parametrize("module_name", public_modules())
def test_every_public_module_has_a_docstring_and_all(module_name):
    module = _import(module_name)
    assert (module.__doc__ or "").strip(), f"{module_name} has no docstring"
    assert isinstance(getattr(module, "__all__", None), list | tuple), (
        f"{module_name} must list its public names in __all__"
    )


@pytest.mark.parametrize(("module_name", "name"), public_names())
def test_public_name_has_a_summary_and_a_doctest_example(module_name, name):
    obj, doc = docstring_of(module_name, name)
    what = f"{module_name}.{name}"
    check_summary(doc, what)
    found = sections(doc)
    assert "Examples" in found, f"{what} needs an Examples section"
    examples = doctest.DocTestParser().get_examples(found["Examples"])
    assert examples, f"{what}: its Examples section holds no doctest (>>>)"


@pytest.mark.parametrize(("module_name", "name"), public_names())
def test_public_name_documents_every_parameter_with_shapes(module_name, name):
    obj, doc = docstring_of(module_name, name)
    if not (inspect.isclass(obj) or inspect.isroutine(obj)):
        return  # a constant has no parameters
    what = f"{module_name}.{name}"
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return
    names = [
        parameter.name
        for parameter in signature.parameters.values()
        if parameter.name not in ("self", "cls")
        and parameter.kind
        not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return  # exceptions take a message
    if not names:
        return
    found = sections(doc)
    title = "Attributes" if dataclasses.is_dataclass(obj) else "Parameters"
    assert title in found, f"{what} needs a {title} section for {names}"
    entries = documented_parameters(found[title])
    missing = [parameter for parameter in names if parameter not in entries]
    assert not missing, f"{what}: {title} does not describe {missing}"
    for parameter in names:
        entry = entries[parameter]
        type_line = entry.splitlines()[0]
        if _ARRAY_TYPE.search(type_line) and "shape" not in entry:
            pytest.fail(
                f"{what}: parameter {parameter!r} is an array but its entry "
                f"gives no shape: {type_line.strip()!r}"
            )


def public_classes() -> list[tuple[str, str]]:
    """The classes among the public names (every name of an optional module,
    which is not imported here; the test skips those that are not classes)."""
    return [
        (module_name, name)
        for module_name, name in public_names()
        if module_name in _OPTIONAL
        or inspect.isclass(getattr(importlib.import_module(module_name), name))
    ]


@pytest.mark.parametrize(("module_name", "name"), public_classes())
def test_public_methods_have_a_summary_line(module_name, name):
    cls, _ = docstring_of(module_name, name)
    if not inspect.isclass(cls):
        return  # a constant of an optional module
    for attribute, value in vars(cls).items():
        if attribute.startswith("_"):
            continue
        if isinstance(value, staticmethod | classmethod):
            value = value.__func__
        if not (inspect.isfunction(value) or isinstance(value, property)):
            continue
        # An override without a docstring shows its parent's (inspect.getdoc).
        doc = inspect.getdoc(getattr(cls, attribute)) or ""
        check_summary(doc, f"{module_name}.{name}.{attribute}")
