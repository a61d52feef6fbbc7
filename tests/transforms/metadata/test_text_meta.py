from datetime import UTC, datetime

import pytest

from transforms.core.record import Article
from transforms.metadata.steps import TextMetadataStep
from transforms.metadata.text_meta import is_byline, is_dateline, is_headline, is_standfirst

BODY = (
    "The council voted seven to two on Monday night to approve the budget, ending a debate "
    "that had run for most of the spring and divided residents across the town."
)
BODY2 = (
    "Supporters said the plan protects the library and repairs roads, while opponents warned "
    "that the reserves it draws on would be needed again within a few years."
)


def _run(paragraphs: list[str], kind: str = "text", **fields) -> Article:
    doc = Article(doc_id="d", source_path="p", source_format="text", content_kind=kind)  # type: ignore[arg-type]
    doc.set_paragraphs(paragraphs)
    for k, v in fields.items():
        setattr(doc, k, v)
    TextMetadataStep().apply(doc)
    return doc


def test_headline_and_standfirst():
    doc = _run(
        [
            "Council approves budget after months of debate",
            "Mayor says the plan protects the library, opponents warn of cuts to come",
            BODY,
            BODY2,
        ]
    )
    assert doc.title == "Council approves budget after months of debate"
    assert (
        doc.subtitle == "Mayor says the plan protects the library, opponents warn of cuts to come"
    )
    assert doc.paragraphs == [BODY, BODY2]
    assert doc.changes == {"title_extracted": 1, "subtitle_extracted": 1}


def test_lede_first_line_means_no_title():
    lede = "NATO-style alliances are moving troops east, the secretary-general said Friday."
    doc = _run([lede, BODY, BODY2])
    assert doc.title is None and doc.subtitle is None
    assert doc.paragraphs == [lede, BODY, BODY2]
    assert doc.changes == {}


def test_sentence_after_headline_is_the_lede_not_a_subtitle():
    first = "The mayor announced the budget would pass, ending weeks of talks."
    doc = _run(["Council approves budget", first, BODY])
    assert doc.title == "Council approves budget"
    assert doc.subtitle is None
    assert doc.paragraphs == [first, BODY]


def test_headline_on_the_first_line_of_a_block():
    doc = _run([f"Council approves budget\n{BODY}", BODY2])
    assert doc.title == "Council approves budget"
    assert doc.paragraphs == [BODY, BODY2]


def test_byline_becomes_authors_and_leaves_body():
    doc = _run(["Council approves budget", "By Jane Doe and John Roe, Staff Writers", BODY])
    assert doc.authors == ["Jane Doe", "John Roe"]
    assert doc.paragraphs == [BODY]
    assert doc.changes["byline_removed"] == 1


def test_byline_does_not_override_known_authors():
    doc = _run(["By Jane Doe", BODY], kind="html", authors=["Ann Lee"])
    assert doc.authors == ["Ann Lee"]
    assert doc.paragraphs == [BODY]


def test_dateline_keeps_text_and_takes_only_an_explicit_date():
    with_place = f"BRUSSELS (AP) — {BODY}"
    doc = _run(["Council approves budget", with_place, BODY2])
    assert doc.published_at is None
    assert doc.paragraphs == [with_place, BODY2]
    dated = f"LONDON, Feb. 24, 2022 (Reuters) - {BODY}"
    doc = _run([dated, BODY2], kind="html")
    assert doc.published_at == datetime(2022, 2, 24, tzinfo=UTC)
    assert (doc.published_at_precision, doc.published_at_source) == ("day", "dateline")
    assert doc.paragraphs == [dated, BODY2]


@pytest.mark.parametrize("line", ["(AP)", "— Reuters", "(Reuters)", "AFP"])
def test_agency_line_removed_never_an_author(line):
    doc = _run([BODY, BODY2, line], kind="html")
    assert doc.paragraphs == [BODY, BODY2]
    assert doc.authors == []
    assert doc.changes == {"agency_line_removed": 1}


def test_html_body_repeating_the_title_loses_it():
    doc = _run(["Council approves budget", BODY], kind="html", title="Council Approves Budget")
    assert doc.paragraphs == [BODY]
    assert doc.changes == {"title_removed_from_body": 1}


def test_body_that_is_only_its_title_keeps_it():
    # a one-paragraph post whose title is the whole text: removing it would empty the body
    line = "Ferry timetable changes for the winter season: what riders need to know"
    doc = _run([line], kind="html", title=line)
    assert doc.paragraphs == [line]
    assert doc.changes == {}


@pytest.mark.parametrize("page_type", ["product", "forum", "listing", "service"])
def test_page_of_another_type_keeps_its_lines_but_gives_metadata(page_type):
    # a product's name, a thread's title, a teaser's byline: the page's content, still read
    lines = ["Council approves budget", "By Mara Quint", BODY, BODY2]
    doc = _run(lines, kind="html", title="Council approves budget", page_type=page_type)
    assert doc.paragraphs == lines
    assert doc.changes == {}
    assert doc.authors == ["Mara Quint"]
    article = _run(lines, kind="html", title="Council approves budget", page_type="article")
    assert article.paragraphs == [BODY, BODY2]


def test_html_bodies_get_no_title_from_form():
    doc = _run(["Council approves budget", BODY], kind="html")
    assert doc.title is None
    assert doc.paragraphs == ["Council approves budget", BODY]


@pytest.mark.parametrize(
    ("line", "following", "expected"),
    [
        ("Council approves budget", BODY, True),
        ("Is the budget enough?", BODY, True),
        ("The council approved the budget.", BODY, False),
        ("Council approves budget", "and then it went on", False),
        ("By Jane Doe", BODY, False),
        ("Budget", BODY, False),
        ("council approves budget", BODY, False),
    ],
)
def test_is_headline(line, following, expected):
    assert is_headline(line, following) is expected


def test_line_forms():
    assert is_byline("By Jane Doe, Staff Writer")
    assert not is_byline("By the end of the year the council had spent it all.")
    assert is_dateline("BRUSSELS (AP) — NATO said")
    assert not is_dateline("Brussels is a city.")
    assert is_standfirst("Mayor says the plan protects the library", BODY)
    assert not is_standfirst("Mayor says the plan protects the library.", BODY)
    assert not is_standfirst("Mayor says the plan protects the library", None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published July 21, 2026", datetime(2026, 7, 21, tzinfo=UTC)),
        ("Posted: 2026-07-21 10:00", datetime(2026, 7, 21, 10, 0, tzinfo=UTC)),
        ("July 21, 2026", datetime(2026, 7, 21, tzinfo=UTC)),
        ("Updated March 3, 2025", None),  # an update is never the publication date
    ],
)
def test_date_line_sets_the_date_and_leaves_the_body(line, expected):
    doc = _run(["Council passes the spring budget after a long debate", line, BODY, BODY2])
    assert doc.published_at == expected
    assert doc.published_at_source == ("text" if expected else None)
    assert line not in doc.text
    assert doc.changes["date_line_removed"] == 1


def test_a_sentence_with_a_date_is_body_text():
    sentence = "The council first met on July 21, 2026 to discuss the plan for the harbour."
    doc = _run([sentence, BODY, BODY2])
    assert doc.published_at is None and sentence in doc.text
