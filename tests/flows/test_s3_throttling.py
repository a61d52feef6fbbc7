"""A run to s3:// while the endpoint answers a fifth of all requests 503 SlowDown.

The flow runs in this process (the session's Prefect server, the thread runner) on a small
corpus; OUTPUT is the moto endpoint behind `ThrottlingProxy` (tests/s3_fixtures.py), which
answers a seeded 20% of the requests itself, as a throttled S3 does. With the retries of
`transforms.core.storage` the run completes with the tables of an unthrottled run.
"""

from __future__ import annotations

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page
from tests.s3_fixtures import ThrottlingProxy

pytestmark = pytest.mark.slow


def _corpus(root):
    root.mkdir()
    for name, paragraphs in STORIES.items():
        (root / f"{name}.html").write_text(page(f"The {name} story", paragraphs, "Test Post"))


def _rows(location, table: str) -> list[tuple]:
    fs, path = location.join(table).arrow_filesystem()
    rows = ds.dataset(path, format="parquet", filesystem=fs).to_table(["doc_id", "url"])
    return sorted(zip(*rows.to_pydict().values(), strict=True))


def test_a_run_completes_while_a_fifth_of_requests_are_throttled(
    prefect_harness, s3_env, s3_bucket, tmp_path
):
    from flows.clean_articles import clean_articles
    from transforms.core.storage import resolve_location

    root = tmp_path / "input"
    _corpus(root)
    options = {"workers": 1, "show_progress": False, "task_runner": "thread"}
    calm = clean_articles(input_dir=str(root), output_dir=f"s3://{s3_bucket}/calm", **options)
    with ThrottlingProxy(s3_env, share=0.2) as proxy:
        settings = {"storage.options": f"endpoint_url={proxy.url}"}
        out = f"s3://{s3_bucket}/throttled"
        result = clean_articles(input_dir=str(root), output_dir=out, settings=settings, **options)
    forwarded, throttled = proxy.answered
    assert throttled > 0.1 * (forwarded + throttled)  # the throttling did happen
    assert result["accounting"] == calm["accounting"]
    assert result["accounting"]["documents_in"] == len(STORIES)
    for table in ("articles", "quarantine"):
        assert _rows(resolve_location(out), table) == _rows(
            resolve_location(calm_url(s3_bucket)), table
        )


def calm_url(bucket: str) -> str:
    return f"s3://{bucket}/calm"
