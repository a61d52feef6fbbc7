"""Cheap features of a page for the page-type model: its shape, its words and its URL.

All are read from the tree the flow already parsed (no second parse), mostly by XPath counts
that lxml evaluates in C, so that classifying adds little to a page's cost. They describe what
tells page types apart without any one site's markup: repeated teaser cards and link density
(listings, grids), prose paragraphs (articles), forms, buttons and prices (products, services),
code blocks (documentation), post/reply structure and timestamps per block (forums, live
blogs), and the words of the URL path. JSON-LD features are zero on pages stored without their
scripts; the model is trained on both forms (`benchmarks.train_pagetype`).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from transforms.core.record import Article
from transforms.pagetype.layout import PROSE_WORDS, tree_features, url_shape
from transforms.pagetype.markup import MarkupTypes, markup_of
from transforms.pagetype.words import PageTexts

# JSON-LD type groups (lower case) -> feature name
_JSONLD_GROUPS = {
    "ld_article": {"newsarticle", "article", "blogposting", "reportagenewsarticle", "report"},
    "ld_liveblog": {"liveblogposting"},
    "ld_forum": {"discussionforumposting", "qapage", "question", "answer", "comment"},
    "ld_product": {"product", "offer", "aggregateoffer", "productgroup", "individualproduct"},
    "ld_collection": {"collectionpage", "itemlist", "searchresultspage", "offercatalog"},
    "ld_docs": {"techarticle", "apireference", "softwaresourcecode", "howto"},
    "ld_service": {
        "service",
        "aboutpage",
        "contactpage",
        "faqpage",
        "softwareapplication",
        "webapplication",
        "organization",
        "localbusiness",
        "corporation",
    },
    "ld_video": {"videoobject"},
    "ld_webpage": {"webpage", "itempage"},
}
_OG_TYPES = ("article", "website", "product", "video", "profile", "book")

# URL path words -> feature name (whole path segments or their hyphenated words)
_URL_WORDS = {
    "url_listing": {
        "tag",
        "tags",
        "category",
        "categories",
        "topic",
        "topics",
        "author",
        "authors",
        "search",
        "archive",
        "archives",
        "section",
        "page",
        "label",
    },
    "url_product": {"product", "products", "item", "p", "dp", "shop", "store", "buy", "sku"},
    "url_collection": {"collections", "collection", "c", "catalog", "shop", "department"},
    "url_forum": {
        "forum",
        "forums",
        "thread",
        "threads",
        "t",
        "topic",
        "questions",
        "discussion",
        "discussions",
        "community",
        "viewtopic",
        "showthread",
        "r",
    },
    "url_docs": {
        "docs",
        "doc",
        "documentation",
        "api",
        "reference",
        "manual",
        "guide",
        "guides",
        "sdk",
        "developer",
        "developers",
        "kb",
        "help",
        "wiki",
    },
    "url_service": {
        "pricing",
        "about",
        "contact",
        "terms",
        "privacy",
        "features",
        "plans",
        "solutions",
        "services",
        "service",
        "company",
        "careers",
        "legal",
        "demo",
    },
    "url_article": {
        "news",
        "blog",
        "blogs",
        "article",
        "articles",
        "story",
        "stories",
        "post",
        "posts",
        "opinion",
        "politics",
        "world",
        "sport",
        "sports",
        "business",
    },
    "url_video": {"video", "videos", "watch", "tv", "gallery", "photos"},
}
_SEGMENT = re.compile(r"[^a-z0-9]+")
_DATE_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/|$)|/(19|20)\d\d-\d\d-\d\d")
_ISO_DATE = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")
_CURRENCY = "$€£¥₹"
# month abbreviations (a substring of the full names too): a date's mark in most Latin scripts
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_NAMES = (
    "january february march april june july august sept september october november december"
)
# words (lower case) whose frequency hints at a page type; counted once over the page's words
_CUES = {
    "cue_cart": "cart basket checkout stock shipping quantity wishlist sku bag buy",
    "cue_forum": "replies reply joined posts quote thread member members votes upvote answered "
    "asked posted",
    "cue_service": "trial demo pricing sales clients customers testimonials plans solutions "
    "started sign contact",
    "cue_docs": "parameters parameter returns example install installation api function syntax "
    "argument arguments configuration method default",
    "cue_listing": "more older newer next previous results showing page",
    "cue_byline": "by author written",
}
_CUE_WORDS = {name: words.split() for name, words in _CUES.items()}
_CUE_CHARS = 20000  # cue words are counted in the first characters of the text: enough to tell


def _words(text: str) -> int:
    return len(text.split())


def _url_features(url: str | None) -> dict[str, float]:
    out = {name: 0.0 for name in _URL_WORDS}
    parts = urlsplit(url or "")
    path = parts.path.lower()
    segments = [s for s in path.split("/") if s]
    words = {w for s in segments for w in _SEGMENT.split(s) if w} | set(segments)
    for name, vocab in _URL_WORDS.items():
        out[name] = float(len(words & vocab))
    last = segments[-1] if segments else ""
    out["url_depth"] = float(len(segments))
    out["url_slug_words"] = float(len([w for w in _SEGMENT.split(last) if w]))
    out["url_root"] = float(not segments)
    out["url_date"] = float(bool(_DATE_PATH.search(path)))
    out["url_digits"] = float(sum(c.isdigit() for c in path))
    out["url_query"] = float(bool(parts.query))
    out["url_html"] = float(last.endswith((".html", ".htm", ".php", ".aspx")))
    return out


def _word_cues(text: str) -> dict[str, float]:
    """Cue words and month abbreviations counted as substrings of the first `_CUE_CHARS`
    characters (so "install" counts in "installing", "post" in "posted": whole-word counting
    was tried and lost accuracy, docs/page_types.md)."""
    lower = text[:_CUE_CHARS].lower()
    f = {"dates": float(sum(lower.count(m) for m in _MONTHS) + len(_ISO_DATE.findall(text)))}
    for name, cue in _CUE_WORDS.items():
        f[name] = float(sum(lower.count(w) for w in cue))
    return f


class PageReading(NamedTuple):
    """What `page_features` read from a page."""

    features: dict[str, float]  # name -> value; the same names for every page
    text: str  # the page's visible text the features were counted on
    texts: PageTexts  # the texts of its parts (the word model's evidence, tokenised when read)
    marks: MarkupTypes  # the types its JSON-LD and og:type state


def page_features(tree: Any, url: str | None) -> PageReading:
    """The model's features of one page, its text, the texts of its parts and its stated
    types."""
    reading = tree_features(tree)
    marks = markup_of(reading.scripts, reading.metas)
    f, text = reading.features, reading.text
    words = int(f["words"])
    f["prices"] = float(sum(text.count(c) for c in _CURRENCY))
    f.update(_word_cues(text))
    per_k = 1000.0 / max(words, 50)
    for name in ("n_a", "n_li", "n_p", "prices", "dates", "n_time", "n_h2", "n_h3", "n_img"):
        f[f"{name}_per_kword"] = f[name] * per_k
    f.update(_url_features(url))
    f.update(url_shape(url))
    for name, types in _JSONLD_GROUPS.items():
        f[name] = float(bool(marks.jsonld & types))
    f["ld_any"] = float(marks.has_jsonld)
    for og in _OG_TYPES:
        f[f"og_{og}"] = float(marks.og_type.startswith(og))
    f["og_any"] = float(bool(marks.og_type))
    return PageReading(f, text, PageTexts(url, reading.headline, reading.link_text, text), marks)


def record_features(doc: Article) -> dict[str, float]:
    """What the HTML metadata found: a byline, a date and where it came from, the title."""
    source = doc.published_at_source or ""
    return {
        "meta_authors": float(len(doc.authors)),
        "meta_date": float(doc.published_at is not None),
        "meta_date_markup": float(source in ("jsonld", "meta")),
        "meta_date_shown": float(source in ("time_element", "text", "dateline")),
        "meta_date_url": float(source == "url"),
        "meta_title_words": float(len((doc.title or "").split())),
        "meta_site_name": float(doc.site_name is not None),
    }


def body_features(body: str, page_words: float) -> dict[str, float]:
    """The extracted body's shape: how much of the page it is and how prose-like it reads
    (an article's body is long paragraphs of sentences; a listing's or a shop's, short lines)."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    lengths = [len(p.split()) for p in paragraphs]
    words = sum(lengths)
    prose = [n for n in lengths if n >= PROSE_WORDS]
    ended = sum(1 for p in paragraphs if p.rstrip()[-1:] in ".!?\"'”’")
    lines = body.count("\n") + 1
    return {
        "body_words": float(words),
        "body_share": words / page_words if page_words else 0.0,
        "body_paragraphs": float(len(paragraphs)),
        "body_p_mean": words / len(paragraphs) if paragraphs else 0.0,
        "body_prose_share": sum(prose) / words if words else 0.0,
        "body_ended_share": ended / len(paragraphs) if paragraphs else 0.0,
        "body_words_per_line": words / lines,
    }
