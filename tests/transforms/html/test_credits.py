import re

import pytest

from transforms.html.credits import AGENCIES, _has_hint

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
