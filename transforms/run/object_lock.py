"""OUTPUT's lock on an object store: a conditional PUT where a local OUTPUT has O_EXCL.

The lock is the object `OUTPUT/_run.lock`, holding the same JSON as a local lock file
(`transforms.run.lock.Holder`: run id, host, pid, start times, boot id; `flock` false). S3's
conditional writes give the three atomic steps the protocol needs, each decided by the store
for one winner:

- take: PutObject with `If-None-Match: *` (fails with 412 when the object exists);
- take over a stale lock: PutObject with `If-Match: <the stale lock's ETag>` (of two runs that
  both judged it stale, only the first write matches; the other sees 412 and looks again);
- renew (heartbeat, every HEARTBEAT_SECONDS) and release: PutObject / DeleteObject with
  `If-Match: <our ETag>`, so a holder whose lock was taken over never renews or deletes the
  new holder's lock.

Staleness is `holder_is_dead`, the local rule: on this host the holder's pid (and start time,
boot id) tells; another host's lock only once its heartbeat, the object's LastModified, is
`run.lock_other_host_stale_seconds` old (never by default). A lock object that does not parse
is stale once EMPTY_GRACE_SECONDS old (a PUT is atomic: it is not being written).

AWS S3 has supported these conditions since 2024 (If-None-Match in August, If-Match in
November); moto's server mode implements them, and the tests run against it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import asdict, replace

from transforms.core.storage import StorageLocation
from transforms.run.lock import (
    EMPTY_GRACE_SECONDS,
    LOCK_NAME,
    STALL_SECONDS,
    Holder,
    LockUnavailable,
    OutputLocked,
    Progress,
    _parse,
    beat_seconds,
    end_hung,
    holder_is_dead,
    is_hung,
    register,
    this_holder,
    unregister,
)

# the store's answers that mean "your condition did not hold" (409: a concurrent conditional
# write to the same key is in progress on AWS; try again)
_CONDITION_FAILED = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict", "409"})
_MISSING = frozenset({"NoSuchKey", "404"})
# a store that does not know a conditional delete (S3-compatible stores vary)
_UNSUPPORTED = frozenset({"NotImplemented", "501", "InvalidArgument", "InvalidRequest"})


def _code(exc: BaseException) -> str | None:
    """The S3 error code behind an s3fs exception (it keeps the botocore error as cause)."""
    response = getattr(exc.__cause__, "response", None) or getattr(exc, "response", None)
    return (response or {}).get("Error", {}).get("Code")


class _Object:
    """The lock object's key and the three conditional calls on it."""

    def __init__(self, output: StorageLocation) -> None:
        self.location = output.join(LOCK_NAME)
        self.fs = output.filesystem()
        self.bucket, self.key, _ = self.fs.split_path(self.location.path)

    def put(self, body: bytes, **condition: str) -> str | None:
        """PutObject under `condition` (IfNoneMatch / IfMatch): the new ETag, None when the
        condition did not hold."""
        try:
            done = self.fs.call_s3(
                "put_object", Bucket=self.bucket, Key=self.key, Body=body, **condition
            )
        except OSError as exc:
            if isinstance(exc, FileExistsError) or _code(exc) in _CONDITION_FAILED:
                return None
            raise
        return done["ETag"]

    def get(self) -> tuple[bytes, str, float] | None:
        """(body, ETag, LastModified epoch seconds), or None when there is no lock."""
        from fsspec.asyn import sync

        async def get() -> tuple[bytes, str, float]:
            # body and ETag from one response: a takeover must judge the version it replaces
            got = await self.fs._call_s3("get_object", Bucket=self.bucket, Key=self.key)
            async with got["Body"] as stream:
                body = await stream.read()
            return body, got["ETag"], got["LastModified"].timestamp()

        try:
            return sync(self.fs.loop, get)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if _code(exc) in _MISSING:
                return None
            raise

    def delete(self, etag: str) -> None:
        """DeleteObject if it is still the version `etag` (someone else's lock is kept)."""
        with contextlib.suppress(FileNotFoundError):
            try:
                self.fs.call_s3("delete_object", Bucket=self.bucket, Key=self.key, IfMatch=etag)
            except OSError as exc:
                code = _code(exc)
                if code in _CONDITION_FAILED | _MISSING:
                    return
                if code not in _UNSUPPORTED:
                    raise
                # a store without conditional deletes: look, then delete (a takeover in the
                # moment between the two is the only window left)
                found = self.get()
                if found is not None and found[1] == etag:
                    self.fs.call_s3("delete_object", Bucket=self.bucket, Key=self.key)


class ObjectLock:
    """The lock on an object-store OUTPUT, held by this process (see the module docstring).
    Same interface as `transforms.run.lock.OutputLock`."""

    def __init__(self, obj: _Object, etag: str, holder: Holder, took_over: Holder | None):
        self._obj, self._etag = obj, etag
        self.path = obj.location.display()
        self.holder, self.took_over = holder, took_over
        self._body = json.dumps(asdict(holder)).encode()
        self._mutex = threading.Lock()
        self.progress = Progress(holder.stall_seconds)
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="run-lock", daemon=True)
        self._beat.start()
        register(self)

    @property
    def held(self) -> bool:
        return self._etag is not None

    def _heartbeat(self) -> None:
        # LastModified says the holder's run advances: rewrite the object, only while it does
        while not self._stop.wait(beat_seconds(self.holder)):
            if not self.progress.recent():
                continue
            with self._mutex, contextlib.suppress(OSError):
                if self._etag is None:
                    return
                etag = self._obj.put(self._body, IfMatch=self._etag)
                if etag is None:  # taken over by another run: it is theirs now
                    self._etag = None
                    return
                self._etag = etag

    def renew(self) -> None:
        """One heartbeat now (tests; the thread renews every HEARTBEAT_SECONDS)."""
        with self._mutex:
            if self._etag is not None:
                self._etag = self._obj.put(self._body, IfMatch=self._etag)

    def release(self) -> None:
        """Delete the lock object if it is still ours. Idempotent."""
        unregister(self)
        self._stop.set()
        if self._beat is not threading.current_thread():
            self._beat.join()
        with self._mutex:
            if self._etag is not None:
                self._obj.delete(self._etag)
                self._etag = None

    def __enter__(self) -> ObjectLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire_object(
    output: StorageLocation,
    run_id: str,
    timeout: float | None = 0.0,
    other_host_stale_seconds: float = 0.0,
    poll_seconds: float = 0.5,
    stall_seconds: float | None = STALL_SECONDS,
) -> ObjectLock:
    """Take an object-store OUTPUT's lock for `run_id`, taking over a stale one; wait up to
    `timeout` seconds (None: for ever) while a live run holds it, then raise OutputLocked."""
    try:
        return _acquire(
            output, run_id, timeout, other_host_stale_seconds, poll_seconds, stall_seconds
        )
    except OSError as exc:  # the store refused a request: one line, not a traceback
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        where = output.join(LOCK_NAME).display()
        raise LockUnavailable(f"cannot take OUTPUT's lock {where}: {reason}") from exc


def _acquire(
    output: StorageLocation,
    run_id: str,
    timeout: float | None,
    other_host_stale_seconds: float,
    poll_seconds: float,
    stall_seconds: float | None,
) -> ObjectLock:
    obj = _Object(output)
    holder = replace(this_holder(run_id, stall_seconds), flock=False)
    body = json.dumps(asdict(holder)).encode()
    deadline = None if timeout is None else time.monotonic() + timeout
    took_over: Holder | None = None
    while True:
        etag = obj.put(body, IfNoneMatch="*")
        if etag is not None:
            return ObjectLock(obj, etag, holder, took_over)
        found = obj.get()
        if found is None:
            continue  # released meanwhile: try again
        current, dead = _judge(found, other_host_stale_seconds)
        if not dead and current is not None and is_hung(current, found[2]):
            dead = end_hung(current)  # a hung holder on this host: ended first
        if dead:
            etag = obj.put(body, IfMatch=found[1])
            if etag is not None:
                return ObjectLock(obj, etag, holder, current or took_over)
            continue  # another run took it over first: look again
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise OutputLocked(obj.location.display(), current, output.display())
        time.sleep(poll_seconds if left is None else min(poll_seconds, left))


def object_holder(output: StorageLocation, other_host_stale_seconds: float = 0.0) -> Holder | None:
    """The live run holding an object-store OUTPUT's lock, or None (none, or stale)."""
    found = _Object(output).get()
    if found is None:
        return None
    holder, dead = _judge(found, other_host_stale_seconds)
    return None if dead or (holder and is_hung(holder, found[2])) else holder


def _judge(found: tuple[bytes, str, float], other_host_stale_seconds: float):
    """(holder, dead) of a lock object (body, etag, last modified)."""
    body, _, modified = found
    holder = _parse(body)
    if holder is None:
        return None, time.time() - modified > EMPTY_GRACE_SECONDS
    return holder, holder_is_dead(holder, False, modified, other_host_stale_seconds)
