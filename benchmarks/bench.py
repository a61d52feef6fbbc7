"""`make bench`: what a user waits for, as ratios against baselines run in this invocation.

    python -m benchmarks.bench [--pages 678] [--copies 3] [--no-light] [--large] [--data PATH]
                               [--flow-workers 2] [--datatrove-python PATH]

1. Builds two corpora from the dev pages (../shared/data/wcxb-dev), each page written `copies`
   times with a distinct trailing comment so that no copy is skipped as an identical record:
   `dev`, the first `pages` pages by name (default 678 x 3 = 2,034 pages, the issue-20 corpus),
   and `light`, the `pages` smallest by bytes (a one-core loop runs 50+ pages/s on them: they
   show the fixed costs heavy pages hide; `--no-light` skips it).
2. Baseline: a plain single-process loop of `trafilatura.extract` over the same files, run
   before, between and after the runs below; each run's ratio uses the mean of the loops on
   either side of it (the host's speed drifts over a bench).
3. On each corpus, the whole `make run` (a subprocess: make, imports, the Prefect server, every
   phase; default settings, 2 workers), as a user types it, into a fresh OUTPUT, with a
   PREFECT_HOME of its own whose database a run on 3 pages built first: the first run starts
   the server `make run` keeps (flows/api_server.py), as on a machine where none runs; then the
   same command again over the same input (nothing new: the second-run wall time); then into
   another fresh OUTPUT, with the server the first run kept (every later run on a machine). The
   kept server is stopped before the next loop.
4. On each corpus, with `--datatrove-python`, the peer: datatrove's JsonlReader -> Trafilatura ->
   ParquetWriter on LocalPipelineExecutor(tasks=2, workers=2), run by that interpreter (a venv
   of its own with `datatrove`, `orjson` and `pyarrow`; benchmarks/peer_datatrove.py), on the
   same pages as JSON lines.
5. The flow alone against an already running local Prefect server (as `make serve` starts it),
   with `--flow-workers` workers, on the dev corpus: the figure earlier benches reported.
6. With `--large`: the whole `make run` on ~20,000 pages (the dev pages, 30 copies each; long),
   its pages/s against the loops measured on the dev corpus just before and after it, and its
   peak memory against the dev corpus's.
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


def build_corpus(
    data: Path, dest: Path, pages: int | None, copies: int, lightest: bool = False
) -> int:
    """Write `copies` distinct copies of `pages` dev pages; return the file count.

    The first `pages` by name (the issue-20 corpus), or with `lightest` the `pages` smallest by
    bytes: light pages, on which a one-core trafilatura loop runs at 50+ pages/s, show the
    pipeline's fixed costs (start-up, per-shard orchestration, validation) that heavy pages hide.
    """
    sources = sorted((data / "html").glob("*.html.gz"))
    if lightest:
        sizes = {src: len(gzip.decompress(src.read_bytes())) for src in sources}
        sources = sorted(sources, key=lambda src: (sizes[src], src.name))
    n = 0
    for src in sources[:pages]:
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


def _role(cmdline: list[str]) -> str:
    """Which part of a run a process is, from its command line."""
    line = " ".join(cmdline)
    if "multiprocessing" in line:
        return "workers"  # the forkserver (its preload) and the workers it forks
    if "flows.api_server" in line or ("prefect" in line and "server" in line):
        return "server"
    if "flows" in line:
        return "flow"
    return "other"  # make, a shell


class PeakMemory:
    """Sample the summed RSS of a process and all its descendants, and the CPU seconds of each
    (by role: the flow's process, its workers, the Prefect server it starts, the rest). CPU is
    read at each sample: what a process spends after the last one before it exits is missed."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self.cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def cpu_by_role(self) -> dict[str, float]:
        roles: dict[str, float] = {}
        for role, seconds in self.cpu.values():
            roles[role] = roles.get(role, 0.0) + seconds
        return roles

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
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                        with p.oneshot():
                            t = p.cpu_times()
                            role = self.cpu.get(p.pid, (None,))[0] or _role(p.cmdline())
                            self.cpu[p.pid] = (role, t.user + t.system)
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
        "flows",
        "run",
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
    return {
        "seconds": seconds,
        "peak_rss_mb": mem.peak / 2**20,
        "cpu": mem.cpu_by_role(),
        "manifest": manifest,
    }


def make_run(corpus: Path, output: Path, home: Path, server: str = "auto") -> dict:
    """The whole `make run INPUT=corpus OUTPUT=output` as a user types it (default settings:
    `server` "auto" uses the server `make run` keeps under PREFECT_HOME=`home`, starting it when
    none runs; "none": a temporary server for the run alone):
    wall seconds, peak memory, the last line it printed and the manifest (if any).
    `-o .venv/.installed`: never reinstall the package here (a shared venv)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    env["PREFECT_HOME"] = str(home)
    cmd = ["make", "-s", "-o", ".venv/.installed", "run", f"INPUT={corpus}", f"OUTPUT={output}"]
    cmd += [f"SERVER={server}"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with PeakMemory(proc.pid) as mem:
        out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"make run failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    lines = [line for line in out.decode().splitlines() if line.strip()]
    manifests = sorted((output / "runs").glob("*.json"))
    manifest = json.loads(manifests[-1].read_text()) if manifests else {}
    return {
        "seconds": seconds,
        "peak_rss_mb": mem.peak / 2**20,
        "cpu": mem.cpu_by_role(),
        "out": lines,
        "manifest": manifest,
    }


def stop_kept_server(home: Path) -> None:
    """`make server-stop` for PREFECT_HOME=`home`: the server `make run` keeps, stopped."""
    env = {**os.environ, "PREFECT_HOME": str(home)}
    code = "from flows import api_server; api_server.stop()"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)


def _phases(manifest: dict) -> float:
    wall = (manifest.get("timings") or {}).get("wall_seconds") or {}
    return sum(wall.get(k, 0) for k in ("discover", "clean", "dedup", "stage", "validate_report"))


# the peer's whole run on one corpus: a minute or two on a loaded host
PEER_TIMEOUT_SECONDS = 1800.0


def datatrove_peer(python: str, corpus: Path, work: Path) -> dict:
    """The peer pipeline in its own interpreter (benchmarks/peer_datatrove.py): wall seconds."""
    cmd = [python, str(REPO / "benchmarks" / "peer_datatrove.py"), str(corpus), str(work)]
    t0 = time.perf_counter()
    try:  # bounded: a peer that hangs (e.g. an extractor timing out on every page) ends the bench
        proc = subprocess.run(
            cmd, capture_output=True, text=True, check=False, timeout=PEER_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(
            f"datatrove ran past {PEER_TIMEOUT_SECONDS:.0f} s on {corpus}: stopped "
            f"(its output: {str(exc.stdout or '')[-500:]})"
        ) from exc
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"datatrove failed ({proc.returncode}):\n{proc.stderr[-2000:]}{proc.stdout[-1000:]}"
        )
    return {"seconds": seconds, "report": proc.stdout.strip().splitlines()[-1:]}


def _cpu(r: dict) -> str:
    """Where a run's CPU went: the stages (the manifest's per-document steps), the rest of the
    workers (the forkserver's preload, shard plumbing), the flow's process (imports, Great
    Expectations, orchestration), the Prefect server, and make."""
    cpu = r["cpu"]
    stages = sum(((r["manifest"].get("timings") or {}).get("stage_cpu_seconds") or {}).values())
    return (
        f"CPU s: stages {stages:.1f}, workers' rest {cpu.get('workers', 0) - stages:.1f}, "
        f"flow {cpu.get('flow', 0):.1f}, server {cpu.get('server', 0):.1f}, "
        f"other {cpu.get('other', 0):.1f}"
    )


def _report(results: list[str], line: str) -> None:
    """A result line: printed now (a later failure must not lose it) and again at the end."""
    print(line, flush=True)
    results.append(line)


def _ratio(pages: int, seconds: float, before: dict, after: dict) -> tuple[float, float, float]:
    """(pages/s, the mean loop pages/s on either side, the ratio)."""
    pps = pages / seconds
    base = (before["pages_per_s"] + after["pages_per_s"]) / 2
    return pps, base, pps / base


def bench_make_runs(
    label: str, corpus: Path, n: int, tmp: Path, args, loops: list[dict], results: list[str]
) -> dict:
    """The whole `make run` on one corpus, as a machine's first run and as a later one, beside
    the loop before and after, then the datatrove peer (with `--datatrove-python`) and a loop
    after it. Appends the loops and the ratio lines; returns the first run's figures."""
    # PREFECT_HOME of this corpus's `make run`s: its database built by a run on a few pages
    # (a machine's first run also migrates it, ~10 s), then no server running
    home = tmp / f"prefect-{label}"
    build_corpus(args.data, tmp / f"few-{label}", 3, 1)
    make_run(tmp / f"few-{label}", tmp / f"out-few-{label}", home)
    stop_kept_server(home)
    loops.append(baseline_loop(corpus))
    print(f"loop (before make run, {label}): {loops[-1]['pages_per_s']:.1f} pages/s", flush=True)
    first = make_run(corpus, tmp / f"out-make-{label}", home)  # starts the kept server
    again = make_run(corpus, tmp / f"out-make-{label}", home)
    kept = make_run(corpus, tmp / f"out-kept-{label}", home)  # the kept server's second run
    stop_kept_server(home)  # not idling beside the loops
    print(
        f"make run ({label}): {first['seconds']:.1f} s, peak {first['peak_rss_mb']:.0f} MB; "
        f"again (nothing new): {again['seconds']:.2f} s: {again['out'][-1:]}; "
        f"into a fresh OUTPUT with the kept server: {kept['seconds']:.1f} s",
        flush=True,
    )
    loops.append(baseline_loop(corpus))
    print(f"loop (after make run, {label}): {loops[-1]['pages_per_s']:.1f} pages/s", flush=True)
    if loops[-1]["pages_per_s"] < 50 and label == "light":
        print("note: the light corpus's loop is under 50 pages/s (a loaded host?)", flush=True)
    for when, r in (
        ("first on the machine: it starts the server make run keeps", first),
        ("with the server kept by the run before", kept),
    ):
        pps, base, ratio = _ratio(n, r["seconds"], loops[-2], loops[-1])
        _report(
            results,
            f"[{label}] whole make run, {n} pages, {when}: {ratio:.2f}x the loop ({pps:.1f} "
            f"pages/s against {base:.1f}; {r['seconds']:.1f} s, of which the flow's phases "
            f"{_phases(r['manifest']):.1f} s; peak {r['peak_rss_mb']:.0f} MB; {_cpu(r)})",
        )
    _report(results, f"[{label}] make run again, nothing new: {again['seconds']:.2f} s wall")
    if args.datatrove_python:
        peer = datatrove_peer(args.datatrove_python, corpus, tmp / f"datatrove-{label}")
        loops.append(baseline_loop(corpus))
        print(f"datatrove ({label}): {peer['seconds']:.1f} s {peer['report']}", flush=True)
        pps, base, ratio = _ratio(n, peer["seconds"], loops[-2], loops[-1])
        _report(
            results,
            f"[{label}] datatrove (2 tasks, 2 workers, extraction only), {n} pages: {ratio:.2f}x "
            f"the loop ({pps:.1f} pages/s against {base:.1f}; {peer['seconds']:.1f} s)",
        )
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark what a user waits for.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=678, help="dev pages to use (0: all)")
    parser.add_argument("--copies", type=int, default=3, help="distinct copies of each page")
    parser.add_argument("--large", action="store_true", help="also ~20,000 pages (30 copies)")
    parser.add_argument("--large-copies", type=int, default=30, help=argparse.SUPPRESS)
    parser.add_argument(
        "--flow-workers", default="2", help="workers of the flow-only runs, e.g. 1,2 (none: '')"
    )
    parser.add_argument(
        "--no-light", action="store_true", help="skip the light corpus (the lightest pages)"
    )
    parser.add_argument("--port", type=int, default=4299, help="port of the bench's server")
    parser.add_argument(
        "--datatrove-python",
        default=None,
        help="python of a venv with datatrove + orjson + pyarrow",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting by dotted key for the flow-only runs (as the flow's --set)",
    )
    args = parser.parse_args(argv)
    if not (args.data / "html").is_dir():
        print(f"bench: {args.data} is absent; nothing to measure (it needs the dev pages).")
        return 0

    from flows.server import local_prefect_server  # the same server start as `make serve`

    results: list[str] = []
    loops: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        pages = args.pages or None
        corpora = [("dev", False)] + ([] if args.no_light else [("light", True)])
        firsts, sizes = {}, {}
        for label, lightest in corpora:
            corpus = tmp / f"corpus-{label}"
            sizes[label] = build_corpus(args.data, corpus, pages, args.copies, lightest=lightest)
            kind = "the lightest by bytes" if lightest else "the first by name"
            print(f"{label} corpus: {sizes[label]} pages ({args.copies} copies of {kind})")
            firsts[label] = bench_make_runs(label, corpus, sizes[label], tmp, args, loops, results)
        # the flow-only and large runs: on the dev corpus, as earlier benches
        corpus, n, first = tmp / "corpus-dev", sizes["dev"], firsts["dev"]

        flow_workers = [int(w) for w in args.flow_workers.split(",") if w.strip()]
        if flow_workers and len(corpora) > 1:  # the last loop ran on the light corpus
            loops.append(baseline_loop(corpus))
        if flow_workers:
            os.environ["PREFECT_HOME"] = str(tmp / "prefect-home")
            with local_prefect_server(port=args.port) as api_url:
                env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
                fixed = run_flow(tmp / "few-dev", tmp / "out-fixed", 1, env)
                print(f"flow fixed cost (3 pages, running server): {fixed['seconds']:.1f} s")
                for workers in flow_workers:
                    r = run_flow(corpus, tmp / f"out-w{workers}", workers, env, args.set)
                    loops.append(baseline_loop(corpus))
                    pps, base, ratio = _ratio(n, r["seconds"], loops[-2], loops[-1])
                    t = r["manifest"].get("timings", {})
                    print(
                        f"flow only, {workers} worker(s): {r['seconds']:.1f} s; phases "
                        f"{json.dumps(t.get('wall_seconds'))}; "
                        f"{t.get('idle_worker_seconds', 0):.1f} worker-seconds idle",
                        flush=True,
                    )
                    _report(
                        results,
                        f"flow only (running server), {workers} worker(s), {n} pages: "
                        f"{ratio:.2f}x the loop ({pps:.1f} pages/s against {base:.1f}; "
                        f"{r['seconds']:.1f} s, peak {r['peak_rss_mb']:.0f} MB)",
                    )

        if args.large:
            home = tmp / "prefect-dev"
            big = build_corpus(args.data, tmp / "corpus-big", pages, args.large_copies)
            print(f"large corpus: {big} pages", flush=True)
            r = make_run(tmp / "corpus-big", tmp / "out-big", home)
            stop_kept_server(home)
            loops.append(baseline_loop(corpus))
            pps, base, ratio = _ratio(big, r["seconds"], loops[-2], loops[-1])
            _report(
                results,
                f"whole make run, {big} pages: {ratio:.2f}x the loop ({pps:.1f} pages/s against "
                f"{base:.1f} on the small corpus before and after; {r['seconds']:.1f} s; peak "
                f"{r['peak_rss_mb']:.0f} MB = {r['peak_rss_mb'] / first['peak_rss_mb']:.2f}x "
                f"the peak at {n} pages)",
            )
    print("loops (pages/s, in order):", ", ".join(f"{x['pages_per_s']:.1f}" for x in loops))
    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
