"""The title oracle's candidates and levels, on a page of the project's making."""

import pytest
from lxml import html as lxml_html

from benchmarks.title_oracle import _level, offered_titles, raw_titles

PAGE = """<html><head><title>Tide gauges drift in winter - Field notes | Lantern Post</title>
<meta property="og:title" content="Why tide gauges drift in winter">
<meta name="parsely-title" content="Tide Gauges: A Winter Problem">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Gauges &amp; winter",
 "publisher": {"@type": "Organization", "name": "Lantern Post"}}</script>
</head><body><article><h1>Tide gauges drift in winter</h1><h2>What the board found</h2>
<p>The harbour board checked its gauges after the cold snap, and wrote a "cold report".</p>
</article></body></html>"""


def _tree():
    return lxml_html.document_fromstring(PAGE)


def test_raw_titles_name_their_sources():
    found = raw_titles(_tree())
    assert ("h1", "Tide gauges drift in winter") in found
    assert ("og:title", "Why tide gauges drift in winter") in found
    assert ("meta", "Tide Gauges: A Winter Problem") in found
    assert ("jsonld:headline", "Gauges &amp; winter") in found
    assert ("jsonld:name", "Lantern Post") in found


def test_offered_titles_add_segment_runs_and_decoded_forms():
    offered = offered_titles(_tree(), ["Lantern Post"])
    # the <title> with the site's name cut is a whole form; its first segment is a run
    assert "title" in offered["tide gauges drift in winter - field notes"]
    assert "title+run" in offered["field notes"]
    assert "jsonld:headline" in offered["gauges & winter"]  # entities decoded again
    assert "meta+run" in offered["a winter problem"]  # a cut at ": "


@pytest.mark.parametrize(
    ("truth", "rule", "level"),
    [
        ("Tide gauges drift in winter", "Tide gauges drift in winter", "rule"),
        ("Why Tide Gauges Drift in Winter", "Tide gauges drift in winter", "oracle_stated"),
        ("What the board found", None, "oracle_all"),
        ("Why tide gauges drift in winter!", None, "punctuation_only"),
        ("checked its gauges", None, "in_text"),
        ("Lantern Post NewsArticle", None, "nowhere"),
        ("NewsArticle", None, "in_markup"),
    ],
)
def test_levels(truth, rule, level):
    tree = _tree()
    assert _level(truth, rule, offered_titles(tree, ["Lantern Post"]), tree) == level
