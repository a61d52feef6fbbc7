"""`clean_shard` as the tests call it: a job from plain arguments, validated by the suite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from transforms.core.config import PipelineConfig
from transforms.read.files import InputFile
from transforms.run.shard import ShardJob, ShardResult, clean_shard


def run_shard(
    root: str,
    files: Sequence[InputFile],
    output: str,
    run_id: str,
    shard: str,
    ingested_at: datetime,
    config: PipelineConfig,
    validate: bool = True,
    docs_dir: str | None = None,
) -> ShardResult:
    """Clean one shard; with `validate`, the articles suite runs in the shard (as on Dask)."""
    from expectations.shards import validate_articles

    job = ShardJob(
        input_root=root,
        files=tuple(files),
        output=output,
        run_id=run_id,
        shard=shard,
        ingested_at=ingested_at,
        config=config,
        docs_dir=docs_dir,
    )
    return clean_shard(job, validate_articles if validate else None)
