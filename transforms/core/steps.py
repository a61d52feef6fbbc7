"""The step runner: owns the loop over documents, counting, timing and failure handling.

A stage is a `Step` subclass that implements `apply(doc) -> Drop | None`: it edits the document
in place (noting each edit with `doc.note(reason)`) and returns a `Drop` to reject it. The runner
catches exceptions so one bad document never kills a shard: it becomes a quarantine row with
reason `<step>_error`.

A `BatchStep` sees the documents of a batch together (for signals across documents, such as
lines that recur across a site's articles). `run_steps` runs the steps before it over every
document, then the batch step over the ones still kept, then the steps after it. Markup (raw
bytes, HTML, parsed tree) is released as a document leaves each segment, so the steps after a
batch step read only the text and the fields.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, ContentKind, Drop


class Stage(ABC):
    """What every stage has: a snake_case `name`, the content kinds it applies to, the config."""

    name: ClassVar[str]
    applies_to: ClassVar[frozenset[ContentKind]] = frozenset({"html", "text"})

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()


class Step(Stage):
    """One per-document stage. Subclasses set `name` and implement `apply`."""

    @abstractmethod
    def apply(self, doc: Article) -> Drop | None:
        """Clean `doc` in place; return a Drop to reject it."""

    def drop(self, reason: str, detail: str = "", value: str | None = None) -> Drop:
        return Drop(stage=self.name, reason=reason, detail=detail, value=value)


class BatchStep(Stage):
    """A stage that needs the documents of a batch together. It never drops a document."""

    @abstractmethod
    def apply_batch(self, docs: list[Article]) -> None:
        """Edit `docs` in place, noting each edit on its document."""


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


def _segments(
    steps: Sequence[Step | BatchStep],
) -> list[tuple[list[Step], BatchStep | None]]:
    """Split `steps` at each batch step: [(per-document steps, the batch step after them)]."""
    segments: list[tuple[list[Step], BatchStep | None]] = []
    current: list[Step] = []
    for step in steps:
        if isinstance(step, BatchStep):
            segments.append((current, step))
            current = []
        else:
            current.append(step)
    segments.append((current, None))
    return segments


def _apply(doc: Article, steps: Sequence[Step], stats: StepStats) -> Drop | None:
    # CPU time of this thread: wall time on a shared machine (or beside another worker) would
    # charge a stage for time it spent waiting for a core; per-thread, so it also holds under
    # a thread-pool task runner
    clock = time.thread_time
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
    _count_changes(doc, before, stats)
    # markup and parsed trees are large; a batch keeps only the cleaned fields
    doc.markup.release()
    return verdict


def _count_changes(doc: Article, before: dict[str, int], stats: StepStats) -> None:
    for reason, n in doc.changes.items():
        stats.changes[reason] += n - before.get(reason, 0)


def _apply_batch(step: BatchStep, docs: list[Article], stats: StepStats) -> None:
    batch = [d for d in docs if d.content_kind in step.applies_to]
    before = [dict(d.changes) for d in batch]
    t0 = time.thread_time()
    try:
        step.apply_batch(batch)
    except Exception:  # a batch signal is an improvement, never a reason to fail a shard
        stats.changes[f"{step.name}_error"] += 1
    stats.seconds[step.name] += time.thread_time() - t0
    for doc, b in zip(batch, before, strict=True):
        _count_changes(doc, b, stats)


def run_steps(
    docs: Iterable[Article], steps: Sequence[Step | BatchStep], stats: StepStats | None = None
) -> tuple[list[Article], list[tuple[Article, Drop]], StepStats]:
    """Apply `steps` to each document in order. Returns (kept, dropped, stats).

    Per-document steps stream (one document in memory with its markup at a time); a batch step
    waits for every document before it and is applied to those still kept.
    """
    stats = stats or StepStats()
    dropped: list[tuple[Article, Drop]] = []
    current: Iterable[Article] = docs
    kept: list[Article] = []
    for k, (segment, batch_step) in enumerate(_segments(steps)):
        kept = []
        for doc in current:
            if k == 0:
                stats.docs_in += 1
            verdict = _apply(doc, segment, stats)
            if verdict is None:
                kept.append(doc)
            else:
                dropped.append((doc, verdict))
                stats.dropped[f"{verdict.stage}:{verdict.reason}"] += 1
        if batch_step is not None:
            _apply_batch(batch_step, kept, stats)
        current = kept
    stats.docs_out += len(kept)
    return kept, dropped, stats
