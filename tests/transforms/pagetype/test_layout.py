"""Layout features: where the prose sits, teaser cards, CMS classes, microdata, the URL's shape."""

from __future__ import annotations

import pytest
from lxml import html

from transforms.pagetype.layout import tree_features, url_shape

_SENTENCE = "The ferry across the bay will run every half hour from the first of the month on. "
_ARTICLE = f"""<html><body class="single single-post"><main><article>
<h1>Ferry timetable</h1>
{"".join(f"<p>{_SENTENCE}</p>" for _ in range(4))}
</article></main><script>var tracker = "by the way";</script></body></html>"""
_BUILDER = f"""<html><body class="page page-template"><main>
{"".join(f"<section><div><h2>Service {i}</h2><p>{_SENTENCE}</p></div></section>" for i in range(4))}
</main></body></html>"""
_CARDS = """<html><head><link rel="next" href="/news/page/2"></head><body class="archive category">
<ul>{}</ul></body></html>""".format(
    "".join(f'<li><h3><a href="/n/{i}">Story {i}</a></h3></li>' for i in range(6))
)
_SHOP = """<html><body><div itemscope itemtype="https://schema.org/Product">
<span itemprop="name">Kettle</span><span itemprop="price">$24.99</span> or 24 EUR</div>
</body></html>"""


def _tree(page: str) -> dict[str, float]:
    return tree_features(html.fromstring(page))[0]


def test_an_articles_prose_sits_in_one_block_a_builders_in_many():
    article, builder = _tree(_ARTICLE), _tree(_BUILDER)
    assert article["block_top_share"] > 0.8 and article["block_prose_parents"] == 1
    assert builder["block_top_share"] < 0.3 and builder["block_prose_parents"] == 4


def test_script_code_is_not_visible_text():
    reading = tree_features(html.fromstring(_ARTICLE))
    features, text = reading.features, reading.text
    assert "tracker" not in text and features["words"] == 2 + 4 * len(_SENTENCE.split())


def test_teaser_cards_are_linked_headings_and_items_with_a_next_page():
    cards = _tree(_CARDS)
    assert cards["heading_links"] == 6 and cards["heading_link_share"] == 1.0
    assert cards["li_link_items"] == 0 and cards["rel_next"] == 1  # the <a> is in the <h3>
    assert cards["bc_archive"] == 2 and cards["bc_single"] == 0


def test_microdata_marks_a_product():
    shop = _tree(_SHOP)
    assert shop["md_product"] == 1 and shop["n_itemprop_price"] == 1
    assert shop["md_forum"] == 0


@pytest.mark.parametrize(
    ("url", "numeric", "long_id", "last", "hyphens"),
    [
        ("https://x.example/2024/03/ferry-runs-every-half-hour", 2, 0, 26, 4),
        ("https://x.example/item/1234567", 1, 1, 7, 0),
        ("https://x.example/", 0, 0, 0, 0),
        (None, 0, 0, 0, 0),
    ],
)
def test_url_shape(url, numeric, long_id, last, hyphens):
    assert url_shape(url) == {
        "url_numeric_segments": numeric,
        "url_long_id": long_id,
        "url_last_chars": last,
        "url_max_hyphens": hyphens,
    }
