"""The step runner: owns the loop over documents, counting, timing and failure handling.

A stage is a `Step` subclass that implements `apply(doc) -> Drop | None`: it edits the document
in place (noting each edit with `doc.note(reason)`) and returns a `Drop` to reject it. The runner
catches exceptions so one bad document never kills a shard: it becomes a quarantine row with
reason `<step>_error`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from transforms.config import PipelineConfig
from transforms.record import Article, ContentKind, Drop


class Step(ABC):
    """One per-document stage. Subclasses set `name` and implement `apply`."""

    name: ClassVar[str]
    applies_to: ClassVar[frozenset[ContentKind]] = frozenset({"html", "text"})

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()

    @abstractmethod
    def apply(self, doc: Article) -> Drop | None:
        """Clean `doc` in place; return a Drop to reject it."""

    def drop(self, reason: str, detail: str = "", value: str | None = None) -> Drop:
        return Drop(stage=self.name, reason=reason, detail=detail, value=value)


@dataclass
class StepStats:
    """Counts and timings of a run of steps; mergeable across shards."""

    docs_in: int = 0
    docs_out: int = 0
    dropped: Counter[str] = field(default_factory=Counter)  # "stage:reason" -> n
    changes: Counter[str] = field(default_factory=Counter)  # reason -> n
    seconds: Counter[str] = field(default_factory=Counter)  # stage -> CPU seconds (this thread)

    def merge(self, other: StepStats) -> StepStats:
        self.docs_in += other.docs_in
        self.docs_out += other.docs_out
        self.dropped.update(other.dropped)
        self.changes.update(other.changes)
        self.seconds.update(other.seconds)
        return self

    def to_dict(self) -> dict:
        return {
            "docs_in": self.docs_in,
            "docs_out": self.docs_out,
            "dropped": dict(self.dropped),
            "changes": dict(self.changes),
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }

    @classmethod
    def from_dict(cls, d: dict) -> StepStats:
        return cls(
            d["docs_in"],
            d["docs_out"],
            Counter(d["dropped"]),
            Counter(d["changes"]),
            Counter(d["seconds"]),
        )


def run_steps(
    docs: Iterable[Article], steps: Sequence[Step], stats: StepStats | None = None
) -> tuple[list[Article], list[tuple[Article, Drop]], StepStats]:
    """Apply `steps` to each document in order. Returns (kept, dropped, stats)."""
    stats = stats or StepStats()
    kept: list[Article] = []
    dropped: list[tuple[Article, Drop]] = []
    # CPU time of this thread: wall time on a shared machine (or beside another worker) would
    # charge a stage for time it spent waiting for a core; per-thread, so it also holds under
    # a thread-pool task runner
    clock = time.thread_time
    for doc in docs:
        stats.docs_in += 1
        before = dict(doc.changes)
        verdict: Drop | None = None
        for step in steps:
            if doc.content_kind not in step.applies_to:
                continue
            t0 = clock()
            try:
                verdict = step.apply(doc)
            except Exception as exc:  # one bad document must never kill the shard
                verdict = Drop(step.name, f"{step.name}_error", f"{type(exc).__name__}: {exc}")
            stats.seconds[step.name] += clock() - t0
            if verdict is not None:
                break
        for reason, n in doc.changes.items():
            stats.changes[reason] += n - before.get(reason, 0)
        # markup and parsed trees are large; a shard keeps only the cleaned fields
        doc.tree = None
        doc.html = None
        doc.raw = b""
        if verdict is None:
            kept.append(doc)
            stats.docs_out += 1
        else:
            dropped.append((doc, verdict))
            stats.dropped[f"{verdict.stage}:{verdict.reason}"] += 1
    return kept, dropped, stats
