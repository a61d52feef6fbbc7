"""Choose the headline and the dek among the titles a page states.

Titles: the `<h1>` (not the site's own name) wins when it matches a meta/JSON-LD title up to
decoration, or when it is the article's only/first in-article heading; otherwise the JSON-LD
headline, og:title, twitter:title, `<title>`, each with site decoration stripped
(`transforms.metadata.titles`). Trailing decoration is stripped from the h1 too; an h1 that is a
meta title plus glued furniture (a date, a byline, a count, a "Blog:" label) gives that title;
an h1 worded differently from the meta title loses to it only when the URL path clearly sides
with the meta title (`titles.slug_prefers`: a section label such as "Blog" in the h1). An h1
that is the site's name the <title> puts after the headline (the blog's or section's) is not
the headline, nor is a section kicker glued before the headline the markup states alone. A
markup headline cut to a length limit gives way to the stated title that continues it; an h1
sharing no word with the title two of the page's sources state, or that title with characters
lost to a wrong encoding, gives way to it (`heading_checks`).
Subtitle: the dek the page shows under the headline (an element named dek, standfirst,
subtitle; else og:description/description when it is a line of its own there).
"""

from __future__ import annotations

import re
from html import unescape

from transforms.metadata.heading_checks import decoded_as, unrelated_heading
from transforms.metadata.html_evidence import HtmlEvidence
from transforms.metadata.site import site_and_host
from transforms.metadata.titles import (
    content_words,
    heading_core,
    kicker_before,
    names_match,
    slug_prefers,
    squash,
    strip_decoration,
    title_segment_name,
    truncated_of,
)
from transforms.metadata.urls import url_path

_TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "headline")


def choose_subtitle(ev: HtmlEvidence, title: str | None) -> str | None:
    """The dek under the headline: an element the template names so (dek, standfirst,
    subtitle) just after the h1, else og:description or the description when the page shows it
    as a line of its own right under the headline (a description that is not shown is a
    search snippet, not a dek)."""
    key = squash(title or "")
    first_h1 = min((h.order for h in ev.h1), default=None)
    if first_h1 is not None:
        for d in ev.deks:
            if 0 < d.order - first_h1 <= _DEK_SPAN and squash(d.text) != key:
                return d.text
    # a whole line among the first under the headline: a description cut from the first
    # paragraph ("The board voted on ...") is a snippet of the lede, not a line of its own
    lines = {squash(ln) for ln in ev.header_after.split("\n")[:3]}
    for desc in (ev.meta_first("og:description"), ev.meta_first("description")):
        desc = " ".join(unescape(desc or "").split())
        k = squash(desc)
        if 5 <= len(desc.split()) <= 60 and k != key and k in lines:
            return desc
    return None


_DEK_SPAN = 60  # elements after the h1 in which its dek sits


def _headline_like(text: str, names: list[str]) -> bool:
    """A visible heading that can be a headline: a few words, not the site's own name."""
    words = text.split()
    if not (1 <= len(words) <= 40 and len(text) <= 300):
        return False
    # only a heading that is the name itself is the site's logo: "Austin Hardware Catalog"
    # contains the name "austinhardware" but is a headline
    key = squash(re.sub(r"\.[a-z]{2,6}(?:\.[a-z]{2})?\s*$", "", text.strip(), flags=re.I))
    return not any(key in (n, "the" + n) or n == "the" + key for n in map(squash, names) if n) and (
        len(words) > 2 or not names_match(text, names)
    )


def choose_title(ev: HtmlEvidence, url: str | None, site: list[str] | None = None) -> str | None:
    """The headline: the visible h1 (confirmed by a meta title when there are several),
    else a JSON-LD/meta/<title> title without site decoration."""
    names = site if site is not None else site_and_host(ev, url)
    metas: list[str] = []
    for node in ev.articles:
        for key in ("headline", "name"):
            v = node.get(key)
            if isinstance(v, str) and v.strip():
                metas.append(v)
                break
    for key in _TITLE_META:
        metas.extend(v for v in ev.meta.get(key, ()) if v.strip())
    metas.extend(ev.itemprops.get("headline", [])[:1])
    if ev.title_tag:
        metas.append(ev.title_tag)
    metas = [unescape(m) for m in metas]
    h1s = [h for h in ev.h1 if _headline_like(h.text, names)]
    # an h1 that is the name the page's <title> or og:title puts beside the headline ("Jan's
    # Blog", "Pulse!") is the blog's or section's name, not this article's headline
    named = [h for h in h1s if title_segment_name(h.text, metas)]
    if named:
        names = [*names, *(h.text for h in named)]
        h1s = [h for h in h1s if h not in named]
    h1s.sort(key=lambda p: (not p.in_article, p.order))
    head_texts = [h.text for h in h1s]
    stripped = [strip_decoration(m, names, head_texts) for m in metas]
    keys = {squash(s) for s in stripped if s}
    for h in h1s:
        if squash(h.text) in keys:
            # some pages print the decorated title in the h1 too ("Headline | Opinion")
            return strip_decoration(h.text, names, leading=False) or h.text
    meta_title = next((s for s in stripped if s), None)
    if h1s and (len(h1s) == 1 or h1s[0].in_article):
        head = strip_decoration(h1s[0].text, names, leading=False) or h1s[0].text
        if meta_title is None:
            return head
        # an h1 that is the meta title plus furniture (a date, a byline, a count) glued in
        for s in stripped:
            if s and (core := heading_core(head, s)):
                return core
        # a section kicker glued before the headline the markup states alone
        for s in stripped[: len(stripped) - bool(ev.title_tag)]:
            if s and kicker_before(head, s):
                return s
        # a heading of something else (no word in common with the title the page states
        # twice), or the stated title with characters lost to a wrong encoding
        if found := unrelated_heading(head, stripped) or decoded_as(head, stripped):
            return found
        # a section label or teaser in the h1 loses to the meta title the URL path agrees with
        if slug_prefers(content_words(url_path(url)), meta_title, head):
            return meta_title
        # otherwise the page's own visible headline outranks an SEO title worded differently
        return head
    # a headline cut to a length limit (JSON-LD's) that another stated title gives whole
    return next(
        (s for s in stripped if s and meta_title and truncated_of(meta_title, s)), meta_title
    )
