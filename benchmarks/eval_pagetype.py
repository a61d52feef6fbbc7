"""`make eval`'s page-type figures, cross-validated on the dev pages.

Every page is scored by a model trained without it (out-of-fold, the folds and parameters of
`benchmarks.train_pagetype`, both forms of a page in one fold), on the whole page and on the
page with its `<script>` elements stripped, at the configured `pagetype.route_min_confidence`:
the confusion matrix (rows: the page's labelled type; columns: the type given, `dropped` for a
page a step quarantined), the seven-type accuracy, real-article recall (article pages with 100+
words of truth that stay in `articles`) and the share of non-articles among the pages that would
be published in `articles`. With the eval's rows, the body word F1 per page type beside
trafilatura's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from benchmarks import train_pagetype as tp
from transforms.core.config import PipelineConfig
from transforms.pagetype.classify import ARTICLE, choose_type
from transforms.pagetype.model import shipped_model

MIN_PAGES = 200  # fewer pages cannot fill five folds of seven types


def confusion(samples, probs, threshold: float, form: str) -> str:
    """The confusion matrix of `form` as text."""
    labels = sorted({s.label for s in samples})
    given = [*labels, *sorted({"liveblog", "other", "dropped"} - set(labels))]
    counts = Counter(
        (s.label, tp.decide(s, p, threshold))
        for s, p in zip(samples, probs, strict=True)
        if s.form == form
    )
    lines = ["  truth \\ given " + " ".join(f"{g[:7]:>7}" for g in given)]
    for label in labels:
        lines.append(f"  {label:<14} " + " ".join(f"{counts[(label, g)]:>7}" for g in given))
    return "\n".join(lines)


def top_accuracy(samples, probs, form: str) -> float:
    """Seven-type accuracy at the most probable type (no article-protecting threshold: an
    article when the trees' article probability is above the chosen other type's), of the pages
    no step dropped: what the model tells apart, beside what the routing publishes."""
    judged = right = 0
    for s, scored in zip(samples, probs, strict=True):
        if s.form != form or not s.features:
            continue
        other, confidence = choose_type(scored.probs, scored.words, scored.weight)
        given = ARTICLE if scored.probs.get(ARTICLE, 0.0) >= confidence else other
        judged += 1
        right += given == s.label
    return right / max(judged, 1)


def report(
    data: Path, ids: list[str], rows: list[dict] | None = None, one_type: bool = False
) -> None:
    """Print the page-type figures for the dev pages `ids` (skipped when too few, or when they
    are of one type: `one_type`, an eval run with `--page-type`)."""
    if one_type:
        print("page types: skipped (the pages are of one type: a classifier needs all seven)")
        return
    if len(ids) < MIN_PAGES:
        print(f"page types: skipped (cross-validation needs {MIN_PAGES}+ pages, got {len(ids)})")
        return
    threshold = PipelineConfig().pagetype.route_min_confidence
    wanted = set(ids)
    samples = [s for s in tp.dev_samples(data) if s.file_id in wanted]
    model = shipped_model()
    chooser = model is not None and model.chooser is not None
    probs = tp.out_of_fold(samples, 5, chooser=chooser)
    print(
        f"\npage types, {len(ids)} pages, {tp.PARAMS['objective']} model, 5-fold out-of-fold, "
        f"route_min_confidence {threshold}, type chooser: "
        + ("trees and words" if chooser else "trees")
    )
    for form in tp.FORMS:
        s = tp.scores(samples, probs, threshold, form)
        print(f"[{form} pages]")
        print(confusion(samples, probs, threshold, form))
        print(
            f"  seven-type accuracy {s['accuracy']:.4f}; real articles (100+ words of truth) in "
            f"articles {s['article_recall']:.2%}; non-articles in articles "
            f"{s['non_article_share']:.2%}"
        )
        print(f"  accuracy at the most probable type {top_accuracy(samples, probs, form):.4f}")
    print("routing trade-off, out-of-fold (real articles kept vs non-articles in articles):")
    print("\n".join(tp.curve_lines(tp.tradeoff(samples, probs))))
    if rows:
        print_body_f1(rows)


def print_body_f1(rows: list[dict]) -> None:
    """Mean body word F1 per labelled page type: this pipeline (whole pages) and trafilatura."""
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_type[row["page_type"]].append(row)
    print("body word F1 per page type (pipeline vs trafilatura.extract):")
    for page_type, group in sorted(by_type.items()):
        proj = sum(r["proj_f1"] for r in group) / len(group)
        traf = sum(r["traf_f1"] for r in group) / len(group)
        print(f"  {page_type:<14} n={len(group):<4} pipeline {proj:.4f}  trafilatura {traf:.4f}")
