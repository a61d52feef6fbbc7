"""The page-type model's trees, walked in plain Python as LightGBM dumps them."""

from __future__ import annotations

import math

import pytest

from transforms.core.trees import compact_tree
from transforms.pagetype.model import PageTypeModel

_DUMP = {
    "split_feature": 0,
    "threshold": 2.5,
    "decision_type": "<=",
    "left_child": {"leaf_value": 1.0},
    "right_child": {
        "split_feature": 1,
        "threshold": 0.5,
        "decision_type": "<=",
        "left_child": {"leaf_value": -1.0},
        "right_child": {"leaf_value": 2.0},
    },
}


def test_a_dumped_tree_compacts_to_nested_lists():
    assert compact_tree(_DUMP) == [0, 2.5, 1.0, [1, 0.5, -1.0, 2.0]]


def test_a_categorical_split_is_refused():
    with pytest.raises(ValueError):
        compact_tree({**_DUMP, "decision_type": "=="})


@pytest.mark.parametrize(
    ("features", "score_a"),
    [({"x": 1.0, "y": 0.0}, 1.0), ({"x": 3.0, "y": 0.0}, -1.0), ({"x": 3.0, "y": 1.0}, 2.0)],
)
def test_probabilities_are_the_softmax_of_the_summed_trees(features, score_a):
    model = PageTypeModel(("a", "b"), ("x", "y"), (compact_tree(_DUMP), 0.0), {})
    probs = model.probabilities(features)
    assert probs["a"] == pytest.approx(math.exp(score_a) / (math.exp(score_a) + 1.0))
    assert sum(probs.values()) == pytest.approx(1.0)


def test_a_model_survives_its_json_form():
    model = PageTypeModel(("a", "b"), ("x", "y"), (compact_tree(_DUMP), 0.5), {"k": 1})
    again = PageTypeModel.from_json(model.to_json())
    assert again.probabilities({"x": 3, "y": 1}) == model.probabilities({"x": 3, "y": 1})


@pytest.mark.parametrize("row", [[1.0, 0.0], [2.5, 0.5], [3.0, 0.5], [3.0, 1.0], [-4.0, 9.0]])
def test_the_compiled_trees_sum_as_the_walked_trees(row):
    deeper = compact_tree({**_DUMP, "left_child": {**_DUMP, "threshold": 1.5}})
    model = PageTypeModel(("a", "b"), ("x", "y"), (compact_tree(_DUMP), 0.25, deeper, -0.5), {})
    assert list(model.scores(row)) == model.walked_scores(row)


def test_a_class_without_trees_scores_zero():
    model = PageTypeModel(("a", "b", "c"), ("x", "y"), (compact_tree(_DUMP),), {})
    assert model.scores([0.0, 0.0]) == (1.0, 0.0, 0.0)
