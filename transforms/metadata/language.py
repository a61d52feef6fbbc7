"""Language of a document's body, as an ISO 639-1 code, with py3langid.

py3langid's model covers 97 languages and classifies a page in well under a millisecond. The
body is the evidence (not `<html lang>`, which templates often leave at "en"); a body shorter
than `min_chars` letters gives no reliable signal and yields None. Non-English documents are
kept: the language is a column, not a filter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MAX_CHARS = 1500  # the first paragraphs decide; the cost grows with the sample (docs/metadata.md)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # the model's load is costly: once per process, and only when a document needs it
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _letters_at_least(text: str, n: int) -> bool:
    """Does `text` hold at least `n` letters (`str.isalpha`)? Stops counting at the n-th: most
    bodies reach it in the first line, so counting never walks a whole sample."""
    if n <= 0:
        return True
    for c in text:
        if c.isalpha():
            n -= 1
            if n == 0:
                return True
    return False


def detect_language(text: str | None, min_chars: int = 40) -> str | None:
    """ISO 639-1 code of `text`, or None when it is too short or too uncertain to tell."""
    if not text:
        return None
    sample = text[:MAX_CHARS]
    if not _letters_at_least(sample, min_chars):
        return None
    lang, prob = _identifier().classify(sample)
    # the model also knows languages without a two-letter code (arz, yue, ...): the column
    # promises ISO 639-1, so those are unknown rather than a code readers cannot join on
    if prob < 0.5 or len(lang) != 2:
        return None
    return str(lang)
