"""The one command line of newsclean: `newsclean <command>` (or `python -m flows <command>`).

    newsclean run --input data/sample --output out/sample --workers 2
    newsclean serve --input DIR --output DIR [--cron "0 * * * *"]   # flows/serve.py
    newsclean server start|stop|status                                # flows/server.py
    newsclean doctor --output DIR                                     # flows/doctor.py
    newsclean compact --output DIR                                    # flows/compact.py, when present

`run` checks every option (transforms/run/options.py), takes OUTPUT's lock
(transforms/run/lock.py), recovers nothing itself but looks for a dead run's staging, and
discovers the inputs; only then does it start Prefect and call the flow, handing it the checked
config, the lock and the inputs (`flows.clean_articles.run_prepared`): a bad option or a busy
OUTPUT costs no server start and writes nothing, and discovery runs once. With a dead run's
staging to recover, the flow recovers it and discovers after.

Nothing new: when no file is pending and no new unreadable entry is found, it prints one line
and exits 0 without importing or starting Prefect and without writing a manifest.

Exit codes: 0 the run succeeded; 1 the run failed (a table-level check or an unbalanced
accounting; its manifest says which); 2 a bad option, or an INPUT holding no supported file
(one line on stderr naming the kinds found and the supported ones; nothing written);
75 OUTPUT is in use by another run (one line naming it; EX_TEMPFAIL: try later, or pass
--wait / --lock-timeout); 130 interrupted (the lock is released).
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import NoReturn

from flows import (
    api_server,
    fast_exit,  # imported first of the flows: its exit handler runs last
    worker_pool,
)
from flows.api_server import TemporaryServer, configured_api_url, startup_timeout
from flows.errors import RunFailed
from flows.server import ServeError, prefect_home
from transforms.core.config import PipelineConfig
from transforms.core.storage import StorageLocation, resolve_location
from transforms.run.faults import committed, fault_line, log_traceback
from transforms.run.inputs import RunInputs, gather_inputs
from transforms.run.lock import (
    LockUnavailable,
    OutputLocked,
    current_holder,
    exit_code,
    hold_output,
)
from transforms.run.notices import changed_settings, no_supported_input
from transforms.run.options import check_run_options, lock_wait_seconds, parse_settings
from transforms.run.output_store import OutputStore
from transforms.run.planning import effective_runner
from transforms.run.state_check import check_state, corrupt_message
from transforms.run.store import STAGING, new_run_id

EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 1, 2, 75, 130


class NoSupportedInput(ValueError):
    """INPUT holds no file of a supported kind (exit 2: a cron job must not report success)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a bad option reported on one line (not usage + error) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message}\n")


# command -> (module whose `main(argv) -> int` runs it, what it does)
COMMANDS = {
    "run": ("flows.cli", "clean the new files of INPUT into OUTPUT (make run)"),
    "serve": ("flows.serve", "serve the flow as a deployment on a cron schedule (make serve)"),
    "server": ("flows.server", "start|stop|status of a local Prefect server (make server)"),
    "doctor": ("flows.doctor", "move OUTPUT's corrupt state files aside (make doctor)"),
    "compact": ("flows.compact", "compact OUTPUT's tables and state (make compact)"),
}


def console() -> int:
    """The console script `newsclean` and `python -m flows`: `main`'s exit code, the process
    ended without the interpreter's teardown once everything is written (`flows.fast_exit`)."""
    return fast_exit.arm(main())


def main(argv: list[str] | None = None) -> int:
    """`newsclean <command> [options]`: the command's exit code (`<command> --help`)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    available = {c: v for c, v in COMMANDS.items() if find_spec(v[0]) is not None}
    if not argv or argv[0] not in available:
        listed = "\n".join(f"  {c:<8} {help}" for c, (_m, help) in available.items())
        usage = f"usage: newsclean <command> [options]\ncommands:\n{listed}\n"
        if argv and argv[0] in ("-h", "--help"):
            print(usage, end="")
            return 0
        given = f"unknown command {argv[0]!r}" if argv else "no command given"
        print(f"error: {given}\n{usage}", end="", file=sys.stderr)
        return EXIT_USAGE
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run(rest)
    return import_module(available[command][0]).main(rest)


def run(argv: list[str] | None = None) -> int:
    """Check every option, take OUTPUT's lock, run the flow; return the exit code."""
    parser = _Parser(
        prog="newsclean run",
        description="Clean raw scraped files in INPUT into Parquet datasets in OUTPUT.",
    )
    parser.add_argument(
        "--input",
        default="data/sample",
        help="folder of raw files, or an object-store prefix s3://bucket/prefix",
    )
    parser.add_argument("--output", default="out/sample", help="folder for the datasets")
    parser.add_argument("--workers", type=int, default=2, help="parallel shard tasks (>= 1)")
    parser.add_argument(
        "--shard-size",
        type=int,
        default=None,
        help="files per shard task (default: the config's shards.shard_size, "
        f"{PipelineConfig().shards.shard_size})",
    )
    parser.add_argument("--task-runner", choices=["process", "thread", "dask"], default="process")
    parser.add_argument("--dask-address", default=None)
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument(
        "--keep-server",
        type=float,
        nargs="?",
        const=api_server.DEFAULT_IDLE_SECONDS,
        default=None,
        metavar="IDLE_SECONDS",
        help="without a configured Prefect API, use the server kept under PREFECT_HOME for later "
        "runs, starting it if none runs; it stops IDLE_SECONDS after the last run "
        f"(default {api_server.DEFAULT_IDLE_SECONDS:.0f}; `make run` passes this; "
        "flows/api_server.py). Without it: a temporary server for this run alone",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="when another run is writing OUTPUT, wait for it to finish (default: refuse, exit 75)",
    )
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wait at most this long for another run on OUTPUT, then refuse (exit 75)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change a setting for this run, by its dotted key <section>.<field> (repeatable), "
        "e.g. --set html.extract_recall_page_ratio=0 (sections: transforms/core/config/sections.py)",
    )
    args = parser.parse_args(argv)
    try:
        settings = parse_settings(args.set)
        if args.keep_server is not None and not args.keep_server > 0:
            raise ValueError(f"--keep-server {args.keep_server:g}: the idle seconds must be > 0")
        config = check_run_options(
            args.input, args.output, args.workers, args.shard_size, settings, args.lock_timeout
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    output = resolve_location(args.output, config.storage.parsed())
    run_id = new_run_id(datetime.now(UTC).isoformat())
    wait = lock_wait_seconds(args.wait, args.lock_timeout)
    try:
        OutputStore(output).mkdir()
        stale = config.run.lock_other_host_stale_seconds
        busy = current_holder(output, stale) if wait != 0 else None
        if busy is not None:
            print(
                f"waiting for {busy.describe()} to finish with {output.display()}", file=sys.stderr
            )
        with hold_output(output, run_id, wait, config.run) as lock:
            corrupt = check_state(OutputStore(output))  # before anything reads them
            if corrupt:
                print(f"error: {corrupt_message(output.display(), corrupt)}", file=sys.stderr)
                return EXIT_FAILED
            inputs = _discover(args.input, output, config, args.workers)
            if inputs is not None and not (inputs.pending or inputs.drops):
                return 0  # nothing new
            if effective_runner(args.task_runner, args.workers) == "process":
                worker_pool.start()  # the workers' imports, while the server boots
            with _prefect_api(args.keep_server):
                clean_articles(
                    (config, output, lock, inputs),
                    input_dir=args.input,
                    output_dir=args.output,
                    workers=args.workers,
                    shard_size=args.shard_size,
                    task_runner=args.task_runner,
                    dask_address=args.dask_address,
                    show_progress=not args.no_progress,
                    settings=settings,
                )
    except KeyboardInterrupt:
        print("interrupted: OUTPUT's lock is released; the next run recovers", file=sys.stderr)
        return EXIT_INTERRUPTED
    # a lock refused (busy: 75) or that cannot be taken (e.g. credentials that may read the
    # bucket, not write it), a server that did not start, a failed run: one line
    except (NoSupportedInput, OutputLocked, LockUnavailable, ServeError, RunFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, NoSupportedInput) else exit_code(exc)
    except Exception as exc:  # one line, the traceback in the run's log (transforms.run.faults)
        return _fault(exc, output, run_id)
    return 0


def _fault(exc: Exception, output: StorageLocation, run_id: str) -> int:
    """Report a fault in one line on stderr; 0 when the run had committed its data before it
    (only Prefect's bookkeeping failed after), else EXIT_FAILED."""
    log = log_traceback(exc, prefect_home() / "logs", run_id)
    line = fault_line(exc, output.display(), os.environ.get("PREFECT_API_URL"))
    where = f" (traceback: {log})" if log else ""
    if committed(OutputStore(output), run_id):
        print(f"warning: run {run_id} is committed; after it: {line}{where}", file=sys.stderr)
        return 0
    print(f"error: {line}{where}", file=sys.stderr)
    return EXIT_FAILED


@contextmanager
def _prefect_api(keep_server: float | None = None) -> Iterator[None]:
    """The Prefect API of the run: the configured one when there is one (PREFECT_API_URL,
    `make server`'s, a profile's, a test harness's); else, with `keep_server` (idle seconds),
    the server kept under PREFECT_HOME for later runs (`flows.api_server`), started if none
    runs; otherwise a temporary server of this run's own (`flows.api_server`). A server this
    starts boots while Prefect and the flow are imported. Prefect already imported (a caller
    in the same process, e.g. a test): its settings are read, so Prefect's own temporary
    server is left to start as before."""
    if "prefect" in sys.modules or configured_api_url():
        if "prefect" not in sys.modules:
            _one_line_console()
        yield
        return
    server = None
    if keep_server is not None:
        url = api_server.attach(keep_server)
    else:
        server = TemporaryServer()
        # stopped at exit, after Prefect's own exit handlers (registered later, run earlier)
        # have sent the run's last logs and events to it
        atexit.register(server.stop)
        url = server.api_url
    os.environ["PREFECT_API_URL"] = url  # before Prefect reads its settings
    _one_line_console()
    try:
        import flows.clean_articles  # noqa: F401  Prefect and the flow, while the server boots

        api_server.wait(url, startup_timeout(), server)
    except BaseException:
        if server is not None:
            server.stop()
        raise
    yield
    if keep_server is not None:
        print(_kept_server_notice(url, keep_server), flush=True)


def clean_articles(prepared: tuple, **parameters: object) -> object:
    """The flow (flows/clean_articles.py) on what the command line prepared (the fields of
    `flows.clean_articles.Prepared`), imported when a run has work: Prefect's import and
    server start are paid only then."""
    from flows.clean_articles import Prepared, run_prepared

    return run_prepared(Prepared(*prepared), **parameters)


def _one_line_console() -> None:
    """Prefect's console log without tracebacks (flows/console_log.py, flows/logging.yml), unless
    a logging configuration is given (PREFECT_LOGGING_SETTINGS_PATH, PREFECT_HOME/logging.yml).
    Set after a server this starts is launched (it keeps Prefect's), before Prefect's import."""
    if not (prefect_home() / "logging.yml").exists():
        logging_yml = Path(__file__).with_name("logging.yml")
        os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(logging_yml))


def _kept_server_notice(api_url: str, idle_seconds: float) -> str:
    """The line a run that leaves the kept server running ends with: where, until when, how
    to stop it."""
    ui = api_url.removesuffix("/api")
    return (
        f"Prefect server kept for later runs: {ui} (its UI); it stops after "
        f"{idle_seconds / 60:g} min without a run, or now with: make server-stop"
    )


def _discover(
    input_dir: str, output: StorageLocation, config: PipelineConfig, workers: int
) -> RunInputs | None:
    """Holding OUTPUT's lock, the run's inputs, for the flow; None when a dead run's staging
    waits to be recovered (the flow recovers it, then discovers). When nothing is to be
    processed (no pending file, no new unreadable entry), prints the one-line outcome.
    Says first when the settings differ from the last committed run's; raises
    NoSupportedInput when INPUT holds no file the pipeline reads."""
    store = OutputStore(output)
    changed = changed_settings(store, config)
    if changed:
        print(changed, file=sys.stderr, flush=True)
    if store.children(STAGING):
        return None  # the flow recovers it (and records that in its manifest)
    t0 = time.perf_counter()
    inputs = gather_inputs(input_dir, output, config, workers)
    if inputs.pending or inputs.drops:
        return inputs
    c = inputs.counts()
    if not (inputs.files or inputs.unreadable.known):  # nothing here was ever an input
        raise NoSupportedInput(no_supported_input(input_dir, inputs.ignored, config))
    print(
        f"nothing new to process in {input_dir}: {c['files_skipped_already_processed']} files "
        f"already processed, {c['files_ignored_unsupported']} ignored, "
        f"{c['files_skipped_known_unreadable']} known unreadable; {output.display()} unchanged, "
        f"no run started ({time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    return inputs
