"""Finish a run: stage the final tables, the ledger, the index and the manifest, then publish.

Everything here is file I/O on the run's own staging folder (see `transforms.run.store`); the
decisions were made upstream (cleaning, validation, deduplication). The counts in the manifest
come from the tables actually published, so they add up by construction and the accounting
check is a real check, not an echo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from transforms.core.ids import UNREAD, record_key
from transforms.core.record import Article, Drop
from transforms.core.schema import (
    ARTICLE_PAGE_TYPES,
    ARTICLES,
    ARTICLES_SCHEMA,
    DEDUP_INDEX,
    DOC_INDEX,
    DUPLICATES,
    LEDGER,
    PAGES,
    QUARANTINE,
    STORY_LINKS,
    STORY_LINKS_SCHEMA,
    TABLE_SCHEMAS,
    UNREADABLE,
)
from transforms.read.files import InputFile
from transforms.run.deduplicate import RunDedup
from transforms.run.doc_index import COMPLETE, index_rows, is_new_output
from transforms.run.ledger import files_table
from transforms.run.manifest import flag_counts
from transforms.run.output_store import has_data_files
from transforms.run.published import not_published, point_past_published_copies
from transforms.run.store import RunPaths, stage_table
from transforms.run.stories import story_counts, with_story_ids
from transforms.run.tables import quarantine_table


@dataclass
class StagedRun:
    """Rows staged for publication, by table."""

    articles: int
    duplicates: int
    quarantined: int
    duplicates_table: pa.Table
    quarantine: pa.Table
    already_published: int = 0  # records an earlier run published (same doc_id): no new row
    quality_flags: dict[str, int] = field(default_factory=dict)  # published articles per flag
    story_links: pa.Table = field(default_factory=STORY_LINKS_SCHEMA.empty_table)
    stories: dict[str, object] = field(default_factory=dict)  # the manifest's `stories`
    pages: int = 0  # content pages that are not articles (the `pages` table)
    page_types: dict[str, int] = field(default_factory=dict)  # published rows per page_type


def discover_quarantine(
    drops: Sequence[tuple[str, Drop]],
    run_id: str,
    ingested_at: datetime,
    states: Mapping[str, str] | None = None,
) -> pa.Table:
    """Quarantine rows for files that could not even be listed or opened.

    No bytes were read: the doc_id comes from the path and the entry's state (`states`, from
    `transforms.run.unreadable`), so the same entry quarantined again after a change is a new row.
    """
    states = states or {}
    docs = [
        (
            Article(record_key(path, None, UNREAD + states.get(path, "")), path, "text", "text"),
            drop,
        )
        for path, drop in drops
    ]
    table = quarantine_table(docs, run_id, ingested_at)
    # the container is unknown when the file could not be read
    return table.set_column(
        table.schema.get_field_index("source_format"),
        "source_format",
        pa.nulls(table.num_rows, pa.string()),
    )


def point_repeats_at_canonical(duplicates: pa.Table) -> pa.Table:
    """Every duplicate row points at a published article, never at another dropped copy.

    A copy of identical bytes points at the first copy in the run; when that first copy was
    itself dropped as a duplicate of another article, a reader following `duplicate_of` would
    find nothing, so the copy takes the first copy's canonical (followed to the end).
    """
    ids = duplicates.column("doc_id").to_pylist()
    of = duplicates.column("duplicate_of").to_pylist()
    canonical = dict(zip(ids, of, strict=True))
    resolved = []
    for target in of:
        hops = 0
        while target in canonical and hops < len(ids):  # the bound guards against a cycle
            target, hops = canonical[target], hops + 1
        resolved.append(target)
    if resolved == of:
        return duplicates
    position = duplicates.schema.get_field_index("duplicate_of")
    field = duplicates.schema.field(position)
    return duplicates.set_column(position, field, pa.array(resolved, field.type))


def stage_run(
    paths: RunPaths,
    dedup: RunDedup,
    processed: Sequence[InputFile],
    discover_drops: pa.Table,
    ingested_at: datetime,
    unreadable: pa.Table | None = None,
) -> StagedRun:
    """Write the final article, page, duplicate, quarantine, story-link, index, ledger and
    unreadable-entry files into staging. `processed`: the files as the shards read them (`ShardResult.read_files`).

    A table that has no file yet under OUTPUT and no row in this run gets a zero-row file with
    its full schema in today's partition, so that every table folder reads from the first run.
    """
    day = ingested_at.date().isoformat()
    articles = pages = 0
    flags: Counter[str] = Counter()
    types: Counter[str] = Counter()
    offset = 0
    store = paths.store
    indexed: list[pa.Table] = []
    for key in dedup.staged_files:
        # the staged signature columns are not published: read only the article columns
        staged = store.read_table(key, columns=ARTICLES_SCHEMA.names)
        mask = dedup.keep[offset : offset + staged.num_rows]
        offset += staged.num_rows
        final = staged.filter(pa.array(mask))
        flags.update(flag_counts(final))
        types.update(final.column("page_type").to_pylist())
        shard = key.rsplit("/", 1)[-1].removesuffix(".parquet").rsplit("-", 1)[-1]
        # staged together (one validation batch, one dedup), published apart by page type
        is_article = pc.is_in(final.column("page_type"), pa.array(ARTICLE_PAGE_TYPES))
        kept, other = final.filter(is_article), final.filter(pc.invert(is_article))
        articles, pages = articles + kept.num_rows, pages + other.num_rows
        stage_table(paths, ARTICLES, kept, shard, day)
        stage_table(paths, PAGES, other, shard, day)
        indexed += [index_rows(ARTICLES, kept), index_rows(PAGES, other)]

    shard_dups = [store.read_table(k) for k in _shard_files(paths, DUPLICATES)]
    duplicates = point_repeats_at_canonical(pa.concat_tables([*shard_dups, dedup.duplicates]))
    # a copy read again (its grown file) was published by the run that first read it
    duplicates, seen_copies = not_published(duplicates, store.location)
    duplicates = point_past_published_copies(duplicates, store.location)
    # each copy in its canonical's current story (after the stories this run linked)
    duplicates = with_story_ids(duplicates, store.location, dedup.story_links)
    stage_table(paths, DUPLICATES, duplicates, "all", day)
    stage_table(paths, STORY_LINKS, dedup.story_links, "all", day)

    shard_q = [store.read_table(k) for k in _shard_files(paths, QUARANTINE)]
    quarantine = pa.concat_tables([discover_drops, *shard_q])
    # a failing record read again (its grown file) was quarantined by the run that first read it
    quarantine, seen = not_published(quarantine, store.location)
    stage_table(paths, QUARANTINE, quarantine, "all", day)

    for name, rows in (
        (ARTICLES, articles),
        (PAGES, pages),
        (DUPLICATES, duplicates.num_rows),
        (QUARANTINE, quarantine.num_rows),
        (STORY_LINKS, dedup.story_links.num_rows),
    ):
        if not rows and not has_data_files(store.at(name)):
            stage_table(paths, name, TABLE_SCHEMAS[name].empty_table(), "empty", day, True)

    indexed += [index_rows(DUPLICATES, duplicates), index_rows(QUARANTINE, quarantine)]
    stage_table(paths, DOC_INDEX, pa.concat_tables(indexed), "all", None)
    if is_new_output(store):  # its doc index starts whole (transforms.run.doc_index)
        store.write_bytes(f"{paths.publish}/{COMPLETE}", b"")
    stage_table(paths, DEDUP_INDEX, dedup.index_rows, "all", None)
    stage_table(paths, LEDGER, files_table(processed, paths.run_id, ingested_at), "all", None)
    if unreadable is not None:
        stage_table(paths, UNREADABLE, unreadable, "all", None)
    return StagedRun(
        articles,
        duplicates.num_rows,
        quarantine.num_rows,
        duplicates,
        quarantine,
        dedup.already_published + seen_copies + seen,
        dict(sorted(flags.items())),
        dedup.story_links,
        story_counts(articles + pages, dedup.story_links),
        pages,
        dict(sorted(types.items())),
    )


def _shard_files(paths: RunPaths, table: str) -> list[str]:
    """Keys of the run's staged per-shard files of `table`, in shard order."""
    names = paths.store.children(paths.shards)
    return [
        f"{paths.shards}/{n}" for n in names if n.startswith(f"{table}-") and n.endswith(".parquet")
    ]
