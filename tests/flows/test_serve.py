"""flows/serve.py: options, server start-up checks and shutdown, without a Prefect server.

Starting a real Prefect server takes 20-30 s on these machines and a cron schedule fires at
most once a minute, so the end-to-end check (a scheduled run happening) is done by hand; see
docs/scheduling.md. These tests cover the parts that decide whether that works: parameters
baked into the deployment, the health wait, the port check, stopping the server's group.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from flows import serve


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
    yield serve.api_url("127.0.0.1", httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def test_defaults_and_parameters_are_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = serve.parse_args(["--input", "raw", "--output", "out/x"])
    assert (args.cron, args.name, args.port, args.no_server) == (
        "0 * * * *",
        "scheduled",
        4200,
        False,
    )
    params = serve.deployment_parameters(args)
    assert params == {
        "input_dir": str(tmp_path / "raw"),
        "output_dir": str(tmp_path / "out" / "x"),
        "workers": 2,
    }


def test_an_object_store_output_is_baked_in_as_its_url(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = serve.parse_args(["--input", "raw", "--output", "s3://bucket/clean/news"])
    assert serve.deployment_parameters(args)["output_dir"] == "s3://bucket/clean/news"


def test_an_s3_input_is_baked_in_as_its_uri(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = serve.parse_args(["--input", "s3://raw-pages/2026/", "--output", "out"])
    params = serve.deployment_parameters(args)
    assert params["input_dir"] == "s3://raw-pages/2026"
    assert params["output_dir"] == str(tmp_path / "out")


def test_options_override(tmp_path: Path) -> None:
    args = serve.parse_args(
        ["--input", str(tmp_path), "--output", str(tmp_path / "o"), "--cron", "*/5 * * * *",
         "--name", "five", "--no-server", "--workers", "3"]
    )  # fmt: skip
    assert (args.cron, args.name, args.no_server, args.workers) == ("*/5 * * * *", "five", True, 3)


def test_health_wait_returns_when_the_api_answers(health_server: str) -> None:
    assert serve.is_healthy(health_server)
    assert serve.wait_until_healthy(health_server, None, timeout=5) < 5


def test_health_wait_times_out_with_a_clear_error() -> None:
    url = serve.api_url("127.0.0.1", _free_port())
    assert not serve.is_healthy(url)
    with pytest.raises(serve.ServeError, match=r"no answer from .*/health after"):
        serve.wait_until_healthy(url, None, timeout=0.5)


def test_health_wait_reports_a_server_that_died(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"])
    proc.wait()
    url = serve.api_url("127.0.0.1", _free_port())
    with pytest.raises(serve.ServeError, match=r"exited with code 3 \(see .*server.log\)"):
        serve.wait_until_healthy(url, proc, timeout=30, log_path=tmp_path / "server.log")


def test_busy_port_is_refused_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert not serve.port_is_free("127.0.0.1", port)
        with pytest.raises(serve.ServeError, match="already in use"):
            serve.start_server("127.0.0.1", port, tmp_path / "server.log")
    assert not (tmp_path / "server.log").exists()


def test_main_exits_1_with_a_message(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    args = ["--input", str(tmp_path), "--output", str(tmp_path / "out"), "--no-server"]
    assert serve.main(args) == 1
    assert "--no-server needs PREFECT_API_URL" in capsys.readouterr().err


def test_stop_process_ends_the_server_and_what_it_started() -> None:
    # A parent that starts a child in its group: both must go.
    import psutil

    code = "import subprocess, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    while not psutil.Process(proc.pid).children():
        time.sleep(0.05)
    serve.stop_process(proc.pid, timeout=10)
    assert proc.poll() is not None
    # The group is gone once its last member is: signal 0 to it then fails.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("a process of the server's group survived stop_process")


@pytest.mark.parametrize("spec", ["flows.clean_articles", "flows.clean_articles:"])
def test_flow_spec_needs_an_attribute(spec: str) -> None:
    with pytest.raises(serve.ServeError, match="module:attribute"):
        serve.load_flow(spec)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--workers", "0"], "workers=0 is out of range"),
        (["--input", "{tmp}/missing"], "input folder '{tmp}/missing' does not exist"),
        (["--output", "{tmp}/in"], "output folder '{tmp}/in' is the input folder"),
        (["--output", "/proc/newsclean-out"], "'/proc/newsclean-out' is not writable"),
    ],
)
def test_main_checks_the_run_options_before_starting_a_server(
    tmp_path: Path, monkeypatch, capsys, options: list[str], message: str
) -> None:
    def no_server(*args: object) -> None:
        raise AssertionError("a server was started")

    monkeypatch.setattr(serve, "local_prefect_server", no_server)
    (tmp_path / "in").mkdir()
    base = {"--input": str(tmp_path / "in"), "--output": str(tmp_path / "out")}
    given = dict(zip(options[::2], [o.format(tmp=tmp_path) for o in options[1::2]], strict=True))
    argv = [part for item in {**base, **given}.items() for part in item]
    assert serve.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(tmp=tmp_path) in err, err
    assert not (tmp_path / "out").exists()
