"""The doc index: which doc_ids OUTPUT's tables hold, in a few files whatever the history.

"Already published" (`transforms.run.published`) was a filtered scan of every partition of the
articles, pages, duplicates and quarantine tables: a file a table a day, so a lookup opened
hundreds of files after a year (three requests each on an object store). Each run now stages
one row per document it publishes in `doc_index/` (doc_id, its table, a duplicate's
duplicate_of, ingested_at), published with its other files by the run journal, and compaction
merges them into one file (`transforms.run.compaction`).

The index answers only when it is complete: `doc_index/_complete` exists. A new OUTPUT's first
run writes it; an OUTPUT that predates the index gets it from the next compaction, which
rebuilds the index from the tables' live files. Until then the lookups scan the tables as
before, so no record is published twice meanwhile.
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.core.schema import DOC_INDEX, DOC_INDEX_SCHEMA, DOCUMENT_TABLES, DUPLICATES
from transforms.run.output_store import OutputStore, data_files

COMPLETE = f"{DOC_INDEX}/_complete"  # "_": no data file; its presence: the index is whole


def index_rows(table_name: str, rows: pa.Table, ingested_at: datetime | None = None) -> pa.Table:
    """Doc-index rows for published `rows` of `table_name` (their doc_id, and duplicate_of and
    ingested_at when the rows have them)."""
    n = rows.num_rows
    dup = rows.column("duplicate_of") if table_name == DUPLICATES else pa.nulls(n, pa.string())
    if "ingested_at" in rows.column_names:
        when = rows.column("ingested_at")
    else:
        when = pa.array([ingested_at] * n, DOC_INDEX_SCHEMA.field("ingested_at").type)
    return pa.table(
        [rows.column("doc_id"), pa.array([table_name] * n, pa.string()), dup, when],
        schema=DOC_INDEX_SCHEMA,
    )


def complete_index(store: OutputStore) -> ds.Dataset | None:
    """The doc index as a dataset when it is complete (else None: scan the tables); an empty
    dataset for a complete index without rows."""
    if not store.exists(COMPLETE):
        return None
    keys = data_files(store.at(DOC_INDEX))
    paths = [store.path(f"{DOC_INDEX}/{k}") for k in keys]
    return ds.dataset(paths, format="parquet", schema=DOC_INDEX_SCHEMA, filesystem=store.arrow_fs)


def lookup(index: ds.Dataset, ids: pa.Array, tables: tuple[str, ...] = DOCUMENT_TABLES) -> pa.Table:
    """The index rows of `ids` in `tables` (each doc_id once: a table holds it once)."""
    found = index.to_table(
        filter=ds.field("doc_id").isin(ids) & ds.field("table").isin(pa.array(list(tables)))
    )
    if found.num_rows == 0:
        return found
    # a row read twice (a run's file and a compacted file are never both live: defensive)
    first = pc.index_in(pc.unique(found.column("doc_id")), found.column("doc_id"))
    return found.take(first)


def is_new_output(store: OutputStore) -> bool:
    """No document was ever published here: the first run starts a complete index."""
    return not any(data_files(store.at(t)) for t in DOCUMENT_TABLES) and not store.exists(COMPLETE)
