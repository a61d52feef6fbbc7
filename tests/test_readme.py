"""The data dictionary matches the Arrow schemas; the README is short, shows the set-up commands
and links only to files of the repository; the reading snippets run on an output whose tables
have no rows."""

import re
from pathlib import Path

import pytest

from scripts.render_data_dictionary import DICTIONARY, README, ROOT, render
from tests.readme_snippets import missing_reader, python_snippets, run_snippet
from transforms.core.schema import TABLE_SCHEMAS


def test_data_dictionary_matches_schema():
    text = DICTIONARY.read_text()
    assert render(text) == text, "run: .venv/bin/python scripts/render_data_dictionary.py"
    for name, schema in TABLE_SCHEMAS.items():
        for field in schema:
            assert f"| `{field.name}` | `{field.type}` |" in text, (name, field.name)


def test_readme_reads_in_five_minutes():
    assert len(README.read_text().splitlines()) <= 260


# planned pages that land from other branches (issues 28, 29, 30, 33)
LANDING_ELSEWHERE = {
    "docs/page_types.md",
    "docs/quality.md",
    "docs/metadata.md",
    "docs/operations_faults.md",
}


def _links(document: Path) -> list[tuple[str, str]]:
    """(path relative to the repository, anchor) of every link in `document`; none leaves it."""
    found = []
    for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text()):
        assert not re.match(r"\w+:", target), (document.name, target)  # no URL: a page of ours
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        assert resolved.is_relative_to(ROOT), (document.name, target)
        found.append((str(resolved.relative_to(ROOT)), anchor))
    return found


def _anchors(document: Path) -> set[str]:
    """GitHub's anchors for the headings of `document`."""
    headings = re.findall(r"^#+ (.*)$", document.read_text(), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize(
    "document", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_every_link_resolves_in_a_clone(document):
    for path, anchor in _links(document):
        if path in LANDING_ELSEWHERE and not (ROOT / path).exists():
            continue
        assert (ROOT / path).exists(), (document.name, path)
        if anchor and path.endswith(".md"):
            assert anchor in _anchors(ROOT / path), (document.name, path, anchor)


def test_readme_starts_with_the_two_setup_commands():
    head = README.read_text().split("\n## ", 2)[1]
    assert "make run" in head and "make test" in head


def test_makefile_targets_named_in_readme_exist():
    makefile = (Path(README).parent / "Makefile").read_text()
    for target in ("run", "test", "lint", "bench", "eval", "eval-dedup", "serve"):
        assert f"\n{target}:" in makefile


def test_jsonl_fields_in_readme_match_the_reader():
    from transforms.read import jsonl as j

    block = README.read_text().split("<!-- jsonl-fields -->")[1].split("<!-- /jsonl-fields -->")[0]
    for name in (*j.URL_FIELDS, *j.HTML_FIELDS, *j.TEXT_FIELDS, *j.TIME_FIELDS):
        assert f"`{name}`" in block, name


# --- the reading snippets, on an output whose tables have no rows -------------------------


def _run_without_documents(output: Path) -> None:
    """A run as the flow does it (dedup, stage, publish) with nothing to read."""
    from datetime import UTC, datetime

    from transforms.core.config import PipelineConfig
    from transforms.run.deduplicate import deduplicate_run
    from transforms.run.stage_outputs import discover_quarantine, stage_run
    from transforms.run.store import RunPaths, new_run_id, publish, stage_manifest

    now = datetime.now(UTC)
    run_id = new_run_id(now.isoformat())
    paths = RunPaths(output, run_id)
    dedup = deduplicate_run(paths, PipelineConfig(), run_id, now)
    staged = stage_run(paths, dedup, [], discover_quarantine([], run_id, now), now)
    assert staged.articles == staged.duplicates == staged.quarantined == 0
    stage_manifest(paths, {"run_id": run_id})
    publish(paths)


def _killed_before_publishing(output: Path) -> None:
    """What a first run killed while cleaning leaves: a staging folder without READY."""
    shards = output / "_staging" / "20260101T000000Z-killed" / "shards"
    shards.mkdir(parents=True)
    (shards / "articles-00000.parquet").write_bytes(b"PAR1 cut short")


@pytest.fixture(scope="module")
def empty_output(tmp_path_factory) -> Path:
    from transforms.run.store import recover

    output = tmp_path_factory.mktemp("empty-output")
    _killed_before_publishing(output)
    assert recover(output)["discarded"] == ["20260101T000000Z-killed"]  # as a run starts
    _run_without_documents(output)
    return output


@pytest.mark.parametrize("table", list(TABLE_SCHEMAS))
def test_every_table_reads_with_its_columns_when_it_has_no_rows(empty_output, table):
    import duckdb
    import pyarrow as pa
    import pyarrow.dataset as ds

    from transforms.core.schema import PARTITION_KEY

    schema = TABLE_SCHEMAS[table]
    columns = [*schema.names, PARTITION_KEY]
    folder = empty_output / table
    [part] = folder.glob(f"{PARTITION_KEY}=*/part-*-empty.parquet")
    assert re.fullmatch(rf"{PARTITION_KEY}=\d{{4}}-\d{{2}}-\d{{2}}", part.parent.name)  # as rows'
    hive = ds.partitioning(pa.schema([(PARTITION_KEY, pa.date32())]), flavor="hive")
    got = ds.dataset(folder, format="parquet", partitioning=hive).to_table()
    assert got.num_rows == 0 and got.schema.names == columns
    assert got.schema.remove(len(schema)).equals(schema, check_metadata=False)
    assert got.schema.field(PARTITION_KEY).type == pa.date32()
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{folder}/**/*.parquet', hive_partitioning=1)")
    assert rel.columns == columns and str(rel.types[-1]) == "DATE" and rel.fetchall() == []
    frame = pd_read(folder, hive)
    assert list(frame.columns) == columns and len(frame) == 0


@pytest.mark.parametrize("table", list(TABLE_SCHEMAS))
def test_every_table_reads_in_polars_when_it_has_no_rows(empty_output, table):
    pl = pytest.importorskip(
        "polars", reason="polars is absent (a dev extra: pip install -e .[dev])"
    )
    from transforms.core.schema import PARTITION_KEY

    df = pl.read_parquet(f"{empty_output / table}/**/*.parquet", hive_partitioning=True)
    assert df.columns == [*TABLE_SCHEMAS[table].names, PARTITION_KEY] and df.height == 0
    assert df.schema[PARTITION_KEY] == pl.Date
    if "source_record" in df.columns:
        assert df.schema["source_record"] == pl.Int64


def pd_read(folder: Path, hive):
    import pandas as pd

    return pd.read_parquet(folder, partitioning=hive, dtype_backend="pyarrow")


@pytest.mark.parametrize("index", range(len(python_snippets())))
def test_readme_snippets_run_on_an_output_with_empty_tables(empty_output, index, capsys):
    import pandas as pd
    import pyarrow as pa

    code = python_snippets()[index]
    missing = missing_reader(code)
    if missing:
        pytest.skip(f"{missing} is not installed (pip install -e '.[dev]' installs it)")
    names = run_snippet(code, empty_output)
    for value in names.values():
        if isinstance(value, pd.DataFrame) and "source_record" in value.columns:  # pandas snippet
            assert value.dtypes["ingest_date"] == pd.ArrowDtype(pa.date32())
            assert value.dtypes["source_record"] == pd.ArrowDtype(pa.int64())
    capsys.readouterr()


# --- the reading snippets, on a compacted output: month files beside a later run's day ----


@pytest.fixture(scope="module")
def compacted_output(tmp_path_factory) -> Path:
    from tests.transforms.run.history import add_months, add_run
    from transforms.run.compaction import compact
    from transforms.run.output_store import OutputStore

    output = tmp_path_factory.mktemp("compacted-output")
    store = OutputStore(output)
    add_months(store, 4)
    compact(store, "20260105T000000-c00001", retain_seconds=0)  # months; days deleted
    add_run(store, 9, day=4)  # a run after it: a day folder beside the month files
    return output


@pytest.mark.parametrize("index", range(len(python_snippets())))
def test_the_snippets_read_both_layouts_of_a_compacted_output(compacted_output, index, capsys):
    """Each snippet gives the rows `newsclean` gives, ingest_date a date, from month files
    (make compact) and day folders (a later run) together."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    import newsclean

    code = python_snippets()[index]
    if missing_reader(code):
        pytest.skip(f"{missing_reader(code)} is not installed")
    names = run_snippet(code, compacted_output)
    for table in ("articles", "duplicates", "quarantine"):
        value = names.get(table)
        if isinstance(value, pa.Table):
            value = value.to_pandas()
        if isinstance(value, pl.DataFrame):
            value = value.to_pandas(use_pyarrow_extension_array=True)
        if isinstance(value, pd.DataFrame) and "ingest_date" in value.columns:
            expected = newsclean.read_pandas(compacted_output, table)
            assert sorted(value["doc_id"]) == sorted(expected["doc_id"]), table
            assert sorted(value["ingest_date"]) == sorted(expected["ingest_date"]), table
    if "rows" in names:  # the DuckDB snippet's reader of both layouts
        expected = newsclean.duckdb_views(compacted_output)
        for table in ("articles", "duplicates"):
            query = "SELECT doc_id, ingest_date FROM {} ORDER BY doc_id"
            got = duckdb_rows(query.format(names["rows"](table)))
            assert got == expected.execute(query.format(table)).fetchall(), table
    capsys.readouterr()


def duckdb_rows(query: str) -> list[tuple]:
    import duckdb

    return duckdb.sql(query).fetchall()
