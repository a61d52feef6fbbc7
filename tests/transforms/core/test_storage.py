"""StorageLocation / resolve_location: local paths and s3:// URIs, the options kept out of
sight, and both filesystems talking to a real S3 endpoint (moto's server on 127.0.0.1)."""

from __future__ import annotations

import os
import pickle

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from transforms.core.storage import (
    StorageLocation,
    credential_options,
    endpoint_url,
    masked,
    parse_options,
    resolve_location,
)


@pytest.mark.parametrize(
    ("given", "url", "protocol", "path"),
    [
        ("s3://bucket/raw/2026/", "s3://bucket/raw/2026", "s3", "bucket/raw/2026"),
        ("s3://bucket", "s3://bucket", "s3", "bucket"),
        ("s3://bucket/", "s3://bucket", "s3", "bucket"),
        ("S3://bucket/a//", "s3://bucket/a", "s3", "bucket/a"),
        ("s3a://bucket/a", "s3://bucket/a", "s3", "bucket/a"),
        ("memory://scratch/x/", "memory://scratch/x", "memory", "scratch/x"),
        ("/data/raw/", "/data/raw", "file", "/data/raw"),
        ("file:///data/raw/", "/data/raw", "file", "/data/raw"),
        ("file:///data/with%20space", "/data/with space", "file", "/data/with space"),
    ],
)
def test_resolve_location_normalises(given, url, protocol, path):
    location = resolve_location(given)
    assert (location.url, location.protocol, location.path) == (url, protocol, path)
    assert location.is_local == (protocol == "file")


def test_a_relative_local_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    location = resolve_location("data/sample")
    assert location.url == str(tmp_path / "data" / "sample") and location.is_local
    assert resolve_location(tmp_path).url == str(tmp_path)  # a PathLike too


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "empty path"),
        ("  ", "empty path"),
        ("s3:///prefix", "names a bucket"),
        ("nosuchproto://x/y", "unknown storage protocol 'nosuchproto'"),
    ],
)
def test_resolve_location_refuses(given, message):
    with pytest.raises(ValueError, match=message):
        resolve_location(given)


def test_credentials_never_show():
    location = resolve_location("s3://AKIAEXAMPLE:wJalrSECRET@bucket/raw/", {"region": "x"})
    assert location.url == "s3://bucket/raw"
    assert location.storage_options == {
        "key": "AKIAEXAMPLE",
        "secret": "wJalrSECRET",
        "region": "x",
    }
    for shown in (repr(location), str(location), location.display(), location.join("a").url):
        assert "AKIAEXAMPLE" not in shown and "wJalrSECRET" not in shown
    assert repr(location) == "StorageLocation('s3://bucket/raw')"
    given = resolve_location("s3://bucket/raw", {"key": "K", "secret": "S"})
    assert "'S'" not in repr(given) and "'K'" not in repr(given)
    # equality is by url: the options are not part of what a location is
    assert given == resolve_location("s3://bucket/raw") and hash(given) == hash(location)


def test_display_strips_userinfo_even_in_a_url_built_by_hand():
    location = StorageLocation("s3://user:pass@bucket/p", "s3", {})
    assert location.display() == "s3://bucket/p"


@pytest.mark.parametrize(
    ("base", "parts", "url"),
    [
        ("s3://b/raw", ("a", "b.html"), "s3://b/raw/a/b.html"),
        ("s3://b/raw", ("a/b.html",), "s3://b/raw/a/b.html"),
        ("s3://b", ("/x/",), "s3://b/x"),
        ("s3://b/raw", (), "s3://b/raw"),
        ("/data", ("runs", "r1.json"), "/data/runs/r1.json"),
        ("/data", ("runs/r1.json",), "/data/runs/r1.json"),
    ],
)
def test_join(base, parts, url):
    location = resolve_location(base, {"profile": "p"})
    joined = location.join(*parts)
    assert joined.url == url and joined.protocol == location.protocol
    assert joined.storage_options == {"profile": "p"}


def test_a_location_pickles_with_its_options():
    """Shard jobs carry locations to worker processes and Dask workers."""
    location = resolve_location("s3://b/raw", {"endpoint_url": "http://h:1"})
    again = pickle.loads(pickle.dumps(location))
    assert again == location and again.storage_options == {"endpoint_url": "http://h:1"}


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("", {}),
        ("region=eu-west-1", {"region": "eu-west-1"}),
        (
            " endpoint_url = http://h:9000/ , anon=true,",
            {"endpoint_url": "http://h:9000/", "anon": "true"},
        ),
        ("profile=a=b", {"profile": "a=b"}),
    ],
)
def test_parse_options(text, options):
    assert parse_options(text) == options


@pytest.mark.parametrize("text", ["region", "=x", "a=1,b"])
def test_parse_options_refuses_a_pair_without_a_key_or_value(text):
    with pytest.raises(ValueError, match="expected key=value"):
        parse_options(text)


def test_credential_options_and_masked():
    options = {"Secret": "s", "region": "r", "aws_session_token": "t", "profile": "p"}
    assert credential_options(options) == ["Secret", "aws_session_token"]
    assert masked(options) == "Secret=***,aws_session_token=***,profile=***,region=***"


def test_endpoint_from_options_then_environment(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert endpoint_url() is None
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://general:1")
    assert endpoint_url() == "http://general:1"
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://s3-only:2")  # botocore: S3's own wins
    assert endpoint_url() == "http://s3-only:2"
    assert endpoint_url({"endpoint_url": "http://given:3"}) == "http://given:3"


def test_local_filesystems(tmp_path):
    location = resolve_location(tmp_path / "out")
    fs = location.filesystem()
    fs.makedirs(location.join("a").url, exist_ok=True)
    fs.pipe_file(location.join("a", "x.txt").url, b"local bytes")
    assert (tmp_path / "out" / "a" / "x.txt").read_bytes() == b"local bytes"
    arrow, path = location.arrow_filesystem()
    assert isinstance(arrow, pafs.LocalFileSystem) and path == str(tmp_path / "out")
    with arrow.open_input_stream(os.path.join(path, "a", "x.txt")) as fh:
        assert fh.read() == b"local bytes"


def test_both_filesystems_reach_the_endpoint(s3_bucket):
    """s3fs finds the endpoint in AWS_ENDPOINT_URL by itself; pyarrow is handed it: what one
    writes, the other reads, over HTTP to the moto server."""
    location = resolve_location(f"s3://{s3_bucket}/raw/")
    fs = location.filesystem()
    fs.pipe_file(location.join("pages", "a.html").path, b"<html>one</html>")
    listed = fs.find(location.path, detail=True)
    [(key, info)] = listed.items()
    assert key == f"{s3_bucket}/raw/pages/a.html" and info["size"] == 16 and info.get("ETag")

    arrow, root = location.arrow_filesystem()
    assert arrow.type_name == "py::retrying-s3" and root == f"{s3_bucket}/raw"
    with arrow.open_input_stream(f"{root}/pages/a.html") as fh:
        assert fh.read() == b"<html>one</html>"
    table = pa.table({"n": [1, 2, 3]})
    pq.write_table(table, f"{root}/t/part-0.parquet", filesystem=arrow)
    with fs.open(location.join("t", "part-0.parquet").path, "rb") as fh:
        assert pq.read_table(fh).equals(table)


def test_options_override_the_environment(s3_bucket, s3_env, monkeypatch):
    """An endpoint given as a storage option is used when the environment names another (here:
    none reachable), by both filesystems."""
    import s3fs

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: nothing there
    s3fs.S3FileSystem.clear_instance_cache()
    location = resolve_location(f"s3://{s3_bucket}", {"endpoint_url": s3_env})
    location.filesystem().pipe_file(f"{s3_bucket}/k.txt", b"via options")
    arrow, root = location.arrow_filesystem()
    with arrow.open_input_stream(f"{root}/k.txt") as fh:
        assert fh.read() == b"via options"
