"""Reading the visible text of lxml elements: a heading, a block, the text before and after
an element in document order, with scripts, styles and page chrome left out.
"""

from __future__ import annotations

import re
from typing import Any

from transforms.core.caseless import CaselessWords


def node_text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def text_head(el: Any, limit: int) -> str:
    """`node_text(el)[:limit]`, reading only as much of the subtree's text as that needs.

    An itemprop element without a content attribute can be the whole article
    (itemprop=articleBody) of which 300 characters are kept. Whitespace-normalising a prefix of
    the text gives a prefix of the normalised text (the last word maybe cut short), so once
    that prefix has `limit` characters they are the answer; it is tried at doubling sizes.
    """
    parts: list[str] = []
    size, check = 0, limit
    for t in el.itertext():
        parts.append(t)
        size += len(t)
        if size >= check:
            head = " ".join("".join(parts).split())
            if len(head) >= limit:
                return head[:limit]
            check = 2 * size
    return " ".join("".join(parts).split())[:limit]


def heading_text(el: Any) -> str:
    """Text of a heading with a space where a <br> or a block child breaks it ("Title<br>Sub"
    must not read "TitleSub")."""
    if len(el) == 0:
        return " ".join((el.text or "").split())
    out: list[str] = []

    def walk(node: Any) -> None:
        out.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SKIP_TEXT:
                brk = child.tag in _BLOCK
                out.append(" " if brk else "")
                walk(child)
                out.append(" " if brk else "")
            out.append(child.tail or "")

    walk(el)
    return " ".join("".join(out).split())


_SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})


def own_text(el: Any) -> str:
    """The text nodes of `el`'s subtree outside scripts and styles, the non-blank ones joined
    by a space (`.//text()[not(ancestor::script or ancestor::style)]`, walked in Python: an
    XPath call costs more than the walk on the small elements read here).

    The walk gives the same nodes in the same order: an element's `.text` and each child's
    `.tail` are its text nodes (libxml2's HTML parser merges adjacent text, so no two text
    nodes sit side by side for lxml to join; checked against the XPath on every node of the
    dev pages), a comment's content is not a text node but its tail is.
    """
    if not isinstance(el.tag, str) or el.tag in _SKIP_TEXT:
        return ""
    if next(el.iterancestors("script", "style"), None) is not None:
        return ""
    parts: list[str] = []
    _subtree_texts(el, parts)
    return " ".join(t for t in parts if t.strip())


def _subtree_texts(el: Any, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag != "script" and tag != "style":
            _subtree_texts(child, out)
        if child.tail:
            out.append(child.tail)


_BLOCK = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "figure",
        "figcaption",
        "table",
        "tr",
        "td",
        "blockquote",
        "br",
        "hr",
        "dl",
        "dt",
        "dd",
        "form",
    ]
)


_CHROME_TAGS = frozenset({"aside", "nav", "footer", "form"})


_CHROME_CLASS = CaselessWords(
    "related", "sidebar", "recommend", "more-stories", "comment", "footer", "newsletter"
)


def _is_chrome(el: Any) -> bool:
    tag = el.tag
    if not isinstance(tag, str) or tag in _CHROME_TAGS or tag in _SKIP_TEXT:
        return True
    cls, eid = el.get("class"), el.get("id")
    if cls is None and eid is None:
        return False
    return _CHROME_CLASS.found(f"{cls or ''} {eid or ''}")


_WS = frozenset(" \t\r\n\f\v\xa0")


def block_text(el: Any, limit: int = 1000) -> str:
    """Visible text of `el` with a newline between block elements; chrome subtrees skipped.

    Stops after about `limit` characters: only the text near the headline is wanted.
    """
    if _is_chrome(el):
        return ""
    out: list[str] = []
    size = 0

    def add(t: str | None) -> None:
        nonlocal size
        if t:
            out.append(t)
            # indentation is not text: a pretty-printed page must not spend the limit on it
            size += len(t) if t[:1] not in _WS else len(t.strip())

    def walk(node: Any) -> None:
        block = node.tag in _BLOCK
        if block:
            out.append("\n")
        add(node.text)
        for child in node:
            if size > limit:
                return
            if not _is_chrome(child):
                walk(child)
            add(child.tail)
        if block:
            out.append("\n")

    walk(el)
    return "".join(out)


def _tidy(parts: list[str]) -> str:
    text = re.sub(r"[ \t\r\f\v\xa0]+", " ", "\n".join(parts))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def _chars(t: str) -> int:
    """Characters of text in `t`, whitespace not counted."""
    return len("".join(t.split())) if t else 0


def text_after(el: Any, limit: int) -> str:
    """Visible text that follows `el` in document order, up to `limit` characters."""
    parts: list[str] = [el.tail or ""]
    size = _chars(parts[0])
    node = el
    while node is not None and size < limit:
        for sib in node.itersiblings():
            t = block_text(sib, limit - size)
            parts.append(t)
            parts.append(sib.tail or "")
            # the limit counts text, not the indentation of a pretty-printed page
            size += _chars(t) + _chars(sib.tail or "")
            if size >= limit:
                break
        node = node.getparent()
        if node is not None:
            parts.append(node.tail or "")
    return _tidy(parts)[:limit]


def text_before(el: Any, limit: int) -> str:
    """Visible text that precedes `el` in document order, the nearest `limit` characters."""
    parts: list[str] = []
    size = 0
    node = el
    while node is not None and size < limit:
        for sib in node.itersiblings(preceding=True):
            t = block_text(sib)[-limit:] + "\n" + (sib.tail or "")
            parts.append(t)
            size += len(t)
            if size >= limit:
                break
        node = node.getparent()
        if node is not None and node.text:
            parts.append(node.text)
            size += len(node.text)
    return _tidy(parts[::-1])[-limit:]
