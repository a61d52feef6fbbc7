"""The run manifest: what went in, where every document ended, how long each stage took.

Pure functions over the shard results and the published tables; the flow writes the result to
OUTPUT/runs/<run_id>.json. `accounting` is the invariant the tests hold the pipeline to:
documents_in == articles + duplicates + quarantined (documents_in: the new documents).
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Sequence
from importlib import metadata

import pyarrow as pa
import pyarrow.compute as pc

from transforms.core.schema import PIPELINE_VERSION, QUALITY_FLAGS
from transforms.core.steps import StepStats

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
    elif not acc["articles"] and not acc["duplicates"]:
        message = f"all {n} new documents were rejected (see quarantine)"
    else:
        message = (
            f"{acc['articles']} articles, {acc['duplicates']} duplicates, "
            f"{quarantined} quarantined of {n} new documents"
        )
    return failures, message


def accounting(
    documents_in: int,
    articles: int,
    duplicates: int,
    quarantined: int,
    already_published: int = 0,
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
        "duplicates": duplicates,
        "quarantined": quarantined,
        "balanced": new == articles + duplicates + quarantined,
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
