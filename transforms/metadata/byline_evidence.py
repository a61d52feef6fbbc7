"""Byline evidence in the page: elements that name a byline by class or id, blocks opening
with a byline label ("By", "Written by", "Author:"), author boxes (a name heading over a bio).
Elements labelled just before as another contributor ("Reviewed by") are left out.
"""

from __future__ import annotations

import re
from typing import Any

from transforms.core.caseless import CaselessWords
from transforms.metadata.authors import other_roles_removed, split_authors
from transforms.metadata.evidence import HtmlEvidence, Positioned
from transforms.metadata.html_text import block_text, node_text, own_text, text_head
from transforms.metadata.page_regions import inside_article, other_item, outside_chrome

# searched in the class and id of nearly every element: literal words, lowered on ASCII text
_BYLINE_ATTR = CaselessWords("author", "byline", "writer", "contributor", "reporter")


NOT_BYLINE_ATTR = re.compile(
    r"avatar|image|img|photo|bio\b|biography|about|description|desc|social|share|follow|"
    r"comment|reply|related|widget|more-from|other|card|list|box-info|tooltip|popup|modal|"
    r"categor|bookmark|embed",
    re.IGNORECASE,
)


LABEL_TAGS = frozenset(
    ["p", "div", "span", "li", "address", "small", "em", "i", "strong", "b", "td", "h2", "h3",
     "h4", "h5", "h6"]
)  # fmt: skip


# a byline label at the start of a block: "By", "By:", "Written by", "Posted by", "Authored by"
BY_LABEL = re.compile(
    r"\s*(?:(?:(?:written|posted|authored|words|story|reported)\s+)?by\b\s*:?|"
    r"(?:authors?|contributors?|writers?)\s*:)\s*(?:$|(?=[A-Z]))",
    re.IGNORECASE,
)


def _name_inside(el: Any) -> str | None:
    """In an author box (name, bio, links), the first short descendant that is a name."""
    for sub in el.iterdescendants(
        "a", "span", "strong", "b", "h2", "h3", "h4", "h5", "h6", "p", "div"
    ):
        t = " ".join(own_text(sub).split())
        # a bare word in an author box is as often a label ("Spotlight") as a name
        if t and len(t) <= 60 and any(" " in n for n in split_authors(t, strict=True)):
            return t
    return None


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


# the path of a writer's own page on the site: "/author/jane-doe", "/people/jdoe/"; not a
# bare "/team/" page and not "/users/" (commenters' and forum members' accounts)
AUTHOR_PAGE = re.compile(
    r"/(?:authors?|writers?|contributors?|people|profiles?|staff|team|journalists?|"
    r"reporters?|columnists?)/(?!page/)[^/?#\s]{2,}/?(?:[?#]|$)",
    re.IGNORECASE,
)


def names_byline(attrs: str) -> bool:
    """Do an element's class and id name a byline (and nothing else, such as its avatar)?"""
    return _BYLINE_ATTR.found(attrs) and NOT_BYLINE_ATTR.search(attrs) is None


_LIST_TAGS = frozenset(["ul", "ol", "li", "div", "p"])


def _listed(text: str) -> str:
    """Block text with its blocks joined by commas: names in blocks of their own are a list."""
    return ", ".join(" ".join(ln.split()) for ln in text.split("\n") if ln.strip())


def add_label(ev: HtmlEvidence, el: Any, order: int) -> None:
    # a short block that opens with a byline label; the name may sit in a child, or in the
    # next element when the label stands alone ("Written by" / "Jane Doe")
    t = " ".join(own_text(el).split())
    if any(isinstance(c.tag, str) and c.tag in _LIST_TAGS for c in el):
        # "Written by: <ul><li>Ann Lee</li><li>Bo Chen</li></ul>": a list of names
        t = _listed(block_text(el, 200))
    if BY_LABEL.fullmatch(t) and (nxt := el.getnext()) is not None:
        # the name may be a button opening an author card ("By" <button>Jane Doe)
        # names in blocks of their own are a list ("Written by:" / "Ann Lee" / "Bo Chen")
        raw = node_text(nxt) if nxt.tag == "button" else _listed(block_text(nxt, 200))
        name = " ".join(raw.split())[:80]
        if any(" " in n for n in split_authors(name, strict=True)):
            t = f"{t} {name}"
    if len(t) <= 120 and outside_chrome(el):
        ev.labelled.append(Positioned(t, order, in_article=inside_article(el)))


def add_byline(ev: HtmlEvidence, el: Any, order: int, attrs: str, byline_els: list[Any]) -> None:
    # an element whose class or id names a byline (or an <address> in the article)
    t = " ".join(own_text(el).split())
    if t and not other_roles_removed(t).strip():
        return  # "Reviewed by Jane Doe" in an attribution item: the name inside is no author
    if len(t) > 200 or (t and not split_authors(t, strict=True)):
        t = _name_inside(el) or t
    if t and len(t) <= 200 and outside_chrome(el) and not _other_role_before(el):
        inside = bool(byline_els) and byline_els[-1] in el.iterancestors()
        if inside and split_authors(t):
            # the inner element is the more specific one ("author-name" in "byline")
            ev.bylines[-1] = Positioned(t, order, attrs.strip(), inside_article(el))
            byline_els[-1] = el
        elif not inside:
            ev.bylines.append(Positioned(t, order, attrs.strip(), inside_article(el)))
            byline_els.append(el)


BOX_HEADS = frozenset(["h2", "h3", "h4", "h5", "h6"])


# what a bio says of its subject first ("Jane is a reporter", "Jane comes from ...")
_BIO_VERB = r"(?:is|was|has|comes|writes|covers|joined|lives|holds|works|leads)"
# what any bio's first sentence holds, whoever its subject: a word, then one of the verbs
_BIO_START = re.compile(rf"\S\s+{_BIO_VERB}\b")


def add_author_box(ev: HtmlEvidence, el: Any, order: int) -> None:
    """A heading that is one person's name, followed by a paragraph about that person."""
    t = node_text(el)
    if not t or len(t) > 40 or len(t.split()) < 2 or (nxt := el.getnext()) is None:
        return
    # the cheap test first: most headings are followed by no bio (splitting names and
    # compiling the subject's pattern for each of a page's headings cost more than the rest
    # of the evidence walk)
    bio = text_head(nxt, 120) if isinstance(nxt.tag, str) else ""
    if not _BIO_START.search(bio) or other_item(el):
        return  # not a comment's or a related card's heading
    names = split_authors(t, strict=True)
    if len(names) != 1 or " " not in names[0]:
        return
    full = names[0]
    # the bio's subject is the full name, or the first name when the heading links to the
    # writer's page ("Albert comes from ..." under <a rel=author>Albert Swann</a>)
    linked = any(
        "author" in (a.get("rel") or "") or AUTHOR_PAGE.search(a.get("href") or "")
        for a in el.iter("a")
    )
    subject = re.escape(full) + (f"|{re.escape(full.split()[0])}" if linked else "")
    if re.search(rf"\b(?:{subject})\s+{_BIO_VERB}\b", bio):
        ev.author_boxes.append(Positioned(full, order, in_article=inside_article(el)))
