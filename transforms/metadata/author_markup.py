"""Authors the markup states: JSON-LD author/creator, author meta tags, itemprop=author.

A name that is the site or publisher itself is dropped unless the page shows it as a byline: CMSs
put the publisher in the author field when no writer is credited.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from transforms.metadata.authors import split_authors
from transforms.metadata.html_evidence import HtmlEvidence, resolve
from transforms.metadata.name_parts import swap_last_first
from transforms.metadata.organisations import personal
from transforms.metadata.site import as_list
from transforms.metadata.titles import names_match, squash

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


def _jsonld_names(ev: HtmlEvidence, value: Any, orgs: set[str] | None = None) -> list[str]:
    """Names of the JSON-LD authors in `value` (strings, Person/Organization objects, lists).

    Names typed as an Organization are added to `orgs` when given.
    """
    names: list[str] = []
    for item in as_list(value):
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


def dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


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


BYLINE_SPAN = 300  # elements between the first byline candidate and a later one


def _company(name: str) -> bool:
    """A registered company ("Acme Inc", "Acme GmbH"): in an author meta tag, the agency or
    platform that built the site, not a writer."""
    return bool(re.search(r"\b(?:inc|llc|ltd|gmbh|corp|plc|s\.?a\.?s?)\.?$", name, re.IGNORECASE))


def is_handle(name: str) -> bool:
    """An account name rather than a person's name: one token, not in name case ("KatieS",
    "jdoe", "admin2")."""
    return " " not in name and not re.fullmatch(r"[A-Z][a-z'’-]+", name)


def structured_authors(ev: HtmlEvidence, site: list[str]) -> list[str]:
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
            return dedupe(names)
    for key in _AUTHOR_META:
        vals = [v for v in ev.meta.get(key, ()) if not v.lower().startswith(("http", "/", "@"))]
        if key in ("citation_author", "dc.creator", "dcterms.creator"):
            vals = [swap_last_first(v) for v in vals]
        names = [n for v in vals for n in split_authors(unescape(v)) if not _company(n)]
        if names := _publisher_unshown(names, ev, site):
            return dedupe(names)
    near = ev.author_props[:3]
    # later ones only close to the first: itemprop=author also marks related stories' bylines
    near = [p for p in near if p.order - near[0].order <= BYLINE_SPAN]
    props = [n for p in near for n in split_authors(p.text)]
    if props := _publisher_unshown(props, ev, site):
        return dedupe(props[:6])
    return []
