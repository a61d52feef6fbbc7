"""Stable identifiers of input records.

Two ids, two jobs:

- `content_hash`: xxh3-128 hex of a record's raw bytes. Identical bytes, wherever they were
  found, have one content hash: the key for exact-duplicate detection and lineage.
- `doc_id`: the key of one input record, unique across the articles, duplicates and quarantine
  tables: xxh3-128 hex of its source path, its record index and its content hash. The same
  bytes saved at two paths (or on two lines of one JSONL file) are two records with two ids; the
  same record read again by a later run has the same id, so reruns agree.

The key hashes the content hash rather than the bytes themselves: the same key, one pass over
the bytes.
"""

from __future__ import annotations

import xxhash

# In place of a content hash, for a record whose bytes could not be read at all (a hex digest
# never contains ':', so the two kinds of key cannot meet).
UNREAD = "unread:"


def content_hash(raw: bytes) -> str:
    """xxh3-128 hex of a record's raw bytes (also the ledger's hash of a whole file)."""
    return xxhash.xxh3_128_hexdigest(raw)


def record_key(source_path: str, source_record: int | None, content: str) -> str:
    """doc_id of the record at (`source_path`, `source_record`) whose content hash is `content`.

    `content` is a `content_hash`, or `UNREAD` plus a description of the entry's state for an
    entry that could not be read (so a later, different state gets a new id).
    """
    record = "" if source_record is None else str(source_record)
    # NUL cannot occur in a path, and the record is digits: the three parts cannot run together
    key = f"{source_path}\0{record}\0{content}".encode("utf-8", "surrogatepass")
    return xxhash.xxh3_128_hexdigest(key)


def doc_id_for(raw: bytes | None, source_path: str, source_record: int | None = None) -> str:
    """doc_id of a record from its raw bytes (None: the bytes could not be read)."""
    content = UNREAD if raw is None else content_hash(raw)
    return record_key(source_path, source_record, content)


def file_hash(data: bytes) -> str:
    """Content hash of an input file, for the ledger of processed inputs."""
    return content_hash(data)
