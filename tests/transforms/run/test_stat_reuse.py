"""Discovery reuses the ledger's hash of a file whose size and mtime are unchanged (issue 20):
an unchanged file is not read again; a touched or changed one is hashed again; a ledger written
before mtime_ns was recorded still reads (its files are hashed, as before)."""

from __future__ import annotations

import builtins
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from transforms.core.config import PipelineConfig
from transforms.core.ids import file_hash
from transforms.core.schema import LEDGER
from transforms.read import files as files_mod
from transforms.read.files import InputFile, discover, read_file
from transforms.run.inputs import gather_inputs
from transforms.run.ledger import files_table
from transforms.run.store import write_parquet

NOW = datetime(2026, 1, 2, tzinfo=UTC)
CONFIG = PipelineConfig()
OLD = time.time() - 3600  # an hour ago: well outside the racy window


def _write(path: Path, data: bytes, mtime: float = OLD) -> None:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def _process(root: Path, output: Path) -> list[InputFile]:
    """What a run does for the ledger: read every pending file, record it as read."""
    read: dict[str, InputFile] = {}
    for f in gather_inputs(root, output, CONFIG, 1).pending:
        list(read_file(root, f, CONFIG.read, read))
    rows = list(read.values())
    write_parquet(files_table(rows, "r1", NOW), output / LEDGER / "part-r1.parquet")
    return rows


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The paths discovery reads and hashes."""
    calls: list[str] = []
    real = files_mod._hash_file

    def spy(path: str, rel: str) -> InputFile:
        calls.append(rel)
        return real(path, rel)

    monkeypatch.setattr(files_mod, "_hash_file", spy)
    return calls


def test_the_ledger_records_size_and_mtime_as_read(tmp_path):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    _write(root / "a.html", b"<p>alpha</p>")
    rows = _process(root, output)
    st = (root / "a.html").stat()
    assert rows == [InputFile("a.html", st.st_size, file_hash(b"<p>alpha</p>"), st.st_mtime_ns)]
    ledger = pq.read_table(output / LEDGER / "part-r1.parquet")
    assert ledger.column("mtime_ns").to_pylist() == [st.st_mtime_ns]


def test_an_unchanged_file_is_not_read_a_touched_one_is(tmp_path, hashed, monkeypatch):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    _write(root / "a.html", b"<p>alpha</p>")
    _write(root / "b.html", b"<p>beta</p>")
    _process(root, output)
    hashed.clear()

    # unreadable now (for a non-root user; root reads it anyway, so open() is guarded too): a
    # read would fail and make it an unreadable entry; it is not opened at all
    (root / "a.html").chmod(0)
    real_open = builtins.open

    def guarded_open(path, *args, **kwargs):
        assert not str(path).endswith(".html"), f"an unchanged file was opened: {path}"
        return real_open(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", guarded_open)
        inputs = gather_inputs(root, output, CONFIG, 1)
    assert hashed == []
    assert inputs.pending == [] and inputs.drops == []
    assert [f.path for f in inputs.skipped] == ["a.html", "b.html"]
    (root / "a.html").chmod(0o644)

    # touched (same bytes, new mtime): hashed again, still skipped (the ledger has its bytes)
    later = OLD + 60
    os.utime(root / "b.html", (later, later))
    inputs = gather_inputs(root, output, CONFIG, 1)
    assert hashed == ["b.html"]
    assert inputs.pending == []

    # changed (new bytes, new size): hashed and processed again
    hashed.clear()
    _write(root / "a.html", b"<p>alpha, changed</p>", OLD + 120)
    inputs = gather_inputs(root, output, CONFIG, 1)
    assert sorted(hashed) == ["a.html", "b.html"]  # b's new mtime was never recorded
    assert [f.path for f in inputs.pending] == ["a.html"]


def test_a_file_modified_just_before_it_was_read_records_no_mtime(tmp_path, hashed):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (root / "a.html").write_bytes(b"<p>fresh</p>")  # mtime now: a write may follow in its tick
    assert [f.mtime_ns for f in _process(root, output)] == [None]
    hashed.clear()
    gather_inputs(root, output, CONFIG, 1)
    assert hashed == ["a.html"]  # never trusted: hashed again


def test_a_ledger_without_mtime_ns_still_reads(tmp_path, hashed):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    _write(root / "a.html", b"<p>alpha</p>")
    old = files_table(discover(root)[0], "r0", NOW).drop_columns(["mtime_ns"])
    write_parquet(old, output / LEDGER / "part-r0.parquet")
    hashed.clear()
    inputs = gather_inputs(root, output, CONFIG, 1)
    assert hashed == ["a.html"]
    assert inputs.pending == [] and [f.path for f in inputs.skipped] == ["a.html"]
