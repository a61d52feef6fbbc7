"""The `clean_articles` flow: raw scraped files in INPUT, Parquet datasets in OUTPUT.

    python -m flows.clean_articles --input data/sample --output out/sample --workers 2

Phases: take OUTPUT's lock (one writer per OUTPUT), recover an interrupted run, discover inputs (skipping what the ledger has), plan shards,
clean each shard in a task (parallel), deduplicate the run against itself and the history,
stage and publish atomically, write the manifest and the Prefect artifacts. See README.md.

The command line (options, exit codes) is `flows/cli.py`.
"""

import sys
import time
from collections import deque
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.states import Completed

from flows.progress import ShardProgress
from flows.report import print_summary, publish_artifacts
from flows.runners import (
    TaskRunnerName,
    effective_runner,
    make_task_runner,
    submission_window,
    submit_in_window,
    workers_share_this_api,
)
from flows.tasks import clean_shard_task, shard_name
from flows.validation import Validator, merge_validation
from transforms.core.config import PipelineConfig
from transforms.core.schema import LEDGER, UNREADABLE
from transforms.read.files import InputFile, discover
from transforms.run.deduplicate import deduplicate_run
from transforms.run.ledger import split_pending
from transforms.run.lock import OutputLock, hold
from transforms.run.manifest import (
    accounting,
    merge_stats,
    reason_counts,
    run_outcome,
    shard_timeline,
    versions,
)
from transforms.run.options import check_run_options, lock_wait_seconds, output_inside_input
from transforms.run.planning import plan_shards
from transforms.run.shard import ShardResult
from transforms.run.stage_outputs import discover_quarantine, stage_run
from transforms.run.store import RunPaths, new_run_id, publish, recover, stage_manifest
from transforms.run.unreadable import split_unreadable


class RunFailed(RuntimeError):
    """The pipeline broke (a table-level check, unbalanced accounting) or the run crossed the
    team's `run.max_quarantine_share`: raised after the quarantine, manifest and report are written."""


@flow(name="clean_articles", log_prints=False)
def clean_articles(
    input_dir: str = "data/sample",
    output_dir: str = "out/sample",
    workers: int = 2,
    shard_size: int | None = None,
    task_runner: TaskRunnerName = "process",
    dask_address: str | None = None,
    show_progress: bool = True,
    settings: dict[str, Any] | None = None,
    wait_for_lock: bool = False,
    lock_timeout: float | None = None,
) -> dict:
    """Clean every new raw file under `input_dir` into the datasets under `output_dir`.

    Args:
        input_dir: folder of raw files (.html .htm .txt .jsonl .warc, optionally .gz), walked
            recursively.
        output_dir: where articles/, duplicates/, quarantine/, runs/ ... are written.
        workers: parallel shard tasks (processes, or Dask workers for a local cluster).
        shard_size: input files per shard task; None: the config's `shards.shard_size` (a
            different `shards.shard_size` in `settings` too is an error).
        task_runner: "process" (default; with one worker the shards run on a thread of this
            process, which saves starting a worker process), "thread", or "dask". Where
            validation runs for each: flows/validation.py.
        dask_address: a Dask scheduler address (tcp://host:8786) for task_runner="dask".
        show_progress: draw a progress bar on the terminal.
        settings: settings to change for this run, by dotted key `<section>.<field>` (see
            transforms/core/config/sections.py), e.g. {"dedup.near_jaccard": 0.7}; the config is
            recorded in the manifest, nested by section.
        wait_for_lock: when another run holds OUTPUT's lock, wait for it (for ever, or up to
            `lock_timeout`) instead of failing at once with OutputLocked.
        lock_timeout: seconds to wait for OUTPUT's lock (implies waiting); None: see above.

    Every option is checked first (ValueError naming it, before any work). The run holds
    OUTPUT's lock (transforms/run/lock.py) from before its recovery to its end, or uses the one
    its caller holds (the command line takes it before starting Prefect).

    Returns the run manifest (also written to OUTPUT/runs/<run_id>.json).
    """
    t_start = time.perf_counter()
    config = check_run_options(input_dir, output_dir, workers, shard_size, settings, lock_timeout)
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    wait = lock_wait_seconds(wait_for_lock, lock_timeout)
    run_id = new_run_id(datetime.now(UTC).isoformat())
    with hold(output, run_id, wait, config.run.lock_other_host_stale_seconds) as lock:
        return _locked_run(
            lock,
            Path(input_dir),
            output,
            config,
            workers,
            task_runner,
            dask_address,
            show_progress,
            t_start,
        )


def _locked_run(
    lock: OutputLock,
    root: Path,
    output: Path,
    config: PipelineConfig,
    workers: int,
    task_runner: TaskRunnerName,
    dask_address: str | None,
    show_progress: bool,
    t_start: float,
) -> dict:
    """The run itself, holding OUTPUT's lock: recover, discover, clean, dedup, publish."""
    log = get_run_logger()
    started_at = datetime.now(UTC)
    task_runner = effective_runner(task_runner, workers)
    run_id = lock.holder.run_id  # the lock's run: the command line may have taken it
    paths = RunPaths(output, run_id)
    timings: dict[str, float] = {}
    if lock.took_over is not None:
        log.warning("took over the stale lock of %s", lock.took_over.describe())

    t = time.perf_counter()
    recovered = recover(output)  # only dead runs' staging is left: this run holds the lock
    # a run must never read its own output: OUTPUT inside INPUT is left out of discovery
    excluded = output_inside_input(root, output)
    if excluded:
        log.warning("output folder %s is inside the input folder: not read as input", excluded)
    files, discover_drops, ignored = discover(
        root, config.read, exclude=output if excluded else None
    )
    unreadable = split_unreadable(root, discover_drops, output / UNREADABLE)
    discover_drops = unreadable.new  # the known ones were quarantined by an earlier run
    pending, skipped = split_pending(files, output / LEDGER)
    shards = plan_shards(pending, config.shards, workers)
    timings["discover"] = time.perf_counter() - t
    log.info(
        "run %s: %d files (%d already processed, %d ignored) in %d shards",
        run_id,
        len(files),
        len(skipped),
        len(ignored),
        len(shards),
    )

    # Local workers never import GX: the validator (a thread of this process, or a process of
    # its own when this process's core cleans; see flows/validation.py) checks each staged
    # shard while the workers go on cleaning. Dask workers validate their own shards.
    with Validator(task_runner, len(shards)) as validator:
        if shards:
            validator.warm_up()  # GX's import, while the workers start and clean
        t, clean_since = time.perf_counter(), time.time()
        task_parameters = {
            "input_root": str(root),
            "output": str(output),
            "run_id": run_id,
            "ingested_at": started_at,
            "config": config,
            "validate": not validator.validates_shards,
            "docs_dir": str(paths.reports()),
        }
        runner = (task_runner, workers, dask_address)
        results = _clean_shards(shards, task_parameters, runner, validator, show_progress)
        timings["clean"] = time.perf_counter() - t
        timeline = shard_timeline(
            [(r.shard, len(shards[int(r.shard)]), r.started_at, r.finished_at) for r in results],
            workers,
            clean_since,
        )

        t = time.perf_counter()
        dedup = deduplicate_run(paths, config, run_id, started_at)
        timings["dedup"] = time.perf_counter() - t

        t = time.perf_counter()
        dropped_files = discover_quarantine(
            discover_drops, run_id, started_at, unreadable.state_texts()
        )
        read_files = [f for r in results for f in r.read_files]  # the bytes actually read
        staged = stage_run(
            paths,
            dedup,
            read_files,
            dropped_files,
            started_at,
            unreadable.table(run_id, started_at),
        )
        stats = merge_stats([r.stats for r in results])
        acc = accounting(
            sum(r.documents for r in results) + len(discover_drops),
            staged.articles,
            staged.duplicates,
            staged.quarantined,
            staged.already_published,
        )
        table_failures = sorted({f for r in results for f in r.table_failures})
        # an unbalanced accounting (a document lost or doubled) always fails the run
        run_failures, outcome = run_outcome(acc, config.run.max_quarantine_share)
        table_failures += run_failures
        timings["stage"] = time.perf_counter() - t

        t = time.perf_counter()
        table_failures += validator.run_tables(staged, config, paths.reports()).result()
        data_docs = validator.report(paths.reports()).result()
        timings["validate_report"] = time.perf_counter() - t
    manifest = {
        "run_id": run_id,
        "status": "failed" if table_failures else "succeeded",
        "outcome": outcome,
        "started_at": started_at.isoformat(),
        "input_dir": str(root.resolve()),
        "output_dir": str(output.resolve()),
        "task_runner": task_runner,
        "workers": workers,
        "inputs": {
            "files_found": len(files),
            "files_processed": len(pending),
            "files_skipped_already_processed": len(skipped),
            "files_ignored_unsupported": len(ignored),
            "files_unreadable": len(discover_drops),
            "files_skipped_known_unreadable": len(unreadable.known),
            "shards": len(shards),
            "output_inside_input_excluded": excluded,
        },
        "accounting": acc,
        "quarantine_reasons": reason_counts(staged.quarantine),
        "quality_flags": staged.quality_flags,
        "changes": dict(sorted(stats.changes.items())),
        "validation": merge_validation(results),
        "table_failures": table_failures,
        "data_docs": data_docs,
        "recovered_runs": recovered,
        "lock": {"took_over_stale": lock.took_over.describe() if lock.took_over else None},
        "timings": {
            "wall_seconds": {k: round(v, 3) for k, v in timings.items()},
            "stage_cpu_seconds": {k: round(v, 3) for k, v in stats.seconds.items()},
            "shards": timeline["shards"],
            "idle_worker_seconds": timeline["idle_worker_seconds"],
        },
        "config": config.to_dict(),
        "versions": versions(),
    }
    manifest["finished_at"] = datetime.now(UTC).isoformat()
    manifest["timings"]["wall_seconds"]["total"] = round(time.perf_counter() - t_start, 3)
    stage_manifest(paths, manifest)
    publish(paths)

    publish_artifacts(manifest)
    if show_progress:
        print_summary(manifest, output)
    if table_failures:
        raise RunFailed(f"run {run_id} failed: {', '.join(table_failures)}")
    # the run's state message says how it ended (e.g. "all 12 new documents were rejected")
    return Completed(message=outcome, data=manifest)


def _clean_shards(
    shards: list[list[InputFile]],
    parameters: dict[str, Any],
    runner_spec: tuple[TaskRunnerName, int, str | None],
    validator: Validator,
    show_progress: bool,
) -> list[ShardResult]:
    """Run a `clean_shard` task per shard on the task runner `runner_spec` describes (name,
    workers, Dask address); each result is returned once the validator is done with it."""
    if not shards:
        return []
    results: list[ShardResult] = []
    name, workers, _ = runner_spec
    window = submission_window(name, workers, len(shards))
    planned = [(shard_name(i), s) for i, s in enumerate(shards)]
    # the runner starts its workers once they can reach this run's API
    with workers_share_this_api(), make_task_runner(*runner_spec) as runner:

        def submit(shard: tuple[str, list[InputFile]]) -> Any:
            params = {**parameters, "files": shard[1], "shard": shard[0]}
            return runner.submit(clean_shard_task, parameters=params)

        def first_done(futures: list) -> Any:
            return next(as_completed(futures))

        with ShardProgress(len(shards), sum(len(s) for s in shards), show_progress) as bar:
            checking: deque[tuple[Future, int]] = deque()
            for (_, files), future in submit_in_window(planned, submit, window, first_done):
                result = future.result()
                if validator.validates_shards:
                    args = (parameters["output"], parameters["run_id"], parameters["config"])
                    checked = validator.shard(result, *args, parameters["docs_dir"])
                else:
                    checked = Future()
                    checked.set_result(result)
                checking.append((checked, len(files)))
                _collect(checking, bar, results, wait=False)
            _collect(checking, bar, results, wait=True)
    # shards finish in any order; the manifest's merged counts and timeline read them in plan order
    results.sort(key=lambda r: int(r.shard))
    return results


def _collect(
    checking: deque[tuple[Future, int]], bar: ShardProgress, results: list, wait: bool
) -> None:
    """Move validated shards, in order, from `checking` to `results` (all of them with `wait`)."""
    while checking and (wait or checking[0][0].done()):
        future, files = checking.popleft()
        result = future.result()
        bar.advance(files, result.articles)
        results.append(result)


def main(argv: list[str] | None = None) -> int:
    """The command line (`flows/cli.py`): options checked, OUTPUT locked, then this flow."""
    from flows.cli import main as cli_main  # flows.cli imports this module

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
