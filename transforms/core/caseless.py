"""Does a text contain one of a few literal words, in any letter case? Fast on ASCII text.

The HTML steps test the class and id of most elements of every page against short word lists
("author|byline|...", "caption|credit|figcap"). A case-insensitive regex search cannot use the
regex engine's literal-prefix scan and costs ~3x a lower-casing plus a case-sensitive search,
so `CaselessWords.found` answers ASCII text that way and keeps the regex for the rest.

Why both give the same answer on ASCII text: under `re.IGNORECASE` a lower-case ASCII letter
matches itself, its upper-case form and, for "i", "s" and "k" only, the non-ASCII letters
U+0130, U+0131, U+017F and U+212A. Text without non-ASCII characters can match only through
the first two, and `str.lower` maps exactly those to the letter, one character for one, so a
word occurs case-insensitively at a position of the text iff it occurs in the lowered text at
that position. Text with any non-ASCII character (where `str.lower` also maps U+0130 to two
characters) takes the case-insensitive regex itself.
"""

from __future__ import annotations

import re


class CaselessWords:
    """`re.search("w1|w2|...", text, re.IGNORECASE) is not None` for literal words."""

    __slots__ = ("_lowered", "_regex", "words")

    def __init__(self, *words: str) -> None:
        if not words or not all(w and w.isascii() and w == w.lower() for w in words):
            raise ValueError("CaselessWords needs lower-case ASCII words")
        self.words = words
        alternation = "|".join(map(re.escape, words))
        self._lowered = re.compile(alternation)  # case-sensitive: the text is lowered first
        self._regex = re.compile(alternation, re.IGNORECASE)

    def found(self, text: str) -> bool:
        """Does `text` contain one of the words, in any letter case?"""
        if text.isascii():
            return self._lowered.search(text.lower()) is not None
        return self._regex.search(text) is not None
