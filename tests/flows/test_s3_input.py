"""INPUT in object storage: the flow reading s3:// from a real S3 endpoint (moto's server on
127.0.0.1) into a local OUTPUT gives the tables the same files give from a local folder; a
rerun adds nothing; a rewritten object is processed again; an oversized object and an archived
(unreadable) one are handled as local files are; a 2-process Dask cluster reads the endpoint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page, write_corpus
from transforms.core.storage import resolve_location

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
VOLATILE = {"run_id", "ingested_at", "ingest_date"}
# a file bound that the big page below is over (the corpus's files are all under it)
SETTINGS = {"read.max_file_bytes": "30000"}
TABLES = ("articles", "duplicates", "quarantine")
NEW_STORY = [
    "Engineers handed the old iron bridge back to the county on Tuesday, three weeks ahead of "
    "the date the repair crews had promised when the crossing closed in the spring.",
    "The deck was relaid with timber from a mill upriver, and the railings, rusted through in "
    "places, were cast again from the original patterns kept at the town museum.",
    "Shopkeepers on the east bank said trade had fallen by a third while the detour ran past "
    "the quarry road, and several asked the council to waive a month of market fees.",
    "The council said it would consider the request at its next meeting and thanked residents "
    "for their patience with the closures, the noise and the night work on the river.",
]


def _corpus(root: Path) -> None:
    write_corpus(root)
    (root / "warc").mkdir()
    shutil.copy(REPO / "data" / "sample" / "warc" / "crawl.warc.gz", root / "warc")
    paragraphs = [" ".join(STORIES["bridge"])] * 60  # ~60 KB: over read.max_file_bytes
    (root / "big.html").write_text(page("A very long page", paragraphs, "Big Site"))


def _upload(root: Path, url: str) -> None:
    location = resolve_location(url)
    fs = location.filesystem()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        fs.pipe_file(location.join(path.relative_to(root).as_posix()).path, path.read_bytes())


def _rows(output: Path, name: str) -> list[str]:
    folder = output / name
    if not folder.exists():
        return []
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    keep = [c for c in table.column_names if c not in VOLATILE]
    return sorted(map(repr, table.select(keep).to_pylist()))


def _run(input_dir: str, output: Path, **kwargs) -> dict:
    from flows.clean_articles import clean_articles

    return clean_articles(
        input_dir=input_dir,
        output_dir=str(output),
        workers=kwargs.pop("workers", 1),
        show_progress=False,
        settings=SETTINGS,
        **kwargs,
    )


def test_s3_input_matches_local_then_reruns_add_nothing(prefect_harness, s3_bucket, tmp_path):
    import boto3

    root = tmp_path / "input"
    _corpus(root)
    url = f"s3://{s3_bucket}/raw/2026"
    _upload(root, url)
    local = _run(str(root), tmp_path / "local")
    output = tmp_path / "from-s3"
    first = _run(url + "/", output)

    # the same tables: same bodies, same ids, same reasons, same counts
    for name in TABLES:
        assert _rows(output, name) == _rows(tmp_path / "local", name), name
    assert first["accounting"] == local["accounting"]
    assert first["inputs"] == local["inputs"]
    assert first["quarantine_reasons"] == local["quarantine_reasons"]
    assert first["quarantine_reasons"]["read:file_too_large"] == 1  # big.html, as locally
    assert first["input_dir"] == url  # the URI, normalised
    assert first["accounting"]["articles"] >= 6  # the corpus's five and the WARC's

    # a second run: nothing read, nothing added
    before = {name: _rows(output, name) for name in TABLES}
    second = _run(url, output)
    assert second["inputs"]["files_processed"] == 0
    assert second["inputs"]["files_skipped_already_processed"] == first["inputs"]["files_found"]
    assert {name: _rows(output, name) for name in TABLES} == before

    # one object rewritten with a new story, one archived (unreadable) object added
    location = resolve_location(url)
    new_story = page("Bridge reopens early", NEW_STORY, "River Post")
    location.filesystem().pipe_file(location.join("bridge.html").path, new_story.encode())
    boto3.client("s3").put_object(
        Bucket=s3_bucket,
        Key="raw/2026/cold/old.html",
        Body=b"<p>archived</p>",
        StorageClass="GLACIER",
    )
    third = _run(url, output)
    assert third["inputs"]["files_processed"] == 2  # bridge.html, and cold/old.html (new path)
    assert third["quarantine_reasons"] == {"read:unreadable_file": 1}  # cold/old.html
    articles = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table()
    titles = articles.filter(ds.field("run_id") == third["run_id"]).column("title").to_pylist()
    assert titles == ["Bridge reopens early"]

    fourth = _run(url, output)  # the archived object is remembered, not quarantined again
    assert fourth["inputs"]["files_processed"] == 0
    assert fourth["inputs"]["files_unreadable"] == 0
    assert fourth["inputs"]["files_skipped_known_unreadable"] == 1

    # no credential anywhere in OUTPUT (manifests, tables, reports)
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"testing-secret-key" not in data and b"testing-key-id" not in data, path
    assert "testing-secret-key" not in json.dumps([first, second, third, fourth])


def test_the_command_line_over_an_unchanged_prefix_starts_no_flow(
    prefect_harness, s3_bucket, tmp_path, capsys
):
    from flows import cli

    root = tmp_path / "input"
    _corpus(root)
    url = f"s3://{s3_bucket}/raw"
    _upload(root, url)
    output = tmp_path / "out"
    # the default runner: a process pool of 2 workers, each opening the objects itself
    argv = ["--input", url, "--output", str(output), "--workers", "2", "--no-progress"]
    settings = [f"--set={key}={value}" for key, value in SETTINGS.items()]
    assert cli.run(argv + settings) == 0
    assert len(list((output / "runs").glob("*.json"))) == 1
    first = capsys.readouterr()
    assert cli.run(argv + settings) == 0
    second = capsys.readouterr()
    line = second.out.strip().splitlines()[-1]
    for text in (first.out, first.err, second.out, second.err):  # what a user and a log see
        assert "testing-secret-key" not in text and "testing-key-id" not in text
    assert line.startswith(f"nothing new to process in {url}: 12 files already processed")
    assert len(list((output / "runs").glob("*.json"))) == 1  # no run, no manifest


def test_a_dask_cluster_reads_the_endpoint(prefect_harness, s3_bucket, tmp_path):
    """A local 2-process Dask cluster: the workers open the objects themselves (the AWS
    environment is theirs too); the same tables as a local run."""
    root = tmp_path / "input"
    _corpus(root)
    url = f"s3://{s3_bucket}/raw"
    _upload(root, url)
    _run(str(root), tmp_path / "local")
    manifest = _run(url, tmp_path / "dask", workers=2, task_runner="dask", shard_size=3)
    assert manifest["task_runner"] == "dask" and manifest["inputs"]["shards"] >= 2
    for name in TABLES:
        assert _rows(tmp_path / "dask", name) == _rows(tmp_path / "local", name), name
