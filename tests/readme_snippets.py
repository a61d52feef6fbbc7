"""The reading snippets of README.md and docs/reading.md, run against a given OUTPUT folder
(shared by the tests)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from scripts.render_data_dictionary import README, ROOT

DOCUMENTS = (README, ROOT / "docs" / "reading.md")


def python_snippets() -> list[str]:
    """The ```python blocks of README.md then docs/reading.md, in order."""
    return [
        code
        for document in DOCUMENTS
        for code in re.findall(r"```python\n(.*?)```", document.read_text(), re.S)
    ]


def missing_reader(code: str) -> str | None:
    """The reader library a snippet imports that is not installed (Polars is a dev extra)."""
    for name in re.findall(r"^import (\w+)", code, re.M):
        if importlib.util.find_spec(name) is None:
            return name
    return None


def run_snippet(code: str, output: Path) -> dict:
    """Run one snippet on `output` (in place of out/sample); its variables."""
    namespace: dict = {}
    exec(code.replace("out/sample", str(output)), namespace)
    return namespace
