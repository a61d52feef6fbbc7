"""What a shard worker needs, imported once by the run's forkserver (`flows.worker_pool`).

Importing this module imports the shard task (Prefect, the stages, pyarrow) and runs one inline
page through the stages (`transforms.pipeline.warm_up`), so that every worker forked afterwards
starts with all of it loaded.
"""

from __future__ import annotations

from prefect import engine, task_engine  # what Prefect's worker imports at its first task

from flows.tasks import clean_shard_task
from transforms.pipeline import warm_up

__all__ = ["clean_shard_task", "engine", "task_engine"]

warm_up()
