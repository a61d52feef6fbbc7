"""Candidates, verification, clusters, canonical choice and the cross-run index (transforms.dedup.clusters)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.transforms.dedup.dedup_texts import article, join, paras
from transforms.core.config import DedupSettings
from transforms.core.schema import DEDUP_INDEX_SCHEMA
from transforms.dedup.clusters import bucket_pairs, components, dedup_columns, find_duplicates

CONFIG = DedupSettings()
ORIGINAL = article(100, paragraphs=10)
P = paras(ORIGINAL)
BOILERPLATE = (
    "This story was produced with support from the regional journalism fund. "
    "Sign up for our free newsletter to get the latest local news in your inbox every morning."
)


def table(bodies: list[str], ids: list[str] | None = None, published=None) -> pa.Table:
    """Staged rows as the flow has them: signature columns beside the article columns."""
    ids = ids or [f"d{i}" for i in range(len(bodies))]
    published = published or [None] * len(bodies)
    return (
        dedup_columns(bodies, CONFIG)
        .append_column("doc_id", pa.array(ids, pa.string()))
        .append_column("word_count", pa.array([len(b.split()) for b in bodies], pa.int32()))
        .append_column("published_at", pa.array(published, pa.timestamp("us", tz="UTC")))
    )


def clusters(result, ids: list[str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc, canon in zip(ids, result.cluster_id.to_pylist(), strict=True):
        groups.setdefault(canon, set()).add(doc)
    return {frozenset(g) for g in groups.values()}


def _edit_words(text: str, n: int, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), n):
        words[i] = "reportedly"
    return " ".join(words)


COPIES = {
    "other_chrome_same_body": ORIGINAL.upper().replace("\n\n", "\n"),
    "trimmed": join(P[1:-1]),
    "truncated": join(P[: len(P) // 2]),
    "lightly_edited": _edit_words(ORIGINAL, 6, seed=3),
    "paragraph_added": join([*P[:4], paras(article(7))[0], *P[4:]]),
    "paragraph_dropped": join(P[:3] + P[4:]),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_are_duplicates_of_the_original(name: str) -> None:
    result = find_duplicates(table([ORIGINAL, COPIES[name]]), None, CONFIG)
    dup = result.duplicates.to_pylist()
    # the longer body is canonical: the original, except when the copy added a paragraph
    kept, dropped = ("d1", "d0") if name == "paragraph_added" else ("d0", "d1")
    assert result.keep.tolist() == [kept == "d0", kept == "d1"]
    assert dup[0]["doc_id"] == dropped and dup[0]["duplicate_of"] == kept
    expected_kind = "exact" if name == "other_chrome_same_body" else "near"
    assert dup[0]["kind"] == expected_kind
    assert 0.8 <= dup[0]["similarity"] <= 1.0


NEGATIVES = {
    "same_boilerplate": (
        join([*paras(article(1)), BOILERPLATE]),
        join([*paras(article(2)), BOILERPLATE]),
    ),
    "quotes_two_paragraphs": (
        ORIGINAL,
        join([*paras(article(3))[:3], P[2], P[3], *paras(article(3))[3:]]),
    ),
    "short_piece_quoting_two_paragraphs": (
        ORIGINAL,
        join([*paras(article(4, paragraphs=4)), P[5], P[6]]),
    ),
    "unrelated": (article(5), article(6)),
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_hard_negatives_are_not_merged(name: str) -> None:
    result = find_duplicates(table(list(NEGATIVES[name])), None, CONFIG)
    assert result.duplicates.num_rows == 0
    assert result.keep.tolist() == [True, True]


def test_seed_like_articles_on_one_event_stay_apart() -> None:
    # five outlets, one event: shared quotes (two sentences each) inside different stories
    quote = "We will rebuild every bridge before winter, the minister told reporters at the site."
    bodies = [
        join([*paras(article(20 + i))[:3], quote, *paras(article(20 + i))[3:]]) for i in range(5)
    ]
    result = find_duplicates(table(bodies), None, CONFIG)
    assert result.keep.all()


@pytest.mark.parametrize(
    ("words", "published", "rule", "kept"),
    [
        ((300, 200), (None, None), "kept_longer_body", "d0"),
        ((200, 300), (None, None), "kept_longer_body", "d1"),
        ((300, 300), ("2024-05-02", "2024-05-01"), "kept_earlier_published", "d1"),
        ((300, 300), (None, "2024-05-01"), "kept_earlier_published", "d1"),  # nulls last
        ((300, 300), ("2024-05-01", "2024-05-01"), "kept_smaller_doc_id", "d0"),
        # the earlier copy is the original, even when a later one is longer (a syndicated copy
        # with a footer, an updated repost)
        ((300, 200), ("2024-05-02", "2024-05-01"), "kept_earlier_published", "d1"),
    ],
)
def test_canonical_rule(words, published, rule, kept) -> None:
    body = article(8)
    rows = table([body, body.upper()])
    stamps = [datetime.fromisoformat(p).replace(tzinfo=UTC) if p else None for p in published]
    rows = rows.set_column(
        rows.schema.get_field_index("word_count"), "word_count", pa.array(words, pa.int32())
    )
    rows = rows.set_column(
        rows.schema.get_field_index("published_at"),
        "published_at",
        pa.array(stamps, pa.timestamp("us", tz="UTC")),
    )
    result = find_duplicates(rows, None, CONFIG)
    dup = result.duplicates.to_pylist()[0]
    assert dup["duplicate_of"] == kept and dup["rule"] == rule


def _corpus() -> tuple[list[str], list[str]]:
    """Three stories with copies; story A also has a chain: x5 matches x3, not x0 directly."""
    a, b, c = article(30), article(31), article(32)
    pa_, pb = paras(a), paras(b)
    a_trunc = join(pa_[:4])
    a_trunc_edit = join([*pa_[:4], *paras(article(33))[:2]])  # holds a_trunc, 2/3 inside a
    bodies = [a, join(pb[1:-1]), c, a_trunc, b.lower(), a_trunc_edit, article(34)]
    ids = [f"x{i}" for i in range(len(bodies))]
    return bodies, ids


def _write_index(result, folder: Path, name: str) -> None:
    folder.mkdir(exist_ok=True)
    rows = result.index_rows(result.new.filter(pa.array(result.keep)))
    assert rows.schema.equals(DEDUP_INDEX_SCHEMA, check_metadata=False)
    pq.write_table(rows, folder / f"{name}.parquet")


@pytest.mark.parametrize("split", [1, 3, 4, 6])
def test_two_runs_give_the_clusters_of_one_run(tmp_path: Path, split: int) -> None:
    bodies, ids = _corpus()
    once = clusters(find_duplicates(table(bodies, ids), None, CONFIG), ids)
    expected = [{"x0", "x3", "x5"}, {"x1", "x4"}, {"x2"}, {"x6"}]
    assert once == {frozenset(g) for g in expected}

    index = tmp_path / "dedup_index"
    day1 = find_duplicates(table(bodies[:split], ids[:split]), None, CONFIG)
    _write_index(day1, index, "day1")
    day2 = find_duplicates(table(bodies[split:], ids[split:]), str(index), CONFIG)
    _write_index(day2, index, "day2")

    # clusters over both days: day-1 clusters, extended by what day 2 attached to them
    canon = dict(zip(ids[:split], day1.cluster_id.to_pylist(), strict=True))
    canon.update(zip(ids[split:], day2.cluster_id.to_pylist(), strict=True))
    groups: dict[str, set[str]] = {}
    for doc, c in canon.items():
        groups.setdefault(c, set()).add(doc)
    assert {frozenset(g) for g in groups.values()} == once
    # what day 1 published stays canonical
    published = set(np.array(ids[:split])[day1.keep].tolist())
    for row in day2.duplicates.to_pylist():
        if row["duplicate_of"] in published:
            assert row["rule"] == "kept_previously_published"
    assert not (set(day2.canonical_ids.to_pylist()) & {c for c in canon.values() if c in published})


def test_index_with_other_parameters_is_refused(tmp_path: Path) -> None:
    result = find_duplicates(table([article(40)]), None, CONFIG)
    _write_index(result, tmp_path / "ix", "a")
    other = DedupSettings(seed=9)
    rows = dedup_columns([article(41)], other)
    rows = (
        rows.append_column("doc_id", pa.array(["y"]))
        .append_column("word_count", pa.array([300], pa.int32()))
        .append_column("published_at", pa.nulls(1, pa.timestamp("us", tz="UTC")))
    )
    with pytest.raises(ValueError, match="signature params"):
        find_duplicates(rows, str(tmp_path / "ix"), other)


def test_result_does_not_depend_on_row_order() -> None:
    bodies, ids = _corpus()
    first = find_duplicates(table(bodies, ids), None, CONFIG)
    order = [6, 2, 5, 0, 3, 1, 4]
    second = find_duplicates(
        table([bodies[i] for i in order], [ids[i] for i in order]), None, CONFIG
    )
    assert sorted(first.duplicates.to_pylist(), key=str) == sorted(
        second.duplicates.to_pylist(), key=str
    )


def test_empty_input() -> None:
    result = find_duplicates(table([]), None, CONFIG)
    assert result.duplicates.num_rows == 0 and len(result.keep) == 0
    assert result.index_rows().num_rows == 0


def test_bucket_pairs_small_and_hot_buckets() -> None:
    keys = np.array([5, 5, 5, 9, 1, 1, 1, 1, 1, 1])
    items = np.arange(10)
    u, v = bucket_pairs(keys, items, max_all_pairs=3)
    pairs = {(int(a), int(b)) for a, b in zip(u, v, strict=True)}
    assert {(0, 1), (0, 2), (1, 2)} <= pairs  # small bucket: every pair
    assert not any(3 in p for p in pairs)  # a key nobody shares
    hot = {p for p in pairs if p[0] >= 4}
    assert len(hot) <= 2 * 6  # hot bucket: linear, and still connected
    labels = components(10, u, v)
    assert len(set(labels[4:].tolist())) == 1


def test_components_match_a_reference() -> None:
    rng = np.random.default_rng(0)
    n = 200
    u, v = rng.integers(0, n, 150), rng.integers(0, n, 150)
    labels = components(n, u, v)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in zip(u.tolist(), v.tolist(), strict=True):
        parent[find(a)] = find(b)
    for a in range(n):
        for b in range(a + 1, n, 17):
            assert (labels[a] == labels[b]) == (find(a) == find(b))


SYNDICATED = "https://origin.example/2024/05/bridge"


@pytest.mark.parametrize(
    ("urls", "from_link", "published", "rule", "kept"),
    [
        # d0 is a syndicated copy whose canonical link names d1's own address: d1 is the original,
        # even when d0 ran first or is the smaller id
        (
            (SYNDICATED, SYNDICATED),
            (True, False),
            (None, None),
            "kept_original_by_canonical_link",
            "d1",
        ),
        (
            (SYNDICATED, SYNDICATED),
            (True, False),
            ("2024-05-01", "2024-05-02"),
            "kept_original_by_canonical_link",
            "d1",
        ),
        # both urls from canonical links (pages saved without their address): no evidence
        (
            (SYNDICATED, SYNDICATED),
            (True, True),
            (None, "2024-05-01"),
            "kept_earlier_published",
            "d1",
        ),
        ((SYNDICATED, SYNDICATED), (True, True), (None, None), "kept_smaller_doc_id", "d0"),
        # the link names another page: no evidence about these two
        (
            (SYNDICATED, "https://copy.example/b"),
            (True, False),
            (None, None),
            "kept_smaller_doc_id",
            "d0",
        ),
    ],
)
def test_canonical_link_evidence(urls, from_link, published, rule, kept) -> None:
    body = article(9)
    stamps = [datetime.fromisoformat(p).replace(tzinfo=UTC) if p else None for p in published]
    rows = table([body, body.upper()], published=stamps)
    rows = rows.append_column("url", pa.array(urls, pa.string()))
    rows = rows.append_column("url_from_link", pa.array(from_link, pa.bool_()))
    dup = find_duplicates(rows, None, CONFIG).duplicates.to_pylist()[0]
    assert (dup["duplicate_of"], dup["rule"]) == (kept, rule)
