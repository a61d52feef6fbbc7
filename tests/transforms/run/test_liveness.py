"""transforms/run/liveness.py: the one kill path (a server's tree, a hung run's) and the
pid checks it relies on."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

from transforms.run.liveness import end_process_tree, pid_start, runs_as, stop_process


def test_stop_process_ends_the_server_and_what_it_started() -> None:
    # A parent that starts a child in its group: both must go.
    code = "import subprocess, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    while not psutil.Process(proc.pid).children():
        time.sleep(0.05)
    assert stop_process(proc.pid, timeout=10)
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


def _gone(process: psutil.Process) -> bool:
    """Ended: no such process, or a zombie (a container's init may be slow to reap it)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_hung_run_and_its_workers_are_killed():
    code = "import subprocess, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code])
    while not psutil.Process(proc.pid).children():
        time.sleep(0.05)
    child = psutil.Process(proc.pid).children()[0]
    assert end_process_tree(proc.pid, pid_start(proc.pid), wait_seconds=10)
    assert proc.wait(timeout=10) == -9 and _gone(child)  # killed, its exit status left to it


def test_a_pid_now_held_by_another_process_is_left_alone():
    proc = subprocess.Popen(["sleep", "60"])
    try:
        assert end_process_tree(proc.pid, "1", wait_seconds=1)  # another start: not it
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(("marker", "expected"), [("pytest", True), ("no-such-marker", False)])
def test_runs_as_reads_the_command_line(marker, expected):
    assert runs_as(os.getpid(), marker) is expected
