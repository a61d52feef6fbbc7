import re

import pytest

from transforms.html.credits import AGENCIES, _clean, _has_hint

# the single alternation `_has_hint` stands for
ALTERNATION = re.compile(
    rf"[/(\[:|•·]|Photo|Image|Picture|Credit|Courtesy|Illustration|Foto|\bfor\b|{AGENCIES}"
)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Jane Doe/The Post", True),
        ("Photo by Jane Doe", True),
        ("Jane Doe for The Times", True),
        ("Jane Doe · The Times", True),
        ("Reuters", True),
        ("USA TODAY Sports", True),
        ("USA today sports", False),
        ("Jane Doe wrote this", False),
        ("information before", False),  # "for" inside a word
        ("therefore", False),
        ("for", True),
        ("JAPAN", True),  # agency names are searched anywhere, as in the alternation
        ("", False),
    ],
)
def test_has_hint_is_the_alternation(text, hint):
    assert _has_hint(text) is hint
    assert (ALTERNATION.search(text) is not None) is hint


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Photo: Jane Doe", "Photo: Jane Doe"),
        ("Photo:  Jane Doe", "Photo: Jane Doe"),
        ("Photo:\tJane\nDoe", "Photo: Jane Doe"),
        ("Photo:\u00a0Jane Doe", "Photo: Jane Doe"),
        ("| Jane Doe/AP -", "Jane Doe/AP"),
        ("  \n Jane Doe  ", "Jane Doe"),
    ],
)
def test_clean_collapses_any_whitespace_run(text, clean):
    assert _clean(text) == clean
    assert re.sub(r"\s+", " ", text).strip(" |•·–—-") == clean
