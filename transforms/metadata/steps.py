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
Titles, subtitles and site names: `transforms.metadata.headline` and `transforms.metadata.site`.
URL: canonical link, else og:url, else the fetch URL, canonicalised (`transforms.metadata.urls`).

Plain-text documents (`TextMetadataStep`) have no markup: title, subtitle and byline come from
the position and form of the first lines (`transforms.metadata.text_meta`).

`FinalizeMetadataStep` detects the language of the body (py3langid; None for short text),
normalises the date to UTC and drops one later than the fetch time ("future_date_removed"),
and keeps only a canonical http(s) `url` ("url_not_web" when a file:// URI or path is dropped).
"""

from __future__ import annotations

from datetime import UTC
from typing import ClassVar

from transforms.core.record import Article, ContentKind, Drop
from transforms.core.steps import Step
from transforms.metadata.author_attested import visible_text
from transforms.metadata.author_choice import choose_authors
from transforms.metadata.author_markup import typed_organizations
from transforms.metadata.date_choice import choose_date, htmldate_fallback, modified_days
from transforms.metadata.headline import choose_subtitle, choose_title
from transforms.metadata.html_evidence import collect_evidence
from transforms.metadata.language import detect_language
from transforms.metadata.organisations import byline_credits
from transforms.metadata.shown_dates import shown_day, updated_stamp
from transforms.metadata.site import choose_site_name, choose_site_name_from_title, site_and_host
from transforms.metadata.text_meta import extract_text_metadata
from transforms.metadata.urls import canonicalize_url


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
        site = site_and_host(ev, doc.url)
        doc.title = doc.title or choose_title(ev, doc.url, site)
        doc.site_name = doc.site_name or choose_site_name_from_title(ev, doc.title)
        doc.subtitle = doc.subtitle or choose_subtitle(ev, doc.title)
        if not doc.authors and not doc.author_organizations:
            tree = doc.markup.tree
            names = choose_authors(ev, doc.url, site, lambda: visible_text(tree))
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
            "page_type",
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
