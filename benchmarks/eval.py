"""`make eval`: the pipeline's own steps against trafilatura alone, on the WCXB dev pages.

Runs `transforms.pipeline.build_steps` through `transforms.core.steps.run_steps` (the flow's code
path) on each page as an HTML document, and beside it `trafilatura.extract` with default
settings. Then the text path: a naive-scraper dump of each page (p, h1-h3, figcaption text in
document order, one block a line) through the same steps as a plain-text document, against the
raw dump. Prints one table; see `benchmarks.metrics` for the definitions.

Then the end-to-end figures (`benchmarks.eval_flow`): the flow itself, run as `make run` runs it,
over the article pages and over their dumps, scored on what it publishes (a page that ends in
quarantine is an empty page), beside the extraction-only figures of the same pages.

    python -m benchmarks.eval [--limit N] [--data PATH] [--page-type article] [--jobs 2]
                              [--no-flow] [--min-words 100]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from multiprocessing import Pool
from pathlib import Path

from benchmarks import eval_pagetype, eval_steps, metrics
from benchmarks.eval_metadata import evaluate_metadata
from benchmarks.wcxb import DEFAULT_DATA, Page, load_page, page_ids
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.core.steps import Step, run_steps
from transforms.pipeline import build_steps

_STEPS: list[Step] | None = None


def naive_dump(html: str) -> str:
    """What a naive scraper saves: text of p, h1-h3 and figcaption elements, one block a line."""
    from transforms.html.extract import parse_html

    tree = parse_html(html)
    if tree is None:
        return ""
    wanted = {"p", "h1", "h2", "h3", "figcaption"}
    lines = []
    for el in tree.iter(*wanted):
        if any(a.tag in wanted for a in el.iterancestors()):
            continue  # a p inside a figcaption is already in the figcaption's text
        text = " ".join("".join(el.itertext()).split())
        if text:
            lines.append(text)
    return "\n".join(lines)


def _figcaptions(html: str) -> list[str]:
    from transforms.html.captions import caption_key
    from transforms.html.extract import parse_html

    tree = parse_html(html)
    if tree is None:
        return []
    keys = {caption_key("".join(f.itertext())) for f in tree.iter("figcaption")}
    return sorted(k for k in keys if len(k.split()) >= 2)


def _init(settings: dict[str, str] | None = None) -> None:
    global _STEPS
    _STEPS = build_steps(PipelineConfig().with_settings(settings or {}))


EXTRACTION_STEPS = ("parse_html", "html_captions", "extract_body")


def _run(
    doc: Article, trace: eval_steps.StepTrace | None = None
) -> tuple[str, Article, float, str | None, float]:
    """Run the steps on one document: (body, article, seconds, drop reason, extraction seconds)."""
    assert _STEPS is not None
    t0 = time.perf_counter()
    kept, dropped, stats = run_steps([doc], _STEPS, observe=trace)
    seconds = time.perf_counter() - t0
    extraction = sum(stats.seconds.get(k, 0.0) for k in EXTRACTION_STEPS)
    if kept:
        return kept[0].text, kept[0], seconds, None, extraction
    art, drop = dropped[0]
    return "", art, seconds, f"{drop.stage}:{drop.reason}", extraction


def evaluate_page(data: Path, file_id: str) -> dict:
    """All figures of one page (both systems, both paths), plus its Article for metadata."""
    import trafilatura

    from transforms.fastpaths import plain as plain_trafilatura

    if _STEPS is None:
        _init()
    page = load_page(data, file_id)
    html = page.html
    truth, w, wo = page.main_content, page.with_snippets, page.without_snippets
    row: dict = {"file_id": file_id, "page_type": page.page_type}

    with plain_trafilatura():  # the library as installed, without the pipeline's fast paths
        t0 = time.perf_counter()
        base = trafilatura.extract(html) or ""
    row.update(metrics.page_figures(base, truth, w, wo, time.perf_counter() - t0, "traf_"))
    row["traf_body"] = base

    doc = page.as_article()
    trace = eval_steps.StepTrace(_STEPS, doc.content_kind)
    body, art, seconds, drop, extraction = _run(doc, trace)
    row.update(trace.figures(truth, drop is not None, "proj_"))
    row["proj_extract_seconds"] = extraction
    row.update(metrics.page_figures(body, truth, w, wo, seconds, "proj_"))
    row["proj_drop"] = drop
    row["gt_repeats"] = metrics.repeated_paragraphs(truth) > 0

    figs = _figcaptions(html)
    # a credit-only figcaption counts as recovered when it is kept as a caption's credit
    cap_keys = [k for k in (_key(f"{c.text} {c.credit or ''}") for c in art.captions) if k]
    row["fig_total"] = len(figs)
    row["fig_found"] = sum(
        1 for f in figs if any(f in k or (k in f and len(k) > 20) for k in cap_keys)
    )
    row["captions"] = len(art.captions)
    row["captions_with_credit"] = sum(1 for c in art.captions if c.credit)

    dump = naive_dump(html)
    row.update(metrics.page_figures(dump, truth, w, wo, 0.0, "dump_"))
    row["dump_ceiling_f1"] = metrics.ceiling_f1(dump, truth)
    tdoc = Article(
        doc_id=f"wcxb-{file_id}-txt",
        source_path=f"text/{file_id}.txt",
        source_format="text",
        content_kind="text",
        markup=Markup(raw=dump.encode("utf-8")),
    )
    trace = eval_steps.StepTrace(_STEPS, tdoc.content_kind)
    tbody, _tart, tsec, tdrop, _ = _run(tdoc, trace)
    row.update(trace.figures(truth, tdrop is not None, "text_"))
    row.update(metrics.page_figures(tbody, truth, w, wo, tsec, "text_"))
    row["text_drop"] = tdrop
    row["text_body"] = tbody
    art.markup.release()
    row["article"] = art
    return row


def _key(text: str) -> str:
    from transforms.html.captions import caption_key

    return caption_key(text)


def _eval_star(args: tuple[Path, str]) -> dict:
    return evaluate_page(*args)


def _fmt(v: float) -> str:
    if isinstance(v, float):
        return "nan" if math.isnan(v) else f"{v:.4f}"
    return str(v)


def print_table(rows: list[dict]) -> None:
    """One table: the HTML path (project vs trafilatura) and the text path (project vs dump)."""
    groups = [("article", [r for r in rows if r["page_type"] == "article"]), ("all", rows)]
    names = [
        ("proj_", "project"),
        ("traf_", "trafilatura"),
        ("text_", "text:project"),
        ("dump_", "text:dump"),
    ]
    keys = [
        "pages",
        "word_f1",
        "precision",
        "recall",
        "with_found",
        "without_leaked",
        "pages_credit_left",
        "pages_repeated_par",
        "empty_bodies",
        "sec_per_page",
    ]
    for label, sel in groups:
        if not sel:
            continue
        cols = [(title, metrics.summarize(sel, p)) for p, title in names]
        print(
            f"\n== {label} pages (n={len(sel)}; ground truth itself has a repeated paragraph "
            f"on {sum(1 for r in sel if r['gt_repeats'])}) =="
        )
        print(f"{'figure':<22}" + "".join(f"{t:>14}" for t, _ in cols))
        for k in keys:
            print(f"{k:<22}" + "".join(f"{_fmt(c.get(k, float('nan'))):>14}" for _, c in cols))
        ext = sum(r["proj_extract_seconds"] for r in sel) / len(sel)
        print(
            f"{'extraction s/page':<22}{ext:>14.4f}   (parse_html + html_captions + "
            "extract_body; trafilatura's column includes its own parse)"
        )
        dropped = [r["proj_drop"] for r in sel if r["proj_drop"]]
        tdropped = [r["text_drop"] for r in sel if r["text_drop"]]
        print(f"{'docs dropped (html)':<22}{len(dropped):>14}   {_top(dropped)}")
        print(f"{'docs dropped (text)':<22}{len(tdropped):>14}   {_top(tdropped)}")
        figs = [r for r in sel if r["fig_total"]]
        tot = sum(r["fig_total"] for r in figs)
        got = sum(r["fig_found"] for r in figs)
        print(
            f"captions: {len(figs)} pages with figcaption markup, {tot} figcaptions, "
            f"{got} recovered ({got / tot if tot else float('nan'):.1%}); captions kept "
            f"{sum(r['captions'] for r in sel)}, with credit "
            f"{sum(r['captions_with_credit'] for r in sel)}"
        )


def _top(reasons: list[str]) -> str:
    from collections import Counter

    return ", ".join(f"{k} {v}" for k, v in Counter(reasons).most_common(4))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--page-type", default=None, help="only pages of this primary type")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument(
        "--save", type=Path, default=None, help="write per-page rows (bodies, notes) as JSONL"
    )
    ap.add_argument(
        "--ceiling",
        action="store_true",
        help="only the text-path ceiling: best word F1 any cleaner can reach on the naive dumps",
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting by dotted key, e.g. clean.min_words=60",
    )
    ap.add_argument("--no-flow", action="store_true", help="skip the end-to-end flow figures")
    ap.add_argument(
        "--min-words",
        type=int,
        default=100,
        help="end-to-end figures on article pages with at least this many words of truth",
    )
    args = ap.parse_args(argv)
    settings = dict(s.split("=", 1) for s in args.set)
    if not (args.data / "html").is_dir():
        print(f"no dev set at {args.data}: nothing to evaluate (skipped)")
        return 0
    ids = page_ids(args.data)
    if args.page_type:
        from benchmarks.wcxb import load_page as _lp

        ids = [i for i in ids if _lp(args.data, i).page_type == args.page_type]
    if args.limit:
        ids = ids[: args.limit]
    if args.ceiling:
        return print_ceiling(args.data, ids)
    work = [(args.data, i) for i in ids]
    t0 = time.perf_counter()
    if args.jobs > 1:
        with Pool(args.jobs, initializer=_init, initargs=(settings,)) as pool:
            rows = list(pool.imap(_eval_star, work, chunksize=4))
    else:
        _init(settings)
        rows = [_eval_star(w) for w in work]
    print(
        f"evaluated {len(rows)} pages from {args.data} in {time.perf_counter() - t0:.0f} s "
        f"(jobs={args.jobs})"
    )
    print_table(rows)
    eval_steps.print_steps(rows)
    if args.save:
        save_rows(rows, args.save)
    _metadata(args.data, rows)
    # page types, cross-validated (issue 28)
    eval_pagetype.report(args.data, ids, rows, one_type=bool(args.page_type))
    if not args.no_flow and not settings:
        _end_to_end(args.data, rows, args.jobs, args.min_words)
    return 0


def _end_to_end(data: Path, rows: list[dict], jobs: int, min_words: int) -> None:
    """The flow's published output on the article pages, beside the extraction-only figures."""
    from statistics import mean

    from benchmarks import eval_flow

    articles = [r for r in rows if r["page_type"] == "article"]
    if not articles:
        return
    figures = eval_flow.evaluate(data, [r["file_id"] for r in articles], max(jobs, 2), min_words)
    eval_flow.print_figures(figures, min_words)
    scored = {r["file_id"] for r in articles} & figures["html"]["file_ids"]
    same = [r for r in articles if r["file_id"] in scored]
    for path, prefix in (("html", "proj_"), ("text", "text_")):
        extraction = mean(r[f"{prefix}f1"] for r in same)
        flow = figures[path]["word_f1"]
        print(
            f"{path}: end-to-end word_f1 {flow:.4f} vs extraction-only {extraction:.4f} on the "
            f"same {len(same)} pages (difference {flow - extraction:+.4f})"
        )


def save_rows(rows: list[dict], path: Path) -> None:
    """Per-page rows for analysis: figures, both bodies and the project's change notes."""
    import json

    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            out = {k: v for k, v in r.items() if k != "article"}
            out["proj_body"] = r["article"].text if not r["proj_drop"] else ""
            out["changes"] = r["article"].changes
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    print(f"per-page rows written to {path}")


def print_ceiling(data: Path, ids: list[str]) -> int:
    """Mean over pages of `metrics.ceiling_f1` on the naive dumps (the text path's upper bound)."""
    from statistics import mean

    rows = []
    for i in ids:
        page = load_page(data, i)
        dump = naive_dump(page.html)
        rows.append(
            (
                page.page_type,
                metrics.ceiling_f1(dump, page.main_content),
                metrics.word_f1(dump, page.main_content),
            )
        )
    print(f"text-path ceiling on {len(rows)} pages from {data}")
    for label, sel in (
        ("article", [r for r in rows if r[0] == "article"]),
        ("all", rows),
    ):
        if sel:
            print(
                f"{label:<8} pages {len(sel):>5}  ceiling word_f1 {mean(r[1] for r in sel):.4f}"
                f"  (dump itself {mean(r[2] for r in sel):.4f})"
            )
    return 0


def _metadata(data: Path, rows: list[dict]) -> None:
    """Title/date/author figures (benchmarks/eval_metadata.py) on the same pages and Articles."""
    records = []
    for r in rows:
        p: Page = load_page(data, r["file_id"])
        truth = {"title": p.title, "author": p.author, "publish_date": p.publish_date}
        records.append((truth, r["article"]))
    result = evaluate_metadata(records)
    print("\n== metadata ==")
    for k, v in result.items():
        print(f"{k:<40}{_fmt(v) if isinstance(v, float) else v}")


if __name__ == "__main__":
    sys.exit(main())
