"""Is a markup byline attested by the page: shown to its reader, or declared as its author?

Structured data is filled by the CMS from the account that saved the record: a JSON-LD
`Person`, a Dublin Core `creator`. A site that credits its writer says so where a reader or a
sharing card sees it: the visible page, or the head's author declarations (`<meta
name=author>`, `article:author`, a Twitter card's "Written by" label). A name stated only in
structured data and nowhere else is the record's owner (a site account, a template's default
author) on a page that credits no one, so it is not taken as the byline.

The page's visible text is read only when the cheaper evidence does not settle it, so the
cost falls on the few pages whose byline is in structured data alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from transforms.metadata.evidence import HtmlEvidence
from transforms.metadata.titles import squash

# head tags by which a site declares the article's author (Dublin Core creator is not one:
# CMSs fill it with the account that created the record)
_DECLARING = (
    "author",
    "article:author",
    "og:article:author",
    "citation_author",
    "sailthru.author",
    "parsely-author",
    "byl",
    "twitter:creator:name",
)
_WRITER_LABEL = re.compile(r"\b(?:by|author|writer)s?\b", re.IGNORECASE)


def _declared(ev: HtmlEvidence) -> str:
    """The head's author declarations, squashed into one searchable key."""
    values = [v for key in _DECLARING for v in ev.meta.get(key, ())]
    # a Twitter card's label/data pairs: "Written by" / "Jane Doe"
    for n in range(1, 5):
        labels = ev.meta.get(f"twitter:label{n}", ())
        if any(_WRITER_LABEL.search(label) for label in labels):
            values.extend(ev.meta.get(f"twitter:data{n}", ()))
    return squash(" ".join(values))


def _near_headline(ev: HtmlEvidence) -> str:
    """The byline evidence gathered around the headline and in byline elements."""
    parts = [ev.header_text, ev.header_byline or ""]
    for group in (ev.bylines, ev.labelled, ev.rel_authors, ev.author_links, ev.author_boxes):
        parts.extend(p.text for p in group)
    return squash(" ".join(parts))


def visible_text(tree: Any) -> str:
    """The text of the page's body a reader sees (scripts, styles and templates left out)."""
    if tree is None:
        return ""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return " ".join(
        root.xpath(
            "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
            " or ancestor::template)]"
        )
    )


def attested(ev: HtmlEvidence, names: list[str], page_text: Callable[[], str]) -> bool:
    """Whether some of `names` is declared as the author in the head or shown on the page.

    `page_text` gives the visible text; it is called only when nothing cheaper decides.
    """
    keys = [k for k in map(squash, names) if k]
    if not keys:
        return False
    declared = _declared(ev)
    if any(k in declared for k in keys):
        return True
    near = _near_headline(ev)
    if any(k in near for k in keys):
        return True
    shown = squash(page_text())
    return any(k in shown for k in keys)
