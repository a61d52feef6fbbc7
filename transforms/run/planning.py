"""Group input files into shards (the unit of parallel work and of one Prefect task run), and
the order and number in which the flow hands them to its task runner."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from transforms.core.config import ShardSettings
from transforms.read.files import InputFile

TaskRunnerName = Literal["process", "thread", "dask"]


def effective_runner(name: TaskRunnerName, workers: int) -> TaskRunnerName:
    """The runner a run really uses: `process` with one worker runs on a thread of the flow.

    One worker process gives no parallelism over the flow's own process, and costs a process
    start, the imports again and a shutdown (seconds, against a running server).
    """
    return "thread" if name == "process" and workers <= 1 else name


def plan_shards(
    files: Sequence[InputFile], settings: ShardSettings, workers: int = 1
) -> list[list[InputFile]]:
    """Split files into contiguous shards of at most `shard_size` files and `shard_bytes` bytes.

    Small runs are still split so that every worker has work (at least `shards_per_worker`
    shards a worker when there are enough files), but never into shards smaller than
    `min_shard_files`. Shard costs vary (a shard of heavy pages takes several times longer), and
    a run lasts until its last shard is done: so once fewer files (or bytes) are left than the
    workers' next round of full shards, each shard takes the files (and bytes) left divided by
    the workers (guided self-scheduling), down to `tail_shard_share` of a full shard. The run
    ends on small, light shards and no worker idles long while another finishes a big one.
    """
    if not files:
        return []
    n, workers = len(files), max(workers, 1)
    total = sum(f.size for f in files)
    by_count = math.ceil(n / settings.shard_size)
    by_bytes = math.ceil(total / settings.shard_bytes)
    for_workers = min(settings.shards_per_worker * workers, max(n // settings.min_shard_files, 1))
    target = max(by_count, by_bytes, for_workers, 1)
    per_shard = math.ceil(n / target)
    floor = max(settings.min_shard_files, math.ceil(settings.tail_shard_share * per_shard))
    floor_bytes = settings.tail_shard_share * total / target

    shards: list[list[InputFile]] = []
    current: list[InputFile] = []
    size, cap, byte_cap, left = 0, per_shard, settings.shard_bytes, total
    for i, f in enumerate(files):
        if current and (
            len(current) >= cap
            or size + f.size > settings.shard_bytes
            # the bytes left, split among the workers (a tail of heavy pages shrinks by bytes)
            or (size + f.size > byte_cap and len(current) >= settings.min_shard_files)
        ):
            shards.append(current)
            left -= size
            current, size = [], 0
        if not current:  # a new shard: its size follows the n - i files (and bytes) left
            cap = min(per_shard, max(floor, math.ceil((n - i) / workers)))
            byte_cap = max(floor_bytes, left / workers)
        current.append(f)
        size += f.size
    if current:
        shards.append(current)
    if len(shards) > 1 and len(shards[-1]) < floor:  # a few files left over: no shard of their own
        merged = shards[-2] + shards[-1]
        if len(merged) <= per_shard and sum(f.size for f in merged) <= settings.shard_bytes:
            shards[-2:] = [merged]
    return shards


def execution_order(shards: Sequence[Sequence[InputFile]]) -> list[int]:
    """The order to hand planned shards to the workers: most bytes first (ties: plan order).

    A shard's cost follows its bytes more than its file count (a shard of heavy pages takes
    several times as long as one of light pages, at the same count), and the run ends when the
    last shard does: longest first, lightest last, so the workers finish close together. Only
    the order changes: a shard's files (and so what its batch steps see) stay as planned.
    """
    sizes = [sum(f.size for f in shard) for shard in shards]
    return sorted(range(len(shards)), key=lambda i: (-sizes[i], i))


def validate_now(waiting_rows: int, unfinished: int, workers: int, batch_rows: int) -> bool:
    """Whether the shards that came back (`waiting_rows` articles together) are validated now
    as one batch, or wait for more (`shards.validate_batch_rows`, see its comment): now when
    they hold `batch_rows` articles, or when fewer shards than `workers` are unfinished (a
    worker's core is free: the validation takes nothing from the cleaning)."""
    return waiting_rows >= batch_rows or unfinished < workers


def submission_window(name: TaskRunnerName, workers: int, tasks: int) -> int:
    """How many shard tasks to keep submitted at once.

    With every shard submitted at once a big shard could start last and leave the other
    workers idle (a large share of a run's time), and a shard's time limit would run while it
    waits. One task more than the workers keeps them busy and the shards in the order given
    (heaviest first, see `execution_order`). A Dask cluster's size is its own, and its scheduler orders what it gets.
    """
    return max(1, tasks if name == "dask" else workers + 1)
