"""Clean one shard of input files: read, run the stages, sign; then validate and stage its rows.

This is the whole per-shard unit of work, as pure functions of one `ShardJob` (the shard's
parameters, declared once), so the Prefect task that runs it is one line and the tests call it
directly. A document that fails anywhere becomes a quarantine row; nothing here raises on bad
input.

Two steps, so that each row is written once, validated: `clean_shard_rows` (on a worker) cleans
and signs a shard and holds its rows in memory (`ShardRows`); `stage_shards` (in the flow's
process, every runner alike) validates the articles of a batch of shards in one go and writes
each shard's three staged files. Validation is handed in (`ArticleValidator`: the articles
suite, `expectations.shards`), so this package never imports Great Expectations.
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


@dataclass(slots=True)
class ShardRows:
    """A shard's rows, cleaned and signed, held until `stage_shards` validates and writes them."""

    articles: pa.Table  # with the dedup signature columns, not validated yet
    quarantine: pa.Table
    duplicates: pa.Table


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
    rows: ShardRows | None = None  # from `clean_shard_rows` until `stage_shards` writes them


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


def clean_shard_rows(job: ShardJob) -> ShardResult:
    """Clean `job.files`: the result holds the shard's rows (`ShardRows`: articles with their
    dedup signature columns, quarantine, duplicates: copies of identical raw bytes), unwritten."""
    t0, started_at = time.perf_counter(), time.time()
    config = job.config
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
    rows = ShardRows(
        signed(articles_table(kept, job.run_id, job.ingested_at), config),
        quarantine_table(read_failed + dropped, job.run_id, job.ingested_at),
        identical_duplicates_table(repeats, job.run_id, job.ingested_at),
    )
    return ShardResult(
        shard=job.shard,
        documents=stats.docs_in,
        articles=rows.articles.num_rows,
        duplicates=rows.duplicates.num_rows,
        quarantined=rows.quarantine.num_rows,
        stats=stats.to_dict(),
        seconds=time.perf_counter() - t0,
        started_at=started_at,
        finished_at=time.time(),
        read_files=[read[f.path] for f in job.files if f.path in read],
        unreadable_objects=unreadable,
        files=len(job.files),
        fast_paths=fastpaths.enabled(),
        rows=rows,
    )


def clean_shard(job: ShardJob, validate: ArticleValidator | None = None) -> ShardResult:
    """Clean one shard and stage it alone (`stage_shards`; without `validate`, unvalidated)."""
    return stage_shards([(clean_shard_rows(job), job)], validate)[0]


def staged_key(paths: RunPaths, table: str, shard: str) -> str:
    """Where shard `shard` stages its rows of `table` in the run's staging area."""
    return f"{paths.shards}/{table}-{shard}.parquet"


def stage_shards(
    shards: Sequence[tuple[ShardResult, ShardJob]], validate: ArticleValidator | None
) -> list[ShardResult]:
    """Validate the articles of cleaned shards (their rows held: `clean_shard_rows`) as one
    batch, then write each shard's staged articles, quarantine and duplicates files, once; the
    results, their rows let go. `shards`: (result, job) pairs of one run.

    Rows that fail the articles suite move from a shard's articles to its quarantine. The
    flow's process validates while the workers (which never import Great Expectations) go on
    cleaning; one batch for the shards that came back while the last batch was validated: a
    GX batch has a fixed cost before its first row (docs/performance.md), and every
    expectation of the articles suite is per row or per table (a table check on the union of
    shards is the same check, or a stricter one). The batch's statistics and table failures
    are counted once, on its first shard (the manifest sums them and merges the failures).
    """
    t0 = time.perf_counter()
    if not shards:
        return []
    held: list[ShardRows] = []
    for result, _job in shards:
        if result.rows is None:
            raise ValueError(f"shard {result.shard}: its rows were staged already")
        held.append(result.rows)
    first, job = shards[0]
    batch = pa.concat_tables([rows.articles for rows in held])
    outcome = None
    if validate is not None and batch.num_rows:
        outcome = validate(batch.select(ARTICLES_SCHEMA.names), job.config, job.docs_dir)
        first.validation = outcome.statistics
        first.table_failures = list(outcome.table_failures)
    for (result, job), rows in zip(shards, held, strict=True):
        articles, quarantine = rows.articles, rows.quarantine
        if outcome is not None and articles.num_rows:
            articles, quarantine = _split(articles, quarantine, outcome)
        paths = job_paths(job)
        paths.store.write_parquet(staged_key(paths, ARTICLES, job.shard), articles)
        paths.store.write_parquet(staged_key(paths, QUARANTINE, job.shard), quarantine)
        paths.store.write_parquet(staged_key(paths, DUPLICATES, job.shard), rows.duplicates)
        result.articles, result.quarantined = articles.num_rows, quarantine.num_rows
        result.rows = None
    first.seconds += time.perf_counter() - t0
    return [result for result, _job in shards]


def signed(articles: pa.Table, config: PipelineConfig) -> pa.Table:
    """The articles with their dedup signature columns appended."""
    signatures = dedup_columns(articles.column("body").to_pylist(), config.dedup)
    for name in signatures.column_names:
        articles = articles.append_column(name, signatures.column(name))
    return articles


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
