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
is missing or holds other files (its `VERSION` differs).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from transforms.run.output_store import OutputStore
from transforms.run.store import RunPaths

SHARED_STATIC = "reports/_static"  # the reports' static files, once per OUTPUT


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
            return index
        if index is None:
            shutil.rmtree(self.folder.parent, ignore_errors=True)
            return None
        store, key = self.paths.store, self.paths.reports()
        store.upload_folder(self.folder, f"{self.paths.publish}/{key}")
        shared = self.folder.parent / Path(SHARED_STATIC).name
        if shared.is_dir() and not _same_version(store, shared):
            store.upload_folder(shared, f"{self.paths.publish}/{SHARED_STATIC}")
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
