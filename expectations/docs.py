"""Data Docs: the HTML validation report, written under a directory the caller chooses.

The validator keeps one ephemeral GX context per process. For each report directory it adds,
once, a file-backed validation-results store (`<dir>/results/`) and a Data Docs site rooted at
`<dir>` (`<dir>/index.html`). Each validated batch stores its result there and renders only its
own page plus the index, so a report grows batch by batch; since the results are files, batches
validated by other processes (Dask workers) into the same directory appear in the same index.
Stored results are trimmed to a sample of failing values (each cut to `max_chars`): the
quarantine holds every failure, the report is for reading.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

RESULTS_SUBDIR = "results"
_FULL_LISTS = ("unexpected_list", "unexpected_index_list", "unexpected_index_query")


def _short(value: Any, max_chars: int) -> Any:
    if isinstance(value, str) and len(value) > max_chars:
        return value[: max_chars - 1] + "…"
    if isinstance(value, dict):
        return {k: _short(v, max_chars) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_short(v, max_chars) for v in value]
    return value


def trim_result(result: Any, max_chars: int) -> None:
    """Drop the full lists of failing values from a suite result; shorten the samples."""
    for r in result.results:
        for key in _FULL_LISTS:
            r.result.pop(key, None)
        for key, value in list(r.result.items()):
            if key.startswith("partial_"):
                r.result[key] = _short(value, max_chars)


class ReportSite(NamedTuple):
    """A Data Docs site of a context: its name, its results store and its root directory."""

    name: str
    store: str
    root: Path

    @property
    def index(self) -> str:
        return str(self.root / "index.html")


def register_site(
    context: Any, docs_dir: str | Path, suite_names: list[str], render: bool = True
) -> ReportSite:
    """Add a results store and a Data Docs site for `docs_dir` to `context`.

    Idempotent per directory. With `render`, the suites' own pages and the index are rendered
    at registration; without it they wait for the caller's `build_index`.
    """
    root = Path(docs_dir).resolve()
    key = hashlib.sha1(str(root).encode()).hexdigest()[:12]
    site, store = f"report_{key}", f"results_{key}"
    if site in (context.variables.data_docs_sites or {}):
        return ReportSite(site, store, root)
    root.mkdir(parents=True, exist_ok=True)
    context.add_store(
        store,
        {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(root / RESULTS_SUBDIR),
            },
        },
    )
    context.add_data_docs_site(
        site,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(root),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "site_section_builders": {
                "expectations": {"source_store_name": context.expectations_store_name},
                "validations": {"source_store_name": store},
                "profiling": "None",
            },
        },
    )
    report = ReportSite(site, store, root)
    if render:
        build_index(context, report, suite_names)
    return report


def build_index(context: Any, site: ReportSite, suite_names: list[str]) -> str:
    """Render the suites' pages, every result stored under `site` and its index."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    # GX rebuilds every page when given no identifiers: name the suites and the stored results.
    # One build renders them all with one set of compiled templates (a build compiles its own).
    results = context.stores[site.store].list_keys()
    context.build_data_docs(
        site_names=[site.name],
        resource_identifiers=[ExpectationSuiteIdentifier(name=n) for n in suite_names] + results,
    )
    return site.index


def write_result(
    context: Any,
    site: ReportSite,
    result: Any,
    *,
    suite: str,
    run_name: str,
    run_time: datetime | None,
    batch: str,
    index: bool = True,
) -> str:
    """Store `result` in the report of `site`; with `index`, render its page and the index.

    The page is keyed by (suite, run_name, run_time, batch): validating the same batch of the
    same run again replaces its page. Returns the path of the report's index.html. The index
    lists every stored result, so a run of many batches stores them and renders the pages and
    the index once at the end (`build_index`): after each batch, the index would grow
    quadratically, and each render compiles GX's templates again (~0.1 s of CPU a page).
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    run_id = RunIdentifier(run_name=run_name, run_time=run_time or datetime.now(UTC))
    result.meta["run_id"] = run_id
    result.meta["validation_time"] = run_id.run_time
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite),
        run_id=run_id,
        batch_identifier=batch,
    )
    context.stores[site.store].set(key, result)
    if index:
        context.build_data_docs(site_names=[site.name], resource_identifiers=[key])
    return site.index
