"""Faults: a run killed mid-way, a publish interrupted half-way, a changed input file.

Three runs of the real CLI in a subprocess (each starts its own temporary Prefect server):

A. killed with SIGKILL during the clean phase (as soon as the first shard is staged): nothing
   is published, no partial or temporary Parquet file is where readers look;
B. a normal run over the same input: it discards A's staging, processes every file, and each
   input document is in exactly one table, once;
   then, in this process, a run of one new file is staged with the pipeline's own functions and
   its publish is cut after the READY journal and the first moves (the state a kill between two
   `os.replace` calls leaves; killing a process inside that millisecond window is not
   reproducible, so the state is made exactly instead), and one input file is rewritten;
C. a normal run: it completes the interrupted publish (no row twice, the new file not processed
   again: its ledger rows were published by the recovery), and processes the changed file, and
   only it.

Running twice over unchanged input is covered by test_clean_articles.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.flows.cli_env import cli_env
from tests.flows.corpus import STORIES, page, write_corpus

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
TABLES = ("articles", "duplicates", "quarantine")
LATE_STORY = [
    "A hand-drawn map of the town from the early eighteenth century turned up in a box of "
    "parish papers at the museum last week, ending a search that had lasted forty years.",
    "The curator said the map shows a mill race and a row of cottages that no later survey "
    "records, and that the ink and paper match other documents of the period.",
    "Volunteers sorting the papers for a new catalogue found it folded inside a ledger of "
    "baptisms, where a clerk had probably put it for safekeeping and then forgotten it.",
    "The museum plans to show the map in a glass case from the summer, once a conservator has "
    "flattened the folds and repaired a tear along one edge.",
]
EXTRA = 24  # extra articles: with shards of 2 files the clean phase has ~17 shards


def _extra_articles(root: Path) -> int:
    """Articles made of paragraphs of the corpus stories in varied order, each with its own lead."""
    paragraphs = [p for story in STORIES.values() for p in story]
    for i in range(EXTRA):
        picked = [paragraphs[(i * 5 + k * 7) % len(paragraphs)] for k in range(3)]
        lead = (
            f"Officials in district number {i + 1} said on Wednesday that the review of item "
            f"{i * 37 % 101} would be published before the council meets again next month."
        )
        folder = root / "more"
        folder.mkdir(exist_ok=True)
        (folder / f"story {i:02d}.html").write_text(
            page(f"Report {i + 1}", [lead, *picked], "Extra")
        )
    return EXTRA


def _env(tmp: Path) -> dict[str, str]:
    (tmp / "prefect").mkdir(exist_ok=True)
    return cli_env(tmp / "prefect")


def _cli(root: Path, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "flows",
        "run",
        "--input",
        str(root),
        "--output",
        str(output),
        "--no-progress",
        *extra,
    ]


def _run(cmd: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("w") as out:
        proc = subprocess.run(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    assert proc.returncode == 0, log.read_text()[-3000:]


def _run_and_kill_when(cmd, env, log: Path, ready, timeout: float = 240) -> None:
    """Start the CLI in its own process group; SIGKILL the group once `ready()` is true."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + timeout
            while not ready():
                assert proc.poll() is None, f"run ended before the kill:\n{log.read_text()[-3000:]}"
                assert time.monotonic() < deadline, "the kill point never came"
                time.sleep(0.02)
        finally:
            # the group is this run and the Prefect server it started
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _readers_see_only_complete_files(output: Path) -> dict[str, list[dict]]:
    """Every published table reads in full; no temporary file outside _staging."""
    stray = [
        p
        for p in output.rglob("*")
        if p.name.endswith(".tmp") and "_staging" not in p.relative_to(output).parts
    ]
    assert stray == []
    # every Parquet file outside _staging is complete (its footer parses)
    for f in output.rglob("*.parquet"):
        if "_staging" not in f.relative_to(output).parts:
            pq.read_metadata(f)
    rows = {}
    for name in (*TABLES, "ledger"):
        folder = output / name
        table = (
            ds.dataset(folder, format="parquet", partitioning="hive") if folder.is_dir() else None
        )
        rows[name] = table.to_table().to_pylist() if table is not None else []
    return rows


def _where(rows: dict[str, list[dict]]) -> Counter:
    return Counter((r["source_path"], r["source_record"]) for name in TABLES for r in rows[name])


def _manifest(output: Path, exclude: set[str]) -> dict:
    [path] = [p for p in (output / "runs").glob("*.json") if p.stem not in exclude]
    return json.loads(path.read_text())


def _stage_and_half_publish(root: Path, output: Path, rel: str) -> str:
    """Stage a run of one file as the flow does, then publish only part of it (a crash)."""
    from transforms.core.config import PipelineConfig
    from transforms.read.files import discover
    from transforms.run.deduplicate import deduplicate_run
    from transforms.run.stage_outputs import discover_quarantine, stage_run
    from transforms.run.store import READY, RunPaths, _files_to_publish, new_run_id, stage_manifest

    config = PipelineConfig()
    now = datetime.now(UTC)
    run_id = new_run_id(now.isoformat())
    paths = RunPaths(output, run_id)
    files = [f for f in discover(root, config.read)[0] if f.path == rel]
    from tests.shards import run_shard

    result = run_shard(str(root), files, str(output), run_id, "00000", now, config)
    staged = stage_run(
        paths,
        deduplicate_run(paths, config, run_id, now),
        files,
        discover_quarantine([], run_id, now),
        now,
    )
    assert staged.articles == result.articles == 1
    stage_manifest(paths, {"run_id": run_id, "status": "succeeded"})
    # publish(): the journal, then os.replace file by file, manifest last; die after two moves
    todo = _files_to_publish(paths)
    paths.store.write_bytes(f"{paths.staging}/{READY}", "\n".join(todo).encode())
    assert [k.split("/")[0] for k in todo][:2] == ["articles", "dedup_index"]
    for rel in todo[:2]:
        paths.store.move(f"{paths.publish}/{rel}", rel)
    return run_id


def test_killed_and_interrupted_runs_complete_without_duplicates(tmp_path):
    root, output = tmp_path / "input", tmp_path / "output"
    expected = write_corpus(root)
    documents = expected["documents"] + _extra_articles(root)
    env = _env(tmp_path)
    timings = {}

    # A: SIGKILL while shards are being cleaned
    t0 = time.perf_counter()
    _run_and_kill_when(
        _cli(root, output, "--workers", "1", "--shard-size", "2", "--task-runner", "thread"),
        env,
        tmp_path / "a.log",
        lambda: any(output.glob("_staging/*/shards/articles-*.parquet")),
    )
    timings["A killed"] = time.perf_counter() - t0
    [killed] = [p.name for p in (output / "_staging").iterdir()]
    assert not (output / "_staging" / killed / "READY").exists()  # it died before publishing
    rows = _readers_see_only_complete_files(output)
    assert all(rows[name] == [] for name in rows)
    assert not (output / "runs").exists()
    left_by_a = (
        sorted(p.name for p in (output / "reports").iterdir())
        if (output / "reports").exists()
        else []
    )

    # B: a normal run over the same input discards A's staging and does everything
    t0 = time.perf_counter()
    _run(_cli(root, output, "--workers", "2", "--task-runner", "thread"), env, tmp_path / "b.log")
    timings["B"] = time.perf_counter() - t0
    b = _manifest(output, set())
    assert b["recovered_runs"] == {"completed": [], "discarded": [killed]}
    # the discarded run's Data Docs went with it: only B's report is there, beside the static
    # files and suite pages all runs' reports share
    reports = sorted(p.name for p in (output / "reports").iterdir())
    assert reports == sorted([b["run_id"], "_static", "_suites"]), left_by_a
    assert b["inputs"]["files_processed"] == expected["files"] + EXTRA
    assert b["accounting"]["balanced"] and b["accounting"]["documents_in"] == documents
    rows = _readers_see_only_complete_files(output)
    where = _where(rows)
    assert len(where) == documents and set(where.values()) == {1}
    assert not any((output / "_staging").iterdir())

    # an interrupted publish of a new file, and a changed file (same path, new content)
    new = "late/new story.html"
    (root / "late").mkdir()
    (root / new).write_text(page("Museum finds lost map", LATE_STORY, "Late Post"))
    interrupted = _stage_and_half_publish(root, output, new)
    rows = _readers_see_only_complete_files(output)  # half a run, but no half file
    assert [r["source_path"] for r in rows["articles"]].count(new) == 1
    assert not [r for r in rows["ledger"] if r["source_path"] == new]  # not yet published
    old_library = {r["doc_id"] for r in rows["articles"] if r["source_path"] == "library.txt"}
    (root / "library.txt").write_text(
        "Library extends hours again\n\n" + "\n\n".join(STORIES["library"][::-1])
    )

    # C: completes the interrupted publish, then processes the changed file and only it
    t0 = time.perf_counter()
    _run(_cli(root, output, "--workers", "2", "--task-runner", "thread"), env, tmp_path / "c.log")
    timings["C"] = time.perf_counter() - t0
    c = _manifest(output, {b["run_id"], interrupted})
    assert c["recovered_runs"] == {"completed": [interrupted], "discarded": []}
    assert c["inputs"]["files_processed"] == 1
    assert c["inputs"]["files_skipped_already_processed"] == expected["files"] + EXTRA
    assert c["accounting"]["balanced"] and c["accounting"]["documents_in"] == 1
    assert (output / "runs" / f"{interrupted}.json").is_file()
    rows = _readers_see_only_complete_files(output)
    where = _where(rows)
    assert where.pop(("library.txt", None)) == 2  # the old content and the new
    assert where.pop((new, None)) == 1
    assert len(where) == documents - 1 and set(where.values()) == {1}
    # the rewritten file (its paragraphs in another order) was read again, as a new raw record,
    # and found to be the same story as the article already published from its old content
    [again] = [r for r in rows["duplicates"] if r["source_path"] == "library.txt"]
    assert again["run_id"] == c["run_id"] and again["doc_id"] not in old_library
    assert again["duplicate_of"] in old_library
    ledger = Counter((r["source_path"], r["file_hash"]) for r in rows["ledger"])
    assert set(ledger.values()) == {1}
    assert not any((output / "_staging").iterdir())
    print("\nwall seconds per run:", {k: round(v, 1) for k, v in timings.items()})
