"""What linking stories adds to a run's dedup phase, per 1,000 new documents, against a history.

    python -m benchmarks.bench_stories [--history 100000] [--new 10000] [--bridges 0.01]
        [--rounds 2]

`make bench-dedup` runs `find_duplicates` on one run without a history, where no story can be
linked, so it does not exercise this. Here a history of `--history` synthetic documents
(bench_dedup's generator) is signed, deduplicated and written as OUTPUT's dedup index and
articles; then each round is a new run of `--new` documents, a `--bridges` share of which are
made of most of one published article and most of another (each verifies against both), the
rest new text. Timed per round: `find_duplicates` against the index (the dedup phase's search;
of it, `story_bridges`), `link_stories` (the story_links scans and the new rows) and
`with_story_ids` (the duplicates' story column); the round's links are then published, so
later rounds meet earlier links (and stories that follow a merged one). Signing is not timed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.bench_dedup import documents


def _signed(docs: list[str], first_id: int, config) -> pa.Table:
    from transforms.dedup.clusters import dedup_columns

    n = len(docs)
    return (
        dedup_columns(docs, config.dedup)
        .append_column("word_count", pa.array([d.count(" ") + 1 for d in docs], pa.int32()))
        .append_column("doc_id", pa.array([f"{first_id + i:032x}" for i in range(n)]))
        .append_column("published_at", pa.nulls(n, pa.timestamp("us", tz="UTC")))
    )


def _history(output: Path, n: int, config) -> list[str]:
    """Sign and deduplicate `n` documents as a first run; publish its index and articles."""
    from transforms.dedup.clusters import find_duplicates

    docs = [d for chunk, _ in documents(n, seed=0) for d in chunk]
    table = _signed(docs, 0, config)
    result = find_duplicates(table, None, config.dedup)
    (output / "dedup_index").mkdir(parents=True)
    pq.write_table(result.index_rows(), output / "dedup_index" / "part-history.parquet")
    kept = table.filter(pa.array(result.keep)).column("doc_id")
    folder = output / "articles" / "ingest_date=2026-01-01"
    folder.mkdir(parents=True)
    when = pa.array([datetime(2026, 1, 1, tzinfo=UTC)] * len(kept), pa.timestamp("us", tz="UTC"))
    pq.write_table(pa.table({"doc_id": kept, "ingested_at": when}), folder / "part-h.parquet")
    keep = np.asarray(result.keep)
    return [d for d, k in zip(docs, keep.tolist(), strict=True) if k]


def _round(output: Path, published: list[str], r: int, args, config) -> dict:
    import transforms.dedup.clusters as clusters
    from transforms.run.stories import link_stories, with_story_ids

    rng = np.random.default_rng(100 + r)
    docs = [d for chunk, _ in documents(args.new, seed=1 + r) for d in chunk]
    n_bridges = int(args.new * args.bridges)
    for k in range(n_bridges):
        a, b = (published[i].split(" ") for i in rng.choice(len(published), 2, replace=False))
        docs[k] = " ".join(a[: len(a) * 8 // 10] + b[len(b) * 2 // 10 :])
    table = _signed(docs, args.history + r * args.new, config)

    spent = {"story_bridges": 0.0}
    original = clusters.story_bridges

    def timed(*a, **kw):
        t = time.perf_counter()
        try:
            return original(*a, **kw)
        finally:
            spent["story_bridges"] += time.perf_counter() - t

    clusters.story_bridges = timed
    try:
        t = time.perf_counter()
        result = clusters.find_duplicates(table, str(output / "dedup_index"), config.dedup)
        search = time.perf_counter() - t
    finally:
        clusters.story_bridges = original
    now = datetime(2026, 1, 2 + r, tzinfo=UTC)
    t = time.perf_counter()
    links = link_stories(output, result.bridges, f"run{r}", now)
    link_s = time.perf_counter() - t
    dups = result.duplicates
    # the columns with_story_ids reads and sets (story_id starts as duplicate_of, as staged)
    table = dups.select(["doc_id", "duplicate_of"]).append_column("story_id", dups["duplicate_of"])
    t = time.perf_counter()
    with_story_ids(table, output, links)
    ids_s = time.perf_counter() - t
    folder = output / "story_links" / "ingest_date=2026-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(links, folder / f"part-run{r}-all.parquet")
    per_k = 1000 / args.new
    stories = spent["story_bridges"] + link_s + ids_s
    return {
        "round": r,
        "bridging_docs": n_bridges,
        "duplicates": dups.num_rows,
        "link_rows": links.num_rows,
        "search_ms_per_1k": 1000 * search * per_k,
        "story_bridges_ms_per_1k": 1000 * spent["story_bridges"] * per_k,
        "link_stories_ms_per_1k": 1000 * link_s * per_k,
        "with_story_ids_ms_per_1k": 1000 * ids_s * per_k,
        "stories_over_search": stories / max(search - spent["story_bridges"], 1e-9),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cost of story links per 1,000 new documents")
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--bridges", type=float, default=0.01, help="share of bridging docs")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from transforms.core.config import PipelineConfig

    config = PipelineConfig()
    with TemporaryDirectory() as tmp:
        output = Path(tmp)
        t = time.perf_counter()
        published = _history(output, args.history, config)
        print(
            f"history: {args.history} documents, {len(published)} published articles "
            f"({time.perf_counter() - t:.1f} s to build, not timed below)"
        )
        print(
            f"{'round':>5} {'bridging':>8} {'dups':>6} {'links':>6} {'search':>9} "
            f"{'bridges':>8} {'link':>8} {'ids':>8} {'stories/search':>15}   (ms per 1,000 new)"
        )
        for r in range(1, args.rounds + 1):
            f = _round(output, published, r, args, config)
            print(
                f"{f['round']:>5} {f['bridging_docs']:>8} {f['duplicates']:>6} "
                f"{f['link_rows']:>6} {f['search_ms_per_1k']:>9.1f} "
                f"{f['story_bridges_ms_per_1k']:>8.2f} {f['link_stories_ms_per_1k']:>8.2f} "
                f"{f['with_story_ids_ms_per_1k']:>8.2f} {f['stories_over_search']:>15.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
