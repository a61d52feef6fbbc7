"""The suites as a run calls them: a shard's content rows, the run-level tables, the report.

`transforms/` never imports Great Expectations: the flow hands `validate_articles` to the shard
code (`transforms.run.shard.ArticleValidator`), which splits a shard's articles by its result
(published rows with their quality flags, and quarantine rows). Module-level functions, so that
they pickle to a validator process (`flows/validation.py`) and to Dask workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from transforms.core.config import PipelineConfig
from transforms.core.schema import ARTICLE_PAGE_TYPES, ARTICLES, PAGES
from transforms.run.manifest import merge_counts
from transforms.run.shard import ArticleValidation


def validate_articles(
    articles: pa.Table, config: PipelineConfig, docs_dir: str | None
) -> ArticleValidation:
    """Validate a shard's content rows, the articles with the articles suite and the other pages
    with the pages suite (each table's own); its Data Docs pages only (the flow renders the
    index once). The rows stay together after (one dedup): they are published apart by
    page_type (`transforms.run.stage_outputs`)."""
    from expectations.validate import validate_table  # GX is heavy: import where used

    is_article = pc.is_in(articles.column("page_type"), pa.array(ARTICLE_PAGE_TYPES))
    parts = [
        (ARTICLES, articles.filter(is_article)),
        (PAGES, articles.filter(pc.invert(is_article))),
    ]
    outcomes = [
        validate_table(name, rows, config=config, docs_dir=docs_dir, docs_index=False)
        for name, rows in parts
        if rows.num_rows or name == ARTICLES
    ]
    return ArticleValidation(
        pa.concat_tables([o.passed for o in outcomes]),
        pa.concat_tables([o.failed for o in outcomes]),
        merge_counts([o.statistics for o in outcomes]),
        [f for o in outcomes for f in o.table_failures],
    )


def validate_run_tables(
    tables: dict[str, Any], config: PipelineConfig, docs_dir: Path
) -> list[str]:
    """Run the suites of the run-level tables (duplicates, quarantine, story_links: name ->
    table); any failure there is a table-level failure.

    These tables are written by the pipeline itself, so a failing row means a bug, not bad
    input: the run is failed (after publishing) rather than the row moved anywhere.
    """
    from expectations.validate import validate_table

    failures = []
    for name, table in tables.items():
        if not table.num_rows:
            continue
        outcome = validate_table(name, table, config=config, docs_dir=docs_dir, docs_index=False)
        failures += [f"{name}: {f}" for f in outcome.table_failures]
        if outcome.failed.num_rows:
            reasons = sorted(set(outcome.failed.column("reason").to_pylist()))
            failures.append(f"{name}: {outcome.failed.num_rows} rows failed {', '.join(reasons)}")
    return failures


def build_report_if_any(docs_dir: Path) -> str | None:
    """The Data Docs index of the run, rendered once after every batch; None without results."""
    if not any(Path(docs_dir).glob("*")):
        return None
    from expectations.validate import build_report

    return build_report(docs_dir)
