"""The pruning with a limited second link-density round leaves trafilatura's own tree."""

from __future__ import annotations

import gzip
import random
from copy import deepcopy

import pytest
from lxml import etree, html
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import TAG_CATALOG, Extractor

from tests.conftest import WCXB, requires_wcxb
from transforms import fastpaths
from transforms.fastpaths import link_density
from transforms.fastpaths.link_density import prune_unwanted_sections

LONG = "a link whose label runs on well past a hundred characters, as some headline links do on the busiest news pages"

PROSE = "Plain prose without links, long enough to keep its block as text. " * 6

HEADLINES = "".join(
    f"<ref>Another headline of the day, number {k} in a row</ref> " for k in range(3)
)


def _options(focus: str) -> Extractor:
    return Extractor(
        output_format="txt",
        comments=False,
        precision=focus == "precision",
        recall=focus == "recall",
    )


def _assert_same(tree: etree._Element, focus: str, tags: set[str], context: str = "") -> None:
    options = _options(focus)
    expected = link_density.original()(deepcopy(tree), set(tags), options)
    got = prune_unwanted_sections(deepcopy(tree), set(tags), options)
    assert etree.tostring(got) == etree.tostring(expected), context


CASES = {
    # the first round's p pass deletes a long-link paragraph; then the div holding it is a
    # short, link-dense block that only the second round's div pass deletes
    "second round deletes": (
        "<div><div><ref>Link one here</ref> <ref>Link two here</ref>"
        f"<p>intro <ref>{LONG}</ref></p></div><p>{PROSE}</p></div>"
    ),
    # the first round's p pass deletes the div's next sibling: the div, now last, gets the
    # larger length limit and only the second round's div pass finds it link-dense
    "next sibling deleted": (
        f"<div><p>{PROSE}</p><div>{HEADLINES}</div><p>intro <ref>{LONG}</ref></p></div>"
    ),
    "nothing to delete": "<div><p>Plain prose, no links at all, long enough to be text.</p></div>",
    "farm": "<div>"
    + "".join(f"<p><ref>Story {k}</ref></p>" for k in range(8))
    + "<list>"
    + "".join(f"<item><ref>Item {k}</ref></item>" for k in range(6))
    + "</list></div>",
    "tails": "<div><div><ref>a</ref>tail one</div>tail two<p><ref>b</ref></p>tail three</div>",
    "item paragraph": "<list><item><p><ref>only a link</ref></p></item></list>",
}


@pytest.mark.parametrize("focus", ["balanced", "recall", "precision"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_same_tree_as_trafilatura(name: str, focus: str) -> None:
    tree = html.fromstring(f"<html><body>{CASES[name]}</body></html>")
    _assert_same(tree, focus, TAG_CATALOG, name)


@pytest.mark.parametrize(
    ("name", "words"), [("second round deletes", "Link one"), ("next sibling deleted", "headline")]
)
def test_the_second_round_cases_need_the_second_round(name: str, words: str) -> None:
    # the cases are tests of the limited round only if one round is not enough for them
    from trafilatura.htmlprocessing import delete_by_link_density

    tree = html.fromstring(f"<html><body>{CASES[name]}</body></html>")
    one_round = deepcopy(tree)
    for tag, backtracking in (("div", True), ("list", False), ("p", False)):
        delete_by_link_density(one_round, tag, backtracking=backtracking)
    two_rounds = link_density.original()(deepcopy(tree), set(TAG_CATALOG), _options("balanced"))
    assert words in "".join(one_round.itertext())
    assert words not in "".join(two_rounds.itertext())


_TAGS = ["div", "p", "list", "item", "ref", "span", "head", "table", "td", "graphic"]


def _random_body(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        text = " ".join(
            rng.choice(["word", "x", "longer words here", "\n"]) for _ in range(rng.randint(0, 25))
        )
        tag = rng.choice(_TAGS)
        inner = _random_body(rng, depth + 1) if depth < 6 and rng.random() < 0.6 else text
        parts.append(f"<{tag}>{inner}</{tag}>{text if rng.random() < 0.3 else ''}")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(40))
def test_same_tree_on_random_trees(seed: int) -> None:
    rng = random.Random(seed)
    tree = html.fromstring(f"<html><body><div>{_random_body(rng)}</div></body></html>")
    for focus in ("balanced", "recall", "precision"):
        _assert_same(tree, focus, TAG_CATALOG | {"table", "td", "th", "tr"}, f"seed {seed}")


@pytest.mark.slow
@pytest.mark.shared
@requires_wcxb
def test_same_tree_on_dev_pages() -> None:
    # the trees trafilatura prunes: the cleaned, converted page (and each body candidate's
    # subtree is a part of it)
    from transforms.html.extract import parse_html

    paths = sorted((WCXB / "html").glob("*.html.gz"))[::15]
    assert paths
    for path in paths:
        tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        if tree is None:
            continue
        for focus in ("balanced", "recall"):
            options = _options(focus)
            cleaned = convert_tags(tree_cleaning(deepcopy(tree), options), options)
            _assert_same(cleaned, focus, TAG_CATALOG | {"table", "td", "th", "tr"}, path.name)


def test_install_and_uninstall() -> None:
    assert fastpaths.enable()
    assert link_density.installed()
    with fastpaths.plain():
        assert not link_density.installed()
    assert link_density.installed()
