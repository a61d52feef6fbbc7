"""A learned line filter: the boilerplate lines left in a cleaned body, removed by a small model.

The rules before this step cut chrome by its form and place; what is left is mostly the right
prose plus some lines of the page's furniture (a related story's title, a "share" label, a
byline of another article, a caption-like line) that no rule names. A gradient-boosted tree
ensemble, trained by `python -m benchmarks.train_blocks` on the dev pages (labels: is the
line's text in the ground-truth body; cross-validated grouped by site) and shipped as
`block_model.json` beside this module with its training command, data hash and scores, gives
each line the probability that it belongs to the body (`transforms.text.block_features`).

On HTML pages of the types `clean.block_filter_page_types` (documentation and product, where
the cross-validated gain is largest for the step's CPU; on articles it gains little for its
cost, and on collection and listing pages, made of short items, it loses: docs/quality.md), a
line goes when that probability is under `clean.block_filter_min_keep` (0: the step does
nothing), noted `boilerplate_line_removed`. Guards: a body keeps at least
`clean.block_filter_min_share` of its words (a page whose lines the model doubts is left
whole: the model is sure of some lines, not of a page), and nothing goes from a body of a
single line. No LightGBM or scikit-learn at run time: the trees are one compiled Python
expression, evaluated a line at a time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Drop
from transforms.core.steps import Step
from transforms.core.trees import Node, leaf, tree_expression
from transforms.core.words import count_words
from transforms.text.block_features import FEATURES, block_features

# one model a path: bodies taken from HTML (with the page's link labels) and plain-text dumps
MODEL_FILES = {
    "html": Path(__file__).with_name("block_model.json"),
    "text": Path(__file__).with_name("block_model_text.json"),
}


def compile_trees(trees: list[Node], base: float) -> Callable[[list[float]], float]:
    """One function of a feature row: the ensemble's raw score (a logit)."""
    body = " + ".join(tree_expression(t) for t in trees) or "0.0"
    code = compile(f"lambda r: {float(base)!r} + {body}", "<block_model>", "eval")
    return eval(code, {"__builtins__": {}})  # generated from numbers only


def walk_trees(trees: list[Node], base: float, row: list[float]) -> float:
    """The same score by walking the trees (the reference `compile_trees` is tested against)."""
    return base + sum(leaf(node, row) for node in trees)


class BlockModel:
    """The shipped ensemble: feature names, trees, provenance (`meta`)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.meta: dict[str, Any] = raw["meta"]
        self.features: tuple[str, ...] = tuple(raw["features"])
        self.trees: list[Node] = raw["trees"]
        self.base = float(raw.get("base", 0.0))
        if self.features != FEATURES:
            raise ValueError("block_model.json was trained on other features: retrain it")
        self._score = compile_trees(self.trees, self.base)

    def keep_probabilities(self, rows: list[list[float]]) -> list[float]:
        score = self._score
        return [1.0 / (1.0 + math.exp(-score(r))) for r in rows]


@cache
def shipped_model(kind: str = "html") -> BlockModel | None:
    """The model of a content kind beside this module, or None when it has not been trained."""
    path = MODEL_FILES[kind]
    if not path.exists():
        return None
    return BlockModel(json.loads(path.read_text(encoding="utf-8")))


def filter_lines(
    paragraphs: list[str],
    title: str | None,
    page_type: str,
    html: bool,
    links: str | None,
    model: BlockModel,
    min_keep: float,
    min_share: float,
) -> tuple[list[str], int]:
    """The paragraphs without the lines the model scores under `min_keep`; (kept, removed)."""
    lines = [(i, line) for i, p in enumerate(paragraphs) for line in p.split("\n") if line.strip()]
    if len(lines) < 2:
        return paragraphs, 0
    texts = [line for _, line in lines]
    probs = model.keep_probabilities(block_features(texts, title, page_type, html, links))
    gone = [p < min_keep for p in probs]
    if not any(gone):
        return paragraphs, 0
    words = [count_words(t) for t in texts]
    kept_words = sum(w for w, g in zip(words, gone, strict=True) if not g)
    if kept_words < min_share * sum(words):
        return paragraphs, 0
    out: list[list[str]] = [[] for _ in paragraphs]
    for (i, line), g in zip(lines, gone, strict=True):
        if not g:
            out[i].append(line)
    return ["\n".join(p) for p in out if p], sum(gone)


class BlockFilterStep(Step):
    """Remove the lines of the body that the block model scores as boilerplate."""

    name = "block_filter"
    section = "clean"
    # a body taken from HTML: the page's link labels are its strongest evidence
    applies_to = frozenset({"html"})
    reads = frozenset({"text", "title", "page_type", "link_text"})
    writes = frozenset({"text"})

    kind = "html"

    def __init__(self, config: PipelineConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.settings
        self._min_keep = (
            cfg.block_filter_min_keep if self.kind == "html" else cfg.block_filter_text_min_keep
        )
        self._model = shipped_model(self.kind) if self._min_keep > 0 else None
        # a dump has no page type of its own (every one is typed article): its step takes all
        self._types = (
            {t.strip() for t in cfg.block_filter_page_types.split(",")}
            if self.kind == "html"
            else None
        )

    def apply(self, doc: Article) -> Drop | None:
        if self._model is None or not doc.text:
            return None
        if self._types is not None and doc.page_type not in self._types:
            return None
        cfg = self.settings
        kept, removed = filter_lines(
            doc.paragraphs,
            doc.title,
            doc.page_type,
            self.kind == "html",
            doc.markup.link_text if self.kind == "html" else None,
            self._model,
            self._min_keep,
            cfg.block_filter_min_share,
        )
        if removed:
            doc.set_paragraphs(kept)
            doc.note("boilerplate_line_removed", removed)
        return None


class TextBlockFilterStep(BlockFilterStep):
    """The same on a plain-text document (a scraper's dump): its own model, trained on dumps,
    without link labels, on every dump whatever `clean.block_filter_page_types` says (a dump
    has no page type of its own)."""

    name = "text_block_filter"
    applies_to = frozenset({"text"})
    reads = frozenset({"text", "title", "page_type"})
    kind = "text"
