"""Entries of INPUT that stay unreadable: quarantined once, remembered, re-tried when changed.

Discovery turns an entry it cannot read (a symlink loop, a broken or outside link, a folder or
file without read permission, a FIFO named `.html`, an undecodable name) into a quarantine row.
Such an entry usually stays as it is, and quarantining it on every run would add a row a run
and fail runs that have nothing else to do. So each one quarantined is remembered in
OUTPUT/unreadable/ (`schema.UNREADABLE_SCHEMA`) with what identifies its state: its kind, its
lstat modification and status-change times (a chmod changes the latter) and, for a link, its
target. A later run skips an entry whose latest remembered state is its current one (counted
in the manifest as `files_skipped_known_unreadable`) and quarantines it again, once, when that
state changes (an object in object storage: kind "object", its last-modified time and ETag); an entry that becomes readable is simply discovered as an input.

The table is published with the run (journaled like the other tables): a run that dies before
publishing remembers nothing, and the next run quarantines the entry as new.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from transforms.core.record import Drop
from transforms.core.schema import UNREADABLE_SCHEMA
from transforms.run.output_store import Where, open_dataset

_STATE = ("kind", "reason", "mtime_ns", "ctime_ns", "link_target")


def entry_state(root: str | Path, rel: str, reason: str) -> dict:
    """What identifies the current state of the entry `rel` under `root` (never follows it)."""
    path = os.path.join(root, rel)
    try:
        st = os.lstat(path)
    except (OSError, ValueError):  # gone, or a shown name that is not the real one
        return {
            "kind": "unknown",
            "reason": reason,
            "mtime_ns": None,
            "ctime_ns": None,
            "link_target": None,
        }
    target = None
    if stat.S_ISLNK(st.st_mode):
        kind = "symlink"
        try:
            target = os.readlink(path)
        except OSError:
            target = None
    elif stat.S_ISDIR(st.st_mode):
        kind = "directory"
    elif stat.S_ISREG(st.st_mode):
        kind = "file"
    else:
        kind = "special"
    return {
        "kind": kind,
        "reason": reason,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "link_target": target,
    }


def state_text(state: dict) -> str:
    """The state as one string (part of the quarantine row's doc_id: a new state, a new id)."""
    return "|".join("" if state[k] is None else str(state[k]) for k in _STATE)


@dataclass
class UnreadableEntries:
    """Discover drops split into the new ones (to quarantine) and the known ones (skipped)."""

    new: list[tuple[str, Drop]] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    states: dict[str, dict] = field(default_factory=dict)  # of the new ones, by path

    def remember(self, states: Mapping[str, dict]) -> None:
        """Add entries found unreadable after discovery (objects a shard could not read), so
        that the run's table remembers them too."""
        self.states.update(states)

    def state_texts(self) -> dict[str, str]:
        return {path: state_text(s) for path, s in self.states.items()}

    def table(self, run_id: str, recorded_at: datetime) -> pa.Table:
        """Rows to append to OUTPUT/unreadable for the new entries."""
        rows = [
            {"source_path": p, **s, "run_id": run_id, "recorded_at": recorded_at}
            for p, s in self.states.items()
        ]
        return pa.Table.from_pylist(rows, schema=UNREADABLE_SCHEMA)


def remembered(folder: Where) -> dict[str, dict]:
    """The latest remembered state of each entry in `folder` (OUTPUT/unreadable)."""
    dataset = open_dataset(folder, UNREADABLE_SCHEMA)
    if dataset is None:
        return {}
    table = dataset.to_table()
    latest: dict[str, dict] = {}
    # run ids sort by start time: the last row of a path is its latest state
    for row in sorted(table.to_pylist(), key=lambda r: (r["recorded_at"], r["run_id"])):
        latest[row["source_path"]] = {k: row[k] for k in _STATE}
    return latest


def split_unreadable(
    root: str | Path,
    drops: Sequence[tuple[str, Drop]],
    folder: Where,
    states: Mapping[str, dict] | None = None,
) -> UnreadableEntries:
    """Split discover `drops` by what OUTPUT/unreadable (`folder`) remembers of each entry.

    `states`: the entries' states as discovery saw them, by path (objects in object storage:
    `transforms.read.objects.object_state`); without it each entry is lstat'ed under `root`.
    """
    out = UnreadableEntries()
    if not drops:
        return out
    history = remembered(folder)
    for path, drop in drops:
        if states is not None and path in states:
            state = states[path]
        else:
            state = entry_state(root, path, drop.reason)
        if history.get(path) == state:
            out.known.append(path)
        else:
            out.new.append((path, drop))
            out.states[path] = state
    return out
