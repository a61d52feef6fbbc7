"""A corrupt state file stops a run in one line; the doctor moves it aside (flows/doctor.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.cli_env import cli_env
from tests.flows.corpus import STORIES, page, write_corpus

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, command: str = "run") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows", command, *args],
        cwd=REPO,
        env=cli_env(tmp_path / "prefect"),
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_a_corrupt_ledger_part_stops_the_run_until_the_doctor_moves_it(tmp_path):
    root, out = tmp_path / "in", tmp_path / "out"
    write_corpus(root)
    run = ["--input", str(root), "--output", str(out), "--workers", "1", "--no-progress"]
    first = _run(run, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    part = next((out / "ledger").rglob("*.parquet"))
    part.write_bytes(part.read_bytes()[:100])  # truncated, as a full disk leaves it
    (root / "new.html").write_text(page("A new story", STORIES["bridge"][:2], "Test Post"))

    stopped = _run(run, tmp_path)
    assert stopped.returncode == 1
    assert stopped.stderr.count("\n") == 1, stopped.stderr  # one line, no traceback
    assert str(part.relative_to(out)) in stopped.stderr
    assert "python -m flows.doctor --output" in stopped.stderr

    doctor = _run(["--output", str(out)], tmp_path, "doctor")
    assert doctor.returncode == 0, doctor.stderr
    assert "the files it recorded are read again" in doctor.stdout
    assert not part.exists()

    again = _run(run, tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    manifests = sorted((out / "runs").glob("*.json"), key=lambda p: p.stat().st_mtime)
    moved = json.loads(manifests[-1].read_text())["moved_aside"]
    assert [m["key"] for m in moved] == [str(part.relative_to(out))]
