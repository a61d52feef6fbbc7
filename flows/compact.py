"""Compact OUTPUT's files, so that later runs and readers open few: `make compact OUTPUT=...`.

    newsclean compact --output OUTPUT [--retain-seconds 3600] [--wait] [--set KEY=VALUE]

Under OUTPUT's lock (exit 75 while a run holds it, unless --wait), it completes a dead run or
compaction, rewrites the ledger, the dedup index and each table's days as one file a month
(`transforms/run/compaction.py`; caps `run.compact_file_rows`, `run.compact_file_bytes`), and
deletes the files an earlier compaction replaced more than --retain-seconds ago (readers that
listed the table before may still read them; 0: what this one replaced, at once). A
killed compaction is completed or discarded by the next run or compaction, as a killed run.
On a schedule: the flow `flows.compact_flow:compact_output`, served like the run's
(docs/compaction.md). How often and what it costs: docs/compaction.md. Exit 0 done, 1 failed,
75 locked.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime

from transforms.core.storage import resolve_location
from transforms.run.compaction import compact
from transforms.run.lock import LOCK_ERRORS, exit_code, hold_output
from transforms.run.options import OptionError, parse_settings, run_config
from transforms.run.output_store import OutputStore
from transforms.run.store import new_run_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsclean compact", description=__doc__)
    parser.add_argument("--output", required=True, help="the OUTPUT folder or s3:// prefix")
    parser.add_argument(
        "--retain-seconds",
        type=float,
        default=3600.0,
        help="keep replaced files this long before deleting them (readers may hold them)",
    )
    parser.add_argument("--wait", action="store_true", help="wait for a run holding the lock")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    try:
        settings = parse_settings(args.set)
        report = compact_output_dir(args.output, args.retain_seconds, args.wait, settings)
    except OptionError as exc:  # a bad --set: before the lock
        parser.error(str(exc))
    except LOCK_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code(exc)
    print(json.dumps(report, default=str))
    return 0


def compact_output_dir(
    output_dir: str,
    retain_seconds: float = 3600.0,
    wait: bool = False,
    settings: dict[str, str] | None = None,
) -> dict[str, object]:
    """Take OUTPUT's lock (waiting for a run that holds it when `wait`, else OutputLocked),
    compact, release; the compaction's report with its seconds. The command and the
    scheduled flow (`flows/compact_flow.py`) both run this."""
    config = run_config(settings)
    output = resolve_location(output_dir, config.storage.parsed())
    compaction_id = new_run_id(datetime.now(UTC).isoformat())
    started = time.perf_counter()
    # stall_seconds as a run's: a hung compaction (no progress noted) is taken over, a long one
    # that notes progress (a file rewritten) is not
    with hold_output(output, compaction_id, None if wait else 0, config.run):
        report = compact(OutputStore(output), compaction_id, retain_seconds, config.run)
    report["seconds"] = round(time.perf_counter() - started, 3)
    return report


if __name__ == "__main__":
    sys.exit(main())
