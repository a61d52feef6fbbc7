"""Where a run writes, and how it publishes without a reader ever seeing a half-written file.

Layout under OUTPUT (a local folder or an object-store prefix, `transforms.run.output_store`):
    articles/ pages/ duplicates/ quarantine/   the published datasets (hive: ingest_date=...)
    dedup_index/                        band keys of published articles, for later runs
    ledger/                             input files processed, by path and content hash
    unreadable/                         unreadable input entries quarantined (transforms.run.unreadable)
    runs/<run_id>.json                  one manifest per run: its presence commits the run
    reports/<run_id>/                   Great Expectations Data Docs of the run
    compactions/<id>.json               the latest compaction's live files (transforms.run.snapshot)
    _staging/<run_id>/                  work in progress; readers ignore names starting with "_"

Publishing: every file a run publishes is first written complete under
`_staging/<run_id>/publish/`, mirroring its final place, under a name that carries the run id.
Then a `READY` journal is written (atomically: a rename locally, one PUT on an object store),
then each file is moved into place (locally `os.replace`; on an object store a server-side copy
and a delete, since object stores have no rename), the manifest last. The manifest is the
commit: a run's rows are committed when `runs/<run_id>.json` exists, and the readers of docs/reading.md
read the rows of committed runs only (every row carries its `run_id`).

A run killed before READY leaves only staging, which the next run deletes (its inputs are not
in the ledger, so they are processed again); a run killed after READY is completed by the next
run (`recover`) before it starts, moving what is left (a move repeated after a kill between
copy and delete finds its source or its destination). No file is ever seen half-written, no row
is published twice, and a reader of committed runs never sees part of a run.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from transforms.core.schema import PARTITION_KEY
from transforms.run.output_store import PARQUET_OPTIONS, OutputStore, Where

STAGING = "_staging"
READY = "READY"
RUNS = "runs"
COMMITS = (RUNS, "compactions")  # folders of the commit records, published last
DELETE = "DELETE"  # journal of a compaction: keys to delete once its files are in place
__all__ = [
    "PARQUET_OPTIONS",
    "READY",
    "STAGING",
    "RunPaths",
    "publish",
    "recover",
    "write_parquet",
]


@dataclass(frozen=True, slots=True, init=False)
class RunPaths:
    """The keys (relative to OUTPUT) of one run's files, and OUTPUT's store."""

    store: OutputStore
    run_id: str

    def __init__(self, output: OutputStore | Where, run_id: str) -> None:
        store = output if isinstance(output, OutputStore) else OutputStore(output)
        object.__setattr__(self, "store", store)
        object.__setattr__(self, "run_id", run_id)

    @property
    def staging(self) -> str:
        return f"{STAGING}/{self.run_id}"

    @property
    def shards(self) -> str:
        """Per-shard intermediate files (not published as such)."""
        return f"{self.staging}/shards"

    @property
    def publish(self) -> str:
        """Mirror of OUTPUT holding the files this run will publish."""
        return f"{self.staging}/publish"

    def reports(self) -> str:
        return f"reports/{self.run_id}"

    def manifest(self) -> str:
        return f"{RUNS}/{self.run_id}.json"


def new_run_id(now_iso: str) -> str:
    """Sortable, unique run id: UTC timestamp plus a short random suffix."""
    stamp = now_iso.replace("-", "").replace(":", "").replace("+0000", "Z").split(".")[0]
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def write_parquet(table: pa.Table, path: Path) -> Path:
    """Write one local Parquet file (zstd) through a temporary name renamed into place."""
    OutputStore(path.parent).write_parquet(path.name, table)
    return path


def stage_table(
    paths: RunPaths,
    table_name: str,
    table: pa.Table,
    part: str,
    ingest_date: str | None,
    empty_ok: bool = False,
) -> str | None:
    """Write `table` under the publish mirror, in its hive partition when one is given; its key.

    A table without rows is skipped unless `empty_ok` (a zero-row file that carries the schema).
    """
    if table.num_rows == 0 and not empty_ok:
        return None
    folder = f"{paths.publish}/{table_name}"
    if ingest_date is not None:
        folder = f"{folder}/{PARTITION_KEY}={ingest_date}"
    key = f"{folder}/part-{paths.run_id}-{part}.parquet"
    paths.store.write_parquet(key, table)
    return key


def stage_manifest(paths: RunPaths, manifest: dict) -> str:
    key = f"{paths.publish}/{paths.manifest()}"
    paths.store.write_bytes(key, json.dumps(manifest, indent=2, default=str).encode())
    return key


def _files_to_publish(paths: RunPaths) -> list[str]:
    """Keys relative to the publish mirror, the manifest last (its presence commits the run)."""
    files = [
        k for k in paths.store.files(paths.publish) if not k.rsplit("/", 1)[-1].startswith(".")
    ]
    # commit records last; before them, markers ("_" names: doc_index/_complete) after data
    return sorted(
        files, key=lambda k: (k.split("/", 1)[0] in COMMITS, k.rsplit("/", 1)[-1][:1] == "_", k)
    )


def publish(paths: RunPaths) -> list[str]:
    """Move every staged file into place (journaled, atomic per file), then drop staging.
    Returns the keys published, the manifest last."""
    files = _files_to_publish(paths)
    paths.store.write_bytes(f"{paths.staging}/{READY}", "\n".join(files).encode())
    return _finish(paths)


def _finish(paths: RunPaths) -> list[str]:
    moved = []
    for rel in _files_to_publish(paths):
        paths.store.move(f"{paths.publish}/{rel}", rel)
        moved.append(rel)
    # a compaction's journal: the files its new ones replace (transforms.run.compaction)
    journal = f"{paths.staging}/{DELETE}"
    if paths.store.exists(journal):
        for key in paths.store.read_bytes(journal).decode().split("\n"):
            if key:
                remove_file(paths.store, key)
    paths.store.remove_tree(paths.staging)
    return moved


def remove_file(store: OutputStore, key: str) -> None:
    """Delete one file under OUTPUT; nothing when it is gone already (a repeated journal)."""
    if store.is_local:
        store.local(key).unlink(missing_ok=True)
        return
    with contextlib.suppress(FileNotFoundError):
        store.fs.rm_file(store.path(key))


def recover(output: OutputStore | Where) -> dict[str, list[str]]:
    """Complete runs that died after READY; delete runs that died before it.

    Call it holding OUTPUT's lock (`transforms.run.lock`): every staging folder is then a dead
    run's, never the work of a run still going."""
    store = output if isinstance(output, OutputStore) else OutputStore(output)
    report: dict[str, list[str]] = {"completed": [], "discarded": []}
    for run_id in store.children(STAGING):
        paths = RunPaths(store, run_id)
        if store.is_local and not store.local(paths.staging).is_dir():
            continue  # not a run's folder
        if store.exists(f"{paths.staging}/{READY}"):
            _finish(paths)
            report["completed"].append(run_id)
        else:
            store.remove_tree(paths.staging)
            # the Data Docs it wrote while validating describe a run that never published
            store.remove_tree(paths.reports())
            report["discarded"].append(run_id)
    return report
