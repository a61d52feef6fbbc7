"""URL canonicalisation, dates stated in URL paths, and site names derived from hosts.

`canonicalize_url` lowercases scheme and host, drops the fragment, default ports and tracking
parameters (utm_*, fbclid, gclid, ...), and keeps everything else: a query parameter may select
the article. `url_date` reads a date written in the path ("/2025/09/04/", "/2025-09-04-",
"/20250904/"); a year and month alone are not a day, so they are not taken.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from transforms.metadata.dates import MIN_YEAR, ParsedDate, _mk

_TRACKING_EXACT = frozenset(
    {"fbclid", "gclid", "dclid", "gclsrc", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid"}
)
_TRACKING_PREFIX = ("utm_",)
_DEFAULT_PORTS = {"http": 80, "https": 443}

_PATH_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})([/_-]?)(?P<m>[01]\d)\2(?P<d>[0-3]\d)(?=[/_.-]|$)")


def canonicalize_url(url: str | None, base: str | None = None) -> str | None:
    """Return a canonical absolute http(s) URL, or None when `url` is not one.

    A relative `url` is resolved against `base` (the fetch URL), as browsers do.
    """
    if not url:
        return None
    return _canonical(url, base)


@lru_cache(maxsize=1024)
def _canonical(url: str, base: str | None) -> str | None:
    # a pure function asked about the same address several times a page (the fetch URL, its
    # canonical link and og:url by the metadata step, the chosen one again when it finalizes)
    url = url.strip()
    if base and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_EXACT and not k.lower().startswith(_TRACKING_PREFIX)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def host_of(url: str | None) -> str | None:
    """The lowercased host without a leading "www."/"m."/"amp.", or None."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host.lower())


def url_date(url: str | None) -> ParsedDate | None:
    """A full date (year, month, day) written in the URL path, or None."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    m = _PATH_DATE.search(path)
    if not m:
        return None
    if not m.group(2) and not re.search(r"/(?:19|20)\d{6}(?:[/_.-]|$)", path):
        return None  # packed digits must stand alone, not be part of a longer id
    day = _mk(int(m["y"]), int(m["m"]), int(m["d"]))
    if day is None or day.year < MIN_YEAR:
        return None
    return ParsedDate(day, "day")


def host_label(url: str | None) -> str | None:
    """The registrable label of the host ("nytimes" for www.nytimes.com), for name matching."""
    host = host_of(url)
    if not host:
        return None
    labels = host.split(".")
    # drop the public suffix roughly: a two-letter country code after a short second level
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else None


def url_path(url: str | None) -> str:
    """The path of `url` with separators as spaces ("" when there is none): the slug words."""
    if not url:
        return ""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return re.sub(r"[/_+.-]+", " ", path)
