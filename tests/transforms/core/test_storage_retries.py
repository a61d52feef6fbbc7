"""Object-store retries: 20% of requests answered 503 SlowDown, and an endpoint gone
(transforms/core/storage.py, transforms/core/s3_retries.py; the moto endpoint of
tests/s3_fixtures.py behind a proxy)."""

from __future__ import annotations

import socket
import time

import pyarrow as pa
import pytest

from tests.s3_fixtures import ThrottlingProxy
from transforms.core.config.sections import StorageSettings
from transforms.core.s3_retries import is_transient
from transforms.core.storage import resolve_location, retry_attempts, retry_max_backoff
from transforms.run.output_store import OutputStore
from transforms.run.state_check import check_state

FAST = {"retry_max_backoff": "0.2"}  # waits of at most 0.2 s: the test stays short


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
        options = {"endpoint_url": proxy.url, **FAST}
        store = OutputStore(resolve_location(f"s3://{s3_bucket}/out", options))
        assert _work(store, 10) == 10 * 50
    forwarded, throttled = proxy.answered
    assert throttled > 0.1 * (forwarded + throttled)  # the throttling did happen


def test_without_the_retries_the_same_throttling_fails(s3_env, s3_bucket):
    with (
        ThrottlingProxy(s3_env, share=0.2) as proxy,
        pytest.raises(Exception, match=r"SlowDown|SLOW_DOWN|flush"),
    ):
        options = {"endpoint_url": proxy.url, "retry_attempts": "1", **FAST}
        _work(OutputStore(resolve_location(f"s3://{s3_bucket}/out", options)), 10)


@pytest.mark.parametrize("how", ["s3fs", "pyarrow"])
def test_an_endpoint_that_is_gone_fails_within_a_bound(s3_env, s3_bucket, how):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{free.getsockname()[1]}"
    options = {"endpoint_url": gone, "retry_attempts": "4", "retry_max_backoff": "0.5"}
    store = OutputStore(resolve_location(f"s3://{s3_bucket}/out", options))
    start = time.monotonic()
    with pytest.raises(Exception, match=r"[Cc]onnect"):
        if how == "s3fs":
            store.write_bytes("runs/r.json", b"{}")
        else:
            store.read_table("ledger/part-0.parquet")
    assert time.monotonic() - start < 4 * 0.5 + 5


@pytest.mark.parametrize(
    ("options", "attempts", "backoff"),
    [({}, 8, 20.0), ({"retry_attempts": "3", "retry_max_backoff": "0.5"}, 3, 0.5)],
)
def test_retry_options_and_their_defaults(options, attempts, backoff):
    assert (retry_attempts(options), retry_max_backoff(options)) == (attempts, backoff)


@pytest.mark.parametrize(
    "text",
    ["retry_attempts=0", "retry_attempts=two", "retry_max_backoff=-1", "retry_max_backoff=x"],
)
def test_a_bad_retry_option_is_refused_by_the_setting(text):
    with pytest.raises(ValueError, match=text.split("=")[0]):
        StorageSettings(options=text)


@pytest.mark.parametrize(
    ("message", "transient"),
    [
        (
            "AWS Error INTERNAL_FAILURE during GetObject operation: Failed to flush response stream",
            True,
        ),
        ("AWS Error SLOW_DOWN during GetObject operation: Reduce your request rate.", True),
        ("AWS Error NETWORK_CONNECTION during GetObject operation: curlCode: 7", True),
        (
            "AWS Error NO_SUCH_KEY during GetObject operation: The specified key does not exist.",
            False,
        ),
        ("AWS Error ACCESS_DENIED during GetObject operation", False),
    ],
)
def test_which_read_failures_are_tried_again(message, transient):
    assert is_transient(OSError(message)) is transient
    assert not is_transient(ValueError(message))
