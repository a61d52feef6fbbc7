"""The lock's heartbeat proves progress: a run that hangs (alive, its lock held, advancing no
more) has its lock taken over by the next run, which ends it and its workers first
(transforms/run/lock.py, transforms/run/liveness.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from transforms.run.liveness import pid_alive
from transforms.run.lock import (
    OutputLocked,
    acquire,
    beat_seconds,
    holder_is_dead,
    is_hung,
    this_holder,
)

REPO = Path(__file__).resolve().parents[3]
# a run that advances for `advancing` seconds (a progress note every 0.1 s), then hangs: it
# stays alive, holds its lock and a worker process, and never advances again
RUN = """
import subprocess, sys, time
from pathlib import Path
from transforms.run.lock import acquire, note_progress
lock = acquire(Path(sys.argv[1]), "r-hung", stall_seconds=float(sys.argv[2]))
worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(worker.pid, flush=True)
end = time.monotonic() + float(sys.argv[3])
while time.monotonic() < end:
    note_progress()
    time.sleep(0.1)
time.sleep(600)
"""


def _run(output: Path, stall: float, advancing: float) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, str(output), str(stall), str(advancing)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    return proc, int(proc.stdout.readline())


def test_a_hung_run_is_ended_and_its_lock_taken_over(tmp_path):
    proc, worker = _run(tmp_path, stall=1.0, advancing=2.0)
    try:
        with pytest.raises(OutputLocked, match="r-hung"):
            acquire(tmp_path, "r-next", timeout=1.5)  # advancing: live, however long we wait
        start = time.monotonic()
        with acquire(tmp_path, "r-next", timeout=30, poll_seconds=0.2) as lock:
            waited = time.monotonic() - start
            assert lock.took_over.run_id == "r-hung"
        assert proc.wait(timeout=10) == -9  # ended before its lock was taken
        assert not pid_alive(worker, None)  # and its worker with it
        # hung at ~2 s; taken over between 1 and 2 stall periods (+ a poll) later
        assert waited < 2 * 1.0 + 1.5
    finally:
        for pid in (proc.pid, worker):
            if pid_alive(pid, None):
                os.kill(pid, 9)
        proc.wait()


def test_a_run_that_keeps_advancing_keeps_its_lock(tmp_path):
    proc, worker = _run(tmp_path, stall=0.5, advancing=60)
    try:
        with pytest.raises(OutputLocked, match="r-hung"):
            acquire(tmp_path, "r-next", timeout=3, poll_seconds=0.2)  # 6 stall periods
        assert proc.poll() is None
    finally:
        os.kill(worker, 9)
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    ("stall", "age", "hung"),
    [(None, 10**6, False), (60.0, 30, False), (60.0, 61, True), (1.0, 2, True)],
)
def test_a_holder_is_hung_once_its_heartbeat_is_older_than_its_stall_period(stall, age, hung):
    holder = this_holder("r", stall_seconds=stall)  # this process: alive
    assert is_hung(holder, time.time() - age) is hung
    assert not holder_is_dead(holder, False, time.time() - age, 0.0)  # alive: hung is apart
    elsewhere = replace(holder, host="elsewhere.example")  # no one here can end that run
    assert not is_hung(elsewhere, time.time() - age)


@pytest.mark.parametrize(("stall", "beat"), [(None, 15.0), (900.0, 15.0), (2.0, 0.5)])
def test_a_holder_beats_often_enough_never_to_look_hung_while_advancing(stall, beat):
    assert beat_seconds(this_holder("r", stall_seconds=stall)) == beat
