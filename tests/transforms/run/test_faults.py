"""One line for each known fault (transforms/run/faults.py)."""

from __future__ import annotations

import errno

import botocore.exceptions
import httpx
import pyarrow as pa
import pytest

from transforms.run.faults import committed, fault_line, log_traceback
from transforms.run.output_store import OutputStore


def _raised(exc: BaseException, cause: BaseException | None = None) -> BaseException:
    try:
        try:
            if cause is not None:
                raise cause
        finally:
            raise exc
    except BaseException as caught:
        return caught


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device", "/data/out/_staging/r1/a.parquet"),
            "disk full writing /data/out/_staging/r1/a.parquet: free space there",
        ),
        (
            OSError("IOError: [errno 28] No space left on device (writing '/data/out/x')"),
            "disk full writing /data/out/x",
        ),
        (
            pa.ArrowInvalid("Could not open Parquet input source '/data/out/ledger/p.parquet': x"),
            "corrupt state file /data/out/ledger/p.parquet: run `python -m flows.doctor --output",
        ),
        (
            botocore.exceptions.EndpointConnectionError(endpoint_url="http://s3.local:9000/b"),
            "object store unreachable for /data/out (EndpointConnectionError",
        ),
        (
            OSError("When writing to 'b/x': AWS Error NETWORK_CONNECTION during PutObject"),
            "object store unreachable for /data/out (OSError",
        ),
        (
            RuntimeError("the flow run could not report its state"),
            "RuntimeError: the flow run could not report its state",
        ),
    ],
)
def test_each_known_fault_is_one_line_that_says_what_to_do(exc, expected):
    line = fault_line(_raised(exc), "/data/out", None)
    assert line.startswith(expected) and "\n" not in line


def test_a_fault_under_another_is_found_by_its_cause():
    gone = httpx.ConnectError("All connection attempts failed")
    line = fault_line(_raised(RuntimeError("crashed"), gone), "/o", "http://127.0.0.1:4210/api")
    assert line.startswith("the Prefect API at http://127.0.0.1:4210/api is gone (ConnectError)")


def test_the_traceback_goes_to_the_runs_log(tmp_path):
    path = log_traceback(_raised(ValueError("deep inside")), tmp_path / "logs", "r1")
    assert path == tmp_path / "logs" / "r1.log"
    assert "Traceback" in path.read_text() and "ValueError: deep inside" in path.read_text()


def test_a_run_is_committed_when_its_manifest_is_in_output(tmp_path):
    store = OutputStore(str(tmp_path))
    assert not committed(store, "r1")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "r1.json").write_text("{}")
    assert committed(store, "r1")
