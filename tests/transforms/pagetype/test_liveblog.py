"""Update stamps of a live blog, matched to the body's paragraphs."""

from __future__ import annotations

import pytest
from lxml import html

from transforms.pagetype.liveblog import live_updates, stamp_body

_PAGE = """<html><body><div class="u"><time datetime="2024-03-05T09:02:00Z">9:02am</time>
<span class="post-author">Ada Lane</span><p>The coast road is closed north of the harbour.</p></div>
<div class="u"><time datetime="2024-03-05T09:15:00Z"></time>
<p>The detour through Mill Lane adds twenty minutes to the trip.</p></div></body></html>"""


def test_updates_carry_the_shown_time_or_the_datetime_and_the_author():
    updates = live_updates(html.fromstring(_PAGE))
    assert [stamp for _, stamp in updates] == ["9:02am · Ada Lane", "2024-03-05T09:15:00Z"]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["The coast road is closed north of the harbour."], 1),
        (["Something the page never timed."], 0),
    ],
)
def test_a_stamp_goes_above_its_update_only(paragraphs, expected):
    updates = live_updates(html.fromstring(_PAGE))
    stamped, placed = stamp_body(paragraphs, updates)
    assert placed == expected and len(stamped) == len(paragraphs) + expected
    if expected:
        assert stamped[0] == "9:02am · Ada Lane"
