"""Issue 18, case 2: lasting unreadable entries are quarantined once; runs with nothing new
succeed.

Three runs of the CLI (in this process, on the session's Prefect server) over a folder with a
good page, a symlink loop, a dangling symlink and a FIFO named .html (all unreadable for root
too; a chmod 000 file is added when the tests do not run as root, since root reads it anyway):

1. the good page is published, each bad entry is one quarantine row, remembered;
2. nothing changed: nothing is quarantined again, the bad entries are counted as skipped, and
   the run, with no new document at all, succeeds;
3. the dangling link points elsewhere (a new state: quarantined again, once) and the FIFO is
   replaced by a page (now readable: published); the loop is still skipped.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page

pytestmark = pytest.mark.slow

AS_ROOT = os.geteuid() == 0


def _cli(root: Path, output: Path) -> int:
    from flows.cli import run as main

    args = ["--input", str(root), "--output", str(output), "--workers", "1", "--no-progress"]
    return main([*args, "--task-runner", "thread"])


def _latest_manifest(output: Path) -> dict:
    return json.loads(sorted((output / "runs").glob("*.json"))[-1].read_text())


def _quarantined(output: Path) -> Counter:
    table = ds.dataset(output / "quarantine", format="parquet", partitioning="hive").to_table()
    return Counter(table.column("source_path").to_pylist())


def test_three_runs_over_lasting_unreadable_entries(prefect_harness, tmp_path, capsys):
    root, output = tmp_path / "input", tmp_path / "output"
    root.mkdir()
    (root / "bridge.html").write_text(page("Old bridge to close", STORIES["bridge"], "River Post"))
    (root / "loop.html").symlink_to("loop.html")
    (root / "dangling.html").symlink_to("missing.html")
    os.mkfifo(root / "pipe.html")
    bad = {"loop.html", "dangling.html", "pipe.html"}
    if not AS_ROOT:  # root reads a chmod 000 file: that sub-case only runs as another user
        (root / "locked.html").write_text("<p>locked</p>")
        os.chmod(root / "locked.html", 0)
        bad.add("locked.html")

    assert _cli(root, output) == 0
    first = _latest_manifest(output)
    assert first["status"] == "succeeded" and first["accounting"]["articles"] == 1
    assert first["inputs"]["files_unreadable"] == len(bad)
    assert _quarantined(output) == Counter(bad)

    # nothing new at all: no failure; the command line ends it before Prefect, no manifest
    assert _cli(root, output) == 0
    assert f"{len(bad)} known unreadable" in capsys.readouterr().out
    assert _latest_manifest(output) == first
    assert _quarantined(output) == Counter(bad)  # still one row each

    (root / "dangling.html").unlink()
    (root / "dangling.html").symlink_to("also-missing.html")
    (root / "pipe.html").unlink()
    (root / "pipe.html").write_text(page("Frost hits orchards", STORIES["orchard"], "Farm"))
    assert _cli(root, output) == 0
    third = _latest_manifest(output)
    assert third["status"] == "succeeded"
    assert third["inputs"]["files_skipped_known_unreadable"] == len(bad) - 2
    quarantined = _quarantined(output)
    assert quarantined["loop.html"] == 1  # one row for the loop, whatever the number of runs
    assert quarantined["dangling.html"] == 2  # its new target: quarantined again, once
    assert quarantined["pipe.html"] == 1  # the FIFO's row; the page that replaced it is read
    articles = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table()
    assert sorted(articles.column("source_path").to_pylist()) == ["bridge.html", "pipe.html"]
    remembered = ds.dataset(output / "unreadable", format="parquet").to_table()
    assert remembered.num_rows == len(bad) + 1
