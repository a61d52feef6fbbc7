"""The ledger of processed inputs: which file contents a previous run already took in.

A file is skipped when the ledger has its path with the same content hash; a changed file
(same path, new hash) is processed again. A run records each file by the bytes its shard
actually read (`ShardResult.read_files`), never by the hash discovery computed before: a file
that changed in between is recorded under the bytes that were processed. The check is an anti-join in Arrow, so the history
is never loaded into a Python set.

Each row also records the file's size and mtime (ns) as it was read (`InputFile.mtime_ns`), so
that discovery need not read a file again: `recorded_hashes` joins the files' current stat with
the ledger and gives back the recorded hash of each file whose size and mtime are unchanged
(ledgers written before the column existed read it as null: those files are hashed as before).
Objects (INPUT in object storage) are keyed the same way by (path, size, ETag): an object
rewritten gets a new ETag and is read again, an unchanged one is not
(`recorded_object_hashes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.core.schema import LEDGER_SCHEMA
from transforms.read.files import InputFile
from transforms.run.output_store import OutputStore, Where, data_files


def files_table(files: Sequence[InputFile], run_id: str, processed_at: datetime) -> pa.Table:
    """Ledger rows for the files a run processed, as the shards read them."""
    n = len(files)
    return pa.Table.from_pydict(
        {
            "source_path": [f.path for f in files],
            "file_hash": [f.file_hash for f in files],
            "size": [f.size for f in files],
            "run_id": [run_id] * n,
            "processed_at": [processed_at] * n,
            "mtime_ns": [f.mtime_ns for f in files],
            "etag": [f.etag for f in files],
        },
        schema=LEDGER_SCHEMA,
    )


class LedgerRows:
    """The ledger rows of the paths one discovery found, read in one filtered scan of the
    ledger's files (a compacted file and the runs' files since), then answered from memory:
    discovery asks three questions of the ledger (recorded hashes, paths seen, pending), and
    each used to scan it whole again. Paths asked later that the first read did not cover are
    read then (never a file twice for the same path)."""

    _COLUMNS = ("source_path", "file_hash", "size", "mtime_ns", "etag", "processed_at")

    def __init__(self, ledger_dir: Where) -> None:
        self._dir = ledger_dir
        self._dataset: ds.Dataset | bool | None = False  # False: not opened yet
        self._paths: set[str] = set()
        self._rows = LEDGER_SCHEMA.empty_table().select(list(self._COLUMNS))

    def rows(self, paths: Iterable[str]) -> pa.Table:
        """The ledger rows of `paths` (and of any path asked before)."""
        missing = sorted(set(paths) - self._paths)
        if missing:
            if self._dataset is False:
                self._dataset = _ledger(self._dir)
            if isinstance(self._dataset, ds.Dataset):
                found = self._dataset.to_table(
                    columns=list(self._COLUMNS),
                    filter=pc.field("source_path").isin(pa.array(missing, pa.string())),
                )
                self._rows = pa.concat_tables([self._rows, found])
            self._paths.update(missing)
        return self._rows


Ledger = Where | LedgerRows  # a ledger folder, or the rows one discovery read from it


def _rows(ledger: Ledger, paths: Iterable[str]) -> pa.Table:
    view = ledger if isinstance(ledger, LedgerRows) else LedgerRows(ledger)
    return view.rows(paths)


def _ledger(ledger_dir: Where) -> ds.Dataset | None:
    """OUTPUT/ledger as a dataset of its files (local or object store; one listing), or None
    before the first run."""
    store = OutputStore(ledger_dir)
    keys = data_files(store.location)
    if not keys:
        return None
    paths = [store.path(k) for k in keys]
    return ds.dataset(paths, format="parquet", schema=LEDGER_SCHEMA, filesystem=store.arrow_fs)


def recorded_hashes(ledger: Ledger, stats: Sequence[tuple[str, int, int]]) -> dict[str, str]:
    """{path: recorded hash} for the files (path, size, mtime_ns) whose size and mtime match a
    ledger row (the latest one, when several do)."""
    return _recorded(ledger, stats, "mtime_ns")


def recorded_object_hashes(ledger: Ledger, stats: Sequence[tuple[str, int, str]]) -> dict[str, str]:
    """{path: recorded hash} for the objects (path, size, ETag) whose size and ETag match a
    ledger row (the latest one, when several do)."""
    return _recorded(ledger, stats, "etag")


def recorded_paths(ledger: Ledger, paths: Sequence[str]) -> set[str]:
    """The `paths` the ledger has any row for (an object at any other path is new)."""
    if not paths:
        return set()
    rows = _rows(ledger, paths)
    seen = rows.filter(pc.field("source_path").isin(pa.array(paths, pa.string())))
    return set(seen.column("source_path").to_pylist())


def _recorded(ledger: Ledger, stats: Sequence[tuple], stamp: str) -> dict[str, str]:
    if not stats:
        return {}
    paths, sizes, stamps = zip(*stats, strict=True)
    seen = _rows(ledger, paths).filter(pc.field(stamp).is_valid())
    if seen.num_rows == 0:
        return {}
    current = pa.table(
        {
            "source_path": pa.array(paths, pa.string()),
            "size": pa.array(sizes, pa.int64()),
            stamp: pa.array(stamps, LEDGER_SCHEMA.field(stamp).type),
        }
    )
    keys = ["source_path", "size", stamp]
    seen = seen.select([*keys, "file_hash", "processed_at"])
    hits = current.join(seen, keys=keys, join_type="inner").sort_by("processed_at")
    return dict(
        zip(
            hits.column("source_path").to_pylist(),
            hits.column("file_hash").to_pylist(),
            strict=True,
        )
    )


def split_pending(
    files: Sequence[InputFile], ledger: Ledger
) -> tuple[list[InputFile], list[InputFile]]:
    """(files to process, files already processed with the same content)."""
    if not files:
        return [], []
    seen = _rows(ledger, [f.path for f in files]).select(["source_path", "file_hash"])
    if seen.num_rows == 0:
        return list(files), []
    current = pa.table(
        {
            "source_path": [f.path for f in files],
            "file_hash": [f.file_hash for f in files],
            "i": pa.array(range(len(files)), pa.int64()),
        }
    )
    done = current.join(seen, keys=["source_path", "file_hash"], join_type="left semi")
    done_idx = set(done.column("i").to_pylist())
    pending = [f for i, f in enumerate(files) if i not in done_idx]
    skipped = [f for i, f in enumerate(files) if i in done_idx]
    return pending, skipped
