"""Compaction: OUTPUT's many small files rewritten as few, so that a run's cost does not grow
with the number of runs before it.

Every run adds a file to the ledger, the dedup index and each published table partition; a
run reads the ledger and the index whole (filtered scans), so after a year of hourly runs it
opens thousands of files for a few rows each. `compact` (holding OUTPUT's lock, as a run does)
rewrites them:

- internal state (ledger/, dedup_index/, unreadable/, doc_index/: read by runs only, under the
  lock; the doc index rebuilt from the tables when it is not complete): all
  of a folder's files into one, published by the run journal (`transforms.run.store`): the new
  file is staged, the replaced keys written to the `DELETE` journal, then READY, the file
  moved into place and the old ones deleted. A compaction killed after READY is completed by
  the next run or compaction before it reads anything (`store.recover`), one killed before it
  leaves its staging only, which is discarded: no run ever reads a row twice or misses one.
- published tables (read by anyone, without the lock): a month's day files (and its open
  month file) into one month file, `<table>/ingest_month=YYYY-MM/`, `ingest_date` a column
  (readers pay per file: a file a day was 368 a table at a year), split past the caps of
  `RunSettings`; switched atomically by the compaction's record (`transforms.run.snapshot`);
  the replaced files are deleted by a later compaction, `retain_seconds` after the switch (at
  once when it is 0). A table without rows keeps one zero-row file, its latest month's.

Rows are copied as they are (their `run_id` included, so readers of committed runs keep them).
"""

from __future__ import annotations

import contextlib
import posixpath
from datetime import UTC, datetime
from itertools import pairwise
from typing import cast

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.core.config import RunSettings
from transforms.core.schema import (
    DEDUP_INDEX,
    DEDUP_INDEX_SCHEMA,
    DOC_INDEX,
    DOC_INDEX_SCHEMA,
    DOCUMENT_TABLES,
    DUPLICATES,
    LEDGER,
    LEDGER_SCHEMA,
    TABLE_SCHEMAS,
    UNREADABLE,
    UNREADABLE_SCHEMA,
)
from transforms.run.doc_index import COMPLETE, index_rows
from transforms.run.lock import note_progress
from transforms.run.month_files import ROW_GROUP, batches, compact_months
from transforms.run.output_store import PARQUET_OPTIONS, OutputStore, data_files
from transforms.run.snapshot import COMPACTED, COMPACTIONS, Snapshot, latest_record, run_of
from transforms.run.state_check import note_sound
from transforms.run.store import DELETE, RUNS, RunPaths, publish, recover, remove_file

INTERNAL = {
    LEDGER: LEDGER_SCHEMA,
    DEDUP_INDEX: DEDUP_INDEX_SCHEMA,
    UNREADABLE: UNREADABLE_SCHEMA,
    DOC_INDEX: DOC_INDEX_SCHEMA,
}


def read_snapshot(store: OutputStore) -> Snapshot:
    """OUTPUT's latest committed compaction record (an empty one before any)."""
    name = latest_record(store.children(COMPACTIONS))
    if name is None:
        return Snapshot()
    return Snapshot.from_json(store.read_bytes(f"{COMPACTIONS}/{name}"))


def live_files(store: OutputStore, table: str, snapshot: Snapshot | None = None) -> list[str]:
    """Keys (relative to OUTPUT) of the live files of a published table, for a run's reads."""
    snap = read_snapshot(store) if snapshot is None else snapshot
    return snap.live_keys(f"{table}/{rel}" for rel in data_files(store.at(table)))


def _rewrite(store: OutputStore, keys: list[str], schema: pa.Schema, target: str) -> int:
    """Write the rows of `keys` into one file `target` (written whole); its row count."""
    path = store.path(target)
    if store.is_local:
        store.local(target).parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    dataset = ds.dataset(
        [store.path(k) for k in keys], format="parquet", schema=schema, filesystem=store.arrow_fs
    )
    with pq.ParquetWriter(path, schema, filesystem=store.arrow_fs, **PARQUET_OPTIONS) as writer:
        for table in batches(dataset, schema):
            writer.write_table(table, row_group_size=ROW_GROUP)
            rows += table.num_rows
            note_progress()  # the lock's heartbeat proves progress: a long compaction is not hung
    return rows


def _rebuild_doc_index(store: OutputStore, snap: Snapshot, runs: set[str], target: str) -> int:
    """The doc index of every live row of the tables, written to `target`; its rows (an
    OUTPUT that predates the index, or whose index lost a file)."""
    parts = [DOC_INDEX_SCHEMA.empty_table()]
    for table in DOCUMENT_TABLES:
        keys = snap.live_keys((f"{table}/{r}" for r in data_files(store.at(table))), runs)
        if not keys:
            continue
        columns = ["doc_id", "ingested_at"] + (["duplicate_of"] if table == DUPLICATES else [])
        rows = ds.dataset(
            [store.path(k) for k in keys],
            format="parquet",
            schema=TABLE_SCHEMAS[table],
            filesystem=store.arrow_fs,
        ).to_table(columns=columns)
        parts.append(index_rows(table, rows))
    index = pa.concat_tables(parts)
    store.write_parquet(target, index)
    return index.num_rows


def _committed_runs(store: OutputStore) -> set[str]:
    return {n.removesuffix(".json") for n in store.children(RUNS) if n.endswith(".json")}


def vacuum(store: OutputStore, snap: Snapshot, now: datetime, retain_seconds: float) -> set[str]:
    """Delete the files `snap` replaced at least `retain_seconds` ago; the keys deleted.
    They stay in `snap` (a record that lists a deleted file as replaced is still right)."""
    gone = {
        key
        for key, when in snap.replaced.items()
        if (now - datetime.fromisoformat(when)).total_seconds() >= retain_seconds
    }
    for key in sorted(gone):
        remove_file(store, key)
    if store.is_local:  # a day folder emptied (its files now in a month file): readers walk it
        for folder in sorted({posixpath.dirname(k) for k in gone}, reverse=True):
            with contextlib.suppress(OSError):  # not empty (a file of a later run), or gone
                store.local(folder).rmdir()
    return gone


def compact(
    store: OutputStore,
    compaction_id: str,
    retain_seconds: float = 3600.0,
    settings: RunSettings | None = None,
) -> dict[str, object]:
    """Compact OUTPUT (hold its lock): what was rewritten, vacuumed and recovered; `settings`:
    the month files' caps (`run.compact_file_rows`, `run.compact_file_bytes`)."""
    recovered = recover(store)
    now = datetime.now(UTC)
    paths, report = stage_compaction(store, compaction_id, now, retain_seconds, settings)
    if paths is not None:
        written = [k for k in store.files(paths.publish) if k.endswith(".parquet")]
        publish(paths)  # READY, the files moved into place (the record last), DELETE's deleted
        _drop_old_records(store, now, retain_seconds)
        note_sound(store, written)  # the next run's state check need not open them
        if retain_seconds <= 0:  # no retention: what it replaced goes now, not at the next one
            record = read_snapshot(store)
            gone = vacuum(store, record, now, 0)
            report["vacuumed"] = cast(int, report["vacuumed"]) + len(gone)
            # the record forgets them (the same live files: a reader gets the same either way;
            # killed before this, the next compaction deletes them again, a no-op each)
            left = {k: v for k, v in record.replaced.items() if k not in gone}
            record = Snapshot(record.compaction_id, record.finished_at, record.live, left)
            store.write_bytes(f"{COMPACTIONS}/{record.compaction_id}.json", record.to_json())
    return {**report, "recovered": recovered, "changed": paths is not None}


def stage_compaction(
    store: OutputStore,
    compaction_id: str,
    now: datetime,
    retain_seconds: float,
    settings: RunSettings | None = None,
) -> tuple[RunPaths | None, dict[str, object]]:
    """Vacuum, then stage the compacted files, the record and the DELETE journal under
    `_staging/<compaction_id>/` (call `store.publish` on the paths to switch); (None, report)
    when there is nothing to compact."""
    settings = RunSettings() if settings is None else settings
    snap = read_snapshot(store)
    vacuumed = vacuum(store, snap, now, retain_seconds)
    paths = RunPaths(store, compaction_id)
    staged = paths.publish
    report: dict[str, object] = {"compaction_id": compaction_id, "vacuumed": len(vacuumed)}

    runs = _committed_runs(store)
    delete: list[str] = []
    for folder, schema in INTERNAL.items():
        keys = [f"{folder}/{rel}" for rel in data_files(store.at(folder))]
        target = f"{folder}/part-{compaction_id}-{COMPACTED}.parquet"
        if folder == DOC_INDEX and not store.exists(COMPLETE):
            rows = _rebuild_doc_index(store, snap, runs, f"{staged}/{target}")
            store.write_bytes(f"{staged}/{COMPLETE}", b"")
            report[folder] = {"files": len(keys), "rows": rows, "rebuilt": True}
            delete += keys
        elif len(keys) > 1:
            rows = _rewrite(store, keys, schema, f"{staged}/{target}")
            report[folder] = {"files": len(keys), "rows": rows}
            delete += keys

    live, replaced = set(snap.live), {k: v for k, v in snap.replaced.items() if k not in vacuumed}
    for table in TABLE_SCHEMAS:
        keys = snap.live_keys((f"{table}/{r}" for r in data_files(store.at(table))), runs)
        month = compact_months(store, table, keys, f"{staged}/", compaction_id, settings)
        live = (live - set(month.replaced)) | set(month.written)
        replaced |= dict.fromkeys(month.replaced, now.isoformat())
        if month.replaced:
            report[table] = {"files": len(month.replaced), "rows": month.rows}

    published = live != snap.live or replaced != snap.replaced
    if not delete and not published:
        store.remove_tree(paths.staging)
        return None, report
    if published:
        record = Snapshot(compaction_id, now.isoformat(), frozenset(live), replaced)
        store.write_bytes(f"{staged}/{COMPACTIONS}/{compaction_id}.json", record.to_json())
    store.write_bytes(f"{paths.staging}/{DELETE}", "\n".join(delete).encode())
    return paths, report


def _drop_old_records(store: OutputStore, now: datetime, retain_seconds: float) -> None:
    """Delete the records that a later record superseded at least `retain_seconds` ago (a
    reader that listed `compactions/` before may still be about to read one)."""
    names = sorted(n for n in store.children(COMPACTIONS) if n.endswith(".json"))
    for name, after in pairwise(names):
        superseded = Snapshot.from_json(store.read_bytes(f"{COMPACTIONS}/{after}")).finished_at
        if superseded and (now - datetime.fromisoformat(superseded)).total_seconds() >= (
            retain_seconds
        ):
            remove_file(store, f"{COMPACTIONS}/{name}")


__all__ = ["compact", "live_files", "read_snapshot", "run_of", "stage_compaction", "vacuum"]
