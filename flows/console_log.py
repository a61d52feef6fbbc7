"""The command line's console log: Prefect's lines, each on one line, no traceback.

When a run fails, Prefect's engine logs the exception with its traceback ("Encountered
exception during execution") before the command line says what happened in one line
(`transforms.run.faults`). The command line points Prefect's logging configuration at
`flows/logging.yml` (Prefect's default, `PREFECT_LOGGING_SETTINGS_PATH`), whose console handler
uses `OneLineFormatter`: the record's message alone on the console, while the API handler still
sends the traceback to the Prefect UI and the command line writes it to the run's log file
(`PREFECT_HOME/logs/<run_id>.log`).
"""

from __future__ import annotations

import copy
import logging

from prefect.logging.formatters import PrefectFormatter


class OneLineFormatter(PrefectFormatter):
    """Prefect's console format without the exception's traceback or the stack."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info or record.exc_text or record.stack_info:
            record = copy.copy(record)  # other handlers (the API's) keep the traceback
            record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record)
