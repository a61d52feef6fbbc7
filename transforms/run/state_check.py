"""OUTPUT's state files, opened before a run cleans anything; the doctor that moves bad ones aside.

A run reads the ledger, the dedup index, the published tables (articles, duplicates, quarantine:
the records already published), the story links, the unreadable entries and the manifests. One
truncated or garbage file among them used to fail the run late, with a wall of traceback, and
every later run the same way. `check_state` opens each first (a Parquet file's footer, a
manifest's JSON): a run that finds a corrupt one stops in one line naming it and the repair
(`python -m flows.doctor --output OUTPUT`, `make doctor OUTPUT=...`).

The doctor (`move_aside`, under OUTPUT's lock) moves each corrupt file to
`_corrupt/<stamp>/<its key>` (a "_" name: readers skip it; nothing is deleted), writes what it
did to `_corrupt/<stamp>/moved.json`, and the next run records that in its manifest
(`moved_aside`, `take_moved_aside`). `CONSEQUENCE` says what follows from each kind.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import pyarrow.parquet as pq

from transforms.core.schema import (
    ARTICLES,
    DEDUP_INDEX,
    DOC_INDEX,
    DUPLICATES,
    LEDGER,
    QUARANTINE,
    STORY_LINKS,
    UNREADABLE,
)
from transforms.run.doc_index import COMPLETE
from transforms.run.output_store import OutputStore, is_data_file
from transforms.run.store import remove_file

CORRUPT = "_corrupt"
CHECKED = "_state/checked.json"  # {key: size} of the state files found sound
RUNS = "runs"
RECORD = "moved.json"
REPORTED = "reported.json"

# what moving a file of each folder aside means for the runs that follow
CONSEQUENCE = {
    LEDGER: "the files it recorded are read again; the lookup of published records keeps "
    "them from being published twice",
    DEDUP_INDEX: "later runs no longer match new documents against the articles it indexed "
    "(exact copies of published records are still found)",
    ARTICLES: "its articles are no longer published, and their files stay in the ledger: "
    "restore the part from a backup, or remove their ledger rows to clean them again",
    DUPLICATES: "its duplicate rows are no longer published",
    QUARANTINE: "its quarantine rows are no longer published",
    STORY_LINKS: "the story merges it recorded are lost: those stories stay apart",
    UNREADABLE: "the unreadable entries it remembered are tried again",
    DOC_INDEX: "runs look published records up in the tables again until the next compaction "
    "rebuilds the index",
    RUNS: "that run is no longer committed: readers that keep committed runs skip its rows",
}


@dataclass(frozen=True, slots=True)
class CorruptFile:
    key: str  # relative to OUTPUT
    problem: str  # the reader's error, one line

    @property
    def consequence(self) -> str:
        return CONSEQUENCE.get(self.key.split("/", 1)[0], "")


def state_files(store: OutputStore) -> list[str]:
    """Keys of the state files a run reads: each folder's Parquet files, the manifests."""
    return list(_sized_state_files(store))


def _sized_state_files(store: OutputStore) -> dict[str, int]:
    """{key: size} of the state files: one listing a folder, the sizes from it."""
    sizes = {}
    for folder in CONSEQUENCE:
        for rel, size in sorted(store.sizes(folder).items()):
            if rel.endswith(".json") if folder == RUNS else is_data_file(rel):
                sizes[f"{folder}/{rel}"] = size
    return sizes


def _known_sound(store: OutputStore) -> dict[str, int]:
    """{key: size} of the files an earlier check found sound (a file is written once, under a
    run-unique name: one found sound at that size stays so), or {}."""
    try:
        known = json.loads(store.read_bytes(CHECKED))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _problem(store: OutputStore, key: str) -> str | None:
    try:
        if key.endswith(".json"):
            json.loads(store.read_bytes(key))
        else:
            pq.read_metadata(store.path(key), filesystem=store.arrow_fs)
    except ValueError as exc:  # pyarrow.ArrowInvalid, json.JSONDecodeError: not I/O errors
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    return None


def check_state(store: OutputStore) -> list[CorruptFile]:
    """The state files that cannot be opened (several at once on an object store). Only the
    files new since the last check are opened (`CHECKED`, rewritten when it changes), so a
    run's check costs its own files, not the history's (docs/compaction.md)."""
    sizes = _sized_state_files(store)
    known = _known_sound(store)
    keys = [k for k, size in sizes.items() if known.get(k) != size]
    with ThreadPoolExecutor(max_workers=1 if store.is_local else 16) as pool:
        problems = list(pool.map(lambda k: _problem(store, k), keys))
    corrupt = [CorruptFile(k, p) for k, p in zip(keys, problems, strict=True) if p is not None]
    sound = {k: size for k, size in sizes.items() if k not in {c.key for c in corrupt}}
    if sound != known:
        store.write_bytes(CHECKED, json.dumps(sound, separators=(",", ":")).encode())
    return corrupt


def note_sound(store: OutputStore, keys: list[str]) -> None:
    """Record files a command just wrote whole (a compaction's, under OUTPUT's lock) as found
    sound, each opened once here: the next run's check then opens none of them (after a first
    compaction, a file a table a day: three requests each on an object store, docs/compaction.md)."""
    known = _known_sound(store)
    sizes = {k: _size(store, k) for k in keys if _problem(store, k) is None}
    if sizes:
        store.write_bytes(CHECKED, json.dumps({**known, **sizes}, separators=(",", ":")).encode())


def _size(store: OutputStore, key: str) -> int:
    if store.is_local:
        return os.stat(store.path(key)).st_size
    return int(store.fs.info(store.path(key)).get("size") or 0)


def corrupt_message(output: str, corrupt: list[CorruptFile]) -> str:
    """The one line a run stops with."""
    first = corrupt[0]
    more = f" (and {len(corrupt) - 1} more)" if len(corrupt) > 1 else ""
    return (
        f"corrupt state file {output.rstrip('/')}/{first.key}{more}: {first.problem}; "
        f"run `python -m flows.doctor --output {output}` to move it aside"
    )


def move_aside(store: OutputStore, corrupt: list[CorruptFile], stamp: str) -> list[dict]:
    """Move each corrupt file under `_corrupt/<stamp>/` and record it; the records."""
    records = []
    for c in corrupt:
        dest = f"{CORRUPT}/{stamp}/{c.key}"
        store.move(c.key, dest)
        if c.key.startswith(f"{DOC_INDEX}/"):  # the index is no longer whole
            remove_file(store, COMPLETE)
        records.append({**asdict(c), "moved_to": dest, "consequence": c.consequence})
    if records:
        store.write_bytes(f"{CORRUPT}/{stamp}/{RECORD}", json.dumps(records, indent=1).encode())
    return records


def take_moved_aside(store: OutputStore, run_id: str) -> list[dict]:
    """What the doctor moved aside and no committed run has recorded yet (for run `run_id`'s
    manifest). Each folder taken is marked with `run_id`; the mark counts only once that run's
    manifest is committed, so a run that fails before its commit leaves the list to the next.
    (A mark without a run id, from before this rule, counts as recorded.)"""
    taken: list[dict] = []
    for stamp in store.children(CORRUPT):
        keys = store.files(f"{CORRUPT}/{stamp}")
        if RECORD not in keys:
            continue
        if REPORTED in keys:
            by = json.loads(store.read_bytes(f"{CORRUPT}/{stamp}/{REPORTED}")).get("run_id")
            if by is None or store.exists(f"{RUNS}/{by}.json"):
                continue
        taken += json.loads(store.read_bytes(f"{CORRUPT}/{stamp}/{RECORD}"))
        store.write_bytes(f"{CORRUPT}/{stamp}/{REPORTED}", json.dumps({"run_id": run_id}).encode())
    return taken
