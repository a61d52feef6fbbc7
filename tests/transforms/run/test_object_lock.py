"""OUTPUT's lock on an object store (conditional PUTs), against moto's S3 server.

Holders are real processes (a child Python holding the lock) or real threads, never mocks; the
store is a real HTTP endpoint (tests/s3_fixtures.py), which decides the conditional writes.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from transforms.core.storage import resolve_location
from transforms.run import object_lock
from transforms.run.lock import (
    LOCK_NAME,
    LockUnavailable,
    OutputLocked,
    acquire,
    current_holder,
    hold,
    this_holder,
)

REPO = Path(__file__).resolve().parents[3]
CHILD = """
import sys, time
from transforms.core.storage import resolve_location
from transforms.run.lock import acquire
lock = acquire(resolve_location(sys.argv[1]), sys.argv[2])
print("held", flush=True)
time.sleep(float(sys.argv[3]))
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def output(s3_bucket):
    return resolve_location(f"s3://{s3_bucket}/out")


def _holding_child(url: str, run_id: str, seconds: float) -> subprocess.Popen[str]:
    """A child process (the test's AWS environment) holding the lock for `seconds`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, run_id, str(seconds)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def _put_lock(output, body: bytes) -> None:
    output.filesystem().pipe_file(output.join(LOCK_NAME).path, body)


def _holder_body(**fields) -> bytes:
    return json.dumps(asdict(replace(this_holder("r-old"), flock=False, **fields))).encode()


def test_a_second_run_is_refused_with_one_line_naming_the_holder(output):
    child = _holding_child(output.url, "run-one", 30)
    try:
        with pytest.raises(OutputLocked) as refused:
            acquire(output, "run-two")
        message = str(refused.value)
        assert "\n" not in message
        assert f"in use by run run-one (host {this_holder('x').host}, pid {child.pid}" in message
        assert f"lock: {output.url}/{LOCK_NAME}" in message
        assert current_holder(output).run_id == "run-one"
    finally:
        child.kill()
        child.wait()


def test_a_waiting_run_gets_the_lock_when_the_holder_releases_it(output):
    child = _holding_child(output.url, "run-one", 1.5)
    t0 = time.monotonic()
    with hold(output, "run-two", timeout=60) as lock:
        assert lock.holder.run_id == "run-two"
        assert lock.took_over is None  # released, not taken over
        assert time.monotonic() - t0 > 0.5
    assert child.wait(10) == 0
    assert not output.filesystem().exists(output.join(LOCK_NAME).path)


def test_a_timeout_gives_up_with_the_refusal(output):
    child = _holding_child(output.url, "run-one", 30)
    try:
        t0 = time.monotonic()
        with pytest.raises(OutputLocked, match="run run-one"):
            acquire(output, "run-two", timeout=1.0)
        assert 0.9 < time.monotonic() - t0 < 10
    finally:
        child.kill()
        child.wait()


def test_a_killed_holder_leaves_a_lock_the_next_run_takes_over(output):
    child = _holding_child(output.url, "run-killed", 60)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert current_holder(output) is None  # stale: its pid is gone
    with hold(output, "run-next") as lock:
        assert lock.took_over.run_id == "run-killed"
        assert current_holder(output).run_id == "run-next"


def test_another_hosts_lock_is_kept_unless_its_heartbeat_is_old(output):
    _put_lock(output, _holder_body(host="elsewhere.example", pid=1))
    with pytest.raises(OutputLocked, match=r"host elsewhere\.example"):
        acquire(output, "run-two")
    with pytest.raises(OutputLocked):
        acquire(output, "run-two", other_host_stale_seconds=600)
    time.sleep(2.1)  # the object's LastModified (second precision) is now > 1 s old
    with hold(output, "run-two", other_host_stale_seconds=1) as lock:
        assert lock.took_over.host == "elsewhere.example"


def test_the_holder_renews_its_heartbeat(output):
    fs, key = output.filesystem(), output.join(LOCK_NAME).path
    with hold(output, "run-one") as lock:
        before = fs.info(key)["LastModified"]
        time.sleep(1.1)
        lock.renew()
        fs.invalidate_cache()
        assert fs.info(key)["LastModified"] > before
        assert current_holder(output).run_id == "run-one"


def test_a_lock_taken_over_wrongly_is_not_deleted_by_its_old_holder(output):
    lock = acquire(output, "run-one")
    _put_lock(output, _holder_body(run_id="run-other"))  # someone judged it stale
    lock.renew()  # a heartbeat finds the lock is no longer ours ...
    lock.release()  # ... and the release leaves the new holder's lock
    assert current_holder(output).run_id == "run-other"


def test_an_unparsable_lock_object_is_live_then_stale(output, monkeypatch):
    _put_lock(output, b"")
    with pytest.raises(OutputLocked, match="being written"):
        acquire(output, "run-two")
    monkeypatch.setattr(object_lock, "EMPTY_GRACE_SECONDS", 0.0)
    time.sleep(1.1)
    with hold(output, "run-two") as lock:
        assert lock.holder.run_id == "run-two"


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_the_lock_is_released_on_every_way_out(output, error):
    with pytest.raises(error), hold(output, "run-one"):
        raise error()
    assert current_holder(output) is None
    assert not output.filesystem().exists(output.join(LOCK_NAME).path)


def test_threads_racing_for_the_lock_hold_it_one_at_a_time(output):
    inside, overlaps, done = [0], [], []

    def run(i: int) -> None:
        lock = acquire(output, f"run-{i}", timeout=60, poll_seconds=0.05)
        try:
            inside[0] += 1
            overlaps.append(inside[0])
            time.sleep(0.05)
            inside[0] -= 1
        finally:
            lock.release()
            done.append(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(done) == [0, 1, 2, 3]
    assert max(overlaps) == 1


def test_a_store_that_refuses_the_lock_request_is_one_line(s3_env):
    """A request the store refuses (here: no such bucket; in production, credentials that may
    read but not write) is LockUnavailable with one line, not a traceback (the CLI: exit 1)."""
    where = resolve_location("s3://no-such-bucket-for-the-lock/out")
    with pytest.raises(LockUnavailable, match=r"^cannot take OUTPUT's lock s3://no-such") as info:
        acquire(where, "run-one")
    assert "\n" not in str(info.value)
