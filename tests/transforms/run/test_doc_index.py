"""The doc index: "already published" from a few files, the same answer as the tables' scan."""

from datetime import UTC, datetime

import pyarrow as pa
import pytest

from tests.transforms.run.history import ROWS, add_run, add_runs
from transforms.core.schema import DOCUMENT_TABLES, DUPLICATES, TABLE_SCHEMAS
from transforms.run.compaction import compact
from transforms.run.doc_index import COMPLETE, complete_index, index_rows, is_new_output
from transforms.run.output_store import OutputStore
from transforms.run.published import published_ids, published_rows


def test_an_output_before_the_index_is_looked_up_in_the_tables_until_compacted(tmp_path):
    store = OutputStore(tmp_path / "out")
    assert is_new_output(store)
    add_runs(store, 3, doc_index=False)  # runs from before the doc index
    assert not is_new_output(store) and complete_index(store) is None
    ids = pa.array([f"20260102T{k:06d}-r{k:05d}-{i}" for k in range(4) for i in range(ROWS)])
    scanned = sorted(published_ids(store.location, ids).to_pylist())
    dups = published_rows(store.location, DUPLICATES, "doc_id", ids, ["doc_id", "duplicate_of"])
    assert len(scanned) == 3 * ROWS  # the fourth run's ids were never published

    report = compact(store, "20260105T000000-c00001", retain_seconds=0)
    assert report["doc_index"]["rebuilt"] and store.exists(COMPLETE)
    # every table holds the same ids in these runs: one index row a table a document
    assert report["doc_index"]["rows"] == 3 * ROWS * len(DOCUMENT_TABLES)
    assert complete_index(store) is not None
    assert sorted(published_ids(store.location, ids).to_pylist()) == scanned
    indexed = published_rows(store.location, DUPLICATES, "doc_id", ids, ["doc_id", "duplicate_of"])
    assert indexed.sort_by("doc_id").equals(dups.sort_by("doc_id"))
    # the next compaction merges the index like the other state
    add_run(store, 3)  # a run after it: its rows in the index
    assert len(published_ids(store.location, ids)) == 4 * ROWS
    assert not compact(store, "20260105T000001-c00002", 0)["doc_index"].get("rebuilt")


@pytest.mark.parametrize("table", DOCUMENT_TABLES)
def test_index_rows_keep_the_id_the_table_and_a_duplicates_target(table):
    schema = TABLE_SCHEMAS[table]
    when = datetime(2026, 1, 2, tzinfo=UTC)
    cols = {"doc_id": ["a", "b"], "ingested_at": [when, when]}
    if table == DUPLICATES:
        cols["duplicate_of"] = ["x", "y"]
    rows = pa.table({c: pa.array(v, schema.field(c).type) for c, v in cols.items()})
    got = index_rows(table, rows)
    assert got.column("table").to_pylist() == [table, table]
    expected = ["x", "y"] if table == DUPLICATES else [None, None]
    assert got.column("duplicate_of").to_pylist() == expected
