"""benchmarks/compare_outputs.py: two OUTPUT folders are the same data whatever run wrote them,
and any other difference is found."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.compare_outputs import compare


def _output(root: Path, run_id: str, rows: list[dict], manifest: dict) -> Path:
    part = root / "articles" / f"ingest_date=2026-01-0{run_id[-1]}"
    part.mkdir(parents=True)
    table = pa.Table.from_pylist([{**r, "run_id": run_id, "ingested_at": run_id} for r in rows])
    pq.write_table(table, part / f"part-{run_id}.parquet")
    (root / "runs").mkdir()
    record = {"run_id": run_id, "timings": {"total": 1.0}, **manifest}
    (root / "runs" / f"{run_id}.json").write_text(json.dumps(record))
    return root


ROWS = [{"doc_id": "a", "body": "one"}, {"doc_id": "b", "body": "two"}]
MANIFEST = {"accounting": {"articles": 2}, "validation": {"rows": 2, "seconds": 0.5}}


@pytest.mark.parametrize(
    ("rows", "manifest", "same"),
    [
        (ROWS[::-1], MANIFEST, True),  # another order, run id, ingest date, time: the same
        (ROWS, {**MANIFEST, "validation": {"rows": 2, "seconds": 9.0}}, True),
        (ROWS, {**MANIFEST, "validation": {"rows": 2, "unsuccessful_expectations": 1}}, True),
        (ROWS, {**MANIFEST, "validation": {"rows": 3}}, False),
        (ROWS[:1], MANIFEST, False),
        ([ROWS[0], {"doc_id": "b", "body": "changed"}], MANIFEST, False),
        (ROWS, {**MANIFEST, "accounting": {"articles": 3}}, False),
    ],
)
def test_only_the_data_counts(tmp_path, rows, manifest, same):
    a = _output(tmp_path / "a", "r1", ROWS, MANIFEST)
    b = _output(tmp_path / "b", "r2", rows, manifest)
    assert compare(a, b) is same
