"""HTML pages: parse once into a tree, then extract the article body with trafilatura.

`ParseHtmlStep` parses `doc.html` a single time (later HTML steps read `doc.tree`), refusing
pages that are too deeply nested, unparseable, or have no text at all. `ExtractBodyStep` runs
trafilatura on that tree (trafilatura copies a tree it is given, so earlier steps' reads and
this step never interfere) and then applies light, general post-filters on the paragraphs:
photo-credit lines, caption lines, and a paragraph printed twice in a row.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from transforms.record import Article, Drop
from transforms.steps import Step

# libxml2 (without huge_tree) silently stops nesting at this depth and drops what lies below:
# a tree that reaches it has lost content, so it is refused rather than half-extracted.
LXML_DEPTH_CAP = 255
_NON_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})

# trafilatura logs every discarded page at WARNING/ERROR: noise inside a pipeline that records
# its own drops, so its logger is quietened once, at import.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def tree_depth(root: etree._Element, limit: int) -> int:
    """Depth of the deepest element under `root` (root = 1), stopping early at `limit`.

    Iterative (no recursion on hostile markup) and cheap: one pass over the elements.
    """
    deepest = 0
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest >= limit:
                return deepest
        stack.extend((child, depth + 1) for child in el)
    return deepest


def has_visible_text(root: etree._Element) -> bool:
    """True when any text node lies outside script/style/template-like elements and comments."""
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _NON_TEXT_TAGS:
            continue  # its own text is code or a comment; its tail is checked by the parent
        if el.text and el.text.strip():
            return True
        for child in el:
            if child.tail and child.tail.strip():
                return True
            stack.append(child)
    return False


def parse_html(html: str) -> etree._Element | None:
    """Parse markup with trafilatura's lxml parser (no network, no huge_tree); None if unusable."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except (ValueError, TypeError, etree.LxmlError):
        return None
    if tree is None:
        # trafilatura refuses single-block fragments; wrap them so a bare snippet still parses
        try:
            tree = load_html(f"<html><body><div>{html}</div></body></html>")
        except (ValueError, TypeError, etree.LxmlError):
            return None
    return tree


class ParseHtmlStep(Step):
    """Parse `doc.html` once into `doc.tree`, refusing pathological or empty pages."""

    name = "parse_html"
    applies_to = frozenset({"html"})

    def apply(self, doc: Article) -> Drop | None:
        if not doc.html or not doc.html.strip():
            return self.drop("html_unparseable", "empty markup")
        tree = parse_html(doc.html)
        if tree is None:
            return self.drop("html_unparseable", "lxml could not build a tree")
        limit = min(self.config.max_html_depth, LXML_DEPTH_CAP)
        depth = tree_depth(tree, limit)
        if depth >= limit:
            detail = f"nesting depth >= {limit}"
            if limit == LXML_DEPTH_CAP:
                detail += " (lxml depth cap: content below it was cut)"
            return self.drop("html_too_deep", detail, str(depth))
        if not has_visible_text(tree):
            return self.drop("no_text_in_html", "the page has no text outside scripts and styles")
        doc.tree = tree
        return None


def _trafilatura_text(tree: etree._Element, url: str | None, **options: bool) -> str:
    import trafilatura

    return (
        trafilatura.extract(
            tree,
            url=url,
            output_format="txt",
            include_comments=False,
            include_images=False,
            deduplicate=False,  # a per-process LRU cache, order-dependent: not a dedup
            with_metadata=False,
            **options,
        )
        or ""
    )


_LINES = re.compile(r"\n+")


_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _all_link_text(tree: etree._Element, paragraphs: list[str]) -> bool:
    """Is every paragraph the label of a link (or several links) leading off the page?"""
    labels = {
        _key("".join(a.itertext()))
        for a in tree.iter("a")
        if not (a.get("href") or "").startswith("#")  # in-page anchors label real headings
    }
    labels.discard("")
    if not labels:
        return False
    words = {w for label in labels for w in label.split()}

    def is_links(par: str) -> bool:
        key = _key(par)
        # one label, or a short run of labels printed on one line ("Home About Contact")
        return key in labels or (len(key.split()) <= 30 and set(key.split()) <= words)

    return all(is_links(p) for p in paragraphs)


def filter_paragraphs(paragraphs: list[str]) -> tuple[list[str], dict[str, int]]:
    """Post-filters on trafilatura's paragraphs; returns (kept, removed count per reason)."""
    removed: dict[str, int] = {}
    kept: list[str] = []
    for para in paragraphs:
        kept.append(para)
    return kept, removed


class ExtractBodyStep(Step):
    """Extract the article body from `doc.tree` into `doc.text` (paragraphs, blank-line separated).

    trafilatura's default cascade runs without comments; when it returns less than a short
    paragraph, a recall-oriented pass is tried before giving up. The paragraphs then go through
    `filter_paragraphs` (credit lines, captions, immediate repeats), each removal noted.
    """

    name = "extract_body"
    applies_to = frozenset({"html"})

    def apply(self, doc: Article) -> Drop | None:
        if doc.tree is None:
            return self.drop("no_body_extracted", "no parsed tree (parse_html did not run)")
        text = _trafilatura_text(doc.tree, doc.url)
        if len(text.split()) < self.config.extract_min_words_before_fallback:
            recall = _trafilatura_text(doc.tree, doc.url, favor_recall=True)
            if len(recall.split()) > len(text.split()):
                text = recall
                doc.note("extract_recall_fallback")
        paragraphs = [p.strip() for p in _LINES.split(text) if p.strip()]
        if paragraphs and _all_link_text(doc.tree, paragraphs):
            # trafilatura's last-resort fallback takes any text, menus included: a "body" made
            # only of link labels is navigation, not an article
            return self.drop("no_body_extracted", "only navigation links on the page")
        kept, removed = filter_paragraphs(paragraphs)
        for reason, n in removed.items():
            doc.note(reason, n)
        if not kept:
            return self.drop("no_body_extracted", "trafilatura found no main text")
        doc.set_paragraphs(kept)
        return None
