"""Train the learned line filter (`transforms.text.block_filter`) on the WCXB dev pages.

    python -m benchmarks.train_blocks [--data PATH] [--jobs 2] [--bodies bodies.jsonl]
                                      [--folds 5] [--min-keep 0.3] [--write]

1. Bodies: every dev page runs as an HTML page through the pipeline's steps up to the block
   filter; the body, title, page type and link labels it would receive are kept. `--bodies`
   caches them (written when absent, read when present).
2. Lines: each line of a body is a sample, labelled 1 when its text is in the ground-truth body
   (its words in the truth's word sequence, or for a line of 4+ words half its trigrams),
   weighted by its words (the page's word F1 counts words).
3. Cross-validation grouped by site (the URL's host: no site in both the training and the
   scored fold), LightGBM; the out-of-fold probabilities filter each page's body exactly as
   the step does (`filter_lines`, same guards), and the page's word F1 before and after is
   printed per path and page type for a few thresholds.
4. `--write`: the model fitted on all pages goes to `transforms/text/block_model.json` with
   this command, the data hash, the parameters and the cross-validated figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path
from statistics import mean
from urllib.parse import urlsplit

from benchmarks import metrics
from benchmarks.train_pagetype import data_hash
from benchmarks.wcxb import DEFAULT_DATA, load_page, page_ids
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.core.steps import run_steps
from transforms.core.trees import compact_tree
from transforms.pipeline import build_steps
from transforms.text.block_features import FEATURES, block_features
from transforms.text.block_filter import MODEL_FILES, BlockModel, filter_lines

PARAMS = {
    "objective": "binary",
    "n_estimators": 80,
    "learning_rate": 0.08,
    "num_leaves": 15,
    "min_child_samples": 40,
    "subsample": 0.9,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "verbose": -1,
    "random_state": 0,
    "n_jobs": 1,
}
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4)
MIN_SHARE = 0.5
WEIGHT_POWER = 0.75  # a line's weight: its words to this power (F1 counts words)
PATHS = ("html", "text")
_STEPS: list | None = None


STEP_OF = {"html": "block_filter", "text": "text_block_filter"}


def _steps(path: str) -> list:
    global _STEPS
    if _STEPS is None:
        steps = build_steps(PipelineConfig())
        _STEPS = steps[: [s.name for s in steps].index(STEP_OF[path])]
    return _STEPS


def _body(doc: Article, path: str) -> dict | None:
    seen: dict = {}

    def observe(_step: str, art: Article) -> None:  # the markup is released after the run
        seen.update(text=art.text, title=art.title, type=art.page_type, links=art.markup.link_text)

    kept, _dropped, _ = run_steps([doc], _steps(path), observe=observe)
    return seen if kept else None


def page_bodies(args: tuple[Path, str, str]) -> dict:
    """The body of one dev page on a path as the block filter would receive it: the page as
    HTML, or its naive-scraper dump (`benchmarks.eval.naive_dump`) as plain text."""
    from benchmarks.eval import naive_dump

    data, file_id, path = args
    page = load_page(data, file_id)
    if path == "html":
        doc = page.as_article()
    else:
        raw = naive_dump(page.html).encode("utf-8")
        doc = Article(f"wcxb-{file_id}-txt", f"text/{file_id}.txt", "text", "text", Markup(raw=raw))
    return {
        "file_id": file_id,
        "site": (urlsplit(page.url or "").hostname or file_id).removeprefix("www."),
        "page_type": page.page_type,
        "truth": page.main_content,
        path: _body(doc, path),
    }


def collect(data: Path, jobs: int, cache: Path | None, path: str) -> list[dict]:
    if cache is not None and cache.exists():
        return [json.loads(line) for line in cache.open(encoding="utf-8")]
    work = [(data, i, path) for i in page_ids(data)]
    if jobs > 1:
        with Pool(jobs) as pool:
            pages = list(pool.imap(page_bodies, work, chunksize=4))
    else:
        pages = [page_bodies(w) for w in work]
    if cache is not None:
        with cache.open("w", encoding="utf-8") as fh:
            for p in pages:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    return pages


def body_lines(text: str) -> list[str]:
    return [line for p in text.split("\n\n") for line in p.split("\n") if line.strip()]


def in_truth(line: str, truth_key: str, truth_grams: set[tuple[str, ...]]) -> bool:
    """Is the line's text in the ground-truth body (its words in sequence, or for a line of
    four words or more, half of its word trigrams: the truth may wrap or reorder a table's or a
    code block's lines)?"""
    toks = metrics.tokens(line)
    if not toks:
        return False
    if f" {' '.join(toks)} " in truth_key:
        return True
    if len(toks) < 4:
        return False
    grams = [tuple(toks[i : i + 3]) for i in range(len(toks) - 2)]
    return sum(g in truth_grams for g in grams) >= 0.5 * len(grams)


def samples(pages: list[dict]) -> list[dict]:
    """One entry a body (page and path): its lines' features, labels and weights."""
    out = []
    for p in pages:
        toks = metrics.tokens(p["truth"])
        key = f" {' '.join(toks)} "
        grams = {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}
        for path in PATHS:
            body = p.get(path)
            if not body:
                continue
            lines = body_lines(body["text"])
            if not lines:
                continue
            rows = block_features(lines, body["title"], body["type"], path == "html", body["links"])
            out.append(
                {
                    "file_id": p["file_id"],
                    "site": p["site"],
                    "page_type": p["page_type"],
                    "path": path,
                    "body": body,
                    "truth": p["truth"],
                    "rows": rows,
                    "labels": [int(in_truth(line, key, grams)) for line in lines],
                    "weights": [max(1, len(metrics.tokens(line))) for line in lines],
                }
            )
    return out


def fit(entries: list[dict]) -> BlockModel:
    import lightgbm

    x = [r for e in entries for r in e["rows"]]
    y = [v for e in entries for v in e["labels"]]
    w = [min(v, 200) ** WEIGHT_POWER for e in entries for v in e["weights"]]
    clf = lightgbm.LGBMClassifier(**PARAMS).fit(x, y, sample_weight=w)
    dump = clf.booster_.dump_model()
    trees = [compact_tree(t["tree_structure"]) for t in dump["tree_info"]]
    return BlockModel({"meta": {}, "features": FEATURES, "trees": trees, "base": 0.0})


def out_of_fold(entries: list[dict], folds: int) -> list[list[float]]:
    """Each line's keep probability from the model of the fold its site was left out of."""
    from sklearn.model_selection import GroupKFold

    groups = [e["site"] for e in entries]
    probs: list[list[float]] = [[] for _ in entries]
    for train, test in GroupKFold(folds).split(entries, groups=groups):
        model = fit([entries[i] for i in train])
        for i in test:
            probs[i] = model.keep_probabilities(entries[i]["rows"])
    return probs


class _Fixed:
    """A stand-in model giving `filter_lines` precomputed (out-of-fold) probabilities."""

    def __init__(self, probs: list[float]) -> None:
        self.probs = probs

    def keep_probabilities(self, _rows: list[list[float]]) -> list[float]:
        return self.probs


def scored(entries: list[dict], probs: list[list[float]], min_keep: float) -> list[dict]:
    """Per body: word F1 before and after filtering with the out-of-fold probabilities."""
    out = []
    for e, pr in zip(entries, probs, strict=True):
        body = e["body"]
        paragraphs = [p for p in body["text"].split("\n\n") if p.strip()]
        kept, _ = filter_lines(
            paragraphs, body["title"], body["type"], e["path"] == "html", body["links"], _Fixed(pr),
            min_keep, MIN_SHARE,
        )  # fmt: skip
        out.append(
            {
                "path": e["path"],
                "page_type": e["page_type"],
                "before": metrics.word_f1(body["text"], e["truth"]),
                "after": metrics.word_f1("\n\n".join(kept), e["truth"]),
            }
        )
    return out


def report(entries: list[dict], probs: list[list[float]]) -> dict:
    """Out-of-fold line AUC and per-threshold page F1 deltas, per path and page type."""
    from sklearn.metrics import roc_auc_score

    y = [v for e in entries for v in e["labels"]]
    p = [v for pr in probs for v in pr]
    result: dict = {"line_auc": round(roc_auc_score(y, p), 4), "lines": len(y), "delta": {}}
    print(f"lines {len(y)}, in truth {sum(y) / len(y):.3f}, out-of-fold AUC {result['line_auc']}")
    for t in THRESHOLDS:
        rows = scored(entries, probs, t)
        cells: dict[str, dict[str, float]] = defaultdict(dict)
        for path in PATHS:
            by_type: dict[str, list[dict]] = defaultdict(list)
            for r in rows:
                if r["path"] == path:
                    by_type[r["page_type"]].append(r)
                    by_type["all"].append(r)
            for g, sel in sorted(by_type.items()):
                cells[path][g] = round(mean(r["after"] - r["before"] for r in sel), 4)
        result["delta"][str(t)] = cells
        for path, c in cells.items():
            print(f"min_keep {t} {path:<5}" + " ".join(f"{g} {v:+.4f}" for g, v in c.items()))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bodies", type=Path, default=None, help="cache of the collected bodies")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--min-keep", type=float, default=0.3, help="the threshold to ship")
    ap.add_argument("--path", choices=("html", "text"), default="html", help="which model")
    ap.add_argument("--write", action="store_true", help="write the path's model file")
    args = ap.parse_args(argv)
    if not (args.data / "html").is_dir():
        print(f"no dev set at {args.data}: nothing to train on (skipped)")
        return 0
    entries = samples(collect(args.data, args.jobs, args.bodies, args.path))
    print(f"{len(entries)} bodies from {len({e['site'] for e in entries})} sites")
    cv = report(entries, out_of_fold(entries, args.folds))
    if args.write:
        model = fit(entries)
        raw = {
            "meta": {
                "command": f"python -m benchmarks.train_blocks --path {args.path} --write",
                "data": args.data.name,
                "data_hash": data_hash(args.data),
                "params": PARAMS,
                "weights": f"min(words, 200) ** {WEIGHT_POWER}",
                "cv": {"folds": args.folds, "groups": "site (URL host)", **cv},
                "min_keep_chosen": args.min_keep,
                "page_types": PipelineConfig().clean.block_filter_page_types,
            },
            "features": FEATURES,
            "trees": model.trees,
            "base": 0.0,
        }
        out = MODEL_FILES[args.path]
        out.write_text(json.dumps(raw, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"model written to {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
