"""Bylines an editor puts under the headline without a label, and links to a writer's page.

Many pages print the writer's name on a line of its own under the headline and dek, with no
"By": "Jane Doe" over "March 3, 2025 · 6 min read", "Jane Doe | Senior Writer | July 2, 2025",
"Jane Doe" over "Staff Reporter". A name alone is weak evidence (a caption, a quoted expert, a
related card's author), so the line is taken only when it holds nothing but people's full names
and a date, a reading time or a job title sits on it or right beside it: the form of a byline
block. Single-word names are not taken this way (a section label reads the same).

A link to the writer's own page on the site ("/author/jane-doe") credits that writer when it
sits in the article or after the headline, outside a sentence (a cited expert's staff page) and
on the same site (another site's profile is a source).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from transforms.metadata.authors import split_authors
from transforms.metadata.dates import find_dates
from transforms.metadata.evidence import Positioned
from transforms.metadata.name_parts import is_prose, is_role
from transforms.metadata.organisations import personal
from transforms.metadata.titles import squash

_SEP = re.compile(r"\s+[|•·–—]\s+|\s*[|•·]\s*")
_READ_TIME = re.compile(r"\bmin(?:ute)?s?\b.{0,6}\bread|\bread(?:ing)?\s+time\b", re.IGNORECASE)
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3},?")  # "C." of "Ann C. Lee" is no capitals heading
_CONNECT = re.compile(r"\band\b|[,&]")
_MAX_LINES = 8  # lines after the headline searched: the dek, kicker and byline block
_MAX_LINE = 120  # characters: a longer line is a dek or prose


# a date label whose value the page fills in by script ("Last Updated:" and nothing after)
_DATE_LABEL = re.compile(r"(?:last\s+)?(?:updated|published|posted)(?:\s+on)?\s*:?", re.IGNORECASE)


def _dated(text: str) -> bool:
    return (
        bool(find_dates(text, limit=1))
        or bool(_READ_TIME.search(text))
        or bool(_DATE_LABEL.fullmatch(text.strip()))
    )


def _role_line(text: str) -> bool:
    return len(text) <= 60 and not is_prose(text) and is_role(_SEP.split(text)[0])


def _names_only(line: str) -> tuple[list[str], str] | None:
    """(names, rest) when `line` opens with people's full names and nothing else before a
    separator, a date or a number; `rest` is what follows them on the line."""
    parts = _SEP.split(line)
    # "Dec 26, 2025 • Jane Doe": a leading date segment is the byline block's, not a name
    lead: list[str] = []
    while len(parts) > 1 and (_dated(parts[0]) and not split_authors(parts[0], strict=True)):
        lead.append(parts.pop(0))
    head, rest = parts[0], " | ".join(parts[1:] + lead)
    if (found := find_dates(head, limit=1)) and found[0].start > 0:
        head, rest = head[: found[0].start], head[found[0].start :] + " " + rest
    if m := re.search(r"\s\d", head):
        head, rest = head[: m.start()], head[m.start() :] + " " + rest
    if m := re.search(r"\s+in(?:\s+[A-Z].*)?$", head):
        head = head[: m.start()]  # "Jane Doe in Politics": the section the byline files under
    if any(w.isupper() and len(w) > 1 and not _INITIALS.fullmatch(w) for w in head.split()):
        return None  # "ACME SUMMIT": a heading or a label in capitals, not a name line
    names = split_authors(head, strict=True)
    if not names or not all(map(personal, names)):
        return None
    if squash(_CONNECT.sub(" ", head)) != squash("".join(names)):
        return None  # other words beside the names: a sentence or a label, not a byline
    # co-authors are joined by "and"; "Lisbon, Portugal" is a place. A comma list of three or
    # more full names is a list of authors (a paper's, a report's)
    listed = len(names) >= 3 and all(" " in n for n in names)
    if len(names) > 1 and not re.search(r"\band\b|&", head) and not listed:
        return None
    return names, rest


def unlabelled_byline(after_headline: str) -> list[str]:
    """People named on a line of their own under the headline, beside a date, a reading time
    or a job title; [] when no line has that form."""
    lines = [ln.strip() for ln in after_headline.split("\n") if ln.strip()][:_MAX_LINES]
    for i, line in enumerate(lines):
        if len(line) > _MAX_LINE or (found := _names_only(line)) is None:
            continue
        names, rest = found
        near = lines[max(0, i - 2) : i] + lines[i + 1 : i + 3]
        beside = [ln for ln in near if len(ln) <= _MAX_LINE]
        if (
            _dated(rest)
            or _role_line(rest)
            or any(map(_dated, beside))
            or (i + 1 < len(lines) and _role_line(lines[i + 1]))
        ):
            return names
    return []


_LINK_RUN = 40  # elements between co-authors' links in one byline


def author_page_links(
    links: list[Positioned], start: int, ok: Callable[[list[str]], bool], url: str | None
) -> list[str]:
    """Names linked to the writer's own page on this site, in the article or from element
    `start` on (the headline's block): the first such link and the co-authors' links right
    after it (another writer's page further down is a related story's or a comment's)."""
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")

    def same_site(href: str) -> bool:
        other = urlsplit(href).hostname
        return other is None or other.removeprefix("www.") == host

    near = [p for p in links if (p.in_article or p.order >= start) and same_site(p.attr)]
    for i, first in enumerate(near[:3]):
        names = split_authors(first.text, strict=True)
        if not ok(names):
            continue
        hrefs, last = {first.attr}, first.order
        for p in near[i + 1 :]:
            if p.order - last > _LINK_RUN:
                break
            if p.attr not in hrefs and ok(more := split_authors(p.text, strict=True)):
                names += more
                hrefs.add(p.attr)
                last = p.order
        return list(dict.fromkeys(names))
    return []
