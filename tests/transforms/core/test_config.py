"""PipelineConfig settings by dotted key, from a command line or a deployment's parameters."""

from __future__ import annotations

import json
import pickle
from dataclasses import fields

import pytest

from transforms.core.config import DedupSettings, PipelineConfig
from transforms.core.config.sections import RANGES
from transforms.core.config.values import describe

KEYS = PipelineConfig.keys()
DEFAULTS = {key: PipelineConfig().get(key) for key in KEYS}
NUMERIC = [k for k in KEYS if not isinstance(DEFAULTS[k], bool | tuple | str)]


def test_the_config_is_in_sections_of_unique_field_names():
    sections = {f.name for f in fields(PipelineConfig)}
    assert sections == {
        "shards",
        "read",
        "html",
        "clean",
        "metadata",
        "pagetype",
        "dedup",
        "run",
        "storage",
    }
    names = [key.split(".", 1)[1] for key in KEYS]
    assert len(names) == len(set(names))  # a flat key names one dotted key
    assert len(KEYS) == 78 and all(key.split(".")[0] in sections for key in KEYS)


@pytest.mark.parametrize(
    ("settings", "key", "value"),
    [
        ({"html.extract_recall_page_ratio": "0"}, "html.extract_recall_page_ratio", 0.0),
        ({"html.extract_recall_page_ratio": 2}, "html.extract_recall_page_ratio", 2),
        ({"metadata.metadata_htmldate": "false"}, "metadata.metadata_htmldate", False),
        ({"metadata.metadata_htmldate": "yes"}, "metadata.metadata_htmldate", True),
        ({"clean.min_words": " 80 "}, "clean.min_words", 80),
        ({"read.input_suffixes": ".html, .txt"}, "read.input_suffixes", (".html", ".txt")),
    ],
)
def test_settings_take_the_field_type(settings, key, value):
    config = PipelineConfig().with_settings(settings)
    assert config.get(key) == value
    assert type(config.get(key)) is type(value)
    section, name = key.split(".")
    assert getattr(getattr(config, section), name) == value


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"no_such_field": "1"}, "unknown setting 'no_such_field'"),
        ({"clean.no_such_field": "1"}, "unknown setting 'clean.no_such_field'"),
        ({"dedup.min_words": "1"}, "unknown setting 'dedup.min_words'"),
        ({"clean.min_words": "many"}, "expected a int"),
        ({"metadata.metadata_htmldate": "maybe"}, "expected a bool"),
    ],
)
def test_bad_settings_are_clear_errors(settings, message):
    with pytest.raises(ValueError, match=message):
        PipelineConfig().with_settings(settings)


@pytest.mark.parametrize("key", KEYS)
def test_a_flat_key_is_refused_naming_its_dotted_key(key):
    flat = key.split(".", 1)[1]
    with pytest.raises(
        ValueError, match=rf"^setting '{flat}' is now named by section: use '{key}'$"
    ):
        PipelineConfig().with_settings({flat: str(DEFAULTS[key])})
    with pytest.raises(ValueError, match=rf"use '{key}'"):
        PipelineConfig.from_dict({flat: DEFAULTS[key]})


def test_settings_leave_the_rest_alone():
    config = PipelineConfig().with_settings({"clean.min_words": "80"})
    changed = {k for k in KEYS if config.get(k) != DEFAULTS[k]}
    assert changed == {"clean.min_words"}
    assert config.dedup is PipelineConfig().dedup or config.dedup == PipelineConfig().dedup


def test_to_dict_is_nested_and_from_dict_round_trips():
    config = PipelineConfig().with_settings(
        {"clean.min_words": 60, "dedup.near_jaccard": 0.7, "read.input_suffixes": ".txt"}
    )
    values = config.to_dict()
    assert set(values) == {f.name for f in fields(PipelineConfig)}
    assert values["clean"]["min_words"] == 60 and values["dedup"]["near_jaccard"] == 0.7
    assert "min_words" not in values
    assert PipelineConfig.from_dict(values) == config
    assert PipelineConfig.from_dict(json.loads(json.dumps(values))) == config  # as in a manifest
    assert PipelineConfig.from_dict(PipelineConfig().to_dict()) == PipelineConfig()
    assert pickle.loads(pickle.dumps(config)) == config  # shipped to worker processes


def test_storage_options_are_recorded_by_name_only():
    """The manifest records the config: a storage option's value never appears in it."""
    options = "endpoint_url=http://10.1.2.3:9000,region=eu-west-1,profile=scrapers"
    config = PipelineConfig().with_settings({"storage.options": options})
    assert config.storage.parsed() == {
        "endpoint_url": "http://10.1.2.3:9000",
        "region": "eu-west-1",
        "profile": "scrapers",
    }
    recorded = json.dumps(config.to_dict())
    assert "10.1.2.3" not in recorded and "eu-west-1" not in recorded and "scrapers" not in recorded
    assert config.to_dict()["storage"] == {"options": "endpoint_url=***,profile=***,region=***"}
    assert pickle.loads(pickle.dumps(config)) == config


def test_from_dict_takes_partial_sections_and_refuses_unknown_ones():
    assert PipelineConfig.from_dict({"clean": {"min_words": 9}}).clean.min_words == 9
    assert PipelineConfig.from_dict({}) == PipelineConfig()
    with pytest.raises(ValueError, match=r"unknown setting 'clean\.bands'"):
        PipelineConfig.from_dict({"clean": {"bands": 9}})
    with pytest.raises(ValueError, match="unknown setting 'extra'"):
        PipelineConfig.from_dict({"extra": {}})
    with pytest.raises(ValueError, match=r"clean\.min_words=-1 is out of range"):
        PipelineConfig.from_dict({"clean": {"min_words": -1}})


def test_a_section_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match=r"PipelineConfig\.dedup must be a DedupSettings"):
        PipelineConfig(dedup={"bands": 1})  # type: ignore[arg-type]
    assert PipelineConfig(dedup=DedupSettings(seed=3)).get("dedup.seed") == 3


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"shards.shard_size": 0}, r"shards\.shard_size=0 is out of range: must be >= 1"),
        ({"shards.shard_bytes": 0}, r"shards\.shard_bytes=0 is out of range: must be >= 1"),
        ({"shards.min_shard_files": 0}, r"shards\.min_shard_files=0 .* >= 1"),
        ({"shards.shards_per_worker": 0}, r"shards\.shards_per_worker=0 .* >= 1"),
        ({"shards.tail_shard_share": 1.5}, r"shards\.tail_shard_share=1.5 .* in \[0, 1\]"),
        ({"read.max_file_bytes": 0}, r"read\.max_file_bytes=0 .* >= 1"),
        ({"read.max_decompressed_bytes": -1}, r"read\.max_decompressed_bytes=-1 .* >= 1"),
        ({"read.max_record_bytes": 0}, r"read\.max_record_bytes=0 .* >= 1"),
        ({"read.max_html_depth": 0}, r"read\.max_html_depth=0 .* >= 1"),
        ({"clean.min_words": -1}, r"clean\.min_words=-1 .* >= 0"),
        (
            {"clean.min_paragraph_words_for_repeat": 0},
            r"clean\.min_paragraph_words_for_repeat=0 .* >= 1",
        ),
        ({"clean.splice_min_chars": 0}, r"clean\.splice_min_chars=0 .* >= 1"),
        ({"clean.splice_min_words": 0}, r"clean\.splice_min_words=0 .* >= 1"),
        ({"clean.text_tail_cut_share": -0.1}, r"clean\.text_tail_cut_share=-0.1 .* in \[0, 1\]"),
        (
            {"clean.text_tail_cut_share_prompt": 2},
            r"clean\.text_tail_cut_share_prompt=2 .* in \[0, 1\]",
        ),
        (
            {"clean.text_comments_min_article_words": -1},
            r"clean\.text_comments_min_article_words=-1 .* >= 0",
        ),
        ({"clean.text_lead_keep_lines": -1}, r"clean\.text_lead_keep_lines=-1 .* >= 0"),
        ({"clean.text_trailing_max_share": -1.0}, r"clean\.text_trailing_max_share=-1.0 .* >= 0"),
        (
            {"clean.text_end_matter_share": 1.01},
            r"clean\.text_end_matter_share=1.01 .* in \[0, 1\]",
        ),
        (
            {"clean.text_end_matter_share_legal": -1},
            r"clean\.text_end_matter_share_legal=-1 .* in \[0, 1\]",
        ),
        ({"clean.recurrence_min_docs": 1}, r"clean\.recurrence_min_docs=1 .* >= 2"),
        ({"clean.recurrence_min_share": 3}, r"clean\.recurrence_min_share=3 .* in \[0, 1\]"),
        ({"clean.recurrence_max_words": 0}, r"clean\.recurrence_max_words=0 .* >= 1"),
        ({"clean.recurrence_max_shared": 1.5}, r"clean\.recurrence_max_shared=1.5 .* in \[0, 1\]"),
        (
            {"html.extract_min_words_before_fallback": -1},
            r"html\.extract_min_words_before_fallback=-1",
        ),
        ({"html.extract_compare_page_ratio": -1}, r"html\.extract_compare_page_ratio=-1 .* >= 0"),
        ({"html.extract_recall_page_ratio": -0.5}, r"html\.extract_recall_page_ratio=-0.5 .* >= 0"),
        ({"html.extract_recall_gain": -1}, r"html\.extract_recall_gain=-1 .* >= 0"),
        (
            {"html.extract_recall_containment": 1.2},
            r"html\.extract_recall_containment=1.2 .* \[0, 1\]",
        ),
        ({"html.edge_line_max_words": -1}, r"html\.edge_line_max_words=-1 .* >= 0"),
        ({"html.jsonld_body_gain": -1}, r"html\.jsonld_body_gain=-1 .* >= 0"),
        ({"html.jsonld_body_containment": 2}, r"html\.jsonld_body_containment=2 .* in \[0, 1\]"),
        ({"clean.leftover_line_max_words": -1}, r"clean\.leftover_line_max_words=-1 .* >= 0"),
        ({"clean.caption_credit_max_chars": 0}, r"clean\.caption_credit_max_chars=0 .* >= 1"),
        ({"run.max_quarantine_share": 1.5}, r"run\.max_quarantine_share=1.5 .* in \[0, 1\]"),
        ({"html.caption_min_words": -1}, r"html\.caption_min_words=-1 .* >= 0"),
        (
            {"html.caption_max_words": 3},
            r"html\.caption_max_words=3 .* >= html.caption_min_words \(4\)",
        ),
        ({"dedup.shingle_size": 0}, r"dedup\.shingle_size=0 .* >= 1"),
        (
            {"dedup.num_perm": 3},
            r"dedup\.num_perm=3 .* >= dedup.bands \* dedup.rows \(64 \* 2 = 128\)",
        ),
        ({"dedup.num_perm": 0}, r"dedup\.num_perm=0 .* >= 1"),
        ({"dedup.bands": 0}, r"dedup\.bands=0 is out of range: must be >= 1"),
        ({"dedup.rows": 0}, r"dedup\.rows=0 is out of range: must be >= 1"),
        ({"dedup.near_jaccard": 5}, r"dedup\.near_jaccard=5 is out of range: must be in \(0, 1\]"),
        ({"dedup.near_jaccard": 0}, r"dedup\.near_jaccard=0 .* in \(0, 1\]"),
        ({"dedup.near_containment": 0}, r"dedup\.near_containment=0 .* in \(0, 1\]"),
        (
            {"dedup.containment_min_share": -0.2},
            r"dedup\.containment_min_share=-0.2 .* in \[0, 1\]",
        ),
        ({"dedup.seed": -1}, r"dedup\.seed=-1 is out of range"),
        ({"metadata.language_min_chars": -1}, r"metadata\.language_min_chars=-1 .* >= 0"),
        (
            {"run.lock_other_host_stale_seconds": -1},
            r"run\.lock_other_host_stale_seconds=-1 .* >= 0",
        ),
        ({"read.input_suffixes": ()}, r"read\.input_suffixes=\(\): expected one or more suffixes"),
        ({"read.input_suffixes": ("html",)}, r"read\.input_suffixes=\('html',\): expected"),
        ({"metadata.metadata_htmldate": 1}, r"metadata\.metadata_htmldate=1: expected a bool"),
        (
            {"metadata.metadata_htmldate_extensive": "no"},
            r"metadata\.metadata_htmldate_extensive='no': expected",
        ),
        ({"storage.options": 3}, r"storage\.options=3: expected a string"),
        ({"storage.options": "region"}, r"storage\.options: storage option 'region': expected"),
        (
            {"storage.options": "endpoint_url=http://h:1,secret=s3cr3t"},
            r"storage\.options: secret would carry a credential .* AWS environment variables",
        ),
        ({"storage.options": "KEY=AKIA"}, r"storage\.options: KEY would carry a credential"),
        ({"shards.shard_size": 2.5}, r"shards\.shard_size=2.5: expected a int"),
        ({"shards.shard_size": True}, r"shards\.shard_size=True: expected a int"),
        ({"dedup.near_jaccard": float("nan")}, r"dedup\.near_jaccard=nan: expected a float"),
    ],
)
def test_config_checks_its_ranges(settings, message):
    """Each field refuses a value outside its range, naming the dotted key and the range, both
    when the config is made in code (a deployment's settings) and from strings (--set)."""
    [(key, value)] = settings.items()
    section, name = key.split(".")
    with pytest.raises(ValueError, match=message):
        type(getattr(PipelineConfig(), section))(**{name: value})
    if not isinstance(value, str):  # with_settings converts a string ("no" -> False)
        with pytest.raises(ValueError, match=message):
            PipelineConfig().with_settings(settings)
    if key in NUMERIC:  # numbers as --set gives them
        with pytest.raises(ValueError, match=message.split(" ")[0].split("=")[0]):
            PipelineConfig().with_settings({key: str(value)})


def _outside(bounds):
    low, _, low_open, _ = bounds
    return low if low_open else low - 1


@pytest.mark.parametrize("key", NUMERIC)
def test_every_numeric_setting_refuses_a_value_below_its_range(key):
    bounds = RANGES[key]
    bad = _outside(bounds)
    message = f"{key}={bad!r} is out of range: must be {describe(bounds)}"
    with pytest.raises(ValueError) as info:
        PipelineConfig().with_settings({key: bad})
    assert str(info.value) == message


def test_every_field_has_a_range_and_the_defaults_are_in_it():
    assert set(NUMERIC) == set(RANGES)
    PipelineConfig()  # the defaults pass their own checks


@pytest.mark.parametrize(
    "settings",
    [
        {"dedup.near_jaccard": 1},
        {"shards.tail_shard_share": 0},
        {"dedup.num_perm": 128, "dedup.bands": 64, "dedup.rows": 2},
        {"dedup.num_perm": 8, "dedup.bands": 4, "dedup.rows": 2},
        {"clean.min_words": 0},
        {"html.extract_recall_page_ratio": 0},
        {"html.caption_min_words": 10, "html.caption_max_words": 10},
    ],
)
def test_values_at_the_edges_of_a_range_are_accepted(settings):
    config = PipelineConfig().with_settings(settings)
    assert all(config.get(k) == v for k, v in settings.items())
