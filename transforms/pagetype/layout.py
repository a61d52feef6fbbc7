"""The page's tree, walked as few times as possible: tag counts, class cues, paragraphs, cards.

What separates an article from a section front, a shop grid or a marketing page that reads like
one is the arrangement of its text: an article's prose sits in one container (the largest block
holds most of the page's paragraph words), a page builder spreads short paragraphs over many; a
listing repeats linked headings and linked list items (teaser cards); a CMS states the kind of
page in the classes of `<body>` (a single post, an archive, a product) and in microdata
`itemtype`s, which survive when a scraper drops the `<script>` elements that hold JSON-LD. The
URL's shape (numeric segments, a long id, a long slug) says where in a site the page sits.

Each whole-tree walk costs about as much as the next (lxml's C walk is cheap, handing elements to
Python is not), so one walk collects the elements of every counted tag and the rest is read from
them; the few remaining walks (classes, the text, link text, marked attributes) run in C.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from lxml import etree

PROSE_WORDS = 15  # a paragraph of this many words is prose (news paragraphs run 15 to 60)
_CLASS_CUES = (
    "comment",
    "reply",
    "post",
    "thread",
    "message",
    "price",
    "product",
    "cart",
    "card",
    "teaser",
    "breadcrumb",
    "pagination",
    "author",
    "byline",
    "sidebar",
    "grid",
    "tile",
    "item",
    "entry",
    "share",
    "related",
    "docs",
    "toc",
    "sku",
)
_TAGS = (
    "p",
    "h1",
    "h2",
    "h3",
    "a",
    "li",
    "article",
    "time",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "pre",
    "code",
    "table",
    "tr",
    "img",
    "video",
    "iframe",
    "nav",
    "aside",
    "blockquote",
    "dl",
    "ol",
    "strong",
    "section",
    "footer",
    "header",
    "h4",
    "h5",
    "h6",
    "label",
    "svg",
)
# tags counted but not features (read for other features)
_READ_ONLY = ("meta", "link", "script", "style", "title")
# CMS body/html class words (split on non-letters) that state a kind of page -> feature name
_WALKED = tuple(t for t in (*_TAGS, *_READ_ONLY) if t != "a")
_BODY_CLASSES = {
    "bc_single": {"single", "singular", "post", "article", "story", "entry", "node"},
    "bc_archive": {"archive", "category", "tag", "taxonomy", "term", "author", "search", "blog"},
    "bc_home": {"home", "front", "frontpage", "index"},
    "bc_page": {"page", "template", "landing"},
    "bc_product": {"product", "woocommerce", "shop", "catalog", "collection", "cart"},
    "bc_forum": {"forum", "thread", "topic", "bbpress", "discussion", "question", "community"},
    "bc_docs": {"docs", "documentation", "api", "reference", "manual", "wiki", "guide"},
}
# microdata/RDFa type names (lower case, last path segment) -> feature name
_ITEMTYPES = {
    "md_product": {"product", "offer", "aggregateoffer", "aggregaterating"},
    "md_forum": {"discussionforumposting", "question", "answer", "comment"},
    "md_list": {"itemlist", "listitem", "collectionpage", "searchresultspage"},
}
_CLASS_WORD = re.compile(r"[a-z]+")
_NUMERIC = re.compile(r"^\d+$")
_LONG_ID = re.compile(r"\d{5,}")
_STRING = etree.XPath("string()", smart_strings=False)
_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)
_COUNT_A = etree.XPath("count(.//a)")  # anchors are many: counted in C, not handed to Python
_CLASSES = etree.XPath(".//@class", smart_strings=False)
_MARKED = etree.XPath("//@itemprop|//@itemtype|//@typeof", smart_strings=False)


def _words(text: str) -> int:
    return len(text.split())


def url_shape(url: str | None) -> dict[str, float]:
    """The path's shape: numeric segments, a long id, the last segment's length, the most
    hyphens in a segment (a site puts articles deep under a long slug, indexes near the root
    under short words)."""
    path = urlsplit(url or "").path
    segments = [s for s in path.split("/") if s]
    return {
        "url_numeric_segments": float(sum(bool(_NUMERIC.match(s)) for s in segments)),
        "url_long_id": float(bool(_LONG_ID.search(path))),
        "url_last_chars": float(len(segments[-1]) if segments else 0),
        "url_max_hyphens": float(max((s.count("-") for s in segments), default=0)),
    }


def body_of(tree: Any) -> Any:
    """The page's <body>, or the whole tree when the parser kept none (a page that opens with an
    XML prolog and a DOCTYPE subset is read as a fragment: its text is all there, under a div)."""
    body = tree.find(".//body") if tree.tag != "body" else tree
    return body if body is not None else tree


def _class_words(el: Any) -> set[str]:
    return set(_CLASS_WORD.findall((el.get("class") or "").lower()))


def _shape(by: dict[str, list[Any]], body: Any) -> dict[str, float]:
    """Tag counts and class cues, and teaser-card repetition: the largest group of blocks with
    the same class and how many groups of four or more there are (cards and tiles repeat; an
    article's paragraphs share no class)."""
    f = {f"n_{t}": float(len(by[t])) for t in _TAGS}
    f["n_a"] = _COUNT_A(body)
    f["n_h4"] += len(by["h5"]) + len(by["h6"])
    classes = _CLASSES(body)
    joined = " ".join(classes).lower()
    for cue in _CLASS_CUES:
        f[f"class_{cue}"] = float(joined.count(cue))
    sizes = [n for n in Counter(classes).values() if n >= 4]
    f["repeat_max"] = float(max(sizes, default=0))
    f["repeat_groups"] = float(len(sizes))
    return f


def _marked(tree: Any, by: dict[str, list[Any]]) -> dict[str, float]:
    """The attributes that state what a block is: itemprop, microdata/RDFa types, meta tags.
    One walk reads all three attributes: a type is a URL, a prefixed or a capitalised name
    ("https://schema.org/Product", "schema:Product", "Product"), a property a lower-case word."""
    props: Counter[str] = Counter()
    types: set[str] = set()
    for value in _MARKED(tree):
        if "/" in value or ":" in value or value[:1].isupper():
            types.update(
                t.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for t in value.split()
            )
        else:
            props[value] += 1
    metas = Counter(m.get("property") or m.get("name") for m in by["meta"])
    f = {
        "n_password": float(sum(i.get("type") == "password" for i in by["input"])),
        "n_itemprop_price": float(props["price"] + props["offers"]),
        "n_itemprop_body": float(props["articleBody"]),
        "n_itemprop_author": float(props["author"]),
        "n_meta_published": float(metas["article:published_time"]),
        "n_meta_author": float(metas["author"]),
    }
    for name, vocab in _ITEMTYPES.items():
        f[name] = float(bool(types & vocab))
    return f


def _paragraphs(by: dict[str, list[Any]], words: int) -> dict[str, float]:
    """Paragraph statistics, and the share of the page's words held by the container with the
    most prose (an article's prose sits in one block; a page builder's in many)."""
    p_words: list[int] = []
    per_parent: Counter[Any] = Counter()
    linked = 0
    for p in by["p"]:
        n = _words(p.text_content())
        p_words.append(n)
        if n >= PROSE_WORDS:
            per_parent[p.getparent()] += n
        linked += next(p.iter("a"), None) is not None
    long_p = [w for w in p_words if w >= PROSE_WORDS]
    total = sum(p_words)
    return {
        "p_words": float(total),
        "p_share": total / words if words else 0.0,
        "p_mean": total / len(p_words) if p_words else 0.0,
        "p_long": float(len(long_p)),
        "p_long_words": float(sum(long_p)),
        "p_long_share": sum(long_p) / words if words else 0.0,
        "p_max": float(max(p_words, default=0)),
        "p_linked": float(linked),
        "block_top_share": max(per_parent.values(), default=0) / words if words else 0.0,
        "block_prose_parents": float(len(per_parent)),
    }


def _cards(by: dict[str, list[Any]], body: Any) -> dict[str, float]:
    """Teaser cards (headings that are links, list items that are links), a next page, and
    what the CMS's body classes say the page is."""
    headings = by["h2"] + by["h3"] + by["h4"]
    linked = sum(next(h.iter("a"), None) is not None for h in headings)
    f = {
        "heading_links": float(linked),
        "heading_link_share": linked / len(headings) if headings else 0.0,
        "li_link_items": float(sum(li.find("a") is not None for li in by["li"])),
        "rel_next": float(sum(el.get("rel") == "next" for el in by["link"])),
    }
    root = body.getroottree().getroot()
    cls = _class_words(body) | _class_words(root)
    for name, vocab in _BODY_CLASSES.items():
        f[name] = float(len(cls & vocab))
    return f


def _without(text: str, code: list[Any]) -> str:
    """`text` without the texts of `code` (elements in document order, so the text is scanned
    once whatever their number); the head's code is not in the body's text and is skipped."""
    pieces = []
    at = 0
    for el in code:
        if not el.text or not el.text.strip() or el.getparent().tag == "head":
            continue
        found = text.find(el.text, at)
        if found >= 0:
            pieces.append(text[at:found])
            at = found + len(el.text)
    if not pieces:
        return text
    pieces.append(text[at:])
    return " ".join(pieces)


class TreeReading(NamedTuple):
    """The tree's features, and the texts the word model reads (`transforms.pagetype.words`)."""

    features: dict[str, float]
    text: str  # the body's visible text, without script and style code
    headline: str  # the <title> and <h1> texts
    link_text: str  # the anchors' texts
    scripts: list[Any]  # the <script> elements, in document order (JSON-LD: `markup_of`)
    metas: list[Any]  # the <meta> elements, likewise (og:type)


def tree_features(tree: Any) -> TreeReading:
    """The tree's features and texts."""
    by: dict[str, list[Any]] = {t: [] for t in (*_TAGS, *_READ_ONLY)}
    for el in tree.iter(*_WALKED):
        by[el.tag].append(el)
    body = body_of(tree)
    text = _without(_without(_STRING(body), by["script"]), by["style"])
    words = _words(text)
    f = _shape(by, body)
    f.update(_marked(tree, by))
    f.update(_paragraphs(by, words))
    f.update(_cards(by, body))
    f["words"] = float(words)
    link_text = " ".join(_LINK_TEXT(body))
    f["link_density"] = _words(link_text) / words if words else 0.0
    title = by["title"][0].text or "" if by["title"] else ""
    headline = " ".join([title, *(_STRING(h) for h in by["h1"])])
    return TreeReading(f, text, headline, link_text, by["script"], by["meta"])
