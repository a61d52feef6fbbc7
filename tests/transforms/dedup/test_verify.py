"""Verification of near duplicates that editors touched (issue 19), on inline text.

A copy editor changes scattered words, cuts a paragraph and adds a note; outlets retitle, truncate
and trim. Those copies must join the original's cluster; a story quoting two paragraphs of it and
a different story on the same event must not.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pytest

from tests.transforms.dedup.dedup_texts import article
from transforms.core.config import DedupSettings
from transforms.dedup.clusters import dedup_columns, find_duplicates, near_duplicate

CONFIG = DedupSettings()

ORIGINAL = [
    "Firefighters battled a wildfire through the night on the hills above Carrow Bay, where "
    "strong winds pushed the flames toward scattered farms and a holiday park that was emptied "
    "shortly after midnight, the regional fire service said on Saturday morning.",
    "About 300 people spent the night in a sports hall in the town centre, where volunteers "
    "handed out blankets, hot drinks and food. Most were tourists who had arrived for the long "
    "weekend and left their cars and belongings behind when police knocked on their doors.",
    "The fire started on Friday afternoon near a quarry road and spread across dry grassland "
    "that had not seen rain for six weeks. Investigators have not said what caused it, but "
    "the service had warned last week that the risk of fire was the highest in a decade.",
    "Two helicopters dropped water from the bay at first light while crews from four "
    "neighbouring districts cut firebreaks along the ridge. One firefighter was treated for "
    "heat exhaustion and released, and no other injuries were reported by the hospital.",
    "Residents of the farms along the coast road said the smoke was so thick they could not see "
    "their own barns. Several lost sheep and fences, and one family watched from the harbour "
    "as the fire reached the edge of their orchard before the wind finally turned.",
    "The council said the holiday park would stay closed until engineers had checked its power "
    "lines and water supply, and asked visitors not to travel to the area this weekend. Roads "
    "into the hills remain closed and the ferry is running an extra evening service.",
    "The mayor thanked the crews and the volunteers and said the town would review its "
    "evacuation plans, which had been written for floods rather than fires. A public meeting "
    "is planned for Tuesday evening at the sports hall where people sheltered overnight.",
]
# A different story on the same event: the same names and places, one quoted sentence shared.
SAME_EVENT = [
    "Tourism operators around Carrow Bay are counting the cost of a weekend that should have "
    "been their busiest of the summer, after a wildfire in the hills forced the holiday park "
    "to close and the council told visitors to stay away.",
    "Hotel owners said cancellations began within hours of the first pictures of smoke over the "
    "bay appearing online, and that bookings for the rest of the month had also fallen. Two "
    "restaurants on the harbour closed early because staff could not reach them from the hills.",
    "The fire started on Friday afternoon near a quarry road and spread across dry grassland "
    "that had not seen rain for six weeks.",
    "The ferry company said it had carried more passengers leaving than arriving for the first "
    "time since it began the route, and a coach firm said it had sent empty buses home. Shop "
    "owners in the town centre asked the council for help with rents while trade is so weak.",
    "The regional tourism board said it would fund a campaign to bring visitors back once the "
    "roads reopen and urged people to book again for the autumn, when the walking festival is "
    "due to take place in the hills above the bay.",
]
NOTE = "Editor's note: This story has been updated with the number of people evacuated."
SWAPS = ["reportedly", "nearly", "local", "several", "officials", "major", "overnight"]


def edit_words(paras: list[str], every: int) -> list[str]:
    """Replace one word in `every` (scattered, deterministic): a copy editor's touch."""
    out, n = [], 0
    for p in paras:
        words = p.split()
        for j in range(len(words)):
            n += 1
            if n % every == 0:
                words[j] = SWAPS[n % len(SWAPS)]
        out.append(" ".join(words))
    return out


def copy_edit(paras: list[str], every: int = 25, cut: int = 3) -> list[str]:
    """4% of words replaced (one in 25), paragraph `cut` removed, the editor's note added."""
    kept = [p for i, p in enumerate(paras) if i != cut]
    return [*edit_words(kept, every), NOTE]


def truncate(paras: list[str], share: float) -> list[str]:
    words, target, out = 0, share * sum(len(p.split()) for p in paras), []
    for p in paras:
        if words >= target:
            break
        out.append(p)
        words += len(p.split())
    return out


def body(paras: list[str]) -> str:
    return "\n\n".join(paras)


def clustered(a: str, b: str, settings: DedupSettings = CONFIG) -> bool:
    rows = (
        dedup_columns([a, b], settings)
        .append_column("doc_id", pa.array(["a", "b"]))
        .append_column("word_count", pa.array([len(a.split()), len(b.split())], pa.int32()))
        .append_column("published_at", pa.nulls(2, pa.timestamp("us", tz="UTC")))
    )
    result = find_duplicates(rows, None, settings)
    return len(set(result.cluster_id.to_pylist())) == 1


COPIES = {
    "copy_edited": copy_edit(ORIGINAL),
    "copy_edited_5_percent": copy_edit(ORIGINAL, every=20, cut=1),
    "copy_edited_and_retitled": ["Night of flames above Carrow Bay", *copy_edit(ORIGINAL)],
    "copy_edited_and_truncated": copy_edit(truncate(ORIGINAL, 0.6), cut=1),
    "copy_edited_and_trimmed": copy_edit(ORIGINAL[1:-1], cut=2),
    "truncated_half": truncate(ORIGINAL, 0.5),
    "trimmed": ORIGINAL[1:-1],
    "truncated_and_trimmed": truncate(ORIGINAL, 0.75)[1:],
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_edited_copies_join_the_original(name: str) -> None:
    assert clustered(body(ORIGINAL), body(COPIES[name]))


def test_five_word_shingles_missed_the_copy_edited_copy() -> None:
    """The reason for 4-shingles: with the former settings the same copy is not found."""
    former = dataclasses.replace(
        CONFIG, shingle_size=5, near_containment=0.85, containment_min_share=0.2
    )
    assert not clustered(body(ORIGINAL), body(copy_edit(ORIGINAL)), former)
    assert clustered(body(ORIGINAL), body(copy_edit(ORIGINAL)))


OTHER = article(3, paragraphs=8).split("\n\n")
NEGATIVES = {
    "quotes_two_paragraphs": [*OTHER[:4], *ORIGINAL[1:3], *OTHER[4:]],
    "same_event_other_story": SAME_EVENT,
    "same_event_other_story_edited": copy_edit(SAME_EVENT, cut=0),
    "unrelated": OTHER,
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_other_stories_stay_apart(name: str) -> None:
    assert not clustered(body(ORIGINAL), body(NEGATIVES[name]))


@pytest.mark.parametrize(
    ("jac", "contain", "share", "near"),
    [
        (0.85, 0.90, 0.90, True),  # Jaccard alone
        (0.55, 0.80, 0.60, True),  # copy-edited: most of it inside the original
        (0.35, 0.72, 0.37, True),  # copy-edited and truncated to half
        (0.25, 0.85, 0.20, False),  # a short story quoted whole inside a long one: covers little
        (0.20, 0.41, 0.35, False),  # same chrome, different story
        (0.05, 0.26, 0.06, False),  # same event, different story
        (0.40, 0.59, 0.60, False),  # just below the containment bar
        (0.30, 0.75, 0.24, False),  # just below the share bar
    ],
)
def test_near_duplicate_rule(jac: float, contain: float, share: float, near: bool) -> None:
    got = near_duplicate(np.array([jac]), np.array([contain]), np.array([share]), CONFIG)
    assert got.tolist() == [near]
