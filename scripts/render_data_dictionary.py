"""Rewrite the data-dictionary tables in docs/data_dictionary.md from transforms/core/schema.py.

    python scripts/render_data_dictionary.py          # update docs/data_dictionary.md in place
    python scripts/render_data_dictionary.py --check  # exit 1 when it is out of date

Each table sits between `<!-- schema:NAME -->` and `<!-- /schema:NAME -->` markers; a table
with the very columns of one before it (`pages`: the articles columns) is described there.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from transforms.core.schema import TABLE_SCHEMAS, data_dictionary

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DICTIONARY = ROOT / "docs" / "data_dictionary.md"


def render(text: str) -> str:
    rendered: list[object] = []
    for name, schema in TABLE_SCHEMAS.items():
        if any(schema is other for other in rendered):
            continue
        rendered.append(schema)
        pattern = re.compile(
            rf"(<!-- schema:{name} -->\n)(?:.*?\n)?(<!-- /schema:{name} -->)", re.S
        )
        if not pattern.search(text):
            raise SystemExit(f"docs/data_dictionary.md has no <!-- schema:{name} --> block")
        text = pattern.sub(
            lambda m, s=schema: m.group(1) + data_dictionary(s) + "\n" + m.group(2), text
        )
    return text


def main() -> int:
    current = DICTIONARY.read_text()
    updated = render(current)
    if "--check" in sys.argv:
        if updated != current:
            print("docs/data_dictionary.md is out of date: run scripts/render_data_dictionary.py")
            return 1
        return 0
    DICTIONARY.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
