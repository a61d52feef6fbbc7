"""Group input files into shards: the unit of parallel work and of one Prefect task run."""

from __future__ import annotations

import math
from collections.abc import Sequence

from transforms.config import PipelineConfig
from transforms.readers import InputFile


def plan_shards(
    files: Sequence[InputFile], config: PipelineConfig, workers: int = 1
) -> list[list[InputFile]]:
    """Split files into contiguous shards of at most `shard_size` files and `shard_bytes` bytes.

    Small runs are still split so that every worker has work (at least `shards_per_worker`
    shards a worker when there are enough files, so a slow shard does not leave a core idle
    at the end), but never into shards smaller than `min_shard_files`.
    """
    if not files:
        return []
    n = len(files)
    by_count = math.ceil(n / config.shard_size)
    by_bytes = math.ceil(sum(f.size for f in files) / config.shard_bytes)
    for_workers = min(
        config.shards_per_worker * max(workers, 1), max(n // config.min_shard_files, 1)
    )
    target = max(by_count, by_bytes, for_workers, 1)
    per_shard = math.ceil(n / target)
    shards: list[list[InputFile]] = []
    current: list[InputFile] = []
    size = 0
    for f in files:
        if current and (len(current) >= per_shard or size + f.size > config.shard_bytes):
            shards.append(current)
            current, size = [], 0
        current.append(f)
        size += f.size
    if current:
        shards.append(current)
    return shards
