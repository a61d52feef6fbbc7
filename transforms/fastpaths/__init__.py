"""trafilatura's and justext's internals, behind one door.

Every use of a private name of trafilatura or justext lives in this package (lint bans their
internal modules everywhere else: `[tool.ruff.lint.flake8-tidy-imports.banned-api]` in
pyproject.toml). Each module here follows one version of the library, named in `SUPPORTED`;
both libraries are pinned to it in pyproject.toml, and `tests/transforms/fastpaths/
test_versions.py` fails (never skips) when the installed versions differ.

- `cascade`: trafilatura's extraction cascade, with its readability/justext comparison run only
  where it can change the body.
- `xpath_matchers`: trafilatura's EXSLT-regex XPaths evaluated by Python matchers.
- `justext_paragraphs`: justext's paragraph maker without lxml's SAX bridge.
- `link_density`: trafilatura's section pruning, its second link-density round testing only
  the elements the first round's deletions changed.
- `loader`: trafilatura's `load_html`, skipping its character pass for markup already free of
  what lxml refuses.

The door: `supported()` (the installed versions are the ones followed), `enable()` (swap the
matchers, the maker and the pruning into the libraries, in this process; idempotent), `plain()` (a block
that runs the libraries unmodified, to time them), `status()` (what is on, for the manifest).
With other versions installed, `enable()` does nothing and every stage takes the public API.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import metadata

# The versions whose internals this package follows (and pyproject.toml pins).
SUPPORTED: dict[str, str] = {"trafilatura": "2.3.1", "justext": "3.0.2"}

_enabled = False


def installed_versions() -> dict[str, str]:
    """The installed version of each library in `SUPPORTED` ("absent" when not installed)."""
    return {name: _installed_version(name) for name in SUPPORTED}


@cache
def _installed_version(name: str) -> str:
    # once a process: `metadata.version` parses the package's METADATA file on every call
    # (slow), and the stages ask `supported()` several times a page
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def supported() -> bool:
    """Are the installed libraries the versions this package follows?"""
    return installed_versions() == SUPPORTED


def enable() -> bool:
    """Swap the XPath matchers and the justext maker into the libraries (this process, once).

    Called at a worker's first extraction, never at import, so that a process that only imports
    the pipeline runs the plain libraries. Returns whether the fast paths are on.
    """
    global _enabled
    if not _enabled and supported():
        from transforms.fastpaths import justext_paragraphs, link_density, xpath_matchers

        xpath_matchers.install()
        justext_paragraphs.install()
        link_density.install()
        _enabled = True
    return _enabled


def enabled() -> bool:
    """Are the XPath matchers, the justext maker or the pruning swapped in, in this process?"""
    from transforms.fastpaths import justext_paragraphs, link_density, xpath_matchers

    return (
        bool(xpath_matchers.installed())
        or justext_paragraphs.installed()
        or link_density.installed()
    )


@contextmanager
def plain() -> Iterator[None]:
    """Run a block with trafilatura's own XPaths and pruning and justext's own maker (to time
    the library)."""
    from transforms.fastpaths import justext_paragraphs, link_density, xpath_matchers

    with xpath_matchers.trafilatura_xpaths():
        swapped = justext_paragraphs.installed()
        pruning = link_density.installed()
        justext_paragraphs.uninstall()
        link_density.uninstall()
        try:
            yield
        finally:
            if swapped:
                justext_paragraphs.install()
            if pruning:
                link_density.install()


def status() -> dict:
    """What the manifest records: supported versions, installed ones, whether the fast paths
    are on in this process."""
    return {
        "supported": SUPPORTED,
        "installed": installed_versions(),
        "version_match": supported(),
        "enabled": enabled(),
    }
