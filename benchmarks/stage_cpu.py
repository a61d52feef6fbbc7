"""CPU milliseconds per page for each per-document stage, on the WCXB dev pages.

The run manifest's stage seconds are wall-clock: on a shared machine they grow with everybody
else's load. This measures `time.process_time` around each step's `apply` (the steps of
`transforms.pipeline.build_steps`, applied as `transforms.core.steps.run_steps` applies them), after
a short warm-up, so before/after comparisons of a stage's cost hold on a busy machine. Run it
several times, alternating the versions compared, and compare the minima.

    python -m benchmarks.stage_cpu [--limit 200] [--page-type article] [--lightest]
                                   [--loop] [--profile out.prof]

`--lightest` takes the `limit` smallest pages by bytes (the light corpus of `make bench`);
`--loop` first times a plain `trafilatura.extract` over the same pages in this process (before
the stages install the fast paths) and prints the stages' CPU as a multiple of it: with two
workers, a whole run can reach at most about 2 / that multiple of the one-core loop's speed.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from benchmarks.wcxb import DEFAULT_DATA, Page, load_page, page_ids
from transforms.core.steps import BatchStep, Step
from transforms.pipeline import build_steps


def stage_cpu(pages: list[Page], steps: list[Step | BatchStep]) -> Counter[str]:
    """CPU seconds per step name over `pages`, each page run through `steps` until a drop."""
    seconds: Counter[str] = Counter()
    clock = time.process_time
    for page in pages:
        doc = page.as_article()
        for step in steps:
            # a batch step needs a batch: its cost is in the run manifest, not here
            if isinstance(step, BatchStep) or doc.content_kind not in step.applies_to:
                continue
            t0 = clock()
            try:
                stop = step.apply(doc) is not None
            except Exception:  # run_steps turns it into a drop: so does this
                stop = True
            seconds[step.name] += clock() - t0
            if stop:
                break
    return seconds


def loop_cpu(pages: list[Page]) -> float:
    """CPU seconds of plain `trafilatura.extract` over `pages` (after one warm-up page)."""
    import trafilatura

    from transforms.fastpaths import enabled as fast_paths_installed

    if fast_paths_installed():
        raise RuntimeError("the loop must run plain trafilatura: fast paths are installed")
    trafilatura.extract(pages[0].html_bytes)
    t0 = time.process_time()
    for page in pages:
        trafilatura.extract(page.html_bytes)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--page-type", default=None, help="e.g. article (default: all types)")
    parser.add_argument("--lightest", action="store_true", help="the smallest pages by bytes")
    parser.add_argument("--loop", action="store_true", help="compare with a trafilatura loop")
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile stats here")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no dev data at {args.data}: nothing to measure")
        return 0
    pages: list[Page] = []
    for file_id in page_ids(args.data):
        page = load_page(args.data, file_id)
        if args.page_type is None or page.page_type == args.page_type:
            pages.append(page)
        if len(pages) >= args.limit and not args.lightest:
            break
    if args.lightest:
        pages = sorted(pages, key=lambda page: (len(page.html_bytes), page.file_id))[: args.limit]
    loop = loop_cpu(pages) if args.loop else None
    steps = build_steps()
    stage_cpu(pages[:3], steps)  # warm-up: models and lazy imports load outside the figures
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    seconds = stage_cpu(pages, steps)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    n = len(pages)
    print(
        f"{n} pages; CPU ms/page (time.process_time), total {1000 * sum(seconds.values()) / n:.1f}"
    )
    for name, s in seconds.most_common():
        print(f"  {name:20s} {1000 * s / n:7.2f}")
    if loop is not None:
        print(
            f"trafilatura.extract loop: {1000 * loop / n:.1f} ms/page; the stages "
            f"{sum(seconds.values()) / loop:.2f}x the loop's CPU"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
