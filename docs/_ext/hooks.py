"""MkDocs hooks that keep the built site free of third-party servers.

mkdocs-jupyter renders each notebook with nbconvert's template, which loads
MathJax from a CDN. The site renders its mathematics with the KaTeX copy it
serves itself (``docs/javascripts/katex.js`` renders the ``$...$`` of the
notebooks too), so the MathJax loader and its configuration are removed from
every page; a page that still names another server then fails the build.
"""

import re

_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", flags=re.DOTALL
)
# A script, stylesheet, image or font fetched from another host at page load.
_REMOTE_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//[^\"]+",
    flags=re.IGNORECASE,
)


def on_post_page(output: str, page, config) -> str:
    output = _MATHJAX.sub("", output)
    remote = _REMOTE_ASSET.search(output)
    if remote:
        raise ValueError(
            f"docs hook: {page.file.src_uri} loads {remote.group(0)!r} from "
            "another server; the site must work offline, so serve it from docs/"
        )
    return output
