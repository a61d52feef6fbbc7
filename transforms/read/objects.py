"""INPUT in object storage (`s3://bucket/prefix`, any fsspec filesystem): listing and bounded
reading of objects, the counterpart of the local walk and reads in `transforms.read.files`.

Listing takes each object's size and ETag from the store's listing (one request per 1,000
keys); nothing is read to list. Reading goes through the same bounded loop as a local file
(`bounded.read_bounded`: at most `max_file_bytes` held, the rest hashed streaming, gzip
decompressed with its own bound) and the same readers (JSONL, WARC). An object is opened by
s3fs with a HEAD that gives its ETag, and every ranged GET after it is conditional on that
ETag (If-Match): the bytes read are the ETag's bytes or the read fails (an object rewritten
while it is read is an `unreadable_file` this run, and read again by the next). So the ETag a
read returns vouches for the bytes, as a trusted mtime does for a local file, and the ledger
records it beside the hash (`transforms.run.ledger`).

Local folders never come here: they keep `os.scandir` and `open` (fsspec's local filesystem
would cost a layer of calls on every file for nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xxhash

from transforms.core.config import ReadSettings
from transforms.core.record import Drop
from transforms.core.storage import StorageLocation
from transforms.read.bounded import Loaded, decoded, read_bounded, stream_digest

# the file_hash of an object at a new path, which discovery does not read (its shard does)
NOT_HASHED = ""
# objects hashed at once by discovery (each a stream of GETs: latency-bound, not CPU-bound)
HASH_THREADS = 8
_STREAM_BLOCK = 8 * 1024 * 1024  # read-ahead of a streamed (hashed-only) object


@dataclass(frozen=True, slots=True)
class ListedObject:
    """One object found under INPUT: its path relative to INPUT and what the listing says."""

    rel: str
    key: str  # "bucket/prefix/rel": the filesystem's path
    size: int
    etag: str | None  # None when the store gives none (then it is always hashed)
    modified_ns: int | None  # last modified (ns)


def list_objects(
    location: StorageLocation,
    accepted: Any,
    exclude: StorageLocation | None = None,
) -> tuple[list[ListedObject], list[str]]:
    """(objects whose name `accepted(name)` takes, ignored relative paths), each sorted.

    `exclude` is a prefix left out (OUTPUT inside INPUT). Folder markers (keys ending in "/")
    are no entries. Raises NotADirectoryError when nothing is at `location` (a wrong INPUT is a
    usage error)."""
    fs = location.filesystem()
    root = location.path.rstrip("/")
    if not fs.isdir(root):
        raise NotADirectoryError(f"input folder not found: {location.display()}")
    skip = exclude.path.rstrip("/") + "/" if exclude is not None else None
    found: list[ListedObject] = []
    ignored: list[str] = []
    for key, info in sorted(fs.find(root, detail=True).items()):
        if info.get("type") != "file" or key.endswith("/"):
            continue
        if skip is not None and key.startswith(skip):
            continue
        rel = key[len(root) + 1 :] if key.startswith(root + "/") else key.rpartition("/")[2]
        if not accepted(rel.rpartition("/")[2]):
            ignored.append(rel)
            continue
        found.append(ListedObject(rel, key, int(info.get("size") or 0), _etag(info), _ns(info)))
    return found, ignored


def object_state(etag: str | None, reason: str) -> dict:
    """What identifies an unreadable object's state (`transforms.run.unreadable`): its ETag
    (a rewrite changes it), where a link target would be."""
    return {
        "kind": "object",
        "reason": reason,
        "mtime_ns": None,
        "ctime_ns": None,
        "link_target": etag,
    }


def still_unreadable(state: dict | None, etag: str | None) -> bool:
    """Whether a remembered unreadable state (`object_state`) is the object's current one."""
    return bool(state and etag and state["kind"] == "object" and state["link_target"] == etag)


def lasting(exc: OSError) -> bool:
    """An error that reading again will meet again until the object changes: access denied,
    an archived object (s3fs: PermissionError). A timeout, a 5xx after retries or an object
    rewritten during the read is not remembered: the next run tries again."""
    return isinstance(exc, PermissionError)


def hash_objects(
    location: StorageLocation, objects: Iterable[ListedObject]
) -> list[tuple[ListedObject, tuple[str, int, str | None] | OSError]]:
    """Each object with (hash, size, ETag as read) or the OSError that stopped its read; in
    the order given, several objects read at once."""
    fs = location.filesystem()
    todo = list(objects)

    def one(listed: ListedObject) -> tuple[str, int, str | None] | OSError:
        try:
            return hash_object(fs, listed.key)
        except OSError as exc:
            return exc

    if len(todo) <= 1:
        return [(o, one(o)) for o in todo]
    with ThreadPoolExecutor(HASH_THREADS, thread_name_prefix="hash-object") as pool:
        return list(zip(todo, pool.map(one, todo), strict=True))


def hash_object(fs: Any, key: str) -> tuple[str, int, str | None]:
    """(xxh3-128 hex, size, ETag) of the object at `key`, streamed (never held)."""
    digest = xxhash.xxh3_128()
    with fs.open(key, "rb", block_size=_STREAM_BLOCK) as fh:
        size = stream_digest(fh, digest)
        etag = _etag(getattr(fh, "details", {}) or {})
    return digest.hexdigest(), size, etag


def load_object(
    location: StorageLocation,
    rel: str,
    size_hint: int,
    gz: bool,
    keep_partial: bool,
    settings: ReadSettings,
) -> Loaded:
    """`bounded.load_bytes` for the object `rel` under `location`: at most `max_file_bytes`
    held, the rest hashed; the ETag as read. Raises OSError when it cannot be read."""
    fs = location.filesystem()
    digest = xxhash.xxh3_128()
    limit = settings.max_file_bytes
    # one GET for the bytes kept (a block as large as them), streamed blocks after the limit
    block = max(min(size_hint, limit) + 1, 1 << 16)
    with fs.open(_key(location, rel), "rb", block_size=block) as fh:
        data, size = read_bounded(fh, size_hint, limit, digest)
        etag = _etag(getattr(fh, "details", {}) or {})
    return decoded(data, size, digest.hexdigest(), gz, keep_partial, settings, etag=etag)


def load_object_too_large(location: StorageLocation, rel: str) -> Loaded:
    """An object rejected by its size alone ("file_too_large"): hashed streaming, never
    held (`bounded.load_too_large`)."""
    file_hash, size, etag = hash_object(location.filesystem(), _key(location, rel))
    return Loaded(b"", "file_too_large", f"{size} bytes", file_hash, size, None, etag)


def unreadable_drop(exc: OSError) -> Drop:
    """The discover-stage Drop of an object that could not be read."""
    return Drop("discover", "unreadable_file", f"{type(exc).__name__}: {exc}")


def _etag(info: dict) -> str | None:
    etag = info.get("ETag") or info.get("etag")
    return str(etag) if etag else None


def _ns(info: dict) -> int | None:
    modified = info.get("LastModified") or info.get("mtime") or info.get("created")
    if isinstance(modified, datetime):
        return int(modified.timestamp() * 1_000_000) * 1000
    if isinstance(modified, int | float):
        return int(modified * 1_000_000_000)
    return None


def _key(location: StorageLocation, rel: str) -> str:
    # the key as listed: `join` would fold the empty segment of a key like "a//b.html"
    return f"{location.path.rstrip('/')}/{rel}"
