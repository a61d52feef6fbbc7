import pytest
from lxml import html as lxml_html

from transforms.metadata.html_evidence import collect_evidence, resolve
from transforms.metadata.html_text import node_text, own_text, text_head


def _ev(markup: str):
    return collect_evidence(lxml_html.fromstring(markup))


GRAPH = """<html lang="en"><head>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","@id":"https://ex.org/p#page","datePublished":"2024-01-01"},
 {"@type":"Person","@id":"https://ex.org/#jane","name":"Jane Doe"},
 {"@type":["NewsArticle"],"headline":"Storm hits coast","author":{"@id":"https://ex.org/#jane"},
  "publisher":{"@type":"Organization","name":"Example News"}}
]}</script>
<link rel="canonical" href="https://ex.org/p">
<meta property="og:title" content="Storm hits coast | Example News">
<meta name="author" content="Jane Doe">
</head><body><h1>Storm hits coast</h1></body></html>"""


def test_jsonld_graph_nodes_and_references():
    ev = _ev(GRAPH)
    assert len(ev.articles) == 1 and len(ev.pages) == 1
    author = resolve(ev, ev.articles[0]["author"])
    assert author["name"] == "Jane Doe"
    assert ev.canonical == "https://ex.org/p"
    assert ev.meta["og:title"] == ["Storm hits coast | Example News"]
    assert ev.lang == "en"
    assert [h.text for h in ev.h1] == ["Storm hits coast"]


def test_broken_jsonld_is_skipped_and_trailing_commas_tolerated():
    ev = _ev(
        '<html><head><script type="application/ld+json">{not json</script>'
        '<script type="application/ld+json">{"@type":"Article","headline":"A",}</script>'
        "</head><body><p>x</p></body></html>"
    )
    assert [a["headline"] for a in ev.articles] == ["A"]


def test_byline_elements_and_header_block():
    ev = _ev(
        "<html><body><nav><a rel='author' href='/a'>Nav Person</a></nav><article>"
        "<h1>Storm hits coast</h1><div class='byline'><span class='byline-prefix'>By</span> "
        "<a href='/jane'>Jane Doe</a></div><p>Published March 5, 2024</p>"
        "<p>Body text of the story.</p></article>"
        "<aside class='related'><span class='author'>Other Writer</span></aside></body></html>"
    )
    assert [b.text for b in ev.bylines] == ["By Jane Doe"]
    assert ev.rel_authors == []  # inside <nav>: chrome, not a byline
    assert ev.header_byline is not None and ev.header_byline.startswith("Jane Doe")
    assert ev.header_dates[0].label == "published"
    assert ev.header_dates[0].date.value.date().isoformat() == "2024-03-05"


def test_time_elements_carry_hints():
    ev = _ev(
        "<html><body><h1>T</h1><time class='updated' datetime='2024-05-01'>May 1</time>"
        "<time itemprop='datePublished' datetime='2024-04-01'>Apr 1</time></body></html>"
    )
    assert [t.attr for t in ev.times] == ["2024-05-01", "2024-04-01"]
    assert "updated" in ev.times[0].hint and "datePublished" in ev.times[1].hint


def test_tree_is_not_modified():
    tree = lxml_html.fromstring(GRAPH)
    before = lxml_html.tostring(tree)
    collect_evidence(tree)
    assert lxml_html.tostring(tree) == before


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<div>By <a>Jane <b>Doe</b></a>, staff</div>", "By  Jane  Doe , staff"),
        ("<div>Jane<script>var a = 1;</script>Doe</div>", "Jane Doe"),
        ("<div><style>.a{}</style><span>Jane</span>  <!-- x -->Doe</div>", "Jane Doe"),
        ("<div>  <p> </p> <p>Ann</p>\n<p>Bo</p></div>", "Ann Bo"),
        ("<div><noscript>Ann</noscript></div>", "Ann"),  # only scripts and styles are left out
        ("<script>var a;</script>", ""),
        ("<button>Jane Doe</button>", ""),  # a control's label is not a name
    ],
)
def test_own_text_is_the_text_nodes_outside_scripts(markup, text):
    root = lxml_html.fromstring(f"<html><body>{markup}</body></html>")
    el = root.find("body")[0]
    assert own_text(el) == text
    if isinstance(el.tag, str) and el.tag not in ("script", "button"):
        # the XPath it stands for
        nodes = el.xpath(".//text()[not(ancestor::script or ancestor::style)]")
        assert " ".join(t for t in nodes if t.strip()) == text


@pytest.mark.parametrize("limit", [1, 4, 5, 6, 11, 12, 40, 300])
@pytest.mark.parametrize(
    "markup",
    [
        "<div>Jane   Doe <b>wrote</b>\n\n   <i>this</i> story</div>",
        "<div>" + "    \n" * 50 + "<p>late</p> <p>words here</p></div>",
        "<div><p>" + "word " * 200 + "</p><p>tail</p></div>",
        "<div></div>",
        "<div>   </div>",
    ],
)
def test_text_head_is_the_start_of_the_normalised_text(markup, limit):
    el = lxml_html.fromstring(markup)
    assert text_head(el, limit) == node_text(el)[:limit]


def test_itemprop_text_is_cut_at_300_characters():
    body = "<p>" + "Lorem ipsum dolor sit amet. " * 40 + "</p>"
    ev = _ev(f"<html><body><div itemprop='articleBody'>{body}</div></body></html>")
    assert ev.itemprops["articleBody"] == [("Lorem ipsum dolor sit amet. " * 40)[:300]]
