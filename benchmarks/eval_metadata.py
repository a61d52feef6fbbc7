"""Metadata accuracy on labelled pages, beside trafilatura's own metadata on the same pages.

`evaluate_metadata(records)` scores (ground truth, Article) pairs:
- title: exact match after case-folding, unifying quotes and collapsing whitespace;
- date: published date equal to the day (pages whose ground truth has a date), the share of
  pages left without a date, and dates given where the ground truth has none;
- authors: exact as a set of normalised names (both sides go through the same
  `transforms.metadata.authors.split_authors`, so "By", "and", commas, roles and credentials are not
  names), on pages whose ground truth names someone; and "invented": pages given an author
  though the ground truth has none.

`python -m benchmarks.eval_metadata [--limit N]` runs the pipeline's steps over the article pages
of ../shared/data/wcxb-dev (WCXB, Murrough Foley, CC-BY-4.0) and prints both columns. It skips
with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from transforms.core.record import Article
from transforms.metadata.authors import split_authors
from transforms.metadata.name_parts import normalise_name
from transforms.metadata.titles import norm_title

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wcxb-dev"


def _author_set(names: list[str] | str | None) -> set[str]:
    if not names:
        return set()
    raw = [names] if isinstance(names, str) else names
    return {normalise_name(n) for r in raw for n in split_authors(r)}


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value[:10]
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def score(
    truth: dict, title: str | None, authors: Any, day: str | None, orgs: Any = None
) -> dict[str, int]:
    """Per-page counters for one prediction (title, authors, YYYY-MM-DD) against ground truth.

    The truth labels the byline, people and organisations alike ("Reuters", "The Acme Team"):
    `authors` exact compares it with the people and the organisations credited; "invented"
    counts only people given where the truth names nobody (an organisation byline is a credit
    the page states, in its own column); `authors_people_only` is exact on people alone."""
    c = {"pages": 1}
    if truth.get("title"):
        c["title_n"] = 1
        c["title_ok"] = int(norm_title(truth["title"]) == norm_title(title))
    gt_day = (truth.get("publish_date") or "")[:10] or None
    if gt_day and len(gt_day) == 10:
        c["date_n"] = 1
        c["date_ok"] = int(day == gt_day)
    elif not gt_day:
        c["nodate_n"] = 1
        c["date_invented"] = int(day is not None)
    c["date_empty"] = int(day is None)
    gt_auth = _author_set(truth.get("author"))
    people = _author_set(authors)
    got = people | _author_set(orgs)
    if gt_auth:
        c["author_n"] = 1
        c["author_ok"] = int(gt_auth == got)
        c["author_people_ok"] = int(gt_auth == people)
    else:
        c["noauthor_n"] = 1
        c["author_invented"] = int(bool(people))
        c["author_org_given"] = int(bool(got - people))
    return c


def summarise(counts: dict[str, int]) -> dict[str, float | int]:
    """Ratios from summed counters."""

    def r(a: str, b: str) -> float:
        return round(counts.get(a, 0) / counts[b], 3) if counts.get(b) else float("nan")

    return {
        "pages": counts.get("pages", 0),
        "title": r("title_ok", "title_n"),
        "date": r("date_ok", "date_n"),
        "date_empty": r("date_empty", "pages"),
        "date_given_none_stated": r("date_invented", "nodate_n"),
        "authors": r("author_ok", "author_n"),
        "authors_people_only": r("author_people_ok", "author_n"),
        "author_invented": r("author_invented", "noauthor_n"),
        "author_invented_pages": counts.get("author_invented", 0),
        "noauthor_pages": counts.get("noauthor_n", 0),
        "organisation_given_none_stated": counts.get("author_org_given", 0),
    }


def _add(total: dict[str, int], c: dict[str, int]) -> None:
    for k, v in c.items():
        total[k] = total.get(k, 0) + v


def evaluate_metadata(records: list[tuple[dict, Article]]) -> dict:
    """Score pipeline Articles against ground-truth dicts (the `ground_truth` object or the
    whole WCXB json). Returns ratios: title, date, date_empty, authors, author_invented."""
    total: dict[str, int] = {}
    for truth, doc in records:
        gt = truth.get("ground_truth", truth)
        # the day as the page states it (published_at is UTC, which can be the next day)
        day = _day(doc.published_date) if doc is not None else None
        authors = doc.authors if doc else []
        orgs = getattr(doc, "author_organizations", []) if doc else []
        _add(total, score(gt, doc.title if doc else None, authors, day, orgs))
    return summarise(total)


def _trafilatura_row(html: str, url: str | None) -> tuple[str | None, list[str], str | None]:
    from trafilatura import extract_metadata

    m = extract_metadata(html, default_url=url)
    if m is None:
        return None, [], None
    authors = [a for a in (m.author or "").split(";") if a.strip()]
    return m.title, authors, (m.date or None)


def _pages(limit: int | None) -> list[tuple[dict, str]]:
    out = []
    for gt_path in sorted((DATA / "ground-truth").glob("*.json")):
        truth = json.loads(gt_path.read_text(encoding="utf-8"))
        truth.setdefault("file_id", gt_path.stem)
        if truth.get("_internal", {}).get("page_type", {}).get("primary") != "article":
            continue
        raw = gzip.decompress((DATA / "html" / f"{gt_path.stem}.html.gz").read_bytes())
        out.append((truth, raw))
        if limit and len(out) >= limit:
            break
    return out


def run(
    limit: int | None = None, with_trafilatura: bool = True, config: Any = None
) -> dict[str, dict]:
    """Score the pipeline (and trafilatura) on the dev article pages."""
    from transforms.core.steps import StepStats, run_steps
    from transforms.pipeline import build_steps

    steps = build_steps(config)
    pages = _pages(limit)
    records: list[tuple[dict, Article]] = []
    stats = StepStats()
    t0 = time.perf_counter()
    for i, (truth, raw) in enumerate(pages):
        doc = Article(
            doc_id=f"eval{i}", source_path=f"{i}.html", source_format="html", content_kind="html"
        )
        doc.url = truth.get("url")
        doc.markup.raw = raw
        run_steps([doc], steps, stats)
        records.append((truth, doc))  # dropped pages still carry what metadata found
    ours = evaluate_metadata(records)
    ours["seconds"] = round(time.perf_counter() - t0, 1)
    for name in ("html_metadata", "text_metadata", "finalize_metadata"):
        ms = 1000 * stats.seconds.get(name, 0.0) / max(1, len(pages))
        ours[f"ms_per_page_{name}"] = round(ms, 2)
    result = {"pipeline": ours}
    if with_trafilatura:
        total: dict[str, int] = {}
        for truth, raw in pages:
            title, authors, day = _trafilatura_row(raw.decode("utf-8", "replace"), truth.get("url"))
            _add(total, score(truth["ground_truth"], title, authors, day))
        result["trafilatura"] = summarise(total)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--no-trafilatura", action="store_true")
    ap.add_argument(
        "--htmldate-extensive",
        action="store_true",
        help="metadata.metadata_htmldate_extensive=True",
    )
    args = ap.parse_args(argv)
    if not (DATA / "ground-truth").is_dir():
        print(f"skipped: {DATA} not found (dev data lives beside the checkout)")
        return 0
    from transforms.core.config import PipelineConfig

    config = PipelineConfig().with_settings(
        {"metadata.metadata_htmldate_extensive": args.htmldate_extensive}
    )
    result = run(args.limit, not args.no_trafilatura, config)
    keys = list(result["pipeline"])
    print("metadata on wcxb-dev article pages (WCXB, Murrough Foley, CC-BY-4.0), pipeline steps")
    print(f"{'metric':26} {'pipeline':>10} {'trafilatura':>12}")
    for k in keys:
        tv = result.get("trafilatura", {}).get(k, "")
        print(f"{k:26} {result['pipeline'][k]!s:>10} {tv!s:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
