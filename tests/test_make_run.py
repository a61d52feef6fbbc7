"""`make run` reports the command's exit code and its meaning (Makefile, issue 33)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_run_says_the_exit_code_of_a_bad_option(tmp_path):
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect"), PYTHONPATH=str(REPO))
    cmd = ["make", "-s", "-o", ".venv/.installed", "run", f"INPUT={tmp_path / 'absent'}"]
    cmd += [f"OUTPUT={tmp_path / 'out'}"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2  # make's own code for any failure
    last = proc.stderr.strip().splitlines()
    assert any(line.startswith("exit 2: bad option or setting") for line in last), proc.stderr
