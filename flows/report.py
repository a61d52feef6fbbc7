"""What a run tells the Prefect UI: its artifacts (the text: `transforms/run/summary.py`)."""

from __future__ import annotations

from transforms.run.manifest import stage_rows
from transforms.run.summary import summary_markdown

# how long the API may take to answer its health check before the artifacts are skipped
HEALTH_PROBE_SECONDS = 2.0


def api_answers(timeout: float = HEALTH_PROBE_SECONDS) -> bool:
    """The Prefect API answers its health check within `timeout` seconds, tried once: after
    the commit, a dead API must cost seconds, not the client's minutes of retries."""
    from prefect.client.orchestration import get_client
    from prefect.settings import (
        PREFECT_API_REQUEST_TIMEOUT,
        PREFECT_CLIENT_MAX_RETRIES,
        temporary_settings,
    )

    once = {PREFECT_API_REQUEST_TIMEOUT: timeout, PREFECT_CLIENT_MAX_RETRIES: 0}
    with temporary_settings(updates=once), get_client(sync_client=True) as client:
        return client.api_healthcheck() is None


def publish_artifacts(manifest: dict) -> bool:
    """A table artifact of counts per stage and a markdown summary with links; skipped (False)
    when the API does not answer its health check (`api_answers`)."""
    if not api_answers():
        return False
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_table_artifact(
        table=stage_rows(manifest),
        key="clean-articles-stages",
        description=f"Run {manifest['run_id']}: documents dropped and CPU seconds per stage",
    )
    create_markdown_artifact(markdown=summary_markdown(manifest), key="clean-articles-summary")
    return True
