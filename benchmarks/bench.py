"""`make bench`: the flow's speed and memory, as ratios against baselines run in this invocation.

    python -m benchmarks.bench [--pages N] [--copies 2] [--memory-scale 10] [--data PATH]

1. Builds a corpus from the dev pages (../shared/data/wcxb-dev), each page written `copies`
   times with a distinct trailing comment, so no copy is skipped as an identical record.
2. Baseline: a plain single-process loop of `trafilatura.extract` over the same files, run
   before, between and after the flow runs of step 4, so each flow run sits between two
   loops; its ratio uses the mean of those two (the host's speed drifts over a bench).
3. Starts one local Prefect server (as `make serve` does) so every flow run below pays the
   fixed cost of a run against a running server, not of a temporary one; measures that fixed
   cost with a run over an empty folder.
4. Runs the whole flow (a subprocess each, fresh output) with 1 and with 2 workers: pages/s,
   ratio to the baseline, CPU seconds per stage from the run manifest, peak memory (the sum of
   the resident memory of the flow process and its workers, sampled).
5. Runs the flow on a corpus `memory-scale` times larger and compares peak memory.
Figures vary with the machine's load; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "wcxb-dev"


def build_corpus(data: Path, dest: Path, pages: int | None, copies: int) -> int:
    """Write `copies` distinct copies of the first `pages` dev pages; return the file count."""
    sources = sorted((data / "html").glob("*.html.gz"))[:pages]
    n = 0
    for src in sources:
        html = gzip.decompress(src.read_bytes())
        for k in range(copies):
            target = dest / f"copy{k}" / src.name.removesuffix(".gz")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html + f"\n<!-- bench copy {k} -->\n".encode())
            n += 1
    return n


def baseline_loop(corpus: Path) -> dict:
    """trafilatura.extract over every file, one process: the reference speed.

    The plain library: this process never swaps in the pipeline's faster equivalents of
    trafilatura's XPaths and justext's paragraph maker (`transforms.fastpaths.xpath_matchers`,
    `transforms.fastpaths.justext_paragraphs`, installed by the first extraction in a flow worker).
    """
    import trafilatura

    from transforms.fastpaths import enabled as fast_paths_installed

    if fast_paths_installed():
        raise RuntimeError("the baseline must run plain trafilatura: fast paths are installed")
    files = sorted(corpus.rglob("*.html"))
    t0 = time.perf_counter()
    for path in files:
        trafilatura.extract(path.read_bytes())
    seconds = time.perf_counter() - t0
    return {"pages": len(files), "seconds": seconds, "pages_per_s": len(files) / seconds}


class PeakMemory:
    """Sample the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.NoSuchProcess:
                return
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_flow(corpus: Path, output: Path, workers: int, env: dict, settings: list[str] = ()) -> dict:
    """One flow run in a subprocess: wall seconds, peak memory and the manifest."""
    cmd = [
        sys.executable,
        "-m",
        "flows.clean_articles",
        "--input",
        str(corpus),
        "--output",
        str(output),
        "--workers",
        str(workers),
        "--no-progress",
        *(arg for s in settings for arg in ("--set", s)),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with PeakMemory(proc.pid) as mem:
        _out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"flow failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    manifests = sorted((output / "runs").glob("*.json"))
    manifest = json.loads(manifests[-1].read_text()) if manifests else {}
    return {"seconds": seconds, "peak_rss_mb": mem.peak / 2**20, "manifest": manifest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the flow against baselines.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=None, help="dev pages to use (all)")
    parser.add_argument("--copies", type=int, default=2, help="distinct copies of each page")
    parser.add_argument("--memory-scale", type=int, default=10, help="0 to skip")
    parser.add_argument("--port", type=int, default=4299, help="port of the bench's server")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting by dotted key for the flow runs (as the flow's --set), e.g. dedup.seed=2",
    )
    args = parser.parse_args(argv)
    if not (args.data / "html").is_dir():
        print(f"bench: {args.data} is absent; nothing to measure (it needs the dev pages).")
        return 0

    from flows.serve import local_prefect_server  # the same server start as `make serve`

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        n = build_corpus(args.data, tmp / "corpus", args.pages, args.copies)
        print(f"corpus: {n} pages ({args.copies} distinct copies of each dev page)")
        # the machine's speed drifts over a half-hour bench (shared hosts, thermal): a loop runs
        # before, between and after the flow runs, and each flow run is compared with the mean
        # of the two loops on either side of it
        loops = [baseline_loop(tmp / "corpus")]
        print(f"baseline trafilatura.extract loop (before): {loops[0]['pages_per_s']:.1f} pages/s")

        os.environ["PREFECT_HOME"] = str(tmp / "prefect-home")
        with local_prefect_server(port=args.port) as api_url:
            env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
            (tmp / "empty").mkdir()
            fixed = run_flow(tmp / "empty", tmp / "out-empty", 1, env)
            print(
                f"prefect fixed cost per run (empty input, running server): "
                f"{fixed['seconds']:.1f} s"
            )
            rows = []
            for workers in (1, 2):
                r = run_flow(tmp / "corpus", tmp / f"out-w{workers}", workers, env, args.set)
                pps = n / r["seconds"]
                timings = r["manifest"].get("timings", {})
                print(
                    f"flow, {workers} worker(s): {pps:.1f} pages/s, "
                    f"peak {r['peak_rss_mb']:.0f} MB, {r['seconds']:.1f} s; "
                    f"stages {sum((timings.get('stage_cpu_seconds') or {}).values()):.1f} s, "
                    f"{len(timings.get('shards', []))} shards, "
                    f"{timings.get('idle_worker_seconds', 0):.1f} worker-seconds idle in the "
                    f"clean phase of {timings.get('wall_seconds', {}).get('clean', 0):.1f} s"
                )
                loops.append(baseline_loop(tmp / "corpus"))
                print(
                    f"baseline trafilatura.extract loop (after it): "
                    f"{loops[-1]['pages_per_s']:.1f} pages/s"
                )
                base_pps = (loops[-2]["pages_per_s"] + loops[-1]["pages_per_s"]) / 2
                rows.append((workers, r, pps, base_pps))
            stages = rows[-1][1]["manifest"].get("timings", {})
            cpu = stages.get("stage_cpu_seconds") or {}
            per_page = {
                k: round(1000 * v / n, 2) for k, v in sorted(cpu.items(), key=lambda kv: -kv[1])
            }
            print(
                f"stage CPU ms/page (2 workers, total {1000 * sum(cpu.values()) / n:.1f}; "
                f"baseline {1000 / rows[-1][3]:.1f} ms/page wall):",
                json.dumps(per_page),
            )
            print("phase wall seconds (2 workers):", json.dumps(stages.get("wall_seconds")))
            for workers, r, pps, base_pps in rows:
                print(
                    f"flow, {workers} worker(s): {pps / base_pps:.2f}x the baseline "
                    f"({pps:.1f} pages/s against the mean {base_pps:.1f} of the loops before "
                    f"and after it; peak {r['peak_rss_mb']:.0f} MB, {r['seconds']:.1f} s)"
                )

            if args.memory_scale:
                big = build_corpus(
                    args.data, tmp / "corpus-big", args.pages, args.copies * args.memory_scale
                )
                r = run_flow(tmp / "corpus-big", tmp / "out-big", 2, env, args.set)
                ratio = r["peak_rss_mb"] / rows[-1][1]["peak_rss_mb"]
                print(
                    f"memory: {big} pages peak {r['peak_rss_mb']:.0f} MB = {ratio:.2f}x the "
                    f"peak for {n} pages ({big / n:.0f}x the pages), "
                    f"{big / r['seconds']:.1f} pages/s"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
