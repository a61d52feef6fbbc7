"""Submitting shard tasks in a window: one more than the workers, all of them on Dask."""

from __future__ import annotations

import pytest

from flows.runners import submission_window


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
