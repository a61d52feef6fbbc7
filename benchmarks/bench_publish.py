"""What publishing one run costs on an S3 endpoint, by commit protocol (issue 22's choice).

    .venv/bin/python -m benchmarks.bench_publish [--articles 2000] [--repeat 3]

The Delta Lake protocol needs `deltalake` (`.venv/bin/pip install deltalake==1.6.6`: it installs
beside pyarrow 26 with `pip check` clean; not a dependency of the project, which does not use it).

Starts moto's S3 server on 127.0.0.1 (a real HTTP endpoint, in memory), builds one run's tables
(synthetic rows of the real schemas: articles with ~3 KB bodies, the dedup index at 64 rows an
article, duplicates, quarantine, ledger) and publishes them three ways, counting the HTTP
requests the endpoint receives and the wall time:

- journal: every file written under `_staging/<run_id>/publish/`, a READY journal, then each
  file copied server-side into place (CopyObject) and its staged copy deleted, the manifest
  last (the local protocol with copy+delete for rename: what newsclean does);
- direct: every file written in place under its run-unique name, the manifest last (the
  manifest alone is the commit);
- delta: each table appended as a Delta Lake table through delta-rs (`write_deltalake`, one
  commit a table), the manifest last.

moto keeps objects in memory on this machine, so its times say little about a real store's
latency; the request counts are what a real store bills and waits for. Last, what DuckDB's and
Polars' `**/*.parquet` globs (the README's readers) make of a Delta table with a checkpoint.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import statistics
import time
from collections import Counter
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.core.schema import (
    ARTICLES_SCHEMA,
    DEDUP_INDEX_SCHEMA,
    DUPLICATES_SCHEMA,
    LEDGER_SCHEMA,
    QUARANTINE_SCHEMA,
)

BODY = " ".join(f"word{i % 300}" for i in range(450))  # ~3 KB of text


class _Requests(logging.Handler):
    """Counts the endpoint's requests by HTTP method (moto logs one line a request)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        for method in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            if f'"{method} ' in text:
                self.counts[method] += 1


def _rows(schema: pa.Schema, n: int, fill: dict) -> pa.Table:
    cols = {}
    for field in schema:
        if field.name in fill:
            cols[field.name] = fill[field.name](n)
        elif pa.types.is_list(field.type):
            cols[field.name] = [[] for _ in range(n)]
        elif field.nullable:
            cols[field.name] = [None] * n
        elif pa.types.is_string(field.type):
            cols[field.name] = [f"{field.name}-{i}" for i in range(n)]
        elif pa.types.is_timestamp(field.type):
            cols[field.name] = [datetime(2026, 1, 1, tzinfo=UTC)] * n
        elif pa.types.is_floating(field.type):
            cols[field.name] = [1.0] * n
        else:
            cols[field.name] = [i % 64 for i in range(n)]
    return pa.Table.from_pydict(cols, schema=schema)


def run_tables(articles: int) -> dict[str, pa.Table]:
    """One run's tables: name -> table (articles in two shard files)."""
    body = {"body": lambda n: [BODY] * n, "word_count": lambda n: [450] * n}
    half = articles // 2
    return {
        "articles/ingest_date=2026-01-01/part-r-00000": _rows(ARTICLES_SCHEMA, half, body),
        "articles/ingest_date=2026-01-01/part-r-00001": _rows(ARTICLES_SCHEMA, half, body),
        "duplicates/ingest_date=2026-01-01/part-r-all": _rows(
            DUPLICATES_SCHEMA, articles // 10, {}
        ),
        "quarantine/ingest_date=2026-01-01/part-r-all": _rows(
            QUARANTINE_SCHEMA, articles // 20, {}
        ),
        "dedup_index/part-r-all": _rows(DEDUP_INDEX_SCHEMA, articles * 64, {}),
        "ledger/part-r-all": _rows(LEDGER_SCHEMA, articles, {}),
    }


def publish_journal(fs, arrow_fs, root: str, tables: dict[str, pa.Table]) -> None:
    staging = f"{root}/_staging/r/publish"
    for name, table in tables.items():
        pq.write_table(table, f"{staging}/{name}.parquet", filesystem=arrow_fs)
    manifest = f"{staging}/runs/r.json"
    fs.pipe_file(manifest, json.dumps({"run_id": "r"}).encode())
    fs.pipe_file(f"{root}/_staging/r/READY", "\n".join(tables).encode())
    for name in [*tables, "runs/r"]:
        suffix = ".json" if name.startswith("runs/") else ".parquet"
        fs.copy(f"{staging}/{name}{suffix}", f"{root}/{name}{suffix}")
        fs.rm_file(f"{staging}/{name}{suffix}")
    fs.rm(f"{root}/_staging/r", recursive=True)


def publish_direct(fs, arrow_fs, root: str, tables: dict[str, pa.Table]) -> None:
    for name, table in tables.items():
        pq.write_table(table, f"{root}/{name}.parquet", filesystem=arrow_fs)
    fs.pipe_file(f"{root}/runs/r.json", json.dumps({"run_id": "r"}).encode())


def publish_delta(fs, options: dict[str, str], root: str, tables: dict[str, pa.Table]) -> None:
    from deltalake import write_deltalake

    by_table: dict[str, list[pa.Table]] = {}
    for name, table in tables.items():
        by_table.setdefault(name.split("/")[0], []).append(table)
    for name, parts in by_table.items():
        table = pa.concat_tables(parts)
        partition = None
        if name in ("articles", "duplicates", "quarantine"):
            day = pa.array([datetime(2026, 1, 1).date()] * table.num_rows, pa.date32())
            table, partition = table.append_column("ingest_date", day), ["ingest_date"]
        write_deltalake(
            f"s3://{root}/{name}",
            table,
            mode="append",
            partition_by=partition,
            storage_options=options,
        )
    fs.pipe_file(f"{root}/runs/r.json", json.dumps({"run_id": "r"}).encode())


def delta_globs() -> dict[str, str]:
    """What the README's glob readers (DuckDB, Polars: `**/*.parquet`) make of a Delta table
    once it has a checkpoint (`_delta_log/*.checkpoint.parquet` matches the glob)."""
    import tempfile

    import duckdb
    import polars as pl
    from deltalake import DeltaTable, write_deltalake

    folder = f"{tempfile.mkdtemp(prefix='bench-delta-')}/articles"
    for i in range(3):
        row = pa.table({"run_id": [f"r{i}"], "ingest_date": ["2026-01-01"]})
        write_deltalake(folder, row, mode="append", partition_by=["ingest_date"])
    DeltaTable(folder).create_checkpoint()
    glob = f"{folder}/**/*.parquet"
    readers = {
        "duckdb": lambda: duckdb.sql(
            f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true)"
        ).fetchone()[0],
        "polars": lambda: pl.read_parquet(glob, hive_partitioning=True).height,
        "deltalake": lambda: DeltaTable(folder).to_pyarrow_dataset().count_rows(),
    }
    out = {}
    for name, read in readers.items():
        try:
            out[name] = f"{read()} rows"
        except Exception as exc:  # what the reader says is the finding
            out[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:90]}"
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
    )
    counter = _Requests()
    logging.getLogger("werkzeug").addHandler(counter)
    logging.getLogger("werkzeug").setLevel(logging.INFO)
    try:
        import pyarrow.fs as pafs
        import s3fs

        fs = s3fs.S3FileSystem(skip_instance_cache=True)
        arrow_fs = pafs.S3FileSystem(
            endpoint_override=endpoint, scheme="http", region="us-east-1",
            access_key="bench", secret_key="bench",
        )  # fmt: skip
        delta_options = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ALLOW_HTTP": "true",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            # one writer per OUTPUT holds newsclean's own lock: no Delta locking provider needed
            "AWS_S3_ALLOW_UNSAFE_RENAME": "true",
        }
        tables = run_tables(args.articles)
        size = sum(t.nbytes for t in tables.values())
        print(
            f"one run: {args.articles} articles, {len(tables)} files, {size / 1e6:.1f} MB in memory"
        )
        protocols = {
            "journal": lambda root: publish_journal(fs, arrow_fs, root, tables),
            "direct": lambda root: publish_direct(fs, arrow_fs, root, tables),
            "delta": lambda root: publish_delta(fs, delta_options, root, tables),
        }
        if importlib.util.find_spec("deltalake") is None:
            print("(deltalake is not installed: `.venv/bin/pip install deltalake==1.6.6` adds it)")
            del protocols["delta"]
        print(f"{'protocol':<8} {'requests':>8}  {'by method':<40} {'wall s (median)':>15}")
        for name, publish in protocols.items():
            times, counts = [], Counter()
            for i in range(args.repeat):
                bucket = f"bench-{name}-{i}"
                fs.mkdir(bucket)
                counter.counts.clear()
                t0 = time.perf_counter()
                publish(f"{bucket}/out")
                times.append(time.perf_counter() - t0)
                counts = Counter(counter.counts)
            methods = " ".join(f"{m}={c}" for m, c in sorted(counts.items()))
            print(
                f"{name:<8} {sum(counts.values()):>8}  {methods:<40} {statistics.median(times):>15.2f}"
            )
    finally:
        server.stop()
    if importlib.util.find_spec("deltalake") is None:
        return
    print("a Delta table of 3 rows with a checkpoint, read by a **/*.parquet glob:")
    for name, result in delta_globs().items():
        print(f"  {name:<10} {result}")


if __name__ == "__main__":
    main()
