"""Is a process still the one that was? Answers from the pid, its start time and the boot id.

A pid alone lies after the process dies: the kernel reuses it. The start time of the process
(Linux: /proc/<pid>/stat, in clock ticks since boot) tells the process that has the pid now
from the one recorded, and the boot id tells a pid of this boot from one of an earlier boot.
Where /proc is missing, only the pid is checked.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


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
    descended from it (a run's workers); True once it is gone. The parent is stopped first so
    that it starts no worker meanwhile. False when it cannot be signalled (another user's) or
    outlives `wait_seconds`."""
    if not pid_alive(pid, started):
        return True
    try:
        os.kill(pid, signal.SIGSTOP)
        for child in descendants(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    deadline = time.monotonic() + wait_seconds
    while pid_alive(pid, started):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def descendants(pid: int) -> list[int]:
    """The pids of the processes descended from `pid` (Linux: /proc; elsewhere none)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            after_name = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(after_name[1]), []).append(int(entry.name))  # field 4: ppid
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
