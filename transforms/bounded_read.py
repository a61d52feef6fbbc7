"""Bounded reading: one read of a file, and gzip decompression that cannot exceed a bound.

A gzip bomb (gigabytes of zeros in a few hundred KB) is stopped after `limit` output bytes
without ever holding more: decompression is streamed in 64 KB input chunks with `max_length`.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from transforms.config import PipelineConfig

GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16


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


def load_bytes(
    path: Path, gz: bool, keep_partial: bool, config: PipelineConfig
) -> tuple[bytes, str | None, str]:
    """Read a file once, bounded, and decompress it if it is gzip. (bytes, problem, detail).

    `problem` is None, "file_too_large" (more than `max_file_bytes` on disk; the bytes are the
    first `max_file_bytes`) or one of `gunzip_bounded`'s problems.
    """
    limit = config.max_file_bytes
    with open(path, "rb") as fh:
        # read(n) allocates n bytes up front: ask for the file's size, not the limit
        data = fh.read(min(limit, os.fstat(fh.fileno()).st_size) + 1)
    problem, detail = None, ""
    if len(data) > limit:
        data, problem, detail = data[:limit], "file_too_large", f"over {limit} bytes"
    if gz or data.startswith(GZIP_MAGIC):
        if problem:  # a cut-off gzip would only report truncation: name the real cause
            return b"", problem, detail
        return gunzip_bounded(data, config.max_decompressed_bytes, keep_partial)
    return data, problem, detail
