"""gather_inputs over an s3:// INPUT with a real ledger (moto's server on 127.0.0.1): an object
whose size and ETag the ledger recorded is not read again, a rewritten one is; an archived
object is quarantined once and remembered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from transforms.core.config import PipelineConfig
from transforms.core.schema import LEDGER, UNREADABLE
from transforms.core.storage import resolve_location
from transforms.read import objects
from transforms.read.files import InputFile, read_file
from transforms.run.inputs import gather_inputs, input_root
from transforms.run.ledger import files_table
from transforms.run.store import write_parquet

NOW = datetime(2026, 1, 2, tzinfo=UTC)
CONFIG = PipelineConfig()


def _put(url: str, name: str, data: bytes) -> None:
    location = resolve_location(url)
    location.filesystem().pipe_file(location.join(name).path, data)


def _process(url, output, run_id="r1") -> list[InputFile]:
    """What a run does for the ledger: read every pending object, record it as read."""
    read: dict[str, InputFile] = {}
    root = input_root(url, CONFIG)
    for f in gather_inputs(url, output, CONFIG, 1).pending:
        list(read_file(root, f, CONFIG.read, read))
    rows = list(read.values())
    write_parquet(files_table(rows, run_id, NOW), output / LEDGER / f"part-{run_id}.parquet")
    return rows


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The keys discovery reads and hashes."""
    calls: list[str] = []
    real = objects.hash_object

    def spy(fs, key):
        calls.append(key.rpartition("/raw/")[2])
        return real(fs, key)

    monkeypatch.setattr(objects, "hash_object", spy)
    return calls


def test_an_unchanged_object_is_not_read_a_rewritten_one_is(s3_bucket, tmp_path, hashed):
    url, output = f"s3://{s3_bucket}/raw", tmp_path / "out"
    _put(url, "a.html", b"<p>alpha</p>")
    _put(url, "b.html", b"<p>beta</p>")
    rows = _process(url, output)
    assert [r.path for r in rows] == ["a.html", "b.html"] and all(r.etag for r in rows)
    assert sorted(hashed) == ["a.html", "b.html"]

    hashed.clear()
    inputs = gather_inputs(url, output, CONFIG, 1)
    assert hashed == []  # size and ETag unchanged: the recorded hash is reused
    assert inputs.pending == [] and [f.path for f in inputs.skipped] == ["a.html", "b.html"]

    _put(url, "a.html", b"<p>alpha, rewritten</p>")  # new bytes: new ETag
    _put(url, "b.html", b"<p>beta</p>")  # the same bytes again: the same ETag (MD5)
    inputs = gather_inputs(url, output, CONFIG, 1)
    assert hashed == ["a.html"]
    assert [f.path for f in inputs.pending] == ["a.html"]
    assert [f.path for f in inputs.skipped] == ["b.html"]


def test_an_archived_object_is_quarantined_once(s3_bucket, tmp_path):
    import boto3

    url, output = f"s3://{s3_bucket}/raw", tmp_path / "out"
    _put(url, "ok.html", b"<p>fine</p>")
    boto3.client("s3").put_object(
        Bucket=s3_bucket, Key="raw/cold.html", Body=b"<p>cold</p>", StorageClass="GLACIER"
    )
    first = gather_inputs(url, output, CONFIG, 1)
    assert [p for p, _ in first.drops] == ["cold.html"]
    # the run publishes what it remembers of it (as the flow does with the run's tables)
    write_parquet(first.unreadable.table("r1", NOW), output / UNREADABLE / "part-r1.parquet")
    second = gather_inputs(url, output, CONFIG, 1)
    assert second.drops == [] and second.unreadable.known == ["cold.html"]
    boto3.client("s3").put_object(
        Bucket=s3_bucket, Key="raw/cold.html", Body=b"<p>colder</p>", StorageClass="GLACIER"
    )
    third = gather_inputs(url, output, CONFIG, 1)  # rewritten: new ETag, quarantined again
    assert [p for p, _ in third.drops] == ["cold.html"]
