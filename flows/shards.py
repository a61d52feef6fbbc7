"""The clean phase of a run: one `clean_shard` task per shard, validated and staged as they come.

Shards are submitted heaviest first (`transforms.run.planning.execution_order`: by bytes), at
most a window of them unfinished at a time (`transforms.run.planning.submission_window`), so a big shard
never starts last and idles the other workers. Their rows come back to the flow unwritten; the
validator validates and writes them (`flows.validation`) in batches of shards of at least
`shards.validate_batch_rows` articles while every worker has a shard, then each shard as it
comes back, and the shards that came back while it was busy in its next batch
(`transforms.run.planning.validate_now`); the progress bar advances as the staged shards come
back, in order.

On worker processes each shard has a time limit (`transforms.run.shard_time`): the flow waits
no longer than the nearest deadline; a shard past its own has the pool's workers killed and is
tried once more on a fresh pool (with the shards that were running beside it), then
quarantined (`shard_timeout`), and the run goes on with the rest.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from typing import Any

from prefect.futures import as_completed

from flows.progress import ShardProgress
from flows.runners import make_task_runner, workers_share_this_api
from flows.tasks import clean_shard_task
from flows.validation import Validator
from transforms.run.planning import (
    TaskRunnerName,
    execution_order,
    submission_window,
    validate_now,
)
from transforms.run.shard import ShardJob, ShardResult
from transforms.run.shard_time import ATTEMPTS, ShardClock, time_limit, timed_out_shard


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
    # the runner starts its workers once they can reach this run's API
    with workers_share_this_api():
        files = sum(len(j.files) for j in jobs)
        with ShardProgress(len(jobs), files, show_progress) as bar:
            staging: deque[Future] = deque()  # each of a list of staged results
            waiting: list[tuple[ShardResult, ShardJob]] = []  # for the validator's next batch
            batch_rows = jobs[0].config.shards.validate_batch_rows
            todo = deque(jobs[i] for i in execution_order([j.files for j in jobs]))
            for finished, (job, result) in enumerate(_finished(todo, runner_spec, window), 1):
                waiting.append((result, job))
                unfinished = min(len(jobs), window + finished - 1) - finished
                rows = sum(r.articles for r, _ in waiting)
                # a busy validator: they wait and go in its next, larger batch
                if validator.idle() and validate_now(rows, unfinished, workers, batch_rows):
                    staging.append(validator.shards(waiting))
                    waiting = []
                _collect(staging, bar, results, wait=False)
            if waiting:
                staging.append(validator.shards(waiting))
            _collect(staging, bar, results, wait=True)
    # shards finish in any order; the manifest's merged counts and timeline read them in plan order
    results.sort(key=lambda r: int(r.shard))
    return results


def _finished(
    todo: deque[ShardJob], runner_spec: tuple[TaskRunnerName, int, str | None], window: int
) -> Iterator[tuple[ShardJob, ShardResult]]:
    """Run the jobs of `todo` in order, never more than `window` at once; yield each (job,
    result) as it finishes. On worker processes, a shard past its time limit has the pool's
    workers killed; it and the shards beside it go back to the front of `todo` for a fresh
    pool, until it has passed its limit `ATTEMPTS` times: then its result is `timed_out_shard`."""
    name, workers, _ = runner_spec
    overdue_count: Counter[str] = Counter()
    while todo:
        clock = ShardClock(workers)
        with make_task_runner(*runner_spec) as runner:
            running: dict[Any, ShardJob] = {}
            while todo or running:
                while todo and len(running) < window:
                    job = todo.popleft()
                    running[runner.submit(clean_shard_task, parameters={"job": job})] = job
                    clock.submitted(job.shard, time_limit(job), time.monotonic())
                if name == "process":
                    done = _first_done(list(running), clock.wait_seconds(time.monotonic()))
                else:  # threads and Dask: no worker to kill, no limit
                    done = next(as_completed(list(running)))
                if done is None:
                    overdue = set(clock.overdue(time.monotonic()))
                    runner.kill_workers()
                    for job in reversed(list(running.values())):
                        overdue_count[job.shard] += job.shard in overdue
                        if overdue_count[job.shard] < ATTEMPTS:
                            todo.appendleft(job)
                        else:
                            yield job, timed_out_shard(job, time_limit(job), ATTEMPTS)
                    break
                job = running.pop(done)
                clock.finished(job.shard, time.monotonic())
                yield job, done.result()


def _first_done(futures: list, timeout: float | None) -> Any:
    """The first of `futures` to finish, or None when `timeout` seconds pass first."""
    finished: list = []
    event = threading.Event()

    def note(future: Any) -> None:
        finished.append(future)
        event.set()

    for future in futures:
        future.add_done_callback(note)
    return finished[0] if event.wait(timeout) else None


def _collect(staging: deque[Future], bar: ShardProgress, results: list, wait: bool) -> None:
    """Move staged shards, in order, from `staging` to `results` (all of them with `wait`)."""
    while staging and (wait or staging[0].done()):
        for result in staging.popleft().result():
            bar.advance(result.files, result.articles)
            results.append(result)
