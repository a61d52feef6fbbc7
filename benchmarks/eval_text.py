"""The text path on naive-scraper dumps: the project's figure beside the dump and its ceiling.

`make eval` (benchmarks.eval) already runs the whole pipeline on the dumps. This helper adds the
one figure it cannot show: the *ceiling* of any line cleaner on a dump. Cleaning only removes
words; a word of the ground truth that the dump never had (list items, tables, text in divs:
the dump keeps only p, h1-h3 and figcaption) cannot come back. With perfect precision a page
scores F1 = 2R/(1+R), R being the dump's recall; the mean of that is the ceiling.

    .venv/bin/python -m benchmarks.eval_text [--limit N] [--page-type article]

runs the pipeline's own steps (transforms.pipeline.build_steps) on each page's dump and prints
dump F1, project F1 (with precision and recall) and the ceiling, without trafilatura on the
HTML side (a quick check for the text-path engineer; the figure of record is `make eval`).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from statistics import mean

from benchmarks.metrics import tokens, word_prf
from benchmarks.wcxb import DEFAULT_DATA, iter_pages


def perfect_precision_f1(dump: str, truth: str) -> float:
    """The best word F1 any line cleaner can reach on `dump`: keep every true word, no other."""
    d, t = Counter(tokens(dump)), Counter(tokens(truth))
    if not d and not t:
        return 1.0
    found = sum((d & t).values())
    recall = found / sum(t.values()) if t else 0.0
    return 2 * recall / (1 + recall) if recall else 0.0


def main(argv: list[str] | None = None) -> int:
    from benchmarks.eval import naive_dump
    from transforms.core.record import Article, Markup
    from transforms.core.steps import run_steps
    from transforms.pipeline import build_steps

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--page-type", default="article")
    args = ap.parse_args(argv)
    if not (DEFAULT_DATA / "html").is_dir():
        print(f"no dev set at {DEFAULT_DATA}: nothing to evaluate (skipped)")
        return 0
    steps = build_steps()
    dump_f1, ceiling, prf, seconds = [], [], [], 0.0
    for page in iter_pages(DEFAULT_DATA, limit=args.limit, page_type=args.page_type or None):
        dump = naive_dump(page.html)
        doc = Article(
            doc_id=page.file_id,
            source_path=f"text/{page.file_id}.txt",
            source_format="text",
            content_kind="text",
            markup=Markup(raw=dump.encode("utf-8")),
        )
        t0 = time.perf_counter()
        kept, _, _ = run_steps([doc], steps)
        seconds += time.perf_counter() - t0
        body = kept[0].text if kept else ""
        dump_f1.append(word_prf(dump, page.main_content)[2])
        ceiling.append(perfect_precision_f1(dump, page.main_content))
        prf.append(word_prf(body, page.main_content))
    n = len(prf)
    if not n:
        print("no pages")
        return 0
    print(f"text path on naive dumps, {n} pages ({args.page_type or 'all types'})")
    print(f"  dump word F1          {mean(dump_f1):.4f}")
    print(
        f"  project word F1       {mean(f for _, _, f in prf):.4f}  "
        f"(P {mean(p for p, _, _ in prf):.4f}, R {mean(r for _, r, _ in prf):.4f})"
    )
    print(f"  ceiling (perfect P)   {mean(ceiling):.4f}")
    print(f"  seconds per page      {seconds / n:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
