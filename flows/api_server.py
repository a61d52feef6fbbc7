"""The Prefect API servers the command line starts: a run's temporary one, or the one kept
between runs (`make run`), so that only the first run on a machine waits for a server to boot.

Both are Prefect's API app in its ephemeral mode (the API only, no UI, no background services,
the database under PREFECT_HOME), started before Prefect is imported. Without PREFECT_API_URL
a flow run would start Prefect's own temporary server on its first API call: the flow's process
first imports the server's code (seconds of CPU, only to launch it), then waits while the
server imports the same code and opens its database (~4 s), one after the other. The command
line (`flows/cli.py`), once it knows a run has work, binds a free loopback port itself, hands
the listening socket to the server process (no race for the port, the URL known at once;
connections made before the server is up wait in the socket's backlog) and imports Prefect
and the flow while the server boots.

- Temporary (`TemporaryServer`: `SERVER=none`, the command line without `--keep-server`):
  stops when the run ends, and on its own within a second when the run dies without stopping
  it (a SIGKILL).
- Kept (`attach`: `make run`, `--keep-server`): in a session of its own, so it outlives the
  run; it stays up while any run is attached and stops itself `idle` seconds (default 900)
  after the last one ended. `make server-stop` stops it at once. Files under PREFECT_HOME:
  `kept-server.json` ({"pid", "port", "python", "prefect", "idle"} of the running one; a
  record whose process is gone, is not this module's kept server, or was started by another
  interpreter or Prefect version is not used: a new server is started beside it, and the old
  one stops once idle); `kept-server.attach` (every attached run holds a shared `flock` on it
  until it exits, which the kernel releases even after a SIGKILL; the server stops only when
  it can take it exclusively, so never under a run); `kept-server.start` (held while a run
  looks for the server and starts it, so two runs starting at once start one server);
  `kept-server.log` (the server's output).

    python -m flows.api_server temp FD PID    # serves on socket FD while process PID lives
    python -m flows.api_server kept FD IDLE   # serves until no run is attached for IDLE s
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import IO

from flows.server import prefect_home, wait_until_healthy
from transforms.run.liveness import runs_as, stop_process

HOST = "127.0.0.1"
DEFAULT_IDLE_SECONDS = 900.0
RECORD, ATTACH, START, LOG = (
    "kept-server.json",
    "kept-server.attach",
    "kept-server.start",
    "kept-server.log",
)
KEPT = "flows.api_server kept"  # in the kept server's command line
_attached: list[int] = []  # the attach lock's descriptor, held for the life of this process


def _launch(mode: str, arg: str, log: IO[bytes] | None = None) -> tuple[subprocess.Popen, int]:
    """Start a server process (`mode` temp or kept) on a listening socket bound here; (the
    process, its port)."""
    sock = socket.create_server((HOST, 0))
    fd = sock.fileno()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.api_server", mode, str(fd), arg],
        pass_fds=(fd,),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env=env,
        start_new_session=mode == "kept",  # not in the run's process group: a Ctrl-C of the run
    )
    port = sock.getsockname()[1]
    sock.close()  # the server holds the listening socket now
    return proc, port


class TemporaryServer:
    """A Prefect API server for the lifetime of a run (see the module docstring)."""

    def __init__(self) -> None:
        self.proc, port = _launch("temp", str(os.getpid()))
        self.api_url = f"http://{HOST}:{port}/api"

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `timeout` seconds)."""
        if self.proc.poll() is None:
            stop_process(self.proc.pid, timeout)
            self.proc.poll()


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


def _identity() -> dict[str, str]:
    """What a server must share with this process to serve it: the interpreter and Prefect."""
    return {"python": sys.executable, "prefect": version("prefect")}


def _open_lock(home: Path, name: str) -> int:
    return os.open(home / name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def recorded(home: Path | None = None) -> dict | None:
    """The record of the kept server of PREFECT_HOME when its process still is that server."""
    home = home or prefect_home()
    try:
        record = json.loads((home / RECORD).read_text())
        pid = int(record["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record if runs_as(pid, KEPT) else None  # else the pid was reused


def attach(idle: float = DEFAULT_IDLE_SECONDS) -> str:
    """Attach this process to the kept server of PREFECT_HOME, starting it when there is none
    this process can use; its API URL. The server may still be booting: `wait` for it."""
    home = prefect_home()
    start_fd = _open_lock(home, START)
    try:
        fcntl.flock(start_fd, fcntl.LOCK_EX)
        attach_fd = _open_lock(home, ATTACH)
        # blocks only while a server that found itself idle is stopping (it then holds it
        # exclusively, and has removed its record before it lets go)
        fcntl.flock(attach_fd, fcntl.LOCK_SH)
        _attached.append(attach_fd)
        record = recorded(home)
        if record is None or {k: record.get(k) for k in _identity()} != _identity():
            with open(home / LOG, "ab") as log:
                proc, port = _launch("kept", str(idle), log)
            record = {"pid": proc.pid, "port": port, **_identity(), "idle": idle}
            tmp = home / f"{RECORD}.{os.getpid()}"
            tmp.write_text(json.dumps(record))
            tmp.replace(home / RECORD)
    finally:
        os.close(start_fd)  # and with it the start lock
    return f"http://{HOST}:{record['port']}/api"


def wait(api_url: str, timeout: float, server: TemporaryServer | None = None) -> float:
    """Block until the server at `api_url` answers its health check: the kept one, or the
    temporary `server`; the seconds waited. Raises ServeError when `timeout` passes first or
    the temporary server's process exits."""
    if server is not None:
        return wait_until_healthy(api_url, server.proc, timeout)
    return wait_until_healthy(api_url, None, timeout, prefect_home() / LOG)


def stop(timeout: float = 20.0) -> int | None:
    """Stop the kept server of PREFECT_HOME now (SIGTERM, SIGKILL after `timeout`); its pid, or
    None when none runs. A run attached to it fails at its next API call."""
    home = prefect_home()
    record = recorded(home)
    (home / RECORD).unlink(missing_ok=True)
    if record is None:
        return None
    stop_process(record["pid"], timeout)
    return record["pid"]


def _stop_when_idle(home: Path, idle: float) -> None:
    """The kept server's watchdog: exit once no run has been attached for `idle` seconds, or
    when the record no longer names this process (`stop`, or a newer server took its place)."""
    fd = _open_lock(home, ATTACH)
    last_attached = time.monotonic()
    while True:
        time.sleep(min(1.0, idle / 4))
        try:
            mine = json.loads((home / RECORD).read_text()).get("pid") == os.getpid()
        except (OSError, ValueError):
            mine = False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a run is attached
            last_attached = time.monotonic()
            continue
        if time.monotonic() - last_attached >= idle:
            if mine:
                (home / RECORD).unlink(missing_ok=True)
            os._exit(0)  # the lock goes with the process, after the record
        fcntl.flock(fd, fcntl.LOCK_UN)
        if not mine:  # replaced: serve no longer than the runs attached now
            last_attached -= idle


def _exit_with_parent(parent: int) -> None:
    """The temporary server's watchdog: end when the run is gone (a killed run leaves none)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def serve(mode: str, fd: int, arg: str) -> None:
    """The server process: Prefect's API app, ephemeral mode, on the listening socket `fd`,
    until its watchdog ends it (a temporary server: the process `arg`, the run's, is gone; a
    run killed before this process got here has already left it to another parent. Kept: no
    run attached for `arg` seconds)."""
    watch = (_stop_when_idle, (prefect_home(), float(arg)))
    if mode == "temp":
        watch = (_exit_with_parent, (int(arg),))
    threading.Thread(target=watch[0], args=watch[1], name="watchdog", daemon=True).start()
    import uvicorn
    from prefect.server.api.server import create_app

    app = create_app(ephemeral=True, final=True)
    config = uvicorn.Config(app, log_level="error", lifespan="on")
    uvicorn.Server(config).run(sockets=[socket.socket(fileno=fd)])


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3])
