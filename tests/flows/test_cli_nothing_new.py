"""The command line over an input with nothing new prints one line and exits 0 without calling
the flow (no Prefect import, no server start) and without writing a manifest (issue 20)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from flows import cli
from transforms.core.config import PipelineConfig
from transforms.core.schema import LEDGER
from transforms.read.files import InputFile, discover, read_file
from transforms.run.ledger import files_table
from transforms.run.store import write_parquet

OLD = time.time() - 3600


def _processed(root, output) -> None:
    """A ledger as a run over `root` leaves it."""
    read: dict[str, InputFile] = {}
    for f in discover(root)[0]:
        list(read_file(root, f, PipelineConfig().read, read))
    rows = files_table(list(read.values()), "r1", datetime(2026, 1, 2, tzinfo=UTC))
    write_parquet(rows, output / LEDGER / "part-r1.parquet")


def test_nothing_new_starts_no_flow_and_exits_0(tmp_path, monkeypatch, capsys):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    for name in ("a.html", "b.txt"):
        (root / name).write_text(f"<p>{name}</p>")
        os.utime(root / name, (OLD, OLD))
    _processed(root, output)
    calls = []
    monkeypatch.setattr(cli, "clean_articles", lambda prepared, **kw: calls.append(kw))

    assert cli.run(["--input", str(root), "--output", str(output)]) == 0
    assert calls == []
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("nothing new to process")
    assert "2 files already processed" in out[0]
    assert not (output / "runs").exists()  # no manifest for a run that changes nothing
    assert not (output / "_run.lock").exists()  # the lock is released

    # a new file: the flow runs
    (root / "c.html").write_text("<p>new</p>")
    assert cli.run(["--input", str(root), "--output", str(output)]) == 0
    assert len(calls) == 1


def test_a_dead_runs_staging_goes_to_the_flow(tmp_path, monkeypatch):
    """Recovery (and its record in the manifest) stays the flow's: no shortcut then."""
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (output / "_staging" / "20260101T000000-dead").mkdir(parents=True)
    calls = []
    monkeypatch.setattr(cli, "clean_articles", lambda prepared, **kw: calls.append(kw))
    assert cli.run(["--input", str(root), "--output", str(output)]) == 0
    assert len(calls) == 1
