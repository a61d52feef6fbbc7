"""What earlier runs already published, by doc_id: a record is published once, in one table.

`doc_id` is the key of an input record (path, record index, bytes). A run can meet a record an
earlier run already published: a JSONL or WARC file that grew is a changed file, read again
whole, and its earlier lines come back with the same ids. Such a record is not a new document:
it is counted as already published and gets no second row, so that doc_id stays a key across
the articles, duplicates and quarantine tables and across runs.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.core.schema import DOCUMENT_TABLES, DUPLICATES, TABLE_SCHEMAS
from transforms.run.compaction import live_files
from transforms.run.doc_index import complete_index, lookup
from transforms.run.output_store import OutputStore, Where

_INDEXED = {"doc_id", "duplicate_of", "ingested_at"}  # columns the doc index answers


def published_rows(
    output: Where, table: str, column: str, values: Iterable[str] | pa.Array, columns: list[str]
) -> pa.Table:
    """`columns` of the rows of the published `table` under `output` whose `column` is among
    `values`: a filtered scan (Parquet statistics and the filter keep it to the matching rows),
    never the whole history; the table's schema lets files of older layouts be read too. Only
    the live files are read (a compacted partition's new file, not the files it replaced:
    `transforms.run.snapshot`); by doc_id, from the doc index when it is complete and holds
    the columns asked (`transforms.run.doc_index`). Empty when there is no value or no file."""
    schema = TABLE_SCHEMAS[table]
    if not isinstance(values, pa.Array):
        values = pa.array(sorted(set(values)), pa.string())
    store = OutputStore(output)
    if column == "doc_id" and set(columns) <= _INDEXED and table in DOCUMENT_TABLES and len(values):
        index = complete_index(store)  # one lookup in a few files (transforms.run.doc_index)
        if index is not None:
            target = pa.schema([schema.field(c) for c in columns])
            return lookup(index, values, (table,)).select(columns).cast(target)
    keys = live_files(store, table) if len(values) else []
    if not keys:
        return schema.empty_table().select(columns)
    dataset = ds.dataset(
        [store.path(k) for k in keys], format="parquet", schema=schema, filesystem=store.arrow_fs
    )
    return dataset.to_table(columns=columns, filter=ds.field(column).isin(values))


def published_ids(output: Where, ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The doc_ids among `ids` that a published table under `output` already holds.

    One lookup in the doc index when it is complete; else a filtered scan of the doc_id column
    of each table (Parquet statistics and the filter keep it to the matching rows; the explicit
    schema lets files of older layouts be read too).
    """
    if len(ids) == 0:
        return pa.array([], pa.string())
    wanted = pc.unique(ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids)
    wanted = wanted.drop_null()
    index = complete_index(OutputStore(output)) if len(wanted) else None
    if index is not None:  # one lookup for the four tables (the index names each row's table)
        return pc.unique(lookup(index, wanted).column("doc_id").combine_chunks())
    found = [
        published_rows(output, name, "doc_id", wanted, ["doc_id"]).column("doc_id")
        for name in DOCUMENT_TABLES
    ]
    return pc.unique(pa.chunked_array([c for f in found for c in f.chunks], pa.string()))


def not_published(table: pa.Table, output: Where) -> tuple[pa.Table, int]:
    """(rows of `table` whose doc_id no published table holds yet, number of rows removed)."""
    if table.num_rows == 0:
        return table, 0
    seen = pc.is_in(table.column("doc_id"), published_ids(output, table.column("doc_id")))
    seen = pc.fill_null(seen, False)
    kept = table.filter(pc.invert(seen))
    return kept, table.num_rows - kept.num_rows


def point_past_published_copies(duplicates: pa.Table, output: Where) -> pa.Table:
    """Rows whose `duplicate_of` is a copy an earlier run published as a duplicate point at
    that copy's canonical instead (a copy of a record read again, whose first copy is not
    published twice, would otherwise point at a duplicates row)."""
    if duplicates.num_rows == 0:
        return duplicates
    targets = pc.unique(duplicates.column("duplicate_of").combine_chunks())
    earlier = published_rows(output, DUPLICATES, "doc_id", targets, ["doc_id", "duplicate_of"])
    if earlier.num_rows == 0:
        return duplicates
    # a published duplicate already points at a published article: one step is enough
    at = pc.index_in(duplicates.column("duplicate_of"), earlier.column("doc_id"))
    moved = pc.coalesce(earlier.column("duplicate_of").take(at), duplicates.column("duplicate_of"))
    position = duplicates.schema.get_field_index("duplicate_of")
    return duplicates.set_column(position, duplicates.schema.field(position), moved)
