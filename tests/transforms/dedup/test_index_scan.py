"""The dedup index read once a run (transforms.dedup.index_scan)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.transforms.dedup.dedup_texts import article, join, paras
from tests.transforms.dedup.test_clusters import CONFIG, table
from transforms.core.schema import DEDUP_INDEX_SCHEMA
from transforms.dedup.clusters import find_duplicates
from transforms.dedup.index_scan import IndexScan
from transforms.dedup.minhash import matrix, signature_params

A, B, C = article(50), article(51), article(52)


def _index(folder: Path, layout: str = "runs") -> ds.Dataset:
    """An index of A, B and C: a file each (as three runs leave it), or one file as compaction
    writes it (the band-0 rows first, then row groups of other bands only)."""
    folder.mkdir()
    tables = []
    for name, body in zip("abc", (A, B, C), strict=True):
        result = find_duplicates(table([body], [name]), None, CONFIG)
        tables.append(result.index_rows(result.new))
    if layout == "runs":
        for name, rows in zip("abc", tables, strict=True):
            pq.write_table(rows, folder / f"part-{name}.parquet")
    else:
        rows = pa.concat_tables(tables).sort_by("band")
        pq.write_table(rows, folder / "part-c-compacted.parquet", row_group_size=3)
    return ds.dataset(folder, format="parquet", schema=DEDUP_INDEX_SCHEMA)


def _scan(index: ds.Dataset, new: pa.Table) -> IndexScan:
    keys = matrix(new.column("band_keys"), CONFIG.bands, np.int64)
    hashes = pa.array(["raw-of-c"])
    return IndexScan.of(index, keys, hashes, new.column("body_hash"), signature_params(CONFIG))


def test_one_scan_answers_every_question(tmp_path: Path) -> None:
    """After the scan, the questions about band keys, bodies and raw bytes need no file; only
    the signatures of the articles that matched are read after."""
    index = _index(tmp_path / "ix")
    new = table([join(paras(A)[:-1]), B.upper(), article(53)], ["a2", "b2", "n"])
    scan = _scan(index, new)
    hit_docs = set(
        scan.with_keys(matrix(new["band_keys"], CONFIG.bands, np.int64)[:1])["doc_id"].to_pylist()
    )
    assert hit_docs == {"a"}  # A's trimmed copy shares band keys with A only
    assert scan.with_bodies(new.column("body_hash"))["doc_id"].to_pylist() == ["b"]  # same body
    assert scan.with_content(pa.array(["raw-of-c"])).num_rows == 0  # no such bytes indexed
    assert set(scan.documents(pa.array(["a", "b"]))["doc_id"].to_pylist()) == {"a", "b"}
    for f in (tmp_path / "ix").iterdir():
        f.unlink()  # the rows kept from the one scan still answer
    assert scan.with_bodies(new.column("body_hash"))["doc_id"].to_pylist() == ["b"]


def test_a_compacted_index_answers_as_the_runs_files_did(tmp_path: Path) -> None:
    """Row groups without band 0 are read by their keys alone: the same duplicates found."""
    new = table([join(paras(A)[1:]), B.lower(), article(54)], ["a2", "b2", "n"])
    found = []
    for layout in ("runs", "compacted"):
        index = _index(tmp_path / layout, layout)
        result = find_duplicates(new, _scan(index, new), CONFIG)
        found.append((result.duplicates.to_pylist(), result.cluster_id.to_pylist()))
        rows = _scan(index, new).rows
        assert sorted(set(rows["doc_id"].to_pylist())) == ["a", "b"]
    assert found[0] == found[1]
    assert {r["duplicate_of"] for r in found[0][0]} == {"a", "b"}


def test_an_index_of_other_signature_params_is_refused(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    new = table([article(55)], ["n"])
    keys = matrix(new.column("band_keys"), CONFIG.bands, np.int64)
    with pytest.raises(ValueError, match="signature params"):
        IndexScan.of(index, keys, None, new.column("body_hash"), "k=9;other")


def test_nothing_matched_in_an_index_is_no_match(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    new = table([article(56)], ["n"])
    result = find_duplicates(new, _scan(index, new), CONFIG)
    assert result.duplicates.num_rows == 0 and result.keep.tolist() == [True]
