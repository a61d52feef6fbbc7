"""flows/server.py: `make server` / `make server-stop` (a stale pid file never kills anything),
the health wait and the port check of a server start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from flows import server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[str]:
    """A loopback HTTP server answering /api/health like Prefect's API does."""
    httpd = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server.api_url("127.0.0.1", httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def test_health_wait_returns_when_the_api_answers(health_server: str) -> None:
    assert server.is_healthy(health_server)
    assert server.wait_until_healthy(health_server, None, timeout=5) < 5


def test_health_wait_times_out_with_a_clear_error() -> None:
    url = server.api_url("127.0.0.1", _free_port())
    assert not server.is_healthy(url)
    with pytest.raises(server.ServeError, match=r"no answer from .*/health after"):
        server.wait_until_healthy(url, None, timeout=0.5)


def test_health_wait_reports_a_server_that_died(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"])
    proc.wait()
    url = server.api_url("127.0.0.1", _free_port())
    with pytest.raises(server.ServeError, match=r"exited with code 3 \(see .*server.log\)"):
        server.wait_until_healthy(url, proc, timeout=30, log_path=tmp_path / "server.log")


def test_busy_port_is_refused_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert not server.port_is_free("127.0.0.1", port)
        with pytest.raises(server.ServeError, match="already in use"):
            server.start_server("127.0.0.1", port, 5, tmp_path / "server.log")
    assert not (tmp_path / "server.log").exists()


def test_a_stale_pid_file_is_removed_and_nothing_is_killed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    (tmp_path / "server.pid").write_text(f"{os.getpid()} 4210\n")  # this process: not a server
    assert server.status() == 1
    assert server.stop() == 0
    assert not (tmp_path / "server.pid").exists()
    out = capsys.readouterr().out
    assert (
        "no Prefect server is running: neither `make server`'s nor the one `make run` keeps" in out
    )


def test_status_finds_the_kept_server_without_prefect_home(tmp_path, monkeypatch, capsys):
    """`python -m flows.server status` in a shell without PREFECT_HOME looks in the project's
    .prefect, where `make` keeps its servers."""
    import json
    import time

    monkeypatch.delenv("PREFECT_HOME", raising=False)
    monkeypatch.setattr(server, "PROJECT_HOME", tmp_path)
    # a process whose command line is the kept server's (flows.api_server kept), sleeping
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "flows.api_server", "kept"]
    )
    try:
        cmdline = Path(f"/proc/{proc.pid}/cmdline")
        for _ in range(100):  # until the child's command line is its own (after exec)
            if b"flows.api_server" in cmdline.read_bytes():
                break
            time.sleep(0.05)
        (tmp_path / "kept-server.json").write_text(json.dumps({"pid": proc.pid, "port": 4321}))
        assert server.main(["status"]) == 0
        assert "kept by `make run`: http://127.0.0.1:4321/api" in capsys.readouterr().out
        assert os.environ["PREFECT_HOME"] == str(tmp_path)
    finally:
        proc.kill()
        proc.wait()
        os.environ.pop("PREFECT_HOME", None)


def test_the_run_now_command_is_printed_as_it_works(monkeypatch, tmp_path):
    """The command `make serve` prints names this venv's prefect (not on PATH) and the
    server's API (a shell without it asks a temporary server that knows no deployment)."""
    import shlex
    import sys
    from pathlib import Path

    from flows import serve

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    words = shlex.split(serve.run_now_command("clean_articles/scheduled"))
    assert words[0] == "PREFECT_API_URL=http://127.0.0.1:4200/api"
    assert Path(words[1]).is_file()
    assert Path(words[1]).absolute().parent == Path(sys.executable).parent
    assert words[2:] == ["deployment", "run", "clean_articles/scheduled"]


def test_a_run_that_leaves_the_kept_server_says_so_and_how_to_stop_it():
    from flows import cli

    line = cli._kept_server_notice("http://127.0.0.1:4300/api", 900)
    assert "http://127.0.0.1:4300 " in line and "15 min" in line
    assert line.endswith("make server-stop")
