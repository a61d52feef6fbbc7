"""The dedup index read once a run: every row that can matter to the run's documents, one scan.

A run asks the dedup index (OUTPUT/dedup_index, `DEDUP_INDEX_SCHEMA`) four questions: which
indexed article has the raw bytes of a new document (`content_hash`), whether the index was
built with other signature parameters (`params`), which indexed articles share a band key
(`key`) or a normalised-body hash (`body_hash`) with a new document. Each was a filtered scan
of every index file (thousands of files before a compaction, a file of millions of rows
after). `IndexScan.of` answers the four in one pass over the files, row group by row group,
each decoded only as far as it can matter: a group holding band-0 rows (a run's file, a
compacted file's first groups: one row an article) on the light columns, with the union of the
four filters; a group of other bands (most of a compacted file) by its `key` column alone,
then the few rows that matched. Later questions, about a subset of the documents (the ones
still kept after the earlier steps), are filters of those rows in memory. (A dataset scan with
the union filter cannot skip the other bands' groups and decodes every column of them: slower
than the five scans it replaced; docs/compaction.md has the figures.)

The signatures of the articles that matched (`minhash`, counts, dates: the heavy columns, on
the band-0 rows) are read after, by `documents`, only when something matched: a targeted read
of those articles' band-0 rows, not a scan of the question again.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.core.schema import DEDUP_INDEX_SCHEMA

# what the questions need; the heavy signature columns are read by `documents` only
_LIGHT = ["doc_id", "band", "key", "cluster_id", "content_hash", "body_hash", "params"]
_LIGHT_SCHEMA = pa.schema([DEDUP_INDEX_SCHEMA.field(c) for c in _LIGHT])


class IndexScan:
    """The index rows that may concern a run's documents (see the module docstring)."""

    def __init__(self, dataset: ds.Dataset | None, rows: pa.Table) -> None:
        self.dataset = dataset
        self.rows = rows
        self._head = pc.equal(rows.column("band"), 0)

    @classmethod
    def empty(cls) -> IndexScan:
        """No index yet (a first run)."""
        return cls(None, _LIGHT_SCHEMA.empty_table())

    @classmethod
    def of(
        cls,
        dataset: ds.Dataset | None,
        keys: np.ndarray | pa.Array,
        content_hashes: pa.Array | pa.ChunkedArray | None,
        body_hashes: pa.Array | pa.ChunkedArray,
        params: str,
    ) -> IndexScan:
        """One pass over the files of `dataset` for the rows with one of `keys` (any band),
        and the band-0 rows with one of the hashes or with other `params` than the run's (an
        index built with other signature parameters cannot be compared with: ValueError)."""
        if dataset is None:
            return cls.empty()
        key_set = pa.array(np.unique(np.asarray(keys, dtype=np.int64).reshape(-1)), pa.int64())
        head_sets = {"body_hash": _strings(body_hashes)}
        if content_hashes is not None:
            head_sets["content_hash"] = _strings(content_hashes)
        parts = [_LIGHT_SCHEMA.empty_table()]
        assert isinstance(dataset, ds.FileSystemDataset)
        for path in dataset.files:
            with pq.ParquetFile(path, filesystem=dataset.filesystem) as parquet:
                parts += _matching(parquet, key_set, head_sets, params)
        scan = cls(dataset, pa.concat_tables(parts))
        scan._check_params(params)
        return scan

    def _check_params(self, params: str) -> None:
        head = self.rows.filter(self._head)
        if pc.any(pc.not_equal(head.column("params"), params)).as_py():
            raise ValueError(
                "the dedup index (dedup_index/) was built with other signature params than "
                f"{params}: set the dedup signature settings (shingle_size, num_perm, bands, "
                "rows, seed) back to the index's `params`, or move dedup_index/ aside to start "
                "a new history"
            )

    def with_content(self, hashes: pa.Array | pa.ChunkedArray) -> pa.Table:
        """content_hash, cluster_id of the indexed articles with one of these raw-bytes hashes."""
        head = self.rows.filter(self._head)
        hit = pc.is_in(head.column("content_hash"), value_set=_strings(hashes))
        return head.filter(pc.fill_null(hit, False)).select(["content_hash", "cluster_id"])

    def with_keys(self, keys: Iterable[int] | np.ndarray) -> pa.Table:
        """doc_id, band, key of the index rows with one of these band keys."""
        values = pa.array(np.unique(np.asarray(keys, dtype=np.int64)), pa.int64())
        hit = pc.is_in(self.rows.column("key"), value_set=values)
        return self.rows.filter(hit).select(["doc_id", "band", "key"])

    def with_bodies(self, hashes: pa.Array | pa.ChunkedArray) -> pa.Table:
        """doc_id of the indexed articles with one of these normalised-body hashes."""
        head = self.rows.filter(self._head)
        hit = pc.is_in(head.column("body_hash"), value_set=_strings(hashes))
        return head.filter(pc.fill_null(hit, False)).select(["doc_id"])

    def documents(self, ids: pa.Array) -> pa.Table:
        """The band-0 rows (every column) of the indexed articles `ids`: a read of those rows
        only, made when something matched."""
        if self.dataset is None or len(ids) == 0:
            return DEDUP_INDEX_SCHEMA.empty_table()
        return self.dataset.to_table(filter=(ds.field("band") == 0) & ds.field("doc_id").isin(ids))


def _matching(
    parquet: pq.ParquetFile, keys: pa.Array, head_sets: dict[str, pa.Array], params: str
) -> list[pa.Table]:
    """The light columns of a file's rows the scan keeps, row group by row group, each decoded
    only as far as its rows can matter: a compacted file's band-0 groups (one row an article)
    whole, its other groups by their `key` column alone, then the rows that matched."""
    names = set(parquet.schema_arrow.names)
    leaves = parquet.metadata.schema
    band = [leaves.column(i).path for i in range(len(leaves))].index("band")  # its statistics
    out = []
    for group in range(parquet.metadata.num_row_groups):
        stats = parquet.metadata.row_group(group).column(band).statistics
        if stats is not None and stats.has_min_max and stats.min > 0:  # no band-0 row
            hit = pc.is_in(parquet.read_row_group(group, columns=["key"])["key"], value_set=keys)
            if not pc.any(hit).as_py():
                continue
            rows = _light(parquet.read_row_group(group, columns=["doc_id", "band", "key"]))
            out.append(rows.filter(hit))
            continue
        rows = _light(parquet.read_row_group(group, columns=[c for c in _LIGHT if c in names]))
        wanted = pc.not_equal(rows["params"], params)
        for column, values in head_sets.items():
            wanted = pc.or_kleene(wanted, pc.is_in(rows[column], value_set=values))
        wanted = pc.and_kleene(pc.equal(rows["band"], 0), wanted)
        wanted = pc.or_kleene(pc.is_in(rows["key"], value_set=keys), wanted)
        out.append(rows.filter(pc.fill_null(wanted, False)))
    return out


def _light(rows: pa.Table) -> pa.Table:
    """`rows` with the light columns of the index's schema (null where a file has none)."""
    return pa.Table.from_arrays(
        [
            rows[f.name].cast(f.type)
            if f.name in rows.column_names
            else pa.nulls(len(rows), f.type)
            for f in _LIGHT_SCHEMA
        ],
        schema=_LIGHT_SCHEMA,
    )


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    return pc.unique(values.cast(pa.string())).drop_null()
