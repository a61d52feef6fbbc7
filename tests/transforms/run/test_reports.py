"""Where a run's report is rendered and how it reaches OUTPUT: in place locally; on an object
store staged with the run, the shared static folder only when OUTPUT lacks that version."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path

from transforms.core.storage import resolve_location
from transforms.run.reports import (
    SHARED_STATIC,
    SHARED_SUITES,
    report_folder,
    share_suite_pages,
    slim_report,
)
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


def _suite_pages(folder: Path, marker: str) -> None:
    """A report with suite pages as GX renders them (a fresh uuid in each render) and the
    pages that link them."""
    (folder / "expectations").mkdir(parents=True)
    for name in ("articles", "quarantine"):
        page = f'<a href="../index.html">home</a><div id="x-{uuid.uuid4()}">{name} {marker}</div>'
        (folder / "expectations" / f"{name}.html").write_text(page)
    (folder / "index.html").write_text('<a href="expectations/articles.html">articles</a>')
    deep = folder / "validations" / "articles" / "r" / "t"
    deep.mkdir(parents=True)
    (deep / "v.html").write_text('<a href="../../../../expectations/articles.html">suite</a>')


def test_suite_pages_are_kept_once_per_output_and_linked_from_each_run(tmp_path):
    reports = tmp_path / "reports"
    digests = []
    for run_id, marker in (("run-1", "v1"), ("run-2", "v1"), ("run-3", "v2")):
        _suite_pages(reports / run_id, marker)
        digests.append(share_suite_pages(reports / run_id))
        assert not (reports / run_id / "expectations").exists()  # the run's own pages only
    assert digests[0] == digests[1] != digests[2]  # the same suites: one folder
    assert sorted(p.name for p in (reports / "_suites").iterdir()) == sorted(set(digests))
    index = (reports / "run-2" / "index.html").read_text()
    target = reports / "run-2" / index.split('href="')[1].split('"')[0]
    assert target.resolve() == (reports / "_suites" / digests[0] / "articles.html").resolve()
    deep = reports / "run-2" / "validations" / "articles" / "r" / "t"
    link = (deep / "v.html").read_text().split('href="')[1].split('"')[0]
    assert (deep / link).resolve() == target.resolve() and target.is_file()
    assert "../index.html" not in target.read_text()  # no home in a shared folder: back
    assert share_suite_pages(tmp_path / "no-report") is None


def test_an_object_store_report_stages_the_suite_pages_once(s3_bucket):
    output = resolve_location(f"s3://{s3_bucket}/out")
    for run_id, shared in (("run-1", True), ("run-2", False)):
        paths = RunPaths(output, run_id)
        docs = report_folder(paths)
        index = _render(docs.folder, "gx 1 vendor a\n")
        _suite_pages(docs.folder, "v1")
        docs.publish(index)
        staged = paths.store.files(paths.publish)
        assert not [k for k in staged if k.startswith(f"reports/{run_id}/expectations/")]
        assert any(k.startswith(f"{SHARED_SUITES}/") for k in staged) == shared
        for key in staged:  # as the run's publish moves them
            paths.store.move(f"{paths.publish}/{key}", key)


def test_a_slim_report_reads_the_same_and_keeps_every_result(tmp_path):
    root = tmp_path / "run-1"
    raw = root / "results" / "articles" / "r" / "t" / "batch.json"
    raw.parent.mkdir(parents=True)
    result = {"success": True, "results": [{"expectation": i} for i in range(50)]}
    raw.write_text(json.dumps(result, indent=2))
    page = (
        "<html>\n    <body>\n      <p>ok</p>\n<pre>\n    kept  as is\n</pre>\n    </body>\n</html>"
    )
    (root / "index.html").write_text(page)
    slim_report(root)
    assert (root / "index.html").read_text() == (
        "<html>\n<body>\n<p>ok</p>\n<pre>\n    kept  as is\n</pre>\n</body>\n</html>"
    )
    assert not raw.exists()
    stored = raw.with_name("batch.json.gz")
    assert json.loads(gzip.decompress(stored.read_bytes())) == result
    assert stored.stat().st_size < len(json.dumps(result, indent=2))
