"""Each step is handed its own section of the config, and its code reads only that section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transforms.clean.gate import QualityGateStep
from transforms.core.config import PipelineConfig
from transforms.core.record import Article
from transforms.pipeline import build_steps

TRANSFORMS = Path(__file__).resolve().parents[2] / "transforms"

# The section each step's code reads (None: it reads no setting).
EXPECTED = {
    "decode": None,
    "parse_html": "read",  # max_html_depth, an input limit
    "html_metadata": "metadata",
    "page_type": "pagetype",
    "html_captions": "html",
    "extract_body": "html",
    "classify_page": "pagetype",
    "second_opinion": "html",
    "normalize": None,
    "text_captions": "html",
    "text_clean": "clean",
    "block_filter": "clean",
    "text_block_filter": "clean",
    "recurring_lines": "clean",
    "text_metadata": None,
    "repetition": "clean",
    "leftovers": "clean",
    "finalize_metadata": "metadata",
    "page_type_metadata": None,
    "quality_gate": "clean",
}


def test_every_step_is_given_its_own_section():
    config = PipelineConfig().with_settings({"clean.min_words": 7, "dedup.seed": 3})
    steps = build_steps(config)
    assert {s.name: s.section for s in steps} == EXPECTED
    for step in steps:
        assert step.config is config  # the runner keeps the whole config
        if step.section is None:
            assert step.settings is None
        else:
            assert step.settings is getattr(config, step.section)


def test_step_code_reads_its_section_not_the_whole_config():
    """No module under transforms/ reaches past a step's section: `self.config` is read only
    by the step framework, which hands the section out."""
    offenders = [
        str(path.relative_to(TRANSFORMS))
        for path in TRANSFORMS.rglob("*.py")
        if path.name != "steps.py" or path.parent.name != "core"
        if re.search(r"self\.config\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(("min_words", "dropped"), [(3, False), (4, True)])
def test_a_step_follows_a_change_to_its_section(min_words, dropped):
    doc = Article.from_raw(None, "a.txt", "text", "text")
    doc.text = "one two three"
    step = QualityGateStep(PipelineConfig().with_settings({"clean.min_words": min_words}))
    assert (step.apply(doc) is not None) is dropped
