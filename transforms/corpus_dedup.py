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
from transforms.schema import ARTICLES, DEDUP_INDEX, DEDUP_INDEX_SCHEMA, DUPLICATES_SCHEMA
from transforms.store import RunPaths
from transforms.tables import ALREADY_PROCESSED_RULE, IDENTICAL_RECORD_RULE

_REPORTED = ["doc_id", "source_path", "source_record", "source_format", "url", "title"]
_SIGNATURES = ["body_hash", "minhash", "band_keys", "shingle_count", "word_count", "published_at"]


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
    if not files:
        empty = np.zeros(0, dtype=bool)
        return RunDedup(
            files, empty, _finish([], run_id, ingested_at), DEDUP_INDEX_SCHEMA.empty_table()
        )
    staged = ds.dataset(files, format="parquet").to_table(columns=_REPORTED + _SIGNATURES)
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

    # 2. a raw record an earlier run already took in: it joins that record's cluster
    index_dir = paths.output / DEDUP_INDEX
    has_index = _has_parquet(index_dir)
    if has_index and n:
        earlier = ds.dataset(index_dir, format="parquet").to_table(
            columns=["doc_id", "cluster_id"],
            filter=(ds.field("band") == 0) & ds.field("doc_id").isin(staged.column("doc_id")),
        )
        seen = keep & pc.is_in(staged.column("doc_id"), earlier.column("doc_id")).to_numpy(
            zero_copy_only=False
        )
        if seen.any():
            keep &= ~seen
            rows = staged.select(_REPORTED).filter(pa.array(seen)).join(earlier, keys="doc_id")
            dup_parts.append(
                _with_rule(
                    rows.rename_columns({"cluster_id": "duplicate_of"}), ALREADY_PROCESSED_RULE
                )
            )

    # 3. exact and near duplicates by body, within the run and against the index
    candidates_idx = np.flatnonzero(keep)
    candidates = staged.take(pa.array(candidates_idx))
    result = find_duplicates(candidates, str(index_dir) if has_index else None, config)
    keep[candidates_idx] = result.keep
    if result.duplicates.num_rows:
        reported = candidates.select(_REPORTED).join(
            result.duplicates.select(["doc_id", "duplicate_of", "kind", "similarity", "rule"]),
            keys="doc_id",
            join_type="inner",
        )
        dup_parts.append(reported)

    duplicates = _finish(dup_parts, run_id, ingested_at)
    index_rows = result.index_rows(staged.filter(pa.array(keep)).select(["doc_id"]))
    return RunDedup(files, keep, duplicates, index_rows)


def _has_parquet(folder: Path) -> bool:
    return folder.is_dir() and any(folder.rglob("*.parquet"))


def _self_rows(staged: pa.Table, mask: np.ndarray, rule: str) -> pa.Table:
    rows = staged.select(_REPORTED).filter(pa.array(mask))
    return _with_rule(rows.append_column("duplicate_of", rows.column("doc_id")), rule)


def _with_rule(rows: pa.Table, rule: str) -> pa.Table:
    n = rows.num_rows
    return (
        rows.append_column("kind", pa.array(["exact"] * n))
        .append_column("similarity", pa.array([1.0] * n))
        .append_column("rule", pa.array([rule] * n))
    )


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
