"""Train the page-type model on the WCXB dev pages and write transforms/pagetype/pagetype_model.json.

    python -m benchmarks.train_pagetype [--data ../shared/data/wcxb-dev] [--folds 5]
    make -o .venv/.installed train-pagetype

Each page is featurised twice, as fetched and with its `<script>` elements stripped (as many
scrapers store pages: no JSON-LD then), and the model is trained on both forms, so it holds up
on either. Scores are cross-validated by page (both forms of a page in the same fold: no page
is scored by a model trained on it). The routing threshold is the lowest probability at which
real articles (100+ words of truth) still stay in `articles` at `ARTICLE_RECALL` on both forms,
pages quarantined as never-content counted as lost; it is written into the model's meta and is
`pagetype.route_min_confidence`'s default (a test keeps them equal). The file records the
training command, the data hash, the parameters and the cross-validated scores.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from benchmarks.train_words import WORD_PARAMS, fit_words, word_features
from benchmarks.wcxb import DEFAULT_DATA, load_page, page_ids
from transforms.core.config.sections import PageTypeSettings
from transforms.core.record import Article, Markup
from transforms.core.schema import ARTICLE_PAGE_TYPES
from transforms.core.trees import compact_tree
from transforms.pagetype.classify import classify
from transforms.pagetype.features import body_features
from transforms.pagetype.model import MODEL_FILE, PageTypeModel
from transforms.pagetype.steps import ClassifyPageStep
from transforms.pipeline import build_steps

ARTICLE_RECALL = 0.99  # real articles kept in `articles`, on whole and script-stripped pages
# the points of the trade-off curve reported beside the chosen one (real articles kept)
CURVE_RECALLS = (0.99, 0.98, 0.97, 0.95, 0.9)
MIN_TRUTH_WORDS = 100  # a "real article": an article page with this many words of truth
PARAMS = {
    "objective": "multiclass",
    "n_estimators": 120,
    "learning_rate": 0.08,
    "num_leaves": 15,
    "min_child_samples": 8,
    "subsample": 0.9,
    "subsample_freq": 1,
    "colsample_bytree": 0.7,
    "reg_lambda": 1.0,
    "class_weight": "balanced",  # 793 articles beside 91-165 of each other type
    "verbose": -1,
    "random_state": 0,
    "n_jobs": 1,
}
# the word model's share of the type chooser's blend (`transforms.pagetype.classify.choose_type`):
# measured out-of-fold over three fold seeds, docs/page_types.md
CHOOSER_WEIGHT = 0.5
FORMS = ("whole", "stripped")
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.I | re.S)


def strip_scripts(html: str) -> str:
    """The page as a scraper that drops `<script>` elements stores it."""
    return _SCRIPT.sub("", html)


@dataclass(slots=True)
class Sample:
    """One page in one form: its features, its label, and the reason a step dropped it."""

    file_id: str
    form: str
    label: str
    truth_words: int
    features: dict[str, float]
    never: str | None
    url: str | None = None
    words: dict[str, set[str]] | None = None  # the word model's parts, the body's included


def featurise(html: str, url: str | None, steps: list) -> tuple[dict, dict | None, str | None]:
    """The page-type features of a page as the flow computes them (its steps up to the body),
    the words of its parts (the body's included), and the reason a step dropped it (the
    never-content reasons among them), or None."""
    doc = Article("dev", "dev.html", "html", "html", url=url, markup=Markup(raw=html.encode()))
    for step in steps:
        drop = step.apply(doc)
        if drop is not None:
            return {}, None, drop.reason
    features = doc.markup.page_features or {}
    features.update(body_features(doc.text, features.get("words", 0.0)))
    texts = doc.markup.page_words
    return features, texts.parts(doc.text) if texts is not None else None, None


def feature_steps() -> list:
    """The flow's steps up to the extracted body, without the decision itself."""
    steps = []
    for step in build_steps():
        if isinstance(step, ClassifyPageStep):
            return steps
        steps.append(step)
    raise RuntimeError("no ClassifyPageStep in transforms.pipeline.build_steps")


def dev_samples(data: Path, limit: int | None = None) -> list[Sample]:
    """Both forms of every dev page (ids in order)."""
    steps = feature_steps()
    out = []
    for file_id in page_ids(data)[:limit]:
        page = load_page(data, file_id)
        words = len(page.main_content.split())
        for form in FORMS:
            html = page.html if form == "whole" else strip_scripts(page.html)
            features, parts, never = featurise(html, page.url, steps)
            out.append(
                Sample(file_id, form, page.page_type, words, features, never, page.url, parts)
            )
    return out


def data_hash(data: Path) -> str:
    """sha256 over the dev pages' bytes and labels, in id order."""
    h = hashlib.sha256()
    for file_id in page_ids(data):
        h.update((data / "html" / f"{file_id}.html.gz").read_bytes())
        h.update((data / "ground-truth" / f"{file_id}.json").read_bytes())
    return h.hexdigest()


def matrix(samples: list[Sample], names: list[str]) -> list[list[float]]:
    return [[s.features.get(n, 0.0) for n in names] for s in samples]


def folds_of(samples: list[Sample], folds: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """(train, test) sample indices of each fold: stratified by label, both forms of a page in
    one fold."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = [s.label for s in samples]
    groups = [s.file_id for s in samples]
    split = StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(y, y, groups)
    return [(list(train), list(test)) for train, test in split]


class Scored(NamedTuple):
    """A sample's out-of-fold probabilities: the trees', and the type chooser's word model's
    (None without one)."""

    probs: dict[str, float]
    words: dict[str, float] | None = None
    weight: float = 0.0  # the chooser's blend weight


def out_of_fold(
    samples: list[Sample], folds: int, seed: int = 0, words: bool = False, chooser: bool = True
) -> list[Scored]:
    """Each sample's class probabilities from the model of the fold it was left out of (both
    forms of a page in one fold; its word models too), computed by the shipped inference
    (`PageTypeModel`, `WordModel`)."""
    out: list[Scored] = [Scored({}) for _ in samples]
    for train, test in folds_of(samples, folds, seed):
        model = fit([samples[i] for i in train], seed, words, chooser)
        for i in test:
            s = samples[i]
            if s.features:
                probs = model.probabilities(shipped_features(s, model))
                typed = model.chooser.probabilities(s.words) if model.chooser and s.words else None
                out[i] = Scored(probs, typed, model.chooser_weight)
    return out


def shipped_features(sample: Sample, model: PageTypeModel) -> dict[str, float]:
    """The sample's features with the word model's probabilities, as the flow computes them."""
    if model.words is None or sample.words is None:
        return sample.features
    return {**sample.features, **model.words.features(sample.words)}


def feature_names(samples: list[Sample]) -> list[str]:
    return sorted(next(s.features for s in samples if s.features))


class _Fixed:
    """A stand-in model (and type chooser) that answers with given probabilities."""

    def __init__(
        self, probs: dict[str, float], weight: float = 0.0, chooser: _Fixed | None = None
    ) -> None:
        self.probs = probs
        self.chooser = chooser
        self.chooser_weight = weight

    def probabilities(self, _features: object) -> dict[str, float]:
        return self.probs


def decide(sample: Sample, scored: Scored, threshold: float) -> str:
    """The type the flow gives the sample at `threshold` (`transforms.pagetype.classify` on
    these probabilities), or "dropped" when a step dropped it."""
    if not sample.features:
        return "dropped"
    settings = PageTypeSettings(route_min_confidence=threshold)
    chooser = _Fixed(scored.words) if scored.words is not None else None
    model = _Fixed(scored.probs, scored.weight, chooser)
    words = (lambda: {}) if chooser is not None else None  # the chooser's answer is fixed
    kind = classify(sample.features, model, settings, sample.url, words)  # type: ignore[arg-type]
    return kind.page_type


def scores(samples, probs, threshold: float, form: str) -> dict[str, float]:
    """Seven-type accuracy (of the pages no step dropped), real-article recall and the
    non-article share of `articles` on `form` (a dropped page is not in `articles`)."""
    picked = [(s, p) for s, p in zip(samples, probs, strict=True) if s.form == form]
    typed = [(s, decide(s, p, threshold)) for s, p in picked]
    judged = [(s, t) for s, t in typed if t != "dropped"]
    accuracy = sum(t == s.label for s, t in judged) / max(len(judged), 1)
    real = [(s, t) for s, t in typed if s.label == "article" and s.truth_words >= MIN_TRUTH_WORDS]
    kept = sum(t in ARTICLE_PAGE_TYPES for _, t in real)
    published = [(s, t) for s, t in typed if t in ARTICLE_PAGE_TYPES]
    others = sum(s.label != "article" for s, _ in published)
    return {
        "accuracy": round(accuracy, 4),
        "article_recall": round(kept / len(real), 4) if real else 1.0,
        "non_article_share": round(others / len(published), 4) if published else 0.0,
    }


# hundredths, then thousandths above 0.99 (stacked word probabilities make the tail sharp)
THRESHOLDS = (*(s / 100 for s in range(5, 99)), *(s / 1000 for s in range(990, 1000)))


def choose_threshold(samples, probs, recall: float = ARTICLE_RECALL) -> float:
    """The lowest threshold at which both forms keep `recall` of the real articles."""
    for threshold in THRESHOLDS:
        if all(scores(samples, probs, threshold, f)["article_recall"] >= recall for f in FORMS):
            return threshold
    return 0.999


def tradeoff(samples, probs) -> list[dict]:
    """The routing's trade-off curve, out-of-fold: for each share of real articles to keep
    (CURVE_RECALLS), the threshold that keeps it on both forms and the scores there (the
    non-article share of `articles` against the real articles kept)."""
    curve = []
    for recall in CURVE_RECALLS:
        threshold = choose_threshold(samples, probs, recall)
        point = {"recall": recall, "threshold": threshold}
        curve.append(point | {f: scores(samples, probs, threshold, f) for f in FORMS})
    return curve


def curve_lines(curve: list[dict]) -> list[str]:
    """The curve as text: one line per point."""
    lines = ["  keep   threshold  whole: kept / non-articles / accuracy   stripped: the same"]
    for p in curve:
        cells = "   ".join(
            f"{p[f]['article_recall']:.1%} / {p[f]['non_article_share']:.1%} / "
            f"{p[f]['accuracy']:.3f}"
            for f in FORMS
        )
        lines.append(f"  {p['recall']:.0%}    {p['threshold']:<9}  {cells}")
    return lines


def fit(
    samples: list[Sample], seed: int = 0, words: bool = False, chooser: bool = True
) -> PageTypeModel:
    """A model trained on the samples that have features, in the shipped form. With `chooser`,
    also the type chooser's word model on all of them (`transforms.pagetype.classify.
    choose_type`: it types the pages routed out of `articles`, the routing is the trees').
    With `words`, the trees are stacked on the word model instead: trained on their features
    and their out-of-fold word probabilities (each from a word model trained without the page:
    `word_features`; an experiment, docs/page_types.md)."""
    import lightgbm
    import numpy as np
    from lightgbm import LGBMClassifier

    usable = [s for s in samples if s.features]
    stacked = usable
    if words:
        stacked = [
            Sample(s.file_id, s.form, s.label, s.truth_words, {**s.features, **w}, None, s.url)
            for s, w in zip(usable, word_features(usable, seed), strict=True)
        ]
    names = feature_names(stacked)
    model = LGBMClassifier(**PARAMS).fit(
        np.array(matrix(stacked, names)), np.array([s.label for s in stacked])
    )
    dump = model.booster_.dump_model()
    trees = tuple(compact_tree(t["tree_structure"]) for t in dump["tree_info"])
    meta = {"lightgbm": lightgbm.__version__}
    word_model = fit_words(usable) if words or chooser else None
    classes = tuple(str(c) for c in model.classes_)
    if words:
        return PageTypeModel(classes, tuple(names), trees, meta, word_model)
    weight = CHOOSER_WEIGHT if chooser else 0.0
    return PageTypeModel(classes, tuple(names), trees, meta, None, word_model, weight)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="first N pages (a quick try)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument(
        "--words",
        action="store_true",
        help="stack the word model's probabilities (docs/page_types.md: not shipped yet)",
    )
    parser.add_argument(
        "--no-chooser",
        action="store_true",
        help="type routed-out pages by the trees alone (no word model: the previous model)",
    )
    parser.add_argument("--seed", type=int, default=0, help="the folds' seed")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no dev data at {args.data}: nothing to train on", file=sys.stderr)
        return 1
    t0 = time.time()
    samples = dev_samples(args.data, args.limit)
    print(f"{len(samples)} samples featurised in {time.time() - t0:.0f} s", flush=True)
    chooser = not (args.words or args.no_chooser)
    probs = out_of_fold(samples, args.folds, args.seed, args.words, chooser)
    threshold = choose_threshold(samples, probs)
    cv = {f: scores(samples, probs, threshold, f) for f in FORMS}
    curve = tradeoff(samples, probs)
    model = fit(samples, args.seed, args.words, chooser)
    model.meta.update(
        {
            "command": "python -m benchmarks.train_pagetype"
            + " --words" * args.words
            + " --no-chooser" * args.no_chooser,
            "data": "wcxb-dev",
            "data_hash": data_hash(args.data),
            "pages": len(samples) // len(FORMS),
            "forms": list(FORMS),
            "params": PARAMS,
            "word_params": WORD_PARAMS if args.words or chooser else None,
            "chooser_weight": model.chooser_weight,
            "cv_folds": args.folds,
            "cv_seed": args.seed,
            "route_min_confidence": threshold,
            "cv_scores": cv,
            "cv_curve": curve,
            "trained_at": time.strftime("%Y-%m-%d", time.gmtime()),
        }
    )
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"threshold {threshold}; cross-validated: {cv}")
    print("trade-off curve (out-of-fold):", *curve_lines(curve), sep="\n")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, {len(model.trees)} trees)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
