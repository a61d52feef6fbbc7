"""The same page saved at two paths, whose story is also published longer elsewhere."""

from __future__ import annotations

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page

pytestmark = pytest.mark.slow


def _rows(output, name):
    return ds.dataset(output / name, format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.mark.parametrize("shard_size", [1, 1000])  # the two copies in two shards, or in one
def test_both_copies_point_at_the_longer_version(prefect_harness, tmp_path, shard_size):
    from flows.clean_articles import clean_articles

    root, output = tmp_path / "input", tmp_path / "output"
    short = page("Old bridge to close", STORIES["bridge"], "River Post")
    longer = page(
        "Old bridge to close",
        [*STORIES["bridge"], "The board will meet again on Thursday to vote on the detour."],
        "River Post",
    )
    for path, html in (("a/bridge.html", short), ("b/bridge.html", short), ("c/long.html", longer)):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html)

    manifest = clean_articles(
        input_dir=str(root),
        output_dir=str(output),
        workers=1,
        shard_size=shard_size,
        show_progress=False,
    )
    assert manifest["status"] == "succeeded"
    articles = _rows(output, "articles")
    assert [a["source_path"] for a in articles] == ["c/long.html"]
    dups = sorted(_rows(output, "duplicates"), key=lambda r: r["source_path"])
    assert [d["source_path"] for d in dups] == ["a/bridge.html", "b/bridge.html"]
    # same bytes at two paths: two records (two doc_ids) with one content hash
    assert dups[0]["doc_id"] != dups[1]["doc_id"]
    assert dups[0]["content_hash"] == dups[1]["content_hash"]
    # both point at the article a reader can find, not at the dropped first copy
    assert {d["duplicate_of"] for d in dups} == {articles[0]["doc_id"]}
