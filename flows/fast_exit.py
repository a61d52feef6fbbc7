"""End the command line's process without tearing its modules down, once everything is written.

After a run, the interpreter's own shutdown frees every object of every loaded module (Great
Expectations, pandas, Prefect, pyarrow, lxml) one by one: seconds of wall time after the last
exit handler has run, for nothing a user waits for. The
command line arms this module with its exit code (`arm`); an exit handler registered when this
module is imported (before Prefect, Great Expectations or multiprocessing are, so it runs after
their handlers: Python runs them last-registered first) flushes the standard streams and the
logging handlers, then ends the process with `os._exit(code)`. Every other exit handler has run
by then (Prefect's last logs and events, the run's temporary server's stop, the process pools');
only the teardown is skipped. Unarmed (an import by tests, an exception), it does nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

_code: list[int] = []


def arm(code: int) -> int:
    """Exit with `code` without the interpreter's teardown, after the exit handlers; returns
    `code` (for `sys.exit(arm(main()))`)."""
    _code[:] = [code]
    return code


def arm_worker() -> None:
    """A worker process's initializer (the shard and validation pools): the same exit, code 0,
    once the pool is shut down. A worker's teardown of lxml, trafilatura and pyarrow state is
    on the run's critical path (the pool waits for its workers to end): seconds for a worker,
    a small fraction of that with this.

    The worker also ends when the run's process is gone: a pool worker waits for its next task
    on a queue it holds both ends of, so after a SIGKILL of the run it would wait forever (and
    keep the run's forkserver alive with it, `flows.worker_pool`)."""
    arm(0)
    _exit_with_parent()


def _exit_with_parent() -> None:
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])  # ready when the parent's end of the pipe closes: it is gone
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-run", daemon=True).start()


def _exit_now() -> None:
    if not _code:
        return
    if "logging" in sys.modules:
        import logging

        logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        # a closed or broken stream: nothing left to flush
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(_code[0])


atexit.register(_exit_now)
