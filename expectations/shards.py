"""The articles suite as the shard code calls it (`transforms.run.shard.ArticleValidator`).

`transforms/` never imports Great Expectations: the flow hands this function to the shard code,
which splits a shard's articles by its result (published rows with their quality flags, and
quarantine rows). A module-level function, so that it pickles to Dask workers.
"""

from __future__ import annotations

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
