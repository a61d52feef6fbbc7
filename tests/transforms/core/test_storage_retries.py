"""Object-store retries: 20% of requests answered 503 SlowDown, and an endpoint gone
(transforms/core/storage.py; the moto endpoint of tests/s3_fixtures.py behind a proxy)."""

from __future__ import annotations

import socket
import time

import pyarrow as pa
import pytest

from tests.s3_fixtures import ThrottlingProxy
from transforms.core.storage import resolve_location
from transforms.run.output_store import OutputStore
from transforms.run.state_check import check_state


def _work(store: OutputStore, files: int) -> int:
    """What a run does to OUTPUT, in small: Parquet parts (pyarrow), JSON (s3fs), a listing,
    the footers read back, the tables read back. The rows read."""
    table = pa.table({"doc_id": [f"d{i}" for i in range(50)], "n": list(range(50))})
    for i in range(files):
        store.write_parquet(f"ledger/part-{i}.parquet", table)
        store.write_bytes(f"runs/r{i}.json", b'{"run_id": "r"}')
    assert check_state(store) == []
    return sum(store.read_table(f"ledger/{k}").num_rows for k in store.files("ledger"))


def test_a_fifth_of_requests_throttled_still_completes(s3_env, s3_bucket):
    with ThrottlingProxy(s3_env, share=0.2) as proxy:
        store = OutputStore(resolve_location(f"s3://{s3_bucket}/out", {"endpoint_url": proxy.url}))
        assert _work(store, 15) == 15 * 50
    forwarded, throttled = proxy.answered
    assert throttled > 0.1 * (forwarded + throttled)  # the throttling did happen


def test_without_the_retries_the_same_throttling_fails(s3_env, s3_bucket):
    options = {"endpoint_url": "", "retry_attempts": "1"}
    with ThrottlingProxy(s3_env, share=0.2) as proxy, pytest.raises(OSError):
        options["endpoint_url"] = proxy.url
        _work(OutputStore(resolve_location(f"s3://{s3_bucket}/out", options)), 15)


def test_an_endpoint_that_is_gone_fails_within_a_bound(s3_env, s3_bucket):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{free.getsockname()[1]}"
    store = OutputStore(resolve_location(f"s3://{s3_bucket}/out", {"endpoint_url": gone}))
    start = time.monotonic()
    with pytest.raises(OSError):
        store.write_bytes("runs/r.json", b"{}")
    assert time.monotonic() - start < 120
