"""newsclean's readers: the committed rows only, with the tables' types in every reader and
the same pandas dtype for a column in every table (source_record int64, null or not)."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import newsclean
from transforms.core.schema import PARTITION_KEY, TABLE_SCHEMAS

COMMITTED, KILLED = "20260102T080000Z-aaaaaa", "20260102T090000Z-bbbbbb"


def _value(field: pa.Field, row: int):
    """A value of the field's type (source_record: null in articles' rows, set elsewhere)."""
    kind = field.type
    if field.name == "run_id":
        return None  # set by the caller
    if pa.types.is_string(kind):
        return f"{field.name}-{row}"
    if pa.types.is_integer(kind):
        return row + 1
    if pa.types.is_floating(kind):
        return 1.0
    if pa.types.is_timestamp(kind):
        return datetime(2026, 1, 2, 8, tzinfo=UTC)
    if pa.types.is_date(kind):
        return date(2026, 1, 2)
    if pa.types.is_list(kind):
        return []
    raise AssertionError(f"no value for {field}")


def _publish(output: Path, table: str, run_id: str, rows: int, null_record: bool) -> None:
    schema = TABLE_SCHEMAS[table]
    records = []
    for row in range(rows):
        record = {f.name: _value(f, row) for f in schema}
        record["run_id"] = run_id
        if "source_record" in record and null_record:
            record["source_record"] = None
        records.append(record)
    folder = output / table / f"{PARTITION_KEY}=2026-01-02"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(records, schema=schema), folder / f"part-{run_id}-all.parquet"
    )


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """A committed run (articles' source_record null, quarantine's set) and, beside it, the
    files of a run killed before its manifest was published."""
    output = tmp_path_factory.mktemp("output")
    for table in newsclean.TABLES:
        _publish(output, table, COMMITTED, 2, null_record=table == "articles")
        _publish(output, table, KILLED, 1, null_record=False)
    (output / "runs").mkdir()
    (output / "runs" / f"{COMMITTED}.json").write_text(json.dumps({"run_id": COMMITTED}))
    return output


def test_committed_runs_are_those_with_a_manifest(output, tmp_path):
    assert newsclean.committed_runs(output) == [COMMITTED]
    assert newsclean.committed_runs(tmp_path / "never-run") == []


@pytest.mark.parametrize("table", newsclean.TABLES)
def test_read_gives_the_committed_rows_with_the_tables_schema(output, table):
    got = newsclean.read(output, table)
    assert got.num_rows == 2 and set(got.column("run_id").to_pylist()) == {COMMITTED}
    assert got.schema.remove(len(got.schema) - 1).equals(TABLE_SCHEMAS[table], check_metadata=False)
    assert got.schema.field(PARTITION_KEY).type == pa.date32()


@pytest.mark.parametrize("table", newsclean.TABLES)
def test_pandas_dtypes_agree_across_tables(output, table):
    frame = newsclean.read_pandas(output, table)
    assert len(frame) == 2
    assert frame.dtypes[PARTITION_KEY] == pd.ArrowDtype(pa.date32())
    if "source_record" in frame.columns:  # null in articles, set in the others: int64 both
        assert frame.dtypes["source_record"] == pd.ArrowDtype(pa.int64())
    assert frame.dtypes["run_id"] == pd.ArrowDtype(pa.string())


def test_polars_types(output):
    pl = pytest.importorskip("polars", reason="polars is a dev extra")
    frame = newsclean.read_polars(output, "articles", ["doc_id", "source_record", PARTITION_KEY])
    assert frame.schema == {"doc_id": pl.String, "source_record": pl.Int64, PARTITION_KEY: pl.Date}


def test_duckdb_views_hold_the_committed_rows(output):
    con = newsclean.duckdb_views(output)
    for table in newsclean.TABLES:
        assert con.sql(f"SELECT DISTINCT run_id FROM {table}").fetchall() == [(COMMITTED,)]
    assert con.sql("SELECT count(*) FROM stories").fetchall() == [(4,)]  # 2 articles, 2 copies
    assert str(con.sql(f"SELECT {PARTITION_KEY} FROM articles").types[0]) == "DATE"


def test_an_output_with_no_run_reads_as_empty_tables(tmp_path):
    got = newsclean.read(tmp_path, "quarantine")
    assert got.num_rows == 0 and got.schema.names[-1] == PARTITION_KEY
    assert newsclean.duckdb_views(tmp_path).sql("SELECT * FROM stories").fetchall() == []


def test_an_unknown_table_is_refused_with_the_known_ones(output):
    with pytest.raises(ValueError, match="articles, pages, duplicates, quarantine, story_links"):
        newsclean.read(output, "ledger")


def test_a_run_withdrawn_by_the_doctor_leaves_the_compacted_files_too(tmp_path):
    """A compacted file holds the rows of runs committed when it was written; a run whose
    manifest the doctor then moves aside is no longer committed: its rows go from every
    reader, from month files as from day files."""
    from tests.transforms.run.history import add_months, add_run
    from transforms.run.compaction import compact
    from transforms.run.output_store import OutputStore
    from transforms.run.state_check import CorruptFile, move_aside

    store = OutputStore(tmp_path / "out")
    runs = add_months(store, 3)
    compact(store, "20260105T000000-c00001", retain_seconds=0)
    runs.append(add_run(store, 9, day=4))  # a day folder beside the month files
    gone = [runs[0], runs[-1]]  # one in a month file, one in a day folder
    move_aside(store, [CorruptFile(f"runs/{r}.json", "cut short") for r in gone], "20260106")
    kept = {r for r in runs if r not in gone}
    assert set(newsclean.read(tmp_path / "out", "articles")["run_id"].to_pylist()) == kept
    con = newsclean.duckdb_views(tmp_path / "out")
    assert {r for (r,) in con.execute("SELECT DISTINCT run_id FROM articles").fetchall()} == kept
