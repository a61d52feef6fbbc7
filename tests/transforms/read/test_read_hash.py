"""The ledger records the bytes a run actually read (issue 18, case 7).

A file is listed and hashed by discovery, then read again by its shard. When it changes in
between, or while the shard reads it, the shard's bytes are the ones processed: the ledger must
record their hash, so that the next run takes the newer bytes as new, and must never record a
file under bytes that were not processed.
"""

from datetime import UTC, datetime
from pathlib import Path

from tests.shards import run_shard
from transforms.core.config import PipelineConfig
from transforms.core.ids import file_hash
from transforms.read import bounded as bounded_read
from transforms.read.files import discover, read_file
from transforms.run.ledger import files_table, split_pending
from transforms.run.store import write_parquet

NOW = datetime(2026, 1, 2, tzinfo=UTC)
V1 = b"<html><body><p>first version of the page</p></body></html>"
V2 = b"<html><body><p>second version, written while the run was reading</p>" + b" " * 300


def _read(root: Path, f, config=None):
    read = {}
    docs = list(read_file(root, f, (config or PipelineConfig()).read, read))
    return docs, read


def test_a_file_changed_after_discovery_is_recorded_by_the_bytes_read(tmp_path):
    (tmp_path / "a.html").write_bytes(V1)
    [listed] = discover(tmp_path)[0]
    (tmp_path / "a.html").write_bytes(V2)
    [(doc, drop)], read = _read(tmp_path, listed)
    assert drop is None and doc.markup.raw == V2
    assert listed.file_hash == file_hash(V1)
    assert read["a.html"].file_hash == file_hash(V2) == doc.content_hash
    assert read["a.html"].size == len(V2)


def test_a_file_rewritten_while_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "a.html"
    path.write_bytes(V1)
    [listed] = discover(tmp_path)[0]

    def open_then_rewrite(file, mode="r", *args, **kwargs):
        fh = open(file, mode, *args, **kwargs)  # noqa: SIM115 (returned open, as open does)
        Path(file).write_bytes(V2)  # ... when a writer replaces the content in place
        return fh

    monkeypatch.setattr(bounded_read, "open", open_then_rewrite, raising=False)
    [(doc, drop)], read = _read(tmp_path, listed)
    assert drop is None
    # whatever was read, the ledger entry is the hash of exactly those bytes
    assert read["a.html"].file_hash == file_hash(doc.markup.raw)
    assert doc.markup.raw == V2  # and the whole new content was read, not a cut at the old size


def test_the_shard_reports_the_read_hashes_and_the_ledger_takes_them(tmp_path):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (root / "a.html").write_bytes(V1)
    listed = discover(root)[0]
    (root / "a.html").write_bytes(V2)
    result = run_shard(str(root), listed, str(output), "r1", "00000", NOW, PipelineConfig())
    assert [(f.path, f.file_hash) for f in result.read_files] == [("a.html", file_hash(V2))]
    ledger = tmp_path / "ledger"
    write_parquet(files_table(result.read_files, "r1", NOW), ledger / "part-r1.parquet")
    # the next run: V2 is what was processed, so it is skipped; a V3 is new
    assert split_pending(discover(root)[0], ledger)[0] == []
    (root / "a.html").write_bytes(V1)
    assert [f.path for f in split_pending(discover(root)[0], ledger)[0]] == ["a.html"]


def test_a_file_that_could_not_be_read_is_not_recorded(tmp_path):
    (tmp_path / "gone.html").write_bytes(V1)
    [listed] = discover(tmp_path)[0]
    (tmp_path / "gone.html").unlink()
    [(_, drop)], read = _read(tmp_path, listed)
    assert drop.reason == "unreadable_file" and read == {}


def test_a_file_over_the_size_limit_is_recorded_by_all_of_its_bytes(tmp_path):
    config = PipelineConfig().with_settings({"read.max_file_bytes": 100})
    big_page = V2 * 3
    lines = b"".join(b'{"text": "line %d of a long file"}\n' % i for i in range(20))
    (tmp_path / "big.html").write_bytes(big_page)
    (tmp_path / "big.jsonl").write_bytes(lines)
    for f in discover(tmp_path, config.read)[0]:
        docs, read = _read(tmp_path, f, config)
        assert "file_too_large" in {d.reason for _, d in docs if d is not None}
        whole = (tmp_path / f.path).read_bytes()
        assert read[f.path].file_hash == file_hash(whole) and read[f.path].size == len(whole)
