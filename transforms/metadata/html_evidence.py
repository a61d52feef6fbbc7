"""Collect metadata evidence from a parsed HTML page, in one pass over the lxml tree.

`collect_evidence(tree)` reads, without changing the tree:
- JSON-LD blocks (`<script type="application/ld+json">`), flattened through lists and `@graph`,
  with `@id` references resolved, and split into article-like nodes (NewsArticle, Article,
  BlogPosting, ...) and page-like nodes (WebPage), the latter as weaker evidence;
- `<meta>` tags by lowercased `property`/`name`/`itemprop` (OpenGraph, Twitter, Dublin Core,
  `article:*`, `author`, `date`), and `itemprop` elements (author, datePublished, headline);
- `<title>`, the visible `<h1>` headings, the canonical link, `<html lang>`;
- byline elements (class/id/rel/itemprop saying author or byline, `<address>` in the
  article), with their DOM position relative to the first `<h1>`; elements labelled just
  before as another contributor ("Reviewed by") and link-preview cards are left out;
- blocks whose own text opens with a byline label ("By", "Written by", "Posted by",
  "Author:"), with the name in the block or, after a lone label, in the next element;
- links to a writer's page on the site ("/author/jane-doe") outside chrome and sentences;
- elements a template names as the dek (dek, standfirst, subtitle), with position;
- `<time>` elements with their `datetime` attribute, also with position (not those in a photo
  caption, a comment or a related card, which date something else);
- the text around the headline (the h1, else the h2 stating the page title): dates shown
  there with their label, and a "By Name" run.

Deciding between them is the choice modules' job (`headline`, `site`, `author_choice`,
`date_choice`); this module only gathers what the page states. The tree must be read here, before body extraction prunes it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from transforms.core.caseless import CaselessWords
from transforms.metadata.byline_evidence import (
    AUTHOR_PAGE,
    BOX_HEADS,
    BY_LABEL,
    LABEL_TAGS,
    NOT_BYLINE_ATTR,
    add_author_box,
    add_byline,
    add_label,
    names_byline,
)
from transforms.metadata.dates import find_dates
from transforms.metadata.evidence import HtmlEvidence, Positioned
from transforms.metadata.html_text import (
    heading_text,
    node_text,
    own_text,
    text_after,
    text_before,
    text_head,
)
from transforms.metadata.jsonld import ARTICLE_TYPES, collect_jsonld, resolve
from transforms.metadata.page_regions import (
    in_link,
    inside_article,
    link_in_prose,
    other_item,
    outside_chrome,
)
from transforms.metadata.titles import squash

# the module's interface: the evidence, its parts and the JSON-LD reference resolver
__all__ = ["ARTICLE_TYPES", "HtmlEvidence", "Positioned", "collect_evidence", "resolve"]


# "By"/"BY" anywhere in the header text; a lower-case "by" only where it opens a line
_BY = re.compile(
    r"(?:^|[\s|•·,])(?:[Ww]ritten[ \t]+[Bb]y|By|BY):?\s*(?=[A-Z])|(?:^|(?<=\n))by[ \t]+(?=[A-Z])"
    r"|(?:^|(?<=\n))(?:Authors?|Contributors?|Writers?)[ \t]*:\s*(?=[A-Z])"
)
# a run of capitalised name words, joined by commas, "and" or "&"
_NAME_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|van|von|de|der|da|del|la|le))*"
    r"(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*)?){1,6}"
)


def _header_block(ev: HtmlEvidence, h1_elements: list[Any]) -> None:
    """Dates and a "By Name" byline displayed next to the headline (the article's header)."""
    if not h1_elements:
        return
    ranked = sorted(h1_elements, key=lambda e: not inside_article(e))
    anchor = ranked[0]
    after = text_after(anchor, 600)
    before = text_before(anchor, 250)
    ev.header_text = f"{before} {after}"
    ev.header_after = after
    ev.header_dates = find_dates(after)
    ev.before_dates = find_dates(before)[-2:]
    for text in (after[:400], before):
        m = _BY.search(text)
        if m and (run := _NAME_RUN.match(text, m.end())):
            byline = run.group(0)
            # a run cut short by a lower-case word ("By The Acme editors") is part of a phrase:
            # the line goes to the byline parser whole, so "The Acme" is not taken as a name
            if re.match(r"[ \t]+[a-z]", text[run.end() :]) and not re.match(
                r"[ \t]+(?:and|on|at|in|for|with|from|\d)\b", text[run.end() :]
            ):
                byline = text[m.end() :].split("\n", 1)[0]
            ev.header_byline = byline[:120]
            break


def _title_heading(ev: HtmlEvidence, headings: list[Any]) -> list[Any]:
    """Without an h1, the first h2 that states the page title is the visible headline."""
    title = squash(ev.meta_first("og:title") or ev.title_tag or "")
    for el in headings:
        key = squash(heading_text(el))
        if len(key) >= 10 and key in title:
            return [el]
    return []


# the standfirst under a headline, by the names templates give it
_DEK_ATTR = re.compile(
    r"(?:^|[\s_-])(?:dek|deck|standfirst|sub-?title|sub-?head(?:line|ing)?|strapline|"
    r"article-?summary|lede)(?:$|[\s_-])",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def _attr_kinds(attrs: str) -> tuple[bool, bool]:
    """Does a class-and-id string name a byline, and a dek? (Pure: cached across pages.)"""
    # the literal words first: the case-insensitive pattern with its boundaries is slower
    return names_byline(attrs), _DEK_WORDS.found(attrs) and _DEK_ATTR.search(attrs) is not None


# every name `_DEK_ATTR` matches contains one of these
_DEK_WORDS = CaselessWords("dek", "deck", "standfirst", "sub", "strapline", "summary", "lede")


_DEK_TAGS = frozenset(["p", "div", "h2", "h3", "span", "section"])

_HEAD_TAGS = frozenset(
    ["meta", "link", "script", "style", "noscript", "template", "title", "h1", "h2", "time"]
)
_NOT_BYLINE_TAGS = frozenset(["img", "body", "html", "article", "main", "section"])


def _add_time(ev: HtmlEvidence, el: Any, order: int) -> None:
    if other_item(el):
        return
    dt = el.get("datetime") or el.get("content") or ""
    parent = el.getparent()
    hint = " ".join(
        x or ""
        for x in (
            el.get("class"),
            el.get("itemprop"),
            "pubdate" if el.get("pubdate") is not None else "",
            parent.get("class") if parent is not None else "",
            (parent.text or "")[-30:] if parent is not None else "",
        )
    )
    ev.times.append(Positioned(node_text(el), order, dt.strip(), inside_article(el), hint))


def collect_evidence(tree: Any) -> HtmlEvidence:
    """Gather the metadata a page states about itself; the tree is not modified."""
    ev = HtmlEvidence()
    if tree is None:
        return ev
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    ev.lang = (root.get("lang") or root.get("xml:lang") or "").strip() or None
    collect_jsonld(root, ev)
    order = 0
    h1_elements: list[Any] = []
    h2_elements: list[Any] = []
    byline_els: list[Any] = []
    attr_kinds: dict[str, tuple[bool, bool]] = {}
    for el in root.iter(etree.Element):  # elements only: no comments or processing instructions
        order += 1
        tag = el.tag
        if tag in BOX_HEADS:
            add_author_box(ev, el, order)
        if tag in _HEAD_TAGS:  # most elements are none of these: one set test rules them out
            if tag == "meta":
                key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
                content = el.get("content")
                if key and content is not None:
                    ev.meta.setdefault(key.strip(), []).append(" ".join(content.split()))
                continue
            if tag == "link":
                rel = (el.get("rel") or "").lower().split()
                if "canonical" in rel and el.get("href") and ev.canonical is None:
                    ev.canonical = el.get("href").strip()
                continue
            if tag in ("script", "style", "noscript", "template"):
                continue
            if tag == "title" and ev.title_tag is None:
                ev.title_tag = node_text(el) or None
                continue
            if tag == "h1":
                t = heading_text(el)
                if t:
                    ev.h1.append(Positioned(t, order, in_article=inside_article(el)))
                    h1_elements.append(el)
                continue
            if tag == "h2" and not h1_elements and len(h2_elements) < 8:
                h2_elements.append(el)
            if tag == "time":
                _add_time(ev, el, order)
        prop = el.get("itemprop")
        if prop and not (prop == "datePublished" and other_item(el)):
            val = el.get("content") or el.get("datetime") or text_head(el, 300)
            if val:
                ev.itemprops.setdefault(prop.strip(), []).append(val[:300])
                if prop == "author" and not in_link(el):
                    # a teaser card of another story (a link wrapping it) credits that story
                    ev.author_props.append(
                        Positioned(val[:300], order, in_article=inside_article(el))
                    )
        if (
            tag in LABEL_TAGS
            and (text := el.text)
            # a cheap look for the "y" of "by" before the regex (read on every block)
            and ("y" in (head := text[:80]) or "Y" in head)
            and BY_LABEL.match(text)
        ):
            add_label(ev, el, order)
        if tag == "a":
            if "author" in (el.get("rel") or "").lower().split():
                t = " ".join(own_text(el).split())
                if t and outside_chrome(el):
                    ev.rel_authors.append(Positioned(t, order, in_article=inside_article(el)))
                continue
            href = el.get("href")
            if href and "/" in href and AUTHOR_PAGE.search(href):
                t = " ".join(own_text(el).split())
                if t and len(t) <= 80 and outside_chrome(el) and not link_in_prose(el, t):
                    ev.author_links.append(Positioned(t, order, href, inside_article(el)))
        cls, eid = el.get("class"), el.get("id")
        # most elements carry neither class nor id: no byline attribute to test
        if cls is None and eid is None:
            if tag == "address" and inside_article(el):
                add_byline(ev, el, order, "", byline_els)
            continue
        if tag in _NOT_BYLINE_TAGS:
            continue
        attrs = f"{cls or ''} {eid or ''}"
        # class and id values repeat across a page's elements (and a site's pages): each is
        # searched once
        kinds = attr_kinds.get(attrs)
        if kinds is None:
            kinds = attr_kinds[attrs] = _attr_kinds(attrs)
        named, dek = kinds
        if dek and len(ev.deks) < 3 and tag in _DEK_TAGS:
            t = text_head(el, 400)
            if 5 <= len(t.split()) <= 60:
                ev.deks.append(Positioned(t, order, attrs.strip(), inside_article(el)))
        if named or (
            tag == "address" and inside_article(el) and NOT_BYLINE_ATTR.search(attrs) is None
        ):
            add_byline(ev, el, order, attrs, byline_els)
    _header_block(ev, h1_elements or _title_heading(ev, h2_elements))
    return ev
