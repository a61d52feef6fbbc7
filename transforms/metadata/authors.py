"""Author names from byline strings: split, strip decoration, reject what is not a name.

A byline string ("By Jane Doe and John Roe, Staff Writers | Updated May 3, 2024") becomes a list
of names (["Jane Doe", "John Roe"]). Removed: a leading "By"/"Written by"/"Author:", emails and
URLs, role words ("Staff Writer", "Reporter", "Senior Editor"), credentials ("MD", "Ph.D.",
"RD"), dates and "Updated"/"Published" tails, text after a separator ("|", "•"). Parts that
are contributors of another kind ("Reviewed by", "Photos by", "Edited by") are dropped, not
turned into authors. A part that still does not look like a name (too long, a sentence, mostly
digits) is rejected: these helpers never invent a name, they only trim the one they are given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from transforms.metadata.dates import MONTHS, find_dates, parse_date
from transforms.metadata.name_parts import (
    INITIAL_END,
    SUFFIX,
    cut_role,
    cut_title,
    is_credential,
    is_prose,
    is_role,
    looks_like_name,
    name_end,
    nfc,
    strict_ok,
    strip_roles,
    tidy_case,
)
from transforms.metadata.name_words import COMMON_CREDENTIALS, ROLE_HEADS, ROLE_WORDS, TAIL_STOP

_LEAD = re.compile(
    r"^\s*(?:[A-Za-z]+\s+){0,2}?by(?:[:\s]+|(?=(?-i:[A-Z]))|$)|^\s*(?:authors?|contributors?|writers?|byline|posted)\b\s*[:\-–]?\s*"
    r"|^\s*(?:this|the)\s+(?:post|article|story|piece)\s+(?:was|is)\s+(?:written|authored)\s+by\s+"
    r"|^\s*(?:as\s+)?told\s+to\s+",
    re.IGNORECASE,
)
# contributors who are not the author: drop the clause they introduce
_OTHER_ROLE = re.compile(
    r"\b(?:(?:medically\s+|expert\s+)?reviewed|fact[-\s]?checked|edited|photos?(?:graphs)?|"
    r"illustrations?|illustrated|images?|video|translated|additional reporting|produced|researched|"
    r"tested|contributions?|with\s+contributions)"
    r"\s+(?:by|from)\b.*$|\b(?:last\s+)?(?:(?:updated|published|posted|modified)\b(?!\s+by)"
    r"|(?:updated|modified)\s+by\b).*$"
    r"|editor's note.*$|\b\d+\s*min(?:ute)?s?\s+read\b.*$"
    # "Jane Doe on behalf of the Docs Group": the body the writer speaks for, not a writer
    r"|\bon\s+behalf\s+of\b.*$",
    re.IGNORECASE,
)


def other_roles_removed(text: str) -> str:
    """`text` without the clauses crediting another role ("Reviewed by Jane Doe")."""
    return _OTHER_ROLE.sub("", text)


_CUT = re.compile(r"\s[|•·–—]\s.*$|\s+[|•·]\s*.*$|\(\s*(?:opens|follow|email|twitter)\b.*$", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# "Jane Doe with John Roe": a co-author ("with contributions from" is removed before)
_SPLIT = re.compile(
    r"\s*(?:;|,|\s&\s|\band\b|\bund\b|\bet\b|\by\b|\bwith\b|\s/\s)\s*", re.IGNORECASE
)


_ROLE_OF = re.compile(
    r",\s*(?:[A-Za-z]+\s+)?(?:head|director|chief|manager|editor|professor|president|vp|"
    r"officer|founder|co-founder|ceo|lead|dean|chair)\s+(?:of|at)\b[^,;|]*",
    re.IGNORECASE,
)


def split_authors(raw: str | None, strict: bool = False) -> list[str]:
    """Split one byline string into clean names; [] when it names nobody.

    `strict` is for bylines read from visible page text rather than author fields: every
    word of a name must be capitalised and social-button words ("Share", "Follow") reject it.
    """
    if not raw:
        return []
    return list(_split_authors(raw, strict))  # a new list: callers may change theirs


@lru_cache(maxsize=4096)
def _split_authors(raw: str, strict: bool) -> tuple[str, ...]:
    # a pure function of its arguments, asked again and again: the evidence collector and the
    # author choice split the same byline texts, and a site's bylines repeat across its pages
    # (a large share of the calls repeat one); the cache holds a few thousand short strings
    s = nfc(unescape(raw) if "&" in raw else raw)  # "O&#039;Neil" is one name
    s = _EMAIL.sub(" ", _URL.sub(" ", s))
    s = _OTHER_ROLE.sub("", s)  # before the lead: "Reviewed by X" must not become "X"
    s = _LEAD.sub("", s)
    names = _names_in(_CUT.sub("", s), strict)
    if not names and (m := _CUT.search(s)):
        # "Dec. 19, 2025 · Jane Doe": the first segment named nobody, the next may
        rest = _SEP_LEAD.sub("", m.group(0))
        names = _names_in(_CUT.sub("", _LEAD.sub("", rest)), strict)
    return tuple(names)


_SEP_LEAD = re.compile(r"^\s*[|•·–—]\s*")


def _names_in(s: str, strict: bool) -> list[str]:
    """The names in one byline segment (lead and separators already handled)."""
    # a date glued to the byline ("Jane Doe May 3, 2024") ends it
    d = re.search(
        r"\b(?:on\s+)?(?:\d{1,2}\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}", s
    )
    if d and parse_date(d.group(0)):
        s = s[: d.start()]
    elif any(c.isdigit() for c in s) and (found := find_dates(s, limit=1)):
        # "Jane Doe 4 August 2010", "Jane Doe3/4/2025"
        s = s[: found[0].start]
    # a number ends a byline too ("Jane Doe 3/4/2025 0 Shares", "Jane Doe 5 min read")
    s = re.split(r"\s\d", s, maxsplit=1)[0]
    if is_prose(s):
        # a bio or a sentence: the names in it are not a byline (an author box's bio names
        # the author's town, employer or co-hosts beside the author)
        return []
    s = re.sub(r"\((?:[^)]*)\)", " ", s)  # "(Content Manager)", "(Behavior)"
    names: list[str] = []
    s = _ROLE_OF.sub("", s)  # ", Head of Marketing and Community" up to the next comma
    after_role = False
    for part in _SPLIT.split(s):
        if names and SUFFIX.fullmatch(part.strip(" ,")):
            names[-1] = f"{names[-1]} {part.strip(' ,')}"  # "Sam Peters, Jr."
            continue
        part = _LEAD.sub("", part).strip(" ,:;-–—'\"&")
        if not SUFFIX.search(part) and not INITIAL_END.search(part):
            part = part.rstrip(".")
        part = re.sub(r"^(?:dr|prof|mr|mrs|ms|mx)\.?\s+(?=[A-Z])", "", part, flags=re.I)
        if not part or is_credential(part):
            continue
        first = part.split()[0].lower()
        if (first in ROLE_WORDS or first.rstrip("s") in ROLE_HEADS) and " of " in part:
            after_role = True
            continue  # "Head of Community Development"
        if after_role and " " not in part:
            continue  # "Jane Doe Writer, Hardware": the beat of the role, not a name
        after_role = False
        if is_role(part):
            # "Jane Doe Staff Writer" keeps a two-word name; "Shipping Expert", "CEO of X" go
            part = cut_role(strip_roles(part))
            after_role = True
            if len(part.split()) < 2 or is_role(part) or re.search(r"\b(?:of|at|for)\b", part):
                continue
        else:
            # "Jane Doe Senior Research Executive": a job title glued after a full name
            part = cut_title(part)
        # "Jeffrey A. Slotnick CPP" / "Michael Greger M.D.": trailing credentials
        words = part.split()
        for i, w in enumerate(words):
            nxt = words[i + 1].lower().strip(".,:") if i + 1 < len(words) else ""
            # "Jane Doe on Friday", "Jane Doe on 2025-12-18": a preposition before a date
            prep = w in ("on", "at") and (not nxt or nxt in TAIL_STOP or nxt[:1].isdigit())
            low = w.lower().strip(".,:")
            # a month word ends the byline only before a day ("May 3"): "Laura May Randell"
            # and "Haje Jan Kamps" hold it as a name
            month = low in MONTHS and not (nxt[:1].isdigit() or (not nxt and w.endswith(",")))
            if i > 0 and ((low in TAIL_STOP and not month) or prep):
                words = words[:i]
                break
        half = len(words) // 2
        if len(words) % 2 == 0 and half and words[:half] == words[half:]:
            words = words[:half]  # "Jane Doe Jane Doe": an avatar label beside the name
        if all(is_credential(w) for w in words) and (
            not part.isupper() or all(w.replace(".", "") in COMMON_CREDENTIALS for w in words)
        ):
            continue
        if not part.isupper():
            while len(words) > 1 and is_credential(words[-1]) and not name_end(words):
                words.pop()
        part = " ".join(words)
        if len(words) == 1 and part.lower().strip(".,") in TAIL_STOP:
            continue  # "Sat" of "Sat, 20 Dec, 2025", "Updated" alone
        if looks_like_name(part) and not is_credential(part) and (not strict or strict_ok(part)):
            name = tidy_case(part)
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
    return names
