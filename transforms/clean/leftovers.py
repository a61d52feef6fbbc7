"""Leftover repair: what the articles suite's warning expectations look for, removed first.

The `articles` suite (expectations/articles.json) flags a published article that still holds a
boilerplate prompt, a photo credit, a caption printed in the body or an over-long credit. Those
findings are quality issues of real articles, not reasons to lose them, so this step repairs
them before validation and the flag stays the rare exception. The patterns live here, once:
the suite names them (`{"$PATTERNS": "boilerplate"}`) and `expectations.suites` fills them in,
so the cleaner and the check cannot drift apart.

The patterns are written for both Python's `re` and RE2 (pandas runs the suite's regexes with
pyarrow over the whole column): no \\b, \\w, \\d, \\s or $; explicit classes and \\Z instead.

How much goes, for a match (the smallest unit that is clearly not article text):
- the whole line, when the line is short (`leftover_line_max_words`): a newsletter prompt, a
  cookie banner, a credit line ("Credit: ...", "Jane Doe/Getty Images");
- else the sentence holding the match, when that sentence is short: "Follow us on Instagram
  for more." at the end of a long closing paragraph;
- else only the matched words ("(Jane Doe/AP)" inside a long sentence).
Each removal is noted (`boilerplate_removed`, `photo_credit_removed`). A caption whose text is
still a body paragraph leaves the body (`caption_removed_from_body`), and a credit longer than
`caption_credit_max_chars` is cut at a separator when its first part is a credit
(`caption_credit_trimmed`).
"""

from __future__ import annotations

import re

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Drop
from transforms.core.steps import Step
from transforms.core.words import count_words

_NAME = "[A-Z][A-Za-zÀ-ÖØ-öø-ÿ.'’-]*"
PHOTO_CREDIT_PATTERNS: tuple[str, ...] = (
    rf"\((?:{_NAME}\.? ){{1,4}}{_NAME}/ ?(?:[A-Z]{{2,}}(?:[^A-Za-z()\n][^()\n]{{0,60}})?"
    r"|The [A-Z][^()\n]{0,60})\)",
    r"(?:^|[^A-Za-z])(?:AP|AFP|EPA|Reuters|Xinhua|Kyodo|Yonhap) (?:Photo|Images?)/",
    r"[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'’-]+ ?/ ?(?:Getty Images|AFP|AP|EPA|Reuters|Shutterstock|Alamy"
    r"|Bloomberg|Sipa|ZUMA|Xinhua|Pool)(?:[^A-Za-z]|\Z)",
    r"(?:^|[^A-Za-z])(?:via|for) Getty Images",
    r"(?m)^ *(?:Photos?|Photograph|Images?|Pictures?)(?: credit)? ?: ?[^ \t\n]",
    r"(?m)^ *(?:Photo|Image|Picture) (?:by|courtesy of) [A-Z]",
    r"(?m)^ *Credits? ?: ?[^ \t\n]",
)

# Ambiguous prompts (click here, leave a comment, read more) count only as lines of their own:
# inside running prose they are often content.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"(?im)^ *click here(?:[^a-z]|\Z)",
    r"(?i)(?:^|[^a-z])(?:sign up|subscribe) (?:for|to) (?:our|the|my) [^.\n]{0,40}newsletters?"
    r"(?:[^a-z]|\Z)",
    r"(?im)^ *leave a (?:reply|comment) *[.!:]? *(?:\n|\Z)",
    r"(?i)(?:^|[^a-z])(?:download|get) our (?:free )?app(?:[^a-z]|\Z)",
    r"(?i)(?:^|[^a-z])follow us on (?:facebook|twitter|instagram|linkedin|tiktok|youtube|x)"
    r"(?:[^a-z]|\Z)",
    r"(?i)(?:^|[^a-z])all rights reserved(?:[^a-z]|\Z)",
    r"(?i)(?:^|[^a-z])(?:we|this (?:site|website)) uses? cookies(?:[^a-z]|\Z)",
    r"(?im)^ *(?:popular|related|recommended|trending|most read)(?: (?:posts|stories|articles"
    r"|news))? *:? *(?:\n|\Z)",
    r"(?im)^ *(?:read more|continue reading) *(?:[:»›→…>]|\.\.\.|\n|\Z)",
    r"(?im)^ *(?:see also|related(?: stories| articles| coverage| content)?) *:[^\n]{0,120}"
    r"(?:\n|\Z)",
    r"(?im)^ *advertisement *(?:\n|\Z)",
    r"(?im)^ *(?:[0-9]+ )?comments? *(?:\([0-9]+\))? *:? *(?:\n|\Z)",
)

# Pattern sets by the name a suite uses for them, with the change note of their removal.
PATTERN_SETS: dict[str, tuple[str, ...]] = {
    "photo_credit": PHOTO_CREDIT_PATTERNS,
    "boilerplate": BOILERPLATE_PATTERNS,
}
_NOTES = {"photo_credit": "photo_credit_removed", "boilerplate": "boilerplate_removed"}
_COMPILED = {name: [re.compile(p) for p in pats] for name, pats in PATTERN_SETS.items()}

# The prefilter. Scanning every line with every pattern is costly, and almost no page
# holds a leftover, so each pattern is first tried once on the whole text, and the lines are
# only scanned with the patterns that match it. That is exact because a match in a line is a
# match in the whole text: a line's characters stand in the text unchanged, and the patterns'
# only context-dependent parts hold there too:
# - `^` (no (?m)) starts a line, and occurs only as `(?:^|[^A-Za-z])` / `(?:^|[^a-z])`: in the
#   text, a line other than the first follows a "\n", which that class matches instead;
# - `(?m)^` matches after every "\n", so at every line start of the text;
# - `\Z` ends a line, and occurs only as `(?:[^A-Za-z]|\Z)`, `(?:[^a-z]|\Z)` or `(?:\n|\Z)`:
#   in the text, a line other than the last is followed by a "\n", which the alternative takes;
# - nothing else looks around (no lookbehind, \b or $; see the module docstring).
# A whole-text search of every pattern still costs as much, so before it comes a cheaper hint: a
# few literal strings, one of which is in every match of the pattern (the pattern's fixed words).
# A text holding none of them cannot match. Hints of the case-insensitive set are lower case and
# looked up in `_fold(text)`, the text case-folded the way `re` compares letters. A pattern
# changed above needs its hints checked (tests/transforms/clean/test_leftovers.py: EDGE_CASES).
_HINTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "photo_credit": (
        ("/",),  # "(Jane Doe/AP)"
        ("Photo/", "Image/", "Images/"),
        ("/",),  # "Jane Doe/Getty Images"
        ("Getty Images",),
        ("Photo", "Image", "Picture"),
        ("Photo ", "Image ", "Picture "),
        ("Credit",),
    ),
    "boilerplate": (
        ("click here",),
        ("newsletter",),
        ("leave a reply", "leave a comment"),
        ("our app", "our free app"),
        ("follow us on ",),
        ("all rights reserved",),
        ("use cookies", "uses cookies"),
        ("popular", "related", "recommended", "trending", "most read"),
        ("read more", "continue reading"),
        ("see also", "related"),
        ("advertisement",),
        ("comment",),
    ),
}
_FOLDED = {name: all(p.flags & re.IGNORECASE for p in pats) for name, pats in _COMPILED.items()}


def _fold(text: str) -> str:
    """`text` lower-cased so that an ASCII word `re` finds in it case-insensitively is a substring.

    `str.lower` agrees with `re`'s case-insensitive comparison on every character an ASCII
    letter matches except three: `re` also matches "ı" and "İ" (lower-cased "i̇", two
    characters) to "i", and "ſ" to "s" (a test checks every code point).
    """
    if not text.isascii():
        text = text.replace("İ", "i").replace("ı", "i").replace("ſ", "s")
    return text.lower()


def candidate_patterns(name: str, text: str) -> list[re.Pattern[str]]:
    """The patterns of set `name` that can match a line of `text`, in their order: those whose
    hint is in the text and which match the whole text (see the comment above `_HINTS`)."""
    haystack = _fold(text) if _FOLDED[name] else text
    return [
        pattern
        for pattern, hints in zip(_COMPILED[name], _HINTS[name], strict=True)
        if any(hint in haystack for hint in hints) and pattern.search(text)
    ]


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_CREDIT_SEPARATORS = (" | ", " ; ", "; ", " • ", " — ", " – ")
_MAX_REMOVALS = 32  # per document and pattern set: each removal shortens the text


def caption_key(text: str) -> str:
    """How a caption and a body paragraph are compared (the suite's rule): spacing collapsed,
    lower case."""
    return " ".join(text.split()).lower()


def _first_match(patterns: list[re.Pattern[str]], line: str) -> re.Match[str] | None:
    for pattern in patterns:
        m = pattern.search(line)
        if m:
            return m
    return None


def _cut(line: str, m: re.Match[str], max_words: int) -> str:
    """`line` without the match's line, sentence or words (the smallest clear unit)."""
    if count_words(line) <= max_words:
        return ""
    # where the match's words start: a leading (?:^|[^A-Za-z]) class may have taken the space
    # that ends the sentence before
    at = m.start()
    while at < m.end() - 1 and not line[at].isalnum() and line[at] != "(":
        at += 1
    start = 0
    for end in [e.end() for e in _SENTENCE_END.finditer(line)] + [len(line)]:
        if start <= at < end:
            if count_words(line[start:end]) <= max_words:
                return (line[:start] + line[end:]).strip()
            break
        start = end
    # the matched words themselves, closing the seam ("taken (Jane Doe/AP), and" -> "taken, and")
    left, right = line[:at].rstrip(), line[m.end() :].lstrip()
    glue = "" if not left or not right or right[0] in ",.;:!?)" else " "
    return left + glue + right


_BLANK_INNER_LINE = re.compile(r"\n[^\S\n]+\n")


def _has_no_blank_lines(text: str) -> bool:
    """Whether `remove_leftovers`' tidying (blank lines and empty paragraphs dropped) keeps
    `text` as it is: no line of its paragraphs is empty or whitespace only.

    An empty line of a paragraph (of `text.split("\\n\\n")`) comes from an empty text, one that
    starts or ends with a newline, or three newlines in a row; a line of whitespace only (as
    `str.strip` and the regex's \\s both define it) starts or ends the text or stands between
    two newlines.
    """
    return (
        bool(text)
        and not text[0].isspace()
        and not text[-1].isspace()
        and "\n\n\n" not in text
        and not _BLANK_INNER_LINE.search(text)
    )


def remove_leftovers(text: str, name: str, max_words: int) -> tuple[str, int]:
    """`text` with every match of the pattern set `name` cut out; (text, removals)."""
    removed = 0
    # a line of the text matches none of the other patterns; a line once cut is new text
    candidates = candidate_patterns(name, text)
    if not candidates and _has_no_blank_lines(text):
        return text, 0  # what the loop below returns for it, without splitting it
    paragraphs = text.split("\n\n")
    for i, para in enumerate(paragraphs):
        lines = para.split("\n")
        for j, line in enumerate(lines if candidates else ()):
            patterns = candidates
            while line and removed < _MAX_REMOVALS and (m := _first_match(patterns, line)):
                line = _cut(line, m, max_words)
                removed += 1
                patterns = _COMPILED[name]
            lines[j] = line
        paragraphs[i] = "\n".join(ln for ln in lines if ln.strip())
    return "\n\n".join(p for p in paragraphs if p.strip()), removed


def trim_credit(credit: str, max_chars: int) -> str | None:
    """A credit of at most `max_chars`: the credit itself when short, else its first part
    before a separator ("Photo by Jane Doe | From: ..."); None when no part is short enough."""
    credit = credit.strip()
    if len(credit) <= max_chars:
        return credit
    for sep in _CREDIT_SEPARATORS:
        head = credit.split(sep, 1)[0].strip()
        if head and len(head) <= max_chars:
            return head
    return None


class LeftoversStep(Step):
    """Remove what the suite's warning expectations find: prompts, credits, captions in the
    body; trim over-long credits (see the module docstring)."""

    name = "leftovers"
    section = "clean"
    reads = frozenset({"text", "captions"})
    writes = frozenset({"text", "captions"})

    def __init__(self, config: PipelineConfig | None = None) -> None:
        super().__init__(config)

    def apply(self, doc: Article) -> Drop | None:
        cfg = self.settings
        text = doc.text
        for name, note in _NOTES.items():
            text, n = remove_leftovers(text, name, cfg.leftover_line_max_words)
            doc.note(note, n)
        captions = {caption_key(c.text) for c in doc.captions if c.text.strip()}
        if captions:
            paragraphs = [p for p in text.split("\n\n") if p.strip()]
            kept = [p for p in paragraphs if caption_key(p) not in captions]
            doc.note("caption_removed_from_body", len(paragraphs) - len(kept))
            text = "\n\n".join(kept)
        if text != doc.text:
            doc.text = text
        for caption in doc.captions:
            if caption.credit and len(caption.credit.strip()) > cfg.caption_credit_max_chars:
                trimmed = trim_credit(caption.credit, cfg.caption_credit_max_chars)
                if trimmed is not None:
                    caption.credit = trimmed
                    doc.note("caption_credit_trimmed")
        return None
