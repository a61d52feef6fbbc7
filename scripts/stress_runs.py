"""Many small runs in a row, each under a time limit: a run that hangs is counted, not waited for.

Usage: python scripts/stress_runs.py --runs 100 [--input data/sample] [--workers 2] [--limit 120]

Each run cleans INPUT into a fresh OUTPUT under a temporary directory with forked workers
(`--workers 2`), against one Prefect server this starts for them (`flows.server`, a free port),
so that every run forks its workers from a new forkserver right after its preload: the moment
issue 33's hang (about one run in 70) came from. A run still going after `--limit` seconds is
killed with its process group and reported as hung. Prints one line a run and a summary; the
exit code is the number of hung or failed runs (0: none).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--input", default=str(REPO / "data" / "sample"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds a run may take")
    args = parser.parse_args(argv)
    seconds: list[float] = []
    bad: list[str] = []
    with tempfile.TemporaryDirectory(prefix="stress-runs-") as tmp:
        env = dict(os.environ, PREFECT_HOME=str(Path(tmp) / "prefect"), PYTHONPATH=str(REPO))
        env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
        env.pop("PREFECT_API_URL", None)
        Path(env["PREFECT_HOME"]).mkdir()
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
        server = [sys.executable, "-m", "flows", "server"]
        subprocess.run([*server, "start", "--port", str(port)], cwd=REPO, env=env, check=True)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        for i in range(args.runs):
            cmd = [sys.executable, "-m", "flows", "run", "--input", args.input, "--output"]
            cmd += [str(Path(tmp) / f"out{i}"), "--workers", str(args.workers), "--no-progress"]
            start = time.monotonic()
            run = subprocess.Popen(
                cmd,
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                _, err = run.communicate(timeout=args.limit)
                outcome = "ok" if run.returncode == 0 else f"exit {run.returncode}"
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)
                _, err = run.communicate()
                outcome = "HUNG"
            took = time.monotonic() - start
            seconds.append(took)
            # a shard that hung and was given up on (flows/shards.py) ends the run too
            for manifest in (Path(tmp) / f"out{i}" / "runs").glob("*.json"):
                reasons = json.loads(manifest.read_text()).get("quarantine_reasons", {})
                if any("shard_timeout" in reason for reason in reasons):
                    outcome = f"{outcome}, shard_timeout"
            if outcome != "ok":
                bad.append(f"run {i}: {outcome}: {err.decode(errors='replace')[-300:]}")
            print(f"run {i + 1}/{args.runs}: {outcome} in {took:.1f} s", flush=True)
        subprocess.run(
            [sys.executable, "-m", "flows", "server", "stop"],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=False,
        )
    print(
        f"{args.runs} runs, {len(bad)} hung or failed; seconds a run: median "
        f"{statistics.median(seconds):.1f}, max {max(seconds):.1f}"
    )
    for line in bad:
        print(line)
    return len(bad)


if __name__ == "__main__":
    sys.exit(main())
