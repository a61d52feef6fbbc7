"""The form of one line: a list item of some kind (date-led, key: value, score, ...) or code.

A bullet ("- ", trafilatura's list item) is no form here: an extracted list of links (related
stories, references) has bullets too, and the text no longer says what the items link to.

Used by the rules that tell an article's own lists and code from page chrome
(`transforms.clean.structure`, and the edge-line filter of `transforms.html.extract`): a run of
lines of one form is a list the article wrote; a menu or a teaser list has no common form.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
)
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("table", re.compile(r"^\s*\|.*\|\s*$")),
    (
        "date",
        re.compile(rf"^\s*(?:(?:{_MONTH})\s+\d|\d{{1,4}}[./-]\d{{1,2}}\b|(?:19|20)\d\d\b)", re.I),
    ),
    ("score", re.compile(r"\b\d{1,3}\s?[-–:]\s?\d{1,3}\b")),
    # a short key of at most three words ("Part number: ...", not "A Headline: Its Subtitle")
    ("key_value", re.compile(r"^\s*[^\s:\"“]+(?:\ [^\s:]+){0,2}:\s+\S")),
    ("dash", re.compile(r"\S\s+[-–—|]\s+\S")),
)
# code: ends with an opening/closing bracket or a semicolon, starts with a closing one, an
# assignment, a call followed by nothing or a bracket, an arrow, a comment marker before code
_CODE = re.compile(
    r"""[{};\[(]\s*$ | ^\s*[}\])] | ^\s*(?:\#|//|/\*|--)\s*\S.*[=(){};] | =>|->|::|==|!=|&&|\|\|
      | ^\s*[\w.$]+(?:\[[^\]]*\])?\s*[-+*/]?=\s*\S | ^\s*(?:[\w.$]+\.)?\w+\([^()]*\)\s*[;{]?\s*$
      | ^\s*</?[a-z][\w-]*(?:\s[^>]*)?>""",
    re.X,
)


# a character reference ("&amp;", "&#8217;", an unexpanded "&name;") ends in a semicolon that
# is no statement's end: a line of such references is markup left over, not code
_CHAR_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][\w.-]*);", re.I)
# a trailing comment after code ("f(x);  // run first"): the code is what comes before it (a
# URL's "//" has no space before it)
_TRAILING_COMMENT = re.compile(r"\s(?://|#)\s.*$")


# every alternative of `_CODE` holds one of these: a line without any is no code (most prose),
# told in one scan instead of the alternatives' many
_CODE_CHARS = re.compile(r"[{};\[\]()=<>&|]|::")


def looks_like_code(line: str) -> bool:
    """A line that parses as code (see the module docstring), not prose or a label."""
    if not _CODE_CHARS.search(line):
        return False
    if "&" in line:
        line = _CHAR_REFERENCE.sub(" ", line)
    if _CODE.search(line):
        return True
    code = _TRAILING_COMMENT.sub("", line)
    return code != line and bool(_CODE.search(code))


def line_form(line: str, only: str | None = None) -> str | None:
    """The list form of a line ("date", "key_value", ...), or None; `only`: test that form
    alone."""
    for name, pattern in _FORMS:
        if (only is None or name == only) and pattern.search(line):
            return name
    return None
