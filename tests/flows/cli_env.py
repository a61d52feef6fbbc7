"""The environment a test gives the command line it runs in a subprocess."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cli_env(prefect_home: Path) -> dict[str, str]:
    """This process's environment without its PREFECT_ settings (the test harness's API, a
    profile): Prefect's home at `prefect_home`, no analytics, a patient server start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        PYTHONPATH=str(REPO),
    )
    return env
