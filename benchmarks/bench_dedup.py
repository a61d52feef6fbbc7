"""Dedup at scale: signatures and candidate search on synthetic article-length documents.

    python -m benchmarks.bench_dedup [--sizes 100000,1000000] [--datasketch 100000]
        [--set dedup.shingle_size=5 ...]

Each size runs in its own subprocess, so each peak memory (getrusage max RSS of that process)
is that size's alone. A worker generates documents of ~600 words from a 50k-word Zipf
vocabulary in chunks of 10k, injects near copies (10%: a copy of an earlier document of the
chunk with words changed, or its first half), signs each chunk with `dedup_columns` (generation
is not timed), keeps only the signature columns, then runs `find_duplicates` over all of them
(candidates by the band-key join, verification, clusters, canonical choice). Reported:
signature docs/s, search docs/s, overall docs/s, peak RSS, duplicates found vs injected.
The baseline is datasketch's in-memory MinHashLSH (threshold 0.8, 128 permutations) on the
same documents and word 5-shingles: MinHash per document, insert, query.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa

CHUNK = 10_000
VOCAB = 50_000
WORDS = 600
COPY_SHARE = 0.1


def _vocab() -> list[str]:
    rng = np.random.default_rng(0)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = rng.integers(2, 10, VOCAB)
    return ["".join(rng.choice(letters, n)) for n in lengths]


def documents(n: int, seed: int = 0) -> Iterator[tuple[list[str], int]]:
    """Chunks of synthetic documents and the number of injected copies in each."""
    vocab = _vocab()
    rng = np.random.default_rng(seed)
    for lo in range(0, n, CHUNK):
        size = min(CHUNK, n - lo)
        ids = (rng.zipf(1.2, size * WORDS) - 1) % VOCAB
        lengths = rng.integers(WORDS // 2, WORDS * 3 // 2, size)
        docs = []
        pos = 0
        for length in lengths:
            docs.append(" ".join([vocab[i] for i in ids[pos : pos + length].tolist()]))
            pos = (pos + length) % (len(ids) - WORDS * 2)
        copies = 0
        for i in range(1, size):
            if rng.random() < COPY_SHARE:
                words = docs[int(rng.integers(0, i))].split(" ")
                if rng.random() < 0.5:
                    for j in rng.integers(0, len(words), 4).tolist():
                        words[j] = vocab[int(rng.integers(0, VOCAB))]
                else:
                    words = words[: len(words) // 2]
                docs[i] = " ".join(words)
                copies += 1
        yield docs, copies


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run_ours(n: int, settings: Sequence[str] = ()) -> dict:
    """Sign n documents chunk by chunk, then search the whole set: timings and peak memory."""
    from transforms.core.config import PipelineConfig
    from transforms.dedup.clusters import dedup_columns, find_duplicates

    config = PipelineConfig().with_settings(dict(kv.split("=", 1) for kv in settings))
    parts, injected, sign_s = [], 0, 0.0
    for docs, copies in documents(n):
        t = time.perf_counter()
        cols = dedup_columns(docs, config.dedup)
        sign_s += time.perf_counter() - t
        cols = cols.append_column(
            "word_count", pa.array([d.count(" ") + 1 for d in docs], pa.int32())
        )
        parts.append(cols)
        injected += copies
    table = pa.concat_tables(parts)
    del parts
    table = table.append_column("doc_id", pa.array([f"{i:09d}" for i in range(n)]))
    table = table.append_column("published_at", pa.nulls(n, pa.timestamp("us", tz="UTC")))
    t = time.perf_counter()
    result = find_duplicates(table, None, config.dedup)
    search_s = time.perf_counter() - t
    return {
        "method": "newsclean",
        "docs": n,
        "sign_docs_per_s": n / sign_s,
        "search_docs_per_s": n / search_s,
        "docs_per_s": n / (sign_s + search_s),
        "seconds": sign_s + search_s,
        "peak_rss_mb": _peak_mb(),
        "injected_copies": injected,
        "duplicates_found": result.duplicates.num_rows,
    }


def run_datasketch(n: int) -> dict:
    """datasketch MinHash + in-memory MinHashLSH on the same documents."""
    from datasketch import MinHash, MinHashLSH

    non_word = re.compile(r"[^\w\s]+")
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    sign_s = search_s = 0.0
    injected = found = 0
    row = 0
    for docs, copies in documents(n):
        injected += copies
        t = time.perf_counter()
        sigs = []
        for doc in docs:
            words = non_word.sub(" ", doc.lower()).split()
            grams = {" ".join(words[j : j + 5]).encode() for j in range(max(1, len(words) - 4))}
            m = MinHash(num_perm=128, seed=1)
            m.update_batch(list(grams))
            sigs.append(m)
        sign_s += time.perf_counter() - t
        t = time.perf_counter()
        for m in sigs:  # query before insert: a document matching an earlier one is a copy
            found += bool(lsh.query(m))
            lsh.insert(row, m)
            row += 1
        search_s += time.perf_counter() - t
    return {
        "method": "datasketch MinHashLSH",
        "docs": n,
        "sign_docs_per_s": n / sign_s,
        "search_docs_per_s": n / search_s,
        "docs_per_s": n / (sign_s + search_s),
        "seconds": sign_s + search_s,
        "peak_rss_mb": _peak_mb(),
        "injected_copies": injected,
        "duplicates_found": found,
    }


def measure(method: str, n: int, settings: Sequence[str] = ()) -> dict:
    """Run one measurement in a fresh subprocess (its own peak RSS) and return its figures."""
    sets = [a for kv in settings for a in ("--set", kv)]
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_dedup", "--worker", method, str(n), *sets],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(
    sizes: Sequence[int], datasketch_size: int | None, settings: Sequence[str] = ()
) -> list[dict]:
    """Figures for each size (ours) and for datasketch at `datasketch_size`: for `make bench`."""
    rows = [measure("ours", n, settings) for n in sizes]
    if datasketch_size:
        rows.append(measure("datasketch", datasketch_size))
    return rows


def report(rows: list[dict]) -> str:
    head = (
        f"{'method':<22} {'docs':>9} {'sign/s':>8} {'search/s':>9} {'docs/s':>8} "
        f"{'secs':>7} {'peak MB':>8} {'injected':>8} {'found':>8}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['method']:<22} {r['docs']:>9} {r['sign_docs_per_s']:>8.0f} "
            f"{r['search_docs_per_s']:>9.0f} {r['docs_per_s']:>8.0f} {r['seconds']:>7.1f} "
            f"{r['peak_rss_mb']:>8.0f} {r['injected_copies']:>8} {r['duplicates_found']:>8}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dedup signatures and search at scale")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated doc counts")
    parser.add_argument("--datasketch", type=int, default=100_000, help="0 to skip")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a dotted setting"
    )
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        method, n = args.worker[0], int(args.worker[1])
        figures = run_ours(n, args.set) if method == "ours" else run_datasketch(n)
        print(json.dumps(figures))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = bench(sizes, args.datasketch or None, args.set)
    print(report(rows))
    ours = [r for r in rows if r["method"] == "newsclean"]
    if len(ours) >= 2:
        small, large = ours[0], ours[-1]
        print(
            f"largest/smallest docs/s: {large['docs_per_s'] / small['docs_per_s']:.2f}; "
            f"peak at {large['docs']}: {large['peak_rss_mb'] / 1024:.2f} GB (target < 8 GB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
