from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from lxml import html as lxml_html

from tests.transforms.metadata.pages import html_metadata
from transforms.core.config import PipelineConfig
from transforms.core.record import Article
from transforms.metadata.steps import FinalizeMetadataStep, HtmlMetadataStep, TextMetadataStep


def _html_doc(markup: str, url: str | None = "https://www.example.org/news/story") -> Article:
    return html_metadata(markup, url)


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}<p>Story text.</p></body></html>"


def _ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


@pytest.mark.parametrize(
    ("author_json", "expected"),
    [
        ('"Jane Doe"', ["Jane Doe"]),
        ('{"@type":"Person","name":"Jane Doe"}', ["Jane Doe"]),
        (
            '[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}]',
            ["Jane Doe", "John Roe"],
        ),
        ('"Jane Doe and John Roe"', ["Jane Doe", "John Roe"]),
        ('{"@type":"Person","givenName":"Jane","familyName":"Doe"}', ["Jane Doe"]),
        ('"https://www.example.org/author/jane"', []),
        # the publisher credited as author names no writer: an organisation's byline
        ('{"@type":"Organization","name":"Example Org"}', ["Example Org"]),
        # the host's brand as author likewise; a full personal name on it is a writer
        ('"Example"', ["Example"]),
        ('{"@type":"Person","name":"Jane Example"}', ["Jane Example"]),
        # an organisation that is not the publisher is what the page states: in its own column
        ('{"@type":"Organization","name":"City Health Department"}', ["City Health Department"]),
    ],
)
def test_jsonld_author_variants(author_json, expected):
    head = _ld(
        '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Storm hits coast",'
        f'"author":{author_json},"datePublished":"2024-03-05T10:00:00Z",'
        '"publisher":{"@type":"Organization","name":"Example Org"}}'
    )
    # the writers are named on the page (markup naming people it never shows is no byline:
    # test_markup_author_the_page_never_shows)
    thanks = f"<p>Waves rose all night.</p><p>Thanks to {', '.join(expected)}.</p>"
    doc = _html_doc(_page(head, "<h1>Storm hits coast</h1>" + thanks))
    assert doc.authors + doc.author_organizations == expected
    assert "Organization" not in author_json or doc.authors == []
    assert "Example" not in expected or doc.author_organizations == expected
    assert doc.title == "Storm hits coast"
    assert doc.site_name == "Example Org"
    assert doc.published_at == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert (doc.published_at_precision, doc.published_at_source) == ("second", "jsonld")


def test_jsonld_graph_with_references():
    head = _ld(
        '{"@context":"https://schema.org","@graph":['
        '{"@type":"Person","@id":"#jane","name":"Jane Doe"},'
        '{"@type":"BlogPosting","headline":"A quiet week","author":[{"@id":"#jane"}],'
        '"datePublished":"2023-11-02"}]}'
    )
    doc = _html_doc(_page(head, "<h1>A quiet week</h1><p>Text.</p><p>About Jane Doe</p>"))
    assert doc.authors == ["Jane Doe"]
    assert doc.published_at == datetime(2023, 11, 2, tzinfo=UTC)
    assert doc.published_at_precision == "day"


def test_meta_only_page():
    head = (
        '<meta property="og:title" content="Council approves budget | Example Gazette">'
        '<meta property="og:site_name" content="Example Gazette">'
        '<meta name="author" content="By Ann Lee, Staff Writer">'
        '<meta property="article:published_time" content="2024-02-01T08:15:00+01:00">'
        '<meta property="og:url" content="https://Example.org/news/budget?utm_source=tw#x">'
    )
    doc = _html_doc(_page(head))
    assert doc.title == "Council approves budget"
    assert doc.site_name == "Example Gazette"
    assert doc.authors == ["Ann Lee"]
    assert doc.published_at == datetime(2024, 2, 1, 7, 15, tzinfo=UTC)
    assert doc.published_at_source == "meta"
    assert doc.url == "https://example.org/news/budget"


@pytest.mark.parametrize(
    ("title_tag", "h1", "site", "expected"),
    [
        ("Council approves budget | CNN", "", "CNN", "Council approves budget"),
        (
            "Council approves budget - Example Gazette",
            "",
            "Example Gazette",
            "Council approves budget",
        ),
        (
            "Example Gazette: Council approves budget",
            "",
            "Example Gazette",
            "Council approves budget",
        ),
        # the visible headline wins over an SEO title worded differently
        (
            "Budget 2024: all you need to know",
            "Council approves budget",
            "",
            "Council approves budget",
        ),
        # an h1 that is the site's logo is not the headline
        (
            "Council approves budget | Example Gazette",
            "Example Gazette",
            "Example Gazette",
            "Council approves budget",
        ),
    ],
)
def test_titles(title_tag, h1, site, expected):
    head = f"<title>{title_tag}</title>"
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    body = f"<h1>{h1}</h1>" if h1 else ""
    assert _html_doc(_page(head, body)).title == expected


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Council approves budget</h1><p>The council voted on Monday.</p>",
        "<h1>Council approves budget</h1><p>Posted in News</p>",
        # a byline of another story in a related list is not this page's author
        "<h1>Council approves budget</h1><aside class='related'><div class='byline'>By Ann Lee"
        "</div></aside>",
        "<h1>Council approves budget</h1><div class='author'>Share on Facebook</div>",
    ],
)
def test_pages_without_author_stay_empty(body):
    doc = _html_doc(_page("<title>Council approves budget</title>", body))
    assert doc.authors == []


@pytest.mark.parametrize(
    "body",
    [
        "<article><h1>T</h1><div class='byline'>By Ann Lee and Bo Chen, Staff Writers</div></article>",
        "<article><h1>T</h1><a rel='author' href='/ann'>Ann Lee</a></article>",
        "<article><h1>T</h1><p>By Ann Lee | March 5, 2024</p><p>Text.</p></article>",
    ],
)
def test_visible_bylines(body):
    doc = _html_doc(_page("", body))
    assert doc.authors[0] == "Ann Lee"


def test_visible_dates_published_label_and_updated_only_as_last_resort():
    body = "<h1>T</h1><p>Updated June 1, 2024</p><p>Text.</p>"
    # the page states no publication date: its update stamp dates it, under its own provenance
    doc = _html_doc(_page("", body))
    assert (doc.published_at, doc.published_at_source) == (
        datetime(2024, 6, 1, tzinfo=UTC),
        "updated",
    )
    body = "<h1>T</h1><p>Published March 5, 2024. Updated June 1, 2024</p>"
    doc = _html_doc(_page("", body))
    assert doc.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert (doc.published_at_precision, doc.published_at_source) == ("day", "text")


def test_time_element_and_url_date():
    body = "<article><h1>T</h1><time datetime='2024-03-05T10:00:00Z'>5 March</time></article>"
    assert _html_doc(_page("", body)).published_at_source == "time_element"
    doc = _html_doc(_page("", "<h1>T</h1>"), url="https://ex.org/2024/03/05/story")
    assert (doc.published_at, doc.published_at_source) == (datetime(2024, 3, 5, tzinfo=UTC), "url")


def test_canonical_link_wins_over_fetch_url():
    head = '<link rel="canonical" href="/news/story-1?fbclid=zz">'
    doc = _html_doc(_page(head), url="https://WWW.Example.org/amp/story-1?utm_medium=x")
    assert doc.url == "https://www.example.org/news/story-1"
    assert doc.changes.get("url_canonical") == 1


def test_htmldate_fallback_when_enabled():
    markup = _page("", "<h1>T</h1><p class='date'>2024-03-05</p>")
    doc = Article(doc_id="d", source_path="p", source_format="html", content_kind="html")
    doc.markup.tree = lxml_html.fromstring(markup)
    before = lxml_html.tostring(doc.markup.tree)
    HtmlMetadataStep(PipelineConfig()).apply(doc)
    assert doc.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert lxml_html.tostring(doc.markup.tree) == before  # later stages read the same tree


def test_htmldate_updated_day_is_not_a_publication_date():
    # the page states only when it was last modified: htmldate's answer is not a publication
    # date; the update stamp itself dates the page only as what it is ("updated")
    head = '<meta property="article:modified_time" content="2024-03-05T10:00:00+00:00">'
    markup = _page(
        head, "<h1>T</h1><p>Last updated: <time datetime='2024-03-05'>March 5, 2024</time></p>"
    )
    doc = Article(doc_id="d", source_path="p", source_format="html", content_kind="html")
    doc.markup.tree = lxml_html.fromstring(markup)
    HtmlMetadataStep(PipelineConfig()).apply(doc)
    assert doc.changes.get("updated_date_not_published") == 1
    assert doc.published_at_source == "updated"


def test_header_block_without_h1_anchors_on_the_title_h2():
    head = "<title>Council approves budget | Example</title>"
    body = "<h2>Menu</h2><h2>Council approves budget</h2><p>May 3, 2024</p><p>Text.</p>"
    doc = _html_doc(_page(head, body))
    assert doc.published_at == datetime(2024, 5, 3, tzinfo=UTC)


def test_header_text_limit_counts_text_not_indentation():
    # a pretty-printed page: the date below the headline is within 600 characters of text
    pad = "\n" + " " * 80
    body = f"<article><h1>T</h1><div>{pad * 10}<span>By Ann Lee</span>{pad * 10}</div>"
    body += "<p>12.12.2024</p><p>Text.</p></article>"
    doc = _html_doc(_page("", body))
    assert doc.published_at == datetime(2024, 12, 12, tzinfo=UTC)


# --- finalize


def _text_doc(text: str) -> Article:
    doc = Article(doc_id="d", source_path="p.txt", source_format="text", content_kind="text")
    doc.text = text
    return doc


ENGLISH = (
    "The council approved the budget on Monday after a long debate about schools, roads and "
    "the future of the public library in the centre of town."
)
GERMAN = (
    "Der Stadtrat hat am Montag nach langer Debatte den Haushalt beschlossen, der mehr Geld "
    "für Schulen, Straßen und die Bibliothek in der Innenstadt vorsieht."
)


@pytest.mark.parametrize(
    ("text", "lang"), [(ENGLISH, "en"), (GERMAN, "de"), ("Short.", None), ("", None)]
)
def test_language(text, lang):
    doc = _text_doc(text)
    FinalizeMetadataStep().apply(doc)
    assert doc.language == lang


def test_future_date_removed_and_utc():
    doc = _text_doc(ENGLISH)
    doc.fetched_at = datetime(2024, 3, 5, 12, tzinfo=UTC)
    doc.published_at = datetime(2024, 3, 9, tzinfo=UTC)
    doc.published_at_precision, doc.published_at_source = "day", "jsonld"
    FinalizeMetadataStep().apply(doc)
    assert doc.published_at is None and doc.published_at_source is None
    assert doc.published_date is None
    assert doc.changes == {"future_date_removed": 1}

    doc = _text_doc(ENGLISH)
    doc.fetched_at = datetime(2024, 3, 5, 12, tzinfo=UTC)
    doc.published_at = datetime(2024, 3, 5, 9, tzinfo=timezone(timedelta(hours=2)))
    FinalizeMetadataStep().apply(doc)
    assert doc.published_at == datetime(2024, 3, 5, 7, tzinfo=UTC)
    assert doc.published_at.tzinfo == UTC


@pytest.mark.parametrize(
    ("published", "utc", "day"),
    [
        # 9 pm in New York is the next day in UTC: the stated day is kept beside the UTC time
        (
            datetime(2024, 3, 4, 21, 30, tzinfo=timezone(timedelta(hours=-5))),
            datetime(2024, 3, 5, 2, 30, tzinfo=UTC),
            date(2024, 3, 4),
        ),
        (
            datetime(2024, 3, 5, 1, 0, tzinfo=timezone(timedelta(hours=9))),
            datetime(2024, 3, 4, 16, 0, tzinfo=UTC),
            date(2024, 3, 5),
        ),
        (datetime(2024, 3, 4), datetime(2024, 3, 4, tzinfo=UTC), date(2024, 3, 4)),  # a bare date
    ],
)
def test_published_date_is_the_stated_day(published, utc, day):
    doc = _text_doc(ENGLISH)
    doc.published_at = published
    FinalizeMetadataStep().apply(doc)
    assert doc.published_at == utc and doc.published_at.tzinfo == UTC
    assert doc.published_date == day


def test_text_step_runs_on_both_kinds():
    assert TextMetadataStep.applies_to == frozenset({"html", "text"})
    assert HtmlMetadataStep.applies_to == frozenset({"html"})


@pytest.mark.parametrize(
    ("head", "body", "url", "expected"),
    [
        # an h1 that is a section label loses to the meta title the URL path agrees with
        (
            '<meta property="og:title" content="Council approves new city budget">',
            "<article><h1>Perspectives</h1></article>",
            "https://www.example.org/news/council-approves-new-city-budget",
            "Council approves new city budget",
        ),
        # a line break inside the h1 is a space
        (
            "",
            "<article><h1>Council approves<br>new budget</h1></article>",
            None,
            "Council approves new budget",
        ),
        # an og:site_name that is the page title is not a site name to strip
        (
            '<meta property="og:site_name" content="How to plan: a guide for 2026 | Example">'
            "<title>How to plan: a guide for 2026 | Example</title>",
            "<article><h1>How to plan: a guide for 2026</h1></article>",
            None,
            "How to plan: a guide for 2026",
        ),
        # an h1 that contains the site's name and more is a headline, not the logo
        (
            "<title>Acme catalog index</title>",
            "<article><h1>Acme Hardware Catalog</h1></article>",
            "https://www.acmehardware.com/acme-catalog-index/",
            "Acme Hardware Catalog",
        ),
        # the decorated title printed in the h1 too
        (
            "<title>Council approves budget | Opinion</title>",
            "<article><h1>Council approves budget | Opinion</h1></article>",
            None,
            "Council approves budget",
        ),
    ],
)
def test_title_evidence(head, body, url, expected):
    assert _html_doc(_page(head, body), url).title == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # an author box in the article's own <footer> is not page chrome
        (
            "<article><h1>T</h1><p>Text.</p><footer class='meta'><div class='author'>Ann Lee"
            "</div></footer></article>",
            ["Ann Lee"],
        ),
        # the body class says nothing about chrome ("no-sidebar")
        ("<div><h1>T</h1><span class='author-name'>Ann Lee</span></div>", ["Ann Lee"]),
        # a date box first, the name in the next byline element
        (
            "<article><h1>T</h1><div class='author-date'>May 3, 2024</div>"
            "<div class='author-name'>Ann Lee</div></article>",
            ["Ann Lee"],
        ),
        # a byline label with the name in a child element, far below the headline
        (
            "<article><h1>T</h1>"
            + "<p>Body text of the story goes on here.</p>" * 30
            + "<p>Written by <a href='/a'>Ann Lee and Bo Chen</a></p></article>",
            ["Ann Lee", "Bo Chen"],
        ),
        # the label and the name in sibling elements
        (
            "<article><h1>T</h1><div><span>Written by</span><span>Ann Lee</span></div></article>",
            ["Ann Lee"],
        ),
        # <address> in the article holds the author's contact
        ("<article><h1>T</h1><address><a href='/ann'>Ann Lee</a></address></article>", ["Ann Lee"]),
        # a "By" that opens a sentence in the story is not a byline
        (
            "<article><h1>T</h1><p>By Monday the council had voted to approve the new city "
            "budget, which the mayor had opposed for months.</p></article>",
            [],
        ),
        # a comment's "Posted by" is not the article's author
        (
            "<article><h1>T</h1><p>Text.</p></article><div class='comments'><p>Posted by "
            "<b>Ann Lee</b></p></div>",
            [],
        ),
    ],
)
def test_byline_evidence(body, expected):
    assert _html_doc(_page("", body)).authors == expected


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # a structured author that is the site's name gives way to the visible byline
        (
            '<meta property="og:site_name" content="Example Gazette">'
            + _ld('{"@type":"NewsArticle","author":{"@type":"Person","name":"Example Gazette"}}'),
            "<article><h1>T</h1><div class='byline'>Ann Lee</div></article>",
            ["Ann Lee"],
        ),
        # so does an account handle
        (
            _ld('{"@type":"NewsArticle","author":{"@type":"Person","name":"annlee2"}}'),
            "<article><h1>T</h1><div class='byline'>Ann Lee</div></article>",
            ["Ann Lee"],
        ),
        # a real structured name the page shows stays first
        (
            _ld('{"@type":"NewsArticle","author":{"@type":"Person","name":"Bo Chen"}}'),
            "<article><h1>T</h1><div class='byline'>Ann Lee</div><p>Bo Chen edits.</p></article>",
            ["Bo Chen"],
        ),
        # one the page never shows is not the byline: the visible one is
        (
            _ld('{"@type":"NewsArticle","author":{"@type":"Person","name":"Bo Chen"}}'),
            "<article><h1>T</h1><div class='byline'>Ann Lee</div></article>",
            ["Ann Lee"],
        ),
        # a byline element labelled "Reviewed by" just before it is not the author
        (
            "",
            "<article><h1>T</h1><span>Reviewed by</span><div class='byline'>Ann Lee</div></article>",
            [],
        ),
    ],
)
def test_structured_and_visible_authors(head, body, expected):
    assert _html_doc(_page(head, body)).authors == expected


def test_published_equal_to_modified_gives_way_to_the_shown_date():
    ld = _ld(
        '{"@type":"Article","datePublished":"2025-06-24T10:00:00Z",'
        '"dateModified":"2025-06-24T10:00:00Z"}'
    )
    doc = _html_doc(_page(ld, "<article><h1>T</h1><p>March 1, 2024</p><p>Text.</p></article>"))
    assert doc.published_at == datetime(2024, 3, 1, tzinfo=UTC)
    assert doc.published_at_source == "text"
    # with a distinct modified day too: the date under the headline is what the reader is
    # shown (transforms.metadata.shown_dates)
    ld = ld.replace('"dateModified":"2025-06-24', '"dateModified":"2025-07-01')
    doc = _html_doc(_page(ld, "<article><h1>T</h1><p>March 1, 2024</p><p>Text.</p></article>"))
    assert doc.published_at_source == "text"
    # without a date under the headline datePublished stands
    doc = _html_doc(_page(ld, "<article><h1>T</h1><p>Text.</p></article>"))
    assert doc.published_at_source == "jsonld"


@pytest.mark.parametrize(
    ("body", "day", "source"),
    [
        # a date the article's text mentions is not its dateline
        (
            "<article><h1>T</h1><p>The fair, which opened on Wednesday, March 1, 2024, runs"
            " until the end of the month in the old town hall.</p></article>",
            date(2025, 6, 24),
            "jsonld",
        ),
        # a <time> marked as the publication date (no visible text) is the trace of the first publication
        (
            "<article><h1>T</h1><p>Text.</p></article>"
            "<time class='pubdate' datetime='2024-03-01'></time>",
            date(2024, 3, 1),
            "text",
        ),
        # but not one marked as an update
        (
            "<article><h1>T</h1><p>Text.</p></article>"
            "<time class='published updated' datetime='2024-03-01'></time>",
            date(2025, 6, 24),
            "jsonld",
        ),
    ],
)
def test_published_on_modified_day_earlier_evidence(body, day, source):
    ld = _ld(
        '{"@type":"Article","datePublished":"2025-06-24T10:00:00Z",'
        '"dateModified":"2025-06-24T10:00:00Z"}'
    )
    doc = _html_doc(_page(ld, body))
    assert (doc.published_at.date(), doc.published_at_source) == (day, source)


def test_published_meta_name():
    doc = _html_doc(_page('<meta name="published" content="July 17, 2025">', "<h1>T</h1>"))
    assert doc.published_at == datetime(2025, 7, 17, tzinfo=UTC)


def test_modified_days():
    from transforms.metadata.date_choice import modified_days
    from transforms.metadata.html_evidence import collect_evidence

    page = _page(
        '<meta property="article:modified_time" content="2026-01-12T16:29:48+00:00">',
        "<h1>T</h1><p>Last updated: <time datetime='2026-01-10'>January 10, 2026</time></p>",
    )
    days = {d.isoformat() for d in modified_days(collect_evidence(lxml_html.fromstring(page)))}
    assert days == {"2026-01-12", "2026-01-10"}


def test_listing_bylines_are_not_the_page_author():
    items = "".join(
        f"<li><h3>Item {i}</h3><p>By {n}</p></li>"
        for i, n in enumerate(["Ann Lee", "Bo Chen", "Cy Diaz", "Di Eng"])
    )
    doc = _html_doc(_page("", f"<article><h1>Materials</h1><ul>{items}</ul></article>"))
    assert doc.authors == []
    # one byline under the headline and others far below (a related list) still counts
    far = "<p>Body text of the story goes on here.</p>" * 200
    body = f"<article><h1>T</h1><p>By Ann Lee</p>{far}<ul>{items}</ul></article>"
    assert _html_doc(_page("", body)).authors == ["Ann Lee"]


def test_company_in_author_meta_is_not_a_writer():
    doc = _html_doc(_page('<meta name="author" content="Example Commerce Inc">', "<h1>T</h1>"))
    assert doc.authors == []


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # the author meta tag states the JSON-LD byline more fully
        (
            _ld('{"@type":"Article","author":{"@type":"Person","name":"Bo Chen"}}')
            + '<meta name="author" content="Ann Lee &amp; Bo Chen">',
            "<h1>T</h1>",
            ["Ann Lee", "Bo Chen"],
        ),
        # a separate junk value does not widen it
        (
            _ld('{"@type":"Article","author":{"@type":"Person","name":"Bo Chen"}}')
            + '<meta name="author" content="Name"><meta name="author" content="Bo Chen">',
            "<h1>T</h1>",
            ["Bo Chen"],
        ),
        # a link-preview card names the linked page's author, not this page's
        ("", "<article><h1>T</h1><div class='kg-bookmark-author'>Ann Lee</div></article>", []),
        # an "Author:" / "Contributors:" label with the name in the next element
        ("", "<article><h1>T</h1><p>Contributors:</p><p>Ann Lee</p></article>", ["Ann Lee"]),
        # a lower-case "by" opening a line beside the headline
        ("", "<article><h1>T</h1><p>by Ann Lee</p><p>Text.</p></article>", ["Ann Lee"]),
        # a name run cut short by a lower-case word is a phrase, not a name
        ("", "<article><h1>T</h1><p>By The Acme editors</p><p>Text.</p></article>", []),
        ("", "<article><h1>T</h1><p>By Ann Lee on May 3</p><p>Text.</p></article>", ["Ann Lee"]),
        # a lone "By" label with the name in a button that opens the author card
        ("", "<article><h1>T</h1><span>By </span><button>Ann Lee</button></article>", ["Ann Lee"]),
        # the visible byline states the one structured author more fully
        (
            '<meta name="author" content="Ann Lee">',
            "<article><h1>T</h1><p>Written by Dr Ann Lee, Bo Chen, Cy van Dam</p></article>",
            ["Ann Lee", "Bo Chen", "Cy van Dam"],
        ),
        (
            '<meta name="author" content="Ann Lee">',
            "<article><h1>T</h1><span class='authors'>Ann Lee 1;</span>"
            "<span class='authors'>Bo Chen 2</span></article>",
            ["Ann Lee", "Bo Chen"],
        ),
        # but not with a job title's organisation, or a differently labelled element
        (
            '<meta name="author" content="Ann Lee">',
            "<article><h1>T</h1><p class='byline'>By Ann Lee, Executive Editor, Acme Health"
            " Watch</p></article>",
            ["Ann Lee"],
        ),
        (
            '<meta name="author" content="Ann Lee">',
            "<article><h1>T</h1><span class='authors'>By Ann Lee</span>"
            "<span class='authors'>Bo Chen</span></article>",
            ["Ann Lee"],
        ),
        # itemprop=author in teaser cards (a link wrapping them) or far below credits
        # other stories; the one beside the headline is the page's
        (
            "",
            "<article><h1>T</h1><span itemprop='author'>Ann Lee</span><p>Text.</p></article>"
            "<a href='/other'><h3>Other</h3><div itemprop='author'>By Bo Chen</div></a>",
            ["Ann Lee"],
        ),
        (
            "",
            "<article><h1>T</h1><span itemprop='author'>Ann Lee</span>"
            + "<p>x</p>" * 320
            + "</article><div><span itemprop='author'>Bo Chen</span></div>",
            ["Ann Lee"],
        ),
        # an itemprop=author box with a bio: the bio's places are not authors
        (
            "",
            "<article><h1>T</h1><span itemprop='author'>By Ann Lee</span><p>Text.</p>"
            "<div itemprop='author'>Author: Ann Lee Ann lives and works in Leeds, Yorkshire,"
            " and runs daily.</div></article>",
            ["Ann Lee"],
        ),
    ],
)
def test_more_author_evidence(head, body, expected):
    assert _html_doc(_page(head, body)).authors == expected
