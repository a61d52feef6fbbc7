"""The `clean_articles` flow: raw scraped files in INPUT, Parquet datasets in OUTPUT.

    newsclean run --input data/sample --output out/sample --workers 2   # flows/cli.py

The run, phase by phase (each a call into transforms/run/ or a flows/ module): check the options,
take OUTPUT's lock (one writer per OUTPUT), recover an interrupted run, gather the inputs
(discover, skip what the ledger has, plan shards), clean the shards in parallel tasks
(flows/shards.py), deduplicate against the run and the history, stage every table, validate the
run-level tables, publish atomically, then the manifest and the Prefect artifacts.

The command line (flows/cli.py) checks the options, takes the lock and discovers before it
starts Prefect, and hands all three to the flow (`run_prepared`); called without it (a
deployment's run, a test), the flow does them itself.
"""

from contextlib import ExitStack
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, temporary_settings
from prefect.states import Completed, State

from flows.errors import RunFailed
from flows.report import publish_artifacts
from flows.shards import clean_shards
from flows.tasks import shard_name
from flows.validation import Validator
from transforms.core.config import PipelineConfig
from transforms.core.storage import StorageLocation, resolve_location
from transforms.run.deduplicate import deduplicate_run
from transforms.run.inputs import RunInputs, gather_inputs, input_root, input_text
from transforms.run.lock import OutputLock, hold_output
from transforms.run.manifest import PhaseTimer, RunIdentity, accounting, run_manifest, run_outcome
from transforms.run.options import check_run_options, lock_wait_seconds
from transforms.run.output_store import OutputStore
from transforms.run.planning import TaskRunnerName, effective_runner
from transforms.run.reports import report_folder
from transforms.run.shard import ShardJob
from transforms.run.stage_outputs import discover_quarantine, stage_run
from transforms.run.state_check import take_moved_aside
from transforms.run.store import RunPaths, new_run_id, publish, recover, stage_manifest
from transforms.run.summary import summary_text

__all__ = ["Prepared", "RunFailed", "clean_articles", "run_prepared"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the command line checked, holds and found, for the flow to use as it is."""

    config: PipelineConfig  # the checked options and settings
    output: StorageLocation  # OUTPUT, resolved with the storage options
    lock: OutputLock  # OUTPUT's lock, held by the command line for the run
    inputs: RunInputs | None  # discovered; None: a dead run's staging to recover first
    api_retries: int | None = None  # the Prefect client's retries until the commit (run_prepared)


_PREPARED: ContextVar[Prepared | None] = ContextVar("prepared_run", default=None)


def run_prepared(prepared: Prepared, **parameters: Any) -> Any:
    """Run the flow with `parameters` (its own, as the UI shows them), on what the command line
    prepared (`Prepared`) instead of checking, locking and discovering again.

    The Prefect client retries a refused call 5 times with backoff (minutes for a dead API):
    the run keeps those retries until its commit, and the engine's calls around it (its flow
    run's first and final states, after the commit) try once, so that a run whose data is
    committed reports a dead API in seconds (docs/operations_faults.md)."""
    retries = PREFECT_CLIENT_MAX_RETRIES.value()
    token = _PREPARED.set(replace(prepared, api_retries=retries))
    try:
        with temporary_settings(updates={PREFECT_CLIENT_MAX_RETRIES: 0}):
            return clean_articles(**parameters)
    finally:
        _PREPARED.reset(token)


def prepared_run() -> Prepared | None:
    """What the command line prepared for the flow run of this context, if it did. (A function:
    the flow's function, pickled by value to a Dask worker, names no ContextVar.)"""
    return _PREPARED.get()


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
            recursively; or an object-store prefix, `s3://bucket/prefix` (credentials and endpoint
            from the AWS environment, see docs/object_storage.md).
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
    timer, prepared = PhaseTimer(), prepared_run()
    with ExitStack() as holding, ExitStack() as until_commit:
        if prepared is None:  # without the command line: check, lock (and discover) here
            config = check_run_options(
                input_dir, output_dir, workers, shard_size, settings, lock_timeout
            )
            output = resolve_location(output_dir, config.storage.parsed())
            OutputStore(output).mkdir()
            run_id = new_run_id(datetime.now(UTC).isoformat())
            wait = lock_wait_seconds(wait_for_lock, lock_timeout)
            lock = holding.enter_context(hold_output(output, run_id, wait, config.run))
            prepared = Prepared(config, output, lock, None)
        if prepared.api_retries is not None:
            retries = {PREFECT_CLIENT_MAX_RETRIES: prepared.api_retries}
            until_commit.enter_context(temporary_settings(updates=retries))
        run = RunIdentity(
            prepared.lock.holder.run_id,  # the lock's run
            datetime.now(UTC),
            input_root(input_dir, prepared.config),  # a Path, or a StorageLocation for a URI
            prepared.output,
            effective_runner(task_runner, workers),
            workers,
        )
        return _run(run, prepared, (dask_address, show_progress, timer), until_commit)


def _run(
    run: RunIdentity,
    prepared: Prepared,
    how: tuple[str | None, bool, PhaseTimer],
    until_commit: ExitStack,
) -> State:
    """The run itself, holding OUTPUT's lock (so recovery only meets dead runs' staging).
    `how`: (Dask address, progress bar, phase timer); `prepared.inputs`: those the command
    line discovered under the same lock, or None; `until_commit`: closed once the run is
    committed (the Prefect client's retries, `run_prepared`)."""
    config, lock, found = prepared.config, prepared.lock, prepared.inputs
    dask_address, show_progress, timer = how
    log, paths = get_run_logger(), RunPaths(run.output_dir, run.run_id)
    docs = report_folder(paths)
    with timer("discover"):
        recovered = recover(paths.store)
        moved_aside = take_moved_aside(paths.store, run.run_id)  # by the doctor, unrecorded
        inputs = found or gather_inputs(run.input_dir, run.output_dir, config, run.workers)
    log.info("run %s: %s", run.run_id, inputs.counts())
    with Validator(run.task_runner, len(inputs.shards)) as validator:
        if inputs.shards:
            validator.warm_up()  # GX's import, while the workers start and clean
        with timer("clean"):
            run = replace(run, clean_since=datetime.now(UTC).timestamp())
            spec = (run.task_runner, run.workers, dask_address)
            results = clean_shards(
                _jobs(run, inputs, config, str(docs.folder)),
                spec,
                validator,
                show_progress,
            )
        with timer("dedup"):
            dedup = deduplicate_run(paths, config, run.run_id, run.started_at)
        with timer("stage"):
            states = inputs.unreadable.state_texts()
            drops = discover_quarantine(inputs.drops, run.run_id, run.started_at, states)
            read = [f for r in results for f in r.read_files]  # the bytes actually read
            for r in results:  # objects a shard could not read: remembered as discovery's
                inputs.unreadable.remember(r.unreadable_objects)
            unreadable = inputs.unreadable.table(run.run_id, run.started_at)
            staged = stage_run(paths, dedup, read, drops, run.started_at, unreadable)
            documents = sum(r.documents for r in results) + len(inputs.drops)
            placed = (staged.articles, staged.duplicates, staged.quarantined)
            acc = accounting(documents, *placed, staged.already_published, staged.pages)
            # table-level checks, an unbalanced accounting, max_quarantine_share: a failed run
            failures, outcome = run_outcome(acc, config.run.max_quarantine_share)
            failures = sorted({f for r in results for f in r.table_failures}) + failures
        with timer("validate_report"):
            failures += validator.run_tables(staged, config, docs.folder).result()
            data_docs = docs.publish(validator.report(docs.folder).result())
    note = {"took_over_stale": lock.took_over.describe() if lock.took_over else None}
    report = (data_docs, recovered, note)
    manifest = run_manifest(
        run, inputs, results, staged, acc, (failures, outcome), report, timer, config.to_dict()
    ).to_dict()
    manifest["moved_aside"] = moved_aside
    stage_manifest(paths, manifest)
    publish(paths)
    until_commit.close()  # committed: Prefect's bookkeeping from here on is bounded
    if not publish_artifacts(manifest):  # the API did not answer its health check
        log.warning(
            "run %s is committed; the Prefect API does not answer: no artifacts", run.run_id
        )
    if show_progress:
        print(summary_text(manifest, run.output_dir.display()), flush=True)
    if failures:
        raise RunFailed(f"run {run.run_id} failed: {', '.join(failures)}")
    # the run's state message says how it ended (e.g. "all 12 new documents were rejected")
    return Completed(message=outcome, data=manifest)


def _jobs(
    run: RunIdentity, inputs: RunInputs, config: PipelineConfig, docs_dir: str | None
) -> list[ShardJob]:
    """One job a planned shard."""
    return [
        ShardJob(
            input_root=input_text(run.input_dir),
            files=tuple(files),
            output=run.output_dir.url,
            run_id=run.run_id,
            shard=shard_name(i),
            ingested_at=run.started_at,
            config=config,
            docs_dir=docs_dir,
        )
        for i, files in enumerate(inputs.shards)
    ]
