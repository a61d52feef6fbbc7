"""What a shard worker needs, imported once by the run's forkserver (`flows.worker_pool`).

Importing this module imports the shard task (Prefect, the stages, pyarrow), runs one inline
page through the stages (`transforms.pipeline.warm_up`) and loads Prefect's collections, so
that every worker forked afterwards starts with all of it loaded.

That work (seconds of CPU) runs on a thread of lower priority: it overlaps with the run's start,
whose critical path is the command line's imports and, on a machine's first run, the Prefect
server's boot, on the same cores; the workers are forked only once the flow submits its first
shards. On Linux a thread's nice value is its own, so the forkserver's main thread, which forks
the workers, and the workers keep the normal priority.
"""

from __future__ import annotations

import contextlib
import os
import threading

_failed: list[BaseException] = []


def _preload() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: at the normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    try:
        from prefect import engine, task_engine  # noqa: F401 (a worker's first task imports them)
        from prefect.plugins import load_prefect_collections

        import flows.tasks  # noqa: F401
        from transforms.pipeline import warm_up

        warm_up()
        # A worker's first task hydrates Prefect's run context, which imports every installed
        # Prefect collection (prefect-dask, and with it Dask's distributed: a costly import).
        load_prefect_collections()
    except BaseException as exc:  # raised again on the importing thread
        _failed.append(exc)


_thread = threading.Thread(target=_preload, name="preload")
_thread.start()
_thread.join()
if _failed:
    raise _failed[0]

from flows.tasks import clean_shard_task  # noqa: E402 (imported by the thread above)

__all__ = ["clean_shard_task"]
