"""Page types of the news pages that are not articles, and what their type does to metadata."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from tests.transforms.pagetype.news_pages import LIVE_BLOG, NOT_ARTICLES
from transforms.core.config import PipelineConfig
from transforms.core.config.sections import PageTypeSettings
from transforms.core.record import Article, Markup
from transforms.core.schema import ARTICLE_PAGE_TYPES
from transforms.core.steps import run_steps
from transforms.pagetype.classify import choose_type, classify
from transforms.pagetype.model import MODEL_FILE, PageTypeModel, shipped_model
from transforms.pagetype.words import WordModel
from transforms.pipeline import build_steps


def _run(html: str, url: str, config: PipelineConfig | None = None):
    doc = Article("d1", "p.html", "html", "html", url=url, markup=Markup(raw=html.encode()))
    return run_steps([doc], build_steps(config))


@pytest.mark.parametrize("kind", sorted(NOT_ARTICLES))
def test_a_page_that_is_not_an_article_does_not_reach_articles(kind):
    html, url = NOT_ARTICLES[kind]
    # a short page may fall to the word gate: either way it is not published as an article
    config = PipelineConfig().with_settings({"clean.min_words": 1})
    kept, _dropped, _ = _run(html, url, config)
    assert all(d.page_type not in ARTICLE_PAGE_TYPES for d in kept), [
        (d.page_type, d.page_type_confidence) for d in kept
    ]


def test_a_listing_keeps_no_date_or_author_from_its_teaser_cards():
    html, url = NOT_ARTICLES["tag"]
    config = PipelineConfig().with_settings({"clean.min_words": 1})
    kept, _, _ = _run(html, url, config)
    for doc in kept:
        if doc.page_type in ("listing", "collection"):
            assert doc.published_at is None and doc.published_date is None
            assert doc.authors == []


def test_a_live_blog_is_typed_liveblog_from_its_markup():
    kept, dropped, _ = _run(LIVE_BLOG, "https://harbourgazette.example/news/live-wall")
    assert not dropped
    assert kept[0].page_type == "liveblog"
    assert kept[0].page_type_source == "json_ld"


def test_a_live_blog_keeps_each_updates_time_and_author_above_it():
    kept, _, _ = _run(LIVE_BLOG, "https://harbourgazette.example/news/live-wall")
    paragraphs = kept[0].paragraphs
    first = paragraphs.index("09:02 · Ada Lane")
    assert paragraphs[first + 1].startswith("Crews have closed the coast road")
    assert "12:37 · Ada Lane" in paragraphs and "11:46 · Sam Reed" in paragraphs
    assert kept[0].changes["live_update_stamped"] == 15


def test_plain_text_is_an_article_by_default():
    body = "\n\n".join(
        ["The ferry will run later on Fridays from next month, the operator said."] * 3
    )
    doc = Article("t1", "a.txt", "text", "text", markup=Markup(raw=body.encode()))
    kept, _, _ = run_steps(
        [doc], build_steps(PipelineConfig().with_settings({"clean.min_words": 1}))
    )
    assert (kept[0].page_type, kept[0].page_type_confidence, kept[0].page_type_source) == (
        "article",
        0.5,
        "default",
    )


def test_the_shipped_model_carries_its_provenance_and_the_configured_threshold():
    model = shipped_model()
    assert model is not None, f"train it: python -m benchmarks.train_pagetype ({MODEL_FILE})"
    meta = model.meta
    assert meta["command"].startswith("python -m benchmarks.train_pagetype")
    assert len(meta["data_hash"]) == 64
    assert set(meta["cv_scores"]) == {"whole", "stripped"}
    assert meta["route_min_confidence"] == PageTypeSettings().route_min_confidence
    probs = model.probabilities({})
    assert abs(sum(probs.values()) - 1) < 1e-6


def _constant_model(article: float) -> PageTypeModel:
    """A real model whose trees are single leaves: the article's log-odds against one other
    type (product), the rest far below."""
    classes = ("article", "product", "service")
    leaves = (math.log(article), math.log(1 - article), -30.0)
    return PageTypeModel(classes, (), leaves, {})


_PLAIN = dict.fromkeys(
    [
        "ld_liveblog",
        "og_video",
        "ld_video",
        "ld_article",
        "og_article",
        "n_article",
        "p_long_share",
        "ld_product",
        "md_product",
    ],
    0.0,
) | {"p_long_words": 400.0}


@pytest.mark.parametrize(
    ("marks", "url", "expected"),
    [
        ({}, "https://shop.example/p/kettle-1234", ("article", "model")),
        ({"ld_product": 1.0}, "https://shop.example/p/kettle-1234", ("product", "json_ld")),
        ({"md_product": 1.0}, "https://shop.example/p/kettle-1234", ("product", "markup")),
        ({"ld_product": 1.0, "og_article": 1.0}, "https://x.example/review", ("article", "model")),
        ({}, "https://x.example/terms", ("service", "url")),
        ({"ld_article": 1.0}, "https://x.example/about", ("article", "model")),
    ],
)
def test_stated_product_and_service_evidence_route_a_page_the_model_holds_an_article(
    marks, url, expected
):
    # the model leans article (0.8): below any routing threshold on its own
    kind = classify(_PLAIN | marks, _constant_model(0.8), PageTypeSettings(), url)
    assert (kind.page_type, kind.source) == expected


@pytest.mark.parametrize(
    ("trees", "words", "weight", "expected"),
    [
        # no word probabilities: the trees' most probable other type, with its probability
        ({"article": 0.1, "listing": 0.5, "service": 0.4}, None, 0.5, ("listing", 0.5)),
        ({"article": 0.1, "listing": 0.5, "service": 0.4}, {"listing": 0.9}, 0.0, ("listing", 0.5)),
        # the words, sure of another type, outweigh a narrow lead of the trees
        (
            {"article": 0.1, "listing": 0.5, "service": 0.4},
            {"article": 0.05, "listing": 0.05, "service": 0.9},
            0.5,
            ("service", 0.9 * 0.6 / (0.6 + math.sqrt(0.5 * 0.05 / (0.4 * 0.9)) * 0.6)),
        ),
        # but not a wide one
        (
            {"article": 0.02, "listing": 0.95, "service": 0.03},
            {"article": 0.1, "listing": 0.3, "service": 0.6},
            0.5,
            ("listing", None),
        ),
    ],
)
def test_the_type_of_a_routed_out_page_blends_the_trees_and_the_words(
    trees, words, weight, expected
):
    chosen, confidence = choose_type(trees, words, weight)
    assert chosen == expected[0]
    if expected[1] is not None:
        assert confidence == pytest.approx(expected[1])
    assert 0.0 < confidence <= 1.0 - trees["article"] + 1e-12


# a word model with no words: its bias alone, sure of `service`
_SURE_OF_SERVICE = WordModel(("article", "product", "service"), (0.0, 0.0, 6.0), {})


@pytest.mark.parametrize(("article", "routed"), [(0.8, False), (0.01, True)])
def test_the_words_are_read_only_for_a_page_routed_out(article, routed):
    # the trees: `article`, and the rest split evenly between product and service
    half = math.log((1 - article) / 2)
    trees = PageTypeModel(
        ("article", "product", "service"), (), (math.log(article), half, half), {}
    )
    model = replace(trees, chooser=_SURE_OF_SERVICE, chooser_weight=0.5)
    read: list[str] = []

    def words() -> dict[str, set[str]]:
        read.append("asked")
        return {"page": {"pricing"}}

    kind = classify(_PLAIN, model, PageTypeSettings(), "https://x.example/a", words)
    assert len(read) == int(routed)
    assert kind.page_type == ("service" if routed else "article")
