"""Tests of the GX suites and `validate_table`.

Importing great_expectations costs ~3 s and each validation ~1 s of fixed GX overhead, so the
tables are validated once per module (module-scoped fixtures) and the parametrized tests look
their rows up in the outcome.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from expectations import derived
from expectations.suites import SUITE_DIR, any_of, read_suite, suite_path
from expectations.validate import ValidationOutcome, build_report, load_suite, validate_table
from transforms.clean.leftovers import PATTERN_SETS
from transforms.core.config import PipelineConfig
from transforms.core.ids import content_hash, doc_id_for
from transforms.core.schema import (
    ARTICLES,
    ARTICLES_SCHEMA,
    DUPLICATES,
    DUPLICATES_SCHEMA,
    PAGES,
    QUARANTINE,
    QUARANTINE_SCHEMA,
    TABLE_SCHEMAS,
)

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)
PARAGRAPHS = [
    "The city council voted on Tuesday to extend the night bus service to the harbour district.",
    "Supporters said the change would help shift workers who now walk home after midnight.",
    "The transport office expects the first extended routes to start running in early June.",
    "Opponents questioned the cost, which the budget committee put at four million a year.",
    "“It’s overdue,” said Zoë Müller, who drives the late shift on the harbour line.",
]
BODY = "\n\n".join(PARAGRAPHS)


def _id(key: str) -> str:
    return doc_id_for(key.encode(), key)


def article(case: str, **overrides) -> dict:
    """A valid articles row keyed by `case` (its source_path), with `overrides` applied."""
    body = overrides.pop("body", BODY)
    row = {
        "doc_id": _id(case),
        "content_hash": content_hash(case.encode()),
        "source_path": f"{case}.html",
        "source_record": None,
        "source_format": "html",
        "url": "https://example.org/news/night-buses",
        "site_name": "Example Courier",
        "title": "Night buses to run later",
        "subtitle": None,
        "authors": ["Ann Reporter"],
        "published_at": NOW - timedelta(days=1),
        "published_at_precision": "second",
        "published_at_source": "meta",
        "language": "en",
        "body": body,
        "captions": [{"text": "A night bus at the harbour stop.", "credit": "Jane Doe/AP"}],
        "word_count": None if body is None else len(body.split()),
        "changes": [],
        "quality_flags": [],
        "fetched_at": NOW,
        "ingested_at": NOW,
        "run_id": "run-test",
        "pipeline_version": "0.1.0",
        "page_type": "article",
        "page_type_confidence": 0.9,
        "page_type_source": "model",
    }
    row.update(overrides)
    row.setdefault("story_id", row["doc_id"])  # a published article founds its story
    if "published_date" not in overrides:  # the stated day goes with the time, as the step sets it
        row["published_date"] = row["published_at"].date() if row["published_at"] else None
    return row


def with_paragraph(text: str) -> str:
    return BODY + "\n\n" + text


GOOD = {
    "good_plain": {},
    "good_unknowns": {
        "title": None,
        "language": None,
        "published_at": None,
        "published_at_precision": None,
        "captions": [],
        "fetched_at": None,
    },
    "good_no_captions_null": {"captions": None},
    "good_caption_without_credit": {"captions": [{"text": "The harbour.", "credit": None}]},
    # a date-only value is midnight UTC: a page in UTC+14 can be fetched before that midnight
    "good_day_precision_ahead_of_utc": {
        "published_at": datetime(2024, 5, 3, tzinfo=UTC),
        "published_at_precision": "day",
        "fetched_at": datetime(2024, 5, 2, 23, 0, tzinfo=UTC),
        "ingested_at": datetime(2024, 5, 3, 1, 0, tzinfo=UTC),
    },
    # 9:30 pm in New York on 30 April is 1 May in UTC: the stated day is a day before
    "good_stated_day_before_utc_day": {
        "published_at": datetime(2024, 5, 1, 1, 30, tzinfo=UTC),
        "published_date": date(2024, 4, 30),
    },
    "good_lookalikes": {
        "body": with_paragraph(
            "Engineers tested the TCP/IP link (New York/New Jersey) at 80 km/h and said "
            "riders can download the app from Monday. Related coverage continues next week."
        )
    },
    # prompts inside running prose are the cleaning stages' business, not a reason to
    # quarantine the article: only prompt lines are
    "good_prose_prompts": {
        "body": with_paragraph(
            "To comment on the plan, write to the council or click here. Leave a comment below!"
        )
        + "\n\nRead more about the plan in the minutes of the May meeting, which run long."
    },
    "good_short_repeated_lines": {"body": BODY.replace("\n\n", "\n\nQ: Why?\n\n")},
}

# case -> (row overrides, expected reason, expected substring of value or None for a null value)
BAD = {
    "bad_doc_id_null": ({"doc_id": None}, "expect_column_values_to_not_be_null:doc_id", None),
    "bad_doc_id_format": (
        {"doc_id": "NOT-A-HASH"},
        "expect_column_values_to_match_regex:doc_id",
        "NOT-A-HASH",
    ),
    "bad_body_null": ({"body": None}, "expect_column_values_to_not_be_null:body", None),
    "bad_body_blank": ({"body": " \n\n "}, "expect_column_values_to_match_regex:body", " \n\n "),
    "bad_too_short": (
        {"body": "Only six words in this body."},
        "expect_column_values_to_be_between:word_count",
        "6",
    ),
    "bad_word_count_wrong": (
        {"word_count": len(BODY.split()) + 5},
        "expect_column_pair_values_to_be_equal:word_count,_body_words",
        f"word_count={len(BODY.split()) + 5}; _body_words={len(BODY.split())}",
    ),
    "bad_source_format": (
        {"source_format": "pdf"},
        "expect_column_values_to_be_in_set:source_format",
        "pdf",
    ),
    "bad_title_short": ({"title": "ab"}, "expect_column_value_lengths_to_be_between:title", "ab"),
    "bad_title_empty": ({"title": ""}, "expect_column_value_lengths_to_be_between:title", ""),
    "bad_title_long": (
        {"title": "Long " * 70},
        "expect_column_value_lengths_to_be_between:title",
        "Long Long",
    ),
    "bad_language": (
        {"language": "english"},
        "expect_column_values_to_be_in_set:language",
        "english",
    ),
    "bad_precision": (
        {"published_at_precision": "hour"},
        "expect_column_values_to_be_in_set:published_at_precision",
        "hour",
    ),
    "bad_published_after_fetch": (
        {"published_at": NOW + timedelta(days=2)},
        "expect_column_pair_values_a_to_be_greater_than_b:fetched_at,_published_at_earliest",
        "published_at=2024-05-04T12:00:00+00:00",
    ),
    "bad_published_date_far_from_published_at": (
        {"published_date": date(2024, 1, 1)},
        "expect_column_values_to_be_between:_published_day_gap",
        "published_date=2024-01-01",
    ),
    "bad_published_date_without_time": (
        {"published_at": None, "published_at_precision": None, "published_date": date(2024, 5, 1)},
        "expect_column_values_to_be_between:_published_day_gap",
        "published_date=2024-05-01",
    ),
    "bad_published_after_ingest": (
        {"published_at": NOW + timedelta(hours=3), "fetched_at": None},
        "expect_column_pair_values_a_to_be_greater_than_b:ingested_at,_published_at_earliest",
        "ingested_at=2024-05-02T12:00:00+00:00",
    ),
    "bad_binary": (
        {"body": with_paragraph("PK\x03\x04 header then bytes")},
        "expect_column_values_to_not_match_regex:body:binary",
        "PK",
    ),
    "bad_replacement_runs": (
        {"body": with_paragraph("\ufffd\ufffd\x41\ufffd\ufffd\ufffd binary decoded as text")},
        "expect_column_values_to_not_match_regex:body:binary",
        "binary decoded",
    ),
    "bad_markup_body": (
        {"body": "<div class='story'><p>" + "</p><p>".join(PARAGRAPHS) + "</p></div>" * 40},
        "expect_column_values_to_be_between:_markup_share",
        "<div class='story'>",
    ),
    "bad_url_not_web": (
        {"url": "ftp://example.org/news/night-buses"},
        "expect_column_values_to_match_regex:url",
        "ftp://",
    ),
    "bad_url_relative": (
        {"url": "/news/night-buses"},
        "expect_column_values_to_match_regex:url",
        "/news/night-buses",
    ),
}

# Warning expectations: the article is published with the flag (case -> (overrides, flag,
# expected substring of the check's reported value)). The cleaner removes most of these first
# (transforms/clean/leftovers.py); a row that reaches validation with one still carries the flag.
FLAGGED = {
    "flagged_credit_ap_photo": (
        {"body": with_paragraph("Crews repaint the stop on Friday (AP Photo/Evan Moor, File)")},
        "photo_credit_in_body",
        "(AP Photo/Evan Moor, File)",
    ),
    "flagged_credit_name_agency": (
        {"body": BODY.replace("midnight.", "midnight. (Jane Doe/AFP)")},
        "photo_credit_in_body",
        "(Jane Doe/AFP)",
    ),
    "flagged_credit_getty": (
        {"body": with_paragraph("The harbour at dusk. Sam Lee/Getty Images")},
        "photo_credit_in_body",
        "Sam Lee/Getty Images",
    ),
    "flagged_credit_photo_line": (
        {"body": with_paragraph("Photo: Maria Gomez")},
        "photo_credit_in_body",
        "Photo: Maria Gomez",
    ),
    "flagged_click_here": (
        {"body": with_paragraph("CLICK HERE to get the morning briefing in your inbox.")},
        "boilerplate_in_body",
        "CLICK HERE",
    ),
    "flagged_newsletter": (
        {"body": with_paragraph("Sign up for our free daily newsletter today.")},
        "boilerplate_in_body",
        "Sign up for our free daily newsletter",
    ),
    "flagged_leave_reply": (
        {"body": with_paragraph("Leave a Reply")},
        "boilerplate_in_body",
        "Leave a Reply",
    ),
    "flagged_read_more": (
        {"body": with_paragraph("Read more: Night bus fares rise")},
        "boilerplate_in_body",
        "Read more: Night bus fares rise",
    ),
    "flagged_cookies": (
        {"body": with_paragraph("This website uses cookies to improve your experience.")},
        "boilerplate_in_body",
        "This website uses cookies",
    ),
    "flagged_popular_posts": (
        {"body": with_paragraph("Popular Posts")},
        "boilerplate_in_body",
        "Popular Posts",
    ),
    "flagged_repeated_paragraph": (
        {"body": with_paragraph(PARAGRAPHS[1].upper())},
        "repeated_paragraph",
        PARAGRAPHS[1],
    ),
    "flagged_caption_in_body": (
        {
            "body": with_paragraph("A night bus at the harbour stop."),
            "captions": [{"text": "A night bus at the harbour stop.", "credit": None}],
        },
        "caption_in_body",
        "A night bus at the harbour stop.",
    ),
    "flagged_caption_empty_text": (
        {"captions": [{"text": "The stop.", "credit": None}, {"text": "  ", "credit": "AP"}]},
        "caption_without_text",
        '"text": "  "',
    ),
    "flagged_caption_long_credit": (
        {"captions": [{"text": "The stop.", "credit": "x" * 120}]},
        "long_caption_credit",
        "xxxxxxxx",
    ),
    "flagged_caption_empty_credit": (
        {"captions": [{"text": "The stop.", "credit": " "}]},
        "long_caption_credit",
        '"credit": " "',
    ),
}

# one row failing two expectations: the first in suite order is the reason
MULTI = ({"title": "ab", "language": "xx"}, "expect_column_value_lengths_to_be_between:title")


@pytest.fixture(scope="module")
def articles_outcome() -> tuple[pa.Table, ValidationOutcome]:
    rows = [article(case, **kw) for case, kw in GOOD.items()]
    rows += [article(case, **kw) for case, (kw, _, _) in BAD.items()]
    rows += [article(case, **kw) for case, (kw, _, _) in FLAGGED.items()]
    rows.append(article("multi", **MULTI[0]))
    table = pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA)
    return table, validate_table(ARTICLES, table)


def _failed_row(outcome: ValidationOutcome, case: str) -> dict:
    rows = [r for r in outcome.failed.to_pylist() if r["source_path"] == f"{case}.html"]
    assert len(rows) == 1, f"{case}: {len(rows)} quarantine rows"
    return rows[0]


@pytest.mark.parametrize("case", sorted(GOOD))
def test_good_rows_pass(articles_outcome, case):
    _, outcome = articles_outcome
    assert f"{case}.html" in outcome.passed.column("source_path").to_pylist()
    assert f"{case}.html" not in outcome.failed.column("source_path").to_pylist()


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_row_is_quarantined_with_reason_and_value(articles_outcome, case):
    table, outcome = articles_outcome
    _, reason, value = BAD[case]
    row = _failed_row(outcome, case)
    assert row["reason"] == reason
    assert row["stage"] == "validate"
    if value is None:
        assert row["value"] is None
    else:
        assert value in row["value"]
        assert len(row["value"]) <= 200
    source = next(r for r in table.to_pylist() if r["source_path"] == f"{case}.html")
    for key in ("doc_id", "source_format", "source_record", "ingested_at", "run_id"):
        assert row[key] == source[key]
    assert f"{case}.html" not in outcome.passed.column("source_path").to_pylist()


@pytest.mark.parametrize("case", sorted(FLAGGED))
def test_warning_row_is_published_with_its_flag(articles_outcome, case):
    _, outcome = articles_outcome
    _, flag, _ = FLAGGED[case]
    rows = [r for r in outcome.passed.to_pylist() if r["source_path"] == f"{case}.html"]
    assert len(rows) == 1, f"{case} not published"
    assert rows[0]["quality_flags"] == [flag]
    assert f"{case}.html" not in outcome.failed.column("source_path").to_pylist()


def test_clean_rows_have_no_flags_and_flags_are_counted(articles_outcome):
    _, outcome = articles_outcome
    flags = dict(
        zip(
            outcome.passed["source_path"].to_pylist(),
            outcome.passed["quality_flags"].to_pylist(),
            strict=True,
        )
    )
    assert all(flags[f"{case}.html"] == [] for case in GOOD)
    expected: dict[str, int] = {}
    for _, flag, _ in FLAGGED.values():
        expected[flag] = expected.get(flag, 0) + 1
    assert outcome.statistics["quality_flags"] == expected
    assert outcome.statistics["flagged_rows"] == len(FLAGGED)


def test_a_critical_failure_quarantines_a_flagged_row_and_is_its_reason():
    row = article("both", title="ab", body=with_paragraph("Photo: Maria Gomez"))
    outcome = validate_table(ARTICLES, pa.Table.from_pylist([row], schema=ARTICLES_SCHEMA))
    assert outcome.passed.num_rows == 0
    failed = outcome.failed.to_pylist()[0]
    assert failed["reason"] == "expect_column_value_lengths_to_be_between:title"
    assert "body:photo_credit" in failed["detail"]
    assert outcome.statistics["quality_flags"] == {}


def test_every_row_ends_in_exactly_one_place(articles_outcome):
    table, outcome = articles_outcome
    placed = outcome.passed.column("source_path").to_pylist()
    placed += outcome.failed.column("source_path").to_pylist()
    assert sorted(placed) == sorted(table.column("source_path").to_pylist())
    assert outcome.table_failures == []
    assert outcome.statistics["rows"] == table.num_rows
    assert outcome.statistics["passed_rows"] + outcome.statistics["failed_rows"] == table.num_rows
    assert outcome.statistics["unsuccessful_expectations"] > 0


def test_first_failure_is_the_reason_and_the_others_are_in_the_detail(articles_outcome):
    _, outcome = articles_outcome
    row = _failed_row(outcome, "multi")
    assert row["reason"] == MULTI[1]
    assert row["value"] == "ab"
    assert "expect_column_values_to_be_in_set:language" in row["detail"]


def test_outputs_have_the_contract_schemas(articles_outcome):
    _, outcome = articles_outcome
    assert outcome.passed.schema.equals(ARTICLES_SCHEMA, check_metadata=True)
    assert outcome.failed.schema.equals(QUARANTINE_SCHEMA, check_metadata=True)


def test_reasons_we_write_pass_the_quarantine_suite(articles_outcome):
    _, outcome = articles_outcome
    checked = validate_table(QUARANTINE, outcome.failed)
    assert checked.ok, checked.table_failures
    assert checked.failed.num_rows == 0
    assert checked.passed.num_rows == outcome.failed.num_rows


def test_two_passes_place_every_row_as_one_complete_pass_does(articles_outcome, monkeypatch):
    """The suite runs with BOOLEAN_ONLY, then its failing expectations with COMPLETE: the rows
    passed, flagged and quarantined (with reason, detail, value) are those of one COMPLETE
    pass over every expectation, and so are the statistics."""
    import expectations.validate as validate

    def one_complete_pass(engine, table_name, batch, table, params):
        return batch.validate(
            engine.suites[table_name],
            result_format=validate._result_format(table),
            expectation_parameters=params,
        )

    table, two = articles_outcome
    monkeypatch.setattr(validate, "_validate", one_complete_pass)
    one = validate_table(ARTICLES, table)
    assert two.failed.num_rows and two.passed.num_rows  # the batch has both
    assert two.passed.equals(one.passed)
    assert two.failed.to_pylist() == one.failed.to_pylist()
    assert two.table_failures == one.table_failures
    drop = ("seconds",)
    assert {k: v for k, v in two.statistics.items() if k not in drop} == {
        k: v for k, v in one.statistics.items() if k not in drop
    }


def test_repeated_doc_id_is_a_table_failure_not_a_quarantine():
    rows = [article("dup_a"), article("dup_b", doc_id=_id("dup_a")), article("other")]
    outcome = validate_table(ARTICLES, pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA))
    assert len(outcome.table_failures) == 1
    assert outcome.table_failures[0].startswith("expect_column_values_to_be_unique:doc_id:")
    assert outcome.failed.num_rows == 0
    assert outcome.passed.num_rows == 3
    assert not outcome.ok


def test_an_article_outside_its_own_story_is_a_table_failure():
    # a published article founds its story: a row saying otherwise is a pipeline bug
    rows = [article("founder"), article("joined", story_id=_id("founder"))]
    outcome = validate_table(ARTICLES, pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA))
    [failure] = outcome.table_failures
    assert failure.startswith("expect_column_pair_values_to_be_equal:story_id,doc_id")
    assert outcome.failed.num_rows == 0 and not outcome.ok


def story_link(story: str, **overrides) -> dict:
    row = {
        "story_id": _id(story),
        "merged_into": _id("survivor"),
        "via_doc_id": _id("bridge"),
        "reason": "linked_by_new_document",
        "ingested_at": NOW,
        "run_id": "run-test",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("rows", "failure"),
    [
        ([story_link("b"), story_link("c", reason="followed_merged_story")], None),
        (
            [story_link("b", merged_into=_id("b"))],
            "expect_column_values_to_be_in_set:_merged_into_self",
        ),
        ([story_link("b", reason="merged")], "expect_column_values_to_be_in_set:reason"),
        ([story_link("b"), story_link("b")], "expect_column_values_to_be_unique:story_id"),
        ([story_link("b", via_doc_id=None)], "expect_column_values_to_not_be_null:via_doc_id"),
    ],
)
def test_story_links_suite_fails_the_run_not_rows(rows, failure):
    from transforms.core.schema import STORY_LINKS, STORY_LINKS_SCHEMA

    outcome = validate_table(STORY_LINKS, pa.Table.from_pylist(rows, schema=STORY_LINKS_SCHEMA))
    assert outcome.failed.num_rows == 0  # written by the pipeline: never a quarantine row
    if failure is None:
        assert outcome.ok and outcome.passed.num_rows == len(rows)
    else:
        assert [f.split(": ")[0] for f in outcome.table_failures] == [failure]


@pytest.mark.parametrize("table_name", sorted(TABLE_SCHEMAS))
def test_empty_table_is_not_a_failure(table_name):
    # a batch whose inputs were all rejected is a finished batch, not a broken pipeline
    outcome = validate_table(table_name, TABLE_SCHEMAS[table_name].empty_table())
    assert outcome.passed.num_rows == outcome.failed.num_rows == 0
    assert outcome.table_failures == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop_columns(["title"]), "schema_mismatch: missing column title"),
        (
            lambda t: t.append_column("extra", pa.array([1], pa.int64())),
            "schema_mismatch: unexpected column extra",
        ),
        (
            lambda t: t.set_column(
                t.schema.get_field_index("word_count"),
                "word_count",
                t.column("word_count").cast(pa.int64()),
            ),
            "schema_mismatch: column word_count is int64, expected int32",
        ),
    ],
    ids=["missing", "extra", "type"],
)
def test_schema_mismatch_is_a_table_failure(change, message):
    table = change(pa.Table.from_pylist([article("schema")], schema=ARTICLES_SCHEMA))
    outcome = validate_table(ARTICLES, table)
    assert outcome.table_failures == [message]
    assert outcome.passed.num_rows == outcome.failed.num_rows == 0


def test_column_order_is_not_a_mismatch():
    table = pa.Table.from_pylist([article("order")], schema=ARTICLES_SCHEMA)
    table = table.select(list(reversed(table.column_names)))
    outcome = validate_table(ARTICLES, table)
    assert outcome.ok
    assert outcome.passed.column_names == ARTICLES_SCHEMA.names


def test_min_words_comes_from_the_config():
    short = "One two three four five six seven eight."
    table = pa.Table.from_pylist([article("short", body=short)], schema=ARTICLES_SCHEMA)
    assert (
        validate_table(
            ARTICLES, table, config=PipelineConfig().with_settings({"clean.min_words": 8})
        ).failed.num_rows
        == 0
    )
    failed = validate_table(
        ARTICLES, table, config=PipelineConfig().with_settings({"clean.min_words": 9})
    ).failed
    assert failed.column("reason").to_pylist() == ["expect_column_values_to_be_between:word_count"]


@pytest.mark.parametrize(
    ("table_name", "setting"), [(ARTICLES, "clean.min_words"), (PAGES, "clean.min_words_page")]
)
def test_each_table_checks_the_word_count_bound_of_its_gate(table_name, setting):
    """`articles` needs the article bound, `pages` the lower one of a page of another type: the
    suite checks what the gate let through (transforms.clean.gate)."""
    short = "One two three four five six seven eight."
    row = article("short", body=short, page_type="article" if table_name == ARTICLES else "product")
    table = pa.Table.from_pylist([row], schema=TABLE_SCHEMAS[table_name])
    kept = validate_table(table_name, table, config=PipelineConfig().with_settings({setting: 8}))
    assert kept.failed.num_rows == 0
    failed = validate_table(
        table_name, table, config=PipelineConfig().with_settings({setting: 9})
    ).failed
    assert failed.column("reason").to_pylist() == ["expect_column_values_to_be_between:word_count"]


def duplicate(case: str, **overrides) -> dict:
    row = {
        "doc_id": _id(case),
        "content_hash": content_hash(case.encode()),
        "source_path": f"{case}.html",
        "source_record": 3,
        "source_format": "jsonl",
        "url": None,
        "title": None,
        "duplicate_of": _id("canonical"),
        "kind": "near",
        "similarity": 0.91,
        "rule": "kept_earlier_published",
        "story_id": _id("canonical"),
        "ingested_at": NOW,
        "run_id": "run-test",
    }
    row.update(overrides)
    return row


DUPLICATE_CASES = {
    "dup_good": ({}, None),
    "dup_exact": ({"kind": "exact", "similarity": 1.0}, None),
    "dup_self": (
        {"duplicate_of": _id("dup_self")},
        "expect_column_values_to_be_in_set:_duplicate_of_self",
    ),
    # the same raw bytes saved twice are two records (two doc_ids, one content_hash): the
    # copy points at the other record
    "dup_same_bytes": (
        {
            "content_hash": content_hash(b"canonical"),
            "kind": "exact",
            "similarity": 1.0,
            "rule": "identical_raw_record",
        },
        None,
    ),
    # a row pointing at its own doc_id is a bug whatever its rule (doc_id is a record's key)
    "dup_self_same_bytes": (
        {
            "duplicate_of": _id("dup_self_same_bytes"),
            "kind": "exact",
            "similarity": 1.0,
            "rule": "identical_raw_record",
        },
        "expect_column_values_to_be_in_set:_duplicate_of_self",
    ),
    "dup_kind": ({"kind": "fuzzy"}, "expect_column_values_to_be_in_set:kind"),
    "dup_story_not_an_id": (
        {"story_id": "story-7"},
        "expect_column_values_to_match_regex:story_id",
    ),
    "dup_similarity": ({"similarity": 1.5}, "expect_column_values_to_be_between:similarity"),
    "dup_no_canonical": (
        {"duplicate_of": None},
        "expect_column_values_to_not_be_null:duplicate_of",
    ),
}


@pytest.fixture(scope="module")
def duplicates_outcome() -> ValidationOutcome:
    rows = [duplicate(case, **kw) for case, (kw, _) in DUPLICATE_CASES.items()]
    return validate_table(DUPLICATES, pa.Table.from_pylist(rows, schema=DUPLICATES_SCHEMA))


@pytest.mark.parametrize("case", sorted(DUPLICATE_CASES))
def test_duplicates_suite(duplicates_outcome, case):
    reason = DUPLICATE_CASES[case][1]
    failed = {r["source_path"]: r for r in duplicates_outcome.failed.to_pylist()}
    if reason is None:
        assert f"{case}.html" in duplicates_outcome.passed.column("source_path").to_pylist()
    else:
        assert failed[f"{case}.html"]["reason"] == reason


@pytest.mark.parametrize(
    ("second", "failing"),
    [
        # the same bytes at another path, or on another line: another record, another doc_id
        ({"doc_id": _id("elsewhere/rec"), "source_path": "elsewhere/rec.html"}, False),
        ({"doc_id": _id("rec#4"), "source_record": 4}, False),
        ({}, True),  # the same record (one doc_id) dropped twice: a pipeline bug
    ],
)
def test_duplicates_are_unique_per_input_record(second, failing):
    rows = [duplicate("rec"), duplicate("rec", **second), duplicate("other")]
    outcome = validate_table(DUPLICATES, pa.Table.from_pylist(rows, schema=DUPLICATES_SCHEMA))
    assert (not outcome.ok) is failing
    if failing:
        assert outcome.table_failures[0].startswith("expect_column_values_to_be_unique:doc_id:")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, None),
        ({"reason": "expect_column_values_to_be_between:_repeated_paragraphs"}, None),
        ({"reason": "Empty File!"}, "expect_column_values_to_match_regex:reason"),
        ({"stage": None}, "expect_column_values_to_not_be_null:stage"),
        ({"source_format": "docx"}, None),  # provenance is kept as given
        ({"reason": None}, "expect_column_values_to_not_be_null:reason"),
    ],
)
def test_quarantine_suite(overrides, reason):
    row = {
        "doc_id": None,
        "source_path": "broken.txt.gz",
        "source_record": None,
        "source_format": None,
        "stage": "read",
        "reason": "truncated_gzip",
        "detail": "gzip stream ends early",
        "value": None,
        "ingested_at": NOW,
        "run_id": "run-test",
    }
    row.update(overrides)
    outcome = validate_table(QUARANTINE, pa.Table.from_pylist([row], schema=QUARANTINE_SCHEMA))
    assert outcome.failed.column("reason").to_pylist() == ([reason] if reason else [])


def test_data_docs_are_written_under_docs_dir(tmp_path):
    long_bad = with_paragraph("Advertisement")  # fails the boilerplate check; > 200 chars
    table = pa.Table.from_pylist(
        [
            article("docs_good"),
            article("docs_title", title="ab"),
            article("docs_ad", body=long_bad),
        ],
        schema=ARTICLES_SCHEMA,
    )
    report = tmp_path / "reports" / "run-test"
    first = validate_table(ARTICLES, table, docs_dir=report)
    again = validate_table(ARTICLES, table, docs_dir=report)
    index = Path(first.docs_path)
    assert index == report / "index.html"
    assert again.docs_path == first.docs_path
    pages = list((report / "validations" / "articles" / "run-test").rglob("*.html"))
    assert len(pages) == 1  # the same batch of the same run replaces its page
    assert pages[0].relative_to(report).as_posix() in index.read_text()
    assert (report / "expectations" / "articles.html").is_file()  # the suite's own page
    page = pages[0].read_text()
    assert PARAGRAPHS[0][:40] in page  # a sample of the failing body is shown ...
    results = "".join(p.read_text() for p in (report / "results").rglob("*.json"))
    for text in (page, results):
        assert PARAGRAPHS[3] not in text  # ... cut to 200 characters, never whole
    assert first.failed.num_rows == 1  # the title; the advertisement line is a warning
    flags = dict(
        zip(
            first.passed["source_path"].to_pylist(),
            first.passed["quality_flags"].to_pylist(),
            strict=True,
        )
    )
    assert flags["docs_ad.html"] == ["boilerplate_in_body"]
    # the suite's page names each warning's flag; the result counts the rows per flag
    assert (
        "quality flag boilerplate_in_body"
        in (report / "expectations" / "articles.html").read_text()
    )
    stored = [json.loads(p.read_text()) for p in (report / "results").rglob("*.json")]
    assert {"boilerplate_in_body": 1} in [r["meta"].get("quality_flags") for r in stored]

    # a second batch of the run, then the index rebuilt from the stored results alone
    other = pa.Table.from_pylist([article("docs_other")], schema=ARTICLES_SCHEMA)
    validate_table(ARTICLES, other, docs_dir=report)
    index.unlink()
    assert build_report(report) == str(index)
    pages = list((report / "validations" / "articles" / "run-test").rglob("*.html"))
    assert len(pages) == 2
    assert all(p.relative_to(report).as_posix() in index.read_text() for p in pages)


def test_batches_without_docs_index_are_stored_and_build_report_renders_them(tmp_path):
    report = tmp_path / "reports" / "run-many"
    for name in ("batch_a", "batch_b"):
        batch = pa.Table.from_pylist([article(name)], schema=ARTICLES_SCHEMA)
        outcome = validate_table(ARTICLES, batch, docs_dir=report, docs_index=False)
        assert outcome.docs_path == str(report / "index.html")
    assert len(list((report / "results").rglob("*.json"))) == 2  # each batch's result stored
    assert not (report / "validations").exists()  # its page and the index wait for the end
    assert not (report / "index.html").exists()
    index = Path(build_report(report))
    pages = list((report / "validations" / "articles").rglob("*.html"))
    assert len(pages) == 2
    assert all(p.relative_to(report).as_posix() in index.read_text() for p in pages)
    assert (report / "expectations" / "articles.html").is_file()


# --- the suite files: loaded by name, valid, one per table, consistent with schema and config


@pytest.mark.parametrize("table_name", sorted(TABLE_SCHEMAS))
def test_every_table_has_a_suite_that_loads_by_name(table_name):
    raw = json.loads(suite_path(table_name).read_text())
    suite = load_suite(table_name)
    assert suite.name == table_name
    assert [e.expectation_type for e in suite.expectations] == [
        e["type"] for e in raw["expectations"]
    ]


def test_no_suite_without_a_table():
    assert {p.stem for p in SUITE_DIR.glob("*.json")} == set(TABLE_SCHEMAS)


@pytest.mark.parametrize("table_name", sorted(TABLE_SCHEMAS))
def test_suite_columns_exist_and_required_columns_are_checked(table_name):
    spec = read_suite(table_name)
    schema = TABLE_SCHEMAS[table_name]
    for column in spec.columns | spec.reported:
        assert column in schema.names or column in derived.DERIVED, column
    not_null = {
        c.columns[0] for c in spec.checks if c.type == "expect_column_values_to_not_be_null"
    }
    required = {f.name for f in schema if not f.nullable}
    assert required <= not_null, (
        f"non-nullable columns without a not-null check: {required - not_null}"
    )


@pytest.mark.parametrize("table_name", sorted(TABLE_SCHEMAS))
def test_regexes_compile_and_parameters_are_config_fields(table_name):
    spec = read_suite(table_name)
    for check in spec.checks:
        for pattern in [*check.kwargs.get("regex_list", []), check.kwargs.get("regex", "")]:
            re.compile(pattern)
    assert spec.parameters <= set(PipelineConfig.keys())
    if table_name == ARTICLES:
        assert spec.parameters == {"clean.min_words", "clean.caption_credit_max_chars"}
        config = PipelineConfig().with_settings({"clean.min_words": 9})
        assert spec.expectation_parameters(config) == {
            "clean__min_words": 9,
            "clean__caption_credit_max_chars": 80,
        }


def test_a_suite_parameter_must_name_a_dotted_config_key(tmp_path, monkeypatch):
    """An old flat name (or any name that is not a setting) in a suite fails when it is read."""
    import expectations.suites as suites

    raw = json.loads(suites.suite_path(ARTICLES).read_text(encoding="utf-8"))
    text = json.dumps(raw).replace('"clean.min_words"', '"min_words"')
    (tmp_path / "articles.json").write_text(text, encoding="utf-8")
    monkeypatch.setattr(suites, "SUITE_DIR", tmp_path)
    suites.read_suite.cache_clear()
    try:
        with pytest.raises(
            ValueError, match=r"\$PARAMETER \['min_words'\] is not a config setting"
        ):
            suites.read_suite(ARTICLES)
    finally:
        suites.read_suite.cache_clear()


def _patterns(table_name: str) -> list[str]:
    out = []
    for check in read_suite(table_name).checks:
        out += check.kwargs.get("regex_list", [])
        out += [check.kwargs["regex"]] if "regex" in check.kwargs else []
    return out


_MEMBERS = [p for patterns in PATTERN_SETS.values() for p in patterns]


@pytest.mark.parametrize("pattern", _patterns(ARTICLES) + _patterns(QUARANTINE) + _MEMBERS)
def test_regex_means_the_same_in_pyarrow_and_python(pattern):
    # pandas runs str.contains with pyarrow's RE2 when it can, else with Python re per row:
    # the suite's verdicts must not depend on which one runs.
    import pandas as pd

    texts = [article(c, **kw)["body"] or "" for c, (kw, _, _) in BAD.items()]
    texts += [article(c, **kw)["body"] or "" for c, kw in GOOD.items()]
    texts += [article(c, **kw)["body"] or "" for c, (kw, _, _) in FLAGGED.items()]
    texts += ["", "x", "Comments\nAdvertisement", "expect_x:y", "Bad Reason", "0" * 32, "é/AP)"]
    fast = pd.Series(texts, dtype="str").str.contains(pattern).tolist()
    slow = pd.Series(texts, dtype=object).str.contains(pattern).tolist()
    assert fast == slow


ANY_OF_TEXTS = [
    "Click here to read",
    "Do click here",  # (?im)^: only at a line start
    "Story.\nclick here now",  # ... of any line
    "CLICK HERE",
    "Sign up for our newsletter today",
    "Photo: Jane Doe",
    "A story.\nPhoto: Jane",
    "The photo: a view",  # (?m)^ anchored, case-sensitive
    "taken (Jane Doe/AP) at dawn",
    "Jane Doe/Getty Images",
    "Leave a comment",
    "Leave a comment below it",  # must end the line
    "nothing to see here",
    "",
]


@pytest.mark.parametrize("name", sorted(PATTERN_SETS))
@pytest.mark.parametrize("text", ANY_OF_TEXTS)
def test_any_of_matches_where_a_member_matches(name, text):
    patterns = PATTERN_SETS[name]
    combined = any_of(patterns)
    assert bool(re.search(combined, text)) == any(re.search(p, text) for p in patterns)


def test_any_of_refuses_flags_inside_a_pattern():
    with pytest.raises(ValueError, match="global flags only at the start"):
        any_of(["a(?i)b"])


def test_the_suite_runs_each_pattern_set_as_one_regex():
    lists = [
        c.kwargs["regex_list"] for c in read_suite(ARTICLES).checks if "regex_list" in c.kwargs
    ]
    assert lists and all(len(regexes) == 1 for regexes in lists)


def test_language_set_covers_the_two_letter_codes_of_the_language_detector():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    detector = LanguageIdentifier.from_model_file(MODEL_FILE)
    check = read_suite(ARTICLES).check("expect_column_values_to_be_in_set:language")
    codes = set(check.kwargs["value_set"])
    assert all(re.fullmatch("[a-z]{2}", c) for c in codes)
    assert {c for c in detector.nb_classes if len(c) == 2} <= codes


def test_package_import_does_not_import_great_expectations():
    code = (
        "import sys, expectations, expectations.validate; "
        "sys.exit('great_expectations' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


# --- derived columns (pure functions, no GX)


@pytest.mark.parametrize(
    ("body", "count", "first"),
    [
        (BODY, 0, None),
        (BODY + "\n\n" + PARAGRAPHS[0], 1, PARAGRAPHS[0]),
        (BODY + "\n\n  " + PARAGRAPHS[2].replace(" ", "   "), 1, PARAGRAPHS[2]),
        ("Q: Why?\n\nQ: Why?", 0, None),  # shorter than min_paragraph_words_for_repeat
        # list items, table rows, code and short labels repeat by design
        (
            BODY
            + "\n\n- Easy to use and clean\n\n"
            + BODY.replace("\n\n", "\n\n- Easy to use and clean\n\n", 1),
            5,
            PARAGRAPHS[0],
        ),
        (
            "- Easy to use daily\n\n| Plan | Cost | Notes |\n\n- Easy to use daily\n\n| Plan | Cost | Notes |",
            0,
            None,
        ),
        (
            "Key Features and User Experience\n\nx = compute(a, b)\n\nKey Features and User Experience\n\nx = compute(a, b)",
            0,
            None,
        ),
        (None, 0, None),
    ],
)
def test_repeated_paragraphs(body, count, first):
    table = pa.table({"body": pa.array([body], pa.string())})
    out = derived.repeated_paragraphs(table, PipelineConfig())
    assert out["_repeated_paragraphs"].to_pylist() == [count]
    assert out["_first_repeated_paragraph"].to_pylist() == [first]


@pytest.mark.parametrize(
    ("precision", "published", "earliest"),
    [
        ("day", datetime(2024, 5, 3, tzinfo=UTC), datetime(2024, 5, 2, 10, tzinfo=UTC)),
        ("second", datetime(2024, 5, 3, tzinfo=UTC), datetime(2024, 5, 3, tzinfo=UTC)),
        (None, None, None),
    ],
)
def test_published_at_earliest(precision, published, earliest):
    table = pa.table(
        {
            "published_at": pa.array([published], pa.timestamp("us", tz="UTC")),
            "published_at_precision": pa.array([precision], pa.string()),
        }
    )
    out = derived.published_at_earliest(table, PipelineConfig())
    assert out["_published_at_earliest"].to_pylist() == [earliest]


@pytest.mark.parametrize(
    ("body", "captions", "count"),
    [
        (BODY, None, 0),
        (BODY, [{"text": PARAGRAPHS[0], "credit": None}], 1),
        (BODY, [{"text": "  " + PARAGRAPHS[3].upper(), "credit": "AP"}], 1),
        (BODY, [{"text": "Not in the body at all.", "credit": None}], 0),
        (BODY, [{"text": "", "credit": None}, {"text": PARAGRAPHS[1], "credit": None}], 1),
        (None, [{"text": PARAGRAPHS[0], "credit": None}], 0),
    ],
)
def test_captions_in_body(body, captions, count):
    table = pa.table(
        {
            "body": pa.array([body], pa.string()),
            "captions": pa.array([captions], ARTICLES_SCHEMA.field("captions").type),
        }
    )
    out = derived.captions_in_body(table, PipelineConfig())
    assert out["_captions_in_body"].to_pylist() == [count]
    assert (out["_first_caption_in_body"][0].as_py() is not None) == bool(count)


def test_derive_splits_the_bodies_once_and_matches_each_producer(monkeypatch):
    captions = [{"text": PARAGRAPHS[0], "credit": None}]
    body = BODY + "\n\n" + BODY  # every paragraph twice
    table = pa.table(
        {
            "body": pa.array([body, BODY], pa.string()),
            "captions": pa.array([captions, None], ARTICLES_SCHEMA.field("captions").type),
        }
    )
    alone = {
        **derived.repeated_paragraphs(table, PipelineConfig()),
        **derived.captions_in_body(table, PipelineConfig()),
    }
    calls = []
    split = derived._paragraph_keys
    monkeypatch.setattr(derived, "_paragraph_keys", lambda b: calls.append(1) or split(b))
    names = {"_repeated_paragraphs", "_captions_in_body"}
    together = derived.derive(table, names, PipelineConfig())
    assert len(calls) == 1  # shared by the two producers (it is most of their cost)
    assert {k: v.to_pylist() for k, v in together.items()} == {
        k: v.to_pylist() for k, v in alone.items()
    }
    assert together["_repeated_paragraphs"].to_pylist()[1] == 0
    assert together["_repeated_paragraphs"].to_pylist()[0] > 0


def test_threads_share_the_engine():
    # Prefect's default task runner runs shard tasks in threads of one process.
    from concurrent.futures import ThreadPoolExecutor

    tables = [
        pa.Table.from_pylist(
            [article(f"t{k}_good"), article(f"t{k}_bad", language="zz")], schema=ARTICLES_SCHEMA
        )
        for k in range(2)
    ]
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda t: validate_table(ARTICLES, t), tables))
    for k, outcome in enumerate(outcomes):
        assert outcome.passed.column("source_path").to_pylist() == [f"t{k}_good.html"]
        assert outcome.failed.column("source_path").to_pylist() == [f"t{k}_bad.html"]


def test_warm_up_on_another_thread_then_validate():
    # the flow builds its engine on an idle thread while workers clean, then validates
    import threading

    from expectations.validate import _engine, warm_up

    thread = threading.Thread(target=warm_up)
    thread.start()
    thread.join()
    assert _engine() is _engine()  # one engine a process, built once
    table = pa.Table.from_pylist(
        [article("w_good"), article("w_bad", language="zz")], schema=ARTICLES_SCHEMA
    )
    outcome = validate_table(ARTICLES, table)
    assert outcome.passed.column("source_path").to_pylist() == ["w_good.html"]
    assert outcome.failed.column("source_path").to_pylist() == ["w_bad.html"]
