"""Prefect tasks: each a few lines around a pure function of transforms/.

Retries apply to I/O failures only (`OSError`: a flaky disk or network filesystem); a bug or
bad data fails at once, since running it again would fail the same way.
"""

from __future__ import annotations

from prefect import task

from flows.worker_pool import call
from transforms.run.shard import ShardJob, ShardResult, clean_shard_rows


def retry_on_io_error(task_, task_run, state) -> bool:
    """Prefect retry condition: retry only when the task failed with an OSError."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


IO_RETRIES = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": retry_on_io_error}


@task(name="clean_shard", **IO_RETRIES)
def clean_shard_task(job: ShardJob) -> ShardResult:
    """Read, clean and sign one shard, on a warm worker process (`flows.worker_pool`; here on
    the thread runner or a Dask worker); its rows go back to the flow, which validates and
    writes them (`flows.validation`)."""
    return call(clean_shard_rows, job)


def shard_name(index: int) -> str:
    return f"{index:05d}"
