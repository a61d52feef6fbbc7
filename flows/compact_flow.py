"""Compaction as a Prefect flow, so that a deployment runs it on a schedule (e.g. daily):

    python -m flows serve --flow flows.compact_flow:compact_output --name compact \
        --cron "30 3 * * *" --input INPUT --output OUTPUT [--no-server]

`newsclean serve` (flows/serve.py) serves any flow given as module:attribute with the
deployment parameters it bakes in (input_dir, output_dir, workers); this flow takes them all
and uses OUTPUT only. It runs `newsclean compact`'s work (`flows.compact.compact_output_dir`):
OUTPUT's lock, waited for while a run holds it (a scheduled compaction never fails because
an hourly run is writing), then the compaction; a killed one is recovered by the next run or
compaction. Its report is the flow's result and a log line. A module of its own: the command
`newsclean compact` imports no Prefect.
"""

from __future__ import annotations

import json

from prefect import flow, get_run_logger

from flows.compact import compact_output_dir


@flow(name="compact_output", log_prints=False)
def compact_output(
    output_dir: str,
    input_dir: str | None = None,
    workers: int = 1,
    retain_seconds: float = 3600.0,
    settings: dict[str, str] | None = None,
) -> dict:
    """Compact OUTPUT's tables and state (`make compact`), waiting for a run holding its lock.

    Args:
        output_dir: the OUTPUT folder or s3:// prefix.
        input_dir: unused (the run's deployment parameters are given to every served flow).
        workers: unused (as input_dir).
        retain_seconds: keep the files a compaction replaced this long before deleting them
            (readers that listed the table before the switch may still read them).
        settings: settings by dotted key, e.g. {"storage.options": "..."}.
    """
    del input_dir, workers
    report = compact_output_dir(output_dir, retain_seconds, wait=True, settings=settings)
    get_run_logger().info("compacted %s: %s", output_dir, json.dumps(report, default=str))
    return report
