"""A local Prefect server that outlives a run, reused by `make run` (`make server`, `make server-stop`).

    python -m flows server start [--port 4210]   # in the background; returns once it answers
    python -m flows server stop                  # stops the one this started
    python -m flows server status

Without it, `make run` uses the API-only server it keeps between runs (`flows/api_server.py`;
SERVER=none: a temporary one per run). `make server` starts `prefect server start` in a session of its own, its
database and log (`server.log`) under PREFECT_HOME, and writes `PREFECT_HOME/server.pid`
("<pid> <port>"); `make run` sets PREFECT_API_URL to it when that file exists and the server
answers its health check, so the run pays no server start. `make server-stop` stops its
process and its children (SIGTERM, then SIGKILL after 20 s) and removes the pid file; it also stops the
server `make run` keeps between runs when there is one (`flows/api_server.py`). A pid file whose
process is gone or is no longer a Prefect server is stale: removed, nothing killed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from flows import api_server
from flows.serve import (
    ServeError,
    api_url,
    is_healthy,
    prefect_home,
    runs_as,
    start_server,
    stop_process,
)
from flows.serve import wait_until_healthy as wait_healthy

HOST = "127.0.0.1"


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
    log = prefect_home() / "server.log"
    t0 = time.monotonic()
    proc = start_server(HOST, port, log)
    pid_file().write_text(f"{proc.pid} {port}\n")
    try:
        wait_healthy(api_url(HOST, port), proc, timeout, log)
    except ServeError:
        stop()
        raise
    print(
        f"Prefect server at {api_url(HOST, port)} (pid {proc.pid}, up in "
        f"{time.monotonic() - t0:.1f} s); `make run` uses it; stop it with `make server-stop`"
    )
    return 0


def stop(timeout: float = 20.0) -> int:
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
