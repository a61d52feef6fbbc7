"""Can a learned chooser among a page's title candidates beat the rule-based headline choice?

    python -m benchmarks.title_chooser [--data ../shared/data/wcxb-dev] [--folds 5]

Each WCXB dev article page is read as the pipeline reads it (decode, parse, html_metadata), its
title candidates are collected with features of their own and of their agreement
(`benchmarks.title_candidates`), and a candidate is labelled right when it equals the truth's
title (`norm_title`). A logistic regression scores candidates; a page takes its best-scored one.

Scores are cross-validated by page: each page's title is chosen by a model trained on the other
folds (no page is scored by a model trained on it), beside the rule's choice on the same pages
and the share of pages whose truth is among the candidates (the ceiling). It is an experiment,
not a shipped model: docs/metadata.md gives its figures and why the pipeline keeps the rule.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

from benchmarks.title_candidates import candidate_features
from benchmarks.wcxb import DEFAULT_DATA, iter_pages
from transforms.metadata.titles import norm_title, squash

PARAMS = {"C": 1.0, "max_iter": 2000, "class_weight": None}


def _page_rows(data: Path) -> list[dict]:
    """Per article page: its candidates' texts, features and whether each is the truth."""
    from transforms.core.config import PipelineConfig
    from transforms.html.extract import ParseHtmlStep
    from transforms.metadata.headline import choose_title
    from transforms.metadata.html_evidence import collect_evidence
    from transforms.metadata.site import site_and_host
    from transforms.metadata.steps import HtmlMetadataStep
    from transforms.metadata.urls import host_of
    from transforms.text.decode import DecodeStep

    config = PipelineConfig()
    steps = [DecodeStep(config), ParseHtmlStep(config), HtmlMetadataStep(config)]
    rows = []
    for page in iter_pages(data, page_type="article"):
        if not page.title:
            continue
        doc = page.as_article()
        # the steps one by one: `run_steps` releases the tree the candidates are read from
        if any(step.apply(doc) is not None for step in steps) or doc.markup.tree is None:
            continue
        tree = doc.markup.tree
        ev = collect_evidence(tree)
        site = site_and_host(ev, doc.url)
        rule = choose_title(ev, doc.url, site)
        body = tree.find("body")
        visible = squash(body.text_content()) if body is not None else ""
        cands, feats = candidate_features(ev, doc.url, site, rule, visible)
        truth = norm_title(page.title)
        rows.append(
            {
                "id": page.file_id,
                "site": host_of(doc.url) or page.file_id,
                "texts": [c.text for c in cands],
                "feats": feats,
                "right": [norm_title(c.text) == truth for c in cands],
                "rule_ok": norm_title(rule) == truth,
            }
        )
    return rows


def _training(rows: list[dict], names: list[str]) -> tuple[list, list, list[int]]:
    """Candidates of the pages where choosing matters (several, the truth among them)."""
    x, y, groups = [], [], []
    for r in rows:
        if len(r["feats"]) > 1 and any(r["right"]):
            groups.append(len(r["feats"]))
            for f, ok in zip(r["feats"], r["right"], strict=True):
                x.append([f[n] for n in names])
                y.append(int(ok))
    return x, y, groups


def _fit(rows: list[dict], names: list[str]) -> tuple[list[float], float]:
    from sklearn.linear_model import LogisticRegression

    x, y, _ = _training(rows, names)
    model = LogisticRegression(**PARAMS).fit(x, y)
    return [float(w) for w in model.coef_[0]], float(model.intercept_[0])


def _ranker_ok(train: list[dict], test: list[dict], names: list[str]) -> int:
    """Pages of `test` a LightGBM lambdarank model trained on `train` gets right."""
    import lightgbm

    x, y, groups = _training(train, names)
    model = lightgbm.LGBMRanker(
        n_estimators=200, learning_rate=0.05, num_leaves=7, min_child_samples=10, verbose=-1
    ).fit(x, y, group=groups)
    ok = 0
    for r in test:
        if r["feats"]:
            scores = model.predict([[f[n] for n in names] for f in r["feats"]])
            ok += r["right"][max(range(len(scores)), key=lambda i: (scores[i], -i))]
    return ok


def best_index(
    feats: list[dict[str, float]], names: list[str], weights: list[float], margin: float = 0.0
) -> int:
    """Index of the best-scored candidate (the first on a tie: the rule's choice is first);
    with `margin`, another candidate only when it outscores the rule's by more than that."""
    scores = [sum(w * f.get(n, 0.0) for n, w in zip(names, weights, strict=True)) for f in feats]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best if scores[best] - scores[0] > margin else 0


def _choice_ok(r: dict, names: list[str], weights: list[float], margin: float = 0.0) -> bool:
    return r["right"][best_index(r["feats"], names, weights, margin)] if r["feats"] else False


# the margins by which a candidate must outscore the rule's choice to replace it (the chooser
# leaving the rule only when it is sure); printed for each, chosen after the fact
MARGINS = (0.5, 1.0, 2.0)


def _disagreements(rows: list[dict]) -> dict[str, int]:
    """Pages where og:title or `<title>` states another title than the rule's choice, and which
    side the truth takes there."""
    out = {"rule_vs_meta_differ": 0, "truth_rule_side": 0, "truth_meta_side": 0}
    for r in rows:
        meta = [
            i
            for i, f in enumerate(r["feats"])
            if (f["src_og"] or f["src_title"]) and not f["src_rule"]
        ]
        if meta:
            out["rule_vs_meta_differ"] += 1
            out["truth_rule_side"] += r["right"][0]
            out["truth_meta_side"] += any(r["right"][i] for i in meta)
    return out


_DASH = re.compile(r"\s+[-–—]\s+")


def _patterns(rows: list[dict]) -> dict[str, list[int]]:
    """Three general patterns read on the misses: on the pages each covers, [rule's choice
    right, the pattern's alternative right] (a pattern worth a rule would have one side)."""
    out = {"dash_whole_vs_first": [0, 0], "h1_form_vs_punct": [0, 0], "short_h1_vs_meta": [0, 0]}

    def count(name: str, r: dict, alt: list[int]) -> None:
        if alt:
            out[name][0] += r["rule_ok"]
            out[name][1] += any(r["right"][i] for i in alt)

    for r in rows:
        if not r["texts"]:
            continue
        rule, feats = r["texts"][0], r["feats"]
        keys = [norm_title(t) for t in r["texts"]]
        if _DASH.search(rule):  # "Headline – more words": the whole, or the part before
            first = norm_title(_DASH.split(rule)[0])
            count("dash_whole_vs_first", r, [i for i, k in enumerate(keys) if k == first])
        # the same words with other punctuation than the rule's choice
        same = [i for i in range(1, len(keys)) if squash(r["texts"][i]) == squash(rule)]
        count("h1_form_vs_punct", r, same)
        if feats[0]["src_h1"] and len(rule.split()) <= 4:  # a short h1, a title stated twice
            two = [
                i
                for i, f in enumerate(feats)
                if i and f["meta_sources"] >= 2 and not f["inside_other"]
            ]
            best = [max(two, key=lambda i: feats[i]["meta_sources"])] if two else []
            count("short_h1_vs_meta", r, best)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth").is_dir():
        print(f"skipped: {args.data} not found")
        return 0
    t0 = time.perf_counter()
    rows = _page_rows(args.data)
    names = sorted(rows[0]["feats"][0]) if rows[0]["feats"] else []
    digest = hashlib.sha256()
    for r in rows:
        digest.update(json.dumps([r["id"], r["texts"], r["right"]]).encode())
    # folds by the hash of the page's site (its host): stable across runs, and no site's pages
    # both train the model and are scored by it (a template learned is not a rule learned)
    fold = {
        r["id"]: int(hashlib.sha1(r["site"].encode()).hexdigest(), 16) % args.folds for r in rows
    }
    oof_ok = rank_ok = 0
    margin_ok = dict.fromkeys(MARGINS, 0)
    per_fold, rule_fold = [], []
    for k in range(args.folds):
        train = [r for r in rows if fold[r["id"]] != k]
        test = [r for r in rows if fold[r["id"]] == k]
        w, _ = _fit(train, names)
        ok = sum(_choice_ok(r, names, w) for r in test)
        oof_ok += ok
        for m in MARGINS:
            margin_ok[m] += sum(_choice_ok(r, names, w, m) for r in test)
        rank_ok += _ranker_ok(train, test, names)
        per_fold.append(round(ok / max(1, len(test)), 3))
        rule_fold.append(round(sum(r["rule_ok"] for r in test) / max(1, len(test)), 3))
    weights, _ = _fit(rows, names)
    n = len(rows)
    scores = {
        "pages": n,
        "data_sha256": digest.hexdigest()[:16],
        "chooser_cv": round(oof_ok / n, 3),
        "chooser_cv_per_fold": per_fold,
        "ranker_cv": round(rank_ok / n, 3),
        "chooser_cv_by_margin": {m: round(v / n, 3) for m, v in margin_ok.items()},
        "rule": round(sum(r["rule_ok"] for r in rows) / n, 3),
        "rule_per_fold": rule_fold,
        "sites": len({r["site"] for r in rows}),
        "truth_among_candidates": round(sum(any(r["right"]) for r in rows) / n, 3),
        "chooser_in_sample": round(sum(_choice_ok(r, names, weights) for r in rows) / n, 3),
        **_disagreements(rows),
        **_patterns(rows),
    }
    print(json.dumps(scores), f"({time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
