"""Finish a run: stage the final tables, the ledger, the index and the manifest, then publish.

Everything here is file I/O on the run's own staging folder (see `transforms.store`); the
decisions were made upstream (cleaning, validation, deduplication). The counts in the manifest
come from the tables actually published, so they add up by construction and the accounting
check is a real check, not an echo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.corpus_dedup import RunDedup
from transforms.ids import doc_id_for
from transforms.ledger import files_table
from transforms.manifest import flag_counts
from transforms.readers import InputFile
from transforms.record import Article, Drop
from transforms.schema import (
    ARTICLES,
    ARTICLES_SCHEMA,
    DEDUP_INDEX,
    DUPLICATES,
    LEDGER,
    QUARANTINE,
)
from transforms.store import RunPaths, stage_table
from transforms.tables import quarantine_table


@dataclass
class StagedRun:
    """Rows staged for publication, by table."""

    articles: int
    duplicates: int
    quarantined: int
    duplicates_table: pa.Table
    quarantine: pa.Table
    quality_flags: dict[str, int] = field(default_factory=dict)  # published articles per flag


def discover_quarantine(
    drops: Sequence[tuple[str, Drop]], run_id: str, ingested_at: datetime
) -> pa.Table:
    """Quarantine rows for files that could not even be listed or opened."""
    docs = [
        (
            Article(
                doc_id=doc_id_for(b"", path),
                source_path=path,
                source_format="text",
                content_kind="text",
            ),
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
    """A record seen again (same bytes, same doc_id) points at the article its first copy went to.

    The repeat's row first points at its own doc_id; when that first copy was itself dropped as
    a duplicate of another article, a reader following `duplicate_of` would find nothing, so the
    repeat takes the first copy's canonical.
    """
    ids = duplicates.column("doc_id").to_pylist()
    of = duplicates.column("duplicate_of").to_pylist()
    canonical = {d: o for d, o in zip(ids, of, strict=True) if d != o}
    if not canonical:
        return duplicates
    resolved = [canonical.get(d, o) if d == o else o for d, o in zip(ids, of, strict=True)]
    position = duplicates.schema.get_field_index("duplicate_of")
    field = duplicates.schema.field(position)
    return duplicates.set_column(position, field, pa.array(resolved, field.type))


def stage_run(
    paths: RunPaths,
    dedup: RunDedup,
    processed: Sequence[InputFile],
    discover_drops: pa.Table,
    ingested_at: datetime,
) -> StagedRun:
    """Write the final article, duplicate, quarantine, index and ledger files into staging."""
    day = ingested_at.date().isoformat()
    articles = 0
    flags: Counter[str] = Counter()
    offset = 0
    for path in dedup.staged_files:
        # the staged signature columns are not published: read only the article columns
        staged = pq.read_table(path, columns=ARTICLES_SCHEMA.names)
        mask = dedup.keep[offset : offset + staged.num_rows]
        offset += staged.num_rows
        final = staged.filter(pa.array(mask))
        articles += final.num_rows
        flags.update(flag_counts(final))
        stage_table(paths, ARTICLES, final, path.stem.rsplit("-", 1)[-1], day)

    shard_dups = [pq.read_table(p) for p in sorted(paths.shards.glob(f"{DUPLICATES}-*.parquet"))]
    duplicates = point_repeats_at_canonical(pa.concat_tables([*shard_dups, dedup.duplicates]))
    stage_table(paths, DUPLICATES, duplicates, "all", day)

    shard_q = [pq.read_table(p) for p in sorted(paths.shards.glob(f"{QUARANTINE}-*.parquet"))]
    quarantine = pa.concat_tables([discover_drops, *shard_q])
    stage_table(paths, QUARANTINE, quarantine, "all", day)

    stage_table(paths, DEDUP_INDEX, dedup.index_rows, "all", None)
    stage_table(paths, LEDGER, files_table(processed, paths.run_id, ingested_at), "all", None)
    return StagedRun(
        articles,
        duplicates.num_rows,
        quarantine.num_rows,
        duplicates,
        quarantine,
        dict(sorted(flags.items())),
    )
