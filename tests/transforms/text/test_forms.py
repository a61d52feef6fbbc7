"""The form of one line: list items of some kind, or code."""

from __future__ import annotations

import pytest

from transforms.text.forms import line_form, looks_like_code


@pytest.mark.parametrize(
    ("line", "form"),
    [
        ("June 9 – Tampa, FL @ Harbour Amphitheatre", "date"),
        ("2023: Ann Lee", "date"),
        ("Weight: 1.2 kg", "key_value"),
        ("Rovers 2-1 United", "score"),
        ("- first item", None),  # a bullet alone: related links have them too
        ("The Art of Noticing: From Cartier to Botticelli", None),  # a headline, not a key
        ("| Size | 12 |", "table"),
        ("Best Novel – Mara Quill", "dash"),
        ("The council voted on Tuesday.", None),
        ("Home", None),
    ],
)
def test_line_form(line, form):
    assert line_form(line) == form


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("comments {", True),
        ("  }", True),
        ("const total = items.length;", True),
        ("query GetPosts($first: Int) {", True),
        ("print(result)", True),
        ("Comments", False),
        ("The council voted on Tuesday (after midnight).", False),
        ("Share this article", False),
        # character references end in a semicolon that ends no statement
        ("&copyright; &trademark;", False),
        ("Fish &amp; chips &#8212; the menu", False),
        ("x = a &amp;&amp; b;", True),
        # code before a trailing comment; a URL's "//" or a "#" in prose is no comment
        ("Kiln.subscribeToAlerts(7, onAlert); // the first firing", True),
        ("glaze.apply(coat)  # second coat", True),
        ("Read the guide at https://pottery.example/kilns today", False),
        ("She came in at # 3 in the national ranking", False),
    ],
)
def test_looks_like_code(line, code):
    assert looks_like_code(line) is code
