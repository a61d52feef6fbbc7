"""The Makefile's set-up and run targets, as `make -n` prints them: a .venv of another Python
is rebuilt, the first install says what it does, the lock options reach the run, and a run's
logs go to the Prefect UI at INFO while the terminal shows warnings only."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def _make(*args: str, cwd: Path = ROOT) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(
        [MAKE, "-n", "-f", str(ROOT / "Makefile"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _venv(tmp_path: Path, version: str) -> Path:
    """A .venv whose python says it is `version` (a script: nothing is installed)."""
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!/bin/sh\necho {version}\n")
    python.chmod(0o755)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / ".venv" / ".installed").touch()  # newer than pyproject.toml
    return tmp_path


def test_a_venv_of_another_python_is_rebuilt(tmp_path):
    plan = _make("setup", "PYTHON=python3", cwd=_venv(tmp_path, "3.9"))
    assert "not 3.11: rebuilding it with python3" in plan and "rm -rf .venv" in plan
    assert "installing the pinned dependencies" in plan  # the first install says what it does


def test_a_venv_of_the_right_python_is_kept(tmp_path):
    plan = _make("setup", "PYTHON=python3", cwd=_venv(tmp_path, "3.11"))
    assert "pip install" not in plan


def test_lock_options_and_settings_reach_the_run():
    plan = _make("-o", ".venv/.installed", "run", "LOCK=--lock-timeout 60", "ARGS=--no-progress")
    assert re.search(r'keep="[^\n]*--lock-timeout 60 --no-progress"', plan), plan
    assert "--workers 2$keep" in plan
    plain = _make("-o", ".venv/.installed", "run")
    assert "--lock-timeout" not in plain


def test_run_logs_reach_the_ui_at_info_and_the_terminal_shows_warnings():
    makefile = (ROOT / "Makefile").read_text()
    env = dict(re.findall(r"^export (PREFECT_LOGGING_\w+) \?= (\w+)$", makefile, re.M))
    assert env == {
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    }
    code = (
        "import logging; from prefect.logging.configuration import setup_logging; setup_logging();"
        "from prefect.logging.handlers import APILogHandler, PrefectConsoleHandler;"
        "run = logging.getLogger('prefect.flow_runs');"
        "api = [h for h in run.handlers if isinstance(h, APILogHandler)];"
        "console = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)];"
        "print(run.getEffectiveLevel(), api[0].level, console[0].level)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    run_level, api_level, console_level = (int(x) for x in done.stdout.split())
    assert run_level <= logging.INFO and api_level <= logging.INFO  # INFO reaches the API
    assert console_level == logging.WARNING  # the terminal stays quiet
