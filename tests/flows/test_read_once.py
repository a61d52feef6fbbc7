"""Each new input is read once a run (issue 32): its hash and its parse come from the same bytes.

The command line discovers, the flow uses what it found, and discovery does not read a file at
a path the ledger never saw: the shard's one read gives its hash. Counted where the bytes are
asked for: the interpreter's `open` audit events for local files (one worker: the shards run in
this process), the S3 endpoint's GET requests for objects.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.flows.corpus import write_corpus

_counting: list[tuple[str, Counter]] = []  # (root, opens by path) while a test counts


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _counting and isinstance(args[0], str | Path):
        root, opens = _counting[-1]
        path = str(args[0])
        if path.startswith(root):
            opens[Path(path).relative_to(root).as_posix()] += 1


sys.addaudithook(_audit)  # hooks cannot be removed: it counts only inside `_opens`


def _opens(root: Path, run) -> Counter:
    opens: Counter = Counter()
    _counting.append((str(root.resolve()) + "/", opens))
    try:
        assert run() == 0
    finally:
        _counting.pop()
    return opens


def _argv(input_dir: str, output: Path) -> list[str]:
    return ["--input", input_dir, "--output", str(output), "--workers", "1", "--no-progress"]


def test_each_new_local_file_is_opened_once_a_run(prefect_harness, tmp_path):
    from flows import cli
    from transforms.read.files import source_format

    root, output = tmp_path / "in", tmp_path / "out"
    write_corpus(root)
    # files written in the last RACY_NS are hashed again by the next run (their mtime cannot be
    # trusted yet): age them, as a scheduled run meets its inputs
    aged = time.time() - 60
    for p in root.rglob("*"):
        os.utime(p, (aged, aged), follow_symlinks=False)
    found = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    files = sorted(f for f in found if source_format(f))  # not the ignored notes.csv
    assert len(files) >= 5

    first = _opens(root, lambda: cli.run(_argv(str(root), output)))
    assert first == Counter({f: 1 for f in files})

    (root / "late.html").write_text("<html><body><p>A page added later.</p></body></html>")
    second = _opens(root, lambda: cli.run(_argv(str(root), output)))
    assert second == Counter({"late.html": 1})  # the others: the ledger's size and mtime


@pytest.fixture
def s3_requests():
    """The S3 endpoint's requests as (method, path), logged by its HTTP server."""
    seen: list[tuple[str, str]] = []

    class Record(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            words = re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage()).split('"')
            if len(words) > 1 and len(words[1].split()) >= 2:
                method, path = words[1].split()[:2]
                seen.append((method, unquote(path)))

    logger = logging.getLogger("werkzeug")
    handler, level = Record(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_each_new_object_is_got_once_a_run(prefect_harness, s3_bucket, tmp_path, s3_requests):
    from flows import cli
    from transforms.core.storage import resolve_location
    from transforms.read.files import source_format

    root = tmp_path / "in"
    write_corpus(root)
    location = resolve_location(f"s3://{s3_bucket}/raw")
    keys = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        location.filesystem().pipe_file(location.join(rel).path, path.read_bytes())
        if source_format(rel):
            keys.append(f"/{s3_bucket}/raw/{rel}")

    s3_requests.clear()
    assert cli.run(_argv(location.url, tmp_path / "out")) == 0
    gets = Counter(path for method, path in s3_requests if method == "GET" and "?" not in path)
    assert gets == Counter({key: 1 for key in keys})
