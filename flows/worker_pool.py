"""The shard task runner: Prefect task runs on threads of the flow, their work on warm processes.

`ShardTaskRunner` (`shard_task_runner`) is Prefect's `ThreadPoolTaskRunner` (public API) that, while it runs, owns a
`concurrent.futures.ProcessPoolExecutor`; each shard task (`flows.tasks.clean_shard_task`)
hands its cleaning to that pool (`call`) and waits for it. Prefect tracks, retries and shows the
task runs in the flow's process; a worker process only cleans (no Prefect client, no API call),
and gives the shard's rows back to the flow, which validates and writes them
(`flows.validation`). Without a pool (the thread runner, a Dask worker) `call` runs in place.

Warm workers: `start` launches a multiprocessing forkserver when a run is known to have work
(`flows.cli`, before the run's Prefect server boots, so that the two overlap); it imports
`flows.shard_worker` (the stages, warmed on an inline page) on its main thread, and every
worker is a fork of it (cheap). Runs that did not start one (the tests that call the flow
directly) spawn their workers. A forkserver started by an earlier run of a long-lived process
holds that moment's environment: each worker takes the current run's environment and working
directory from its initializer.

A shard past its time limit (`flows.shards`): `kill_workers` kills the pool's processes (psutil,
by the pids each worker reports from its initializer); every shard still in the pool fails and
the runner can only be left; the next attempt enters a new one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver
from typing import Any, TypeVar

import psutil

from flows.fast_exit import arm_worker

PRELOAD = ["flows.shard_worker"]
_started: list[bool] = []
_pools: list[ProcessPoolExecutor] = []  # the pool of the runner entered last, while it runs
R = TypeVar("R")


def start() -> None:
    """Launch the forkserver now (idempotent); it imports `PRELOAD` while the run starts up."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
    _started.append(True)


def call(fn: Callable[..., R], *args: Any) -> R:
    """`fn(*args)` on the running `ShardTaskRunner`'s worker processes, or here without one."""
    return _pools[-1].submit(fn, *args).result() if _pools else fn(*args)


def _report_pid(pids: Any, environ: dict[str, str], cwd: str) -> None:
    """A worker's initializer: the run's environment and working directory (a forkserver
    started by an earlier run of this process holds that moment's: credentials or an endpoint
    set since would be missing), its pid for `kill_workers`, then the worker's exit rules."""
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    pids.put(multiprocessing.current_process().pid)
    arm_worker()


def shard_task_runner(workers: int) -> Any:
    """A `ShardTaskRunner` of `workers` processes (Prefect imported here, not by the command
    line that starts the forkserver before the run's server is known)."""
    from prefect.task_runners import ThreadPoolTaskRunner

    class ShardTaskRunner(ThreadPoolTaskRunner):
        """Prefect's thread pool runner, whose shard tasks run on a process pool of `workers`
        warm workers (see the module docstring)."""

        def __init__(self, workers: int) -> None:
            super().__init__(max_workers=workers)
            self.workers = workers
            self._context = multiprocessing.get_context("forkserver" if _started else "spawn")
            self._pids = self._context.SimpleQueue()
            self._pool: ProcessPoolExecutor | None = None

        def duplicate(self) -> Any:
            return type(self)(self.workers)

        def __enter__(self) -> Any:
            super().__enter__()
            self._pool = ProcessPoolExecutor(
                self.workers,
                self._context,
                initializer=_report_pid,
                initargs=(self._pids, dict(os.environ), os.getcwd()),
            )
            _pools.append(self._pool)
            return self

        def __exit__(self, *exc: Any) -> None:
            try:
                super().__exit__(*exc)  # every task run has ended
            finally:
                if self._pool is not None:
                    _pools.remove(self._pool)
                    self._pool.shutdown(wait=True, cancel_futures=True)

        def kill_workers(self) -> None:
            """Kill the pool's workers: its tasks fail, and the runner can only be left."""
            while not self._pids.empty():
                with contextlib.suppress(psutil.NoSuchProcess):
                    psutil.Process(self._pids.get()).kill()

    return ShardTaskRunner(workers)
