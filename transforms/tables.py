"""Build Arrow tables from records, in batches, against the explicit schemas in `schema`.

Columns are built one list at a time and cast by the schema (never inferred), so a column whose
values are all null in a batch still has its declared type, and every file of a dataset has the
same schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from transforms.record import Article, Drop
from transforms.schema import ARTICLES_SCHEMA, PIPELINE_VERSION, QUARANTINE_SCHEMA


def articles_table(docs: Sequence[Article], run_id: str, ingested_at: datetime) -> pa.Table:
    """Rows of the `articles` table for cleaned documents."""
    n = len(docs)
    cols = {
        "doc_id": [d.doc_id for d in docs],
        "source_path": [d.source_path for d in docs],
        "source_record": [d.source_record for d in docs],
        "source_format": [d.source_format for d in docs],
        "url": [d.url for d in docs],
        "site_name": [d.site_name for d in docs],
        "title": [d.title for d in docs],
        "subtitle": [d.subtitle for d in docs],
        "authors": [list(d.authors) for d in docs],
        "published_at": [d.published_at for d in docs],
        "published_at_precision": [d.published_at_precision for d in docs],
        "published_at_source": [d.published_at_source for d in docs],
        "language": [d.language for d in docs],
        "body": [d.text for d in docs],
        "captions": [[{"text": c.text, "credit": c.credit} for c in d.captions] for d in docs],
        "word_count": [d.word_count for d in docs],
        "changes": [
            [{"reason": r, "count": c} for r, c in sorted(d.changes.items())] for d in docs
        ],
        "fetched_at": [d.fetched_at for d in docs],
        "ingested_at": [ingested_at] * n,
        "run_id": [run_id] * n,
        "pipeline_version": [PIPELINE_VERSION] * n,
    }
    return pa.Table.from_pydict(cols, schema=ARTICLES_SCHEMA)


def quarantine_table(
    dropped: Sequence[tuple[Article, Drop]], run_id: str, ingested_at: datetime
) -> pa.Table:
    """Rows of the `quarantine` table: one per document that did not make it."""
    n = len(dropped)
    cols = {
        "doc_id": [a.doc_id for a, _ in dropped],
        "source_path": [a.source_path for a, _ in dropped],
        "source_record": [a.source_record for a, _ in dropped],
        "source_format": [a.source_format for a, _ in dropped],
        "stage": [d.stage for _, d in dropped],
        "reason": [d.reason for _, d in dropped],
        "detail": [d.detail[:2000] if d.detail else None for _, d in dropped],
        "value": [d.value[:500] if d.value else None for _, d in dropped],
        "ingested_at": [ingested_at] * n,
        "run_id": [run_id] * n,
    }
    return pa.Table.from_pydict(cols, schema=QUARANTINE_SCHEMA)
