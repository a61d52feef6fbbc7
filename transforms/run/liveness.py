"""Is a process still the one that was? Answers from the pid, its start time and the boot id.

A pid alone lies after the process dies: the kernel reuses it. The start time of the process
(Linux: /proc/<pid>/stat, in clock ticks since boot) tells the process that has the pid now
from the one recorded, and the boot id tells a pid of this boot from one of an earlier boot.
Where /proc is missing, only the pid is checked.

Ending a process tree, a server's or a hung run's, is here too (`stop_process`, psutil).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import psutil


def pid_alive(pid: int, started: str | None) -> bool:
    """True while process `pid` exists and, when `started` (a `pid_start`) is given, is the
    process that started then (not a zombie, not a later process given the same pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by another user
    now_start = pid_start(pid)
    if now_start is None:  # no /proc: the pid exists, trust it
        return True
    return now_start != "" and (started is None or now_start == started)  # "": a zombie


def pid_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), "" for a zombie, or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    after_name = stat.rsplit(")", 1)[1].split()
    # after the name: state is field 3, starttime field 22 (man 5 proc)
    return "" if after_name[0] == "Z" else after_name[19]


def boot_id() -> str | None:
    """This boot's id (Linux), or None."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def end_process_tree(pid: int, started: str | None, wait_seconds: float = 10.0) -> bool:
    """Kill process `pid` (if it is still the one that started at `started`) and every process
    descended from it (a run's workers), paused first so that it starts no worker meanwhile;
    True once they are gone. False when it cannot be signalled (another user's) or outlives
    `wait_seconds`."""
    return not pid_alive(pid, started) or stop_process(pid, wait_seconds, graceful=False)


def stop_process(pid: int, timeout: float = 20.0, graceful: bool = True) -> bool:
    """Stop the process `pid` and every process under it (a server and what it started, a
    run and its workers): SIGTERM, then SIGKILL after `timeout` seconds (not `graceful`: the
    parent paused, then SIGKILL); True once they are gone (a zombie is gone: its exit status
    is left to its parent), False when one cannot be signalled or outlives `timeout`. The
    project's one kill path (psutil): servers, hung runs."""
    try:
        root = psutil.Process(pid)
        if not graceful:
            root.suspend()
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return True
    except psutil.AccessDenied:
        return False
    signals = (
        (psutil.Process.terminate, psutil.Process.kill) if graceful else (psutil.Process.kill,)
    )
    for send in signals:
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                send(process)
        deadline = time.monotonic() + timeout
        while (processes := [p for p in processes if _running(p)]) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not processes:
            return True
    return False


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def runs_as(pid: int, marker: str) -> bool:
    """The process `pid` exists and its command line names `marker` (else the pid was reused)."""
    try:
        return marker in " ".join(psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
