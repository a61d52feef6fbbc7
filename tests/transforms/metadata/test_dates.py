from datetime import UTC, datetime, timedelta, timezone

import pytest

from transforms.metadata.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC), "day"),
        ("2024-03-05T14:30:00Z", datetime(2024, 3, 5, 14, 30, tzinfo=UTC), "second"),
        (
            "2024-03-05T09:30:00-05:00",
            datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
            "second",
        ),
        ("2024-03-05T09:30:00.123+0100", datetime(2024, 3, 5, 8, 30, tzinfo=UTC), "second"),
        ("2024-03-05 09:30:00", datetime(2024, 3, 5, 9, 30, tzinfo=UTC), "second"),
        ("20240305", datetime(2024, 3, 5, tzinfo=UTC), "day"),
        ("2024/03/05", datetime(2024, 3, 5, tzinfo=UTC), "day"),
        ("March 5, 2024", datetime(2024, 3, 5, tzinfo=UTC), "day"),
        ("Updated Mar. 5th, 2024 at 10:15 am", datetime(2024, 3, 5, tzinfo=UTC), "day"),
        ("5 March 2024", datetime(2024, 3, 5, tzinfo=UTC), "day"),
        ("25/03/2024", datetime(2024, 3, 25, tzinfo=UTC), "day"),
        ("03/25/2024", datetime(2024, 3, 25, tzinfo=UTC), "day"),
    ],
)
def test_parse_date_forms(text, expected, precision):
    got = parse_date(text)
    assert got is not None
    assert got.value == expected
    assert got.precision == precision


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "04/05/2024",
        "no date here",
        "2024-13-40",
        "1850-01-01",
        "version 2.0.1",
        "12345678901",
    ],
)
def test_parse_date_refuses_what_is_not_stated(text):
    assert parse_date(text) is None


def test_machine_only_mode_ignores_prose():
    assert parse_date("March 5, 2024", human=False) is None
    assert parse_date("2024-03-05", human=False) is not None


def test_utc_property_converts_offsets():
    got = parse_date("2024-03-05T23:30:00-05:00")
    assert got.utc == datetime(2024, 3, 6, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("Published May 3, 2024 | 5 min read", False),
        ("Jane Doe\nMay 3, 2024\nThe council met.", False),
        ("The market, which opened on May 3, 2024, runs until the end of June.", True),
    ],
)
def test_find_dates_in_prose(text, prose):
    assert find_dates(text)[0].in_prose is prose


def test_find_dates_labels_and_glued_text():
    found = find_dates("By Jo Bloggs, Published Apr 26, 2023Updated Aug 21, 2025Reading time")
    assert [(f.date.value.date().isoformat(), f.label) for f in found] == [
        ("2023-04-26", "published"),
        ("2025-08-21", "updated"),
    ]


def test_find_dates_unlabelled_and_last_updated():
    found = find_dates("Last updated: Dec 12, 2025 and then 3 May 2024")
    assert found[0].label == "last updated"
    assert found[1].label == ""
    assert found[1].date.value.date().isoformat() == "2024-05-03"
