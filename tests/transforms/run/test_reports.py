"""Where a run's report is rendered and how it reaches OUTPUT: in place locally; on an object
store staged with the run, the shared static folder only when OUTPUT lacks that version."""

from __future__ import annotations

from pathlib import Path

from transforms.core.storage import resolve_location
from transforms.run.reports import SHARED_STATIC, report_folder
from transforms.run.store import RunPaths


def _render(folder: Path, version: str) -> str:
    """What expectations.offline leaves: the run's pages, the shared folder beside them."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<html>report</html>")
    shared = folder.parent / "_static"
    shared.mkdir()
    (shared / "VERSION").write_text(version)
    (shared / "app.css").write_text("body {}")
    return str(folder / "index.html")


def test_a_local_report_is_rendered_in_place(tmp_path):
    paths = RunPaths(resolve_location(str(tmp_path / "out")), "run-1")
    docs = report_folder(paths)
    assert docs.folder == tmp_path / "out" / "reports" / "run-1"
    assert docs.folder.parent / "_static" == tmp_path / "out" / SHARED_STATIC  # once per OUTPUT
    assert docs.publish(str(docs.folder / "index.html")) == str(docs.folder / "index.html")


def test_an_object_store_report_stages_the_shared_folder_once(s3_bucket):
    output = resolve_location(f"s3://{s3_bucket}/out")
    first = RunPaths(output, "run-1")
    docs = report_folder(first)
    assert docs.folder.name == "run-1"
    index = docs.publish(_render(docs.folder, "gx 1 vendor a\n"))
    assert index == f"s3://{s3_bucket}/out/reports/run-1/index.html"
    staged = set(first.store.files(first.publish))
    assert {
        "reports/run-1/index.html",
        f"{SHARED_STATIC}/VERSION",
        f"{SHARED_STATIC}/app.css",
    } <= staged
    assert not docs.folder.parent.exists()  # the temporary folder is gone

    # OUTPUT holds that version now: the next run stages its pages only; another version again
    first.store.write_bytes(f"{SHARED_STATIC}/VERSION", b"gx 1 vendor a\n")
    for run_id, version, shared in (("run-2", "gx 1 vendor a\n", False), ("run-3", "gx 2\n", True)):
        paths = RunPaths(output, run_id)
        docs = report_folder(paths)
        docs.publish(_render(docs.folder, version))
        staged = set(paths.store.files(paths.publish))
        assert f"reports/{run_id}/index.html" in staged
        assert (f"{SHARED_STATIC}/VERSION" in staged) == shared
