"""A synthetic OUTPUT history for the compaction tests (shared by tests/transforms/run and
tests/flows): committed runs' files as a run publishes them, a few rows each."""

import json
from datetime import UTC, date, datetime

import pyarrow as pa

from transforms.core.schema import (
    DEDUP_INDEX,
    DEDUP_INDEX_SCHEMA,
    DOCUMENT_TABLES,
    LEDGER,
    LEDGER_SCHEMA,
    PARTITION_KEY,
    TABLE_SCHEMAS,
)
from transforms.run.doc_index import index_rows
from transforms.run.output_store import OutputStore

ROWS = 3  # rows a run adds to each table


def _value(field: pa.Field, row: int, run_id: str):
    kind = field.type
    if field.name in ("run_id",):
        return run_id
    if field.name in ("doc_id", "source_path"):
        return f"{run_id}-{row}"
    if pa.types.is_string(kind):
        return f"{field.name}-{row}"
    if pa.types.is_integer(kind):
        return row
    if pa.types.is_floating(kind):
        return 1.0
    if pa.types.is_timestamp(kind):
        return datetime(2026, 1, 2, 8, tzinfo=UTC)
    if pa.types.is_date(kind):
        return date(2026, 1, 2)
    if pa.types.is_list(kind):
        return []
    raise AssertionError(f"no value for {field}")


def _rows(schema: pa.Schema, run_id: str) -> pa.Table:
    records = [{f.name: _value(f, i, run_id) for f in schema} for i in range(ROWS)]
    return pa.Table.from_pylist(records, schema=schema)


def add_run(
    store: OutputStore, k: int, day: int = 2, doc_index: bool = True, month: int = 1
) -> str:
    """A committed run's files, as a run publishes them (its manifest last) in its day's
    partition (2026-`month`-`day`); `doc_index`: its doc-index rows too (a run from before the
    index has none)."""
    run_id = f"2026{month:02d}{day:02d}T{k:06d}-r{k:05d}"
    indexed = []
    for table, schema in TABLE_SCHEMAS.items():
        key = f"{table}/{PARTITION_KEY}=2026-{month:02d}-{day:02d}/part-{run_id}-00000.parquet"
        store.write_parquet(key, _rows(schema, run_id))
        if table in DOCUMENT_TABLES:
            indexed.append(index_rows(table, _rows(schema, run_id)))
    if doc_index:
        store.write_parquet(f"doc_index/part-{run_id}-all.parquet", pa.concat_tables(indexed))
    store.write_parquet(f"{LEDGER}/part-{run_id}-all.parquet", _rows(LEDGER_SCHEMA, run_id))
    store.write_parquet(
        f"{DEDUP_INDEX}/part-{run_id}-all.parquet", _rows(DEDUP_INDEX_SCHEMA, run_id)
    )
    store.write_bytes(f"runs/{run_id}.json", json.dumps({"run_id": run_id}).encode())
    return run_id


def add_runs(store: OutputStore, n: int, **kwargs) -> list[str]:
    """`n` committed runs (`add_run` k = 0..n-1, same options); their ids."""
    return [add_run(store, k, **kwargs) for k in range(n)]


def add_months(store: OutputStore, n: int) -> list[str]:
    """`n` committed runs over two months and three days (Jan 2, Jan 3, Feb 2 in turn): a
    compaction then writes two month files a table."""
    days = [(1, 2), (1, 3), (2, 2)]
    return [add_run(store, k, day=days[k % 3][1], month=days[k % 3][0]) for k in range(n)]
