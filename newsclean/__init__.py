"""Read what newsclean published: the rows of committed runs, in pyarrow, pandas, Polars or
DuckDB, from a local OUTPUT or an s3:// prefix.

    import newsclean
    articles = newsclean.read_pandas("out/sample", "articles")
    con = newsclean.duckdb_views("out/sample")  # views articles, duplicates, quarantine, ...
"""

from newsclean.read import (
    TABLES,
    committed_runs,
    dataset,
    duckdb_views,
    read,
    read_pandas,
    read_polars,
)

__all__ = [
    "TABLES",
    "committed_runs",
    "dataset",
    "duckdb_views",
    "read",
    "read_pandas",
    "read_polars",
]
