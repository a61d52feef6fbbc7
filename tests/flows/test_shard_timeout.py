"""A shard whose worker hangs is killed, tried once more, then quarantined (flows/shards.py)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
from prefect import flow

from flows.shards import clean_shards
from flows.validation import Validator
from tests.flows.corpus import STORIES, page
from transforms.core.config import PipelineConfig
from transforms.core.ids import file_hash
from transforms.read.files import InputFile
from transforms.run.shard import ShardJob


@pytest.mark.slow
def test_a_hung_shard_is_retried_once_then_quarantined_and_the_run_goes_on(
    prefect_harness, tmp_path
):
    # the hang: a named pipe with no writer, where the shard expects a page (open() blocks in
    # the kernel, as a worker blocked on a lock would); discovery never lists one, so the job
    # names it directly
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    os.mkfifo(root / "hang.html")
    good = []
    for i, (name, story) in enumerate(STORIES.items()):
        data = page(f"Story {name}", story, "Test Post").encode()
        (root / f"{name}.html").write_bytes(data)
        good.append(InputFile(f"{name}.html", len(data), file_hash(data)))
        if i == 2:
            break
    config = PipelineConfig().with_settings(
        {"shards.timeout_base_seconds": 25, "shards.timeout_seconds_per_mb": 0}
    )
    now = datetime.now(UTC)

    def job(shard: str, files: list[InputFile]) -> ShardJob:
        return ShardJob(str(root), tuple(files), str(out), "run1", shard, now, config)

    jobs = [job("00000", [InputFile("hang.html", 100, "h" * 16)]), job("00001", good)]

    @flow
    def clean() -> list:
        with Validator("process", len(jobs)) as validator:
            return clean_shards(jobs, ("process", 2, None), validator, False)

    start = time.monotonic()
    results = clean()
    took = time.monotonic() - start
    assert [r.shard for r in results] == ["00000", "00001"]
    hung, done = results
    assert hung.quarantined == 1 and hung.articles == 0
    assert hung.stats["dropped"] == {"shard:shard_timeout": 1}
    assert done.articles == len(good)
    staged = pq.read_table(next(out.rglob("quarantine-00000.parquet")))
    assert staged.column("reason").to_pylist() == ["shard_timeout"]
    assert "time limit of 25 s on 2 workers" in staged.column("detail")[0].as_py()
    assert took < 25 * 2 + 120, took  # two limits, and the pools' starts
