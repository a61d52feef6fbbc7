"""The site's name as the page states it, and the names the site goes by.

og:site_name, else the JSON-LD publisher, else application-name, else the name the `<title>` puts
after the headline; never the host (a host is not a name the page states). The names the site goes
by (stated names and the host label) let the title and byline choices recognise the site itself.
"""

from __future__ import annotations

import re
from typing import Any

from transforms.metadata.html_evidence import HtmlEvidence, resolve
from transforms.metadata.titles import squash, strip_decoration
from transforms.metadata.urls import host_label


def as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _site_names(ev: HtmlEvidence) -> list[str]:
    names: list[str] = []
    if og := ev.meta_first("og:site_name", "application-name", "apple-mobile-web-app-title"):
        names.append(og)
    for node in ev.articles + ev.pages:
        for pub in as_list(node.get("publisher")):
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


def site_and_host(ev: HtmlEvidence, url: str | None) -> list[str]:
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
        for pub in as_list(node.get("publisher")):
            pub = resolve(ev, pub)
            if isinstance(pub, dict) and isinstance(pub.get("name"), str) and pub["name"].strip():
                return " ".join(pub["name"].split())
    return ev.meta_first("application-name")


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
