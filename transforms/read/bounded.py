"""Bounded reading: one read of a file, and gzip decompression that cannot exceed a bound.

A gzip bomb (gigabytes of zeros in a few hundred KB) is stopped after `limit` output bytes
without ever holding more: decompression is streamed in 64 KB input chunks with `max_length`.
"""

from __future__ import annotations

import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import xxhash

from transforms.core.config import ReadSettings

GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
# a file modified less than this before it was read may be written again within the same mtime
# tick (coarse filesystem clocks): its mtime is not recorded, so the next run hashes it (as git)
RACY_NS = 2_000_000_000


def gunzip_bounded(data: bytes, limit: int, keep_partial: bool) -> tuple[bytes, str | None, str]:
    """Decompress (multi-member) gzip data, never holding more than `limit` output bytes.

    Returns (bytes, problem, detail); problem is None, "decompressed_too_large",
    "truncated_gzip" or "corrupt_gzip". On a problem the bytes are what was decompressed before
    it when `keep_partial`, else empty (a single document is rejected whole: no copy needed).
    """
    pieces: list[bytes] = []
    total = 0
    view = memoryview(data)
    pos = 0  # start of the current gzip member
    problem, detail = None, ""
    while pos < len(view) and problem is None:
        inflater = zlib.decompressobj(wbits=31)
        offset = pos
        try:
            while offset < len(view) and not inflater.eof:
                take = view[offset : offset + _CHUNK]
                piece = inflater.decompress(take, limit + 1 - total)
                total += len(piece)
                if total > limit:
                    pieces.append(piece[: len(piece) - (total - limit)])
                    problem, detail = "decompressed_too_large", f"over {limit} bytes"
                    break
                pieces.append(piece)
                # max_length may leave input unconsumed: it is fed again on the next turn
                offset += len(take) - len(inflater.unconsumed_tail)
        except zlib.error as exc:
            problem, detail = "corrupt_gzip", str(exc)
        if problem is None and not inflater.eof:
            problem, detail = "truncated_gzip", "the gzip stream ends before its end marker"
        if problem is None:
            pos = offset - len(inflater.unused_data)
            if bytes(view[pos : pos + 3]) != GZIP_MAGIC:
                break  # trailing padding or garbage after the last member: ignored
    if problem is not None and not keep_partial:
        return b"", problem, detail
    return b"".join(pieces), problem, detail


@dataclass(frozen=True, slots=True)
class Loaded:
    """What `load_bytes` read: the (decompressed) bytes, a problem, and the file as read.

    `file_hash` and `size` describe the bytes read from disk, not the file as it was listed: a
    file that changed after discovery, or while it was read, is described by the bytes that
    were actually processed, which is what the ledger must record.
    """

    data: bytes
    problem: str | None
    detail: str
    file_hash: str
    size: int
    # the file's st_mtime_ns when read, when it vouches for these bytes (`trusted_mtime`)
    mtime_ns: int | None = None
    # an object's ETag as read (the reads were conditional on it: it vouches for these bytes)
    etag: str | None = None


def trusted_mtime(before: os.stat_result, after: os.stat_result) -> int | None:
    """The mtime to record for bytes read between two stats of one open file, or None: the
    file changed while it was read, or was modified too recently (`RACY_NS`) to tell a later
    write in the same mtime tick apart."""
    if (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size):
        return None
    if time.time_ns() - before.st_mtime_ns < RACY_NS:
        return None
    return before.st_mtime_ns


def load_bytes(path: Path, gz: bool, keep_partial: bool, settings: ReadSettings) -> Loaded:
    """Read a file once, bounded, and decompress it if it is gzip.

    `problem` is None, "file_too_large" (more than `max_file_bytes` on disk; the bytes are the
    first `max_file_bytes`) or one of `gunzip_bounded`'s problems. A file over the limit is
    rejected whole, so the rest of it is hashed too (streamed, never held) and the ledger knows
    it by all of its bytes.
    """
    digest = xxhash.xxh3_128()
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        data, size = read_bounded(fh, before.st_size, settings.max_file_bytes, digest)
        mtime = trusted_mtime(before, os.fstat(fh.fileno()))
    return decoded(data, size, digest.hexdigest(), gz, keep_partial, settings, mtime_ns=mtime)


def read_bounded(fh: BinaryIO, size_hint: int, limit: int, digest: Any) -> tuple[bytes, int]:
    """(at most limit + 1 bytes from `fh`, its whole size), every byte fed to `digest`: a file
    handle's part of `load_bytes`, shared with object storage (`transforms.read.objects`).

    read(n) allocates n bytes up front: the first read asks for `size_hint` (the listed size),
    not the limit; then on, in chunks up to the limit, in case the file grew since it was
    listed. Past the limit the rest is only hashed (streamed, never held).
    """
    parts: list[bytes] = []
    total = 0
    chunk = fh.read(min(limit, size_hint) + 1)
    while chunk:
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            break
        chunk = fh.read(min(_CHUNK * 16, limit + 1 - total))
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    digest.update(data)
    size = len(data)
    if size > limit:
        size += stream_digest(fh, digest)
    return data, size


def decoded(
    data: bytes,
    size: int,
    file_hash: str,
    gz: bool,
    keep_partial: bool,
    settings: ReadSettings,
    mtime_ns: int | None = None,
    etag: str | None = None,
) -> Loaded:
    """`Loaded` for bytes read by `read_bounded`: cut at `max_file_bytes`, then decompressed
    (bounded) when gzip."""
    limit = settings.max_file_bytes
    problem, detail = None, ""
    if len(data) > limit:
        data, problem, detail = data[:limit], "file_too_large", f"over {limit} bytes"
    if gz or data.startswith(GZIP_MAGIC):
        if problem:  # a cut-off gzip would only report truncation: name the real cause
            return Loaded(b"", problem, detail, file_hash, size, mtime_ns, etag)
        data, problem, detail = gunzip_bounded(data, settings.max_decompressed_bytes, keep_partial)
    return Loaded(data, problem, detail, file_hash, size, mtime_ns, etag)


def stream_digest(fh: BinaryIO, digest: Any) -> int:
    """Feed the rest of `fh` to `digest` in chunks; the number of bytes fed."""
    n = 0
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
        n += len(chunk)
    return n


def load_too_large(path: Path) -> Loaded:
    """A file rejected by its size alone ("file_too_large"): hashed (streamed) for the
    ledger, never held in memory."""
    digest = xxhash.xxh3_128()
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        size = stream_digest(fh, digest)
        mtime = trusted_mtime(before, os.fstat(fh.fileno()))
    return Loaded(b"", "file_too_large", f"{size} bytes", digest.hexdigest(), size, mtime)
