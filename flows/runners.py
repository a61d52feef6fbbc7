"""Task runners: local processes by default, a Dask cluster when one machine is not enough."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from transforms.run.planning import TaskRunnerName


def make_task_runner(name: TaskRunnerName, workers: int, dask_address: str | None = None):
    """The Prefect task runner for the shard tasks.

    - process: the project's `ShardTaskRunner` (`flows.worker_pool`): task runs on threads,
      the cleaning on `workers` processes (CPU-bound extraction needs real processes), forks
      of a warm forkserver when the run started one. See `effective_runner` for one worker.
    - thread: one process; for debugging and tiny corpora.
    - dask: prefect-dask's `DaskTaskRunner`, on the scheduler at `dask_address`, or on a
      temporary local cluster of `workers` processes when no address is given.
    """
    if name == "process":
        from flows.worker_pool import shard_task_runner

        return shard_task_runner(workers)
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


@contextmanager
def workers_share_this_api() -> Iterator[str | None]:
    """Point worker processes at the API this flow run talks to.

    Without a configured PREFECT_API_URL a flow runs against a temporary local server; the
    worker processes of a local Dask cluster (which run the task runs) would each start
    another one (~15-30 s each). Exporting the running server's URL for the runner's lifetime avoids that.
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
