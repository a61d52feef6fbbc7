"""Shard workers forked from the run's forkserver (flows/worker_pool.py, flows/shard_worker.py).

Each test runs in a process of its own: a forkserver belongs to the process that started it,
and this test process must keep spawned workers for the other flow tests.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from tests.flows.cli_env import cli_env
from tests.flows.corpus import STORIES, page, write_corpus

REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path / "prefect")


def test_the_shard_runner_forks_its_workers_and_kills_them_on_demand(tmp_path):
    # the workers are children of the forkserver, not of this process; kill_workers breaks the
    # pool under a shard still running (a shard past its time limit), through public APIs only
    code = (
        "import os, threading, time\n"
        "from concurrent.futures.process import BrokenProcessPool\n"
        "from flows import worker_pool\n"
        "worker_pool.start()\n"
        "out = []\n"
        "def sleep():\n"
        "    try:\n"
        "        worker_pool.call(time.sleep, 120)\n"
        "        out.append('finished')\n"
        "    except BrokenProcessPool:\n"
        "        out.append('broken')\n"
        "with worker_pool.shard_task_runner(2) as runner:\n"
        "    parents = {worker_pool.call(os.getppid) for _ in range(4)}\n"
        "    t = threading.Thread(target=sleep)\n"
        "    t.start()\n"
        "    time.sleep(1)\n"
        "    runner.kill_workers()\n"
        "    t.join(60)\n"
        "print(os.getpid() in parents, len(parents), worker_pool.call(os.getpid) == os.getpid(),"
        " *out)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["False", "1", "True", "broken"]


def test_the_stages_are_warm_in_the_preloaded_module(tmp_path):
    # a fork of the forkserver has run a page through the stages: its first real page pays no
    # model loading (the language identifier is loaded once, by the warm-up); a worker runs no
    # Prefect code (the shard's task run is the flow's), so the preload imports none
    code = (
        "import sys\n"
        "import flows.shard_worker\n"
        "from transforms.metadata import language\n"
        "print(language._identifier.cache_info().currsize, 'prefect' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["1", "False"]


def test_the_preload_starts_no_thread_the_forkserver_would_fork_beside(tmp_path):
    # The forkserver forks its workers from the thread that imported the preload. A thread
    # still running then may hold a lock (OpenSSL's, the allocator's, logging's) that every
    # worker inherits held: issue 33's hung worker, in ssl.create_default_context. The preload
    # must run on the importing thread and leave no Python thread behind.
    code = (
        "import threading\n"
        "started = []\n"
        "start = threading.Thread.start\n"
        "def record(self):\n"
        "    started.append(self.name)\n"
        "    start(self)\n"
        "threading.Thread.start = record\n"
        "import flows.shard_worker\n"
        "print(len(started), threading.active_count())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["0", "1"]


def test_forked_workers_create_ssl_contexts_while_the_parent_is_busy(tmp_path):
    # What the hung worker did first (Prefect's get_client: ssl.create_default_context), in
    # 30 workers forked by the forkserver from its start (the first fork follows the preload at
    # once, as on a run's first shards) while this process creates SSL contexts on two threads
    # of its own: every worker ends within 30 s.
    code = (
        "import multiprocessing, ssl, threading\n"
        "from flows import worker_pool\n"
        "stop = threading.Event()\n"
        "def busy():\n"
        "    while not stop.is_set():\n"
        "        ssl.create_default_context()\n"
        "threads = [threading.Thread(target=busy) for _ in range(2)]\n"
        "[t.start() for t in threads]\n"
        "worker_pool.start()\n"
        "context = multiprocessing.get_context('forkserver')\n"
        "codes = []\n"
        "for _ in range(30):\n"
        "    p = context.Process(target=ssl.create_default_context)\n"
        "    p.start()\n"
        "    p.join(30)\n"
        "    codes.append('hung' if p.is_alive() else str(p.exitcode))\n"
        "    p.kill()\n"
        "stop.set()\n"
        "[t.join() for t in threads]\n"
        "print(*sorted(set(codes)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["0"]


def _rows(output: Path, table: str) -> list[tuple]:
    files = sorted((output / table).rglob("*.parquet"))
    rows = []
    for f in files:
        t = pq.read_table(f)
        rows += list(zip(t["doc_id"].to_pylist(), t["source_path"].to_pylist(), strict=True))
    return sorted(rows)


@pytest.mark.slow
def test_a_cli_run_on_forked_workers_publishes_what_one_worker_does(tmp_path):
    root = tmp_path / "in"
    write_corpus(root)
    outputs = {}
    for name, args in (("forked", ["--workers", "2"]), ("one", ["--workers", "1"])):
        outputs[name] = tmp_path / name
        cmd = [sys.executable, "-m", "flows", "run", "--input", str(root)]
        cmd += ["--output", str(outputs[name]), "--shard-size", "3", "--no-progress", *args]
        proc = subprocess.run(
            cmd, cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads(next((outputs["forked"] / "runs").glob("*.json")).read_text())
    assert manifest["task_runner"] == "process" and len(manifest["timings"]["shards"]) > 1
    for table in ("articles", "duplicates", "quarantine"):
        assert _rows(outputs["forked"], table) == _rows(outputs["one"], table), table


@pytest.mark.slow
def test_a_killed_run_leaves_no_worker_and_no_forkserver(tmp_path):
    # a SIGKILLed run cannot stop its pool: the workers notice that the run is gone and end,
    # and the forkserver with them (it ends when the last holder of its pipe does)
    root = tmp_path / "in"
    root.mkdir()
    paragraphs = [p for story in STORIES.values() for p in story]
    for i in range(400):  # enough pages for the clean phase to last while the test looks
        text = [f"Item {i}: {p}" for p in paragraphs[i % 5 :] + paragraphs[: i % 5]]
        (root / f"p{i:03d}.html").write_text(page(f"Story number {i}", text, "Test Post"))
    cmd = [sys.executable, "-m", "flows", "run", "--input", str(root), "--output"]
    cmd += [str(tmp_path / "out"), "--workers", "2", "--no-progress"]
    run = subprocess.Popen(cmd, cwd=REPO, env=_env(tmp_path), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    descendants: list[psutil.Process] = []
    # the run's own server, its forkserver and at least one forked worker
    while len(descendants) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            descendants = psutil.Process(run.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
    assert run.poll() is None and len(descendants) >= 3, "the run ended before it was killed"
    run.send_signal(signal.SIGKILL)
    run.wait()
    running, until = descendants, time.monotonic() + 20
    while running and time.monotonic() < until:
        running = [p for p in running if _running(p)]
        time.sleep(0.2)
    left = [" ".join(p.cmdline()[:4])[:80] for p in running]
    for p in running:
        p.kill()
    assert not running, left


def _running(process: psutil.Process) -> bool:
    """Alive and not a zombie (an orphan's exit status waits for whoever adopted it)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_worker_takes_the_environment_of_its_run_not_of_the_forkserver(monkeypatch):
    # a long-lived process (a test session, `newsclean serve`) keeps the forkserver of its first
    # run: credentials or an endpoint set since must still reach the workers
    import os

    from flows import worker_pool

    worker_pool.start()
    monkeypatch.setenv("NEWSCLEAN_WORKER_POOL_MARK", "set after the forkserver")
    with worker_pool.shard_task_runner(1):
        seen = worker_pool.call(os.getenv, "NEWSCLEAN_WORKER_POOL_MARK")
    assert seen == "set after the forkserver"
