"""Duplicate rows say where each copy ran (url, site, published date), and the canonical-link
evidence is read from the staged articles' changes."""

from datetime import UTC, date, datetime

import pyarrow as pa

from transforms.core.record import Article
from transforms.core.schema import ARTICLES_SCHEMA, DUPLICATES_SCHEMA
from transforms.run.deduplicate import _with_url_evidence
from transforms.run.tables import identical_duplicates_table

NOW = datetime(2026, 1, 2, 8, tzinfo=UTC)


def test_the_where_columns_are_appended_to_duplicates():
    names = DUPLICATES_SCHEMA.names
    assert names[-3:] == ["site_name", "published_at", "published_date"]  # appended: old files read
    assert names.index("run_id") < names.index("site_name")


def test_identical_copies_carry_their_site_and_date():
    copy = Article.from_raw(b"<p>x</p>", "b.html", "html", "markup")
    copy.url, copy.site_name = "https://copy.example/b", "The Copy"
    copy.published_at, copy.published_date = NOW, date(2026, 1, 2)
    row = identical_duplicates_table([(copy, "kept-id")], "r1", NOW).to_pylist()[0]
    assert (row["url"], row["site_name"], row["published_date"]) == (
        "https://copy.example/b",
        "The Copy",
        date(2026, 1, 2),
    )
    assert row["published_at"] == NOW


def test_url_from_link_comes_from_the_url_canonical_change():
    changes = ARTICLES_SCHEMA.field("changes").type
    staged = pa.table(
        {
            "changes": pa.array(
                [
                    [{"reason": "url_canonical", "count": 1}],
                    [{"reason": "byline_removed", "count": 2}],
                    [],
                    None,
                    [
                        {"reason": "title_extracted", "count": 1},
                        {"reason": "url_canonical", "count": 1},
                    ],
                ],
                changes,
            )
        }
    )
    got = _with_url_evidence(staged).column("url_from_link").to_pylist()
    assert got == [True, False, False, False, True]
