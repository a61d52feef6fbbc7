from datetime import UTC, datetime

from transforms.read.files import InputFile
from transforms.run.ledger import files_table, split_pending
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
