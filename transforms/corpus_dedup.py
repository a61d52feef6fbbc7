"""The run-level deduplication stage: staged shards in, duplicate rows and a keep-mask out.

Wraps the signature matching of `transforms.dedup` with what only the run knows: the order of
the staged shards, raw records seen twice (same doc_id: the same bytes saved at two paths, or
already published by an earlier run), and the columns the `duplicates` table reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.config import PipelineConfig
from transforms.dedup import find_duplicates
from transforms.schema import ARTICLES, DEDUP_INDEX, DUPLICATES_SCHEMA
from transforms.store import RunPaths

IDENTICAL_RECORD_RULE = "identical_raw_record"
ALREADY_PUBLISHED_RULE = "already_published"
_REPORTED = ["doc_id", "source_path", "source_record", "source_format", "url", "title"]


@dataclass
class RunDedup:
    """Outcome of deduplicating one run's staged articles."""

    staged_files: list[Path]  # in order; `keep` is aligned with their concatenated rows
    keep: np.ndarray  # bool per staged row
    duplicates: pa.Table  # DUPLICATES_SCHEMA
    index_rows: pa.Table  # rows to append to OUTPUT/dedup_index


def staged_article_files(paths: RunPaths) -> list[Path]:
    return sorted(paths.shards.glob(f"{ARTICLES}-*.parquet"))


def deduplicate_run(
    paths: RunPaths, config: PipelineConfig, run_id: str, ingested_at: datetime
) -> RunDedup:
    """Find the duplicates among this run's staged articles and against earlier runs."""
    files = staged_article_files(paths)
    staged = _read_signatures(files)
    n = staged.num_rows
    keep = np.ones(n, dtype=bool)
    dup_parts: list[pa.Table] = []

    # 1. the same raw record twice in this run: keep the first (shards are in input order)
    ids = staged.column("doc_id").to_numpy(zero_copy_only=False)
    _, first = np.unique(ids, return_index=True)
    repeated = np.ones(n, dtype=bool)
    repeated[first] = False
    if repeated.any():
        keep &= ~repeated
        dup_parts.append(_self_rows(staged, repeated, IDENTICAL_RECORD_RULE))

    # 2. a raw record an earlier run already published
    index_dir = paths.output / DEDUP_INDEX
    if _has_parquet(index_dir) and n:
        published = ds.dataset(index_dir, format="parquet").to_table(
            columns=["doc_id"], filter=ds.field("doc_id").isin(staged.column("doc_id"))
        )
        seen = keep & pc.is_in(staged.column("doc_id"), published.column("doc_id")).to_numpy(
            zero_copy_only=False
        )
        if seen.any():
            keep &= ~seen
            dup_parts.append(_self_rows(staged, seen, ALREADY_PUBLISHED_RULE))

    # 3. exact and near duplicates by body, within the run and against the index
    candidates = staged.filter(pa.array(keep))
    result = find_duplicates(
        candidates, str(index_dir) if _has_parquet(index_dir) else None, config
    )
    matched = result.duplicates
    if matched.num_rows:
        dropped_ids = pc.is_in(staged.column("doc_id"), matched.column("doc_id")).to_numpy(
            zero_copy_only=False
        )
        keep &= ~dropped_ids
        reported = staged.select(_REPORTED).filter(pa.array(dropped_ids & ~repeated))
        dup_parts.append(_near_rows(reported, matched))

    duplicates = _finish(dup_parts, run_id, ingested_at)
    index_rows = result.index_rows(staged.filter(pa.array(keep)))
    return RunDedup(files, keep, duplicates, index_rows)


def _has_parquet(folder: Path) -> bool:
    return folder.is_dir() and any(folder.rglob("*.parquet"))


def _read_signatures(files: list[Path]) -> pa.Table:
    if not files:
        return pa.table({c: pa.array([], pa.string()) for c in _REPORTED})
    return ds.dataset(files, format="parquet").to_table()


def _self_rows(staged: pa.Table, mask: np.ndarray, rule: str) -> pa.Table:
    rows = staged.select(_REPORTED).filter(pa.array(mask))
    n = rows.num_rows
    return (
        rows.append_column("duplicate_of", rows.column("doc_id"))
        .append_column("kind", pa.array(["exact"] * n))
        .append_column("similarity", pa.array([1.0] * n))
        .append_column("rule", pa.array([rule] * n))
    )


def _near_rows(reported: pa.Table, matched: pa.Table) -> pa.Table:
    joined = reported.join(
        matched.select(["doc_id", "duplicate_of", "kind", "similarity", "rule"]), keys="doc_id"
    )
    return joined.select([*_REPORTED, "duplicate_of", "kind", "similarity", "rule"])


def _finish(parts: list[pa.Table], run_id: str, ingested_at: datetime) -> pa.Table:
    if not parts:
        return DUPLICATES_SCHEMA.empty_table()
    table = pa.concat_tables(parts, promote_options="permissive")
    n = table.num_rows
    table = table.append_column(
        "ingested_at", pa.array([ingested_at] * n, pa.timestamp("us", tz="UTC"))
    )
    table = table.append_column("run_id", pa.array([run_id] * n))
    return table.select(DUPLICATES_SCHEMA.names).cast(DUPLICATES_SCHEMA)
