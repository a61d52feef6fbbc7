"""Photo credits: find and split them off caption text.

Credits follow a handful of printed forms, shared by publishers everywhere:
"(Name/AP)", "(AP Photo/Name, File)", "Name/Getty Images", "Photo: Name", "Credit: ...",
"Photograph: ...", "Image: ...", "(Reuters)", "Courtesy of ...". The agency list holds wire
services and stock libraries (generic), never a particular site's photographers.
"""

from __future__ import annotations

import re

from transforms.core.record import Caption

AGENCIES = (
    r"AP|AFP|Reuters|Getty(?:\s+Images)?|EPA(?:-EFE)?|EFE|Shutterstock|iStock(?:photo)?|Alamy"
    r"|Bloomberg|Xinhua|Sipa(?:\s+USA)?|PA(?:\s+(?:Images|Wire|Media))?|ANSA|DPA|Zuma(?:\s+Press)?"
    r"|ZUMA(?:\s+Wire)?|Pool|NurPhoto|SOPA\s+Images|Unsplash|Pexels|Pixabay|Wikimedia(?:\s+Commons)?"
    r"|AAP|Anadolu(?:\s+Agency)?|Kyodo|Yonhap|TASS|UPI|Imagn|USA\s+TODAY\s+Sports|Corbis"
    r"|Handout|Courtesy|File|Stock|NASA|Polaris|Redux|Invision|WireImage|FilmMagic|Contributor"
)
_KEYWORD = (
    r"(?:Photo(?:graph)?s?|Image|Picture|Illustration|Credit|Photo\s+credit|Image\s+credit"
    r"|Photo\s+illustration|Foto)"
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|del|la|le|bin|al))*"
# "Name/Agency": a person (two capitalised words at least) or any name before a known agency;
# a bare "Israel/Gaza" is not a credit.
_PERSON = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|del|la|le|bin|al))+"
_SLASH = rf"(?:{_PERSON}\s*/\s*{_NAME}|{_NAME}\s*/\s*(?:{AGENCIES})(?:\s+{_NAME})?)(?:\s+via\s+{_NAME})?(?:,\s*File)?"

# A whole credit, as a string on its own (after it has been cut from a caption). The strong
# forms say "credit" by themselves (a keyword, an agency); the weak ones ("Jane Doe/The Post",
# "Jane Doe for The Times") have the shape of many headings and list items ("Tips for New
# Runners", "Safety Lockout/Tagout Kit"), so on a body line they need a caption beside them.
_STRONG = rf"""
        {_KEYWORD}\s*:\s*[^()\[\]|•·\s][^()\[\]|•·]{{0,100}}                      # Photo: Name / Credit: ...
      | (?:Photo|Image|Picture)s?\s+(?:by|courtesy\s+of)\s+[^()\[\]]{{1,80}}   # Photo by Name
      | Courtesy(?:\s+of)?\s+[^()\[\]]{{1,80}}                  # Courtesy of ...
      | (?:{AGENCIES})(?:\s+Photo)?(?:\s*/\s*[^/()\[\]]{{1,60}})?(?:,\s*File)?   # AP Photo/Name, File
      | {_NAME}\s*/\s*(?:{AGENCIES})(?:\s+{_NAME})?(?:\s+via\s+{_NAME})?(?:,\s*File)?  # Name/AP
"""
_CREDIT_STRONG = re.compile(rf"^(?:{_STRONG})$", re.VERBOSE)
_CREDIT_ALONE = re.compile(
    rf"""^(?:{_STRONG}
      | {_SLASH}                                          # Jane Doe/The Daily Post
      | {_NAME}\s+for\s+(?:The\s+)?{_NAME}                # Name for The Times
    )$""",
    re.VERBOSE,
)
# A trailing parenthesised credit: "(Jane Doe/AP)", "(AP Photo/Jane Doe, File)", "(Reuters)".
_TRAILING_PAREN = re.compile(r"\s*[(\[](?P<credit>[^()\[\]]{2,120})[)\]]\s*\.?\s*$")
# A trailing unbracketed credit after the caption sentence: "... in 2022. Jane Doe/Getty Images"
_TRAILING_KEYWORD = re.compile(
    rf"(?:(?<=[.!?\"”’')])\s+|\s*[|•·–—]\s*|\s+-\s+)(?P<credit>(?:{_KEYWORD}\s*:|(?:Photo|Image|Picture)s?\s+(?:by|courtesy\s+of)\s|Courtesy(?:\s+of)?\s).{{2,100}})$"
)
_TRAILING_SLASH = re.compile(
    rf"(?:(?<=[.!?\"”’')])\s+|\s*[|•·–—]\s*|\s+-\s+|\s+)(?P<credit>{_SLASH})\s*\.?$"
)
# A leading credit: "(AP Photo/Name) Caption ..." or "Photo: Name | Caption ...".
_LEADING_PAREN = re.compile(
    r"^\s*[(\[](?P<credit>[^()\[\]]{2,120})[)\]]\s*[-–—:]?\s*(?P<rest>\S.*)$"
)
_LEADING_KEYWORD = re.compile(
    rf"^(?P<credit>{_KEYWORD}\s*:\s*[^|•·–—]{{2,80}}?)\s*[|•·–—]\s*(?P<rest>\S.*)$"
)


_KEYWORD_MARK = re.compile(r"Photo|Image|Picture|Credit|Courtesy|Illustration|Foto")
# Every credit form holds one of these; a line without any skips the heavier patterns below.
# `[/(\[:|•·]|Photo|...|\bfor\b|AGENCIES` as one regex is tried alternative by alternative at
# every position (its character class and word boundary keep the regex engine from skipping
# positions by their first character); searched as three parts, each is a fast scan, and the
# text holds a match of the alternation iff it holds a match of one of the parts.
_HINT_MARKS = re.compile(r"[/(\[:|•·]")
_HINT_WORDS = re.compile(rf"Photo|Image|Picture|Credit|Courtesy|Illustration|Foto|{AGENCIES}")
_HINT_FOR = re.compile(r"\bfor\b")


def _has_hint(t: str) -> bool:
    return (
        _HINT_MARKS.search(t) is not None
        or _HINT_WORDS.search(t) is not None
        or ("for" in t and _HINT_FOR.search(t) is not None)
    )


def is_credit(text: str, weak: bool = True) -> bool:
    """Is `text`, on its own, a photo credit ("Photo: Jane Doe", "Jane Doe/AP", "(Reuters)")?

    With `weak=False` only the forms that name themselves a credit count (a keyword or an
    agency), not "Jane Doe/The Post" or "Jane Doe for The Times".
    """
    t = text.strip().strip("()[]").strip()
    if not t or len(t) > 130 or not _has_hint(t):
        return False
    return bool((_CREDIT_ALONE if weak else _CREDIT_STRONG).match(t))


_SPACES = re.compile(r"\s+")
# a tab/newline/exotic space; with none, a run of whitespace is a run of spaces ("  "): the two
# tests together say what `\s\s|[^\S ]` says, without trying both alternatives at each position
_ODD_SPACE = re.compile(r"[^\S ]")
# Credits stand at the edges of a caption: a trailing one is searched for in the last characters
# only (a credit and its separator are far shorter than this).
_EDGE = 240


def _clean(text: str) -> str:
    # most lines are already single-spaced: skip the rewrite
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    return text.strip(" |•·–—-")


def _same(a: str, b: str) -> bool:
    return re.sub(r"\W+", "", a).casefold() == re.sub(r"\W+", "", b).casefold()


def split_credit(text: str) -> Caption:
    """Split a leading or trailing photo credit off a caption.

    Returns Caption(text=caption without the credit, credit=the credit or None). A text that is
    nothing but a credit gives Caption(text="", credit=...). The credit keeps its own words
    ("AP Photo/Jane Doe, File") without brackets.
    """
    t = _clean(text)
    if not t:
        return Caption(text="", credit=None)
    if is_credit(t):
        return Caption(text="", credit=t.strip("()[]").strip())
    tail = max(0, len(t) - _EDGE)  # a trailing credit starts within the last _EDGE characters
    # each trailing form needs its own mark near the end: try only the forms that can match
    end = t[tail:]
    forms = []
    if t.rstrip(" .")[-1:] in ")]":
        forms.append(_TRAILING_PAREN)
    if _KEYWORD_MARK.search(end):
        forms.append(_TRAILING_KEYWORD)
    if "/" in end:
        forms.append(_TRAILING_SLASH)
    for pattern in forms:
        m = pattern.search(t, tail)
        if m and is_credit(m.group("credit")):
            caption = _clean(t[: m.start()])
            if caption:
                credit = _clean(m.group("credit")).strip("()[]")
                # scrapers often print the credit twice ("... (Jo Roe/AP) Jo Roe/AP"): the
                # copy left on the caption goes too, whatever its brackets
                inner = split_credit(caption)
                if inner.text and inner.credit and _same(inner.credit, credit):
                    caption = inner.text
                return Caption(text=caption, credit=credit)
    for pattern in (_LEADING_PAREN, _LEADING_KEYWORD):
        m = pattern.match(t)  # anchored: fails at the first character on most lines
        if m and is_credit(m.group("credit")):
            return Caption(text=_clean(m.group("rest")), credit=_clean(m.group("credit")))
    return Caption(text=t, credit=None)
