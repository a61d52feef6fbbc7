"""Compact OUTPUT's files, so that later runs and readers open few: `make compact OUTPUT=...`.

    newsclean compact --output OUTPUT [--retain-seconds 3600] [--wait] [--set KEY=VALUE]

Under OUTPUT's lock (exit 75 while a run holds it, unless --wait), it completes a dead run or
compaction, rewrites the ledger, the dedup index and each table partition of several files as
one file (`transforms/run/compaction.py`), and deletes the files an earlier compaction replaced
more than --retain-seconds ago (readers that listed the table before may still read them). A
killed compaction is completed or discarded by the next run or compaction, as a killed run.
How often to run it and what it costs: docs/compaction.md. Exit 0 done, 1 failed, 75 locked.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime

from transforms.core.config import PipelineConfig
from transforms.core.storage import resolve_location
from transforms.run.compaction import compact
from transforms.run.lock import LOCK_ERRORS, exit_code, hold
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
    config = PipelineConfig().with_settings(dict(s.split("=", 1) for s in args.set))
    output = resolve_location(args.output, config.storage.parsed())
    compaction_id = new_run_id(datetime.now(UTC).isoformat())
    started = time.perf_counter()
    try:
        stale = config.run.lock_other_host_stale_seconds
        with hold(output, compaction_id, None if args.wait else 0, stale):
            report = compact(OutputStore(output), compaction_id, args.retain_seconds)
    except LOCK_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code(exc)
    report["seconds"] = round(time.perf_counter() - started, 3)
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
