"""Where a run's validation happens: beside the cleaning, on a core the cleaning leaves free.

Every runner alike: the shards' rows come back to the flow unwritten, and the `Validator`
validates them, one batch of shards at a time, while the workers go on cleaning, then writes
each shard's staged files once (`transforms.run.shard.stage_shards`); it also validates the
run's duplicates, quarantine and story_links tables and renders the Data Docs index at the end.
Great Expectations costs seconds of CPU to import and a fixed cost plus a cost a row per batch
(docs/performance.md); worker processes never pay it.

- `process` and `dask` runners: the flow's own process waits while the workers clean, so the
  validator is a thread of it.
- `thread` runner (one worker: shards are cleaned on a thread of the flow's process): with two
  shards or more, the validator is one spawned process, so validating a shard overlaps with
  cleaning the next on the machine's other core; with a single shard nothing can overlap and it
  is a thread.

The import of GX starts on the validator as soon as the run has work (`warm_up`), so it is off
the run's critical path.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from expectations.shards import build_report_if_any, validate_articles, validate_run_tables
from flows.fast_exit import arm_worker
from transforms.core.config import PipelineConfig
from transforms.core.schema import DUPLICATES, QUARANTINE, STORY_LINKS
from transforms.run.shard import ShardJob, ShardResult, stage_shards


class Validator:
    """An executor for a run's validation work (see the module docstring for where it runs)."""

    def __init__(self, task_runner: str, shards: int) -> None:
        self.in_process = task_runner == "thread" and shards >= 2
        self._executor: Executor | None = None
        self._last: Future | None = None  # the latest submission (they run one at a time)

    def __enter__(self) -> Validator:
        if self.in_process:
            # spawn, not fork: the flow process runs threads (Prefect's, the shard's)
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=arm_worker
            )
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=exc[0] is not None)

    def _submit(self, fn: Any, *args: Any) -> Future:
        if self._executor is None:
            raise RuntimeError("Validator used outside its `with` block")
        self._last = self._executor.submit(fn, *args)
        return self._last

    def idle(self) -> bool:
        """Nothing submitted is waiting or running (GX's warm-up included)."""
        return self._last is None or self._last.done()

    def warm_up(self) -> Future:
        """Import GX and build its context on the validator now."""
        from expectations.validate import warm_up

        return self._submit(warm_up)

    def shards(self, cleaned: list[tuple[ShardResult, ShardJob]]) -> Future:
        """Validate cleaned shards as one batch and write them: a future of their results
        (`stage_shards`)."""
        return self._submit(stage_shards, cleaned, validate_articles)

    def run_tables(self, staged: Any, config: PipelineConfig, docs_dir: Path) -> Future:
        """Validate the run's duplicates, quarantine and story_links tables
        (`validate_run_tables`)."""
        tables = {
            DUPLICATES: staged.duplicates_table,
            QUARANTINE: staged.quarantine,
            STORY_LINKS: staged.story_links,
        }
        return self._submit(validate_run_tables, tables, config, docs_dir)

    def report(self, docs_dir: Path) -> Future:
        """Render the run's Data Docs index (None when nothing was validated)."""
        return self._submit(build_report_if_any, docs_dir)
