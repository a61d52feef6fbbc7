"""OutputStore: the same file operations on a local OUTPUT and on S3 (moto's endpoint)."""

import pickle

import pyarrow as pa
import pytest

from transforms.core.schema import LEDGER_SCHEMA
from transforms.run.output_store import data_files, open_dataset


def test_data_files_leave_out_what_readers_skip(store):
    table = pa.table({"x": [1]})
    for key in ("t/a=1/part-1.parquet", "t/_staging/part-2.parquet", "t/.part-3.parquet.tmp"):
        store.write_parquet(key, table)
    store.write_parquet("t/.hidden.parquet", table)
    assert data_files(store.at("t")) == ["a=1/part-1.parquet"]
    assert store.dataset("t").to_table().num_rows == 1
    assert store.dataset("missing") is None
    assert open_dataset(store.at("missing"), LEDGER_SCHEMA) is None


def test_a_move_is_repeated_safely(store):
    store.write_bytes("_staging/r/publish/runs/r.json", b"{}")
    assert store.move("_staging/r/publish/runs/r.json", "runs/r.json") is True
    assert store.move("_staging/r/publish/runs/r.json", "runs/r.json") is False  # moved before
    assert store.read_bytes("runs/r.json") == b"{}"
    with pytest.raises(FileNotFoundError):
        store.move("_staging/r/publish/runs/none.json", "runs/none.json")


def test_listing_and_removal(store):
    store.write_bytes("_staging/r1/READY", b"")
    store.write_bytes("_staging/r2/shards/a", b"x")
    assert store.children("_staging") == ["r1", "r2"]
    assert store.files("_staging") == ["r1/READY", "r2/shards/a"]
    store.remove_tree("_staging/r2")
    store.remove_tree("_staging/never")
    assert store.children("_staging") == ["r1"]
    assert store.children("nothing") == [] and store.files("nothing") == []


def test_a_store_travels_to_workers_as_its_location(store):
    again = pickle.loads(pickle.dumps(store))
    assert again.location == store.location and again.display() == store.display()
    store.write_bytes("x", b"1")
    assert again.read_bytes("x") == b"1"
