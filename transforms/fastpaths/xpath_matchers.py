"""Python equivalents of trafilatura's regex XPath expressions, ~2.5x faster on the same trees.

trafilatura 2.3.1 selects boilerplate and body candidates with XPath expressions calling EXSLT
`re:test`. lxml evaluates each `re:test` as a callback into Python for every element the
expression visits, so these expressions alone were about a quarter of our extraction's CPU
(`python -m benchmarks.stage_cpu --profile`). A matcher here walks the same elements with
`iterdescendants` and applies the same regular expressions to the attributes: it returns the
same elements in the same (document) order as its XPath, so trafilatura's code that calls
`expression(tree)` works unchanged.

`install()` swaps the matchers into trafilatura's own expression lists in place (the lists are
shared by reference with `main_extractor`, `core` and `external`). Each matcher carries the
normalized text of the expression it replaces and only replaces an expression with exactly
that text, so a trafilatura release that changes an expression keeps its XPath. The swap is
process-wide and idempotent; `make bench` checks that its baseline loop runs without it.

XPath details kept: `.//*` is descendants only, in document order; `re:test(@id|@class, p)`
tests the first of the two attributes in source order (XPath's string value of a node-set);
a missing attribute is the empty string (no pattern here matches it); `.//*[...][1]` is the
first match among each parent's children, `(.//*[...])[1]` the first match of all.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from lxml import etree

Element = etree._Element
_MEMO_SIZE = 50_000

_BLOCKS = ("div", "item", "list", "p", "section", "span")
_BODY_FRAMES = ("article", "div", "main", "section")
_RAW_FRAMES = ("div", "section", "aside")
_COMMENT_FRAMES = ("div", "list", "section", "details", "ol", "ul")


def _first_of(el: Element, a: str, b: str) -> str:
    """String value of `@a|@b`: the one of the two attributes that comes first in the tag."""
    for key, value in el.items():
        if key in (a, b):
            return value
    return ""


def _first_test(
    el: Element, test: Callable, a: str, a_value: str | None, b: str, b_value: str | None
) -> bool:
    """`test` on the string value of `@a|@b`, reading the attribute order only when it matters."""
    a_hit, b_hit = test(a_value), test(b_value)
    if a_hit == b_hit or a_value is None or b_value is None:
        return a_hit or b_hit
    return test(_first_of(el, a, b))


def _cached(pattern: str, flags: int = 0) -> Callable[[str | None], bool]:
    """`re:test(@attr, pattern)` on an attribute value (None when absent), remembered per value.

    Class and id values repeat across a page's elements and across pages, and a search of a
    long alternation costs ~20x a dict lookup. The memo is cleared when it grows past
    `_MEMO_SIZE` values, so memory stays flat on any corpus.
    """
    search = re.compile(pattern, flags).search
    memo: dict[str, bool] = {}

    def test(value: str | None) -> bool:
        if value is None:
            return False
        hit = memo.get(value)
        if hit is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            hit = memo[value] = search(value) is not None
        return hit

    test.pattern = pattern  # type: ignore[attr-defined]  # the XPath text is built from it
    return test


def _all(tree: Element, tags: tuple[str, ...] | None, keep: Callable[[Element], bool]) -> list:
    """`.//*[self::t1 or ...][keep]`: every matching descendant, in document order."""
    found = tree.iterdescendants(tags) if tags else tree.iterdescendants(etree.Element)
    # every predicate here needs an attribute; most elements have none
    return [el for el in found if el.attrib and keep(el)]


def _all_by_attributes(
    tree: Element, tags: tuple[str, ...] | None, keep: Callable[[Element], bool], memo: dict
) -> list:
    """`_all` for a `keep` that reads nothing but the element's attributes (names, values, order):
    its answer is remembered per attribute list. The same class/id/style lists recur across a
    page's elements and the extraction prunes several copies of each page."""
    found = tree.iterdescendants(tags) if tags else tree.iterdescendants(etree.Element)
    out = []
    for el in found:
        items = el.items()
        if items:
            key = tuple(items)
            hit = memo.get(key)
            if hit is None:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                hit = memo[key] = keep(el)
            if hit:
                out.append(el)
    return out


def _first_per_parent(tree: Element, tags: tuple[str, ...], keep: Callable[[Element], bool]):
    """`.//*[...][keep][1]`: per parent, its first matching child (a list, document order)."""
    seen, out = set(), []
    for el in tree.iterdescendants(tags):
        if keep(el):
            parent = el.getparent()
            if parent not in seen:
                seen.add(parent)
                out.append(el)
    return out


def _first(tree: Element, tags: tuple[str, ...], keep: Callable[[Element], bool]) -> list:
    """`(.//*[...][keep])[1]`: the first match in document order, or none."""
    return next(([el] for el in tree.iterdescendants(tags) if keep(el)), [])


# --- OVERALL_DISCARD_XPATH -------------------------------------------------------------------

_COOKIE = _cached("cookie")
_DISCARD_ID = _cached(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author|"
    "^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related|"
    "message-container|premium|^ad-"
)
_DISCARD_CLASS = _cached(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author|"
    "^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-|(?:^| )ad-|"
    "dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline|Byline|share-|"
    "sociable|embedded|embed|tag-list|consent|modal-content|permission|elated|next-|-stories|"
    "most-popular|more-on|meta|rating|attachment|timestamp|user-info|user-profile|-icon|"
    "article-infos|message-container|slide|viewport|overlay|options|expand|obfuscated|blurred|"
    "mol-factbox|yin|zlylin|nfoline"
)


def _discard_block(el: Element) -> bool:
    get = el.get
    ident, cls, role = get("id"), get("class"), get("role")
    return (
        get("data-lp-replacement-content") is not None
        or (role is not None and "nav" in role.replace("N", "n"))
        or "MostPopularStories" in (get("data-component") or "")
        or _first_test(el, _COOKIE, "id", ident, "class", cls)
        or _DISCARD_ID(ident)
        or _DISCARD_CLASS(cls)
    )


_HIDDEN = _cached("hidden")
_HIDDEN_ID = _cached("reader-comments|akismet")
_HIDDEN_CLASS = _cached(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print|"
    " hidden| hide|noprint|notloaded"
)


def _reply(value: str | None) -> bool:
    return value is not None and value.startswith("reply-")


def _discard_hidden(el: Element) -> bool:
    get = el.get
    ident, cls, style = get("id"), get("class"), get("style")
    return (
        cls == "comments-title"
        or _first_test(el, _reply, "id", ident, "class", cls)
        or _first_test(el, _HIDDEN, "id", ident, "style", style)
        or (style is not None and ("display:none" in style or "display: none" in style))
        or _HIDDEN_ID(ident)
        or _HIDDEN_CLASS(cls)
        or get("aria-hidden") == "true"
    )


def _teaser(el: Element) -> bool:
    return "teaser" in (el.get("id") or "").replace("T", "t") or "teaser" in (
        el.get("class") or ""
    ).replace("T", "t")


def _caption(el: Element) -> bool:
    return "caption" in (el.get("id") or "") or "caption" in (el.get("class") or "")


# attribute list -> answer of `_discard_block` / `_discard_hidden` (see `_all_by_attributes`)
_DISCARD_BLOCK_MEMO: dict[tuple, bool] = {}
_DISCARD_HIDDEN_MEMO: dict[tuple, bool] = {}


# --- BODY_XPATH ------------------------------------------------------------------------------

_ARTICLE_ID = _cached(
    "(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text"
)
_ARTICLE_CLASS = _cached(
    "post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper|"
    "article-?text|articleText|(?:entry|page|text|article|art)-content|article__content|"
    "article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container"
)


def _article_body(el: Element) -> bool:
    get = el.get
    cls, ident = get("class"), get("id")
    return (
        cls in ("post", "entry")
        or get("itemprop") == "articleBody"
        or ident == "articleContent"
        or _ARTICLE_ID(ident)
        or _ARTICLE_CLASS(cls)
    )


_STORY_ID = _cached("^primary|story-body")
_FULLTEXT = _cached("fulltext", re.IGNORECASE)
_STORY_CLASS = _cached(
    "^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post|"
    "main-column|wpb_text_column|story-body|field-body"
)


def _story(el: Element) -> bool:
    get = el.get
    cls, ident = get("class"), get("id")
    return (
        get("role") == "article"
        or ident in ("article", "story")
        or cls in ("postarea", "art-postcontent", "text", "cell", "story")
        or _STORY_ID(ident)
        or _FULLTEXT(cls)
        or _STORY_CLASS(cls)
    )


_CONTENT_ID = _cached("content-main|content-body|contentBody")
_CONTENT_CLASS = _cached("content[-_]main|content(?:-|__)body")


def _main_content(el: Element) -> bool:
    get = el.get
    cls, ident = get("class"), get("id")
    return (
        ident == "content"
        or cls == "content"
        or _CONTENT_ID(ident)
        or _CONTENT_CLASS(cls)
        or (ident is not None and "main-content" in ident.replace("C", "c").replace("M", "m"))
        or (cls is not None and "main-content" in cls.replace("C", "c").replace("M", "m"))
        or (cls is not None and "page-content" in cls.replace("C", "c").replace("P", "p"))
    )


def _main_frames(tree: Element) -> list:
    """`(.//*[article|div|section][starts-with(@class|@id|@role, 'main')])[1]|(.//main)[1]`."""
    framed = main = None
    out = []
    for el in tree.iterdescendants("article", "div", "section", "main"):
        if el.tag == "main":
            if main is None:
                main = el
                out.append(el)
        elif framed is None and any(
            (el.get(a) or "").startswith("main") for a in ("class", "id", "role")
        ):
            framed = el
            out.append(el)
        if framed is not None and main is not None:
            break
    return out


# --- RAW_TREE_PRUNE_XPATH and REMOVE_COMMENTS_AND_LISTS_XPATH ---------------------------------

_INFINITE = _cached("mvp-post-add-(?:box|wrap)|infinite-?scroll")
_POST_ADD = _cached("mvp-post-add-(?:box|wrap)")


def _infinite_scroll(el: Element) -> bool:
    ident, cls = el.get("id"), el.get("class")
    if not (_INFINITE(ident) or _INFINITE(cls)):
        return False
    no_h1 = next(el.iterdescendants("h1"), None) is None
    return no_h1 or _POST_ADD(ident) or _POST_ADD(cls)


def _share_buttons(el: Element) -> bool:
    return "elementor-share-buttons" in (el.get("class") or "")


_COMMENTS_ID = _cached("^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_COMMENTS_LIST_ID = _cached("^(?:[Cc]omment(?!ary)|comol)")
_COMMENTS_CLASS = _cached("^[Cc]omment(?!ary)|(?:article|post)-comments")


def _comments(el: Element) -> bool:
    ident, cls = el.get("id"), el.get("class")
    if not (_COMMENTS_ID(ident) or _COMMENTS_CLASS(cls)):
        return False
    return el.tag not in ("ol", "ul") or _COMMENTS_LIST_ID(ident) or _COMMENTS_CLASS(cls)


_RAW_FRAME_SET = frozenset(_RAW_FRAMES)
_COMMENT_FRAME_SET = frozenset(_COMMENT_FRAMES)


def prune_raw_tree(tree: Element, comments: bool) -> bool:
    """`prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)`, then with `comments`
    `prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)`, in one walk of the tree.

    trafilatura evaluates each expression after the deletions of the one before: an element
    matched here inside an element an earlier expression deletes is, there, not matched, and
    here deleted from the detached subtree: the tree is the same. (The first expression's
    `not(.//h1)` is read before any deletion in both.) Returns False, doing nothing, when the
    lists do not hold exactly these matchers (`install` not run, or trafilatura's own XPaths).
    """
    from trafilatura import xpaths
    from trafilatura.xml import delete_element

    raw, listed = xpaths.RAW_TREE_PRUNE_XPATH, xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH
    expected_raw = [MATCHERS[("xpaths", "RAW_TREE_PRUNE_XPATH", i)] for i in (0, 1)]
    if (
        len(raw) != 2
        or any(a is not b for a, b in zip(raw, expected_raw, strict=True))
        or len(listed) != 1
        or listed[0] is not MATCHERS[("xpaths", "REMOVE_COMMENTS_AND_LISTS_XPATH", 0)]
    ):
        return False
    infinite, share, comment = [], [], []
    for el in tree.iterdescendants(_RAW_FRAMES + _COMMENT_FRAMES):
        if not el.attrib:  # every predicate here reads @id or @class
            continue
        if el.tag in _RAW_FRAME_SET:
            if _infinite_scroll(el):
                infinite.append(el)
            if _share_buttons(el):
                share.append(el)
        if comments and el.tag in _COMMENT_FRAME_SET and _comments(el):
            comment.append(el)
    for found in (infinite, share, comment):
        for el in found:
            delete_element(el)
    return True


# --- BASIC_CLEAN_XPATH (trafilatura.baseline: its text dumps and justext's input) ------------

_CLEAN_TAGS = frozenset(("aside", "fencedframe", "footer", "script", "style", "svg", "template"))
_CONSENT = _cached(
    "cookie[-_]?(?:banner|bar|consent|law|notice|policy|description)|notice[-_]{0,2}cookie"
    "|consent[-_]?(?:banner|manager|sdk)|borlabs|cookiebot|cmplz|onetrust|moove[-_]?gdpr",
    re.IGNORECASE,
)


def _footer(value: str | None) -> bool:
    return value is not None and "footer" in value


def _basic_clean(tree: Element) -> list:
    out = []
    for el in tree.iterdescendants(etree.Element):
        if el.tag in _CLEAN_TAGS:
            out.append(el)
        elif el.attrib:
            cls, ident = el.get("class"), el.get("id")
            if (
                (el.tag == "div" and _first_test(el, _footer, "class", cls, "id", ident))
                or _CONSENT(cls)
                or _CONSENT(ident)
            ):
                out.append(el)
    return out


# --- the table and the swap ------------------------------------------------------------------


@dataclass(frozen=True)
class XPathMatcher:
    """A callable with an XPath's result: `matcher(tree)` returns what `XPath(path)(tree)` does."""

    path: str  # the expression it stands for, whitespace-normalized
    select: Callable[[Element], list]

    def __call__(self, tree: Element) -> list:
        return self.select(tree)


def _tags(tags: Iterable[str]) -> str:
    return " or ".join(f"self::{tag}" for tag in tags)


_B, _F = _tags(_BLOCKS), _tags(_BODY_FRAMES)

# A slot is where trafilatura keeps an expression: (module of the `trafilatura` package, name,
# index in the list held by that name, or None for the name itself).
Slot = tuple[str, str, int | None]

# slot -> the matcher for the expression expected there
MATCHERS: dict[Slot, XPathMatcher] = {
    ("xpaths", "OVERALL_DISCARD_XPATH", 0): XPathMatcher(
        f".//*[{_B}][ @data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') "
        "or contains(@data-component, 'MostPopularStories') or "
        f"re:test(@id|@class, '{_COOKIE.pattern}') or re:test(@id, '{_DISCARD_ID.pattern}') or "
        f"re:test(@class, '{_DISCARD_CLASS.pattern}')]",
        lambda tree: _all_by_attributes(tree, _BLOCKS, _discard_block, _DISCARD_BLOCK_MEMO),
    ),
    ("xpaths", "OVERALL_DISCARD_XPATH", 1): XPathMatcher(
        ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or "
        f"re:test(@id|@style, '{_HIDDEN.pattern}') or contains(@style, 'display:none') or "
        f"contains(@style, 'display: none') or re:test(@id, '{_HIDDEN_ID.pattern}') or "
        f"re:test(@class, '{_HIDDEN_CLASS.pattern}') or @aria-hidden='true']",
        lambda tree: _all_by_attributes(tree, None, _discard_hidden, _DISCARD_HIDDEN_MEMO),
    ),
    ("xpaths", "TEASER_DISCARD_XPATH", 0): XPathMatcher(
        f".//*[{_B}][ contains(translate(@id, 'T', 't'), 'teaser') or "
        "contains(translate(@class, 'T', 't'), 'teaser')]",
        lambda tree: _all(tree, _BLOCKS, _teaser),
    ),
    ("xpaths", "DISCARD_IMAGE_ELEMENTS", 0): XPathMatcher(
        f".//*[{_B}][ contains(@id, 'caption') or contains(@class, 'caption')]",
        lambda tree: _all(tree, _BLOCKS, _caption),
    ),
    ("xpaths", "BODY_XPATH", 0): XPathMatcher(
        f".//*[{_F}][ @class='post' or @class='entry' or @itemprop='articleBody' or "
        f"@id='articleContent' or re:test(@id, '{_ARTICLE_ID.pattern}') or "
        f"re:test(@class, '{_ARTICLE_CLASS.pattern}') ][1]",
        lambda tree: _first_per_parent(tree, _BODY_FRAMES, _article_body),
    ),
    ("xpaths", "BODY_XPATH", 2): XPathMatcher(
        f"(.//*[{_F}][ @role='article' or @id='article' or @id='story' or @class='postarea' or "
        "@class='art-postcontent' or @class='text' or @class='cell' or @class='story' or "
        f"re:test(@id, '{_STORY_ID.pattern}') or re:test(@class, 'fulltext', 'i') or "
        f"re:test(@class, '{_STORY_CLASS.pattern}') ])[1]",
        lambda tree: _first(tree, _BODY_FRAMES, _story),
    ),
    ("xpaths", "BODY_XPATH", 3): XPathMatcher(
        f"(.//*[{_F}][ @id='content' or @class='content' or "
        f"re:test(@id, '{_CONTENT_ID.pattern}') or re:test(@class, '{_CONTENT_CLASS.pattern}') or "
        "contains(translate(@id, 'CM','cm'), 'main-content') or "
        "contains(translate(@class, 'CM','cm'), 'main-content') or "
        "contains(translate(@class, 'CP','cp'), 'page-content') ])[1]",
        lambda tree: _first(tree, _BODY_FRAMES, _main_content),
    ),
    ("xpaths", "BODY_XPATH", 4): XPathMatcher(
        "(.//*[self::article or self::div or self::section][ starts-with(@class, 'main') or "
        "starts-with(@id, 'main') or starts-with(@role, 'main')])[1]|(.//main)[1]",
        _main_frames,
    ),
    ("xpaths", "RAW_TREE_PRUNE_XPATH", 0): XPathMatcher(
        f".//*[{_tags(_RAW_FRAMES)}][ re:test(@id, '{_INFINITE.pattern}') or "
        f"re:test(@class, '{_INFINITE.pattern}')][ not(.//h1) or "
        f"re:test(@id, '{_POST_ADD.pattern}') or re:test(@class, '{_POST_ADD.pattern}')]",
        lambda tree: _all(tree, _RAW_FRAMES, _infinite_scroll),
    ),
    ("xpaths", "RAW_TREE_PRUNE_XPATH", 1): XPathMatcher(
        f".//*[{_tags(_RAW_FRAMES)}][contains(@class, 'elementor-share-buttons')]",
        lambda tree: _all(tree, _RAW_FRAMES, _share_buttons),
    ),
    ("baseline", "BASIC_CLEAN_XPATH", None): XPathMatcher(
        ".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer|.//script|"
        f".//style|.//svg|.//template|.//*[re:test(@class, '{_CONSENT.pattern}', 'i') or "
        f"re:test(@id, '{_CONSENT.pattern}', 'i')]",
        _basic_clean,
    ),
    ("xpaths", "REMOVE_COMMENTS_AND_LISTS_XPATH", 0): XPathMatcher(
        f".//*[{_tags(_COMMENT_FRAMES)}][ re:test(@id, '{_COMMENTS_ID.pattern}') or "
        f"re:test(@class, '{_COMMENTS_CLASS.pattern}')][ not(self::ol or self::ul) or "
        f"re:test(@id, '{_COMMENTS_LIST_ID.pattern}') or re:test(@class, '{_COMMENTS_CLASS.pattern}')]",
        lambda tree: _all(tree, _COMMENT_FRAMES, _comments),
    ),
}


# slot -> trafilatura's XPath that `install` replaced there in this process
_ORIGINALS: dict[Slot, etree.XPath] = {}


def normalized(path: str) -> str:
    """An XPath's text with its whitespace runs collapsed (how `MATCHERS` spell them)."""
    return " ".join(path.split())


def install() -> int:
    """Swap the matchers into trafilatura where the expression in their slot has their text.

    Returns how many slots hold matchers after the call (idempotent: a second call swaps
    nothing more). An expression whose text differs from the matcher's keeps its XPath.
    """
    swapped = 0
    for slot, matcher in MATCHERS.items():
        current = _get(slot)
        if isinstance(current, XPathMatcher):
            swapped += 1
        elif current is not None and normalized(getattr(current, "path", "")) == matcher.path:
            _ORIGINALS[slot] = current
            _set(slot, matcher)
            swapped += 1
    return swapped


@contextmanager
def trafilatura_xpaths() -> Iterator[None]:
    """Run a block with trafilatura's own XPaths (to time the plain library beside the pipeline)."""
    restored = []
    for slot, original in _ORIGINALS.items():
        current = _get(slot)
        if isinstance(current, XPathMatcher):
            restored.append((slot, current))
            _set(slot, original)
    try:
        yield
    finally:
        for slot, matcher in restored:
            _set(slot, matcher)


def installed() -> int:
    """How many of the matchers' slots in trafilatura hold a matcher in this process."""
    return sum(isinstance(_get(slot), XPathMatcher) for slot in MATCHERS)


def _get(slot: Slot):
    module, name, index = slot
    value = getattr(importlib.import_module(f"trafilatura.{module}"), name, None)
    if index is None:
        return value
    return value[index] if isinstance(value, list) and index < len(value) else None


def _set(slot: Slot, expression) -> None:
    module, name, index = slot
    owner = importlib.import_module(f"trafilatura.{module}")
    if index is None:
        setattr(owner, name, expression)
    else:
        getattr(owner, name)[index] = expression  # the list other modules imported, in place
