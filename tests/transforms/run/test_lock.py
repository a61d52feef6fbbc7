"""OUTPUT's lock: one holder at a time, a one-line refusal naming it, waiting, stale locks.

Holders are real processes (a child Python holding the lock) or real threads, never mocks.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from transforms.run import lock as run_lock
from transforms.run.lock import (
    LOCK_NAME,
    OutputLocked,
    acquire,
    current_holder,
    hold,
    this_holder,
)

REPO = Path(__file__).resolve().parents[3]
CHILD = """
import sys, time
from pathlib import Path
from transforms.run.lock import acquire
lock = acquire(Path(sys.argv[1]), sys.argv[2])
print("held", flush=True)
time.sleep(float(sys.argv[3]))
lock.release()
print("released", flush=True)
"""


def _holding_child(output: Path, run_id: str, seconds: float) -> subprocess.Popen[str]:
    """A child process that holds OUTPUT's lock for `seconds`, then releases it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(output), run_id, str(seconds)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def _write_lock(output: Path, **fields) -> Path:
    holder = replace(this_holder("r-old"), flock=False, **fields)
    path = output / LOCK_NAME
    path.write_text(json.dumps(asdict(holder)))
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_second_run_is_refused_with_one_line_naming_the_holder(tmp_path):
    child = _holding_child(tmp_path, "run-one", 60)
    try:
        with pytest.raises(OutputLocked) as refused:
            acquire(tmp_path, "run-two", timeout=0)
        message = str(refused.value)
        assert "\n" not in message
        assert "run run-one" in message
        assert f"pid {child.pid}" in message
        assert f"host {socket.gethostname()}" in message
        assert current_holder(tmp_path).run_id == "run-one"
    finally:
        child.kill()
        child.wait()


def test_a_waiting_run_gets_the_lock_when_the_holder_releases_it(tmp_path):
    child = _holding_child(tmp_path, "run-one", 1.0)
    t = time.monotonic()
    with acquire(tmp_path, "run-two", timeout=60) as lock:
        assert time.monotonic() - t > 0.5  # it did wait
        assert child.wait(timeout=10) == 0
        assert lock.took_over is None  # released, not taken over
        assert current_holder(tmp_path).run_id == "run-two"
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_timeout_gives_up_with_the_refusal(tmp_path):
    child = _holding_child(tmp_path, "run-one", 60)
    try:
        t = time.monotonic()
        with pytest.raises(OutputLocked, match="run run-one"):
            acquire(tmp_path, "run-two", timeout=1.0)
        assert 1.0 <= time.monotonic() - t < 5
    finally:
        child.kill()
        child.wait()


def test_a_killed_holder_leaves_a_lock_the_next_run_takes_over(tmp_path):
    child = _holding_child(tmp_path, "run-killed", 60)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert (tmp_path / LOCK_NAME).exists()  # SIGKILL leaves the file ...
    assert current_holder(tmp_path) is None  # ... recognised as stale
    with acquire(tmp_path, "run-next", timeout=0) as lock:
        assert (lock.took_over.run_id, lock.took_over.pid) == ("run-killed", child.pid)


def test_a_lock_of_a_dead_pid_is_stale_without_flock_too(tmp_path):
    _write_lock(tmp_path, pid=_dead_pid())
    with acquire(tmp_path, "run-next", timeout=0) as lock:
        assert lock.took_over.run_id == "r-old"


def test_a_live_pid_without_flock_is_respected(tmp_path):
    _write_lock(tmp_path)  # this process, alive, on a filesystem without flock
    with pytest.raises(OutputLocked, match="run r-old"):
        acquire(tmp_path, "run-next", timeout=0)


def test_a_reused_pid_or_a_reboot_is_not_the_holder(tmp_path):
    _write_lock(tmp_path, pid_start="1")  # our pid, but a process started at another time
    with acquire(tmp_path, "a", timeout=0) as lock:
        assert lock.took_over.run_id == "r-old"
    _write_lock(tmp_path, boot_id="another-boot")
    with acquire(tmp_path, "b", timeout=0) as lock:
        assert lock.took_over.run_id == "r-old"


def test_another_hosts_lock_is_kept_unless_its_heartbeat_is_old(tmp_path):
    path = _write_lock(tmp_path, host="elsewhere.example", pid=1)
    old = time.time() - 3600
    os.utime(path, (old, old))
    with pytest.raises(OutputLocked, match=r"host elsewhere\.example"):
        acquire(tmp_path, "r", timeout=0)  # default: never
    with pytest.raises(OutputLocked):
        acquire(tmp_path, "r", timeout=0, other_host_stale_seconds=7200)  # not that old
    with acquire(tmp_path, "r", timeout=0, other_host_stale_seconds=600) as lock:
        assert lock.took_over.host == "elsewhere.example"


def test_the_holder_renews_its_heartbeat(tmp_path, monkeypatch):
    monkeypatch.setattr(run_lock, "HEARTBEAT_SECONDS", 0.05)
    with acquire(tmp_path, "r") as lock:
        old = time.time() - 3600
        os.utime(lock.path, (old, old))
        time.sleep(0.3)
        assert time.time() - lock.path.stat().st_mtime < 60


def test_a_lock_file_being_written_is_live_then_stale_when_abandoned(tmp_path):
    path = tmp_path / LOCK_NAME
    path.write_text("")  # a creator between O_EXCL and writing
    with pytest.raises(OutputLocked, match="being written"):
        acquire(tmp_path, "r", timeout=0)
    old = time.time() - 3600
    os.utime(path, (old, old))
    with acquire(tmp_path, "r", timeout=0) as lock:
        assert lock.holder.run_id == "r"


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_the_lock_is_released_on_every_way_out(tmp_path, error):
    with pytest.raises(error), hold(tmp_path, "r"):
        assert (tmp_path / LOCK_NAME).exists()
        raise error
    assert not (tmp_path / LOCK_NAME).exists()
    acquire(tmp_path, "again", timeout=0).release()


def test_an_inner_hold_uses_the_outer_lock(tmp_path):
    with hold(tmp_path, "outer") as outer:
        with hold(tmp_path, "inner") as inner:
            assert inner is outer and inner.holder.run_id == "outer"
        assert (tmp_path / LOCK_NAME).exists()  # the inner block does not release it
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_lock_taken_over_wrongly_is_not_deleted_by_its_old_holder(tmp_path):
    lock = acquire(tmp_path, "first")
    (tmp_path / LOCK_NAME).unlink()  # someone judged it stale (a wrong other-host setting)
    with acquire(tmp_path, "second", timeout=0):
        lock.release()
        assert current_holder(tmp_path).run_id == "second"


def test_threads_racing_for_the_lock_hold_it_one_at_a_time(tmp_path):
    inside, most, errors = [0], [0], []
    guard = threading.Lock()

    def run(i: int) -> None:
        try:
            with acquire(tmp_path, f"t{i}", timeout=60, poll_seconds=0.01):
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.02)
                with guard:
                    inside[0] -= 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert most[0] == 1
    assert not (tmp_path / LOCK_NAME).exists()
