"""Issue 18, case 6: doc_id is unique across articles, duplicates and quarantine (a flow run).

Identical bytes in two files and two identical lines of one JSONL file (a good record and a
malformed one, each twice) are distinct records: distinct doc_ids, one content_hash, found as
exact duplicates; no duplicates row carries its own doc_id as duplicate_of.
"""

from __future__ import annotations

import json

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page

pytestmark = pytest.mark.slow
TABLES = ("articles", "pages", "duplicates", "quarantine")


def test_doc_id_is_unique_across_the_three_tables(prefect_harness, tmp_path):
    from flows.clean_articles import clean_articles

    root, output = tmp_path / "input", tmp_path / "output"
    (root / "copy").mkdir(parents=True)
    bridge = page("Old bridge to close", STORIES["bridge"], "River Post")
    (root / "bridge.html").write_text(bridge)
    (root / "copy" / "bridge.html").write_text(bridge)
    ferry = json.dumps(
        {"url": "https://example.org/f", "html": page("Ferry", STORIES["ferry"], "I")}
    )
    (root / "records.jsonl").write_text("\n".join([ferry, ferry, "{bad", "{bad"]) + "\n")

    manifest = clean_articles(
        input_dir=str(root), output_dir=str(output), workers=1, show_progress=False
    )
    assert manifest["status"] == "succeeded" and manifest["accounting"]["balanced"]
    rows = {
        t: ds.dataset(output / t, format="parquet", partitioning="hive").to_table().to_pylist()
        for t in TABLES
    }
    ids = [r["doc_id"] for t in TABLES for r in rows[t]]
    assert len(ids) == len(set(ids)) == 6
    articles = {r["doc_id"]: r for r in rows["articles"]}
    assert len(rows["duplicates"]) == 2
    for dup in rows["duplicates"]:
        assert dup["duplicate_of"] != dup["doc_id"] and dup["duplicate_of"] in articles
        assert dup["content_hash"] == articles[dup["duplicate_of"]]["content_hash"]
        assert dup["kind"] == "exact"
    bad = [r for r in rows["quarantine"] if r["reason"] == "malformed_jsonl"]
    assert len(bad) == 2 and bad[0]["content_hash"] == bad[1]["content_hash"]
