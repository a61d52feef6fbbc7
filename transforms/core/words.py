"""Word counts for every script: the one function every rule that counts words calls.

Splitting on whitespace counts words in the scripts that separate them with spaces, and
nothing like words in those that do not: a Japanese or Chinese article of two thousand
characters is a handful of "words" to `str.split`, and a gate of fifty words quarantines it.

Here a word is a whitespace-separated token, except that characters of the scripts written
without spaces count on their own:
- Han ideographs, kana (Japanese) and the CJK compatibility forms: one word each, the
  convention of word processors' counts for Chinese and Japanese (a Chinese word is one or two
  characters; a Japanese one two or three with its kana);
- Thai, Lao, Khmer and Myanmar: one word per `SOUTHEAST_ASIAN_CHARS_PER_WORD` characters, as
  their words are several letters long.
CJK punctuation (the ideographic full stop and comma, corner brackets) is a separator. Latin
text mixed in (names, numbers) counts as usual. ASCII text takes the plain `split` path.
"""

from __future__ import annotations

import re

# letters of the scripts without spaces between words (no punctuation: U+3000-303F separate)
_CJK = (
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0002fa1f"  # CJK extensions B-F, compatibility supplement
)
_SOUTHEAST_ASIAN = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
)
SOUTHEAST_ASIAN_CHARS_PER_WORD = 4
_NO_SPACE = re.compile(f"[{_CJK}]|[{_SOUTHEAST_ASIAN}]+")
_CJK_PUNCTUATION = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]")


def count_words(text: str) -> int:
    """Words of `text` in any script (see the module docstring); `len(text.split())` for text
    with no letter of a script written without spaces."""
    if text.isascii():
        return len(text.split())
    found = _NO_SPACE.findall(text)
    if not found:
        return len(text.split())
    units = 0
    for run in found:  # a CJK letter (matched one at a time) or a run of Thai-family letters
        units += 1 if run[0] >= "\u3040" else -(-len(run) // SOUTHEAST_ASIAN_CHARS_PER_WORD)
    rest = _CJK_PUNCTUATION.sub(" ", _NO_SPACE.sub(" ", text))
    return units + len(rest.split())


def has_unspaced_letters(text: str) -> bool:
    """Whether `text` holds a letter of a script written without spaces (CJK, Thai, ...): a
    rule that counts tokens of such text must count them with `count_words`."""
    return not text.isascii() and _NO_SPACE.search(text) is not None
