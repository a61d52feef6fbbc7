"""The command line's own temporary Prefect server (flows/api_server.py, flows/cli.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.api_server import configured_api_url
from flows.server import is_healthy
from tests.flows.cli_env import cli_env

REPO = Path(__file__).resolve().parents[2]
PROFILES = """
active = "{active}"
[profiles.local]
PREFECT_API_URL = "http://127.0.0.1:4210/api"
[profiles.ephemeral]
PREFECT_SERVER_ALLOW_EPHEMERAL_MODE = "true"
"""


@pytest.mark.parametrize(
    ("env", "active", "expected"),
    [
        ({}, "ephemeral", None),
        ({}, "local", "http://127.0.0.1:4210/api"),
        ({"PREFECT_PROFILE": "local"}, "ephemeral", "http://127.0.0.1:4210/api"),
        ({"PREFECT_PROFILE": "ephemeral"}, "local", None),
        ({"PREFECT_API_URL": "http://h:1/api"}, "ephemeral", "http://h:1/api"),
        ({"PREFECT_API_URL": "http://h:1/api"}, "local", "http://h:1/api"),
    ],
)
def test_the_configured_api_url_is_read_without_prefect(
    tmp_path, monkeypatch, env, active, expected
):
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    (tmp_path / "profiles.toml").write_text(PROFILES.format(active=active))
    assert configured_api_url() == expected


def test_no_profiles_file_means_no_configured_url(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "absent"))
    assert configured_api_url() is None


def _clean_env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path)


@pytest.mark.slow
def test_the_cli_serves_the_run_without_importing_the_server_code(tmp_path):
    # the run's API is this run's own server, up and answering, and the command line's process
    # never imported Prefect's server code (Prefect's own temporary server would: ~2 s of CPU)
    code = (
        "import os, sys\n"
        "from flows.cli import _prefect_api\n"
        "from flows.server import is_healthy\n"
        "with _prefect_api():\n"
        "    url = os.environ['PREFECT_API_URL']\n"
        "    assert is_healthy(url), url\n"
        "    from prefect.settings import PREFECT_API_URL\n"
        "    assert PREFECT_API_URL.value() == url\n"
        "    assert 'prefect.server.api.server' not in sys.modules\n"
        "print(url)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    url = proc.stdout.strip().splitlines()[-1]
    assert not is_healthy(url, timeout=1.0)  # stopped when the process exited


@pytest.mark.slow
def test_a_killed_run_leaves_no_server(tmp_path):
    code = (
        "import time\n"
        "from flows.api_server import TemporaryServer, wait\n"
        "server = TemporaryServer()\n"
        "wait(server.api_url, 180, server)\n"
        "print(server.api_url, flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_clean_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert is_healthy(url)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while is_healthy(url, timeout=1.0):
        assert time.monotonic() < deadline, "the server outlived its killed parent"
        time.sleep(0.5)
