"""The word model: each part's words as a unit-length binary bag, scored without scikit-learn."""

from __future__ import annotations

import math

import pytest

from transforms.core.trees import compact_tree
from transforms.pagetype.model import PageTypeModel
from transforms.pagetype.words import WordModel, page_parts, tokens

_MODEL = WordModel(
    ("article", "product"),
    (0.5, -0.5),
    {
        "url": {"shop": (-1.0, 2.0)},
        "page": {"cart": (-2.0, 2.0), "reporter": (1.0, -1.0)},
        "body": {"said": (1.0, 0.0)},
    },
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Add to CART, add to cart!", {"add", "to", "cart"}),
        ("a 2024 über-große Küche", {"über", "große", "küche"}),
        ("", set()),
    ],
)
def test_tokens_are_distinct_lower_case_words_of_two_or_more_letters(text, expected):
    assert tokens(text) == expected


def test_the_parts_of_a_page():
    parts = page_parts("https://x.example/shop/kettle-2000", "Kettle | Shop", "Home Cart", "Buy")
    assert parts == {
        "url": {"shop", "kettle"},
        "title": {"kettle", "shop"},
        "links": {"home", "cart"},
        "page": {"buy"},
    }


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({}, [0.5, -0.5]),  # the bias alone
        ({"url": {"shop", "unknown"}}, [-0.5, 1.5]),  # one known word: weight / sqrt(1)
        # two known words: their sum / sqrt(2)
        ({"page": {"cart", "reporter"}}, [0.5 - 1 / math.sqrt(2), -0.5 + 1 / math.sqrt(2)]),
        ({"url": {"shop"}, "body": {"said"}}, [0.5, 1.5]),
    ],
)
def test_scores_sum_the_bias_and_each_parts_normalised_weights(parts, expected):
    assert _MODEL.scores(parts) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("part", "words"),
    [
        ("url", {"shop", "unknown"}),
        ("page", {"cart", "reporter", "x"}),
        ("page", set()),
        ("t", {"a"}),
    ],
)
def test_a_parts_score_in_arrays_equals_the_plain_python_sum(part, words):
    assert _MODEL.score(part, words) == pytest.approx(_MODEL.walked_score(part, words))


def test_features_are_the_softmax_of_the_scores():
    probs = _MODEL.features({"url": {"shop"}})
    assert probs["words_product"] == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert sum(probs.values()) == pytest.approx(1.0)


def test_a_model_keeps_its_word_model_in_its_json_form():
    leaf = compact_tree({"leaf_value": 0.25})
    model = PageTypeModel(("a", "b"), ("x",), (leaf, 0.0), {}, _MODEL)
    again = PageTypeModel.from_json(model.to_json())
    assert again.words == _MODEL
    assert (
        PageTypeModel.from_json(PageTypeModel(("a",), ("x",), (leaf,), {}).to_json()).words is None
    )


def test_a_model_keeps_its_type_chooser_and_its_weight_in_its_json_form():
    leaf = compact_tree({"leaf_value": 0.25})
    model = PageTypeModel(("a", "b"), ("x",), (leaf, 0.0), {}, None, _MODEL, 0.5)
    again = PageTypeModel.from_json(model.to_json())
    assert (again.words, again.chooser, again.chooser_weight) == (None, _MODEL, 0.5)
