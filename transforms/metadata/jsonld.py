"""JSON-LD blocks of a page: parsed leniently, flattened through lists, `@graph` and
`mainEntity`, `@id` references resolvable, and split into article-like nodes (NewsArticle,
Article, BlogPosting, ...) and page-like nodes (WebPage), the latter as weaker evidence.
"""

from __future__ import annotations

import json
import re
from typing import Any

from transforms.metadata.evidence import HtmlEvidence

ARTICLE_TYPES = frozenset(
    [
        "newsarticle",
        "article",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "techarticle",
        "scholarlyarticle",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "medicalwebpage",
        "posting",
        "howto",
        "recipe",
        "advertisercontentarticle",
        "satiricalarticle",
    ]
)


PAGE_TYPES = frozenset(["webpage", "itempage", "aboutpage", "faqpage", "qapage", "medicalwebpage"])


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type", "")
    types = t if isinstance(t, list) else [t]
    return {str(x).rsplit("/", 1)[-1].lower() for x in types}


def _load_jsonld(raw: str) -> Any:
    raw = raw.strip()
    if "CDATA" in raw or "]]>" in raw:  # the regex scans every position: only when needed
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw)
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        # trailing commas and stray control characters are common; one lenient retry
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
        except ValueError:
            return None


def _walk(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for x in data:
            _walk(x, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _walk(data["@graph"], out, depth + 1)
        # an article nested in a WebPage's mainEntity is still the article
        for key in ("mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            sub = data.get(key)
            if isinstance(sub, dict | list):
                _walk(sub, out, depth + 1)


def collect_jsonld(tree: Any, ev: HtmlEvidence) -> None:
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _load_jsonld(script.text or "")
        if data is not None:
            _walk(data, nodes)
    for node in nodes:
        if isinstance(node.get("@id"), str) and len(node) > 1:
            ev.graph.setdefault(node["@id"], node)
    for node in nodes:
        types = _types(node)
        if types & ARTICLE_TYPES:
            ev.articles.append(node)
        elif types & PAGE_TYPES:
            ev.pages.append(node)


def resolve(ev: HtmlEvidence, value: Any) -> Any:
    """Follow a JSON-LD {"@id": ...} reference to its node, when the page defines it."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return ev.graph.get(value["@id"], value)
    return value
