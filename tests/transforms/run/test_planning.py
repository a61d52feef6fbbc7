import pytest

from transforms.core.config import ShardSettings
from transforms.read.files import InputFile
from transforms.run.planning import (
    effective_runner,
    execution_order,
    plan_shards,
    submission_window,
    validate_now,
)


def _files(n: int, size: int = 1000) -> list[InputFile]:
    return [InputFile(path=f"f{i:04d}.html", size=size, file_hash=str(i)) for i in range(n)]


@pytest.mark.parametrize(
    ("n", "workers", "shard_size", "expected_shards"),
    [
        (0, 2, 2000, 0),
        (10, 2, 2000, 1),  # too few files to be worth splitting
        (100, 2, 2000, 4),  # 100 // 25: never shards under min_shard_files
        (1000, 2, 2000, 10),  # four shards a worker, the last three split smaller (62, 31, 32)
        (5000, 2, 2000, 11),  # ceil(5000/2000) = 3 < 8 for the workers; 312, 156, 78, 79
        (10000, 1, 2000, 5),  # by count; one worker: no tail to shorten
        (499, 2, 1000, 9),  # 63 a shard, then 61, 30, and 30 (25 + 5 left over, merged)
    ],
)
def test_shard_count(n, workers, shard_size, expected_shards):
    config = ShardSettings(shard_size=shard_size, min_shard_files=25)
    shards = plan_shards(_files(n), config, workers)
    assert len(shards) == expected_shards
    assert [f for s in shards for f in s] == _files(n)  # every file once, in order


def test_shards_respect_byte_budget():
    config = ShardSettings(shard_bytes=10_000, min_shard_files=1)
    shards = plan_shards(_files(50, size=3000), config, 1)
    assert all(sum(f.size for f in s) <= 10_000 for s in shards)
    assert sum(len(s) for s in shards) == 50


@pytest.mark.parametrize(("n", "workers"), [(2994, 2), (1000, 4), (29940, 2), (499, 2)])
def test_the_last_shards_shrink_so_the_workers_finish_together(n, workers):
    config = ShardSettings()
    sizes = [len(s) for s in plan_shards(_files(n), config, workers)]
    full = sizes[0]
    assert sizes[-1] <= full // 2  # the run ends on a small shard ...
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # ... the sizes only shrink ...
    floor = max(config.min_shard_files, round(config.tail_shard_share * full))
    assert min(sizes[:-1]) >= floor - 1  # ... down to the floor
    assert sum(sizes) == n


def test_a_tail_of_heavy_files_shrinks_by_bytes():
    # the same count of files left can be many more bytes (heavy pages at the end of the list):
    # the tail shards split the bytes left among the workers too, down to min_shard_files
    files = _files(900) + _files(100, size=20_000)
    shards = plan_shards(files, ShardSettings(min_shard_files=5), 2)
    weights = [sum(f.size for f in s) for s in shards]
    assert [f for s in shards for f in s] == files
    heaviest = weights.index(max(weights))
    assert weights[heaviest:] == sorted(weights[heaviest:], reverse=True)
    assert weights[-1] <= max(weights) // 4


def test_one_worker_gets_equal_shards():
    sizes = [len(s) for s in plan_shards(_files(2994), ShardSettings(), 1)]
    assert sizes == [749, 749, 749, 747]


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ([[1, 1], [5], [2, 2]], [1, 2, 0]),  # by bytes, not by file count
        ([[3], [3], [1]], [0, 1, 2]),  # ties keep the plan order
        ([[1] * 126, [100] * 60, [1] * 255], [1, 2, 0]),  # a heavy tail shard goes first
        ([], []),
    ],
)
def test_shards_run_heaviest_first(sizes, expected):
    shards = [
        [InputFile(path=f"s{i}f{j}", size=size, file_hash="") for j, size in enumerate(shard)]
        for i, shard in enumerate(sizes)
    ]
    assert execution_order(shards) == expected


@pytest.mark.parametrize(
    ("rows", "unfinished", "expected"),
    [
        (250, 2, False),  # every worker busy, one shard's rows: wait for more
        (500, 2, True),  # a batch's worth
        (731, 3, True),
        (40, 1, True),  # a worker is free (the run's tail): at once
        (1, 0, True),  # the last shard
    ],
)
def test_shards_are_validated_in_batches_until_a_worker_is_free(rows, unfinished, expected):
    assert validate_now(rows, unfinished, workers=2, batch_rows=500) is expected


@pytest.mark.parametrize(
    ("name", "workers", "expected"),
    [
        ("process", 1, "thread"),
        ("process", 2, "process"),
        ("dask", 1, "dask"),
        ("thread", 4, "thread"),
    ],
)
def test_effective_runner(name, workers, expected):
    assert effective_runner(name, workers) == expected


@pytest.mark.parametrize(
    ("name", "workers", "tasks", "expected"),
    [
        ("process", 2, 9, 3),  # one more than the workers
        ("thread", 1, 9, 2),
        ("process", 4, 2, 5),  # larger than the tasks: all of them at once
        ("dask", 2, 9, 9),  # a cluster's scheduler orders everything it gets
        ("dask", 2, 0, 1),
    ],
)
def test_submission_window(name, workers, tasks, expected):
    assert submission_window(name, workers, tasks) == expected
