"""The page-type model: a small gradient-boosted tree ensemble, read from a JSON file.

Trained by `python -m benchmarks.train_pagetype` (LightGBM, on the WCXB dev pages, whole and
with their scripts stripped) and shipped as `pagetype_model.json` beside this module with its
training command, data hash and cross-validated scores. Its trees are walked here in plain
Python (a few hundred small trees, well under a millisecond a page), so the flow needs neither
LightGBM nor scikit-learn at run time and nothing is downloaded.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).with_name("pagetype_model.json")

# a node: [feature index, threshold, left, right] (go left when value <= threshold); a leaf: a
# float. `compact_tree` turns LightGBM's dump into this form.
Node = list[Any] | float


def compact_tree(node: dict[str, Any]) -> Node:
    """LightGBM's `dump_model()` tree structure as nested lists (numerical splits only)."""
    if "leaf_value" in node:
        return round(float(node["leaf_value"]), 6)
    if node.get("decision_type", "<=") != "<=":
        raise ValueError(f"unsupported split {node.get('decision_type')!r}")
    return [
        int(node["split_feature"]),
        float(node["threshold"]),
        compact_tree(node["left_child"]),
        compact_tree(node["right_child"]),
    ]


def _leaf(node: Node, row: list[float]) -> float:
    while isinstance(node, list):
        node = node[2] if row[node[0]] <= node[1] else node[3]
    return node


@dataclass(frozen=True, slots=True)
class PageTypeModel:
    """Classes, feature names, trees (round-major: one tree per class per round), provenance."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    trees: tuple[Node, ...]
    meta: dict[str, Any]

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """Class -> probability (softmax of the summed tree outputs)."""
        row = [features.get(name, 0.0) for name in self.features]
        k = len(self.classes)
        scores = [0.0] * k
        for i, tree in enumerate(self.trees):
            scores[i % k] += _leaf(tree, row)
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def to_json(self) -> str:
        return json.dumps(
            {
                "meta": self.meta,
                "classes": self.classes,
                "features": self.features,
                "trees": self.trees,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> PageTypeModel:
        raw = json.loads(text)
        return cls(tuple(raw["classes"]), tuple(raw["features"]), tuple(raw["trees"]), raw["meta"])


@cache
def shipped_model() -> PageTypeModel | None:
    """The model shipped with the package, or None when it has not been trained."""
    if not MODEL_FILE.exists():
        return None
    return PageTypeModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))
