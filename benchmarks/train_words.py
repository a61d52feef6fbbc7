"""Train the page-type word model (`transforms.pagetype.words.WordModel`) for `train_pagetype`.

A multinomial logistic regression (scikit-learn, at training time only) over each part's words
as a binary bag normalised to unit length per part, the words kept per part those found on
`min_pages` training pages or more (the `top` most frequent). Its probabilities are features of
the tree model; `word_features` gives them out-of-fold (`inner_folds`, both forms of a page in
one fold), so that the trees learn how far to trust the word model on pages it has not seen.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from transforms.pagetype.words import PARTS, WordModel

WORD_PARAMS = {
    "C": 10.0,  # measured: 1.0 under-fits (0.64 accuracy alone), 10 and 50 alike (0.86-0.87)
    "min_pages": 5,
    "top": 3000,
    "inner_folds": 3,
    "class_weight": "balanced",
    "max_iter": 300,
    "tol": 1e-3,
    "decimals": 4,
}


def _vocabulary(samples: list[Any]) -> dict[str, list[str]]:
    vocab = {}
    for part in PARTS:
        pages = Counter(w for s in samples for w in s.words.get(part, ()))
        vocab[part] = sorted(
            w for w, n in pages.most_common(WORD_PARAMS["top"]) if n >= WORD_PARAMS["min_pages"]
        )
    return vocab


def _matrix(samples: list[Any], vocab: dict[str, list[str]]) -> Any:
    """Binary bags of words, each part normalised to unit length (as `WordModel.score`)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    offset = 0
    for part in PARTS:
        index = {w: j for j, w in enumerate(vocab[part])}
        for i, s in enumerate(samples):
            hits = [index[w] for w in s.words.get(part, ()) if w in index]
            if hits:
                rows += [i] * len(hits)
                cols += [offset + j for j in hits]
                values += [1.0 / math.sqrt(len(hits))] * len(hits)
        offset += len(index)
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(samples), offset))


def fit_words(samples: list[Any]) -> WordModel:
    """The word model trained on `samples` (each with `.words` and `.label`)."""
    from sklearn.linear_model import LogisticRegression

    vocab = _vocabulary(samples)
    p = WORD_PARAMS
    model = LogisticRegression(
        C=p["C"], class_weight=p["class_weight"], max_iter=p["max_iter"], tol=p["tol"]
    ).fit(_matrix(samples, vocab), [s.label for s in samples])
    digits = int(p["decimals"])
    coef = model.coef_.T  # one row per word, one column per class
    weights, row = {}, 0
    for part in PARTS:
        weights[part] = {}
        for word in vocab[part]:
            weights[part][word] = tuple(round(float(v), digits) for v in coef[row])
            row += 1
    bias = tuple(round(float(v), digits) for v in model.intercept_)
    return WordModel(tuple(str(c) for c in model.classes_), bias, weights)


def word_features(samples: list[Any], seed: int) -> list[dict[str, float]]:
    """Each sample's word-model probabilities from a word model trained without its page."""
    from benchmarks.train_pagetype import folds_of

    out: list[dict[str, float]] = [{} for _ in samples]
    for train, test in folds_of(samples, int(WORD_PARAMS["inner_folds"]), seed + 100):
        model = fit_words([samples[i] for i in train])
        for i in test:
            out[i] = model.features(samples[i].words)
    return out
