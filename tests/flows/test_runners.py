"""Submitting shard tasks in a window: in plan order, never more than the window at once."""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

import pytest

from flows.runners import submission_window, submit_in_window


@pytest.mark.parametrize(
    ("name", "workers", "tasks", "expected"),
    [
        ("process", 2, 9, 3),  # one more than the workers
        ("thread", 1, 9, 2),
        ("process", 4, 2, 5),  # larger than the tasks: all of them at once
        ("dask", 2, 9, 9),  # a cluster's scheduler orders everything it gets
        ("dask", 2, 0, 1),
    ],
)
def test_submission_window(name, workers, tasks, expected):
    assert submission_window(name, workers, tasks) == expected


@pytest.mark.parametrize("window", [1, 2, 3, 10])
def test_submit_in_window_bounds_unfinished_tasks(window):
    # each task waits for its own release
    releases = {i: threading.Event() for i in range(8)}
    submitted: list[int] = []
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def task(i: int) -> int:
        nonlocal in_flight
        releases[i].wait(timeout=10)
        with lock:
            in_flight -= 1
        return i * i

    with ThreadPoolExecutor(max_workers=10) as pool:

        def submit(i: int) -> Future:
            nonlocal in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            submitted.append(i)
            return pool.submit(task, i)

        def first_done(futures: list[Future]) -> Future:
            # the test decides the finishing order: the last task submitted finishes first
            releases[max(i for i in submitted if not releases[i].is_set())].set()
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            return done.pop()

        finished = [
            (item, future.result())
            for item, future in submit_in_window(range(8), submit, window, first_done)
        ]
    assert submitted == list(range(8))  # plan order, whatever the finishing order
    assert peak <= window
    assert sorted(finished) == [(i, i * i) for i in range(8)]
    if window > 1:
        assert [i for i, _ in finished] != list(range(8))  # they did finish out of order


def test_submit_in_window_with_nothing_to_do():
    assert list(submit_in_window([], lambda i: i, 3, lambda fs: fs[0])) == []
