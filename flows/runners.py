"""Task runners: local processes by default, a Dask cluster when one machine is not enough."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Literal, TypeVar

TaskRunnerName = Literal["process", "thread", "dask"]

Item = TypeVar("Item")
Fut = TypeVar("Fut")


def effective_runner(name: TaskRunnerName, workers: int) -> TaskRunnerName:
    """The runner a run really uses: `process` with one worker runs on a thread of the flow.

    One worker process gives no parallelism over the flow's own process, and costs a process
    start, the imports again and a shutdown (seconds, against a running server).
    """
    return "thread" if name == "process" and workers <= 1 else name


def make_task_runner(name: TaskRunnerName, workers: int, dask_address: str | None = None):
    """The Prefect task runner for the shard tasks.

    - process: `ProcessPoolTaskRunner` with `workers` processes (CPU-bound extraction needs
      real processes; each pays the imports once, ~3 s, unless the run started a forkserver
      to fork them from: `flows.worker_pool`). See `effective_runner` for one worker.
    - thread: one process; for debugging and tiny corpora.
    - dask: prefect-dask's `DaskTaskRunner`, on the scheduler at `dask_address`, or on a
      temporary local cluster of `workers` processes when no address is given.
    """
    if name == "process":
        from prefect.task_runners import ProcessPoolTaskRunner

        from flows import worker_pool
        from flows.fast_exit import arm_worker

        if worker_pool.started():
            return worker_pool.warm_process_pool_runner(workers, arm_worker)
        return ProcessPoolTaskRunner(max_workers=workers, initializer=arm_worker)
    if name == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    if name == "dask":
        from prefect_dask import DaskTaskRunner  # heavy: only when asked for

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}
        )
    raise ValueError(f"unknown task runner {name!r}: use process, thread or dask")


def submission_window(name: TaskRunnerName, workers: int, tasks: int) -> int:
    """How many shard tasks to keep submitted at once.

    Prefect's process pool hands submitted tasks to its executor from a pool of resolver
    threads, in no fixed order: with every shard submitted at once a big shard could start
    last and leave the other workers idle (a large share of a run's time). One task more than
    the workers keeps them busy and the shards in the order given (heaviest first, see
    `execution_order`). A Dask cluster's size is its own, and its scheduler orders what it gets.
    """
    return max(1, tasks if name == "dask" else workers + 1)


def submit_in_window(
    items: Iterable[Item],
    submit: Callable[[Item], Fut],
    window: int,
    first_done: Callable[[list[Fut]], Fut],
) -> Iterator[tuple[Item, Fut]]:
    """Submit `items` in order, never more than `window` unfinished at once; yield each
    (item, future) as it finishes. `first_done` waits for one of the given futures and
    returns it. The next item is submitted when the consumer asks for the next result."""
    todo = deque(items)
    running: dict[Fut, Item] = {}
    while todo or running:
        while todo and len(running) < window:
            item = todo.popleft()
            running[submit(item)] = item
        done = first_done(list(running))
        yield running.pop(done), done


@contextmanager
def workers_share_this_api() -> Iterator[str | None]:
    """Point worker processes at the API this flow run talks to.

    Without a configured PREFECT_API_URL a flow runs against a temporary local server; worker
    processes started by a process pool or a local Dask cluster would each start another one
    (~15-30 s each). Exporting the running server's URL for the runner's lifetime avoids that.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    url = str(ctx.client.api_url) if ctx and ctx.client else None
    if url:
        os.environ["PREFECT_API_URL"] = url
    try:
        yield url
    finally:
        if url:
            os.environ.pop("PREFECT_API_URL", None)
