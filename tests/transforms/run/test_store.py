from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from transforms.run.store import READY, RunPaths, publish, recover, stage_manifest, stage_table


def _stage(output: Path, run_id: str) -> RunPaths:
    paths = RunPaths(output, run_id)
    table = pa.table({"doc_id": ["a", "b"], "n": [1, 2]})
    stage_table(paths, "articles", table, "00000", "2026-01-02")
    stage_table(paths, "ledger", pa.table({"source_path": ["x"]}), "all", None)
    stage_manifest(paths, {"run_id": run_id})
    return paths


def test_publish_moves_files_into_hive_partitions(tmp_path):
    paths = _stage(tmp_path, "r1")
    moved = publish(paths)
    assert (tmp_path / "articles" / "ingest_date=2026-01-02" / "part-r1-00000.parquet").is_file()
    assert (tmp_path / "runs" / "r1.json").is_file()
    assert moved[-1].name == "r1.json"  # the manifest is published last
    assert not paths.staging.exists()
    table = ds.dataset(tmp_path / "articles", partitioning="hive").to_table()
    assert table.num_rows == 2
    assert table.column("ingest_date").to_pylist() == ["2026-01-02"] * 2


def test_empty_tables_are_not_written(tmp_path):
    paths = RunPaths(tmp_path, "r1")
    assert (
        stage_table(paths, "articles", pa.table({"a": pa.array([], pa.int64())}), "0", None) is None
    )


def test_recover_discards_a_run_that_died_before_ready(tmp_path):
    paths = _stage(tmp_path, "r1")
    report = recover(tmp_path)
    assert report == {"completed": [], "discarded": ["r1"]}
    assert not (tmp_path / "articles").exists()
    assert not paths.staging.exists()


def test_recover_completes_a_run_that_died_after_ready(tmp_path):
    paths = _stage(tmp_path, "r1")
    # simulate a death after the journal and the first move
    (paths.staging / READY).write_text("")
    first = next(paths.publish.rglob("*.parquet"))
    dest = tmp_path / first.relative_to(paths.publish)
    dest.parent.mkdir(parents=True)
    first.rename(dest)
    report = recover(tmp_path)
    assert report == {"completed": ["r1"], "discarded": []}
    assert (tmp_path / "runs" / "r1.json").is_file()
    assert len(list((tmp_path / "articles").rglob("*.parquet"))) == 1
    assert len(list((tmp_path / "ledger").rglob("*.parquet"))) == 1


def test_no_half_written_file_is_visible(tmp_path):
    paths = _stage(tmp_path, "r1")
    # staging lives under a "_" folder, which dataset readers skip
    assert ds.dataset(tmp_path, format="parquet", exclude_invalid_files=False).files == []
    publish(paths)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_recover_drops_the_data_docs_of_a_discarded_run_only(tmp_path):
    paths = _stage(tmp_path, "r1")
    paths.reports().mkdir(parents=True)
    (paths.reports() / "index.html").write_text("<html></html>")
    earlier = tmp_path / "reports" / "r0"
    earlier.mkdir()
    recover(tmp_path)
    assert not paths.reports().exists()
    assert earlier.is_dir()
