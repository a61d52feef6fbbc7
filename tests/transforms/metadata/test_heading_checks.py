"""The visible heading against the titles the page states: another thing's heading, or the
stated title badly decoded."""

import pytest
from lxml import html as lxml_html

from transforms.metadata.heading_checks import decoded_as, unrelated_heading
from transforms.metadata.headline import choose_title
from transforms.metadata.html_evidence import collect_evidence

_STATED = ["Ten ways to keep basil alive indoors", "Ten ways to keep basil alive indoors"]


@pytest.mark.parametrize(
    ("heading", "stated", "expected"),
    [
        # a file name over a listing: no word in common with the title stated twice
        ("notes/readme.txt", _STATED, _STATED[0]),
        ("Portfolio Gallery", _STATED, _STATED[0]),
        # a reworded SEO title keeps some of the headline's words: the heading stays
        ("Keeping basil alive on a windowsill", _STATED, None),
        # a title stated once is no witness against the heading
        ("Portfolio Gallery", ["Ten ways to keep basil alive indoors"], None),
        ("Portfolio Gallery", [], None),
    ],
)
def test_unrelated_heading(heading, stated, expected):
    assert unrelated_heading(heading, stated) == expected


@pytest.mark.parametrize(
    ("heading", "stated", "expected"),
    [
        # characters lost to a wrong encoding: the stated title is the headline whole
        (
            "A Gardener? Guide to Basil",
            ["A Gardener's Guide to Basil"] * 2,
            "A Gardener's Guide to Basil",
        ),
        (
            "Caf\ufffd opens on Main Street",
            ["Café opens on Main Street"] * 2,
            "Café opens on Main Street",
        ),
        # a question mark the stated title also has, or drops, is the headline's own
        ("Is basil hard to grow?", ["Is basil hard to grow?"] * 2, None),
        ("Is basil hard to grow?", ["Is basil hard to grow"] * 2, None),
        # other words around the lost character: another title
        ("A Gardener? Guide to Basil", ["A Cook's Guide to Basil"] * 2, None),
        # no lost character: nothing to repair
        ("A Gardeners Guide to Basil", ["A Gardener's Guide to Basil"] * 2, None),
    ],
)
def test_decoded_as(heading, stated, expected):
    assert decoded_as(heading, stated) == expected


def test_choose_title_passes_over_a_file_name_heading():
    page = (
        "<html><head><title>Ten ways to keep basil alive indoors · CodeHost</title>"
        '<meta property="og:title" content="Ten ways to keep basil alive indoors">'
        "</head><body><main><h1>notes/readme.txt</h1><p>Water it.</p></main></body></html>"
    )
    ev = collect_evidence(lxml_html.fromstring(page))
    assert choose_title(ev, "https://codehost.example/jo/notes") == _STATED[0]
