import pytest

from transforms.run.manifest import accounting, shard_timeline


@pytest.mark.parametrize(
    ("spans", "workers", "idle"),
    [
        ([], 2, 0.0),
        # two workers busy from the start to the end: nothing idle
        ([("00000", 10, 100.0, 110.0), ("00001", 10, 100.0, 110.0)], 2, 0.0),
        # the second worker starts 2 s late and runs out of work 3 s before the end
        ([("00000", 10, 100.0, 110.0), ("00001", 8, 102.0, 107.0)], 2, 5.0),
        # one worker, shards back to back after a 1 s start-up
        ([("00000", 5, 101.0, 104.0), ("00001", 5, 104.0, 106.0)], 1, 1.0),
    ],
)
def test_shard_timeline_idle_worker_seconds(spans, workers, idle):
    timeline = shard_timeline(spans, workers, since=100.0)
    assert timeline["idle_worker_seconds"] == pytest.approx(idle)
    assert [r["shard"] for r in timeline["shards"]] == [
        s[0] for s in sorted(spans, key=lambda s: s[2])
    ]


def test_shard_timeline_spans_are_relative_to_the_phase_start():
    rows = shard_timeline([("00001", 3, 105.5, 107.25), ("00000", 4, 100.5, 103.0)], 1, 100.0)
    assert rows["shards"] == [
        {"shard": "00000", "files": 4, "start": 0.5, "end": 3.0},
        {"shard": "00001", "files": 3, "start": 5.5, "end": 7.25},
    ]


def test_accounting_balances():
    assert accounting(10, 6, 1, 3)["balanced"]
    assert not accounting(10, 6, 1, 2)["balanced"]


def test_pages_count_in_the_accounting_beside_articles():
    acc = accounting(10, 4, 1, 3, pages=2)
    assert acc["pages"] == 2 and acc["balanced"]
    assert not accounting(10, 4, 1, 3)["balanced"]


def test_records_already_published_are_counted_apart_from_the_new_documents():
    acc = accounting(10, 3, 1, 2, already_published=4)
    assert acc["documents_in"] == 6 and acc["already_published"] == 4 and acc["balanced"]
    assert not accounting(10, 3, 1, 2)["balanced"]  # they are not silently absorbed
