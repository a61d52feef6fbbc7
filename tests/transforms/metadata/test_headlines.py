"""Headlines, site names and deks read from the page's own evidence (pages of the project's
making): a section kicker glued to the h1, an h1 that names the blog, the <title>'s suffix, a
dek shown under the headline."""

import pytest

from tests.transforms.metadata.pages import html_metadata
from transforms.core.record import Article
from transforms.metadata.titles import kicker_before, title_segment_name, truncated_of

_PROSE = "<p>The harbour board voted on Tuesday to begin dredging the channel next spring.</p>"


def _doc(head: str, body: str) -> Article:
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    return html_metadata(markup, "https://www.lanternpost.example/opinion/harbour-dredging")


@pytest.mark.parametrize(
    "h1",
    [
        "Opinion | Let the harbour breathe again",
        # the kicker in its own element, glued on without a space
        "<span>Harbour Life</span>Let the harbour breathe again",
    ],
)
def test_section_kicker_glued_to_the_h1(h1):
    head = '<meta property="og:title" content="Let the harbour breathe again">'
    doc = _doc(head, f"<article><h1>{h1}</h1>{_PROSE}</article>")
    assert doc.title == "Let the harbour breathe again"


@pytest.mark.parametrize(
    ("heading", "title", "expected"),
    [
        ("Opinion | Let the harbour breathe again", "Let the harbour breathe again", True),
        # a colon is headline punctuation; a number or an article is part of the headline
        ("Teaching Online: Effective Practices", "Effective Practices", False),
        ("8 Ways to Let the Harbour Breathe", "Ways to Let the Harbour Breathe", False),
        ("The Best Harbour Walks of 2026", "Best Harbour Walks of 2026", False),
    ],
)
def test_kicker_before(heading, title, expected):
    assert kicker_before(heading, title) is expected


_LONG = (
    "Harbour board votes to dredge the channel next spring after two winters of silt, "
    "groundings and a petition (including the ferry crews' own)"
)


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        # cut at a length limit, with a bracket left open
        (_LONG[:108].rstrip(), _LONG, True),
        ("Harbour board votes to dredge…", "Harbour board votes to dredge the channel", True),
        # a complete shorter title is a title of its own
        ("Dredging the channel", "Dredging the channel: what changes for ferries", False),
        # the whole headline with the site's name after it is not a continuation
        (_LONG, f"{_LONG} | Lantern Post", False),
        # cut inside a word: different words
        (
            "Harbour board votes to dredge the chan",
            "Harbour board votes to dredge the channels",
            False,
        ),
    ],
)
def test_truncated_of(short, full, expected):
    assert truncated_of(short, full) is expected


def test_headline_cut_to_a_length_limit_gives_way_to_the_whole_title():
    # no h1: the JSON-LD headline, kept to about 110 characters, ends mid-phrase
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
        + _LONG[:108].rstrip()
        + f'"}}</script><meta property="og:title" content="{_LONG}">'
    )
    doc = _doc(head, f"<article>{_PROSE}</article>")
    assert doc.title == _LONG


def test_blog_name_h1_gives_way_to_the_headline():
    head = "<title>Why the tide gauges drift in winter - Mira's Harbour Notes</title>"
    body = f"<h1>Mira's Harbour Notes</h1><article><h2>Why</h2>{_PROSE}</article>"
    doc = _doc(head, body)
    assert doc.title == "Why the tide gauges drift in winter"
    assert doc.site_name == "Mira's Harbour Notes"
    assert title_segment_name("Mira's Harbour Notes", [head[7:-8]])
    # the headline itself, first in the title, is not a name
    assert not title_segment_name("Why the tide gauges drift in winter", [head[7:-8]])


def test_site_name_from_og_site_name_first():
    head = (
        '<meta property="og:site_name" content="Lantern Post">'
        "<title>Harbour dredging approved | Harbour desk | Lantern Post Online</title>"
    )
    doc = _doc(head, f"<article><h1>Harbour dredging approved</h1>{_PROSE}</article>")
    assert doc.site_name == "Lantern Post"


@pytest.mark.parametrize(
    ("head", "dek", "expected"),
    [
        # a dek the template names so
        ("", '<p class="article-dek">A decade of delay ends with a narrow vote</p>',
         "A decade of delay ends with a narrow vote"),
        # og:description shown as its own line under the headline
        ('<meta property="og:description" content="A decade of delay ends with a narrow vote">',
         "<p>A decade of delay ends with a narrow vote</p>",
         "A decade of delay ends with a narrow vote"),
        # og:description that is not shown is a search snippet, not a dek
        ('<meta property="og:description" content="Read about the vote and what comes next">',
         "", None),
    ],
)  # fmt: skip
def test_subtitle_is_the_visible_dek(head, dek, expected):
    doc = _doc(head, f"<article><h1>Harbour dredging approved</h1>{dek}{_PROSE}</article>")
    assert doc.subtitle == expected
