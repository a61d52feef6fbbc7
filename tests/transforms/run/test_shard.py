"""A shard's rows validated before they are written (`stage_shards`, an injected validator):
the split it makes of the shard's articles, alone or in a batch of shards."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from transforms.core.config import PipelineConfig
from transforms.core.schema import QUARANTINE_SCHEMA
from transforms.read.files import discover
from transforms.run.shard import (
    ArticleValidation,
    ShardJob,
    clean_shard,
    clean_shard_rows,
    job_paths,
    stage_shards,
    staged_key,
)

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


def _by_path(articles: pa.Table, config, docs_dir) -> ArticleValidation:
    """A validator deciding per row, by name: *b.txt fails, *a.txt is flagged."""
    paths = articles.column("source_path").to_pylist()
    flags = [["boilerplate_in_body"] if p.endswith("a.txt") else [] for p in paths]
    position = articles.schema.get_field_index("quality_flags")
    flagged = articles.set_column(
        position, articles.schema.field(position), pa.array(flags, pa.list_(pa.string()))
    )
    failing = pa.array([p.endswith("b.txt") for p in paths])
    failed = flagged.filter(failing)
    rows = {name: failed.column(name) for name in failed.column_names}
    rows |= {
        "content_hash": pa.nulls(failed.num_rows, pa.string()),  # the split fills it in
        "stage": pa.array(["validate"] * failed.num_rows),
        "reason": pa.array(["test:b"] * failed.num_rows),
    }
    quarantine = pa.table(
        {
            f.name: rows.get(f.name, pa.nulls(failed.num_rows, f.type)).cast(f.type)
            for f in QUARANTINE_SCHEMA
        },
        schema=QUARANTINE_SCHEMA,
    )
    stats = {"evaluated_expectations": 1, "rows": articles.num_rows}
    return ArticleValidation(flagged.filter(pc.invert(failing)), quarantine, stats, [])


def _job(tmp_path, shard: str, names: tuple[str, ...]) -> ShardJob:
    root = tmp_path / f"in{shard}"
    root.mkdir(parents=True)
    for name in names:
        (root / f"{name}.txt").write_text(f"Story {name}\n\n{STORY}{name}\n")
    files, _, _ = discover(root)
    return ShardJob(
        input_root=str(root),
        files=tuple(files),
        output=str(tmp_path / "out"),
        run_id="r1",
        shard=shard,
        ingested_at=NOW,
        config=PipelineConfig(),
    )


@pytest.fixture
def job(tmp_path):
    return _job(tmp_path, "00000", ("a", "b"))


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


def test_a_cleaned_shard_is_written_only_when_staged(job):
    result = clean_shard_rows(job)
    assert result.rows is not None and result.rows.articles.num_rows == 2
    paths = job_paths(job)
    assert not paths.store.exists(staged_key(paths, "articles", job.shard))  # nothing written
    assert pc.sum(pc.list_value_length(result.rows.articles["quality_flags"])).as_py() == 0
    assert stage_shards([(result, job)], _flag_first) == [result]
    assert result.rows is None  # let go once written
    assert _staged(job)["quality_flags"].to_pylist() == [["repeated_paragraph"], []]
    with pytest.raises(ValueError, match="staged already"):
        stage_shards([(result, job)], _flag_first)


def _quarantined(job: ShardJob) -> pa.Table:
    return pq.read_table(
        f"{job.output}/_staging/{job.run_id}/shards/quarantine-{job.shard}.parquet"
    )


def test_shards_validated_as_one_batch_split_as_each_alone(tmp_path):
    """One batch of three staged shards: each shard keeps its own rows, split and flagged as
    validating it alone does, and the batch's statistics are counted once."""
    alone = [_job(tmp_path / "alone", f"{i:05d}", names) for i, names in enumerate(NAMES)]
    batch = [_job(tmp_path / "batch", f"{i:05d}", names) for i, names in enumerate(NAMES)]
    for j in alone:
        clean_shard(j, _by_path)
    results = stage_shards([(clean_shard_rows(j), j) for j in batch], _by_path)
    assert [r.shard for r in results] == ["00000", "00001", "00002"]
    assert [(r.articles, r.quarantined) for r in results] == [(1, 1), (2, 0), (0, 1)]
    assert [r.validation for r in results] == [{"evaluated_expectations": 1, "rows": 5}, {}, {}]
    for a, b in zip(alone, batch, strict=True):
        for read in (_staged, _quarantined):
            assert read(a).sort_by("source_path").equals(read(b).sort_by("source_path"))
    quarantined = _quarantined(batch[0])
    assert quarantined["source_path"].to_pylist() == ["b.txt"]
    assert quarantined["content_hash"].null_count == 0  # filled in from the article row
    assert _staged(batch[1])["quality_flags"].to_pylist() == [[], ["boilerplate_in_body"]]


NAMES = (("a", "b"), ("c", "xa"), ("zb",))
