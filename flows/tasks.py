"""Prefect tasks: each a few lines around a pure function of transforms/.

Retries apply to I/O failures only (`OSError`: a flaky disk or network filesystem); a bug or
bad data fails at once, since running it again would fail the same way.
"""

from __future__ import annotations

from prefect import task

from expectations.shards import validate_articles
from transforms.run.shard import ShardJob, ShardResult, clean_shard


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
def clean_shard_task(job: ShardJob, validate_here: bool) -> ShardResult:
    """Read, clean, sign and (with `validate_here`, on Dask) validate one shard; stage it."""
    return clean_shard(job, validate_articles if validate_here else None)


def shard_name(index: int) -> str:
    return f"{index:05d}"
