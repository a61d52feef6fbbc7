"""End-to-end runs of the Prefect flow on a small corpus with good and bad files."""

from __future__ import annotations

import json
import re

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import write_corpus
from transforms.core.config import PipelineConfig

pytestmark = pytest.mark.slow


def _table(output, name):
    folder = output / name
    if not folder.exists():
        return None
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table()


@pytest.fixture(scope="module")
def first_run(prefect_harness, tmp_path_factory):
    from flows.clean_articles import clean_articles

    root = tmp_path_factory.mktemp("input")
    output = tmp_path_factory.mktemp("output")
    expected = write_corpus(root)
    manifest = clean_articles(
        input_dir=str(root), output_dir=str(output), workers=2, show_progress=False
    )
    return root, output, expected, manifest


def test_every_document_ends_in_exactly_one_table(first_run):
    _, output, expected, manifest = first_run
    acc = manifest["accounting"]
    assert acc["balanced"]
    assert acc["documents_in"] == expected["documents"]
    articles, pages, dups, quarantine = (
        _table(output, n) for n in ("articles", "pages", "duplicates", "quarantine")
    )
    assert articles.num_rows == acc["articles"] == expected["articles"]
    assert pages.num_rows == acc["pages"] == expected.get("pages", 0)
    assert dups.num_rows == acc["duplicates"] == expected["duplicates"]
    assert quarantine.num_rows == acc["quarantined"] == expected["quarantined"]
    where = [
        (p, r)
        for t in (articles, pages, dups, quarantine)
        for p, r in zip(
            t.column("source_path").to_pylist(), t.column("source_record").to_pylist(), strict=True
        )
    ]
    assert len(where) == len(set(where)) == expected["documents"]


def test_quarantine_rows_say_why(first_run):
    _, output, _, _ = first_run
    q = _table(output, "quarantine").to_pylist()
    reasons = {(r["source_path"], r["source_record"]): (r["stage"], r["reason"]) for r in q}
    assert reasons[("empty.html", None)][1].startswith("empty")
    assert reasons[("binary.txt", None)][1] == "binary_content"
    assert reasons[("scraped.jsonl", 2)][1] == "malformed_jsonl"
    assert reasons[("scraped.jsonl", 3)][1] == "record_without_content"
    assert reasons[("short.html", None)] == ("quality_gate", "too_short")


def test_review_with_repeated_list_and_newsletter_line_is_published_clean(first_run):
    from tests.flows.corpus import NEWSLETTER, REVIEW, REVIEW_LIST

    _, output, _, manifest = first_run
    rows = [r for r in _table(output, "articles").to_pylist() if r["source_path"] == "review.html"]
    assert len(rows) == 1, "the review was not published"
    body, review = rows[0]["body"], rows[0]
    assert NEWSLETTER not in body  # the cleaner removed the prompt ...
    changes = {c["reason"]: c["count"] for c in review["changes"]}
    assert changes.get("boilerplate_removed") == 1  # ... and said so
    assert REVIEW[0] in body  # the sentence went, not its paragraph
    for item in REVIEW_LIST:  # the lists repeat by design: both kept
        assert body.count(item) == 2, item
    assert review["quality_flags"] == []
    assert manifest["quality_flags"] == {}
    assert manifest["outcome"].startswith(f"{manifest['accounting']['articles']} articles")


def test_same_file_twice_is_two_records_with_one_content_hash(first_run):
    _, output, _, _ = first_run
    dups = {r["source_path"]: r for r in _table(output, "duplicates").to_pylist()}
    again = dups["zz-again/library.txt"]
    assert again["rule"] == "identical_raw_record"
    assert again["duplicate_of"] != again["doc_id"]
    kept = {r["doc_id"]: r for r in _table(output, "articles").to_pylist()}
    assert kept[again["duplicate_of"]]["source_path"] == "library.txt"
    assert kept[again["duplicate_of"]]["content_hash"] == again["content_hash"]


def test_syndicated_copy_is_a_duplicate_of_the_original(first_run):
    _, output, _, _ = first_run
    dups = {r["source_path"]: r for r in _table(output, "duplicates").to_pylist()}
    dup = next(d for p, d in dups.items() if "bridge" in p)
    articles = {r["doc_id"]: r for r in _table(output, "articles").to_pylist()}
    assert dup["duplicate_of"] in articles
    assert dup["kind"] == "exact"
    paths = {dup["source_path"], articles[dup["duplicate_of"]]["source_path"]}
    assert paths == {"bridge.html", "syndicated/bridge copy.html"}


def test_articles_are_clean_and_typed(first_run):
    _, output, _, _ = first_run
    from transforms.core.schema import ARTICLES_SCHEMA, PARTITION_KEY

    table = _table(output, "articles")
    assert table.schema.remove(table.schema.get_field_index(PARTITION_KEY)).equals(
        ARTICLES_SCHEMA, check_metadata=False
    )
    for row in table.to_pylist():
        assert "All rights reserved" not in row["body"]
        assert "Related stories" not in row["body"]
        assert row["language"] == "en"
        assert row["title"] and "|" not in row["title"]
    ferry = next(r for r in table.to_pylist() if r["source_path"] == "scraped.jsonl")
    assert ferry["url"] == "https://example.org/ferry"
    assert ferry["fetched_at"].isoformat().startswith("2026-05-01T10:00")


def test_manifest_is_written_and_adds_up(first_run):
    _, output, _, manifest = first_run
    on_disk = json.loads((output / "runs" / f"{manifest['run_id']}.json").read_text())
    assert on_disk["accounting"] == manifest["accounting"]
    assert sum(on_disk["quarantine_reasons"].values()) == on_disk["accounting"]["quarantined"]
    assert on_disk["inputs"]["files_ignored_unsupported"] == 1
    shards = on_disk["timings"]["shards"]  # every shard's span in the clean phase
    assert len(shards) == on_disk["inputs"]["shards"]
    assert sum(s["files"] for s in shards) == on_disk["inputs"]["files_processed"]
    assert all(0 <= s["start"] <= s["end"] for s in shards)
    assert on_disk["timings"]["idle_worker_seconds"] >= 0
    assert not (output / "_staging").exists() or not any((output / "_staging").iterdir())


def test_second_run_over_the_same_input_adds_nothing(first_run):
    from flows.clean_articles import clean_articles

    root, output, expected, _ = first_run
    tables = ("articles", "pages", "duplicates", "quarantine")
    before = {n: _table(output, n).num_rows for n in tables}
    manifest = clean_articles(input_dir=str(root), output_dir=str(output), show_progress=False)
    after = {n: _table(output, n).num_rows for n in tables}
    assert after == before
    assert manifest["inputs"]["files_processed"] == 0
    assert manifest["inputs"]["files_skipped_already_processed"] == expected["files"]


def test_readme_examples_read_the_output(first_run, capsys):
    import pandas as pd
    import pyarrow as pa

    from tests.readme_snippets import missing_reader, python_snippets, run_snippet

    _, output, _, _ = first_run
    blocks = python_snippets()
    assert len(blocks) >= 2
    frames = []
    for code in blocks:
        if missing_reader(code):
            continue  # Polars where absent: tests/test_readme.py reports the skip
        names = run_snippet(code, output)
        frames += [v for v in names.values() if isinstance(v, pd.DataFrame)]
    printed = capsys.readouterr().out
    assert "quality_gate" in printed  # the pandas example's groupby of quarantine reasons
    quarantine = next(f for f in frames if "stage" in f.columns)
    # ingest_date a date, and source_record (null for whole files) an integer, as documented
    assert quarantine.dtypes["ingest_date"] == pd.ArrowDtype(pa.date32())
    assert quarantine.dtypes["source_record"] == pd.ArrowDtype(pa.int64())
    assert quarantine["source_record"].isna().any() and quarantine["source_record"].max() == 3


@pytest.mark.parametrize(
    "setting", ["no_such_field=1", "clean.min_words=many", "clean.min_words", "min_words=60"]
)
def test_cli_rejects_a_bad_setting_before_running(tmp_path, capsys, setting):
    from flows.cli import run as main

    (tmp_path / "in").mkdir()
    code = main(
        ["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--set", setting]
    )
    assert code == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing started


@pytest.fixture
def rejected_only(tmp_path):
    from tests.flows.corpus import page

    root = tmp_path / "input"
    root.mkdir()
    (root / "short.html").write_text(page("Brief", ["Too short to be an article."], "Tiny"))
    (root / "empty.html").write_text("  \n")
    return root, tmp_path / "output"


def test_a_run_whose_inputs_were_all_rejected_completes_and_says_so(prefect_harness, rejected_only):
    from flows.clean_articles import clean_articles

    root, output = rejected_only
    state = clean_articles(
        input_dir=str(root), output_dir=str(output), show_progress=False, return_state=True
    )
    manifest = state.result()
    assert state.is_completed()
    assert state.message == "all 2 new documents were rejected (see quarantine)"
    assert manifest["status"] == "succeeded"
    assert manifest["outcome"] == state.message
    assert manifest["accounting"]["quarantined"] == 2
    assert manifest["table_failures"] == []


def test_max_quarantine_share_turns_a_bad_batch_into_a_failed_run(prefect_harness, rejected_only):
    from flows.clean_articles import RunFailed, clean_articles

    root, output = rejected_only
    with pytest.raises(RunFailed, match=re.escape("quarantine_share_exceeded: 100.0% > 50.0%")):
        clean_articles(
            input_dir=str(root),
            output_dir=str(output),
            show_progress=False,
            settings={"run.max_quarantine_share": 0.5},
        )
    manifest = json.loads(next((output / "runs").glob("*.json")).read_text())
    assert manifest["status"] == "failed"  # written and published before the run fails
    # the manifest records the config nested by section, with the run's dotted setting applied
    assert manifest["config"]["run"]["max_quarantine_share"] == 0.5
    assert manifest["config"]["clean"]["min_words"] == PipelineConfig().clean.min_words
    assert PipelineConfig.from_dict(manifest["config"]).run.max_quarantine_share == 0.5
