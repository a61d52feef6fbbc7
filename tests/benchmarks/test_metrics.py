"""`benchmarks.metrics.ceiling_f1`: the best F1 a cleaner that only removes words can reach."""

from __future__ import annotations

import pytest

from benchmarks.metrics import ceiling_f1, word_f1


@pytest.mark.parametrize(
    ("source", "truth", "expected"),
    [
        # the source holds the whole truth plus chrome: removing the chrome is perfect
        ("Menu Home\nThe ferry left at noon.", "The ferry left at noon.", 1.0),
        # half the truth's words are missing from the source: recall 0.5 at best
        ("the ferry left", "the ferry left at noon today", 2 * 0.5 / 1.5),
        # counts matter: one "the" in the source covers one of the two in the truth
        ("the ferry", "the ferry and the pier", 2 * 0.4 / 1.4),
        # an empty truth is matched by removing everything; an empty source matches nothing
        ("Menu Home", "", 1.0),
        ("", "The ferry left.", 0.0),
    ],
)
def test_ceiling_f1(source, truth, expected):
    assert ceiling_f1(source, truth) == pytest.approx(expected)


@pytest.mark.parametrize(
    "kept",
    ["The ferry left at noon.", "Menu The ferry left", "noon", "Home Menu ferry ferry"],
)
def test_no_cleaning_of_the_source_beats_the_ceiling(kept):
    source = "Menu Home\nThe ferry left at noon."
    truth = "The ferry left at noon from the old pier."
    assert word_f1(kept, truth) <= ceiling_f1(source, truth) + 1e-12
