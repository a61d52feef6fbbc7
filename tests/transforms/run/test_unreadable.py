"""Unreadable input entries are quarantined once, remembered, and re-tried when they change."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.read.files import discover
from transforms.run.store import write_parquet
from transforms.run.unreadable import split_unreadable

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def _tree(root: Path) -> None:
    root.mkdir()
    (root / "good.html").write_text("<p>fine</p>")
    (root / "loop.html").symlink_to("loop.html")  # unreadable for root too
    (root / "dangling.html").symlink_to("nowhere.html")
    os.mkfifo(root / "pipe.html")


def _remember(entries, folder: Path, run_id: str) -> None:
    """What publishing the run does with the new entries (one part file a run)."""
    write_parquet(entries.table(run_id, NOW), folder / f"part-{run_id}-all.parquet")


def test_known_entries_are_skipped_until_they_change(tmp_path):
    root, folder = tmp_path / "in", tmp_path / "out" / "unreadable"
    _tree(root)
    drops = discover(root)[1]
    reasons = {p: d.reason for p, d in drops}
    assert reasons == {
        "dangling.html": "symlink_broken",
        "loop.html": "symlink_loop",
        "pipe.html": "not_regular_file",
    }

    first = split_unreadable(root, drops, folder)
    assert [p for p, _ in first.new] == sorted(reasons) and first.known == []
    rows = {r["source_path"]: r for r in first.table("r1", NOW).to_pylist()}
    assert (
        rows["loop.html"]["kind"] == "symlink" and rows["loop.html"]["link_target"] == "loop.html"
    )
    assert rows["pipe.html"]["kind"] == "special" and rows["pipe.html"]["mtime_ns"] > 0
    _remember(first, folder, "r1")

    second = split_unreadable(root, discover(root)[1], folder)
    assert second.new == [] and sorted(second.known) == sorted(reasons)

    # a new link target, a chmod (status-change time): each entry is quarantined again, once
    (root / "dangling.html").unlink()
    (root / "dangling.html").symlink_to("elsewhere.html")
    os.chmod(root / "pipe.html", 0o600)
    third = split_unreadable(root, discover(root)[1], folder)
    assert sorted(p for p, _ in third.new) == ["dangling.html", "pipe.html"]
    assert third.known == ["loop.html"]
    assert third.table("r3", NOW).to_pylist()[0]["link_target"] == "elsewhere.html"
    _remember(third, folder, "r3")
    assert split_unreadable(root, discover(root)[1], folder).new == []

    # an entry that becomes readable is an input file again, not a drop
    (root / "pipe.html").unlink()
    (root / "pipe.html").write_text("<p>now a page</p>")
    files, drops, _ = discover(root)
    assert "pipe.html" in [f.path for f in files]
    assert split_unreadable(root, drops, folder).new == []


def test_state_goes_into_the_quarantine_doc_id(tmp_path):
    from transforms.run.stage_outputs import discover_quarantine

    root, folder = tmp_path / "in", tmp_path / "unreadable"
    _tree(root)

    def ids() -> dict[str, str]:
        entries = split_unreadable(root, discover(root)[1], folder)  # nothing remembered
        table = discover_quarantine(entries.new, "r", NOW, entries.state_texts())
        return dict(zip(table["source_path"].to_pylist(), table["doc_id"].to_pylist(), strict=True))

    before = ids()
    (root / "dangling.html").unlink()
    (root / "dangling.html").symlink_to("elsewhere.html")
    after = ids()
    # the same entry in a new state gets a new key (a new quarantine row); unchanged ones keep it
    assert after["dangling.html"] != before["dangling.html"]
    assert after["loop.html"] == before["loop.html"] and after["pipe.html"] == before["pipe.html"]
    assert len(set(before.values())) == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_a_file_without_read_permission(tmp_path):
    root, folder = tmp_path / "in", tmp_path / "unreadable"
    root.mkdir()
    (root / "locked.html").write_text("<p>secret</p>")
    os.chmod(root / "locked.html", 0)
    drops = discover(root)[1]
    assert [(p, d.reason) for p, d in drops] == [("locked.html", "unreadable_file")]
    first = split_unreadable(root, drops, folder)
    _remember(first, folder, "r1")
    assert split_unreadable(root, discover(root)[1], folder).known == ["locked.html"]
    os.chmod(root / "locked.html", 0o644)  # readable again: an input, not a drop
    assert [f.path for f in discover(root)[0]] == ["locked.html"]
