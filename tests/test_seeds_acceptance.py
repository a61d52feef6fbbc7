"""Acceptance: the users' five seed files through the whole flow (issue 2, item 7).

The seeds are one story told by five outlets; each must come out as a clean article and none
may be taken for a duplicate of another. Expectations are computed from the files at test time
(no seed text is copied into the project), except the chrome phrases named by the issue itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.conftest import SEEDS, requires_seeds

pytestmark = [pytest.mark.slow, pytest.mark.shared, requires_seeds]

CHROME = re.compile(
    r"^(search|close this search box\.?|read more:?|related content|leave a reply|popular posts"
    r"|one response|\d+ (responses|comments)|get notifications.*|you're subscribed)$"
    r"|click here",
    re.IGNORECASE,
)
CREDIT = re.compile(r"\((AP Photo/[^)]*|[^()]*/AP)\)\s*$")


@pytest.fixture(scope="module")
def seeds_out(prefect_harness, tmp_path_factory):
    from flows.clean_articles import clean_articles

    output = tmp_path_factory.mktemp("seeds-out")
    manifest = clean_articles(input_dir=str(SEEDS), output_dir=str(output), show_progress=False)
    table = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table()
    rows = {Path(r["source_path"]).name[:3]: r for r in table.to_pylist()}
    raw = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    return manifest, rows, raw


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\u00a0", " ").splitlines() if line.strip()]


def test_five_articles_none_duplicate(seeds_out):
    manifest, rows, _ = seeds_out
    acc = manifest["accounting"]
    assert (acc["articles"], acc["duplicates"], acc["quarantined"]) == (5, 0, 0)
    assert sorted(rows) == ["000", "001", "002", "003", "004"]


def test_titles(seeds_out):
    _, rows, raw = seeds_out
    assert rows["000"]["title"] is None  # its first line is a lede, not a headline
    for key in ("001", "002", "003"):
        assert rows[key]["title"] == _lines(raw[key])[0]
    # 004 starts with site chrome; its headline is the first line after it
    assert rows["004"]["title"] in _lines(raw["004"])[:4]
    assert not CHROME.search(rows["004"]["title"])
    assert rows["002"]["subtitle"] == _lines(raw["002"])[1]
    for row in rows.values():
        if row["title"]:
            assert row["title"] not in row["body"]


def test_captions_taken_out_with_credits(seeds_out):
    _, rows, raw = seeds_out
    captions = rows["002"]["captions"]
    caption_lines = {line for line in _lines(raw["002"]) if CREDIT.search(line)}
    assert len(captions) == len(caption_lines) == 3
    for cap in captions:
        assert cap["credit"] and cap["text"]
        assert cap["text"][:40] not in rows["002"]["body"]
    for row in rows.values():
        assert not any(CREDIT.search(p) for p in row["body"].split("\n\n"))


def test_bodies_are_clean(seeds_out):
    _, rows, _ = seeds_out
    for key, row in rows.items():
        paragraphs = row["body"].split("\n\n")
        assert len(paragraphs) == len(set(paragraphs)), f"{key}: a paragraph repeats"
        assert "\u00a0" not in row["body"]
        for p in paragraphs:
            assert not CHROME.search(p.strip()), f"{key}: chrome left: {p[:60]!r}"
            # a scraper splice repeats a 40-character stretch inside one paragraph
            for i in range(0, max(len(p) - 80, 0), 10):
                assert p.find(p[i : i + 40], i + 40) == -1, f"{key}: repeated stretch in {p[:60]!r}"
