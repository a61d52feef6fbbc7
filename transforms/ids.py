"""Stable identifiers: a document's id is a hash of its raw bytes, so reruns agree."""

from __future__ import annotations

import xxhash


def doc_id_for(raw: bytes, source_path: str, source_record: int | None = None) -> str:
    """Id of a raw record: xxh3-128 of its bytes.

    The bytes alone decide the id (the same scraped page saved twice is the same record); an
    empty payload has no content to hash, so its location is hashed instead to keep ids unique.
    """
    if raw:
        return xxhash.xxh3_128_hexdigest(raw)
    return xxhash.xxh3_128_hexdigest(f"empty:{source_path}#{source_record}".encode())


def file_hash(data: bytes) -> str:
    """Content hash of an input file, for the ledger of processed inputs."""
    return xxhash.xxh3_128_hexdigest(data)
