"""The fast paths follow one version of trafilatura and justext: a mismatch fails here, loudly.

With another version installed the pipeline still runs (every stage takes the public API), but
the speed-ups and the extraction's comparison gate (`extract_compare_page_ratio`) stop doing
anything. This test never skips: update `transforms.fastpaths` (and its `SUPPORTED` table) to the
new version, or pin the old one again.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from transforms import fastpaths

REPO = Path(__file__).resolve().parents[3]


def test_installed_versions_are_the_ones_the_fast_paths_follow():
    assert fastpaths.installed_versions() == fastpaths.SUPPORTED, (
        "trafilatura/justext differ from transforms.fastpaths.SUPPORTED: the fast paths and the "
        "extraction's comparison gate are off; port transforms/fastpaths/ to the new versions"
    )


def test_pyproject_pins_exactly_the_supported_versions():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = dict(re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", d).groups() for d in deps if "==" in d)
    for name, version in fastpaths.SUPPORTED.items():
        assert pins.get(name) == version, f"pyproject.toml must pin {name}=={version}"


def test_enable_swaps_and_plain_restores():
    assert fastpaths.enable()
    assert fastpaths.enabled()
    with fastpaths.plain():
        assert not fastpaths.enabled()
    assert fastpaths.enabled()
    status = fastpaths.status()
    assert status["version_match"] and status["enabled"]


def test_importing_the_pipeline_swaps_nothing():
    code = (
        "import sys; import transforms.pipeline, transforms.run.shard; "
        "from transforms import fastpaths; sys.exit(fastpaths.enabled())"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_the_installed_versions_are_read_once_a_process(monkeypatch):
    # the stages ask `supported()` several times a page; reading the packages' METADATA each
    # time cost ~4% of a page's instructions
    calls = []
    real = fastpaths.metadata.version
    monkeypatch.setattr(fastpaths.metadata, "version", lambda n: calls.append(n) or real(n))
    fastpaths._installed_version.cache_clear()
    for _ in range(5):
        assert fastpaths.supported()
    assert sorted(calls) == sorted(fastpaths.SUPPORTED)
