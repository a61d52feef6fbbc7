"""ParseHtmlStep and ExtractBodyStep on small invented pages."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.html.extract import (
    ExtractBodyStep,
    ParseHtmlStep,
    _all_link_text,
    filter_paragraphs,
    has_visible_text,
    jsonld_article_body,
    link_text,
    page_text_chars,
    parse_html,
    tree_depth,
)
from transforms.text.decode import XmlSafeMarkup

STORY = [
    "The city council voted on Tuesday to extend the night bus network to the northern suburbs, "
    "a change that residents had requested for almost a decade.",
    "Council members said the new routes would start running in the spring, once drivers have "
    "been hired and trained for the longer shifts that the service requires.",
    "Local shop owners welcomed the decision, saying late workers often had to walk for an hour "
    "to get home after the last tram of the evening had left the centre.",
    "The transport office expects about four thousand extra passengers every week and will "
    "publish the timetable on its website before the routes open to the public.",
]


def page(body: str) -> str:
    return f"<html><head><title>Night buses</title></head><body>{body}</body></html>"


def article_page() -> str:
    nav = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8))
    nav += "</ul></nav>"
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    foot = "<footer><p>Copyright the Example Gazette. All rights reserved.</p></footer>"
    return page(f"{nav}<article><h1>Night buses for the north</h1>{paras}</article>{foot}")


def html_doc(markup: str) -> Article:
    return Article(
        doc_id="d",
        source_path="p.html",
        source_format="html",
        content_kind="html",
        markup=Markup(html=markup),
    )


def run(markup: str, config: PipelineConfig | None = None) -> tuple[Article, object]:
    doc = html_doc(markup)
    verdict = ParseHtmlStep(config).apply(doc)
    if verdict is None:
        verdict = ExtractBodyStep(config).apply(doc)
    return doc, verdict


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("", "html_unparseable"),
        ("   \n ", "html_unparseable"),
        (
            "<html><head><script>var a = 1;</script></head><body><script>go()</script>"
            "<style>p {color: red}</style><!-- a comment --></body></html>",
            "no_text_in_html",
        ),
        (page("<div>" * 300_000 + "deep text" + "</div>" * 300_000), "html_too_deep"),
        (page("<div>" * 400 + "deep text" + "</div>" * 400), "html_too_deep"),
    ],
)
def test_parse_drops(markup: str, reason: str) -> None:
    doc = html_doc(markup)
    verdict = ParseHtmlStep().apply(doc)
    assert verdict is not None
    assert verdict.stage == "parse_html"
    assert verdict.reason == reason
    assert doc.markup.tree is None


def test_depth_limit_comes_from_config() -> None:
    markup = page("<div>" * 60 + "<p>text at depth</p>" + "</div>" * 60)
    assert ParseHtmlStep(PipelineConfig().with_settings({"read.max_html_depth": 40})).apply(
        html_doc(markup)
    ).reason == ("html_too_deep")
    doc = html_doc(markup)
    assert (
        ParseHtmlStep(PipelineConfig().with_settings({"read.max_html_depth": 100})).apply(doc)
        is None
    )
    assert doc.markup.tree is not None


def test_parse_keeps_tree_for_later_steps() -> None:
    doc = html_doc(article_page())
    assert ParseHtmlStep().apply(doc) is None
    assert doc.markup.tree.find(".//article") is not None


@pytest.mark.parametrize(
    "markup",
    [
        article_page(),
        page("<form action='/s'><label>Find</label><input name='q'><select></select></form>"),
        '<?xml version="1.0" encoding="utf-8"?>' + article_page(),  # lxml refuses it as str
        "<!DOCTYPE html>\n" + article_page().replace("<html>", "<html/>", 1),
        # a doctype with a slash is rewritten (libxml2 refuses it); one line: a newline is added
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://w3.org/x.dtd">\n'
        + article_page(),
        "<!DOCTYPE html>" + article_page().replace("\n", " ") + "<p>last words</p>",
        '<!DOCTYPE html SYSTEM "a/b.dtd">' + article_page().replace("\n", " "),
        "<p>A lone fragment of text.</p>",  # trafilatura refuses it: wrapped and parsed
        "just words, no markup at all",
    ],
)
def test_parse_html_matches_trafilatura_loader(markup: str) -> None:
    """Same tree as trafilatura's own loader, but every element a plain HtmlElement."""
    from trafilatura import load_html  # the public name of its loader

    tree = parse_html(markup)
    assert tree is not None
    expected = load_html(markup)
    if expected is None:
        expected = load_html(f"<html><body><div>{markup}</div></body></html>")
    assert lxml_html.tostring(tree) == lxml_html.tostring(expected)
    # form/input/label get no special classes: the class lookup stays in C
    assert {type(el) for el in tree.iter()} == {lxml_html.HtmlElement}
    # markup DecodeStep vouches for skips the search for refused characters: same tree
    safe = parse_html(XmlSafeMarkup(markup))
    assert safe is not None and lxml_html.tostring(safe) == lxml_html.tostring(tree)


def test_parse_html_trusts_only_markup_decode_checked() -> None:
    # a plain str is searched (the character goes), XmlSafeMarkup is not (lxml would see it)
    markup = article_page().replace("Night buses", "Night\x01 buses")
    assert b"Night buses" in lxml_html.tostring(parse_html(markup))
    assert b"Night buses" not in lxml_html.tostring(parse_html(XmlSafeMarkup(markup)))


@pytest.mark.parametrize(
    ("links", "paragraphs", "expected"),
    [
        (
            "<a href='/t'>Top <b>sto</b>ries</a><a href='/w'>World</a>",
            ["Top stories", "World"],
            True,
        ),
        ("<a href='/t'>Top stories</a><a href='/w'>World</a>", ["World Top"], True),
        # lower() turns a final sigma into another letter once labels are joined: still links
        ("<a href='/a'>ΟΔΟΣ</a><a href='/h'>Home</a>", ["ΟΔΟΣ Home"], True),
        ("<a href='#s1'>Section one</a>", ["Section one"], False),  # in-page anchor
        ("<a href='/t'>Top stories</a>", ["Top stories", STORY[0]], False),
        ("<span>No links here</span>", ["No links here"], False),
    ],
)
def test_all_link_text(links: str, paragraphs: list[str], expected: bool) -> None:
    tree = lxml_html.fromstring(page(f"<div>{links}</div>"))
    assert _all_link_text(link_text(tree), paragraphs, lambda: tree) is expected


def test_all_link_text_reads_the_labels_only_for_link_words() -> None:
    tree = lxml_html.fromstring(page("<div><a href='/t'>Top stories</a></div>"))

    def no_tree() -> None:
        raise AssertionError("the labels were read for a body that is not link text")

    assert _all_link_text(link_text(tree), STORY, no_tree) is False


@pytest.mark.parametrize(
    ("markup", "depth"),
    [("<div></div>", 1), ("<div><p><b>x</b></p><p></p></div>", 3), ("<a>" + "<b>" * 50 + "", 51)],
)
def test_tree_depth(markup: str, depth: int) -> None:
    root = lxml_html.fragment_fromstring(markup)
    assert tree_depth(root, 1000) == depth
    assert tree_depth(root, 2) == min(depth, 2)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<div><script>x()</script>tail text</div>", True),
        ("<div><script>x()</script><style>p{}</style></div>", False),
        ("<div><p>  </p><span>hi</span></div>", True),
    ],
)
def test_has_visible_text(markup: str, expected: bool) -> None:
    assert has_visible_text(lxml_html.fragment_fromstring(markup)) is expected


def test_extract_body_keeps_story_drops_chrome() -> None:
    doc, verdict = run(article_page())
    assert verdict is None
    assert doc.paragraphs[-4:] == STORY
    assert "Section 3" not in doc.text
    assert "rights reserved" not in doc.text
    assert "\n\n" in doc.text


def test_extract_body_drops_page_without_body() -> None:
    _doc, verdict = run(page("<nav><a href='/'>Home</a> <a href='/b'>About</a></nav>"))
    assert verdict is not None
    assert (verdict.stage, verdict.reason) == ("extract_body", "no_body_extracted")


def test_extract_body_drops_a_page_of_link_labels() -> None:
    # the extraction keeps the labels as text; the labels come from the re-parsed markup (the
    # extraction pruned the step's own tree), code elements stripped as in the step
    labels = ["World news today", "Local sport results", "Weather for the week"]
    links = "".join(f"<div><a href='/s{k}'>{t}</a></div>" for k, t in enumerate(labels))
    _doc, verdict = run(page(f"<script>var x = 1;</script>{links}"))
    assert verdict is not None
    assert (verdict.reason, verdict.detail) == (
        "no_body_extracted",
        "only navigation links on the page",
    )


def test_extract_hands_the_tree_to_the_extraction() -> None:
    # no step after ExtractBodyStep reads the tree: the extraction prunes it in place
    doc, verdict = run(article_page())
    assert verdict is None
    assert doc.markup.tree is None


def _sectioned_page() -> str:
    # a story whose list sits in a sibling section: trafilatura's balanced pass keeps the
    # paragraphs only; the page then holds far more text than the body, so the recall pass runs
    def para(k: int) -> str:
        return (
            f"<p>The council met on day {k} to discuss the flood wall, and members argued for "
            "hours about the cost of the project and its route along the creek.</p>"
        )

    items = "".join(
        f"<li>Residents asked question number {k} about the wall, the sandbags and the "
        "insurance premiums they pay every spring.</li>"
        for k in range(12)
    )
    block = '<section class="text-block"><div class="col">{}</div></section>'
    return page(
        block.format("".join(para(k) for k in range(3)))
        + block.format(f"<ul>{items}</ul>")
        + block.format("".join(para(k) for k in range(3, 5)))
    )


def test_page_text_chars_collapses_whitespace() -> None:
    tree = parse_html(page("<p>a  b</p>\n<div> c </div>"))
    assert page_text_chars(tree) == len("a b c")


@pytest.mark.parametrize(("ratio", "recalled"), [(1.5, True), (0.0, False), (50.0, False)])
def test_recall_pass_recovers_a_section_the_first_pass_dropped(ratio: float, recalled: bool):
    config = PipelineConfig().with_settings({"html.extract_recall_page_ratio": ratio})
    doc, verdict = run(_sectioned_page(), config)
    assert verdict is None
    assert ("question number 11" in doc.text) is recalled
    assert ("extract_recall_pass" in doc.changes) is recalled
    assert "day 4" in doc.text  # the first body is always inside the result


WINNERS = ["2023: Ann Lee", "2022: Omar Diaz", "2021: Lena Park", "2020: Tom Reyes"]


def test_filter_paragraphs_keeps_plain_paragraphs() -> None:
    kept, removed = filter_paragraphs(STORY)
    assert kept == STORY
    assert removed == {}


@pytest.mark.parametrize(
    ("paragraphs", "kept", "removed"),
    [
        (["Share this story", *STORY, "Join our newsletter", "Follow us"], STORY, 3),
        (
            [STORY[0], "What the council decided", STORY[1]],
            [STORY[0], "What the council decided", STORY[1]],
            0,
        ),
        (["Home", "About", "Contact"], ["Home", "About", "Contact"], 0),  # nothing would remain
        (["Why it matters:", *STORY], ["Why it matters:", *STORY], 0),
        # a closing list of one form is the article's; the share line below it is chrome
        ([*STORY, *WINNERS, "Share this story"], [*STORY, *WINNERS], 1),
        ([*STORY, "Past winners", *WINNERS], [*STORY, "Past winners", *WINNERS], 0),
        ([*STORY, "Home", "About", "Contact"], STORY, 3),  # labels of no common form
    ],
)
def test_filter_paragraphs_edges(paragraphs: list[str], kept: list[str], removed: int) -> None:
    out, notes = filter_paragraphs(paragraphs)
    assert out == kept
    assert notes.get("edge_chrome_line", 0) == removed


def test_jsonld_article_body_used_when_the_page_shows_only_a_teaser() -> None:
    import json

    ld = json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(STORY)})
    markup = (
        "<html><head><title>t</title>"
        f"<script type='application/ld+json'>{ld}</script></head>"
        f"<body><article><p>{STORY[0]}</p><p>Subscribe to read the rest.</p></article></body></html>"
    )
    doc, verdict = run(markup)
    assert verdict is None
    assert all(p in doc.text for p in STORY)  # trafilatura or our JSON-LD pass, whichever ran
    doc = html_doc(markup)
    ParseHtmlStep().apply(doc)
    assert jsonld_article_body(doc.markup.tree).split("\n") == STORY


def test_text_inside_noscript_counts_as_text() -> None:
    doc = html_doc(page("<noscript><div><p>" + STORY[0] + "</p></div></noscript>"))
    assert ParseHtmlStep().apply(doc) is None


# An invented shop category page: an introduction and a grid of item labels.
GRID = ["Canvas Tote Bags", "Linen Aprons", "Enamel Mugs", "Oak Serving Boards", "Wool Throws"]
INTRO = "Handmade goods for the kitchen and the home, from small workshops across the region."


@pytest.mark.parametrize(
    ("min_left", "kept"),
    [
        (0, [INTRO]),  # no floor: the labels around the sentence are trimmed as chrome
        (35, [*GRID[:2], INTRO, *GRID[2:]]),  # trimmed, 14 words would remain: no frame
    ],
)
def test_filter_paragraphs_keeps_edges_when_no_body_would_remain(
    min_left: int, kept: list[str]
) -> None:
    out, _ = filter_paragraphs([*GRID[:2], INTRO, *GRID[2:]], 8, min_left)
    assert out == kept


def test_filter_paragraphs_floor_leaves_a_real_body_trimmed() -> None:
    out, notes = filter_paragraphs(["Share this story", *STORY, "Follow us"], 8, 35)
    assert out == STORY
    assert notes == {"edge_chrome_line": 2}
