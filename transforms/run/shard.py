"""Clean one shard of input files: read, run the stages, validate, sign, stage to Parquet.

This is the whole per-shard unit of work, as a pure function of one `ShardJob` (the shard's
parameters, declared once), so the Prefect task that runs it is one line and the tests call it
directly. A document that fails anywhere becomes a quarantine row; nothing here raises on bad
input.

Validation is handed in (`ArticleValidator`: the articles suite, `expectations.shards`), so
this package never imports Great Expectations: a local run validates the staged shards in the
flow's process (`validate_staged_shards`), a Dask worker validates its own shard in
`clean_shard`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from transforms import fastpaths
from transforms.core.config import PipelineConfig
from transforms.core.ids import record_key
from transforms.core.record import Article, Drop
from transforms.core.schema import (
    ARTICLES,
    ARTICLES_SCHEMA,
    DUPLICATES,
    QUALITY_FLAGS,
    QUARANTINE,
)
from transforms.core.steps import StepStats, run_steps
from transforms.core.storage import StorageLocation, resolve_location
from transforms.dedup.minhash import dedup_columns
from transforms.pipeline import build_steps
from transforms.read.bounded import Loaded
from transforms.read.files import InputFile, documents, read_file
from transforms.read.object_inputs import prefetched
from transforms.read.objects import lasting, object_state
from transforms.run.inputs import input_root
from transforms.run.store import RunPaths
from transforms.run.tables import articles_table, identical_duplicates_table, quarantine_table


@dataclass(frozen=True, slots=True)
class ShardJob:
    """One shard's work: which files, from where, into which run (small and picklable)."""

    input_root: str  # a local folder or a URI (s3://...; opened with config's storage.options)
    files: tuple[InputFile, ...]
    output: str
    run_id: str
    shard: str  # its name: the plan position, zero-padded
    ingested_at: datetime
    config: PipelineConfig
    docs_dir: str | None = None  # the run's Data Docs folder, for the validation page


def job_paths(job: ShardJob) -> RunPaths:
    """The run's keys and OUTPUT's store (opened with the run's storage options)."""
    return RunPaths(resolve_location(job.output, job.config.storage.parsed()), job.run_id)


@dataclass(frozen=True, slots=True)
class ArticleValidation:
    """An articles batch split by the suite (`expectations.validate.ValidationOutcome`'s part
    a shard needs)."""

    passed: pa.Table  # published rows, quality_flags set
    failed: pa.Table  # quarantine rows
    statistics: dict
    table_failures: list[str]


# (articles, config, docs_dir) -> the split; `expectations.shards.validate_articles`
ArticleValidator = Callable[[pa.Table, PipelineConfig, str | None], ArticleValidation]


@dataclass
class ShardResult:
    """What a shard task reports back to the flow (small and picklable)."""

    shard: str
    documents: int = 0
    articles: int = 0
    duplicates: int = 0
    quarantined: int = 0
    stats: dict = field(default_factory=dict)
    validation: dict = field(default_factory=dict)
    table_failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # wall clock (epoch seconds) of the cleaning in the worker: comparable between the worker
    # processes of one host, so the manifest can show how busy the workers were
    started_at: float = 0.0
    finished_at: float = 0.0
    # the files as this shard read them (size and hash of the bytes processed), for the ledger
    read_files: list[InputFile] = field(default_factory=list)
    # objects this shard could not read for a lasting reason (access denied, archived), by
    # path: their state for OUTPUT/unreadable (`transforms.read.objects.object_state`)
    unreadable_objects: dict[str, dict] = field(default_factory=dict)
    files: int = 0  # input files in the shard
    fast_paths: bool = False  # trafilatura's fast paths were on (transforms.fastpaths)


def _read_all(
    root: Path | StorageLocation,
    files: Sequence[InputFile],
    config: PipelineConfig,
    failed: list,
    read: dict[str, InputFile],
    unreadable: dict[str, dict] | None = None,
) -> Iterator[Article]:
    # objects are read ahead, a few at once (a round trip each); local files as they come
    remote = isinstance(root, StorageLocation) and not root.is_local
    loads = prefetched(root, files, config.read) if remote else ((f, None) for f in files)
    for f, loaded in loads:
        try:
            if loaded is None:
                docs = read_file(root, f, config.read, read)
            elif isinstance(loaded, Loaded | OSError):
                if isinstance(loaded, OSError) and lasting(loaded) and unreadable is not None:
                    unreadable[f.path] = object_state(f.etag, "unreadable_file")
                docs = documents(f, loaded, config.read, read)
            else:
                raise loaded  # an unexpected error of the read: this file's reader_error
            for doc, drop in docs:
                if drop is None:
                    yield doc
                else:
                    failed.append((doc, drop))
        except Exception as exc:  # a reader bug must cost one file, not the shard
            as_read = read.get(f.path, f)
            doc = Article(record_key(f.path, None, as_read.file_hash), f.path, "text", "text")
            doc.content_hash = as_read.file_hash or None  # an object never read: unknown
            failed.append((doc, Drop("read", "reader_error", f"{type(exc).__name__}: {exc}")))


def _split_identical(docs: list[Article]) -> tuple[list[Article], list[tuple[Article, str]]]:
    """Keep the first of several documents with the same raw bytes (same content_hash); the
    others, each with the doc_id of the first, are its exact copies. Set aside before
    validation: the same bytes under another name (.txt vs .html) are one document, not two
    readings of it."""
    first: dict[str | None, str] = {}
    unique, repeats = [], []
    for d in docs:
        if d.content_hash in first:
            repeats.append((d, first[d.content_hash]))
        else:
            first[d.content_hash] = d.doc_id
            unique.append(d)
    return unique, repeats


def clean_shard(job: ShardJob, validate: ArticleValidator | None = None) -> ShardResult:
    """Clean `job.files` and stage three Parquet files under the run's shard folder.

    Staged: `articles-<shard>` (articles plus their dedup signature columns),
    `quarantine-<shard>` and `duplicates-<shard>` (copies of identical raw bytes). With
    `validate`, the articles are validated here (rows that fail move to the quarantine file);
    without it the caller runs `validate_staged_shards` on the staged files before dedup.
    """
    t0, started_at = time.perf_counter(), time.time()
    config = job.config
    paths = job_paths(job)
    read_failed: list[tuple[Article, Drop]] = []
    read: dict[str, InputFile] = {}
    unreadable: dict[str, dict] = {}
    root = input_root(job.input_root, config)
    kept, dropped, stats = run_steps(
        _read_all(root, job.files, config, read_failed, read, unreadable),
        build_steps(config),
    )
    stats.merge(_read_stats(read_failed))
    kept, repeats = _split_identical(kept)

    articles = signed(articles_table(kept, job.run_id, job.ingested_at), config)
    quarantined = quarantine_table(read_failed + dropped, job.run_id, job.ingested_at)
    result = ShardResult(
        shard=job.shard,
        documents=stats.docs_in,
        stats=stats.to_dict(),
        started_at=started_at,
        read_files=[read[f.path] for f in job.files if f.path in read],
        unreadable_objects=unreadable,
        files=len(job.files),
        fast_paths=fastpaths.enabled(),
    )
    if validate is not None:
        articles, quarantined = _validate(articles, quarantined, job, validate, result)
    duplicates = identical_duplicates_table(repeats, job.run_id, job.ingested_at)
    paths.store.write_parquet(staged_key(paths, ARTICLES, job.shard), articles)
    paths.store.write_parquet(staged_key(paths, QUARANTINE, job.shard), quarantined)
    paths.store.write_parquet(staged_key(paths, DUPLICATES, job.shard), duplicates)

    result.articles = articles.num_rows
    result.quarantined = quarantined.num_rows
    result.duplicates = duplicates.num_rows
    result.seconds = time.perf_counter() - t0
    result.finished_at = time.time()
    return result


def staged_key(paths: RunPaths, table: str, shard: str) -> str:
    """Where shard `shard` stages its rows of `table` in the run's staging area."""
    return f"{paths.shards}/{table}-{shard}.parquet"


def validate_staged_shards(
    staged: Sequence[tuple[ShardResult, ShardJob]], validate: ArticleValidator
) -> list[ShardResult]:
    """Validate the articles of shards staged without validation, as one batch; rewrite their
    staged files. `staged`: (result, job) pairs of one run.

    The same split as `clean_shard(job, validate)` for each shard: failing rows move from the
    staged articles to the staged quarantine. Lets a local run validate in the flow's process,
    which imports Great Expectations once, while the workers (which then never import it) go
    on cleaning. One batch for the shards that came back while the last batch was validated:
    a GX batch has a fixed cost before its first row (docs/performance.md), on the cores the workers
    clean on, and every expectation of the articles suite is per row or per table (a table
    check on the union of shards is the same check, or a stricter one). The batch's
    statistics and table failures are counted once, on its first shard (the manifest sums
    them and merges the failures).
    """
    t0 = time.perf_counter()
    if not staged:
        return []
    paths = [job_paths(job) for _result, job in staged]
    keys = [
        (staged_key(p, ARTICLES, r.shard), staged_key(p, QUARANTINE, r.shard))
        for p, (r, _job) in zip(paths, staged, strict=True)
    ]
    signed = [p.store.read_table(k[0]) for p, k in zip(paths, keys, strict=True)]
    quarantined = [p.store.read_table(k[1]) for p, k in zip(paths, keys, strict=True)]
    first, job = staged[0]
    batch = pa.concat_tables(signed)
    outcome = None
    if batch.num_rows:
        outcome = validate(batch.select(ARTICLES_SCHEMA.names), job.config, job.docs_dir)
        first.validation = outcome.statistics
        first.table_failures = list(outcome.table_failures)
    for i, (result, _job) in enumerate(staged):
        articles, quarantine = signed[i], quarantined[i]
        if outcome is not None and articles.num_rows:  # else its staged files stand as they are
            articles, quarantine = _split(articles, quarantine, outcome)
            paths[i].store.write_parquet(keys[i][0], articles)
            paths[i].store.write_parquet(keys[i][1], quarantine)
        result.articles = articles.num_rows
        result.quarantined = quarantine.num_rows
    first.seconds += time.perf_counter() - t0
    return [result for result, _job in staged]


def signed(articles: pa.Table, config: PipelineConfig) -> pa.Table:
    """The articles with their dedup signature columns appended."""
    signatures = dedup_columns(articles.column("body").to_pylist(), config.dedup)
    for name in signatures.column_names:
        articles = articles.append_column(name, signatures.column(name))
    return articles


def _validate(
    signed: pa.Table,
    quarantined: pa.Table,
    job: ShardJob,
    validate: ArticleValidator,
    result: ShardResult,
) -> tuple[pa.Table, pa.Table]:
    """Split signed articles by the articles suite: (passing rows, quarantine + failing rows)."""
    if not signed.num_rows:
        return signed, quarantined
    outcome = validate(signed.select(ARTICLES_SCHEMA.names), job.config, job.docs_dir)
    result.validation = outcome.statistics
    result.table_failures = list(outcome.table_failures)
    return _split(signed, quarantined, outcome)


def _split(
    signed: pa.Table, quarantined: pa.Table, outcome: ArticleValidation
) -> tuple[pa.Table, pa.Table]:
    """`signed`'s rows by a validation `outcome` of a batch holding them: (passing rows with
    their quality flags, `quarantined` + failing rows)."""
    # passing rows keep their signature columns; doc_id is unique (a record's key), and a
    # table-level failure places no row (run fails)
    if outcome.table_failures and not outcome.passed.num_rows:
        keep = pa.array([False] * signed.num_rows)
    else:
        keep = pc.invert(pc.is_in(signed.column("doc_id"), outcome.failed.column("doc_id")))
    kept = signed.filter(keep)
    # the published rows carry the warnings' quality flags the validation set
    flags = outcome.passed.select(["doc_id", QUALITY_FLAGS])
    at = pc.index_in(kept.column("doc_id"), flags.column("doc_id"))
    position = kept.schema.get_field_index(QUALITY_FLAGS)
    kept = kept.set_column(position, kept.schema.field(position), flags[QUALITY_FLAGS].take(at))
    failed = outcome.failed.filter(
        pc.is_in(outcome.failed.column("doc_id"), signed.column("doc_id"))
    )
    return kept, pa.concat_tables([quarantined, _with_content_hash(failed, signed)])


def _with_content_hash(failed: pa.Table, signed: pa.Table) -> pa.Table:
    """Validation's quarantine rows with the content_hash of their article rows filled in."""
    if not failed.num_rows:
        return failed
    at = pc.index_in(failed.column("doc_id"), signed.column("doc_id"))
    hashes = signed.column("content_hash").take(at)
    position = failed.schema.get_field_index("content_hash")
    return failed.set_column(position, failed.schema.field(position), hashes)


def _read_stats(read_failed: list[tuple[Article, Drop]]) -> StepStats:
    stats = StepStats(docs_in=len(read_failed))
    for _, drop in read_failed:
        stats.dropped[f"{drop.stage}:{drop.reason}"] += 1
    return stats
