"""Each matcher returns what lxml's evaluation of its own XPath text returns, element for element."""

from __future__ import annotations

import copy
import gzip
import importlib
import random

import pytest
from lxml import etree, html

from tests.conftest import WCXB, requires_wcxb
from transforms.fastpaths.xpath_matchers import (
    MATCHERS,
    XPathMatcher,
    install,
    installed,
    normalized,
    prune_raw_tree,
    trafilatura_xpaths,
)

REGEXP_NS = "http://exslt.org/regular-expressions"
XPATHS = {key: etree.XPath(m.path, namespaces={"re": REGEXP_NS}) for key, m in MATCHERS.items()}


def _assert_same(tree: etree._Element, context: str = "") -> None:
    for key, matcher in MATCHERS.items():
        expected, got = XPATHS[key](tree), matcher(tree)
        assert [id(e) for e in got] == [id(e) for e in expected], (key, context)


def _tree(body: str) -> etree._Element:
    return html.fromstring(f"<html><body>{body}</body></html>")


CASES = {
    "no attributes": "<div><p>text</p><span>more</span></div>",
    "cookie on the first of id and class": '<div class="cookie-bar" id="main">x</div>',
    "cookie on the second of id and class": '<div id="main" class="cookie-bar">x</div>',
    "cookie as the only attribute": '<section id="cookies">x</section>',
    "reply- on the second attribute": '<p class="x" id="reply-3">x</p><p id="reply-4" class="y">y</p>',
    "hidden in style, id first": '<span id="a" style="visibility:hidden">x</span>',
    "hidden in style, style first": '<span style="visibility:hidden" id="a">x</span>',
    "display none": '<img style="display: none"/><b style="display:none">x</b>',
    "aria hidden": '<a aria-hidden="true">x</a><a aria-hidden="false">y</a>',
    "role in capitals": '<div role="Navigation">x</div><div role="NAV">y</div>',
    "data attributes": '<div data-lp-replacement-content="">x</div>'
    '<p data-component="MostPopularStoriesList">y</p>',
    "empty attributes": '<div id="" class="">x</div><div class="">y</div>',
    "ad tokens": '<div class="top ad unit">x</div><div class="ad-slot">y</div><div class="bad-x">z</div>',
    "converted tags": '<list class="share-list"><item class="menu">a</item></list>',
    "teaser and caption": '<div id="Teaser">a</div><p class="TeaserBox">b</p>'
    '<span class="img-caption">c</span><div id="caption">d</div>',
    "comments and lists": '<ul id="comments"><li>a</li></ul><ol class="post-comments">b</ol>'
    '<ul id="disqus_thread">c</ul><div id="disqus_thread">d</div><div class="commentary">e</div>',
    "infinite scroll with and without h1": '<div class="infinite-scroll"><h1>a</h1></div>'
    '<div class="infinite-scroll"><p>b</p></div><aside id="mvp-post-add-box"><h1>c</h1></aside>',
    "share buttons": '<section class="elementor-share-buttons--x">a</section>',
    "first body frame per parent": '<div class="post"><div class="entry">a</div><div class="entry">b</div>'
    '</div><section class="articleBody">c</section><main itemprop="articleBody">d</main>',
    "story frames": '<div class="FullText">a</div><div id="story">b</div><article role="article">c</article>',
    "main content": '<div id="Main-Content">a</div><div class="PageContent">b</div>'
    '<div class="page-content">c</div><div id="content">d</div>',
    "main element after a main frame": '<div class="main-wrap">a</div><main>b</main><main>c</main>',
    "main element before a main frame": '<main>a</main><section role="main">b</section>',
    "basic cleaning": '<aside>a</aside><div id="footer-x" class="y">b</div><div class="y" id="footer">c'
    '</div><footer>d</footer><script>e</script><svg><path/></svg><p class="Cookie-Banner">f</p>'
    '<span id="onetrust-sdk">g</span><template>h</template><style>i</style>',
    "comments and processing instructions": '<!-- c --><div class="nav"><!-- d -->x</div><?pi x?>',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matchers_equal_their_xpath(name: str) -> None:
    _assert_same(_tree(CASES[name]), name)


def test_matchers_start_below_the_context_element() -> None:
    tree = _tree('<div class="nav" id="outer"><div class="post"><p class="meta">x</p></div></div>')
    for context in tree.iter("div"):
        _assert_same(context, context.get("class"))


_TAGS = [
    "footer",
    "aside",
    "script",
    "div",
    "p",
    "span",
    "section",
    "article",
    "main",
    "aside",
    "ul",
    "ol",
    "item",
    "list",
    "h1",
    "a",
]
_VALUES = [
    "footer-nav",
    "cookie-Banner",
    "",
    "nav",
    "Nav",
    "post",
    "entry",
    "content",
    "main",
    "main-content",
    "Main-Content",
    "story",
    "cookie",
    "reply-x",
    "hidden",
    "hide-me",
    "comments",
    "Comment-list",
    "commentary",
    "ad-top",
    "x ad y",
    "teaser",
    "Teaser",
    "caption",
    "articleBody",
    "fulltext",
    "FULLTEXT",
    "infinite-scroll",
    "mvp-post-add-box",
    "elementor-share-buttons",
    "text",
    "page-content",
    "story-body",
    "primary",
    "display:none",
    "true",
    "article",
    "disqus_thread",
]
_ATTRS = ["id", "class", "style", "role", "aria-hidden", "itemprop", "data-component"]


def _random_tree(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        tag = rng.choice(_TAGS)
        attrs = rng.sample(_ATTRS, rng.randint(0, 3))
        attr_text = "".join(f' {a}="{rng.choice(_VALUES)}"' for a in attrs)
        inner = _random_tree(rng, depth + 1) if depth < 4 and rng.random() < 0.6 else "t"
        parts.append(f"<{tag}{attr_text}>{inner}</{tag}>")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(40))
def test_matchers_equal_their_xpath_on_random_trees(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        _assert_same(_tree(_random_tree(rng)), f"seed {seed}")


def test_install_swaps_matching_expressions_only(monkeypatch) -> None:
    from trafilatura import xpaths

    baseline = importlib.import_module(
        "trafilatura.baseline"
    )  # the package exports a function of that name
    changed = etree.XPath(".//div[@class='something-else']")
    monkeypatch.setattr(xpaths, "TEASER_DISCARD_XPATH", [changed])
    monkeypatch.setattr(baseline, "BASIC_CLEAN_XPATH", changed)
    monkeypatch.setattr(xpaths, "OVERALL_DISCARD_XPATH", list(xpaths.OVERALL_DISCARD_XPATH))
    monkeypatch.setattr(xpaths, "BODY_XPATH", list(xpaths.BODY_XPATH))
    before = installed()
    swapped = install()
    assert xpaths.TEASER_DISCARD_XPATH[0] is changed  # different text: its XPath stays
    assert baseline.BASIC_CLEAN_XPATH is changed
    assert all(isinstance(e, XPathMatcher) for e in xpaths.OVERALL_DISCARD_XPATH)
    assert normalized(xpaths.BODY_XPATH[1].path) == "(.//article)[1]"  # no matcher for it
    assert swapped == installed() >= before
    assert install() == swapped  # idempotent


def test_install_covers_every_matcher_on_the_pinned_trafilatura() -> None:
    # no skip on another version: tests/transforms/fastpaths/test_versions.py fails loudly then
    assert install() == len(MATCHERS)


@requires_wcxb
@pytest.mark.shared
@pytest.mark.parametrize("part", range(4))
def test_matchers_equal_their_xpath_on_dev_pages(part: int) -> None:
    # raw parsed pages (every 4th page per part); the whole pipeline's calls were checked the
    # same way on all 1,497 pages when the matchers were written
    pages = sorted((WCXB / "html").glob("*.html.gz"))[part::4][::5]
    for path in pages:
        tree = html.fromstring(gzip.decompress(path.read_bytes()))
        _assert_same(tree, path.name)


def test_trafilatura_xpaths_restores_the_originals_for_a_block() -> None:
    from trafilatura import xpaths

    install()
    with trafilatura_xpaths():
        assert installed() == 0
        assert isinstance(xpaths.OVERALL_DISCARD_XPATH[0], etree.XPath)
    assert installed() == len(MATCHERS)


def _pruned_by_trafilatura(tree: etree._Element, comments: bool) -> bytes:
    from trafilatura import xpaths
    from trafilatura.htmlprocessing import prune_unwanted_nodes

    tree = copy.deepcopy(tree)
    with trafilatura_xpaths():
        prune_unwanted_nodes(tree, xpaths.RAW_TREE_PRUNE_XPATH)
        if comments:
            prune_unwanted_nodes(tree, xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH)
    return etree.tostring(tree)


def _pruned_in_one_walk(tree: etree._Element, comments: bool) -> bytes:
    tree = copy.deepcopy(tree)
    install()
    assert prune_raw_tree(tree, comments)
    return etree.tostring(tree)


PRUNE_CASES = {
    # matched by two expressions, and matches inside an element an earlier expression deletes
    "nested and doubly matched": '<div class="infinite-scroll">a<div class="elementor-share-buttons">'
    'b<div id="comments">c</div>d</div>e</div>f<section class="comments elementor-share-buttons">g'
    '</section>h<ul id="comol"><li>i</li></ul>j<aside id="mvp-post-add-box"><h1>k</h1></aside>l',
    "siblings with tails": '<p>a</p><div id="comment-1">b</div>c<div class="infinite-scroll">d</div>'
    "e<details class='comment-x'>f</details>",
}


@pytest.mark.parametrize("comments", [True, False])
@pytest.mark.parametrize("name", sorted(PRUNE_CASES))
def test_prune_raw_tree_is_trafilaturas_two_prunings(name: str, comments: bool) -> None:
    tree = _tree(PRUNE_CASES[name])
    assert _pruned_in_one_walk(tree, comments) == _pruned_by_trafilatura(tree, comments)


@pytest.mark.parametrize("seed", range(30))
def test_prune_raw_tree_on_random_trees(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        tree = _tree(_random_tree(rng) + "tail" + _random_tree(rng))
        for comments in (True, False):
            expected = _pruned_by_trafilatura(tree, comments)
            assert _pruned_in_one_walk(tree, comments) == expected, seed


def test_prune_raw_tree_declines_trafilaturas_own_xpaths() -> None:
    tree = _tree(PRUNE_CASES["siblings with tails"])
    before = etree.tostring(tree)
    with trafilatura_xpaths():
        assert prune_raw_tree(tree, True) is False
    assert etree.tostring(tree) == before
