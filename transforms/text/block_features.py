"""What the block filter sees of one line of a body: its shape, its place, its neighbours.

The features need no knowledge of any site: the line's length, its punctuation, its share of
function words (a sentence has them, a label or a menu has few), digits and capitals, whether it
is a list item, code, CJK text or a line of a list form (`transforms.text.forms`), where it
stands in the body (share of lines and of words before it), how like its neighbours and the
page's title it is, and how often it recurs in the body. The page type and the content kind
(HTML extraction or a plain-text dump) are features too, and on an HTML page whether the line
is the label of one of the page's off-page links, or how many of its words are: a short line means something else in a
product page's spec list than in a news article.

`block_features` returns one row a line in the order of `FEATURES`, the names the trained model
(`transforms.text.block_model`) keeps beside its trees.
"""

from __future__ import annotations

import math
import re

from transforms.core.words import count_words, has_unspaced_letters
from transforms.text.forms import line_form, looks_like_code

# The most frequent function words of the languages most pages are in: a line of prose holds
# several, a navigation label or a teaser title few.
STOP_WORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been has have
    had it its this that these those he she they we you i his her their our not no so if than
    then there which who what when will would can could should about into over after before
    der die das und oder ist sind war ein eine einen nicht mit von zu den dem des auf für im
    le la les et ou est sont un une des du de dans pour par sur pas que qui au aux ce
    el los las y es son una del en por para con que se lo al
    il lo gli e di da che per non sono un una nel della
    o os as um uma do da dos das em para com não que
    het een en van is zijn niet met op voor dat""".split()  # noqa: SIM905 (a list of words)
)

PAGE_TYPES = ("article", "service", "product", "collection", "forum", "listing", "documentation")

FEATURES: tuple[str, ...] = (
    "words",
    "log_chars",
    "is_first",
    "is_last",
    "line_share_before",
    "word_share_before",
    "lines_in_body",
    "log_body_words",
    "ends_sentence",
    "ends_colon",
    "stop_share",
    "digit_share",
    "upper_initial_share",
    "punct_share",
    "bullet",
    "code",
    "cjk",
    "form",
    "pipe_or_arrow",
    "link_marks",
    "title_overlap",
    "in_title",
    "prev_sim",
    "next_sim",
    "prev_words",
    "next_words",
    "repeats",
    "words_vs_median",
    "html",
    "in_link",
    "link_word_share",
    "window_words",
    "window_stop_share",
    "window_link_share",
    "window_ends_sentence",
    "prose_before",
    "prose_after",
    "body_sim",
    "lead_sim",
    *(f"type_{t}" for t in PAGE_TYPES),
)

_WORD = re.compile(r"\w+")
_SENTENCE_END_CHARS = frozenset('.!?。！？"”’)…')
_BULLET = re.compile(r"^\s*(?:[-•*·▪►]|\d{1,3}[.)])\s")
_PIPE_OR_ARROW = re.compile(r"[|»›→←«‹]")
_LINK_MARKS = re.compile(r"https?:|www\.|@|©|\.com\b", re.I)
_PUNCT = re.compile(r"[^\w\s]")
_DIGIT = re.compile(r"\d")
_FORM_CHARS = (":", "|", "-", "–", "—")  # a form other than a month-led date needs one


def _has_form(line: str, digits: bool) -> bool:
    """`line_form(line) is not None`, told without its patterns for a line with no digit and
    none of the characters the other forms need (most prose): only a month name can start it."""
    if digits or any(c in line for c in _FORM_CHARS):
        return line_form(line) is not None
    return line_form(line, only="date") is not None


def _link_marks(line: str) -> bool:
    """A URL, an address or a copyright sign (tested by hand first: most lines have none)."""
    low = line.lower()
    if "@" in line or "©" in line or "http" in low or "www." in low or ".com" in low:
        return bool(_LINK_MARKS.search(line))
    return False


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def block_features(
    lines: list[str], title: str | None, page_type: str, html: bool, links: str | None = None
) -> list[list[float]]:
    """One feature row a line (see `FEATURES`), in the order of `lines`; `links` is the text
    of the page's off-page links, lower-cased (None for a plain-text document: -1 features)."""
    n = len(lines)
    link_norm = " ".join(links.split()) if links else ""
    link_words = set(_WORD.findall(link_norm))
    toks = [_WORD.findall(line.lower()) for line in lines]
    words = [count_words(line) for line in lines]
    total = sum(words) or 1
    sets = [set(t) for t in toks]
    title_words = _WORD.findall((title or "").lower())
    title_set, title_key = set(title_words), " ".join(title_words)
    keys = [" ".join(t) for t in toks]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    content = [[x for x in tk if x not in STOP_WORDS and len(x) > 2] for tk in toks]
    distinct = [set(c) for c in content]
    bag: dict[str, int] = {}
    for c in distinct:
        for x in c:
            bag[x] = bag.get(x, 0) + 1
    prose_lines = [i for i in range(n) if words[i] >= 15][:3]
    lead = {x for i in prose_lines for x in content[i]}
    ordered = sorted(words)
    median = max(ordered[n // 2], 1) if n else 1
    types = [1.0 if page_type == t else 0.0 for t in PAGE_TYPES]
    rows: list[list[float]] = []
    before = 0
    for i, line in enumerate(lines):
        t, w, s = toks[i], words[i], sets[i]
        chars = len(line)
        nt = len(t) or 1
        alpha = [x for x in line.split() if x[:1].isalpha()]
        bullet = _BULLET.match(line)
        digits = len(_DIGIT.findall(line))
        if links is None:
            in_link, link_share = -1.0, -1.0
        else:
            label = " ".join((line[bullet.end() :] if bullet else line).lower().split())
            in_link = float(bool(label) and label in link_norm)
            plain = [x for x in t if x not in STOP_WORDS]
            link_share = sum(map(link_words.__contains__, plain)) / (len(plain) or 1)
        rows.append(
            [
                float(w),
                math.log1p(chars),
                float(i == 0),
                float(i == n - 1),
                i / n,
                before / total,
                float(n),
                math.log1p(total),
                float(line.rstrip()[-1:] in _SENTENCE_END_CHARS),
                float(line.rstrip().endswith(":")),
                sum(map(STOP_WORDS.__contains__, t)) / nt,
                digits / (chars or 1),
                sum([x[0].isupper() for x in alpha]) / (len(alpha) or 1),
                len(_PUNCT.findall(line)) / (chars or 1),
                float(bullet is not None),
                float(looks_like_code(line)),
                float(has_unspaced_letters(line)),
                float(_has_form(line, digits > 0)),
                float(bool(_PIPE_OR_ARROW.search(line))),
                float(_link_marks(line)),
                len(s & title_set) / (len(s) or 1),
                float(bool(keys[i]) and keys[i] in title_key),
                _jaccard(s, sets[i - 1]) if i else 0.0,
                _jaccard(s, sets[i + 1]) if i + 1 < n else 0.0,
                float(words[i - 1]) if i else -1.0,
                float(words[i + 1]) if i + 1 < n else -1.0,
                float(counts[keys[i]] - 1),
                w / median,
                float(html),
                in_link,
                link_share,
                _body_sim(distinct[i], bag),
                len(distinct[i] & lead) / (len(distinct[i]) or 1) if i not in prose_lines else -1.0,
                *types,
            ]
        )
        before += w
    return _with_context(rows)


_W = FEATURES.index("words")
_STOP = FEATURES.index("stop_share")
_LINK = FEATURES.index("link_word_share")
_END = FEATURES.index("ends_sentence")
_CONTEXT = 2  # lines each side
PROSE_WORDS = 15  # a line of prose: this many words and a sentence end


def _body_sim(distinct: set[str], bag: dict[str, int]) -> float:
    """Share of the line's content words that other lines of the body use too (a junk line is
    off the body's topic: its words occur nowhere else)."""
    if not distinct:
        return 0.0
    return sum([bag[x] > 1 for x in distinct]) / len(distinct)


def _with_context(rows: list[list[float]]) -> list[list[float]]:
    """Insert the context features: means over the lines around each (itself excluded), and
    the words of prose before and after it in the body (shares of the body's prose)."""
    n = len(rows)
    prose = [r[_W] if r[_W] >= PROSE_WORDS and r[_END] else 0.0 for r in rows]
    total = sum(prose) or 1.0
    out = []
    seen = 0.0
    at = FEATURES.index("window_words")
    columns = [[r[c] for r in rows] for c in (_W, _STOP, _LINK, _END)]
    for i, r in enumerate(rows):
        lo, hi = max(0, i - _CONTEXT), min(n, i + _CONTEXT + 1)
        k = (hi - lo - 1) or 1
        context = [
            *(sum(col[lo:i] + col[i + 1 : hi]) / k for col in columns),
            seen / total,
            (total - seen - prose[i]) / total,
        ]
        seen += prose[i]
        out.append(r[:at] + context + r[at:])
    return out
