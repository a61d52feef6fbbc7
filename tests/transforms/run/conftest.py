"""Fixtures shared by the run-phase tests."""

import pytest

from transforms.core.storage import resolve_location
from transforms.run.output_store import OutputStore


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path) -> OutputStore:
    """OUTPUT as a local folder, or as a prefix of a fresh bucket on the moto endpoint."""
    if request.param == "local":
        return OutputStore(tmp_path / "out")
    bucket = request.getfixturevalue("s3_bucket")
    return OutputStore(resolve_location(f"s3://{bucket}/out"))
