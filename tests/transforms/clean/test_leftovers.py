"""Tests of `transforms.clean.leftovers`: what the articles suite warns about, removed first."""

from __future__ import annotations

import re
import sys

import pytest

from transforms.clean.leftovers import (
    _COMPILED,
    _HINTS,
    PATTERN_SETS,
    LeftoversStep,
    _cut,
    _first_match,
    _fold,
    _has_no_blank_lines,
    candidate_patterns,
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


def _reference_remove(text: str, name: str, max_words: int) -> tuple[str, int]:
    """The per-line loop without the prefilter: every line tried with every pattern."""
    removed = 0
    paragraphs = text.split("\n\n")
    for i, para in enumerate(paragraphs):
        lines = para.split("\n")
        for j, line in enumerate(lines):
            while line and removed < 32 and (m := _first_match(_COMPILED[name], line)):
                line = _cut(line, m, max_words)
                removed += 1
            lines[j] = line
        paragraphs[i] = "\n".join(ln for ln in lines if ln.strip())
    return "\n\n".join(p for p in paragraphs if p.strip()), removed


# (set, text, indices of the patterns the prefilter keeps): each case puts a match where the
# line and the whole text differ: at a line start that is not the text's start (`^`, `(?m)^`),
# at a line end that is not the text's end (`\Z`), and behind characters `re` folds to ASCII.
EDGE_CASES = [
    ("boilerplate", PROSE, []),
    ("boilerplate", f"{PROSE}\nClick here", [0]),
    ("boilerplate", f"Click here\n{PROSE}", [0]),  # \Z of the line: a newline in the text
    ("boilerplate", f"{PROSE}\nAll rights reserved\n{PROSE}", [5]),  # ^ and \Z inside
    ("boilerplate", f"{PROSE}\n\nLeave a reply\n\n{PROSE}", [2]),  # (?m)^ ... (?:\n|\Z)
    ("boilerplate", f"{PROSE}\nFollow us on X", [4]),
    ("boilerplate", f"{PROSE}\n  Advertisement\n{PROSE}", [10]),
    ("boilerplate", f"{PROSE}\n3 Comments\n{PROSE}", [11]),
    ("boilerplate", f"{PROSE}\nRelated:\n{PROSE}", [7, 9]),
    ("boilerplate", f"{PROSE}\nSee also: the night bus\n{PROSE}", [9]),
    ("boilerplate", "ALL RIGHTS RESERVED", [5]),
    ("boilerplate", "ſubscribe to our newsletter", [1]),  # long s: re matches it to "s"
    ("boilerplate", "All rİghts reserved", [5]),  # dotted capital I: re matches it to "i"
    ("boilerplate", "All rıghts reserved", [5]),  # dotless i
    ("boilerplate", "\u212aeep reading? Clic\u212a here", []),  # Kelvin sign: "click" only
    ("boilerplate", f"{PROSE}\nCLIC\u212a HERE", [0]),
    ("boilerplate", f"{PROSE} We use cookies.", [6]),
    ("boilerplate", "Read more about the harbour budget in our report.", []),
    ("boilerplate", f"{PROSE}\nRead more »\n{PROSE}", [8]),
    ("boilerplate", f"{PROSE}\nGet our free app\n{PROSE}", [3]),
    ("photo_credit", PROSE, []),
    ("photo_credit", f"{PROSE}\nJane Doe/Getty Images\n{PROSE}", [2]),  # \Z of the line
    ("photo_credit", f"{PROSE}\nAP Photo/Jane Doe", [1]),  # ^ of the line
    ("photo_credit", f"{PROSE} (Jane Doe/AP) {PROSE}", [0, 2]),
    ("photo_credit", f"{PROSE}\nPhoto: Jane Doe\n{PROSE}", [4]),
    ("photo_credit", f"{PROSE}\n Photo by Jane Doe", [5]),
    ("photo_credit", f"{PROSE}\nCredit: Jane Doe", [6]),
    ("photo_credit", f"{PROSE}\nShot for Getty Images", [3]),
    ("photo_credit", "The photo shows a ferry and/or a bus.", []),
]


@pytest.mark.parametrize(("name", "text", "expected"), EDGE_CASES)
def test_candidate_patterns_keep_every_pattern_a_line_matches(name, text, expected):
    patterns = _COMPILED[name]
    kept = candidate_patterns(name, text)
    assert [patterns.index(p) for p in kept] == expected
    lines = [ln for para in text.split("\n\n") for ln in para.split("\n")]
    assert {i for i, p in enumerate(patterns) if any(p.search(ln) for ln in lines)} <= set(expected)


def test_every_pattern_has_an_edge_case():
    """A pattern's hints are checked by the cases that expect it: each pattern has one."""
    expected = {(name, i) for name, _, kept in EDGE_CASES for i in kept}
    assert expected == {(name, i) for name, pats in _COMPILED.items() for i in range(len(pats))}


@pytest.mark.parametrize(
    "text",
    [t for _, t, _ in EDGE_CASES]
    + [
        "",
        "   ",
        "\nClick here",
        f"{PROSE}\n\n\n\nClick here\n",
        f"{PROSE}\n \n{PROSE}",
        f"{PROSE}\n\n\u3000\n\n{PROSE}",
        f"  {PROSE}\t",
        f"Click here\n\nRelated:\n{LONG} Follow us on Instagram for more.",
        f"{LONG.replace('taken,', 'taken (Jane Doe/AP),')}\nPhoto: Sam Lee\n\n",
    ],
)
@pytest.mark.parametrize("name", sorted(PATTERN_SETS))
def test_remove_leftovers_equals_the_unfiltered_loop(text, name):
    max_words = PipelineConfig().clean.leftover_line_max_words
    assert remove_leftovers(text, name, max_words) == _reference_remove(text, name, max_words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{PROSE}\n\n{LONG}\n{PROSE}", True),
        ("", False),
        (" ", False),
        (f"{PROSE}\n", False),
        (f"\n{PROSE}", False),
        (f"{PROSE}\n\n\n{PROSE}", False),
        (f"{PROSE}\n \n{PROSE}", False),
        (f"{PROSE}\n\n\u00a0\n\n{PROSE}", False),  # no-break space: whitespace to str.strip
        (f"{PROSE}\n\u2028\n{PROSE}", False),
    ],
)
def test_has_no_blank_lines(text, expected):
    assert _has_no_blank_lines(text) is expected
    if expected:  # the tidying keeps such a text as it is
        assert _reference_remove(text, "photo_credit", 20)[0] == text


def test_fold_agrees_with_re_on_every_character_of_the_hints():
    """A case-insensitive `re` match of an ASCII hint is a substring of the folded text: every
    character `re` matches to a hint's character folds to that character."""
    assert all(p.flags & re.IGNORECASE for p in _COMPILED["boilerplate"])
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    chars = {c for hints in _HINTS["boilerplate"] for hint in hints for c in hint}
    for c in sorted(chars):
        for found in set(re.findall(f"(?i){re.escape(c)}", every)):
            assert _fold(found) == c, (c, found)
