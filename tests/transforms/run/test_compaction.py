"""Compaction: every row kept once, readers never see a row twice or miss one (during a
compaction, after a kill at any point of it, after the vacuum), locally and on S3 (moto)."""

import threading
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

import newsclean
from tests.transforms.run.history import ROWS, add_months, add_run, add_runs
from transforms.core.schema import (
    DEDUP_INDEX,
    DEDUP_INDEX_SCHEMA,
    LEDGER,
    LEDGER_SCHEMA,
    TABLE_SCHEMAS,
    stored_schema,
)
from transforms.run.compaction import compact, live_files, read_snapshot, stage_compaction
from transforms.run.doc_index import COMPLETE
from transforms.run.output_store import OutputStore, data_files, open_dataset
from transforms.run.published import published_ids
from transforms.run.store import READY, recover, remove_file


def _state_rows(store: OutputStore, folder: str, schema: pa.Schema) -> list[str]:
    dataset = open_dataset(store.at(folder), schema)
    column = "source_path" if folder == LEDGER else "doc_id"
    return sorted(dataset.to_table(columns=[column]).column(column).to_pylist())


def _read(store: OutputStore, table: str) -> list[tuple]:
    """(doc_id, ingest_date) of every row `newsclean.read` gives, which has the table's schema
    with `ingest_date` a date whatever the layout (daily or month files)."""
    rows = newsclean.read(store.location.url, table)
    assert rows.schema == stored_schema(table)
    return sorted(zip(rows["doc_id"].to_pylist(), rows["ingest_date"].to_pylist(), strict=True))


def _seen(store: OutputStore) -> dict[str, list]:
    """Every row every reader sees: the tables through newsclean, the state as a run reads it."""
    out: dict[str, list] = {table: _read(store, table) for table in ("articles", "duplicates")}
    out[LEDGER] = _state_rows(store, LEDGER, LEDGER_SCHEMA)
    out[DEDUP_INDEX] = _state_rows(store, DEDUP_INDEX, DEDUP_INDEX_SCHEMA)
    return out


def test_compaction_keeps_every_row_once_in_one_file_a_month(store):
    add_months(store, 6)  # Jan 2, Jan 3, Feb 2, twice
    before = _seen(store)
    report = compact(store, "20260105T000000-c00001", retain_seconds=3600)
    assert report["changed"] and report["articles"] == {"files": 6, "rows": 6 * ROWS}
    assert _seen(store) == before  # the same rows, ingest_date a date, in both layouts
    assert len(data_files(store.at(LEDGER))) == 1 and len(data_files(store.at(DEDUP_INDEX))) == 1
    assert live_files(store, "articles") == [
        f"articles/ingest_month=2026-{m}/part-20260105T000000-c00001-compacted.parquet"
        for m in ("01", "02")
    ]
    # the replaced table files stay for readers until a compaction after the retention
    assert len(data_files(store.at("articles"))) == 8
    later = datetime.now(UTC) + timedelta(hours=2)
    _, again = stage_compaction(store, "20260105T000001-c00002", later, 3600)
    assert again["vacuumed"] == 6 * len(TABLE_SCHEMAS)
    assert len(data_files(store.at("articles"))) == 2 and _seen(store) == before
    if store.is_local:  # the emptied day folders go too (readers walk the folders)
        assert sorted(p.name for p in store.local("articles").iterdir()) == [
            "ingest_month=2026-01",
            "ingest_month=2026-02",
        ]


def test_without_retention_the_replaced_files_go_at_once(store):
    """`retain_seconds=0`: the compaction deletes what it replaced as soon as its record is
    published (glob readers then never meet both), and a compaction with nothing to do
    changes nothing."""
    add_months(store, 3)
    before = _seen(store)
    report = compact(store, "20260105T000000-c00001", retain_seconds=0)
    assert report["vacuumed"] == 3 * len(TABLE_SCHEMAS)
    assert len(data_files(store.at("articles"))) == 2 and _seen(store) == before
    assert read_snapshot(store).replaced == {}  # forgotten: not deleted again (S3: a request)
    again = compact(store, "20260105T000001-c00002", retain_seconds=0)
    assert again["vacuumed"] == 0 and not again["changed"]
    assert read_snapshot(store).compaction_id == "20260105T000000-c00001"


def test_runs_after_a_compaction_join_the_next_one(store):
    add_runs(store, 2)
    compact(store, "20260105T000000-c00001", retain_seconds=0)
    add_run(store, 2)
    before = _seen(store)
    assert len(before["articles"]) == 3 * ROWS
    compact(store, "20260105T000001-c00002", retain_seconds=0)
    assert _seen(store) == before
    assert live_files(store, "articles") == [  # the month's file and its new day folded
        "articles/ingest_month=2026-01/part-20260105T000001-c00002-compacted.parquet"
    ]
    # what a run asks of the published tables answers from the live files only, once each
    ids = pa.array([doc_id for doc_id, _ in before["articles"]])
    assert sorted(published_ids(store.location, ids).to_pylist()) == ids.to_pylist()
    remove_file(store, COMPLETE)
    # the same looked up in the tables' live files (a month file's ingest_date column unread)
    assert sorted(published_ids(store.location, ids).to_pylist()) == ids.to_pylist()


def test_the_readers_give_the_same_rows_and_types_before_and_after(tmp_path):
    """pandas, Polars and DuckDB through newsclean: the same rows and dtypes from daily files
    as from month files (ingest_date a date in both)."""
    store = OutputStore(tmp_path / "out")
    add_months(store, 3)
    out = tmp_path / "out"

    def frames():
        pandas = newsclean.read_pandas(out, "articles").sort_values("doc_id", ignore_index=True)
        polars = newsclean.read_polars(out, "articles").sort("doc_id")
        con = newsclean.duckdb_views(out)
        duck = con.execute("SELECT doc_id, ingest_date FROM articles ORDER BY doc_id").fetchall()
        kind = con.execute("SELECT DISTINCT typeof(ingest_date) FROM articles").fetchall()
        return pandas, polars, duck, kind

    daily = frames()
    compact(store, "20260105T000000-c00001", retain_seconds=0)
    monthly = frames()
    assert daily[0].equals(monthly[0]) and dict(daily[0].dtypes) == dict(monthly[0].dtypes)
    assert str(monthly[0].dtypes["ingest_date"]) == "date32[day][pyarrow]"
    assert daily[1].equals(monthly[1]) and daily[1].schema == monthly[1].schema
    assert daily[2] == monthly[2] and daily[3] == monthly[3] == [("DATE",)]


def test_replaced_files_are_kept_for_the_retention(store):
    add_runs(store, 2)
    compact(store, "20260105T000000-c00001", retain_seconds=3600)
    compact(store, "20260105T000001-c00002", retain_seconds=3600)
    assert len(data_files(store.at("articles"))) == 3  # two replaced, kept; one live
    later = datetime.now(UTC) + timedelta(hours=2)
    _, report = stage_compaction(store, "20260105T000002-c00003", later, 3600)
    assert report["vacuumed"] == 2 * len(TABLE_SCHEMAS)
    assert len(data_files(store.at("articles"))) == 1


def _history(store: OutputStore, compacted_before: bool) -> None:
    """Runs over two months; with `compacted_before`, compacted once then a run more (the next
    compaction folds a month file and a new day into a new month file)."""
    add_months(store, 4)
    if compacted_before:
        compact(store, "20260104T000000-c00000", retain_seconds=3600)
        add_run(store, 9, day=4)


def _kill_points(store: OutputStore, cid: str) -> list[int]:
    paths, _ = stage_compaction(store, cid, datetime.now(UTC), 0)
    assert paths is not None
    n = len([k for k in store.files(paths.publish) if not k.rsplit("/", 1)[-1].startswith(".")])
    store.remove_tree(paths.staging)
    return list(range(n + 1))


@pytest.mark.parametrize("compacted_before", [False, True])
def test_a_compaction_killed_at_any_point_is_recovered_with_every_row_once(
    tmp_path, compacted_before
):
    """Killed before READY (its staging is discarded) or after it, with any number of its files
    moved into place (the next run or compaction completes it): no reader, nor the next run,
    sees a row twice or misses one; daily files into month files, and a month file with new
    days into a new one."""
    seed = OutputStore(tmp_path / "seed")
    _history(seed, compacted_before)
    before = _seen(seed)
    for moved in [-1, *_kill_points(seed, "20260105T000000-c00001")]:
        store = OutputStore(tmp_path / f"kill{moved}")
        _history(store, compacted_before)
        paths, _ = stage_compaction(store, "20260105T000000-c00001", datetime.now(UTC), 0)
        if moved >= 0:
            files = sorted(
                (k for k in store.files(paths.publish) if not k.rsplit("/", 1)[-1].startswith(".")),
                key=lambda k: (k.startswith("compactions/"), k),
            )
            store.write_bytes(f"{paths.staging}/{READY}", b"")
            for rel in files[:moved]:
                store.move(f"{paths.publish}/{rel}", rel)
        # readers of the published tables never need a recovery
        seen = _seen(store)
        assert seen["articles"] == before["articles"] and seen["duplicates"] == before["duplicates"]
        report = recover(store)  # what the next run (or compaction) does first, under the lock
        assert report["completed" if moved >= 0 else "discarded"] == ["20260105T000000-c00001"]
        assert _seen(store) == before
        assert store.files("_staging") == []


def test_a_reader_never_sees_a_row_twice_while_compactions_run(tmp_path):
    """Runs and compactions (with a vacuum each time: retention 0) one after the other, while
    a reader reads the articles again and again: each read has each doc_id once, and the rows
    of every run committed before the read began."""
    store = OutputStore(tmp_path / "out")
    add_run(store, 0)
    done = threading.Event()
    problems: list[str] = []
    reads = 0

    def read_loop() -> None:
        nonlocal reads
        while not done.is_set():
            runs = newsclean.committed_runs(tmp_path / "out")
            try:
                ids = newsclean.read(tmp_path / "out", "articles")["doc_id"].to_pylist()
            except OSError:
                continue  # a file vacuumed under retention 0 between listing and reading
            if len(ids) != len(set(ids)):
                problems.append(f"a row twice: {len(ids)} rows, {len(set(ids))} ids")
            if len(ids) < ROWS * len(runs):
                problems.append(f"rows missing: {len(ids)} < {ROWS * len(runs)}")
            reads += 1

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        for k in range(1, 12):
            add_run(store, k)
            compact(store, f"20260105T{k:06d}-c{k:05d}", retain_seconds=0)
    finally:
        done.set()
        reader.join()
    assert problems == []
    assert reads > 3
    assert len(newsclean.read(tmp_path / "out", "articles")) == 12 * ROWS
