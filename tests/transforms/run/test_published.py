"""doc_id is a key across articles, duplicates and quarantine, over runs (issue 18, case 6).

Two runs as the flow makes them (discover, clean a shard, deduplicate, stage, publish), without
Prefect: identical bytes at two paths and on two lines of one JSONL file are distinct records
found as exact duplicates by their content hash; the second run re-reads the grown JSONL file
and meets its earlier records again (not published twice) and a third copy of a page the first
run published (a duplicate of it, by content hash, across runs).
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page
from tests.shards import run_shard
from transforms.core.config import PipelineConfig
from transforms.core.schema import LEDGER
from transforms.read.files import discover
from transforms.run.deduplicate import deduplicate_run
from transforms.run.ledger import split_pending
from transforms.run.manifest import accounting
from transforms.run.stage_outputs import discover_quarantine, stage_run
from transforms.run.store import RunPaths, publish, stage_manifest

TABLES = ("articles", "pages", "duplicates", "quarantine")


def _run(root: Path, output: Path, run_id: str) -> dict:
    config = PipelineConfig()
    now = datetime.now(UTC)
    paths = RunPaths(output, run_id)
    files, drops, _ = discover(root, config.read)
    pending, _ = split_pending(files, output / LEDGER)
    result = run_shard(str(root), pending, str(output), run_id, "00000", now, config)
    staged = stage_run(
        paths,
        deduplicate_run(paths, config, run_id, now),
        result.read_files,
        discover_quarantine(drops, run_id, now),
        now,
    )
    acc = accounting(
        result.documents + len(drops),
        staged.articles,
        staged.duplicates,
        staged.quarantined,
        staged.already_published,
        staged.pages,
    )
    stage_manifest(paths, {"run_id": run_id, "accounting": acc})
    publish(paths)
    return acc


def _rows(output: Path) -> dict[str, list[dict]]:
    return {
        t: ds.dataset(output / t, format="parquet", partitioning="hive").to_table().to_pylist()
        for t in TABLES
    }


def _record(story: str, title: str) -> str:
    html = page(title, STORIES[story], "Isle News")
    return json.dumps({"url": f"https://example.org/{story}", "html": html})


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("in")
    output = tmp_path_factory.mktemp("out")
    bridge = page("Old bridge to close", STORIES["bridge"], "River Post")
    (root / "a.html").write_text(bridge)
    (root / "copy").mkdir()
    (root / "copy" / "a.html").write_text(bridge)  # the same bytes at another path
    ferry = _record("ferry", "Second ferry")
    # a trimmed copy of the bridge story: a near duplicate of a.html, published as such
    trimmed = json.dumps(
        {"url": "https://x.org/b", "html": page("Bridge", STORIES["bridge"][:3], "X")}
    )
    lines = [ferry, ferry, "{not json", "{not json", trimmed]  # identical lines, good and bad
    (root / "records.jsonl").write_text("\n".join(lines) + "\n")
    first = _run(root, output, "20260101T000000Z-run001")
    after_first = _rows(output)

    # the JSONL file grows by a second copy of the trimmed story and a new record; a third
    # copy of the bridge page arrives
    lines += [trimmed, _record("orchard", "Frost hits orchards")]
    (root / "records.jsonl").write_text("\n".join(lines) + "\n")
    (root / "b.html").write_text(bridge)
    second = _run(root, output, "20260102T000000Z-run002")
    return first, after_first, second, _rows(output)


def test_identical_records_are_distinct_rows_found_by_content_hash(two_runs):
    first, rows, _, _ = two_runs
    assert first["balanced"] and first["documents_in"] == 7 and first["already_published"] == 0
    by_place = {(r["source_path"], r["source_record"]): r for t in TABLES for r in rows[t]}
    dups = {(r["source_path"], r["source_record"]): r for r in rows["duplicates"]}
    assert set(dups) == {("copy/a.html", None), ("records.jsonl", 2), ("records.jsonl", 5)}
    assert dups.pop(("records.jsonl", 5))["kind"] == "near"
    for key, dup in dups.items():
        canonical = by_place[("a.html", None) if key[1] is None else ("records.jsonl", 1)]
        assert dup["duplicate_of"] == canonical["doc_id"] != dup["doc_id"]
        assert dup["content_hash"] == canonical["content_hash"]
        assert dup["rule"] == "identical_raw_record"
    bad = [r for r in rows["quarantine"] if r["source_path"] == "records.jsonl"]
    assert len(bad) == 2 and bad[0]["doc_id"] != bad[1]["doc_id"]


def test_doc_id_is_a_key_across_the_tables_and_runs(two_runs):
    *_, rows = two_runs
    ids = [r["doc_id"] for t in TABLES for r in rows[t]]
    assert len(ids) == len(set(ids)) == 10  # 7 documents in the first run, 3 new ones
    articles = {r["doc_id"] for r in rows["articles"]}
    for dup in rows["duplicates"]:
        assert dup["duplicate_of"] != dup["doc_id"] and dup["duplicate_of"] in articles


def test_a_record_read_again_is_not_published_again(two_runs):
    _, _, second, rows = two_runs
    # records.jsonl was read again whole: its five earlier lines are already published
    assert second["already_published"] == 5
    assert second["documents_in"] == 3 and second["balanced"]  # two new lines and b.html
    b = next(r for r in rows["duplicates"] if r["source_path"] == "b.html")
    a = next(r for r in rows["articles"] if r["source_path"] == "a.html")
    assert b["duplicate_of"] == a["doc_id"] and b["rule"] == "already_processed"
    jsonl = [r["source_record"] for r in rows["articles"] if r["source_path"] == "records.jsonl"]
    assert sorted(jsonl) == [1, 7]
    # line 6 copies line 5, which the first run published as a near copy of a.html: line 6
    # points at a.html (the article), not at line 5 (a duplicates row)
    six = next(r for r in rows["duplicates"] if r["source_record"] == 6)
    assert six["duplicate_of"] == a["doc_id"] and six["rule"] == "identical_raw_record"
