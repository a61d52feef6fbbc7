"""Duplicate rows point at a published article, never at another dropped copy or at themselves."""

import pyarrow as pa

from transforms.core.schema import DUPLICATES_SCHEMA
from transforms.run.stage_outputs import point_repeats_at_canonical


def _dups(pairs: list[tuple[str, str]]) -> pa.Table:
    n = len(pairs)
    return pa.table(
        {
            "doc_id": [d for d, _ in pairs],
            "content_hash": ["h"] * n,
            "source_path": [f"{d}.html" for d, _ in pairs],
            "source_record": pa.nulls(n, pa.int64()),
            "source_format": ["html"] * n,
            "url": pa.nulls(n, pa.string()),
            "title": pa.nulls(n, pa.string()),
            "duplicate_of": [o for _, o in pairs],
            "kind": ["exact"] * n,
            "similarity": [1.0] * n,
            "rule": ["identical_raw_record"] * n,
            "story_id": [o for _, o in pairs],
            "ingested_at": pa.nulls(n, pa.timestamp("us", tz="UTC")),
            "run_id": ["r"] * n,
            "site_name": pa.nulls(n, pa.string()),
            "published_at": pa.nulls(n, pa.timestamp("us", tz="UTC")),
            "published_date": pa.nulls(n, pa.date32()),
        },
        schema=DUPLICATES_SCHEMA,
    )


def test_a_copy_of_a_dropped_first_copy_points_at_its_canonical():
    # c copies b (same bytes, b read first); b was then dropped as a near copy of a
    out = point_repeats_at_canonical(_dups([("c", "b"), ("d", "c"), ("b", "a")]))
    assert out.column("duplicate_of").to_pylist() == ["a", "a", "a"]


def test_rows_already_pointing_at_an_article_are_kept():
    table = _dups([("b", "a"), ("c", "a")])
    assert point_repeats_at_canonical(table) is table
