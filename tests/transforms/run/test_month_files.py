"""Month files: a month past a cap goes on in another file, full files are left alone, and a
table without rows keeps one zero-row file (transforms/run/month_files.py)."""

import newsclean
from tests.transforms.run.history import ROWS, add_months, add_run, add_runs
from transforms.core.config import RunSettings
from transforms.core.schema import TABLE_SCHEMAS, stored_schema
from transforms.run.compaction import compact, live_files
from transforms.run.output_store import OutputStore, data_files


def _seen(store: OutputStore) -> list[tuple]:
    """(doc_id, ingest_date) of the articles `newsclean.read` gives."""
    rows = newsclean.read(store.location.url, "articles")
    return sorted(zip(rows["doc_id"].to_pylist(), rows["ingest_date"].to_pylist(), strict=True))


def test_a_month_past_a_cap_is_split_and_its_full_files_kept(store):
    """Past `run.compact_file_rows` a month goes on in another file; a later compaction
    leaves the full files as they are and folds the new days into a file of their own."""
    add_runs(store, 4)
    caps = RunSettings(compact_file_rows=2 * ROWS)
    before = _seen(store)
    compact(store, "20260105T000000-c00001", retain_seconds=0, settings=caps)
    names = [k.rsplit("/", 1)[-1] for k in live_files(store, "articles")]
    assert names == [
        "part-20260105T000000-c00001-01-compacted.parquet",
        "part-20260105T000000-c00001-compacted.parquet",
    ]
    assert _seen(store) == before
    add_run(store, 4)
    before = _seen(store)
    report = compact(store, "20260105T000001-c00002", retain_seconds=0, settings=caps)
    assert report["articles"] == {"files": 1, "rows": ROWS}  # the full files not rewritten
    assert len(live_files(store, "articles")) == 3 and _seen(store) == before


def _empty_pages(store: OutputStore) -> None:
    """The pages of every run so far as zero-row files (a run that found no page)."""
    for rel in data_files(store.at("pages")):
        store.write_parquet(f"pages/{rel}", TABLE_SCHEMAS["pages"].empty_table())


def test_a_table_without_rows_keeps_one_zero_row_file(store):
    """Zero-row files are not kept a month each: the table keeps one, in its latest month, so
    that it still reads with its columns (glob readers too)."""
    add_months(store, 3)
    _empty_pages(store)
    compact(store, "20260105T000000-c00001", retain_seconds=0)
    assert [k.rsplit("/", 2)[-2:] for k in live_files(store, "pages")] == [
        ["ingest_month=2026-02", "part-20260105T000000-c00001-empty-compacted.parquet"]
    ]
    add_run(store, 7, day=2, month=3)
    _empty_pages(store)
    compact(store, "20260105T000001-c00002", retain_seconds=0)
    assert [k.rsplit("/", 2)[-2] for k in live_files(store, "pages")] == ["ingest_month=2026-03"]
    assert len(data_files(store.at("pages"))) == 1
    pages = newsclean.read(store.location.url, "pages")
    assert pages.num_rows == 0 and pages.schema == stored_schema("pages")
    assert len(_seen(store)) == 4 * ROWS
