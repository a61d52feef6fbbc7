"""The word-count gate: an article needs `min_words`, a page of another type `min_words_page`."""

from __future__ import annotations

import pytest

from transforms.clean.gate import QualityGateStep
from transforms.core.config import PipelineConfig
from transforms.core.record import Article

# An invented product blurb of 40 words: content for a product page, too short for an article.
BLURB = (
    "A hand-thrown stoneware mug with a speckled oat glaze, fired twice in a small studio kiln. "
    "Each one differs a little in colour and shape. Holds about 350 ml, safe in the dishwasher "
    "and the microwave, made in Portugal by two potters."
)


def _doc(text: str, page_type: str) -> Article:
    doc = Article(doc_id="g", source_path="g.html", source_format="html", content_kind="html")
    doc.set_paragraphs([text])
    doc.page_type = page_type
    return doc


@pytest.mark.parametrize(
    ("page_type", "kept"),
    [
        ("article", False),
        ("liveblog", False),
        ("product", True),
        ("collection", True),
        ("service", True),
        ("forum", True),
    ],
)
def test_a_short_body_is_content_only_on_a_page_of_another_type(page_type, kept):
    doc = _doc(BLURB, page_type)
    assert 35 <= doc.word_count < 50
    drop = QualityGateStep().apply(doc)
    assert (drop is None) is kept
    if drop is not None:
        assert drop.reason == "too_short" and "min_words=50" in drop.detail


@pytest.mark.parametrize(("min_words_page", "kept"), [(35, True), (45, False)])
def test_the_page_bound_is_a_setting(min_words_page, kept):
    config = PipelineConfig().with_settings({"clean.min_words_page": min_words_page})
    drop = QualityGateStep(config).apply(_doc(BLURB, "product"))
    assert (drop is None) is kept
    if drop is not None:
        assert f"min_words_page={min_words_page}" in drop.detail


@pytest.mark.parametrize("page_type", ["article", "product"])
def test_an_empty_body_goes_whatever_the_type(page_type):
    doc = _doc("", page_type)
    drop = QualityGateStep().apply(doc)
    assert drop is not None and drop.reason == "empty_body"
