"""The Prefect server `make run` keeps between runs (flows/api_server.py, `--keep-server`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.server import is_healthy
from tests.flows.cli_env import cli_env

REPO = Path(__file__).resolve().parents[2]

# a run attached to the kept server: prints the record's pid and the URL, then holds on until
# its stdin closes (a run in progress)
ATTACH = (
    "import json, sys, os\n"
    "from flows import api_server as kept_server\n"
    "url = kept_server.attach(float(sys.argv[1]))\n"
    "kept_server.wait(url, 180)\n"
    "record = kept_server.recorded()\n"
    "print(record['pid'], url, flush=True)\n"
    "sys.stdin.read()\n"
)


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory):
    """One PREFECT_HOME for the module: its database is built once."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture
def home(shared_home):
    """The module's PREFECT_HOME with no kept server, before and after the test (the idle time
    is that of the run that starts the server)."""
    _stop(shared_home)
    yield shared_home
    _stop(shared_home)


def _stop(home: Path) -> None:
    code = "from flows import api_server; print(api_server.stop(10))"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=cli_env(home), timeout=60)


class _Run:
    """A process attached to the kept server of `home`, until `end`."""

    def __init__(self, home: Path, idle: float = 900) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ATTACH, str(idle)],
            cwd=REPO,
            env=cli_env(home),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().split()
        assert line, "the attached process failed"
        self.pid, self.url = int(line[0]), line[1]

    def end(self) -> None:
        self.proc.stdin.close()
        assert self.proc.wait(timeout=60) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and b"zombie" not in _status(pid)


def _status(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes().lower()
    except OSError:
        return b"zombie"


def _wait_gone(pid: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        assert time.monotonic() < deadline, f"the kept server {pid} is still running"
        time.sleep(0.2)


@pytest.mark.slow
def test_runs_share_one_server_that_outlives_them(home):
    first = _Run(home)
    second = _Run(home)  # while the first is attached
    assert (second.pid, second.url) == (first.pid, first.url)
    first.end()
    second.end()
    assert is_healthy(first.url)  # idle, not yet stopped
    third = _Run(home)  # a later run
    assert third.pid == first.pid
    third.end()
    _stop(home)
    _wait_gone(first.pid, 30)
    assert not (home / "kept-server.json").exists()


@pytest.mark.slow
def test_it_stops_itself_once_idle_and_never_under_a_run(home):
    run = _Run(home, idle=1.0)
    time.sleep(3)  # three idle periods, with a run attached
    assert _alive(run.pid) and is_healthy(run.url)
    run.end()
    _wait_gone(run.pid, 30)
    assert not (home / "kept-server.json").exists()


@pytest.mark.slow
def test_a_killed_run_detaches(home):
    run = _Run(home, idle=1.0)
    run.proc.send_signal(signal.SIGKILL)  # the kernel releases its lock
    run.proc.wait(timeout=30)
    _wait_gone(run.pid, 30)


@pytest.mark.slow
def test_a_server_of_another_prefect_version_is_not_used(home):
    run = _Run(home, idle=900)
    run.end()
    record = json.loads((home / "kept-server.json").read_text())
    (home / "kept-server.json").write_text(json.dumps({**record, "prefect": "0.0.1"}))
    newer = _Run(home, idle=900)
    try:
        assert newer.pid != run.pid
        # the old one is no longer recorded: it stops as soon as no run is attached
        newer.end()
        _wait_gone(run.pid, 30)
        assert _alive(newer.pid)
    finally:
        _stop(home)
        _wait_gone(newer.pid, 30)


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_bad_idle_time_is_a_usage_error(tmp_path, value):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "flows",
            "run",
            "--input",
            str(tmp_path),
            "--output",
            str(tmp_path / "out"),
            "--keep-server",
            value,
        ],
        cwd=REPO,
        env=cli_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == f"error: --keep-server {float(value):g}: the idle seconds must be > 0"
    )
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "home" / "kept-server.json").exists()


PAGE = (
    "<html><head><title>Harbour {n} reopens</title></head><body><article><h1>Harbour {n} "
    "reopens</h1><p>{text}</p></article></body></html>"
)


@pytest.mark.slow
def test_two_cli_runs_use_one_kept_server(home, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for n in range(2):
        text = f"The harbour of town {n} reopened on Monday after repairs to its quay. " * 12
        (corpus / f"p{n}.html").write_text(PAGE.format(n=n, text=text))
    pids = []
    for out in ("out1", "out2"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "flows",
                "run",
                "--input",
                str(corpus),
                "--output",
                str(tmp_path / out),
                "--no-progress",
                "--keep-server",
                "900",
            ],
            cwd=REPO,
            env=cli_env(home),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert list((tmp_path / out / "articles").rglob("*.parquet"))
        record = json.loads((home / "kept-server.json").read_text())
        assert is_healthy(f"http://127.0.0.1:{record['port']}/api")  # outlived the run
        pids.append(record["pid"])
    assert pids[0] == pids[1]
