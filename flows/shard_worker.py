"""What a shard worker needs, imported once by the run's forkserver (`flows.worker_pool`).

Importing this module imports the shard task (Prefect, the stages, pyarrow), runs one inline
page through the stages (`transforms.pipeline.warm_up`) and loads Prefect's collections, so
that every worker forked afterwards starts with all of it loaded.

It runs on the importing thread, the forkserver's main thread, and starts no thread: the
forkserver forks every worker from that thread, and a fork copies the locks that another thread
holds at that moment, held, into a child that has no thread to release them. A preload on a
thread of its own (commit c078ce8, for a lower priority) left its thread ending while the first
workers were forked: now and then (issue 33) a worker was blocked for ever on an OpenSSL lock in its
first `ssl.create_default_context` (issue 33; `tests/flows/test_worker_pool.py` checks that the
preload starts no thread, `scripts/stress_runs.py` runs many small runs).
"""

from __future__ import annotations

from prefect import engine, task_engine  # what Prefect's worker imports at its first task
from prefect.plugins import load_prefect_collections

from flows.tasks import clean_shard_task
from transforms.pipeline import warm_up

__all__ = ["clean_shard_task", "engine", "task_engine"]

warm_up()
# A worker's first task hydrates Prefect's run context, which imports every installed Prefect
# collection (prefect-dask, and with it Dask's distributed: a costly import): once, here.
load_prefect_collections()
