"""One OUTPUT, one writer (issue 18, cases 1 and 3): overlapping runs, recovery, accounting,
OUTPUT inside INPUT, and the flow's own option checks (a deployment calls it without the CLI).

The overlapping runs are real command-line processes (each starts its own temporary Prefect
server); the rest run the flow in this process on the session's Prefect harness.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.flows.corpus import write_corpus
from tests.flows.test_faults import (
    REPO,
    _cli,
    _env,
    _extra_articles,
    _readers_see_only_complete_files,
    _where,
)
from transforms.run.lock import LOCK_NAME, OutputLocked

pytestmark = pytest.mark.slow


def _manifests(output: Path) -> list[dict]:
    runs = sorted((output / "runs").glob("*.json"))
    return [json.loads(p.read_text()) for p in runs]


def _each_document_once(output: Path, documents: int) -> None:
    where = _where(_readers_see_only_complete_files(output))
    assert len(where) == documents and set(where.values()) == {1}, where.most_common(3)


def test_two_runs_started_together_publish_each_document_once(tmp_path):
    root, output = tmp_path / "input", tmp_path / "output"
    documents = write_corpus(root)["documents"]
    env = _env(tmp_path)
    cmd = _cli(root, output, "--workers", "1", "--task-runner", "thread", "--wait")
    logs = [(tmp_path / f"{i}.log").open("w") for i in range(2)]
    procs = [
        subprocess.Popen(cmd, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        for log in logs
    ]
    codes = [p.wait(timeout=600) for p in procs]
    for log in logs:
        log.close()
    assert codes == [0, 0], [(tmp_path / f"{i}.log").read_text()[-3000:] for i in range(2)]
    # one ran, then the other (which waited) found everything in the ledger: with nothing new,
    # the command line ends it before Prefect, writing no manifest (issue 20)
    (first,) = _manifests(output)
    assert first["inputs"]["files_processed"] > 0
    assert first["status"] == "succeeded" and first["accounting"]["balanced"]
    assert first["recovered_runs"] == {"completed": [], "discarded": []}
    texts = [(tmp_path / f"{i}.log").read_text() for i in range(2)]
    assert sum("nothing new to process" in t for t in texts) == 1, texts
    _each_document_once(output, documents)
    assert not (output / LOCK_NAME).exists()


def test_a_run_started_while_another_cleans_is_refused_in_one_line(tmp_path):
    root, output = tmp_path / "input", tmp_path / "output"
    documents = write_corpus(root)["documents"] + _extra_articles(root)
    env = _env(tmp_path)
    slow = ("--workers", "1", "--shard-size", "2", "--task-runner", "thread")
    with (tmp_path / "a.log").open("w") as log:
        first = subprocess.Popen(
            _cli(root, output, *slow), env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 300
            while not any(output.glob("_staging/*/shards/articles-*.parquet")):
                assert first.poll() is None, (tmp_path / "a.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the first run never started cleaning"
                time.sleep(0.05)
            staging = sorted(p.name for p in (output / "_staging").iterdir())
            # the second run, as a manual `make run` during a scheduled one would
            t = time.monotonic()
            second = subprocess.run(
                _cli(root, output), env=env, cwd=REPO, capture_output=True, text=True, timeout=120
            )
            refused_in = time.monotonic() - t
            # the first run's staging is untouched (no recovery ran), and it is still cleaning
            assert sorted(p.name for p in (output / "_staging").iterdir()) == staging
        finally:
            code = first.wait(timeout=600)
    assert code == 0, (tmp_path / "a.log").read_text()[-3000:]
    [manifest] = _manifests(output)
    assert second.returncode == 75
    assert second.stdout == ""
    assert second.stderr.count("\n") == 1, second.stderr
    assert f"in use by run {manifest['run_id']} " in second.stderr
    assert f"pid {first.pid}," in second.stderr and "host " in second.stderr
    assert refused_in < 30  # refused before starting a Prefect server
    assert manifest["status"] == "succeeded" and manifest["accounting"]["balanced"]
    assert manifest["inputs"]["files_processed"] == manifest["inputs"]["files_found"]
    _each_document_once(output, documents)


HOLDER = """
import sys, time
from pathlib import Path
from transforms.run.lock import acquire
lock = acquire(Path(sys.argv[1]), sys.argv[2])
(Path(sys.argv[1]) / "_staging" / sys.argv[2] / "shards").mkdir(parents=True)
print("held", flush=True)
time.sleep(600)
"""


def test_recovery_only_touches_runs_that_are_certainly_dead(prefect_harness, tmp_path):
    from flows.clean_articles import clean_articles

    root, output = tmp_path / "input", tmp_path / "output"
    write_corpus(root)
    output.mkdir()
    live = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(output), "live-run"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert live.stdout.readline().strip() == "held"
        staging = output / "_staging" / "live-run"
        with pytest.raises(OutputLocked, match=f"in use by run live-run .*pid {live.pid}"):
            clean_articles(
                input_dir=str(root),
                output_dir=str(output),
                workers=1,
                task_runner="thread",
                show_progress=False,
            )
        assert staging.is_dir()  # a live run's staging: not recovered
        assert not (output / "runs").exists()
    finally:
        os.kill(live.pid, signal.SIGKILL)
        live.wait()
    # now it is dead (killed: its lock file is left): the next run takes over and recovers
    assert (output / LOCK_NAME).exists()
    manifest = clean_articles(
        input_dir=str(root),
        output_dir=str(output),
        workers=1,
        task_runner="thread",
        show_progress=False,
    )
    assert manifest["recovered_runs"]["discarded"] == ["live-run"]
    assert "run live-run (host " in manifest["lock"]["took_over_stale"]
    assert f"pid {live.pid}," in manifest["lock"]["took_over_stale"]
    assert not staging.exists()
    assert not (output / LOCK_NAME).exists()


def test_an_unbalanced_accounting_fails_the_run(prefect_harness, tmp_path, monkeypatch, capsys):
    """The rule is the flow's own; a monkeypatched count makes one document go missing."""
    import flows.clean_articles as module

    real = module.accounting

    def one_lost(documents_in, *placed):
        return real(documents_in + 1, *placed)

    monkeypatch.setattr(module, "accounting", one_lost)
    root, output = tmp_path / "input", tmp_path / "output"
    write_corpus(root)
    argv = ["--input", str(root), "--output", str(output), "--workers", "1"]
    from flows.cli import run

    assert run([*argv, "--task-runner", "thread", "--no-progress"]) == 1
    assert "accounting_not_balanced" in capsys.readouterr().err
    [manifest] = _manifests(output)
    assert manifest["status"] == "failed"
    assert manifest["accounting"]["balanced"] is False
    assert "accounting_not_balanced" in manifest["table_failures"]
    assert not (output / LOCK_NAME).exists()  # released on the failure too


def test_output_inside_input_publishes_nothing_from_output(prefect_harness, tmp_path):
    from flows.clean_articles import clean_articles

    root = tmp_path / "input"
    documents = write_corpus(root)["documents"]
    output = root / "datasets"
    runs = [
        clean_articles(
            input_dir=str(root),
            output_dir=str(output),
            workers=1,
            task_runner="thread",
            show_progress=False,
        )
        for _ in range(2)
    ]
    assert (output / "reports" / runs[0]["run_id"]).is_dir()  # Data Docs pages: .html files
    assert [m["inputs"]["output_inside_input_excluded"] for m in runs] == ["datasets"] * 2
    assert runs[1]["inputs"]["files_processed"] == 0  # nothing new: its own output is not input
    assert runs[1]["inputs"]["files_found"] == runs[0]["inputs"]["files_found"]
    rows = _readers_see_only_complete_files(output)
    assert not [r for t in rows.values() for r in t if r["source_path"].startswith("datasets")]
    _each_document_once(output, documents)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers=0 is out of range"),
        ({"settings": {"dedup.bands": 0}}, "dedup.bands=0 is out of range"),
        ({"shard_size": 5, "settings": {"shards.shard_size": 7}}, "disagree"),
        ({"output_dir": "{input}"}, "is the input folder"),
        ({"input_dir": "{input}/page.html"}, "is a file, not a folder"),
        ({"lock_timeout": -1.0}, "lock timeout"),
    ],
)
def test_the_flow_checks_its_options_before_any_work(prefect_harness, tmp_path, options, message):
    from flows.clean_articles import clean_articles

    root, output = tmp_path / "input", tmp_path / "output"
    root.mkdir()
    (root / "page.html").write_text("<p>x</p>")
    params = {"input_dir": str(root), "output_dir": str(output), "show_progress": False}
    params.update(
        {k: v.format(input=root) if isinstance(v, str) else v for k, v in options.items()}
    )
    with pytest.raises(ValueError, match=message):
        clean_articles(**params)
    assert not output.exists()
    assert sorted(p.name for p in root.iterdir()) == ["page.html"]
