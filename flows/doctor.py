"""Move OUTPUT's corrupt state files aside, so that runs can go on: `make doctor OUTPUT=...`.

    python -m flows.doctor --output OUTPUT [--set storage.options=...]

Under OUTPUT's lock (exit 75 while a run holds it), it opens every state file a run reads
(`transforms.run.state_check`), moves each that cannot be opened to `OUTPUT/_corrupt/<stamp>/`,
and prints one line a file: where it went and what follows for later runs. The next run records
the move in its manifest (`moved_aside`). Exit 0 (moved, or nothing to move), 1 on a failure.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from transforms.core.storage import resolve_location
from transforms.run.lock import LOCK_ERRORS, exit_code, hold_output
from transforms.run.options import OptionError, parse_settings, run_config
from transforms.run.output_store import OutputStore
from transforms.run.state_check import check_state, move_aside
from transforms.run.store import new_run_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.doctor", description=__doc__)
    parser.add_argument("--output", required=True, help="the OUTPUT folder or s3:// prefix")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    try:
        config = run_config(parse_settings(args.set))
    except OptionError as exc:
        parser.error(str(exc))
    output = resolve_location(args.output, config.storage.parsed())
    now = datetime.now(UTC)
    try:
        with hold_output(output, new_run_id(now.isoformat()), 0, config.run):
            store = OutputStore(output)
            records = move_aside(store, check_state(store), now.strftime("%Y%m%dT%H%M%SZ"))
    except LOCK_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code(exc)
    if not records:
        print(f"no corrupt state file in {output.display()}")
    for r in records:
        print(f"moved {r['key']} to {r['moved_to']} ({r['problem']}): {r['consequence']}")
    if records:
        print("the next run records this in its manifest (moved_aside) and runs as usual")
    return 0


if __name__ == "__main__":
    sys.exit(main())
