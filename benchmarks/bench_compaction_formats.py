"""Compaction of a published table, two ways: newsclean's record of live files, or Delta Lake.

    .venv/bin/python -m benchmarks.bench_compaction_formats [--runs 300] [--rows 20]

`runs` appends of `rows` articles (the real schema, ~3 KB bodies), 24 a day (one ingest_date
partition a day), then compacted and the replaced files deleted:

- newsclean: part files and a manifest a run (as runs publish them), `transforms.run.
  compaction.compact` (retention 0), read with `newsclean.read`;
- Delta Lake (delta-rs, `deltalake` in the venv): one `write_deltalake(mode="append")` commit a
  run, `optimize.compact()` then `vacuum(retention_hours=0)`, read with `DeltaTable.to_pyarrow_table`.

Prints the seconds to append, to read all rows before and after, to compact, and the files.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from transforms.core.schema import ARTICLES_SCHEMA, PARTITION_KEY

BODY = " ".join(f"word{i % 300}" for i in range(450))


def rows(run_id: str, n: int) -> pa.Table:
    records = []
    for i in range(n):
        record: dict = {}
        for f in ARTICLES_SCHEMA:
            if pa.types.is_list(f.type):
                record[f.name] = []
            elif f.name in ("doc_id", "source_path"):
                record[f.name] = f"{run_id}-{i}"
            elif f.name == "run_id":
                record[f.name] = run_id
            elif f.name == "body":
                record[f.name] = BODY
            elif pa.types.is_string(f.type):
                record[f.name] = f"{f.name}-{i}"
            elif pa.types.is_integer(f.type):
                record[f.name] = i
            elif pa.types.is_floating(f.type):
                record[f.name] = 1.0
            elif pa.types.is_timestamp(f.type):
                record[f.name] = datetime(2026, 1, 2, tzinfo=UTC)
            elif pa.types.is_date(f.type):
                record[f.name] = date(2026, 1, 2)
            else:
                record[f.name] = None
        records.append(record)
    return pa.Table.from_pylist(records, schema=ARTICLES_SCHEMA)


def _timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - t, 3), out


def newsclean_way(root: Path, runs: list[tuple[str, str]], n: int) -> dict:
    import newsclean
    from transforms.run.compaction import compact
    from transforms.run.output_store import OutputStore

    store = OutputStore(root)

    def append() -> None:
        for run_id, day in runs:
            key = f"articles/{PARTITION_KEY}={day}/part-{run_id}-00000.parquet"
            store.write_parquet(key, rows(run_id, n))
            store.write_bytes(f"runs/{run_id}.json", json.dumps({"run_id": run_id}).encode())

    out: dict = {"append_s": _timed(append)[0]}
    out["read_before_s"], table = _timed(lambda: newsclean.read(root, "articles"))
    out["rows"] = table.num_rows
    out["compact_s"] = _timed(lambda: compact(store, "29990101T000000-c00001", 0))[0]
    out["vacuum_s"] = _timed(lambda: compact(store, "29990101T000001-c00002", 0))[0]
    out["read_after_s"], table = _timed(lambda: newsclean.read(root, "articles"))
    assert table.num_rows == out["rows"]
    out["files_after"] = len(list((root / "articles").rglob("*.parquet")))
    return out


def delta_way(root: Path, runs: list[tuple[str, str]], n: int) -> dict:
    from deltalake import DeltaTable, write_deltalake

    path = str(root / "articles")

    def append() -> None:
        for run_id, day in runs:
            table = rows(run_id, n)
            table = table.append_column(
                PARTITION_KEY, pa.array([date.fromisoformat(day)] * n, pa.date32())
            )
            write_deltalake(path, table, mode="append", partition_by=[PARTITION_KEY])

    out: dict = {"append_s": _timed(append)[0]}
    out["read_before_s"], table = _timed(lambda: DeltaTable(path).to_pyarrow_table())
    out["rows"] = table.num_rows
    out["compact_s"] = _timed(lambda: DeltaTable(path).optimize.compact())[0]
    vacuum = lambda: DeltaTable(path).vacuum(  # noqa: E731
        retention_hours=0, enforce_retention_duration=False, dry_run=False
    )
    out["vacuum_s"] = _timed(vacuum)[0]
    out["read_after_s"], table = _timed(lambda: DeltaTable(path).to_pyarrow_table())
    assert table.num_rows == out["rows"]
    out["files_after"] = len(list(Path(path).rglob("*.parquet")))
    out["log_files"] = len(list((Path(path) / "_delta_log").iterdir()))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rows", type=int, default=20)
    args = parser.parse_args(argv)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    runs = []
    for k in range(args.runs):
        when = start + timedelta(hours=k)
        runs.append((f"{when:%Y%m%dT%H%M%S}-r{k:05d}", f"{when:%Y-%m-%d}"))
    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "runs": args.runs,
            "rows_a_run": args.rows,
            "newsclean": newsclean_way(Path(tmp) / "nc", runs, args.rows),
            "delta": delta_way(Path(tmp) / "delta", runs, args.rows),
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
