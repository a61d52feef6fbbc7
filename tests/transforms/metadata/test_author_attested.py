"""A markup byline counts when the page shows it or declares it in its head."""

import pytest
from lxml import html as lxml_html

from tests.transforms.metadata.pages import html_metadata
from transforms.core.record import Article
from transforms.metadata.author_attested import attested, visible_text
from transforms.metadata.html_evidence import collect_evidence

_PERSON = (
    '<script type="application/ld+json">{"@type":"BlogPosting","headline":"Pruning roses",'
    '"author":{"@type":"Person","name":"Mara Quill"}}</script>'
)
_ORG = (
    '<script type="application/ld+json">{"@type":"BlogPosting","headline":"Pruning roses",'
    '"author":{"@type":"Organization","name":"Rose Growers Guild"}}</script>'
)
_BODY = "<article><h1>Pruning roses</h1><p>Cut above an outward bud in late winter.</p>"


def _run(head: str, body: str) -> Article:
    markup = f"<html><head>{head}</head><body>{body}</article></body></html>"
    return html_metadata(markup, "https://www.example.net/garden/pruning-roses")


@pytest.mark.parametrize(
    ("head", "body", "people", "orgs"),
    [
        # a JSON-LD person the page never shows nor declares: the CMS record's owner
        (_PERSON, _BODY, [], []),
        # a Dublin Core creator account alone likewise
        ('<meta name="dcterms.creator" content="mquill">', _BODY, [], []),
        # declared in the head as the author
        (_PERSON + '<meta name="author" content="Mara Quill">', _BODY, ["Mara Quill"], []),
        # a sharing card's "Written by" label declares it too
        (
            _PERSON
            + '<meta name="twitter:label1" content="Written by">'
            + '<meta name="twitter:data1" content="Mara Quill">',
            _BODY,
            ["Mara Quill"],
            [],
        ),
        # a card's other label ("Est. reading time") declares nothing
        (
            _PERSON
            + '<meta name="twitter:label1" content="Est. reading time">'
            + '<meta name="twitter:data1" content="Mara Quill">',
            _BODY,
            [],
            [],
        ),
        # shown at the article's foot, in a box the byline readers do not take
        (_PERSON, _BODY + "<p>Mara Quill tends a small garden.</p>", ["Mara Quill"], []),
        # an organisation credited in the markup keeps its own column, shown or not
        (_ORG, _BODY, [], ["Rose Growers Guild"]),
    ],
)
def test_markup_author_the_page_never_shows(head, body, people, orgs):
    doc = _run(head, body)
    assert (doc.authors, doc.author_organizations) == (people, orgs)


def test_page_text_read_only_when_needed():
    tree = lxml_html.fromstring(
        "<html><head><meta name='author' content='Mara Quill'></head><body><p>x</p></body></html>"
    )
    ev = collect_evidence(tree)

    def never() -> str:
        raise AssertionError("the page text was read")

    assert attested(ev, ["Mara Quill"], never)
    assert not attested(ev, ["Ivo Brand"], lambda: "Mara Quill wrote this")
    assert attested(ev, ["Ivo Brand"], lambda: "Photos: Ivo Brand")


def test_visible_text_leaves_scripts_out():
    tree = lxml_html.fromstring(
        "<html><head><title>Head</title></head><body><p>Shown</p>"
        "<script>var hidden = 1;</script><style>p{}</style></body></html>"
    )
    text = visible_text(tree)
    assert "Shown" in text and "hidden" not in text and "Head" not in text
