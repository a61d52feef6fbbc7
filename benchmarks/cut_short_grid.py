"""How the article pages' second opinion was chosen: the headroom, a grid and its cross-validation.

Reads the per-page rows of `python -m benchmarks.eval --page-type article --save rows.jsonl`
(the project's final bodies, the cut-short second opinion off: `--set
html.second_opinion_cut_share=0`), asks resiliparse and readability-lxml on every article page
and prints:
- each extractor's mean word F1 and the oracle of the project's body or another's (the
  headroom a perfect chooser would have);
- the grid over the `cut_short` rule's settings (`transforms.html.second_opinion`): the body's
  share of the page, resiliparse's gain and containment, readability's vote, in-sample;
- the same rule's settings chosen on four fifths of the pages and scored on the fifth (5-fold,
  five shuffles): what it gives on pages it was not chosen on.

The figures estimate the rule on the final bodies; `make eval` measures it in the steps.

    python -m benchmarks.cut_short_grid rows.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from pathlib import Path
from statistics import mean

from benchmarks.metrics import word_prf
from benchmarks.wcxb import DEFAULT_DATA, load_page

SHARES = (0.2, 0.3, 0.4, 0.5, 1.01)
GAINS = (1.2, 1.3, 1.5, 2.0)
CONTAINMENTS = (0.8, 0.9, 0.95)
VOTES = (0.0, 1.2, 1.5, 1.7, 2.0)  # 0: resiliparse alone


def page_rows(rows_path: Path, data: Path) -> list[dict]:
    """Per article page: F1 of each body, words, containment, share of the page, CPU."""
    from lxml import etree

    from transforms.core.words import count_words
    from transforms.html.extract import _CODE_TAGS, _containment, page_text_chars, parse_html
    from transforms.html.second_opinion import readability_body, resiliparse_body

    out = []
    for line in rows_path.read_text(encoding="utf-8").splitlines():
        saved = json.loads(line)
        if saved["page_type"] != "article":
            continue
        page = load_page(data, saved["file_id"])
        tree = parse_html(page.html)
        if tree is None:
            continue
        etree.strip_elements(tree, *_CODE_TAGS, with_tail=False)
        ours = saved["proj_body"]
        t0 = time.process_time()
        wider = resiliparse_body(page.html)
        t1 = time.process_time()
        vote = readability_body(page.html)
        t2 = time.process_time()
        out.append(
            {
                "f_ours": saved["proj_f1"],
                "f_traf": saved["traf_f1"],
                "f_res": word_prf(wider, page.main_content)[2],
                "f_read": word_prf(vote, page.main_content)[2],
                "n_ours": max(count_words(ours), 1),
                "n_res": count_words(wider),
                "n_read": count_words(vote),
                "held": _containment(ours, wider),
                "share": len(ours) / max(page_text_chars(tree), 1),
                "cpu_res": t1 - t0,
                "cpu_read": t2 - t1,
            }
        )
    return out


def pick(r: dict, p: tuple[float, float, float, float]) -> float:
    """The F1 of the body the rule with settings `p` keeps on page `r`."""
    share, gain, held, vote = p
    if (
        r["share"] < share
        and r["n_res"] > gain * r["n_ours"]
        and r["held"] >= held
        and r["n_read"] > vote * r["n_ours"]
    ):
        return r["f_res"]
    return r["f_ours"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=Path, help="benchmarks.eval --save output")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    rows = page_rows(args.rows, args.data)
    n = len(rows)
    print(f"{n} article pages")
    for name in ("ours", "traf", "res", "read"):
        print(f"  {name:<5} word_f1 {mean(r[f'f_{name}'] for r in rows):.4f}")
    for name in ("traf", "res", "read"):
        print(f"  oracle ours|{name} {mean(max(r['f_ours'], r[f'f_{name}']) for r in rows):.4f}")
    print(
        f"  cpu ms/page asked: resiliparse {1000 * mean(r['cpu_res'] for r in rows):.1f}, "
        f"readability {1000 * mean(r['cpu_read'] for r in rows):.1f}"
    )
    grid = list(itertools.product(SHARES, GAINS, CONTAINMENTS, VOTES))

    def score(sel: list[dict], p: tuple[float, float, float, float]) -> float:
        return mean(pick(r, p) for r in sel)

    ranked = sorted(((score(rows, p), p) for p in grid), reverse=True)
    print("in-sample best (share, gain, containment, vote): F1, pages taken")
    for s, p in ranked[:10]:
        print(f"  {p} {s:.4f} {sum(pick(r, p) != r['f_ours'] for r in rows)}")
    folds_scores = []
    for seed in range(5):
        order = list(range(n))
        random.Random(seed).shuffle(order)
        folds = [order[k::5] for k in range(5)]
        total = 0.0
        for k in range(5):
            train = [rows[i] for j in range(5) if j != k for i in folds[j]]
            best = max(grid, key=lambda p: score(train, p))
            total += sum(pick(rows[i], best) for i in folds[k])
        folds_scores.append(total / n)
    print(
        f"5-fold (settings chosen without the scored pages): "
        f"{' '.join(f'{s:.4f}' for s in folds_scores)}; mean {mean(folds_scores):.4f} "
        f"vs {mean(r['f_ours'] for r in rows):.4f} without"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
