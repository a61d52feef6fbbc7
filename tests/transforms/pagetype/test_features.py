"""Page-type features: the same names on every page, and the shapes that tell types apart."""

from __future__ import annotations

from lxml import html

from benchmarks.train_pagetype import strip_scripts
from tests.transforms.pagetype.news_pages import NOT_ARTICLES, PAYWALL_STUB
from transforms.pagetype.features import body_features, page_features
from transforms.pagetype.markup import markup_types


def _features(page: str, url: str) -> dict[str, float]:
    tree = html.fromstring(page)
    return page_features(tree, url).features


def test_every_page_has_the_same_feature_names():
    tag, url = NOT_ARTICLES["tag"]
    assert set(_features(tag, url)) == set(_features(PAYWALL_STUB, "https://x.example/a"))


def test_teaser_cards_repeat_and_the_url_says_tag():
    tag, url = NOT_ARTICLES["tag"]
    features = _features(tag, url)
    assert features["repeat_max"] >= 12 and features["url_listing"] >= 1


def test_stripping_scripts_takes_the_json_ld_evidence_only():
    whole = _features(PAYWALL_STUB, "https://x.example/a")
    stripped = _features(strip_scripts(PAYWALL_STUB), "https://x.example/a")
    assert whole["ld_article"] == 1 and stripped["ld_article"] == 0
    assert whole["words"] == stripped["words"] and whole["n_p"] == stripped["n_p"]


def test_body_features_read_prose_from_short_lines():
    prose = body_features("One long sentence of news about the ferry and the bridge here.", 20)
    lines = body_features("Ferries\n\nBridges\n\nBuses", 20)
    assert prose["body_ended_share"] == 1.0 and lines["body_ended_share"] == 0.0
    assert prose["body_p_mean"] > lines["body_p_mean"]


def test_the_words_of_the_parts_are_read_from_the_texts_kept():
    tag, url = NOT_ARTICLES["tag"]
    texts = page_features(html.fromstring(tag), url).texts
    parts = texts.parts()
    assert set(parts) == {"url", "title", "links", "page"}
    assert "tag" in parts["url"] and parts["page"]
    assert texts.parts("Ferry timetables change")["body"] == {"ferry", "timetables", "change"}


def test_the_stated_types_come_from_the_features_walk_as_from_the_tree():
    tree = html.fromstring(PAYWALL_STUB)
    marks = page_features(tree, "https://x.example/a").marks
    assert marks == markup_types(tree)
    assert marks.article and marks.free is False
