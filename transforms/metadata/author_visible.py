"""The byline a page shows: rel=author links, byline elements, labelled lines, author boxes."""

from __future__ import annotations

import re

from transforms.metadata.author_markup import BYLINE_SPAN, dedupe
from transforms.metadata.authors import other_roles_removed, split_authors
from transforms.metadata.bylines import author_page_links, unlabelled_byline
from transforms.metadata.html_evidence import HtmlEvidence, Positioned
from transforms.metadata.organisations import personal
from transforms.metadata.titles import names_match, squash

ABOVE_H1 = 40  # elements above the headline still in its header block (byline, date)


def visible_authors(ev: HtmlEvidence, skip: list[str], url: str | None = None) -> list[str]:
    """The byline the page shows; candidates naming only `skip` (the site) are passed over."""

    def ok(names: list[str]) -> bool:
        return bool(names) and not (skip and all(names_match(n, skip) for n in names))

    first_h1 = min((h.order for h in ev.h1), default=0)
    labelled = [p for p in ev.labelled if p.in_article or p.order >= first_h1 - ABOVE_H1]
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
        near = [p for p in group if p.in_article or p.order >= first_h1 - ABOVE_H1]
        # later ones only close to the first (not the author list of related stories)
        for p in near[:3]:
            if p.order - near[0].order > BYLINE_SPAN:
                break
            if ok(names := split_authors(p.text, strict=strict)):
                if (
                    lead
                    and p.order > labelled[0].order + _HANDLE_SPAN
                    and not set(names) & set(lead)
                ):
                    return dedupe(lead)
                return dedupe(_linked_inside(ev, p, names))
    if labelled and len({p.text for p in labelled if p.order - labelled[0].order <= 150}) >= 3:
        # three different "By ..." lines close together: a list of items each with its
        # author (a listing page), not the byline of one article
        return []
    # a block that opens with a byline label ("By", "Written by", "Posted by")
    for p in labelled[:2]:
        if ok(names := split_authors(p.text, strict=True)):
            return dedupe(names)
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
            return dedupe(names)
    shown = unlabelled_byline(ev.header_after)
    if names := author_page_links(ev.author_links, first_h1 - ABOVE_H1, ok, url):
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
    linked = dedupe(linked)
    if len(linked) > len(names) and {n.casefold() for n in names} <= {n.casefold() for n in linked}:
        return linked if all(map(personal, linked)) else names
    return names


def _extends(fuller: list[str], names: list[str]) -> bool:
    """Each of `names` is a first name (one word) that one of `fuller` opens with."""
    return all(
        " " not in n and any(f.casefold().startswith(n.casefold() + " ") for f in fuller)
        for n in names
    )
