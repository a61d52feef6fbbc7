"""Every bad-input case of issue 6 in one folder, through discover + `clean_shard` (no Prefect).

Each bad case ends in quarantine with a stable (stage, reason); the good articles beside them
come out exactly as they do alone; a gzip bomb does not inflate memory; nothing raises.
Run with `-s` to see the case -> reason table.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.hostile import ARTICLES, write_hostile_corpus
from tests.shards import run_shard
from transforms.core.config import PipelineConfig
from transforms.read.files import discover
from transforms.run.stage_outputs import discover_quarantine

REPO = Path(__file__).resolve().parents[1]
BOUND = 16 << 20  # max_decompressed_bytes for these tests; the bomb inflates to 256 MB
CONFIG = PipelineConfig().with_settings({"read.max_decompressed_bytes": BOUND})
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# case -> [(source_record, stage, reason)]; reason None means "published as an article"
EXPECTED: dict[str, list[tuple[int | None, str | None, str | None]]] = {
    "empty file": [(None, "read", "empty_file")],
    "whitespace-only file": [(None, "read", "empty_file")],
    "binary data under .txt": [(None, "read", "binary_content")],
    "binary data under .html": [(None, "read", "binary_content")],
    "truncated gzip": [(None, "read", "truncated_gzip")],
    "gzip bomb": [(None, "read", "decompressed_too_large")],
    "HTML nested 300,000 deep": [(None, "parse_html", "html_too_deep")],
    # the entities are never expanded: the page is left with one literal word, "&lol9;"
    "entity expansion (billion laughs)": [(None, "quality_gate", "too_short")],
    # repairable: stray bytes read as cp1252 beside real UTF-8, the article is kept
    "invalid UTF-8": [(None, None, None)],
    # repairable: the bytes are valid UTF-8 whatever the meta says, the article is kept
    "wrong declared charset": [(None, None, None)],
    "page with only scripts": [(None, "parse_html", "no_text_in_html")],
    "page with no body": [(None, "parse_html", "no_text_in_html")],
    "JSONL with malformed lines and records without content": [
        (1, None, None),
        (2, "read", "malformed_jsonl"),
        (3, "read", "record_without_content"),
        (4, "read", "malformed_jsonl"),
        (5, "read", "empty_record"),
    ],
    "truncated WARC record": [(0, None, None), (1, "read", "truncated_warc_record")],
    "symlink loop": [(None, "discover", "symlink_loop")],
    "symlink to its own folder": [(None, "discover", "symlink_loop")],
    "file name with spaces and non-ASCII": [(None, None, None)],
    "good harbour": [(None, None, None)],
    "good choir": [(None, None, None)],
    "good bakery": [(None, None, None)],
}


def _run(root: Path, output: Path, only: set[str] | None = None):
    files, drops, ignored = discover(root, CONFIG.read)
    if only is not None:
        files = [f for f in files if f.path in only]
        drops = []
    result = run_shard(str(root), files, str(output), "r1", "00000", NOW, CONFIG)
    shards = output / "_staging" / "r1" / "shards"
    articles = pq.read_table(shards / "articles-00000.parquet").to_pylist()
    quarantine = pq.read_table(shards / "quarantine-00000.parquet").to_pylist()
    quarantine += discover_quarantine(drops, "r1", NOW).to_pylist()
    duplicates = pq.read_table(shards / "duplicates-00000.parquet").to_pylist()
    return result, articles, quarantine, duplicates, ignored


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    cases = write_hostile_corpus(root)
    result, articles, quarantine, duplicates, ignored = _run(root, tmp_path_factory.mktemp("out"))
    outcome: dict[str, list[tuple]] = {}
    for row in articles:
        outcome.setdefault(row["source_path"], []).append((row["source_record"], None, None))
    for row in quarantine:
        outcome.setdefault(row["source_path"], []).append(
            (row["source_record"], row["stage"], row["reason"])
        )
    got = {case: sorted(outcome.get(path, []), key=str) for case, path in cases.items()}
    print("\ncase -> (record, stage, reason, detail)")
    details = {(r["source_path"], r["source_record"]): r["detail"] for r in quarantine}
    for case, path in cases.items():
        for record, stage, reason in got[case]:
            shown = f"{stage}/{reason}" if reason else "article"
            print(f"  {case:55} {record!s:5} {shown:32} {details.get((path, record)) or ''}")
    return root, cases, got, result, articles, quarantine, duplicates, ignored


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_case_ends_with_its_reason(hostile, case):
    _, _, got, *_ = hostile
    assert got[case] == sorted(EXPECTED[case], key=str)


def test_every_case_is_listed_and_every_document_accounted(hostile):
    _, cases, _, result, articles, quarantine, duplicates, ignored = hostile
    assert set(cases) == set(EXPECTED)
    assert ignored == []
    assert duplicates == []
    # one row per input document, no document in two tables
    where = [(r["source_path"], r["source_record"]) for r in articles + quarantine]
    assert len(where) == len(set(where)) == sum(len(v) for v in EXPECTED.values())
    assert result.documents == len(articles) + len(quarantine) - 2  # 2 discover-stage rows
    # a step or reader that raised would show up as "<step>_error" / "reader_error"
    assert not [r for r in quarantine if r["reason"].endswith("_error")]
    for row in quarantine:
        assert row["detail"], row  # every rejection explained


def test_good_articles_are_unaffected_by_their_neighbours(hostile, tmp_path):
    """The good files give the same rows among hostile neighbours as alone, bodies intact."""
    root, cases, _, _, articles, *_ = hostile
    good = {p for c, p in cases.items() if c.startswith("good ") or "non-ASCII" in c}
    _, alone, quarantine, _, _ = _run(root, tmp_path, good)
    assert quarantine == []
    fields = ("title", "body", "authors", "published_at", "language", "word_count", "captions")

    def rows(table):
        return {r["source_path"]: {k: r[k] for k in fields} for r in table}

    among = {p: r for p, r in rows(articles).items() if p in good}
    assert among == rows(alone)
    for key, (title, paragraphs) in ARTICLES.items():
        row = among[f"good/{key}.html"]
        assert row["title"] == title
        assert row["body"] == "\n\n".join(paragraphs)


def test_repaired_inputs_keep_their_text(hostile):
    articles = hostile[4]
    by_path = {r["source_path"]: r for r in articles}
    assert "twenty\u2011six café singers" in by_path["charset.html"]["body"]
    body = by_path["badutf8.txt"]["body"]
    assert "northern Zürich harbour" in body and "\ufffd" not in body


def test_bomb_and_deep_markup_do_not_inflate_memory(tmp_path):
    """In a fresh process: clean the good articles first (models load), then the hostile files.

    The hostile files are measured with tracemalloc (Python allocations: the decompressed bytes
    of a bomb are Python bytes) and ru_maxrss (lxml's C memory for the deep page): the 256 MB
    bomb may cost at most a few times the 16 MB bound, and the high-water mark set by normal
    articles must not move by more than that.
    """
    script = textwrap.dedent(
        f"""
        import json, resource, sys, tracemalloc
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from tests.test_hostile_input import CONFIG, NOW
        from tests.hostile import write_hostile_corpus
        from transforms.read.files import discover
        from tests.shards import run_shard

        root = Path({str(tmp_path)!r}) / "in"
        write_hostile_corpus(root)
        files, _, _ = discover(root, CONFIG.read)
        good = [f for f in files if f.path.startswith("good/")]
        rest = [f for f in files if not f.path.startswith("good/")]
        rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        out = str(Path({str(tmp_path)!r}) / "out")
        run_shard(str(root), good, out, "warm", "0", NOW, CONFIG, validate=False)
        warm = rss()
        tracemalloc.start()
        run_shard(str(root), rest, out, "hostile", "0", NOW, CONFIG, validate=False)
        peak = tracemalloc.get_traced_memory()[1]
        print(json.dumps({{"warm": warm, "after": rss(), "traced_peak": peak}}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rss = json.loads(proc.stdout.strip().splitlines()[-1])
    grew = rss["after"] - rss["warm"]
    peak = rss["traced_peak"]
    print(
        f"\nmaxrss after the good articles {rss['warm'] >> 20} MB, +{grew >> 20} MB for the"
        f" hostile files; their traced Python peak {peak >> 20} MB (bound {BOUND >> 20} MB)"
    )
    assert peak < 3 * BOUND
    assert grew < 3 * BOUND
