"""The committed rows of OUTPUT's tables, for readers.

A run is committed when its manifest `runs/<run_id>.json` exists: the manifest is published
last, so a run killed while it moves its files into place has rows in the tables and no
manifest until the next run completes it. Every reader here keeps the rows of committed runs
only: a run's part (`part-<run_id>-<shard>.parquet`) is read when its manifest exists; a
compacted file when the latest compaction record lists it live (it holds rows of runs
committed when it was written, `transforms/run/snapshot.py`), less the rows of a run whose
manifest the doctor has since moved aside. A read asks only the manifests of the runs whose
parts it finds (a day or two of runs on a compacted OUTPUT; an object store lists `runs/`), so
its cost follows the files it reads, not the runs committed since the first.

The types are the tables' own (`transforms/core/schema.py`) whatever the files hold: the
dataset is given the schema, so an older file without a later column reads it as null, a
table with zero-row files only reads with its columns, and `ingest_date` is a date: the hive
partition of a run's daily file (`<table>/ingest_date=YYYY-MM-DD/`), a column of a compacted
month file (`<table>/ingest_month=YYYY-MM/`, docs/compaction.md); one dataset reads both.
pandas gets Arrow-backed dtypes, so a nullable integer (`source_record`) is `int64[pyarrow]` in
every table rather than float64 where a null happens to occur.

Listing goes through pyarrow's filesystem, afresh on each call (no listing cache that would
mix an old listing with files published since); s3:// takes the AWS environment, the endpoint
included (`transforms/core/storage.py`).
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs

from transforms.core.schema import TABLE_SCHEMAS, stored_schema
from transforms.core.storage import resolve_location
from transforms.run.snapshot import (
    COMPACTIONS,
    Snapshot,
    is_compacted,
    latest_record,
    run_of,
    table_dataset,
)
from transforms.run.state_check import CORRUPT, RECORD

if TYPE_CHECKING:
    import duckdb
    import pandas
    import polars

TABLES: tuple[str, ...] = tuple(TABLE_SCHEMAS)

Output = str | os.PathLike[str]


def _filesystem(
    output: Output, storage_options: Mapping[str, str] | None
) -> tuple[pafs.FileSystem, str]:
    return resolve_location(output, storage_options).arrow_filesystem()


def _listing(fs: pafs.FileSystem, folder: str, recursive: bool) -> list[str]:
    """The paths of the files under `folder` ([] when it does not exist). A local folder is
    walked by name (os.scandir: no stat a file; pyarrow's listing stats each, 45 ms for the
    8,760 manifests of a year of hourly runs); an object store is listed (paginated)."""
    if isinstance(fs, pafs.LocalFileSystem):
        if not os.path.isdir(folder):
            return []
        if not recursive:
            with os.scandir(folder) as entries:
                return [f"{folder}/{e.name}" for e in entries if e.is_file()]
        return [os.path.join(at, name) for at, _dirs, names in os.walk(folder) for name in names]
    selector = pafs.FileSelector(folder, recursive=recursive, allow_not_found=True)
    return [info.path for info in fs.get_file_info(selector) if info.type == pafs.FileType.File]


def committed_runs(output: Output, storage_options: Mapping[str, str] | None = None) -> list[str]:
    """The ids of OUTPUT's committed runs (those whose manifest exists), oldest first."""
    fs, root = _filesystem(output, storage_options)
    folder = posixpath.join(root, "runs")
    names = (path[len(folder) + 1 :] for path in _listing(fs, folder, False))
    return sorted(name[:-5] for name in names if name.endswith(".json"))


def _table_schema(table: str) -> pa.Schema:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: one of {', '.join(TABLES)}")
    return stored_schema(table)


def snapshot(output: Output, storage_options: Mapping[str, str] | None = None) -> Snapshot:
    """OUTPUT's latest committed compaction record: which compacted files hold rows now and
    which files they replaced (`transforms/run/snapshot.py`); empty before any compaction."""
    fs, root = _filesystem(output, storage_options)
    folder = posixpath.join(root, COMPACTIONS)
    name = latest_record(posixpath.basename(path) for path in _listing(fs, folder, False))
    if name is None:
        return Snapshot()
    with fs.open_input_stream(posixpath.join(folder, name)) as stream:
        return Snapshot.from_json(stream.read())


def _committed_among(
    fs: pafs.FileSystem, root: str, ids: set[str], output: Output, storage_options
) -> set[str]:
    """Those of the run `ids` whose manifest exists. A local OUTPUT asks each manifest (the
    runs with files outside compacted ones: a day or two of runs), so a read's cost does not
    grow with the runs committed since the first; an object store lists `runs/` (a request
    a 1,000 runs, where a HEAD each would cost more)."""
    if not ids:
        return set()
    if isinstance(fs, pafs.LocalFileSystem):
        return {i for i in ids if os.path.isfile(posixpath.join(root, "runs", f"{i}.json"))}
    return ids & set(committed_runs(output, storage_options))


def _withdrawn_runs(fs: pafs.FileSystem, root: str) -> list[str]:
    """Runs whose manifest the doctor moved aside (`_corrupt/<stamp>/moved.json`,
    `transforms/run/state_check.py`): no longer committed, though a compacted file may hold
    their rows (a compacted file holds rows of runs committed when it was written)."""
    records = [p for p in _listing(fs, posixpath.join(root, CORRUPT), True) if p.endswith(RECORD)]
    withdrawn = []
    for path in records:
        with fs.open_input_stream(path) as stream:
            moved = json.loads(stream.read())
        withdrawn += [r["key"][5:-5] for r in moved if r["key"].startswith("runs/")]
    return sorted(withdrawn)


def dataset(
    output: Output,
    table: str,
    storage_options: Mapping[str, str] | None = None,
    runs: Sequence[str] | None = None,
) -> ds.Dataset:
    """A pyarrow dataset of the live files of `table`: the compacted files of the latest
    compaction record (`<table>/ingest_month=YYYY-MM/`), never with the files they replaced,
    and the parts of committed runs (`runs`, or those whose manifest exists) in day folders.
    Its `files` are that list: what a reader of another library should read."""
    _table_schema(table)  # an unknown table is refused
    fs, root = _filesystem(output, storage_options)
    live = snapshot(output, storage_options)  # taken before the listing: its files exist
    folder = posixpath.join(root, table)
    keys = {
        path: posixpath.relpath(path, root)
        for path in _listing(fs, folder, True)
        if path.endswith(".parquet")
    }
    parts = {p: run_of(posixpath.basename(p)) for p in keys if not is_compacted(p)}
    if runs is None:
        keep = _committed_among(fs, root, set(parts.values()), output, storage_options)
    else:
        keep = set(runs)
    files = [path for path, key in keys.items() if live.keeps(key, keep)]
    return table_dataset(sorted(files), table, fs, folder)


def committed_filter(runs: Sequence[str]) -> ds.Expression:
    """The rows of `runs`."""
    return ds.field("run_id").isin(pa.array(list(runs), pa.string()))


def _not_withdrawn(withdrawn: Sequence[str]) -> ds.Expression | None:
    return ~committed_filter(withdrawn) if withdrawn else None


def read(
    output: Output,
    table: str,
    columns: Sequence[str] | None = None,
    storage_options: Mapping[str, str] | None = None,
) -> pa.Table:
    """The committed rows of `table` ("articles", "pages", "duplicates", "quarantine", "story_links") as
    a pyarrow Table with the table's schema and `ingest_date` as a date."""
    found = dataset(output, table, storage_options)
    fs, root = _filesystem(output, storage_options)
    where = _not_withdrawn(_withdrawn_runs(fs, root))
    return found.to_table(columns=list(columns) if columns else None, filter=where)


def read_pandas(
    output: Output,
    table: str,
    columns: Sequence[str] | None = None,
    storage_options: Mapping[str, str] | None = None,
) -> pandas.DataFrame:
    """`read` as a pandas DataFrame with Arrow-backed dtypes: the same dtype for a column in
    every table and every run (`source_record` is int64[pyarrow], `ingest_date` date32)."""
    import pandas as pd

    return read(output, table, columns, storage_options).to_pandas(types_mapper=pd.ArrowDtype)


def read_polars(
    output: Output,
    table: str,
    columns: Sequence[str] | None = None,
    storage_options: Mapping[str, str] | None = None,
) -> polars.DataFrame:
    """`read` as a Polars DataFrame (`source_record` Int64, `ingest_date` Date)."""
    import polars as pl

    frame = pl.from_arrow(read(output, table, columns, storage_options))
    assert isinstance(frame, pl.DataFrame)
    return frame


def duckdb_views(
    output: Output,
    connection: duckdb.DuckDBPyConnection | None = None,
    storage_options: Mapping[str, str] | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (a new in-memory one unless given) with one view per table of the
    committed rows: `articles`, `duplicates`, `quarantine`, `story_links`, and `stories`, each
    published article or duplicate with its current story (`story_links` resolved).

    The views scan pyarrow datasets, so s3:// needs no DuckDB extension (httpfs would be a
    download at first use). They hold the runs committed when they were made: call again to see
    later runs."""
    import duckdb

    con = connection if connection is not None else duckdb.connect()
    fs, root = _filesystem(output, storage_options)
    withdrawn = _withdrawn_runs(fs, root)  # nearly always none
    con.register("_newsclean_withdrawn", pa.table({"run_id": pa.array(withdrawn, pa.string())}))
    for table in TABLES:
        con.register(f"_newsclean_{table}", dataset(output, table, storage_options))
        con.execute(
            f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM _newsclean_{table}"
            " WHERE run_id NOT IN (SELECT run_id FROM _newsclean_withdrawn)"
        )
    con.execute(_STORIES_VIEW)
    return con


# the current story of a story_id: the merged_into of its link whose merged_into has no link
# itself, or the story_id itself when it has no link (transforms/dedup/stories.py)
_STORIES_VIEW = """
CREATE OR REPLACE VIEW stories AS
WITH current AS (
  SELECT story_id, merged_into FROM story_links
  WHERE merged_into NOT IN (SELECT story_id FROM story_links)),
members AS (
  SELECT doc_id, story_id, title, url, 'article' AS role FROM articles
  UNION ALL
  SELECT doc_id, story_id, title, url, 'duplicate' AS role FROM duplicates)
SELECT coalesce(c.merged_into, m.story_id) AS story, m.doc_id, m.role, m.title, m.url
FROM members m LEFT JOIN current c USING (story_id)
"""
