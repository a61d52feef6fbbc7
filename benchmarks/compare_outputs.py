"""Do two OUTPUT folders hold the same data? Every row of every table, the ledger, the dedup
index, the other state tables and the runs' manifests, compared sorted, leaving out what
differs between any two runs (run ids, timestamps of the run, where the output is).

    python -m benchmarks.compare_outputs OUT_A OUT_B

It runs nothing: make the two folders with the two checkouts' `newsclean run` (e.g. `make run
OUTPUT=...` in each) over the same INPUT path (the ledger records each file's mtime), then
compare. Prints one line a table (rows in each, equal or not, the first differing rows) and
exits 0 when everything is equal, 1 otherwise. A refactoring that must not change what a run
publishes is checked this way (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

# columns whose value is the run's own (its id, the time it ran), not the data's
RUN_COLUMNS = frozenset({"run_id", "ingested_at", "processed_at"})
# manifest keys of the same kind (at any depth: "seconds" is a validation's time), and where
# the run wrote (the folder compared)
RUN_KEYS = frozenset(
    {"run_id", "started_at", "finished_at", "output_dir", "data_docs", "timings", "lock", "seconds"}
)
# a validation's expectation counts are summed over its batches, and a run's batches follow the
# order in which its shards finish (`transforms.run.planning.validate_now`): two runs of one
# checkout on the same pages differ there (a failing expectation counted in one batch or two);
# the rows passed, failed and flagged do not
BATCH_KEYS = frozenset(
    {
        "evaluated_expectations",
        "successful_expectations",
        "unsuccessful_expectations",
        "success_percent",
    }
)
# folders of a run that hold no rows: its Data Docs, a dead run's leftovers
SKIPPED = frozenset({"reports", "runs", "_staging", "_corrupt"})
SHOWN = 3  # differing rows printed a table


def table_rows(folder: Path) -> list[str]:
    """Every row of the Parquet files under `folder` (its partitions' files read as they are,
    so that a partition value such as the ingest date is left out), as canonical JSON, sorted."""
    rows = []
    for path in sorted(folder.rglob("*.parquet")):
        table = pq.read_table(path, partitioning=None)
        kept = [c for c in table.column_names if c not in RUN_COLUMNS]
        rows += [json.dumps(r, sort_keys=True, default=str) for r in table.select(kept).to_pylist()]
    return sorted(rows)


def _without_run_keys(value: Any) -> Any:
    if isinstance(value, dict):
        left_out = RUN_KEYS | BATCH_KEYS
        return {k: _without_run_keys(v) for k, v in value.items() if k not in left_out}
    return value


def manifests(output: Path) -> list[str]:
    """The runs' manifests (runs/*.json) without their run-specific keys, in run order, one
    line a top-level key (so that a difference names it)."""
    found = []
    for i, path in enumerate(sorted((output / "runs").glob("*.json"))):
        manifest = _without_run_keys(json.loads(path.read_text()))
        found += [f"{i} {k}: {json.dumps(v, sort_keys=True)}" for k, v in manifest.items()]
    return found


def difference(a: list[str], b: list[str]) -> list[str]:
    """Up to SHOWN rows of `a` missing from `b` and of `b` missing from `a`, marked - and +."""
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    return [f"  - {r[:300]}" for r in only_a[:SHOWN]] + [f"  + {r[:300]}" for r in only_b[:SHOWN]]


def compare(out_a: Path, out_b: Path) -> bool:
    """Print the comparison of every table (and the manifests); True when all are equal."""
    names = {
        p.name
        for out in (out_a, out_b)
        for p in out.iterdir()
        if p.is_dir() and p.name not in SKIPPED
    }
    same = True
    checks: list[tuple[str, Any, Any]] = [
        (name, table_rows(out_a / name), table_rows(out_b / name)) for name in sorted(names)
    ]
    checks.append(("runs/*.json", manifests(out_a), manifests(out_b)))
    for name, a, b in checks:
        equal = a == b
        same &= equal
        what = f"{len(a):>7} rows | {len(b):>7} rows  {'equal' if equal else 'DIFFER'}"
        print(f"{name:<14} {what}")
        if not equal:
            print("\n".join(difference(a, b)))
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_a", type=Path)
    parser.add_argument("out_b", type=Path)
    args = parser.parse_args(argv)
    same = compare(args.out_a, args.out_b)
    print("identical" if same else "the outputs differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
