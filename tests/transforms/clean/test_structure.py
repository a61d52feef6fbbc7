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


@pytest.mark.parametrize(
    ("block", "markup"),
    [
        *((block, markup) for block in (TOUR, SPECS, RESULTS, AWARDS) for markup in (True, False)),
        (CODE, True),  # code in a body taken from HTML (pre, code); in a dump it is scripts
    ],
)
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


def test_an_introduced_run_is_spared_only_in_a_body_from_html():
    headlines = [
        "- The Art of Noticing: From Panthers to Blossoms",
        "- Walking Into Ceremony: A Graduation Story",
        "- Pain: The Worst Teacher I Never Asked For",
    ]
    lines = [*PROSE, "Articles:", *headlines]
    feats = [line_features(line) for line in lines]
    # bullets and headline colons are no common form: in a dump only the "...:" could spare them
    assert not any(spared_lines(lines, feats, [None] * len(lines), markup=False))
    assert all(spared_lines(lines, feats, [None] * len(lines), markup=True)[-3:])


def test_plain_text_code_is_not_spared():
    lines = [*PROSE, 'document.getElementById("x").setAttribute("value", 1);']
    feats = [line_features(line) for line in lines]
    assert spared_lines(lines, feats, [None] * len(lines), markup=True)[-1]
    assert not spared_lines(lines, feats, [None] * len(lines), markup=False)[-1]
