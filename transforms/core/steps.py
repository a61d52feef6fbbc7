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

Each stage declares what it reads and writes (`reads`, `writes`: names of `Article` fields or of
its transient `Markup`, as NeMo Curator's stages declare `inputs()`/`outputs()`), and what it
leaves behind no more (`releases`). `check_order` verifies a list of steps against them, so a
step placed before what it needs fails when the list is built, not on the first document.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, get_args

from transforms.core.budget import DocumentTooCostly, cpu_budget, peak_memory_mb
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, ContentKind, Drop, Markup

MARKUP_FIELDS = frozenset(f.name for f in fields(Markup))
# the names a stage may declare: the record's fields and its transient markup's. `changes` is
# the runner's audit log, which every stage may write through `Article.note`: never declared
FIELD_NAMES = frozenset(f.name for f in fields(Article)) - {"markup", "changes"} | MARKUP_FIELDS

# Called with a step's name and the document after the step ran on it (measurement only: `make
# eval` scores the body after each step with it). None in the flow: the loop then pays one test.
Observer = Callable[[str, Article], None]


class StepBase(ABC):
    """What every step (per-document `Step` or `BatchStep`) has: a snake_case `name`, the content kinds it applies to, the config,
    the fields it reads, writes and releases (checked by `check_order`), and the `section` of the
    config its code reads (`self.settings`, e.g. `config.clean`).

    The runner and the step list hold the whole config; a stage reads only its own section, so
    it cannot silently depend on another phase's knobs (a test holds every stage to it).
    """

    name: ClassVar[str]
    applies_to: ClassVar[frozenset[ContentKind]] = frozenset({"html", "text"})
    section: ClassVar[str | None] = None  # a PipelineConfig section name; None: reads none
    # no defaults: a stage that does not say what it reads and writes fails `check_order`
    reads: ClassVar[frozenset[str]]
    writes: ClassVar[frozenset[str]]
    # where what a stage writes depends on the content kind (decoding: markup or text), per kind
    writes_by_kind: ClassVar[Mapping[ContentKind, frozenset[str]]] = {}
    # fields the stage consumes: no later stage may read them (extraction takes the tree)
    releases: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()

    @property
    def settings(self) -> Any:
        """This stage's section of the config (None for a stage that reads no setting)."""
        return None if self.section is None else getattr(self.config, self.section)


class Step(StepBase):
    """One per-document stage. Subclasses set `name` and implement `apply`."""

    @abstractmethod
    def apply(self, doc: Article) -> Drop | None:
        """Clean `doc` in place; return a Drop to reject it."""

    def drop(self, reason: str, detail: str = "", value: str | None = None) -> Drop:
        return Drop(stage=self.name, reason=reason, detail=detail, value=value)


class BatchStep(StepBase):
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


class StepOrderError(ValueError):
    """A list of steps in which a step reads a field that is not there when it runs."""


def _check_declared(step: StepBase) -> None:
    for attr in ("reads", "writes"):
        if not isinstance(getattr(step, attr, None), frozenset):
            raise StepOrderError(f"step {step.name!r} ({type(step).__name__}) declares no {attr}")
    declared = [step.reads, step.writes, step.releases, *step.writes_by_kind.values()]
    unknown = sorted(frozenset().union(*declared) - FIELD_NAMES)
    if unknown:
        raise StepOrderError(f"step {step.name!r} declares unknown fields {unknown}")


def check_order(steps: Sequence[StepBase], available: Iterable[str]) -> None:
    """Check that every field a step reads is there when it runs; raise `StepOrderError`
    naming the step and the field otherwise.

    `available` is what the readers provide. A field is there when it is available or an
    earlier step wrote it, unless a step since released it or (markup) a batch step came
    between: the runner releases the markup as documents leave each run of per-document steps.
    Checked for each content kind over the steps that apply to it, since what a step writes may
    differ by kind (decoding yields markup for HTML, text for plain text).
    """
    available = frozenset(available)
    unknown = sorted(available - FIELD_NAMES)
    if unknown:
        raise StepOrderError(f"available names unknown fields {unknown}")
    for step in steps:
        _check_declared(step)
    for kind in get_args(ContentKind):
        present = set(available)
        gone: dict[str, str] = {}  # field -> what released it, for the message
        for step in steps:
            if isinstance(step, BatchStep):
                for name in MARKUP_FIELDS & present:
                    gone[name] = f"the runner before batch step {step.name!r}"
                present -= MARKUP_FIELDS
            if kind not in step.applies_to:
                continue
            for name in sorted(step.reads - present):
                why = (
                    f"it was released by {gone[name]}"
                    if name in gone
                    else "no reader provides it and no earlier step writes it"
                )
                raise StepOrderError(
                    f"step {step.name!r} ({type(step).__name__}) reads {name!r} on {kind} "
                    f"documents, but {why}"
                )
            written = step.writes_by_kind.get(kind, step.writes)
            present |= written
            for name in written:
                gone.pop(name, None)
            for name in step.releases - written:
                present.discard(name)
                gone[name] = f"step {step.name!r}"


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


def _apply(
    doc: Article, steps: Sequence[Step], stats: StepStats, observe: Observer | None = None
) -> Drop | None:
    # CPU time of this thread: wall time on a shared machine (or beside another worker) would
    # charge a stage for time it spent waiting for a core; per-thread, so it also holds under
    # a thread-pool task runner
    clock = time.thread_time
    before = dict(doc.changes)
    verdict: Drop | None = None
    budget = steps[0].config.read.max_document_cpu_seconds if steps else 0.0
    step, t0, start = None, clock(), clock()
    try:
        with cpu_budget(budget):  # one costly document must never stall the shard
            for step in steps:
                if doc.content_kind not in step.applies_to:
                    continue
                t0 = clock()
                try:
                    verdict = step.apply(doc)
                except Exception as exc:  # one bad document must never kill the shard
                    verdict = Drop(step.name, f"{step.name}_error", f"{type(exc).__name__}: {exc}")
                stats.seconds[step.name] += clock() - t0
                if observe is not None:
                    observe(step.name, doc)
                if verdict is not None:
                    break
    except DocumentTooCostly:
        name = step.name if step is not None else "steps"
        stats.seconds[name] += clock() - t0
        size = len(doc.markup.html or "") or len(doc.markup.raw or b"") or len(doc.text)
        detail = (
            f"over its budget of {budget:g} s of CPU in {name}: {clock() - start:.1f} s, "
            f"{size} characters of markup, process peak {peak_memory_mb()} MB"
        )
        verdict = Drop(name, "document_too_costly", detail)
    _count_changes(doc, before, stats)
    # markup and parsed trees are large; a batch keeps only the cleaned fields
    doc.markup.release()
    return verdict


def _count_changes(doc: Article, before: dict[str, int], stats: StepStats) -> None:
    for reason, n in doc.changes.items():
        stats.changes[reason] += n - before.get(reason, 0)


def _apply_batch(
    step: BatchStep, docs: list[Article], stats: StepStats, observe: Observer | None = None
) -> None:
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
        if observe is not None:
            observe(step.name, doc)


def run_steps(
    docs: Iterable[Article],
    steps: Sequence[Step | BatchStep],
    stats: StepStats | None = None,
    observe: Observer | None = None,
) -> tuple[list[Article], list[tuple[Article, Drop]], StepStats]:
    """Apply `steps` to each document in order. Returns (kept, dropped, stats).

    Per-document steps stream (one document in memory with its markup at a time); a batch step
    waits for every document before it and is applied to those still kept. `observe`, when
    given, sees each document after each step that ran on it (including the one that dropped it).
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
            verdict = _apply(doc, segment, stats, observe)
            if verdict is None:
                kept.append(doc)
            else:
                dropped.append((doc, verdict))
                stats.dropped[f"{verdict.stage}:{verdict.reason}"] += 1
        if batch_step is not None:
            _apply_batch(batch_step, kept, stats, observe)
        current = kept
    stats.docs_out += len(kept)
    return kept, dropped, stats
