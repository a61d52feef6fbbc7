"""What a page's markup says it is: JSON-LD `@type`s, `isAccessibleForFree`, og:type.

Publishers state the type for search engines; where they do, it is the strongest evidence there
is. Scrapers often store pages without their `<script>` elements, so the JSON-LD part is absent
on such pages and everything else must hold up without it (`transforms.pagetype.features`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from transforms.metadata.html_evidence import ARTICLE_TYPES

_MAX_NODES = 200


@dataclass(slots=True)
class MarkupTypes:
    """The types the page's structured data and OpenGraph tags state (lower case)."""

    jsonld: set[str] = field(default_factory=set)
    og_type: str = ""
    free: bool | None = None  # isAccessibleForFree of an article node, when stated
    has_jsonld: bool = False

    @property
    def article(self) -> bool:
        return bool(self.jsonld & ARTICLE_TYPES)


def _walk(data: Any, out: list[dict], depth: int = 0) -> None:
    if depth > 6 or len(out) >= _MAX_NODES:
        return
    if isinstance(data, list):
        for item in data:
            _walk(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            if isinstance(data.get(key), dict | list):
                _walk(data[key], out, depth + 1)


def _types(node: dict) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def markup_types(tree: Any) -> MarkupTypes:
    """The JSON-LD types (of every node, `@graph` and main entities included) and og:type."""
    return markup_of(tree.iter("script"), tree.iter("meta"))


def markup_of(scripts: Iterable[Any], metas: Iterable[Any]) -> MarkupTypes:
    """`markup_types` from the page's `<script>` and `<meta>` elements, in document order (the
    tree's walk for the features collects them: no walk of its own)."""
    found = MarkupTypes()
    nodes: list[dict] = []
    for script in scripts:
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        found.has_jsonld = True
        try:
            _walk(json.loads(script.text or ""), nodes)
        except (ValueError, RecursionError):
            continue
    for node in nodes:
        types = _types(node)
        found.jsonld |= types
        free = node.get("isAccessibleForFree")
        if types & ARTICLE_TYPES and free is not None:
            found.free = str(free).strip().lower() not in ("false", "0", "no")
    og = next(
        (
            c
            for m in metas
            if m.get("property") == "og:type" and (c := m.get("content")) is not None
        ),
        "",
    )
    found.og_type = og.strip().lower()
    return found
