"""Shard time limits and the clock of the shards in flight (transforms/run/shard_time.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from transforms.core.config import PipelineConfig
from transforms.read.files import InputFile
from transforms.run.shard import ShardJob, stage_shards
from transforms.run.shard_time import MB, ShardClock, time_limit, timed_out_shard


def _job(tmp_path, sizes: list[int], base: float = 100, per_mb: float = 10) -> ShardJob:
    config = PipelineConfig().with_settings(
        {"shards.timeout_base_seconds": base, "shards.timeout_seconds_per_mb": per_mb}
    )
    files = tuple(InputFile(f"f{i}.html", s, f"{i:016x}") for i, s in enumerate(sizes))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return ShardJob(str(tmp_path), files, str(tmp_path / "out"), "run1", "00003", now, config)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [([], 100.0), ([MB], 110.0), ([MB // 2, MB // 2, 3 * MB], 140.0)],
)
def test_the_limit_grows_with_the_shards_bytes(tmp_path, sizes, expected):
    assert time_limit(_job(tmp_path, sizes)) == pytest.approx(expected)


def test_a_queued_shards_clock_starts_when_a_worker_is_free():
    clock = ShardClock(workers=2)
    clock.submitted("a", 10, now=0)
    clock.submitted("b", 20, now=1)
    clock.submitted("c", 5, now=2)  # both workers busy: no clock yet
    assert clock.wait_seconds(now=2) == 8  # a's deadline
    assert clock.overdue(now=10) == ["a"]
    clock.finished("a", now=4)
    assert clock.deadlines == {"b": 21, "c": 9}
    assert clock.wait_seconds(now=4) == 5
    assert clock.overdue(now=30) == ["b", "c"]


def test_a_clock_with_nothing_running_has_no_wait():
    clock = ShardClock(workers=2)
    assert clock.wait_seconds(now=0) is None and clock.overdue(now=99) == []
    clock.submitted("a", 1, now=0)
    assert clock.wait_seconds(now=5) == 0


def test_a_timed_out_shard_quarantines_each_of_its_files(tmp_path):
    job = _job(tmp_path, [10, 20])
    result = timed_out_shard(job, 120.4, 2)
    assert (result.shard, result.documents, result.quarantined, result.articles) == (
        "00003",
        2,
        2,
        0,
    )
    assert result.stats["dropped"] == {"shard:shard_timeout": 2}
    assert [f.path for f in result.read_files] == ["f0.html", "f1.html"]  # to the ledger
    assert not list((tmp_path / "out").rglob("*.parquet"))  # written once, by stage_shards
    stage_shards([(result, job)], None)
    rows = pq.read_table(next((tmp_path / "out").rglob("quarantine-00003.parquet"))).to_pylist()
    assert [(r["source_path"], r["stage"], r["reason"]) for r in rows] == [
        ("f0.html", "shard", "shard_timeout"),
        ("f1.html", "shard", "shard_timeout"),
    ]
    assert rows[0]["detail"] == "shard 00003 passed its time limit of 120 s on 2 workers"
    assert pq.read_table(next((tmp_path / "out").rglob("articles-00003.parquet"))).num_rows == 0
