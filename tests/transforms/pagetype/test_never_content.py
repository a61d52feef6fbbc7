"""Never-content pages are quarantined with their own reason, found from what the page is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.transforms.pagetype.news_pages import NEVER_CONTENT, PAYWALL_STUB, page
from transforms.core.record import Article, Markup
from transforms.core.steps import run_steps
from transforms.pipeline import build_steps
from transforms.run.tables import quarantine_table

URL = "https://harbourgazette.example/news/2024/03/04/night-ferry-cut"


def _run(html: str, url: str = URL):
    doc = Article("d1", "p.html", "html", "html", url=url, markup=Markup(raw=html.encode()))
    return run_steps([doc], build_steps())


@pytest.mark.parametrize("kind", sorted(NEVER_CONTENT))
def test_never_content_page_is_quarantined_with_its_reason(kind):
    html, reason = NEVER_CONTENT[kind]
    kept, dropped, _ = _run(html)
    assert not kept
    assert [(d.stage, d.reason) for _, d in dropped] == [("page_type", reason)]


def test_a_paywall_stub_keeps_its_title_url_authors_and_date_in_quarantine():
    _, dropped, _ = _run(PAYWALL_STUB)
    row = quarantine_table(dropped, "run-1", datetime.now(UTC)).to_pylist()[0]
    assert row["reason"] == "paywall_stub"
    assert row["title"] == "Night ferry service to be cut from May"
    assert row["url"] == URL
    assert row["authors"] == ["Mara Ellison"]
    assert row["published_at"] == datetime(2024, 3, 4, 7, 30, tzinfo=UTC)


_PROSE = " ".join(
    f"The council met on day {i} to talk about the ferry, the bridge and the bus depot, and the "
    "members agreed that the timetable needs a careful second look before the summer season."
    for i in range(12)
)


@pytest.mark.parametrize(
    "extra",
    [
        # a whole article behind a paywall flag (the text is there: a metered paywall)
        '<div class="paywall"><p>Already a subscriber? Sign in.</p></div>',
        # an article with a cookie banner
        '<div class="cookie"><p>We use cookies and our partners process personal data. '
        "Accept all or reject all in your privacy settings.</p></div>",
        # an article that mentions a 404 in its text
        "<p>The old page now shows a 404 error.</p>",
    ],
)
def test_an_article_with_prose_is_never_quarantined_for_its_chrome(extra):
    paragraphs = "".join(f"<p>{_PROSE[i : i + 400]}</p>" for i in range(0, len(_PROSE), 400))
    html = page(
        "Ferry timetable under review",
        f"<main><article><h1>Ferry timetable under review</h1>{paragraphs}{extra}</article></main>",
    )
    kept, dropped, _ = _run(html)
    assert not [d for _, d in dropped if d.stage == "page_type"]
    assert kept and kept[0].page_type == "article"


def test_a_page_read_as_a_fragment_is_measured_on_its_text_not_quarantined_as_a_shell():
    # an XML prolog with a DOCTYPE subset makes the parser keep no <body>: the page's words are
    # still there, under the fragment's root, and a script in its head is no app shell
    paragraphs = "".join(f"<p>{_PROSE[i : i + 400]}</p>" for i in range(0, len(_PROSE), 400))
    html = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY note "a note">\n]>\n'
        "<html><head><title>Ferry timetable under review</title>"
        "<script>window.track = 1;</script></head>"
        f"<body><article><h1>Ferry timetable under review</h1>{paragraphs}</article>"
        "</body></html>"
    )
    kept, dropped, _ = _run(html)
    assert not [d for _, d in dropped if d.stage == "page_type"]
    assert kept and kept[0].page_type == "article"
