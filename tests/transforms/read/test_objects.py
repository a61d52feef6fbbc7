"""INPUT in object storage (transforms.read.objects, discover_objects, read_file on a
location) against a real S3 endpoint (moto's server on 127.0.0.1): the same documents and drops
as the same bytes in a local folder, the same bounds, the ETag as read."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from transforms.core.config import ReadSettings
from transforms.core.ids import file_hash
from transforms.core.storage import resolve_location
from transforms.read.files import discover, read_file
from transforms.read.object_inputs import discover_objects
from transforms.read.objects import list_objects

PAGE = b"<html><head><title>T</title></head><body><p>A paragraph of news.</p></body></html>"


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def _warc(pages: list[bytes]) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i, html in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example.org/{i}", "response", payload=io.BytesIO(html), http_headers=headers
        )
        writer.write_record(record)
    return out.getvalue()


# name -> bytes: every format, gzip, and bad input of each kind
FILES: dict[str, bytes] = {
    "a/page.html": PAGE,
    "a/page copy.htm": PAGE,  # same bytes, another name
    "b/story.txt": "A story in plain text.\n\nWith a second paragraph, “quoted”.\n".encode(),
    "b/zipped.html.gz": gzip.compress(PAGE.replace(b"news", b"zipped news")),
    "c/records.jsonl": b"\n".join(
        json.dumps({"url": f"https://example.org/{i}", "html": f"<p>record {i}</p>"}).encode()
        for i in range(3)
    )
    + b"\n{not json\n",
    "c/crawl.warc.gz": _warc([PAGE, PAGE.replace(b"news", b"other news")]),
    "d/empty.html": b"",
    "d/binary.txt": bytes(range(256)) * 4,
    "d/truncated.html.gz": gzip.compress(PAGE * 20)[:-30],
    "notes.csv": b"ignored,file\n",
}


def _upload(location, files: dict[str, bytes]) -> None:
    fs = location.filesystem()
    for name, data in files.items():
        fs.pipe_file(location.join(name).path, data)


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def _documents(root, files, settings=None):
    read = {}
    out = []
    for f in files:
        for doc, drop in read_file(root, f, settings, read):
            out.append((doc.doc_id, doc.source_path, doc.source_record, doc.content_hash, drop))
    return sorted(out, key=repr), read


@pytest.mark.parametrize("max_file_bytes", [64 * 1024 * 1024, 1000])
def test_objects_read_as_the_same_files_read_locally(s3_bucket, tmp_path, max_file_bytes):
    """Every format, gzip and bad input: the same documents, drops and hashes from an
    object-store prefix as from a local folder (also with a file-size bound that cuts some)."""
    settings = ReadSettings(max_file_bytes=max_file_bytes)
    location = resolve_location(f"s3://{s3_bucket}/raw")
    _upload(location, FILES)
    _write(tmp_path, FILES)

    local_files, local_drops, local_ignored = discover(tmp_path, settings)
    found = discover_objects(location, settings)
    files, drops, ignored, states = found.files, found.drops, found.ignored, found.states
    assert (drops, states) == ([], {}) and local_drops == []
    assert ignored == local_ignored == ["notes.csv"]
    assert [(f.path, f.size, f.file_hash) for f in files] == [
        (f.path, f.size, f.file_hash) for f in local_files
    ]
    assert all(f.etag and f.mtime_ns is None for f in files)

    local_docs, local_read = _documents(tmp_path, local_files, settings)
    docs, read = _documents(location, files, settings)
    assert docs == local_docs
    assert len(docs) >= 12 and any(drop is not None for *_, drop in docs)
    if max_file_bytes == 1000:  # the WARC and the large gzip are cut: the same drops
        assert any(d is not None and d.reason == "file_too_large" for *_, d in docs)
    assert {p: (f.size, f.file_hash) for p, f in read.items()} == {
        p: (f.size, f.file_hash) for p, f in local_read.items()
    }
    listed = {f.path: f.etag for f in files}
    assert all(f.etag == listed[p] for p, f in read.items())  # the ETag as read


def test_listing_skips_folder_markers_and_an_excluded_prefix(s3_bucket):
    location = resolve_location(f"s3://{s3_bucket}/in")
    fs = location.filesystem()
    _upload(location, {"x.html": PAGE, "out/runs/r.json": b"{}", "out/a.html": PAGE})
    fs.pipe_file(f"{s3_bucket}/in/folder/", b"")  # a console-made "folder"
    fs.pipe_file(f"{s3_bucket}/inside-not.html", PAGE)  # a sibling prefix, not under in/
    found, ignored = list_objects(location, lambda n: n.endswith(".html"), location.join("out"))
    assert [o.rel for o in found] == ["x.html"] and ignored == []
    assert found[0].size == len(PAGE) and found[0].etag and found[0].modified_ns


def test_a_missing_prefix_is_not_a_folder(s3_bucket):
    with pytest.raises(NotADirectoryError, match=f"s3://{s3_bucket}/nothing"):
        discover_objects(resolve_location(f"s3://{s3_bucket}/nothing"))


def test_known_objects_are_not_read_and_a_rewritten_one_is(s3_bucket, monkeypatch):
    """discover_objects reuses the hash recorded for (path, size, ETag); an object rewritten
    (new ETag) is read again."""
    from transforms.read import objects

    location = resolve_location(f"s3://{s3_bucket}/raw")
    _upload(location, {"a.html": PAGE, "b.html": PAGE + b" "})
    first = discover_objects(location).files
    recorded = {(f.path, f.size, f.etag): f.file_hash for f in first}

    def known(stats):
        return {p: recorded[(p, s, e)] for p, s, e in stats if (p, s, e) in recorded}

    opened: list[str] = []
    real = objects.hash_object
    monkeypatch.setattr(objects, "hash_object", lambda fs, key: opened.append(key) or real(fs, key))
    again = discover_objects(location, known=known).files
    assert opened == [] and again == first

    _upload(location, {"b.html": b"<p>rewritten</p>"})
    changed = discover_objects(location, known=known).files
    assert opened == [f"{s3_bucket}/raw/b.html"]
    b = {f.path: f for f in changed}["b.html"]
    assert b.file_hash == file_hash(b"<p>rewritten</p>") and b.etag != first[1].etag


def test_an_archived_object_is_an_unreadable_entry(s3_bucket):
    """An object in a Glacier storage class cannot be read (InvalidObjectState): a discover
    drop, as an unreadable local file, with its state for the unreadable table."""
    import boto3

    location = resolve_location(f"s3://{s3_bucket}/raw")
    _upload(location, {"ok.html": PAGE})
    boto3.client("s3").put_object(
        Bucket=s3_bucket, Key="raw/cold.html", Body=PAGE, StorageClass="GLACIER"
    )
    found = discover_objects(location)
    assert [f.path for f in found.files] == ["ok.html"]
    [(path, drop)] = found.drops
    assert (path, drop.stage, drop.reason) == ("cold.html", "discover", "unreadable_file")
    state = found.states["cold.html"]
    assert state["kind"] == "object" and state["link_target"] == '"' + md5(PAGE) + '"'
    # remembered with that ETag: skipped, not read
    again = discover_objects(location, remembered={"cold.html": state})
    assert again.known_unreadable == ["cold.html"] and again.drops == []


def test_an_object_gone_after_listing_is_unreadable_at_read(s3_bucket):
    location = resolve_location(f"s3://{s3_bucket}/raw")
    _upload(location, {"gone.html": PAGE})
    [f] = discover_objects(location).files
    location.filesystem().rm(location.join("gone.html").path)
    read: dict = {}
    [(doc, drop)] = list(read_file(location, f, None, read))
    assert (drop.stage, drop.reason) == ("read", "unreadable_file") and read == {}
    assert doc.source_path == "gone.html"


def test_prefetched_reads_ahead_in_order_within_its_budget(s3_bucket, monkeypatch):
    """Objects come back in the shard's order whatever order the reads end in; an object gone
    since the listing comes back as its OSError; no more listed bytes are read ahead than the
    budget (one object always)."""
    import threading

    from transforms.read import object_inputs

    location = resolve_location(f"s3://{s3_bucket}/raw")
    names = [f"p{i:02}.html" for i in range(12)]
    _upload(location, {name: PAGE + name.encode() for name in names})
    files = discover_objects(location).files
    location.filesystem().rm(location.join("p03.html").path)

    lock, running, peak = threading.Lock(), [0], [0]
    real = object_inputs.load_input

    def counting(root, f, settings):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            return real(root, f, settings)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(object_inputs, "load_input", counting)
    settings = ReadSettings()
    out = list(object_inputs.prefetched(location, files, settings, threads=4))
    assert [f.path for f, _ in out] == names
    assert isinstance(out[3][1], FileNotFoundError)
    assert all(loaded.data == PAGE + f.path.encode() for f, loaded in out if f.path != "p03.html")
    assert 1 < peak[0] <= 4

    peak[0] = 0  # a budget below two objects: one read at a time
    out = list(object_inputs.prefetched(location, files, settings, threads=4, budget=len(PAGE)))
    assert [f.path for f, _ in out] == names and peak[0] == 1


def test_a_key_with_an_empty_segment_is_read_under_its_own_name(s3_bucket):
    """S3 keys are names, not paths: "x//y.html" is its own object (a local path would fold it)."""
    location = resolve_location(f"s3://{s3_bucket}/raw")
    location.filesystem().pipe_file(f"{s3_bucket}/raw/x//y.html", PAGE)
    found = discover_objects(location)
    [f] = found.files
    assert f.path == "x//y.html" and found.drops == []
    [(doc, drop)] = list(read_file(location, f))
    assert drop is None and doc.content_hash == file_hash(PAGE)


def test_objects_at_new_paths_are_not_read_at_discovery(s3_bucket, monkeypatch):
    """With `seen` (the ledger's paths), an object at a path never seen is pending unread:
    its shard's read is its only one; an object at a known path under a new ETag is read."""
    from transforms.read import objects
    from transforms.read.objects import NOT_HASHED

    location = resolve_location(f"s3://{s3_bucket}/raw")
    _upload(location, {"new.html": PAGE, "known.html": PAGE + b" "})
    opened: list[str] = []
    real = objects.hash_object
    monkeypatch.setattr(objects, "hash_object", lambda fs, key: opened.append(key) or real(fs, key))
    found = discover_objects(location, seen=lambda paths: {"known.html"} & set(paths))
    assert opened == [f"{s3_bucket}/raw/known.html"]
    files = {f.path: f for f in found.files}
    assert files["new.html"].file_hash == NOT_HASHED and files["new.html"].size == len(PAGE)
    assert files["new.html"].etag == '"' + md5(PAGE) + '"'
    assert files["known.html"].file_hash == file_hash(PAGE + b" ")
    read: dict = {}
    list(read_file(location, files["new.html"], None, read))
    assert read["new.html"].file_hash == file_hash(PAGE)  # the hash the ledger records
