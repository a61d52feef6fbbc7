"""The expectation suites: JSON files in this package, one per output table, loaded by name.

`<table>.json` holds `{"meta": {...}, "expectations": [{"type", "kwargs", "meta"?, "notes"?}]}`.
`type` is any Great Expectations 1.x expectation type; the loader turns each entry into the GX
expectation through GX's own registry, so the JSON is the only place a rule is written.

Each expectation has a `severity`, Great Expectations' own (GX 1.x `FailureSeverity`), kept in
the suite and in every result:
- `critical` (the default): the row is not an article or breaks the contract; a failing row goes
  to quarantine, with the expectation as its reason.
- `warning`: a quality finding on a real article; the row is published and the finding named in
  its `quality_flags` column by the expectation's `meta.flag` (a stable snake_case name, unique
  in the suite). The cleaner repairs what these find first (`transforms.clean.leftovers`), so a flag
  is the rare exception.

Conventions read by the validator (in each expectation's `meta`):
- `level: "table"`: a failure fails the run instead of quarantining rows (every
  `expect_table_*` expectation is table-level too).
- `flag`: the quality flag of a warning expectation.
- `label`: appended to the reason when two expectations share a type and column.
- `value_from`: column(s) whose value is reported as the failing value (default: the
  expectation's own columns).
Values `{"$PARAMETER": name}` are filled at run time from the config setting of that dotted name
(`clean.min_words`), so a threshold lives in the config only (GX's parser takes no dots in a
parameter name, so the GX suite names it `clean__min_words`: `gx_parameter`); values `{"$PATTERNS": name}` are the regex list
`transforms.clean.leftovers.PATTERN_SETS[name]`, the patterns the cleaner removes, filled in when the
suite is read (as one alternation of them: `any_of`). Columns starting with `_` are derived (see `expectations.derived`).

Parsing the JSON (`read_suite`) needs no GX import; `load_suite` builds the GX object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from transforms.clean.leftovers import PATTERN_SETS
from transforms.core.config import PipelineConfig
from transforms.core.schema import TABLE_SCHEMAS

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite

SUITE_DIR = Path(__file__).resolve().parent
_COLUMN_KEYS = ("column", "column_A", "column_B")
Severity = Literal["critical", "warning"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning")


def suite_name(table_name: str) -> str:
    """The GX suite name of a table: the table name itself (the one naming rule)."""
    return table_name


def suite_path(table_name: str) -> Path:
    """Where the suite of `table_name` is kept."""
    return SUITE_DIR / f"{table_name}.json"


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation of a suite, as the validator needs to know it."""

    position: int  # order in the suite: the first failing check names a row's reason
    reason: str  # expectation_type[:column[,column_B]][:label], unique in the suite
    type: str
    kwargs: dict[str, Any]
    columns: tuple[str, ...]
    level: Literal["row", "table"]
    value_from: tuple[str, ...]
    notes: str
    severity: Severity = "critical"
    flag: str | None = None  # the quality flag a failing warning sets on the row


@dataclass(frozen=True, slots=True)
class SuiteSpec:
    """A parsed suite: its checks and what they need from the data and the config."""

    table: str
    name: str
    meta: dict[str, Any]
    checks: tuple[Check, ...]
    parameters: frozenset[str]  # config settings (dotted keys) named by $PARAMETER values
    columns: frozenset[str]  # columns the expectations read (GX needs them in the frame)
    reported: frozenset[str]  # columns read for the reported value only

    def check(self, reason: str) -> Check:
        return next(c for c in self.checks if c.reason == reason)

    @property
    def flags(self) -> tuple[str, ...]:
        """The quality flags this suite can set, in suite order."""
        return tuple(c.flag for c in self.checks if c.flag)

    def expectation_parameters(self, config: PipelineConfig) -> dict[str, Any]:
        """Values for the suite's $PARAMETER placeholders, from the config, under the names the
        GX suite gives them (`gx_parameter`)."""
        return {gx_parameter(key): config.get(key) for key in sorted(self.parameters)}


def gx_parameter(key: str) -> str:
    """The GX name of the $PARAMETER for the setting `key`: GX's expression parser reads a dot
    as the end of a name, so 'clean.min_words' becomes 'clean__min_words'."""
    return key.replace(".", "__")


def _gx_parameters(value: Any) -> Any:
    """`value` with each `{"$PARAMETER": key}` renamed to its GX name (`gx_parameter`)."""
    if isinstance(value, dict):
        if set(value) == {"$PARAMETER"}:
            return {"$PARAMETER": gx_parameter(value["$PARAMETER"])}
        return {k: _gx_parameters(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_gx_parameters(v) for v in value]
    return value


def _parameters(value: Any) -> set[str]:
    if isinstance(value, dict):
        if set(value) == {"$PARAMETER"}:
            return {value["$PARAMETER"]}
        return set().union(*(_parameters(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_parameters(v) for v in value))
    return set()


_GLOBAL_FLAGS = re.compile(r"\(\?([imsx]+)\)")


def any_of(patterns: Sequence[str]) -> str:
    """One regex matching where any of `patterns` matches, in Python's re and in RE2.

    Each pattern becomes a group of its own, its leading global flags (`(?im)`) scoped to it
    (`(?im:...)`), so the alternatives do not share flags. pandas runs a regex list one regex
    at a time, each a pass of RE2 over the whole column: one alternation is one pass
    (~5x less CPU for the two pattern sets on 662 dev bodies).
    """
    groups = []
    for pattern in patterns:
        m = _GLOBAL_FLAGS.match(pattern)
        flags, rest = (m.group(1), pattern[m.end() :]) if m else ("", pattern)
        if _GLOBAL_FLAGS.search(rest):
            raise ValueError(f"{pattern!r}: global flags only at the start of a pattern")
        groups.append(f"(?{flags}:{rest})")
    return "|".join(groups)


def _patterns(value: Any) -> Any:
    """`value` with each `{"$PATTERNS": name}` replaced by that pattern set, as a list of one
    regex (`any_of`: a not_match_regex_list check means the same with one alternation)."""
    if isinstance(value, dict):
        if set(value) == {"$PATTERNS"}:
            name = value["$PATTERNS"]
            if name not in PATTERN_SETS:
                raise ValueError(f"$PATTERNS {name!r}: known sets are {sorted(PATTERN_SETS)}")
            return [any_of(PATTERN_SETS[name])]
        return {k: _patterns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_patterns(v) for v in value]
    return value


def _check(position: int, entry: dict[str, Any]) -> Check:
    kind = entry["type"]
    kwargs = _patterns(entry.get("kwargs", {}))
    meta = entry.get("meta", {})
    severity = entry.get("severity", "critical")
    flag = meta.get("flag")
    if severity not in SEVERITIES:
        raise ValueError(f"{kind}: severity {severity!r} is not one of {SEVERITIES}")
    if (severity == "warning") != bool(flag):
        raise ValueError(f"{kind}: a warning expectation names its meta.flag, and only it")
    columns = tuple(kwargs[k] for k in _COLUMN_KEYS if k in kwargs) + tuple(
        kwargs.get("column_list", ())
    )
    reason = ":".join(p for p in (kind, ",".join(columns), meta.get("label", "")) if p)
    table_level = kind.startswith("expect_table_") or meta.get("level") == "table"
    value_from = meta.get("value_from", columns)
    return Check(
        position=position,
        reason=reason,
        type=kind,
        kwargs=kwargs,
        columns=columns,
        level="table" if table_level else "row",
        value_from=(value_from,) if isinstance(value_from, str) else tuple(value_from),
        notes=entry.get("notes", ""),
        severity=severity,
        flag=flag,
    )


@cache
def read_suite(table_name: str) -> SuiteSpec:
    """Parse and check the JSON suite of `table_name` (no GX import)."""
    if table_name not in TABLE_SCHEMAS:
        raise KeyError(f"no output table named {table_name!r}; known: {sorted(TABLE_SCHEMAS)}")
    raw = json.loads(suite_path(table_name).read_text(encoding="utf-8"))
    checks = tuple(_check(i, e) for i, e in enumerate(raw["expectations"]))
    reasons = [c.reason for c in checks]
    twice = sorted({r for r in reasons if reasons.count(r) > 1})
    if twice:
        raise ValueError(f"{table_name}: reasons {twice} are not unique; add meta.label")
    flags = [c.flag for c in checks if c.flag]
    if len(set(flags)) != len(flags) or any(c.flag and c.level == "table" for c in checks):
        raise ValueError(f"{table_name}: quality flags {flags} must be unique and row-level")
    parameters = frozenset(_parameters([c.kwargs for c in checks]))
    unknown = parameters - set(PipelineConfig.keys())
    if unknown:
        raise ValueError(
            f"{table_name}: $PARAMETER {sorted(unknown)} is not a config setting (a dotted key "
            "<section>.<field>, e.g. clean.min_words)"
        )
    columns = frozenset(col for c in checks for col in c.columns)
    reported = frozenset(col for c in checks for col in c.value_from) - columns
    return SuiteSpec(
        table=table_name,
        name=suite_name(table_name),
        meta=raw.get("meta", {}),
        checks=checks,
        parameters=parameters,
        columns=columns,
        reported=reported,
    )


def _notes(check: Check) -> str | None:
    """The notes Data Docs shows for an expectation: a warning names its quality flag."""
    if check.flag:
        return f"Severity warning: a failing row is published with quality flag {check.flag}. {check.notes}"
    return check.notes or None


def load_suite(table_name: str) -> ExpectationSuite:
    """Build the GX ExpectationSuite of `table_name` from its JSON file.

    Each entry goes through GX's registry (`ExpectationConfiguration.to_domain_obj`), so any
    expectation type works without a binding here. The check's reason is stored in the
    expectation's meta, which is how results are matched back to checks.
    """
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    spec = read_suite(table_name)
    suite = gx.ExpectationSuite(name=spec.name, meta=dict(spec.meta))
    for check in spec.checks:
        config = ExpectationConfiguration(
            type=check.type,
            kwargs=_gx_parameters(check.kwargs),
            meta={"reason": check.reason, "level": check.level}
            | ({"flag": check.flag} if check.flag else {}),
            notes=_notes(check),
            severity=check.severity,
        )
        suite.add_expectation(config.to_domain_obj())
    return suite
