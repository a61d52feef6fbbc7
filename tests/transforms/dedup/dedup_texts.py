"""Synthetic news-like articles for the dedup tests, written for them (no dev data).

Articles are drawn from a small vocabulary with a seeded generator, so two seeds share words but
(almost) no five-word sequences, like two different stories from one newsroom.
"""

from __future__ import annotations

import random

_TEXT = (
    "the council said on tuesday that its new plan would cut waiting times at the hospital "
    "while residents near the river asked for more buses and safer crossings after a storm "
    "damaged roads bridges and homes across the valley officials warned that repairs could "
    "take months and cost millions as insurers counted claims from farmers shop owners and "
    "schools where classes moved online police opened an inquiry into the contract awarded "
    "last spring to a builder whose director denied any wrongdoing in a brief statement "
    "markets rose slightly as investors weighed fresh data on prices wages and jobs while the "
    "central bank kept rates steady and the minister promised a review of energy bills for "
    "families students and pensioners the coach praised young players after a late goal "
    "sealed victory in front of a record crowd at the stadium scientists reported that the "
    "glacier lost ice faster than expected during a warm summer volunteers cleaned beaches "
    "parks and trails over the weekend and the mayor thanked everyone who took part"
)
_WORDS = _TEXT.split()


def article(seed: int, paragraphs: int = 8, sentences: int = 4) -> str:
    """A deterministic article: `paragraphs` paragraphs separated by a blank line."""
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        sents = []
        for _ in range(sentences):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 18))]
            sents.append(" ".join(words).capitalize() + ".")
        paras.append(" ".join(sents))
    return "\n\n".join(paras)


def paras(text: str) -> list[str]:
    return text.split("\n\n")


def join(parts: list[str]) -> str:
    return "\n\n".join(parts)
