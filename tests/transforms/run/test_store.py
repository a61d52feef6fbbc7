"""The journaled publish and the recovery of killed runs, on a local OUTPUT and on S3 (moto)."""

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from transforms.run.output_store import OutputStore
from transforms.run.store import READY, RunPaths, publish, recover, stage_manifest, stage_table


def _stage(store: OutputStore, run_id: str) -> RunPaths:
    paths = RunPaths(store, run_id)
    table = pa.table({"doc_id": ["a", "b"], "n": [1, 2]})
    stage_table(paths, "articles", table, "00000", "2026-01-02")
    stage_table(paths, "ledger", pa.table({"source_path": ["x"]}), "all", None)
    stage_manifest(paths, {"run_id": run_id})
    return paths


def _articles(store: OutputStore) -> pa.Table:
    fs, path = store.at("articles").arrow_filesystem()
    return ds.dataset(path, filesystem=fs, partitioning="hive").to_table()


def test_publish_moves_files_into_hive_partitions(store):
    paths = _stage(store, "r1")
    moved = publish(paths)
    assert store.exists("articles/ingest_date=2026-01-02/part-r1-00000.parquet")
    assert store.exists("runs/r1.json")
    assert moved[-1] == "runs/r1.json"  # the manifest is published last: it commits the run
    assert store.files(paths.staging) == []
    table = _articles(store)
    assert table.num_rows == 2
    assert table.column("ingest_date").to_pylist() == ["2026-01-02"] * 2


def test_empty_tables_are_not_written(tmp_path):
    paths = RunPaths(tmp_path, "r1")
    assert (
        stage_table(paths, "articles", pa.table({"a": pa.array([], pa.int64())}), "0", None) is None
    )


def test_recover_discards_a_run_that_died_before_ready(store):
    paths = _stage(store, "r1")
    report = recover(store)
    assert report == {"completed": [], "discarded": ["r1"]}
    assert store.files("articles") == []
    assert store.files(paths.staging) == []


def test_recover_completes_a_run_that_died_after_ready(store):
    paths = _stage(store, "r1")
    # simulate a death after the journal and the first move
    store.write_bytes(f"{paths.staging}/{READY}", b"")
    first = next(k for k in store.files(paths.publish) if k.endswith(".parquet"))
    store.move(f"{paths.publish}/{first}", first)
    report = recover(store)
    assert report == {"completed": ["r1"], "discarded": []}
    assert store.exists("runs/r1.json")
    assert len(store.files("articles")) == 1
    assert len(store.files("ledger")) == 1
    assert store.files("_staging") == []


def test_a_move_cut_between_copy_and_delete_is_finished_once(store):
    """An object store's move is a copy then a delete: a kill between them leaves the file in
    both places; recovery moves it again (same bytes) and no row is published twice."""
    paths = _stage(store, "r1")
    store.write_bytes(f"{paths.staging}/{READY}", b"")
    first = next(k for k in store.files(paths.publish) if k.startswith("articles/"))
    store.write_bytes(first, store.read_bytes(f"{paths.publish}/{first}"))  # the copy only
    recover(store)
    assert _articles(store).num_rows == 2
    assert store.files("_staging") == []


def test_no_half_written_file_is_visible(tmp_path):
    paths = _stage(OutputStore(tmp_path), "r1")
    # staging lives under a "_" folder, which dataset readers skip
    assert ds.dataset(tmp_path, format="parquet", exclude_invalid_files=False).files == []
    publish(paths)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_recover_drops_the_data_docs_of_a_discarded_run_only(tmp_path):
    paths = _stage(OutputStore(tmp_path), "r1")
    reports = tmp_path / paths.reports()
    reports.mkdir(parents=True)
    (reports / "index.html").write_text("<html></html>")
    earlier = tmp_path / "reports" / "r0"
    earlier.mkdir()
    recover(tmp_path)
    assert not reports.exists()
    assert earlier.is_dir()


def test_a_path_and_a_store_name_the_same_output(tmp_path):
    assert RunPaths(tmp_path, "r").store.path("x") == str(Path(tmp_path) / "x")
