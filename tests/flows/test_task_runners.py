"""The same flow on a local Dask cluster, or on one in-process worker, gives the same tables as
the default process runner."""

from __future__ import annotations

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import write_corpus

pytestmark = pytest.mark.slow

VOLATILE = {"run_id", "ingested_at", "ingest_date"}


def _rows(output, name):
    table = ds.dataset(output / name, format="parquet", partitioning="hive").to_table()
    keep = [c for c in table.column_names if c not in VOLATILE]
    return sorted(map(repr, table.select(keep).to_pylist()))


def test_dask_and_one_worker_match_process_runner(prefect_harness, tmp_path):
    from flows.clean_articles import clean_articles

    root = tmp_path / "input"
    write_corpus(root)
    outputs = {}
    manifests = {}
    for key, runner, workers in (
        ("process", "process", 2),
        ("dask", "dask", 2),
        ("one", "process", 1),
    ):
        outputs[key] = tmp_path / key
        manifests[key] = clean_articles(
            input_dir=str(root),
            output_dir=str(outputs[key]),
            workers=workers,
            shard_size=3,  # several shards, so the runner really distributes work
            task_runner=runner,
            show_progress=False,
        )
    assert manifests["one"]["task_runner"] == "thread"  # one worker: no process to start
    # ... its shards were validated on a process of their own (several shards), the others'
    # on a thread of the flow: the same rows checked either way (evaluated_expectations counts
    # the suite once a batch, and a local run batches the shards that came back together)
    counts = ("rows", "passed_rows", "failed_rows")
    for key in ("dask", "one"):
        for count in counts:
            assert manifests[key]["validation"][count] == manifests["process"]["validation"][count]
    assert any(outputs["one"].rglob("index.html"))  # the Data Docs index, rendered once
    for name in ("articles", "pages", "duplicates", "quarantine"):
        assert _rows(outputs["process"], name) == _rows(outputs["dask"], name), name
        assert _rows(outputs["process"], name) == _rows(outputs["one"], name), name


@pytest.mark.parametrize(
    ("runner", "shards", "own_process"),
    [
        ("process", 8, False),  # the flow's process waits while its workers clean
        ("thread", 4, True),  # the flow's process cleans: validate beside it
        ("thread", 1, False),  # one shard: nothing to overlap with
        ("dask", 8, False),  # the same as process: the rows come back to the flow
    ],
)
def test_where_validation_runs(runner, shards, own_process):
    from flows.validation import Validator

    assert Validator(runner, shards).in_process == own_process


def test_unknown_runner_is_a_clear_error():
    from flows.runners import make_task_runner

    with pytest.raises(ValueError, match="unknown task runner"):
        make_task_runner("spark", 2)
