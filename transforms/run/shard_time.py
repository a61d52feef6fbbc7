"""A time limit for each shard, so that no worker can hold a run for ever (issue 33).

A shard's limit is `shards.timeout_base_seconds` plus `shards.timeout_seconds_per_mb` for each
MB of its input files: its clock starts when a worker is free to take it (`ShardClock`: at its
submission while fewer shards than workers run, else when one of them ends). The flow
(`flows/shards.py`) waits for the next shard no longer than the nearest deadline; a shard past
it has its worker killed and is tried once more on a fresh pool; a shard past it again
(`ATTEMPTS`) is given up: `timed_out_shard` gives one quarantine row for each of its files
(stage `shard`, reason `shard_timeout`, the limit in the detail) and the run goes on with the
rest. Its files go to the ledger like any quarantined file: a later run does not try them
again unless they change.
"""

from __future__ import annotations

import time
from collections import deque

from transforms.core.ids import record_key
from transforms.core.record import Article, Drop
from transforms.core.steps import StepStats
from transforms.run.shard import ShardJob, ShardResult, ShardRows, signed
from transforms.run.tables import articles_table, identical_duplicates_table, quarantine_table

ATTEMPTS = 2  # a shard is given up after this many workers passed its limit
MB = 1024 * 1024


def time_limit(job: ShardJob) -> float:
    """Seconds shard `job` may take from the moment a worker is free for it."""
    settings = job.config.shards
    size = sum(f.size for f in job.files)
    return settings.timeout_base_seconds + settings.timeout_seconds_per_mb * size / MB


class ShardClock:
    """Deadlines of the shards submitted to a pool of `workers` (keys: the shard names)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.deadlines: dict[str, float] = {}  # shards a worker has (or can take)
        self.queued: deque[tuple[str, float]] = deque()  # (shard, limit): behind the others

    def submitted(self, shard: str, limit: float, now: float) -> None:
        if len(self.deadlines) < self.workers:
            self.deadlines[shard] = now + limit
        else:
            self.queued.append((shard, limit))

    def finished(self, shard: str, now: float) -> None:
        self.deadlines.pop(shard, None)
        self.queued = deque((s, limit) for s, limit in self.queued if s != shard)
        while self.queued and len(self.deadlines) < self.workers:
            waiting, limit = self.queued.popleft()
            self.deadlines[waiting] = now + limit

    def wait_seconds(self, now: float) -> float | None:
        """How long the flow may wait for the next shard (None: no shard has a clock)."""
        return max(0.0, min(self.deadlines.values()) - now) if self.deadlines else None

    def overdue(self, now: float) -> list[str]:
        return [shard for shard, deadline in self.deadlines.items() if deadline <= now]


def timed_out_shard(job: ShardJob, limit: float, attempts: int) -> ShardResult:
    """Shard `job` given up: its rows (`stage_shards` writes them) a quarantine row for each
    file, no article."""
    started = time.time()
    detail = f"shard {job.shard} passed its time limit of {limit:.0f} s on {attempts} workers"
    drop = Drop("shard", "shard_timeout", detail)
    dropped = []
    for f in job.files:
        doc = Article(record_key(f.path, None, f.file_hash), f.path, "text", "text")
        doc.content_hash = f.file_hash or None
        dropped.append((doc, drop))
    stats = StepStats(docs_in=len(dropped))
    stats.dropped[f"{drop.stage}:{drop.reason}"] += len(dropped)
    rows = ShardRows(
        signed(articles_table([], job.run_id, job.ingested_at), job.config),
        quarantine_table(dropped, job.run_id, job.ingested_at),
        identical_duplicates_table([], job.run_id, job.ingested_at),
    )
    return ShardResult(
        shard=job.shard,
        documents=len(dropped),
        quarantined=len(dropped),
        stats=stats.to_dict(),
        started_at=started,
        finished_at=time.time(),
        read_files=list(job.files),
        files=len(job.files),
        rows=rows,
    )
