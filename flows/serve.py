"""Serve the `clean_articles` flow as a deployment on a cron schedule (`make serve`).

    python -m flows serve --input data/sample --output out/sample [--cron "0 * * * *"]

Schedules need a real Prefect server (the temporary one a plain flow run starts cannot
schedule). So by default this starts a local server (`prefect server start` on 127.0.0.1:4200,
its log in PREFECT_HOME/server.log), waits until its /api/health answers, then serves the flow
with `prefect.serve(flow.to_deployment(...))`, with the input and output folders baked into the deployment's
parameters. The deployment is `clean_articles/<name>`; trigger a run at once with
`prefect deployment run 'clean_articles/<name>'`. Ctrl-C stops the serving process, then the
server. With --no-server it registers against the server at PREFECT_API_URL instead.

This module must not import prefect at the top: PREFECT_API_URL has to be in the environment
before prefect reads its settings.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from flows.server import ServeError, api_url, local_prefect_server, prefect_home, wait_until_healthy
from transforms.core.storage import is_uri, resolve_location
from transforms.run.options import check_run_options  # imports no prefect

DEFAULT_CRON = "0 * * * *"  # hourly, on the hour
DEFAULT_NAME = "scheduled"
DEFAULT_FLOW = "flows.clean_articles:clean_articles"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    p = argparse.ArgumentParser(
        prog="newsclean serve",
        description="Serve clean_articles on a cron schedule (starts a local Prefect server).",
    )
    p.add_argument("--input", required=True, help="folder of raw files processed by each run")
    p.add_argument("--output", required=True, help="folder the datasets are written to")
    p.add_argument("--cron", default=DEFAULT_CRON, help=f"cron schedule (default {DEFAULT_CRON!r})")
    p.add_argument("--timezone", default="UTC", help="time zone of the cron schedule")
    p.add_argument("--name", default=DEFAULT_NAME, help="deployment name (clean_articles/NAME)")
    p.add_argument("--workers", type=int, default=2, help="parallel shard tasks per run")
    p.add_argument(
        "--no-server",
        action="store_true",
        help="do not start a server: use the one at PREFECT_API_URL",
    )
    p.add_argument("--host", default="127.0.0.1", help="address the local server listens on")
    p.add_argument("--port", type=int, default=4200, help="port of the local server")
    p.add_argument(
        "--server-timeout", type=float, default=180.0, help="seconds to wait for the server"
    )
    p.add_argument(
        "--flow",
        default=DEFAULT_FLOW,
        help=f"the flow to serve, module:attribute (default {DEFAULT_FLOW})",
    )
    return p.parse_args(argv)


def load_flow(spec: str) -> Any:
    """Import `module:attribute` and return the flow object."""
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ServeError(f"--flow must look like module:attribute, not {spec!r}")
    return getattr(importlib.import_module(module_name), attr)


def deployment_parameters(args: argparse.Namespace) -> dict[str, Any]:
    """The parameters baked into the deployment: absolute folders, so any cwd works (a URI,
    s3://bucket/prefix, as given, normalised)."""
    return {
        "input_dir": _absolute(args.input),
        "output_dir": _absolute(args.output),
        "workers": args.workers,
    }


def _absolute(folder: str) -> str:
    return resolve_location(folder).url if is_uri(folder) else str(Path(folder).resolve())


def run_now_command(deployment: str) -> str:
    """The command that starts a run of `deployment` now, from any terminal, as printed: this
    venv's `prefect` (not on PATH unless the venv is active) and the server's API URL (a shell
    without it would ask a temporary server, which knows no deployment)."""
    prefect = Path(sys.executable).parent / "prefect"
    if prefect.is_relative_to(Path.cwd()):
        prefect = prefect.relative_to(Path.cwd())
    url = os.environ.get("PREFECT_API_URL", api_url("127.0.0.1", 4200))
    return f"PREFECT_API_URL={url} {prefect} deployment run '{deployment}'"


def serve_flow(args: argparse.Namespace) -> None:
    """Register the deployment and run its scheduled runs until interrupted (blocks)."""
    from prefect import serve
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    flow = load_flow(args.flow)
    params = deployment_parameters(args)
    # The flow's own progress bar is for terminals; a served run logs to the Prefect UI.
    if "show_progress" in flow.parameters.properties:
        params["show_progress"] = False
    print(
        f"serving {flow.name}/{args.name}: cron {args.cron!r} ({args.timezone}), "
        f"input {params['input_dir']}, output {params['output_dir']}\n"
        f"run now (another terminal): {run_now_command(f'{flow.name}/{args.name}')}\n"
        "stop: Ctrl-C",
        flush=True,
    )
    deployment = flow.to_deployment(
        name=args.name,
        schedule=Cron(args.cron, timezone=args.timezone),
        parameters=params,
        tags=["newsclean"],
        description=f"Clean the raw files under {params['input_dir']} on a schedule.",
        # A module path, not a file path, so that runs work whatever the runner's cwd is.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    # `serve(deployment)` rather than `flow.serve()`: each run then loads the flow from its
    # entrypoint in a fresh `python -m prefect.engine` process, as a worker does. flow.serve()
    # would run a pickled copy of this process's flow object instead, and by-value pickling
    # drops the module globals that string annotations name (`from __future__ import
    # annotations`), so parameter validation fails in the run ("... is not fully defined").
    serve(deployment, limit=1)  # runs write to the same output folder: one at a time


def scheduler_problem() -> str | None:
    """A known reason why the server's scheduler would create no runs, or None.

    prefect 3.8.8's scheduler service fails on every loop with SQLAlchemy 2.1 ("Can't evaluate
    bulk DML statement"), so the deployment is registered but no scheduled run ever appears.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        prefect_v, sqlalchemy_v = version("prefect"), version("sqlalchemy")
    except PackageNotFoundError:
        return None
    if prefect_v.startswith("3.8.") and not sqlalchemy_v.startswith("2.0."):
        return (
            f"prefect {prefect_v} cannot schedule runs with SQLAlchemy {sqlalchemy_v} "
            "(its scheduler fails on bulk inserts): install 'sqlalchemy<2.1'. "
            "Runs started with `prefect deployment run` still work."
        )
    return None


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Start the server (unless --no-server), serve the flow, stop both on Ctrl-C/SIGTERM."""
    args = parse_args(argv)
    try:  # the checks a run makes, before a server starts: a bad option fails at once
        check_run_options(args.input, args.output, args.workers)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # SIGTERM raises KeyboardInterrupt, so that `finally` stops the server (restored at the end).
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_interrupt)
    problem = scheduler_problem()
    if problem and not args.no_server:
        print(f"warning: {problem}", file=sys.stderr)
    try:
        with ExitStack() as stack:
            if args.no_server:
                url = os.environ.get("PREFECT_API_URL")
                if not url:
                    raise ServeError(
                        "--no-server needs PREFECT_API_URL, e.g. "
                        f"PREFECT_API_URL={api_url(args.host, args.port)}"
                    )
                wait_until_healthy(url.rstrip("/"), None, min(args.server_timeout, 10.0))
            else:
                log_path = prefect_home() / "server.log"
                print(
                    f"starting a Prefect server on {api_url(args.host, args.port)} "
                    f"(log: {log_path}) ...",
                    flush=True,
                )
                url = stack.enter_context(
                    local_prefect_server(args.host, args.port, args.server_timeout)
                )
                print(f"server ready; UI at {url.removesuffix('/api')}", flush=True)
                os.environ["PREFECT_API_URL"] = url  # read by prefect at import, below
            serve_flow(args)
    except ServeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping (the server, if this started one, is stopped too) ...", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
    return 0
