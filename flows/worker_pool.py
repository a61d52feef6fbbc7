"""Shard workers forked from a warm process, instead of spawned cold.

Prefect's `ProcessPoolTaskRunner` spawns its workers when the flow submits the first shard:
each is a fresh interpreter that imports Prefect, trafilatura, pyarrow and the stages (seconds
of CPU) and loads the stages' models at its first page. On a machine with as many
cores as workers that is the first seconds of the clean phase, twice over, with no page cleaned.

A multiprocessing forkserver does it once. `start` launches it when a run is known to have
work (`flows.cli`, before the run's Prefect server boots, so that the two overlap); it imports
`flows.shard_worker` (the shard task, the stages warmed on an inline page) and every worker is
then a fork of it (cheap). The workers are the same as spawned ones otherwise: Prefect hands
each task the flow's environment and settings context, as it does to spawned workers.

The forkserver is this process's own and ends with it. Runs that did not start one
(`python -m flows.clean_articles`, the tests that call the flow directly) keep Prefect's spawned
workers: a forkserver started earlier in a long-lived process would hand its workers that
moment's working directory and environment.

Private internals (the one use of Prefect's in this project): `ProcessPoolTaskRunner.__enter__`
(prefect 3.8.8, pinned in pyproject.toml) builds its executor with
`multiprocessing.get_context("spawn")`, read through the `multiprocessing` name of
`prefect.task_runners`; `WarmProcessPoolTaskRunner` points that name, for the length of its
`__enter__`, at a module whose `get_context` gives the forkserver's context.
`tests/flows/test_worker_pool.py` fails (never skips) when a Prefect upgrade changes that.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing import forkserver
from types import ModuleType
from typing import Any

PRELOAD = ["flows.shard_worker"]
_started: list[bool] = []
_enter_lock = threading.Lock()


def start() -> None:
    """Launch the forkserver now (idempotent); it imports `PRELOAD` while the run starts up."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
    _started.append(True)


def started() -> bool:
    """This process launched the forkserver (`start`): its task runner forks from it."""
    return bool(_started)


class _ForkserverMultiprocessing(ModuleType):
    """`multiprocessing` as `prefect.task_runners` sees it while a warm runner starts: every
    start method asked for is the forkserver."""

    def __init__(self) -> None:
        super().__init__("multiprocessing")

    def get_context(self, method: str | None = None) -> Any:
        return multiprocessing.get_context("forkserver")

    def __getattr__(self, name: str) -> Any:
        return getattr(multiprocessing, name)


def warm_process_pool_runner(max_workers: int, initializer: Any) -> Any:
    """A `ProcessPoolTaskRunner` whose workers are forks of the forkserver (see the module
    docstring)."""
    import prefect.task_runners as task_runners

    class WarmProcessPoolTaskRunner(task_runners.ProcessPoolTaskRunner):
        def __enter__(self) -> Any:
            # the lock: two runners starting at once must not restore each other's name
            with _enter_lock:
                spawn_module = task_runners.multiprocessing
                task_runners.multiprocessing = _ForkserverMultiprocessing()
                try:
                    return super().__enter__()
                finally:
                    task_runners.multiprocessing = spawn_module

    return WarmProcessPoolTaskRunner(max_workers=max_workers, initializer=initializer)


def kill_workers(runner: Any) -> None:
    """Kill the worker processes of a started `ProcessPoolTaskRunner` (a shard past its time
    limit, `flows.shards`): its pool breaks, every task still in it fails, and the runner can
    only be left. Private internals of Prefect's runner (`_executor`) and of
    `concurrent.futures.ProcessPoolExecutor` (`_processes`), like the rest of this module."""
    executor = getattr(runner, "_executor", None)
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.kill()
