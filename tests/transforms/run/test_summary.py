"""The run's summaries (transforms/run/summary.py): the Prefect UI's artifact (counts, quarantine
reasons, quality flags, page types when recorded, where the data is) and the closing lines
`make run` prints."""

from __future__ import annotations

import pytest

from transforms.run.summary import summary_markdown, summary_text


def _manifest(**overrides) -> dict:
    manifest = {
        "run_id": "20260102T080000Z-aaaaaa",
        "status": "succeeded",
        "output_dir": "s3://bucket/clean/",
        "accounting": {
            "documents_in": 8,
            "articles": 4,
            "pages": 1,
            "duplicates": 1,
            "quarantined": 2,
            "balanced": True,
        },
        "outcome": "4 articles, 1 pages, 1 duplicates, 2 quarantined of 8 new documents",
        "quarantine_reasons": {"read:malformed_jsonl": 1, "quality_gate:too_short": 1},
        "quality_flags": {"repeated_paragraph": 1},
        "data_docs": "s3://bucket/clean/reports/20260102T080000Z-aaaaaa/index.html",
        "table_failures": [],
        "timings": {"wall_seconds": {"total": 12.34}},
        "inputs": {
            "files_processed": 6,
            "files_skipped_already_processed": 3,
            "files_ignored_unsupported": 1,
        },
        "changes": {"byline_removed": 2},
    }
    return {**manifest, **overrides}


def test_the_summary_shows_counts_reasons_flags_and_where_the_data_is():
    text = summary_markdown(_manifest())
    assert "| 8 | 4 | 1 | 1 | 2 | True |" in text
    assert "| `read:malformed_jsonl` | 1 |" in text and "| `quality_gate:too_short` | 1 |" in text
    assert "| `repeated_paragraph` | 1 |" in text
    for table in ("articles", "pages", "duplicates", "quarantine", "story_links"):
        assert f"| {table} | `s3://bucket/clean/{table}/` |" in text
    assert "`s3://bucket/clean/runs/20260102T080000Z-aaaaaa.json`" in text
    assert "s3://bucket/clean/reports/20260102T080000Z-aaaaaa/index.html" in text
    assert 'newsclean.read_pandas("s3://bucket/clean", "articles")' in text
    assert "Page types" not in text  # only when the run records them


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"quarantine_reasons": {}}, "**Quarantine reasons:** none"),
        ({"quality_flags": {}}, "**Quality flags on published articles:** none"),
        ({"page_types": {"article": 5, "listing": 2}}, "| `listing` | 2 |"),
        ({"table_failures": ["accounting_not_balanced"]}, "accounting_not_balanced"),
        ({"data_docs": "/out/reports/r/index.html"}, "file:///out/reports/r/index.html"),
    ],
)
def test_the_summary_says_what_there_is_and_is_not(overrides, expected):
    assert expected in summary_markdown(_manifest(**overrides))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "run 20260102T080000Z-aaaaaa succeeded in 12.3 s"),
        ({}, "6 files processed, 3 already processed, 1 ignored, 0 known unreadable"),
        ({}, "quarantined 2 (balanced)"),
        ({"accounting": {**_manifest()["accounting"], "balanced": False}}, "NOT BALANCED"),
        ({}, "quarantine read:malformed_jsonl: 1"),
        ({}, "repairs: byline_removed 2"),
        ({"stories": {"stories_merged": 3}}, "stories: 3 published earlier merged"),
        ({}, "articles/    s3://bucket/clean/articles"),
    ],
)
def test_the_closing_lines_say_what_the_run_did_and_where(overrides, expected):
    assert expected in summary_text(_manifest(**overrides), "s3://bucket/clean/")
