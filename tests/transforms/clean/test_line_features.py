"""Tests of `transforms.clean.line_features`' shortcuts: each equals the regex it spares."""

from __future__ import annotations

import pytest

from transforms.clean.line_features import (
    _FOOTER,
    _READ_MORE,
    _WORD,
    _footer_words,
    _read_more_words,
    _tokens,
    normalise_line,
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The ferry runs twice a day.",
        "Don't stop: it's 5 o'clock, rock'n'roll!",
        "'Quoted' words and a''b and trailing' and 'leading",
        "snake_case and x_y and __init__",
        "U.S. 100% e-mail #tag @handle a/b (c) [d] {e}",
        "tab\tand\x00null\x1fand\x7fdel",
        "digits 2024-06-01 and 3.14",
        "café ’s naïve",  # not ASCII: the regex itself
        "O'Neil's ''",
        "It's The Ferry, Mayor's Office",
    ],
)
def test_tokens_equal_the_word_regex(text):
    assert _tokens(text) == _WORD.findall(text)


# Lines of each `_FOOTER` / `_READ_MORE` alternative, and lines of neither.
FOOTER_LINES = [
    "© 2024 The Harbour Gazette",
    "(c) The Harbour Gazette",
    "Copyright The Harbour Gazette",
    "The Harbour Gazette. All rights reserved.",
    "Popular posts",
    "Trending stories:",
    "Privacy",
    "Privacy Policy",
    "Terms of Use",
    "Terms & Service",
    "Contact us",
    "About Us",
    "Sitemap",
    "Advertise with us",
    "Privacy Policy and the Terms",
    "Read our terms and our privacy policy",
]
READ_MORE_LINES = [
    "Read more",
    "See the full story",
    "View full coverage: harbour",
    "Find out more",
    "Learn more about the ferry",
    "Also read: the night bus",
    "More reading on the harbour",
    "Further reading",
    "Recommended reading",
    "Continue reading",
    "Also see: the night bus",
    "See also: the night bus",
    "Click here to subscribe",
    "Tap below",
    "For the timetable, click here",
    "To book, tap here now",
]
PLAIN_LINES = [
    "The ferry will run twice a day from June, the operator said.",
    "Top",
    "Readers said the terms were fair.",
    "Councillors read the report.",
]


@pytest.mark.parametrize("line", FOOTER_LINES + READ_MORE_LINES + PLAIN_LINES)
def test_word_conditions_are_necessary(line):
    key = normalise_line(line)
    if _FOOTER.search(key):
        assert _footer_words(key)
    if _READ_MORE.match(key):
        assert _read_more_words(key)


@pytest.mark.parametrize("line", FOOTER_LINES)
def test_footer_lines(line):
    key = normalise_line(line)
    assert _FOOTER.search(key) and _footer_words(key)


@pytest.mark.parametrize("line", READ_MORE_LINES)
def test_read_more_lines(line):
    key = normalise_line(line)
    assert _READ_MORE.match(key) and _read_more_words(key)


@pytest.mark.parametrize("line", PLAIN_LINES)
def test_plain_lines_skip_both_scans(line):
    key = normalise_line(line)
    assert not _footer_words(key) and not _read_more_words(key)
