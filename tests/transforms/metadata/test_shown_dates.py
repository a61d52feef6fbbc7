"""The article's own date, as its page shows it (pages of the project's making)."""

from datetime import date

import pytest
from lxml import html as lxml_html

from tests.transforms.metadata.pages import NO_HTMLDATE, html_metadata
from transforms.core.record import Article
from transforms.metadata.dates import parse_date
from transforms.metadata.steps import FinalizeMetadataStep, HtmlMetadataStep

_LD = (
    '<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",'
    '"headline":"Harbour dredging approved","datePublished":"{0}"}}</script>'
)
_PROSE = "<p>The harbour board voted to begin dredging the channel next spring.</p>"


def _doc(body: str, head: str = "") -> Article:
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    doc = html_metadata(markup, "https://www.lanternpost.example/harbour-dredging")
    FinalizeMetadataStep(NO_HTMLDATE).apply(doc)
    return doc


def test_shown_day_in_the_pages_own_time_zone():
    # 03:22 UTC on the 23rd is 10:22 pm on the 22nd in New York, the day the page shows
    head = _LD.format("2023-12-23T03:22:07Z")
    body = f"<article><h1>Harbour dredging approved</h1><p>Dec 22, 2023, 10:22 PM EST</p>{_PROSE}"
    doc = _doc(body + "</article>", head)
    assert doc.published_date == date(2023, 12, 22)
    assert doc.published_at.isoformat() == "2023-12-23T03:22:07+00:00"  # the moment kept whole
    assert doc.published_at_source == "jsonld"


def test_shown_date_under_the_headline_beats_a_stale_markup_date():
    head = _LD.format("2019-04-02T08:00:00Z")
    body = (
        f"<article><h1>Harbour dredging approved</h1><p>By Mira Okafor · March 12, 2024</p>{_PROSE}"
    )
    assert _doc(body + "</article>", head).published_date == date(2024, 3, 12)
    # an "Updated" stamp under the headline is not the publication date
    body = f"<article><h1>Harbour dredging approved</h1><p>Updated March 12, 2024</p>{_PROSE}"
    assert _doc(body + "</article>", head).published_date == date(2019, 4, 2)


@pytest.mark.parametrize(
    "other",
    [
        '<figure><img src="a.jpg"><figcaption>Dredgers in 2011 <time datetime="2011-05-01">'
        "May 1, 2011</time></figcaption></figure>",
        '<div class="related-posts"><time class="entry-date published" datetime="2012-01-09">'
        "Jan 9, 2012</time></div>",
        '<ol class="comment-list"><li><time itemprop="datePublished" datetime="2013-02-03">'
        "Feb 3, 2013</time></li></ol>",
    ],
)
def test_a_caption_card_or_comment_date_is_not_the_articles(other):
    body = (
        "<article><h1>Harbour dredging approved</h1>"
        f'{other}{_PROSE}<time datetime="2024-03-12">March 12, 2024</time></article>'
    )
    assert _doc(body).published_date == date(2024, 3, 12)


@pytest.mark.parametrize("value", ["2022-02-112023-06-08", "2022-02-1"])
def test_malformed_values_refused(value):
    assert parse_date(value, human=False) is None


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("<p>17/08/2025 Date Posted</p>", "text"),  # a label after the date
        # read as an update: it dates the page only as the last resort, under its own source
        ("<p>17/08/2025 Date Updated</p>", "updated"),
    ],
)
def test_trailing_date_labels(shown, expected):
    body = f"<article><h1>Harbour dredging approved</h1>{shown}{_PROSE}</article>"
    doc = _doc(body)
    assert (doc.published_date, doc.published_at_source) == (date(2025, 8, 17), expected)


def test_date_printed_at_the_end_of_a_text():
    from transforms.metadata.steps import TextMetadataStep

    doc = Article(doc_id="d", source_path="p.txt", source_format="text", content_kind="text")
    doc.set_paragraphs(
        [
            "Harbour dredging approved",
            "The harbour board voted on Tuesday to begin dredging the channel next spring.",
            "Work will start once the permits arrive, the chair said after the meeting.",
            "Published 12 March 2024",
        ]
    )
    TextMetadataStep(NO_HTMLDATE).apply(doc)
    assert doc.published_at.date() == date(2024, 3, 12)
    assert doc.published_at_source == "text"
    assert "Published" not in doc.text


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        # the label in a block of its own beside the value, as card templates print it
        ("<div><div>Last updated on:</div><div>October 1, 2025</div></div>", date(2025, 10, 1)),
        ('<p class="post-date">Updated: December 09, 2025</p>', date(2025, 12, 9)),
        (
            '<p>Revised <time class="updated" datetime="2024-07-03">July 3</time></p>',
            date(2024, 7, 3),
        ),
    ],
)
def test_an_update_stamp_dates_a_page_that_states_no_publication_date(stamp, expected):
    body = f"<article><h1>Harbour dredging approved</h1>{stamp}{_PROSE}</article>"
    doc = _doc(body)
    assert doc.published_date == expected
    assert doc.published_at_source == "updated"  # a reader can tell it from a publication date


def test_a_publication_date_anywhere_beats_the_update_stamp():
    stamp = "<p>Updated: December 09, 2025</p>"
    body = f"<article><h1>Harbour dredging approved</h1>{stamp}{_PROSE}</article>"
    doc = _doc(body, _LD.format("2021-05-04T09:00:00Z"))
    assert (doc.published_date, doc.published_at_source) == (date(2021, 5, 4), "jsonld")
    # a date in the URL is a publication date too
    markup = f"<html><body>{body}</body></html>"
    doc = Article(doc_id="d", source_path="p.html", source_format="html", content_kind="html")
    doc.url = "https://www.lanternpost.example/2022/03/08/harbour-dredging"
    doc.markup.tree = lxml_html.fromstring(markup)
    HtmlMetadataStep(NO_HTMLDATE).apply(doc)
    assert doc.published_at_source == "url"
