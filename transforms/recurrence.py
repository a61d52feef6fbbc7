"""Lines that recur across the articles of one site in a batch: page chrome, not article text.

A newsletter pitch, a "Follow us" line or a standing disclaimer that survived extraction and
line cleaning is printed in every article a site publishes; an article's own sentences are not.
So within one batch (a shard), documents are grouped by site (the URL's host; without a URL,
the folder the file came from) and a short paragraph found in at least `min_docs` documents of
a group is removed from all of them.

Copies of one story (a wire story saved five times, a page fetched on several days) would make
every one of their lines "recurring", so a line only counts in documents that are different
stories: documents are told apart by their lede (their longest paragraph), and a line needs
`min_docs` distinct ledes. A document whose every paragraph recurs is left as it is (the
quality gate judges it). Deduplication later removes the copies themselves.

`RecurringLinesStep` is a `BatchStep`: `run_steps` applies it to the documents that reached it
together. A single document (as `make eval` runs them) is never changed.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Sequence

from transforms.line_features import normalise_line
from transforms.record import Article
from transforms.steps import BatchStep
from transforms.urls import host_of

REASON = "recurring_line_removed"


def site_key(doc: Article) -> str:
    """The group a document's chrome is shared with: its site, else its source folder."""
    host = host_of(doc.url)
    if host:
        return f"host:{host}"
    return f"dir:{posixpath.dirname(doc.source_path)}"


def recurring_lines(
    docs: Sequence[Article], min_docs: int, max_words: int
) -> dict[str, frozenset[str]]:
    """Per site key, the normalised paragraphs of at most `max_words` words that occur in at
    least `min_docs` documents with distinct ledes."""
    ledes_by_line: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc in docs:
        keys = [normalise_line(p) for p in doc.paragraphs]
        if not keys:
            continue
        lede = max(keys, key=len)
        seen = ledes_by_line[site_key(doc)]
        for key in set(keys):
            if key != lede and len(key.split()) <= max_words:
                seen[key].add(lede)
    return {
        site: frozenset(line for line, ledes in lines.items() if len(ledes) >= min_docs)
        for site, lines in ledes_by_line.items()
    }


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

    def apply_batch(self, docs: list[Article]) -> None:
        cfg = self.config
        if len(docs) < cfg.recurrence_min_docs:
            return
        found = recurring_lines(docs, cfg.recurrence_min_docs, cfg.recurrence_max_words)
        for doc in docs:
            remove_lines(doc, found.get(site_key(doc), frozenset()))
