"""A budget of CPU seconds for one document in the stages, so that one page never stalls a shard.

Extraction's cost grows faster than the page (docs/operations_faults.md: the cost by page size),
so a very large page could hold a worker for minutes and gigabytes. Two bounds, both in
`ReadSettings`: the HTML is cut to `max_parse_chars` before it is parsed (`ParseHtmlStep`), and
`run_steps` gives each document `max_document_cpu_seconds` of CPU (`cpu_budget`): past it,
`DocumentTooCostly` is raised in the step at work and the document is quarantined as
`document_too_costly` with the figures (the step, the seconds, the markup's size, the process's
peak memory).

The budget is a profiling timer (`ITIMER_PROF`: CPU of the process) whose signal raises in the
main thread, where process workers run their shards; it repeats each second past the budget, in
case code between the signal and the step swallows it. `DocumentTooCostly` is a
`BaseException`, so the `except Exception` of the libraries the steps call does not catch it.
Off the main thread (a thread-pool run) signals cannot be delivered: the budget is not kept
there, and the cut of the HTML still bounds the page.
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class DocumentTooCostly(BaseException):
    """Raised in a document's step when the document has used up its CPU budget."""


def _raise(signum: int, frame: Any) -> None:
    raise DocumentTooCostly


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise `DocumentTooCostly` in the block once this process has used `seconds` more CPU
    (main thread only; a no-op elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _raise)
    signal.setitimer(signal.ITIMER_PROF, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def peak_memory_mb() -> int:
    """The process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
