"""Choose the publication date among the dates a page states, with its provenance."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from transforms.metadata.dates import ParsedDate, parse_date
from transforms.metadata.html_evidence import HtmlEvidence
from transforms.metadata.shown_dates import replaces_markup
from transforms.metadata.site import as_list
from transforms.metadata.urls import url_date

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
            for v in as_list(node.get(key)):
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
        values.extend(v for v in as_list(node.get("dateModified")) if isinstance(v, str))
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
