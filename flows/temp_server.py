"""The temporary Prefect server of one command-line run, started before Prefect is imported.

Without PREFECT_API_URL, a flow run starts Prefect's own temporary server on its first API
call: the flow's process first imports the server's code (seconds of CPU, only to launch it), then
waits while the server process imports the same code and opens its database (~4 s). Both sit on
the run's critical path, one after the other. The command line (`flows/cli.py`), once it knows a
run has work, starts the same server itself instead (Prefect's `create_app` in its ephemeral
mode: the API only, no UI, no background services, the database under PREFECT_HOME) and exports
its URL, so that the server boots while the command line imports Prefect and the flow, and the
flow never imports the server's code. `make run` keeps the same server for later runs instead
(`flows/kept_server.py`, `--keep-server`); this one serves `SERVER=none` and the command line
without that option.

    python -m flows.temp_server FD PID   # the server process: serves on the listening socket FD
                                         # while the process PID (the run's) lives

The parent binds a free loopback port itself and hands the listening socket to the child (no
race for the port, and the URL is known at once); connections made before the server is up
wait in the socket's backlog. The server stops when the run ends (`TemporaryServer.stop`), and
on its own within a second when its parent dies without stopping it (a SIGKILL).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path
from types import TracebackType

from flows.serve import ServeError, stop_process, wait_until_healthy

HOST = "127.0.0.1"


class TemporaryServer:
    """A Prefect API server for the lifetime of a `with` block (see the module docstring)."""

    def __init__(self) -> None:
        self._sock = socket.create_server((HOST, 0))
        self.api_url = f"http://{HOST}:{self._sock.getsockname()[1]}/api"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        fd = self._sock.fileno()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "flows.temp_server", str(fd), str(os.getpid())],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        self._sock.close()  # the child holds the listening socket now

    def wait(self, timeout: float) -> float:
        """Block until the API answers its health check; the seconds waited.

        Raises ServeError when the server process exits first or `timeout` passes.
        """
        try:
            return wait_until_healthy(self.api_url, self._proc, timeout)
        except ServeError:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `timeout` seconds)."""
        if self._proc.poll() is None:
            stop_process(self._proc.pid, timeout)
            self._proc.poll()

    def __enter__(self) -> TemporaryServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def configured_api_url() -> str | None:
    """The Prefect API URL this process is configured with, read without importing Prefect:
    PREFECT_API_URL, or the active profile's (PREFECT_PROFILE, else the profiles file's
    `active`; the file is PREFECT_PROFILES_PATH, else PREFECT_HOME/profiles.toml)."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    settings = profiles.get("profiles", {}).get(active) or {}
    return settings.get("PREFECT_API_URL") or None


def startup_timeout() -> float:
    """Seconds to wait for the server: Prefect's own setting for its temporary server."""
    try:
        return float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "20"))
    except ValueError:
        return 20.0


def _exit_with_parent(parent: int) -> None:
    """End this process when its parent is gone (a killed run must not leave a server)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def serve(fd: int, parent: int) -> None:
    """The server process: Prefect's API app, ephemeral mode, on the listening socket `fd`,
    for as long as the process `parent` (the run's, given on the command line: a run killed
    before this process got here has already left it to another parent) lives."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    serve_api(socket.socket(fileno=fd))


def serve_api(sock: socket.socket) -> None:
    """Prefect's API app in its ephemeral mode (no UI, no background services) on the listening
    socket `sock`, until the process is stopped (also the kept server's, `flows.kept_server`)."""
    import uvicorn
    from prefect.server.api.server import create_app

    app = create_app(ephemeral=True, final=True)
    config = uvicorn.Config(app, log_level="error", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
