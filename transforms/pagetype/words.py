"""The page's words as evidence: a small linear model over the words of its parts.

The tree features say how a page is laid out; the words say what it is about and what it asks
of the reader ("add to cart", "reply", "parameters", "pricing", "read more"). A linear model
over the words of each part of the page (the URL path, the `<title>` and `<h1>`, the link
texts, the visible text, the extracted body) gives a probability per page type, and those
probabilities choose the type of a page routed out of `articles` together with the tree
model's (`transforms.pagetype.classify.choose_type`), or, in an experiment not shipped, are
features of the tree model (`transforms.pagetype.model`), trained out-of-fold
(`benchmarks.train_pagetype`: no page's word probabilities come from a word model trained on
it), so the tree model learns how far to trust them.

Each part's words are a set (a word counts once) and its score is scaled by one over the square
root of the number of known words found (a binary bag of words normalised to unit length), so
a long page does not outvote its URL. Inference is a dictionary look-up of the known words and
a numpy sum of their weights (no scikit-learn at run time). The parts' texts are kept where the
tree is read (`transforms.pagetype.steps.PageTypeStep`) and tokenised, with the body's, only
when a model reads them: the type chooser reads them for pages routed out of `articles`
(`transforms.pagetype.classify`), the stacked experiment (`--words`) for every page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

# the characters of a part read for its words: enough to tell a page's kind, and bounded cost
PART_CHARS = 20000
_TOKEN = re.compile(r"[^\W\d_]{2,}")  # words of two or more letters, any script
_URL_WORD = re.compile(r"[^\W\d_]{2,}")
PAGE_PARTS = ("url", "title", "links", "page")
PARTS = (*PAGE_PARTS, "body")
PREFIX = "words_"  # feature names: words_<type>, the word model's probability of the type


def tokens(text: str) -> set[str]:
    """The distinct words (two or more letters, lower case) of the first PART_CHARS characters."""
    return set(_TOKEN.findall(text[:PART_CHARS].lower()))


def page_parts(url: str | None, title: str, link_text: str, text: str) -> dict[str, set[str]]:
    """The words of the page's parts known when the tree is read (the body comes later).
    `title`: the `<title>` and `<h1>` texts; `link_text`: the anchors' texts; `text`: the
    page's visible text."""
    path = urlsplit(url or "").path
    return {
        "url": set(_URL_WORD.findall(path.lower())),
        "title": tokens(title),
        "links": tokens(link_text),
        "page": tokens(text),
    }


class PageTexts(NamedTuple):
    """The texts of the page's parts, kept as read until the words are needed (a page the
    routing keeps in `articles` never has them tokenised: the type chooser reads them only for
    pages routed out, `transforms.pagetype.classify`)."""

    url: str | None
    title: str  # the `<title>` and `<h1>` texts
    links: str  # the anchors' texts
    page: str  # the page's visible text

    def parts(self, body: str | None = None) -> dict[str, set[str]]:
        """The words of the parts (and of the extracted body under "body", when given)."""
        words = page_parts(self.url, self.title, self.links, self.page)
        if body is not None:
            words["body"] = tokens(body)
        return words


@dataclass(frozen=True, slots=True)
class WordModel:
    """Per part: each known word's weight for each class; and each class's bias."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, dict[str, tuple[float, ...]]]  # part -> word -> one weight per class
    # per part: word -> row, and the rows' weights as one array (built on first use: summing a
    # page's thousand known words' rows in numpy is several times faster than in Python)
    arrays: dict[str, tuple[dict[str, int], Any]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def score(self, part: str, words: set[str]) -> list[float]:
        """The part's contribution to each class's score."""
        vocab = self.weights.get(part)
        if not vocab:
            return [0.0] * len(self.classes)
        if part not in self.arrays:
            import numpy as np

            self.arrays[part] = (
                {w: i for i, w in enumerate(vocab)},
                np.array(list(vocab.values())),
            )
        index, matrix = self.arrays[part]
        rows = list(map(index.__getitem__, index.keys() & words))  # in C: no Python loop
        if not rows:
            return [0.0] * len(self.classes)
        return (matrix[rows].sum(axis=0) / math.sqrt(len(rows))).tolist()

    def walked_score(self, part: str, words: set[str]) -> list[float]:
        """The same sum in plain Python (the reference for `score`)."""
        vocab = self.weights.get(part)
        hits = [vocab[w] for w in words if w in vocab] if vocab else []
        if not hits:
            return [0.0] * len(self.classes)
        scale = 1.0 / math.sqrt(len(hits))
        return [sum(column) * scale for column in zip(*hits, strict=True)]

    def scores(self, parts: dict[str, set[str]]) -> list[float]:
        """Each class's score: the bias and the parts' contributions."""
        total = list(self.bias)
        for part, words in parts.items():
            for k, value in enumerate(self.score(part, words)):
                total[k] += value
        return total

    def probabilities(self, parts: dict[str, set[str]]) -> dict[str, float]:
        """Type -> probability (softmax of the scores), from the words of the page's parts (its
        extracted body's under "body")."""
        scores = self.scores(parts)
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def features(self, parts: dict[str, set[str]]) -> dict[str, float]:
        """Feature name (`words_<type>`) -> the type's probability (`probabilities`)."""
        return {PREFIX + c: p for c, p in self.probabilities(parts).items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "bias": self.bias,
            "weights": {
                part: {w: list(v) for w, v in vocab.items()} for part, vocab in self.weights.items()
            },
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> WordModel:
        weights = {
            part: {w: tuple(v) for w, v in vocab.items()} for part, vocab in raw["weights"].items()
        }
        return cls(tuple(raw["classes"]), tuple(raw["bias"]), weights)
