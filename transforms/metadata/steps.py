"""Metadata stages: title, subtitle, authors, published date, site name, url, language.

Downstream teams filter and join on these fields, so a wrong value is worse than a missing one:
each field is taken from the strongest evidence the document states, and stays None (authors
empty) when nothing states it. Nothing is guessed from the site or from unrelated page parts.

Evidence order for HTML pages (`HtmlMetadataStep`, on the tree before body extraction), first
found wins unless noted:
1. JSON-LD article nodes (NewsArticle, Article, BlogPosting, ... incl. `@graph` and
   `mainEntity`): headline, author(s) (Person/Organization objects, strings, lists, `@id`
   references), datePublished (else dateCreated), publisher.name; WebPage nodes after them.
2. Meta tags: OpenGraph (og:title, og:site_name, og:url, article:published_time,
   article:author when a name, not a URL), Twitter (twitter:title), Dublin Core (dc.title,
   dc.creator, dc.date), citation_*, and common name= tags (author, pubdate, date, ...).
3. itemprop (headline, author, datePublished) in the markup.
4. The visible page: the `<h1>` heading (without one, the h2 that states the page title);
   byline evidence (rel=author links, then elements whose class/id says author/byline or an
   `<address>` in the article, then blocks opening with a byline label: "By", "Written by",
   "Posted by", "Author:", "Contributors:", then a "By Name" run beside the headline),
   outside asides/navs/page footers/related lists/link-preview cards, in the article or
   after (or just above) the headline; then a link to the writer's page on this site
   ("/author/jane-doe", not inside a sentence), then an unlabelled name line under the
   headline beside a date, reading time or job title (`transforms.metadata.bylines`);
   `<time datetime>` inside the article or after the
   headline (not those marked updated/modified); dates shown beside the headline (250
   characters above it, 600 below), with their label.
5. The URL: a date written in the path (/2025/09/04/).
6. htmldate's markup heuristics (fast mode, original date), only when nothing above gives a
   date (provenance "htmldate"; `metadata.metadata_htmldate` turns it off,
   `metadata_htmldate_extensive` adds its free-text search).
7. Text cues, in `TextMetadataStep`: a "By Name" line leading the body, an explicit date in
   a dateline.
Authors are people: the byline's organisations (an agency, a desk, a "Staff" or "Team" byline,
a JSON-LD Organization) go to `author_organizations`, and an organisation named beside people is
their employer and left out (`transforms.metadata.organisations`).
Exceptions to "first found wins", each for a stated reason:
- Dates: a date shown beside the headline with a "Published"/"Posted" label outranks the
  markup (it is both visible and explicit); an unlabelled shown date comes after the URL; a
  date labelled "Updated"/"Last updated" is never taken as the publication date, and neither
  is an htmldate result that falls on the page's updated/modified day ("updated_date_not_
  published"); a datePublished on the modified day (CMSs that rewrite it on every save)
  gives way to an earlier date shown at the headline (provenance "text"); a markup date
  that a date shown under the headline contradicts by more than a day gives way to it, and a
  timestamp the page shows on the neighbouring day (its own time zone) keeps its moment in
  `published_at` while `published_date` is the shown day (`transforms.metadata.shown_dates`);
  `<time>`/itemprop dates in captions, comments and related cards are not the article's;
  a page that states no publication date at all is dated by the update stamp it shows,
  with provenance "updated" (`shown_dates.updated_stamp`).
- Authors: a name that is the site or publisher itself (og:site_name, JSON-LD publisher, host
  name) is dropped unless the page also shows it in a byline: CMSs put the publisher in the
  author field when no writer is credited. A structured author that is only the site name
  or an account handle gives way to a visible byline naming a person; an author meta tag
  stating the JSON-LD byline more fully wins; a company (Inc, LLC) in an author meta tag is
  not a writer. Visible bylines must be capitalised names (`split_authors(strict=True)`);
  bare single words in author boxes are not taken; a byline labelled "Reviewed by" is not
  the author; three different "By" lines close together are a listing, not a byline; a "By"
  line under the headline naming other people than a markup author it does not show wins.
Titles: the `<h1>` (not the site's own name) wins when it matches a meta/JSON-LD title up to
decoration, or when it is the article's only/first in-article heading; otherwise the JSON-LD
headline, og:title, twitter:title, `<title>`, each with site decoration stripped
(`transforms.metadata.titles`). Trailing decoration is stripped from the h1 too; an h1 that is a meta
title plus glued furniture (a date, a byline, a count, a "Blog:" label) gives that title; an
h1 worded differently from the meta title loses to it only when the URL path clearly sides
with the meta title (`titles.slug_prefers`: a section label such as "Blog" in the h1). URL: canonical link, else og:url, else the fetch URL, canonicalised
(`transforms.metadata.urls`). Site name: og:site_name, else JSON-LD publisher name, else
application-name, else the name the <title> puts after the headline; it is never derived from
the host (a host is not a name the page states). An h1 that is that name (the blog's or
section's) is not the headline, nor is a section kicker glued before the headline the markup
states alone. Subtitle: the dek the page shows under the headline (an element named dek,
standfirst, subtitle; else og:description/description when it is a line of its own there).

Plain-text documents (`TextMetadataStep`) have no markup: title, subtitle and byline come from
the position and form of the first lines (`transforms.metadata.text_meta`).

`FinalizeMetadataStep` detects the language of the body (py3langid; None for short text),
normalises the date to UTC and drops one later than the fetch time ("future_date_removed"),
and keeps only a canonical http(s) `url` ("url_not_web" when a file:// URI or path is dropped).
"""

from __future__ import annotations

import re
from datetime import UTC, date
from html import unescape
from typing import Any, ClassVar

from transforms.core.record import Article, ContentKind, Drop
from transforms.core.steps import Step
from transforms.metadata.authors import other_roles_removed, split_authors, swap_last_first
from transforms.metadata.bylines import author_page_links, unlabelled_byline
from transforms.metadata.dates import ParsedDate, parse_date
from transforms.metadata.html_evidence import (
    HtmlEvidence,
    Positioned,
    collect_evidence,
    resolve,
)
from transforms.metadata.language import detect_language
from transforms.metadata.organisations import ORG_WORDS, byline_credits, personal, split_people
from transforms.metadata.shown_dates import replaces_markup, shown_day, updated_stamp
from transforms.metadata.text_meta import extract_text_metadata
from transforms.metadata.titles import (
    content_words,
    heading_core,
    kicker_before,
    names_match,
    slug_prefers,
    squash,
    strip_decoration,
    title_segment_name,
)
from transforms.metadata.urls import canonicalize_url, host_label, url_date, url_path

_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "article.published",
    "article:published",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "originalpublicationdate",
    "published",
    "date_published",
    "pub_date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "modified_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "sailthru.author",
    "parsely-author",
    "byl",
    "twitter:creator:name",
)
_TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "headline")


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _jsonld_names(ev: HtmlEvidence, value: Any, orgs: set[str] | None = None) -> list[str]:
    """Names of the JSON-LD authors in `value` (strings, Person/Organization objects, lists).

    Names typed as an Organization are added to `orgs` when given.
    """
    names: list[str] = []
    for item in _as_list(value):
        item = resolve(ev, item)
        if isinstance(item, str):
            if not item.lower().startswith(("http://", "https://", "/")):
                names.extend(split_authors(item))
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str):
                found = split_authors(name)
                names.extend(found)
                if orgs is not None and "organization" in str(item.get("@type", "")).lower():
                    orgs.update(found)
            elif item.get("givenName") or item.get("familyName"):
                full = f"{item.get('givenName', '')} {item.get('familyName', '')}"
                names.extend(split_authors(full))
    return names


def typed_organizations(ev: HtmlEvidence) -> set[str]:
    """Names the JSON-LD types as an Organization among the article's authors and creators."""
    orgs: set[str] = set()
    for node in ev.articles:
        for key in ("author", "creator"):
            _jsonld_names(ev, node.get(key), orgs)
    return orgs


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def _site_names(ev: HtmlEvidence) -> list[str]:
    names: list[str] = []
    if og := ev.meta_first("og:site_name", "application-name", "apple-mobile-web-app-title"):
        names.append(og)
    for node in ev.articles + ev.pages:
        for pub in _as_list(node.get("publisher")):
            pub = resolve(ev, pub)
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                names.append(pub["name"])
    for node in ev.graph.values():
        if node.get("@type") in ("Organization", "NewsMediaOrganization", "WebSite") and isinstance(
            node.get("name"), str
        ):
            names.append(node["name"])
    # a "site name" that is the page's own title (a misfilled og:site_name) names nothing
    titles = {squash(t) for t in (ev.title_tag, ev.meta_first("og:title")) if t}
    return [
        " ".join(n.split())
        for n in names
        if n and n.strip() and len(n.split()) <= 8 and squash(n) not in titles
    ]


def _site_and_host(ev: HtmlEvidence, url: str | None) -> list[str]:
    """The names the site goes by: stated site/publisher names and the host label."""
    names = _site_names(ev)
    if label := host_label(url):
        names.append(label)
    return names


def choose_site_name(ev: HtmlEvidence) -> str | None:
    """og:site_name, else the JSON-LD publisher, else application-name; never the host."""
    og = ev.meta_first("og:site_name")
    if og:
        return strip_decoration(og, [], None)
    for node in ev.articles + ev.pages:
        for pub in _as_list(node.get("publisher")):
            pub = resolve(ev, pub)
            if isinstance(pub, dict) and isinstance(pub.get("name"), str) and pub["name"].strip():
                return " ".join(pub["name"].split())
    return ev.meta_first("application-name")


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


def choose_site_name_from_title(ev: HtmlEvidence, title: str | None) -> str | None:
    """The name the page's <title> puts after the headline ("Headline | Lantern Post"): its
    last segment, a few words, when the rest is the chosen headline."""
    if not ev.title_tag or not title:
        return None
    parts = [p.strip() for p in _TITLE_SEP.split(" ".join(ev.title_tag.split())) if p.strip()]
    if len(parts) < 2 or len(parts[-1].split()) > 6:
        return None
    head = squash(" ".join(parts[:-1]))
    return parts[-1] if head == squash(title) or squash(parts[0]) == squash(title) else None


_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::)\s+")


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
    names = site if site is not None else _site_and_host(ev, url)
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
        # a section label or teaser in the h1 loses to the meta title the URL path agrees with
        if slug_prefers(content_words(url_path(url)), meta_title, head):
            return meta_title
        # otherwise the page's own visible headline outranks an SEO title worded differently
        return head
    return meta_title


def _publisher_unshown(
    names: list[str],
    ev: HtmlEvidence,
    site: list[str],
    orgs: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Drop names that are the site/publisher itself unless the page shows them as a byline.

    Many CMSs fill the author field with the publisher when no writer is credited; such a
    name is only a byline when it is also visible beside the headline or in a byline element.
    A full personal name ("Jane Doe" on janedoe.com) is kept: a personal site is named after
    its author; a JSON-LD Organization or a brand-like name ("Acme Data", "Acme") is not.
    """
    shown = squash(
        " ".join([ev.header_byline or "", *(b.text for b in ev.bylines + ev.rel_authors)])
    )
    return [
        n
        for n in names
        if (personal(n) and n not in orgs) or not names_match(n, site) or squash(n) in shown
    ]


_BYLINE_SPAN = 300  # elements between the first byline candidate and a later one
_ABOVE_H1 = 40  # elements above the headline still in its header block (byline, date)


def choose_authors(
    ev: HtmlEvidence, url: str | None = None, site: list[str] | None = None
) -> list[str]:
    """Authors from author-specific evidence only, strongest first; [] when none is stated.

    JSON-LD author/creator, then author meta tags (not URLs), itemprop=author, then the
    visible byline: rel=author links, byline/author class elements, a block opening with a
    byline label ("By", "Written by"), a "By Name" line beside the headline (visible ones
    only inside the article or after/just above the headline). An organisation the page
    names as author is kept when it is not the publisher itself, or when the page also shows
    it as the byline. A structured author that is only the site's name or an account handle
    ("KatieS") gives way to a visible byline naming someone else.
    """
    site = site if site is not None else _site_and_host(ev, url)
    structured = _structured_authors(ev, site)
    weak = bool(structured) and (
        all(names_match(n, site) for n in structured) or all(map(_handle, structured))
    )
    if structured and (employer := _employer_byline(ev, structured, site, url)):
        return employer
    if structured and not weak:
        return _fuller_byline(ev, structured) or _shown_instead(ev, structured) or structured
    visible = _visible_authors(ev, site if weak else [], url)
    if weak and visible and all(map(personal, visible)):
        return visible
    if structured or visible:
        return structured or visible
    # no writer credited anywhere: the publisher the markup names as author is the byline, an
    # organisation's (`author_organizations`); a person's name on the site is not taken here
    typed = typed_organizations(ev)
    return [
        n
        for n in _structured_authors(ev, [])
        if names_match(n, site) and (n in typed or not personal(n))
    ]


def _employer_byline(
    ev: HtmlEvidence, structured: list[str], site: list[str], url: str | None
) -> list[str] | None:
    """The visible byline when the markup credits only an organisation and the byline the
    reader sees names people with that organisation beside them ("Jane Doe, Director of
    Research, Acme Institute" against an author field "Acme"): both sources agree, and the
    organisation is the writers' employer."""
    people, orgs = split_people(structured, typed_organizations(ev), site)
    if people or not orgs:
        return None
    visible = _visible_authors(ev, [], url)
    shown_people, shown_orgs = split_people(visible, typed_organizations(ev), site)
    shown = squash(" ".join(shown_orgs))
    if shown_people and all(squash(o) in shown for o in orgs):
        return visible
    return None


def _fuller_byline(ev: HtmlEvidence, names: list[str]) -> list[str] | None:
    """The visible byline beside the headline when it states `names` more fully: markup
    often lists only the first of several authors the page credits ("Ann Lee, Bo Chen"),
    as one byline, as a run of byline elements of the same kind and form, or as a name line
    under the headline (`bylines.unlabelled_byline`). Only people's full names count (not
    "Acme Health Watch" after a job title). Links to writers' pages do not count: an editor's
    or reviewer's page is linked beside the writer's."""
    first_h1 = min((h.order for h in ev.h1), default=0)
    near = [p for p in ev.bylines if p.in_article or p.order >= first_h1 - _ABOVE_H1]
    labelled = [p for p in ev.labelled if p.in_article or p.order >= first_h1 - _ABOVE_H1]
    candidates = [split_authors(p.text, strict=True) for p in labelled[:1] + near[:1]]
    if near:
        # consecutive byline elements of the same kind and form: one name each
        run = [near[0]]
        for p in near[1:10]:
            prev = run[-1]
            if (
                p.attr != prev.attr
                or p.order - prev.order > 20
                or bool(_BY_START.match(p.text)) != bool(_BY_START.match(prev.text))
            ):
                break
            run.append(p)
        if len(run) > 1:
            candidates.append([n for p in run for n in split_authors(p.text, strict=True)])
    candidates.append(unlabelled_byline(ev.header_after))
    have = {n.casefold() for n in names}
    for found in map(_dedupe, candidates):
        if have < {n.casefold() for n in found} and len(found) <= 8 and all(map(_full_name, found)):
            return found
    return None


def _shown_instead(ev: HtmlEvidence, names: list[str]) -> list[str] | None:
    """The "By ..." byline printed under the headline when it names other people than the
    markup and the markup's names are shown nowhere in the byline area: the reader's byline
    and the page's own byline elements agree against a single author field (a CMS account,
    a template's default author)."""
    shown_names = [n for n in split_authors(ev.header_byline or "", strict=True) if " " in n]
    if not shown_names or not all(map(personal, shown_names)):
        return None
    keys = {squash(n) for n in names}
    if keys & {squash(n) for n in shown_names}:
        return None
    # the markup's name shown as another contributor ("Reviewed by ...") does not count, nor
    # one shown only at the article's foot (a CMS account's "Posted by")
    heads = [h.order for h in ev.h1]
    beside = [
        p for p in ev.bylines + ev.labelled if any(abs(p.order - o) <= _ABOVE_H1 for o in heads)
    ]
    texts = [ev.header_text, *(p.text for p in beside)]
    lines = [ln for t in texts for ln in re.sub(r"\b(by:?)\s*\n", r"\1 ", t).split("\n")]
    area = squash(" ".join(map(other_roles_removed, lines)))
    if any(k in area for k in keys):
        return None
    return _dedupe(shown_names)


_BY_START = re.compile(r"\s*(?:\w+\s+)?by\b", re.IGNORECASE)


def _full_name(name: str) -> bool:
    """Two to four capitalised words (particles such as "van der" aside), no company word."""
    words = name.split()
    caps = [w for w in words if w[:1].isupper()]
    return (
        2 <= len(caps) <= 4
        and len(words) <= 6
        and not any(w.lower().strip(".,") in ORG_WORDS for w in words)
    )


def _company(name: str) -> bool:
    """A registered company ("Acme Inc", "Acme GmbH"): in an author meta tag, the agency or
    platform that built the site, not a writer."""
    return bool(re.search(r"\b(?:inc|llc|ltd|gmbh|corp|plc|s\.?a\.?s?)\.?$", name, re.IGNORECASE))


def _handle(name: str) -> bool:
    """An account name rather than a person's name: one token, not in name case ("KatieS",
    "jdoe", "admin2")."""
    return " " not in name and not re.fullmatch(r"[A-Z][a-z'’-]+", name)


def _structured_authors(ev: HtmlEvidence, site: list[str]) -> list[str]:
    """JSON-LD author/creator, else author meta tags, else itemprop=author."""
    for node in ev.articles:
        orgs: set[str] = set()
        names = _jsonld_names(ev, node.get("author"), orgs) or _jsonld_names(
            ev, node.get("creator"), orgs
        )
        if names := _publisher_unshown(names, ev, site, orgs):
            # the author meta tag may state the same byline more fully ("Ann & Bo")
            for v in ev.meta.get("author", ()):
                fuller = split_authors(unescape(v))
                if {n.casefold() for n in names} < {n.casefold() for n in fuller}:
                    names = fuller
                    break
            return _dedupe(names)
    for key in _AUTHOR_META:
        vals = [v for v in ev.meta.get(key, ()) if not v.lower().startswith(("http", "/", "@"))]
        if key in ("citation_author", "dc.creator", "dcterms.creator"):
            vals = [swap_last_first(v) for v in vals]
        names = [n for v in vals for n in split_authors(unescape(v)) if not _company(n)]
        if names := _publisher_unshown(names, ev, site):
            return _dedupe(names)
    near = ev.author_props[:3]
    # later ones only close to the first: itemprop=author also marks related stories' bylines
    near = [p for p in near if p.order - near[0].order <= _BYLINE_SPAN]
    props = [n for p in near for n in split_authors(p.text)]
    if props := _publisher_unshown(props, ev, site):
        return _dedupe(props[:6])
    return []


def _visible_authors(ev: HtmlEvidence, skip: list[str], url: str | None = None) -> list[str]:
    """The byline the page shows; candidates naming only `skip` (the site) are passed over."""

    def ok(names: list[str]) -> bool:
        return bool(names) and not (skip and all(names_match(n, skip) for n in names))

    first_h1 = min((h.order for h in ev.h1), default=0)
    labelled = [p for p in ev.labelled if p.in_article or p.order >= first_h1 - _ABOVE_H1]
    # a "By Jane Doe" line right under the headline, before any byline element: the byline
    # elements after it are the article foot's or a CMS account's ("Posted by admin")
    lead = next(
        (
            names
            for p in labelled[:1]
            if any(0 <= p.order - h.order <= _HANDLE_SPAN for h in ev.h1)
            and ok(names := split_authors(p.text, strict=True))
            and all(map(personal, names))
        ),
        None,
    )
    for group, strict in ((ev.rel_authors, False), (ev.bylines, True)):
        # a byline sits in the article, after the headline or just above it; the first few
        # such elements are tried (a date or "Insights from" label box may come first)
        near = [p for p in group if p.in_article or p.order >= first_h1 - _ABOVE_H1]
        # later ones only close to the first (not the author list of related stories)
        for p in near[:3]:
            if p.order - near[0].order > _BYLINE_SPAN:
                break
            if ok(names := split_authors(p.text, strict=strict)):
                if (
                    lead
                    and p.order > labelled[0].order + _HANDLE_SPAN
                    and not set(names) & set(lead)
                ):
                    return _dedupe(lead)
                return _dedupe(_linked_inside(ev, p, names))
    if labelled and len({p.text for p in labelled if p.order - labelled[0].order <= 150}) >= 3:
        # three different "By ..." lines close together: a list of items each with its
        # author (a listing page), not the byline of one article
        return []
    # a block that opens with a byline label ("By", "Written by", "Posted by")
    for p in labelled[:2]:
        if ok(names := split_authors(p.text, strict=True)):
            return _dedupe(names)
    for p in labelled[:1]:
        # "by jdoe2" on a line of its own right under the headline: the writer's account
        # name, labelled as the byline
        near_h1 = any(0 <= p.order - h.order <= _HANDLE_SPAN for h in ev.h1)
        if near_h1 and (m := _BY_HANDLE.fullmatch(p.text.strip())) and ok([m.group(1)]):
            return [m.group(1)]
    if ev.header_byline:
        # free text beside the headline: only full names (two or more words) are trusted
        names = [n for n in split_authors(ev.header_byline, strict=True) if " " in n]
        if ok(names):
            return _dedupe(names)
    shown = unlabelled_byline(ev.header_after)
    if names := author_page_links(ev.author_links, first_h1 - _ABOVE_H1, ok, url):
        # "Articles by Jane" links the writer's page by a first name the byline states whole
        if ok(shown) and _extends(shown, names):
            return shown
        return names
    names = shown
    # a repeat of a heading under it ("Scalable Interpretability" over "by jdoe") is no name
    headings = {squash(h.text) for h in ev.h1}
    if ok(names) and not any(squash(n) in headings for n in names):
        return names
    # last, an author box after the headline: one person's name over a bio about them (several
    # such boxes are a list of people the article profiles)
    boxes = {p.text for p in ev.author_boxes if p.order > first_h1}
    return list(boxes) if len(boxes) == 1 and ok(list(boxes)) else []


_HANDLE_SPAN = 20  # elements after the headline: the byline block right under it
# an account name after "by": lower case, or with digits or separators ("jdoe", "j_doe2")
_BY_HANDLE = re.compile(r"(?:(?:written|posted)\s+)?by:?\s+((?-i:[a-z][a-z0-9_.-]{2,29}))", re.I)


def _linked_inside(ev: HtmlEvidence, byline: Positioned, names: list[str]) -> list[str]:
    """The writers linked inside a byline element that also holds their bios ("Written by
    <a>Ann Lee</a>, 4+ years covering laptops, <a>Bo Chen</a>, senior editor"): the bio
    stops the text's parse at the first name, the links to their pages name them all."""
    own = squash(other_roles_removed(byline.text))  # not the reviewer linked beside them
    linked = [
        n
        for a in ev.author_links
        if 0 < a.order - byline.order <= _HANDLE_SPAN and squash(a.text) in own
        for n in split_authors(a.text, strict=True)
    ]
    linked = _dedupe(linked)
    if len(linked) > len(names) and {n.casefold() for n in names} <= {n.casefold() for n in linked}:
        return linked if all(map(personal, linked)) else names
    return names


def _extends(fuller: list[str], names: list[str]) -> bool:
    """Each of `names` is a first name (one word) that one of `fuller` opens with."""
    return all(
        " " not in n and any(f.casefold().startswith(n.casefold() + " ") for f in fuller)
        for n in names
    )


_PUBLISHED_LABELS = frozenset({"published", "posted", "originally published", "created", "written"})
_UPDATED = re.compile(r"updat|modif|revis|edited", re.IGNORECASE)
_PUBLISH_HINT = re.compile(r"publish|pubdate|posted", re.IGNORECASE)


def choose_date(ev: HtmlEvidence, url: str | None) -> tuple[ParsedDate, str] | None:
    """The publication date and its provenance, from the strongest evidence that parses.

    A date the page shows beside its headline with a "Published"/"Posted" label comes first
    (it is both visible and explicit); then JSON-LD, meta, itemprop, `<time>` (not the ones
    marked as updated/modified), the URL path, and last an unlabelled date shown beside the
    headline. A date labelled "Updated" is never taken as the publication date.
    """
    shown = ev.header_dates + ev.before_dates
    for f in shown:
        if f.label in _PUBLISHED_LABELS:
            return f.date, "text"
    for node in ev.articles + ev.pages:
        for key in ("datePublished", "dateCreated"):
            for v in _as_list(node.get(key)):
                if isinstance(v, str) and (d := parse_date(v, human=False) or parse_date(v)):
                    return _against_shown(ev, d, "jsonld")
    for key in _DATE_META:
        for v in ev.meta.get(key, ()):
            if d := parse_date(v, human=False) or parse_date(v):
                return _against_shown(ev, d, "meta")
    for v in ev.itemprops.get("datePublished", [])[:2]:
        if d := parse_date(v):
            return d, "meta"
    first_h1 = min((h.order for h in ev.h1), default=0)
    times = [t for t in ev.times if (t.in_article or t.order >= first_h1)]
    times.sort(key=lambda t: not _PUBLISH_HINT.search(t.hint))
    for t in times:
        if _UPDATED.search(t.hint):
            continue
        if d := parse_date(t.attr) or parse_date(t.text):
            return d, "time_element"
    if d := url_date(url):
        return d, "url"
    for f in ev.header_dates + ev.before_dates[::-1]:
        if (not f.label or f.label == "on") and not f.in_prose:
            return f.date, "text"
    return None


def _against_shown(ev: HtmlEvidence, found: ParsedDate, source: str) -> tuple[ParsedDate, str]:
    """A markup date checked against the date shown under the headline (`shown_dates`)."""
    if e := _shown_earlier(ev, found):
        return e, "text"
    if e := replaces_markup(ev.header_dates, found):
        return e, "text"
    return found, source


def modified_days(ev: HtmlEvidence) -> set[date]:
    """The days the page labels as updated/modified (meta, JSON-LD dateModified, a <time> or
    a shown date labelled so): a date on one of them is not evidence of publication."""
    values: list[str] = [v for k in _MODIFIED_META for v in ev.meta.get(k, ())]
    for node in ev.articles + ev.pages:
        values.extend(v for v in _as_list(node.get("dateModified")) if isinstance(v, str))
    values.extend(t.attr or t.text for t in ev.times if _UPDATED.search(t.hint))
    days = {d.value.date() for v in values if (d := parse_date(v, human=False) or parse_date(v))}
    days.update(
        f.date.value.date() for f in ev.header_dates + ev.before_dates if _UPDATED.search(f.label)
    )
    return days


def _shown_earlier(ev: HtmlEvidence, found: ParsedDate) -> ParsedDate | None:
    """A date shown beside the headline (unlabelled or "Published", not inside a sentence), or
    a `<time>` marked as the publication date, at least two days before `found`, when `found`
    is also the page's modified day: CMSs that rewrite datePublished on every save leave the
    visible date as the only trace of the first publication."""
    earlier: list[ParsedDate] = [
        f.date
        for f in ev.header_dates + ev.before_dates[::-1]
        if f.label in ("", "on", *_PUBLISHED_LABELS) and not f.in_prose
    ]
    for t in ev.times:
        marked = _PUBLISH_HINT.search(t.hint) and not _UPDATED.search(t.hint)
        if marked and (d := parse_date(t.attr) or parse_date(t.text)):
            earlier.append(d)
    for d in earlier:
        if (found.value - d.value).days >= 2:
            # checked last: most pages show no earlier date, and this parses several values
            return d if found.value.date() in modified_days(ev) else None
    return None


def htmldate_fallback(tree: Any, url: str | None, extensive: bool = False) -> ParsedDate | None:
    """htmldate's heuristics (original date), when nothing else states one.

    Fast mode reads markup only (about 60% right on the dev pages where it fires); extensive
    mode also searches free page text: on the dev pages it adds ten right dates for nine wrong
    ones and dates three in four pages whose labels have none, so it is off by default.

    It copies the tree before pruning it, so the shared tree is left intact. It is the costliest
    part of `html_metadata`, paid only by the pages where no other evidence states a date
    (`benchmarks.stage_cpu --profile`; figures in docs/performance.md).
    """
    from htmldate import find_date

    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=extensive)
    except Exception:  # a heuristic library must not fail the document
        return None
    return parse_date(found, human=False) if found else None


class HtmlMetadataStep(Step):
    """Fill title, authors, date, site name and url from the parsed HTML tree."""

    name = "html_metadata"
    section = "metadata"
    applies_to: ClassVar[frozenset[ContentKind]] = frozenset({"html"})
    # title, authors, site name and date are read to be filled only while still unknown
    reads = frozenset(
        {
            "tree",
            "url",
            "site_name",
            "title",
            "subtitle",
            "authors",
            "author_organizations",
            "published_at",
        }
    )
    writes = frozenset(
        {
            "url",
            "site_name",
            "title",
            "subtitle",
            "authors",
            "author_organizations",
            "published_at",
            "published_at_precision",
            "published_at_source",
            "published_date",
        }
    )

    def apply(self, doc: Article) -> Drop | None:
        if doc.markup.tree is None:
            return None
        ev = collect_evidence(doc.markup.tree)
        fetch_url = canonicalize_url(doc.url)
        canon = canonicalize_url(ev.canonical, fetch_url) or canonicalize_url(
            ev.meta_first("og:url"), fetch_url
        )
        if canon and canon != fetch_url:
            doc.url = canon
            doc.note("url_canonical")
        elif fetch_url:
            doc.url = fetch_url
        doc.site_name = doc.site_name or choose_site_name(ev)
        site = _site_and_host(ev, doc.url)
        doc.title = doc.title or choose_title(ev, doc.url, site)
        doc.site_name = doc.site_name or choose_site_name_from_title(ev, doc.title)
        doc.subtitle = doc.subtitle or choose_subtitle(ev, doc.title)
        if not doc.authors and not doc.author_organizations:
            names = choose_authors(ev, doc.url, site)
            doc.authors, doc.author_organizations = byline_credits(
                names, typed_organizations(ev) if names else (), site
            )
        if doc.published_at is None:
            found = choose_date(ev, doc.url)
            if found is None and self.settings.metadata_htmldate:
                hd = htmldate_fallback(
                    doc.markup.tree, doc.url, self.settings.metadata_htmldate_extensive
                )
                # htmldate falls back to an "updated" date when no other is stated; that day
                # is when the page last changed, not when it was published
                if hd is not None and hd.value.date() in modified_days(ev):
                    doc.note("updated_date_not_published")
                    hd = None
                found = (hd, "htmldate") if hd else None
            if found is None:
                first_h1 = min((h.order for h in ev.h1), default=0)
                times = [t for t in ev.times if t.in_article or t.order >= first_h1]
                if upd := updated_stamp(ev.header_dates + ev.before_dates, times):
                    found = (upd, "updated")
            if found is not None:
                parsed, source = found
                doc.published_at = parsed.value
                doc.published_at_precision = parsed.precision
                doc.published_at_source = source
                # the moment stays as stated; the day is the one the page shows its reader
                doc.published_date = shown_day(ev.header_dates, parsed)
        return None


class TextMetadataStep(Step):
    """Headline, standfirst, byline and agency line from the first and last lines of the text."""

    name = "text_metadata"
    reads = frozenset(
        {
            "text",
            "content_kind",
            "title",
            "subtitle",
            "authors",
            "author_organizations",
            "published_at",
        }
    )
    writes = frozenset(
        {
            "text",
            "title",
            "subtitle",
            "authors",
            "author_organizations",
            "published_at",
            "published_at_precision",
            "published_at_source",
        }
    )

    def apply(self, doc: Article) -> Drop | None:
        extract_text_metadata(doc)
        return None


class FinalizeMetadataStep(Step):
    """Language of the body; published day as stated, time in UTC, never after the fetch time."""

    name = "finalize_metadata"
    section = "metadata"
    reads = frozenset({"url", "published_at", "published_date", "fetched_at", "text"})
    writes = frozenset(
        {
            "url",
            "published_at",
            "published_date",
            "published_at_precision",
            "published_at_source",
            "language",
        }
    )

    def apply(self, doc: Article) -> Drop | None:
        # `url` holds a web address or null: a record's file:// URI or bare path is not one
        # (and a reader of the dataset must not be handed a local path to open)
        if doc.url is not None:
            url = canonicalize_url(doc.url)
            if url is None:
                doc.note("url_not_web")
            doc.url = url
        if doc.published_at is not None:
            # the calendar day the publisher states, before the time moves to UTC (9 pm in New
            # York is the next day in UTC; readers filtering by day want the stated one)
            doc.published_date = doc.published_date or doc.published_at.date()
            if doc.published_at.tzinfo is None:
                doc.published_at = doc.published_at.replace(tzinfo=UTC)
            doc.published_at = doc.published_at.astimezone(UTC)
            if doc.fetched_at is not None and doc.published_at > doc.fetched_at:
                doc.published_at = None
                doc.published_date = None
                doc.published_at_precision = None
                doc.published_at_source = None
                doc.note("future_date_removed")
        doc.language = detect_language(doc.text, self.settings.language_min_chars)
        return None
