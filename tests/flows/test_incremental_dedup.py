"""Issue 5: running day 1, then day 2, gives the same clusters as one run over both days."""

from __future__ import annotations

import shutil

import pyarrow.dataset as ds
import pytest

from tests.flows.corpus import STORIES, page

pytestmark = pytest.mark.slow


def _write_day(root, day: int) -> None:
    s = STORIES
    if day == 1:
        (root / "a-bridge.html").write_text(page("Old bridge to close", s["bridge"], "River Post"))
        (root / "a-ferry.html").write_text(page("Second ferry", s["ferry"], "Isle News"))
    else:
        # an exact copy of a day-1 story, a trimmed copy of another, a new story and its copy
        (root / "b-bridge.html").write_text(
            page("County shuts bridge", s["bridge"], "Valley Wire", nav="Start Local")
        )
        (root / "b-ferry-trim.html").write_text(page("Ferry", s["ferry"][:3], "Coast Daily"))
        (root / "b-orchard.html").write_text(page("Frost", s["orchard"], "Farm Weekly"))
        (root / "b-orchard-copy.html").write_text(page("Cold snap", s["orchard"], "Agri Wire"))
        (root / "b-library.html").write_text(page("Late hours", s["library"], "City Paper"))


def _clusters(output) -> set[frozenset[str]]:
    """Clusters as sets of source paths: the canonical article with its duplicates."""
    path_of = {}
    groups: dict[str, set[str]] = {}
    articles = ds.dataset(output / "articles", partitioning="hive").to_table().to_pylist()
    for row in articles:
        path_of[row["doc_id"]] = row["source_path"]
        groups[row["doc_id"]] = {row["source_path"]}
    if (output / "duplicates").exists():
        for row in ds.dataset(output / "duplicates", partitioning="hive").to_table().to_pylist():
            groups[row["duplicate_of"]].add(row["source_path"])
    return {frozenset(g) for g in groups.values()}


def test_two_days_equal_one_run(prefect_harness, tmp_path):
    from flows.clean_articles import clean_articles

    daily_in, daily_out = tmp_path / "daily-in", tmp_path / "daily-out"
    daily_in.mkdir()
    _write_day(daily_in, 1)
    clean_articles(input_dir=str(daily_in), output_dir=str(daily_out), show_progress=False)
    _write_day(daily_in, 2)
    day2 = clean_articles(input_dir=str(daily_in), output_dir=str(daily_out), show_progress=False)
    assert day2["inputs"]["files_skipped_already_processed"] == 2

    once_in, once_out = tmp_path / "once-in", tmp_path / "once-out"
    shutil.copytree(daily_in, once_in)
    clean_articles(input_dir=str(once_in), output_dir=str(once_out), show_progress=False)

    expected = {
        frozenset({"a-bridge.html", "b-bridge.html"}),
        frozenset({"a-ferry.html", "b-ferry-trim.html"}),
        frozenset({"b-orchard.html", "b-orchard-copy.html"}),
        frozenset({"b-library.html"}),
    }
    assert _clusters(once_out) == expected
    assert _clusters(daily_out) == expected
    # the day-1 articles stay the published canonicals
    kept = {r["source_path"] for r in ds.dataset(daily_out / "articles").to_table().to_pylist()}
    assert {"a-bridge.html", "a-ferry.html"} <= kept
