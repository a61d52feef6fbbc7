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

Deciding between them is `transforms.metadata.steps`'s job; this module only gathers what the page
states. The tree must be read here, before body extraction prunes it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from transforms.core.caseless import CaselessWords
from transforms.metadata.authors import is_prose, other_roles_removed, split_authors
from transforms.metadata.dates import FoundDate, find_dates
from transforms.metadata.titles import squash

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

# searched in the class and id of nearly every element: literal words, lowered on ASCII text
_BYLINE_ATTR = CaselessWords("author", "byline", "writer", "contributor", "reporter")
_NOT_BYLINE_ATTR = re.compile(
    r"avatar|image|img|photo|bio\b|biography|about|description|desc|social|share|follow|"
    r"comment|reply|related|widget|more-from|other|card|list|box-info|tooltip|popup|modal|"
    r"categor|bookmark|embed",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Positioned:
    """A text found in the page with its document-order index (for nearness to the h1)."""

    text: str
    order: int
    attr: str = ""  # datetime attribute for <time>, the matched class for bylines
    in_article: bool = False  # inside <article>/<main> or an itemprop=articleBody container
    hint: str = ""  # class/itemprop/label words around it ("updated", "published", ...)


@dataclass(slots=True)
class HtmlEvidence:
    """Everything a page states about itself, before any choice is made."""

    articles: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD article nodes
    pages: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD WebPage nodes
    graph: dict[str, dict[str, Any]] = field(default_factory=dict)  # @id -> node
    meta: dict[str, list[str]] = field(default_factory=dict)  # lowercased key -> contents
    itemprops: dict[str, list[str]] = field(default_factory=dict)  # itemprop -> texts
    title_tag: str | None = None
    h1: list[Positioned] = field(default_factory=list)
    bylines: list[Positioned] = field(default_factory=list)
    rel_authors: list[Positioned] = field(default_factory=list)
    # links to the site's page of one writer ("/author/jane-doe"), outside chrome
    author_links: list[Positioned] = field(default_factory=list)
    # itemprop=author elements outside link cards, with their position
    author_props: list[Positioned] = field(default_factory=list)
    labelled: list[Positioned] = field(default_factory=list)  # "By Name" / "Written by" lines
    # an author box: a heading that is a name over a bio about that person ("Jane Doe" /
    # "Jane is a reporter covering ...")
    author_boxes: list[Positioned] = field(default_factory=list)
    times: list[Positioned] = field(default_factory=list)
    canonical: str | None = None
    lang: str | None = None
    header_byline: str | None = None  # a "By Name ..." run of text beside the h1
    header_text: str = ""  # visible text around the h1 (250 characters before, 600 after)
    header_after: str = ""  # the part of it after the h1, one line a block
    deks: list[Positioned] = field(default_factory=list)  # class/id says dek, standfirst, ...
    header_dates: list[FoundDate] = field(default_factory=list)  # shown right after the h1
    before_dates: list[FoundDate] = field(default_factory=list)  # shown just above the h1

    def meta_first(self, *keys: str) -> str | None:
        """The first non-empty meta content among `keys`, in the order given."""
        for k in keys:
            for v in self.meta.get(k, ()):
                if v.strip():
                    return v.strip()
        return None


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _text_head(el: Any, limit: int) -> str:
    """`_text(el)[:limit]`, reading only as much of the subtree's text as that needs.

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


def _heading_text(el: Any) -> str:
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


def _collect_jsonld(tree: Any, ev: HtmlEvidence) -> None:
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


def _in_article(el: Any) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("article", "main") or anc.get("itemprop") in ("articleBody", "mainEntity"):
            return True
        if tag in ("aside", "footer", "nav"):
            return False
    return False


def _is_outside_chrome(el: Any) -> bool:
    """Not inside navigation, an aside, the page footer, a related list or comments.

    The walk stops at the article (or main) container: a <footer> inside an <article> is
    the article's own footer (where author boxes sit), and an unclosed <aside> wrapping the
    whole page does not make the article chrome. The <body> class says nothing
    ("no-sidebar").
    """
    footer = False
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("article", "main"):
            return True
        if tag in ("body", "html"):
            break
        if tag in ("aside", "nav"):
            return False
        footer = footer or tag == "footer"
        cls = f"{anc.get('class', '')} {anc.get('id', '')}"
        # every match of the regex holds one of the words: most ancestors hold none
        if _OUTSIDE_WORDS.found(cls) and _OUTSIDE_CLASS.search(cls):
            return False
    return not footer


_OUTSIDE_CLASS = re.compile(
    r"\b(?:related|sidebar|recommend|more-stories|comments?|footer)\b", re.IGNORECASE
)
_OUTSIDE_WORDS = CaselessWords(
    "related", "sidebar", "recommend", "more-stories", "comment", "footer"
)


def _in_link(el: Any) -> bool:
    """Inside an <a>: a link-preview card of another page, not this page's byline."""
    return any(a.tag == "a" for a in el.iterancestors())


_SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})


def _own_text(el: Any) -> str:
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


def _block_text(el: Any, limit: int = 1000) -> str:
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


def _text_after(el: Any, limit: int) -> str:
    """Visible text that follows `el` in document order, up to `limit` characters."""
    parts: list[str] = [el.tail or ""]
    size = _chars(parts[0])
    node = el
    while node is not None and size < limit:
        for sib in node.itersiblings():
            t = _block_text(sib, limit - size)
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


def _text_before(el: Any, limit: int) -> str:
    """Visible text that precedes `el` in document order, the nearest `limit` characters."""
    parts: list[str] = []
    size = 0
    node = el
    while node is not None and size < limit:
        for sib in node.itersiblings(preceding=True):
            t = _block_text(sib)[-limit:] + "\n" + (sib.tail or "")
            parts.append(t)
            size += len(t)
            if size >= limit:
                break
        node = node.getparent()
        if node is not None and node.text:
            parts.append(node.text)
            size += len(node.text)
    return _tidy(parts[::-1])[-limit:]


_LABEL_TAGS = frozenset(
    ["p", "div", "span", "li", "address", "small", "em", "i", "strong", "b", "td", "h2", "h3",
     "h4", "h5", "h6"]
)  # fmt: skip
# a byline label at the start of a block: "By", "By:", "Written by", "Posted by", "Authored by"
_BY_LABEL = re.compile(
    r"\s*(?:(?:(?:written|posted|authored|words|story|reported)\s+)?by\b\s*:?|"
    r"(?:authors?|contributors?|writers?)\s*:)\s*(?:$|(?=[A-Z]))",
    re.IGNORECASE,
)
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


def _name_inside(el: Any) -> str | None:
    """In an author box (name, bio, links), the first short descendant that is a name."""
    for sub in el.iterdescendants(
        "a", "span", "strong", "b", "h2", "h3", "h4", "h5", "h6", "p", "div"
    ):
        t = " ".join(_own_text(sub).split())
        # a bare word in an author box is as often a label ("Spotlight") as a name
        if t and len(t) <= 60 and any(" " in n for n in split_authors(t, strict=True)):
            return t
    return None


def _header_block(ev: HtmlEvidence, h1_elements: list[Any]) -> None:
    """Dates and a "By Name" byline displayed next to the headline (the article's header)."""
    if not h1_elements:
        return
    ranked = sorted(h1_elements, key=lambda e: not _in_article(e))
    anchor = ranked[0]
    after = _text_after(anchor, 600)
    before = _text_before(anchor, 250)
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


_OTHER_ROLE_LABEL = re.compile(
    r"(?:reviewed|checked|edited|photos?|photographs|illustrations?|illustrated|video|"
    r"produced|translated)\s+by\s*:?\s*$",
    re.IGNORECASE,
)


def _other_role_before(el: Any) -> bool:
    """The element is labelled, just before it, as another kind of contributor
    ("Reviewed by" / "Fact checked by" in a sibling or the parent's leading text)."""
    prev = el.getprevious()
    if prev is not None and isinstance(prev.tag, str):
        last = prev
        while len(last):  # the label is the end of the sibling: its deepest last element
            last = last[-1]
        before = (last.text or "") + (last.tail or "" if last is not prev else "")
        before += prev.tail or ""
    else:
        parent = el.getparent()
        before = (parent.text or "") if parent is not None else ""
    return bool(before) and _OTHER_ROLE_LABEL.search(before[-40:]) is not None


def _title_heading(ev: HtmlEvidence, headings: list[Any]) -> list[Any]:
    """Without an h1, the first h2 that states the page title is the visible headline."""
    title = squash(ev.meta_first("og:title") or ev.title_tag or "")
    for el in headings:
        key = squash(_heading_text(el))
        if len(key) >= 10 and key in title:
            return [el]
    return []


# the path of a writer's own page on the site: "/author/jane-doe", "/people/jdoe/"; not a
# bare "/team/" page and not "/users/" (commenters' and forum members' accounts)
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|writers?|contributors?|people|profiles?|staff|team|journalists?|"
    r"reporters?|columnists?)/(?!page/)[^/?#\s]{2,}/?(?:[?#]|$)",
    re.IGNORECASE,
)


def _in_prose(el: Any, own: str) -> bool:
    """A link inside a sentence ("experts, including <a>Jane Doe</a>, PhD, from ..."): the
    people a text cites, not its byline."""
    parent = el.getparent()
    if parent is None:
        return False
    around = _text_head(parent, 300)
    return is_prose(around.replace(own, " "))


# the standfirst under a headline, by the names templates give it
_DEK_ATTR = re.compile(
    r"(?:^|[\s_-])(?:dek|deck|standfirst|sub-?title|sub-?head(?:line|ing)?|strapline|"
    r"article-?summary|lede)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DEK_TAGS = frozenset(["p", "div", "h2", "h3", "span", "section"])

_HEAD_TAGS = frozenset(
    ["meta", "link", "script", "style", "noscript", "template", "title", "h1", "h2", "time"]
)
_NOT_BYLINE_TAGS = frozenset(["img", "body", "html", "article", "main", "section"])


def _names_byline(attrs: str) -> bool:
    """Do an element's class and id name a byline (and nothing else, such as its avatar)?"""
    return _BYLINE_ATTR.found(attrs) and _NOT_BYLINE_ATTR.search(attrs) is None


_OTHER_ITEM = re.compile(r"comment|related|recommend|more-stories|caption", re.IGNORECASE)


def _not_own(el: Any) -> bool:
    """A date element that dates something else: a photo caption, a comment, a related card
    (an article's info panel in a sidebar is still its own)."""
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag == "figcaption":
            return True
        if tag in ("body", "html"):
            break
        attrs = f"{anc.get('class', '')} {anc.get('id', '')}"
        if attrs.strip() and _OTHER_ITEM.search(attrs):
            return True
    return False


def _add_time(ev: HtmlEvidence, el: Any, order: int) -> None:
    if _not_own(el):
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
    ev.times.append(Positioned(_text(el), order, dt.strip(), _in_article(el), hint))


_LIST_TAGS = frozenset(["ul", "ol", "li", "div", "p"])


def _listed(block_text: str) -> str:
    """Block text with its blocks joined by commas: names in blocks of their own are a list."""
    return ", ".join(" ".join(ln.split()) for ln in block_text.split("\n") if ln.strip())


def _add_label(ev: HtmlEvidence, el: Any, order: int) -> None:
    # a short block that opens with a byline label; the name may sit in a child, or in the
    # next element when the label stands alone ("Written by" / "Jane Doe")
    t = " ".join(_own_text(el).split())
    if any(isinstance(c.tag, str) and c.tag in _LIST_TAGS for c in el):
        # "Written by: <ul><li>Ann Lee</li><li>Bo Chen</li></ul>": a list of names
        t = _listed(_block_text(el, 200))
    if _BY_LABEL.fullmatch(t) and (nxt := el.getnext()) is not None:
        # the name may be a button opening an author card ("By" <button>Jane Doe)
        # names in blocks of their own are a list ("Written by:" / "Ann Lee" / "Bo Chen")
        raw = _text(nxt) if nxt.tag == "button" else _listed(_block_text(nxt, 200))
        name = " ".join(raw.split())[:80]
        if any(" " in n for n in split_authors(name, strict=True)):
            t = f"{t} {name}"
    if len(t) <= 120 and _is_outside_chrome(el):
        ev.labelled.append(Positioned(t, order, in_article=_in_article(el)))


def _add_byline(ev: HtmlEvidence, el: Any, order: int, attrs: str, byline_els: list[Any]) -> None:
    # an element whose class or id names a byline (or an <address> in the article)
    t = " ".join(_own_text(el).split())
    if t and not other_roles_removed(t).strip():
        return  # "Reviewed by Jane Doe" in an attribution item: the name inside is no author
    if len(t) > 200 or (t and not split_authors(t, strict=True)):
        t = _name_inside(el) or t
    if t and len(t) <= 200 and _is_outside_chrome(el) and not _other_role_before(el):
        inside = bool(byline_els) and byline_els[-1] in el.iterancestors()
        if inside and split_authors(t):
            # the inner element is the more specific one ("author-name" in "byline")
            ev.bylines[-1] = Positioned(t, order, attrs.strip(), _in_article(el))
            byline_els[-1] = el
        elif not inside:
            ev.bylines.append(Positioned(t, order, attrs.strip(), _in_article(el)))
            byline_els.append(el)


_BOX_HEADS = frozenset(["h2", "h3", "h4", "h5", "h6"])
# what a bio says of its subject first ("Jane is a reporter", "Jane comes from ...")
_BIO_VERB = r"(?:is|was|has|comes|writes|covers|joined|lives|holds|works|leads)"
# what any bio's first sentence holds, whoever its subject: a word, then one of the verbs
_BIO_START = re.compile(rf"\S\s+{_BIO_VERB}\b")


def _add_author_box(ev: HtmlEvidence, el: Any, order: int) -> None:
    """A heading that is one person's name, followed by a paragraph about that person."""
    t = _text(el)
    if not t or len(t) > 40 or len(t.split()) < 2 or (nxt := el.getnext()) is None:
        return
    # the cheap test first: most headings are followed by no bio (splitting names and
    # compiling the subject's pattern for each of a page's headings cost more than the rest
    # of the evidence walk)
    bio = _text_head(nxt, 120) if isinstance(nxt.tag, str) else ""
    if not _BIO_START.search(bio) or _not_own(el):
        return  # not a comment's or a related card's heading
    names = split_authors(t, strict=True)
    if len(names) != 1 or " " not in names[0]:
        return
    full = names[0]
    # the bio's subject is the full name, or the first name when the heading links to the
    # writer's page ("Albert comes from ..." under <a rel=author>Albert Swann</a>)
    linked = any(
        "author" in (a.get("rel") or "") or _AUTHOR_PAGE.search(a.get("href") or "")
        for a in el.iter("a")
    )
    subject = re.escape(full) + (f"|{re.escape(full.split()[0])}" if linked else "")
    if re.search(rf"\b(?:{subject})\s+{_BIO_VERB}\b", bio):
        ev.author_boxes.append(Positioned(full, order, in_article=_in_article(el)))


def collect_evidence(tree: Any) -> HtmlEvidence:
    """Gather the metadata a page states about itself; the tree is not modified."""
    ev = HtmlEvidence()
    if tree is None:
        return ev
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    ev.lang = (root.get("lang") or root.get("xml:lang") or "").strip() or None
    _collect_jsonld(root, ev)
    order = 0
    h1_elements: list[Any] = []
    h2_elements: list[Any] = []
    byline_els: list[Any] = []
    byline_attrs: dict[str, bool] = {}
    for el in root.iter(etree.Element):  # elements only: no comments or processing instructions
        order += 1
        tag = el.tag
        if tag in _BOX_HEADS:
            _add_author_box(ev, el, order)
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
                ev.title_tag = _text(el) or None
                continue
            if tag == "h1":
                t = _heading_text(el)
                if t:
                    ev.h1.append(Positioned(t, order, in_article=_in_article(el)))
                    h1_elements.append(el)
                continue
            if tag == "h2" and not h1_elements and len(h2_elements) < 8:
                h2_elements.append(el)
            if tag == "time":
                _add_time(ev, el, order)
        prop = el.get("itemprop")
        if prop and not (prop == "datePublished" and _not_own(el)):
            val = el.get("content") or el.get("datetime") or _text_head(el, 300)
            if val:
                ev.itemprops.setdefault(prop.strip(), []).append(val[:300])
                if prop == "author" and not _in_link(el):
                    # a teaser card of another story (a link wrapping it) credits that story
                    ev.author_props.append(Positioned(val[:300], order, in_article=_in_article(el)))
        if (
            tag in _LABEL_TAGS
            and (text := el.text)
            # a cheap look for the "y" of "by" before the regex (read on every block)
            and ("y" in (head := text[:80]) or "Y" in head)
            and _BY_LABEL.match(text)
        ):
            _add_label(ev, el, order)
        if tag == "a":
            if "author" in (el.get("rel") or "").lower().split():
                t = " ".join(_own_text(el).split())
                if t and _is_outside_chrome(el):
                    ev.rel_authors.append(Positioned(t, order, in_article=_in_article(el)))
                continue
            href = el.get("href")
            if href and "/" in href and _AUTHOR_PAGE.search(href):
                t = " ".join(_own_text(el).split())
                if t and len(t) <= 80 and _is_outside_chrome(el) and not _in_prose(el, t):
                    ev.author_links.append(Positioned(t, order, href, _in_article(el)))
        cls, eid = el.get("class"), el.get("id")
        # most elements carry neither class nor id: no byline attribute to test
        if cls is None and eid is None:
            if tag == "address" and _in_article(el):
                _add_byline(ev, el, order, "", byline_els)
            continue
        if tag in _NOT_BYLINE_TAGS:
            continue
        attrs = f"{cls or ''} {eid or ''}"
        if len(ev.deks) < 3 and tag in _DEK_TAGS and _DEK_ATTR.search(attrs):
            t = _text_head(el, 400)
            if 5 <= len(t.split()) <= 60:
                ev.deks.append(Positioned(t, order, attrs.strip(), _in_article(el)))
        # class and id values repeat across a page's elements: each is searched once a page
        named = byline_attrs.get(attrs)
        if named is None:
            named = byline_attrs[attrs] = _names_byline(attrs)
        if named or (
            tag == "address" and _in_article(el) and _NOT_BYLINE_ATTR.search(attrs) is None
        ):
            _add_byline(ev, el, order, attrs, byline_els)
    _header_block(ev, h1_elements or _title_heading(ev, h2_elements))
    return ev
