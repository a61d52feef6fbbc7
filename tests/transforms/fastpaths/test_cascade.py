"""PageExtraction: trafilatura's cascade with the external comparison gated, on invented pages."""

from __future__ import annotations

import pytest
import trafilatura
from lxml import etree

from transforms import fastpaths
from transforms.fastpaths.cascade import PageExtraction, _comparison_can_matter
from transforms.html.extract import page_text_chars, parse_html

SENTENCE = (
    "The harbour authority said on Monday that the new ferry pier would open in the autumn, "
    "after two years of delays caused by storms and a shortage of steel. "
)


def _story(n: int) -> str:
    return "".join(f"<p>{SENTENCE}Paragraph {k} adds its own detail.</p>" for k in range(n))


def _links(n: int) -> str:
    return "<ul>" + "".join(f"<li><a href='/x{k}'>Other story {k}</a></li>" for k in range(n))


PAGES = {
    # the body is most of the page: the comparison is skipped
    "article": f"<nav>{_links(6)}</ul></nav><article><h1>Pier</h1>{_story(6)}</article>",
    # a short story among much other text: the comparison runs
    "short_in_chrome": (
        f"<div class='menu'>{_links(40)}</ul></div><main>{_story(2)}</main><footer>"
        + "".join(f"<p>Legal notice {k}: {SENTENCE}</p>" for k in range(12))
        + "</footer>"
    ),
    # text in divs only, no paragraphs
    "div_text": "<div><div>" + "</div><div>".join(SENTENCE for _ in range(8)) + "</div></div>",
    # a table-heavy page
    "table": "<table>"
    + "".join(f"<tr><td>Row {k}</td><td>{SENTENCE}</td></tr>" for k in range(8))
    + "</table>",
    "empty": "<div><a href='/a'>Home</a></div>",
    # a short story (justext runs in the comparison) and a block its cleaning drops in place
    "footer_block": f"<main><p>{SENTENCE}</p></main><div class='footer'><p>Contact us</p></div>",
    # a short story on a page of headline links: trafilatura's recall escalation runs
    "escalation": f"<main>{_story(2)}</main><div class='sidebar'><ul>"
    + "".join(
        f"<li><a href='/s{k}'>Headline {k}: the harbour, the ferry, the storms</a></li>"
        for k in range(40)
    )
    + "</ul></div>",
    # the same, every paragraph inside an <aside> (the escalation's cleaning undoes its removal)
    "escalation_aside": f"<aside>{_story(5)}</aside><div class='sidebar'><ul>"
    + "".join(
        f"<li><a href='/s{k}'>Headline {k}: the harbour, the ferry, the storms</a></li>"
        for k in range(40)
    )
    + f"</ul></div><div><div>{SENTENCE}</div><div>{SENTENCE}</div></div>",
    # every paragraph inside an <aside>: trafilatura's recall focus undoes the cleaning that
    # the balanced focus keeps (the recall pass cannot reuse the balanced pass's cleaning)
    "paragraphs_in_aside": "<aside>"
    + _story(3)
    + "</aside><div><div>"
    + "</div><div>".join(SENTENCE for _ in range(4))
    + "</div></div>",
}


def _tree(body: str) -> etree._Element:
    tree = parse_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert tree is not None
    return tree


URL = "https://example.org/a"


def _extract(tree: etree._Element, **options: bool) -> str:
    return (
        trafilatura.extract(
            tree,
            url=URL,
            output_format="txt",
            include_comments=False,
            include_images=False,
            deduplicate=False,
            with_metadata=False,
            **options,
        )
        or ""
    )


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("ratio", [0.0, 2.0])
def test_same_text_as_trafilatura_extract(name: str, ratio: float) -> None:
    tree = _tree(PAGES[name])
    got = PageExtraction(tree, URL).body(page_text_chars(tree), ratio)
    assert got == _extract(tree)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_recall_body_is_trafilaturas_fast_recall_pass(name: str) -> None:
    tree = _tree(PAGES[name])
    extraction = PageExtraction(tree, URL)
    extraction.body(page_text_chars(tree), 2.0)  # the pruned tree it shares stays intact
    assert extraction.recall_body() == _extract(tree, favor_recall=True, fast=True)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_recall_cleaning_is_trafilaturas(name: str) -> None:
    from copy import copy

    from trafilatura.htmlprocessing import tree_cleaning
    from trafilatura.settings import Extractor

    tree = _tree(PAGES[name])
    extraction = PageExtraction(tree, URL)
    extraction.body(page_text_chars(tree), 0.0)  # the comparison runs (justext may too)
    options = Extractor(output_format="txt", comments=False, images=False, dedup=False, url=URL)
    options.focus, options.fast = "recall", True
    pruned = extraction._pruned_tree()
    expected = etree.tostring(tree_cleaning(copy(pruned), options))
    assert etree.tostring(extraction._recall_cleaned(pruned, options)) == expected
    if name == "paragraphs_in_aside":  # the undone cleaning: the balanced one differs
        options.focus = "balanced"
        assert etree.tostring(tree_cleaning(copy(pruned), options)) != expected


def test_the_callers_tree_is_left_intact() -> None:
    tree = _tree(PAGES["short_in_chrome"])
    before = etree.tostring(tree)
    PageExtraction(tree, None).body(page_text_chars(tree), 2.0)
    PageExtraction(tree, None).recall_body()
    assert etree.tostring(tree) == before


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_tree_handed_over_is_pruned_in_place_with_the_same_texts(name: str) -> None:
    # a comment thread: the raw-tree pruning both passes share removes it
    tree = _tree(PAGES[name] + '<div id="comments"><p>First! Great story, thanks.</p></div>')
    expected = (_extract(tree), _extract(tree, favor_recall=True, fast=True))
    before = etree.tostring(tree)
    extraction = PageExtraction(tree, URL, owned=True)
    body = extraction.body(page_text_chars(tree), 2.0)
    assert (body, extraction.recall_body()) == expected
    assert etree.tostring(tree) != before  # pruned in place, not on a copy
    assert not tree.xpath("//*[@id='comments']")


def test_another_trafilatura_version_takes_the_public_path(monkeypatch) -> None:
    monkeypatch.setitem(fastpaths.SUPPORTED, "trafilatura", "0.0.0")
    assert not fastpaths.supported()
    tree = _tree(PAGES["article"])
    extraction = PageExtraction(tree, URL)
    assert extraction.body(page_text_chars(tree), 2.0) == _extract(tree)
    assert extraction.recall_body() == _extract(tree, favor_recall=True, fast=True)


def _body(inner: str) -> etree._Element:
    return etree.fromstring(f"<body>{inner}</body>")


LONG = SENTENCE * 3


@pytest.mark.parametrize(
    ("inner", "page_chars", "expected"),
    [
        (f"<p>{LONG}</p>", len(LONG), False),  # the body is the page
        (f"<p>{LONG}</p>", int(1.9 * len(LONG)), False),
        (f"<p>{LONG}</p>", 3 * len(LONG), True),  # the page holds far more text
        ("<p>Short.</p>", 8, True),  # under trafilatura's minimum size
        (f"<list><item>{LONG}</item></list>", len(LONG), True),  # no paragraph text
        (f"<p>{LONG}</p><table/><table/>", len(LONG), True),  # tables outnumber paragraphs
    ],
)
def test_comparison_gate(inner: str, page_chars: int, expected: bool) -> None:
    body = _body(inner)
    text = "".join(body.itertext())
    assert _comparison_can_matter(body, text, 250, page_chars, 2.0) is expected
