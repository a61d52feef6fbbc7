"""The date a page shows its reader under the headline, against the date in its markup.

A reader dates an article by the line under its headline ("Jane Doe · March 3, 2025"). The
markup usually says the same; when it does not, the shown date is the one the publisher
stands behind today (templates and migrations leave an old or a default `datePublished`).
`byline_date` finds that date: the first date in the header block after the headline, not
labelled as an update and not inside a sentence. `shown_day` answers the time-zone question: a
markup timestamp in UTC (`2023-12-23T03:22:07Z`) and a shown "Dec 22, 2023, 10:22 PM EST" are
the same moment; the day a reader of the page means is the shown one, while `published_at`
keeps the full timestamp.

`updated_stamp` is the last resort for a page that states no publication date at all but
shows when it was last updated ("Last updated on: July 9, 2025" under the headline, a `<time>`
marked updated): that day dates the version the reader has, so it stands for the page's date
(`published_at_source` "updated": a reader who wants publication dates only filters it out), rather than leaving the page undated.
A page that states its publication date anywhere never gets it.
"""

from __future__ import annotations

import re
from datetime import date

from transforms.metadata.dates import ParsedDate, parse_date

_UPDATED = re.compile(r"updat|modif|revis|edited", re.IGNORECASE)
_PUBLISHED = frozenset({"", "on", "published", "posted", "originally published", "created"})
_HEAD_CHARS = 300  # a byline block's date sits in the first lines under the headline


def byline_date(header_dates: list, limit: int = _HEAD_CHARS) -> ParsedDate | None:
    """The first publication date shown under the headline (`HtmlEvidence.header_dates`)."""
    for f in header_dates:
        if f.start > limit:
            break
        if _UPDATED.search(f.label) or f.in_prose:
            continue
        if f.label in _PUBLISHED:
            return f.date
    return None


def shown_day(header_dates: list, found: ParsedDate) -> date | None:
    """The shown day when the page shows `found`'s moment on the neighbouring calendar day (its
    own time zone); None when the page shows no such date or shows the same day."""
    shown = byline_date(header_dates)
    if shown is None or found.precision != "second":
        return None
    day = shown.value.date()
    stated = found.value.date()
    return day if day != stated and abs((day - stated).days) == 1 else None


def replaces_markup(header_dates: list, found: ParsedDate) -> ParsedDate | None:
    """The shown date when it names another day than the markup's, more than a day away (not
    a time-zone shift), and the header block does not show the markup's day as well (an
    updated date beside the published one): what the reader sees under the headline is the
    article's date."""
    shown = byline_date(header_dates)
    if shown is None:
        return None
    stated = found.value.date()
    if any(f.date.value.date() == stated for f in header_dates if f.start <= _HEAD_CHARS):
        return None  # the block shows the markup's day too ("May 21, 2025 April 24, 2025")
    return shown if abs((shown.value.date() - stated).days) > 1 else None


def updated_stamp(header_dates: list, times: list, limit: int = _HEAD_CHARS) -> ParsedDate | None:
    """The update date the page shows its reader: labelled "Updated"/"Last updated" beside the
    headline (`HtmlEvidence.header_dates`/`before_dates`, not inside a sentence), else the first
    `<time>` marked updated/modified (`HtmlEvidence.times` already read in the article or after
    the headline)."""
    for f in header_dates:
        if f.start <= limit and _UPDATED.search(f.label) and not f.in_prose:
            return f.date
    for t in times:
        if _UPDATED.search(t.hint) and (d := parse_date(t.attr) or parse_date(t.text)):
            return d
    return None
