"""What a run costs after a long history, before and after compaction: `make bench-history`.

    .venv/bin/python -m benchmarks.bench_history --runs 500 [--pages 20] [--work DIR]

1. Three sets of `pages` dev pages (../shared/data/wcxb-dev): seed, A and B.
2. An empty OUTPUT: a run of A (20 new pages), then A again (nothing new): the reference.
3. A history: a real run of the seed set, whose state files (ledger, dedup index, each table's
   part, its manifest) are replicated to `runs` runs as hourly runs would leave them (one
   ingest_date partition a day, 24 runs a day; hard links, so the copies cost no disk).
4. Against the history: a run of A and A again; readers (DuckDB count, pandas read of
   articles); then `python -m flows.compact` twice (the second deletes what the first replaced,
   as the next day's compaction does with its default retention); then a run of B, B again,
   and the readers again.

Every run is the command a scheduler runs (`python -m flows.cli`, two workers, a Prefect
server kept between runs: the first run starts it). Wall seconds are the whole command's; the
phases are the manifest's. Prints one JSON object and a table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "wcxb-dev"
_STATE = ("ledger", "dedup_index", "unreadable")
_TABLES = ("articles", "pages", "duplicates", "quarantine", "story_links")


def build_inputs(data: Path, work: Path, pages: int) -> dict[str, Path]:
    """Three folders of `pages` distinct dev pages each: seed, a, b."""
    sources = sorted((data / "html").glob("*.html.gz"))
    if len(sources) < 3 * pages:
        raise SystemExit(f"{data}: {len(sources)} pages, {3 * pages} needed")
    out = {}
    for k, name in enumerate(("seed", "a", "b")):
        folder = work / f"in_{name}"
        folder.mkdir(parents=True, exist_ok=True)
        for src in sources[k * pages : (k + 1) * pages]:
            (folder / src.name.removesuffix(".gz")).write_bytes(gzip.decompress(src.read_bytes()))
        out[name] = folder
    return out


def run(input_dir: Path, output: Path, env: dict[str, str]) -> dict:
    """One `python -m flows.cli` run: wall seconds, and the new manifest's phases if any."""
    before = set((output / "runs").glob("*.json")) if (output / "runs").is_dir() else set()
    cmd = [sys.executable, "-m", "flows.cli", "--input", str(input_dir), "--output", str(output)]
    cmd += ["--workers", "2", "--keep-server", "900", "--no-progress"]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"run failed ({done.returncode}): {done.stderr[-2000:]}")
    new = sorted(set((output / "runs").glob("*.json")) - before)
    out: dict = {"wall_s": round(wall, 2)}
    if new:
        manifest = json.loads(new[-1].read_text())
        out["run_id"] = manifest["run_id"]
        out["phases_s"] = phases = manifest["timings"]["wall_seconds"]
        # the command's seconds outside cleaning the pages: what history can make grow
        out["outside_clean_s"] = round(wall - phases.get("clean", 0.0), 2)
        report = output / "reports" / manifest["run_id"]
        out["report_kb"] = round(
            sum(p.stat().st_size for p in report.rglob("*") if p.is_file()) / 1024, 1
        )
    return out


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


def readers(output: Path) -> dict:
    """Seconds of the README's readers on articles (DuckDB count, pandas read)."""
    import newsclean

    t = time.perf_counter()
    con = newsclean.duckdb_views(output)
    rows = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    duck = time.perf_counter() - t
    t = time.perf_counter()
    frame = newsclean.read_pandas(output, "articles", columns=["doc_id", "title"])
    pandas = time.perf_counter() - t
    return {
        "rows": rows,
        "duckdb_s": round(duck, 3),
        "pandas_s": round(pandas, 3),
        "pandas_rows": len(frame),
    }


def compact(output: Path, env: dict[str, str]) -> dict:
    cmd = [sys.executable, "-m", "flows.compact", "--output", str(output), "--retain-seconds", "0"]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return {"wall_s": round(time.perf_counter() - t, 2), **json.loads(done.stdout.splitlines()[-1])}


def files_in(output: Path) -> int:
    return sum(1 for p in output.rglob("*") if p.is_file() and "reports" not in p.parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_history", description=__doc__)
    parser.add_argument("--runs", type=int, default=500, help="runs in the synthetic history")
    parser.add_argument("--pages", type=int, default=20, help="new pages a run")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=None, help="kept when given")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-history-"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        inputs = build_inputs(args.data, work, args.pages)
        out_empty, out_hist = work / "out_empty", work / "out_history"
        res: dict = {"runs": args.runs, "pages": args.pages}
        seed = run(inputs["seed"], out_hist, env)  # also starts the kept Prefect server
        res["empty"] = {"run": run(inputs["a"], out_empty, env)}
        res["empty"]["nothing_new"] = run(inputs["a"], out_empty, env)
        res["empty"]["readers"] = readers(out_empty)
        res["history_files_added"] = replicate(out_hist, seed["run_id"], args.runs)
        res["before"] = {"files": files_in(out_hist), "run": run(inputs["a"], out_hist, env)}
        res["before"]["nothing_new"] = run(inputs["a"], out_hist, env)
        res["before"]["readers"] = readers(out_hist)
        res["compact"] = compact(out_hist, env)
        res["vacuum"] = compact(out_hist, env)
        res["after"] = {"files": files_in(out_hist), "run": run(inputs["b"], out_hist, env)}
        res["after"]["nothing_new"] = run(inputs["b"], out_hist, env)
        res["after"]["readers"] = readers(out_hist)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(res, indent=1))
    print(table(res))


def table(res: dict) -> str:
    rows = [
        "| OUTPUT | 20-page run | its dedup / discover | nothing new | DuckDB count | pandas read |"
    ]
    rows.append("|---|---|---|---|---|---|")
    for key, label in (
        ("empty", "empty"),
        ("before", f"{res['runs']} runs"),
        ("after", f"{res['runs']} runs, compacted"),
    ):
        r = res[key]
        phases = r["run"].get("phases_s", {})
        rows.append(
            f"| {label} | {r['run']['wall_s']} s | {r['run'].get('outside_clean_s')} s"
            f" | {phases.get('dedup')} / {phases.get('discover')} s"
            f" | {r['nothing_new']['wall_s']} s | {r['readers']['duckdb_s']} s | {r['readers']['pandas_s']} s |"
        )
    rows.append(
        f"compaction: {res['compact']['wall_s']} s, then {res['vacuum']['wall_s']} s (vacuum)"
    )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
