"""Where a run's validation report (Great Expectations Data Docs) is written, and published.

Great Expectations writes its Data Docs to a local folder. For a local OUTPUT that folder is
`OUTPUT/reports/<run_id>/`, written in place as before (a run discarded at recovery has its
folder removed). For an object-store OUTPUT the report is rendered in a local temporary folder
and, once complete, copied into the run's publish mirror (`_staging/<run_id>/publish/reports/
<run_id>/`), so it is published with the run's tables, by the same journal, or discarded with
them. Dask workers of such a run validate their own shards without a report page (they share
no disk with the flow); the run-level tables' pages and the index are still published.

The report's static files (styles, scripts, fonts) are kept once per OUTPUT, in
`reports/_static/` beside the runs' folders (`expectations/offline.py` writes it beside the
rendered report): locally in place, on an object store staged with the run when OUTPUT's copy
is missing or holds other files (its `VERSION` differs). So are the suites' pages
(`expectations/<table>.html`, the same every run while the suites are): `share_suite_pages`
moves them to `reports/_suites/<digest>/`, named by their content, and points the run's pages
there, so that a run's report holds its own pages only, and `slim_report` drops the pages'
indentation and stores the raw results gzipped (docs/compaction.md: a report's size).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from transforms.run.output_store import OutputStore
from transforms.run.store import RunPaths

SHARED_STATIC = "reports/_static"  # the reports' static files, once per OUTPUT
SHARED_SUITES = "reports/_suites"  # the suites' pages, once per OUTPUT and suite contents
_SUITE_PAGES = "expectations"  # where GX renders them in a run's report
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SUITE_LINK = re.compile(rf'(?<=href=")((?:\.\./)*){_SUITE_PAGES}/([\w.-]+\.html)')


@dataclass(frozen=True, slots=True)
class ReportFolder:
    """The local folder Data Docs are rendered in for one run, and how they reach OUTPUT."""

    paths: RunPaths
    folder: Path

    def shard_docs(self, task_runner: str) -> str | None:
        """The folder shard validations write their pages to (None: no page), for ShardJob:
        the flow's validator validates the shards of process and thread runners; Dask workers
        validate their own and reach only a local OUTPUT's folder (a shared filesystem)."""
        if task_runner == "dask" and not self.paths.store.is_local:
            return None
        return str(self.folder)

    def publish(self, index: str | None) -> str | None:
        """Stage the rendered report with the run (object store); the index's location for
        the manifest (a local path, or the report's URL under OUTPUT), or None."""
        if self.paths.store.is_local:
            if index is not None:
                share_suite_pages(self.folder)
                slim_report(self.folder)
            return index
        if index is None:
            shutil.rmtree(self.folder.parent, ignore_errors=True)
            return None
        store, key = self.paths.store, self.paths.reports()
        suites = share_suite_pages(self.folder)
        slim_report(self.folder)
        store.upload_folder(self.folder, f"{self.paths.publish}/{key}")
        shared = self.folder.parent / Path(SHARED_STATIC).name
        if shared.is_dir() and not _same_version(store, shared):
            store.upload_folder(shared, f"{self.paths.publish}/{SHARED_STATIC}")
        if suites is not None and not store.exists(f"{SHARED_SUITES}/{suites}/{_DONE}"):
            folder = self.folder.parent / Path(SHARED_SUITES).name / suites
            store.upload_folder(folder, f"{self.paths.publish}/{SHARED_SUITES}/{suites}")
        shutil.rmtree(self.folder.parent, ignore_errors=True)
        return store.at(f"{key}/{Path(index).relative_to(self.folder).as_posix()}").display()


def report_folder(paths: RunPaths) -> ReportFolder:
    """The run's report folder: OUTPUT/reports/<run_id> locally, else a temporary folder."""
    if paths.store.is_local:
        return ReportFolder(paths, paths.store.local(paths.reports()))
    temporary = Path(tempfile.mkdtemp(prefix=f"newsclean-docs-{paths.run_id}-"))
    return ReportFolder(paths, temporary / paths.run_id)  # the shared static folder beside it


def _same_version(store: OutputStore, shared: Path) -> bool:
    """True when OUTPUT's shared static folder holds what `shared` holds."""
    key = f"{SHARED_STATIC}/VERSION"
    mine = shared / "VERSION"
    return mine.is_file() and store.exists(key) and store.read_bytes(key) == mine.read_bytes()


_DONE = "DIGEST"  # written last in a shared suites folder: it is complete


def share_suite_pages(root: Path) -> str | None:
    """Move the suite pages of the report at `root` to `root/../_suites/<digest>/` (kept when
    there already: the same pages) and point the report's pages at them; the digest, or None
    when the report has none. Their "home" link goes back to the page the reader came from."""
    own = root / _SUITE_PAGES
    pages = sorted(own.glob("*.html")) if own.is_dir() else []
    if not pages:
        return None
    texts = {p.name: p.read_text(encoding="utf-8") for p in pages}
    digest = hashlib.sha1(
        "\n".join(f"{n}\n{_UUID.sub('', t)}" for n, t in texts.items()).encode()
    ).hexdigest()[:16]
    shared = root.parent / Path(SHARED_SUITES).name / digest
    if not (shared / _DONE).is_file():
        shared.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=shared.parent))
        for name, text in texts.items():
            back = text.replace('href="../index.html"', 'href="javascript:history.back()"')
            (build / name).write_text(back, encoding="utf-8")
        (build / _DONE).write_text(digest)
        build.chmod(0o755)
        try:
            build.rename(shared)
        except OSError:  # another run made it first: the same pages
            shutil.rmtree(build, ignore_errors=True)
    shutil.rmtree(own, ignore_errors=True)
    for page in root.rglob("*.html"):
        depth = len(page.relative_to(root).parent.parts)
        up = "../" * depth + f"../{Path(SHARED_SUITES).name}/{digest}/"
        text = page.read_text(encoding="utf-8")
        linked = _SUITE_LINK.sub(lambda m, up=up: up + m.group(2), text)
        if linked != text:
            page.write_text(linked, encoding="utf-8")
    return digest


_INDENT = re.compile(r"\n[ \t]+")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S | re.I)


def slim_report(root: Path) -> None:
    """A rendered report made smaller, the same to read: each page without its lines'
    indentation (outside <pre>), each raw result (`results/**/*.json`, GX's store, read by no
    page) compact and gzipped as `.json.gz`."""
    for page in root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        parts = _PRE.split(text)  # odd parts are <pre> blocks: kept as they are
        slim = "".join(p if i % 2 else _INDENT.sub("\n", p) for i, p in enumerate(parts))
        if slim != text:
            page.write_text(slim, encoding="utf-8")
    for raw in root.glob("results/**/*.json"):
        compact = json.dumps(json.loads(raw.read_bytes()), separators=(",", ":"))
        raw.with_name(f"{raw.name}.gz").write_bytes(gzip.compress(compact.encode(), mtime=0))
        raw.unlink()
