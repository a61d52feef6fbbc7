"""Signatures, band keys and body hashes (transforms.dedup.minhash)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from tests.transforms.dedup.dedup_texts import article, join, paras
from transforms.core.config import DedupSettings
from transforms.core.schema import DEDUP_COLUMNS_SCHEMA
from transforms.dedup.minhash import (
    EMPTY_SLOT,
    band_keys,
    dedup_columns,
    matrix,
    shingles,
    tokenize,
)

CONFIG = DedupSettings()
BODY = article(1)


def _sig(bodies: list[str], config: DedupSettings = CONFIG) -> np.ndarray:
    return matrix(dedup_columns(bodies, config).column("minhash"), config.num_perm, np.uint32)


@pytest.mark.parametrize(
    "variant",
    [
        BODY.upper(),
        BODY.replace("\n\n", "\n"),
        BODY.replace(" ", "   "),
        BODY.replace(".", " ,"),
        "  " + BODY.replace(". ", "! ") + "\n",
    ],
)
def test_body_hash_ignores_case_whitespace_and_punctuation(variant: str) -> None:
    table = dedup_columns([BODY, variant], CONFIG)
    assert table["body_hash"][0] == table["body_hash"][1]


@pytest.mark.parametrize("variant", [BODY.replace("council", "cabinet", 1), BODY + " Extra."])
def test_body_hash_changes_with_the_words(variant: str) -> None:
    table = dedup_columns([BODY, variant], CONFIG)
    assert table["body_hash"][0] != table["body_hash"][1]


def test_columns_follow_the_schema_and_widths() -> None:
    table = dedup_columns([BODY, article(2)], CONFIG)
    assert table.schema.equals(DEDUP_COLUMNS_SCHEMA, check_metadata=False)
    assert [len(x) for x in table["minhash"].to_pylist()] == [CONFIG.num_perm] * 2
    assert [len(x) for x in table["band_keys"].to_pylist()] == [CONFIG.bands] * 2


def test_signature_does_not_depend_on_the_batch() -> None:
    # a document signed alone, or among others, or in another run, gets the same signature:
    # the dedup index relies on it
    alone = _sig([BODY])[0]
    batch = _sig([article(5), "", "short text", BODY, article(6)])[3]
    assert np.array_equal(alone, batch)


def test_signature_depends_on_the_seed() -> None:
    other = DedupSettings(seed=2)
    assert not np.array_equal(_sig([BODY])[0], _sig([BODY], other)[0])


def _true_jaccard(a: str, b: str, k: int = 5) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        w = text.lower().replace(".", " ").split()
        return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb)


@pytest.mark.parametrize("keep", [2, 4, 6, 8])
def test_estimated_jaccard_tracks_the_true_jaccard(keep: int) -> None:
    other = join(paras(BODY)[:keep] + paras(article(9))[keep:])
    sig = _sig([BODY, other])
    estimate = float(np.mean(sig[0] == sig[1]))
    assert abs(estimate - _true_jaccard(BODY, other)) < 0.12


def test_short_and_empty_bodies() -> None:
    table = dedup_columns(["", None, "two words", BODY], CONFIG)
    sig = matrix(table["minhash"], CONFIG.num_perm, np.uint32)
    assert table["shingle_count"].to_pylist()[:3] == [0, 0, 1]
    assert (sig[0] == EMPTY_SLOT).all() and (sig[1] == EMPTY_SLOT).all()
    assert (sig[2] != EMPTY_SLOT).any()


def test_shingles_stay_inside_each_document() -> None:
    token_hash, offsets = tokenize(["a b c d e f", "g h", "i j k l m"])
    x, sh_offsets = shingles(token_hash, offsets, 5)
    assert np.diff(sh_offsets).tolist() == [2, 1, 1]
    # the window "e f g h i" across documents must not exist: recompute each doc alone
    alone = [shingles(*tokenize([t]), 5)[0] for t in ["a b c d e f", "g h", "i j k l m"]]
    assert np.array_equal(x, np.concatenate(alone))


def test_band_keys_mix_the_band_number() -> None:
    sig = np.full((1, 8), 7, dtype=np.uint32)  # every band has the same rows
    keys = band_keys(sig, bands=4, rows=2)
    assert len(set(keys[0].tolist())) == 4


def test_band_keys_need_enough_permutations() -> None:
    with pytest.raises(ValueError):
        band_keys(np.zeros((1, 8), np.uint32), bands=5, rows=2)


def test_token_hashes_are_equal_for_equal_words_only() -> None:
    from transforms.dedup.minhash import _hash_strings

    words = pa.array(["x", "hello", "été", "hello", "y" * 100, "y" * 100 + "z", "xy", "yx"])
    h = _hash_strings(words)
    assert h[1] == h[3]
    assert len(set(h.tolist())) == 7
    assert np.array_equal(_hash_strings(words.slice(1, 3)), h[1:4])  # offsets of a slice


# Values computed once and fixed forever: signatures are joined across runs, so a faster
# implementation must reproduce them bit for bit. The second body (20,000 words) is one
# document longer than a MinHash block; num_perm=40 leaves a short last permutation block.
PINNED_BODIES = [
    "The ferry runs twice a day from June, the operator said on Friday.",
    " ".join(f"w{i % 9000}" for i in range(20000)),
    "Été à Paris",
]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            DedupSettings(),
            [
                (
                    "f84bf3beebd502511aae6e4d57b88de9",
                    [143649748, 647567457],
                    [145942463],
                    [-3552925974515166075, 6928393135068000789],
                    10,
                ),
                (
                    "7ee411f38d4689af196e7a889755e113",
                    [229736, 1551364],
                    [77320],
                    [-4921634312891297168, -5177739791797450901],
                    19997,
                ),
                (
                    "a42591ab7e4c092ba68647b3d48d34ee",
                    [3602092557, 2182243117],
                    [3321951218],
                    [1082156782007114401, 248702378030517263],
                    1,
                ),
            ],
        ),
        (
            DedupSettings(num_perm=40, bands=20, rows=2, seed=7),
            [
                (
                    "f84bf3beebd502511aae6e4d57b88de9",
                    [18013184, 638334584],
                    [422623448],
                    [-5480584073753689248, -1933371449000337054],
                    10,
                ),
                (
                    "7ee411f38d4689af196e7a889755e113",
                    [5296, 133210],
                    [480496],
                    [6189930923607353077, -1762081117959185111],
                    19997,
                ),
                (
                    "a42591ab7e4c092ba68647b3d48d34ee",
                    [2911557951, 2436579797],
                    [3392985720],
                    [-36647291560534202, -8431346518351841604],
                    1,
                ),
            ],
        ),
    ],
)
def test_signatures_are_pinned(settings, expected) -> None:
    table = dedup_columns(PINNED_BODIES, settings)
    for i, (body_hash, first, last, keys, count) in enumerate(expected):
        minhash = table["minhash"][i].as_py()
        assert table["body_hash"][i].as_py() == body_hash
        assert minhash[:2] == first and minhash[-1:] == last
        assert table["band_keys"][i].as_py()[:2] == keys
        assert table["shingle_count"][i].as_py() == count


def test_token_hashes_are_pinned() -> None:
    from transforms.dedup.minhash import _hash_strings

    h = _hash_strings(pa.array(["x", "hello", "été", "y" * 100]))
    assert h.tolist() == [
        2368109120461308726,
        1184228927507247044,
        6282125620651382617,
        11367621635214963944,
    ]
