"""`clean_shard` with an injected validator: the split it makes of the shard's articles."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from transforms.core.config import PipelineConfig
from transforms.core.schema import QUARANTINE_SCHEMA
from transforms.read.files import discover
from transforms.run.shard import ArticleValidation, ShardJob, clean_shard, validate_staged_shard

NOW = datetime(2026, 5, 1, tzinfo=UTC)
STORY = (
    "The council voted on Tuesday to extend the night bus service to the harbour district, "
    "after a year of complaints from shift workers who walk home after midnight.\n\n"
    "The transport office expects the first extended routes to start running in early June, "
    "once drivers for the late shifts have been hired and trained over the spring.\n\n"
    "Opponents questioned the cost, which the budget committee put at four million a year, "
    "and asked whether the money would be better spent on the morning routes. "
)


def _flag_first(articles: pa.Table, config, docs_dir) -> ArticleValidation:
    """A validator that flags the first article and quarantines none."""
    flags = [["repeated_paragraph"]] + [[] for _ in range(articles.num_rows - 1)]
    position = articles.schema.get_field_index("quality_flags")
    passed = articles.set_column(
        position, articles.schema.field(position), pa.array(flags, pa.list_(pa.string()))
    )
    return ArticleValidation(passed, QUARANTINE_SCHEMA.empty_table(), {"rows": 2}, [])


@pytest.fixture
def job(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for name in ("a", "b"):
        (root / f"{name}.txt").write_text(f"Story {name}\n\n{STORY}{name}\n")
    files, _, _ = discover(root)
    return ShardJob(
        input_root=str(root),
        files=tuple(files),
        output=str(tmp_path / "out"),
        run_id="r1",
        shard="00000",
        ingested_at=NOW,
        config=PipelineConfig(),
    )


def _staged(job: ShardJob) -> pa.Table:
    path = f"{job.output}/_staging/{job.run_id}/shards/articles-{job.shard}.parquet"
    return pq.read_table(path).sort_by("source_path")


def test_the_published_rows_keep_the_flags_the_validator_set(job):
    result = clean_shard(job, _flag_first)
    staged = _staged(job)
    assert result.articles == staged.num_rows == 2
    assert staged["quality_flags"].to_pylist() == [["repeated_paragraph"], []]
    assert "minhash" in staged.column_names  # the signature columns stay
    assert result.validation == {"rows": 2}


def test_validating_a_staged_shard_later_gives_the_same_rows(job):
    result = clean_shard(job)  # no validation in the shard
    assert pc.sum(pc.list_value_length(_staged(job)["quality_flags"])).as_py() == 0
    validate_staged_shard(result, job, _flag_first)
    assert _staged(job)["quality_flags"].to_pylist() == [["repeated_paragraph"], []]
