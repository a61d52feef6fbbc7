"""One OUTPUT, one writer: a lock file held by a run from before its recovery to its exit.

`OUTPUT/_run.lock` (a "_" name: dataset readers skip it) is created with O_CREAT|O_EXCL, which
only one process can win, also on a shared filesystem, and holds JSON naming its holder: run
id, host, pid, start time, the pid's own start time and the boot id (so a reused pid or a
reboot is not mistaken for the holder). Where the platform has it, the holder also keeps an
exclusive `flock` on the file for its whole life: the kernel drops it when the process dies,
even on SIGKILL, which tells a dead holder from a live one without trusting pids.

Stale-lock rule (`holder_is_dead`):
- same host: the holder is dead when its pid is gone (or is another process now, or the host
  rebooted since), or when it held a flock that can now be taken;
- another host: never by default; with `other_host_stale_seconds` > 0, once the lock file's
  heartbeat (its mtime, renewed every HEARTBEAT_SECONDS by the holder) is that old;
- any host: the holder is hung when its heartbeat is older than its `stall_seconds` (written in
  the lock, `run.lock_stall_seconds`). The heartbeat proves progress, not a living process: the
  holder renews it only while its run advances (`note_progress`: a phase begins or ends, a shard
  finishes) and stops `stall_seconds` after the last advance, so a hung run's heartbeat is that
  old between `stall_seconds` and twice it after its last progress. A hung holder on this host
  is killed with its child processes (`end_hung`) before its lock is taken over (two writers
  never share OUTPUT); on another host it is taken over only by the rule above.
A stale lock is removed and the acquisition tried again (O_EXCL decides between two runs that
both found it stale).

On an object store (`s3://`), where there is no O_EXCL and no flock, the same rule is kept with
conditional PUTs (`transforms.run.object_lock`).

The holder removes the file when it leaves the `with` block, whatever the way out
(an exception, KeyboardInterrupt); a killed holder leaves it behind, stale by the rule above.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from transforms.core.config import RunSettings
from transforms.core.storage import StorageLocation
from transforms.run.liveness import boot_id, end_process_tree, pid_alive, pid_start

try:
    import fcntl
except ImportError:  # Windows has no fcntl: the pid rule alone decides there
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "_run.lock"
HEARTBEAT_SECONDS = 15.0
STALL_SECONDS = 900.0  # run.lock_stall_seconds' default
# a lock file still empty this long after its creation belongs to a creator that died between
# creating and writing it (the creator writes within microseconds, holding its flock)
EMPTY_GRACE_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds an OUTPUT lock, as written in the lock file."""

    run_id: str
    host: str
    pid: int
    started_at: str
    pid_start: str | None = None  # /proc/<pid>/stat start time: tells a reused pid
    boot_id: str | None = None  # /proc/sys/kernel/random/boot_id: tells a reboot
    flock: bool = False  # the holder keeps a flock on the file
    stall_seconds: float | None = None  # hung once the heartbeat is this old (None: never)

    def describe(self) -> str:
        return f"run {self.run_id} (host {self.host}, pid {self.pid}, since {self.started_at})"


class OutputLocked(RuntimeError):
    """Another live run holds OUTPUT's lock; the message is one line naming it."""

    def __init__(self, path: Path | str, holder: Holder | None, output: str | None = None):
        self.path, self.holder = path, holder
        who = holder.describe() if holder else "a run whose lock file is being written"
        where = output if output is not None else str(Path(path).parent)
        super().__init__(f"output folder {where!r} is in use by {who}; lock: {path}")


class LockUnavailable(RuntimeError):
    """OUTPUT's lock could not be taken or read at all (an object store that refuses the
    request: access denied, an unreachable endpoint); the message is one line."""


EXIT_LOCKED = 75  # EX_TEMPFAIL: OUTPUT is in use, a scheduler should try again later
# what a command holding OUTPUT's lock (doctor, compact) reports in one line with `exit_code`
LOCK_ERRORS = (OutputLocked, LockUnavailable, OSError)


def exit_code(exc: BaseException) -> int:
    """A command's exit code for one of `LOCK_ERRORS`: 75 while another run holds OUTPUT's
    lock, 1 when the lock cannot be taken (refused credentials) or the work under it failed."""
    return EXIT_LOCKED if isinstance(exc, OutputLocked) else 1


def hold_output(
    output: Path | StorageLocation, run_id: str, wait: float | None, run: RunSettings
) -> contextlib.AbstractContextManager[OutputLock]:
    """`hold` with the run settings' periods (`run.lock_other_host_stale_seconds`,
    `run.lock_stall_seconds`): how a run, a compaction and the doctor take OUTPUT's lock."""
    stale, stall = run.lock_other_host_stale_seconds, run.lock_stall_seconds
    return hold(output, run_id, wait, stale, stall_seconds=stall)


def this_holder(run_id: str, stall_seconds: float | None = STALL_SECONDS) -> Holder:
    """The Holder record of this process for a run `run_id`."""
    pid = os.getpid()
    return Holder(
        run_id=run_id,
        host=socket.gethostname(),
        pid=pid,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        pid_start=pid_start(pid),
        boot_id=boot_id(),
        flock=fcntl is not None,
        stall_seconds=stall_seconds,
    )


def beat_seconds(holder: Holder) -> float:
    """How often a holder renews its heartbeat: HEARTBEAT_SECONDS, or a quarter of a shorter
    stall period (so that a run making progress is never judged hung)."""
    if holder.stall_seconds is None:
        return HEARTBEAT_SECONDS
    return min(HEARTBEAT_SECONDS, holder.stall_seconds / 4)


class Progress:
    """When a lock holder's run last advanced, and whether its heartbeat may still be renewed."""

    def __init__(self, stall_seconds: float | None) -> None:
        self.stall_seconds = stall_seconds
        self.last = time.monotonic()

    def advanced(self) -> None:
        self.last = time.monotonic()

    def recent(self) -> bool:
        """True while the last advance is under `stall_seconds` old."""
        return self.stall_seconds is None or time.monotonic() - self.last < self.stall_seconds


_ACTIVE: set = set()  # the locks this process holds (OutputLock, ObjectLock)
_ACTIVE_MUTEX = threading.Lock()


def note_progress() -> None:
    """This process's run advanced (a phase began or ended, a shard finished): the locks it
    holds may renew their heartbeat for another `stall_seconds`."""
    with _ACTIVE_MUTEX:
        for lock in _ACTIVE:
            lock.progress.advanced()


def register(lock: object) -> None:
    with _ACTIVE_MUTEX:
        _ACTIVE.add(lock)


def unregister(lock: object) -> None:
    with _ACTIVE_MUTEX:
        _ACTIVE.discard(lock)


class OutputLock:
    """The lock on one OUTPUT folder, held by this process (see the module docstring)."""

    def __init__(self, path: Path, fd: int, holder: Holder, took_over: Holder | None):
        self.path, self.holder, self.took_over = path, holder, took_over
        self._fd: int | None = fd
        self.progress = Progress(holder.stall_seconds)
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="run-lock", daemon=True)
        self._beat.start()
        register(self)

    @property
    def held(self) -> bool:
        """Whether this process still holds it (not released)."""
        return self._fd is not None

    def _heartbeat(self) -> None:
        # the mtime says the holder's run advances (to a run on another host also that it
        # lives: no pid to check there); no renewal once it has not advanced for stall_seconds
        while not self._stop.wait(beat_seconds(self.holder)):
            if not self.progress.recent():
                continue
            with contextlib.suppress(OSError, TypeError):
                os.utime(self._fd if os.utime in os.supports_fd else self.path)

    def release(self) -> None:
        """Remove the lock file (only if it is still ours) and drop the flock. Idempotent."""
        if self._fd is None:
            return
        unregister(self)
        self._stop.set()
        self._beat.join()  # no heartbeat on a closed (or reused) descriptor
        try:
            # someone may have removed a lock they judged stale: never delete their new one
            if _same_file(self.path, self._fd):
                self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)  # drops the flock
            self._fd = None

    def __enter__(self) -> OutputLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(
    output: Path | StorageLocation,
    run_id: str,
    timeout: float | None = 0.0,
    other_host_stale_seconds: float = 0.0,
    poll_seconds: float = 0.5,
    stall_seconds: float | None = STALL_SECONDS,
) -> OutputLock:
    """Take OUTPUT's lock for `run_id`, removing a stale one; wait up to `timeout` seconds
    (None: for ever) while a live run holds it, then raise OutputLocked naming that run.
    An object-store OUTPUT takes its lock by conditional PUTs (`transforms.run.object_lock`).
    `stall_seconds`: this run's lock is hung after that long without progress."""
    if isinstance(output, StorageLocation):
        if not output.is_local:
            from transforms.run.object_lock import acquire_object

            return acquire_object(  # type: ignore[return-value]
                output, run_id, timeout, other_host_stale_seconds, poll_seconds, stall_seconds
            )
        output = Path(output.url)
    path = Path(output) / LOCK_NAME
    deadline = None if timeout is None else time.monotonic() + timeout
    took_over: Holder | None = None
    while True:
        lock = _try_create(path, this_holder(run_id, stall_seconds), took_over)
        if lock is not None:
            return lock
        holder, dead = _inspect(path, other_host_stale_seconds)
        if dead:
            took_over = holder or took_over
            continue
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise OutputLocked(path, holder)
        time.sleep(poll_seconds if left is None else min(poll_seconds, left))


def current_holder(
    output: Path | StorageLocation, other_host_stale_seconds: float = 0.0
) -> Holder | None:
    """The live run holding OUTPUT's lock, or None when there is none (or it is stale).
    Reads only: a stale lock is left for `acquire` to take over."""
    if isinstance(output, StorageLocation):
        if not output.is_local:
            from transforms.run.object_lock import object_holder

            return object_holder(output, other_host_stale_seconds)
        output = Path(output.url)
    path = Path(output) / LOCK_NAME
    if not path.exists():
        return None
    holder, dead = _inspect(path, other_host_stale_seconds, remove=False)
    return None if dead else holder


# The lock this call stack holds, by OUTPUT: lets the CLI take the lock before starting Prefect
# and the flow it then calls use it (a deployment's flow, with nothing held, takes its own).
_HELD: ContextVar[dict[str, OutputLock] | None] = ContextVar("newsclean_run_lock", default=None)


@contextlib.contextmanager
def hold(
    output: Path | StorageLocation,
    run_id: str,
    timeout: float | None = 0.0,
    other_host_stale_seconds: float = 0.0,
    stall_seconds: float | None = STALL_SECONDS,
) -> Iterator[OutputLock]:
    """`acquire` for the block and release at its end; inside an outer `hold` on the same
    OUTPUT (same thread or context), the outer lock is yielded and left to the outer block."""
    if isinstance(output, StorageLocation):
        key = os.path.realpath(output.url) if output.is_local else output.url
    else:
        key = os.path.realpath(output)
    held = _HELD.get() or {}
    if key in held and held[key].held:
        yield held[key]
        return
    lock = acquire(output, run_id, timeout, other_host_stale_seconds, stall_seconds=stall_seconds)
    token = _HELD.set({**held, key: lock})
    try:
        yield lock
    finally:
        _HELD.reset(token)
        lock.release()


def _try_create(path: Path, holder: Holder, took_over: Holder | None) -> OutputLock | None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return None
    try:
        if fcntl is not None:
            try:
                # blocking: only an inspector holds it, and only for the moment of a read
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:  # a filesystem without flock: the pid rule alone decides
                holder = Holder(**{**asdict(holder), "flock": False})
        os.write(fd, json.dumps(asdict(holder)).encode())
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    return OutputLock(path, fd, holder, took_over)


def _inspect(path: Path, other_host_stale_seconds: float, remove: bool = True):
    """(holder, dead) of the lock at `path`; a dead one is removed when `remove`.
    (None, True) when the file vanished meanwhile: try again."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None, True
    try:
        got_flock = _try_flock(fd)
        raw = os.read(fd, 1 << 16)
        stat = os.fstat(fd)
        holder = _parse(raw)
        if holder is None:
            # being written (its creator holds the flock until it has written) or abandoned
            dead = got_flock and time.time() - stat.st_mtime > EMPTY_GRACE_SECONDS
        else:
            dead = holder_is_dead(holder, got_flock, stat.st_mtime, other_host_stale_seconds)
            if not dead and is_hung(holder, stat.st_mtime):
                dead = not remove or end_hung(holder)
        # remove only the file we judged (it may have been replaced since we opened it)
        if dead and remove and _same_file(path, fd):
            path.unlink(missing_ok=True)
        return holder, dead
    finally:
        os.close(fd)  # drops our flock, if we got it


def holder_is_dead(
    holder: Holder, got_flock: bool, heartbeat: float, other_host_stale_seconds: float
) -> bool:
    """The stale-lock rule (module docstring). `got_flock`: an inspector could take the flock
    the holder keeps while alive; `heartbeat`: the lock file's mtime (epoch seconds). A live
    holder may still be hung (`is_hung`): `end_hung` ends it before its lock is taken over."""
    if holder.host != socket.gethostname():
        age = time.time() - heartbeat
        return other_host_stale_seconds > 0 and age > other_host_stale_seconds
    if holder.flock and got_flock:
        return True
    if holder.boot_id and boot_id() and holder.boot_id != boot_id():
        return True
    return not pid_alive(holder.pid, holder.pid_start)


def is_hung(holder: Holder, heartbeat: float) -> bool:
    """A holder on this host whose heartbeat (epoch seconds) is older than its stall period:
    its run has not advanced for at least that long. (Another host's lock goes by
    `other_host_stale_seconds` alone: no one here can end that run.)"""
    stall = holder.stall_seconds
    here = holder.host == socket.gethostname()
    return here and stall is not None and time.time() - heartbeat > stall


def end_hung(holder: Holder) -> bool:
    """End a hung holder (`is_hung`) and its child processes before its lock is taken over;
    True once it is gone. False when it cannot be (another user's process; this process)."""
    if holder.pid == os.getpid():
        return False
    return end_process_tree(holder.pid, holder.pid_start)


def _parse(raw: bytes) -> Holder | None:
    try:
        data = json.loads(raw)
        return Holder(**data)
    except (ValueError, TypeError):
        return None


def _try_flock(fd: int) -> bool:
    if fcntl is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _same_file(path: Path, fd: int) -> bool:
    try:
        a, b = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
