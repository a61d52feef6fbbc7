"""Which files of a published table are live: the latest compaction's record, and the runs.

Compaction (`transforms.run.compaction`) rewrites a month's small files of a table into a
month file, `ingest_month=YYYY-MM/part-<compaction_id>-compacted.parquet`, beside them
(`transforms.run.month_files`). Readers must then see either the old files or the new one,
never both and never neither; `table_dataset` reads the two layouts as one. The switch is one object: the
compaction's record `compactions/<compaction_id>.json`, published last (its presence commits
the compaction, as a manifest commits a run). The latest record is cumulative:

    live      the compacted files that hold rows now (of this and earlier compactions)
    replaced  {key: when}: files whose rows a compacted file holds now, not yet deleted

A file of a table is live when it is not `replaced` and it is either a live compacted file or
a run's own part (`part-<run_id>-<part>.parquet`, kept or not by the reader's committed runs).
A compacted file that no committed record lists (a compaction killed before its record) is
not live. The replaced files are deleted only `retain` seconds after the record that replaced
them (the next compaction's vacuum), so a reader that took the previous record a moment
before still finds every file it lists: the same rule as Delta Lake's vacuum retention.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs

from transforms.core.schema import MONTH_KEY, PARTITION_KEY, stored_schema

COMPACTIONS = "compactions"
COMPACTED = "compacted"  # the part name of a compacted file: part-<compaction_id>-compacted
EMPTY = "empty"  # a zero-row month file: part-<compaction_id>-empty-compacted.parquet


def is_compacted(name: str) -> bool:
    """Whether a file name is a compacted file's (of any compaction, committed or not)."""
    return name.endswith(f"-{COMPACTED}.parquet")


# a run's daily folder gives ingest_date; a month folder (compacted history) holds no key this
# partitioning knows, so its files' fragments guarantee nothing and their own ingest_date column
# is read: one dataset reads both layouts, with one schema, and keeps its `files`
_HIVE = ds.partitioning(pa.schema([(PARTITION_KEY, pa.date32())]), flavor="hive")


def table_dataset(
    files: Sequence[str], table: str, filesystem: pafs.FileSystem, base_dir: str
) -> ds.Dataset:
    """The rows of a published table's `files` (paths under `base_dir`, the table's folder),
    daily (`ingest_date=YYYY-MM-DD/`) and monthly (`ingest_month=YYYY-MM/`) alike, with the
    table's schema and `ingest_date` a date (`transforms.core.schema.stored_schema`)."""
    return ds.dataset(
        list(files),
        schema=stored_schema(table),
        filesystem=filesystem,
        format="parquet",
        partitioning=_HIVE,
        partition_base_dir=base_dir,
    )


def month_of(key: str) -> str | None:
    """The month (YYYY-MM) of a table file's key, from its `ingest_date=` or `ingest_month=`
    folder; None for a file in neither."""
    for part in reversed(posixpath.dirname(key).split("/")):
        name, _, value = part.partition("=")
        if name == PARTITION_KEY:
            return value[:7]
        if name == MONTH_KEY:
            return value
    return None


def is_empty_month_file(key: str) -> bool:
    """Whether a table file is a zero-row month file (compaction knows it by its name)."""
    return key.endswith(f"-{EMPTY}-{COMPACTED}.parquet") and is_monthly(key)


def is_monthly(key: str) -> bool:
    """Whether a table file is in a month folder (compacted history)."""
    return f"/{MONTH_KEY}=" in f"/{key}"


def run_of(name: str) -> str:
    """The run (or compaction) id in `part-<id>-<part>.parquet`."""
    return name.removeprefix("part-").rsplit("-", 1)[0]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The latest committed compaction record (empty before the first compaction)."""

    compaction_id: str | None = None
    finished_at: str | None = None
    live: frozenset[str] = frozenset()
    replaced: dict[str, str] = field(default_factory=dict)  # key -> when it was replaced

    @classmethod
    def from_json(cls, raw: bytes) -> Snapshot:
        record = json.loads(raw)
        return cls(
            record["compaction_id"],
            record["finished_at"],
            frozenset(record["live"]),
            dict(record["replaced"]),
        )

    def to_json(self) -> bytes:
        record = {
            "compaction_id": self.compaction_id,
            "finished_at": self.finished_at,
            "live": sorted(self.live),
            "replaced": dict(sorted(self.replaced.items())),
        }
        return json.dumps(record, indent=1).encode()

    def keeps(self, key: str, runs: set[str] | None = None) -> bool:
        """Whether the file `key` (relative to OUTPUT) is live; `runs`: the committed runs
        (None: every run's part is kept, as a run holding OUTPUT's lock reads them)."""
        if key in self.replaced:
            return False
        name = key.rsplit("/", 1)[-1]
        if is_compacted(name):
            return key in self.live
        return runs is None or run_of(name) in runs

    def live_keys(self, keys: Iterable[str], runs: set[str] | None = None) -> list[str]:
        """The live ones among `keys`, in their order."""
        return [k for k in keys if self.keeps(k, runs)]


def latest_record(names: Iterable[str]) -> str | None:
    """The name of the latest record among the file names of `compactions/` (ids sort by
    time), or None."""
    records = sorted(n for n in names if n.endswith(".json") and not n.startswith((".", "_")))
    return records[-1] if records else None
