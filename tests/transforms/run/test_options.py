"""Run options checked before any work: folders, workers, the lock wait, one value a setting."""

from __future__ import annotations

import pytest

from transforms.read.files import discover
from transforms.run.manifest import accounting, run_outcome
from transforms.run.options import (
    OptionError,
    check_run_options,
    lock_wait_seconds,
    output_inside_input,
    parse_settings,
    run_config,
)


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "in").mkdir()
    return tmp_path / "in", tmp_path / "out"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"workers": 0}, r"workers=0 is out of range: must be an int >= 1"),
        ({"workers": True}, r"workers=True"),
        ({"shard_size": 0}, r"shards.shard_size=0 is out of range"),
        ({"settings": {"dedup.bands": "0"}}, r"dedup.bands=0 is out of range: must be >= 1"),
        (
            {"settings": {"dedup.num_perm": "3"}},
            r"dedup.num_perm=3 is out of range: must be >= dedup.bands \* dedup.rows",
        ),
        ({"settings": {"dedup.near_jaccard": "5"}}, r"dedup.near_jaccard=5.0 is out of range"),
        (
            {"settings": {"read.input_suffixes": ".pdf"}},
            r"read.input_suffixes: no reader for \['.pdf'\]",
        ),
        (
            {"shard_size": 5, "settings": {"shards.shard_size": "7"}},
            r"--shard-size 5 and --set shards.shard_size=7 disagree",
        ),
        ({"lock_timeout": -1}, r"lock timeout -1: must be a number of seconds >= 0"),
    ],
)
def test_bad_options_are_one_line_errors(folders, kwargs, message):
    with pytest.raises(OptionError, match=message) as refused:
        check_run_options(*folders, **{"workers": 1, **kwargs})
    assert "\n" not in str(refused.value)
    assert not folders[1].exists()  # nothing written


def test_one_setting_given_twice_the_same_way_is_fine():
    assert run_config({"shards.shard_size": "5"}, 5).shards.shard_size == 5
    assert run_config({"shards.shard_size": "7"}).shards.shard_size == 7
    assert run_config({}, 3).shards.shard_size == 3
    assert run_config(None).shards.shard_size == 1000  # the config's own default


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], {}),
        (["clean.min_words=60"], {"clean.min_words": "60"}),
        ([" dedup.bands =16", "dedup.bands= 16"], {"dedup.bands": " 16"}),  # the same value
        (["storage.options=a=b"], {"storage.options": "a=b"}),  # the first = splits
        (["clean.min_words"], "expected KEY=VALUE"),
        (["=5"], "expected KEY=VALUE"),
        (["dedup.bands=16", "dedup.bands=8"], "disagree: give one"),
    ],
)
def test_set_options_parse_to_one_value_a_key(items, expected):
    if isinstance(expected, dict):
        assert parse_settings(items) == expected
    else:
        with pytest.raises(OptionError, match=expected):
            parse_settings(items)


def test_input_is_a_folder_that_exists(tmp_path):
    (tmp_path / "page.html").write_text("x")
    with pytest.raises(OptionError, match=r"input '.*page.html' is a file, not a folder"):
        check_run_options(tmp_path / "page.html", tmp_path / "out")
    with pytest.raises(OptionError, match=r"input folder '.*nope' does not exist"):
        check_run_options(tmp_path / "nope", tmp_path / "out")


def test_output_is_not_input(folders):
    root, _ = folders
    with pytest.raises(OptionError, match="is the input folder"):
        check_run_options(root, root)
    with pytest.raises(OptionError, match="is the input folder"):
        check_run_options(root, root / "sub" / "..")


def test_output_must_be_writable_and_nothing_is_left_behind(tmp_path, folders):
    root, _ = folders
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(OptionError, match=r"'.*a-file' is a file, not a folder"):
        check_run_options(root, tmp_path / "a-file")
    with pytest.raises(OptionError, match=r"under '.*a-file', which is a file"):
        check_run_options(root, tmp_path / "a-file" / "out")
    # root may write anywhere on a writable mount: /proc refuses everyone
    with pytest.raises(OptionError, match=r"'/proc/newsclean-out' is not writable"):
        check_run_options(root, "/proc/newsclean-out")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    check_run_options(root, tmp_path / "new" / "out")  # creatable: fine, and not created
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_lock_wait():
    assert lock_wait_seconds(False, None) == 0.0  # refuse at once
    assert lock_wait_seconds(True, None) is None  # for ever
    assert lock_wait_seconds(True, 30) == 30.0
    assert lock_wait_seconds(False, 30) == 30.0  # a timeout means waiting that long


def test_output_inside_input_is_left_out_of_discovery(tmp_path):
    root = tmp_path / "in"
    (root / "news").mkdir(parents=True)
    (root / "news" / "a.html").write_text("<p>x</p>")
    (root / "out" / "reports").mkdir(parents=True)
    (root / "out" / "reports" / "index.html").write_text("<p>report</p>")
    (root / "outside.html").write_text("<p>y</p>")
    assert output_inside_input(root, root / "out") == "out"
    assert output_inside_input(root, tmp_path / "elsewhere") is None
    assert output_inside_input(root, root) is None
    files, drops, ignored = discover(root, exclude=root / "out")
    assert [f.path for f in files] == ["news/a.html", "outside.html"]
    assert (drops, ignored) == ([], [])
    assert len(discover(root)[0]) == 3  # without it, the output is read


@pytest.mark.parametrize("max_share", [1.0, 0.5])
def test_an_unbalanced_accounting_is_a_run_failure_whatever_the_settings(max_share):
    assert run_outcome(accounting(10, 5, 2, 3), max_share)[0] == []
    assert run_outcome(accounting(10, 5, 2, 2), max_share)[0] == ["accounting_not_balanced"]
    assert run_outcome(accounting(10, 10, 2, 3), max_share)[0] == ["accounting_not_balanced"]


# --- INPUT in object storage (a real S3 endpoint: moto's server on 127.0.0.1) ---------------


def test_an_s3_input_prefix_with_objects_is_accepted(s3_bucket, tmp_path):
    from transforms.core.storage import resolve_location

    resolve_location(f"s3://{s3_bucket}/raw").filesystem().pipe_file(
        f"{s3_bucket}/raw/a.html", b"x"
    )
    config = check_run_options(f"s3://{s3_bucket}/raw/", tmp_path / "out")
    assert config.storage.options == ""


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            "raw/nothing",
            r"^input folder 's3://{b}/raw/nothing' does not exist \(no object under it\)$",
        ),
        ("raw/a.html", r"^input 's3://{b}/raw/a.html' is an object, not a folder \(prefix\)$"),
    ],
)
def test_an_s3_input_that_is_not_a_prefix_is_one_line(s3_bucket, tmp_path, where, message):
    from transforms.core.storage import resolve_location

    resolve_location(f"s3://{s3_bucket}").filesystem().pipe_file(f"{s3_bucket}/raw/a.html", b"x")
    with pytest.raises(OptionError, match=message.format(b=s3_bucket)):
        check_run_options(f"s3://{s3_bucket}/{where}", tmp_path / "out")


def test_an_s3_input_that_cannot_be_listed_is_one_line(s3_env, tmp_path, monkeypatch):
    with pytest.raises(OptionError, match=r"^input folder 's3://no-such-bucket-here/raw' does not"):
        check_run_options("s3://no-such-bucket-here/raw", tmp_path / "out")
    import s3fs

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # botocore: no retries with backoff
    s3fs.S3FileSystem.clear_instance_cache()
    with pytest.raises(OptionError, match=r"^input 's3://b-b-b/raw' cannot be listed: ") as info:
        check_run_options("s3://b-b-b/raw", tmp_path / "out")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "uri", ["s3://AKIAEXAMPLE:wJalrSECRET@bucket/raw", "s3://AKIAEXAMPLE@bucket/raw"]
)
def test_a_uri_with_credentials_is_refused_without_showing_them(tmp_path, uri):
    with pytest.raises(OptionError) as info:
        check_run_options(uri, tmp_path / "out")
    assert str(info.value).startswith("'s3://bucket/raw': a URI must not carry credentials")
    assert "AKIA" not in str(info.value) and "SECRET" not in str(info.value)


@pytest.mark.parametrize(
    ("input_dir", "output_dir", "inside"),
    [
        ("s3://b/raw", "s3://b/raw/out", "out"),
        ("s3://b/raw", "s3://b/raw-out", None),
        ("s3://b/raw", "s3://c/raw/out", None),
        ("s3://b/raw", "/tmp/raw/out", None),
        ("/tmp/raw", "s3://b/tmp/raw/out", None),
    ],
)
def test_output_inside_an_object_store_input(input_dir, output_dir, inside):
    assert output_inside_input(input_dir, output_dir) == inside


def test_an_s3_output_needs_a_bucket_that_answers(s3_bucket, tmp_path, monkeypatch):
    """OUTPUT on S3: the bucket must exist (one HEAD request, nothing written); any failure is
    one line naming OUTPUT, before anything starts."""
    (tmp_path / "in").mkdir()
    import s3fs

    config = check_run_options(tmp_path / "in", f"s3://{s3_bucket}/clean")
    assert config is not None
    assert s3fs.S3FileSystem().find(s3_bucket) == []  # nothing written
    with pytest.raises(OptionError, match=r"^output 's3://no-such-bucket-22/clean': bucket 'no-"):
        check_run_options(tmp_path / "in", "s3://no-such-bucket-22/clean")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    s3fs.S3FileSystem.clear_instance_cache()
    with pytest.raises(OptionError, match=r"^output 's3://b-b-b/x' cannot be reached: ") as info:
        check_run_options(tmp_path / "in", "s3://b-b-b/x")
    assert "\n" not in str(info.value)
