"""The run manifest: what went in, where every document ended, how long each stage took.

Pure functions over the shard results and the published tables; the flow writes the result to
OUTPUT/runs/<run_id>.json. `accounting` is the invariant the tests hold the pipeline to:
documents_in == articles + duplicates + quarantined (documents_in: the new documents).
"""

from __future__ import annotations

import platform
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from transforms.core.schema import PIPELINE_VERSION, QUALITY_FLAGS
from transforms.core.steps import StepStats
from transforms.core.storage import StorageLocation
from transforms.run.lock import note_progress

if TYPE_CHECKING:  # for annotations only: these modules import this one
    from transforms.run.inputs import RunInputs
    from transforms.run.shard import ShardResult
    from transforms.run.stage_outputs import StagedRun

_VERSIONED = ("prefect", "pyarrow", "trafilatura", "great-expectations", "lxml", "justext")


def versions() -> dict[str, str]:
    out = {"pipeline": PIPELINE_VERSION, "python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def reason_counts(quarantine: pa.Table) -> dict[str, int]:
    """'stage:reason' -> rows, from the quarantine table itself (the authoritative count)."""
    if quarantine.num_rows == 0:
        return {}
    grouped = quarantine.group_by(["stage", "reason"]).aggregate([("reason", "count")])
    rows = zip(
        grouped.column("stage").to_pylist(),
        grouped.column("reason").to_pylist(),
        grouped.column("reason_count").to_pylist(),
        strict=True,
    )
    return dict(sorted((f"{s}:{r}", n) for s, r, n in rows))


def flag_counts(articles: pa.Table) -> dict[str, int]:
    """Quality flag -> articles carrying it, from the published rows themselves."""
    if QUALITY_FLAGS not in articles.column_names or articles.num_rows == 0:
        return {}
    flags = pc.list_flatten(articles.column(QUALITY_FLAGS))
    if len(flags) == 0:
        return {}
    counts = pc.value_counts(flags).to_pylist()
    return {c["values"]: c["counts"] for c in counts}


def run_outcome(acc: dict, max_quarantine_share: float) -> tuple[list[str], str]:
    """(run-level failures, a one-line outcome) for a run's accounting.

    A run fails only when the pipeline itself broke (its accounting does not balance) or, when
    a team asked for it with `max_quarantine_share` < 1, when more than that share of its new
    documents was quarantined. A run whose inputs were all rejected completes and says so.
    """
    failures = []
    n, quarantined = acc["documents_in"], acc["quarantined"]
    if not acc["balanced"]:
        failures.append("accounting_not_balanced")
    share = quarantined / n if n else 0.0
    if share > max_quarantine_share:
        failures.append(f"quarantine_share_exceeded: {share:.1%} > {max_quarantine_share:.1%}")
    if not n:
        message = "nothing new to process"
    elif not acc["articles"] and not acc.get("pages") and not acc["duplicates"]:
        message = f"all {n} new documents were rejected (see quarantine)"
    else:
        message = (
            f"{acc['articles']} articles, {acc.get('pages', 0)} other pages, "
            f"{acc['duplicates']} duplicates, "
            f"{quarantined} quarantined of {n} new documents"
        )
    return failures, message


def accounting(
    documents_in: int,
    articles: int,
    duplicates: int,
    quarantined: int,
    already_published: int = 0,
    pages: int = 0,
) -> dict:
    """Where the run's documents ended. `documents_in` is given as every document read; those
    an earlier run already published (same doc_id: `transforms.run.published`) get no new row and
    are reported as `already_published`, outside the new documents the tables must add up to.
    """
    new = documents_in - already_published
    return {
        "documents_in": new,
        "already_published": already_published,
        "articles": articles,
        "pages": pages,
        "duplicates": duplicates,
        "quarantined": quarantined,
        "balanced": new == articles + pages + duplicates + quarantined,
    }


def merge_stats(stats: Sequence[dict]) -> StepStats:
    total = StepStats()
    for s in stats:
        total.merge(StepStats.from_dict(s))
    return total


def shard_timeline(
    spans: Sequence[tuple[str, int, float, float]], workers: int, since: float
) -> dict:
    """How the shard tasks filled the workers: each shard's span and the idle worker time.

    `spans` are (shard, files, started_at, finished_at) in epoch seconds, `since` the start of
    the clean phase. `idle_worker_seconds` is the worker time not spent in a shard between
    `since` and the last shard's end (worker start-up, and the tail where some workers have
    no shard left): the part of the clean phase that more, smaller shards or faster worker
    start-up could win back.
    """
    if not spans:
        return {"shards": [], "idle_worker_seconds": 0.0}
    end = max(f for _, _, _, f in spans)
    busy = sum(f - s for _, _, s, f in spans)
    rows = [
        {"shard": name, "files": files, "start": round(s - since, 3), "end": round(f - since, 3)}
        for name, files, s, f in sorted(spans, key=lambda r: r[2])
    ]
    idle = max(0.0, workers * (end - since) - busy)
    return {"shards": rows, "idle_worker_seconds": round(idle, 3)}


def stage_rows(manifest: dict) -> list[dict]:
    """One row a stage: documents removed and edits made, for the summary table artifact."""
    dropped: Counter[str] = Counter()
    for key, n in manifest["quarantine_reasons"].items():
        dropped[key.split(":", 1)[0]] += n
    seconds = manifest["timings"]["stage_cpu_seconds"]
    rows = []
    for stage in dict.fromkeys([*seconds, *dropped]):
        rows.append(
            {"stage": stage, "dropped": dropped.get(stage, 0), "cpu_s": seconds.get(stage, 0.0)}
        )
    acc = manifest["accounting"]
    rows.append({"stage": "dedup", "dropped": acc["duplicates"], "cpu_s": None})
    return rows


@dataclass(frozen=True, slots=True)
class RunIdentity:
    """Who and where a run is: fixed when it starts."""

    run_id: str
    started_at: datetime
    input_dir: Path | StorageLocation  # a local folder, or an object-store prefix
    output_dir: StorageLocation  # OUTPUT; the manifest records its display() (no credentials)
    task_runner: str
    workers: int
    clean_since: float = 0.0  # epoch seconds at the start of the clean phase


def shown_location(where: Path | StorageLocation) -> str:
    """A folder as the manifest records it: a local path resolved, a URI by its `display()`
    (never a credential)."""
    if isinstance(where, StorageLocation):
        where = where if not where.is_local else Path(where.url)
    if isinstance(where, StorageLocation):
        return where.display()
    return str(where.resolve())


class PhaseTimer:
    """Wall seconds of a run's phases: `with timer("clean"): ...`; `total` since creation."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        t = time.perf_counter()
        note_progress()  # a phase begins or ends: the run advances (its lock's heartbeat)
        try:
            yield
        finally:
            self.seconds[phase] = time.perf_counter() - t
            note_progress()

    def rounded(self) -> dict[str, float]:
        out = {k: round(v, 3) for k, v in self.seconds.items()}
        out["total"] = round(time.perf_counter() - self.started, 3)
        return out


@dataclass(slots=True)
class RunManifest:
    """One run's record, written to OUTPUT/runs/<run_id>.json (docs/data_dictionary.md: "The run manifest")."""

    run_id: str
    status: Literal["succeeded", "failed"]
    outcome: str  # one line: what the run published, or that every input was rejected
    started_at: str
    finished_at: str
    input_dir: str
    output_dir: str
    task_runner: str
    workers: int
    inputs: dict[str, Any]  # `transforms.run.inputs.RunInputs.counts`
    accounting: dict[str, Any]  # `accounting`
    quarantine_reasons: dict[str, int]  # "stage:reason" -> rows
    quality_flags: dict[str, int]  # flag -> published articles carrying it
    page_types: dict[str, int]  # page_type -> rows published in articles and pages
    changes: dict[str, int]  # in-place repairs by reason
    validation: dict[str, Any]  # GX statistics summed over the shards
    table_failures: list[str]  # non-empty: the run failed
    data_docs: str | None
    recovered_runs: list[Any]
    lock: dict[str, Any]
    fast_paths: dict[str, Any]  # transforms.fastpaths: versions, and shards that used them
    # new_stories, stories_merged (into another by a new document), link_rows by reason
    stories: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    # corrupt state files `python -m flows.doctor` moved aside since the run before
    # (transforms.run.state_check): key, problem, where it went, what follows
    moved_aside: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fast_paths_used(results: Sequence[ShardResult]) -> dict[str, Any]:
    """The manifest's `fast_paths`: the versions followed and installed, and how many shards
    ran with the fast paths on (0 on another version of trafilatura or justext)."""
    from transforms import fastpaths

    return {
        "supported": fastpaths.SUPPORTED,
        "installed": fastpaths.installed_versions(),
        "shards_with_fast_paths": sum(1 for r in results if r.fast_paths),
        "shards": len(results),
    }


def run_manifest(
    run: RunIdentity,
    inputs: RunInputs,
    results: Sequence[ShardResult],
    staged: StagedRun,
    acc: dict[str, Any],
    outcome: tuple[list[str], str],
    report: tuple[str | None, list[Any], dict[str, Any]],
    timer: PhaseTimer,
    config: dict[str, Any],
) -> RunManifest:
    """The manifest of a finished run. `acc`: its `accounting`; `outcome`: (failures, the
    one-line outcome); `report`: (Data Docs index, runs recovered at start, the lock's note)."""
    failures, line = outcome
    data_docs, recovered, lock = report
    stats = merge_stats([r.stats for r in results])
    timeline = shard_timeline(
        [(r.shard, r.files, r.started_at, r.finished_at) for r in results],
        run.workers,
        run.clean_since,
    )
    validation = merge_counts([r.validation for r in results])
    return RunManifest(
        run_id=run.run_id,
        status="failed" if failures else "succeeded",
        outcome=line,
        started_at=run.started_at.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        input_dir=shown_location(run.input_dir),
        output_dir=shown_location(run.output_dir),
        task_runner=run.task_runner,
        workers=run.workers,
        inputs=inputs.counts(),
        accounting=acc,
        quarantine_reasons=reason_counts(staged.quarantine),
        quality_flags=staged.quality_flags,
        page_types=staged.page_types,
        changes=dict(sorted(stats.changes.items())),
        validation=validation,
        table_failures=failures,
        data_docs=data_docs,
        recovered_runs=recovered,
        lock=lock,
        fast_paths=fast_paths_used(results),
        stories=staged.stories,
        timings={
            "wall_seconds": timer.rounded(),
            "stage_cpu_seconds": {k: round(v, 3) for k, v in stats.seconds.items()},
            "shards": timeline["shards"],
            "idle_worker_seconds": timeline["idle_worker_seconds"],
        },
        config=config,
        versions=versions(),
    )


def merge_counts(parts: Sequence[dict]) -> dict[str, Any]:
    """Sum shards' validation statistics; counts by name (quality_flags) are summed by name and
    the success share is recomputed, never summed."""
    total: dict[str, Any] = {}
    for part in parts:
        for k, v in (part or {}).items():
            if isinstance(v, int | float) and k != "success_percent":
                total[k] = total.get(k, 0) + v
            elif isinstance(v, dict):
                counts = total.setdefault(k, {})
                for name, n in v.items():
                    counts[name] = counts.get(name, 0) + n
    if total.get("evaluated_expectations"):
        share = total.get("successful_expectations", 0) / total["evaluated_expectations"]
        total["success_percent"] = round(100 * share, 2)
    return total
