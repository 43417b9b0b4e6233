"""Griffe extension: read nnfs's numpydoc docstrings as Markdown for the site.

The docstrings are written for ``help()`` and Sphinx-style readers, so they
use roles such as ``:class:`~nnfs.layers.Dense``` and end paragraphs with
``::`` before a literal block. mkdocstrings renders docstrings as Markdown, so
this extension rewrites, once the whole package is loaded:

- a role whose target names a documented nnfs object (absolute, or relative
  to the object, its class or its module, as Sphinx resolves them) into an
  autorefs link, ``[Dense][nnfs.layers.Dense]``; any other target (private,
  undocumented, outside nnfs) into inline code, so ``mkdocs build --strict``
  never meets a link it cannot resolve;
- a paragraph's closing ``::`` into ``:`` (the indented block that follows
  is already a Markdown code block).

The source files are not changed; only griffe's copy of each docstring is.
"""

from __future__ import annotations

import re

from griffe import Alias, AliasResolutionError, Extension, Object

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):`(~?)([^`]+)`")
_LITERAL_MARKER = re.compile(r"(\S)::[ \t]*$", flags=re.MULTILINE)
_BARE_LITERAL_MARKER = re.compile(r"^([ \t]*)::[ \t]*$", flags=re.MULTILINE)


class SphinxRoles(Extension):
    """Rewrite Sphinx roles and ``::`` markers in every nnfs docstring."""

    def on_package(self, *, pkg, **kwargs) -> None:
        if pkg.name != "nnfs":
            return
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = _rewrite(obj.docstring.value, obj, pkg)


def _walk(obj: Object):
    """Every object defined in ``obj``'s tree (aliases are not followed)."""
    yield obj
    for member in obj.members.values():
        if isinstance(member, Alias):
            continue
        yield from _walk(member)


def _rewrite(text: str, obj: Object, pkg: Object) -> str:
    def replace(match: re.Match) -> str:
        short, target = match.group(1) == "~", match.group(2).strip()
        shown = target.rsplit(".", 1)[-1] if short else target
        if shown.endswith(")"):
            shown = shown.rsplit("(", 1)[0]
        path = _resolve(target, obj, pkg)
        if path is None:
            return f"`{shown}`"
        return f"[`{shown}`][{path}]"

    text = _ROLE.sub(replace, text)
    text = _LITERAL_MARKER.sub(r"\1:", text)
    return _BARE_LITERAL_MARKER.sub(r"\1", text)


def _resolve(target: str, obj: Object, pkg: Object) -> str | None:
    """Canonical path of the documented nnfs object ``target`` names, or None."""
    target = target.removesuffix("()")
    scopes = []
    scope = obj
    while scope is not None:
        scopes.append(scope.path)
        scope = scope.parent
    candidates = [f"{scope}.{target}" for scope in scopes] + [target]
    for candidate in candidates:
        found = _lookup(candidate, pkg)
        if found is not None:
            return found
    return None


def _lookup(path: str, pkg: Object) -> str | None:
    if path == pkg.path:
        return pkg.path
    prefix = pkg.path + "."
    if not path.startswith(prefix):
        return None
    try:
        found = pkg[path.removeprefix(prefix)]
        if isinstance(found, Alias):
            found = found.final_target
    except (KeyError, AliasResolutionError, ValueError):
        return None
    if not _rendered(found):
        return None
    return found.path


def _rendered(obj: Object) -> bool:
    """Whether the API reference shows ``obj`` (and so has an anchor for it)."""
    parts = obj.path.split(".")
    if any(part.startswith("_") for part in parts):
        return False
    if obj.is_module:
        return True
    if not obj.is_public:
        return False
    parent = obj.parent
    if parent is not None and not parent.is_module and not _rendered(parent):
        return False
    return obj.docstring is not None or obj.is_class
