"""OUTPUT on an object store: `make run`'s command line against moto's S3 server on 127.0.0.1.

The runs are the real command line in subprocesses (their own Prefect server, worker processes),
talking HTTP to a real S3 endpoint (tests/s3_fixtures.py). One module fixture runs the corpus
into a local OUTPUT and into s3://, then again into s3:// (nothing new); the tests compare the
tables, look for credentials in everything the runs left, and read the result with the README's
snippets. The fault tests kill a run on s3:// and cut a publish half-way.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import page, write_corpus
from tests.flows.test_faults import LATE_STORY, _extra_articles
from tests.readme_snippets import missing_reader, python_snippets, run_snippet

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
TABLES = ("articles", "pages", "duplicates", "quarantine")
# recognisable fake credentials: they must appear in no output object, log or Prefect record
KEY_ID = "AKIAFAKE22PUBLISHKEY"
SECRET = "fake22publish/Secret+Value0123456789abc"
REGION = "us-east-1"


def _env(tmp: Path, endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "AWS_"))}
    (tmp / "prefect").mkdir(exist_ok=True)
    env.update(
        PREFECT_HOME=str(tmp / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        PYTHONPATH=str(REPO),
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID=KEY_ID,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(tmp / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp / "no-aws-credentials"),
    )
    return env


def _cli(root: Path, output: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "flows",
        "run",
        "--input",
        str(root),
        "--output",
        output,
        "--no-progress",
        *extra,
    ]


def _run(cmd, env, log: Path, code: int = 0) -> str:
    with log.open("w") as out:
        proc = subprocess.run(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    text = log.read_text()
    assert proc.returncode == code, text[-3000:]
    return text


def _fs(endpoint: str):
    import s3fs

    # no listing cache: the runs (other processes) change the bucket between two looks
    return s3fs.S3FileSystem(
        key=KEY_ID,
        secret=SECRET,
        endpoint_url=endpoint,
        skip_instance_cache=True,
        use_listings_cache=False,
    )


def _bucket(endpoint: str, name: str) -> str:
    _fs(endpoint).mkdir(name)
    return name


def _tables(fs, root: str, committed_only: bool = True) -> dict[str, pa.Table]:
    """The document tables under `root` (a local folder or "bucket/prefix" on `fs`), rows of
    committed runs only unless told otherwise."""
    runs = [Path(p).stem for p in fs.glob(f"{root}/runs/*.json")]
    out = {}
    for name in TABLES:
        if not fs.exists(f"{root}/{name}"):
            out[name] = pa.table({})
            continue
        data = ds.dataset(f"{root}/{name}", filesystem=fs, format="parquet", partitioning="hive")
        rows = ds.field("run_id").isin(pa.array(runs, pa.string()))
        out[name] = data.to_table(filter=rows if committed_only else None)
    return out


def _content(tables: dict[str, pa.Table]) -> dict[str, list]:
    """What two runs of the same files must agree on: ids, bodies, kinds, reasons."""
    keep = {
        "articles": ["doc_id", "source_path", "title", "body", "word_count"],
        "pages": ["doc_id", "source_path", "page_type", "body"],
        "duplicates": ["doc_id", "duplicate_of", "kind", "rule"],
        "quarantine": ["doc_id", "source_path", "stage", "reason"],
    }
    return {
        name: sorted(map(tuple, zip(*[t.column(c).to_pylist() for c in keep[name]], strict=True)))
        if t.num_columns
        else []
        for name, t in tables.items()
    }


@pytest.fixture(scope="module")
def runs(s3_endpoint, tmp_path_factory):
    """The corpus run into a local OUTPUT, into s3://, then into s3:// again."""
    import fsspec

    tmp = tmp_path_factory.mktemp("s3-output")
    root, local = tmp / "input", tmp / "local-out"
    documents = write_corpus(root)["documents"] + _extra_articles(root)
    env = _env(tmp, s3_endpoint)
    bucket = _bucket(s3_endpoint, "newsclean-runs")
    url = f"s3://{bucket}/clean/news"
    logs = {
        "local": _run(_cli(root, str(local)), env, tmp / "local.log"),
        # a storage option with a recognisable value: recorded by name only
        "s3": _run(
            _cli(root, url, "--set", f"storage.options=endpoint_url={s3_endpoint},region={REGION}"),
            env,
            tmp / "s3.log",
        ),
        "again": _run(_cli(root, url), env, tmp / "again.log"),
    }
    return {
        "tmp": tmp,
        "root": root,
        "documents": documents,
        "env": env,
        "local": local,
        "bucket": bucket,
        "url": url,
        "fs": _fs(s3_endpoint),
        "local_fs": fsspec.filesystem("file"),
        "logs": logs,
    }


def test_a_run_to_s3_gives_the_tables_of_a_local_run(runs):
    fs, prefix = runs["fs"], f"{runs['bucket']}/clean/news"
    on_s3 = _content(_tables(fs, prefix))
    local = _content(_tables(runs["local_fs"], str(runs["local"])))
    assert on_s3 == local
    assert sum(len(rows) for rows in on_s3.values()) == runs["documents"]
    assert len(on_s3["articles"]) > 0 and len(on_s3["duplicates"]) > 0
    [manifest] = [json.loads(fs.cat(p)) for p in fs.glob(f"{prefix}/runs/*.json")]
    assert manifest["status"] == "succeeded" and manifest["accounting"]["balanced"]
    assert manifest["output_dir"] == runs["url"]
    # state for later runs, and nothing left behind: no staging, no lock
    for name in ("ledger", "dedup_index", "reports"):
        assert fs.find(f"{prefix}/{name}"), name
    assert not fs.exists(f"{prefix}/_staging") and not fs.exists(f"{prefix}/_run.lock")


def test_a_second_run_adds_nothing(runs):
    fs, prefix = runs["fs"], f"{runs['bucket']}/clean/news"
    assert "nothing new to process" in runs["logs"]["again"]
    assert len(fs.glob(f"{prefix}/runs/*.json")) == 1  # no second manifest
    local = _content(_tables(runs["local_fs"], str(runs["local"])))
    assert _content(_tables(fs, prefix)) == local


def test_no_credential_in_outputs_logs_or_prefect_records(runs):
    """Every object the runs wrote, their logs and the Prefect database (flow parameters,
    artifacts, logs) are searched for the key id and the secret."""
    fs, bucket = runs["fs"], runs["bucket"]
    objects = fs.find(bucket)
    assert len(objects) > 10
    secrets = (KEY_ID.encode(), SECRET.encode())
    leaks = [p for p in objects if any(s in fs.cat(p) for s in secrets)]
    assert leaks == []
    for name, text in runs["logs"].items():
        assert KEY_ID not in text and SECRET not in text, name
    records = [p for p in (runs["tmp"] / "prefect").rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in records)  # the temporary servers' database
    assert [p for p in records if any(s in p.read_bytes() for s in secrets)] == []
    # the storage options are recorded by name, never by value
    [manifest] = [json.loads(fs.cat(p)) for p in fs.glob(f"{bucket}/clean/news/runs/*.json")]
    assert manifest["config"]["storage"]["options"] == "endpoint_url=***,region=***"
    endpoint = runs["env"]["AWS_ENDPOINT_URL"].encode()
    assert [p for p in objects if endpoint in fs.cat(p)] == []


def test_credentials_in_the_output_url_are_refused(runs):
    """A user:secret@ URL would carry the secret into the flow's parameters, which Prefect
    stores: one line, exit 2, nothing written."""
    url = f"s3://{KEY_ID}:{SECRET.replace('/', '%2F')}@{runs['bucket']}/other"
    proc = subprocess.run(
        _cli(runs["root"], url), env=runs["env"], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "credential" in proc.stderr
    assert SECRET not in proc.stderr and KEY_ID not in proc.stderr
    assert not runs["fs"].exists(f"{runs['bucket']}/other")


def _s3_snippet_env(runs, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", runs["env"]["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()


@pytest.mark.parametrize("index", range(len(python_snippets())))
def test_the_readme_readers_read_the_s3_result(runs, index, monkeypatch, capsys):
    """Each README snippet on s3:// gives what it gives on the local OUTPUT of the same files."""
    code = python_snippets()[index]
    if "import duckdb" in code:
        pytest.skip(
            "DuckDB reads s3:// through its httpfs extension, downloaded at first use: no "
            "network here (NOTES.md); the snippet runs on local OUTPUTs in tests/test_readme.py"
        )
    missing = missing_reader(code)
    if missing:
        pytest.skip(f"{missing} is not installed (pip install -e '.[dev]' installs it)")
    _s3_snippet_env(runs, monkeypatch)
    on_s3 = run_snippet(code, runs["url"])
    local = run_snippet(code, str(runs["local"]))
    frames = 0
    # the tables' snippets name their result by table; the stories' snippets "stories"
    for name in ("articles", "quarantine", "duplicates", "stories"):
        if name in on_s3 and name in local:
            a, b = _frame(on_s3[name]), _frame(local[name])
            assert len(a) == len(b) > 0, name
            assert sorted(a["doc_id"]) == sorted(b["doc_id"]), name
            frames += 1
    assert frames > 0
    capsys.readouterr()


def _frame(value):
    """A reader's result as a pandas frame (pandas, Polars, Arrow or DuckDB)."""
    if hasattr(value, "to_pandas"):
        return value.to_pandas()
    if hasattr(value, "df"):  # a DuckDB relation
        return value.df()
    return value


def test_a_half_published_run_is_invisible_to_the_readme_readers_then_completed(runs, monkeypatch):
    """After a committed run, a second run (one new file) is cut after its READY journal and
    two of its moves (the state a kill between two copies leaves): a plain reader sees part of
    it, the README's readers see exactly the committed run; the next run completes it."""
    import shutil

    from tests.shards import run_shard
    from transforms.core.config import PipelineConfig
    from transforms.core.storage import resolve_location
    from transforms.read.files import discover
    from transforms.run.deduplicate import deduplicate_run
    from transforms.run.stage_outputs import discover_quarantine, stage_run
    from transforms.run.store import READY, RunPaths, _files_to_publish, new_run_id, stage_manifest

    _s3_snippet_env(runs, monkeypatch)
    root = runs["tmp"] / "half-input"
    shutil.copytree(runs["root"], root)
    bucket = _bucket(runs["env"]["AWS_ENDPOINT_URL"], "newsclean-half")
    url, fs = f"s3://{bucket}/out", runs["fs"]
    _run(_cli(root, url), runs["env"], runs["tmp"] / "half-1.log")
    before = {i: run_snippet(code, url) for i, code in _s3_snippets()}

    (root / "late.html").write_text(page("Old map found", LATE_STORY, "Town Crier"))
    config, now = PipelineConfig(), datetime.now(UTC)
    run_id = new_run_id(now.isoformat())
    paths = RunPaths(resolve_location(url), run_id)
    files = [f for f in discover(root, config.read)[0] if f.path == "late.html"]
    run_shard(str(root), files, url, run_id, "00000", now, config)
    dedup = deduplicate_run(paths, config, run_id, now)
    staged = stage_run(paths, dedup, files, discover_quarantine([], run_id, now), now)
    assert staged.articles == 1
    stage_manifest(paths, {"run_id": run_id, "status": "succeeded"})
    todo = _files_to_publish(paths)
    paths.store.write_bytes(f"{paths.staging}/{READY}", "\n".join(todo).encode())
    assert todo[0].startswith("articles/")
    for rel in todo[:2]:
        paths.store.move(f"{paths.publish}/{rel}", rel)

    # a plain reader sees the moved article; the README's readers see the committed run only
    committed = _tables(fs, f"{bucket}/out")["articles"].num_rows
    assert _tables(fs, f"{bucket}/out", committed_only=False)["articles"].num_rows == committed + 1
    for i, code in _s3_snippets():
        seen = run_snippet(code, url)
        for name in TABLES:
            if name in seen:
                assert _ids(seen[name]) == _ids(before[i][name]), (i, name)

    _run(_cli(root, url), runs["env"], runs["tmp"] / "half-2.log")
    manifests = [json.loads(fs.cat(p)) for p in fs.glob(f"{bucket}/out/runs/*.json")]
    assert len(manifests) == 3
    [latest] = [m for m in manifests if m.get("recovered_runs", {}).get("completed")]
    assert latest["recovered_runs"] == {"completed": [run_id], "discarded": []}
    after = _tables(fs, f"{bucket}/out")
    assert after["articles"].num_rows == committed + 1
    assert "late.html" in after["articles"].column("source_path").to_pylist()
    ids = [r for name in TABLES for r in after[name].column("doc_id").to_pylist()]
    assert len(ids) == len(set(ids)) == runs["documents"] + 1
    assert not fs.exists(f"{bucket}/out/_staging")


def _s3_snippets() -> list[tuple[int, str]]:
    """The README's snippets that run on s3:// here (not DuckDB's: no httpfs)."""
    return [
        (i, code)
        for i, code in enumerate(python_snippets())
        if "import duckdb" not in code and not missing_reader(code)
    ]


def _ids(value) -> list[str]:
    return sorted(_frame(value)["doc_id"])


def test_a_killed_run_is_discarded_and_an_overlapping_run_exits_75(runs):
    """Run A (slow: shards of 2 files on one worker) is cleaning into s3://; B, started then,
    is refused in one line with exit 75; A is killed (SIGKILL); C takes over A's stale lock,
    discards its staging and publishes every document once."""
    endpoint = runs["env"]["AWS_ENDPOINT_URL"]
    bucket = _bucket(endpoint, "newsclean-killed")
    url, fs, env, tmp = f"s3://{bucket}/out", runs["fs"], runs["env"], runs["tmp"]
    slow = ("--workers", "1", "--shard-size", "2", "--task-runner", "thread")
    with (tmp / "a.log").open("w") as out:
        first = subprocess.Popen(
            _cli(runs["root"], url, *slow),
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 300
            while not fs.glob(f"{bucket}/out/_staging/*/shards/articles-*.parquet"):
                assert first.poll() is None, (tmp / "a.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the first run never started cleaning"
                fs.invalidate_cache()
                time.sleep(0.2)
            second = subprocess.run(
                _cli(runs["root"], url), env=env, cwd=REPO, capture_output=True, text=True
            )
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # the run and its Prefect server
            first.wait(timeout=30)
    assert second.returncode == 75, second.stderr
    assert second.stderr.count("\n") == 1 and f"pid {first.pid}," in second.stderr
    assert f"lock: {url}/_run.lock" in second.stderr
    fs.invalidate_cache()
    [killed] = [p.rsplit("/", 1)[-1] for p in fs.ls(f"{bucket}/out/_staging")]
    assert not fs.exists(f"{bucket}/out/_staging/{killed}/READY")
    assert fs.exists(f"{bucket}/out/_run.lock")  # a killed run cannot release it

    _run(_cli(runs["root"], url), env, tmp / "c.log")
    [manifest] = [json.loads(fs.cat(p)) for p in fs.glob(f"{bucket}/out/runs/*.json")]
    assert manifest["recovered_runs"] == {"completed": [], "discarded": [killed]}
    assert f"run {killed} " in manifest["lock"]["took_over_stale"]
    tables = _tables(fs, f"{bucket}/out")
    assert _content(tables) == _content(_tables(runs["local_fs"], str(runs["local"])))
    where = Counter(
        (r["source_path"], r["source_record"]) for name in TABLES for r in tables[name].to_pylist()
    )
    assert len(where) == runs["documents"] and set(where.values()) == {1}
    assert not fs.exists(f"{bucket}/out/_staging") and not fs.exists(f"{bucket}/out/_run.lock")


def test_s3_to_s3_on_a_2_process_dask_cluster(prefect_harness, s3_bucket, tmp_path):
    """INPUT and OUTPUT on the endpoint, the shards on a local 2-process Dask cluster (the
    workers read the objects and write their staged shards to the bucket themselves): the
    tables of a local run of the same files; a second run adds nothing."""
    from flows.clean_articles import clean_articles
    from transforms.core.storage import resolve_location

    root = tmp_path / "input"
    write_corpus(root)
    raw = resolve_location(f"s3://{s3_bucket}/raw")
    fs = raw.filesystem()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        fs.pipe_file(raw.join(path.relative_to(root).as_posix()).path, path.read_bytes())
    options = {"workers": 2, "show_progress": False, "shard_size": 3}
    local = clean_articles(input_dir=str(root), output_dir=str(tmp_path / "local"), **options)
    out = f"s3://{s3_bucket}/clean"
    first = clean_articles(input_dir=raw.url, output_dir=out, task_runner="dask", **options)
    assert first["task_runner"] == "dask" and first["inputs"]["shards"] >= 2
    assert first["accounting"] == local["accounting"]
    import fsspec

    fs.invalidate_cache()
    on_s3 = _content(_tables(fs, f"{s3_bucket}/clean"))
    assert on_s3 == _content(_tables(fsspec.filesystem("file"), str(tmp_path / "local")))
    second = clean_articles(input_dir=raw.url, output_dir=out, task_runner="dask", **options)
    assert second["inputs"]["files_processed"] == 0
    assert second["accounting"]["documents_in"] == 0
    fs.invalidate_cache()
    assert _content(_tables(fs, f"{s3_bucket}/clean")) == on_s3
    assert not fs.exists(f"{s3_bucket}/clean/_staging")
