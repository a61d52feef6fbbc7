"""One line for each fault an operator can act on, instead of a wall of traceback (issue 33).

The command line (`flows/cli.py`) hands any error a run ends with to `fault_line`: a known fault
gets one line on stderr that says what happened, where, and what to do; the traceback goes to
the run's log file (`log_traceback`), whose path the line ends with. Unknown errors get their
type and message on one line, the same way. `committed` tells a run whose data was committed
(its manifest is in OUTPUT) from one that was not: when only Prefect's bookkeeping failed after
the commit (the server died mid-run), the run's work is done and the command exits 0 with a
warning.
"""

from __future__ import annotations

import errno
import re
import traceback
from pathlib import Path

from transforms.run.output_store import OutputStore

_PARQUET = re.compile(r"Could not open Parquet input source '([^']+)'")
_NETWORK = (
    "Could not connect to the endpoint",
    "Connect timeout",
    "NETWORK_CONNECTION",
    "Connection refused",
    "Failed to connect",
    "Unable to connect",
)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return seen


def fault_line(exc: BaseException, output: str, api_url: str | None) -> str:
    """One line saying what failed and what to do (no newline)."""
    for e in _chain(exc):
        text = " ".join(str(e).split())
        if isinstance(e, OSError) and (e.errno == errno.ENOSPC or "No space left" in text):
            where = e.filename or _path_in(text) or output
            return (
                f"disk full writing {where}: free space there and run again (a run killed "
                "before its manifest is discarded and redone by the next run)"
            )
        match = _PARQUET.search(text)
        if match:
            return (
                f"corrupt state file {match.group(1)}: run `python -m flows.doctor --output "
                f"{output}` to move it aside"
            )
        name = type(e).__name__
        if api_url and name in ("ConnectError", "ConnectTimeout", "PrefectHTTPStatusError"):
            return (
                f"the Prefect API at {api_url} is gone ({name}): start the server again "
                "(`make server`) or unset PREFECT_API_URL, and run again"
            )
        if any(marker in text for marker in _NETWORK) or name in (
            "EndpointConnectionError",
            "ConnectTimeoutError",
        ):
            return (
                f"object store unreachable for {output} ({name}: {text[:160]}): check the "
                "endpoint and network, and run again (nothing is lost: the next run recovers)"
            )
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def _path_in(text: str) -> str | None:
    match = re.search(r"'(/[^']+)'|\"(/[^\"]+)\"", text)
    return (match.group(1) or match.group(2)) if match else None


def log_traceback(exc: BaseException, log_dir: Path, run_id: str) -> Path | None:
    """Write the traceback to `log_dir/<run_id>.log`; its path (None when that fails too,
    e.g. on the full disk itself)."""
    path = log_dir / f"{run_id}.log"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path


def committed(store: OutputStore, run_id: str) -> bool:
    """The run's manifest is in OUTPUT: its data is committed."""
    try:
        return store.exists(f"runs/{run_id}.json")
    except OSError:
        return False
