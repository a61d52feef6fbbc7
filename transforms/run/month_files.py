"""A published table's history one file a calendar month: what compaction writes for readers.

Runs write a file a run in each table's day folder (`<table>/ingest_date=YYYY-MM-DD/`).
Readers pay for every file they open (its opening and footer), not for the rows, so
compacting a day a file still left 368 files a table at a year, and the README's readers 3-5x
slower than on the same rows as 10 files (docs/compaction.md). `compact_months` folds a
month's day files, and its open month file, into a new month file,
`<table>/ingest_month=YYYY-MM/part-<compaction_id>-compacted.parquet`, with `ingest_date` a
date32 column (`transforms.core.schema.stored_schema`); past `run.compact_file_rows` or
`run.compact_file_bytes` the month goes on in `-01-`, `-02-`, ... files, and a full file is
left as it is. A table without rows keeps one zero-row file (`-empty-compacted`), its latest
month's, so that its folder still reads with its columns. The caller
(`transforms.run.compaction`) stages the files and switches readers by the record.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.core.config import RunSettings
from transforms.core.schema import MONTH_KEY
from transforms.run.lock import note_progress
from transforms.run.output_store import PARQUET_OPTIONS, OutputStore
from transforms.run.snapshot import (
    COMPACTED,
    EMPTY,
    is_empty_month_file,
    is_monthly,
    month_of,
    table_dataset,
)

ROW_GROUP = 65_536  # rows a row group of a compacted file (filters skip by row group)


@dataclass
class MonthFiles:
    """What `compact_months` did to a table: keys it replaced and wrote (relative to OUTPUT)."""

    replaced: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    rows: int = 0


def compact_months(
    store: OutputStore,
    table: str,
    keys: list[str],
    staging: str,
    compaction_id: str,
    settings: RunSettings,
) -> MonthFiles:
    """Fold the live `keys` of `table` into month files written under the `staging` prefix
    (their keys after it are the keys they take once moved into place)."""
    out = MonthFiles()
    months = _months(keys)
    for month, part in months.items():
        latest = month == max(months)
        # a zero-row month file of an earlier month holds nothing: it goes, unread
        gone = [] if latest else [k for k in part if is_empty_month_file(k)]
        folded = _to_fold(store, [k for k in part if k not in gone], settings)
        out.replaced += gone + folded
        if not folded:
            continue
        base = f"{table}/{MONTH_KEY}={month}/part-{compaction_id}"
        written, rows = _rewrite_month(store, table, folded, staging + base, settings, latest)
        out.written += [base + suffix for suffix in written]
        out.rows += rows
    return out


def batches(dataset: ds.Dataset, schema: pa.Schema, group: int = ROW_GROUP) -> Iterator[pa.Table]:
    """The rows of `dataset`, in order, as tables of about `group` rows each (bounded memory).
    The dedup index's band-0 rows (one an article: what its `band == 0` scans read) come
    first, so that those scans skip the other row groups by their statistics."""
    pending: list[pa.RecordBatch] = []
    rows = given = 0
    if "band" in schema.names:
        head = ds.field("band") == 0
        scans = [dataset.to_batches(filter=head), dataset.to_batches(filter=~head)]
    else:
        scans = [dataset.to_batches()]
    for batch in (b for scan in scans for b in scan):
        pending.append(batch)
        rows += batch.num_rows
        if rows >= group:
            yield pa.Table.from_batches(pending, schema)
            pending, rows, given = [], 0, given + 1
    if pending or not given:  # the rest; an empty table when there were no rows at all
        yield pa.Table.from_batches(pending, schema)


def _rewrite_month(
    store: OutputStore,
    table: str,
    keys: list[str],
    base: str,
    settings: RunSettings,
    keep_empty: bool,
) -> tuple[list[str], int]:
    """The rows of a month's `keys` (daily and month files) into `<base>-compacted.parquet`,
    with `ingest_date` a column, and on into `<base>-NN-compacted.parquet` past a cap of
    `settings`; (the suffixes written after `base`, rows). No row: no file, or with
    `keep_empty` a zero-row `<base>-empty-compacted.parquet` (a table's folder keeps a file
    with its columns, for glob readers)."""
    source = table_dataset([store.path(k) for k in keys], table, store.arrow_fs, store.path(table))
    if store.is_local:
        store.local(posixpath.dirname(base)).mkdir(parents=True, exist_ok=True)
    schema = source.schema
    suffixes: list[str] = []
    rows = file_rows = 0
    sink: pa.NativeFile | None = None
    writer: pq.ParquetWriter | None = None
    try:
        for table_rows in batches(source, schema, min(ROW_GROUP, settings.compact_file_rows)):
            if table_rows.num_rows == 0:
                continue
            if writer is None:
                suffix = f"-{len(suffixes):02d}" if suffixes else ""
                suffixes.append(f"{suffix}-{COMPACTED}.parquet")
                sink = store.arrow_fs.open_output_stream(store.path(base + suffixes[-1]))
                writer = pq.ParquetWriter(sink, schema, **PARQUET_OPTIONS)
                file_rows = 0
            writer.write_table(table_rows, row_group_size=ROW_GROUP)
            rows += table_rows.num_rows
            file_rows += table_rows.num_rows
            note_progress()  # the lock's heartbeat proves progress
            assert sink is not None
            if file_rows >= settings.compact_file_rows or sink.tell() >= (
                settings.compact_file_bytes
            ):
                writer.close()
                sink.close()
                writer = sink = None
    finally:
        if writer is not None:
            writer.close()
        if sink is not None:
            sink.close()
    if not suffixes and keep_empty:
        suffixes.append(f"-{EMPTY}-{COMPACTED}.parquet")
        pq.write_table(
            schema.empty_table(),
            store.path(base + suffixes[-1]),
            filesystem=store.arrow_fs,
            **PARQUET_OPTIONS,
        )
    return suffixes, rows


def _months(keys: list[str]) -> dict[str, list[str]]:
    """A table's keys grouped by calendar month (daily and month folders alike), in order."""
    out: dict[str, list[str]] = {}
    for key in keys:
        month = month_of(key)
        if month is not None:
            out.setdefault(month, []).append(key)
    return out


def _full(store: OutputStore, key: str, settings: RunSettings) -> bool:
    """Whether a month file reached a cap (left as it is: the month's later rows go to a new
    file). Its footer and size: a month file or two a table, only in a month with new rows."""
    if store.arrow_fs.get_file_info(store.path(key)).size >= settings.compact_file_bytes:
        return True
    return pq.read_metadata(store.path(key), filesystem=store.arrow_fs).num_rows >= (
        settings.compact_file_rows
    )


def _to_fold(store: OutputStore, keys: list[str], settings: RunSettings) -> list[str]:
    """The files of a month to rewrite as its new month file(s): its daily files (runs' parts,
    or a day compacted before month files) and its month files below the caps; [] when the
    month holds no daily file and at most one open month file (nothing to gain)."""
    daily = [k for k in keys if not is_monthly(k)]
    monthly = [k for k in keys if is_monthly(k)]
    if not daily and len(monthly) < 2:
        return []
    open_ = [k for k in monthly if not _full(store, k, settings)]
    if not daily and len(open_) < 2:
        return []
    return open_ + daily  # the older rows first: ingest_date about sorted in the new file
