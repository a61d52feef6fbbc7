"""Stories across runs: bridges, the survivor rule, the current story (transforms.dedup.stories)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.transforms.dedup.dedup_texts import article, join, paras
from transforms.core.config import DedupSettings
from transforms.dedup.clusters import find_duplicates, near_duplicate, pair_scores
from transforms.dedup.stories import (
    FOLLOWED,
    LINKED,
    current_stories,
    merge_stories,
    story_bridges,
)

CONFIG = DedupSettings()
DAY = [datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 6)]


@pytest.mark.parametrize(
    ("bridges", "founded", "expected"),
    [
        # one document links two stories: the one founded first survives
        ([("v", "b"), ("v", "a")], {"a": DAY[1], "b": DAY[0]}, {"a": ("b", "v")}),
        # founded in one run: the smaller id survives
        ([("v", "b"), ("v", "a")], {"a": DAY[0], "b": DAY[0]}, {"b": ("a", "v")}),
        # an unknown founding time sorts last
        ([("v", "a"), ("v", "b")], {"b": DAY[3]}, {"a": ("b", "v")}),
        # two documents of one run, sharing story b: a, b and c are one story, via the smaller
        (
            [("v2", "b"), ("v2", "c"), ("v1", "a"), ("v1", "b")],
            {"a": DAY[2], "b": DAY[1], "c": DAY[0]},
            {"a": ("c", "v1"), "b": ("c", "v1")},
        ),
        # a document that reaches one story only links nothing
        ([("v", "a")], {"a": DAY[0]}, {}),
        # two separate groups
        (
            [("v", "a"), ("v", "b"), ("w", "c"), ("w", "d")],
            {s: DAY[0] for s in "abcd"},
            {"b": ("a", "v"), "d": ("c", "w")},
        ),
    ],
)
def test_merge_stories_survivor_rule(bridges, founded, expected):
    assert merge_stories(bridges, founded) == expected


def test_merge_stories_does_not_depend_on_the_order_of_links():
    founded = {"a": DAY[2], "b": DAY[0], "c": DAY[1]}
    one_run = merge_stories([("v", "a"), ("v", "b"), ("v", "c")], founded)
    # a and c linked first, then (their survivor) c and b by a later run
    first = merge_stories([("v", "a"), ("v", "c")], founded)
    later = merge_stories([("w", first["a"][0]), ("w", "b")], founded)
    assert {s for s, (to, _) in one_run.items()} == {"a", "c"}
    assert {to for to, _ in one_run.values()} == {"b"} == {to for to, _ in later.values()}


@pytest.mark.parametrize(
    ("rows", "ids", "expected"),
    [
        ([], ["a"], {}),  # never merged: its own story
        ([("b", "a")], ["a", "b"], {"b": "a"}),
        # b went to a, then a (and b with it) to c: b's current story is c, not a
        ([("b", "a"), ("a", "c"), ("b", "c")], ["a", "b", "c"], {"a": "c", "b": "c"}),
    ],
)
def test_current_story_is_the_link_whose_target_has_none(rows, ids, expected):
    table = pa.table(
        {"story_id": [r[0] for r in rows], "merged_into": [r[1] for r in rows]},
        schema=pa.schema([("story_id", pa.string()), ("merged_into", pa.string())]),
    )
    assert current_stories(table, ids) == expected


def test_story_bridges_name_the_earlier_clusters_one_new_cluster_reaches():
    # nodes 0-2 new; 3-6 index articles of clusters A, A, B, C
    labels = np.array([0, 0, 2, 0, 0, 0, 6])
    cluster = pa.array(["n0", "n1", "n2", "A", "A", "B", "C"])
    doc_id = pa.array(["z", "y", "x", "a1", "a2", "b1", "c1"])
    got = story_bridges(labels, 3, cluster, doc_id).to_pylist()
    # component 0 holds new rows z and y and clusters A and B; C was not reached by a new row
    assert sorted((r["cluster_id"], r["via_doc_id"]) for r in got) == [("A", "y"), ("B", "y")]


def test_story_bridges_without_two_earlier_clusters_are_empty():
    labels = np.array([0, 1, 0, 1])
    cluster = pa.array(["n0", "n1", "A", "A"])
    assert story_bridges(labels, 2, cluster, pa.array(["p", "q", "a1", "a2"])).num_rows == 0
    assert story_bridges(np.array([0]), 1, pa.array(["n"]), pa.array(["n"])).num_rows == 0


# --- through find_duplicates: a document made of most of two stories ---------------------

A, B = paras(article(60, paragraphs=10)), paras(article(61, paragraphs=10))
BRIDGE = join(A[:8] + B[2:])  # a wire copy that merged two stories: most of each


def _rows(bodies: list[str], ids: list[str]) -> pa.Table:
    from transforms.dedup.clusters import dedup_columns

    return (
        dedup_columns(bodies, CONFIG)
        .append_column("doc_id", pa.array(ids, pa.string()))
        .append_column("word_count", pa.array([len(b.split()) for b in bodies], pa.int32()))
        .append_column("published_at", pa.nulls(len(bodies), pa.timestamp("us", tz="UTC")))
    )


def _index(result, folder: Path, name: str) -> None:
    folder.mkdir(exist_ok=True)
    pq.write_table(result.index_rows(result.new.filter(pa.array(result.keep))), folder / name)


def test_the_bridge_verifies_against_both_stories_and_they_not_against_each_other():
    rows = _rows([join(A), join(B), BRIDGE], ["a", "b", "x"])
    from transforms.dedup.minhash import matrix

    sig = matrix(rows.column("minhash"), CONFIG.num_perm, np.uint32)
    size = rows.column("shingle_count").to_numpy().astype(np.float64)
    jac, contain, share = pair_scores(sig, size, np.array([0, 1, 0]), np.array([2, 2, 1]))
    assert near_duplicate(jac, contain, share, CONFIG).tolist() == [True, True, False]


def test_a_new_document_joining_two_published_clusters_names_both(tmp_path: Path):
    index = tmp_path / "dedup_index"
    run1 = find_duplicates(_rows([join(A)], ["a"]), None, CONFIG)
    _index(run1, index, "run1.parquet")
    run2 = find_duplicates(_rows([join(B)], ["b"]), str(index), CONFIG)
    assert run2.keep.tolist() == [True] and run2.bridges.num_rows == 0  # two stories
    _index(run2, index, "run2.parquet")
    run3 = find_duplicates(_rows([BRIDGE], ["x"]), str(index), CONFIG)
    assert run3.keep.tolist() == [False]  # a duplicate of one published canonical
    assert sorted(run3.bridges.to_pylist(), key=str) == [
        {"cluster_id": "a", "via_doc_id": "x"},
        {"cluster_id": "b", "via_doc_id": "x"},
    ]


def test_reasons_are_stable_names():
    assert (LINKED, FOLLOWED) == ("linked_by_new_document", "followed_merged_story")
