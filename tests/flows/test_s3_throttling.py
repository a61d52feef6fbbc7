"""A run to s3:// while the endpoint answers a fifth of all requests 503 SlowDown.

The flow runs in this process (the session's Prefect server, the thread runner) on a small
corpus. A first run fills OUTPUT on the moto endpoint; then two more pages arrive and a
second run writes them through `ThrottlingProxy` (tests/s3_fixtures.py), which answers a seeded
20% of the requests itself, as a throttled S3 does. With the retries of
`transforms.core.storage` (their waits capped at 0.2 s by the storage option
`retry_max_backoff`, to keep the test short) the second run completes and publishes what an
unthrottled run does. (Before them, 20% throttling failed a run within 15 s: issue 33.)
"""

from __future__ import annotations

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page
from tests.s3_fixtures import ThrottlingProxy

pytestmark = pytest.mark.slow
FIRST, LATER = ("bridge", "orchard"), ("library", "ferry")


def _write(root, names) -> None:
    root.mkdir(exist_ok=True)
    for name in names:
        (root / f"{name}.html").write_text(page(f"The {name} story", STORIES[name], "Test Post"))


def _urls(url: str) -> list[str]:
    from transforms.core.storage import resolve_location

    fs, path = resolve_location(url).join("articles").arrow_filesystem()
    table = ds.dataset(path, format="parquet", filesystem=fs).to_table(["source_path"])
    return sorted(p.rsplit("/", 1)[-1] for p in table.column("source_path").to_pylist())


def test_a_run_completes_while_a_fifth_of_requests_are_throttled(
    prefect_harness, s3_env, s3_bucket, tmp_path
):
    from flows.clean_articles import clean_articles

    root, out = tmp_path / "input", f"s3://{s3_bucket}/out"
    options = {"workers": 1, "show_progress": False, "task_runner": "thread"}
    _write(root, FIRST)
    clean_articles(input_dir=str(root), output_dir=out, **options)
    _write(root, LATER)
    with ThrottlingProxy(s3_env, share=0.2) as proxy:
        settings = {"storage.options": f"endpoint_url={proxy.url},retry_max_backoff=0.2"}
        result = clean_articles(input_dir=str(root), output_dir=out, settings=settings, **options)
    forwarded, throttled = proxy.answered
    assert throttled > 0.1 * (forwarded + throttled)  # the throttling did happen
    assert result["accounting"]["documents_in"] == len(LATER)
    assert _urls(out) == sorted(f"{name}.html" for name in FIRST + LATER)
