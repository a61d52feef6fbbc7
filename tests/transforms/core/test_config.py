"""PipelineConfig settings from a command line or a deployment's parameters."""

from __future__ import annotations

import pytest

from transforms.core.config import PipelineConfig


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


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"shard_size": 0}, r"shard_size=0 is out of range: must be >= 1"),
        ({"shard_bytes": 0}, r"shard_bytes=0 is out of range: must be >= 1"),
        ({"min_shard_files": 0}, r"min_shard_files=0 .* >= 1"),
        ({"shards_per_worker": 0}, r"shards_per_worker=0 .* >= 1"),
        ({"tail_shard_share": 1.5}, r"tail_shard_share=1.5 .* in \[0, 1\]"),
        ({"max_file_bytes": 0}, r"max_file_bytes=0 .* >= 1"),
        ({"max_decompressed_bytes": -1}, r"max_decompressed_bytes=-1 .* >= 1"),
        ({"max_record_bytes": 0}, r"max_record_bytes=0 .* >= 1"),
        ({"max_html_depth": 0}, r"max_html_depth=0 .* >= 1"),
        ({"min_words": -1}, r"min_words=-1 .* >= 0"),
        ({"min_paragraph_words_for_repeat": 0}, r"min_paragraph_words_for_repeat=0 .* >= 1"),
        ({"splice_min_chars": 0}, r"splice_min_chars=0 .* >= 1"),
        ({"splice_min_words": 0}, r"splice_min_words=0 .* >= 1"),
        ({"text_tail_cut_share": -0.1}, r"text_tail_cut_share=-0.1 .* in \[0, 1\]"),
        ({"text_tail_cut_share_prompt": 2}, r"text_tail_cut_share_prompt=2 .* in \[0, 1\]"),
        ({"text_comments_min_article_words": -1}, r"text_comments_min_article_words=-1 .* >= 0"),
        ({"text_lead_keep_lines": -1}, r"text_lead_keep_lines=-1 .* >= 0"),
        ({"text_trailing_max_share": -1.0}, r"text_trailing_max_share=-1.0 .* >= 0"),
        ({"text_end_matter_share": 1.01}, r"text_end_matter_share=1.01 .* in \[0, 1\]"),
        ({"text_end_matter_share_legal": -1}, r"text_end_matter_share_legal=-1 .* in \[0, 1\]"),
        ({"recurrence_min_docs": 1}, r"recurrence_min_docs=1 .* >= 2"),
        ({"recurrence_min_share": 3}, r"recurrence_min_share=3 .* in \[0, 1\]"),
        ({"recurrence_max_words": 0}, r"recurrence_max_words=0 .* >= 1"),
        ({"recurrence_max_shared": 1.5}, r"recurrence_max_shared=1.5 .* in \[0, 1\]"),
        ({"extract_min_words_before_fallback": -1}, r"extract_min_words_before_fallback=-1"),
        ({"extract_compare_page_ratio": -1}, r"extract_compare_page_ratio=-1 .* >= 0"),
        ({"extract_recall_page_ratio": -0.5}, r"extract_recall_page_ratio=-0.5 .* >= 0"),
        ({"extract_recall_gain": -1}, r"extract_recall_gain=-1 .* >= 0"),
        ({"extract_recall_containment": 1.2}, r"extract_recall_containment=1.2 .* \[0, 1\]"),
        ({"edge_line_max_words": -1}, r"edge_line_max_words=-1 .* >= 0"),
        ({"jsonld_body_gain": -1}, r"jsonld_body_gain=-1 .* >= 0"),
        ({"jsonld_body_containment": 2}, r"jsonld_body_containment=2 .* in \[0, 1\]"),
        ({"leftover_line_max_words": -1}, r"leftover_line_max_words=-1 .* >= 0"),
        ({"caption_credit_max_chars": 0}, r"caption_credit_max_chars=0 .* >= 1"),
        ({"max_quarantine_share": 1.5}, r"max_quarantine_share=1.5 .* in \[0, 1\]"),
        ({"caption_min_words": -1}, r"caption_min_words=-1 .* >= 0"),
        ({"caption_max_words": 3}, r"caption_max_words=3 .* >= caption_min_words \(4\)"),
        ({"shingle_size": 0}, r"shingle_size=0 .* >= 1"),
        ({"num_perm": 3}, r"num_perm=3 .* >= bands \* rows \(64 \* 2 = 128\)"),
        ({"num_perm": 0}, r"num_perm=0 .* >= 1"),
        ({"bands": 0}, r"bands=0 is out of range: must be >= 1"),
        ({"rows": 0}, r"rows=0 is out of range: must be >= 1"),
        ({"near_jaccard": 5}, r"near_jaccard=5 is out of range: must be in \(0, 1\]"),
        ({"near_jaccard": 0}, r"near_jaccard=0 .* in \(0, 1\]"),
        ({"near_containment": 0}, r"near_containment=0 .* in \(0, 1\]"),
        ({"containment_min_share": -0.2}, r"containment_min_share=-0.2 .* in \[0, 1\]"),
        ({"seed": -1}, r"seed=-1 is out of range"),
        ({"language_min_chars": -1}, r"language_min_chars=-1 .* >= 0"),
        ({"lock_other_host_stale_seconds": -1}, r"lock_other_host_stale_seconds=-1 .* >= 0"),
        ({"input_suffixes": ()}, r"input_suffixes=\(\): expected one or more suffixes"),
        ({"input_suffixes": ("html",)}, r"input_suffixes=\('html',\): expected"),
        ({"metadata_htmldate": 1}, r"metadata_htmldate=1: expected a bool"),
        ({"metadata_htmldate_extensive": "no"}, r"metadata_htmldate_extensive='no': expected"),
        ({"shard_size": 2.5}, r"shard_size=2.5: expected a int"),
        ({"shard_size": True}, r"shard_size=True: expected a int"),
        ({"near_jaccard": float("nan")}, r"near_jaccard=nan: expected a float"),
    ],
)
def test_config_checks_its_ranges(settings, message):
    """Each field refuses a value outside its range, naming the field and the range, both when
    the config is made in code (a deployment's settings) and from strings (--set)."""
    with pytest.raises(ValueError, match=message):
        PipelineConfig(**settings)
    [(key, value)] = settings.items()
    if not isinstance(getattr(PipelineConfig(), key), bool | tuple):  # numbers as --set gives them
        as_text = {key: str(value)}
        with pytest.raises(ValueError, match=message.split(" ")[0].split("=")[0]):
            PipelineConfig().with_settings(as_text)


def test_every_field_has_a_range_and_the_defaults_are_in_it():
    from dataclasses import fields

    from transforms.core.config import _RANGES

    checked_by_type = {
        f.name for f in fields(PipelineConfig) if isinstance(f.default, bool | tuple)
    }
    assert {f.name for f in fields(PipelineConfig)} - checked_by_type == set(_RANGES)
    PipelineConfig()  # the defaults pass their own checks


@pytest.mark.parametrize(
    "settings",
    [
        {"near_jaccard": 1},
        {"tail_shard_share": 0},
        {"num_perm": 128, "bands": 64, "rows": 2},
        {"num_perm": 8, "bands": 4, "rows": 2},
        {"min_words": 0},
        {"extract_recall_page_ratio": 0},
        {"caption_min_words": 10, "caption_max_words": 10},
    ],
)
def test_values_at_the_edges_of_a_range_are_accepted(settings):
    PipelineConfig(**settings)
