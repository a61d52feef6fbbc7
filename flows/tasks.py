"""Prefect tasks: each a few lines around a pure function of transforms/.

Retries apply to I/O failures only (`OSError`: a flaky disk or network filesystem); a bug or
bad data fails at once, since running it again would fail the same way.
"""

from __future__ import annotations

from datetime import datetime

from prefect import task

from transforms.core.config import PipelineConfig
from transforms.read.files import InputFile
from transforms.run.shard import ShardResult, clean_shard


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
def clean_shard_task(
    input_root: str,
    files: list[InputFile],
    output: str,
    run_id: str,
    shard: str,
    ingested_at: datetime,
    config: PipelineConfig,
    validate: bool = True,
    docs_dir: str | None = None,
) -> ShardResult:
    """Read, clean, sign and (with `validate`) validate one shard; stage its Parquet files."""
    return clean_shard(
        input_root, files, output, run_id, shard, ingested_at, config, validate, docs_dir
    )


def shard_name(index: int) -> str:
    return f"{index:05d}"
