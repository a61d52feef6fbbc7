"""Build Arrow tables from records, in batches, against the explicit schemas in `schema`.

Columns are built one list at a time and cast by the schema (never inferred), so a column whose
values are all null in a batch still has its declared type, and every file of a dataset has the
same schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from transforms.core.record import Article, Drop
from transforms.core.schema import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    PIPELINE_VERSION,
    QUARANTINE_SCHEMA,
)

# duplicates-table rules for identical raw bytes seen again (same content_hash, another record)
IDENTICAL_RECORD_RULE = "identical_raw_record"  # twice in one run
ALREADY_PROCESSED_RULE = "already_processed"  # taken in by an earlier run


def articles_table(docs: Sequence[Article], run_id: str, ingested_at: datetime) -> pa.Table:
    """Rows of the `articles` table for cleaned documents."""
    n = len(docs)
    cols = {
        "doc_id": [d.doc_id for d in docs],
        "content_hash": [d.content_hash for d in docs],
        "source_path": [d.source_path for d in docs],
        "source_record": [d.source_record for d in docs],
        "source_format": [d.source_format for d in docs],
        "url": [d.url for d in docs],
        "site_name": [d.site_name for d in docs],
        "title": [d.title for d in docs],
        "subtitle": [d.subtitle for d in docs],
        "authors": [list(d.authors) for d in docs],
        "published_at": [d.published_at for d in docs],
        "published_date": [d.published_date for d in docs],
        "published_at_precision": [d.published_at_precision for d in docs],
        "published_at_source": [d.published_at_source for d in docs],
        "language": [d.language for d in docs],
        "body": [d.text for d in docs],
        "captions": [[{"text": c.text, "credit": c.credit} for c in d.captions] for d in docs],
        "word_count": [d.word_count for d in docs],
        "changes": [
            [{"reason": r, "count": c} for r, c in sorted(d.changes.items())] for d in docs
        ],
        "quality_flags": [[] for _ in docs],  # set by validation (expectations.validate)
        "fetched_at": [d.fetched_at for d in docs],
        # a published article founds its story (a new document that joins an earlier story is
        # a duplicate: transforms.dedup.stories)
        "story_id": [d.doc_id for d in docs],
        "ingested_at": [ingested_at] * n,
        "run_id": [run_id] * n,
        "pipeline_version": [PIPELINE_VERSION] * n,
        "author_organizations": [list(d.author_organizations) for d in docs],
        "page_type": [d.page_type for d in docs],
        "page_type_confidence": [d.page_type_confidence for d in docs],
        "page_type_source": [d.page_type_source for d in docs],
    }
    return pa.Table.from_pydict(cols, schema=ARTICLES_SCHEMA)


def quarantine_table(
    dropped: Sequence[tuple[Article, Drop]], run_id: str, ingested_at: datetime
) -> pa.Table:
    """Rows of the `quarantine` table: one per document that did not make it."""
    n = len(dropped)
    cols = {
        "doc_id": [a.doc_id for a, _ in dropped],
        "content_hash": [a.content_hash for a, _ in dropped],
        "source_path": [a.source_path for a, _ in dropped],
        "source_record": [a.source_record for a, _ in dropped],
        "source_format": [a.source_format for a, _ in dropped],
        "stage": [d.stage for _, d in dropped],
        "reason": [d.reason for _, d in dropped],
        "detail": [d.detail[:2000] if d.detail else None for _, d in dropped],
        "value": [d.value[:500] if d.value else None for _, d in dropped],
        "ingested_at": [ingested_at] * n,
        "run_id": [run_id] * n,
        # what was found before the drop: a paywall stub's article can still be counted
        "url": [a.url for a, _ in dropped],
        "title": [a.title for a, _ in dropped],
        "authors": [list(a.authors) or None for a, _ in dropped],
        "published_at": [a.published_at for a, _ in dropped],
        "page_type": [a.page_type if a.page_type_source != "default" else None for a, _ in dropped],
    }
    return pa.Table.from_pydict(cols, schema=QUARANTINE_SCHEMA)


def identical_duplicates_table(
    repeats: Sequence[tuple[Article, str]], run_id: str, ingested_at: datetime
) -> pa.Table:
    """Duplicate rows for copies of raw bytes already kept: (copy, doc_id of the kept record)."""
    n = len(repeats)
    return pa.Table.from_pydict(
        {
            "doc_id": [d.doc_id for d, _ in repeats],
            "content_hash": [d.content_hash for d, _ in repeats],
            "source_path": [d.source_path for d, _ in repeats],
            "source_record": [d.source_record for d, _ in repeats],
            "source_format": [d.source_format for d, _ in repeats],
            "url": [d.url for d, _ in repeats],
            "title": [d.title for d, _ in repeats],
            "duplicate_of": [of for _, of in repeats],
            "kind": ["exact"] * n,
            "similarity": [1.0] * n,
            "rule": [IDENTICAL_RECORD_RULE] * n,
            "story_id": [of for _, of in repeats],  # resolved at staging (run.stories)
            "ingested_at": [ingested_at] * n,
            "run_id": [run_id] * n,
            "site_name": [d.site_name for d, _ in repeats],
            "published_at": [d.published_at for d, _ in repeats],
            "published_date": [d.published_date for d, _ in repeats],
        },
        schema=DUPLICATES_SCHEMA,
    )
