"""Lines that recur across the articles of one site in a batch: page chrome, not article text.

A newsletter pitch, a "Follow us" line or a standing disclaimer that survived extraction and
line cleaning is printed in every article a site publishes; an article's own sentences are not.
So within one batch (a shard), documents are grouped by site (the URL's host; without a URL,
the folder the file came from) and a short paragraph found in at least `min_docs` documents of
a group, and in at least `min_share` of them (a generic subheading such as "Conclusion" is in
a few articles, chrome in most), is removed from all of them.

Copies of one story (a wire story saved five times, edited or truncated versions of a page
fetched on several days) share most of their lines, so every one of their lines would look
"recurring": a document more than `max_shared` of whose paragraphs are frequent in its group
is treated as a copy and not counted, and among the other documents a line must appear beside
`min_docs` different ledes (longest paragraphs). The lines found are then removed from every
document of the site, copies included, so copies stay alike for deduplication. A document whose every paragraph recurs is left as it is (the quality gate
judges it).

`RecurringLinesStep` is a `BatchStep`: `run_steps` applies it to the documents that reached it
together. A single document (as `make eval` runs them) is never changed.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Sequence

from transforms.clean.line_features import normalise_line
from transforms.core.record import Article
from transforms.core.steps import BatchStep
from transforms.core.words import count_words
from transforms.metadata.urls import host_of

REASON = "recurring_line_removed"


def site_key(doc: Article) -> str:
    """The group a document's chrome is shared with: its site, else its source folder."""
    host = host_of(doc.url)
    if host:
        return f"host:{host}"
    return f"dir:{posixpath.dirname(doc.source_path)}"


def chrome_lines(
    docs: Sequence[Article], min_docs: int, max_words: int, max_shared: float, min_share: float
) -> list[frozenset[str]]:
    """For each document of `docs`, the normalised paragraphs that are chrome on its site (see
    the module docstring); an empty set where nothing recurs."""
    keys = [[normalise_line(p) for p in doc.paragraphs] for doc in docs]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        if keys[i]:
            groups[site_key(doc)].append(i)
    found: list[frozenset[str]] = [frozenset()] * len(docs)
    for members in groups.values():
        if len(members) < min_docs:
            continue
        df = Counter(k for i in members for k in set(keys[i]))
        originals = [
            i
            for i in members
            if sum(df[k] >= min_docs for k in keys[i]) <= max_shared * len(keys[i])
        ]
        ledes_by_line: dict[str, set[str]] = defaultdict(set)
        for i in originals:
            lede = max(keys[i], key=len)
            for k in set(keys[i]):
                if k != lede and df[k] >= min_docs and count_words(k) <= max_words:
                    ledes_by_line[k].add(lede)
        # chrome is on most of a site's pages; a generic subheading ("Conclusion") is in a few
        need = max(min_docs, min_share * len(originals))
        lines = frozenset(k for k, ledes in ledes_by_line.items() if len(ledes) >= need)
        if lines:
            for i in members:  # copies too: the set holds only lines of different stories
                found[i] = lines
    return found


def remove_lines(doc: Article, lines: frozenset[str]) -> int:
    """Remove the paragraphs of `doc` whose key is in `lines`, unless none would remain."""
    if not lines:
        return 0
    paragraphs = doc.paragraphs
    kept = [p for p in paragraphs if normalise_line(p) not in lines]
    removed = len(paragraphs) - len(kept)
    if not removed or not kept:
        return 0
    doc.set_paragraphs(kept)
    doc.note(REASON, removed)
    return removed


class RecurringLinesStep(BatchStep):
    """Remove short paragraphs that recur across different articles of one site."""

    name = "recurring_lines"
    section = "clean"
    # the site a line recurs on: its host, else its source folder
    reads = frozenset({"text", "url", "source_path"})
    writes = frozenset({"text"})

    def apply_batch(self, docs: list[Article]) -> None:
        cfg = self.settings
        if len(docs) < cfg.recurrence_min_docs:
            return
        found = chrome_lines(
            docs,
            cfg.recurrence_min_docs,
            cfg.recurrence_max_words,
            cfg.recurrence_max_shared,
            cfg.recurrence_min_share,
        )
        for doc, lines in zip(docs, found, strict=True):
            remove_lines(doc, lines)
