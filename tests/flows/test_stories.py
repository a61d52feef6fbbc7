"""Issue 19: two stories published by earlier runs, linked by a later document, read as one.

Run 1 publishes story A, run 2 story B (different enough not to cluster with A), run 3 a wire
copy holding most of A and most of B. The README's reading snippets then give the members of A
and B one story id; no published file is rewritten and nothing is published twice; a run over
the same input again adds nothing; the five seeds (one event, five different articles) stay
five stories.
"""

from __future__ import annotations

import pyarrow.dataset as ds
import pytest

from tests.conftest import SEEDS, requires_seeds
from tests.flows.corpus import page
from tests.readme_snippets import missing_reader, python_snippets, run_snippet
from tests.transforms.dedup.dedup_texts import article, paras

pytestmark = pytest.mark.slow

A = paras(article(70, paragraphs=10))
B = paras(article(71, paragraphs=10))


def _files(output) -> dict[str, float]:
    """Every published data file with its modification time (to see none is rewritten)."""
    return {
        str(p.relative_to(output)): p.stat().st_mtime_ns
        for p in output.rglob("*.parquet")
        if not p.relative_to(output).parts[0].startswith("_")
    }


def _story_snippets() -> list[str]:
    return [code for code in python_snippets() if "story_links" in code]


@pytest.fixture(scope="module")
def three_runs(prefect_harness, tmp_path_factory):
    from flows.clean_articles import clean_articles

    root = tmp_path_factory.mktemp("stories")
    inp, out = root / "in", root / "out"
    inp.mkdir()

    def run():
        return clean_articles(input_dir=str(inp), output_dir=str(out), show_progress=False)

    (inp / "1-a.html").write_text(page("Council plan", A, "River Post"))
    (inp / "1-a-copy.html").write_text(page("Plan for the council", A[1:], "Valley Wire"))
    m1 = run()
    (inp / "2-b.html").write_text(page("Storm damage", B, "Isle News"))
    m2 = run()
    before = _files(out)
    (inp / "3-bridge.html").write_text(page("Council and storm", A[:8] + B[2:], "Agri Wire"))
    m3 = run()
    after = _files(out)
    m4 = run()  # nothing new
    return out, (m1, m2, m3, m4), before, after


def test_two_stories_then_one(three_runs):
    out, (m1, m2, m3, _), before, after = three_runs
    assert (m1["accounting"]["articles"], m1["accounting"]["duplicates"]) == (1, 1)
    assert (m2["accounting"]["articles"], m2["accounting"]["duplicates"]) == (1, 0)
    assert m2["stories"]["stories_merged"] == 0  # B is its own story
    assert (m3["accounting"]["articles"], m3["accounting"]["duplicates"]) == (0, 1)
    assert m3["stories"] == {
        "new_stories": 0,
        "stories_merged": 1,
        "link_rows": {"linked_by_new_document": 1, "followed_merged_story": 0},
    }
    # the link is rows added: every earlier file is still there, unchanged
    assert all(after.get(name) == mtime for name, mtime in before.items())
    articles = ds.dataset(out / "articles", partitioning="hive").to_table().to_pylist()
    by_path = {r["source_path"]: r for r in articles}
    assert sorted(by_path) == ["1-a.html", "2-b.html"]  # both stay published, once
    [link] = ds.dataset(out / "story_links", partitioning="hive").to_table().to_pylist()
    # A was published first: it survives
    assert link["story_id"] == by_path["2-b.html"]["story_id"]
    assert link["merged_into"] == by_path["1-a.html"]["story_id"]
    dups = ds.dataset(out / "duplicates", partitioning="hive").to_table().to_pylist()
    bridge = next(d for d in dups if d["source_path"] == "3-bridge.html")
    assert link["via_doc_id"] == bridge["doc_id"] and link["reason"] == "linked_by_new_document"
    assert bridge["story_id"] == link["merged_into"]


@pytest.mark.parametrize("index", range(len(_story_snippets())))
def test_readme_snippets_see_one_story(three_runs, index, capsys):
    out = three_runs[0]
    code = _story_snippets()[index]
    missing = missing_reader(code)
    if missing:
        pytest.skip(f"{missing} is not installed (pip install -e '.[dev]' installs it)")
    names = run_snippet(code, out)
    capsys.readouterr()
    stories = names["stories"]  # each snippet ends with the members and their current story
    rows = stories.to_dicts() if hasattr(stories, "to_dicts") else None
    if rows is None:
        frame = stories.df() if hasattr(stories, "df") else stories
        rows = frame.to_dict("records")
    assert len(rows) == 4  # A, its copy, B, the bridge: two articles and two duplicates
    assert len({r["story"] for r in rows}) == 1


def test_a_run_with_nothing_new_adds_nothing(three_runs):
    out, (*_, m4), _, after = three_runs
    assert m4["accounting"]["documents_in"] == 0
    assert m4["stories"]["stories_merged"] == 0
    assert {n: t for n, t in _files(out).items()} == after


@requires_seeds
def test_the_five_seeds_stay_five_stories_across_runs(prefect_harness, tmp_path):
    """One event told by five outlets: five stories, also when they arrive over two runs."""
    import shutil

    from flows.clean_articles import clean_articles

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    manifests = []
    for batch in (seeds[:3], seeds[3:]):
        for path in batch:
            shutil.copy(path, inp / path.name)
        manifests.append(
            clean_articles(input_dir=str(inp), output_dir=str(out), show_progress=False)
        )
    assert [m["stories"]["new_stories"] for m in manifests] == [3, 2]
    assert all(m["stories"]["stories_merged"] == 0 for m in manifests)
    articles = ds.dataset(out / "articles", partitioning="hive").to_table()
    assert articles.num_rows == 5
    assert len(set(articles.column("story_id").to_pylist())) == 5
    assert ds.dataset(out / "story_links", partitioning="hive").to_table().num_rows == 0
