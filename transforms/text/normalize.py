"""Unicode and whitespace normalisation of text, and the `normalize` stage.

`normalize_text` makes a text canonical without changing what it says: mojibake repaired (ftfy),
NFC, exotic spaces made plain, invisible characters and control bytes removed, line endings and
whitespace runs tidied, paragraphs (blank-line separated) kept. It is idempotent:
`normalize_text(normalize_text(s)[0])[0] == normalize_text(s)[0]` (a property test checks it).

Speed matters (it runs on every document, more than once for plain text), so each repair first
checks cheaply whether it has anything to do; ftfy, the expensive one, is only called when the
text contains a character pair typical of UTF-8 read as cp1252/latin-1, or C1 control codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import ftfy

from transforms.core.record import Article, Drop
from transforms.core.steps import Step

# Keep curly quotes, ligatures, full-width forms and HTML entities as they are: they are text,
# not damage. Line breaks and control characters are handled below, with counts.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization="NFC",
    explain=False,
)

# Windows-1252 glyphs for bytes 0x80-0x9F, the second char of most UTF-8-as-cp1252 mojibake.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# A UTF-8 lead byte (C2-F4) read as latin-1/cp1252 (U+00C2-U+00F4), followed by a continuation
# byte so read (U+0080-U+00BF or a cp1252 glyph); or a bare C1 control (cp1252 read as latin-1).
# Matched on the UTF-8 encoding of the text: a bytes pattern starting with a literal byte scans
# about four times faster than the equivalent str pattern.
_MOJIBAKE_HINT = re.compile(
    rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|"
    + b"|".join(re.escape(c.encode()) for c in _CP1252_HIGH)
    + rb")|\xc2[\x80-\x9f]"
)

_SPACES = "\u00a0\u202f\u2007\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f"
# U+200B ZWSP, U+2060 WJ and U+FEFF BOM are never meaningful inside text.
_ZERO_WIDTH = "\u200b\u2060\ufeff"
# ZWNJ/ZWJ carry meaning between letters of Persian, Indic scripts and inside emoji sequences:
# remove a run of them only where a neighbour is ASCII, whitespace or the text's edge.
_JOINER_RE = re.compile(
    "(?<![^\\x00-\\x7f\\s])[\u200c\u200d]+|[\u200c\u200d]+(?![^\\x00-\\x7f\\s])"
)
_SOFT_HYPHEN = "\u00ad"
# C0 except \t and \n (\r is turned into \n first), DEL, C1.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates (from JSON escapes) cannot be encoded as UTF-8: Parquet would reject them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_OR_SURROGATE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ANY_SPECIAL = re.compile(
    f"[\r\x00-\x08\x0b-\x1f\x7f-\x9f{_SPACES}\u200b-\u200d\u2028\u2029\u2060\ufeff\u00ad"
    "\ud800-\udfff]"
)
_ASCII_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_INNER_SPACE_RE = re.compile(r"[ \t]{2,}|\t")
_EDGE_SPACE_RE = re.compile(r"[ \t]+\n[ \t]*|\n[ \t]+")
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")

# A text that still changes after this many passes is returned as is (never seen in practice;
# the fixed-point loop exists because ftfy's repairs can expose further repairs).
_MAX_PASSES = 4


def _replace_each(s: str, chars: str, by: str, reason: str, changes: Counter[str]) -> str:
    for ch in chars:
        if ch in s:
            changes[reason] += s.count(ch)
            s = s.replace(ch, by)
    return s


def _one_pass(s: str, changes: Counter[str]) -> str:
    if s.isascii():  # the common case: only whitespace and ASCII controls can need work
        if _ASCII_SPECIAL.search(s):
            s, n = _CONTROL_RE.subn("", s.replace("\r\n", "\n").replace("\r", "\n"))
            changes["control_chars_removed"] += n
        return _tidy_whitespace(s)
    if _MOJIBAKE_HINT.search(s.encode("utf-8", "surrogatepass")):
        fixed = ftfy.fix_text(s, _FTFY_CONFIG)
        if fixed != s:
            changes["mojibake_repaired"] += 1
            s = fixed
    if _ANY_SPECIAL.search(s):
        # fixed characters: count/replace (C loops) beat regex scans on long texts
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        if "\u2028" in s or "\u2029" in s:
            s = s.replace("\u2028", "\n").replace("\u2029", "\n\n")
        s = _replace_each(s, _SPACES, " ", "nbsp_replaced", changes)
        s = _replace_each(s, _ZERO_WIDTH, "", "zero_width_removed", changes)
        if "\u200c" in s or "\u200d" in s:
            s, n = _JOINER_RE.subn("", s)
            changes["zero_width_removed"] += n
        s = _replace_each(s, _SOFT_HYPHEN, "", "soft_hyphen_removed", changes)
        if _CONTROL_OR_SURROGATE_RE.search(s):
            s, n = _CONTROL_RE.subn("", s)
            changes["control_chars_removed"] += n
            s, n = _SURROGATE_RE.subn("\ufffd", s)
            changes["surrogates_replaced"] += n
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
        changes["unicode_nfc"] += 1
    return _tidy_whitespace(s)


def _tidy_whitespace(s: str) -> str:
    # substring tests are much faster than a regex scan: run each regex only when needed
    if "  " in s or "\t" in s:
        s = _INNER_SPACE_RE.sub(" ", s)
    if " \n" in s or "\n " in s:
        s = _EDGE_SPACE_RE.sub("\n", s)
    if "\n\n\n" in s:
        s = _MANY_NEWLINES_RE.sub("\n\n", s)
    return s.strip(" \t\n")


def normalize_text(s: str) -> tuple[str, Counter[str]]:
    """Normalise `s`; return the text and a Counter of change reason -> count.

    Reasons: mojibake_repaired, nbsp_replaced, zero_width_removed, soft_hyphen_removed,
    control_chars_removed, unicode_nfc. Whitespace tidying (CR/CRLF -> LF, runs of spaces and
    tabs -> one space, spaces at line edges, 3+ newlines -> one blank line) is not counted.
    """
    changes: Counter[str] = Counter()
    for _ in range(_MAX_PASSES):
        out = _one_pass(s, changes)
        if out == s:
            break
        s = out
    return s, +changes


def normalize_line(s: str) -> tuple[str, Counter[str]]:
    """`normalize_text` for one-line fields (title, caption): newlines become spaces."""
    text, changes = normalize_text(s)
    if "\n" in text:
        text = " ".join(text.split())
    return text, changes


class NormalizeStep(Step):
    """Normalise the body, title, subtitle and captions; paragraph breaks are kept."""

    name = "normalize"
    reads = frozenset({"text", "title", "subtitle", "captions"})
    writes = frozenset({"text", "title", "subtitle", "captions"})

    def apply(self, doc: Article) -> Drop | None:
        total: Counter[str] = Counter()
        doc.text, changes = normalize_text(doc.text)
        total.update(changes)
        if doc.title is not None:
            title, changes = normalize_line(doc.title)
            doc.title = title or None
            total.update(changes)
        if doc.subtitle is not None:
            subtitle, changes = normalize_line(doc.subtitle)
            doc.subtitle = subtitle or None
            total.update(changes)
        for caption in doc.captions:
            caption.text, changes = normalize_line(caption.text)
            total.update(changes)
            if caption.credit is not None:
                credit, changes = normalize_line(caption.credit)
                caption.credit = credit or None
                total.update(changes)
        for reason, n in sorted(total.items()):
            doc.note(reason, n)
        return None
