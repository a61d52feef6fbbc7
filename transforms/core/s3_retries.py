"""S3 retries beyond what the libraries' settings give: a cap on botocore's backoff, and
reads from pyarrow's S3 filesystem that survive a throttled ranged GET.

botocore (s3fs) waits up to 20 s between attempts (random * 2**attempt s); the storage option
`retry_max_backoff` caps that wait (`bound_backoff`), and with `retry_attempts` bounds what an
unreachable endpoint costs before the run fails in one line (docs/operations_faults.md).

pyarrow's S3 client (the AWS SDK for C++) writes the body of every response into the buffer
of the read, which is sized to the requested range. A 503 SlowDown's XML body (80-300 bytes)
does not fit the buffer of a small ranged read (a Parquet footer, a small column chunk): the
stream goes bad and the SDK reports `INTERNAL_FAILURE ... Failed to flush response stream`,
an error its own retry strategy treats as final. Under moderate throttling a run then fails
on one read that a second attempt would have served (issue 33; the same SDK behaviour is
described in apache/doris#66557).

`retrying_s3` wraps the S3FileSystem in a `PyFileSystem` whose input files retry such a read
with a short, capped, jittered backoff. Everything else (listings, HEAD, writes, copies) goes
straight to the wrapped filesystem, whose own retry strategy handles it (their error bodies
go to an unbounded stream), and writes keep the native output stream.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs

# texts of a failed read that a new attempt may serve: the overflowed error body, throttling,
# a 5xx, a dropped connection (a missing key or a denied request is final)
TRANSIENT = (
    "Failed to flush response stream",
    "SLOW_DOWN",
    "SlowDown",
    "THROTTLING",
    "SERVICE_UNAVAILABLE",
    "NETWORK_CONNECTION",
    "Reduce your request rate",
)
BACKOFF_BASE_SECONDS = 0.1  # first wait at most this; doubled each attempt, capped below
BOTOCORE_CAP_SECONDS = 20.0  # botocore's own cap


def bound_backoff(fs: Any, seconds: float) -> None:
    """Cap the wait between attempts of the s3fs filesystem `fs`'s client at `seconds`.

    botocore offers no setting for it: the client is made now (s3fs makes it lazily, without a
    request) and the backoff of the retry handler botocore registered on it is changed. If a
    botocore release moves that handler, the cap is not applied (botocore's own, 20 s, holds)."""
    if seconds >= BOTOCORE_CAP_SECONDS:
        return
    client = fs.connect()
    handlers = getattr(client.meta.events, "_emitter", client.meta.events)
    found = getattr(handlers, "_unique_id_handlers", {}).get("retry-config-s3")
    handler = getattr(found and found.get("handler"), "__self__", None)
    backoff = getattr(getattr(handler, "_retry_policy", None), "_retry_backoff", None)
    if backoff is not None and hasattr(backoff, "_max_backoff"):
        backoff._max_backoff = seconds


def is_transient(exc: BaseException) -> bool:
    """Whether a failed S3 read is worth another attempt."""
    return isinstance(exc, OSError) and any(text in str(exc) for text in TRANSIENT)


def backoff(attempt: int, cap: float) -> float:
    """Seconds to wait before attempt `attempt` + 1 (full jitter, as the AWS SDKs do)."""
    return random.random() * min(cap, BACKOFF_BASE_SECONDS * 2**attempt)


def retrying_s3(fs: pafs.FileSystem, attempts: int, cap: float) -> pafs.FileSystem:
    """`fs` with its input files retrying a transient read up to `attempts` times."""
    return pafs.PyFileSystem(RetryingReads(fs, attempts, cap))


class RetryingReads(pafs.FileSystemHandler):
    """A FileSystemHandler delegating to `fs`; its input files retry transient reads."""

    def __init__(self, fs: pafs.FileSystem, attempts: int, cap: float) -> None:
        self.fs, self.attempts, self.cap = fs, max(1, attempts), cap

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RetryingReads) and self.fs.equals(other.fs)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __reduce__(self):
        return RetryingReads, (self.fs, self.attempts, self.cap)

    def get_type_name(self) -> str:
        return f"retrying-{self.fs.type_name}"

    def normalize_path(self, path: str) -> str:
        return self.fs.normalize_path(path)

    def get_file_info(self, paths: list[str]) -> list[pafs.FileInfo]:
        return self.fs.get_file_info(paths)

    def get_file_info_selector(self, selector: pafs.FileSelector) -> list[pafs.FileInfo]:
        return self.fs.get_file_info(selector)

    def create_dir(self, path: str, recursive: bool) -> None:
        self.fs.create_dir(path, recursive=recursive)

    def delete_dir(self, path: str) -> None:
        self.fs.delete_dir(path)

    def delete_dir_contents(self, path: str, missing_dir_ok: bool = False) -> None:
        self.fs.delete_dir_contents(path, missing_dir_ok=missing_dir_ok)

    def delete_root_dir_contents(self) -> None:
        self.fs.delete_dir_contents("/", accept_root_dir=True)

    def delete_file(self, path: str) -> None:
        self.fs.delete_file(path)

    def move(self, src: str, dest: str) -> None:
        self.fs.move(src, dest)

    def copy_file(self, src: str, dest: str) -> None:
        self.fs.copy_file(src, dest)

    def open_input_stream(self, path: str) -> pa.NativeFile:
        return self.open_input_file(path)

    def open_input_file(self, path: str) -> pa.NativeFile:
        return pa.PythonFile(_RetryingFile(self, path), mode="r")

    def open_output_stream(self, path: str, metadata: Any = None) -> pa.NativeFile:
        return self.fs.open_output_stream(path, metadata=metadata)

    def open_append_stream(self, path: str, metadata: Any = None) -> pa.NativeFile:
        return self.fs.open_append_stream(path, metadata=metadata)


class _RetryingFile:
    """A readable, seekable file over one S3 object; each read is a ranged read retried."""

    def __init__(self, handler: RetryingReads, path: str) -> None:
        self._handler, self._path = handler, path
        self._file = self._call(lambda: handler.fs.open_input_file(path))
        self._size = self._file.size()
        self._pos = 0
        self.closed = False

    def _call(self, read):
        attempts = self._handler.attempts
        for attempt in range(attempts):
            try:
                return read()
            except OSError as exc:
                if attempt == attempts - 1 or not is_transient(exc):
                    raise
                time.sleep(backoff(attempt, self._handler.cap))
        raise AssertionError("unreachable")

    def read(self, nbytes: int | None = None) -> bytes:
        left = self._size - self._pos
        n = left if nbytes is None or nbytes < 0 else min(nbytes, left)
        if n <= 0:
            return b""
        data = self._call(lambda: self._file.read_at(n, self._pos))
        self._pos += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._size}[whence]
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            self.closed = True
