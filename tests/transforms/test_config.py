"""PipelineConfig settings from a command line or a deployment's parameters."""

from __future__ import annotations

import pytest

from transforms.config import PipelineConfig


@pytest.mark.parametrize(
    ("settings", "field", "value"),
    [
        ({"extract_recall_page_ratio": "0"}, "extract_recall_page_ratio", 0.0),
        ({"extract_recall_page_ratio": 2}, "extract_recall_page_ratio", 2),
        ({"metadata_htmldate": "false"}, "metadata_htmldate", False),
        ({"metadata_htmldate": "yes"}, "metadata_htmldate", True),
        ({"min_words": " 80 "}, "min_words", 80),
        ({"input_suffixes": ".html, .txt"}, "input_suffixes", (".html", ".txt")),
    ],
)
def test_settings_take_the_field_type(settings, field, value):
    config = PipelineConfig().with_settings(settings)
    assert getattr(config, field) == value
    assert type(getattr(config, field)) is type(value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"no_such_field": "1"}, "unknown setting 'no_such_field'"),
        ({"min_words": "many"}, "expected a int"),
        ({"metadata_htmldate": "maybe"}, "expected a bool"),
    ],
)
def test_bad_settings_are_clear_errors(settings, message):
    with pytest.raises(ValueError, match=message):
        PipelineConfig().with_settings(settings)


def test_settings_leave_the_rest_alone():
    config = PipelineConfig().with_settings({"min_words": "80"})
    assert {k: v for k, v in config.to_dict().items() if k != "min_words"} == {
        k: v for k, v in PipelineConfig().to_dict().items() if k != "min_words"
    }
