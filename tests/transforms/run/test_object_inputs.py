"""gather_inputs over an s3:// INPUT with a real ledger (moto's server on 127.0.0.1): an object
whose size and ETag the ledger recorded is not read again, a rewritten one is, an object at a
new path is read only by its shard; an unreadable object is remembered by its ETag."""

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
    assert hashed == []  # new paths: read once, by the shard, not at discovery

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


def test_an_object_remembered_unreadable_is_skipped_until_rewritten(s3_bucket, tmp_path):
    """An archived object: a shard's read fails with a lasting error (PermissionError) and
    the run remembers it by its ETag; the next discovery skips it, a rewrite brings it back."""
    import boto3

    from transforms.read.objects import lasting, object_state

    url, output = f"s3://{s3_bucket}/raw", tmp_path / "out"
    _put(url, "ok.html", b"<p>fine</p>")
    s3 = boto3.client("s3")
    s3.put_object(
        Bucket=s3_bucket, Key="raw/cold.html", Body=b"<p>cold</p>", StorageClass="GLACIER"
    )
    first = gather_inputs(url, output, CONFIG, 1)
    assert [f.path for f in first.pending] == ["cold.html", "ok.html"] and first.drops == []
    cold = first.pending[0]
    [(_, drop)] = read_file(input_root(url, CONFIG), cold, CONFIG.read)
    assert (drop.stage, drop.reason) == ("read", "unreadable_file")
    with pytest.raises(PermissionError) as info:  # as the shard sees it: a lasting error
        input_root(url, CONFIG).filesystem().cat_file(f"{s3_bucket}/raw/cold.html")
    assert lasting(info.value)
    # what the flow publishes for it (ShardResult.unreadable_objects -> OUTPUT/unreadable)
    first.unreadable.remember({"cold.html": object_state(cold.etag, "unreadable_file")})
    write_parquet(first.unreadable.table("r1", NOW), output / UNREADABLE / "part-r1.parquet")

    second = gather_inputs(url, output, CONFIG, 1)
    assert second.unreadable.known == ["cold.html"]
    assert [f.path for f in second.pending] == ["ok.html"]
    s3.put_object(Bucket=s3_bucket, Key="raw/cold.html", Body=b"<p>new</p>", StorageClass="GLACIER")
    third = gather_inputs(url, output, CONFIG, 1)  # rewritten: a new ETag, tried again
    assert "cold.html" in [f.path for f in third.pending] and third.unreadable.known == []
