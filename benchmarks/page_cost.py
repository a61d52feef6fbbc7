"""The stages' cost of one page by its size: CPU seconds and peak memory (issue 33).

Builds one page of each size by concatenating the <body> contents of the dev pages
(`../shared/data/wcxb-dev/html`, in id order, under one <html> shell; `--generate` writes
invented paragraphs instead, for machines without the dev data), then runs each through
`transforms.pipeline`'s stages in a fresh process of its own (`read_file`, then `run_steps`,
as a shard does), and prints the CPU seconds, the process's peak RSS and the outcome. A page
still running after `--limit` seconds is stopped and reported as such.

    python -m benchmarks.page_cost --sizes 1 5 10 20 50 [--limit 300] [--set KEY=VALUE ...]

The figures and the defaults taken from them: docs/operations_faults.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.wcxb import DEFAULT_DATA

MB = 1024 * 1024
BODY = re.compile(rb"<body[^>]*>(.*?)</body>", re.S | re.I)


def build_page(size: int, html_dir: Path | None) -> bytes:
    """A page of about `size` bytes: dev pages' bodies (or invented paragraphs) in a row."""
    parts, total = [], 0
    sources = sorted(html_dir.glob("*.html.gz")) if html_dir else []
    i = 0
    while total < size:
        if sources:
            raw = gzip.decompress(sources[i % len(sources)].read_bytes())
            match = BODY.search(raw)
            chunk = match.group(1) if match else b""
        else:
            words = " ".join(f"word{(i * 7 + k) % 997}" for k in range(120))
            chunk = f"<div class='post'><h2>Part {i}</h2><p>{words}.</p></div>".encode()
        parts.append(chunk)
        total += len(chunk)
        i += 1
    head = b"<html><head><title>One very long page</title></head><body><article>"
    return head + b"\n".join(parts)[:size] + b"</article></body></html>"


def measure_one(path: Path, settings: dict[str, str]) -> dict:
    """Run one page through the stages in this process: its cost and outcome."""
    from transforms.core.config import PipelineConfig
    from transforms.core.steps import run_steps
    from transforms.pipeline import build_steps
    from transforms.read.files import InputFile, read_file

    config = PipelineConfig().with_settings(settings)
    steps = build_steps(config)
    f = InputFile(path.name, path.stat().st_size, "")
    cpu0 = time.process_time()
    kept, dropped, stats = run_steps(
        (d for d, drop in read_file(path.parent, f, config.read) if drop is None), steps
    )
    cpu = time.process_time() - cpu0
    outcome = "kept" if kept else (dropped[0][1].reason if dropped else "none")
    words = len(kept[0].text.split()) if kept else 0
    top = sorted(stats.seconds.items(), key=lambda kv: -kv[1])[:2]
    return {
        "cpu_seconds": round(cpu, 2),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "outcome": outcome,
        "words": words,
        "top_stages": {k: round(v, 2) for k, v in top},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 10, 20, 50])
    parser.add_argument("--limit", type=float, default=300.0)
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = dict(s.split("=", 1) for s in args.set)
    if args.one:
        print(json.dumps(measure_one(args.one, settings)))
        return 0
    html_dir = None if args.generate else DEFAULT_DATA / "html"
    if html_dir is not None and not html_dir.is_dir():
        print(f"{html_dir} is absent: use --generate", file=sys.stderr)
        return 2
    print("| page MB | CPU s | peak RSS MB | outcome | body words | costliest stages (CPU s) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = Path(tmp) / f"page-{mb:g}mb.html"
            path.write_bytes(build_page(int(mb * MB), html_dir))
            cmd = [sys.executable, "-m", "benchmarks.page_cost", "--one", str(path)]
            cmd += [a for s in args.set for a in ("--set", s)]
            try:
                out = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=args.limit, check=True
                ).stdout
                r = json.loads(out.strip().splitlines()[-1])
                row = [r["cpu_seconds"], r["peak_mb"], r["outcome"], r["words"], r["top_stages"]]
            except subprocess.TimeoutExpired:
                row = [f"> {args.limit:g} (stopped)", "", "", "", ""]
            print(f"| {mb:g} | " + " | ".join(str(c) for c in row) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
