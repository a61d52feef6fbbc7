"""Choose the byline between what the markup states and what the page shows."""

from __future__ import annotations

import re
from collections.abc import Callable

from transforms.metadata.author_attested import attested
from transforms.metadata.author_markup import (
    dedupe,
    is_handle,
    structured_authors,
    typed_organizations,
)
from transforms.metadata.author_visible import ABOVE_H1, visible_authors
from transforms.metadata.authors import other_roles_removed, split_authors
from transforms.metadata.bylines import unlabelled_byline
from transforms.metadata.html_evidence import HtmlEvidence
from transforms.metadata.organisations import ORG_WORDS, personal, split_people
from transforms.metadata.site import site_and_host
from transforms.metadata.titles import names_match, squash


def choose_authors(
    ev: HtmlEvidence,
    url: str | None = None,
    site: list[str] | None = None,
    page_text: Callable[[], str] = str,
) -> list[str]:
    """Authors from author-specific evidence only, strongest first; [] when none is stated.

    JSON-LD author/creator, then author meta tags (not URLs), itemprop=author, then the
    visible byline: rel=author links, byline/author class elements, a block opening with a
    byline label ("By", "Written by"), a "By Name" line beside the headline (visible ones
    only inside the article or after/just above the headline). An organisation the page
    names as author is kept when it is not the publisher itself, or when the page also shows
    it as the byline. A structured author that is only the site's name or an account handle
    ("KatieS") gives way to a visible byline naming someone else. A structured author the
    page neither shows nor declares in its head (`author_attested`; `page_text` gives the
    visible text) is a CMS record's owner, not a byline.
    """
    site = site if site is not None else site_and_host(ev, url)
    structured = structured_authors(ev, site)
    if structured:
        # people the page neither shows nor declares: the record's owner, not its byline (an
        # organisation credited in the markup is its own column's, never an invented person)
        people, orgs = split_people(structured, typed_organizations(ev), site)
        if people and not attested(ev, people, page_text):
            structured = orgs
    weak = bool(structured) and (
        all(names_match(n, site) for n in structured) or all(map(is_handle, structured))
    )
    if structured and (employer := _employer_byline(ev, structured, site, url)):
        return employer
    if structured and not weak:
        return _fuller_byline(ev, structured) or _shown_instead(ev, structured) or structured
    visible = visible_authors(ev, site if weak else [], url)
    if weak and visible and all(map(personal, visible)):
        return visible
    if structured or visible:
        return structured or visible
    # no writer credited anywhere: the publisher the markup names as author is the byline, an
    # organisation's (`author_organizations`); a person's name on the site is not taken here
    typed = typed_organizations(ev)
    return [
        n
        for n in structured_authors(ev, [])
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
    visible = visible_authors(ev, [], url)
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
    near = [p for p in ev.bylines if p.in_article or p.order >= first_h1 - ABOVE_H1]
    labelled = [p for p in ev.labelled if p.in_article or p.order >= first_h1 - ABOVE_H1]
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
    for found in map(dedupe, candidates):
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
        p for p in ev.bylines + ev.labelled if any(abs(p.order - o) <= ABOVE_H1 for o in heads)
    ]
    texts = [ev.header_text, *(p.text for p in beside)]
    lines = [ln for t in texts for ln in re.sub(r"\b(by:?)\s*\n", r"\1 ", t).split("\n")]
    area = squash(" ".join(map(other_roles_removed, lines)))
    if any(k in area for k in keys):
        return None
    return dedupe(shown_names)


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
