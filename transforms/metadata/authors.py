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
import unicodedata
from functools import lru_cache
from html import unescape

from transforms.metadata.dates import MONTHS, find_dates, parse_date

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

ROLE_WORDS = frozenset(
    [
        "staff",
        "writer",
        "writers",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "editor",
        "editors",
        "contributor",
        "contributors",
        "columnist",
        "columnists",
        "senior",
        "chief",
        "managing",
        "associate",
        "assistant",
        "deputy",
        "executive",
        "news",
        "digital",
        "political",
        "politics",
        "business",
        "sports",
        "health",
        "science",
        "tech",
        "technology",
        "features",
        "feature",
        "special",
        "desk",
        "bureau",
        "national",
        "international",
        "foreign",
        "local",
        "freelance",
        "freelancer",
        "journalist",
        "journalists",
        "producer",
        "producers",
        "analyst",
        "analysts",
        "contributing",
        "content",
        "manager",
        "director",
        "head",
        "lead",
        "expert",
        "experts",
        "specialist",
        "author",
        "authors",
        "photographer",
        "photographers",
        "correspondent",
        "and",
        "of",
        "the",
        "for",
        "at",
        "in",
        "team",
        "member",
        "fellow",
        "intern",
        "interns",
        "sr",
        'jr",',
    ]
)
# words that make a part a role or a generic label even when other words are capitalised
_ROLE_HEADS = frozenset(
    [
        "writer",
        "reporter",
        "correspondent",
        "editor",
        "contributor",
        "columnist",
        "journalist",
        "producer",
        "analyst",
        "manager",
        "director",
        "specialist",
        "expert",
        "photographer",
        "intern",
        "ceo",
        "cto",
        "cfo",
        "founder",
        "co-founder",
        "president",
        "representative",
        "officer",
        "educator",
        "dietitian",
        "nutritionist",
    ]
)
_GENERIC = frozenset(
    [
        "admin",
        "administrator",
        "author",
        "authors",
        "unknown",
        "guest",
        "staff",
        "anonymous",
        "editor",
        "editors",
        "webmaster",
        "user",
        "default",
        "team",
        "contributor",
        "none",
        "null",
        "n/a",
        "undefined",
    ]
)
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}|(?:[A-Z][a-z]?\.){1,3}[A-Z]?[a-z]?\.?|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|"
    r"I{2,3}|IV|[A-Z][A-Z-]*\d+[A-Z]*(?:\s\d+)?|[A-Z]{1,5}-[A-Z]{1,5}(?:\s\d+)?)[®™]?$"
)
# in an ALL-CAPS byline only these read as credentials ("JANE DOE" is a name)
_COMMON_CREDENTIALS = frozenset(
    [
        "MD",
        "PHD",
        "RN",
        "RD",
        "DO",
        "DDS",
        "DMD",
        "DVM",
        "VMD",
        "MBA",
        "MS",
        "MA",
        "BA",
        "BS",
        "BSC",
        "MSC",
        "CPA",
        "CFP",
        "CFA",
        "JD",
        "ESQ",
        "MPH",
        "LCSW",
        "FACLM",
        "FACP",
        "FACS",
        "FAND",
        "RDN",
        "CNS",
        "NP",
        "PA",
        "PT",
        "DPT",
        "OD",
        "PSYD",
        "EDD",
        "LPC",
        "MFT",
        "CPT",
    ]
)
_NAME_CHARS = re.compile(r"^[\w.'’\- ]+$")


def _nfc(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


def is_credential(part: str) -> bool:
    """True for post-nominal letters ("MD", "Ph.D.", "RD", "E-RYT 200", "CFP®")."""
    p = part.strip().strip(",")
    return bool(p) and len(p) <= 12 and bool(_CREDENTIAL.match(p))


def is_role(part: str) -> bool:
    """True for a job title rather than a name ("Staff Writer", "CEO of Acme")."""
    words = re.findall(r"[\w'-]+", part.lower())
    if not words:
        return False
    if all(w in ROLE_WORDS for w in words):
        return True
    return any(w.rstrip("s") in _ROLE_HEADS for w in words) and len(words) <= 6


def strip_roles(part: str) -> str:
    """Remove role words around a name: "Staff Writer Jane Doe" -> "Jane Doe"."""
    words = part.split()

    def role(w: str) -> bool:
        w = w.lower().strip(".,")
        return w in ROLE_WORDS or w.rstrip("s") in _ROLE_HEADS

    while len(words) > 1 and role(words[0]):
        words.pop(0)
    while len(words) > 1 and role(words[-1]):
        words.pop()
    return " ".join(words)


_ROLE_OF = re.compile(
    r",\s*(?:[A-Za-z]+\s+)?(?:head|director|chief|manager|editor|professor|president|vp|"
    r"officer|founder|co-founder|ceo|lead|dean|chair)\s+(?:of|at)\b[^,;|]*",
    re.IGNORECASE,
)


def _cut_role(part: str) -> str:
    """ "Jane Doe Senior Autos" (left of "Reporter") -> "Jane Doe": after two name words, a
    role word starts the job title."""
    words = part.split()
    for i in range(2, len(words)):
        if words[i].lower().strip(".,") in ROLE_WORDS:
            return " ".join(words[:i])
    return part


# words that open a job title ("Senior Research Executive"); not "Team" or "Desk", which end
# a team's name ("The Acme Team")
_TITLE_START = frozenset(
    ["senior", "chief", "managing", "associate", "assistant", "deputy", "executive", "contributing"]
)


def _cut_title(part: str) -> str:
    """ "Jane Doe Senior Research Executive" -> "Jane Doe": after two name words, a
    capitalised role word ("Senior", "Staff", "Editor") starts a job title."""
    words = part.split()
    for i in range(2, len(words)):
        w = words[i].strip(".,")
        low = w.lower()
        if w[:1].isupper() and (low in _TITLE_START or low.rstrip("s") in _ROLE_HEADS):
            return " ".join(words[:i])
    return part


def looks_like_name(part: str) -> bool:
    """A short run of name-like words: no sentence, no digits-only, no URL, not generic."""
    p = part.strip()
    if not p or len(p) > 60 or not _NAME_CHARS.match(p):
        return False
    words = p.split()
    if len(words) > 5 or not any(c.isalpha() for c in p):
        return False
    if any(c.isdigit() for c in p):
        return False
    # a lower-case handle with separators ("jane.doe", "site-admin") is an account, not a name
    if len(words) == 1 and p == p.lower() and re.search(r"[._-]", p):
        return False
    if p.lower() in _GENERIC or _SOCIAL.search(p):
        return False
    # a multi-word name has its words capitalised (particles such as "van", "de" excepted)
    if len(words) > 1:
        caps = sum(1 for w in words if w[:1].isupper())
        if caps < max(1, len(words) - 2) or (caps == 0):
            return False
    return True


def _tidy_case(name: str) -> str:
    """ALL-CAPS names become Title Case; other casing is kept as written."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters) and " " in name:
        return " ".join(w.capitalize() if w.isalpha() else w for w in name.split())
    return name


_SOCIAL = re.compile(
    r"\b(?:facebook|twitter|tweet|pin|pinterest|linkedin|instagram|share|email|follow|"
    r"subscribe|view|posts|profile|bio|more|read|website|youtube|privacy|home|login|sign)\b",
    re.IGNORECASE,
)
# words that end a byline when glued to it ("Jane Doe December 3", "Jane Doe Last updated")
_TAIL_STOP = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "last",
        "updated",
        "published",
        "posted",
        "table",
        "contents",
        "share",
        "read",
        "min",
        "home",
        "reviewed",
        "edited",
        "fact",
        "print",
        "listen",
        "save",
    ]
)
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "del",
        "di",
        "du",
        "la",
        "le",
        "bin",
        "al",
        "ibn",
        "st",
    ]
)


# words of the page's furniture: a label made of them ("Reading Time", "Article Tags",
# "Text Size") is the interface speaking, not a person
_UI_WORDS = frozenset(
    [
        "article", "articles", "tag", "tags", "time", "reading", "category", "categories", "topic",
        "topics", "related", "latest", "popular", "trending", "menu", "search", "newsletter",
        "comments", "table", "contents", "podcast", "podcasts", "size", "edit", "print", "listen",
        "audio", "video", "gallery", "summary", "overview", "takeaways", "highlights",
        "advertisement", "sponsored", "toggle", "navigation", "skip", "download", "subscribe",
        "login", "logout", "account", "settings",
    ]
)  # fmt: skip


def _strict_ok(name: str) -> bool:
    """Visible-text names: every word capitalised (particles aside), no social-button or
    interface words."""
    words = name.split()
    core = [w for w in words if w.lower() not in _PARTICLES and not _SUFFIX.fullmatch(w)]
    if len(core) > 4 or _SOCIAL.search(name):
        return False
    if any(w.lower() in _UI_WORDS for w in words):
        return False
    return all(
        w[:1].isupper() or w.lower() in _PARTICLES or (i == 0 and w == "the")
        for i, w in enumerate(words)
    )


# lower-case words a byline may hold besides names: connectors, labels, particles
_BYLINE_LOWER = frozenset(["by", "with", "on", "from", "written", "posted", "min", "read"])


def is_prose(text: str) -> bool:
    """True for a sentence rather than a byline ("Dan lives and works in Calgary, and bikes
    year-round"): three or more lower-case words that are neither role words, particles nor
    byline labels. An author box's bio reads so; a byline ("By Jane Doe, staff writer") not."""
    n = 0
    for w in re.findall(r"[^\W\d_][\w'’-]*", text):
        if w.islower() and w not in ROLE_WORDS and w not in _PARTICLES and w not in _BYLINE_LOWER:
            n += 1
            if n >= 3:
                return True
    return False


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
    s = _nfc(unescape(raw) if "&" in raw else raw)  # "O&#039;Neil" is one name
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
        if names and _SUFFIX.fullmatch(part.strip(" ,")):
            names[-1] = f"{names[-1]} {part.strip(' ,')}"  # "Sam Peters, Jr."
            continue
        part = _LEAD.sub("", part).strip(" ,:;-–—'\"&")
        if not _SUFFIX.search(part) and not _INITIAL_END.search(part):
            part = part.rstrip(".")
        part = re.sub(r"^(?:dr|prof|mr|mrs|ms|mx)\.?\s+(?=[A-Z])", "", part, flags=re.I)
        if not part or is_credential(part):
            continue
        first = part.split()[0].lower()
        if (first in ROLE_WORDS or first.rstrip("s") in _ROLE_HEADS) and " of " in part:
            after_role = True
            continue  # "Head of Community Development"
        if after_role and " " not in part:
            continue  # "Jane Doe Writer, Hardware": the beat of the role, not a name
        after_role = False
        if is_role(part):
            # "Jane Doe Staff Writer" keeps a two-word name; "Shipping Expert", "CEO of X" go
            part = _cut_role(strip_roles(part))
            after_role = True
            if len(part.split()) < 2 or is_role(part) or re.search(r"\b(?:of|at|for)\b", part):
                continue
        else:
            # "Jane Doe Senior Research Executive": a job title glued after a full name
            part = _cut_title(part)
        # "Jeffrey A. Slotnick CPP" / "Michael Greger M.D.": trailing credentials
        words = part.split()
        for i, w in enumerate(words):
            nxt = words[i + 1].lower().strip(".,:") if i + 1 < len(words) else ""
            # "Jane Doe on Friday", "Jane Doe on 2025-12-18": a preposition before a date
            prep = w in ("on", "at") and (not nxt or nxt in _TAIL_STOP or nxt[:1].isdigit())
            low = w.lower().strip(".,:")
            # a month word ends the byline only before a day ("May 3"): "Laura May Randell"
            # and "Haje Jan Kamps" hold it as a name
            month = low in MONTHS and not (nxt[:1].isdigit() or (not nxt and w.endswith(",")))
            if i > 0 and ((low in _TAIL_STOP and not month) or prep):
                words = words[:i]
                break
        half = len(words) // 2
        if len(words) % 2 == 0 and half and words[:half] == words[half:]:
            words = words[:half]  # "Jane Doe Jane Doe": an avatar label beside the name
        if all(is_credential(w) for w in words) and (
            not part.isupper() or all(w.replace(".", "") in _COMMON_CREDENTIALS for w in words)
        ):
            continue
        if not part.isupper():
            while len(words) > 1 and is_credential(words[-1]) and not _name_end(words):
                words.pop()
        part = " ".join(words)
        if len(words) == 1 and part.lower().strip(".,") in _TAIL_STOP:
            continue  # "Sat" of "Sat, 20 Dec, 2025", "Updated" alone
        if looks_like_name(part) and not is_credential(part) and (not strict or _strict_ok(part)):
            name = _tidy_case(part)
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
    return names


_SUFFIX = re.compile(r"(?:\b(?:Jr|Sr)\.?|\b(?:II|III|IV))$")
_INITIAL_END = re.compile(r"(?:^|\s)(?:[A-Z]\.){1,3}$")


def _name_end(words: list[str]) -> bool:
    """The last word belongs to the name: a generational suffix ("Jr.", "III") or initials
    ("Nelson C.J."), not post-nominal letters ("M.D.", "Ph.D.")."""
    last = words[-1].strip(",")
    if _SUFFIX.fullmatch(last):
        return True
    letters = last.replace(".", "")
    return (
        bool(_INITIAL_END.search(last))
        and letters.upper() not in _COMMON_CREDENTIALS
        and len(letters) <= 2
    )


def swap_last_first(value: str) -> str:
    """ "Doe, Jane" -> "Jane Doe" (the citation_author form); other strings unchanged."""
    m = re.fullmatch(
        r"\s*([A-Z][\w'’-]+(?:\s+[a-z]{1,3}\s+[A-Z][\w'’-]+)?),\s*([A-Z][\w.'’ -]{0,40})\s*", value
    )
    if m and "," not in m.group(2) and len(m.group(2).split()) <= 3:
        return f"{m.group(2).strip()} {m.group(1)}"
    return value


def normalise_name(name: str) -> str:
    """Comparison key for a name: case-folded, accents and punctuation kept, spaces collapsed."""
    return " ".join(_nfc(name).casefold().replace("’", "'").split())
