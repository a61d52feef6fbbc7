"""Lists, tables and code the article wrote survive the line rules; chrome still goes."""

from __future__ import annotations

import pytest

from transforms.clean.line_features import line_features
from transforms.clean.structure import spared_lines
from transforms.clean.text_clean import classify_lines

PROSE = [
    "The band announced on Monday that it would return to the road this summer for the first "
    "time since the singer's surgery, playing amphitheatres across the south.",
    "Tickets go on sale on Friday morning, and the promoter said that fans who bought seats for "
    "the cancelled dates last year will be offered the first chance to buy them.",
]


TOUR = [
    "Tour dates:",
    *(
        f"{month} {day} – {city} @ {venue}"
        for month, day, city, venue in [
            ("June", 9, "Tampa, FL", "Harbour Amphitheatre"),
            ("June", 11, "Atlanta, GA", "Lakeside Pavilion"),
            ("June", 14, "Raleigh, NC", "Pine Grove Arena"),
            ("June", 17, "Norfolk, VA", "Bayview Hall"),
            ("June", 20, "Camden, NJ", "Riverside Stage"),
        ]
    ),
]
SPECS = [
    "Specifications",
    "Part number: AX-2210",
    "Weight: 1.2 kg",
    "Battery: 4,000 mAh",
    "Colours: grey, blue",
]
RESULTS = ["Rovers 2-1 United", "City 0-0 Athletic", "Town 3-2 Wanderers", "Albion 1-4 County"]
AWARDS = ["Past winners", "2023: Ann Lee", "2022: Omar Diaz", "2021: Lena Park", "2020: Tom Reyes"]
CODE = [
    "Then ask for the posts and their comments:",
    "query GetPosts {",
    "  posts {",
    "    title",
    "    comments {",
    "      body",
    "    }",
    "  }",
    "}",
]


@pytest.mark.parametrize("block", [TOUR, SPECS, RESULTS, AWARDS, CODE])
@pytest.mark.parametrize("markup", [True, False])
def test_closing_lists_and_code_are_kept(block, markup):
    lines = PROSE + block
    verdicts = classify_lines(lines, markup=markup)
    kept = [line for line, v in zip(lines, verdicts, strict=True) if v is None]
    assert kept[-len(block) :] == block


@pytest.mark.parametrize("markup", [True, False])
def test_chrome_after_a_list_still_goes(markup):
    lines = [*PROSE, *TOUR, "Share on Facebook", "Share on Twitter", "Related Stories"]
    verdicts = classify_lines(lines, markup=markup)
    assert verdicts[-3:] == ["chrome", "chrome", "teaser"]


def test_a_furniture_header_introduces_nothing():
    lines = [*PROSE, "Related:", "Harbour bus routes extended", "Council budget approved"]
    feats = [line_features(line) for line in lines]
    assert not any(spared_lines(lines, feats, [None, None, "teaser", None, None]))
    verdicts = classify_lines(lines)
    assert verdicts[-2:] == ["teaser", "teaser"]
