"""Where a run writes, and how it publishes without a reader ever seeing a half-written file.

Layout under OUTPUT:
    articles/ duplicates/ quarantine/   the published datasets (hive: ingest_date=YYYY-MM-DD)
    dedup_index/                        band keys of published articles, for later runs
    ledger/                             input files processed, by path and content hash
    unreadable/                         unreadable input entries quarantined (transforms.run.unreadable)
    runs/<run_id>.json                  one manifest per run
    reports/<run_id>/                   Great Expectations Data Docs of the run
    _staging/<run_id>/                  work in progress; readers ignore names starting with "_"

Publishing: every file a run publishes is first written complete under
`_staging/<run_id>/publish/`, mirroring its final place. Then a `READY` journal is written
atomically, then each file is moved into place with `os.replace` (atomic on one filesystem),
the manifest last. A run killed before READY leaves only staging, which the next run deletes
(its inputs are not in the ledger, so they are processed again); a run killed after READY is
completed by the next run (`recover`) before it starts. Either way no reader sees a partial
file and no row is published twice.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.core.schema import PARTITION_KEY

STAGING = "_staging"
READY = "READY"
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3}


@dataclass(frozen=True, slots=True)
class RunPaths:
    """Paths of one run under OUTPUT."""

    output: Path
    run_id: str

    @property
    def staging(self) -> Path:
        return self.output / STAGING / self.run_id

    @property
    def shards(self) -> Path:
        """Per-shard intermediate files (not published as such)."""
        return self.staging / "shards"

    @property
    def publish(self) -> Path:
        """Mirror of OUTPUT holding the files this run will publish."""
        return self.staging / "publish"

    def reports(self) -> Path:
        return self.output / "reports" / self.run_id


def new_run_id(now_iso: str) -> str:
    """Sortable, unique run id: UTC timestamp plus a short random suffix."""
    stamp = now_iso.replace("-", "").replace(":", "").replace("+0000", "Z").split(".")[0]
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def write_parquet(table: pa.Table, path: Path) -> Path:
    """Write one Parquet file (zstd) through a temporary name, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, **PARQUET_OPTIONS)
    os.replace(tmp, path)
    return path


def stage_table(
    paths: RunPaths,
    table_name: str,
    table: pa.Table,
    part: str,
    ingest_date: str | None,
    empty_ok: bool = False,
) -> Path | None:
    """Write `table` under the publish mirror, in its hive partition when one is given.

    A table without rows is skipped unless `empty_ok` (a zero-row file that carries the schema).
    """
    if table.num_rows == 0 and not empty_ok:
        return None
    folder = paths.publish / table_name
    if ingest_date is not None:
        folder = folder / f"{PARTITION_KEY}={ingest_date}"
    return write_parquet(table, folder / f"part-{paths.run_id}-{part}.parquet")


def stage_manifest(paths: RunPaths, manifest: dict) -> Path:
    target = paths.publish / "runs" / f"{paths.run_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, default=str, sort_keys=False))
    os.replace(tmp, target)
    return target


def _files_to_publish(paths: RunPaths) -> list[Path]:
    files = [p for p in paths.publish.rglob("*") if p.is_file() and not p.name.startswith(".")]
    # the manifest goes last: its presence says the run's data is all in place
    return sorted(files, key=lambda p: (p.parts[len(paths.publish.parts)] == "runs", str(p)))


def publish(paths: RunPaths) -> list[Path]:
    """Move every staged file into place (journaled, atomic per file), then drop staging."""
    files = _files_to_publish(paths)
    journal = paths.staging / READY
    tmp = journal.with_name(".READY.tmp")
    tmp.write_text("\n".join(str(p.relative_to(paths.publish)) for p in files))
    os.replace(tmp, journal)
    return _finish(paths)


def _finish(paths: RunPaths) -> list[Path]:
    moved = []
    for src in _files_to_publish(paths):
        dest = paths.output / src.relative_to(paths.publish)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
        moved.append(dest)
    shutil.rmtree(paths.staging, ignore_errors=True)
    return moved


def recover(output: Path) -> dict[str, list[str]]:
    """Complete runs that died after READY; delete runs that died before it.

    Call it holding OUTPUT's lock (`transforms.run.lock`): every staging folder is then a dead
    run's, never the work of a run still going."""
    report: dict[str, list[str]] = {"completed": [], "discarded": []}
    root = output / STAGING
    if not root.is_dir():
        return report
    for staging in sorted(p for p in root.iterdir() if p.is_dir()):
        paths = RunPaths(output, staging.name)
        if (staging / READY).exists():
            _finish(paths)
            report["completed"].append(staging.name)
        else:
            shutil.rmtree(staging, ignore_errors=True)
            # the Data Docs it wrote while validating describe a run that never published
            shutil.rmtree(paths.reports(), ignore_errors=True)
            report["discarded"].append(staging.name)
    return report
