"""Parse publication dates from the forms pages and texts state them.

`parse_date` reads machine formats (ISO 8601 and its common variants, as found in JSON-LD,
meta tags and `<time datetime>`) and human forms ("September 4, 2025", "4 Sep 2025",
"2025/09/04"). It returns a `ParsedDate`: a tz-aware datetime and its precision, "second" when
a machine form gives a time of day and "day" when it gives a date only (midnight UTC). A
machine time without an offset is taken as UTC; a time in prose ("5:00 am PST") is not used,
since its zone is rarely stated in a parseable way: the date alone is kept. Ambiguous numeric dates ("04/05/2025") are rejected: a wrong
date is worse than none. Nothing here guesses a year or a day that the string does not state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

Precision = Literal["day", "second"]

MIN_YEAR = 1990  # older "publication" dates on news pages are almost always noise

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as stated: `value` is tz-aware; `precision` says whether a time was given."""

    value: datetime
    precision: Precision

    @property
    def utc(self) -> datetime:
        return self.value.astimezone(UTC)


_ISO = re.compile(
    r"(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?)?"
)
_YMD_SLASH = re.compile(r"\b(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})\b")
_DMY_NUM = re.compile(r"\b(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4})\b")
_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)


def _mk(y: int, m: int, d: int) -> datetime | None:
    try:
        return datetime(y, m, d, tzinfo=UTC)
    except ValueError:
        return None


def _tz(token: str | None) -> timezone:
    if not token or token.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        raise ValueError(token)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_iso(s: str) -> ParsedDate | None:
    m = _ISO.search(s)
    if not m or (m.start() > 0 and s[m.start() - 1].isdigit()):
        return None
    if m.end() < len(s) and s[m.end()].isdigit():
        return None  # "2022-02-112023-06-08": two values run together, neither stated cleanly
    # 8 packed digits without separators are only a date when nothing else surrounds them
    if "-" not in m.group(0)[:10] and not re.fullmatch(r"\s*\d{8}(?:[T ].*)?", s):
        return None
    day = _mk(int(m["y"]), int(m["m"]), int(m["d"]))
    if day is None:
        return None
    if m["H"] is None:
        return ParsedDate(day, "day")
    try:
        tz = _tz(m["tz"])
        value = datetime(
            day.year, day.month, day.day, int(m["H"]), int(m["M"]), int(m["S"] or 0), tzinfo=tz
        )
    except ValueError:
        return ParsedDate(day, "day")
    return ParsedDate(value, "second")


def parse_date(text: str | None, *, human: bool = True) -> ParsedDate | None:
    """Parse the first date stated in `text`; None when none is stated unambiguously.

    `human=False` accepts only machine forms (ISO and year-first numeric dates).
    """
    if not text:
        return None
    s = text.strip()[:200]
    if not s:
        return None
    got = _parse_iso(s)
    if got is None:
        m = _YMD_SLASH.search(s)
        if m:
            day = _mk(int(m["y"]), int(m["m"]), int(m["d"]))
            got = ParsedDate(day, "day") if day else None
    if got is None and human:
        got = _parse_human(s)
    if got is None or not (MIN_YEAR <= got.value.year <= 2100):
        return None
    return got


def _parse_human(s: str) -> ParsedDate | None:
    best: tuple[int, datetime, int] | None = None  # (position, day, end)
    for rx in (_MDY, _DMY):
        m = rx.search(s)
        if m and (best is None or m.start() < best[0]):
            day = _mk(int(m["y"]), MONTHS[m["mon"].lower().rstrip(".")], int(m["d"]))
            if day:
                best = (m.start(), day, m.end())
    if best is None:
        m = _DMY_NUM.search(s)
        if m:
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:  # day first, unambiguous
                day = _mk(int(m["y"]), b, a)
            elif b > 12 >= a:  # month first, unambiguous
                day = _mk(int(m["y"]), a, b)
            elif a == b:
                day = _mk(int(m["y"]), a, a)
            else:
                return None  # 04/05/2025: April or May? Not stated, so not taken.
            if day:
                best = (m.start(), day, m.end())
    if best is None:
        return None
    # a time written in prose rarely states its zone: the date alone is what is known
    return ParsedDate(best[1], "day")


_LABEL = re.compile(
    r"(?P<label>last\s+updated|updated|modified|revised|published|posted|originally published|"
    r"created|written|on)\s*(?:on|at)?\s*[:\-–]?\s*$",
    re.IGNORECASE,
)
_LABEL_AFTER = re.compile(
    r"[ \t]*[|·•:–-]?[ \t]*(?:date[ \t]+)?(?P<label>last[ \t]+updated|updated|modified|"
    r"published|posted)\b",
    re.IGNORECASE,
)
_ANY_DATE = re.compile(
    rf"(?:{_MDY.pattern})|(?:{_DMY.pattern.replace('?P<d>', '?P<d2>').replace('?P<mon>', '?P<mon2>').replace('?P<y>', '?P<y2>')})"
    r"|\b(?:19|20)\d{2}-[01]\d-[0-3]\d\b|\b(?:19|20)\d{2}/[01]?\d/[0-3]?\d\b"
    r"|\b[0-3]?\d[./-][0-3]?\d[./-](?:19|20)\d{2}\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date stated in running text, where it starts, and the word that labels it."""

    start: int
    date: ParsedDate
    label: str  # "updated", "published", ... or "" when unlabelled
    in_prose: bool = False  # inside a sentence ("enrolment opened on May 3, 2024, and ...")


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")


def _in_prose(text: str, start: int, end: int) -> bool:
    """The date sits in a sentence: its line holds five or more lower-case words. A date line
    ("May 3, 2024", "Published May 3, 2024 | 5 min read") holds few."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    line = text[a : b if b >= 0 else len(text)]
    return len(_LOWER_WORD.findall(line, 0, 400)) >= 5


def find_dates(text: str, limit: int = 10) -> list[FoundDate]:
    """Every unambiguous date stated in `text`, in order, with its label ("Updated: ...")."""
    out: list[FoundDate] = []
    for m in _ANY_DATE.finditer(text):
        d = parse_date(m.group(0))
        if d is None:
            continue
        lab = _LABEL.search(text[max(0, m.start() - 30) : m.start()])
        lab = lab or _LABEL_AFTER.match(text, m.end())  # "17/08/2025 Date Posted"
        label = " ".join(lab.group("label").lower().split()) if lab else ""
        out.append(FoundDate(m.start(), d, label, _in_prose(text, m.start(), m.end())))
        if len(out) >= limit:
            break
    return out
