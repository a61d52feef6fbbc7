"""The clean phase of a run: one `clean_shard` task per shard, validated as they come back.

Shards are submitted heaviest first (`transforms.run.planning.execution_order`: by bytes), at
most a window of them unfinished at a time (so a big shard never starts last and idles the other
workers; `flows.runners.submit_in_window`). The
results go to the validator (local runs: the flow's process validates while the workers go on
cleaning, in batches of shards of at least `shards.validate_batch_rows` articles while every
worker has a shard, then each shard as it comes back, and the shards that came back while it was
busy in its next batch: `transforms.run.planning.validate_now`; Dask workers validate their own
shards), and the progress bar advances as the validated shards come back, in order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from prefect.futures import as_completed

from flows.progress import ShardProgress
from flows.runners import (
    TaskRunnerName,
    make_task_runner,
    submission_window,
    submit_in_window,
    workers_share_this_api,
)
from flows.tasks import clean_shard_task
from flows.validation import Validator
from transforms.run.planning import execution_order, validate_now
from transforms.run.shard import ShardJob, ShardResult


def clean_shards(
    jobs: Sequence[ShardJob],
    runner_spec: tuple[TaskRunnerName, int, str | None],
    validator: Validator,
    show_progress: bool,
) -> list[ShardResult]:
    """Run every shard job on the task runner `runner_spec` describes (name, workers, Dask
    address), heaviest first; the results, validated, in plan order."""
    if not jobs:
        return []
    results: list[ShardResult] = []
    name, workers, _ = runner_spec
    window = submission_window(name, workers, len(jobs))
    validate_here = not validator.validates_shards
    # the runner starts its workers once they can reach this run's API
    with workers_share_this_api(), make_task_runner(*runner_spec) as runner:

        def submit(job: ShardJob) -> Any:
            params = {"job": job, "validate_here": validate_here}
            return runner.submit(clean_shard_task, parameters=params)

        def first_done(futures: list) -> Any:
            return next(as_completed(futures))

        files = sum(len(j.files) for j in jobs)
        with ShardProgress(len(jobs), files, show_progress) as bar:
            checking: deque[Future] = deque()  # each of a list of validated results
            waiting: list[tuple[ShardResult, ShardJob]] = []  # for the validator's next batch
            order = execution_order([j.files for j in jobs])
            batch_rows = jobs[0].config.shards.validate_batch_rows
            submitted = submit_in_window([jobs[i] for i in order], submit, window, first_done)
            for finished, (job, future) in enumerate(submitted, start=1):
                result = future.result()
                if validator.validates_shards:
                    waiting.append((result, job))
                    unfinished = min(len(jobs), window + finished - 1) - finished
                    rows = sum(r.articles for r, _ in waiting)
                    # a busy validator: they wait and go in its next, larger batch
                    if validator.idle() and validate_now(rows, unfinished, workers, batch_rows):
                        checking.append(validator.shards(waiting))
                        waiting = []
                else:
                    done: Future = Future()
                    done.set_result([result])
                    checking.append(done)
                _collect(checking, bar, results, wait=False)
            if waiting:
                checking.append(validator.shards(waiting))
            _collect(checking, bar, results, wait=True)
    # shards finish in any order; the manifest's merged counts and timeline read them in plan order
    results.sort(key=lambda r: int(r.shard))
    return results


def _collect(checking: deque[Future], bar: ShardProgress, results: list, wait: bool) -> None:
    """Move validated shards, in order, from `checking` to `results` (all of them with `wait`)."""
    while checking and (wait or checking[0].done()):
        for result in checking.popleft().result():
            bar.advance(result.files, result.articles)
            results.append(result)
