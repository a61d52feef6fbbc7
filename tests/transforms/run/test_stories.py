"""A run's story links read from and written for OUTPUT (transforms.run.stories)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from transforms.core.schema import ARTICLES_SCHEMA, DUPLICATES_SCHEMA, STORY_LINKS_SCHEMA
from transforms.dedup.stories import current_stories
from transforms.run.stories import link_stories, story_counts, with_story_ids

DAY = [datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 9)]


def _publish_articles(output: Path, founded: dict[str, datetime]) -> None:
    """Founding articles as earlier runs published them (only the columns read here)."""
    folder = output / "articles" / "ingest_date=2026-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([ARTICLES_SCHEMA.field("doc_id"), ARTICLES_SCHEMA.field("ingested_at")])
    table = pa.table({"doc_id": list(founded), "ingested_at": list(founded.values())}, schema)
    pq.write_table(table, folder / f"part-{len(list(folder.iterdir()))}.parquet")


def _publish_links(output: Path, links: pa.Table, run: int) -> None:
    folder = output / "story_links" / "ingest_date=2026-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(links, folder / f"part-run{run}-all.parquet")


def _bridges(*pairs: tuple[str, str]) -> pa.Table:
    return pa.table({"cluster_id": [c for c, _ in pairs], "via_doc_id": [v for _, v in pairs]})


def _all_links(output: Path) -> pa.Table:
    return pq.read_table(output / "story_links", schema=STORY_LINKS_SCHEMA)


def _rows(links: pa.Table) -> set[tuple[str, str, str, str]]:
    cols = ["story_id", "merged_into", "via_doc_id", "reason"]
    return {tuple(r[c] for c in cols) for r in links.to_pylist()}


def test_a_first_link_and_a_later_merge_of_the_survivor(tmp_path: Path):
    # stories a (day 1), b (day 2), c (day 3) published; then d, founded before all of them
    _publish_articles(tmp_path, {"a": DAY[1], "b": DAY[2], "c": DAY[3], "d": DAY[0]})

    run3 = link_stories(tmp_path, _bridges(("b", "x"), ("a", "x")), "run3", DAY[4])
    assert _rows(run3) == {("b", "a", "x", "linked_by_new_document")}
    _publish_links(tmp_path, run3, 3)

    # a new document reaches b's cluster (now story a) and c: c joins a, b is already there
    run4 = link_stories(tmp_path, _bridges(("b", "y"), ("c", "y")), "run4", DAY[5])
    assert _rows(run4) == {("c", "a", "y", "linked_by_new_document")}
    _publish_links(tmp_path, run4, 4)

    # then story d (founded first) and c's cluster: a loses, b and c follow it into d
    run5 = link_stories(tmp_path, _bridges(("c", "z"), ("d", "z")), "run5", DAY[6])
    assert _rows(run5) == {
        ("a", "d", "z", "linked_by_new_document"),
        ("b", "d", "z", "followed_merged_story"),
        ("c", "d", "z", "followed_merged_story"),
    }
    assert run5.schema.equals(STORY_LINKS_SCHEMA, check_metadata=False)
    assert set(run5.column("run_id").to_pylist()) == {"run5"}
    _publish_links(tmp_path, run5, 5)

    # a reader resolves every story to d from the appended rows alone (no file was rewritten)
    assert current_stories(_all_links(tmp_path), "abcd") == {"a": "d", "b": "d", "c": "d"}
    assert story_counts(4, run5) == {
        "new_stories": 4,
        "stories_merged": 1,
        "link_rows": {"linked_by_new_document": 1, "followed_merged_story": 2},
    }


def test_stories_already_one_are_not_linked_again(tmp_path: Path):
    _publish_articles(tmp_path, {"a": DAY[0], "b": DAY[1]})
    _publish_links(
        tmp_path, link_stories(tmp_path, _bridges(("a", "x"), ("b", "x")), "r", DAY[2]), 1
    )
    again = link_stories(tmp_path, _bridges(("a", "y"), ("b", "y")), "r2", DAY[3])
    assert again.num_rows == 0


def test_no_bridges_no_rows_and_no_history_needed(tmp_path: Path):
    empty = pa.table(
        {"cluster_id": pa.array([], pa.string()), "via_doc_id": pa.array([], pa.string())}
    )
    assert link_stories(tmp_path / "fresh", empty, "r", DAY[0]).num_rows == 0


def _duplicates(pairs: list[tuple[str, str]]) -> pa.Table:
    n = len(pairs)
    rows = {
        "doc_id": [d for d, _ in pairs],
        "duplicate_of": [o for _, o in pairs],
        "story_id": [o for _, o in pairs],
    }
    for field in DUPLICATES_SCHEMA:
        if field.name not in rows:
            rows[field.name] = pa.nulls(n, field.type)
    return pa.table(rows).select(DUPLICATES_SCHEMA.names)


@pytest.mark.parametrize(
    ("earlier", "now", "expected"),
    [
        ([], [], ["a", "b", "n"]),  # no link: each copy in its canonical's story
        ([("b", "a")], [], ["a", "a", "n"]),  # b was merged into a by an earlier run
        ([], [("b", "a")], ["a", "a", "n"]),  # ... by this run
        ([("b", "a")], [("a", "c"), ("b", "c")], ["c", "c", "n"]),  # then a into c now
    ],
)
def test_with_story_ids_takes_the_current_story(tmp_path: Path, earlier, now, expected):
    def links(rows):
        return pa.table(
            {
                "story_id": [s for s, _ in rows],
                "merged_into": [t for _, t in rows],
                "via_doc_id": ["v"] * len(rows),
                "reason": ["linked_by_new_document"] * len(rows),
                "ingested_at": [DAY[0]] * len(rows),
                "run_id": ["r"] * len(rows),
            },
            schema=STORY_LINKS_SCHEMA,
        )

    if earlier:
        _publish_links(tmp_path, links(earlier), 1)
    dups = _duplicates([("d1", "a"), ("d2", "b"), ("d3", "n")])
    out = with_story_ids(dups, tmp_path, links(now))
    assert out.column("story_id").to_pylist() == expected
    assert out.column("duplicate_of").to_pylist() == ["a", "b", "n"]  # duplicate_of unchanged
