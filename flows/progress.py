"""A terminal progress bar for long runs: shards and files done, articles kept, rate, ETA."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from transforms.run.lock import note_progress


class ShardProgress:
    """Context manager; `advance(files, articles)` after each shard completes.

    Draws on stderr when it is a terminal and `enabled`; otherwise prints one plain line per
    shard so that scheduled runs and CI logs still show progress.
    """

    def __init__(self, shards: int, files: int, enabled: bool = True) -> None:
        self.shards, self.files, self.enabled = shards, files, enabled
        self.done_shards = self.articles = 0
        console = Console(stderr=True)
        self._live = enabled and console.is_terminal
        self._progress = Progress(
            TextColumn("[bold]cleaning[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[articles]} articles · shard {task.fields[shard]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = None

    def __enter__(self) -> ShardProgress:
        if self._live:
            self._progress.start()
            self._task = self._progress.add_task(
                "clean", total=self.files, articles=0, shard=f"0/{self.shards}"
            )
        return self

    def advance(self, files: int, articles: int) -> None:
        note_progress()  # a shard finished: the run advances (its lock's heartbeat)
        self.done_shards += 1
        self.articles += articles
        if self._live:
            self._progress.update(
                self._task,
                advance=files,
                articles=self.articles,
                shard=f"{self.done_shards}/{self.shards}",
            )
        elif self.enabled:
            print(
                f"shard {self.done_shards}/{self.shards} done: {articles} articles",
                file=sys.stderr,
                flush=True,
            )

    def __exit__(self, *exc) -> None:
        if self._live:
            self._progress.stop()
