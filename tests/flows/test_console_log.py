"""The command line's console log (flows/console_log.py, flows/logging.yml): one line a record,
the traceback left to the other handlers; the configuration is Prefect's default but for the
console's formatter."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
import yaml
from prefect.logging.configuration import DEFAULT_LOGGING_SETTINGS_PATH

from flows.console_log import OneLineFormatter

LOGGING_YML = Path(__file__).resolve().parents[2] / "flows" / "logging.yml"
FORMAT = "%(levelname)s | %(name)s - %(message)s"


def _record(exc: BaseException | None, stack: str | None = None) -> logging.LogRecord:
    exc_info = None
    if exc is not None:
        try:
            raise exc
        except BaseException:
            exc_info = sys.exc_info()
    record = logging.LogRecord("prefect.x", logging.ERROR, "f.py", 1, "boom: %r", (exc,), exc_info)
    record.stack_info = stack
    return record


@pytest.mark.parametrize(
    ("exc", "stack", "expected"),
    [
        (
            OSError(28, "No space left"),
            None,
            "ERROR | prefect.x - boom: OSError(28, 'No space left')",
        ),
        (None, "Stack (most recent call last):\n  File x", "ERROR | prefect.x - boom: None"),
        (None, None, "ERROR | prefect.x - boom: None"),
    ],
)
def test_the_console_line_has_no_traceback_and_the_record_keeps_it(exc, stack, expected):
    record = _record(exc, stack)
    assert OneLineFormatter(FORMAT).format(record) == expected
    # the next handler (the API's) still formats the whole record
    full = logging.Formatter(FORMAT).format(record)
    assert (exc is None and stack is None) or full.count("\n") >= 1
    assert record.exc_info is not None or exc is None


def test_a_traceback_cached_by_an_earlier_handler_stays_off_the_console():
    record = _record(ValueError("x"))
    logging.Formatter(FORMAT).format(record)  # the API handler formats first: exc_text cached
    assert record.exc_text and "Traceback" in record.exc_text
    assert "\n" not in OneLineFormatter(FORMAT).format(record)


def test_the_logging_config_is_prefects_default_but_for_the_console_formatter():
    ours = yaml.safe_load(LOGGING_YML.read_text())
    default = yaml.safe_load(DEFAULT_LOGGING_SETTINGS_PATH.read_text())
    one_line = ours["formatters"].pop("one_line")
    assert one_line.pop("()") == "flows.console_log.OneLineFormatter"
    standard = dict(default["formatters"]["standard"])
    standard.pop("()")
    assert one_line == standard
    assert ours["handlers"]["console"].pop("formatter") == "one_line"
    default["handlers"]["console"].pop("formatter")
    assert ours == default
