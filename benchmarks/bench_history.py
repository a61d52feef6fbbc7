"""What a run costs after a long history, before and after compaction: `make bench-history`.

    .venv/bin/python -m benchmarks.bench_history --runs 500 [--pages 20] [--repeat 2] [--s3]

1. Sets of `pages` dev pages (../shared/data/wcxb-dev): a seed, then 2 x `repeat` others.
2. Empty OUTPUTs: a run of new pages, then the same again (nothing new): the reference.
3. A history: a real run of the seed set, whose state files (ledger, dedup index, each table's
   part, its manifest) are replicated to `runs` runs as hourly runs would leave them (one
   ingest_date partition a day, 24 runs a day; hard links, so the copies cost no disk).
4. Against the history: runs of new pages and the same again (nothing new); readers (DuckDB
   count, pandas and Polars reads of articles); then `python -m flows compact
   --retain-seconds 0` (the tables one file a month; the replaced files deleted at once) and
   again (nothing left: what a compaction with nothing to do costs); then runs of other new
   pages, the same again, the readers again; then a compaction of those runs (the day's
   compaction: the current month's file rewritten with them).
5. Locally: the compacted history's articles rewritten as 10 hourly runs of one day leave them
   (a file a run, the same rows), and the readers on them: the readers at equal rows.

Every run is the command a scheduler runs (`python -m flows run`, two workers, a Prefect
server kept between runs: the first run starts it). Wall seconds are the whole command's, the
fastest of `repeat` (the host is shared), with its CPU seconds (the command and its workers);
the phases are the manifest's. With --s3 the OUTPUTs
are on moto's S3 server (a process on 127.0.0.1; the history uploaded to it) and each run's
requests are counted from its log. Prints one JSON object and a table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from benchmarks.moto_endpoint import start_moto
from transforms.core.schema import ARTICLES_SCHEMA
from transforms.core.storage import resolve_location

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "wcxb-dev"
_STATE = ("ledger", "dedup_index", "unreadable", "doc_index")
_TABLES = ("articles", "pages", "duplicates", "quarantine", "story_links")


def build_inputs(data: Path, work: Path, pages: int, sets: int) -> list[Path]:
    """`sets` folders of `pages` distinct dev pages each (the first is the history's seed)."""
    sources = sorted((data / "html").glob("*.html.gz"))
    if len(sources) < sets * pages:
        raise SystemExit(f"{data}: {len(sources)} pages, {sets * pages} needed")
    out = []
    for k in range(sets):
        folder = work / f"in_{k}"
        folder.mkdir(parents=True, exist_ok=True)
        for src in sources[k * pages : (k + 1) * pages]:
            (folder / src.name.removesuffix(".gz")).write_bytes(gzip.decompress(src.read_bytes()))
        out.append(folder)
    return out


class Requests:
    """The S3 endpoint's requests, counted from moto_server's log (one line a request)."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def lines(self) -> list[str]:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if '" 20' in line or '" 30' in line]

    def count(self) -> int:
        return len(self.lines())

    def by_folder(self, since: int) -> dict[str, int]:
        """The requests after the first `since`, by method and OUTPUT's top folder (a
        listing: "GET (list)"), most first: where a run's requests go."""
        found: dict[str, int] = {}
        for line in self.lines()[since:]:
            hit = re.search(r'"(\w+) /[^/ ?]+/?([^ ]*) HTTP', line)
            if hit is None:
                continue
            method, rest = hit.groups()
            path, _, query = rest.partition("?")
            parts = path.split("/")
            where = "(list)" if not path or "list-type" in query else (parts[1:2] or ["?"])[0]
            key = f"{method} {where}"
            found[key] = found.get(key, 0) + 1
        return dict(sorted(found.items(), key=lambda kv: -kv[1]))


def run(input_dir: Path, output: str, env: dict[str, str], requests: Requests | None) -> dict:
    """One `python -m flows run` run: wall seconds, and the new manifest's phases if any."""
    location = resolve_location(output)
    fs, runs = location.filesystem(), location.join("runs").path
    fs.invalidate_cache()
    before = set(fs.ls(runs)) if fs.exists(runs) else set()
    cmd = [sys.executable, "-m", "flows", "run", "--input", str(input_dir), "--output", output]
    cmd += ["--workers", "2", "--keep-server", "900", "--no-progress"]
    sent = requests.count() if requests else 0
    cpu = _children_cpu()
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"run failed ({done.returncode}): {done.stderr[-2000:]}")
    # CPU seconds of the command and its workers (not the kept server's): what a loaded host
    # inflates less than the wall
    out: dict = {"wall_s": round(wall, 2), "cpu_s": round(_children_cpu() - cpu, 2)}
    if requests:
        out["requests"] = requests.count() - sent
        out["requests_by"] = requests.by_folder(sent)
    fs.invalidate_cache()
    new = sorted(set(fs.ls(runs)) - before)
    if new:
        manifest = json.loads(fs.cat_file(new[-1]))
        out["run_id"] = manifest["run_id"]
        out["phases_s"] = phases = manifest["timings"]["wall_seconds"]
        # the command's seconds outside cleaning the pages: what history can make grow
        out["outside_clean_s"] = round(wall - phases.get("clean", 0.0), 2)
        report = location.join(f"reports/{manifest['run_id']}").path
        sizes = fs.du(report, total=False) if fs.exists(report) else {}
        out["report_kb"] = round(sum(sizes.values()) / 1024, 1)
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best(results: list[dict]) -> dict:
    """The fastest of repeated runs (the machine is shared: the least disturbed reading)."""
    return min(results, key=lambda r: r.get("outside_clean_s", r["wall_s"]))


def replicate(output: Path, run_id: str, runs: int) -> int:
    """Copies of the run's state files as `runs - 1` earlier hourly runs; files added."""
    stamp = datetime.strptime(run_id.split("-")[0], "%Y%m%dT%H%M%S")
    originals = [
        p
        for folder in (*_STATE, *_TABLES, "runs")
        for p in (output / folder).rglob(f"*{run_id}*")
        if p.is_file()
    ]
    added = 0
    for k in range(1, runs):
        when = stamp - timedelta(hours=k)
        new_id = f"{when:%Y%m%dT%H%M%S}-h{k:05d}"
        for src in originals:
            rel = src.relative_to(output).as_posix().replace(run_id, new_id)
            rel = rel.replace(f"ingest_date={stamp:%Y-%m-%d}", f"ingest_date={when:%Y-%m-%d}")
            dest = output / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(src, dest)
            added += 1
    return added


def readers(output: str, times: int = 3) -> dict:
    """Seconds of the README's readers on articles (DuckDB count, pandas and Polars reads of
    two columns), the fastest of `times` readings each (the host is shared)."""
    import duckdb  # imported before the clock starts: the first reading pays no import
    import pandas as pd
    import polars as pl

    import newsclean

    duckdb.connect().close()
    pd.DataFrame()
    pl.DataFrame()
    columns = ["doc_id", "title"]

    def duck() -> int:
        con = newsclean.duckdb_views(output)
        return con.execute("SELECT count(*) FROM articles").fetchall()[0][0]

    out: dict = {}
    for name, reader in (
        ("duckdb", duck),
        ("pandas", lambda: len(newsclean.read_pandas(output, "articles", columns=columns))),
        ("polars", lambda: len(newsclean.read_polars(output, "articles", columns=columns))),
    ):
        seconds = []
        for _ in range(times):
            t = time.perf_counter()
            out[f"{name}_rows"] = reader()
            seconds.append(time.perf_counter() - t)
        out[f"{name}_s"] = round(min(seconds), 3)
    out["rows"] = out["duckdb_rows"]
    return out


def as_ten_runs(output: Path, dest: Path, runs: int = 10) -> int:
    """The live articles of `output` as `runs` committed hourly runs of one day would leave
    them (a file each, the same rows): the reference for the readers at equal rows. Rows."""
    import newsclean

    files = newsclean.dataset(str(output), "articles").files
    ids = [f"20260101T{k:02d}0000-t{k:05d}" for k in range(runs)]
    writers = []
    for run_id in ids:
        part = dest / "articles" / "ingest_date=2026-01-01" / f"part-{run_id}-00000.parquet"
        part.parent.mkdir(parents=True, exist_ok=True)
        writers.append(pq.ParquetWriter(part, ARTICLES_SCHEMA, compression="zstd"))
        (dest / "runs").mkdir(parents=True, exist_ok=True)
        (dest / "runs" / f"{run_id}.json").write_text(json.dumps({"run_id": run_id}))
    rows = 0
    scan = ds.dataset(files, format="parquet", schema=ARTICLES_SCHEMA).to_batches()
    for k, batch in enumerate(scan):  # a batch a run in turn: every run gets about rows / runs
        i = k % runs
        at = ARTICLES_SCHEMA.get_field_index("run_id")
        run = pa.array([ids[i]] * batch.num_rows, pa.string())
        batch = batch.set_column(at, ARTICLES_SCHEMA.field(at), run)
        writers[i].write_batch(batch)
        rows += batch.num_rows
    for writer in writers:
        writer.close()
    return rows


def compact(output: str, env: dict[str, str], requests: Requests | None) -> dict:
    cmd = [sys.executable, "-m", "flows", "compact", "--output", output, "--retain-seconds", "0"]
    sent = requests.count() if requests else 0
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    out = {"wall_s": round(time.perf_counter() - t, 2), **json.loads(done.stdout.splitlines()[-1])}
    if requests:
        out["requests"] = requests.count() - sent
    return out


def files_in(output: str) -> int:
    location = resolve_location(output)
    fs = location.filesystem()
    fs.invalidate_cache()
    return sum(1 for p in fs.find(location.path) if "/reports/" not in p)


def history(args: argparse.Namespace, work: Path, env: dict, requests: Requests | None) -> dict:
    """The whole measurement; OUTPUTs local, or on the S3 endpoint when `requests` is given."""
    r = args.repeat
    inputs = build_inputs(args.data, work, args.pages, 1 + 2 * r)
    seed, first, second = inputs[0], inputs[1 : 1 + r], inputs[1 + r :]
    local = work / "out_history"
    res: dict = {"runs": args.runs, "pages": args.pages, "repeat": r, "s3": requests is not None}
    seeded = run(seed, str(local), env, None)  # also starts the kept Prefect server
    res["history_files_added"] = replicate(local, seeded["run_id"], args.runs)
    if requests is None:
        target, empty = str(local), [str(work / f"out_empty{k}") for k in range(r)]
    else:
        fs = resolve_location("s3://bench/x").filesystem()
        fs.mkdir("bench")
        t = time.perf_counter()
        for folder in (*_STATE, *_TABLES, "runs"):
            if (local / folder).is_dir():
                fs.put(f"{local / folder}/", f"bench/history/{folder}/", recursive=True)
        res["upload_s"] = round(time.perf_counter() - t, 1)
        target, empty = "s3://bench/history", [f"s3://bench/empty{k}" for k in range(r)]
    res["empty"] = {
        "run": best([run(p, o, env, requests) for p, o in zip(first, empty, strict=True)]),
        "nothing_new": best([run(p, o, env, requests) for p, o in zip(first, empty, strict=True)]),
        "readers": readers(empty[0]),
    }
    if not args.after_only:
        res["before"] = {
            "files": files_in(target),
            "run": best([run(p, target, env, requests) for p in first]),
            "nothing_new": best([run(p, target, env, requests) for p in first]),
            "readers": readers(target, times=1),  # slow before compaction: read once
        }
    res["compact"] = compact(target, env, requests)
    res["vacuum"] = compact(target, env, requests)
    after = [run(p, target, env, requests) for p in second]
    res["after"] = {
        "files": files_in(target),
        "run": best(after),
        # each run's requests: the first run on an uploaded history opens every manifest once
        # (the state check's first look; runs before it would have done it)
        "runs_requests": [r.get("requests") for r in after],
        "nothing_new": best([run(p, target, env, requests) for p in second]),
        "readers": readers(target),
    }
    res["compact_day"] = compact(target, env, requests)  # the runs since, into their month
    if requests is None:  # the readers at the same rows, as 10 runs leave them
        ten = work / "out_ten_runs"
        res["ten_runs"] = {"rows_written": as_ten_runs(local, ten), "readers": readers(str(ten))}
    return res


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_history", description=__doc__)
    parser.add_argument("--runs", type=int, default=500, help="runs in the synthetic history")
    parser.add_argument("--pages", type=int, default=20, help="new pages a run")
    parser.add_argument("--repeat", type=int, default=2, help="runs a reading (the fastest kept)")
    parser.add_argument("--s3", action="store_true", help="OUTPUT on moto's S3 endpoint")
    parser.add_argument(
        "--after-only",
        action="store_true",
        help="skip the runs and readers before compaction (minutes at a year of runs)",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=None, help="kept when given")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-history-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = requests = None
    try:
        if args.s3:
            server, url = start_moto(work / "moto.log")
            env.update(
                AWS_ACCESS_KEY_ID="bench",
                AWS_SECRET_ACCESS_KEY="bench",
                AWS_DEFAULT_REGION="us-east-1",
                AWS_ENDPOINT_URL=url,
            )
            os.environ.update({k: env[k] for k in env if k.startswith("AWS_")})
            requests = Requests(work / "moto.log")
        res = history(args, work, env, requests)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(res, indent=1))
    print(table(res))


def table(res: dict) -> str:
    rows = [
        "| OUTPUT | 20-page run | outside clean | dedup / discover | nothing new (CPU)"
        " | DuckDB count | pandas read | Polars read |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, label in (
        ("empty", "empty"),
        ("before", f"{res['runs']} runs"),
        ("after", f"{res['runs']} runs, compacted"),
    ):
        if key not in res:
            continue
        r = res[key]
        phases = r["run"].get("phases_s", {})
        rows.append(
            f"| {label} | {r['run']['wall_s']} s | {r['run'].get('outside_clean_s')} s"
            f" | {phases.get('dedup')} / {phases.get('discover')} s"
            f" | {r['nothing_new']['wall_s']} s ({r['nothing_new']['cpu_s']} s)"
            f" | {r['readers']['duckdb_s']} s | {r['readers']['pandas_s']} s"
            f" | {r['readers']['polars_s']} s |"
        )
    if "ten_runs" in res:
        r = res["ten_runs"]["readers"]
        rows.append(
            f"| the compacted history's {r['rows']} articles as 10 runs | | | | "
            f"| {r['duckdb_s']} s | {r['pandas_s']} s | {r['polars_s']} s |"
        )
    rows.append(
        f"compaction: {res['compact']['wall_s']} s, then {res['vacuum']['wall_s']} s (nothing"
        f" left), {res['compact_day']['wall_s']} s (the runs after it);"
        f" report of a 20-page run: {res['after']['run'].get('report_kb')} KB"
    )
    if res["s3"]:
        rows.append(
            "S3 requests a 20-page run / nothing new: "
            + ", ".join(
                f"{k} {res[k]['run']['requests']} / {res[k]['nothing_new']['requests']}"
                for k in ("empty", "before", "after")
                if k in res
            )
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
