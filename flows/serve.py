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
import contextlib
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psutil

from transforms.core.storage import is_uri, resolve_location
from transforms.run.options import check_run_options  # imports no prefect

DEFAULT_CRON = "0 * * * *"  # hourly, on the hour
DEFAULT_NAME = "scheduled"
DEFAULT_FLOW = "flows.clean_articles:clean_articles"


class ServeError(RuntimeError):
    """The server could not be started or reached; the message says what to do."""


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


def api_url(host: str, port: int) -> str:
    """The API root of a server at host:port (what PREFECT_API_URL must be)."""
    return f"http://{host}:{port}/api"


def port_is_free(host: str, port: int) -> bool:
    """True if nothing listens on host:port (so a server we start cannot collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        return s.connect_ex((host, port)) != 0


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """True if the Prefect API at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


# the project's Prefect home, where the Makefile puts it (PREFECT_HOME=$(CURDIR)/.prefect)
PROJECT_HOME = Path(__file__).resolve().parents[1] / ".prefect"


def prefect_home() -> Path:
    """PREFECT_HOME, created if missing; unset, the project's `.prefect` (as the Makefile sets
    it), so `python -m flows server status` finds the servers `make` started without it."""
    home = Path(os.environ.get("PREFECT_HOME", PROJECT_HOME)).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def start_server(host: str, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """Start `prefect server start` in its own process group, output to `log_path`."""
    if not port_is_free(host, port):
        raise ServeError(
            f"port {port} on {host} is already in use. If a Prefect server is running there, "
            f"use it: PREFECT_API_URL={api_url(host, port)} python -m flows serve --no-server ...; "
            "otherwise pick another port with --port."
        )
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # the server must not try to talk to another server
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    prefect_bin = Path(sys.executable).with_name("prefect")
    cmd = [str(prefect_bin)] if prefect_bin.exists() else [sys.executable, "-m", "prefect"]
    cmd += ["server", "start", "--host", host, "--port", str(port)]
    log = log_path.open("ab")
    try:
        # A new session: Ctrl-C in the terminal reaches only us, so that we stop the serving
        # process first (it pauses its schedule through the API) and the server last.
        return subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )  # fmt: skip
    finally:
        log.close()


def wait_until_healthy(
    url: str, proc: subprocess.Popen[bytes] | None, timeout: float, log_path: Path | None = None
) -> float:
    """Poll `url`/health until it answers; return the seconds waited.

    Raises ServeError if the server process exits first or `timeout` passes.
    """
    start = time.monotonic()
    where = f" (see {log_path})" if log_path else ""
    while True:
        # a server on a socket bound before it started (flows.api_server)
        # leaves the request in the socket's backlog until it serves: answered the moment it is up
        if is_healthy(url, timeout=max(1.0, min(timeout / 10, 10.0))):
            return time.monotonic() - start
        if proc is not None and proc.poll() is not None:
            raise ServeError(f"the Prefect server exited with code {proc.returncode}{where}")
        if time.monotonic() - start > timeout:
            raise ServeError(f"no answer from {url}/health after {timeout:.0f} s{where}")
        time.sleep(0.05)


def stop_process(pid: int, timeout: float = 20.0) -> None:
    """Stop the process `pid` and every process under it (a server and what it started):
    SIGTERM, then SIGKILL after `timeout` seconds; returns once they are gone (reaped, when
    they are this process's children). The project's one kill path for its servers (psutil)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for stop in (psutil.Process.terminate, psutil.Process.kill):
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                stop(process)
        _gone, processes = psutil.wait_procs(processes, timeout=timeout)
        if not processes:
            return


def runs_as(pid: int, marker: str) -> bool:
    """The process `pid` exists and its command line names `marker` (else the pid was reused)."""
    try:
        return marker in " ".join(psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


@contextmanager
def local_prefect_server(
    host: str = "127.0.0.1", port: int = 4200, timeout: float = 180.0
) -> Iterator[str]:
    """A Prefect server for the duration of a `with` block; yields its API URL.

    Used by `make bench`, so that flow runs are measured against a running server as they are
    under `make serve`. Its database and log live under PREFECT_HOME.
    """
    log_path = prefect_home() / "server.log"
    proc = start_server(host, port, log_path)
    try:
        wait_until_healthy(api_url(host, port), proc, timeout, log_path)
        yield api_url(host, port)
    finally:
        stop_process(proc.pid)


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
