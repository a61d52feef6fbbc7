"""HTML pages: parse once into a tree, then extract the article body with trafilatura.

`ParseHtmlStep` parses `doc.markup.html` a single time (later HTML steps read
`doc.markup.tree`), refusing pages that are too deeply nested (libxml2 silently truncates below depth 255 without
huge_tree, so a page reaching it is quarantined, never half-read), unparseable, or without
any text outside scripts. `ExtractBodyStep` runs trafilatura on that tree (the metadata and
caption steps run before it and read the intact tree; it strips code elements first), adds a
fast recall pass when the body looks cut short, refuses a "body" made only of link labels,
and trims label-like chrome lines at the edges of the body. Caption and credit lines are
moved out later by `transforms.html.captions.TextCaptionStep`, for HTML and text alike.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator

from lxml import etree, html

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Drop
from transforms.core.steps import Step
from transforms.core.words import count_words
from transforms.fastpaths.cascade import PageExtraction
from transforms.fastpaths.loader import load_html
from transforms.text.decode import XmlSafeMarkup
from transforms.text.forms import line_form

# libxml2 (without huge_tree) silently stops nesting at this depth and drops what lies below:
# a tree that reaches it has lost content, so it is refused rather than half-extracted.
LXML_DEPTH_CAP = 255
# <noscript> stays: some sites serve their whole crawler-visible text inside it.
_NON_TEXT_TAGS = frozenset({"script", "style", "template", "head", "title", "svg"})
# Elements that can never hold article text. trafilatura copies the tree and runs its pruning
# XPaths several times over it: stripped first, the same extraction costs ~12% less CPU
# (identical bodies on 791 of 793 dev article pages; same mean F1).
_CODE_TAGS = ("script", "style", "svg", "template")

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


def html_parser() -> html.HTMLParser:
    """trafilatura's parser settings, with every element an `HtmlElement` chosen in C.

    lxml.html's default class lookup is a Python method called each time an element proxy is
    created: ~1M calls per 100 pages across the steps and trafilatura's tree walks, about a
    third of extraction time. The special classes it picks (form, input, label, comment) offer
    nothing the steps or trafilatura use, and comments/PIs are removed at parse time anyway.
    """
    parser = html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=html.HtmlElement))
    return parser


def parse_html(markup: str) -> etree._Element | None:
    """Parse markup like trafilatura does (no network, no huge_tree); None if unusable."""
    parser = html_parser()  # ~2 us; a fresh one per call, as lxml parsers are not thread-safe
    try:
        tree = load_html(markup, parser, isinstance(markup, XmlSafeMarkup))
    except (ValueError, TypeError, etree.LxmlError):
        return None
    if tree is None:
        # trafilatura refuses single-block fragments; wrap them so a bare snippet still parses
        try:
            tree = load_html(f"<html><body><div>{markup}</div></body></html>", parser, False)
        except (ValueError, TypeError, etree.LxmlError):
            return None
    return tree


def depth_probe(limit: int) -> etree.XPath:
    """A compiled XPath that is true when the document has an element at depth `limit`.

    Evaluated in C, level by level: ~10x cheaper than walking the tree from Python.
    """
    return etree.XPath(f"boolean({'/*' * limit})")


class ParseHtmlStep(Step):
    """Parse `doc.markup.html` once into `doc.markup.tree`, refusing pathological or empty pages."""

    name = "parse_html"
    # its one setting, max_html_depth, is an input limit: it lives with the others
    section = "read"
    applies_to = frozenset({"html"})
    reads = frozenset({"html"})
    writes = frozenset({"tree"})

    def __init__(
        self,
        config: PipelineConfig | None = None,
        on_empty: Callable[[Article], object] | None = None,
    ) -> None:
        super().__init__(config)
        # reads what the head of a page without text states (its title) for the quarantine row
        self._on_empty = on_empty
        self._depth_limit = min(self.settings.max_html_depth, LXML_DEPTH_CAP)
        self._too_deep = depth_probe(self._depth_limit)

    def apply(self, doc: Article) -> Drop | None:
        if not doc.markup.html or not doc.markup.html.strip():
            return self.drop("html_unparseable", "empty markup")
        if len(doc.markup.html) > self.settings.max_parse_chars:
            # the stages' cost grows faster than the page (transforms.core.budget): its start
            doc.markup.html = doc.markup.html[: self.settings.max_parse_chars]
            doc.note("html_cut_for_cost")
        tree = parse_html(doc.markup.html)
        if tree is None:
            return self.drop("html_unparseable", "lxml could not build a tree")
        limit = self._depth_limit
        if self._too_deep(tree):
            depth = tree_depth(tree, limit)
            detail = f"nesting depth >= {limit}"
            if limit == LXML_DEPTH_CAP:
                detail += " (lxml depth cap: content below it was cut)"
            return self.drop("html_too_deep", detail, str(depth))
        if not has_visible_text(tree):
            if self._on_empty is not None:
                doc.markup.tree = tree
                self._on_empty(doc)
                doc.markup.tree = None
            return self.drop("no_text_in_html", "the page has no text outside scripts and styles")
        doc.markup.tree = tree
        return None


_LINES = re.compile(r"\n+")


_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


# All text inside off-page links, in document order, gathered by libxml2 in one call.
_LINK_TEXT = etree.XPath("descendant::a[not(starts-with(@href, '#'))]//text()", smart_strings=False)


def link_text(tree: etree._Element) -> str:
    """All text inside the page's off-page links, lower-cased (`_all_link_text`'s first test)."""
    return "".join(_LINK_TEXT(tree)).lower()


def _words_all_in_links(link_text: str, paragraphs: list[str]) -> bool:
    """Necessary condition for `_all_link_text`: each paragraph word occurs in some link text.

    A real body fails it on its first uncommon word, without building the label sets (none of
    the dev pages passes it). Words holding a sigma are let through: lower() of a joined text
    may pick another sigma form.
    """
    return all(
        w in link_text or "σ" in w or "ς" in w
        for par in paragraphs
        for w in _WORD.findall(par.lower())
    )


def _all_link_text(
    links: str, paragraphs: list[str], page: Callable[[], etree._Element | None]
) -> bool:
    """Is every paragraph the label of a link (or several links) leading off the page?

    `links` is `link_text` of the page; `page()` gives the page's tree for the link labels,
    read only when every body word occurs in `links`.
    """
    if not _words_all_in_links(links, paragraphs):
        return False
    tree = page()
    if tree is None:
        return False
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


def _iter_article_bodies(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "articleBody" and isinstance(value, str):
                yield value
            else:
                yield from _iter_article_bodies(value)
    elif isinstance(node, list):
        for value in node:
            yield from _iter_article_bodies(value)


def jsonld_article_body(tree: etree._Element) -> str:
    """The longest plain-text `articleBody` declared in the page's JSON-LD, or ""."""
    best = ""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "") or "articleBody" not in (script.text or ""):
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for body in _iter_article_bodies(data):
            if len(body) > len(best) and "</" not in body:  # markup inside: not plain text
                best = body
    return best.strip()


def _code_free(markup: str | None) -> etree._Element | None:
    """The tree `ExtractBodyStep` starts from: `markup` parsed, code elements stripped."""
    tree = parse_html(markup) if markup else None
    if tree is not None:
        etree.strip_elements(tree, *_CODE_TAGS, with_tail=False)
    return tree


# Characters of the page's visible text (whitespace collapsed), counted by libxml2 in one call.
_PAGE_CHARS = etree.XPath("string-length(normalize-space(//body))")


def page_text_chars(tree: etree._Element) -> int:
    """Length of the page's body text, whitespace collapsed (code elements already stripped)."""
    return int(_PAGE_CHARS(tree))


def _containment(inner: str, outer: str) -> float:
    """Share of `inner`'s words (as a multiset) that also occur in `outer`."""
    a, b = Counter(_WORD.findall(inner.lower())), Counter(_WORD.findall(outer.lower()))
    total = sum(a.values())
    return sum((a & b).values()) / total if total else 1.0


EDGE_LIST_MIN_RUN = 3  # short lines of one form that make a closing list
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]…]$")


def _edge_chrome(para: str, max_words: int) -> bool:
    """A short label-like line (no sentence end) of the kind that frames a body: chrome."""
    return count_words(para) <= max_words and not _SENTENCE_END.search(para)


def _closing_list_end(paragraphs: list[str], end: int) -> int:
    """Where the closing edge run starts once a list of one form in it is kept: short lines of
    one form ("2023: Ann Lee", "June 9 - Tampa") in a run of `EDGE_LIST_MIN_RUN` are a list the
    article closes with, not chrome; the lines above it stay with it, those below go."""
    run_end, k = end, end
    while k < len(paragraphs):
        form = line_form(paragraphs[k])
        j = k
        while j < len(paragraphs) and form is not None and line_form(paragraphs[j]) == form:
            j += 1
        if j - k >= EDGE_LIST_MIN_RUN:
            run_end = j
        k = max(j, k + 1)
    return run_end


def filter_paragraphs(
    paragraphs: list[str], edge_max_words: int = 8, min_words_left: int = 0
) -> tuple[list[str], dict[str, int]]:
    """Post-filters on trafilatura's paragraphs; returns (kept, removed count per reason).

    Runs of short label-like lines at the very start and end of the body are dropped (calls
    to action, share/follow labels, section names of the site) unless fewer than
    `min_words_left` words (or nothing) would remain: a frame needs a body inside it, and a
    page made of such lines (a collection's grid of items) has none. Inside the body such
    lines are sub-headings and stay. A closing list of lines of one form
    (`_closing_list_end`) is the article's, not chrome.
    """
    start, end = 0, len(paragraphs)
    while start < end and _edge_chrome(paragraphs[start], edge_max_words):
        start += 1
    while end > start and _edge_chrome(paragraphs[end - 1], edge_max_words):
        end -= 1
    end = _closing_list_end(paragraphs, end)
    if start == end or (
        (start or end < len(paragraphs))
        and sum(count_words(p) for p in paragraphs[start:end]) < min_words_left
    ):
        return list(paragraphs), {}
    removed = (
        {"edge_chrome_line": start + len(paragraphs) - end}
        if (start or end < len(paragraphs))
        else {}
    )
    return paragraphs[start:end], removed


class ExtractBodyStep(Step):
    """Extract the article body from `doc.markup.tree` into `doc.text` (paragraphs, blank-line
    separated).

    trafilatura's default cascade runs without comments, its readability/justext comparison
    only where it can change the body, and both passes share one pruned copy of the tree
    (`transforms.fastpaths.cascade`: the same texts as `trafilatura.extract` on all 1,488 parsed
    dev pages, with less CPU in this step: docs/performance.md). Its main weakness on news pages is a body cut short (a lead paragraph kept, lists or later sections judged boilerplate), so when
    the page holds more than 1.5x the body's text, a fast recall-oriented pass is tried as well
    and wins when it holds clearly more text *including* the first body (a superset, not
    another block). On the dev article pages 1.5x is where it adds body F1 for its cost; a
    higher ratio runs it less often and loses F1 (`make eval`; docs/performance.md).
    """

    name = "extract_body"
    section = "html"
    applies_to = frozenset({"html"})
    reads = frozenset({"tree", "html", "url"})
    writes = frozenset({"text", "link_text"})
    # the extraction prunes the tree in place and drops it
    releases = frozenset({"tree"})

    def apply(self, doc: Article) -> Drop | None:
        if doc.markup.tree is None:
            return self.drop("no_body_extracted", "no parsed tree (parse_html did not run)")
        cfg = self.settings
        # the publisher's structured copy lives in a <script>: read it before scripts go
        html = doc.markup.html
        declared = jsonld_article_body(doc.markup.tree) if html and "articleBody" in html else ""
        # the steps before this one have read the tree; what follows needs no code elements
        etree.strip_elements(doc.markup.tree, *_CODE_TAGS, with_tail=False)
        page_chars = doc.markup.page_chars = page_text_chars(doc.markup.tree)
        links = doc.markup.link_text = link_text(doc.markup.tree)
        # no step after this one reads the tree: the extraction takes it and prunes it in place
        # (a copy of the page saved); a navigation-only check re-parses the markup if needed
        extraction = PageExtraction(doc.markup.tree, doc.url, owned=True)
        doc.markup.tree = None
        text = extraction.body(page_chars, cfg.extract_compare_page_ratio)
        n_words = count_words(text)
        if n_words < cfg.extract_min_words_before_fallback or (
            cfg.extract_recall_page_ratio > 0
            and page_chars > cfg.extract_recall_page_ratio * len(text)
        ):
            recall = extraction.recall_body()
            if count_words(recall) > max(cfg.extract_recall_gain * n_words, n_words) and (
                n_words == 0 or _containment(text, recall) >= cfg.extract_recall_containment
            ):
                text = recall
                doc.note("extract_recall_pass")
        if declared:
            # the publisher's own structured copy of the text, when the extractor stopped early
            n_words = count_words(text)
            if count_words(declared) > cfg.jsonld_body_gain * max(n_words, 1) and (
                n_words == 0 or _containment(text, declared) >= cfg.jsonld_body_containment
            ):
                text = declared
                doc.note("extract_jsonld_body")
        paragraphs = [p.strip() for p in _LINES.split(text) if p.strip()]
        if paragraphs and _all_link_text(links, paragraphs, lambda: _code_free(html)):
            # trafilatura's last-resort fallback takes any text, menus included: a "body" made
            # only of link labels is navigation, not an article
            return self.drop("no_body_extracted", "only navigation links on the page")
        kept, removed = filter_paragraphs(
            paragraphs, cfg.edge_line_max_words, cfg.edge_min_words_left
        )
        for reason, n in removed.items():
            doc.note(reason, n)
        if not kept:
            return self.drop("no_body_extracted", "trafilatura found no main text")
        doc.set_paragraphs(kept)
        return None
