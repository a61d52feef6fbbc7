"""How the second opinion's thresholds were chosen: a grid over the dev pages, per page type.

Reads the per-page rows of `python -m benchmarks.eval --save rows.jsonl` (the project's bodies
as published, with the second opinion off), asks readability-lxml
(`transforms.html.second_opinion.readability_body`) on every page where the body is under half
of the page's text (the widest signal of the grid), and prints for each setting of
`html.second_opinion_max_share` and `html.second_opinion_gain` how often it fires and is taken,
its CPU per page (readability's, over all pages) and the mean body F1 per page type had its
body been taken (an estimate: the flow would clean it after extraction).

    python -m benchmarks.second_opinion_grid rows.jsonl [--max-link-share 0.5]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from statistics import mean

from benchmarks.metrics import word_prf
from benchmarks.wcxb import DEFAULT_DATA, load_page

SHARES = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
GAINS = (1.5, 2.0, 3.0)


def page_rows(rows_path: Path, data: Path) -> list[dict]:
    """Per page: type, the project's F1, the body's share of the page, and where under half,
    readability's F1, prose words, link share and CPU seconds."""
    from lxml import etree

    from transforms.html.extract import _CODE_TAGS, link_text, page_text_chars, parse_html
    from transforms.html.second_opinion import link_share, prose_words, readability_body

    out = []
    for line in rows_path.read_text(encoding="utf-8").splitlines():
        saved = json.loads(line)
        page = load_page(data, saved["file_id"])
        tree = parse_html(page.html)
        if tree is None:
            continue
        etree.strip_elements(tree, *_CODE_TAGS, with_tail=False)
        ours = saved["proj_body"]
        row = {
            "type": saved["page_type"],
            "f_ours": saved["proj_f1"],
            "share": len(ours) / max(page_text_chars(tree), 1),
            "prose_ours": prose_words(ours),
        }
        if row["share"] < max(SHARES):
            t0 = time.process_time()
            other = readability_body(page.html)
            row["cpu"] = time.process_time() - t0
            row["f_other"] = word_prf(other, page.main_content)[2]
            row["prose_other"] = prose_words(other)
            row["links_other"] = link_share(other, link_text(tree))
        out.append(row)
    return out


def grid(rows: list[dict], max_link_share: float) -> None:
    types = sorted({r["type"] for r in rows})
    print(f"{len(rows)} pages; link share <= {max_link_share}")
    print("share gain fired taken cpu_ms " + " ".join(f"{t:>14}" for t in types))
    print(
        " " * 31
        + " ".join(f"{mean(r['f_ours'] for r in rows if r['type'] == t):>14.4f}" for t in types)
    )
    for share in SHARES:
        for gain in GAINS:
            fired = [r for r in rows if "f_other" in r and r["share"] < share]
            taken = {
                id(r)
                for r in fired
                if r["prose_other"] > gain * r["prose_ours"] and r["links_other"] <= max_link_share
            }
            cpu = sum(r["cpu"] for r in fired) / len(rows) * 1000
            cells = [
                mean(
                    r["f_other"] if id(r) in taken else r["f_ours"] for r in rows if r["type"] == t
                )
                for t in types
            ]
            print(
                f"{share:<5} {gain:<4} {len(fired):>5} {len(taken):>5} {cpu:>6.1f} "
                + " ".join(f"{c:>14.4f}" for c in cells)
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=Path, help="benchmarks.eval --save output")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--max-link-share", type=float, default=0.5)
    args = ap.parse_args(argv)
    grid(page_rows(args.rows, args.data), args.max_link_share)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
