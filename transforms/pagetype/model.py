"""The page-type model: a small gradient-boosted tree ensemble, read from a JSON file.

Trained by `python -m benchmarks.train_pagetype` (LightGBM, on the WCXB dev pages, whole and
with their scripts stripped) and shipped as `pagetype_model.json` beside this module with its
training command, data hash and cross-validated scores. The flow needs neither LightGBM nor
scikit-learn at run time and nothing is downloaded: the trees are turned once into one Python
expression per class (nested conditionals over the feature row, `compiled_scores`), which
Python evaluates several times faster than a loop walking the nested lists, so that the
decision adds little to a page's cost; `transforms.core.trees.leaf` walks a tree as the reference the tests compare
it with.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from transforms.core.trees import Node, leaf, tree_expression
from transforms.pagetype.words import WordModel

MODEL_FILE = Path(__file__).with_name("pagetype_model.json")


def compiled_scores(trees: tuple[Node, ...], classes: int) -> Callable[[list[float]], tuple]:
    """A function of the feature row giving each class's summed tree output (trees are
    round-major: tree i belongs to class i % classes)."""
    sums = [
        " + ".join(tree_expression(t) for t in trees[k::classes]) or "0.0" for k in range(classes)
    ]
    code = compile(f"lambda r: ({', '.join(sums)},)", "<pagetype_model>", "eval")
    return eval(code, {"__builtins__": {}})  # generated from numbers only


@dataclass(frozen=True, slots=True)
class PageTypeModel:
    """Classes, feature names, trees (round-major: one tree per class per round), provenance."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    trees: tuple[Node, ...]
    meta: dict[str, Any]
    words: WordModel | None = None  # the word model whose probabilities are features
    # the word model that, with the trees' probabilities, chooses the type of a page routed out
    # of `articles` (`transforms.pagetype.classify.choose_type`), and its share of the blend
    chooser: WordModel | None = None
    chooser_weight: float = 0.0
    compiled: Callable[[list[float]], tuple] | None = field(default=None, compare=False, repr=False)
    getter: Callable[[dict[str, float]], tuple] | None = field(
        default=None, compare=False, repr=False
    )

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """Class -> probability (softmax of the summed tree outputs)."""
        try:  # every feature present (the flow's pages): one C-level read
            row = list(self.row_of(features))
        except KeyError:
            row = [features.get(name, 0.0) for name in self.features]
        scores = self.scores(row)
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    @property
    def row_of(self) -> Callable[[dict[str, float]], tuple[float, ...]]:
        """The feature row of a page's features (all present), read in C (set once)."""
        if self.getter is None:  # frozen: set once, on first use
            names = self.features
            get = operator.itemgetter(*names) if len(names) > 1 else None
            getter = get if get is not None else (lambda f: tuple(f[n] for n in names))
            object.__setattr__(self, "getter", getter)
        return self.getter  # type: ignore[return-value]

    def scores(self, row: list[float]) -> tuple[float, ...]:
        """Each class's summed tree output for a feature row (compiled once per model)."""
        if self.compiled is None:  # frozen: set once, on first use
            object.__setattr__(self, "compiled", compiled_scores(self.trees, len(self.classes)))
        return self.compiled(row)  # type: ignore[misc]

    def walked_scores(self, row: list[float]) -> list[float]:
        """The same sums, by walking the trees (the reference for `scores`)."""
        k = len(self.classes)
        out = [0.0] * k
        for i, tree in enumerate(self.trees):
            out[i % k] += leaf(tree, row)
        return out

    def to_json(self) -> str:
        return json.dumps(
            {
                "meta": self.meta,
                "classes": self.classes,
                "features": self.features,
                "trees": self.trees,
                "words": self.words.to_dict() if self.words is not None else None,
                "chooser": self.chooser.to_dict() if self.chooser is not None else None,
                "chooser_weight": self.chooser_weight,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> PageTypeModel:
        raw = json.loads(text)
        words = WordModel.from_dict(raw["words"]) if raw.get("words") else None
        chooser = WordModel.from_dict(raw["chooser"]) if raw.get("chooser") else None
        return cls(
            tuple(raw["classes"]),
            tuple(raw["features"]),
            tuple(raw["trees"]),
            raw["meta"],
            words,
            chooser,
            float(raw.get("chooser_weight", 0.0)),
        )


@cache
def shipped_model() -> PageTypeModel | None:
    """The model shipped with the package, or None when it has not been trained."""
    if not MODEL_FILE.exists():
        return None
    return PageTypeModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))
