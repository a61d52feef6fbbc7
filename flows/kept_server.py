"""The Prefect server `make run` keeps between runs, so that only the first run on a machine
waits for a server to boot.

A run's own temporary server (`flows.temp_server`) costs every run seconds of CPU at its start, on
the cores the run's imports and the shard workers' forkserver need, and the run waits ~2 s for
it. `make run` (SERVER=auto, the default, with no `make server` running) passes `--keep-server`:
the command line then attaches to the kept server of PREFECT_HOME, and starts it when none is
there. It is the same server as the temporary one (Prefect's API app in its ephemeral mode: the
API only, no UI, no background services, the database under PREFECT_HOME), in a session of its
own, so it outlives the run. It stays up while any run is attached, and stops itself `idle`
seconds (default 900) after the last one ended. `make server-stop` stops it at once;
`SERVER=none` runs with a temporary server and leaves none behind.

Files under PREFECT_HOME:
- `kept-server.json`: {"pid", "port", "python", "prefect", "idle"} of the running one. A record
  whose process is gone, is not this module's server, or was started by another interpreter or
  Prefect version (an upgraded venv) is not used: a new server is started beside it (the old one
  stops on its own once idle).
- `kept-server.attach`: every attached run holds a shared `flock` on it until it exits (the
  kernel releases it even after a SIGKILL); the server stops only when it can take it
  exclusively, so never under a run.
- `kept-server.start`: held exclusively while a run looks for the server and starts it, so two
  runs starting at once start one server.
- `kept-server.log`: the server's output.

    python -m flows.kept_server FD IDLE   # the server process (started by `attach`)
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
from importlib.metadata import version
from pathlib import Path

from flows.serve import prefect_home, runs_as, stop_process, wait_until_healthy

HOST = "127.0.0.1"
DEFAULT_IDLE_SECONDS = 900.0
RECORD, ATTACH, START, LOG = (
    "kept-server.json",
    "kept-server.attach",
    "kept-server.start",
    "kept-server.log",
)
_attached: list[int] = []  # the attach lock's descriptor, held for the life of this process


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
    return record if runs_as(pid, "flows.kept_server") else None  # else the pid was reused


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
            record = _start(home, idle)
    finally:
        os.close(start_fd)  # and with it the start lock
    return f"http://{HOST}:{record['port']}/api"


def _start(home: Path, idle: float) -> dict:
    """Start a kept server in a session of its own; write and return its record."""
    sock = socket.create_server((HOST, 0))
    fd = sock.fileno()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    with open(home / LOG, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.kept_server", str(fd), str(idle)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,  # not in the run's process group: a Ctrl-C of the run
        )
    record = {"pid": proc.pid, "port": sock.getsockname()[1], **_identity(), "idle": idle}
    sock.close()  # the server holds the listening socket now
    tmp = home / f"{RECORD}.{os.getpid()}"
    tmp.write_text(json.dumps(record))
    tmp.replace(home / RECORD)
    return record


def wait(api_url: str, timeout: float) -> float:
    """Block until the kept server answers its health check; the seconds waited."""
    return wait_until_healthy(api_url, None, timeout, prefect_home() / LOG)


def stop(timeout: float = 20.0) -> int | None:
    """Stop the kept server of PREFECT_HOME now (SIGTERM, SIGKILL after `timeout`); its pid, or
    None when none runs. A run attached to it fails at its next API call."""
    home = prefect_home()
    record = recorded(home)
    (home / RECORD).unlink(missing_ok=True)
    if record is None:
        return None
    pid = record["pid"]
    stop_process(pid, timeout)
    return pid


def _stop_when_idle(home: Path, idle: float) -> None:
    """The server's watchdog: exit once no run has been attached for `idle` seconds, or when
    the record no longer names this process (`stop`, or a newer server took its place)."""
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


def serve(fd: int, idle: float) -> None:
    """The kept server process: Prefect's API on the listening socket `fd`, until idle."""
    threading.Thread(
        target=_stop_when_idle, args=(prefect_home(), idle), name="idle-stop", daemon=True
    ).start()
    from flows.temp_server import serve_api

    serve_api(socket.socket(fileno=fd))


if __name__ == "__main__":
    serve(int(sys.argv[1]), float(sys.argv[2]))
