"""The second opinion: asked where the body looks wrong, taken where it holds clearly more prose."""

from __future__ import annotations

import pytest

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.html.extract import ExtractBodyStep, ParseHtmlStep
from transforms.html.recheck import SecondOpinionStep
from transforms.html.second_opinion import (
    cut_short,
    looks_wrong,
    prefer_second,
    prose_words,
    readability_body,
    resiliparse_body,
    short_line_share,
)
from transforms.text.decode import DecodeStep

SENTENCE = (
    "The council voted on Tuesday to extend the night bus service to the harbour district, after "
    "a year of complaints from shift workers."
)
LINKS = "harbour buses\nnew ferry timetable\ncouncil budget approved\nweather\nsport"
TEASERS = "Harbour buses\nNew ferry timetable\nCouncil budget approved"


def test_prose_words_count_sentences_of_some_length():
    assert prose_words(f"{SENTENCE}\nShare this\nA short line.") == len(SENTENCE.split())
    assert prose_words(TEASERS) == 0


@pytest.mark.parametrize(
    ("text", "page_chars", "wrong"),
    [
        (SENTENCE * 5, 800, False),  # most of the page, sentences
        (SENTENCE, 10_000, True),  # a small share of the page
        (TEASERS, 100, True),  # short lines only
        ("", 100, True),
    ],
)
def test_looks_wrong(text, page_chars, wrong):
    assert looks_wrong(text, page_chars, max_share=0.2, short_share=0.8) is wrong


def test_short_line_share():
    assert short_line_share(TEASERS) == 1.0
    assert short_line_share(SENTENCE) == 0.0


def test_prefer_second_takes_clearly_more_prose_that_is_not_links():
    article = "\n".join([SENTENCE] * 4)
    assert prefer_second(TEASERS, article, 1.5, LINKS.lower(), 0.8)
    assert not prefer_second(article, article, 1.5, LINKS.lower(), 0.8)  # not clearly more
    assert not prefer_second(SENTENCE, article, 1.5, article.lower(), 0.8)  # all link words


def _page(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Night buses</title></head><body><nav><a href='/a'>Harbour buses</a>"
        f"<a href='/b'>Weather</a></nav><article><h1>Night buses</h1>{body}</article>"
        "<footer><a href='/c'>Contact</a></footer></body></html>"
    )


PARAGRAPHS = [
    SENTENCE,
    "The transport office expects the first extended routes to start running in early June, "
    "once drivers for the late shifts have been hired and trained over the spring.",
    "Opponents questioned the cost, which the budget committee put at four million a year, and "
    "asked whether the harbour ferries could run later instead of the buses.",
]


def test_readability_body_reads_the_article_one_block_a_line():
    body = readability_body(_page(PARAGRAPHS))
    assert body.split("\n")[-3:] == PARAGRAPHS
    assert readability_body("<html></html>") == ""


@pytest.mark.parametrize(
    ("page_type", "types", "asked"),
    [
        ("forum", "forum,collection", True),
        ("collection", "forum, collection", True),
        ("article", "forum,collection", False),  # an article: only the cut-short test (below)
        ("forum", "", False),  # off
    ],
)
def test_the_step_asks_on_the_listed_types_where_the_body_looks_wrong(page_type, types, asked):
    """The extractor kept the teaser links of a page whose text is three long paragraphs:
    on a listed type the second opinion is asked, and its body (the paragraphs) taken."""
    settings = {"html.second_opinion_page_types": types, "html.second_opinion_max_share": 0.5}
    config = PipelineConfig().with_settings(settings)
    doc = Article("d", "d.html", "html", "html", markup=Markup(raw=_page(PARAGRAPHS).encode()))
    assert DecodeStep(config).apply(doc) is None
    doc.set_paragraphs(TEASERS.split("\n"))
    doc.page_type = page_type
    assert SecondOpinionStep(config).apply(doc) is None
    assert ("second_opinion_asked" in doc.changes) is asked
    assert ("second_opinion_taken" in doc.changes) is asked
    assert all(p in doc.text for p in PARAGRAPHS) is asked


def test_a_body_that_looks_right_is_not_rechecked():
    config = PipelineConfig().with_settings(
        {"html.second_opinion_page_types": "forum", "html.second_opinion_max_share": 0.5}
    )
    doc = Article("d", "d.html", "html", "html", markup=Markup(raw=_page(PARAGRAPHS).encode()))
    for step in (DecodeStep(config), ParseHtmlStep(config), ExtractBodyStep(config)):
        assert step.apply(doc) is None
    doc.page_type = "forum"
    assert SecondOpinionStep(config).apply(doc) is None
    assert "second_opinion_asked" not in doc.changes
    assert all(p in doc.text for p in PARAGRAPHS)


def _never() -> str:
    raise AssertionError("the third extractor is asked only once the first two tests pass")


@pytest.mark.parametrize(
    ("first", "wider", "vote", "expected"),
    [
        # the body is the first paragraph; the wider body holds it and the rest; a third agrees
        (PARAGRAPHS[0], "\n".join(PARAGRAPHS), lambda: "\n".join(PARAGRAPHS[1:]), True),
        # the third extractor finds no more than the body: the wider one took something else in
        (PARAGRAPHS[0], "\n".join(PARAGRAPHS), lambda: PARAGRAPHS[0], False),
        # the wider body does not hold the first: another block, not the rest of the article
        (PARAGRAPHS[0], "\n".join(PARAGRAPHS[1:] * 2), _never, False),
        # not clearly longer
        ("\n".join(PARAGRAPHS), "\n".join(PARAGRAPHS), _never, False),
    ],
)
def test_cut_short_needs_a_superset_and_a_second_vote(first, wider, vote, expected):
    assert cut_short(first, wider, vote, 1.3, 0.9, 1.5) is expected


def _split_page() -> str:
    """An article split over two containers, the second after a share bar."""
    return (
        "<html><head><title>Night buses</title></head><body><nav><a href='/a'>Harbour buses</a>"
        f"<a href='/b'>Weather</a></nav><main><h1>Night buses</h1><div class='part'><p>"
        f"{PARAGRAPHS[0]}</p></div><div class='share'><a href='/s'>Share</a></div>"
        f"<div class='part'><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p></div></main>"
        "<footer><a href='/c'>Contact</a></footer></body></html>"
    )


def test_resiliparse_body_reads_the_page():
    body = resiliparse_body(_split_page())
    assert all(p in body for p in PARAGRAPHS)


@pytest.mark.parametrize(
    ("page_chars", "share", "taken"),
    [
        (10_000, 0.3, True),  # the body is a small share of the page: asked, and taken
        (300, 0.3, False),  # the body is most of the page: not asked
        (10_000, 0.0, False),  # off
    ],
)
def test_an_article_cut_short_takes_the_wider_body(page_chars, share, taken):
    config = PipelineConfig().with_settings({"html.second_opinion_cut_share": share})
    doc = Article("d", "d.html", "html", "html", markup=Markup(raw=_split_page().encode()))
    assert DecodeStep(config).apply(doc) is None
    doc.set_paragraphs(PARAGRAPHS[:1])
    doc.markup.page_chars = page_chars
    assert SecondOpinionStep(config).apply(doc) is None
    assert ("second_opinion_cut_short" in doc.changes) is taken
    assert all(p in doc.text for p in PARAGRAPHS) is taken
