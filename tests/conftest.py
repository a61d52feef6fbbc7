"""Shared test fixtures: paths of the shared dev data, and one Prefect harness per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# the S3 endpoint fixtures (s3_endpoint, s3_env, s3_bucket): moto's server on 127.0.0.1
pytest_plugins = ["tests.s3_fixtures"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
WCXB = SHARED / "data" / "wcxb-dev"

requires_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"{SEEDS} is absent (the shared dev data is not on this machine)"
)
requires_wcxb = pytest.mark.skipif(
    not WCXB.is_dir(), reason=f"{WCXB} is absent (the shared dev data is not on this machine)"
)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect server for the whole session (entering it costs ~10 s)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
