"""Is the visible heading the page's headline? Two checks against the titles it states.

- An h1 that shares no word with the title the page states in two of its own sources
  (og:title, twitter:title, `<title>`, the JSON-LD headline) is a heading of something else:
  a file name over a code listing, a portfolio's section label, a breadcrumb of categories.
  A reworded SEO title always keeps some of the headline's words; none at all means the two
  name different things, and the title the page states twice is its own.
- An h1 whose characters were lost to a wrong encoding ("Beginner? Guide", a `?` or U+FFFD
  where the stated title has "Beginner's Guide") is the stated title, badly decoded: the
  stated title is the same headline, whole.
"""

from __future__ import annotations

import re

from transforms.metadata.titles import content_words, squash

_LOST = "?\ufffd"  # what a character lost to a wrong encoding is shown as


def unrelated_heading(heading: str, stated: list[str]) -> str | None:
    """The title `stated` gives in two sources when `heading` shares no word with any of
    them (None otherwise). `stated` holds the page's titles with site decoration removed."""
    titles = [s for s in stated if s]
    if not titles or not content_words(heading):
        return None
    if any(content_words(heading) & content_words(s) for s in titles):
        return None
    return next((s for s in _stated_twice(titles) if len(s.split()) >= 2), None)


def _stated_twice(titles: list[str]) -> list[str]:
    """The titles two of the page's sources state alike (letters and digits compared)."""
    keys = [squash(t) for t in titles]
    return [t for i, t in enumerate(titles) if keys[i] and keys[i] in keys[i + 1 :]]


def decoded_as(heading: str, stated: list[str]) -> str | None:
    """The stated title `heading` is with characters lost to encoding (None otherwise):
    each `?`/U+FFFD inside the heading stands for one or two characters of the title,
    everything else is the same; the title is one two of the page's sources state alike."""
    if not any(c in heading for c in _LOST):
        return None
    pattern = "".join(
        r"[^\s]{1,2}" if c in _LOST else r"\s+" if c.isspace() else re.escape(c)
        for c in heading.strip()
    )
    for s in _stated_twice([s for s in stated if s]):
        if s != heading and re.fullmatch(pattern, s.strip(), flags=re.IGNORECASE):
            return s
    return None
