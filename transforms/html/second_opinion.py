"""A second extractor's body, asked only where the first body looks wrong, and the choice.

Where trafilatura fails, another extractor often does not: an article split over several
containers (trafilatura keeps the first), a related-stories list taken for the body, a page
whose body is a small share of its text. readability-lxml scores the page's containers by
their prose, not by trafilatura's tag rules, so its failures are different ones.

It costs several times trafilatura's fast path, so it runs only on a cheap signal
(`looks_wrong`): the body is a small share of the page's text, or mostly short lines. The
choice (`prefer_second`) compares *prose words*: words in paragraphs that read as sentences
(`PROSE_MIN_WORDS` words or more, ending like a sentence), the part of a body that menus, link
lists and teasers do not have. The second body wins when it holds clearly more of them
(`gain`) and its words are not mostly page link labels.
On an article page the failure is another one: trafilatura keeps one container of an article
split over several (a body *cut short*). There resiliparse's body, when it holds the first one
and clearly more, is taken if readability's also finds clearly more (`cut_short`): a single
extractor finding more is as often taking comments or related stories in (measured:
docs/quality.md), two that agree rarely are.
The thresholds are in `HtmlSettings` (`second_opinion_*`); `docs/quality.md` has how they
were chosen and what they give.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from transforms.core.words import count_words
from transforms.html.extract import _containment as containment_of

PROSE_MIN_WORDS = 15
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")


def prose_words(text: str) -> int:
    """Words of `text` in paragraphs (lines) that read as sentences of some length."""
    total = 0
    for line in text.split("\n"):
        line = line.strip()
        if line and _SENTENCE_END.search(line):
            n = len(line.split())
            if n >= PROSE_MIN_WORDS:
                total += n
    return total


def short_line_share(text: str) -> float:
    """Share of the body's non-empty lines shorter than `PROSE_MIN_WORDS` words."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return 1.0
    return sum(1 for line in lines if len(line.split()) < PROSE_MIN_WORDS) / len(lines)


def looks_wrong(text: str, page_chars: int, max_share: float, short_share: float) -> bool:
    """Cheap signal that the body may not be the article: it is under `max_share` of the
    page's text, or `short_share` or more of its lines are short."""
    if not text.strip():
        return True
    return len(text) < max_share * page_chars or short_line_share(text) >= short_share


def readability_body(html: str) -> str:
    """readability-lxml's main content of `html` as plain text, one block a line ("" when it
    finds none or fails on the markup)."""
    import lxml.html
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
        if not summary.strip():
            return ""
        root = lxml.html.fromstring(summary)
    except Exception:  # readability raises on markup it cannot score: no second opinion
        return ""
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "td", "blockquote"):
        if any(a.tag in ("p", "li", "pre", "td", "blockquote") for a in el.iterancestors()):
            continue
        text = " ".join(el.text_content().split())
        if text:
            blocks.append(text)
    return "\n".join(blocks)


def resiliparse_body(html: str) -> str:
    """resiliparse's main content of `html` as plain text, one block a line ("" on failure).

    A DOM-rule extractor in C, far cheaper than readability (docs/quality.md): cheap enough to
    ask on every article page whose body is a small share of the page."""
    from resiliparse.extract.html2text import extract_plain_text

    try:
        return extract_plain_text(html, main_content=True, preserve_formatting=True)
    except Exception:  # resiliparse refuses some markup: no second opinion
        return ""


def link_share(text: str, links: str) -> float:
    """Share of `text`'s words that are words of the page's link text (`links`, lower-cased)."""
    words = _WORD.findall(text.lower())
    if not words:
        return 1.0
    linked = set(_WORD.findall(links))
    return sum(1 for w in words if w in linked) / len(words)


def prefer_second(first: str, second: str, gain: float, links: str, max_link_share: float) -> bool:
    """Take the second body: clearly more prose words, and not mostly link labels."""
    ours, theirs = prose_words(first), prose_words(second)
    if theirs <= gain * ours or theirs == 0:
        return False
    return link_share(second, links) <= max_link_share


def cut_short(
    first: str,
    wider: str,
    vote: Callable[[], str],
    gain: float,
    containment: float,
    vote_gain: float,
) -> bool:
    """Is `first` an article cut short that `wider` holds whole? `wider` has more than `gain` x
    its words and `containment` of them, and `vote()` (a third extractor, asked only once the
    first two tests passed) more than `vote_gain` x its words."""
    n = max(count_words(first), 1)
    if count_words(wider) <= gain * n or containment_of(first, wider) < containment:
        return False
    return count_words(vote()) > vote_gain * n
