"""What an S3 outage costs one request: the seconds until an s3fs write and a pyarrow read of
an OUTPUT on an endpoint that is gone (a closed local port) give up, with the retry settings
of `transforms.core.storage` (docs/operations_faults.md).

    python scripts/s3_outage.py [--retry-attempts N] [--retry-max-backoff S]
"""

from __future__ import annotations

import argparse
import os
import socket
import time

from transforms.core.storage import resolve_location
from transforms.run.output_store import OutputStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--retry-attempts")
    parser.add_argument("--retry-max-backoff")
    args = parser.parse_args()
    for name, value in (("AWS_ACCESS_KEY_ID", "outage"), ("AWS_SECRET_ACCESS_KEY", "outage")):
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{free.getsockname()[1]}"
    options = {"endpoint_url": gone}
    if args.retry_attempts:
        options["retry_attempts"] = args.retry_attempts
    if args.retry_max_backoff:
        options["retry_max_backoff"] = args.retry_max_backoff
    store = OutputStore(resolve_location("s3://outage/out", options))
    for what, call in (
        ("s3fs write", lambda: store.write_bytes("runs/r.json", b"{}")),
        ("pyarrow read", lambda: store.read_table("ledger/part-0.parquet")),
    ):
        start = time.monotonic()
        try:
            call()
        except Exception as exc:  # the outage: what we measure
            print(f"{what}: gave up after {time.monotonic() - start:.1f} s ({type(exc).__name__})")


if __name__ == "__main__":
    main()
