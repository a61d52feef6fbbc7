import shutil
from datetime import UTC, datetime

from transforms.read.files import InputFile
from transforms.run.ledger import (
    LedgerRows,
    files_table,
    recorded_hashes,
    recorded_object_hashes,
    recorded_paths,
    split_pending,
)
from transforms.run.store import write_parquet

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def test_nothing_processed_yet(tmp_path):
    files = [InputFile("a.html", 10, "h1")]
    assert split_pending(files, tmp_path / "ledger") == (files, [])


def test_same_content_is_skipped_changed_content_is_not(tmp_path):
    ledger = tmp_path / "ledger"
    done = [InputFile("a.html", 10, "h1"), InputFile("b.html", 10, "h2")]
    write_parquet(files_table(done, "r1", NOW), ledger / "part-r1.parquet")
    now = [
        InputFile("a.html", 10, "h1"),
        InputFile("b.html", 12, "h2-changed"),
        InputFile("c.html", 5, "h3"),
    ]
    pending, skipped = split_pending(now, ledger)
    assert [f.path for f in pending] == ["b.html", "c.html"]
    assert [f.path for f in skipped] == ["a.html"]


def test_objects_are_known_by_path_size_and_etag(tmp_path):
    """An object's recorded hash is reused while its size and ETag are unchanged; a ledger
    written before the etag column existed reads (its objects are hashed again)."""
    now = NOW
    rows = [InputFile("a.html", 5, "h-a", None, '"e1"'), InputFile("b.html", 7, "h-b", 10, None)]
    write_parquet(files_table(rows, "r1", now), tmp_path / "part-r1.parquet")
    stats = [("a.html", 5, '"e1"'), ("b.html", 7, '"e1"')]
    assert recorded_object_hashes(tmp_path, stats) == {"a.html": "h-a"}
    assert recorded_object_hashes(tmp_path, [("a.html", 5, '"e2"')]) == {}  # rewritten
    assert recorded_object_hashes(tmp_path, [("a.html", 6, '"e1"')]) == {}
    assert recorded_hashes(tmp_path, [("b.html", 7, 10)]) == {"b.html": "h-b"}  # files: mtime

    old = tmp_path / "old"
    write_parquet(files_table(rows, "r0", now).drop_columns(["etag"]), old / "part-r0.parquet")
    assert recorded_object_hashes(old, stats) == {}


def test_one_read_of_the_ledger_answers_all_of_discovery(tmp_path):
    """`LedgerRows` reads the rows of the paths found once; the questions discovery asks
    after (paths seen, pending) are answered from them, not from the files again."""
    ledger = tmp_path / "ledger"
    done = [InputFile("a.html", 10, "h1", 7), InputFile("b.html", 10, "h2", 8)]
    write_parquet(files_table(done, "r1", NOW), ledger / "part-r1.parquet")
    view = LedgerRows(ledger)
    stats = [("a.html", 10, 7), ("b.html", 10, 9), ("c.html", 3, 1)]
    assert recorded_hashes(view, stats) == {"a.html": "h1"}
    shutil.rmtree(ledger)  # from here on, only what the first read gave
    assert recorded_paths(view, ["b.html", "c.html"]) == {"b.html"}
    now = [InputFile("a.html", 10, "h1"), InputFile("b.html", 10, "h2-new")]
    pending, skipped = split_pending(now, view)
    assert ([f.path for f in pending], [f.path for f in skipped]) == (["b.html"], ["a.html"])
