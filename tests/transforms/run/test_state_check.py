"""OUTPUT's state files checked before a run, and the doctor's move (transforms/run/state_check.py)."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.transforms.run.history import add_runs
from transforms.run.compaction import compact
from transforms.run.output_store import OutputStore
from transforms.run.state_check import (
    CHECKED,
    CONSEQUENCE,
    check_state,
    corrupt_message,
    move_aside,
    state_files,
    take_moved_aside,
)

FOLDERS = [f for f in CONSEQUENCE if f != "runs"]
BAD = {
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: b"not a parquet file at all" * 3,
    "empty": lambda good: b"",
}


def _output(tmp_path) -> tuple[OutputStore, bytes]:
    out = tmp_path / "out"
    table = pa.table({"doc_id": ["a", "b"], "n": [1, 2]})
    for folder in FOLDERS:
        (out / folder / "ingest_date=2026-01-01").mkdir(parents=True)
        pq.write_table(table, out / folder / "ingest_date=2026-01-01" / "part-r1.parquet")
    (out / "runs").mkdir()
    (out / "runs" / "r1.json").write_text(json.dumps({"run_id": "r1"}))
    good = (out / FOLDERS[0] / "ingest_date=2026-01-01" / "part-r1.parquet").read_bytes()
    return OutputStore(str(out)), good


def test_a_sound_output_has_nothing_corrupt(tmp_path):
    store, _ = _output(tmp_path)
    assert check_state(store) == []
    assert len(state_files(store)) == len(FOLDERS) + 1


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("kind", sorted(BAD))
def test_each_corrupt_state_file_is_found_and_moved_aside(tmp_path, folder, kind):
    store, good = _output(tmp_path)
    key = f"{folder}/ingest_date=2026-01-01/part-r2.parquet"
    (store.local(key)).write_bytes(BAD[kind](good))
    corrupt = check_state(store)
    assert [c.key for c in corrupt] == [key]
    line = corrupt_message(str(store.local()), corrupt)
    assert "\n" not in line and key in line and "python -m flows.doctor --output" in line
    records = move_aside(store, corrupt, "20260101T000000Z")
    assert records[0]["moved_to"] == f"_corrupt/20260101T000000Z/{key}"
    assert records[0]["consequence"] == CONSEQUENCE[folder]
    assert not store.local(key).exists() and store.local(records[0]["moved_to"]).exists()
    assert check_state(store) == []  # "_" names are not state files
    assert [r["key"] for r in take_moved_aside(store, "r3")] == [key]
    store.write_bytes("runs/r3.json", b"{}")  # r3 committed its manifest
    assert take_moved_aside(store, "r4") == []  # recorded by one run only


def test_what_was_moved_aside_outlives_a_run_that_fails_before_its_commit(tmp_path):
    store, good = _output(tmp_path)
    key = f"{FOLDERS[0]}/ingest_date=2026-01-01/part-r2.parquet"
    store.local(key).write_bytes(good[:10])
    move_aside(store, check_state(store), "20260101T000000Z")
    assert [r["key"] for r in take_moved_aside(store, "r3")] == [key]
    # r3 failed before its commit (no runs/r3.json): r4 records the list again
    assert [r["key"] for r in take_moved_aside(store, "r4")] == [key]
    store.write_bytes("runs/r4.json", b"{}")
    assert take_moved_aside(store, "r5") == []


def test_a_mark_of_an_older_doctor_counts_as_recorded(tmp_path):
    store, good = _output(tmp_path)
    store.local(f"{FOLDERS[0]}/ingest_date=2026-01-01/part-r2.parquet").write_bytes(good[:10])
    move_aside(store, check_state(store), "20260101T000000Z")
    store.write_bytes("_corrupt/20260101T000000Z/reported.json", b"{}")
    assert take_moved_aside(store, "r3") == []


def test_a_manifest_that_is_not_json_is_corrupt(tmp_path):
    store, _ = _output(tmp_path)
    store.local("runs/r2.json").write_text('{"run_id": "r2", "stat')
    assert [c.key for c in check_state(store)] == ["runs/r2.json"]


def test_a_check_opens_only_the_files_new_or_changed_since_the_last(tmp_path):
    """A run's check costs its own files, not the history's: files found sound are not
    opened again while their size is the same; a new file, or one cut short, is."""
    store, good = _output(tmp_path)
    assert check_state(store) == []
    known = json.loads(store.read_bytes(CHECKED))
    assert sorted(known) == sorted(state_files(store))
    key = f"{FOLDERS[0]}/ingest_date=2026-01-01/part-r1.parquet"
    store.local(key).write_bytes(BAD["truncated"](good))  # another size: opened again
    new = f"{FOLDERS[1]}/ingest_date=2026-01-01/part-r3.parquet"
    store.local(new).write_bytes(BAD["garbage"](good))
    assert sorted(c.key for c in check_state(store)) == sorted([key, new])
    assert key not in json.loads(store.read_bytes(CHECKED))


def test_a_compactions_files_are_not_opened_again_by_the_next_run(tmp_path):
    """Compaction opens the files it wrote once and records them sound: the next run's check
    has nothing new to open (on a store: three requests a compacted file)."""
    store = OutputStore(tmp_path / "out")
    add_runs(store, 3)
    assert check_state(store) == []
    compact(store, "20260105T000000-c00001", retain_seconds=0)
    known = json.loads(store.read_bytes(CHECKED))
    sizes = store.sizes("")
    written = [k for k in sizes if "-compacted.parquet" in k]
    assert written and all(known.get(k) == sizes[k] for k in written)
    assert not [k for k in state_files(store) if known.get(k) != sizes[k]]
