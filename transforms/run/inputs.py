"""What a run has to do: its inputs found, split by what earlier runs did, planned in shards.

`gather_inputs` is the discover phase of a run, after recovery and under OUTPUT's lock: walk
INPUT, a local folder or an object-store prefix (leaving OUTPUT out when it lies inside; a file
whose size and mtime, an object whose size and ETag, the ledger recorded keeps its recorded
hash and is not read; a file or object at a path the ledger never saw is not read either,
its shard's read gives its hash: `transforms.read.files.discover`,
`transforms.read.object_inputs`), set aside the unreadable entries an earlier run
already quarantined while they stay unchanged, skip the contents the ledger has, and plan the
shards of what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from transforms.core.config import PipelineConfig
from transforms.core.record import Drop
from transforms.core.schema import LEDGER, UNREADABLE
from transforms.core.storage import StorageLocation, is_uri, resolve_location
from transforms.read.files import InputFile, discover
from transforms.read.object_inputs import discover_objects
from transforms.run.ledger import (
    LedgerRows,
    recorded_hashes,
    recorded_object_hashes,
    recorded_paths,
    split_pending,
)
from transforms.run.options import output_inside_input
from transforms.run.output_store import Where, as_location
from transforms.run.planning import plan_shards
from transforms.run.unreadable import UnreadableEntries, remembered, split_unreadable


@dataclass(frozen=True, slots=True)
class RunInputs:
    """A run's inputs, by what happens to them."""

    files: list[InputFile]  # every input file found
    pending: list[InputFile]  # ... of which this run processes these
    skipped: list[InputFile]  # ... and these were processed by an earlier run (same bytes)
    ignored: list[str]  # not input files (suffix, links inside INPUT)
    drops: list[tuple[str, Drop]]  # entries that cannot be read, new or changed: quarantined
    unreadable: UnreadableEntries  # ... and those known from earlier runs, skipped
    shards: list[list[InputFile]]  # the pending files, planned
    output_excluded: str | None  # OUTPUT, when it lies inside INPUT and was left out

    def counts(self) -> dict:
        """The manifest's `inputs` block."""
        return {
            "files_found": len(self.files),
            "files_processed": len(self.pending),
            "files_skipped_already_processed": len(self.skipped),
            "files_ignored_unsupported": len(self.ignored),
            "files_unreadable": len(self.drops),
            "files_skipped_known_unreadable": len(self.unreadable.known),
            "shards": len(self.shards),
            "output_inside_input_excluded": self.output_excluded,
        }


def input_root(
    input_dir: str | Path | StorageLocation, config: PipelineConfig
) -> Path | StorageLocation:
    """INPUT as discovery and the shards take it: a local folder stays a Path (walked with
    os.scandir and read with open, as fast as before); a URI (s3://bucket/prefix) is a
    `StorageLocation` opened with the `storage.options` setting."""
    if isinstance(input_dir, StorageLocation):
        return Path(input_dir.url) if input_dir.is_local else input_dir
    if is_uri(input_dir):
        return resolve_location(input_dir, config.storage.parsed())
    return Path(input_dir)


def input_text(root: Path | StorageLocation) -> str:
    """INPUT as text for a shard job (`input_root` makes it back into a Path or location)."""
    return root.url if isinstance(root, StorageLocation) else str(root)


def gather_inputs(
    root: str | Path | StorageLocation, output: Where, config: PipelineConfig, workers: int
) -> RunInputs:
    """Discover, split and plan a run's inputs (see the module docstring). `output`: OUTPUT, a
    local folder or an object-store location (opened with its storage options)."""
    root = input_root(root, config)
    out = as_location(output)
    # a run must never read its own output: OUTPUT inside INPUT is left out of discovery
    excluded = output_inside_input(root, out)
    # a file whose size and mtime (an object whose size and ETag) the ledger recorded is not
    # read again: its hash is reused. The ledger's rows of the files found are read once
    # (`LedgerRows`), whatever discovery then asks of them
    ledger = LedgerRows(out.join(LEDGER))
    if isinstance(root, StorageLocation):
        found = discover_objects(
            root,
            config.read,
            exclude=root.join(excluded) if excluded else None,
            known=lambda stats: recorded_object_hashes(ledger, stats),
            seen=lambda paths: recorded_paths(ledger, paths),
            remembered=remembered(out.join(UNREADABLE)),
        )
        files, ignored = found.files, found.ignored
        unreadable = UnreadableEntries(found.drops, found.known_unreadable, found.states)
    else:
        files, drops, ignored = discover(
            root,
            config.read,
            exclude=Path(out.url) if excluded else None,
            known=lambda stats: recorded_hashes(ledger, stats),
            seen=lambda paths: recorded_paths(ledger, paths),
        )
        unreadable = split_unreadable(root, drops, out.join(UNREADABLE))
    pending, skipped = split_pending(files, ledger)
    return RunInputs(
        files=files,
        pending=pending,
        skipped=skipped,
        ignored=ignored,
        drops=unreadable.new,  # the known ones were quarantined by an earlier run
        unreadable=unreadable,
        shards=plan_shards(pending, config.shards, workers),
        output_excluded=excluded,
    )
