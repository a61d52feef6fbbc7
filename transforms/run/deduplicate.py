"""The run-level deduplication stage: staged shards in, duplicate rows and a keep-mask out.

Wraps the signature matching of `transforms.dedup.clusters` with what only the run knows: the order of
the staged shards, records an earlier run already published (same doc_id), identical raw bytes
seen twice (same content_hash: the same bytes saved at two paths or on two lines, in this run
or an earlier one), and the columns the `duplicates` table reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms.core.config import PipelineConfig
from transforms.core.schema import (
    ARTICLES,
    DEDUP_INDEX,
    DEDUP_INDEX_SCHEMA,
    DUPLICATES_SCHEMA,
    STORY_LINKS_SCHEMA,
)
from transforms.dedup.clusters import find_duplicates
from transforms.dedup.index_scan import IndexScan
from transforms.dedup.minhash import matrix, signature_params
from transforms.run.published import published_ids
from transforms.run.store import RunPaths
from transforms.run.stories import link_stories
from transforms.run.tables import ALREADY_PROCESSED_RULE, IDENTICAL_RECORD_RULE

_REPORTED = [
    "doc_id",
    "content_hash",
    "source_path",
    "source_record",
    "source_format",
    "url",
    "title",
    "site_name",
    "published_at",
    "published_date",
]
_SIGNATURES = ["body_hash", "minhash", "band_keys", "shingle_count", "word_count", "changes"]
URL_FROM_LINK = "url_canonical"  # the change noted when the url is the page's canonical link


@dataclass
class RunDedup:
    """Outcome of deduplicating one run's staged articles."""

    staged_files: list[
        str
    ]  # keys under OUTPUT, in order; `keep` is aligned with their concatenated rows
    keep: np.ndarray  # bool per staged row
    duplicates: pa.Table  # DUPLICATES_SCHEMA
    index_rows: pa.Table  # rows to append to OUTPUT/dedup_index
    already_published: int = 0  # staged rows an earlier run published (same doc_id): no row
    # rows to append to OUTPUT/story_links: earlier stories that a new document linked
    story_links: pa.Table = field(default_factory=STORY_LINKS_SCHEMA.empty_table)


def staged_article_files(paths: RunPaths) -> list[str]:
    """Keys of the run's staged article files, in shard order."""
    names = paths.store.children(paths.shards)
    return [
        f"{paths.shards}/{n}"
        for n in names
        if n.startswith(f"{ARTICLES}-") and n.endswith(".parquet")
    ]


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
    store = paths.store
    staged = _with_url_evidence(
        store.files_dataset(files).to_table(columns=_REPORTED + _SIGNATURES)
    )
    n = staged.num_rows
    keep = np.ones(n, dtype=bool)
    dup_parts: list[pa.Table] = []

    # 0. a record an earlier run already published (same path, record and bytes: a grown JSONL
    #    or WARC file is read again whole): no second row anywhere (transforms.run.published)
    again = pc.is_in(staged.column("doc_id"), published_ids(store.location, staged["doc_id"]))
    keep &= ~again.to_numpy(zero_copy_only=False)
    already = n - int(keep.sum())

    # the dedup index, read once for every question below (transforms.dedup.index_scan)
    index = IndexScan.of(
        store.dataset(DEDUP_INDEX, DEDUP_INDEX_SCHEMA),
        matrix(staged.column("band_keys"), config.dedup.bands, np.int64),
        staged.column("content_hash"),
        staged.column("body_hash"),
        signature_params(config.dedup),
    )

    # 1. identical bytes an earlier run took in under another record: that record's cluster
    if index.dataset is not None and keep.any():
        seen, rows = _seen_before(staged, keep, index)
        if seen.any():
            keep &= ~seen
            dup_parts.append(_with_rule(rows, ALREADY_PROCESSED_RULE))

    # 2. identical bytes twice in this run (same content_hash): keep the first (shards are in
    #    input order); the copies point at it (finalize resolves it if it is dropped below)
    live = np.flatnonzero(keep)
    if len(live):
        hashes = staged.column("content_hash").to_numpy(zero_copy_only=False)[live]
        _, first, inverse = np.unique(hashes.astype(str), return_index=True, return_inverse=True)
        canonical = live[first][inverse]
        repeats = live[canonical != live]
        if len(repeats):
            keep[repeats] = False
            of = staged.column("doc_id").take(pa.array(canonical[canonical != live]))
            rows = staged.select(_REPORTED).take(pa.array(repeats))
            rows = rows.append_column("duplicate_of", of)
            dup_parts.append(_with_rule(rows, IDENTICAL_RECORD_RULE))

    # 3. exact and near duplicates by body, within the run and against the index
    candidates_idx = np.flatnonzero(keep)
    candidates = staged.take(pa.array(candidates_idx))
    result = find_duplicates(candidates, index, config.dedup)
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
    links = link_stories(paths.store.location, result.bridges, run_id, ingested_at)
    return RunDedup(files, keep, duplicates, index_rows, already, links)


def _with_url_evidence(staged: pa.Table) -> pa.Table:
    """`url_from_link` per row: its url came from the page's canonical link (a change noted by
    the metadata step), not its own address: the evidence of which copy is the original."""
    changes = staged.column("changes").combine_chunks()
    reasons = pc.struct_field(pc.list_flatten(changes), "reason")
    parents = pc.list_parent_indices(changes)
    hit = pc.filter(parents, pc.equal(reasons, URL_FROM_LINK))
    flags = np.zeros(staged.num_rows, bool)
    flags[hit.to_numpy(zero_copy_only=False)] = True
    return staged.append_column("url_from_link", pa.array(flags))


def _seen_before(
    staged: pa.Table, keep: np.ndarray, index: IndexScan
) -> tuple[np.ndarray, pa.Table]:
    """Rows (of those kept) whose raw bytes an indexed article has: (mask, reported rows with
    `duplicate_of` = that article's cluster). Index files without content_hash never match."""
    hashes = staged.column("content_hash")
    earlier = index.with_content(hashes.filter(pa.array(keep)))
    # two earlier copies of the bytes may sit in two clusters: take one, deterministically
    earlier = earlier.group_by("content_hash").aggregate([("cluster_id", "min")])
    earlier = earlier.rename_columns(
        ["duplicate_of" if c == "cluster_id_min" else c for c in earlier.column_names]
    )
    seen = keep & pc.fill_null(pc.is_in(hashes, earlier.column("content_hash")), False).to_numpy(
        zero_copy_only=False
    )
    rows = staged.select(_REPORTED).filter(pa.array(seen)).join(earlier, keys="content_hash")
    return seen, rows


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
    # the canonical's story, resolved once the run's duplicates are final (stories.with_story_ids)
    table = table.append_column("story_id", table.column("duplicate_of"))
    return table.select(DUPLICATES_SCHEMA.names).cast(DUPLICATES_SCHEMA)
