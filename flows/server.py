"""Local Prefect servers started by the project, and `make server` / `make server-stop`.

    python -m flows server start [--port 4210]   # in the background; returns once it answers
    python -m flows server stop                  # stops it, and the server `make run` keeps
    python -m flows server status

`start_server` starts Prefect's full server (`prefect server start`, with its UI) and waits for
it: for `make server` and for `make serve` (`local_prefect_server`, flows/serve.py); the API-only
servers a run uses are `flows/api_server.py`'s. Every one is stopped by
`transforms.run.liveness.stop_process` (psutil).

Without `make server`, `make run` uses the API-only server it keeps between runs (SERVER=none: a
temporary one per run). `make server` starts `prefect server start` in a session of its own, its
database and log (`server.log`) under PREFECT_HOME, and writes `PREFECT_HOME/server.pid`
("<pid> <port>"); `make run` sets PREFECT_API_URL to it when that file exists and the server
answers its health check, so the run pays no server start. `make server-stop` stops its
process and its children (SIGTERM, then SIGKILL after 20 s) and removes the pid file; it also
stops the server `make run` keeps when there is one. A pid file whose process is gone or is no
longer a Prefect server is stale: removed, nothing killed.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from transforms.run.liveness import runs_as, stop_process

HOST = "127.0.0.1"


class ServeError(RuntimeError):
    """The server could not be started or reached; the message says what to do."""


def api_url(host: str, port: int) -> str:
    """The API root of a server at host:port (what PREFECT_API_URL must be)."""
    return f"http://{host}:{port}/api"


def port_is_free(host: str, port: int) -> bool:
    """True if nothing listens on host:port (so a server we start cannot collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        return s.connect_ex((host, port)) != 0


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """True if the Prefect API at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


# the project's Prefect home, where the Makefile puts it (PREFECT_HOME=$(CURDIR)/.prefect)
PROJECT_HOME = Path(__file__).resolve().parents[1] / ".prefect"


def prefect_home() -> Path:
    """PREFECT_HOME, created if missing; unset, the project's `.prefect` (as the Makefile sets
    it), so `python -m flows server status` finds the servers `make` started without it."""
    home = Path(os.environ.get("PREFECT_HOME", PROJECT_HOME)).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def start_server(host: str, port: int, timeout: float, log_path: Path) -> subprocess.Popen[bytes]:
    """Start `prefect server start` in a session of its own, output to `log_path`, and wait
    until it answers; stopped again when it does not (ServeError) or the wait is interrupted."""
    if not port_is_free(host, port):
        raise ServeError(
            f"port {port} on {host} is already in use. If a Prefect server is running there, "
            f"use it: PREFECT_API_URL={api_url(host, port)} python -m flows serve --no-server ...; "
            "otherwise pick another port with --port."
        )
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # the server must not try to talk to another server
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    prefect_bin = Path(sys.executable).with_name("prefect")
    cmd = [str(prefect_bin)] if prefect_bin.exists() else [sys.executable, "-m", "prefect"]
    cmd += ["server", "start", "--host", host, "--port", str(port)]
    with log_path.open("ab") as log:
        # A new session: Ctrl-C in the terminal reaches only us, so that `make serve` stops its
        # serving process first (it pauses its schedule through the API) and the server last.
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_healthy(api_url(host, port), proc, timeout, log_path)
    except BaseException:
        stop_process(proc.pid)
        raise
    return proc


def wait_until_healthy(
    url: str, proc: subprocess.Popen[bytes] | None, timeout: float, log_path: Path | None = None
) -> float:
    """Poll `url`/health until it answers; return the seconds waited.

    Raises ServeError if the server process exits first or `timeout` passes.
    """
    start = time.monotonic()
    where = f" (see {log_path})" if log_path else ""
    while True:
        # a server on a socket bound before it started (flows.api_server)
        # leaves the request in the socket's backlog until it serves: answered the moment it is up
        if is_healthy(url, timeout=max(1.0, min(timeout / 10, 10.0))):
            return time.monotonic() - start
        if proc is not None and proc.poll() is not None:
            raise ServeError(f"the Prefect server exited with code {proc.returncode}{where}")
        if time.monotonic() - start > timeout:
            raise ServeError(f"no answer from {url}/health after {timeout:.0f} s{where}")
        time.sleep(0.05)


@contextmanager
def local_prefect_server(
    host: str = "127.0.0.1", port: int = 4200, timeout: float = 180.0
) -> Iterator[str]:
    """A Prefect server for the duration of a `with` block; yields its API URL.

    Used by `make bench`, so that flow runs are measured against a running server as they are
    under `make serve`. Its database and log live under PREFECT_HOME.
    """
    proc = start_server(host, port, timeout, prefect_home() / "server.log")
    try:
        yield api_url(host, port)
    finally:
        stop_process(proc.pid)


def pid_file() -> Path:
    return prefect_home() / "server.pid"


def _recorded() -> tuple[int, int] | None:
    """(pid, port) of the server this module started, if its process is still a Prefect server."""
    try:
        pid, port = (int(x) for x in pid_file().read_text().split())
    except (OSError, ValueError):
        return None
    return (pid, port) if runs_as(pid, "prefect") and runs_as(pid, "server") else None


def start(port: int, timeout: float) -> int:
    running = _recorded()
    if running is not None and is_healthy(api_url(HOST, running[1])):
        print(f"a Prefect server is running: {api_url(HOST, running[1])} (pid {running[0]})")
        return 0
    pid_file().unlink(missing_ok=True)
    t0 = time.monotonic()
    proc = start_server(HOST, port, timeout, prefect_home() / "server.log")
    pid_file().write_text(f"{proc.pid} {port}\n")
    print(
        f"Prefect server at {api_url(HOST, port)} (pid {proc.pid}, up in "
        f"{time.monotonic() - t0:.1f} s); `make run` uses it; stop it with `make server-stop`"
    )
    return 0


def stop(timeout: float = 20.0) -> int:
    from flows import api_server  # it imports this module

    kept = api_server.stop(timeout)
    if kept is not None:
        print(f"stopped the Prefect server kept by `make run` (pid {kept})")
    running = _recorded()
    pid_file().unlink(missing_ok=True)
    if running is None:
        if kept is None:
            print(
                "no Prefect server is running: neither `make server`'s nor the one `make run` keeps"
            )
        return 0
    pid = running[0]
    stop_process(pid, timeout)  # the server and its children
    print(f"stopped the Prefect server (pid {pid})")
    return 0


def status() -> int:
    from flows import api_server

    kept = api_server.recorded()
    if kept is not None:
        print(f"kept by `make run`: http://{HOST}:{kept['port']}/api (pid {kept['pid']})")
    running = _recorded()
    if running is not None and is_healthy(api_url(HOST, running[1])):
        print(f"running: {api_url(HOST, running[1])} (pid {running[0]})")
        return 0
    print("`make server`: not running")
    return 0 if kept is not None else 1


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PREFECT_HOME", str(prefect_home()))  # the project's, as make's
    parser = argparse.ArgumentParser(prog="newsclean server", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--port", type=int, default=4210)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for it")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            return start(args.port, args.timeout)
        return stop() if args.action == "stop" else status()
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
