"""What the command line tells a user before a run: an INPUT that holds nothing the pipeline
reads, and settings that differ from those of OUTPUT's last committed run.

An INPUT with no supported file would otherwise end as "nothing new to process" with exit 0,
which a cron job reports as success while the scraper writes files of another kind (or into
another folder). Settings apply to new inputs only (the ledger skips every file already
processed), so after a change a rerun over the same files says "nothing new" and nothing
changes: the notice says which settings changed and how to rebuild with them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from transforms.core.config import PipelineConfig
from transforms.run.output_store import OutputStore
from transforms.run.store import RUNS

# the sections whose settings change what a run publishes (not how it is scheduled or stored)
OUTPUT_SECTIONS = ("read", "html", "clean", "metadata", "dedup")


def kinds_found(paths: Iterable[str], limit: int = 5) -> str:
    """The kinds of the ignored files, most common first: ".pdf (3), .csv (1), no suffix (1)"."""
    kinds = Counter(_kind(p) for p in paths)
    shown = [f"{kind} ({n})" for kind, n in kinds.most_common(limit)]
    if len(kinds) > limit:
        shown.append(f"{len(kinds) - limit} more")
    return ", ".join(shown) or "nothing"


def _kind(path: str) -> str:
    suffixes = PurePosixPath(path).suffixes
    return "".join(suffixes[-2:]).lower() if suffixes else "no suffix"


def no_supported_input(input_dir: str, ignored: list[str], config: PipelineConfig) -> str:
    """The one-line error for an INPUT in which discovery found no file it reads."""
    supported = ", ".join(config.read.input_suffixes)
    return (
        f"no supported file in {input_dir}: found {kinds_found(ignored)}; "
        f"supported: {supported} (each also gzipped, .gz)"
    )


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{section}.{key}": json.loads(json.dumps(value, default=str))
        for section in OUTPUT_SECTIONS
        for key, value in (values.get(section) or {}).items()
    }


def last_committed_config(store: OutputStore) -> tuple[str, dict[str, Any]] | None:
    """(run id, config) of OUTPUT's latest committed run that recorded its config."""
    manifests = [k for k in store.children(RUNS) if k.endswith(".json")]  # one listing
    for key in reversed(manifests):  # run ids sort by time
        try:
            manifest = json.loads(store.read_bytes(f"{RUNS}/{key}"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest.get("config"), dict):
            return PurePosixPath(key).stem, manifest["config"]
    return None


def changed_settings(store: OutputStore, config: PipelineConfig) -> str | None:
    """A notice naming the settings that differ from the last committed run's, or None."""
    last = last_committed_config(store)
    if last is None:
        return None
    run_id, before = last[0], _flat(last[1])
    now = _flat(config.to_dict())
    changed = [f"{k} {before[k]} -> {v}" for k, v in now.items() if k in before and before[k] != v]
    if not changed:
        return None
    return (
        f"note: settings differ from the last committed run {run_id} ({'; '.join(changed)}); "
        "they apply to new files only, files already processed are not cleaned again: "
        "to rebuild with them, run into a new OUTPUT (e.g. make run OUTPUT=out/rebuilt)"
    )
