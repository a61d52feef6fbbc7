"""Discovery and reading of INPUT from an S3 endpoint against the same files on local disk.

    python -m benchmarks.bench_s3_input [--data ../shared/data/wcxb-dev] [--endpoint URL]

Without --endpoint it starts moto's S3 server on 127.0.0.1 (a real HTTP endpoint, in a process
of its own; on the same 2 cores, so its CPU competes with the reads: the figures show the cost
of a round trip per object on a local endpoint, not a remote store's latency). It uploads the input files under one
prefix, then times, each on the local folder and on the prefix:

1. a first discovery (every file new: listed, read and hashed),
2. a discovery against a ledger of all of them (local: size + mtime; objects: size + ETag;
   nothing is read),
3. reading every file (`read_file`: bounded, decompressed, parsed into records), one after the
   other, and (objects) as a shard reads them, a few ahead (`object_inputs.prefetched`; local
   files are read one after the other, as before: the same figure).

Wall seconds, best of `--repeat`; the objects-to-local ratio is the figure to compare.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.moto_endpoint import start_moto
from transforms.core.config import PipelineConfig
from transforms.core.schema import LEDGER
from transforms.core.storage import StorageLocation, resolve_location
from transforms.read.files import InputFile, read_file
from transforms.read.files import documents as documents_of
from transforms.read.object_inputs import prefetched
from transforms.run.inputs import gather_inputs, input_root
from transforms.run.ledger import files_table
from transforms.run.store import write_parquet

REPO = Path(__file__).resolve().parents[1]


def _best(repeat: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def _measure(root, repeat: int, config: PipelineConfig) -> dict[str, float]:
    """The three timings for one INPUT (a Path or an s3 URI)."""
    empty = Path(tempfile.mkdtemp(prefix="bench-s3-empty-"))
    first, inputs = _best(repeat, lambda: gather_inputs(root, empty, config, 2))
    location = input_root(root, config)
    read: dict[str, InputFile] = {}

    def read_all() -> int:
        read.clear()
        return sum(1 for f in inputs.files for _ in read_file(location, f, config.read, read))

    reading, documents = _best(repeat, read_all)

    def read_ahead() -> int:  # as a shard reads objects (`object_inputs.prefetched`)
        if not isinstance(location, StorageLocation):
            return documents
        loads = prefetched(location, inputs.files, config.read)
        return sum(1 for f, loaded in loads for _ in documents_of(f, loaded, config.read))

    ahead, _ = _best(repeat, read_ahead) if isinstance(location, StorageLocation) else (reading, 0)
    ledger = Path(tempfile.mkdtemp(prefix="bench-s3-ledger-"))
    rows = files_table(list(read.values()), "r1", datetime.now(UTC))
    write_parquet(rows, ledger / LEDGER / "part-r1.parquet")
    known, again = _best(repeat, lambda: gather_inputs(root, ledger, config, 2))
    assert not again.pending, "a discovery against the ledger found pending files"
    return {
        "files": len(inputs.files),
        "documents": documents,
        "discover_new_s": round(first, 3),
        "discover_known_s": round(known, 3),
        "read_s": round(reading, 3),
        "read_prefetched_s": round(ahead, 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "wcxb-dev")
    parser.add_argument("--endpoint", default=None, help="an S3 endpoint (default: start moto)")
    parser.add_argument("--bucket", default="newsclean-bench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    server = None
    if args.endpoint is None:  # moto in a process of its own: its CPU is not this one's
        server, args.endpoint = start_moto()
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ["AWS_ENDPOINT_URL"] = args.endpoint
    try:
        config = PipelineConfig()
        url = f"s3://{args.bucket}/bench"
        location = resolve_location(url)
        fs = location.filesystem()
        if not fs.exists(args.bucket):
            fs.mkdir(args.bucket)
        t = time.perf_counter()
        fs.put(str(args.data) + "/", location.path + "/", recursive=True)
        print(f"uploaded {args.data} to {url} in {time.perf_counter() - t:.1f} s")
        local = _measure(args.data, args.repeat, config)
        objects = _measure(url, args.repeat, config)
        print(f"{'':18} {'local':>8} {'s3':>8} {'ratio':>6}")
        for key in ("discover_new_s", "discover_known_s", "read_s", "read_prefetched_s"):
            ratio = objects[key] / local[key] if local[key] else float("nan")
            print(f"{key:18} {local[key]:8.3f} {objects[key]:8.3f} {ratio:6.1f}")
        print(
            f"files {local['files']} / {objects['files']}, documents {local['documents']} / "
            f"{objects['documents']}"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
