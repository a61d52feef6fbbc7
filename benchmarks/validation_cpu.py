"""CPU seconds of a Great Expectations validation batch in the flow's process, by batch size.

The flow's process validates each batch of shards with the articles and pages suites while the
workers clean (`flows/validation.py`), so its CPU is taken from theirs. This cleans the first
dev pages (the pipeline's steps, as a shard does), then validates batches of the article rows
of several sizes two ways in this one process, alternated: as the project does
(`expectations.validate.validate_table`: BOOLEAN_ONLY on every expectation, then COMPLETE on
the failing ones) and, as the baseline, the same with one COMPLETE pass over every
expectation. The figures are CPU seconds (`time.process_time`), so they hold on a busy host.

    python -m benchmarks.validation_cpu [--limit 400] [--sizes 10,100,400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.wcxb import DEFAULT_DATA, load_page, page_ids
from transforms.core.config import PipelineConfig
from transforms.core.schema import ARTICLE_PAGE_TYPES, ARTICLES, ARTICLES_SCHEMA
from transforms.core.steps import run_steps
from transforms.pipeline import build_steps
from transforms.run.tables import articles_table


def article_rows(data: Path, limit: int, config: PipelineConfig) -> pa.Table:
    """The article rows the pipeline publishes from the first `limit` dev pages."""
    pages = [load_page(data, i) for i in page_ids(data)[:limit]]
    kept, _dropped, _stats = run_steps((p.as_article() for p in pages), build_steps(config))
    table = articles_table(kept, "bench-validation", datetime.now(UTC))
    table = table.select(ARTICLES_SCHEMA.names)
    return table.filter(pc.is_in(table["page_type"], pa.array(ARTICLE_PAGE_TYPES)))


@contextmanager
def one_complete_pass():
    """`validate_table` with every expectation in one COMPLETE pass (the baseline)."""
    import expectations.validate as validate

    def single(engine, table_name, batch, table, params):
        return batch.validate(
            engine.suites[table_name],
            result_format=validate._result_format(table),
            expectation_parameters=params,
        )

    two_passes = validate._validate
    validate._validate = single
    try:
        yield
    finally:
        validate._validate = two_passes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=400, help="dev pages cleaned for rows")
    parser.add_argument("--sizes", default="10,100,400", help="batch sizes (rows)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no dev data at {args.data}: nothing to measure")
        return 0
    from expectations.validate import validate_table, warm_up

    config = PipelineConfig()
    rows = article_rows(args.data, args.limit, config)
    t0 = time.process_time()
    warm_up()
    print(f"{rows.num_rows} article rows; GX import and context: {time.process_time() - t0:.2f} s")
    validate_table(ARTICLES, rows.slice(0, 10), config=config)  # first-call costs
    for size in (int(s) for s in args.sizes.split(",")):
        batch = rows.slice(0, size)
        best = {"two passes": float("inf"), "one COMPLETE pass": float("inf")}
        for _ in range(args.repeat):  # alternated, the minimum of each kept
            for name in best:
                t0 = time.process_time()
                if name == "two passes":
                    validate_table(ARTICLES, batch, config=config)
                else:
                    with one_complete_pass():
                        validate_table(ARTICLES, batch, config=config)
                best[name] = min(best[name], time.process_time() - t0)
        two, one = best["two passes"], best["one COMPLETE pass"]
        print(
            f"{batch.num_rows:5d} rows: two passes {two:.3f} s, one COMPLETE pass {one:.3f} s "
            f"({two / one:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
