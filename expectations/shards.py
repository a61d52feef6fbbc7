"""The articles suite as the shard code calls it (`transforms.run.shard.ArticleValidator`).

`transforms/` never imports Great Expectations: the flow hands this function to the shard code,
which splits a shard's articles by its result (published rows with their quality flags, and
quarantine rows). A module-level function, so that it pickles to Dask workers.
"""

from __future__ import annotations

import pyarrow as pa

from transforms.core.config import PipelineConfig
from transforms.core.schema import ARTICLES
from transforms.run.shard import ArticleValidation


def validate_articles(
    articles: pa.Table, config: PipelineConfig, docs_dir: str | None
) -> ArticleValidation:
    """Validate a shard's articles; its Data Docs page only (the flow renders the index once)."""
    from expectations.validate import validate_table  # GX is heavy: import where used

    outcome = validate_table(ARTICLES, articles, config=config, docs_dir=docs_dir, docs_index=False)
    return ArticleValidation(
        outcome.passed, outcome.failed, outcome.statistics, list(outcome.table_failures)
    )
