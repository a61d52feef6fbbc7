"""Where an element sits in the page: in the article, in chrome (navigation, asides, the
page footer, related lists, comments), inside a link card, a caption or a sentence.
"""

from __future__ import annotations

import re
from typing import Any

from transforms.core.caseless import CaselessWords
from transforms.metadata.html_text import text_head
from transforms.metadata.name_parts import is_prose


def inside_article(el: Any) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("article", "main") or anc.get("itemprop") in ("articleBody", "mainEntity"):
            return True
        if tag in ("aside", "footer", "nav"):
            return False
    return False


def outside_chrome(el: Any) -> bool:
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


def in_link(el: Any) -> bool:
    """Inside an <a>: a link-preview card of another page, not this page's byline."""
    return any(a.tag == "a" for a in el.iterancestors())


def link_in_prose(el: Any, own: str) -> bool:
    """A link inside a sentence ("experts, including <a>Jane Doe</a>, PhD, from ..."): the
    people a text cites, not its byline."""
    parent = el.getparent()
    if parent is None:
        return False
    around = text_head(parent, 300)
    return is_prose(around.replace(own, " "))


_OTHER_ITEM = re.compile(r"comment|related|recommend|more-stories|caption", re.IGNORECASE)


def other_item(el: Any) -> bool:
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
