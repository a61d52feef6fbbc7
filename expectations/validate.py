"""Run a table's expectation suite on a batch of rows and split the rows by the outcome.

`validate_table(table_name, table)` validates an Arrow batch of an output table against the
table's schema (from `transforms.core.schema`) and its GX suite (`expectations/<table>.json`):
- rows that fail a critical row-level expectation go to `failed`, one quarantine row per input
  row (stage `validate`, reason = the first failing critical expectation in suite order, the
  others named in `detail`, `value` = the failing value), so every document ends in exactly one
  place;
- every other row is in `passed`; a warning expectation it fails names its flag in the row's
  `quality_flags` column (suite order), and `statistics["quality_flags"]` counts rows per flag;
- table-level failures (empty table, schema mismatch, a repeated doc_id, an expectation that
  raised) are listed in `table_failures`: the caller writes quarantine and report, then fails.

With `docs_dir`, each batch's result is added to a Data Docs report under that directory
(`<docs_dir>/index.html`, see `expectations.docs`); `build_report(docs_dir)` rebuilds its index.

Great Expectations costs ~3 s to import, so it is imported on first use and one ephemeral
context, with the suites built once, is kept per process (`_engine`); calls are serialised on
its lock, so threads of a task runner can share it.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import xxhash

from expectations import derived, docs
from expectations.offline import make_offline
from expectations.suites import Check, SuiteSpec, load_suite, read_suite, suite_name
from transforms.core.config import PipelineConfig
from transforms.core.schema import QUALITY_FLAGS, QUARANTINE_SCHEMA, TABLE_SCHEMAS

__all__ = [
    "ValidationOutcome",
    "build_report",
    "load_suite",
    "schema_problems",
    "validate_table",
    "warm_up",
]

STAGE = "validate"
MAX_VALUE_CHARS = 200  # quarantine `value` and report samples are cut to this length
_ROW = "_row"  # row position, added to the frame so that GX reports failures by position
_RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [_ROW, "doc_id"],
    "return_unexpected_index_query": False,
}


def _key(table: pa.Table) -> str:
    """The column that names a row in reports: doc_id, or the first column of a table without
    one (story_links: story_id)."""
    return "doc_id" if "doc_id" in table.column_names else table.column_names[0]


def _result_format(table: pa.Table) -> dict[str, Any]:
    return {**_RESULT_FORMAT, "unexpected_index_column_names": [_ROW, _key(table)]}


_REGEX_TYPES = {
    "expect_column_values_to_not_match_regex": lambda kw: [kw["regex"]],
    "expect_column_values_to_not_match_regex_list": lambda kw: kw["regex_list"],
}
_CARRIED = ("doc_id", "source_path", "source_record", "source_format", "ingested_at", "run_id")


@dataclass
class ValidationOutcome:
    """The rows of a batch split by validation, with what failed at table level."""

    passed: pa.Table  # rows that met every row-level expectation (the table's schema)
    failed: pa.Table  # one QUARANTINE_SCHEMA row per failing input row
    table_failures: list[str] = field(default_factory=list)  # non-empty: the run must fail
    statistics: dict[str, Any] = field(default_factory=dict)
    docs_path: str | None = None  # Data Docs index.html, when a docs_dir was given

    @property
    def ok(self) -> bool:
        return not self.table_failures


class _Engine:
    """The per-process GX state: one ephemeral context, the suites, one asset per table."""

    def __init__(self) -> None:
        import great_expectations as gx

        # GX logs its temporary docs folder and similar housekeeping at INFO on every start;
        # the module that does sets its own logger to INFO at import, so both are quietened
        for name in ("great_expectations", "great_expectations.data_context.types.base"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.context = gx.get_context(mode="ephemeral")
        # Without this GX draws a "Calculating Metrics" progress bar per batch.
        self.context.variables.progress_bars = {"globally": False, "metric_calculations": False}
        source = self.context.data_sources.add_pandas("newsclean")
        self.suites = {t: self.context.suites.add(load_suite(t)) for t in TABLE_SCHEMAS}
        self.batches = {
            t: source.add_dataframe_asset(t).add_batch_definition_whole_dataframe("batch")
            for t in TABLE_SCHEMAS
        }
        self._subsets: dict[tuple[str, tuple[str, ...]], Any] = {}  # see `subset`
        self.lock = threading.Lock()

    def subset(self, table_name: str, reasons: tuple[str, ...]) -> Any:
        """A suite of the table's expectations named by `reasons` (copies: GX lets an
        expectation belong to one suite), built once per set."""
        key = (table_name, reasons)
        if key not in self._subsets:
            import great_expectations as gx

            wanted = set(reasons)
            self._subsets[key] = gx.ExpectationSuite(
                name=f"{suite_name(table_name)}-failed",
                expectations=[
                    copy.copy(e)
                    for e in self.suites[table_name].expectations
                    if e.meta["reason"] in wanted
                ],
            )
        return self._subsets[key]

    def site(self, docs_dir: str | Path, render: bool = True) -> docs.ReportSite:
        names = [suite_name(t) for t in TABLE_SCHEMAS]
        return docs.register_site(self.context, docs_dir, names, render)


_ENGINE_LOCK = threading.Lock()


@cache
def _cached_engine() -> _Engine:
    return _Engine()


def _engine() -> _Engine:
    with _ENGINE_LOCK:  # two threads must not both pay the import and build two contexts
        return _cached_engine()


def warm_up() -> None:
    """Import GX and build this process's context now (~3 s), e.g. on an idle thread.

    The flow process validates the duplicates and quarantine tables at the end of a run; in
    process or Dask mode it is idle while the workers clean, so it builds its engine then
    instead of on the run's critical path. Safe to call from any thread, any number of times.
    """
    _engine()


def _validate(engine: _Engine, table_name: str, batch: Any, table: pa.Table, params: dict) -> Any:
    """The suite's result on `batch`, in two passes: every expectation with GX's BOOLEAN_ONLY
    result format, then only the ones that failed (or raised) with the COMPLETE format that
    names the failing rows, their results put in place of the first pass's. COMPLETE on every
    expectation costs about twice the CPU (a batch's fixed cost and its cost a row:
    docs/performance.md), and most expectations pass. A passing expectation's result thus has
    no observed value: the report shows it passed."""
    result = batch.validate(
        engine.suites[table_name],
        result_format={"result_format": "BOOLEAN_ONLY"},
        expectation_parameters=params,
    )
    failing = tuple(
        r.expectation_config.meta["reason"]
        for r in result.results
        if not r.success or _exception(r)
    )
    if failing:
        detail = batch.validate(
            engine.subset(table_name, failing),
            result_format=_result_format(table),
            expectation_parameters=params,
        )
        by_reason = {r.expectation_config.meta["reason"]: r for r in detail.results}
        result.results = [
            by_reason.get(r.expectation_config.meta["reason"], r) for r in result.results
        ]
    return result


def schema_problems(table: pa.Table, schema: pa.Schema) -> list[str]:
    """How `table`'s columns differ from `schema` (names and types; order and nullability
    flags are not compared: nulls are the suites' business)."""
    have = {f.name: f.type for f in table.schema}
    want = {f.name: f.type for f in schema}
    problems = [f"missing column {n}" for n in want if n not in have]
    problems += [f"unexpected column {n}" for n in have if n not in want]
    problems += [
        f"column {n} is {have[n]}, expected {t}"
        for n, t in want.items()
        if n in have and have[n] != t
    ]
    return problems


def _frame(table: pa.Table, spec: SuiteSpec, extra: derived.Columns) -> Any:
    """The pandas frame GX validates: the columns the suite reads, plus the derived ones."""
    key = _key(table)
    columns = {n: table.column(n) for n in table.column_names if n in spec.columns or n == key}
    columns |= {n: extra[n] for n in sorted(spec.columns & extra.keys())}
    columns[_ROW] = pa.array(range(table.num_rows), pa.int64())
    return pa.table(columns).to_pandas()


def _exception(result: Any) -> str | None:
    """The message of an exception an expectation raised, if any (GX nests it sometimes)."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _table_failure(check: Check, result: dict[str, Any]) -> str:
    if "observed_value" in result:
        return f"{check.reason}: observed {result['observed_value']!r} ({check.notes})"
    sample = [_short(_text(v)) for v in result.get("partial_unexpected_list", [])[:3]]
    return f"{check.reason}: {result.get('unexpected_count')} rows, e.g. {sample} ({check.notes})"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def _short(text: str | None, limit: int = MAX_VALUE_CHARS) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _match_window(text: str, patterns: list[str]) -> tuple[str, str] | None:
    """(found, window) for the first pattern matching `text`: the text from the match to the
    end of its line, and the stretch of text around the match (the reported value)."""
    for pattern in patterns:
        m = re.search(pattern, text)
        if m:
            line_end = text.find("\n", m.end())
            found = text[m.start() : line_end if line_end >= 0 else len(text)]
            room = max(0, (MAX_VALUE_CHARS - len(m.group(0))) // 2)
            start, end = max(0, m.start() - room), min(len(text), m.end() + room)
            window = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
            return found, window
    return None


def _failure_value(
    check: Check, row: int, table: pa.Table, extra: derived.Columns
) -> tuple[str | None, str]:
    """(value, note) for a failing row: the reported value and what about it failed."""

    def get(column: str) -> Any:
        if column in extra:
            return extra[column][row].as_py()
        return table.column(column)[row].as_py()

    if len(check.value_from) == 1:
        value = get(check.value_from[0])
        patterns = _REGEX_TYPES.get(check.type)
        if patterns and isinstance(value, str):
            hit = _match_window(value, patterns(check.kwargs))
            if hit:
                return _short(hit[1]), f"{check.notes}: found {_short(hit[0], 80)!r}"
        return _short(_text(value)), check.notes
    pairs = "; ".join(f"{c}={_text(get(c))}" for c in check.value_from)
    return _short(pairs), check.notes


def _quarantine(
    table: pa.Table, failures: dict[int, list[Check]], extra: derived.Columns
) -> pa.Table:
    rows: list[dict[str, Any]] = []
    if not failures:  # (a table whose checks are all table-level has none of _CARRIED)
        return QUARANTINE_SCHEMA.empty_table()
    carried = table.select(list(_CARRIED))
    for row in sorted(failures):
        # the reason is the first critical check; warnings it also failed are named in detail
        checks = sorted(failures[row], key=lambda c: (c.severity != "critical", c.position))
        value, note = _failure_value(checks[0], row, table, extra)
        others = [c.reason for c in checks[1:]]
        detail = note + (f"; also failed: {', '.join(others)}" if others else "")
        source = {k: carried.column(k)[row].as_py() for k in _CARRIED}
        rows.append(
            {**source, "stage": STAGE, "reason": checks[0].reason, "detail": detail, "value": value}
        )
    return pa.Table.from_pylist(rows, schema=QUARANTINE_SCHEMA)


def _with_flags(
    table: pa.Table, failures: dict[int, list[Check]], quarantined: dict[int, list[Check]]
) -> pa.Table:
    """`table` with the `quality_flags` column of each published row set from the warning
    checks it failed (suite order)."""
    flags = table.column(QUALITY_FLAGS).to_pylist()
    for row, checks in failures.items():
        if row not in quarantined:
            found = [c.flag for c in sorted(checks, key=lambda c: c.position) if c.flag]
            flags[row] = list(dict.fromkeys((flags[row] or []) + found))
    column = pa.array(flags, table.schema.field(QUALITY_FLAGS).type)
    index = table.schema.get_field_index(QUALITY_FLAGS)
    return table.set_column(index, table.schema.field(QUALITY_FLAGS), column)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` in the schema's column order, with the schema's field metadata when castable."""
    table = table.select(schema.names)
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, ValueError):  # nulls in a non-nullable column: keep as given
        return table


def _batch_key(table_name: str, table: pa.Table) -> str:
    ids = "\n".join(str(i) for i in table.column(_key(table)).to_pylist())
    return f"{table_name}-{table.num_rows}-{xxhash.xxh3_64_hexdigest(ids.encode())}"


def _run_of(table: pa.Table) -> tuple[str, datetime | None]:
    run_ids = [r for r in table.column("run_id").to_pylist() if r]
    times = [t for t in table.column("ingested_at").to_pylist() if t]
    return (run_ids[0] if run_ids else "unknown-run"), (min(times) if times else None)


def build_report(docs_dir: str | Path) -> str:
    """Rebuild the Data Docs index of `docs_dir` from every result stored there; return its path.

    Call it once at the end of a run whose batches were validated with `docs_index=False`,
    or by several processes (whose index writes may have raced). The pages are then made to
    open offline (`expectations.offline`).
    """
    engine = _engine()
    with engine.lock:
        site = engine.site(docs_dir, render=False)  # rendered just below
        index = docs.build_index(engine.context, site, [suite_name(t) for t in TABLE_SCHEMAS])
    make_offline(site.root)  # local scripts and styles, GX's static folder once per OUTPUT
    return index


def validate_table(
    table_name: str,
    table: pa.Table,
    *,
    config: PipelineConfig | None = None,
    docs_dir: str | Path | None = None,
    docs_index: bool = True,
) -> ValidationOutcome:
    """Validate a batch of `table_name` rows; split them into passed and quarantined rows.

    With `docs_dir`, the batch's result is added to the Data Docs report under that directory
    (`docs_dir/index.html`; call with the same directory for every batch of a run). With
    `docs_index=False` the result is stored and neither its page nor the index is rendered:
    a run of many batches calls `build_report` once at the end, which renders them all.
    """
    started = time.perf_counter()
    config = config or PipelineConfig()
    spec = read_suite(table_name)
    schema = TABLE_SCHEMAS[table_name]
    problems = schema_problems(table, schema)
    if problems:
        # Rows of an unknown shape cannot be checked or quarantined: none is placed.
        return ValidationOutcome(
            passed=schema.empty_table(),
            failed=QUARANTINE_SCHEMA.empty_table(),
            table_failures=[f"schema_mismatch: {p}" for p in problems],
            statistics={
                "evaluated_expectations": 0,
                "successful_expectations": 0,
                "unsuccessful_expectations": 0,
                "rows": table.num_rows,
                "passed_rows": 0,
                "failed_rows": 0,
            },
        )
    table = table.select(schema.names)
    spec_flags = spec.flags
    wanted = {c for c in spec.columns | spec.reported if c.startswith("_")}
    extra = derived.derive(table, wanted, config)
    frame = _frame(table, spec, extra)

    engine = _engine()
    failures: dict[int, list[Check]] = {}  # row -> failing checks (critical and warning)
    table_failures: list[tuple[int, str]] = []  # (suite position, message)
    docs_path = None
    with engine.lock:
        batch = engine.batches[table_name].get_batch(batch_parameters={"dataframe": frame})
        with warnings.catch_warnings():
            # GX's column-pair metrics read Series.values of tz-aware columns (pandas 3 warns)
            warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
            result = _validate(
                engine, table_name, batch, table, spec.expectation_parameters(config)
            )
        for r in result.results:
            check = spec.check(r.expectation_config.meta["reason"])
            error = _exception(r)
            if error:
                table_failures.append((check.position, f"{check.reason}: raised {error}"))
            elif r.success:
                continue
            elif check.level == "table" or "unexpected_index_list" not in r.result:
                table_failures.append((check.position, _table_failure(check, r.result)))
            else:
                for entry in r.result["unexpected_index_list"]:
                    failures.setdefault(int(entry[_ROW]), []).append(check)
        statistics = dict(result.statistics)
        critical = {
            r: cs for r, cs in failures.items() if any(c.severity == "critical" for c in cs)
        }
        flags = Counter(
            c.flag for r, cs in failures.items() if r not in critical for c in cs if c.flag
        )
        if docs_dir is not None:
            docs.trim_result(result, MAX_VALUE_CHARS)
            # shown in the page's info: published rows per quality flag (warning findings)
            result.meta["quality_flags"] = {f: flags[f] for f in spec_flags if flags[f]}
            run_name, run_time = _run_of(table)
            docs_path = docs.write_result(
                engine.context,
                engine.site(docs_dir, render=docs_index),
                result,
                suite=spec.name,
                run_name=run_name,
                run_time=run_time,
                batch=_batch_key(table_name, table),
                index=docs_index,
            )

    keep = pa.array([i not in critical for i in range(table.num_rows)], type=pa.bool_())
    if spec_flags:
        table = _with_flags(table, failures, critical)
    passed = _conform(table.filter(keep), schema)
    failed = _quarantine(table, critical, extra)
    statistics.update(
        rows=table.num_rows,
        passed_rows=passed.num_rows,
        failed_rows=failed.num_rows,
        flagged_rows=sum(1 for r in failures if r not in critical),
        quality_flags={f: flags[f] for f in spec_flags if flags[f]},
        seconds=round(time.perf_counter() - started, 4),
    )
    return ValidationOutcome(
        passed, failed, [m for _, m in sorted(table_failures)], statistics, docs_path
    )
