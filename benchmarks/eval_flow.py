"""End-to-end quality: what the flow publishes, scored against ground truth.

`make eval` prints this beside the extraction-only figures. The dev pages are written to a
temporary INPUT twice over (as `.html.gz` pages and as naive-scraper text dumps, one run each),
the flow runs on each through the same entry point as `make run` (`python -m
flows.clean_articles`, a subprocess) into a temporary OUTPUT, and the Parquet it publishes is
read back. A page is scored by what a reader of the datasets gets for it:

- published in `articles`: its row;
- in `duplicates`: the row of the canonical article it points to (the copy a reader keeps);
- in `quarantine`, or missing: an empty body with no metadata (a hole in the dataset).

Printed per path (html, text): pages, the share kept (articles or duplicates), the word F1 of
the published bodies over all pages and over the kept ones, title/date/author accuracy, the
share of published articles that carry a quality flag with the flags counted, and the reasons
of the pages lost. `--min-words` (default 100) restricts the figures to pages whose ground-truth
body has at least that many words: the real articles a data team expects to find.

    python -m benchmarks.eval_flow [--limit N] [--page-type article] [--workers 2]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import mean

from benchmarks import metrics
from benchmarks.eval_metadata import evaluate_metadata
from benchmarks.wcxb import DEFAULT_DATA, Page, load_page, page_ids

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("html", "text")


@dataclass(slots=True)
class Published:
    """What a reader of the datasets finds for one input page."""

    place: str  # articles, duplicates, quarantine or missing
    body: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_date: date | None = None
    flags: list[str] = field(default_factory=list)
    reason: str | None = None  # stage:reason when quarantined
    author_organizations: list[str] = field(default_factory=list)


def naive_dump(html: str) -> str:
    """The text dump a naive scraper saves (shared with the extraction-only eval)."""
    from benchmarks.eval import naive_dump as dump

    return dump(html)


def write_corpus(pages: list[Page], root: Path) -> None:
    """`root/html/<id>.html.gz` (the page's bytes) and `root/text/<id>.txt` (its naive dump)."""
    (root / "html").mkdir(parents=True)
    (root / "text").mkdir(parents=True)
    for page in pages:
        (root / "html" / f"{page.file_id}.html.gz").write_bytes(gzip.compress(page.html_bytes))
        dump = naive_dump(page.html)
        (root / "text" / f"{page.file_id}.txt").write_text(dump + "\n", encoding="utf-8")


def run_flow(input_dir: Path, output_dir: Path, workers: int) -> tuple[int, float, str]:
    """`python -m flows run` as `make run` calls it: (exit code, seconds, stderr)."""
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    Path(env["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "flows",
        "run",
        "--input",
        str(input_dir),
        "--output",
        str(output_dir),
        "--workers",
        str(workers),
        "--no-progress",
    ]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return done.returncode, time.perf_counter() - t0, done.stderr


def read_published(output: Path) -> dict[str, Published]:
    """source_path -> what the datasets hold for it (articles, duplicates via their canonical,
    quarantine)."""
    import pyarrow.dataset as ds

    def rows(table: str) -> list[dict]:
        folder = output / table
        if not folder.is_dir() or not any(folder.rglob("*.parquet")):
            return []
        return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()

    out: dict[str, Published] = {}
    by_id: dict[str, Published] = {}
    for r in rows("articles"):
        pub = Published(
            "articles",
            r["body"] or "",
            r["title"],
            list(r["authors"] or []),
            r["published_date"],
            list(r.get("quality_flags") or []),
            author_organizations=list(r.get("author_organizations") or []),
        )
        out[r["source_path"]] = pub
        by_id[r["doc_id"]] = pub
    for r in rows("duplicates"):
        kept = by_id.get(r["duplicate_of"])
        if kept is None:  # canonical published by an earlier run: not in this eval's output
            out[r["source_path"]] = Published("duplicates")
        else:
            copy = Published(
                "duplicates",
                kept.body,
                kept.title,
                kept.authors,
                kept.published_date,
                kept.flags,
                author_organizations=kept.author_organizations,
            )
            out[r["source_path"]] = copy
    for r in rows("quarantine"):
        out.setdefault(
            r["source_path"], Published("quarantine", reason=f"{r['stage']}:{r['reason']}")
        )
    return out


def _source(page: Page, path: str) -> str:
    """The page's source_path in the run over `path` (relative to that run's INPUT)."""
    return f"{page.file_id}.html.gz" if path == "html" else f"{page.file_id}.txt"


def _input_holds_article(page: Page, path: str, min_words: int = 50) -> bool:
    """Does the input itself hold an article: at least `min_words` (the config's `clean.min_words`)
    words of the ground-truth body? A naive dump of a page whose text is loaded by script
    holds a menu and teasers only; no cleaner can publish an article from it."""
    if path == "html":
        return True
    _, recall, _ = metrics.word_prf(naive_dump(page.html), page.main_content)
    return recall * len(metrics.tokens(page.main_content)) >= min_words


def score(pages: list[Page], published: dict[str, Published], prefix: str) -> dict:
    """Figures of one path's published output over `pages`."""
    f1_all, f1_kept, lost, records = [], [], Counter(), []
    flagged, flags, articles = 0, Counter(), 0
    for page in pages:
        pub = published.get(_source(page, prefix), Published("missing"))
        f1 = metrics.word_f1(pub.body, page.main_content)
        f1_all.append(f1)
        kept = pub.place in ("articles", "duplicates")
        if kept:
            f1_kept.append(f1)
        else:
            lost[pub.reason or pub.place] += 1
        if pub.place == "articles":
            articles += 1
            flagged += bool(pub.flags)
            flags.update(pub.flags)
        truth = {"title": page.title, "author": page.author, "publish_date": page.publish_date}
        records.append((truth, pub if kept else None))
    meta = evaluate_metadata(records) if records else {}
    with_article = [p for p in pages if _input_holds_article(p, prefix)]
    kept_with = sum(
        1
        for p in with_article
        if published.get(_source(p, prefix), Published("missing")).place
        in ("articles", "duplicates")
    )
    return {
        "pages": len(pages),
        "file_ids": {p.file_id for p in pages},
        "kept": len(f1_kept) / len(pages) if pages else float("nan"),
        "pages_with_article": len(with_article),
        "kept_with_article": kept_with / len(with_article) if with_article else float("nan"),
        "word_f1": mean(f1_all) if f1_all else float("nan"),
        "word_f1_kept": mean(f1_kept) if f1_kept else float("nan"),
        "flagged_share": flagged / articles if articles else 0.0,
        "flags": dict(flags.most_common()),
        "lost": dict(lost.most_common()),
        "meta": meta,
    }


def evaluate(
    data: Path, ids: list[str], workers: int, min_words: int, keep: Path | None = None
) -> dict[str, dict]:
    """Run the flow over `ids` on both paths; figures per path for pages of >= min_words."""
    pages = [load_page(data, i) for i in ids]
    work = Path(tempfile.mkdtemp(prefix="eval-flow-"))
    try:
        write_corpus(pages, work / "in")
        scored = [p for p in pages if len(metrics.tokens(p.main_content)) >= min_words]
        figures = {}
        for path in PATHS:
            code, seconds, err = run_flow(work / "in" / path, work / "out" / path, workers)
            if code != 0:
                last = err.strip().splitlines()[-1:] or ["no message"]
                print(f"flow on the {path} pages exited {code}: {last[0]}", file=sys.stderr)
            published = read_published(work / "out" / path)
            figures[path] = score(scored, published, path) | {"seconds": seconds, "exit": code}
        return figures
    finally:
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def print_figures(figures: dict[str, dict], min_words: int) -> None:
    """The end-to-end table: one column per path."""
    print(f"\n== end to end: what the flow publishes (pages with >= {min_words} words of truth) ==")
    rows = [
        ("pages", lambda f: f"{f['pages']}"),
        ("kept (articles+dups)", lambda f: f"{f['kept']:.2%}"),
        ("input holds an article", lambda f: f"{f['pages_with_article']}"),
        ("kept of those", lambda f: f"{f['kept_with_article']:.2%}"),
        ("word_f1 (all pages)", lambda f: f"{f['word_f1']:.4f}"),
        ("word_f1 (kept pages)", lambda f: f"{f['word_f1_kept']:.4f}"),
        ("title", lambda f: f"{f['meta'].get('title', float('nan')):.4f}"),
        ("date", lambda f: f"{f['meta'].get('date', float('nan')):.4f}"),
        ("authors", lambda f: f"{f['meta'].get('authors', float('nan')):.4f}"),
        ("flagged share", lambda f: f"{f['flagged_share']:.2%}"),
        ("flow seconds", lambda f: f"{f['seconds']:.0f}"),
        ("flow exit code", lambda f: f"{f['exit']}"),
    ]
    print(f"{'figure':<24}" + "".join(f"{p:>14}" for p in figures))
    for label, get in rows:
        print(f"{label:<24}" + "".join(f"{get(f):>14}" for f in figures.values()))
    for path, f in figures.items():
        lost = ", ".join(f"{k} {v}" for k, v in f["lost"].items()) or "none"
        flags = ", ".join(f"{k} {v}" for k, v in f["flags"].items()) or "none"
        print(f"{path}: lost {sum(f['lost'].values())} ({lost}); flags: {flags}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--page-type", default="article", help="only pages of this primary type")
    ap.add_argument("--min-words", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="copy INPUT and OUTPUT here")
    args = ap.parse_args(argv)
    if not (args.data / "html").is_dir():
        print(f"no dev set at {args.data}: nothing to evaluate (skipped)")
        return 0
    ids = page_ids(args.data)
    if args.page_type:
        ids = [i for i in ids if load_page(args.data, i).page_type == args.page_type]
    ids = ids[: args.limit] if args.limit else ids
    figures = evaluate(args.data, ids, args.workers, args.min_words, args.keep)
    print_figures(figures, args.min_words)
    return 0


if __name__ == "__main__":
    sys.exit(main())
