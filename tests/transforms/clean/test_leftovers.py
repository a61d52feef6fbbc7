"""Tests of `transforms.clean.leftovers`: what the articles suite warns about, removed first."""

from __future__ import annotations

import re

import pytest

from transforms.clean.leftovers import (
    PATTERN_SETS,
    LeftoversStep,
    remove_leftovers,
    trim_credit,
)
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Caption

LONG = (
    "The council met on Monday and argued about the harbour budget for hours before any vote "
    "was taken, and the night bus plan, which riders have asked for since the old routes were "
    "cut three winters ago, was the last item on a long agenda that ran past midnight."
)
PROSE = "The ferry will run twice a day from June, the operator said on Friday."


@pytest.mark.parametrize(
    ("text", "name", "expected", "removed"),
    [
        # a short line holding a prompt or a credit goes whole
        (f"{PROSE}\n\nSign up for our newsletter today!", "boilerplate", PROSE, 1),
        (f"{PROSE}\n\nPhoto: Maria Gomez", "photo_credit", PROSE, 1),
        (
            f"{PROSE}\n\nThis website uses cookies to improve your experience.",
            "boilerplate",
            PROSE,
            1,
        ),
        # in a long line, only the sentence that holds it
        (f"{LONG} Follow us on Instagram for more.", "boilerplate", LONG, 1),
        # a credit inside a long sentence: only the credit's words
        (
            LONG.replace("taken,", "taken (Jane Doe/AP),"),
            "photo_credit",
            LONG.replace("taken,", "taken,"),
            1,
        ),
        # a short paragraph ending in a credit is a caption left in the body: it goes whole
        (f"{LONG}\n\n{PROSE} Sam Lee/Getty Images", "photo_credit", LONG, 1),
        # prose that only looks like a prompt stays
        (f"{LONG} Riders can download the app from Monday.", "boilerplate", None, 0),
        (PROSE, "photo_credit", None, 0),
    ],
)
def test_remove_leftovers(text, name, expected, removed):
    out, n = remove_leftovers(text, name, PipelineConfig().clean.leftover_line_max_words)
    assert out == (text if expected is None else expected)
    assert n == removed
    assert not any(re.search(p, out) for p in PATTERN_SETS[name])


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("Jane Doe/AP", "Jane Doe/AP"),
        (
            "Photo by Kaitlin Green | From: The Long Title Of Another Article Somewhere Else Today",
            "Photo by Kaitlin Green",
        ),
        ("x" * 120, None),
    ],
)
def test_trim_credit(credit, expected):
    assert trim_credit(credit, 80) == expected


def test_step_removes_captions_from_the_body_and_trims_credits():
    caption = "A night bus at the harbour stop."
    doc = Article(
        doc_id="d",
        source_path="a.html",
        source_format="html",
        content_kind="html",
        text=f"{LONG}\n\n{caption}\n\n{PROSE}\n\nClick here to subscribe.",
        captions=[Caption(caption, "Photo by Kaitlin Green | From: " + "a long tail " * 10)],
    )
    assert LeftoversStep(PipelineConfig()).apply(doc) is None
    assert doc.text == f"{LONG}\n\n{PROSE}"
    assert doc.captions[0].credit == "Photo by Kaitlin Green"
    assert doc.changes == {
        "boilerplate_removed": 1,
        "caption_removed_from_body": 1,
        "caption_credit_trimmed": 1,
    }
