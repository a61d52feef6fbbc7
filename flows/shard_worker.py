"""What a shard worker needs, imported once by the run's forkserver (`flows.worker_pool`).

Importing this module imports the shard's code (the stages, pyarrow) and runs one inline page
through the stages (`transforms.pipeline.warm_up`), so that every worker forked afterwards
starts with all of it loaded. A worker runs no Prefect code: the shard's task run is the flow's.

It runs on the importing thread, the forkserver's main thread, and starts no thread: the
forkserver forks every worker from that thread, and a fork copies the locks that another thread
holds at that moment, held, into a child that has no thread to release them (issue 33: a worker
blocked for ever on an OpenSSL lock; `tests/flows/test_worker_pool.py` checks that the preload
starts no thread, `scripts/stress_runs.py` runs many small runs).
"""

from __future__ import annotations

from transforms.pipeline import warm_up
from transforms.run.shard import clean_shard_rows

__all__ = ["clean_shard_rows"]

warm_up()
